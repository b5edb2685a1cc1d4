// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "shared/audio/audio_export.h"
#include "shared/protocol/messages.h"

namespace netlens::audio {

/// The audio of a node's "audio" answer: takes its pages in order (addPage), then writes
/// the files as the offline `audio` command does (a stream mono; a call stereo or one file
/// per stream). Used by `query URL audio` and the console's Save audio.
/// Not thread-safe: one thread feeds and writes it.
class RemoteAudio {
 public:
  explicit RemoteAudio(AssemblerLimits limits = {}) : m_limits(limits) {}

  /// One page. The first names the streams and prepares their decoders; the others must
  /// name the same streams. False with `error` (a codec that is not decoded, a page that does
  /// not fit the first).
  bool addPage(const protocol::AudioChunk& page, std::string* error);

  bool isCall() const { return !m_callId.empty(); }
  std::uint64_t packets() const { return m_packets; }
  std::uint64_t payloadBytes() const { return m_bytes; }
  std::uint64_t estimatedPackets() const { return m_estimated; }
  const AudioExport& audio() const { return m_export; }

  /// Places the packets and writes `path` (a stream: mono; a call: stereo, or with
  /// `separate` one mono file per stream named by separateFileName). `written` gets the
  /// paths written, `messages` the summaries, notes and warnings. False with `error` (no
  /// page, no audio, a file that cannot be written: nothing is left under its name).
  bool write(const std::string& path, bool mp3, bool separate, std::vector<std::string>* written,
             std::vector<std::string>* messages, std::string* error);

 private:
  AssemblerLimits m_limits;
  AudioExport m_export;
  bool m_opened = false;
  std::string m_callId;
  std::string m_callerAddress;
  std::uint16_t m_callerPort = 0;
  std::vector<protocol::AudioStream> m_streams;
  std::uint64_t m_packets = 0;
  std::uint64_t m_bytes = 0;
  std::uint64_t m_estimated = 0;
};

}  // namespace netlens::audio
