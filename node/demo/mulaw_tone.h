// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <vector>

namespace netlens::node::demo {

/// A sine tone sampled at 8 kHz and encoded to G.711 µ-law, handed out in RTP-sized frames,
/// so exported demo audio is an audible tone at a known level.
class MulawTone {
 public:
  /// `frequencyHz` in (0, 4000); `levelDbfs` is the peak level relative to full scale.
  MulawTone(double frequencyHz, double levelDbfs);

  /// The next `samples` µ-law bytes (160 = 20 ms); the phase continues across calls.
  std::vector<std::uint8_t> nextFrame(std::size_t samples = 160);

  /// G.711 µ-law encoding of one 16-bit linear sample (ITU-T G.711, table 2).
  static std::uint8_t encode(std::int16_t sample);

 private:
  double m_frequencyHz;
  double m_amplitude;
  std::uint64_t m_sampleIndex = 0;
};

}  // namespace netlens::node::demo
