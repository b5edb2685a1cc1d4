// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "node/analysis/chunked_array.h"
#include "node/analysis/compact_tcp.h"

namespace netlens::node::analysis {

/// A TCP segment as a connection that has had only one or two keeps it (ConnectionEntry::
/// kOneSegment, kTwoSegments): its TCP state is what analysing them from scratch gives, so
/// it keeps the segments (16 or 40 bytes) instead of the state (88) and makes the state again
/// from them when needed. An unanswered SYN or one answered by a reset (the scans and refused
/// connections of the medium bench set, more than half of its connections) never needs more.
struct LoggedSegment {
  static constexpr std::uint32_t kFromB = 0x80000000u;      ///< sent by key side b
  static constexpr std::uint32_t kMaxLength = 0x7fffffffu;  ///< longer ones are not logged
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint32_t lengthAndSide = 0;  ///< payload bytes per the headers, | kFromB
  std::uint16_t window = 0;
  std::uint8_t flags = 0;
  std::int8_t windowScale = -1;
};
static_assert(sizeof(LoggedSegment) == 16);

/// The first two segments: the first at the connection's first time (ConnectionEntry::
/// firstSeen), the second at `secondTs`.
struct TwoLoggedSegments {
  std::array<LoggedSegment, 2> segments{};
  std::int64_t secondTs = 0;
};
static_assert(sizeof(TwoLoggedSegments) == 40);

/// Per-connection TCP data of a worker, apart from the connection table: a UDP, ICMP or other
/// connection (29 % of the medium bench set) then carries a 4-byte slot number instead of a
/// CompactTcp's 88 bytes (see ConnectionEntry::tcpSlot). A value is reached from its slot
/// number by one indexed access into fixed-size chunks (no hash); values never move.
/// Released slots are reused last-in first-out, so a table that keeps replacing ended
/// connections does not grow. Not thread-safe: owned by one ConnectionAnalyzer.
template <typename T>
class SlotTable {
 public:
  /// The slot number of no value.
  static constexpr std::uint32_t kNone = 0xffffffffu;

  /// A slot holding a fresh (value-initialised) value, until release().
  std::uint32_t acquire() {
    ++m_used;
    if (m_free.empty()) return m_values.append();
    const std::uint32_t slot = m_free.back();
    m_free.pop_back();
    m_values[slot] = T{};
    return slot;
  }
  /// Gives back a slot acquire() returned; its value is meaningless from now on.
  void release(std::uint32_t slot) {
    m_free.push_back(slot);
    --m_used;
  }

  T& operator[](std::uint32_t slot) { return m_values[slot]; }
  const T& operator[](std::uint32_t slot) const { return m_values[slot]; }
  /// Slots acquired and not released.
  std::size_t size() const { return m_used; }
  /// Bytes held by the values and the free list, for memory reports.
  std::size_t memoryBytes() const {
    return m_values.memoryBytes() + m_free.capacity() * sizeof(std::uint32_t);
  }

 private:
  ChunkedArray<T> m_values;
  std::vector<std::uint32_t> m_free;  ///< released slots, reused last first
  std::size_t m_used = 0;
};

using TcpStateTable = SlotTable<CompactTcp>;
using OneSegmentTable = SlotTable<LoggedSegment>;
using TwoSegmentTable = SlotTable<TwoLoggedSegments>;

}  // namespace netlens::node::analysis
