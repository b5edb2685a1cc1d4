// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace netlens::node::analysis {

/// How the receiver's jitter buffer is simulated (`--jitter-buffer fixed:MS|adaptive:MAXMS`).
struct JitterBufferConfig {
  enum class Mode : std::uint8_t { Fixed, Adaptive };
  Mode mode = Mode::Fixed;
  double delayMs = 50;  ///< fixed: the buffer's delay; adaptive: its maximum
  static constexpr double kMinDelayMs = 1;
  static constexpr double kMaxDelayMs = 2000;
  /// The adaptive buffer never plays out sooner than this after a packet's expected arrival.
  static constexpr double kAdaptiveFloorMs = 20;
};

/// "fixed:MS" or "adaptive:MAXMS", MS from kMinDelayMs to kMaxDelayMs (whole or decimal).
/// False with a reason in `error` otherwise.
bool parseJitterBufferSpec(std::string_view text, JitterBufferConfig* out, std::string* error);

/// A receiver's playout buffer fed with the packets of one RTP stream as they were captured:
/// says which packets come too late to be played.
///
/// With the transit n = arrival − media time (both ms; the media time from the RTP timestamp),
/// a packet is played when n ≤ P and discarded as late otherwise; P is the playout point:
/// - fixed D: P = n(first packet) + D, set again at a talkspurt start (marker bit);
/// - adaptive, maximum M: P = d + clamp(4·v, kAdaptiveFloorMs, M), with d and v the running
///   mean transit and mean deviation of Ramjee et al. (1994), algorithm 1
///   (d = α·d + (1 − α)·n, v = α·v + (1 − α)·|d − n|, α = 0.998002); P is moved at talkspurt
///   starts and otherwise at most once per second of packet time (as a time-stretching buffer
///   does).
/// A jump of the transit by more than kResyncMs (a new timestamp base, a clock step) starts
/// over from that packet instead of discarding everything after it.
/// Not thread-safe; 80 bytes, no allocation.
class JitterBuffer {
 public:
  static constexpr double kResyncMs = 2000;

  explicit JitterBuffer(JitterBufferConfig config = {}) : m_config(config) {}

  /// One packet in arrival order. True when it is discarded as late.
  bool add(double arrivalMs, double mediaMs, bool talkspurtStart);

  std::uint64_t discards() const { return m_discards; }
  /// The buffer delay (P − d for the adaptive one, D for the fixed one) averaged over packets.
  double meanDelayMs() const { return m_packets ? m_delaySum / static_cast<double>(m_packets) : 0; }

 private:
  void place(double transit, double arrivalMs);

  JitterBufferConfig m_config;
  double m_playout = 0;    ///< P
  double m_mean = 0;       ///< d
  double m_deviation = 0;  ///< v
  double m_delay = 0;      ///< current buffer delay
  double m_lastMoveMs = 0;
  double m_delaySum = 0;
  std::uint64_t m_packets = 0;
  std::uint64_t m_discards = 0;
};

}  // namespace netlens::node::analysis
