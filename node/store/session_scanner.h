// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <unordered_map>

#include "node/store/packet_store.h"
#include "node/store/payload_match.h"
#include "shared/decoder/decoded_packet.h"
#include "shared/net/ip_address.h"

namespace netlens::node::store {

/// Finds the sessions a search selects as a whole: those whose payload holds a signature
/// **across packets**, and those carrying an HTTP request that meets the HTTP criteria. Each
/// TCP direction is followed in sequence order (a retransmitted or overlapping part is read
/// once, a gap starts afresh), so a signature split over two segments is found and HTTP
/// headers are parsed as the node's analysis parses them (HttpParser); other protocols are
/// matched per packet (no HTTP). A session is the innermost IP pair, protocol and ports,
/// both directions together (as SessionCollector lists them). With both kinds of criteria a
/// session must meet both.
///
/// A regular expression is matched over a window per direction: the last
/// PayloadMatcher::kRegexWindow bytes followed before a segment plus the segment, so a match
/// that spans segments is found when it starts at most that far before its last segment;
/// `^` matches only where the direction's stream starts (after the SYN, or at the first byte
/// followed when the capture began later), `$` at the end of each segment's bytes.
///
/// Feed the packets of a search in store order, then ask matches() for each packet of a
/// second pass. At most kMaxConnections TCP connections are followed; packets of further ones
/// are matched on their own (counted in unfollowed()).
/// Thread: one thread at a time.
class SessionScanner {
 public:
  /// Each holds two directions and an HTTP parser (a few hundred bytes; up to 16 KiB per
  /// direction while a header straddles segments).
  static constexpr std::size_t kMaxConnections = 1u << 16;

  /// `matcher` (may be null: no signature) must outlive the scanner.
  SessionScanner(const PayloadMatcher* matcher, SearchCriteria::Http http);
  ~SessionScanner();
  SessionScanner(const SessionScanner&) = delete;
  SessionScanner& operator=(const SessionScanner&) = delete;

  void feed(const StoredPacket& packet);
  /// The packet belongs to a session that meets the criteria.
  bool matches(const StoredPacket& packet);
  std::size_t sessionsFound() const;
  std::uint64_t unfollowed() const { return m_unfollowed; }

 private:
  using SessionKey = std::tuple<int, net::IpAddress, std::uint16_t, net::IpAddress, std::uint16_t>;
  struct SessionHash {
    std::size_t operator()(const SessionKey& k) const;
  };
  struct Direction {
    std::uint32_t nextSeq = 0;
    bool started = false;
    std::string tail;        // the last PayloadMatcher::history() bytes, in sequence order
    bool fromStart = false;  // `tail` begins where the stream does (`^` may match there)
  };
  struct Connection;  // both directions and the HTTP parser
  struct Found {
    bool payload = false;
    bool http = false;
  };

  bool decode(const StoredPacket& packet, SessionKey* key);
  void followTcp(const SessionKey& key, Connection& c, std::int64_t timestampNs);
  void markPayload(const SessionKey& key) { m_found[key].payload = true; }
  bool meets(const Found& f) const {
    return (m_matcher == nullptr || f.payload) && (!m_http.any() || f.http);
  }

  const PayloadMatcher* m_matcher;
  SearchCriteria::Http m_http;
  decoder::DecodedPacket m_decoded;
  std::unordered_map<SessionKey, std::unique_ptr<Connection>, SessionHash> m_connections;
  std::map<SessionKey, Found> m_found;
  std::string m_buffer;
  std::uint64_t m_unfollowed = 0;
};

}  // namespace netlens::node::store
