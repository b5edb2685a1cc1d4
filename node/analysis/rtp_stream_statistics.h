// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

namespace netlens::node::analysis {

/// The per-stream figures of an RTP stream analysis, defined the way Wireshark's RTP stream
/// analysis (and so `tshark -z rtp,streams`) defines them, so that both agree to the printed
/// precision:
/// - times are milliseconds since the stream's first packet;
/// - the RFC 3550 interarrival jitter J += (|D| - J) / 16, where D compares the arrival time
///   with the previous packet's arrival plus the RTP timestamp advance, converted to ms with
///   the *integer* clock rate in kHz (clockRate / 1000, as Wireshark does: 44.1 kHz counts as
///   44); no jitter for clock rate 0 (unknown payload types, telephone-event);
/// - "max delta" and "max/mean jitter" skip the first packet, packets with the marker bit,
///   comfort noise and the packet after it, and marked packets whose timestamp went back;
/// - mean jitter is updated on the packets that count for max jitter as
///   mean = (mean * n + J) / (n + 1), n the packets before this one not counting the first
///   (so with nothing skipped it is the plain mean of J over all packets but the first, and a
///   skipped packet still counts in n — Wireshark's weighting, kept for agreement);
/// - expected = last sequence number - first + 1, plus 65536 per wrap-around (a number
///   below the first one starts a cycle), lost = expected - packets (negative when
///   duplicates outnumber losses).
///
/// 100 bytes, no allocation. Not thread-safe.
class RtpStreamStatistics {
 public:
  /// One packet: its capture time, RTP header fields and the clock rate its payload type
  /// has (0 = unknown: no jitter from it).
  void add(std::int64_t timeNs, std::uint16_t sequence, std::uint32_t timestamp,
           std::uint8_t payloadType, bool marker, std::uint32_t clockRate);

  std::uint64_t packets() const { return m_packets; }
  std::int64_t expected() const;
  std::int64_t lost() const { return expected() - static_cast<std::int64_t>(m_packets); }
  std::uint64_t sequenceErrors() const { return m_sequenceErrors; }
  std::uint64_t duplicates() const { return m_duplicates; }
  double maxDeltaMs() const { return m_maxDelta; }
  double maxJitterMs() const { return m_maxJitter; }
  double meanJitterMs() const { return m_meanJitter; }
  double jitterMs() const { return m_jitter; }
  std::int64_t firstNs() const { return m_firstNs; }
  std::int64_t lastNs() const { return m_lastNs; }

 private:
  std::int64_t m_firstNs = 0;
  std::int64_t m_lastNs = 0;
  double m_time = 0;  ///< previous packet's arrival, ms since the first
  double m_lastNominal = 0;
  double m_jitter = 0;
  double m_delta = 0;
  double m_maxDelta = 0;
  double m_maxJitter = 0;
  double m_meanJitter = 0;
  std::uint64_t m_packets = 0;
  std::uint64_t m_sequenceErrors = 0;
  std::uint64_t m_duplicates = 0;
  std::uint32_t m_firstTimestamp = 0;
  std::uint32_t m_lastTimestamp = 0;
  std::uint32_t m_cycles = 0;
  std::uint16_t m_startSeq = 0;
  std::uint16_t m_stopSeq = 0;
  std::uint16_t m_seq = 0;  ///< last in-order sequence number
  std::uint8_t m_payloadType = 0;
  bool m_under = false;
};

}  // namespace netlens::node::analysis
