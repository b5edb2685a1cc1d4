// SPDX-License-Identifier: MIT
#include "node/analysis/host_analyzer.h"

#include <algorithm>
#include <string>

namespace netlens::node::analysis {

namespace {

constexpr std::int64_t kNsPerSecond = 1'000'000'000;

std::int64_t secondOf(protocol::TimeNs ts) {
  // Floor division, so that (rare) pre-1970 timestamps still fall into whole seconds.
  return ts >= 0 ? ts / kNsPerSecond : -((-ts + kNsPerSecond - 1) / kNsPerSecond);
}

}  // namespace

HostAnalyzer::HostAnalyzer(HostAnalyzerConfig config)
    : m_config(config),
      m_table(std::min<std::size_t>(config.maxHosts, 4096)),
      m_fragments(config.fragmentTimeoutNs),
      m_globalHistory(kGlobalSeriesCount, config.history),
      m_hostHistory(config.historyHosts, config.history, config.historyReclaimIdleNs) {
  if (m_config.maxHosts == 0) m_config.maxHosts = 1;
  m_dirty.reserve(4096);
}

bool HostAnalyzer::process(const decoder::DecodedPacket& packet, FlowSegment* segment) {
  if (segment == nullptr) {
    // Without a caller's segment the TCP payload still needs one (tests, tools); not built
    // on the pipeline's path, which always passes one.
    FlowSegment local;
    process(packet, &local);
    return false;
  }
  const bool delivered = countPacket(packet, segment);
  if (delivered && segment->protocol == decoder::ipproto::kTcp && segment->tcpHeaderValid &&
      segment->segmentLength != 0) {
    forEachEnd(*segment,
               [&](std::uint32_t i) { m_table[i].tcpPayloadBytes += segment->segmentLength; });
  }
  return delivered;
}

void HostAnalyzer::countRetransmission(const FlowSegment& s) {
  forEachEnd(s, [&](std::uint32_t i) {
    HostEntry& e = m_table[i];
    ++e.tcpRetransPackets;
    e.tcpRetransBytes += s.segmentLength;
    if (!e.isDirty) {  // normally set already: the packet was just counted
      e.isDirty = true;
      m_dirty.push_back(i);
    }
  });
}

template <typename F>
void HostAnalyzer::forEachEnd(const FlowSegment& s, F&& add) {
  // The segment is the innermost header of the packet just counted, so the last header's two
  // ends are almost always the hosts wanted; look them up only when not.
  const auto indexOf = [&](std::uint32_t hint, const net::IpAddress& ip) {
    if (hint != HostTable::kNil && m_table[hint].isAlive && isSameAddress(m_table[hint].ip, ip))
      return hint;
    return m_table.find(ip);
  };
  if (const std::uint32_t src = indexOf(m_lastSrc, s.src); src != HostTable::kNil) add(src);
  if (isSameAddress(s.src, s.dst)) return;  // one host, counted once, like tcpPackets
  if (const std::uint32_t dst = indexOf(m_lastDst, s.dst); dst != HostTable::kNil) add(dst);
}

bool HostAnalyzer::countPacket(const decoder::DecodedPacket& packet, FlowSegment* segment) {
  const protocol::TimeNs ts = packet.timestampNs;
  const std::uint32_t bytes = packet.wireLength;
  if (m_packets == 0 || ts < m_firstPacket) m_firstPacket = ts;
  if (m_packets == 0 || ts > m_lastPacket) m_lastPacket = ts;
  ++m_packets;
  m_bytes += bytes;
  if (m_config.idleNs > 0 && ts >= m_nextIdleSweep) {
    evictIdle(ts, m_config.idleNs);
    m_nextIdleSweep = ts + 1'000'000'000;
  }
  if (m_packets == 1) m_globalRate.second = m_globalRate.prevSecond = secondOf(ts) - 2;
  m_globalRate.add(secondOf(ts), bytes);
  if (packet.malformed != decoder::MalformedReason::None) {
    ++m_malformed[static_cast<std::size_t>(packet.malformed)];
  }
  // The history row of this packet's second: a pair of counters per class below.
  std::uint64_t* history = m_globalHistory.rowFor(ts);
  const auto count = [history, bytes](GlobalSeries packets) {
    ++history[static_cast<std::size_t>(packets)];
    history[static_cast<std::size_t>(packets) + 1] += bytes;
  };
  count(GlobalSeries::Packets);
  if (packet.ipCount == 0) {
    ++m_nonIpPackets;
    m_nonIpBytes += bytes;
    count(GlobalSeries::NonIpPackets);
    return false;
  }
  if (packet.ip[0].version == 4) {
    ++m_ipv4Packets;
    m_ipv4Bytes += bytes;
    count(GlobalSeries::Ipv4Packets);
  } else {
    ++m_ipv6Packets;
    m_ipv6Bytes += bytes;
    count(GlobalSeries::Ipv6Packets);
  }
  switch (packet.innermostIp().protocol) {
    case decoder::ipproto::kTcp:
      ++m_tcpPackets;
      count(GlobalSeries::TcpPackets);
      break;
    case decoder::ipproto::kUdp:
      ++m_udpPackets;
      count(GlobalSeries::UdpPackets);
      break;
    case decoder::ipproto::kIcmp:
    case decoder::ipproto::kIcmpv6:
      ++m_icmpPackets;
      count(GlobalSeries::IcmpPackets);
      break;
    case decoder::ipproto::kSctp:
      ++m_sctpPackets;
      count(GlobalSeries::SctpPackets);
      break;
    case decoder::ipproto::kGre:
      ++m_grePackets;
      count(GlobalSeries::GrePackets);
      break;
    default:
      ++m_otherPackets;
      count(GlobalSeries::OtherL4Packets);
  }

  // Headers up to the first fragmented one count now; those behind it sit inside the
  // fragmented datagram and count when it is reassembled (tshark dissects them only then).
  int fragmented = -1;
  for (int i = 0; i < packet.ipCount; ++i) {
    const decoder::IpLayer& ip = packet.ip[i];
    if (ip.isFragment()) {
      if (ip.version == 4) {
        ++m_ipv4Fragments;
        count(GlobalSeries::Ipv4Fragments);
      }
      if (fragmented < 0) fragmented = i;
    }
  }
  // Headers before the first fragmented one count now. Behind it the headers sit inside the
  // fragmented datagram and count when it is reassembled, as tshark dissects them only then.
  // The fragmented header itself counts now if IPv4, but only on reassembly if IPv6: tshark's
  // IPv6 tap fires after the extension headers, which a fragment not yet reassembled never
  // gets past.
  const int countNow = fragmented < 0 ? packet.ipCount : fragmented;
  for (int i = 0; i < countNow; ++i) countHeader(viewOf(packet, i), ts, bytes);
  if (fragmented < 0) return segmentOf(packet, *segment);
  const decoder::IpLayer& frag = packet.ip[fragmented];
  const HeaderView fragView = viewOf(packet, fragmented);
  if (frag.version == 4) countHeader(fragView, ts, bytes);

  std::array<DeferredHeader, FragmentTracker::kMaxDeferred> inner;
  std::size_t innerCount = 0;
  for (int i = fragmented + 1; i < packet.ipCount; ++i) {
    inner[innerCount++] = defer(viewOf(packet, i));
  }
  std::array<DeferredHeader, FragmentTracker::kMaxDeferred> completed;
  std::size_t completedCount = 0;
  bool countFragmentV6 = false;
  // The transport of a first fragment waits with its headers.
  FlowSegment first;
  const bool hasFirst = frag.fragmentOffset == 0 && segmentOf(packet, first);
  bool delivered = false;
  switch (m_fragments.add(frag, ts, inner.data(), innerCount, completed, completedCount,
                          hasFirst ? &first : nullptr, segment, &delivered)) {
    case FragmentTracker::Result::NotTracked:
      // Not reassembled: like tshark, take a first fragment's contents as they are.
      if (frag.fragmentOffset == 0) {
        completed = inner;
        completedCount = innerCount;
        countFragmentV6 = true;
        if (hasFirst) {
          *segment = first;
          delivered = true;
        }
      }
      break;
    case FragmentTracker::Result::Pending:
      break;
    case FragmentTracker::Result::Completed:
      countFragmentV6 = true;
      if (delivered) {
        segment->ts = ts;
        segment->wireLength = bytes;
      }
      break;
  }
  if (frag.version == 6 && countFragmentV6) countHeader(fragView, ts, bytes);
  for (std::size_t i = 0; i < completedCount; ++i) {
    const DeferredHeader& d = completed[i];
    const HeaderView h{&d.src,
                       &d.dst,
                       d.hasSrcMac ? &d.srcMac : nullptr,
                       d.hasDstMac ? &d.dstMac : nullptr,
                       d.hasVlan ? std::int32_t{d.vlan} : -1,
                       d.protocol};
    countHeader(h, ts, bytes);
  }
  return delivered;
}

bool HostAnalyzer::segmentOf(const decoder::DecodedPacket& p, FlowSegment& out) const {
  const int layer = p.ipCount - 1;
  const decoder::TransportLayer& t = p.transport;
  const decoder::IpLayer& ip = p.ip[layer];
  const bool decoded = t.ipIndex == layer;
  switch (ip.protocol) {
    case decoder::ipproto::kTcp:
    case decoder::ipproto::kUdp:
    case decoder::ipproto::kSctp:
    case decoder::ipproto::kIcmp:
    case decoder::ipproto::kIcmpv6:
      // A header of these that is cut short or missing (later fragment) gives no segment.
      if (!decoded) return false;
      break;
    default:
      break;
  }
  out.ts = p.timestampNs;
  out.wireLength = p.wireLength;
  out.src = ip.src;
  out.dst = ip.dst;
  out.vlan = -1;
  if (ip.l2Index >= 0) {
    const decoder::L2Segment& seg = p.l2[ip.l2Index];
    if (seg.vlanCount != 0) out.vlan = p.vlans[seg.vlanBegin];
  }
  out.dscp = ip.dscp;
  out.vlanPcp = p.vlanCount != 0 ? static_cast<std::int8_t>(p.vlanPcp[0]) : std::int8_t{-1};
  out.mplsTc = p.mplsCount != 0 ? static_cast<std::int8_t>(p.mplsTc[0]) : std::int8_t{-1};
  out.mplsCount = p.mplsCount;
  for (std::uint8_t i = 0; i < p.mplsCount; ++i) out.mplsLabels[i] = p.mplsLabels[i];
  out.protocol = ip.protocol;
  const bool ports = decoded && t.hasPorts();
  out.srcPort = ports ? t.srcPort : 0;
  out.dstPort = ports ? t.dstPort : 0;
  out.tcpHeaderValid = decoded && t.tcpHeaderValid;
  out.tcpFlags = t.tcpFlags;
  out.tcpWindowScale = t.tcpWindowScale;
  out.tcpWindow = t.tcpWindow;
  out.tcpSeq = t.tcpSeq;
  out.tcpAck = t.tcpAck;
  out.segmentLength = decoded ? t.segmentLength : ip.payloadLength;
  out.payload = decoded ? t.payload : nullptr;
  out.payloadLength = decoded ? t.payloadLength : 0;
  out.ipHeader = p.data + ip.offset;
  out.ipCapturedLength = p.capturedLength - ip.offset;
  return true;
}

void HostAnalyzer::countMalformed(decoder::MalformedReason reason) {
  ++m_malformed[static_cast<std::size_t>(reason)];
}

HostAnalyzer::HeaderView HostAnalyzer::viewOf(const decoder::DecodedPacket& p, int layer) const {
  const decoder::IpLayer& ip = p.ip[layer];
  HeaderView h{&ip.src, &ip.dst, nullptr, nullptr, -1, ip.protocol};
  if (ip.l2Index >= 0) {
    const decoder::L2Segment& seg = p.l2[ip.l2Index];
    if (seg.hasSrc) h.srcMac = &seg.src;
    if (seg.hasDst) h.dstMac = &seg.dst;
    if (seg.vlanCount != 0) h.vlan = p.vlans[seg.vlanBegin];
  }
  return h;
}

DeferredHeader HostAnalyzer::defer(const HeaderView& h) {
  DeferredHeader d;
  d.src = *h.src;
  d.dst = *h.dst;
  d.hasSrcMac = h.srcMac != nullptr;
  d.hasDstMac = h.dstMac != nullptr;
  if (d.hasSrcMac) d.srcMac = *h.srcMac;
  if (d.hasDstMac) d.dstMac = *h.dstMac;
  d.hasVlan = h.vlan >= 0;
  d.vlan = static_cast<std::uint16_t>(h.vlan >= 0 ? h.vlan : 0);
  d.protocol = h.protocol;
  return d;
}

namespace {
void addMac(HostEntry& e, const net::MacAddress& mac) {
  for (std::size_t i = 0; i < e.macCount; ++i) {
    if (e.macs[i].bytes == mac.bytes) return;
  }
  if (e.macCount < kMaxMacsPerHost) e.macs[e.macCount++] = mac;
}
void addVlan(HostEntry& e, std::uint16_t vlan) {
  for (std::size_t i = 0; i < e.vlanCount; ++i) {
    if (e.vlans[i] == vlan) return;
  }
  if (e.vlanCount < kMaxVlansPerHost) e.vlans[e.vlanCount++] = vlan;
}
}  // namespace

void HostAnalyzer::countHeader(const HeaderView& h, protocol::TimeNs ts, std::uint32_t bytes) {
  const bool isTcp = h.protocol == decoder::ipproto::kTcp;
  const bool isUdp = h.protocol == decoder::ipproto::kUdp;
  HostEntry& src = hostFor(*h.src, ts);
  ++src.txPackets;
  src.txBytes += bytes;
  if (src.historySlot != HostHistoryPool::kNone) {
    std::uint64_t* row = m_hostHistory.history(src.historySlot).rowFor(ts);
    ++row[0];
    row[1] += bytes;
  }
  src.tcpPackets += isTcp;
  src.udpPackets += isUdp;
  updateHost(src, ts, bytes);
  if (h.srcMac != nullptr) addMac(src, *h.srcMac);
  if (h.vlan >= 0) addVlan(src, static_cast<std::uint16_t>(h.vlan));

  m_lastSrc = m_lastIndex;
  // Looked up after the source is complete: inserting the destination may evict.
  HostEntry& dst = hostFor(*h.dst, ts);
  ++dst.rxPackets;
  dst.rxBytes += bytes;
  if (dst.historySlot != HostHistoryPool::kNone) {
    std::uint64_t* row = m_hostHistory.history(dst.historySlot).rowFor(ts);
    ++row[2];
    row[3] += bytes;
  }
  if (!isSameAddress(*h.src, *h.dst)) {  // a host talking to itself is one TCP/UDP packet, not two
    dst.tcpPackets += isTcp;
    dst.udpPackets += isUdp;
  }
  updateHost(dst, ts, bytes);
  if (h.dstMac != nullptr) addMac(dst, *h.dstMac);
  m_lastDst = m_lastIndex;
  if (h.vlan >= 0) addVlan(dst, static_cast<std::uint16_t>(h.vlan));
}

HostEntry& HostAnalyzer::hostFor(const net::IpAddress& ip, protocol::TimeNs ts) {
  bool inserted = false;
  const std::uint32_t index = m_table.findOrInsert(ip, inserted);
  m_lastIndex = index;
  HostEntry& e = m_table[index];
  if (inserted) {
    e.firstSeen = e.firstRecent = e.lastSeen = ts;
    e.rate.second = e.rate.prevSecond = secondOf(ts) - 2;
    if (m_table.size() > m_config.maxHosts) {
      evictHost(m_table.oldest());  // never `index`: it was just appended
    }
    attachHistory(index, ts, true);
  } else if (secondOf(ts) != secondOf(e.lastSeen)) {
    // Eviction order needs only second resolution; re-linking the LRU list on every packet
    // costs two more cache misses per host update.
    m_table.touch(index);
    if (e.historySlot != HostHistoryPool::kNone) {
      m_hostHistory.touch(e.historySlot, ts);
    } else {
      attachHistory(index, ts, false);
    }
  }
  if (!e.isDirty) {
    e.isDirty = true;
    m_dirty.push_back(index);
  }
  return e;
}

void HostAnalyzer::attachHistory(std::uint32_t index, protocol::TimeNs ts, bool isNew) {
  std::uint32_t previous = HostHistoryPool::kNone;
  const std::uint32_t slot = m_hostHistory.acquire(index, ts, isNew, &previous);
  if (previous != HostHistoryPool::kNone) m_table[previous].historySlot = HostHistoryPool::kNone;
  m_table[index].historySlot = slot;
}

void HostAnalyzer::evictHost(std::uint32_t index) {
  const HostEntry& e = m_table[index];
  m_evicted.push_back(e.ip);
  ++m_evictions;
  m_evictedUpTo = std::max(m_evictedUpTo, e.lastSeen);
  eraseHost(index);
}

void HostAnalyzer::eraseHost(std::uint32_t index) {
  HostEntry& e = m_table[index];
  if (e.historySlot != HostHistoryPool::kNone) {
    m_hostHistory.release(e.historySlot);
    e.historySlot = HostHistoryPool::kNone;
  }
  m_table.erase(index);
}

void HostAnalyzer::updateHost(HostEntry& e, protocol::TimeNs ts, std::uint32_t bytes) {
  if (ts - e.lastSeen > m_config.inactivityGapNs) e.firstRecent = ts;
  if (ts > e.lastSeen) e.lastSeen = ts;
  if (ts < e.firstSeen) e.firstSeen = ts;
  if (ts < e.firstRecent) e.firstRecent = ts;
  e.rate.add(secondOf(ts), bytes);
}

void HostAnalyzer::rateOf(const RateWindow& w, double& pps, double& bps) const {
  pps = 0;
  bps = 0;
  if (m_packets == 0) return;
  const std::int64_t now = secondOf(std::max(m_lastPacket, m_clock));
  const std::int64_t lastComplete = now - 1;
  if (w.second == lastComplete) {
    pps = static_cast<double>(w.packets);
    bps = static_cast<double>(w.bytes) * 8;
  } else if (w.second == now && w.prevSecond == lastComplete) {
    pps = static_cast<double>(w.prevPackets);
    bps = static_cast<double>(w.prevBytes) * 8;
  }
}

protocol::HostRecord HostAnalyzer::toRecord(const HostEntry& e) const {
  protocol::HostRecord r;
  r.ip = e.ip;
  r.txPackets = e.txPackets;
  r.txBytes = e.txBytes;
  r.rxPackets = e.rxPackets;
  r.rxBytes = e.rxBytes;
  r.tcpPackets = e.tcpPackets;
  r.udpPackets = e.udpPackets;
  r.tcpPayloadBytes = e.tcpPayloadBytes;
  r.tcpRetransPackets = e.tcpRetransPackets;
  r.tcpRetransBytes = e.tcpRetransBytes;
  r.firstSeen = e.firstSeen;
  r.firstRecent = e.firstRecent;
  r.lastSeen = e.lastSeen;
  rateOf(e.rate, r.packetsPerSecond, r.bitsPerSecond);
  r.macs.assign(e.macs.begin(), e.macs.begin() + e.macCount);
  std::sort(r.macs.begin(), r.macs.end());
  r.vlans.assign(e.vlans.begin(), e.vlans.begin() + e.vlanCount);
  std::sort(r.vlans.begin(), r.vlans.end());
  return r;
}

std::size_t HostAnalyzer::evictIdle(protocol::TimeNs now, protocol::TimeNs idleNs) {
  std::size_t evicted = 0;
  // The LRU list is in update order, which is packet-time order but for out-of-order
  // timestamps; stopping at the first recent host is therefore exact enough.
  for (std::uint32_t i = m_table.oldest(); i != HostTable::kNil; i = m_table.oldest()) {
    if (now - m_table[i].lastSeen <= idleNs) break;
    evictHost(i);
    ++evicted;
  }
  return evicted;
}

void HostAnalyzer::collectAddresses(std::vector<net::IpAddress>& out) const {
  out.reserve(out.size() + m_table.size());
  for (std::uint32_t i = 0; i < m_table.capacity(); ++i) {
    if (m_table[i].isAlive) out.push_back(m_table[i].ip);
  }
}

void HostAnalyzer::collectAll(std::vector<protocol::HostRecord>& out) const {
  out.reserve(out.size() + m_table.size());
  for (std::uint32_t i = 0; i < m_table.capacity(); ++i) {
    if (m_table[i].isAlive) out.push_back(toRecord(m_table[i]));
  }
}

void HostAnalyzer::collectChanges(std::vector<protocol::HostRecord>& changed,
                                  std::vector<net::IpAddress>& removed) {
  ++m_collectEpoch;
  if (m_emittedEpoch.size() < m_table.capacity()) m_emittedEpoch.resize(m_table.capacity(), 0);
  std::vector<std::uint32_t> rated;
  auto emit = [&](std::uint32_t i) {
    HostEntry& e = m_table[i];
    if (!e.isAlive || m_emittedEpoch[i] == m_collectEpoch) return;
    m_emittedEpoch[i] = m_collectEpoch;
    changed.push_back(toRecord(e));
    if (changed.back().packetsPerSecond != 0) rated.push_back(i);
  };
  for (std::uint32_t i : m_dirty) {
    emit(i);
    m_table[i].isDirty = false;
  }
  // A host that went quiet still has to report its rate dropping to zero.
  for (std::uint32_t i : m_rated) emit(i);
  m_dirty.clear();
  m_rated.swap(rated);
  removed.insert(removed.end(), m_evicted.begin(), m_evicted.end());
  m_evicted.clear();
}

protocol::GlobalStats HostAnalyzer::globalStats() const {
  protocol::GlobalStats g;
  g.packets = m_packets;
  g.bytes = m_bytes;
  g.ipv4Packets = m_ipv4Packets;
  g.ipv4Bytes = m_ipv4Bytes;
  g.ipv6Packets = m_ipv6Packets;
  g.ipv6Bytes = m_ipv6Bytes;
  g.nonIpPackets = m_nonIpPackets;
  g.nonIpBytes = m_nonIpBytes;
  g.tcpPackets = m_tcpPackets;
  g.udpPackets = m_udpPackets;
  g.icmpPackets = m_icmpPackets;
  g.otherPackets = m_otherPackets;
  g.sctpPackets = m_sctpPackets;
  g.grePackets = m_grePackets;
  g.ipv4Fragments = m_ipv4Fragments;
  g.hostsEvicted = m_evictions;
  g.hostsEvictedUpTo = m_evictedUpTo;
  for (std::size_t i = 1; i < m_malformed.size(); ++i) {
    if (m_malformed[i] != 0) {
      g.malformed[std::string(
          decoder::malformedReasonName(static_cast<decoder::MalformedReason>(i)))] = m_malformed[i];
    }
  }
  g.firstPacket = m_firstPacket;
  g.lastPacket = m_lastPacket;
  rateOf(m_globalRate, g.packetsPerSecond, g.bitsPerSecond);
  g.hostCount = m_table.size();
  return g;
}

bool HostAnalyzer::findHost(const net::IpAddress& ip, protocol::HostRecord& out) const {
  const std::uint32_t i = m_table.find(ip);
  if (i == HostTable::kNil) return false;
  out = toRecord(m_table[i]);
  return true;
}

}  // namespace netlens::node::analysis

namespace netlens::node::analysis {

const std::vector<std::string>& HostAnalyzer::globalHistoryNames() {
  // Same order as GlobalSeries. WIRE/SCRIPT CONTRACT: names are only ever appended.
  static const std::vector<std::string> names{"packets",          "bytes",
                                              "ipv4_packets",     "ipv4_bytes",
                                              "ipv6_packets",     "ipv6_bytes",
                                              "non_ip_packets",   "non_ip_bytes",
                                              "tcp_packets",      "tcp_bytes",
                                              "udp_packets",      "udp_bytes",
                                              "icmp_packets",     "icmp_bytes",
                                              "sctp_packets",     "sctp_bytes",
                                              "gre_packets",      "gre_bytes",
                                              "other_l4_packets", "other_l4_bytes",
                                              "ipv4_fragments",   "ipv4_fragment_bytes"};
  return names;
}

const std::vector<std::string>& HostAnalyzer::hostHistoryNames() {
  static const std::vector<std::string> names{"tx_packets", "tx_bytes", "rx_packets", "rx_bytes"};
  return names;
}

const History* HostAnalyzer::hostHistory(const net::IpAddress& ip, bool* complete) const {
  const std::uint32_t i = m_table.find(ip);
  if (i == HostTable::kNil) return nullptr;
  const std::uint32_t slot = m_table[i].historySlot;
  if (slot == HostHistoryPool::kNone) return nullptr;
  if (complete) *complete = m_hostHistory.startedWithHost(slot);
  return &m_hostHistory.history(slot);
}

std::size_t HostAnalyzer::historyMemoryBytes() const {
  return m_globalHistory.memoryBytes() + m_hostHistory.memoryBytes();
}

}  // namespace netlens::node::analysis
