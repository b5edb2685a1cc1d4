// SPDX-License-Identifier: MIT
#include "shared/voip/sip_message.h"

#include <algorithm>
#include <charconv>

namespace netlens::voip {

namespace {

constexpr std::string_view kVersion = "SIP/2.0";
/// Longest start line we accept; real ones are far shorter, and a bound keeps a scan of a
/// non-SIP payload short.
constexpr std::size_t kMaxStartLine = 2048;

bool isSpace(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (isSpace(s.front()) || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (isSpace(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// RFC 3261 token characters, the ones a method name is made of.
bool isTokenChar(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("-.!%*_+`'~").find(c) != std::string_view::npos;
}

/// The first line of `text` (without CR LF) and whether it was terminated.
std::string_view firstLine(std::string_view text, bool* terminated) {
  const std::size_t end = text.find('\n');
  *terminated = end != std::string_view::npos;
  std::string_view line = text.substr(0, *terminated ? end : text.size());
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

struct StartLine {
  bool isRequest = false;
  std::string_view method, uri, reason;
  int status = 0;
};

/// Parses a request line "METHOD SP URI SP SIP/2.0" or a status line "SIP/2.0 SP CODE SP
/// reason"; false when it is neither.
bool parseStartLine(std::string_view line, StartLine& out, bool* badStatus) {
  *badStatus = false;
  if (line.size() > kMaxStartLine) return false;
  if (line.size() >= kVersion.size() + 1 && line.substr(0, kVersion.size()) == kVersion &&
      line[kVersion.size()] == ' ') {
    std::string_view rest = line.substr(kVersion.size() + 1);
    if (rest.size() < 3) {
      *badStatus = true;
      return true;
    }
    int code = 0;
    const auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + 3, code);
    if (ec != std::errc() || ptr != rest.data() + 3 || code < 100 || code > 699 ||
        (rest.size() > 3 && rest[3] != ' ')) {
      *badStatus = true;
      return true;
    }
    out.isRequest = false;
    out.status = code;
    out.reason = trim(rest.substr(std::min<std::size_t>(rest.size(), 4)));
    return true;
  }
  const std::size_t sp1 = line.find(' ');
  if (sp1 == 0 || sp1 == std::string_view::npos) return false;
  const std::string_view method = line.substr(0, sp1);
  if (!std::all_of(method.begin(), method.end(), isTokenChar)) return false;
  const std::size_t sp2 = line.rfind(' ');
  if (sp2 == sp1 || line.substr(sp2 + 1) != kVersion) return false;
  out.isRequest = true;
  out.method = method;
  out.uri = line.substr(sp1 + 1, sp2 - sp1 - 1);
  return !out.uri.empty();
}

/// Full and compact header names (RFC 3261 section 7.3.3) of the headers we read.
enum class Header { Other, CallId, From, To, CSeq, ContentType, ContentLength };

Header headerOf(std::string_view name) {
  if (name.size() == 1) {
    switch (lower(name[0])) {
      case 'i':
        return Header::CallId;
      case 'f':
        return Header::From;
      case 't':
        return Header::To;
      case 'c':
        return Header::ContentType;
      case 'l':
        return Header::ContentLength;
      default:
        return Header::Other;
    }
  }
  if (equalsIgnoreCase(name, "Call-ID")) return Header::CallId;
  if (equalsIgnoreCase(name, "From")) return Header::From;
  if (equalsIgnoreCase(name, "To")) return Header::To;
  if (equalsIgnoreCase(name, "CSeq")) return Header::CSeq;
  if (equalsIgnoreCase(name, "Content-Type")) return Header::ContentType;
  if (equalsIgnoreCase(name, "Content-Length")) return Header::ContentLength;
  return Header::Other;
}

}  // namespace

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool startsLikeSip(const std::uint8_t* data, std::uint32_t length) {
  if (data == nullptr || length < kVersion.size() + 4) return false;
  const std::string_view text(reinterpret_cast<const char*>(data),
                              std::min<std::size_t>(length, kMaxStartLine + 2));
  bool terminated = false;
  const std::string_view line = firstLine(text, &terminated);
  if (!terminated) return false;
  StartLine start;
  bool badStatus = false;
  return parseStartLine(line, start, &badStatus) && !badStatus;
}

SipParseStatus parseSipMessage(const std::uint8_t* data, std::uint32_t length, SipFraming framing,
                               SipMessage& out) {
  out = SipMessage{};
  if (data == nullptr || length == 0) return SipParseStatus::NotSip;
  const std::string_view text(reinterpret_cast<const char*>(data), length);
  bool terminated = false;
  const std::string_view line = firstLine(text, &terminated);
  StartLine start;
  bool badStatus = false;
  if (!parseStartLine(line, start, &badStatus)) {
    // An unterminated line may still become a start line, unless it already cannot: it
    // starts with a non-token character or holds a control or non-ASCII byte.
    const bool couldGrow =
        !terminated && line.size() <= kMaxStartLine && !line.empty() && isTokenChar(line[0]) &&
        std::all_of(line.begin(), line.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
    return couldGrow ? SipParseStatus::Incomplete : SipParseStatus::NotSip;
  }
  if (badStatus) {
    // "SIP/2.0 20" cut short may still become a status line: only the digits so far count.
    const std::string_view code = line.substr(std::min(line.size(), kVersion.size() + 1));
    const bool couldGrow =
        !terminated && code.size() < 3 &&
        std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
    return couldGrow ? SipParseStatus::Incomplete : SipParseStatus::Malformed;
  }
  if (!terminated) return SipParseStatus::Incomplete;
  out.isRequest = start.isRequest;
  out.method = start.method;
  out.requestUri = start.uri;
  out.statusCode = start.status;
  out.reason = start.reason;

  std::size_t pos = text.find('\n') + 1;
  bool headersEnded = false;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) break;
    std::string_view h = text.substr(pos, end - pos);
    pos = end + 1;
    if (!h.empty() && h.back() == '\r') h.remove_suffix(1);
    if (h.empty()) {
      headersEnded = true;
      break;
    }
    if (isSpace(h.front())) continue;  // a folded continuation: first line kept only
    const std::size_t colon = h.find(':');
    if (colon == std::string_view::npos || colon == 0) return SipParseStatus::Malformed;
    const std::string_view name = trim(h.substr(0, colon));
    const std::string_view value = trim(h.substr(colon + 1));
    switch (headerOf(name)) {
      case Header::CallId:
        if (out.callId.empty()) out.callId = value;
        break;
      case Header::From:
        if (out.from.empty()) out.from = value;
        break;
      case Header::To:
        if (out.to.empty()) out.to = value;
        break;
      case Header::CSeq: {
        out.cseq = value;
        const std::size_t sp = value.find_first_of(" \t");
        if (sp == std::string_view::npos) return SipParseStatus::Malformed;
        const auto [ptr, ec] = std::from_chars(value.data(), value.data() + sp, out.cseqNumber);
        if (ec != std::errc() || ptr != value.data() + sp) return SipParseStatus::Malformed;
        out.cseqMethod = trim(value.substr(sp + 1));
        break;
      }
      case Header::ContentType:
        out.contentType = value;
        break;
      case Header::ContentLength: {
        std::uint32_t n = 0;
        const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        if (ec != std::errc() || ptr != value.data() + value.size()) {
          return SipParseStatus::Malformed;
        }
        out.contentLength = n;
        break;
      }
      case Header::Other:
        break;
    }
  }
  if (!headersEnded) {
    // A datagram may legally end right after its last header line without the blank line
    // only when it is cut short; treat it as incomplete either way.
    return SipParseStatus::Incomplete;
  }
  const std::size_t available = text.size() - pos;
  std::size_t bodyLength = 0;
  if (out.contentLength >= 0) {
    if (static_cast<std::uint64_t>(out.contentLength) > available) {
      if (framing == SipFraming::Stream) return SipParseStatus::Incomplete;
      bodyLength = available;  // a datagram cut short by the snap length: keep what is there
    } else {
      bodyLength = static_cast<std::size_t>(out.contentLength);
    }
  } else if (framing == SipFraming::Datagram) {
    bodyLength = available;
  }
  out.body = text.substr(pos, bodyLength);
  out.length = static_cast<std::uint32_t>(pos + bodyLength);
  return SipParseStatus::Ok;
}

std::string_view headerUri(std::string_view value) {
  const std::size_t open = value.find('<');
  if (open != std::string_view::npos) {
    const std::size_t close = value.find('>', open);
    if (close != std::string_view::npos) return trim(value.substr(open + 1, close - open - 1));
    return trim(value.substr(open + 1));
  }
  return trim(value.substr(0, value.find(';')));
}

std::string_view headerTag(std::string_view value) {
  const std::size_t close = value.find('>');
  std::string_view params = value.substr(close == std::string_view::npos ? 0 : close + 1);
  std::size_t pos = 0;
  while ((pos = params.find(';', pos)) != std::string_view::npos) {
    std::string_view p = trim(params.substr(pos + 1));
    p = p.substr(0, p.find(';'));
    const std::size_t eq = p.find('=');
    if (eq != std::string_view::npos && equalsIgnoreCase(trim(p.substr(0, eq)), "tag")) {
      return trim(p.substr(eq + 1));
    }
    ++pos;
  }
  return {};
}

}  // namespace netlens::voip
