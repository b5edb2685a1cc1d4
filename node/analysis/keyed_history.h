// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "node/analysis/history.h"
#include "node/analysis/host_history_pool.h"

namespace netlens::node::analysis {

/// Histories of kHostHistoryWidth counters by key (a peer pair, an address's QoS class), at
/// most `capacity` of them: a HostHistoryPool whose owners are found by key, so the memory
/// ceiling is fixed whatever the number of keys (about 30 KB per history with the default
/// geometry, plus about 100 bytes of index per key held).
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
/// Memory: the index grows by one node per key given a history (not per packet).
/// Thread: owned by one analyser (worker thread), read under its lock.
template <typename Key, typename Hash>
class KeyedHistories {
 public:
  static constexpr std::uint32_t kNone = HostHistoryPool::kNone;

  KeyedHistories(std::size_t capacity, HistoryGeometry geometry, protocol::TimeNs reclaimIdleNs)
      : m_pool(capacity, geometry, reclaimIdleNs) {
    m_index.reserve(std::min<std::size_t>(capacity, 4096));
  }

  /// The counters of the second of `ts` in `key`'s history, giving it one when possible;
  /// nullptr when it has none (the budget is taken by keys active within reclaimIdleNs).
  std::uint64_t* rowFor(const Key& key, protocol::TimeNs ts) {
    if (m_pool.capacity() == 0) return nullptr;
    std::uint32_t slot = kNone;
    if (m_lastSlot != kNone && key == m_lastKey) {
      slot = m_lastSlot;
    } else {
      const auto it = m_index.find(key);
      slot = it != m_index.end() ? it->second : acquire(key, ts);
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
    const auto it = m_index.find(key);
    if (it == m_index.end()) return nullptr;
    *complete = m_complete[it->second] != 0;
    return &m_pool.history(it->second);
  }

  /// Whether a key may be missing traffic or be missing altogether: the table has turned a
  /// key away or taken a history from one.
  bool hasLost() const { return m_lossy; }
  std::size_t size() const { return m_index.size(); }
  std::size_t capacity() const { return m_pool.capacity(); }
  /// Keys that lost their history to a more recently active one.
  std::uint64_t evictions() const { return m_evictions; }
  /// Bytes held: the histories allocated so far and the index.
  std::size_t memoryBytes() const {
    return m_pool.memoryBytes() + m_index.bucket_count() * sizeof(void*) +
           m_index.size() * (sizeof(Key) + 2 * sizeof(void*) + sizeof(std::uint32_t)) +
           m_keys.capacity() * sizeof(Key) + m_touched.capacity() * sizeof(std::int64_t) +
           m_complete.capacity();
  }

 private:
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
      m_index.erase(m_keys[slot]);
      ++m_evictions;
      m_lossy = true;
    }
    m_keys[slot] = key;
    m_touched[slot] = ts / 1'000'000'000;
    m_complete[slot] = m_pool.startedWithHost(slot) ? 1 : 0;
    m_index.emplace(key, slot);
    return slot;
  }

  HostHistoryPool m_pool;
  std::unordered_map<Key, std::uint32_t, Hash> m_index;
  std::vector<Key> m_keys;               ///< by slot
  std::vector<std::int64_t> m_touched;   ///< by slot: second of the last touch
  std::vector<std::uint8_t> m_complete;  ///< by slot
  Key m_lastKey{};                       ///< the last key looked up, and its slot
  std::uint32_t m_lastSlot = kNone;
  bool m_lossy = false;
  std::uint64_t m_evictions = 0;
};

}  // namespace netlens::node::analysis
