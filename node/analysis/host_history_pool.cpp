// SPDX-License-Identifier: MIT
#include "node/analysis/host_history_pool.h"

#include <algorithm>

namespace netlens::node::analysis {

HostHistoryPool::HostHistoryPool(std::size_t capacity, HistoryGeometry geometry,
                                 protocol::TimeNs reclaimIdleNs, std::size_t width,
                                 ExtremeColumns extremes)
    : m_capacity(capacity),
      m_geometry(geometry),
      m_reclaimIdleNs(reclaimIdleNs),
      m_width(width),
      m_extremes(extremes) {
  // A History keeps its counters on the heap, so growing the vector moves only small
  // handles; the reservation just spares the first few thousand hosts that work.
  m_slots.reserve(std::min<std::size_t>(capacity, 4096));
}

std::uint32_t HostHistoryPool::acquire(std::uint32_t owner, protocol::TimeNs ts,
                                       bool fromFirstPacket, std::uint32_t* previousOwner) {
  *previousOwner = kNone;
  std::uint32_t slot = kNone;
  if (!m_free.empty()) {
    slot = m_free.back();
    m_free.pop_back();
    m_slots[slot].history.clear();
  } else if (m_slots.size() < m_capacity) {
    slot = static_cast<std::uint32_t>(m_slots.size());
    m_slots.emplace_back(m_geometry, m_width, m_extremes);
  } else if (m_head != kNone && ts - m_slots[m_head].lastUsed >= m_reclaimIdleNs) {
    slot = m_head;
    unlink(slot);
    *previousOwner = m_slots[slot].owner;
    m_slots[slot].history.clear();
    --m_used;
  } else {
    return kNone;
  }
  Slot& s = m_slots[slot];
  s.owner = owner;
  s.lastUsed = ts;
  s.startedWithHost = fromFirstPacket;
  append(slot);
  ++m_used;
  return slot;
}

void HostHistoryPool::release(std::uint32_t slot) {
  unlink(slot);
  m_slots[slot].owner = kNone;
  m_free.push_back(slot);
  --m_used;
}

void HostHistoryPool::touch(std::uint32_t slot, protocol::TimeNs ts) {
  Slot& s = m_slots[slot];
  if (ts <= s.lastUsed) return;
  s.lastUsed = ts;
  if (m_tail == slot) return;
  unlink(slot);
  append(slot);
}

void HostHistoryPool::unlink(std::uint32_t slot) {
  Slot& s = m_slots[slot];
  if (s.prev != kNone)
    m_slots[s.prev].next = s.next;
  else
    m_head = s.next;
  if (s.next != kNone)
    m_slots[s.next].prev = s.prev;
  else
    m_tail = s.prev;
  s.prev = s.next = kNone;
}

void HostHistoryPool::append(std::uint32_t slot) {
  Slot& s = m_slots[slot];
  s.prev = m_tail;
  s.next = kNone;
  if (m_tail != kNone)
    m_slots[m_tail].next = slot;
  else
    m_head = slot;
  m_tail = slot;
}

std::size_t HostHistoryPool::memoryBytes() const {
  return m_slots.capacity() * sizeof(Slot) +
         m_slots.size() * History::memoryBytesFor(m_width, m_geometry);
}

std::size_t HostHistoryPool::bytesPerSlot(const HistoryGeometry& geometry, std::size_t width) {
  return sizeof(Slot) + History::memoryBytesFor(width, geometry);
}

}  // namespace netlens::node::analysis
