// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "shared/audio/pcm_source.h"

namespace netlens::audio {

/// Interleaves one or two mono sources into mono or stereo frames at one sample rate: each
/// source starts at its own capture time (the earliest at frame 0, the others after leading
/// silence), and a source at a lower rate that divides the output rate (8 kHz G.711 beside
/// 16 kHz G.722) is brought up by linear interpolation. Channels that end early are padded
/// with silence to the longest. Pulls from the sources on demand; holds one chunk of each.
/// Not thread-safe. The sources must outlive the mixer.
class ChannelMixer {
 public:
  struct Input {
    PcmSource* source = nullptr;
    std::int64_t startNs = 0;  ///< capture time of the source's first sample
  };

  /// False with `error` set when there is no input, more than two, or rates that do not
  /// divide the highest. A source starts at most `maxLeadSeconds` after the earliest.
  bool open(std::vector<Input> inputs, std::string* error, std::uint32_t maxLeadSeconds = 4 * 3600);

  int channels() const { return static_cast<int>(m_channels.size()); }
  std::uint32_t sampleRate() const { return m_rate; }
  std::uint64_t totalFrames() const { return m_totalFrames; }
  /// Up to `maxFrames` frames (channels() samples each, interleaved); 0 at the end.
  std::size_t read(std::int16_t* out, std::size_t maxFrames);

 private:
  struct Channel {
    PcmSource* source = nullptr;
    std::uint64_t leadFrames = 0;  ///< silence before the source
    std::uint32_t factor = 1;      ///< output samples per source sample
    std::uint64_t frames = 0;      ///< lead + source samples × factor
    std::int16_t previous = 0;
    bool hasPrevious = false;
    std::vector<std::int16_t> buffer;
    std::size_t bufferPos = 0;
    std::uint32_t phase = 0;  ///< output samples already made from buffer[bufferPos]
  };
  std::int16_t next(Channel& c, std::uint64_t frame);

  std::vector<Channel> m_channels;
  std::uint32_t m_rate = 0;
  std::uint64_t m_totalFrames = 0;
  std::uint64_t m_frame = 0;
};

}  // namespace netlens::audio
