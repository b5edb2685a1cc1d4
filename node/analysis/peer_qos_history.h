// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "node/analysis/flow_segment.h"
#include "node/analysis/host_table.h"
#include "node/analysis/keyed_history.h"
#include "shared/net/ip_address.h"

namespace netlens::node::analysis {

/// The QoS marking a class history belongs to: DSCP of the innermost IP header (layer 3),
/// PCP of the outermost VLAN tag or TC of the top MPLS label (layer 2), as FlowSegment has
/// them.
enum class QosLayer : std::uint8_t { Dscp = 0, VlanPcp = 1, MplsTc = 2 };

struct PeerQosHistoryConfig {
  /// Peer pairs with a history at a time, per worker (0: none).
  std::size_t peerHistories = 1024;
  /// (address, layer, class) triples with a history at a time, per worker (0: none).
  std::size_t qosHistories = 1024;
  HistoryGeometry history;
  /// How long a key must be quiet before another may take its history (KeyedHistories).
  protocol::TimeNs reclaimIdleNs = 60'000'000'000;
};

/// History per peer pair and per QoS class of an address, fed with the segments the
/// connection analysis counts (so a pair's buckets add up to what the address's connections
/// with that peer carried, the figures of IP detail's Peers tab).
///
/// - Peer pair: the two addresses of the innermost IP header, unordered; counters "a → b
///   packets, bytes, b → a packets, bytes" with a < b, turned to the asking address's view
///   (tx = to the peer) by peerHistory().
/// - QoS class: per address, layer and marking value, tx packets/bytes (packets the address
///   sent with that marking) and rx packets/bytes (received with it). Every packet counts
///   under the marking it carries (not the connection's latest one), so a class's buckets
///   always add up to what carried the marking.
///
/// Both are bounded by their own budget (KeyedHistories: the least recently active key
/// gives its history up once it has been quiet for a minute of packet time).
///
/// Thread: owned by one worker, read under its lock.
class PeerQosHistory {
 public:
  explicit PeerQosHistory(const PeerQosHistoryConfig& config);

  void process(const FlowSegment& s);

  /// Names of a peer series: from `ip`'s point of view.
  static const std::vector<std::string>& peerNames();
  /// Names of a QoS class series (the address's traffic with that marking).
  static const std::vector<std::string>& qosNames();
  /// "dscp", "vlan_pcp", "mpls_tc".
  static const char* layerName(QosLayer layer);

  /// The history of the pair (ip, peer), in the order of peerNames(), or nullptr.
  /// `*swapped`: the stored counters are the peer's view (swap tx and rx before use).
  const History* peerHistory(const net::IpAddress& ip, const net::IpAddress& peer, bool* swapped,
                             bool* complete) const;
  /// The history of `ip`'s class `value` of `layer`, or nullptr.
  const History* qosHistory(const net::IpAddress& ip, QosLayer layer, std::uint8_t value,
                            bool* complete) const;

  /// Whether the peer (QoS) budget has turned a key away or taken a history from one: a key
  /// this worker has no history of may then have had traffic here.
  bool peersMayMiss() const { return m_peers.hasLost(); }
  bool qosMayMiss() const { return m_qos.hasLost(); }
  std::size_t peerCount() const { return m_peers.size(); }
  std::size_t qosCount() const { return m_qos.size(); }
  std::uint64_t peerEvictions() const { return m_peers.evictions(); }
  std::uint64_t qosEvictions() const { return m_qos.evictions(); }
  std::size_t memoryBytes() const { return m_peers.memoryBytes() + m_qos.memoryBytes(); }

 private:
  struct PeerKey {
    net::IpAddress a;  ///< a < b
    net::IpAddress b;
    friend bool operator==(const PeerKey& x, const PeerKey& y) {
      return isSameAddress(x.a, y.a) && isSameAddress(x.b, y.b);
    }
  };
  struct PeerKeyHash {
    std::size_t operator()(const PeerKey& k) const noexcept {
      const net::IpAddressHash h;
      return h(k.a) * 0x9E3779B97F4A7C15ull ^ h(k.b);
    }
  };
  struct QosKey {
    net::IpAddress ip;
    std::uint8_t layer = 0;
    std::uint8_t value = 0;
    friend bool operator==(const QosKey& x, const QosKey& y) {
      return x.layer == y.layer && x.value == y.value && isSameAddress(x.ip, y.ip);
    }
  };
  struct QosKeyHash {
    std::size_t operator()(const QosKey& k) const noexcept {
      return net::IpAddressHash{}(k.ip) ^
             ((std::size_t{k.layer} << 8 | k.value) * 0xC2B2AE3D27D4EB4Full);
    }
  };
  void countQos(const FlowSegment& s, QosLayer layer, std::uint8_t value);

  KeyedHistories<PeerKey, PeerKeyHash> m_peers;
  KeyedHistories<QosKey, QosKeyHash> m_qos;
};

}  // namespace netlens::node::analysis
