// SPDX-License-Identifier: MIT
#include "node/analysis/host_table.h"

#include <cstring>

namespace netlens::node::analysis {

namespace {
std::size_t slotCountFor(std::size_t hosts) {
  std::size_t n = 16;
  while (n < hosts * 2) n *= 2;
  return n;
}
}  // namespace

HostTable::HostTable(std::size_t expectedHosts) {
  m_entries.reserve(expectedHosts);
  rehash(slotCountFor(expectedHosts));
}

std::uint64_t HostTable::hashOf(const net::IpAddress& ip) {
  std::uint64_t lo;
  std::uint64_t hi;
  std::memcpy(&lo, ip.bytes.data(), 8);
  std::memcpy(&hi, ip.bytes.data() + 8, 8);
  std::uint64_t h = (lo ^ (hi * 0x9E3779B97F4A7C15ULL) ^ ip.family) * 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 29;
  h *= 0x94D049BB133111EBULL;
  return h ^ (h >> 32);
}

std::uint32_t HostTable::find(const net::IpAddress& ip) const {
  const std::uint64_t h = hashOf(ip);
  const auto tag = static_cast<std::uint32_t>(h);
  for (std::size_t i = h & m_mask;; i = (i + 1) & m_mask) {
    const Slot& s = m_slots[i];
    if (s.index == kNil) return kNil;
    if (s.hash == tag && isSameAddress(m_entries[s.index].ip, ip)) return s.index;
  }
}

std::uint32_t HostTable::findOrInsert(const net::IpAddress& ip, bool& inserted) {
  const std::uint64_t h = hashOf(ip);
  const auto tag = static_cast<std::uint32_t>(h);
  std::size_t i = h & m_mask;
  for (;; i = (i + 1) & m_mask) {
    const Slot& s = m_slots[i];
    if (s.index == kNil) break;
    if (s.hash == tag && isSameAddress(m_entries[s.index].ip, ip)) {
      inserted = false;
      return s.index;
    }
  }
  inserted = true;
  std::uint32_t index;
  if (!m_free.empty()) {
    index = m_free.back();
    m_free.pop_back();
    const bool wasDirty = m_entries[index].isDirty;  // still listed in a dirty list
    m_entries[index] = HostEntry{};
    m_entries[index].isDirty = wasDirty;
  } else {
    index = static_cast<std::uint32_t>(m_entries.size());
    m_entries.emplace_back();
  }
  HostEntry& e = m_entries[index];
  e.ip = ip;
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

void HostTable::erase(std::uint32_t index) {
  HostEntry& e = m_entries[index];
  const std::uint64_t h = hashOf(e.ip);
  std::size_t i = h & m_mask;
  while (m_slots[i].index != index) i = (i + 1) & m_mask;
  // Backward-shift deletion keeps every probe sequence unbroken without tombstones.
  for (std::size_t j = (i + 1) & m_mask;; j = (j + 1) & m_mask) {
    const Slot& s = m_slots[j];
    if (s.index == kNil) break;
    const std::size_t home = hashOf(m_entries[s.index].ip) & m_mask;
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

void HostTable::touch(std::uint32_t index) {
  if (m_lruTail == index) return;
  lruUnlink(index);
  lruAppend(index);
}

void HostTable::rehash(std::size_t slotCount) {
  m_slots.assign(slotCount, Slot{});
  m_mask = slotCount - 1;
  for (std::uint32_t index = 0; index < m_entries.size(); ++index) {
    if (!m_entries[index].isAlive) continue;
    const std::uint64_t h = hashOf(m_entries[index].ip);
    std::size_t i = h & m_mask;
    while (m_slots[i].index != kNil) i = (i + 1) & m_mask;
    m_slots[i] = Slot{static_cast<std::uint32_t>(h), index};
  }
}

void HostTable::lruUnlink(std::uint32_t index) {
  HostEntry& e = m_entries[index];
  if (e.lruPrev != kNil) {
    m_entries[e.lruPrev].lruNext = e.lruNext;
  } else {
    m_lruHead = e.lruNext;
  }
  if (e.lruNext != kNil) {
    m_entries[e.lruNext].lruPrev = e.lruPrev;
  } else {
    m_lruTail = e.lruPrev;
  }
  e.lruPrev = e.lruNext = kNil;
}

void HostTable::lruAppend(std::uint32_t index) {
  HostEntry& e = m_entries[index];
  e.lruPrev = m_lruTail;
  e.lruNext = kNil;
  if (m_lruTail != kNil) {
    m_entries[m_lruTail].lruNext = index;
  } else {
    m_lruHead = index;
  }
  m_lruTail = index;
}

}  // namespace netlens::node::analysis
