// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <tuple>
#include <vector>

#include "node/analysis/flow_segment.h"
#include "shared/voip/rtcp.h"

namespace netlens::node::analysis {

/// Round trips RTCP measured for one media stream: a receiver (`reporterIp`) echoed the sender
/// reports of `sourceSsrc`, sent by `senderIp`.
struct RtcpRoundTrip {
  std::uint32_t sourceSsrc = 0;
  net::IpAddress senderIp;
  net::IpAddress reporterIp;
  std::uint64_t samples = 0;
  double sumMs = 0;
  double maxMs = 0;
  protocol::TimeNs lastSeen = 0;  ///< packet time of the latest report
  friend bool operator==(const RtcpRoundTrip&, const RtcpRoundTrip&) = default;
};

/// The round-trip time RTCP reports give, measured at the capture point as Wireshark does it
/// (`rtcp.roundtrip-delay`): a receiver report block's LSR names a sender report by the middle
/// 32 bits of its NTP time; the time between that SR and the report block's packet, on the
/// capture clock, less the receiver's DLSR (its holding time), is the round trip between
/// the media sender and the receiver as seen from where the capture is. Nothing depends on
/// the endpoints' clocks. A negative result (capture not on the path, or rounding of DLSR)
/// counts as 0.
///
/// As Wireshark, an SR counts only for reports that come back on its own RTCP flow (the
/// reverse direction of the same addresses and ports): a relay that forwards another party's
/// reports with their SSRCs and NTP times does not make a round trip of its own hop.
///
/// A UDP datagram is RTCP when it parses as a compound packet (voip::parseRtcp): version 2,
/// starting with an SR or RR, packet lengths adding up to the datagram. The SR and its
/// answers travel in both directions of one RTCP flow, so one worker (sharded by the
/// symmetric flow hash) sees both.
///
/// Bounded: at most kMaxSenderReports remembered SRs (the oldest go first) and kMaxStreams
/// streams with round trips, as many as the RTP analysis follows; beyond that the stream
/// reported on longest ago is forgotten (counted in overflow()).
/// Not thread-safe: owned by its worker.
class RtcpTracker {
 public:
  static constexpr std::size_t kMaxSenderReports = 1 << 14;
  static constexpr std::size_t kMaxStreams = 1 << 16;

  /// True when the datagram was RTCP (it is then nobody else's).
  bool process(const FlowSegment& segment);
  /// Every stream's round trips, appended to `out`.
  void collect(std::vector<RtcpRoundTrip>& out) const;

  std::uint64_t packets() const { return m_packets; }
  std::uint64_t overflow() const { return m_overflow; }

 private:
  struct Sent {
    protocol::TimeNs ts = 0;
    net::IpAddress sender;
  };
  /// SSRC, NTP middle 32 bits, and the RTCP flow it went on (source, then destination
  /// address and port): only a report coming back on that flow answers it.
  using SrKey = std::tuple<std::uint32_t, std::uint32_t, net::IpAddress, std::uint16_t,
                           net::IpAddress, std::uint16_t>;
  using StreamKey = std::tuple<std::uint32_t, net::IpAddress, net::IpAddress>;

  std::map<SrKey, Sent> m_senderReports;
  std::vector<SrKey> m_order;  ///< ring of the keys in arrival order, for the bound
  std::size_t m_next = 0;
  std::map<StreamKey, RtcpRoundTrip> m_trips;
  voip::RtcpCompound m_compound;  // scratch
  std::uint64_t m_packets = 0;
  std::uint64_t m_overflow = 0;
};

/// Gives each stream the mean and maximum RTCP round trip of its own reports (same SSRC,
/// sender = the stream's source, reporter = its destination); streams without any keep none.
void applyRtcpRoundTrips(std::vector<protocol::RtpStreamRecord>& streams,
                         const std::vector<RtcpRoundTrip>& trips);

}  // namespace netlens::node::analysis
