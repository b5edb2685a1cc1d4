// SPDX-License-Identifier: MIT
#include "node/analysis/rtcp_tracker.h"

#include <algorithm>

#include "shared/decoder/decoded_packet.h"

namespace netlens::node::analysis {

bool RtcpTracker::process(const FlowSegment& s) {
  if (s.protocol != decoder::ipproto::kUdp || s.payload == nullptr) return false;
  if (!voip::parseRtcp(s.payload, s.payloadLength, m_compound)) return false;
  ++m_packets;
  // Report blocks first: an SR may carry blocks answering the other side's earlier SR.
  for (const voip::RtcpReportBlock& b : m_compound.reports) {
    if (b.lastSr == 0) continue;  // no SR received yet
    const auto sr =
        m_senderReports.find({b.sourceSsrc, b.lastSr, s.dst, s.dstPort, s.src, s.srcPort});
    if (sr == m_senderReports.end() || sr->second.ts > s.ts) continue;
    const double holdMs = static_cast<double>(b.delaySinceLastSr) * 1000.0 / 65536.0;
    const double rttMs = std::max(0.0, static_cast<double>(s.ts - sr->second.ts) / 1e6 - holdMs);
    const StreamKey key{b.sourceSsrc, sr->second.sender, s.src};
    auto it = m_trips.find(key);
    if (it == m_trips.end()) {
      if (m_trips.size() >= kMaxStreams) {
        // Full: the stream reported on longest ago makes room (a scan, only when full).
        ++m_overflow;
        m_trips.erase(std::min_element(
            m_trips.begin(), m_trips.end(),
            [](const auto& a, const auto& b) { return a.second.lastSeen < b.second.lastSeen; }));
      }
      it = m_trips.emplace(key, RtcpRoundTrip{b.sourceSsrc, sr->second.sender, s.src}).first;
    }
    RtcpRoundTrip& trip = it->second;
    ++trip.samples;
    trip.lastSeen = s.ts;
    trip.sumMs += rttMs;
    trip.maxMs = std::max(trip.maxMs, rttMs);
  }
  for (const voip::RtcpSenderReport& sr : m_compound.senderReports) {
    const SrKey key{sr.ssrc, sr.ntpMiddle, s.src, s.srcPort, s.dst, s.dstPort};
    const auto [it, added] = m_senderReports.insert_or_assign(key, Sent{s.ts, s.src});
    if (!added) continue;
    if (m_order.size() < kMaxSenderReports) {
      m_order.push_back(key);
    } else {
      // Forget the oldest SR still remembered under its key (a key seen again was replaced
      // in place and keeps its old ring position: it goes a little early, which only costs
      // a sample).
      m_senderReports.erase(m_order[m_next]);
      m_order[m_next] = key;
      m_next = (m_next + 1) % kMaxSenderReports;
    }
  }
  return true;
}

void RtcpTracker::collect(std::vector<RtcpRoundTrip>& out) const {
  for (const auto& [key, trip] : m_trips) out.push_back(trip);
}

void applyRtcpRoundTrips(std::vector<protocol::RtpStreamRecord>& streams,
                         const std::vector<RtcpRoundTrip>& trips) {
  // Workers may each hold part of one stream's reports: sum them per stream first.
  std::map<std::tuple<std::uint32_t, net::IpAddress, net::IpAddress>, RtcpRoundTrip> byStream;
  for (const RtcpRoundTrip& t : trips) {
    RtcpRoundTrip& sum = byStream[{t.sourceSsrc, t.senderIp, t.reporterIp}];
    sum.samples += t.samples;
    sum.sumMs += t.sumMs;
    sum.maxMs = std::max(sum.maxMs, t.maxMs);
  }
  for (protocol::RtpStreamRecord& r : streams) {
    const auto it = byStream.find({r.ssrc, r.srcIp, r.dstIp});
    if (it == byStream.end() || it->second.samples == 0) {
      r.rtcpRttMs.reset();
      r.rtcpRttMaxMs = 0;
      r.rtcpRttSamples = 0;
      continue;
    }
    r.rtcpRttSamples = it->second.samples;
    r.rtcpRttMaxMs = it->second.maxMs;
    r.rtcpRttMs = it->second.sumMs / static_cast<double>(it->second.samples);
  }
}

}  // namespace netlens::node::analysis
