// SPDX-License-Identifier: MIT
// How ConnectionAnalyzer stores a connection apart from its entry's counters: the 16-byte key
// (IPv4 addresses in place, IPv6 ones by number), the TCP state (none yet, the first one or
// two segments, or the state itself in the side table or the extras) and the extras' slot.
#include <cstring>

#include "node/analysis/connection_analyzer.h"
#include "shared/net/address_order.h"

namespace netlens::node::analysis {

ConnectionExtras& ConnectionAnalyzer::extrasOf(ConnectionEntry& e) {
  if (e.extrasSlot == ConnectionEntry::kNoExtras) {
    e.extrasSlot = m_extras.acquire();
    m_extras[e.extrasSlot] = new ConnectionExtras();
  }
  return *m_extras[e.extrasSlot];
}

namespace {

LoggedSegment logged(const TcpSegment& seg, int sender) {
  LoggedSegment l;
  l.seq = seg.seq;
  l.ack = seg.ack;
  l.lengthAndSide = seg.length | (sender == 1 ? LoggedSegment::kFromB : 0);
  l.window = seg.window;
  l.flags = seg.flags;
  l.windowScale = seg.windowScale;
  return l;
}

/// Analyses logged segment `l` at time `ts` into `tcp`.
void replay(const LoggedSegment& l, protocol::TimeNs ts, WideTcp& tcp) {
  TcpSegment seg;
  seg.ts = ts;
  seg.seq = l.seq;
  seg.ack = l.ack;
  seg.length = l.lengthAndSide & LoggedSegment::kMaxLength;
  seg.window = l.window;
  seg.flags = l.flags;
  seg.windowScale = l.windowScale;
  const int sender = (l.lengthAndSide & LoggedSegment::kFromB) != 0 ? 1 : 0;
  analyzeTcpSegment(seg, tcp.sides[sender], tcp.sides[1 - sender], tcp.handshake);
}

}  // namespace

void ConnectionAnalyzer::loadTcp(const ConnectionEntry& e, WideTcp& out) const {
  if ((e.flags & ConnectionEntry::kWideTcp) != 0) {
    out = *extrasIf(e)->wideTcp;
  } else if ((e.flags & ConnectionEntry::kOneSegment) != 0) {
    out = WideTcp{};
    replay(m_oneSegment[e.tcpSlot], e.firstSeen, out);
  } else if ((e.flags & ConnectionEntry::kTwoSegments) != 0) {
    out = WideTcp{};
    const TwoLoggedSegments& two = m_twoSegments[e.tcpSlot];
    replay(two.segments[0], e.firstSeen, out);
    replay(two.segments[1], two.secondTs, out);
  } else if (e.tcpSlot == TcpStateTable::kNone) {
    out = WideTcp{};
  } else {
    m_tcp[e.tcpSlot].unpack(e.firstSeen, out);
  }
}

void ConnectionAnalyzer::releaseTcp(ConnectionEntry& e) {
  if (e.tcpSlot == TcpStateTable::kNone) return;
  if ((e.flags & ConnectionEntry::kOneSegment) != 0) {
    m_oneSegment.release(e.tcpSlot);
  } else if ((e.flags & ConnectionEntry::kTwoSegments) != 0) {
    m_twoSegments.release(e.tcpSlot);
  } else {
    m_tcp.release(e.tcpSlot);
  }
  e.tcpSlot = TcpStateTable::kNone;
  e.flags &= static_cast<std::uint8_t>(~ConnectionEntry::kLoggedSegments);
}

void ConnectionAnalyzer::storeTcp(ConnectionEntry& e, const WideTcp& tcp) {
  if (e.tcpSlot == TcpStateTable::kNone || (e.flags & ConnectionEntry::kLoggedSegments) != 0) {
    releaseTcp(e);
    e.tcpSlot = m_tcp.acquire();
  }
  if (m_tcp[e.tcpSlot].pack(tcp, e.firstSeen)) {
    if ((e.flags & ConnectionEntry::kWideTcp) != 0) {
      extrasIf(e)->wideTcp.reset();
      e.flags &= static_cast<std::uint8_t>(~ConnectionEntry::kWideTcp);
    }
    return;
  }
  ConnectionExtras& x = extrasOf(e);
  if (!x.wideTcp) x.wideTcp = std::make_unique<WideTcp>();
  *x.wideTcp = tcp;
  e.flags |= ConnectionEntry::kWideTcp;
}

namespace {

/// The key of a connection from a packet's endpoints in canonical order (`senderIsA`: the
/// source is the key's `a` side): IPv4 addresses in place, others by `number(address)`;
/// false when that gives AddressNumbers::kNone.
template <typename Number>
bool fillKey(const net::IpAddress& src, const net::IpAddress& dst, std::uint16_t srcPort,
             std::uint16_t dstPort, std::uint8_t protocol, std::uint16_t vlan, bool splitVlans,
             bool& senderIsA, ConnectionKey* key, Number number) {
  *key = ConnectionKey{};
  key->protocol = protocol;
  if (splitVlans) key->vlan = vlan;
  senderIsA = net::compareEnds(src, srcPort, dst, dstPort) <= 0;
  key->aPort = senderIsA ? srcPort : dstPort;
  key->bPort = senderIsA ? dstPort : srcPort;
  const auto put = [&](const net::IpAddress& ip, std::uint32_t* word, std::uint8_t flag) {
    if (ip.isV4()) {
      std::memcpy(word, ip.bytes.data(), 4);
      return true;
    }
    *word = number(ip);
    key->numbered |= flag;
    return *word != AddressNumbers::kNone;
  };
  return put(senderIsA ? src : dst, &key->a, ConnectionKey::kANumbered) &&
         put(senderIsA ? dst : src, &key->b, ConnectionKey::kBNumbered);
}

}  // namespace

ConnectionKey ConnectionAnalyzer::keyOf(const net::IpAddress& src, const net::IpAddress& dst,
                                        std::uint16_t srcPort, std::uint16_t dstPort,
                                        std::uint8_t protocol, std::uint16_t vlan,
                                        bool& senderIsA) {
  ConnectionKey key;
  fillKey(src, dst, srcPort, dstPort, protocol, vlan, m_config.splitVlans, senderIsA, &key,
          [&](const net::IpAddress& ip) { return m_numbers.numberOf(ip); });
  return key;
}

bool ConnectionAnalyzer::findKey(const net::IpAddress& src, const net::IpAddress& dst,
                                 std::uint16_t srcPort, std::uint16_t dstPort,
                                 std::uint8_t protocol, std::uint16_t vlan, bool& senderIsA,
                                 ConnectionKey* out) const {
  return fillKey(src, dst, srcPort, dstPort, protocol, vlan, m_config.splitVlans, senderIsA, out,
                 [&](const net::IpAddress& ip) { return m_numbers.find(ip); });
}

void ConnectionAnalyzer::holdAddresses(const ConnectionKey& key) {
  if ((key.numbered & ConnectionKey::kANumbered) != 0) m_numbers.hold(key.a);
  if ((key.numbered & ConnectionKey::kBNumbered) != 0) m_numbers.hold(key.b);
}

void ConnectionAnalyzer::releaseAddresses(const ConnectionKey& key) {
  if ((key.numbered & ConnectionKey::kANumbered) != 0) m_numbers.release(key.a);
  if ((key.numbered & ConnectionKey::kBNumbered) != 0) m_numbers.release(key.b);
}

net::IpAddress ConnectionAnalyzer::addressOf(const ConnectionKey& key, int side) const {
  const std::uint32_t word = side == 0 ? key.a : key.b;
  const std::uint8_t flag = side == 0 ? ConnectionKey::kANumbered : ConnectionKey::kBNumbered;
  if ((key.numbered & flag) != 0) return m_numbers.address(word);
  net::IpAddress ip;
  ip.family = 4;
  std::memcpy(ip.bytes.data(), &word, 4);
  return ip;
}

std::uint16_t ConnectionAnalyzer::analyzeSegment(ConnectionEntry& e, const TcpSegment& seg,
                                                 int sender, protocol::TimeNs* initialRtt) {
  WideTcp tcp;
  std::uint16_t ev = 0;
  // The first two segments are kept as they are, the state made from them when needed (the
  // first must be the connection's first packet: firstSeen is its time). A packet older
  // than the first (timestamps running backwards) has process() store the state in full first.
  const bool loggable = seg.length <= LoggedSegment::kMaxLength;
  if (loggable && e.tcpSlot == TcpStateTable::kNone && seg.ts == e.firstSeen) {
    ev = analyzeTcpSegment(seg, tcp.sides[sender], tcp.sides[1 - sender], tcp.handshake);
    e.tcpSlot = m_oneSegment.acquire();
    m_oneSegment[e.tcpSlot] = logged(seg, sender);
    e.flags |= ConnectionEntry::kOneSegment;
  } else if (loggable && (e.flags & ConnectionEntry::kOneSegment) != 0) {
    loadTcp(e, tcp);
    ev = analyzeTcpSegment(seg, tcp.sides[sender], tcp.sides[1 - sender], tcp.handshake);
    const LoggedSegment first = m_oneSegment[e.tcpSlot];
    releaseTcp(e);
    e.tcpSlot = m_twoSegments.acquire();
    m_twoSegments[e.tcpSlot] = {{first, logged(seg, sender)}, seg.ts};
    e.flags |= ConnectionEntry::kTwoSegments;
  } else {
    loadTcp(e, tcp);
    ev = analyzeTcpSegment(seg, tcp.sides[sender], tcp.sides[1 - sender], tcp.handshake);
    storeTcp(e, tcp);
  }
  if ((ev & tcpevent::kHandshakeComplete) != 0) *initialRtt = tcp.handshake.initialRtt;
  return ev;
}

}  // namespace netlens::node::analysis
