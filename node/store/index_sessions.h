// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "node/store/index_key.h"
#include "shared/net/address_order.h"
#include "shared/net/ip_address.h"

namespace netlens::node::store {

namespace detail {
class ByteReader;
}

/// One session of a segment index (format 4 on): the segment's packets that have exactly one
/// IP header, with the same IP protocol between the same two ends (address and port; address
/// alone for packets without ports, such as ICMP or later fragments) and, from format 5, the
/// same pair of MACs when they have one Ethernet header (a session whose MACs change is two
/// sessions of the same ends). Their address, port, protocol and (format 5) MAC keys are
/// posted once per session, to session numbers (KeyKind::SessionIp, SessionPort,
/// SessionProtocol, SessionMac), instead of once per packet: a session of a hundred packets
/// costs a handful of postings, not seven hundred, and building the index looks up one
/// session per packet instead of seven keys. A lookup of SrcIp 10.0.0.1 takes the sessions
/// posted under SessionIp 10.0.0.1 and, of each, the packets that end sent (`carries`).
/// Packets with more IP headers (tunnels) keep every key posted per packet, as before format
/// 4, and so do the MACs of packets with another number of Ethernet headers, or none.
///
/// On disk, after the key sections, as the section of kind kSessionTableKind: a fence table
/// (the byte offset of every kSessionsPerFence-th record, 4 bytes each, from the section's
/// start), then the table's head: (format 5) the time unit (a varint: every session time less
/// the segment's minTime is a multiple of it, 1000 for a capture of microseconds), then the
/// address table (the counts of IPv4 and IPv6 addresses as varints, then the addresses,
/// sorted, 4 and 16 bytes each), then the records in session number order:
/// - flags (1: IPv6, 2: ports; format 5: bits 2–3 the protocol, 1 TCP, 2 UDP, 3 ICMP of the
///   address family, 0 a protocol byte follows), the protocol byte (always before format 5);
/// - a's and b's number in the address table (varints), the two ports (2 bytes each,
///   big-endian) when flagged;
/// - (format 5) the first packet's time in time units since the segment's minTime, as the
///   zigzag varint of its difference from the record before's (from 0 after a fence), and
///   the span to the last packet's time in time units (a varint), then the packets' wire
///   lengths added up (a varint);
/// - the packet count (varint), then each packet as a varint of its distance from the one
///   before << 1, | 1 when b sent it. The first packet's distance is from the first packet
///   of the session before (sessions are numbered in the order of their first packets), or
///   from 0 for the first record after a fence.
struct IndexSession {
  std::uint8_t protocol = 0;
  bool hasPorts = false;
  net::IpAddress a;  ///< the lower end (address, then port)
  net::IpAddress b;
  std::uint16_t aPort = 0;
  std::uint16_t bPort = 0;
  /// (packet number << 1) | 1 for a packet b sent; ascending.
  std::vector<std::uint32_t> packets;
  /// The earliest and latest packet time, ns since the epoch, and the packets' wire lengths
  /// added up (format 5 on; 0 before).
  std::int64_t firstTime = 0;
  std::int64_t lastTime = 0;
  std::uint64_t bytes = 0;
  /// The MACs of its packets' one Ethernet header (format 5 on): a's, as the source of the
  /// packets a sent, and b's.
  bool hasMacs = false;
  net::MacAddress aMac;
  net::MacAddress bMac;

  /// Whether a packet of this session sent by b (`fromB`), or else by a, carries `key`
  /// (kinds SrcIp, DstIp, SrcPort, DstPort and IpProtocol; false for any other kind).
  bool carries(bool fromB, const IndexKey& key) const;
  /// Appends the numbers of the session's packets that carry `key`, ascending, to `*out`.
  void appendPacketsWith(const IndexKey& key, std::vector<std::uint32_t>* out) const;
  /// Appends the numbers of the session's packets that carry MAC key `key` (SrcMac or
  /// DstMac), ascending, to `*out`, given that the MAC is b's (`ofB`) or a's.
  void appendPacketsWithMac(const IndexKey& key, bool ofB, std::vector<std::uint32_t>* out) const;
  /// Appends the numbers of the session's packets that carry `key`, ascending, to `*out`,
  /// the session found through `posted`, a value of the list of `key`'s session kind.
  void appendPacketsPosted(const IndexKey& key, std::uint32_t posted,
                           std::vector<std::uint32_t>* out) const {
    if (sessionKindOf(key.kind) == KeyKind::SessionMac) {
      appendPacketsWithMac(key, (posted & 1) != 0, out);
    } else {
      appendPacketsWith(key, out);
    }
  }
  /// The session a value of a posting list of session kind `kind` names.
  static std::uint32_t sessionPosted(KeyKind kind, std::uint32_t posted) {
    return kind == KeyKind::SessionMac ? posted >> 1 : posted;
  }
  /// The number of the session's first packet.
  std::uint32_t firstPacket() const { return packets.empty() ? 0 : packets.front() >> 1; }
  friend bool operator==(const IndexSession&, const IndexSession&) = default;
};

/// The order of a session's key as a tuple (protocol, a, aPort, b, bPort), with the
/// addresses compared as words (net::compareEnds) instead of through IpAddress's memcmp: the
/// maps of a search's sessions compare keys on every session they take.
struct SessionKeyLess {
  template <typename Key>
  bool operator()(const Key& x, const Key& y) const {
    if (std::get<0>(x) != std::get<0>(y)) return std::get<0>(x) < std::get<0>(y);
    const int a = net::compareEnds(std::get<1>(x), std::get<2>(x), std::get<1>(y), std::get<2>(y));
    if (a != 0) return a < 0;
    return net::compareEnds(std::get<3>(x), std::get<4>(x), std::get<3>(y), std::get<4>(y)) < 0;
  }
};

/// The head of a session table, as read in place: the time unit and the addresses, each
/// once, that records name by number.
struct SessionAddresses {
  std::uint64_t timeUnit = 1;  ///< format 5 on
  const std::uint8_t* v4 = nullptr;
  std::uint64_t v4Count = 0;
  const std::uint8_t* v6 = nullptr;
  std::uint64_t v6Count = 0;

  /// Reads the head of a table of index format `version`; false when it is cut short.
  bool read(detail::ByteReader& r, std::uint32_t version);
  /// Address `number` of the family; false when out of range.
  bool get(bool v6, std::uint64_t number, net::IpAddress* out) const;
};

/// Orders `*out` whose first `sorted` numbers are ascending and the rest (the packets of
/// several sessions, appended one session after the other) are not: sorts the rest and
/// merges the two runs.
void mergeAppended(std::vector<std::uint32_t>* out, std::size_t sorted);

/// The session table section of `sessions` of a segment whose earliest packet is at
/// `minTime`: its fence table and what follows it (the current format).
void encodeSessionTable(const std::vector<IndexSession>& sessions, std::int64_t minTime,
                        std::string* fences, std::string* body);

/// Where the record before left off, for the next record of a session table: its first
/// packet and, from format 5, its first time in time units.
struct SessionCursorState {
  std::uint32_t previousFirst = 0;
  std::uint64_t previousTime = 0;
};

/// What a session record is read against: the table's head, the segment's packet count and
/// time range, and the index format.
struct SessionContext {
  const SessionAddresses* addresses = nullptr;
  std::uint32_t packetCount = 0;
  std::int64_t minTime = 0;
  std::int64_t maxTime = 0;
  std::uint32_t version = 0;
};

/// Reads one record into `*out` after the record `*state` describes (a default state for the
/// first record after a fence, `firstOfFence`), and updates `*state`; false when it is not
/// one of the segment `context` describes. Without `whole` the record is only got past:
/// `*state` is updated, and what that needs checked, but `*out` is left partly filled (no
/// ends, ports or packets).
bool decodeSession(detail::ByteReader& r, const SessionContext& context, bool firstOfFence,
                   SessionCursorState* state, IndexSession* out, bool whole = true);

inline constexpr std::uint8_t kSessionTableKind = 32;
/// The first index format whose sessions have their MACs, times and bytes.
inline constexpr std::uint32_t kSessionCountersVersion = 5;
/// Records per fence in the session table: a session is found by reading the records before
/// it after its fence (format 4 had 16; 8 halves that for 4 bytes per 8 sessions).
inline constexpr std::uint32_t kSessionsPerFence = 8;
/// Records per fence in a session table of index format `version`.
constexpr std::uint32_t sessionsPerFence(std::uint32_t version) {
  return version >= kSessionCountersVersion ? kSessionsPerFence : 16;
}
/// Packet numbers from here on do not fit a session's packet list: such packets are posted
/// per packet (segments hold far fewer).
inline constexpr std::uint32_t kMaxSessionPacket = 1u << 31;

/// The sessions of a segment while its index is built, found by their ends in an
/// open-addressing hash table.
///
/// Thread: none of its own (the owning SegmentIndex's).
class SessionTable {
 public:
  struct Hit {
    std::uint32_t number = 0;  ///< the session's number
    bool added = false;        ///< a new session
  };
  /// Adds packet `packet` (sent from src to dst) to its session, adding the session when new.
  /// The packet's MACs, when it has one Ethernet header, count as part of the session's ends.
  Hit add(std::uint32_t packet, std::int64_t time, std::uint32_t wireLength, std::uint8_t protocol,
          const net::IpAddress& src, const net::IpAddress& dst, bool hasPorts,
          std::uint16_t srcPort, std::uint16_t dstPort, const net::MacAddress* srcMac,
          const net::MacAddress* dstMac);
  /// Replaces the table by `sessions` (as read back from a file).
  void assign(std::vector<IndexSession> sessions);
  const std::vector<IndexSession>& sessions() const { return m_sessions; }
  std::size_t size() const { return m_sessions.size(); }
  friend bool operator==(const SessionTable& a, const SessionTable& b) {
    return a.m_sessions == b.m_sessions;
  }

 private:
  static std::uint64_t hashOf(const IndexSession& s);
  static bool sameEnds(const IndexSession& x, const IndexSession& y);
  std::size_t slotOf(const IndexSession& key, std::uint64_t hash) const;
  void grow(std::size_t slots);

  struct Slot {
    std::uint32_t tag = 0;     ///< the upper half of the session's hash
    std::uint32_t number = 0;  ///< session number + 1; 0: empty
  };
  std::vector<IndexSession> m_sessions;
  std::vector<Slot> m_slots;
};

}  // namespace netlens::node::store
