// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "node/store/index_key.h"

namespace netlens::node::store {

/// The posting lists of a segment index while it is built: each key with the packet numbers
/// that carry it, in an open-addressing hash table (a lookup per key of every appended packet
/// is a hash and usually one compare, where a sorted tree took some twenty key compares and
/// an allocation per new key). Entries stay in insertion order; sorted() orders them by key
/// for encoding, once per segment.
///
/// Thread: none of its own (the owning SegmentIndex's).
class PostingTable {
 public:
  using List = std::vector<std::uint32_t>;
  using Entry = std::pair<IndexKey, List>;

  /// Makes room for `keys` keys at once (e.g. as many as the previous segment had), so that
  /// the table does not grow step by step while packets are appended.
  void reserve(std::size_t keys);
  /// The list of `key`, added empty when absent.
  List& operator[](const IndexKey& key);
  /// Adds `key` with `list` unless it is there already; true when added.
  bool emplace(const IndexKey& key, List list);
  /// The list of `key`, or null.
  const List* find(const IndexKey& key) const;

  std::size_t size() const { return m_entries.size(); }
  bool empty() const { return m_entries.empty(); }
  /// Insertion order.
  std::vector<Entry>::const_iterator begin() const { return m_entries.begin(); }
  std::vector<Entry>::const_iterator end() const { return m_entries.end(); }
  /// Every entry, ordered by key (IndexKey's operator<).
  std::vector<const Entry*> sorted() const;

  /// The same keys with the same lists, in whatever order they were added.
  friend bool operator==(const PostingTable& a, const PostingTable& b);

 private:
  /// A key as three words (what the table compares and hashes) and its entry's number + 1
  /// (0: an empty slot): probing reads one slot, not the entry.
  struct Slot {
    std::uint64_t a = 0;
    std::uint64_t b = 0;
    std::uint32_t c = 0;
    std::uint32_t entry = 0;
    bool sameKey(const Slot& o) const { return a == o.a && b == o.b && c == o.c; }
  };
  static Slot slotKey(const IndexKey& key);
  static std::uint64_t hashOf(const Slot& key);
  /// The slot holding `key`, or the empty slot where it would go.
  std::size_t slotOf(const Slot& key, std::uint64_t hash) const;
  /// Rehashes into `slots` slots (a power of two larger than twice the keys).
  void grow(std::size_t slots);

  std::vector<Entry> m_entries;
  std::vector<Slot> m_slots;
};

}  // namespace netlens::node::store
