// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "node/store/index_key.h"
#include "shared/net/ip_address.h"

namespace netlens::node::store {

namespace detail {
class ByteReader;
}

/// One session of a segment index (format 4 on): the segment's packets that have exactly one
/// IP header, with the same IP protocol between the same two ends (address and port; address
/// alone for packets without ports, such as ICMP or later fragments). Their address, port and
/// protocol keys are posted once per session, to session numbers (KeyKind::SessionIp,
/// SessionPort, SessionProtocol), instead of once per packet: a session of a hundred packets
/// costs five postings, not five hundred, and building the index looks up one session per
/// packet instead of five keys. A lookup of SrcIp 10.0.0.1 takes the sessions posted under
/// SessionIp 10.0.0.1 and, of each, the packets that end sent (`carries`). Packets with more
/// IP headers (tunnels) keep every key posted per packet, as before format 4.
///
/// On disk, after the key sections, as the section of kind kSessionTableKind: a fence table
/// (the byte offset of every kSessionsPerFence-th record, 4 bytes each, from the section's
/// start), then the address table (the counts of IPv4 and IPv6 addresses as varints, then
/// the addresses, sorted, 4 and 16 bytes each), then the records in session number order:
/// flags (1: IPv6, 2: ports), protocol, a's and b's number in the address table (varints),
/// the two ports (2 bytes each, big-endian) when flagged, the packet count (varint), then
/// each packet as a varint of its distance from the one before << 1, | 1 when b sent it. The
/// first packet's distance is from the first packet of the session before (sessions are
/// numbered in the order of their first packets), or from 0 for the first record after a
/// fence.
struct IndexSession {
  std::uint8_t protocol = 0;
  bool hasPorts = false;
  net::IpAddress a;  ///< the lower end (address, then port)
  net::IpAddress b;
  std::uint16_t aPort = 0;
  std::uint16_t bPort = 0;
  /// (packet number << 1) | 1 for a packet b sent; ascending.
  std::vector<std::uint32_t> packets;

  /// Whether a packet of this session sent by b (`fromB`), or else by a, carries `key`
  /// (kinds SrcIp, DstIp, SrcPort, DstPort and IpProtocol; false for any other kind).
  bool carries(bool fromB, const IndexKey& key) const;
  /// Appends the numbers of the session's packets that carry `key`, ascending, to `*out`.
  void appendPacketsWith(const IndexKey& key, std::vector<std::uint32_t>* out) const;
  /// The number of the session's first packet.
  std::uint32_t firstPacket() const { return packets.empty() ? 0 : packets.front() >> 1; }
  friend bool operator==(const IndexSession&, const IndexSession&) = default;
};

/// A session table's addresses, each once, as read in place: records name them by number.
struct SessionAddresses {
  const std::uint8_t* v4 = nullptr;
  std::uint64_t v4Count = 0;
  const std::uint8_t* v6 = nullptr;
  std::uint64_t v6Count = 0;

  /// Reads the table; false when it is cut short.
  bool read(detail::ByteReader& r);
  /// Address `number` of the family; false when out of range.
  bool get(bool v6, std::uint64_t number, net::IpAddress* out) const;
};

/// Orders `*out` whose first `sorted` numbers are ascending and the rest (the packets of
/// several sessions, appended one session after the other) are not: sorts the rest and
/// merges the two runs.
void mergeAppended(std::vector<std::uint32_t>* out, std::size_t sorted);

/// The session table section of `sessions`: its fence table and what follows it.
void encodeSessionTable(const std::vector<IndexSession>& sessions, std::string* fences,
                        std::string* body);
/// Reads one record into `*out`: `previousFirst` is the first packet of the record before
/// (0 for the first record after a fence, `firstOfFence`); false when it is not one of a
/// segment of `packetCount` packets.
bool decodeSession(detail::ByteReader& r, const SessionAddresses& addresses,
                   std::uint32_t previousFirst, bool firstOfFence, std::uint32_t packetCount,
                   IndexSession* out);

inline constexpr std::uint8_t kSessionTableKind = 32;
inline constexpr std::uint32_t kSessionsPerFence = 16;
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
  Hit add(std::uint32_t packet, std::uint8_t protocol, const net::IpAddress& src,
          const net::IpAddress& dst, bool hasPorts, std::uint16_t srcPort, std::uint16_t dstPort);
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
