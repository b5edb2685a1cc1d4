// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "node/analysis/lru_table.h"
#include "shared/net/ip_address.h"
#include "shared/protocol/messages.h"

namespace netlens::node::analysis {

inline constexpr std::size_t kMaxMacsPerHost = 4;   ///< further MACs of a host are not kept
inline constexpr std::size_t kMaxVlansPerHost = 8;  ///< further VLANs of a host are not kept

/// Address equality as two 8-byte compares instead of a memcmp call: it runs several times
/// per IP header on the hot path.
inline bool isSameAddress(const net::IpAddress& a, const net::IpAddress& b) {
  std::uint64_t a0;
  std::uint64_t a1;
  std::uint64_t b0;
  std::uint64_t b1;
  std::memcpy(&a0, a.bytes.data(), 8);
  std::memcpy(&a1, a.bytes.data() + 8, 8);
  std::memcpy(&b0, b.bytes.data(), 8);
  std::memcpy(&b1, b.bytes.data() + 8, 8);
  return ((a0 ^ b0) | (a1 ^ b1)) == 0 && a.family == b.family;
}

/// Packets and bytes of the packet-time second `second`, and of the one before it that had
/// traffic (`prevSecond`): enough to report the last complete second.
struct RateWindow {
  std::int64_t second = 0;
  std::int64_t prevSecond = 0;
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
  std::uint64_t prevPackets = 0;
  std::uint64_t prevBytes = 0;

  void add(std::int64_t packetSecond, std::uint64_t packetBytes) {
    if (packetSecond > second) {
      prevSecond = second;
      prevPackets = packets;
      prevBytes = bytes;
      second = packetSecond;
      packets = 0;
      bytes = 0;
    }
    // A packet older than the current second (out-of-order timestamps) joins the current one.
    ++packets;
    bytes += packetBytes;
  }
};

/// The hot-path form of a HostRecord: fixed size, inline MAC/VLAN sets, rate state, and the
/// table's bookkeeping. Converted to protocol::HostRecord only when collected.
struct HostEntry {
  net::IpAddress ip;
  bool isAlive = false;
  bool isDirty = false;  ///< listed in the dirty list since the last collectChanges
  std::uint8_t macCount = 0;
  std::uint8_t vlanCount = 0;
  std::uint32_t lruPrev = 0;
  std::uint32_t lruNext = 0;
  std::uint32_t historySlot = UINT32_MAX;  ///< HostHistoryPool slot, UINT32_MAX: none
  std::uint64_t txPackets = 0;
  std::uint64_t txBytes = 0;
  std::uint64_t rxPackets = 0;
  std::uint64_t rxBytes = 0;
  std::uint64_t tcpPackets = 0;
  std::uint64_t udpPackets = 0;
  std::uint64_t tcpPayloadBytes = 0;
  std::uint64_t tcpRetransPackets = 0;
  std::uint64_t tcpRetransBytes = 0;
  protocol::TimeNs firstSeen = 0;
  protocol::TimeNs firstRecent = 0;
  protocol::TimeNs lastSeen = 0;
  RateWindow rate;
  std::array<net::MacAddress, kMaxMacsPerHost> macs{};
  std::array<std::uint16_t, kMaxVlansPerHost> vlans{};
};

struct HostTableTraits {
  using Key = net::IpAddress;
  static const Key& keyOf(const HostEntry& e) { return e.ip; }
  static void setKey(HostEntry& e, const Key& ip) { e.ip = ip; }
  static std::uint64_t hash(const Key& ip) {
    std::uint64_t lo;
    std::uint64_t hi;
    std::memcpy(&lo, ip.bytes.data(), 8);
    std::memcpy(&hi, ip.bytes.data() + 8, 8);
    std::uint64_t h = (lo ^ (hi * 0x9E3779B97F4A7C15ULL) ^ ip.family) * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 29;
    h *= 0x94D049BB133111EBULL;
    return h ^ (h >> 32);
  }
  static bool equal(const Key& a, const Key& b) { return isSameAddress(a, b); }
};

/// IP address → HostEntry, with least-recently-updated order for eviction.
using HostTable = LruTable<HostEntry, HostTableTraits>;

}  // namespace netlens::node::analysis
