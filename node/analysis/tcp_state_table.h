// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "node/analysis/chunked_array.h"
#include "node/analysis/compact_tcp.h"

namespace netlens::node::analysis {

/// The TCP states of a worker's connections, apart from the connection table: a UDP, ICMP or
/// other connection (29 % of the medium bench set) then carries a 4-byte slot number instead
/// of a CompactTcp's 88 bytes (see ConnectionEntry::tcpSlot). A state is reached from its
/// slot number by one indexed access into fixed-size chunks (no hash); states never move.
/// Released slots are reused last-in first-out, so a table that keeps replacing ended
/// connections does not grow. Not thread-safe: owned by one ConnectionAnalyzer.
class TcpStateTable {
 public:
  /// The slot number of no state.
  static constexpr std::uint32_t kNone = 0xffffffffu;

  /// A slot holding a fresh (value-initialised) state, until release().
  std::uint32_t acquire() {
    ++m_used;
    if (m_free.empty()) return m_states.append();
    const std::uint32_t slot = m_free.back();
    m_free.pop_back();
    m_states[slot] = CompactTcp{};
    return slot;
  }
  /// Gives back a slot acquire() returned; its state is meaningless from now on.
  void release(std::uint32_t slot) {
    m_free.push_back(slot);
    --m_used;
  }

  CompactTcp& operator[](std::uint32_t slot) { return m_states[slot]; }
  const CompactTcp& operator[](std::uint32_t slot) const { return m_states[slot]; }
  /// Slots acquired and not released.
  std::size_t size() const { return m_used; }
  /// Bytes held by the states and the free list, for memory reports.
  std::size_t memoryBytes() const {
    return m_states.memoryBytes() + m_free.capacity() * sizeof(std::uint32_t);
  }

 private:
  ChunkedArray<CompactTcp> m_states;
  std::vector<std::uint32_t> m_free;  ///< released slots, reused last first
  std::size_t m_used = 0;
};

}  // namespace netlens::node::analysis
