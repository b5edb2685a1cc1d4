// SPDX-License-Identifier: MIT
#include "node/store/posting_table.h"

#include <algorithm>
#include <cstring>

namespace netlens::node::store {

namespace {

std::uint64_t mix(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

}  // namespace

PostingTable::Slot PostingTable::slotKey(const IndexKey& key) {
  // Bytes past `length` are always zero, so comparing all of `value` agrees with operator==.
  Slot s;
  std::memcpy(&s.a, key.value.data(), 8);
  std::memcpy(&s.b, key.value.data() + 8, 8);
  s.c = std::uint32_t{key.value[16]} | std::uint32_t{key.length} << 8 |
        std::uint32_t{static_cast<std::uint8_t>(key.kind)} << 16;
  return s;
}

std::uint64_t PostingTable::hashOf(const Slot& key) {
  return mix(key.a + key.b * 0x9e3779b97f4a7c15ull + std::uint64_t{key.c} * 0xc2b2ae3d27d4eb4full);
}

std::size_t PostingTable::slotOf(const Slot& key, std::uint64_t hash) const {
  const std::size_t mask = m_slots.size() - 1;
  for (std::size_t i = static_cast<std::size_t>(hash) & mask;; i = (i + 1) & mask) {
    const Slot& slot = m_slots[i];
    if (slot.entry == 0 || slot.sameKey(key)) return i;
  }
}

void PostingTable::reserve(std::size_t keys) {
  m_entries.reserve(keys);
  std::size_t slots = m_slots.empty() ? 1024 : m_slots.size();
  while (slots < 2 * keys) slots *= 2;
  if (slots != m_slots.size()) grow(slots);
}

void PostingTable::grow(std::size_t size) {
  std::vector<Slot> slots(size);
  m_slots.swap(slots);
  const std::size_t mask = m_slots.size() - 1;
  for (const Slot& slot : slots) {
    if (slot.entry == 0) continue;
    std::size_t i = static_cast<std::size_t>(hashOf(slot)) & mask;
    while (m_slots[i].entry != 0) i = (i + 1) & mask;
    m_slots[i] = slot;
  }
}

PostingTable::List& PostingTable::operator[](const IndexKey& key) {
  // At most half full, so probes stay short.
  if (2 * (m_entries.size() + 1) > m_slots.size())
    grow(m_slots.empty() ? 1024 : m_slots.size() * 2);
  Slot k = slotKey(key);
  Slot& slot = m_slots[slotOf(k, hashOf(k))];
  if (slot.entry != 0) return m_entries[slot.entry - 1].second;
  m_entries.emplace_back(key, List{});
  k.entry = static_cast<std::uint32_t>(m_entries.size());
  slot = k;
  return m_entries.back().second;
}

bool PostingTable::emplace(const IndexKey& key, List list) {
  const std::size_t before = m_entries.size();
  List& slot = (*this)[key];
  if (m_entries.size() == before) return false;
  slot = std::move(list);
  return true;
}

const PostingTable::List* PostingTable::find(const IndexKey& key) const {
  if (m_slots.empty()) return nullptr;
  const Slot k = slotKey(key);
  const Slot& slot = m_slots[slotOf(k, hashOf(k))];
  return slot.entry == 0 ? nullptr : &m_entries[slot.entry - 1].second;
}

std::vector<const PostingTable::Entry*> PostingTable::sorted() const {
  // Sorted on a prefix that orders like operator< (kind, length, then the first six bytes of
  // the value), so most comparisons touch no entry; only equal prefixes compare whole keys.
  std::vector<std::pair<std::uint64_t, const Entry*>> order;
  order.reserve(m_entries.size());
  for (const Entry& e : m_entries) {
    const IndexKey& k = e.first;
    std::uint64_t prefix =
        std::uint64_t{static_cast<std::uint8_t>(k.kind)} << 56 | std::uint64_t{k.length} << 48;
    for (int i = 0; i < 6; ++i) prefix |= std::uint64_t{k.value[i]} << (40 - 8 * i);
    order.emplace_back(prefix, &e);
  }
  std::sort(order.begin(), order.end(), [](const auto& x, const auto& y) {
    if (x.first != y.first) return x.first < y.first;
    return x.second->first < y.second->first;
  });
  std::vector<const Entry*> out;
  out.reserve(order.size());
  for (const auto& [prefix, entry] : order) out.push_back(entry);
  return out;
}

bool operator==(const PostingTable& a, const PostingTable& b) {
  if (a.size() != b.size()) return false;
  return std::all_of(a.begin(), a.end(), [&b](const PostingTable::Entry& e) {
    const PostingTable::List* other = b.find(e.first);
    return other != nullptr && *other == e.second;
  });
}

}  // namespace netlens::node::store
