// SPDX-License-Identifier: MIT
#include "shared/audio/audio_export.h"

#include <cstdio>

#include "shared/audio/audio_file_writer.h"
#include "shared/audio/channel_mixer.h"
#include "shared/voip/rtp_payload_types.h"

namespace netlens::audio {

namespace {

/// The stream's audio codec and its payload type: the first payload type the stream used
/// that names a codec we decode (comfort noise or an event may come first).
bool audioCodecOf(const ExportStream& s, Codec* codec, std::uint8_t* payloadType) {
  if (codecFromName(s.codec, codec)) {
    *payloadType = s.payloadType;
    return true;
  }
  for (const std::uint8_t pt : s.payloadTypes) {
    if (pt < 96 && codecFromName(voip::staticPayloadType(pt).name, codec)) {
      *payloadType = pt;
      return true;
    }
  }
  return false;
}

double seconds(std::uint64_t frames, std::uint32_t rate) {
  return rate != 0 ? static_cast<double>(frames) / rate : 0;
}

}  // namespace

bool parseSsrc(const std::string& text, std::uint32_t* out) {
  const bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  const std::string digits = hex ? text.substr(2) : text;
  if (digits.empty() || digits.size() > (hex ? 8u : 10u)) return false;
  std::uint64_t value = 0;
  for (const char c : digits) {
    int digit = -1;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (hex && c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (hex && c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    }
    if (digit < 0) return false;
    value = value * (hex ? 16 : 10) + static_cast<std::uint64_t>(digit);
  }
  if (value > 0xffffffffULL) return false;
  *out = static_cast<std::uint32_t>(value);
  return true;
}

std::string hexSsrc(std::uint32_t ssrc) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", ssrc);
  return buf;
}

std::string describeStream(const ExportStream& s) {
  return hexSsrc(s.ssrc) + " (" + s.srcIp.toString() + ":" + std::to_string(s.srcPort) + " -> " +
         s.dstIp.toString() + ":" + std::to_string(s.dstPort) + ", " +
         (s.codec.empty() ? "payload type " + std::to_string(s.payloadType) : s.codec) + ", " +
         std::to_string(s.packets) + " packets)";
}

std::string separateFileName(const std::string& path, std::uint32_t ssrc) {
  const std::size_t slash = path.find_last_of("/\\");
  const std::size_t dot = path.find_last_of('.');
  const bool hasExtension =
      dot != std::string::npos && (slash == std::string::npos || dot > slash + 1);
  const std::string stem = hasExtension ? path.substr(0, dot) : path;
  const std::string extension = hasExtension ? path.substr(dot) : std::string();
  return stem + "-" + hexSsrc(ssrc) + extension;
}

bool AudioExport::open(std::vector<ExportStream> streams, AssemblerLimits limits,
                       std::string* error) {
  m_streams.clear();
  m_maxSeconds = limits.maxSeconds;
  for (auto& s : streams) {
    Codec codec{};
    std::uint8_t pt = 0;
    if (!audioCodecOf(s, &codec, &pt)) {
      *error = "stream " + describeStream(s) + " uses " +
               (s.codec.empty()
                    ? "payload type " + std::to_string(s.payloadType) + ", a codec no SDP names"
                    : "the codec " + s.codec) +
               "; audio export decodes PCMU, PCMA, G722 and G729";
      m_streams.clear();
      return false;
    }
    auto assembler = std::make_unique<StreamAssembler>(AudioDecoder::create(codec), pt, limits);
    m_streams.push_back({std::move(s), std::move(assembler)});
  }
  return true;
}

void AudioExport::add(std::size_t i, const RtpAudioPacket& packet) {
  if (i < m_streams.size()) m_streams[i].assembler->add(packet);
}

bool AudioExport::finish(std::string* error, std::vector<std::string>* warnings) {
  std::string firstEmpty;
  std::size_t empty = 0;
  for (auto& x : m_streams) {
    x.assembler->finish();
    const StreamAssembler& a = *x.assembler;
    if (a.audioPackets() == 0) {
      // A call's stream without audio is left out (e.g. a download stopped before its
      // packets came); only when no stream has audio is there nothing to write.
      const std::string what = "stream " + describeStream(x.stream) + " has no audio payload (" +
                               std::to_string(a.otherPackets()) +
                               " packets of other payload types, " +
                               std::to_string(a.undecodable()) + " empty or undecodable)";
      if (empty++ == 0) firstEmpty = what;
      warnings->push_back(what + ": left out");
      continue;
    }
    if (a.truncated()) {
      warnings->push_back("stream " + hexSsrc(x.stream.ssrc) + " is longer than " +
                          std::to_string(m_maxSeconds) + " s: the audio is cut there");
    }
    if (a.undecodable() != 0) {
      warnings->push_back("stream " + hexSsrc(x.stream.ssrc) + ": " +
                          std::to_string(a.undecodable()) + " packets with a payload " +
                          std::string(codecName(a.codec())) + " cannot decode became silence");
    }
  }
  if (empty == m_streams.size()) {
    *error = firstEmpty;
    return false;
  }
  return true;
}

std::vector<std::size_t> AudioExport::stereoChannels(const std::string& callerMediaAddress,
                                                     std::uint16_t callerMediaPort,
                                                     std::vector<std::string>* notes) const {
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::size_t left = kNone;
  std::size_t right = kNone;
  const auto toCaller = [&](const ExportStream& s) {
    return !callerMediaAddress.empty() && s.dstIp.toString() == callerMediaAddress &&
           s.dstPort == callerMediaPort;
  };
  const auto hasAudio = [&](std::size_t i) { return m_streams[i].assembler->audioPackets() != 0; };
  for (std::size_t i = 0; i < m_streams.size(); ++i) {
    if (!hasAudio(i)) continue;
    const ExportStream& s = m_streams[i].stream;
    std::size_t& slot = toCaller(s) ? right : left;
    if (slot == kNone || s.packets > m_streams[slot].stream.packets) slot = i;
  }
  if (right == kNone && left != kNone) {
    // No stream matches the offer (e.g. a late offer): the other direction is the stream
    // from the first one's destination.
    for (std::size_t i = 0; i < m_streams.size(); ++i) {
      const ExportStream& s = m_streams[i].stream;
      if (i != left && hasAudio(i) && s.srcIp == m_streams[left].stream.dstIp &&
          (right == kNone || s.packets > m_streams[right].stream.packets)) {
        right = i;
      }
    }
  }
  for (std::size_t i = 0; i < m_streams.size(); ++i) {
    if (i != left && i != right && hasAudio(i)) {
      notes->push_back("stream " + describeStream(m_streams[i].stream) +
                       " of the call is not in the stereo file (save it separately)");
    }
  }
  std::vector<std::size_t> channels;
  if (left != kNone) channels.push_back(left);
  if (right != kNone) channels.push_back(right);
  if (channels.size() == 1) notes->push_back("the call has audio in one direction only: mono");
  return channels;
}

bool AudioExport::write(const std::string& path, bool mp3, const std::vector<std::size_t>& which,
                        std::string* summary, std::string* error) {
  std::vector<ChannelMixer::Input> inputs;
  for (const std::size_t i : which) {
    if (i >= m_streams.size()) {
      *error = "no stream " + std::to_string(i) + " to write";
      return false;
    }
    inputs.push_back({m_streams[i].assembler.get(), m_streams[i].assembler->startCaptureNs()});
  }
  ChannelMixer mixer;
  if (!mixer.open(inputs, error)) return false;
  auto writer = mp3 ? makeMp3Writer() : makeWavWriter();
  if (!writeAudioFile(mixer, *writer, path, error)) return false;
  std::string what;
  for (std::size_t k = 0; k < which.size(); ++k) {
    const Entry& x = m_streams[which[k]];
    const StreamAssembler& a = *x.assembler;
    what += std::string(k == 0 ? "" : "; ") +
            (which.size() == 2 ? (k == 0 ? "left " : "right ") : "") + hexSsrc(x.stream.ssrc) +
            " " + std::string(codecName(a.codec())) + ", " + std::to_string(a.audioPackets()) +
            " audio packets, " +
            std::to_string(static_cast<int>(seconds(a.silenceSamples(), a.sampleRate()) * 1000)) +
            " ms silence filled";
    if (a.segments() > 1) what += ", " + std::to_string(a.segments()) + " segments";
    if (a.duplicates() != 0) what += ", " + std::to_string(a.duplicates()) + " duplicates";
  }
  char head[64];
  std::snprintf(head, sizeof head, "%.3f s, %u Hz, ",
                seconds(mixer.totalFrames(), mixer.sampleRate()), mixer.sampleRate());
  *summary = "wrote " + path + ": " + head + (mixer.channels() == 2 ? "stereo" : "mono") + " (" +
             what + ")";
  return true;
}

}  // namespace netlens::audio
