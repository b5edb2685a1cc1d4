// SPDX-License-Identifier: MIT
#include "shared/audio/channel_mixer.h"

#include <algorithm>

namespace netlens::audio {

namespace {
constexpr std::size_t kChunk = 4096;
}

bool ChannelMixer::open(std::vector<Input> inputs, std::string* error,
                        std::uint32_t maxLeadSeconds) {
  m_channels.clear();
  if (inputs.empty() || inputs.size() > 2) {
    *error = "audio needs one or two streams";
    return false;
  }
  m_rate = 0;
  std::int64_t earliest = inputs.front().startNs;
  for (const Input& in : inputs) {
    if (in.source == nullptr || in.source->sampleRate() == 0) {
      *error = "a stream without audio";
      return false;
    }
    m_rate = std::max(m_rate, in.source->sampleRate());
    earliest = std::min(earliest, in.startNs);
  }
  m_totalFrames = 0;
  m_frame = 0;
  for (const Input& in : inputs) {
    if (m_rate % in.source->sampleRate() != 0) {
      *error = "cannot mix audio of " + std::to_string(in.source->sampleRate()) + " Hz with " +
               std::to_string(m_rate) + " Hz";
      return false;
    }
    Channel c;
    c.source = in.source;
    c.factor = m_rate / in.source->sampleRate();
    // The later stream begins after silence as long as the capture times lie apart (at most
    // maxLeadSeconds: streams days apart do not make a file of days).
    const std::int64_t apart =
        std::min<std::int64_t>(in.startNs - earliest, std::int64_t{maxLeadSeconds} * 1'000'000'000);
    c.leadFrames = static_cast<std::uint64_t>(apart / 1'000'000'000) * m_rate +
                   static_cast<std::uint64_t>(apart % 1'000'000'000) * m_rate / 1'000'000'000;
    c.frames = c.leadFrames + in.source->totalSamples() * c.factor;
    m_totalFrames = std::max(m_totalFrames, c.frames);
    m_channels.push_back(std::move(c));
  }
  return true;
}

std::int16_t ChannelMixer::next(Channel& c, std::uint64_t frame) {
  if (frame < c.leadFrames || frame >= c.frames) return 0;
  if (c.bufferPos >= c.buffer.size()) {
    c.buffer.resize(kChunk);
    c.buffer.resize(c.source->read(c.buffer.data(), kChunk));
    c.bufferPos = 0;
    c.phase = 0;
    if (c.buffer.empty()) return 0;  // the source gave less than it announced
  }
  const std::int16_t current = c.buffer[c.bufferPos];
  if (!c.hasPrevious) {
    c.previous = current;
    c.hasPrevious = true;
  }
  // Linear interpolation from the previous source sample up to this one.
  const std::int32_t value = c.previous + (current - c.previous) *
                                              static_cast<std::int32_t>(c.phase + 1) /
                                              static_cast<std::int32_t>(c.factor);
  if (++c.phase == c.factor) {
    c.phase = 0;
    c.previous = current;
    ++c.bufferPos;
  }
  return static_cast<std::int16_t>(value);
}

std::size_t ChannelMixer::read(std::int16_t* out, std::size_t maxFrames) {
  const std::size_t n =
      static_cast<std::size_t>(std::min<std::uint64_t>(maxFrames, m_totalFrames - m_frame));
  const std::size_t channels = m_channels.size();
  for (std::size_t i = 0; i < n; ++i, ++m_frame) {
    for (std::size_t ch = 0; ch < channels; ++ch)
      out[i * channels + ch] = next(m_channels[ch], m_frame);
  }
  return n;
}

}  // namespace netlens::audio
