// SPDX-License-Identifier: MIT
// `audio`: a stream's or a call's audio from capture files, as MP3 or WAV.
//
// Two passes over the files: the normal analysis finds the streams (RTP from SDP or the
// heuristics, codecs from rtpmap), then a second read collects only the chosen streams'
// payloads. The analysis path itself never keeps payloads.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "node/capture/pcap_source.h"
#include "node/cli/arguments.h"
#include "node/cli/commands.h"
#include "node/pipeline/pipeline.h"
#include "shared/audio/audio_decoder.h"
#include "shared/audio/audio_file_writer.h"
#include "shared/audio/channel_mixer.h"
#include "shared/audio/stream_assembler.h"
#include "shared/decoder/packet_decoder.h"
#include "shared/voip/rtp_header.h"
#include "shared/voip/rtp_payload_types.h"

namespace netlens::node::cli {

namespace {

using analysis::RtpStreamRecord;

/// Listed in error messages at most.
constexpr std::size_t kMaxListed = 20;

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

std::string describe(const RtpStreamRecord& s) {
  return hex32(s.ssrc) + " (" + s.srcIp.toString() + ":" + std::to_string(s.srcPort) + " -> " +
         s.dstIp.toString() + ":" + std::to_string(s.dstPort) + ", " +
         (s.codec.empty() ? "payload type " + std::to_string(s.payloadType) : s.codec) + ", " +
         std::to_string(s.packets) + " packets)";
}

std::string listStreams(const std::vector<RtpStreamRecord>& streams) {
  if (streams.empty()) return "the files hold no RTP stream";
  std::string out = "RTP streams in the files: ";
  for (std::size_t i = 0; i < streams.size() && i < kMaxListed; ++i) {
    out += (i != 0 ? ", " : "") + describe(streams[i]);
  }
  if (streams.size() > kMaxListed) {
    out += " and " + std::to_string(streams.size() - kMaxListed) + " more";
  }
  return out;
}

bool parseSsrc(const std::string& text, std::uint32_t* out) {
  long long value = 0;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    if (text.size() > 10) return false;
    for (std::size_t i = 2; i < text.size(); ++i) {
      const char c = text[i];
      int digit = 0;
      if (c >= '0' && c <= '9') {
        digit = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        digit = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        digit = c - 'A' + 10;
      } else {
        return false;
      }
      value = value * 16 + digit;
    }
  } else if (!parseInteger(text, 0, 0xffffffffLL, &value)) {
    return false;
  }
  *out = static_cast<std::uint32_t>(value);
  return true;
}

/// The stream's audio codec and its payload type: the first payload type the stream used
/// that names a codec we decode (comfort noise or an event may come first).
bool audioCodecOf(const RtpStreamRecord& s, audio::Codec* codec, std::uint8_t* payloadType) {
  if (audio::codecFromName(s.codec, codec)) {
    *payloadType = s.payloadType;
    return true;
  }
  for (const std::uint8_t pt : s.payloadTypes) {
    if (pt < 96 && audio::codecFromName(voip::staticPayloadType(pt).name, codec)) {
      *payloadType = pt;
      return true;
    }
  }
  return false;
}

/// One chosen stream and the audio being built for it.
struct Extraction {
  RtpStreamRecord stream;
  std::unique_ptr<audio::StreamAssembler> assembler;
};

/// The second pass: feeds every chosen stream's packets to its assembler. False (message
/// printed) when a file cannot be read.
bool collect(const std::vector<std::string>& files, std::vector<Extraction>& chosen) {
  decoder::DecodedPacket packet;
  voip::RtpHeader rtp;
  std::uint64_t fragments = 0;
  for (const auto& file : files) {
    std::string error;
    auto source = capture::PcapSource::openFile(file, &error);
    if (!source) {
      fail(error);
      return false;
    }
    capture::RawPacket raw;
    capture::ReadStatus status;
    while ((status = source->next(raw)) == capture::ReadStatus::Packet) {
      decoder::PacketDecoder::decode(raw.linkType, raw.data, raw.capturedLength, raw.wireLength,
                                     raw.timestampNs, packet);
      const decoder::TransportLayer& t = packet.transport;
      if (t.protocol != decoder::ipproto::kUdp || !t.hasPorts() || t.payload == nullptr) continue;
      const decoder::IpLayer& ip = packet.ip[static_cast<std::size_t>(t.ipIndex)];
      for (auto& x : chosen) {
        const RtpStreamRecord& s = x.stream;
        if (t.srcPort != s.srcPort || t.dstPort != s.dstPort || ip.src != s.srcIp ||
            ip.dst != s.dstIp) {
          continue;
        }
        if (ip.isFragment()) {
          ++fragments;
          break;
        }
        if (voip::parseRtpHeader(t.payload, t.payloadLength, rtp) != voip::RtpParseStatus::Ok ||
            rtp.ssrc != s.ssrc) {
          break;
        }
        audio::RtpAudioPacket p;
        p.captureNs = raw.timestampNs;
        p.sequence = rtp.sequence;
        p.timestamp = rtp.timestamp;
        p.marker = rtp.marker;
        p.payloadType = rtp.payloadType;
        p.payload = rtp.payload;
        p.payloadLength = rtp.payloadLength;
        x.assembler->add(p);
        break;
      }
    }
    if (status == capture::ReadStatus::Error) {
      std::fprintf(stderr, "netlens-node: warning: %s (audio up to that point is kept)\n",
                   source->error().c_str());
    }
  }
  if (fragments != 0) {
    std::fprintf(stderr,
                 "netlens-node: warning: %" PRIu64
                 " RTP packets in fragmented IP datagrams were left out (their time is silence)\n",
                 fragments);
  }
  return true;
}

/// OUT.mp3 → OUT-0x1a2b3c4d.mp3: the suffix goes before the extension.
std::string separateName(const std::string& path, std::uint32_t ssrc) {
  const std::size_t slash = path.find_last_of('/');
  const std::size_t dot = path.find_last_of('.');
  const bool hasExtension =
      dot != std::string::npos && (slash == std::string::npos || dot > slash + 1);
  const std::string stem = hasExtension ? path.substr(0, dot) : path;
  const std::string extension = hasExtension ? path.substr(dot) : std::string();
  return stem + "-" + hex32(ssrc) + extension;
}

double seconds(std::uint64_t frames, std::uint32_t rate) {
  return rate != 0 ? static_cast<double>(frames) / rate : 0;
}

/// Writes `inputs` (1 or 2 streams: mono or left/right) to `path`; 0 or the exit code.
int writeFile(const std::string& path, bool mp3, const std::vector<Extraction*>& inputs) {
  std::vector<audio::ChannelMixer::Input> mixerInputs;
  for (Extraction* x : inputs) {
    mixerInputs.push_back({x->assembler.get(), x->assembler->startCaptureNs()});
  }
  audio::ChannelMixer mixer;
  std::string error;
  if (!mixer.open(mixerInputs, &error)) return fail(error);
  auto writer = mp3 ? audio::makeMp3Writer() : audio::makeWavWriter();
  if (!audio::writeAudioFile(mixer, *writer, path, &error)) return fail(error);
  std::string what;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const audio::StreamAssembler& a = *inputs[i]->assembler;
    what += std::string(i == 0 ? "" : "; ") +
            (inputs.size() == 2 ? (i == 0 ? "left " : "right ") : "") +
            hex32(inputs[i]->stream.ssrc) + " " + std::string(audio::codecName(a.codec())) + ", " +
            std::to_string(a.audioPackets()) + " audio packets, " +
            std::to_string(static_cast<int>(seconds(a.silenceSamples(), a.sampleRate()) * 1000)) +
            " ms silence filled";
    if (a.segments() > 1) what += ", " + std::to_string(a.segments()) + " segments";
    if (a.duplicates() != 0) what += ", " + std::to_string(a.duplicates()) + " duplicates";
  }
  std::fprintf(stderr, "netlens-node: wrote %s: %.3f s, %u Hz, %s (%s)\n", path.c_str(),
               seconds(mixer.totalFrames(), mixer.sampleRate()), mixer.sampleRate(),
               mixer.channels() == 2 ? "stereo" : "mono", what.c_str());
  return 0;
}

}  // namespace

int audioCommand(int argc, char** argv) {
  Arguments args({"-r", "--ssrc", "--call", "--mp3", "--wav", "--max-seconds"}, {"--separate"});
  std::string error;
  if (!args.parse(argc, argv, 0, &error)) return fail(error + " (see netlens-node --help)");
  if (!args.positional().empty()) {
    return fail("audio takes no filter or other words: \"" + args.positional().front() + "\"");
  }
  const std::vector<std::string> files = args.values("-r");
  if (files.empty()) return fail("audio needs at least one -r FILE");
  if (args.has("--ssrc") == args.has("--call")) {
    return fail("audio needs either --ssrc SSRC (e.g. 0x1a2b3c4d) or --call CALL-ID");
  }
  if (args.has("--mp3") == args.has("--wav")) {
    return fail("audio needs either --mp3 OUT.mp3 or --wav OUT.wav");
  }
  if (args.has("--separate") && !args.has("--call")) {
    return fail("--separate goes with --call (a call's streams, one file each)");
  }
  const bool mp3 = args.has("--mp3");
  const std::string out = mp3 ? args.value("--mp3") : args.value("--wav");
  audio::AssemblerLimits limits;
  if (args.has("--max-seconds")) {
    long long n = 0;
    if (!parseInteger(args.value("--max-seconds"), 1, 4 * 3600, &n)) {
      return fail("--max-seconds takes seconds from 1 to 14400 (4 hours, the default)");
    }
    limits.maxSeconds = static_cast<std::uint32_t>(n);
  }
  std::uint32_t ssrc = 0;
  if (args.has("--ssrc") && !parseSsrc(args.value("--ssrc"), &ssrc)) {
    return fail("--ssrc takes a 32-bit SSRC, e.g. 0x1a2b3c4d or 439041101, not \"" +
                args.value("--ssrc") + "\"");
  }

  // Pass 1: the streams and calls, exactly as `analyze --json rtp|calls` finds them.
  pipeline::PipelineConfig config;
  pipeline::Pipeline p(config);
  for (const auto& file : files) {
    if (!p.addFile(file, &error)) return fail(error);
  }
  p.start();
  p.waitForFiles();
  for (const auto& s : p.sources()) {
    if (!s.error.empty()) std::fprintf(stderr, "netlens-node: warning: %s\n", s.error.c_str());
  }
  std::vector<RtpStreamRecord> streams = p.rtpStreams();
  const std::vector<analysis::CallRecord> calls = p.calls();
  p.stop();
  std::sort(streams.begin(), streams.end(), [](const auto& a, const auto& b) {
    return std::tie(a.firstSeen, a.ssrc) < std::tie(b.firstSeen, b.ssrc);
  });

  std::vector<RtpStreamRecord> chosen;
  const analysis::CallRecord* call = nullptr;
  if (args.has("--ssrc")) {
    for (const auto& s : streams) {
      if (s.ssrc == ssrc) chosen.push_back(s);
    }
    if (chosen.empty())
      return fail("no RTP stream with SSRC " + hex32(ssrc) + "; " + listStreams(streams));
    if (chosen.size() > 1) {
      // The same SSRC on several legs (a media relay, a mirror): the one with most packets.
      std::stable_sort(chosen.begin(), chosen.end(),
                       [](const auto& a, const auto& b) { return a.packets > b.packets; });
      std::fprintf(stderr, "netlens-node: note: SSRC %s is on %zu flows; taking %s\n",
                   hex32(ssrc).c_str(), chosen.size(), describe(chosen.front()).c_str());
      chosen.resize(1);
    }
  } else {
    const std::string callId = args.value("--call");
    for (const auto& c : calls) {
      if (c.callId == callId) call = &c;
    }
    if (call == nullptr) {
      std::string known;
      for (std::size_t i = 0; i < calls.size() && i < kMaxListed; ++i) {
        known += (i != 0 ? ", " : "") + calls[i].callId;
      }
      if (calls.size() > kMaxListed)
        known += " and " + std::to_string(calls.size() - kMaxListed) + " more";
      return fail("no call with Call-ID \"" + callId + "\"; " +
                  (calls.empty() ? std::string("the files hold no SIP call with an INVITE")
                                 : "calls in the files: " + known));
    }
    for (const auto& s : streams) {
      if (s.callId == callId) chosen.push_back(s);
    }
    if (chosen.empty()) {
      return fail("call \"" + callId +
                  "\" has no RTP stream in the files (its SDP named none "
                  "that was seen)");
    }
  }

  std::vector<Extraction> extractions;
  for (const auto& s : chosen) {
    audio::Codec codec{};
    std::uint8_t pt = 0;
    if (!audioCodecOf(s, &codec, &pt)) {
      return fail("stream " + describe(s) + " uses " +
                  (s.codec.empty() ? "payload type " + std::to_string(s.payloadType) +
                                         ", a codec no SDP in the files names"
                                   : "the codec " + s.codec) +
                  "; audio export decodes PCMU, PCMA, G722 and G729");
    }
    extractions.push_back({s, std::make_unique<audio::StreamAssembler>(
                                  audio::AudioDecoder::create(codec), pt, limits)});
  }

  // Pass 2: the chosen streams' payloads.
  if (!collect(files, extractions)) return 1;
  for (auto& x : extractions) {
    x.assembler->finish();
    const audio::StreamAssembler& a = *x.assembler;
    if (a.audioPackets() == 0) {
      return fail("stream " + describe(x.stream) + " has no audio payload (" +
                  std::to_string(a.otherPackets()) + " packets of other payload types, " +
                  std::to_string(a.undecodable()) + " empty or undecodable)");
    }
    if (a.truncated()) {
      std::fprintf(stderr,
                   "netlens-node: warning: stream %s is longer than %u s: the audio is cut "
                   "there (--max-seconds)\n",
                   hex32(x.stream.ssrc).c_str(), limits.maxSeconds);
    }
    if (a.undecodable() != 0) {
      std::fprintf(stderr,
                   "netlens-node: warning: stream %s: %" PRIu64
                   " packets with a payload %s cannot decode became silence\n",
                   hex32(x.stream.ssrc).c_str(), a.undecodable(),
                   std::string(audio::codecName(a.codec())).c_str());
    }
  }

  if (!call) return writeFile(out, mp3, {&extractions.front()});
  if (args.has("--separate")) {
    for (auto& x : extractions) {
      if (const int rc = writeFile(separateName(out, x.stream.ssrc), mp3, {&x}); rc != 0) return rc;
    }
    return 0;
  }
  // Stereo: left = caller → callee, right = callee → caller. The first SDP of the call (the
  // INVITE's offer) names where the caller receives: streams sent there are the callee's.
  // Per direction the stream with most packets; the others are named, not mixed.
  Extraction* left = nullptr;
  Extraction* right = nullptr;
  const auto toCaller = [&](const RtpStreamRecord& s) {
    if (call->media.empty()) return false;
    const auto& m = call->media.front();
    return s.dstIp.toString() == m.address && s.dstPort == m.port;
  };
  for (auto& x : extractions) {
    Extraction*& slot = toCaller(x.stream) ? right : left;
    if (slot == nullptr || x.stream.packets > slot->stream.packets) slot = &x;
  }
  if (right == nullptr && left != nullptr) {
    // No stream matches the offer (e.g. a late offer): the other direction is the stream
    // from the first one's destination.
    for (auto& x : extractions) {
      if (&x != left && x.stream.srcIp == left->stream.dstIp &&
          (right == nullptr || x.stream.packets > right->stream.packets)) {
        right = &x;
      }
    }
  }
  for (auto& x : extractions) {
    if (&x != left && &x != right) {
      std::fprintf(stderr,
                   "netlens-node: note: stream %s of the call is not in the stereo file (use "
                   "--separate or --ssrc)\n",
                   describe(x.stream).c_str());
    }
  }
  std::vector<Extraction*> channels;
  if (left != nullptr) channels.push_back(left);
  if (right != nullptr) channels.push_back(right);
  if (channels.size() == 1) {
    std::fprintf(stderr, "netlens-node: note: the call has audio in one direction only: mono\n");
  }
  return writeFile(out, mp3, channels);
}

}  // namespace netlens::node::cli
