// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>

#include "node/store/packet_store.h"
#include "node/store/payload_match.h"
#include "shared/decoder/decoded_packet.h"
#include "shared/net/ip_address.h"

namespace netlens::node::store {

/// Finds the sessions whose payload holds a signature **across packets**: each TCP direction
/// is followed in sequence order (a retransmitted or overlapping part is skipped, a gap
/// starts afresh), so a signature split over two segments is found; other protocols are
/// matched per packet. A session is the innermost IP pair, protocol and ports, both
/// directions together (as SessionCollector lists them).
///
/// Feed the packets of a search in store order, then ask matches() for each packet of a
/// second pass. At most kMaxDirections TCP directions are followed; packets of further ones
/// are matched on their own (counted in unfollowed()).
/// Thread: one thread at a time.
class SessionPayloadScanner {
 public:
  static constexpr std::size_t kMaxDirections = 1u << 20;

  explicit SessionPayloadScanner(const PayloadMatcher& matcher) : m_matcher(matcher) {}

  void feed(const StoredPacket& packet);
  /// The packet belongs to a session in which the signature was found.
  bool matches(const StoredPacket& packet);
  std::size_t sessionsFound() const { return m_found.size(); }
  std::uint64_t unfollowed() const { return m_unfollowed; }

 private:
  using SessionKey = std::tuple<int, net::IpAddress, std::uint16_t, net::IpAddress, std::uint16_t>;
  struct DirectionKey {
    net::IpAddress src;
    net::IpAddress dst;
    std::uint16_t srcPort = 0;
    std::uint16_t dstPort = 0;
    friend bool operator==(const DirectionKey&, const DirectionKey&) = default;
  };
  struct DirectionHash {
    std::size_t operator()(const DirectionKey& k) const;
  };
  struct Direction {
    std::uint32_t nextSeq = 0;
    std::string tail;  // the last (signature length − 1) bytes, in sequence order
  };

  bool decode(const StoredPacket& packet, SessionKey* key);

  const PayloadMatcher& m_matcher;
  decoder::DecodedPacket m_decoded;
  std::unordered_map<DirectionKey, Direction, DirectionHash> m_directions;
  std::set<SessionKey> m_found;
  std::string m_buffer;
  std::uint64_t m_unfollowed = 0;
};

}  // namespace netlens::node::store
