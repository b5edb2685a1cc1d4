// SPDX-License-Identifier: MIT
#include "shared/stats/connection_merge.h"

#include <algorithm>

namespace netlens::stats {

namespace {
void mergeTcp(protocol::TcpDirectionStats& into, const protocol::TcpDirectionStats& from) {
  into.retransmissions += from.retransmissions;
  into.fastRetransmissions += from.fastRetransmissions;
  into.spuriousRetransmissions += from.spuriousRetransmissions;
  into.outOfOrder += from.outOfOrder;
  into.retransmittedBytes += from.retransmittedBytes;
  into.windowFull += from.windowFull;
  into.zeroWindow += from.zeroWindow;
  into.maxWindow = std::max(into.maxWindow, from.maxWindow);
  // A known shift wins over "no scaling" (-2), which wins over "unknown" (-1).
  if (into.windowScale == -1 || (into.windowScale == -2 && from.windowScale >= 0))
    into.windowScale = from.windowScale;
}
/// The two parts' markings of one direction: `into`'s values (or `from`'s when `into` saw no
/// packet), changed when either part changed or the parts disagree.
void mergeQos(protocol::QosInfo& into, const protocol::QosInfo& from) {
  if (from.dscp < 0) return;
  if (into.dscp < 0) {
    into = from;
    return;
  }
  into.dscpChanged = into.dscpChanged || from.dscpChanged || into.dscp != from.dscp;
  into.vlanPcpChanged = into.vlanPcpChanged || from.vlanPcpChanged || into.vlanPcp != from.vlanPcp;
  into.mplsTcChanged = into.mplsTcChanged || from.mplsTcChanged || into.mplsTc != from.mplsTc;
  into.mplsLabelsChanged =
      into.mplsLabelsChanged || from.mplsLabelsChanged || into.mplsLabels != from.mplsLabels;
}

}  // namespace

std::string connectionIdentity(const protocol::ConnectionRecord& r) {
  std::string id;
  id.reserve(48);
  id += std::to_string(r.protocol);
  id += ' ';
  id += r.clientIp.toString();
  id += ' ';
  id += std::to_string(r.clientPort);
  id += ' ';
  id += r.serverIp.toString();
  id += ' ';
  id += std::to_string(r.serverPort);
  id += ' ';
  id += std::to_string(r.vlan);
  return id;
}

void mergeConnectionRecord(protocol::ConnectionRecord& into,
                           const protocol::ConnectionRecord& from) {
  into.firstSeen = std::min(into.firstSeen, from.firstSeen);
  into.lastSeen = std::max(into.lastSeen, from.lastSeen);
  into.c2sPackets += from.c2sPackets;
  into.c2sBytes += from.c2sBytes;
  into.s2cPackets += from.s2cPackets;
  into.s2cBytes += from.s2cBytes;
  into.c2sBitsPerSecond += from.c2sBitsPerSecond;
  into.s2cBitsPerSecond += from.s2cBitsPerSecond;
  mergeTcp(into.c2sTcp, from.c2sTcp);
  mergeTcp(into.s2cTcp, from.s2cTcp);
  if (into.handshakeServerNs < 0) {
    into.handshakeServerNs = from.handshakeServerNs;
    into.handshakeClientNs = from.handshakeClientNs;
  }
  if (into.state.empty() || into.state == "midstream") {
    if (!from.state.empty()) into.state = from.state;
  }
  if (into.app.empty()) into.app = from.app;
  if (into.clientCountry.empty()) into.clientCountry = from.clientCountry;
  if (into.serverCountry.empty()) into.serverCountry = from.serverCountry;
  if (into.clientGroup.empty()) into.clientGroup = from.clientGroup;
  if (into.serverGroup.empty()) into.serverGroup = from.serverGroup;
  mergeQos(into.c2sQos, from.c2sQos);
  mergeQos(into.s2cQos, from.s2cQos);
}

}  // namespace netlens::stats
