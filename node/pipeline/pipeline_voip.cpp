// SPDX-License-Identifier: MIT
// Pipeline: RTP streams, SIP counters and calls, joined over the workers.
#include <algorithm>
#include <map>
#include <vector>

#include "node/analysis/voip_calls.h"
#include "node/pipeline/pipeline_internal.h"

namespace netlens::node::pipeline {

std::vector<analysis::RtpStreamRecord> Pipeline::rtpStreams() const {
  std::vector<analysis::RtpStreamRecord> out;
  std::vector<analysis::RtcpRoundTrip> trips;
  for (const auto& w : m_workers) {
    std::lock_guard lock(w->mutex);
    w->rtp.collect(out);
    w->rtcp.collect(trips);
  }
  analysis::applyRtcpRoundTrips(out, trips);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.firstSeen, a.ssrc, a.srcIp, a.srcPort, a.dstIp, a.dstPort) <
           std::tie(b.firstSeen, b.ssrc, b.srcIp, b.srcPort, b.dstIp, b.dstPort);
  });
  analysis::assessRtpQuality(out, m_config.voip);
  return out;
}

analysis::SipCounters Pipeline::sipCounters() const {
  analysis::SipCounters sum;
  for (const auto& w : m_workers) {
    std::lock_guard lock(w->mutex);
    sum.add(w->sip.counters());
  }
  return sum;
}

std::vector<analysis::CallRecord> Pipeline::calls() const {
  std::map<std::string, analysis::SipCallEvents> events;
  for (const auto& w : m_workers) {
    std::lock_guard lock(w->mutex);
    w->sip.collectEvents(events);
  }
  const auto streams = rtpStreams();
  auto calls = analysis::buildCalls(events, streams);
  analysis::assessCallQuality(calls, streams);
  return calls;
}

}  // namespace netlens::node::pipeline
