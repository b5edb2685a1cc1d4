// SPDX-License-Identifier: MIT
#pragma once

#include <cmath>
#include <cstdint>

namespace netlens::node::demo {

/// A splitmix64 stream: the demo's only source of randomness. Unlike the <random>
/// distributions, every result here is specified bit for bit, so the same seed gives the same
/// capture with any standard library. Cheap to copy; derive independent streams with fork().
class DemoRandom {
 public:
  explicit DemoRandom(std::uint64_t seed) : m_state(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  /// Uniform in [0, bound); bound 0 gives 0. The modulo bias is irrelevant for demo data.
  std::uint64_t below(std::uint64_t bound) { return bound == 0 ? 0 : next() % bound; }
  /// Uniform in [lo, hi] (inclusive).
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return hi <= lo
               ? lo
               : lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }
  /// Uniform in [0, 1) with 53 bits.
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double probability) { return unit() < probability; }
  /// Exponentially distributed with the given mean.
  double exponential(double mean) { return -mean * std::log1p(-unit()); }

  /// An independent stream for a sub-task, so adding draws in one place does not shift
  /// every later draw elsewhere.
  DemoRandom fork(std::uint64_t salt) {
    return DemoRandom(next() ^ (salt * 0xD6E8FEB86659FD93ull));
  }

 private:
  std::uint64_t m_state;
};

}  // namespace netlens::node::demo
