// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "node/analysis/chunked_array.h"

namespace netlens::node::analysis {

/// Open-addressing hash table (linear probing, backward-shift deletion) from a key to an
/// entry kept in a ChunkedArray, with an intrusive least-recently-updated list for
/// eviction. Entries never move: indices (and references) are stable while the entry lives,
/// and growing adds a chunk instead of copying the table, so memory never briefly doubles.
/// Freed indices are reused. The slot index grows by doubling (amortised; never per packet
/// once warm). Not thread-safe: owned by one worker.
///
/// `Entry` has the members `bool isAlive`, `bool isDirty` (kept across reuse of a freed
/// index: the owner's dirty list may still name it) and `std::uint32_t lruPrev, lruNext`.
/// `Traits` provides `using Key`, `static const Key& keyOf(const Entry&)`,
/// `static void setKey(Entry&, const Key&)`, `static std::uint64_t hash(const Key&)` and
/// `static bool equal(const Key&, const Key&)`.
template <typename Entry, typename Traits>
class LruTable {
 public:
  using Key = typename Traits::Key;
  static constexpr std::uint32_t kNil = 0xffffffffu;

  explicit LruTable(std::size_t expectedEntries = 1024) {
    std::size_t n = 16;
    while (n < expectedEntries * 2) n *= 2;
    rehash(n);
  }

  /// Index of the entry for `key`, or kNil.
  std::uint32_t find(const Key& key) const {
    const std::uint64_t h = Traits::hash(key);
    const auto tag = static_cast<std::uint32_t>(h);
    for (std::size_t i = h & m_mask;; i = (i + 1) & m_mask) {
      const Slot& s = m_slots[i];
      if (s.index == kNil) return kNil;
      if (s.hash == tag && Traits::equal(Traits::keyOf((*this)[s.index]), key)) return s.index;
    }
  }

  /// Index of the entry for `key`, inserting a value-initialised live entry if absent
  /// (`inserted` set). A new entry is the most recently updated.
  std::uint32_t findOrInsert(const Key& key, bool& inserted) {
    const std::uint64_t h = Traits::hash(key);
    const auto tag = static_cast<std::uint32_t>(h);
    std::size_t i = h & m_mask;
    for (;; i = (i + 1) & m_mask) {
      const Slot& s = m_slots[i];
      if (s.index == kNil) break;
      if (s.hash == tag && Traits::equal(Traits::keyOf((*this)[s.index]), key)) {
        inserted = false;
        return s.index;
      }
    }
    inserted = true;
    std::uint32_t index;
    if (!m_free.empty()) {
      index = m_free.back();
      m_free.pop_back();
      Entry& reused = (*this)[index];
      const bool wasDirty = reused.isDirty;
      reused = Entry{};
      reused.isDirty = wasDirty;
    } else {
      index = m_entries.append();
    }
    Entry& e = (*this)[index];
    Traits::setKey(e, key);
    e.isAlive = true;
    ++m_size;
    if ((m_size + 1) * 2 > m_slots.size()) {
      rehash(m_slots.size() * 2);  // re-inserts every live entry, this one included
    } else {
      m_slots[i] = Slot{tag, index};
    }
    lruAppend(index);
    return index;
  }

  /// Frees the entry (must be alive). Its index may be reused by the next insert.
  void erase(std::uint32_t index) {
    Entry& e = (*this)[index];
    std::size_t i = Traits::hash(Traits::keyOf(e)) & m_mask;
    while (m_slots[i].index != index) i = (i + 1) & m_mask;
    // Backward-shift deletion keeps every probe sequence unbroken without tombstones.
    for (std::size_t j = (i + 1) & m_mask;; j = (j + 1) & m_mask) {
      const Slot& s = m_slots[j];
      if (s.index == kNil) break;
      const std::size_t home = Traits::hash(Traits::keyOf((*this)[s.index])) & m_mask;
      // Move s into the hole at i if its home position does not lie cyclically in (i, j].
      const bool homeBetween = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (!homeBetween) {
        m_slots[i] = s;
        i = j;
      }
    }
    m_slots[i] = Slot{};
    lruUnlink(index);
    e.isAlive = false;
    m_free.push_back(index);
    --m_size;
  }

  /// Moves the entry to the most-recently-updated end of the LRU list.
  void touch(std::uint32_t index) {
    if (m_lruTail == index) return;
    lruUnlink(index);
    lruAppend(index);
  }
  /// Least-recently-updated live entry, or kNil when empty.
  std::uint32_t oldest() const { return m_lruHead; }
  std::uint32_t newer(std::uint32_t index) const { return (*this)[index].lruNext; }

  Entry& operator[](std::uint32_t index) { return m_entries[index]; }
  const Entry& operator[](std::uint32_t index) const { return m_entries[index]; }
  std::size_t size() const { return m_size; }
  /// Upper bound of entry indices (live or free) for iteration with isAlive checks.
  std::size_t capacity() const { return m_entries.size(); }
  /// Bytes held by the table's arrays (entries, slots, free list), for memory reports.
  std::size_t memoryBytes() const {
    return m_entries.memoryBytes() + m_slots.capacity() * sizeof(Slot) +
           m_free.capacity() * sizeof(std::uint32_t);
  }

 private:
  struct Slot {
    std::uint32_t hash = 0;  ///< low 32 bits of the key's hash, to skip most key compares
    std::uint32_t index = kNil;
  };

  void rehash(std::size_t slotCount) {
    m_slots.assign(slotCount, Slot{});
    m_mask = slotCount - 1;
    for (std::uint32_t index = 0; index < m_entries.size(); ++index) {
      if (!(*this)[index].isAlive) continue;
      const std::uint64_t h = Traits::hash(Traits::keyOf((*this)[index]));
      std::size_t i = h & m_mask;
      while (m_slots[i].index != kNil) i = (i + 1) & m_mask;
      m_slots[i] = Slot{static_cast<std::uint32_t>(h), index};
    }
  }
  void lruUnlink(std::uint32_t index) {
    Entry& e = (*this)[index];
    if (e.lruPrev != kNil) {
      (*this)[e.lruPrev].lruNext = e.lruNext;
    } else {
      m_lruHead = e.lruNext;
    }
    if (e.lruNext != kNil) {
      (*this)[e.lruNext].lruPrev = e.lruPrev;
    } else {
      m_lruTail = e.lruPrev;
    }
    e.lruPrev = e.lruNext = kNil;
  }
  void lruAppend(std::uint32_t index) {
    Entry& e = (*this)[index];
    e.lruPrev = m_lruTail;
    e.lruNext = kNil;
    if (m_lruTail != kNil) {
      (*this)[m_lruTail].lruNext = index;
    } else {
      m_lruHead = index;
    }
    m_lruTail = index;
  }

  std::vector<Slot> m_slots;  // size is a power of two, load ≤ 1/2
  std::size_t m_mask = 0;
  ChunkedArray<Entry> m_entries;  ///< every entry ever created (live or free)
  std::vector<std::uint32_t> m_free;
  std::size_t m_size = 0;
  std::uint32_t m_lruHead = kNil;
  std::uint32_t m_lruTail = kNil;
};

}  // namespace netlens::node::analysis
