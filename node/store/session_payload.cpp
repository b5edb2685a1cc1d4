// SPDX-License-Identifier: MIT
#include "node/store/session_payload.h"

#include <algorithm>

#include "shared/decoder/packet_decoder.h"

namespace netlens::node::store {

std::size_t SessionPayloadScanner::DirectionHash::operator()(const DirectionKey& k) const {
  const net::IpAddressHash hash;
  return hash(k.src) ^ (hash(k.dst) * 0x9e3779b97f4a7c15ULL) ^ (std::size_t{k.srcPort} << 16) ^
         k.dstPort;
}

bool SessionPayloadScanner::decode(const StoredPacket& p, SessionKey* key) {
  decoder::PacketDecoder::decode(static_cast<int>(p.linkType), p.data, p.capturedLength,
                                 p.wireLength, p.timestampNs, m_decoded);
  if (!m_decoded.hasIp()) return false;
  const auto& ip = m_decoded.innermostIp();
  const auto& t = m_decoded.transport;
  auto a = std::make_pair(ip.src, t.hasPorts() ? t.srcPort : std::uint16_t{0});
  auto b = std::make_pair(ip.dst, t.hasPorts() ? t.dstPort : std::uint16_t{0});
  if (b < a) std::swap(a, b);
  *key = SessionKey{int{ip.protocol}, a.first, a.second, b.first, b.second};
  return true;
}

void SessionPayloadScanner::feed(const StoredPacket& packet) {
  SessionKey key;
  if (!decode(packet, &key)) return;
  const auto& t = m_decoded.transport;
  const bool tcp = t.protocol == decoder::ipproto::kTcp && t.tcpHeaderValid;
  if (!tcp) {
    if (t.payloadLength != 0 && m_matcher.matches(t.payload, t.payloadLength)) m_found.insert(key);
    return;
  }
  const auto& ip = m_decoded.innermostIp();
  const DirectionKey dk{ip.src, ip.dst, t.srcPort, t.dstPort};
  auto it = m_directions.find(dk);
  if (it == m_directions.end()) {
    if (m_directions.size() >= kMaxDirections) {
      ++m_unfollowed;
      if (t.payloadLength != 0 && m_matcher.matches(t.payload, t.payloadLength))
        m_found.insert(key);
      return;
    }
    it = m_directions.emplace(dk, Direction{t.tcpSeq, {}}).first;
  }
  Direction& d = it->second;
  const bool syn = (t.tcpFlags & decoder::tcpflag::kSyn) != 0;
  if (syn) {
    // A (new) handshake: the stream starts after the SYN's sequence number.
    d.nextSeq = t.tcpSeq + 1;
    d.tail.clear();
    return;
  }
  if (t.payloadLength == 0) return;
  const std::uint8_t* data = t.payload;
  std::uint32_t length = t.payloadLength;
  const auto ahead = static_cast<std::int32_t>(t.tcpSeq - d.nextSeq);
  if (ahead < 0) {
    // Retransmitted or overlapping: only the bytes past what was followed are new.
    const auto seen = static_cast<std::uint32_t>(-static_cast<std::int64_t>(ahead));
    if (seen >= length) return;
    data += seen;
    length -= seen;
  } else if (ahead > 0) {
    d.tail.clear();  // a gap: bytes are missing, nothing spans it
  }
  m_buffer.assign(d.tail);
  m_buffer.append(reinterpret_cast<const char*>(data), length);
  if (m_matcher.matches(reinterpret_cast<const std::uint8_t*>(m_buffer.data()),
                        static_cast<std::uint32_t>(m_buffer.size())))
    m_found.insert(key);
  const std::size_t keep = m_matcher.length() > 0 ? m_matcher.length() - 1 : 0;
  d.tail = m_buffer.substr(m_buffer.size() - std::min(keep, m_buffer.size()));
  if (t.payloadLength < t.segmentLength) d.tail.clear();  // cut by the snapshot length
  d.nextSeq = t.tcpSeq + t.segmentLength;
}

bool SessionPayloadScanner::matches(const StoredPacket& packet) {
  SessionKey key;
  return decode(packet, &key) && m_found.count(key) != 0;
}

}  // namespace netlens::node::store
