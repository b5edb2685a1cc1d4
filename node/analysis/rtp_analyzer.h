// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "node/analysis/flow_segment.h"
#include "node/analysis/rtp_quality.h"
#include "node/analysis/voip_records.h"
#include "shared/voip/rtp_header.h"

namespace netlens::node::analysis {

/// RTP stream analysis of one worker: finds RTP in UDP datagrams on any port and keeps, per
/// stream (SSRC + directional 5-tuple), the figures of Wireshark's RTP stream analysis
/// (sequence-number loss, max delta, RFC 3550 jitter as Wireshark computes it).
///
/// Detection. A directional UDP flow is RTP when an SDP announced one of its endpoints
/// (SdpMediaRegistry), or when kConfirmPackets consecutive datagrams parse as RTP version 2
/// with one SSRC and sequence numbers advancing by 1..kMaxSeqStep. Figures count from the
/// first datagram of a flow (kept while it is a candidate); a flow that keeps failing
/// (kMaxCandidateMisses datagrams that are not RTP, or too many SSRCs) is marked not-RTP and
/// its candidate streams are dropped. Not-RTP datagrams on an RTP flow are counted and
/// skipped.
///
/// Bounded: at most kMaxFlows tracked flows and kMaxStreams streams (more are counted in
/// overflow()); candidate and not-RTP flows idle for kIdleNs are forgotten; the quality
/// trackers' gaps and series share one RtpQualityBudget.
/// Not thread-safe: owned by its worker; read under the worker's lock.
class RtpAnalyzer {
 public:
  static constexpr int kConfirmPackets = 4;
  static constexpr std::uint16_t kMaxSeqStep = 16;
  static constexpr int kMaxCandidateMisses = 8;
  static constexpr int kMaxCandidateSsrcs = 4;
  static constexpr std::size_t kMaxFlows = 1 << 16;
  /// RTP and RTCP use dynamic ports: a datagram to or from a lower port is never RTP, even
  /// where an SDP names that port.
  static constexpr std::uint16_t kMinRtpPort = 1024;
  static constexpr std::size_t kMaxStreams = 1 << 16;
  static constexpr std::int64_t kIdleNs = 60'000'000'000;

  /// `registry` may be null (no SDP knowledge); `jitterBuffer` is simulated for every stream.
  explicit RtpAnalyzer(std::shared_ptr<const SdpMediaRegistry> registry = nullptr,
                       JitterBufferConfig jitterBuffer = {});
  ~RtpAnalyzer();
  RtpAnalyzer(const RtpAnalyzer&) = delete;
  RtpAnalyzer& operator=(const RtpAnalyzer&) = delete;

  /// One UDP segment with its captured payload (others are ignored). True when it was
  /// counted in an RTP stream (confirmed or candidate).
  bool process(const FlowSegment& segment);

  /// Streams of confirmed flows, unordered; codec, clock rate and call are filled from the
  /// registry as it is now. The E-model figures are left to assessRtpQuality() (it needs the
  /// streams of every worker); the gaps, runs, jitter-buffer figures and series are filled.
  void collect(std::vector<RtpStreamRecord>& out) const;

  std::uint64_t nonRtpOnRtpFlows() const { return m_nonRtp; }
  std::uint64_t overflow() const { return m_overflow; }

  struct FlowKey {
    net::IpAddress src, dst;
    std::uint16_t srcPort = 0, dstPort = 0;
    friend bool operator==(const FlowKey&, const FlowKey&) = default;
  };
  struct FlowKeyHash {
    std::size_t operator()(const FlowKey& k) const noexcept;
  };
  struct Stream;
  struct Flow;

 private:
  Flow* flowFor(const FlowSegment& s);
  void sweep(std::int64_t now);
  void dropStreams(Flow& flow);
  /// Clock rate of `pt` in this flow (0: unknown or telephone-event, no jitter).
  std::uint32_t clockRateOf(Flow& flow, std::uint8_t pt) const;

  std::shared_ptr<const SdpMediaRegistry> m_registry;
  JitterBufferConfig m_jitterBuffer;
  RtpQualityBudget m_budget;
  std::unordered_map<FlowKey, std::unique_ptr<Flow>, FlowKeyHash> m_flows;
  std::size_t m_streamCount = 0;
  std::uint64_t m_nonRtp = 0;
  std::uint64_t m_overflow = 0;
  std::int64_t m_lastSweep = 0;
  voip::RtpHeader m_header;  // scratch
};

}  // namespace netlens::node::analysis
