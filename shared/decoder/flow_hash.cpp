// SPDX-License-Identifier: MIT
#include "shared/decoder/flow_hash.h"

#include <cstring>
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

}  // namespace netlens::decoder
