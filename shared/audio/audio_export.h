// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "shared/audio/stream_assembler.h"
#include "shared/net/ip_address.h"

namespace netlens::audio {

/// A stream to export, as the RTP analysis describes it.
struct ExportStream {
  std::uint32_t ssrc = 0;
  net::IpAddress srcIp;
  std::uint16_t srcPort = 0;
  net::IpAddress dstIp;
  std::uint16_t dstPort = 0;
  std::string codec;  ///< encoding name of payloadType ("" unknown)
  std::uint8_t payloadType = 0;
  std::vector<std::uint8_t> payloadTypes;
  std::uint64_t packets = 0;
};

/// An SSRC written as "0x1a2b3c4d" (hex, 1 to 8 digits) or in decimal; false otherwise.
bool parseSsrc(const std::string& text, std::uint32_t* out);
/// "0x1a2b3c4d".
std::string hexSsrc(std::uint32_t ssrc);
/// "0x1a2b3c4d (10.0.0.1:4000 -> 10.0.0.2:5000, PCMU, 250 packets)".
std::string describeStream(const ExportStream& stream);
/// OUT.mp3 → OUT-0x1a2b3c4d.mp3: the SSRC goes before the extension.
std::string separateFileName(const std::string& path, std::uint32_t ssrc);

/// The audio of one stream or of a call's streams, from their RTP packets to MP3 or WAV
/// files: one StreamAssembler per stream, mixed to mono or stereo by ChannelMixer. The
/// offline `audio` command, `query URL audio` and the console's Save audio all use it, so
/// they choose codecs, channels and file names alike.
/// Not thread-safe: one thread feeds, finishes and writes it.
class AudioExport {
 public:
  /// Prepares a decoder per stream. False with `error` naming the stream and its codec when
  /// one is not PCMU, PCMA, G722 or G729.
  bool open(std::vector<ExportStream> streams, AssemblerLimits limits, std::string* error);

  std::size_t streamCount() const { return m_streams.size(); }
  const ExportStream& stream(std::size_t i) const { return m_streams[i].stream; }
  const StreamAssembler& assembler(std::size_t i) const { return *m_streams[i].assembler; }
  /// One packet of stream `i` (in capture order).
  void add(std::size_t i, const RtpAudioPacket& packet);
  /// Places every stream's packets. False with `error` when a stream has no audio at all;
  /// `warnings` gets what was cut or could not be decoded.
  bool finish(std::string* error, std::vector<std::string>* warnings);

  /// The streams of a stereo file: left caller → callee, right callee → caller, per
  /// direction the stream with most packets. Streams sent to the caller's media address (the
  /// call's first SDP) are the callee's direction; without such a stream the other direction
  /// is the stream from the first one's destination. One index: mono. `notes` names the
  /// streams left out.
  std::vector<std::size_t> stereoChannels(const std::string& callerMediaAddress,
                                          std::uint16_t callerMediaPort,
                                          std::vector<std::string>* notes) const;
  /// Writes streams `which` (1: mono, 2: left and right) to `path`, under a temporary name
  /// renamed when complete. `summary` describes what was written. False with `error`.
  bool write(const std::string& path, bool mp3, const std::vector<std::size_t>& which,
             std::string* summary, std::string* error);

 private:
  struct Entry {
    ExportStream stream;
    std::unique_ptr<StreamAssembler> assembler;
  };
  std::vector<Entry> m_streams;
  std::uint32_t m_maxSeconds = 0;
};

}  // namespace netlens::audio
