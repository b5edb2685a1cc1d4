// SPDX-License-Identifier: MIT
#include "shared/decoder/flow_hash.h"

#include <cstring>
#include <optional>
#include <utility>

namespace netlens::decoder {

namespace {

inline std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

inline std::uint64_t hashAddress(const net::IpAddress& a) {
  std::uint64_t lo;
  std::uint64_t hi;
  std::memcpy(&lo, a.bytes.data(), 8);
  std::memcpy(&hi, a.bytes.data() + 8, 8);
  return mix(lo ^ mix(hi + a.family));
}

inline std::uint64_t hashMac(const net::MacAddress& m) {
  std::uint64_t v = 0;
  std::memcpy(&v, m.bytes.data(), 6);
  return mix(v + 0x9e3779b97f4a7c15ULL);
}

// Orders the two endpoints so that swapping them does not change the result.
inline std::uint64_t combine(std::uint64_t a, std::uint64_t b, std::uint64_t extra) {
  if (a > b) std::swap(a, b);
  return mix(a ^ mix(b ^ mix(extra)));
}

}  // namespace

std::uint64_t symmetricFlowHash(const DecodedPacket& packet) noexcept {
  if (packet.ipCount != 0) {
    int layer = packet.ipCount - 1;
    for (int i = 0; i < packet.ipCount; ++i) {
      if (packet.ip[i].isFragment()) {
        layer = i;
        break;
      }
    }
    const IpLayer& ip = packet.ip[layer];
    std::uint64_t a = hashAddress(ip.src);
    std::uint64_t b = hashAddress(ip.dst);
    const TransportLayer& t = packet.transport;
    if (t.ipIndex == layer && !ip.isFragment() && t.hasPorts()) {
      // Pair each address with its own port before ordering.
      a = mix(a ^ t.srcPort);
      b = mix(b ^ t.dstPort);
    }
    return combine(a, b, ip.protocol);
  }
  if (packet.l2Count != 0) {
    const L2Segment& l2 = packet.l2[0];
    return combine(l2.hasSrc ? hashMac(l2.src) : 0, l2.hasDst ? hashMac(l2.dst) : 0, 0x4c32);
  }
  return 0;
}

namespace {

inline std::uint16_t rd16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}

/// Ports after an IP header at `l4` if the transport is a plain TCP or UDP header that the
/// full decoder would accept and not follow into a tunnel; false otherwise.
bool plainPorts(const std::uint8_t* l4, std::uint32_t available, std::uint8_t protocol,
                std::uint16_t* src, std::uint16_t* dst) {
  if (protocol == 6) {
    if (available < 20 || (l4[12] >> 4) < 5 || (l4[12] >> 4) * 4u > available) return false;
  } else if (protocol == 17) {
    if (available < 8) return false;
  } else {
    return false;
  }
  *src = rd16(l4);
  *dst = rd16(l4 + 2);
  if (protocol == 17 && (*src == 4789 || *dst == 4789 || *src == 6081 || *dst == 6081)) {
    return false;  // VXLAN / Geneve: the flow is the inner one
  }
  return true;
}

}  // namespace

std::optional<std::uint64_t> quickFlowHash(int linkType, const std::uint8_t* data,
                                           std::uint32_t capturedLength) noexcept {
  if (linkType != 1 || capturedLength < 14) return std::nullopt;
  std::uint32_t off = 12;
  std::uint16_t type = rd16(data + off);
  for (int tags = 0; (type == 0x8100 || type == 0x88a8) && tags < 2; ++tags) {
    if (capturedLength < off + 6) return std::nullopt;
    off += 4;
    type = rd16(data + off);
  }
  off += 2;
  const std::uint8_t* ip = data + off;
  const std::uint32_t available = capturedLength - off;
  std::uint16_t sport = 0, dport = 0;
  if (type == 0x0800) {
    if (available < 20 || (ip[0] >> 4) != 4) return std::nullopt;
    const std::uint32_t headerLength = (ip[0] & 0x0f) * 4u;
    const std::uint32_t totalLength = rd16(ip + 2);
    if (headerLength < 20 || totalLength < headerLength || totalLength > available) {
      return std::nullopt;
    }
    if ((rd16(ip + 6) & 0x3fff) != 0) return std::nullopt;  // fragment
    if (!plainPorts(ip + headerLength, totalLength - headerLength, ip[9], &sport, &dport)) {
      return std::nullopt;
    }
    std::uint64_t a = mix(hashAddress(net::IpAddress::fromV4(ip + 12)) ^ sport);
    std::uint64_t b = mix(hashAddress(net::IpAddress::fromV4(ip + 16)) ^ dport);
    return combine(a, b, ip[9]);
  }
  if (type == 0x86dd) {
    if (available < 40 || (ip[0] >> 4) != 6) return std::nullopt;
    const std::uint32_t payloadLength = rd16(ip + 4);
    if (payloadLength == 0 || payloadLength > available - 40) return std::nullopt;
    if (!plainPorts(ip + 40, payloadLength, ip[6], &sport, &dport)) return std::nullopt;
    std::uint64_t a = mix(hashAddress(net::IpAddress::fromV6(ip + 8)) ^ sport);
    std::uint64_t b = mix(hashAddress(net::IpAddress::fromV6(ip + 24)) ^ dport);
    return combine(a, b, ip[6]);
  }
  return std::nullopt;
}

}  // namespace netlens::decoder
