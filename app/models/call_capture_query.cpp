// SPDX-License-Identifier: MIT
#include "app/models/call_capture_query.h"

#include <algorithm>
#include <cstdio>

#include "shared/protocol/param_text.h"

namespace netlens::app::models {

CaptureQuery CallQueries::pcapOf(const protocol::CallRecord& call,
                                 const std::vector<protocol::RtpStreamRecord>& streams) {
  const QString id = QString::fromStdString(call.callId);
  CaptureQuery q{tr("call %1").arg(id), CaptureQueries::safeStem(QStringLiteral("call-") + id), {}};
  std::vector<CaptureQueries::Flow> flows;
  for (const auto& m : call.messages)
    flows.push_back({m.transport, m.srcIp, m.srcPort, m.dstIp, m.dstPort});
  for (const auto& s : streams) flows.push_back({17, s.srcIp, s.srcPort, s.dstIp, s.dstPort});
  std::size_t named = 0;
  q.params["connection"] = CaptureQueries::connectionList(flows, &named);
  if (named == 0) return {};
  protocol::TimeNs from = call.start;
  protocol::TimeNs to = std::max(call.lastSeen, call.ended);
  for (const auto& m : call.messages) {
    from = std::min(from, m.time);
    to = std::max(to, m.time);
  }
  for (const auto& s : streams) {
    from = std::min(from, s.firstSeen);
    to = std::max(to, s.lastSeen);
  }
  if (from > 0) q.params["from"] = std::to_string(from);
  // A running call goes on: everything the ring holds from its start.
  if (call.ended != 0 && to > 0) q.params["to"] = std::to_string(to);
  return q;
}

CaptureQuery CallQueries::audioOfCall(const protocol::CallRecord& call) {
  const QString id = QString::fromStdString(call.callId);
  CaptureQuery q{
      tr("audio of call %1").arg(id), CaptureQueries::safeStem(QStringLiteral("call-") + id), {}};
  q.params["call"] = call.callId;
  return q;
}

CaptureQuery CallQueries::audioOfStream(const protocol::RtpStreamRecord& stream) {
  char ssrc[16];
  std::snprintf(ssrc, sizeof ssrc, "0x%08x", stream.ssrc);
  const QString text = QString::fromLatin1(ssrc);
  CaptureQuery q{tr("audio of stream %1").arg(text),
                 CaptureQueries::safeStem(QStringLiteral("stream-") + text),
                 {}};
  q.params["ssrc"] = ssrc;
  q.params["src"] = protocol::formatEndpointText(stream.srcIp, stream.srcPort);
  q.params["dst"] = protocol::formatEndpointText(stream.dstIp, stream.dstPort);
  return q;
}

}  // namespace netlens::app::models
