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
#include "shared/audio/audio_export.h"
#include "shared/decoder/packet_decoder.h"
#include "shared/voip/rtp_header.h"

namespace netlens::node::cli {

namespace {

using analysis::RtpStreamRecord;

/// Listed in error messages at most.
constexpr std::size_t kMaxListed = 20;

using audio::hexSsrc;

audio::ExportStream exportStream(const RtpStreamRecord& s) {
  return {s.ssrc,  s.srcIp,       s.srcPort,      s.dstIp,  s.dstPort,
          s.codec, s.payloadType, s.payloadTypes, s.packets};
}

std::string describe(const RtpStreamRecord& s) {
  return audio::describeStream(exportStream(s));
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

/// The second pass: feeds every chosen stream's packets to its assembler. False (message
/// printed) when a file cannot be read.
bool collect(const std::vector<std::string>& files, audio::AudioExport& chosen) {
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
      for (std::size_t i = 0; i < chosen.streamCount(); ++i) {
        const audio::ExportStream& s = chosen.stream(i);
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
        chosen.add(i, p);
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

/// Writes streams `which` of `x` to `path`; 0 or the exit code.
int writeFile(audio::AudioExport& x, const std::string& path, bool mp3,
              const std::vector<std::size_t>& which) {
  std::string summary;
  std::string error;
  if (!x.write(path, mp3, which, &summary, &error)) return fail(error);
  std::fprintf(stderr, "netlens-node: %s\n", summary.c_str());
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
  if (args.has("--ssrc") && !audio::parseSsrc(args.value("--ssrc"), &ssrc)) {
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
      return fail("no RTP stream with SSRC " + hexSsrc(ssrc) + "; " + listStreams(streams));
    if (chosen.size() > 1) {
      // The same SSRC on several legs (a media relay, a mirror): the one with most packets.
      std::stable_sort(chosen.begin(), chosen.end(),
                       [](const auto& a, const auto& b) { return a.packets > b.packets; });
      std::fprintf(stderr, "netlens-node: note: SSRC %s is on %zu flows; taking %s\n",
                   hexSsrc(ssrc).c_str(), chosen.size(), describe(chosen.front()).c_str());
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

  std::vector<audio::ExportStream> exportStreams;
  for (const auto& s : chosen) exportStreams.push_back(exportStream(s));
  audio::AudioExport extraction;
  if (!extraction.open(std::move(exportStreams), limits, &error)) return fail(error);

  // Pass 2: the chosen streams' payloads.
  if (!collect(files, extraction)) return 1;
  std::vector<std::string> warnings;
  if (!extraction.finish(&error, &warnings)) return fail(error);
  for (const auto& w : warnings) {
    std::fprintf(stderr, "netlens-node: warning: %s%s\n", w.c_str(),
                 w.find("longer than") != std::string::npos ? " (--max-seconds)" : "");
  }

  if (!call) return writeFile(extraction, out, mp3, {0});
  if (args.has("--separate")) {
    for (std::size_t i = 0; i < extraction.streamCount(); ++i) {
      if (extraction.assembler(i).audioPackets() == 0) continue;  // said in the warnings
      const std::string name = audio::separateFileName(out, extraction.stream(i).ssrc);
      if (const int rc = writeFile(extraction, name, mp3, {i}); rc != 0) return rc;
    }
    return 0;
  }
  // Stereo: left = caller → callee, right = callee → caller (see AudioExport::stereoChannels).
  std::vector<std::string> notes;
  const std::vector<std::size_t> channels =
      call->media.empty() ? extraction.stereoChannels("", 0, &notes)
                          : extraction.stereoChannels(call->media.front().address,
                                                      call->media.front().port, &notes);
  for (const auto& n : notes) std::fprintf(stderr, "netlens-node: note: %s\n", n.c_str());
  return writeFile(extraction, out, mp3, channels);
}

}  // namespace netlens::node::cli
