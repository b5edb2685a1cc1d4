// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "node/analysis/jitter_buffer.h"
#include "node/analysis/voip_records.h"

namespace netlens::node::analysis {

/// What the MOS assessment assumes (`--jitter-buffer`, `--network-delay`).
struct VoipQualityConfig {
  JitterBufferConfig jitterBuffer;
  /// One-way network delay added to the jitter buffer's and the packet's own duration for the
  /// E-model's Ta: a capture point sees neither end's access network.
  double networkDelayMs = 20;
};

/// Memory the quality trackers of one analyser may take for loss gaps and per-second series
/// together; a tracker that finds none left keeps fewer seconds (its ring stops growing) and
/// fewer gaps (later ones count as network loss).
struct RtpQualityBudget {
  std::size_t bytesLeft = 64u << 20;
};

/// Follows one RTP stream packet by packet for the E-model: sequence gaps (kept for the
/// capture-loss rule), a simulated jitter buffer, loss runs for the burst ratio and the
/// per-second series (a ring of the last kSeriesSeconds seconds).
/// Not thread-safe: owned by the RtpAnalyzer's stream.
class RtpQualityTracker {
 public:
  static constexpr std::size_t kSeriesSeconds = 3600;
  static constexpr std::size_t kMaxGaps = 256;

  explicit RtpQualityTracker(const JitterBufferConfig& jitterBuffer) : m_buffer(jitterBuffer) {}

  /// One packet in capture order, with the stream's RFC 3550 jitter after it (ms) and its
  /// G.711 peak |pcm| (-1: no G.711 audio). A clock rate of 0 (unknown) leaves the jitter
  /// buffer out: nothing counts as late.
  void add(std::int64_t timeNs, std::uint16_t sequence, std::uint32_t timestamp, bool marker,
           std::uint32_t clockRate, double jitterMs, RtpQualityBudget& budget,
           std::int32_t peak = -1);

  /// What the tracker took from its budget (to give back when the stream is dropped).
  std::size_t budgetBytes() const {
    return m_series.size() * sizeof(RtpSecond) + m_gaps.size() * sizeof(RtpGap);
  }

  /// Fills the tracker's fields of a record (gaps, runs, discards, buffer delay, series).
  void fill(RtpStreamRecord& r) const;

 private:
  RtpSecond& second(std::int64_t timeNs, RtpQualityBudget& budget);

  JitterBuffer m_buffer;
  std::int64_t m_lastNs = 0;
  std::int64_t m_highest = -1;     ///< extended sequence number
  std::int64_t m_arrivalBase = 0;  ///< packet time of the first packet
  std::uint32_t m_lastTimestamp = 0;
  std::int64_t m_extendedTimestamp = 0;
  bool m_lastLost = false;  ///< the previous position in the sequence was not played
  std::uint64_t m_lossRuns = 0;
  std::int64_t m_runLost = 0;
  std::uint64_t m_gapsDropped = 0;
  double m_packetMs = 0;
  std::uint32_t m_packetMsVotes = 0;
  std::vector<RtpGap> m_gaps;
  std::vector<RtpSecond> m_series;  ///< ring
  std::size_t m_seriesHead = 0;     ///< index of the oldest second once the ring is full
  std::int64_t m_seriesFirst = 0;   ///< second number (packet time / 1 s) of the oldest
  std::int64_t m_seriesLast = -1;   ///< second number of the newest
};

/// The capture-loss rule and the E-model over the streams of a report (all workers'):
/// - a sequence gap is capture loss when at least two streams are concurrent (a packet
///   before and after it) and every concurrent stream has a gap whose interval (last packet
///   before, first after) overlaps a common instant with it; its packets become
///   `captureLost` and leave the loss, the loss runs and the series;
/// - Ppl = (lost − capture lost + jitter-buffer discards) / expected, BurstR from the loss
///   runs (at least 1), Ta = network delay + jitter-buffer delay + packet duration (T = Ta,
///   Tr = 2·Ta), Ie and Bpl from the codec (ITU-T G.113 Appendix I); every other parameter at
///   its G.107 default. No MOS for codecs without G.113 values or streams of fewer than two
///   packets. The gaps are cleared afterwards. Thread-safe (no state).
void assessRtpQuality(std::vector<RtpStreamRecord>& streams, const VoipQualityConfig& config);

/// Per call, MOS per direction (sender address): the lowest MOS of the call's streams from
/// that sender. Thread-safe (no state).
void assessCallQuality(std::vector<CallRecord>& calls, const std::vector<RtpStreamRecord>& streams);

}  // namespace netlens::node::analysis
