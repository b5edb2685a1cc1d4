// SPDX-License-Identifier: MIT
#include "node/store/index_sessions.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <numeric>

#include "node/store/index_codec.h"
#include "shared/net/address_order.h"

namespace netlens::node::store {

namespace {

constexpr std::uint8_t kFlagV6 = 1;
constexpr std::uint8_t kFlagPorts = 2;
/// Format 5: bits 2–3 of the flags code the protocol (0: a protocol byte follows).
constexpr unsigned kProtocolShift = 2;
constexpr std::uint8_t kProtocolMask = 3 << kProtocolShift;

std::uint8_t icmpOf(bool v6) {
  return v6 ? 58 : 1;
}

/// How far `later` is after `earlier` (ns), in unsigned arithmetic: right for any two times
/// in order, even where the difference does not fit a signed number (a damaged header).
std::uint64_t since(std::int64_t later, std::int64_t earlier) {
  return static_cast<std::uint64_t>(later) - static_cast<std::uint64_t>(earlier);
}

/// `base` and `distance` after it, as a time (the inverse of since()).
std::int64_t after(std::int64_t base, std::uint64_t distance) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(base) + distance);
}

/// The protocol's code in a record's flags, or 0 for one that takes its own byte.
std::uint8_t protocolCode(std::uint8_t protocol, bool v6) {
  if (protocol == 6) return 1;
  if (protocol == 17) return 2;
  return protocol == icmpOf(v6) ? 3 : 0;
}

void putPort(std::string& out, std::uint16_t port) {
  out.push_back(static_cast<char>(port >> 8));
  out.push_back(static_cast<char>(port & 0xff));
}

/// The same kind, length and the bytes of that length (whatever follows them).
bool sameKey(const IndexKey& x, const IndexKey& y) {
  return x.kind == y.kind && x.length == y.length &&
         std::equal(x.value.begin(), x.value.begin() + x.length, y.value.begin());
}

}  // namespace

bool IndexSession::carries(bool fromB, const IndexKey& key) const {
  switch (key.kind) {
    case KeyKind::SrcIp:
      return sameKey(IndexKey::ip(key.kind, fromB ? b : a), key);
    case KeyKind::DstIp:
      return sameKey(IndexKey::ip(key.kind, fromB ? a : b), key);
    case KeyKind::SrcPort:
      return hasPorts && sameKey(IndexKey::number(key.kind, fromB ? bPort : aPort, 2), key);
    case KeyKind::DstPort:
      return hasPorts && sameKey(IndexKey::number(key.kind, fromB ? aPort : bPort, 2), key);
    case KeyKind::IpProtocol:
      return sameKey(IndexKey::number(key.kind, protocol, 1), key);
    default:
      return false;
  }
}

void IndexSession::appendPacketsWith(const IndexKey& key, std::vector<std::uint32_t>* out) const {
  for (const std::uint32_t p : packets) {
    if (carries((p & 1) != 0, key)) out->push_back(p >> 1);
  }
}

void IndexSession::appendPacketsWithMac(const IndexKey& key, bool ofB,
                                        std::vector<std::uint32_t>* out) const {
  // A packet b sent has b's MAC as its source; one a sent, as its destination.
  const bool wantFromB = key.kind == KeyKind::SrcMac ? ofB : !ofB;
  if (key.kind != KeyKind::SrcMac && key.kind != KeyKind::DstMac) return;
  for (const std::uint32_t p : packets) {
    if (((p & 1) != 0) == wantFromB) out->push_back(p >> 1);
  }
}

void mergeAppended(std::vector<std::uint32_t>* out, std::size_t sorted) {
  const auto middle = out->begin() + static_cast<std::ptrdiff_t>(sorted);
  std::sort(middle, out->end());
  std::inplace_merge(out->begin(), middle, out->end());
}

bool SessionAddresses::read(detail::ByteReader& r, std::uint32_t version) {
  timeUnit = 1;
  if (version >= kSessionCountersVersion && (!r.varint(&timeUnit) || timeUnit == 0)) return false;
  if (!r.varint(&v4Count) || !r.varint(&v6Count) || v4Count > r.remaining() / 4) return false;
  v4 = r.take(4 * v4Count);
  if (!v4 || v6Count > r.remaining() / 16) return false;
  v6 = r.take(16 * v6Count);
  return v6 != nullptr;
}

bool SessionAddresses::get(bool isV6, std::uint64_t number, net::IpAddress* out) const {
  if (number >= (isV6 ? v6Count : v4Count)) return false;
  *out = isV6 ? net::IpAddress::fromV6(v6 + 16 * number) : net::IpAddress::fromV4(v4 + 4 * number);
  return true;
}

void encodeSessionTable(const std::vector<IndexSession>& sessions, std::int64_t minTime,
                        std::string* fences, std::string* body) {
  // The time unit: what every time since minTime is a multiple of.
  std::uint64_t unit = 0;
  const auto fold = [&unit](std::uint64_t d) {
    // gcd(unit, d), with one division where d is a multiple of it already (nearly always).
    if (unit == 0 || d % unit != 0) unit = std::gcd(unit, d);
  };
  std::size_t packets = 0;
  for (const IndexSession& s : sessions) {
    fold(since(s.firstTime, minTime));
    fold(since(s.lastTime, minTime));
    packets += s.packets.size();
  }
  if (unit == 0) unit = 1;
  // Each end of each session (session << 1 | side), in address order: the addresses, each
  // once, are numbered in that order, IPv4 ones first (the family orders first).
  std::vector<std::pair<net::IpAddress, std::uint32_t>> ends;
  ends.reserve(2 * sessions.size());
  for (std::size_t n = 0; n < sessions.size(); ++n) {
    ends.emplace_back(sessions[n].a, static_cast<std::uint32_t>(n << 1));
    ends.emplace_back(sessions[n].b, static_cast<std::uint32_t>(n << 1 | 1));
  }
  std::sort(ends.begin(), ends.end(), [](const auto& x, const auto& y) {
    return net::compareAddresses(x.first, y.first) < 0;
  });
  std::vector<std::uint32_t> numberOfEnd(ends.size());
  std::vector<const net::IpAddress*> addresses;
  std::size_t v4Count = 0;
  for (std::size_t i = 0; i < ends.size(); ++i) {
    const net::IpAddress& a = ends[i].first;
    if (i == 0 || !net::sameAddress(ends[i - 1].first, a)) {
      addresses.push_back(&a);
      if (!a.isV6()) ++v4Count;
    }
    // An address's number counts within its family.
    numberOfEnd[ends[i].second] =
        static_cast<std::uint32_t>(addresses.size() - 1 - (a.isV6() ? v4Count : 0));
  }
  std::string records;
  // An estimate: 4 bytes an address (IPv4), about 16 of a session's own, 2 of each packet's.
  records.reserve(4 * addresses.size() + 16 * sessions.size() + 2 * packets);
  detail::putVarint(records, unit);
  detail::putVarint(records, v4Count);
  detail::putVarint(records, addresses.size() - v4Count);
  for (const net::IpAddress* a : addresses)
    records.append(reinterpret_cast<const char*>(a->bytes.data()), a->isV6() ? 16 : 4);
  std::uint32_t previousFirst = 0;
  std::uint64_t previousTime = 0;
  for (std::size_t n = 0; n < sessions.size(); ++n) {
    const IndexSession& s = sessions[n];
    if (n % kSessionsPerFence == 0) {
      detail::putFixed<std::uint32_t>(*fences, static_cast<std::uint32_t>(records.size()));
      previousFirst = 0;
      previousTime = 0;
    }
    const bool v6 = s.a.isV6();
    const std::uint8_t code = protocolCode(s.protocol, v6);
    records.push_back(static_cast<char>((v6 ? kFlagV6 : 0) | (s.hasPorts ? kFlagPorts : 0) |
                                        code << kProtocolShift));
    if (code == 0) records.push_back(static_cast<char>(s.protocol));
    detail::putVarint(records, numberOfEnd[n << 1]);
    detail::putVarint(records, numberOfEnd[n << 1 | 1]);
    if (s.hasPorts) {
      putPort(records, s.aPort);
      putPort(records, s.bPort);
    }
    const std::uint64_t time = since(s.firstTime, minTime) / unit;
    detail::putVarint(records, detail::zigzag(static_cast<std::int64_t>(time - previousTime)));
    detail::putVarint(records, since(s.lastTime, s.firstTime) / unit);
    previousTime = time;
    detail::putVarint(records, s.bytes);
    detail::putVarint(records, s.packets.size());
    std::uint32_t previous = previousFirst;
    for (const std::uint32_t p : s.packets) {
      const std::uint32_t number = p >> 1;
      detail::putVarint(records, std::uint64_t{number - previous} << 1 | (p & 1));
      previous = number;
    }
    previousFirst = s.firstPacket();
  }
  *body = std::move(records);
}

bool decodeSession(detail::ByteReader& r, const SessionContext& context, bool firstOfFence,
                   SessionCursorState* state, IndexSession* out, bool whole) {
  const bool withTimes = context.version >= kSessionCountersVersion;
  std::uint8_t flags = 0;
  if (!r.bytes(&flags, 1)) return false;
  const std::uint8_t known = kFlagV6 | kFlagPorts | (withTimes ? kProtocolMask : 0);
  if ((flags & ~known) != 0) return false;
  const bool v6 = (flags & kFlagV6) != 0;
  out->hasPorts = (flags & kFlagPorts) != 0;
  const unsigned code = (flags & kProtocolMask) >> kProtocolShift;
  if (code == 0) {
    if (!r.bytes(&out->protocol, 1)) return false;
  } else {
    out->protocol = code == 1 ? 6 : code == 2 ? 17 : icmpOf(v6);
  }
  std::uint64_t a = 0;
  std::uint64_t b = 0;
  const SessionAddresses& addresses = *context.addresses;
  if (!r.varint(&a) || !r.varint(&b)) return false;
  const std::uint64_t addressCount = v6 ? addresses.v6Count : addresses.v4Count;
  // A record only got past is checked as far as finding the next one needs (the pages are
  // checked against their checksums all the same); the one asked for, whole.
  if (!whole) {
    if (a >= addressCount || b >= addressCount || (out->hasPorts && !r.take(4))) return false;
  } else {
    if (!addresses.get(v6, a, &out->a) || !addresses.get(v6, b, &out->b)) return false;
    out->aPort = out->bPort = 0;
    if (out->hasPorts) {
      const std::uint8_t* p = r.take(4);
      if (!p) return false;
      out->aPort = static_cast<std::uint16_t>(p[0] << 8 | p[1]);
      out->bPort = static_cast<std::uint16_t>(p[2] << 8 | p[3]);
    }
    if (net::compareEnds(out->a, out->aPort, out->b, out->bPort) > 0) return false;  // b first
  }
  if (firstOfFence) *state = SessionCursorState{};
  out->firstTime = out->lastTime = 0;
  out->bytes = 0;
  if (withTimes) {
    // Both times inside the segment's range, the span not negative.
    const std::uint64_t units = since(context.maxTime, context.minTime) / addresses.timeUnit;
    std::uint64_t delta = 0;
    std::uint64_t span = 0;
    if (!r.varint(&delta) || !r.varint(&span)) return false;
    const std::int64_t step = detail::unzigzag(delta);
    const std::uint64_t previous = state->previousTime;
    if (step < 0 ? static_cast<std::uint64_t>(-(step + 1)) >= previous
                 : static_cast<std::uint64_t>(step) > units - previous)
      return false;
    const std::uint64_t time = previous + static_cast<std::uint64_t>(step);
    if (span > units - time) return false;
    state->previousTime = time;
    out->firstTime = after(context.minTime, time * addresses.timeUnit);
    out->lastTime = after(out->firstTime, span * addresses.timeUnit);
    if (!r.varint(&out->bytes)) return false;
  }
  std::uint64_t count = 0;
  // Each packet takes a byte at least.
  if (!r.varint(&count) || count == 0 || count > context.packetCount || count > r.remaining())
    return false;
  out->packets.clear();
  if (whole) out->packets.reserve(count);
  std::uint64_t number = state->previousFirst;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t v = 0;
    if (!r.varint(&v)) return false;
    const std::uint64_t distance = v >> 1;
    // Packets ascend within a session; a session starts after the one before.
    if (distance == 0 && (i > 0 || !firstOfFence)) return false;
    number += distance;
    if (number >= context.packetCount || number >= kMaxSessionPacket) return false;
    if (i == 0) state->previousFirst = static_cast<std::uint32_t>(number);
    if (whole) out->packets.push_back(static_cast<std::uint32_t>(number << 1 | (v & 1)));
  }
  return true;
}

SessionTable::Hit SessionTable::add(std::uint32_t packet, std::int64_t time,
                                    std::uint32_t wireLength, std::uint8_t protocol,
                                    const net::IpAddress& src, const net::IpAddress& dst,
                                    bool hasPorts, std::uint16_t srcPort, std::uint16_t dstPort,
                                    const net::MacAddress* srcMac, const net::MacAddress* dstMac) {
  if (!hasPorts) srcPort = dstPort = 0;
  const bool srcIsA = net::compareEnds(src, srcPort, dst, dstPort) <= 0;
  IndexSession key;
  key.protocol = protocol;
  key.hasPorts = hasPorts;
  key.a = srcIsA ? src : dst;
  key.b = srcIsA ? dst : src;
  key.aPort = srcIsA ? srcPort : dstPort;
  key.bPort = srcIsA ? dstPort : srcPort;
  if (srcMac != nullptr && dstMac != nullptr) {
    key.hasMacs = true;
    key.aMac = srcIsA ? *srcMac : *dstMac;
    key.bMac = srcIsA ? *dstMac : *srcMac;
  }
  if (m_slots.size() < 2 * (m_sessions.size() + 1))
    grow(std::max<std::size_t>(1024, 2 * m_slots.size()));
  const std::uint64_t hash = hashOf(key);
  const std::size_t slot = slotOf(key, hash);
  Hit hit;
  if (m_slots[slot].number == 0) {
    key.firstTime = key.lastTime = time;
    m_sessions.push_back(std::move(key));
    m_slots[slot] =
        Slot{static_cast<std::uint32_t>(hash >> 32), static_cast<std::uint32_t>(m_sessions.size())};
    hit.added = true;
  }
  hit.number = m_slots[slot].number - 1;
  IndexSession& s = m_sessions[hit.number];
  s.packets.push_back(packet << 1 | (srcIsA ? 0u : 1u));
  s.firstTime = std::min(s.firstTime, time);
  s.lastTime = std::max(s.lastTime, time);
  s.bytes += wireLength;
  return hit;
}

void SessionTable::assign(std::vector<IndexSession> sessions) {
  m_sessions = std::move(sessions);
  m_slots.clear();
  grow(std::max<std::size_t>(1024, std::bit_ceil(2 * m_sessions.size() + 2)));
}

std::uint64_t SessionTable::hashOf(const IndexSession& s) {
  std::uint64_t h = net::IpAddressHash{}(s.a) * 0x9E3779B97F4A7C15ull;
  h ^= net::IpAddressHash{}(s.b) + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2);
  h ^= (std::uint64_t{s.aPort} << 24 | std::uint64_t{s.bPort} << 8 | s.protocol) *
       0xBF58476D1CE4E5B9ull;
  // The MACs rarely tell sessions of the same ends apart: only a's is mixed in.
  if (s.hasMacs) {
    std::uint64_t mac = 0;
    std::memcpy(&mac, s.aMac.bytes.data(), 6);
    h ^= mac * 0x94D049BB133111EBull;
  }
  return h ^ (h >> 29);
}

bool SessionTable::sameEnds(const IndexSession& x, const IndexSession& y) {
  return x.protocol == y.protocol && x.hasPorts == y.hasPorts && x.aPort == y.aPort &&
         x.bPort == y.bPort && net::sameAddress(x.a, y.a) && net::sameAddress(x.b, y.b) &&
         x.hasMacs == y.hasMacs && (!x.hasMacs || (x.aMac == y.aMac && x.bMac == y.bMac));
}

std::size_t SessionTable::slotOf(const IndexSession& key, std::uint64_t hash) const {
  // A slot holds the hash's upper half beside the session number: a probe reads a session
  // (a cache miss) only when the two agree.
  const std::size_t mask = m_slots.size() - 1;
  const auto tag = static_cast<std::uint32_t>(hash >> 32);
  for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask) {
    const Slot s = m_slots[slot];
    if (s.number == 0 || (s.tag == tag && sameEnds(m_sessions[s.number - 1], key))) return slot;
  }
}

void SessionTable::grow(std::size_t slots) {
  m_slots.assign(slots, Slot{});
  for (std::size_t i = 0; i < m_sessions.size(); ++i) {
    const std::uint64_t hash = hashOf(m_sessions[i]);
    m_slots[slotOf(m_sessions[i], hash)] =
        Slot{static_cast<std::uint32_t>(hash >> 32), static_cast<std::uint32_t>(i + 1)};
  }
}

}  // namespace netlens::node::store
