// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "node/analysis/address_numbers.h"
#include "node/analysis/compact_tcp.h"
#include "node/analysis/dpi_engine.h"
#include "node/analysis/flow_segment.h"
#include "node/analysis/handshake_history.h"
#include "node/analysis/history.h"
#include "node/analysis/host_history_pool.h"
#include "node/analysis/host_table.h"
#include "node/analysis/http_parser.h"
#include "node/analysis/lru_table.h"
#include "node/analysis/tcp_analysis.h"
#include "node/analysis/tcp_state_table.h"
#include "node/analysis/tcp_stream_cursor.h"
#include "node/analysis/tls_parser.h"
#include "shared/net/ip_address.h"
#include "shared/protocol/messages.h"

namespace netlens::node::analysis {

/// A connection's identity in 16 bytes: IP protocol, the two endpoints in canonical order
/// (a ≤ b by address, then port) and, with ConnectionAnalyzerConfig::splitVlans, the VLAN id
/// (kNoVlan when untagged or when VLANs do not split connections). An IPv4 address is kept in
/// place (its four bytes as they are in the packet); any other (IPv6) by its number in the
/// analyser's AddressNumbers, flagged in `numbered`. Two 17-byte addresses took 42 bytes per
/// connection (see README, Performance), and the key is hashed and compared as two words.
struct ConnectionKey {
  static constexpr std::uint16_t kNoVlan = 0xffff;
  static constexpr std::uint8_t kANumbered = 0x01;  ///< `a` is an AddressNumbers number
  static constexpr std::uint8_t kBNumbered = 0x02;  ///< `b` is an AddressNumbers number
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  std::uint16_t aPort = 0;
  std::uint16_t bPort = 0;
  std::uint16_t vlan = kNoVlan;
  std::uint8_t protocol = 0;
  std::uint8_t numbered = 0;
};
static_assert(sizeof(ConnectionKey) == 16, "no padding: hashed and compared as two words");

/// What one endpoint of a connection sent, as 32-bit counters: the entry holds their low
/// words, and the rare connection that passes 4 Gi packets or bytes in a direction keeps the
/// high words in its extras (ConnectionExtras::highWords), which saves 16 bytes per entry.
struct ConnectionSide {
  std::uint32_t packets = 0;
  std::uint32_t bytes = 0;  ///< whole frames, as tshark counts them
};

/// TCP trouble one endpoint caused, kept apart from the entry (most connections have none).
struct TcpTroubleSide {
  std::uint64_t retransmittedBytes = 0;  ///< payload of segments of the three classes
  std::uint32_t retransmissions = 0;
  std::uint32_t fastRetransmissions = 0;
  std::uint32_t spuriousRetransmissions = 0;
  std::uint32_t outOfOrder = 0;
  std::uint32_t windowFull = 0;  ///< segments that filled the other side's receive window
  std::uint32_t zeroWindow = 0;  ///< segments announcing a zero receive window
};

/// QoS markings one endpoint's packets carried: those of its latest packet and which of them
/// changed (ConnectionRecord::c2sQos / s2cQos). The MPLS label stack is in the extras.
struct QosSide {
  std::uint8_t dscp = 0;
  std::int8_t vlanPcp = -1;
  std::int8_t mplsTc = -1;
  std::uint8_t flags = 0;

  static constexpr std::uint8_t kSeen = 0x01;
  static constexpr std::uint8_t kDscpChanged = 0x02;
  static constexpr std::uint8_t kPcpChanged = 0x04;
  static constexpr std::uint8_t kTcChanged = 0x08;
  static constexpr std::uint8_t kLabelsChanged = 0x10;
};

/// Running min / max / mean / standard deviation of a series of times.
struct RunningTimes {
  std::uint64_t count = 0;
  protocol::TimeNs min = 0;
  protocol::TimeNs max = 0;
  double sum = 0;
  double sumSquares = 0;
  void add(protocol::TimeNs t);
  protocol::ResponseTimeStats stats() const;
};

/// The byte streams of a TCP connection being followed for layer 7 (TLS handshake, HTTP):
/// allocated when the first payload looks like TLS or HTTP, freed when there is nothing more
/// to learn (TLS: both hellos and first data; HTTP: end of both streams).
struct StreamState {
  std::array<TcpStreamCursor, 2> cursor{};  ///< by StreamDirection (Forward = client)
  std::unique_ptr<TlsParser> tls;
  std::unique_ptr<HttpParser> http;
  protocol::TimeNs clientHello = -1;
};

/// What only some connections need, allocated on first use and freed with the connection:
/// it keeps the common entry (a scan, a DNS exchange) small.
struct ConnectionExtras {
  std::array<TcpTroubleSide, 2> trouble{};  ///< by key side
  RunningTimes responseTimes;
  protocol::TimeNs pendingRequest = -1;  ///< first new client byte not yet answered
  std::unique_ptr<StreamState> streams;
  std::unique_ptr<protocol::TlsInfo> tls;
  std::unique_ptr<protocol::HttpInfo> http;
  std::unique_ptr<RunningTimes> httpTimes;  ///< once an HTTP response was timed
  bool streamsDone = false;  ///< layer 7 decided (followed to the end, or not TLS/HTTP)
  /// Directions (bit 1 << sender) whose first payload was neither TLS nor HTTP: a server may
  /// still answer a request it could not parse with an HTTP status line ("400 Bad Request"),
  /// which Wireshark counts, so a connection is given up only when both directions fail.
  std::uint8_t undecidedSides = 0;
  /// By key side, the latest label stack; only where MPLS was seen (rarer still than extras).
  std::unique_ptr<std::array<std::vector<std::uint32_t>, 2>> mplsLabels;
  /// The TCP state once a time no longer fits the compact form in the side table
  /// (ConnectionEntry::kWideTcp): with microsecond timestamps, connections longer than about
  /// 35 minutes.
  std::unique_ptr<WideTcp> wideTcp;
  /// By key side, the high words of the entry's ConnectionSide counters, once one wrapped.
  std::unique_ptr<std::array<ConnectionSide, 2>> highWords;
  /// Slot of the connection's throughput history (ConnectionEntry::kHasHistory).
  std::uint32_t historySlot = HostHistoryPool::kNone;
};

/// A connection's nDPI detection as its entry keeps it (DpiEngine::Flow without the state
/// pointer): the state of the few connections being detected at a time (a few thousand of a
/// million) is in ConnectionAnalyzer's side table, which costs less than 8 bytes in every
/// entry. The entry names its slot there directly: a hash map from entry index to state cost
/// about 6 % of the analysis (a node allocated and a bucket missed per detected connection).
struct DpiProgress {
  /// Slots beyond this many concurrent detections (tens of gigabytes of nDPI state) end the
  /// detection of the connection that asks for one.
  static constexpr std::uint32_t kMaxSlots = (1U << 25) - 1;
  AppProtocol result;
  std::uint32_t packets : 6 = 0;
  std::uint32_t done : 1 = 0;
  std::uint32_t stateSlot : 25 = 0;  ///< 1 + slot in the side table; 0: no nDPI state
};
static_assert(DpiEngine::kMaxPackets < (1U << 6), "DpiProgress::packets holds kMaxPackets");
static_assert(sizeof(DpiProgress) == 8);

// Packed to 4-byte alignment: a million entries live in the table, and every byte here is a
// megabyte of resident memory (see README, Performance).
#pragma pack(push, 4)

/// The hot-path form of a connection: fixed size, no allocation. Its TCP state is in
/// ConnectionAnalyzer's TcpStateTable, so that other connections do not carry it.
struct ConnectionEntry {
  ConnectionKey key;
  bool isAlive = false;
  bool isDirty = false;
  std::uint8_t clientSide = 0;  ///< 0: key.a is the client, 1: key.b
  std::uint8_t flags = 0;       ///< the k... flags below
  std::array<std::uint16_t, 2> vlans{ConnectionKey::kNoVlan, ConnectionKey::kNoVlan};  ///< first
  std::array<QosSide, 2> qos{};  ///< by key side
  std::uint32_t lruPrev = 0;
  std::uint32_t lruNext = 0;
  /// Slot of the connection's ConnectionExtras in ConnectionAnalyzer's extras table, or
  /// kNoExtras (see ConnectionAnalyzer::extrasOf).
  std::uint32_t extrasSlot = kNoExtras;
  /// TCP (by key protocol): kNone until a segment was analysed; with kOneSegment or
  /// kTwoSegments the slot of the segments in their table (LoggedSegment); otherwise the
  /// slot of its CompactTcp in the side table, whose times are relative to firstSeen and whose
  /// fields that are not times are current even when kWideTcp puts the authoritative state in the
  /// extras.
  std::uint32_t tcpSlot = TcpStateTable::kNone;
  protocol::TimeNs firstSeen = 0;
  protocol::TimeNs lastSeen = 0;
  std::array<ConnectionSide, 2> sides{};  ///< by key side (0 = a)
  /// Per key side, the bytes of the second of lastSeen (saturating), and of the second before
  /// it that had bytes.
  std::array<std::uint32_t, 2> rateBytes{};
  std::array<std::uint32_t, 2> prevRateBytes{};
  DpiProgress dpi;

  static constexpr std::uint32_t kNoExtras = 0xffffffffu;

  static constexpr std::uint8_t kClientFromHandshake = 0x01;
  /// prevRateBytes are of the second right before lastSeen's (not of an earlier one).
  static constexpr std::uint8_t kPrevRateAdjacent = 0x02;
  /// The TCP times did not fit the compact state: the extras' wideTcp holds the state.
  static constexpr std::uint8_t kWideTcp = 0x04;
  /// The extras' mplsLabels exist (MPLS was seen).
  static constexpr std::uint8_t kHasMplsLabels = 0x08;
  /// The extras' historySlot is the connection's slot in the history pool.
  static constexpr std::uint8_t kHasHistory = 0x10;
  /// The connection's first packet is its only TCP segment analysed, kept as the segment
  /// (tcpSlot in the one-segment table), or it and one more are (the two-segment table).
  static constexpr std::uint8_t kOneSegment = 0x20;
  static constexpr std::uint8_t kTwoSegments = 0x40;
  static constexpr std::uint8_t kLoggedSegments = kOneSegment | kTwoSegments;
};

#pragma pack(pop)

// The key takes 16 bytes, the rest 88, none of them padding. A TCP connection adds its
// 88-byte CompactTcp in the side table. The 8-byte fields must stay 8-byte aligned in the
// table's arrays (misaligned, a reference to one is undefined behaviour, which the sanitizer
// preset reports), so the entry is a multiple of 8 bytes.
static_assert(sizeof(ConnectionEntry) == 104, "see README, Performance, before growing it");
static_assert(sizeof(ConnectionEntry) % 8 == 0 && offsetof(ConnectionEntry, firstSeen) % 8 == 0 &&
                  offsetof(ConnectionEntry, lastSeen) % 8 == 0 &&
                  offsetof(ConnectionEntry, dpi) % 8 == 0,
              "8-byte fields 8-byte aligned");

/// Defined here so that the table's probe loop inlines them (they run on every packet).
struct ConnectionTableTraits {
  using Key = ConnectionKey;
  static const Key& keyOf(const ConnectionEntry& e) { return e.key; }
  static void setKey(ConnectionEntry& e, const Key& k) { e.key = k; }
  static std::uint64_t hash(const Key& k) {
    const auto [lo, hi] = words(k);
    std::uint64_t h = (lo * 0x9E3779B97F4A7C15ULL) ^ (hi + 0x632BE59BD9B4E019ULL);
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
    return h ^ (h >> 31);
  }
  static bool equal(const Key& x, const Key& y) {
    const auto [x0, x1] = words(x);
    const auto [y0, y1] = words(y);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  }

 private:
  static std::pair<std::uint64_t, std::uint64_t> words(const Key& k) {
    std::uint64_t w[2];
    std::memcpy(w, &k, sizeof w);
    return {w[0], w[1]};
  }
};

struct ConnectionAnalyzerConfig {
  /// Connection budget: one more evicts the least recently updated connection.
  std::size_t maxConnections = 1u << 20;
  /// Finished connections (closed and then reused by a new SYN) kept for reports.
  std::size_t maxFinished = 1u << 16;
  /// Connections (and finished records) without a packet for this much packet time are
  /// evicted, checked once per second of packet time; 0 keeps them until the budget needs
  /// their place.
  protocol::TimeNs idleNs = 0;
  /// Whether the VLAN id is part of a connection's identity. Off by default, as in Wireshark:
  /// captures where one direction's tag is stripped (NIC offload, mirror set-ups) are common
  /// and would split every connection in two. On for networks whose VLANs reuse addresses.
  bool splitVlans = false;
  /// Connections with a throughput history at a time (a HostHistoryPool: the most recently
  /// active keep theirs), its ring lengths, and how long an owner must be quiet before
  /// another connection may take its slot.
  std::size_t historyConnections = 1024;
  /// Addresses with a TCP handshake history at a time (HandshakeHistory; ~91 KB each once a
  /// week of packet time has filled its rings).
  std::size_t historyHandshakes = 256;
  HistoryGeometry history;
  protocol::TimeNs historyReclaimIdleNs = 60'000'000'000;
  /// AnalysisSwitches for connections: nDPI, QoS markings per direction, TLS handshakes
  /// followed.
  bool layer7 = true;
  bool qos = true;
  bool tlsDetails = true;
};

/// The two ends of a connection as a request names them (either order), for lookups.
struct ConnectionEnds {
  std::uint8_t protocol = 0;
  net::IpAddress x;
  std::uint16_t xPort = 0;
  net::IpAddress y;
  std::uint16_t yPort = 0;
  int vlan = -1;  ///< only with ConnectionAnalyzerConfig::splitVlans
};

/// Per-connection figures of one worker's share of the traffic: one record per innermost
/// transport flow (IP protocol, addresses, ports, VLAN), with packets and bytes per
/// direction and, for TCP, Wireshark's sequence analysis (retransmission classes), window
/// sizes and the handshake round-trip time split into its server and client legs.
///
/// VLAN: the record's VLAN is the first tag seen from the client, else from the server.
///
/// QoS per direction: DSCP of the connection's own (innermost) IP header, PCP of the frame's
/// outermost VLAN tag, TC of its top MPLS label and the whole label stack, as the capture
/// point sees them; the latest values, each with a "changed" flag.
///
/// Client and server: the sender of a SYN (without ACK) is the client, the sender of a
/// SYN/ACK the server. Without a handshake, when exactly one port is below 1024 that side is
/// the server; otherwise the sender of the first packet seen is the client. A SYN seen later
/// corrects an earlier guess.
///
/// A SYN whose sequence number differs from the initial one of its side starts a new
/// connection on the same 5-tuple (as Wireshark starts a new TCP stream); the old one is kept
/// as finished.
///
/// Thread: single-threaded, owned by one worker.
class ConnectionAnalyzer {
 public:
  explicit ConnectionAnalyzer(ConnectionAnalyzerConfig config = {});
  ~ConnectionAnalyzer();
  ConnectionAnalyzer(const ConnectionAnalyzer&) = delete;
  ConnectionAnalyzer& operator=(const ConnectionAnalyzer&) = delete;

  /// Analyses one segment; returns its TCP events (tcpevent::k*, 0 for other protocols).
  std::uint16_t process(const FlowSegment& segment);

  /// Appends every connection (live and finished) as records.
  void collectAll(std::vector<protocol::ConnectionRecord>& out) const;
  std::size_t size() const { return m_table.size(); }
  /// Addresses the live connections' keys hold by number (IPv6, see ConnectionKey).
  std::size_t numberedAddresses() const { return m_numbers.size(); }
  /// Bytes held by the table (entries and index), the TCP states and segments, the extras'
  /// slots, the address numbers and the handshake histories, for the memory report (the
  /// extras themselves and the connection histories not).
  std::size_t memoryBytes() const {
    return m_table.memoryBytes() + m_tcp.memoryBytes() + m_oneSegment.memoryBytes() +
           m_twoSegments.memoryBytes() + m_extras.memoryBytes() + m_numbers.memoryBytes() +
           m_handshakes.memoryBytes();
  }
  /// Connections whose application protocol is still being detected (nDPI state held).
  std::size_t detecting() const { return m_dpi.activeFlows(); }
  /// Connections evicted by the budget or the idle timeout (live and finished records), and
  /// the latest last activity among them: the table is complete for activity after it.
  std::uint64_t evictions() const { return m_evictions; }
  protocol::TimeNs evictedUpTo() const { return m_evictedUpTo; }
  /// Evicts connections idle since before `now - idleNs`, oldest first, and finished
  /// records as old. Returns how many were evicted.
  std::size_t evictIdle(protocol::TimeNs now, protocol::TimeNs idleNs);

  /// Every address's TCP handshakes over time, as client and as server.
  const HandshakeHistory& handshakeHistory() const { return m_handshakes; }

  /// Names of a connection history's values (client → server first).
  static const std::vector<std::string>& historyNames();
  /// The throughput history of the live connection between `ends`, as buckets of
  /// historyNames(). False when this analyser holds no such connection; true with `out`
  /// empty and `*hasHistory` false when it holds one without a history slot. `*complete`:
  /// the history began with the connection's first packet.
  bool connectionHistory(const ConnectionEnds& ends, Resolution resolution, protocol::TimeNs from,
                         protocol::TimeNs to, protocol::TimeNs now,
                         std::vector<protocol::HistoryBucket>* out, bool* hasHistory,
                         bool* complete) const;

 private:
  using Table = LruTable<ConnectionEntry, ConnectionTableTraits>;

  protocol::ConnectionRecord toRecord(const ConnectionEntry& e) const;
  void finish(std::uint32_t index);
  void erase(std::uint32_t index);
  /// Gives connection `index` a history slot when one is free or reclaimable.
  void attachHistory(std::uint32_t index, protocol::TimeNs ts, bool isNew);
  /// Erases a connection the budget or the idle timeout pushed out, counting it.
  void evict(std::uint32_t index);
  /// The extras of `e`, allocated on first use (and freed with the connection).
  ConnectionExtras& extrasOf(ConnectionEntry& e);
  /// The extras of `e`, or null when it has none.
  ConnectionExtras* extrasIf(const ConnectionEntry& e) const {
    return e.extrasSlot == ConnectionEntry::kNoExtras ? nullptr : m_extras[e.extrasSlot];
  }
  /// The TCP state of `e` (a TCP connection) in full (made again from its logged segments;
  /// fresh before any), and storing it back (compact when its times fit).
  void loadTcp(const ConnectionEntry& e, WideTcp& out) const;
  void storeTcp(ConnectionEntry& e, const WideTcp& tcp);
  /// Gives back the slot `e.tcpSlot` names (either table).
  void releaseTcp(ConnectionEntry& e);
  /// Analyses TCP segment `seg` of `e` sent by key side `sender` (tcpanalysis events): the
  /// first two segments are kept as they are, later ones update the state. With
  /// tcpevent::kHandshakeComplete, `*initialRtt` is the handshake's RTT.
  std::uint16_t analyzeSegment(ConnectionEntry& e, const TcpSegment& seg, int sender,
                               protocol::TimeNs* initialRtt);
  /// Counts a segment's handshake events (tcpevent::kNewSyn, kHandshakeComplete,
  /// kSynRejected) in the handshake histories of the connection's two addresses.
  void noteHandshake(const ConnectionEntry& e, const FlowSegment& s, int sender,
                     std::uint16_t events, protocol::TimeNs initialRtt);
  /// New payload bytes of a TCP segment: response times and the layer-7 parsers.
  void followStream(ConnectionEntry& e, const FlowSegment& s, int sender, bool newData);
  void noteQos(ConnectionEntry& e, const FlowSegment& s, int sender);
  /// Calls `use(DpiEngine::Flow&)` on the connection's detection, put together from its
  /// entry and the side table and stored back into both afterwards.
  template <typename Use>
  void withDpiFlow(std::uint32_t index, Use use);

  /// The key of a connection from a packet's endpoints, in canonical order, numbering the
  /// addresses that need it (AddressNumbers; held by nothing yet, see holdAddresses);
  /// `senderIsA`: the source is the key's `a` side.
  ConnectionKey keyOf(const net::IpAddress& src, const net::IpAddress& dst, std::uint16_t srcPort,
                      std::uint16_t dstPort, std::uint8_t protocol, std::uint16_t vlan,
                      bool& senderIsA);
  /// The same without numbering: false when an address has no number (so no connection).
  bool findKey(const net::IpAddress& src, const net::IpAddress& dst, std::uint16_t srcPort,
               std::uint16_t dstPort, std::uint8_t protocol, std::uint16_t vlan, bool& senderIsA,
               ConnectionKey* out) const;
  /// Holds (releases) the numbers of `key`'s numbered addresses once more (once less).
  void holdAddresses(const ConnectionKey& key);
  void releaseAddresses(const ConnectionKey& key);
  /// Address `side` (0: a, 1: b) of `key`.
  net::IpAddress addressOf(const ConnectionKey& key, int side) const;

  ConnectionAnalyzerConfig m_config;
  Table m_table;
  TcpStateTable m_tcp;            ///< by ConnectionEntry::tcpSlot
  OneSegmentTable m_oneSegment;   ///< by ConnectionEntry::tcpSlot (kOneSegment)
  TwoSegmentTable m_twoSegments;  ///< by ConnectionEntry::tcpSlot (kTwoSegments)
  /// By ConnectionEntry::extrasSlot, owned: a 4-byte slot in every entry instead of an 8-byte
  /// pointer (a seventh of the connections have extras).
  SlotTable<ConnectionExtras*> m_extras;
  AddressNumbers m_numbers;  ///< of the keys' IPv6 addresses, held by the entries
  DpiEngine m_dpi;
  std::vector<ndpi_flow_struct*> m_dpiStates;  ///< by DpiProgress::stateSlot - 1
  std::vector<std::uint32_t> m_freeDpiSlots;   ///< slots of m_dpiStates to reuse
  std::vector<protocol::ConnectionRecord> m_finished;
  protocol::TimeNs m_lastPacket = 0;
  HostHistoryPool m_history;  ///< owners are table indices
  HandshakeHistory m_handshakes;
  std::uint64_t m_evictions = 0;
  protocol::TimeNs m_evictedUpTo = 0;
  protocol::TimeNs m_nextIdleSweep = 0;
};

}  // namespace netlens::node::analysis
