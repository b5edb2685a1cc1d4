// SPDX-License-Identifier: MIT
#include "node/store/connection_match.h"

#include <algorithm>
#include <unordered_map>

#include "node/store/index_sessions.h"
#include "shared/decoder/decoded_packet.h"
#include "shared/net/address_order.h"

namespace netlens::node::store {

ConnectionMatcher::Key ConnectionMatcher::keyOf(std::uint8_t protocol, const net::IpAddress& x,
                                                std::uint16_t xPort, const net::IpAddress& y,
                                                std::uint16_t yPort) {
  // Both directions are one key, as the index's sessions order their ends.
  const auto c = protocol::lowerEndFirst({protocol, x, xPort, y, yPort});
  return Key{c.protocol, c.a, c.aPort, c.b, c.bPort};
}

ConnectionMatcher::ConnectionMatcher(const std::vector<protocol::ConnectionText>& connections) {
  m_ends.reserve(connections.size());
  m_pairs.reserve(connections.size());
  for (const auto& c : connections) {
    m_ends.push_back(keyOf(c.protocol, c.a, c.aPort, c.b, c.bPort));
    m_pairs.push_back(keyOf(c.protocol, c.a, 0, c.b, 0));
  }
  const SessionKeyLess less;
  const auto equal = [&](const Key& x, const Key& y) { return !less(x, y) && !less(y, x); };
  for (auto* table : {&m_ends, &m_pairs}) {
    std::sort(table->begin(), table->end(), less);
    table->erase(std::unique(table->begin(), table->end(), equal), table->end());
  }
}

bool ConnectionMatcher::contains(const std::vector<Key>& table, const Key& key) const {
  const SessionKeyLess less;
  const auto it = std::lower_bound(table.begin(), table.end(), key, less);
  return it != table.end() && !less(key, *it);
}

bool ConnectionMatcher::matches(const decoder::DecodedPacket& packet) const {
  if (!packet.hasIp()) return false;
  const auto& ip = packet.innermostIp();
  const auto& t = packet.transport;
  if (t.hasPorts())
    return contains(m_ends, keyOf(ip.protocol, ip.src, t.srcPort, ip.dst, t.dstPort));
  // A later fragment; a first one whose ports were not captured, or a protocol without ports
  // (its connections are named with ports 0, so both tables hold it).
  return contains(m_pairs, keyOf(ip.protocol, ip.src, 0, ip.dst, 0));
}

std::vector<net::IpAddress> ConnectionMatcher::anchors(
    const std::vector<protocol::ConnectionText>& connections) {
  std::unordered_map<net::IpAddress, std::size_t, net::IpAddressHash> shared;
  shared.reserve(2 * connections.size());
  for (const auto& c : connections) {
    ++shared[c.a];
    if (c.b != c.a) ++shared[c.b];
  }
  std::vector<net::IpAddress> out;
  out.reserve(connections.size());
  for (const auto& c : connections) out.push_back(shared[c.a] >= shared[c.b] ? c.a : c.b);
  std::sort(out.begin(), out.end(), [](const net::IpAddress& x, const net::IpAddress& y) {
    return net::compareAddresses(x, y) < 0;
  });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace netlens::node::store
