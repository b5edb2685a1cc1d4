// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>

namespace netlens::audio {

/// Mono 16-bit PCM produced on demand, front to back. Not thread-safe.
class PcmSource {
 public:
  virtual ~PcmSource() = default;
  virtual std::uint32_t sampleRate() const = 0;
  /// Samples read() gives in all.
  virtual std::uint64_t totalSamples() const = 0;
  /// Up to `max` next samples into `out`; 0 at the end.
  virtual std::size_t read(std::int16_t* out, std::size_t max) = 0;
};

}  // namespace netlens::audio
