// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "node/analysis/flow_segment.h"
#include "node/analysis/fragment_tracker.h"
#include "node/analysis/history.h"
#include "node/analysis/host_history_pool.h"
#include "node/analysis/host_table.h"
#include "shared/decoder/decoded_packet.h"
#include "shared/protocol/messages.h"

namespace netlens::node::analysis {

struct HostAnalyzerConfig {
  /// Host budget: inserting one more host evicts the least recently updated one.
  std::size_t maxHosts = 1u << 20;
  /// Hosts without a packet for this much packet time are evicted (checked once per second
  /// of packet time); 0 keeps them until the budget needs their place.
  protocol::TimeNs idleNs = 0;
  /// A pause longer than this starts a new activity period (HostRecord::firstRecent). Must
  /// match the value given to stats::mergeHostRecord when workers' records are merged.
  protocol::TimeNs inactivityGapNs = 300'000'000'000;
  /// Fragments of a datagram not completed within this much packet time are forgotten.
  protocol::TimeNs fragmentTimeoutNs = 60'000'000'000;
  /// Ring lengths of the global and per-IP histories.
  HistoryGeometry history;
  /// Hosts with a per-IP history at a time (about 30 KB each with the default geometry).
  std::size_t historyHosts = 1024;
  /// A host with a history keeps it unless it has been quiet this long and another host
  /// needs the slot (HostHistoryPool).
  protocol::TimeNs historyReclaimIdleNs = 60'000'000'000;
};

/// Counters of one bucket of the global history, in this order (names in
/// HostAnalyzer::globalHistoryNames()). Layer 4 is the innermost IP header's protocol, as
/// for GlobalStats (whose otherPackets is OtherL4Packets here).
enum class GlobalSeries : std::uint8_t {
  Packets,
  Bytes,
  Ipv4Packets,
  Ipv4Bytes,
  Ipv6Packets,
  Ipv6Bytes,
  NonIpPackets,
  NonIpBytes,
  TcpPackets,
  TcpBytes,
  UdpPackets,
  UdpBytes,
  IcmpPackets,
  IcmpBytes,
  SctpPackets,
  SctpBytes,
  GrePackets,
  GreBytes,
  OtherL4Packets,
  OtherL4Bytes,
  Ipv4Fragments,      ///< per fragmented IPv4 header, like GlobalStats::ipv4Fragments
  Ipv4FragmentBytes,  ///< frame bytes of those
  Count
};
inline constexpr std::size_t kGlobalSeriesCount = static_cast<std::size_t>(GlobalSeries::Count);

/// Per-host (per IP address) and global figures of one worker's share of the traffic.
///
/// Counting follows tshark's `-z endpoints,ip` / `endpoints,ipv6` exactly (see COUNTING.md
/// next to this file): every IP header of a frame counts, outer and inner, the source as
/// transmitter and the destination as receiver, with the whole original frame length as
/// bytes; headers inside a fragmented datagram count once, on the frame that completes it;
/// the IP header quoted by an ICMP error does not count. MACs of a host are those of the L2
/// segment (Ethernet header, or SLL source) that directly carries the IP header: the outer
/// Ethernet for outer headers and for ordinary traffic, the inner Ethernet of VXLAN, Geneve,
/// GRE-TEB, ERSPAN and MPLS pseudowires for the inner headers, none for headers carried
/// directly in IP (IP-in-IP, IP-in-GRE). VLAN: the outermost tag of that same segment.
///
/// All clocks are packet time: rates cover the last complete second before the newest packet
/// seen. Thread: single-threaded; each worker owns one analyser and calls everything on it
/// from its own thread. The hot path (process) does no allocation once the table is warm.
class HostAnalyzer {
 public:
  explicit HostAnalyzer(HostAnalyzerConfig config = {});

  /// Counts one decoded packet (malformed ones too: their decodable outer layers count and the
  /// reason is counted once). When `segment` is not null, fills it with the innermost
  /// transport segment the frame delivers to connection analysis and returns true; returns
  /// false when there is none (non-IP, a fragment that does not complete its datagram, a
  /// transport header that could not be decoded).
  bool process(const decoder::DecodedPacket& packet, FlowSegment* segment = nullptr);

  /// Counts the TCP segment `segment`, which process() just delivered and connection analysis
  /// classed as a retransmission, against both of its hosts (HostRecord::tcpRetransPackets).
  void countRetransmission(const FlowSegment& segment);

  /// Counts a problem found before decoding (e.g. MalformedReason::CaptureError for a damaged
  /// capture record). Adds to the malformed counters only: no packet, no bytes.
  void countMalformed(decoder::MalformedReason reason);

  /// Evicts hosts idle since before `now - idleNs` (packet time), oldest first; their
  /// addresses are reported by the next collectChanges. Returns how many were evicted.
  std::size_t evictIdle(protocol::TimeNs now, protocol::TimeNs idleNs);

  /// Appends the address of every host to `out` (cheaper than records, for counting).
  void collectAddresses(std::vector<net::IpAddress>& out) const;
  /// Appends a copy of every host record to `out` (for snapshots).
  void collectAll(std::vector<protocol::HostRecord>& out) const;

  /// Appends to `changed` the records of hosts updated since the previous call (plus those
  /// whose reported rate has to fall back to zero) and to `removed` the hosts evicted since;
  /// resets both lists. Cost is proportional to the changes, not to the table. A host may be
  /// in both (evicted, then seen again): apply `removed` before `changed`.
  void collectChanges(std::vector<protocol::HostRecord>& changed,
                      std::vector<net::IpAddress>& removed);

  /// Global counters, rates and host count (sources left empty: the service fills them).
  protocol::GlobalStats globalStats() const;

  std::size_t hostCount() const { return m_table.size(); }
  /// Newest packet time seen, 0 before the first packet.
  protocol::TimeNs lastPacketTime() const { return m_lastPacket; }
  /// Tells the analyser that packet time has reached `now` elsewhere (another worker saw a
  /// newer packet): rates are then reported for the second before `now`, so the workers of
  /// one node all report the same second and their rates add up. Never moves time back.
  void advanceClock(protocol::TimeNs now) {
    if (now > m_clock) m_clock = now;
  }
  /// The record of one host, or false if it is not in the table.
  bool findHost(const net::IpAddress& ip, protocol::HostRecord& out) const;

  /// Node-wide packets and bytes by layer 3 and layer 4 over time (GlobalSeries counters).
  const History& globalHistory() const { return m_globalHistory; }
  static const std::vector<std::string>& globalHistoryNames();
  /// The history of one host (HostHistoryPool counters), or nullptr when the host is not in
  /// the table or has no history slot. `complete`: the history began with the host's first
  /// packet in this analyser.
  const History* hostHistory(const net::IpAddress& ip, bool* complete) const;
  static const std::vector<std::string>& hostHistoryNames();
  /// Bytes held by the global and per-IP histories.
  std::size_t historyMemoryBytes() const;

 private:
  struct HeaderView {
    const net::IpAddress* src;
    const net::IpAddress* dst;
    const net::MacAddress* srcMac;
    const net::MacAddress* dstMac;
    std::int32_t vlan;  // -1: untagged
    std::uint8_t protocol;
  };

  /// process() but for the TCP payload: counts every header and fills `segment` (not null).
  bool countPacket(const decoder::DecodedPacket& packet, FlowSegment* segment);
  void countHeader(const HeaderView& h, protocol::TimeNs ts, std::uint32_t bytes);
  /// Calls `add(index)` with the table index of each end of `s` that is in the table (once
  /// when both ends are the same address).
  template <typename F>
  void forEachEnd(const FlowSegment& s, F&& add);
  HostEntry& hostFor(const net::IpAddress& ip, protocol::TimeNs ts);
  void updateHost(HostEntry& e, protocol::TimeNs ts, std::uint32_t bytes);
  void attachHistory(std::uint32_t index, protocol::TimeNs ts, bool isNew);
  void eraseHost(std::uint32_t index);
  /// Erases a host the budget or the idle timeout pushed out, and remembers its address for
  /// collectChanges and its last activity for GlobalStats::hostsEvictedUpTo.
  void evictHost(std::uint32_t index);
  HeaderView viewOf(const decoder::DecodedPacket& p, int layer) const;
  static DeferredHeader defer(const HeaderView& h);
  /// The innermost transport segment of `p` (false if its transport was not decoded).
  bool segmentOf(const decoder::DecodedPacket& p, FlowSegment& out) const;
  protocol::HostRecord toRecord(const HostEntry& e) const;
  void rateOf(const RateWindow& w, double& pps, double& bps) const;

  HostAnalyzerConfig m_config;
  HostTable m_table;
  FragmentTracker m_fragments;
  std::vector<std::uint32_t> m_dirty;  // indices with isDirty set
  std::vector<std::uint32_t> m_rated;  // emitted last time with a non-zero rate
  std::vector<net::IpAddress> m_evicted;
  std::uint64_t m_evictions = 0;         ///< hosts evicted (budget or idle), ever
  protocol::TimeNs m_evictedUpTo = 0;    ///< latest last activity of an evicted host
  protocol::TimeNs m_nextIdleSweep = 0;  ///< packet time of the next idle check
  std::uint32_t m_collectEpoch = 0;
  std::vector<std::uint32_t> m_emittedEpoch;  // per entry index, for de-duplication
  // Table indices of the last hostFor() and of the two ends of the last header counted: the
  // hosts of the segment process() delivers, so crediting it needs no second lookup.
  std::uint32_t m_lastIndex = HostTable::kNil;
  std::uint32_t m_lastSrc = HostTable::kNil;
  std::uint32_t m_lastDst = HostTable::kNil;

  protocol::TimeNs m_firstPacket = 0;
  protocol::TimeNs m_lastPacket = 0;
  protocol::TimeNs m_clock = 0;  ///< newest packet time known to the node (advanceClock)
  std::uint64_t m_packets = 0;
  std::uint64_t m_bytes = 0;
  std::uint64_t m_ipv4Packets = 0;
  std::uint64_t m_ipv4Bytes = 0;
  std::uint64_t m_ipv6Packets = 0;
  std::uint64_t m_ipv6Bytes = 0;
  std::uint64_t m_nonIpPackets = 0;
  std::uint64_t m_nonIpBytes = 0;
  std::uint64_t m_tcpPackets = 0;
  std::uint64_t m_udpPackets = 0;
  std::uint64_t m_icmpPackets = 0;
  std::uint64_t m_sctpPackets = 0;
  std::uint64_t m_grePackets = 0;
  std::uint64_t m_otherPackets = 0;
  std::uint64_t m_ipv4Fragments = 0;
  std::array<std::uint64_t, decoder::kMalformedReasonCount> m_malformed{};
  RateWindow m_globalRate;
  History m_globalHistory;
  HostHistoryPool m_hostHistory;
};

}  // namespace netlens::node::analysis
