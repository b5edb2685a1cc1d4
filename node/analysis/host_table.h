// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

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
  std::uint64_t txPackets = 0;
  std::uint64_t txBytes = 0;
  std::uint64_t rxPackets = 0;
  std::uint64_t rxBytes = 0;
  std::uint64_t tcpPackets = 0;
  std::uint64_t udpPackets = 0;
  protocol::TimeNs firstSeen = 0;
  protocol::TimeNs firstRecent = 0;
  protocol::TimeNs lastSeen = 0;
  RateWindow rate;
  std::array<net::MacAddress, kMaxMacsPerHost> macs{};
  std::array<std::uint16_t, kMaxVlansPerHost> vlans{};
};

/// Open-addressing hash table (linear probing, backward-shift deletion) from IpAddress to a
/// HostEntry kept in a dense array, with an intrusive least-recently-updated list for
/// eviction. Entry indices are stable while the entry lives; freed indices are reused.
/// Grows by doubling (amortised; never per packet once warm). Not thread-safe: owned by one
/// worker thread.
class HostTable {
 public:
  static constexpr std::uint32_t kNil = 0xffffffffu;

  explicit HostTable(std::size_t expectedHosts = 1024);

  /// Index of the entry for `ip`, or kNil.
  std::uint32_t find(const net::IpAddress& ip) const;
  /// Index of the entry for `ip`, inserting a zeroed live entry if absent (`inserted` set).
  std::uint32_t findOrInsert(const net::IpAddress& ip, bool& inserted);
  /// Frees the entry (must be alive). Its index may be reused by the next insert.
  void erase(std::uint32_t index);
  /// Moves the entry to the most-recently-updated end of the LRU list.
  void touch(std::uint32_t index);
  /// Least-recently-updated live entry, or kNil when empty.
  std::uint32_t oldest() const { return m_lruHead; }
  std::uint32_t newer(std::uint32_t index) const { return m_entries[index].lruNext; }

  HostEntry& operator[](std::uint32_t index) { return m_entries[index]; }
  const HostEntry& operator[](std::uint32_t index) const { return m_entries[index]; }
  std::size_t size() const { return m_size; }
  /// Upper bound of entry indices (live or free) for iteration with isAlive checks.
  std::size_t capacity() const { return m_entries.size(); }

 private:
  struct Slot {
    std::uint32_t hash = 0;  ///< low 32 bits of the key's hash, to skip most key compares
    std::uint32_t index = kNil;
  };
  static std::uint64_t hashOf(const net::IpAddress& ip);
  void rehash(std::size_t slotCount);
  void lruUnlink(std::uint32_t index);
  void lruAppend(std::uint32_t index);

  std::vector<Slot> m_slots;  // size is a power of two, load ≤ 1/2
  std::size_t m_mask = 0;
  std::vector<HostEntry> m_entries;
  std::vector<std::uint32_t> m_free;
  std::size_t m_size = 0;
  std::uint32_t m_lruHead = kNil;
  std::uint32_t m_lruTail = kNil;
};

}  // namespace netlens::node::analysis
