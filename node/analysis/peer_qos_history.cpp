// SPDX-License-Identifier: MIT
#include "node/analysis/peer_qos_history.h"

namespace netlens::node::analysis {

PeerQosHistory::PeerQosHistory(const PeerQosHistoryConfig& config)
    : m_peers(config.peerHistories, config.history, config.reclaimIdleNs),
      m_qos(config.qosHistories, config.history, config.reclaimIdleNs) {}

void PeerQosHistory::process(const FlowSegment& s) {
  if (m_peers.capacity() != 0) {
    const bool srcIsA = s.src <= s.dst;
    const PeerKey key = srcIsA ? PeerKey{s.src, s.dst} : PeerKey{s.dst, s.src};
    if (std::uint64_t* row = m_peers.rowFor(key, s.ts)) {
      // An address talking to itself sends and receives each packet, as in the host table.
      for (const std::size_t at : {std::size_t{srcIsA ? 0u : 2u}, std::size_t{srcIsA ? 2u : 0u}}) {
        ++row[at];
        row[at + 1] += s.wireLength;
        if (s.src != s.dst) break;
      }
    }
  }
  if (m_qos.capacity() == 0) return;
  countQos(s, QosLayer::Dscp, s.dscp);
  if (s.vlanPcp >= 0) countQos(s, QosLayer::VlanPcp, static_cast<std::uint8_t>(s.vlanPcp));
  if (s.mplsTc >= 0) countQos(s, QosLayer::MplsTc, static_cast<std::uint8_t>(s.mplsTc));
}

void PeerQosHistory::countQos(const FlowSegment& s, QosLayer layer, std::uint8_t value) {
  const auto l = static_cast<std::uint8_t>(layer);
  if (std::uint64_t* row = m_qos.rowFor(QosKey{s.src, l, value}, s.ts)) {
    ++row[0];
    row[1] += s.wireLength;
  }
  if (std::uint64_t* row = m_qos.rowFor(QosKey{s.dst, l, value}, s.ts)) {
    ++row[2];
    row[3] += s.wireLength;
  }
}

const std::vector<std::string>& PeerQosHistory::peerNames() {
  static const std::vector<std::string> names{"tx_packets", "tx_bytes", "rx_packets", "rx_bytes"};
  return names;
}

const std::vector<std::string>& PeerQosHistory::qosNames() {
  return peerNames();
}

const char* PeerQosHistory::layerName(QosLayer layer) {
  switch (layer) {
    case QosLayer::Dscp:
      return "dscp";
    case QosLayer::VlanPcp:
      return "vlan_pcp";
    case QosLayer::MplsTc:
      return "mpls_tc";
  }
  return "dscp";
}

const History* PeerQosHistory::peerHistory(const net::IpAddress& ip, const net::IpAddress& peer,
                                           bool* swapped, bool* complete) const {
  *swapped = !(ip <= peer);
  return m_peers.find(*swapped ? PeerKey{peer, ip} : PeerKey{ip, peer}, complete);
}

const History* PeerQosHistory::qosHistory(const net::IpAddress& ip, QosLayer layer,
                                          std::uint8_t value, bool* complete) const {
  return m_qos.find(QosKey{ip, static_cast<std::uint8_t>(layer), value}, complete);
}

}  // namespace netlens::node::analysis
