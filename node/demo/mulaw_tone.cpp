// SPDX-License-Identifier: MIT
#include "node/demo/mulaw_tone.h"

#include <cmath>
#include <numbers>

namespace netlens::node::demo {

namespace {

constexpr double kSampleRate = 8000.0;
constexpr int kBias = 0x84;
constexpr int kClip = 32635;

}  // namespace

MulawTone::MulawTone(double frequencyHz, double levelDbfs)
    : m_frequencyHz(frequencyHz), m_amplitude(32767.0 * std::pow(10.0, levelDbfs / 20.0)) {}

std::uint8_t MulawTone::encode(std::int16_t sample) {
  int value = sample;
  const int sign = value < 0 ? 0x80 : 0;
  if (value < 0) value = -value;
  if (value > kClip) value = kClip;
  value += kBias;
  int exponent = 7;
  for (int mask = 0x4000; (value & mask) == 0 && exponent > 0; mask >>= 1) --exponent;
  const int mantissa = (value >> (exponent + 3)) & 0x0F;
  return static_cast<std::uint8_t>(~(sign | (exponent << 4) | mantissa));
}

std::vector<std::uint8_t> MulawTone::nextFrame(std::size_t samples) {
  std::vector<std::uint8_t> frame(samples);
  for (auto& byte : frame) {
    // The phase comes from the sample index, not from a running sum, so long calls do not
    // accumulate rounding error and sin() always gets an argument in [0, 2*pi).
    const double cycles = static_cast<double>(m_sampleIndex) * m_frequencyHz / kSampleRate;
    const double phase = cycles - std::floor(cycles);
    const double value = m_amplitude * std::sin(2.0 * std::numbers::pi * phase);
    byte = encode(static_cast<std::int16_t>(std::lround(value)));
    ++m_sampleIndex;
  }
  return frame;
}

}  // namespace netlens::node::demo
