// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <tuple>
#include <vector>

#include "shared/net/ip_address.h"
#include "shared/protocol/param_text.h"

namespace netlens::decoder {
struct DecodedPacket;
}

namespace netlens::node::store {

/// The "connection" criterion of a search: a set of connections, both directions, that a
/// packet matches at its innermost IP header (so a tunnelled flow is found by its inner
/// addresses, as connection analysis counts it): same IP protocol, same two ends (address
/// and port for TCP, UDP and SCTP; address alone for other protocols). A later fragment of
/// a datagram has no ports: it matches when its protocol and addresses are a connection's
/// (another flow between the same two addresses then matches too). Looked up by binary
/// search in two sorted tables, O(log n) per packet read.
/// Thread: any; const after construction.
class ConnectionMatcher {
 public:
  explicit ConnectionMatcher(const std::vector<protocol::ConnectionText>& connections);
  bool matches(const decoder::DecodedPacket& packet) const;

  /// The addresses whose packets hold every connection's: of each connection, the end that
  /// most connections share (the host of an address's connections, once), each once. A search
  /// reads only packets to or from one of them.
  static std::vector<net::IpAddress> anchors(
      const std::vector<protocol::ConnectionText>& connections);

 private:
  /// (protocol, lower end, its port, higher end, its port); ports 0 in m_pairs.
  using Key =
      std::tuple<std::uint8_t, net::IpAddress, std::uint16_t, net::IpAddress, std::uint16_t>;
  static Key keyOf(std::uint8_t protocol, const net::IpAddress& x, std::uint16_t xPort,
                   const net::IpAddress& y, std::uint16_t yPort);
  bool contains(const std::vector<Key>& table, const Key& key) const;

  std::vector<Key> m_ends;   ///< every connection, ports as named
  std::vector<Key> m_pairs;  ///< every connection with its ports 0 (for later fragments)
};

}  // namespace netlens::node::store
