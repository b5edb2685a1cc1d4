// SPDX-License-Identifier: MIT
#include "shared/voip/sdp.h"

#include <charconv>

namespace netlens::voip {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

/// Next white-space separated word of `s`, consumed.
std::string_view nextWord(std::string_view& s) {
  s = trim(s);
  const std::size_t end = s.find_first_of(" \t");
  const std::string_view word = s.substr(0, end);
  s = end == std::string_view::npos ? std::string_view() : s.substr(end);
  return word;
}

template <typename T>
bool toNumber(std::string_view s, T& out) {
  if (s.empty()) return false;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

/// "IN IP4 192.0.2.1[/ttl[/n]]" → the address.
bool parseConnection(std::string_view value, std::string_view& address) {
  std::string_view rest = value;
  if (nextWord(rest) != "IN") return false;
  const std::string_view type = nextWord(rest);
  if (type != "IP4" && type != "IP6") return false;
  std::string_view a = nextWord(rest);
  a = a.substr(0, a.find('/'));
  if (a.empty()) return false;
  address = a;
  return true;
}

/// "audio 49170[/2] RTP/AVP 0 8 101".
bool parseMedia(std::string_view value, SdpMedia& m) {
  std::string_view rest = value;
  m.type = nextWord(rest);
  std::string_view port = nextWord(rest);
  port = port.substr(0, port.find('/'));
  if (m.type.empty() || !toNumber(port, m.port)) return false;
  m.transport = nextWord(rest);
  if (m.transport.empty()) return false;
  for (std::string_view fmt = nextWord(rest); !fmt.empty(); fmt = nextWord(rest)) {
    unsigned pt = 0;
    if (toNumber(fmt, pt) && pt <= 127) m.payloadTypes.push_back(static_cast<std::uint8_t>(pt));
  }
  return true;
}

/// "rtpmap:<pt> <encoding>/<clock rate>[/<channels>]".
bool parseRtpmap(std::string_view value, SdpRtpmap& r) {
  std::string_view rest = value;
  unsigned pt = 0;
  if (!toNumber(nextWord(rest), pt) || pt > 127) return false;
  const std::string_view spec = trim(rest);
  const std::size_t slash = spec.find('/');
  if (slash == 0 || slash == std::string_view::npos) return false;
  r.payloadType = static_cast<std::uint8_t>(pt);
  r.encoding = spec.substr(0, slash);
  std::string_view rate = spec.substr(slash + 1);
  rate = rate.substr(0, rate.find('/'));
  // Real clock rates run from 1 kHz (telephone events at 1000 are rare but legal) to the
  // 90 kHz of video; anything else is not trusted for jitter and durations.
  return toNumber(rate, r.clockRate) && r.clockRate >= 1000 && r.clockRate <= 1'000'000;
}

}  // namespace

bool parseSdp(std::string_view text, SdpSession& out, std::uint32_t* malformedLines) {
  out = SdpSession{};
  bool sawVersion = false;
  std::uint32_t malformed = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = trim(text.substr(pos, end - pos));
    pos = end + 1;
    if (line.size() < 2 || line[1] != '=') continue;
    const std::string_view value = line.substr(2);
    switch (line[0]) {
      case 'v':
        sawVersion = true;
        break;
      case 'c': {
        std::string_view address;
        if (!parseConnection(value, address)) {
          ++malformed;
        } else if (out.media.empty()) {
          out.address = address;
        } else {
          out.media.back().address = address;
        }
        break;
      }
      case 'm': {
        SdpMedia m;
        if (!parseMedia(value, m)) {
          ++malformed;
          // A placeholder keeps the following a= lines from landing on the previous m=.
          m = SdpMedia{};
        }
        out.media.push_back(std::move(m));
        break;
      }
      case 'a': {
        if (value.substr(0, 7) != "rtpmap:" || out.media.empty()) break;
        SdpRtpmap r;
        if (parseRtpmap(value.substr(7), r)) {
          out.media.back().rtpmaps.push_back(r);
        } else {
          ++malformed;
        }
        break;
      }
      default:
        break;
    }
  }
  for (auto& m : out.media) {
    if (m.address.empty()) m.address = out.address;
  }
  if (malformedLines != nullptr) *malformedLines = malformed;
  return sawVersion;
}

}  // namespace netlens::voip
