// SPDX-License-Identifier: MIT
#include "node/demo/frame_builder.h"

#include <algorithm>
#include <utility>

namespace netlens::node::demo {

namespace {

constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
constexpr std::uint16_t kEtherTypeArp = 0x0806;
constexpr std::uint16_t kEtherTypeVlan = 0x8100;
constexpr std::uint16_t kEtherTypeIpv6 = 0x86DD;
constexpr std::uint8_t kProtoIcmp = 1;
constexpr std::uint8_t kProtoTcp = 6;
constexpr std::uint8_t kProtoUdp = 17;
constexpr std::uint8_t kProtoIcmpv6 = 58;
constexpr std::size_t kMinFrameSize = 60;  // without FCS

void put16(std::vector<std::uint8_t>& v, std::uint16_t x) {
  v.push_back(static_cast<std::uint8_t>(x >> 8));
  v.push_back(static_cast<std::uint8_t>(x));
}

void put32(std::vector<std::uint8_t>& v, std::uint32_t x) {
  put16(v, static_cast<std::uint16_t>(x >> 16));
  put16(v, static_cast<std::uint16_t>(x));
}

void store16(std::uint8_t* p, std::uint16_t x) {
  p[0] = static_cast<std::uint8_t>(x >> 8);
  p[1] = static_cast<std::uint8_t>(x);
}

void append(std::vector<std::uint8_t>& v, std::span<const std::uint8_t> s) {
  v.insert(v.end(), s.begin(), s.end());
}

std::span<const std::uint8_t> addressBytes(const net::IpAddress& ip) {
  return {ip.bytes.data(), ip.isV4() ? 4u : 16u};
}

std::uint32_t sum16(std::span<const std::uint8_t> data, std::uint32_t sum) {
  std::size_t i = 0;
  for (; i + 1 < data.size(); i += 2) sum += (std::uint32_t{data[i]} << 8) | data[i + 1];
  if (i < data.size()) sum += std::uint32_t{data[i]} << 8;
  return sum;
}

/// Pseudo-header sum (RFC 768/793 for IPv4, RFC 8200 section 8.1 for IPv6).
std::uint32_t pseudoHeaderSum(const net::IpAddress& src, const net::IpAddress& dst,
                              std::uint8_t protocol, std::size_t length) {
  std::uint32_t sum = sum16(addressBytes(src), 0);
  sum = sum16(addressBytes(dst), sum);
  sum += protocol;
  sum += static_cast<std::uint32_t>(length >> 16) + static_cast<std::uint32_t>(length & 0xFFFF);
  return sum;
}

/// Flow labels as Linux picks them: a hash of the addresses, stable per host pair.
std::uint32_t flowLabel(const net::IpAddress& a, const net::IpAddress& b) {
  std::uint32_t h = 2166136261u;
  for (auto byte : a.bytes) h = (h ^ byte) * 16777619u;
  for (auto byte : b.bytes) h = (h ^ byte) * 16777619u;
  return h & 0xFFFFF;
}

}  // namespace

std::uint16_t FrameBuilder::internetChecksum(std::span<const std::uint8_t> data,
                                             std::uint32_t partialSum) {
  std::uint64_t sum = sum16(data, 0);
  sum += partialSum;
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xFFFF);
}

std::vector<DemoFrame> FrameBuilder::takeFrames() {
  return std::exchange(m_frames, {});
}

void FrameBuilder::emit(std::int64_t timestampNs, const net::MacAddress& dstMac,
                        const net::MacAddress& srcMac, std::uint16_t vlan, std::uint16_t etherType,
                        std::span<const std::uint8_t> payload) {
  DemoFrame frame;
  frame.timestampNs = timestampNs;
  auto& b = frame.bytes;
  b.reserve(18 + payload.size());
  append(b, dstMac.bytes);
  append(b, srcMac.bytes);
  if (vlan != 0) {
    put16(b, kEtherTypeVlan);
    put16(b, vlan & 0x0FFF);  // priority 0, DEI 0
  }
  put16(b, etherType);
  append(b, payload);
  if (b.size() < kMinFrameSize) b.resize(kMinFrameSize, 0);
  m_frames.push_back(std::move(frame));
}

std::vector<std::uint8_t> FrameBuilder::ipPacket(const DemoHost& src, const net::IpAddress& dstIp,
                                                 std::uint8_t protocol, std::uint8_t dscp,
                                                 std::uint8_t ttl, std::span<const std::uint8_t> l4,
                                                 std::size_t checksumOffset) {
  std::vector<std::uint8_t> l4Copy(l4.begin(), l4.end());
  const bool usesPseudoHeader = !(src.ip.isV4() && protocol == kProtoIcmp);
  const std::uint32_t pseudo =
      usesPseudoHeader ? pseudoHeaderSum(src.ip, dstIp, protocol, l4Copy.size()) : 0;
  store16(&l4Copy[checksumOffset], 0);
  std::uint16_t checksum = internetChecksum(l4Copy, pseudo);
  if (protocol == kProtoUdp && checksum == 0) checksum = 0xFFFF;  // 0 means "none" in UDP
  store16(&l4Copy[checksumOffset], checksum);

  std::vector<std::uint8_t> p;
  p.reserve(40 + l4Copy.size());
  if (src.ip.isV4()) {
    auto [it, inserted] = m_ipIds.try_emplace(
        src.ip, static_cast<std::uint16_t>(src.ip.bytes[2] * 251u + src.ip.bytes[3] * 97u));
    const std::uint16_t id = it->second++;
    p.push_back(0x45);
    p.push_back(static_cast<std::uint8_t>(dscp << 2));
    put16(p, static_cast<std::uint16_t>(20 + l4Copy.size()));
    put16(p, id);
    put16(p, 0x4000);  // don't fragment
    p.push_back(ttl);
    p.push_back(protocol);
    put16(p, 0);
    append(p, addressBytes(src.ip));
    append(p, addressBytes(dstIp));
    store16(&p[10], internetChecksum({p.data(), 20}));
  } else {
    const std::uint32_t label = flowLabel(src.ip, dstIp);
    put32(p, (6u << 28) | (std::uint32_t{dscp} << 22) | label);
    put16(p, static_cast<std::uint16_t>(l4Copy.size()));
    p.push_back(protocol);
    p.push_back(ttl);
    append(p, addressBytes(src.ip));
    append(p, addressBytes(dstIp));
  }
  append(p, l4Copy);
  return p;
}

void FrameBuilder::tcp(std::int64_t timestampNs, const DemoHost& src, std::uint16_t srcPort,
                       const DemoHost& dst, std::uint16_t dstPort, std::uint32_t seq,
                       std::uint32_t ack, std::uint8_t flags, std::uint16_t window,
                       std::span<const std::uint8_t> options,
                       std::span<const std::uint8_t> payload) {
  std::vector<std::uint8_t> seg;
  const std::size_t optionBytes = (options.size() + 3) / 4 * 4;
  seg.reserve(20 + optionBytes + payload.size());
  put16(seg, srcPort);
  put16(seg, dstPort);
  put32(seg, seq);
  put32(seg, (flags & kTcpAck) ? ack : 0);
  seg.push_back(static_cast<std::uint8_t>(((20 + optionBytes) / 4) << 4));
  seg.push_back(flags);
  put16(seg, window);
  put16(seg, 0);  // checksum
  put16(seg, 0);  // urgent pointer
  append(seg, options);
  seg.resize(20 + optionBytes, 0);  // pad with end-of-options
  append(seg, payload);
  const auto packet = ipPacket(src, dst.ip, kProtoTcp, 0, src.ttl, seg, 16);
  emit(timestampNs, dst.mac, src.mac, std::max(src.vlan, dst.vlan),
       src.ip.isV4() ? kEtherTypeIpv4 : kEtherTypeIpv6, packet);
}

void FrameBuilder::udp(std::int64_t timestampNs, const DemoHost& src, std::uint16_t srcPort,
                       const DemoHost& dst, std::uint16_t dstPort,
                       std::span<const std::uint8_t> payload, std::uint8_t dscp) {
  std::vector<std::uint8_t> dgram;
  dgram.reserve(8 + payload.size());
  put16(dgram, srcPort);
  put16(dgram, dstPort);
  put16(dgram, static_cast<std::uint16_t>(8 + payload.size()));
  put16(dgram, 0);
  append(dgram, payload);
  const auto packet = ipPacket(src, dst.ip, kProtoUdp, dscp, src.ttl, dgram, 6);
  emit(timestampNs, dst.mac, src.mac, std::max(src.vlan, dst.vlan),
       src.ip.isV4() ? kEtherTypeIpv4 : kEtherTypeIpv6, packet);
}

void FrameBuilder::icmpEcho(std::int64_t timestampNs, const DemoHost& src, const DemoHost& dst,
                            bool isReply, std::uint16_t identifier, std::uint16_t sequence,
                            std::span<const std::uint8_t> data) {
  const bool v4 = src.ip.isV4();
  std::vector<std::uint8_t> msg;
  msg.push_back(v4 ? (isReply ? 0 : 8) : (isReply ? 129 : 128));
  msg.push_back(0);
  put16(msg, 0);
  put16(msg, identifier);
  put16(msg, sequence);
  append(msg, data);
  const auto packet = ipPacket(src, dst.ip, v4 ? kProtoIcmp : kProtoIcmpv6, 0, src.ttl, msg, 2);
  emit(timestampNs, dst.mac, src.mac, std::max(src.vlan, dst.vlan),
       v4 ? kEtherTypeIpv4 : kEtherTypeIpv6, packet);
}

void FrameBuilder::icmpv6(std::int64_t timestampNs, const DemoHost& src,
                          const net::IpAddress& dstIp, const net::MacAddress& dstMac,
                          std::uint8_t type, std::uint8_t code, std::span<const std::uint8_t> body,
                          std::uint8_t hopLimit) {
  std::vector<std::uint8_t> msg{type, code, 0, 0};
  append(msg, body);
  const auto packet = ipPacket(src, dstIp, kProtoIcmpv6, 0, hopLimit, msg, 2);
  emit(timestampNs, dstMac, src.mac, src.vlan, kEtherTypeIpv6, packet);
}

void FrameBuilder::arp(std::int64_t timestampNs, const DemoHost& sender, const DemoHost& target,
                       bool isReply) {
  std::vector<std::uint8_t> a;
  put16(a, 1);               // hardware: Ethernet
  put16(a, kEtherTypeIpv4);  // protocol: IPv4
  a.push_back(6);
  a.push_back(4);
  put16(a, isReply ? 2 : 1);
  append(a, sender.mac.bytes);
  append(a, addressBytes(sender.ip));
  if (isReply) {
    append(a, target.mac.bytes);
  } else {
    a.insert(a.end(), 6, 0);
  }
  append(a, addressBytes(target.ip));
  const net::MacAddress broadcast{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
  emit(timestampNs, isReply ? target.mac : broadcast, sender.mac,
       std::max(sender.vlan, target.vlan), kEtherTypeArp, a);
}

}  // namespace netlens::node::demo
