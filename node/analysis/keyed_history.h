// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "node/analysis/history.h"
#include "node/analysis/host_history_pool.h"

namespace netlens::node::analysis {

/// Histories by key (a peer pair, an address's QoS class: kHostHistoryWidth counters; an
/// address's handshakes: more, some of them extremes), at most `capacity` of them: a
/// HostHistoryPool whose owners are found by key, so the memory ceiling is fixed whatever the
/// number of keys (about 7.5 KB per counter of a history with the default geometry, plus two index
/// cells of a key and a slot number).
///
/// Who gets a history: a key when it is first counted, while there is room; when there is
/// none, it takes the history of the key that has been quiet longest (the least recently
/// active), but only if that one has been quiet for `reclaimIdleNs` of packet time, as host
/// histories do. A key without a history asks again with its next packet.
///
/// Complete: a history holds all the traffic of its key when it began before the table ever
/// turned a key away or took a history from one — from then on a new key may have been seen
/// before (the table keeps nothing of keys without a history), so it is marked incomplete.
/// That errs only towards "incomplete".
///
/// Memory: the index is allocated with the table (two cells per history, key and slot each);
/// nothing is allocated per packet or per key but the history's counters on a slot's first
/// use.
/// Thread: owned by one analyser (worker thread), read under its lock.
template <typename Key, typename Hash>
class KeyedHistories {
 public:
  static constexpr std::uint32_t kNone = HostHistoryPool::kNone;

  KeyedHistories(std::size_t capacity, HistoryGeometry geometry, protocol::TimeNs reclaimIdleNs,
                 std::size_t width = HostHistoryPool::kHostHistoryWidth,
                 ExtremeColumns extremes = {})
      : m_pool(capacity, geometry, reclaimIdleNs, width, extremes) {
    if (capacity == 0) return;
    // At most half full, so a probe (hit or miss) ends within a few cells.
    std::size_t cells = 16;
    while (cells < 2 * capacity) cells *= 2;
    m_cells.resize(cells);
    m_mask = cells - 1;
  }

  /// The counters of the second of `ts` in `key`'s history, giving it one when possible;
  /// nullptr when it has none (the budget is taken by keys active within reclaimIdleNs).
  std::uint64_t* rowFor(const Key& key, protocol::TimeNs ts) {
    if (m_pool.capacity() == 0) return nullptr;
    std::uint32_t slot = kNone;
    if (m_lastSlot != kNone && key == m_lastKey) {
      slot = m_lastSlot;
    } else {
      const std::size_t cell = findCell(key);
      slot = cell != kNoCell ? m_cells[cell].slot : acquire(key, ts);
      if (slot == kNone) return nullptr;
      m_lastKey = key;
      m_lastSlot = slot;
    }
    // The eviction order needs only seconds: re-linking the pool's list once per second
    // of a key instead of once per packet.
    const std::int64_t second = ts / 1'000'000'000;
    if (m_touched[slot] != second) {
      m_touched[slot] = second;
      m_pool.touch(slot, ts);
    }
    return m_pool.history(slot).rowFor(ts);
  }

  /// `key`'s history, or nullptr; `*complete` as described above.
  const History* find(const Key& key, bool* complete) const {
    if (m_cells.empty()) return nullptr;
    const std::size_t cell = findCell(key);
    if (cell == kNoCell) return nullptr;
    const std::uint32_t slot = m_cells[cell].slot;
    *complete = m_complete[slot] != 0;
    return &m_pool.history(slot);
  }

  /// Whether a key may be missing traffic or be missing altogether: the table has turned a
  /// key away or taken a history from one.
  bool hasLost() const { return m_lossy; }
  std::size_t size() const { return m_size; }
  std::size_t capacity() const { return m_pool.capacity(); }
  /// Keys that lost their history to a more recently active one.
  std::uint64_t evictions() const { return m_evictions; }
  /// Bytes held: the histories allocated so far and the index.
  std::size_t memoryBytes() const {
    return m_pool.memoryBytes() + m_cells.capacity() * sizeof(Cell) +
           m_keys.capacity() * sizeof(Key) + m_touched.capacity() * sizeof(std::int64_t) +
           m_complete.capacity();
  }

 private:
  /// An open-addressing index (linear probing, at most half full): a lookup touches one or
  /// two cache lines of one array, where a node-based map chased two pointers per packet.
  struct Cell {
    Key key{};
    std::uint32_t slot = kNone;  ///< kNone: empty
  };
  static constexpr std::size_t kNoCell = SIZE_MAX;

  std::size_t homeOf(const Key& key) const { return Hash{}(key)&m_mask; }

  std::size_t findCell(const Key& key) const {
    for (std::size_t i = homeOf(key);; i = (i + 1) & m_mask) {
      const Cell& c = m_cells[i];
      if (c.slot == kNone) return kNoCell;
      if (c.key == key) return i;
    }
  }
  void insertCell(const Key& key, std::uint32_t slot) {
    std::size_t i = homeOf(key);
    while (m_cells[i].slot != kNone) i = (i + 1) & m_mask;
    m_cells[i] = Cell{key, slot};
    ++m_size;
  }
  /// Removes the cell of `key`, moving later cells of its probe run back into the gap (no
  /// tombstones, so misses stay short however many keys came and went).
  void eraseCell(const Key& key) {
    std::size_t gap = findCell(key);
    if (gap == kNoCell) return;
    --m_size;
    m_cells[gap].slot = kNone;
    for (std::size_t j = (gap + 1) & m_mask; m_cells[j].slot != kNone; j = (j + 1) & m_mask) {
      const std::size_t home = homeOf(m_cells[j].key);
      // The cell at j may move to the gap unless its home lies cyclically in (gap, j].
      const bool homeBetween = gap < j ? (home > gap && home <= j) : (home > gap || home <= j);
      if (homeBetween) continue;
      m_cells[gap] = m_cells[j];
      m_cells[j].slot = kNone;
      gap = j;
    }
  }

  std::uint32_t acquire(const Key& key, protocol::TimeNs ts) {
    std::uint32_t previous = kNone;
    const std::uint32_t slot = m_pool.acquire(0, ts, !m_lossy, &previous);
    if (slot == kNone) {
      m_lossy = true;
      return kNone;
    }
    if (slot >= m_keys.size()) {
      m_keys.resize(slot + 1);
      m_touched.resize(slot + 1, INT64_MIN);
      m_complete.resize(slot + 1, 0);
    }
    if (previous != kNone) {
      // The pool reports the old owner (always 0 here): the slot's key says who it was.
      eraseCell(m_keys[slot]);
      ++m_evictions;
      m_lossy = true;
    }
    m_keys[slot] = key;
    m_touched[slot] = ts / 1'000'000'000;
    m_complete[slot] = m_pool.startedWithHost(slot) ? 1 : 0;
    insertCell(key, slot);
    return slot;
  }

  HostHistoryPool m_pool;
  std::vector<Cell> m_cells;
  std::size_t m_mask = 0;
  std::size_t m_size = 0;
  std::vector<Key> m_keys;               ///< by slot
  std::vector<std::int64_t> m_touched;   ///< by slot: second of the last touch
  std::vector<std::uint8_t> m_complete;  ///< by slot
  Key m_lastKey{};                       ///< the last key looked up, and its slot
  std::uint32_t m_lastSlot = kNone;
  bool m_lossy = false;
  std::uint64_t m_evictions = 0;
};

}  // namespace netlens::node::analysis
