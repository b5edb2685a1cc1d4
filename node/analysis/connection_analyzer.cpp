// SPDX-License-Identifier: MIT
#include "node/analysis/connection_analyzer.h"

#include <algorithm>
#include <cstring>

#include "node/analysis/host_table.h"
#include "shared/decoder/decoded_packet.h"

namespace netlens::node::analysis {

namespace {

namespace flag = decoder::tcpflag;
constexpr std::int64_t kNsPerSecond = 1'000'000'000;
constexpr std::uint16_t kFirstEphemeralPort = 1024;

std::uint32_t secondOf(protocol::TimeNs ts) {
  return ts > 0 ? static_cast<std::uint32_t>(ts / kNsPerSecond) : 0;
}

std::uint64_t mixAddress(const net::IpAddress& ip) {
  std::uint64_t lo;
  std::uint64_t hi;
  std::memcpy(&lo, ip.bytes.data(), 8);
  std::memcpy(&hi, ip.bytes.data() + 8, 8);
  return (lo * 0x9E3779B97F4A7C15ULL) ^ (hi + 0x632BE59BD9B4E019ULL) ^ ip.family;
}

bool isSynOnly(std::uint8_t flags) {
  return (flags & (flag::kSyn | flag::kAck)) == flag::kSyn;
}
bool isSynAck(std::uint8_t flags) {
  return (flags & (flag::kSyn | flag::kAck)) == (flag::kSyn | flag::kAck);
}

protocol::TcpDirectionStats tcpStatsOf(const ConnectionExtras* extras, int side,
                                       const TcpSideState& tcp) {
  protocol::TcpDirectionStats t;
  if (extras != nullptr) {
    const TcpTroubleSide& x = extras->trouble[side];
    t.retransmissions = x.retransmissions;
    t.fastRetransmissions = x.fastRetransmissions;
    t.spuriousRetransmissions = x.spuriousRetransmissions;
    t.outOfOrder = x.outOfOrder;
    t.retransmittedBytes = x.retransmittedBytes;
  }
  t.maxWindow = tcp.maxWindow;
  t.windowScale = tcp.windowScale >= 0 ? tcp.windowScale : -1;
  return t;
}

const char* tcpStateOf(const ConnectionEntry& e) {
  const std::uint8_t any = e.tcp[0].state | e.tcp[1].state;
  const bool sawSyn = (any & TcpSideState::kSawSyn) != 0;
  const bool sawSynAck = (any & TcpSideState::kSawSynAck) != 0;
  if ((any & TcpSideState::kSawRst) != 0) {
    return sawSyn && !e.handshake.isComplete() && !sawSynAck ? "rejected" : "reset";
  }
  if ((e.tcp[0].state & e.tcp[1].state & TcpSideState::kSawFin) != 0) return "closed";
  if (!sawSyn && !sawSynAck) return "midstream";
  if (sawSyn && !sawSynAck) return "syn-sent";
  return "established";
}

}  // namespace

std::uint64_t ConnectionTableTraits::hash(const Key& k) {
  std::uint64_t h = mixAddress(k.a) * 0xBF58476D1CE4E5B9ULL;
  h ^= mixAddress(k.b) + (h << 6) + (h >> 2);
  h ^= (std::uint64_t{k.aPort} << 40) | (std::uint64_t{k.bPort} << 24) |
       (std::uint64_t{k.vlan} << 8) | k.protocol;
  h *= 0x94D049BB133111EBULL;
  return h ^ (h >> 31);
}

bool ConnectionTableTraits::equal(const Key& x, const Key& y) {
  return x.aPort == y.aPort && x.bPort == y.bPort && x.vlan == y.vlan && x.protocol == y.protocol &&
         isSameAddress(x.a, y.a) && isSameAddress(x.b, y.b);
}

ConnectionAnalyzer::ConnectionAnalyzer(ConnectionAnalyzerConfig config)
    : m_config(config), m_table(std::min<std::size_t>(config.maxConnections, 4096)) {
  if (m_config.maxConnections == 0) m_config.maxConnections = 1;
}

ConnectionAnalyzer::~ConnectionAnalyzer() {
  for (std::uint32_t i = 0; i < m_table.capacity(); ++i) {
    if (!m_table[i].isAlive) continue;
    m_dpi.release(m_table[i].dpi);
    delete m_table[i].extras;
  }
}

void ConnectionAnalyzer::erase(std::uint32_t index) {
  ConnectionEntry& e = m_table[index];
  m_dpi.release(e.dpi);
  delete e.extras;
  e.extras = nullptr;
  m_table.erase(index);
}

ConnectionExtras& ConnectionAnalyzer::extrasOf(ConnectionEntry& e) {
  if (e.extras == nullptr) e.extras = new ConnectionExtras();
  return *e.extras;
}

void ConnectionAnalyzer::process(const FlowSegment& s) {
  if (s.ts > m_lastPacket) m_lastPacket = s.ts;
  ConnectionKey key;
  key.protocol = s.protocol;
  const std::uint16_t vlan =
      s.vlan >= 0 ? static_cast<std::uint16_t>(s.vlan) : ConnectionKey::kNoVlan;
  if (m_config.splitVlans) key.vlan = vlan;
  const auto order = s.src <=> s.dst;
  const bool senderIsA = order < 0 || (order == 0 && s.srcPort <= s.dstPort);
  if (senderIsA) {
    key.a = s.src;
    key.b = s.dst;
    key.aPort = s.srcPort;
    key.bPort = s.dstPort;
  } else {
    key.a = s.dst;
    key.b = s.src;
    key.aPort = s.dstPort;
    key.bPort = s.srcPort;
  }
  const std::uint8_t sender = senderIsA ? 0 : 1;
  const bool isTcp = s.protocol == decoder::ipproto::kTcp && s.tcpHeaderValid;

  bool inserted = false;
  std::uint32_t index = m_table.findOrInsert(key, inserted);
  if (!inserted && isTcp && isSynOnly(s.tcpFlags)) {
    const TcpSideState& fwd = m_table[index].tcp[sender];
    if ((fwd.state & TcpSideState::kBaseSet) != 0 && s.tcpSeq != fwd.base) {
      finish(index);  // a new connection on a reused 5-tuple
      index = m_table.findOrInsert(key, inserted);
    }
  }
  if (inserted && m_table.size() > m_config.maxConnections) {
    const std::uint32_t victim = m_table.oldest();
    if (victim != index) erase(victim);
  }
  ConnectionEntry& e = m_table[index];
  if (inserted) {
    e.firstSeen = s.ts;
    e.lastSeen = s.ts;
    const bool aLow = key.aPort < kFirstEphemeralPort;
    const bool bLow = key.bPort < kFirstEphemeralPort;
    if (aLow != bLow) {
      e.clientSide = aLow ? 1 : 0;  // the well-known port is the server's
    } else {
      e.clientSide = sender;
    }
  }
  if (isTcp && (e.flags & ConnectionEntry::kClientFromHandshake) == 0) {
    if (isSynOnly(s.tcpFlags)) {
      e.clientSide = sender;
      e.flags |= ConnectionEntry::kClientFromHandshake;
    } else if (isSynAck(s.tcpFlags)) {
      e.clientSide = static_cast<std::uint8_t>(1 - sender);
      e.flags |= ConnectionEntry::kClientFromHandshake;
    }
  }
  // Eviction order needs only second resolution; re-linking the LRU list on every packet
  // costs two more cache misses.
  if (!inserted && secondOf(s.ts) != secondOf(e.lastSeen)) m_table.touch(index);
  if (s.ts < e.firstSeen) e.firstSeen = s.ts;
  if (s.ts > e.lastSeen) e.lastSeen = s.ts;

  if (e.vlans[sender] == ConnectionKey::kNoVlan) e.vlans[sender] = vlan;
  ConnectionSide& side = e.sides[sender];
  ++side.packets;
  side.bytes += s.wireLength;
  const std::uint32_t second = secondOf(s.ts);
  if (second > e.rateSecond) {
    e.prevRateSecond = e.rateSecond;
    e.prevRateBytes = e.rateBytes;
    e.rateSecond = second;
    e.rateBytes = {};
  }
  std::uint32_t& rate = e.rateBytes[sender];
  rate = rate > UINT32_MAX - s.wireLength ? UINT32_MAX : rate + s.wireLength;

  if (isTcp) {
    TcpSegment seg;
    seg.ts = s.ts;
    seg.seq = s.tcpSeq;
    seg.ack = s.tcpAck;
    seg.length = s.segmentLength;
    seg.window = s.tcpWindow;
    seg.flags = s.tcpFlags;
    seg.windowScale = s.tcpWindowScale;
    const std::uint16_t ev = analyzeTcpSegment(seg, e.tcp[sender], e.tcp[1 - sender], e.handshake);
    if ((ev & (tcpevent::kAnyRetransmission | tcpevent::kOutOfOrder)) != 0) {
      TcpTroubleSide& t = extrasOf(e).trouble[sender];
      if ((ev & tcpevent::kRetransmission) != 0) ++t.retransmissions;
      if ((ev & tcpevent::kFastRetransmission) != 0) ++t.fastRetransmissions;
      if ((ev & tcpevent::kSpuriousRetransmission) != 0) ++t.spuriousRetransmissions;
      if ((ev & tcpevent::kOutOfOrder) != 0) ++t.outOfOrder;
      if ((ev & tcpevent::kAnyRetransmission) != 0) t.retransmittedBytes += s.segmentLength;
    }
  }
  if (!e.dpi.done &&
      (s.protocol == decoder::ipproto::kTcp || s.protocol == decoder::ipproto::kUdp ||
       s.protocol == decoder::ipproto::kSctp)) {
    const bool closing = isTcp && (s.tcpFlags & (flag::kFin | flag::kRst)) != 0;
    m_dpi.process(e.dpi, s.ipHeader, s.ipCapturedLength, s.ts, s.segmentLength != 0, closing);
  }
}

void ConnectionAnalyzer::finish(std::uint32_t index) {
  m_dpi.finish(m_table[index].dpi);
  if (m_finished.size() < m_config.maxFinished) m_finished.push_back(toRecord(m_table[index]));
  erase(index);
}

protocol::ConnectionRecord ConnectionAnalyzer::toRecord(const ConnectionEntry& e) const {
  protocol::ConnectionRecord r;
  const int c = e.clientSide;
  const int sv = 1 - c;
  r.protocol = e.key.protocol;
  r.clientIp = c == 0 ? e.key.a : e.key.b;
  r.clientPort = c == 0 ? e.key.aPort : e.key.bPort;
  r.serverIp = c == 0 ? e.key.b : e.key.a;
  r.serverPort = c == 0 ? e.key.bPort : e.key.aPort;
  const std::uint16_t vlan = e.vlans[c] != ConnectionKey::kNoVlan ? e.vlans[c] : e.vlans[sv];
  r.vlan = vlan == ConnectionKey::kNoVlan ? -1 : vlan;
  r.firstSeen = e.firstSeen;
  r.lastSeen = e.lastSeen;
  r.c2sPackets = e.sides[c].packets;
  r.c2sBytes = e.sides[c].bytes;
  r.s2cPackets = e.sides[sv].packets;
  r.s2cBytes = e.sides[sv].bytes;
  const std::uint32_t last = secondOf(m_lastPacket);
  const auto bitsIn = [&](int side) -> double {
    if (last == 0) return 0;
    if (e.rateSecond == last - 1) return e.rateBytes[side] * 8.0;
    if (e.prevRateSecond == last - 1 && e.rateSecond == last) return e.prevRateBytes[side] * 8.0;
    return 0;
  };
  r.c2sBitsPerSecond = bitsIn(c);
  r.s2cBitsPerSecond = bitsIn(sv);
  if (e.key.protocol == decoder::ipproto::kTcp) {
    r.c2sTcp = tcpStatsOf(e.extras, c, e.tcp[c]);
    r.s2cTcp = tcpStatsOf(e.extras, sv, e.tcp[sv]);
    if (e.handshake.isComplete()) {
      const protocol::TimeNs serverLeg = e.handshake.serverLeg();
      r.handshakeServerNs = serverLeg;
      r.handshakeClientNs = e.handshake.initialRtt - serverLeg;
    }
    r.state = tcpStateOf(e);
  }
  r.app = m_dpi.name(e.dpi.result);
  return r;
}

void ConnectionAnalyzer::collectAll(std::vector<protocol::ConnectionRecord>& out) const {
  out.reserve(out.size() + m_finished.size() + m_table.size());
  out.insert(out.end(), m_finished.begin(), m_finished.end());
  for (std::uint32_t i = 0; i < m_table.capacity(); ++i) {
    if (m_table[i].isAlive) out.push_back(toRecord(m_table[i]));
  }
}

}  // namespace netlens::node::analysis
