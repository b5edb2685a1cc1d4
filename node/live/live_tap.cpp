// SPDX-License-Identifier: MIT
#include "node/live/live_tap.h"

#include <algorithm>
#include <cstring>

#include "shared/pcap/pcap_writer.h"

namespace netlens::node::live {

namespace {

/// Bytes of the record at `at` of a records buffer (little-endian header, as written).
std::size_t recordSize(const std::string& records, std::size_t at) {
  std::uint32_t captured = 0;
  for (int i = 3; i >= 0; --i)
    captured =
        (captured << 8) | static_cast<std::uint8_t>(records[at + 8 + static_cast<std::size_t>(i)]);
  return pcap::kRecordHeaderSize + captured;
}

}  // namespace

LiveCaptureBuffer::LiveCaptureBuffer(std::uint64_t id, int linkType,
                                     std::vector<SourceFilters> filters, std::uint32_t snapLength,
                                     std::uint64_t maxBytes)
    : m_id(id),
      m_linkType(linkType),
      m_filters(std::move(filters)),
      m_snapLength(snapLength),
      m_maxBytes(maxBytes) {
  m_records.reserve(std::min<std::uint64_t>(maxBytes, 1u << 20));
}

void LiveCaptureBuffer::offer(std::size_t tapIndex, int linkType, std::int64_t timestampNs,
                              const std::uint8_t* data, std::uint32_t capturedLength,
                              std::uint32_t wireLength) {
  if (linkType != m_linkType || tapIndex >= m_filters.size() || !m_filters[tapIndex].tapped) return;
  // The programs run outside the lock: they belong to this source's thread alone.
  const SourceFilters& f = m_filters[tapIndex];
  if (f.expression && !f.expression->matches(data, capturedLength, wireLength)) return;
  if (f.bytecode && !f.bytecode->matches(data, capturedLength, wireLength)) return;
  const std::uint32_t kept = std::min(capturedLength, m_snapLength);
  const auto header = pcap::PcapWriter::recordHeader(std::max<std::int64_t>(timestampNs, 0), kept,
                                                     std::max(wireLength, capturedLength));
  std::lock_guard lock(m_mutex);
  if (m_closed) return;
  if (m_records.size() + header.size() + kept > m_maxBytes) {
    ++m_counters.dropped;
    return;
  }
  m_records.append(reinterpret_cast<const char*>(header.data()), header.size());
  m_records.append(reinterpret_cast<const char*>(data), kept);
  ++m_counters.packets;
  m_counters.bytes += wireLength;
}

std::string LiveCaptureBuffer::take(std::uint64_t maxBytes, bool* more) {
  // Only a swap happens under the lock: the capture thread never waits for a copy. What a
  // small `maxBytes` leaves behind stays on the service thread's side (m_pending) and is
  // served first by the next take.
  std::string out;
  for (int round = 0; round < 2; ++round) {
    if (m_pendingAt >= m_pending.size()) {
      std::string fresh;  // allocated before the lock
      fresh.reserve(std::min<std::uint64_t>(m_maxBytes, 1u << 20));
      m_pending.clear();
      m_pendingAt = 0;
      std::lock_guard lock(m_mutex);
      m_pending.swap(m_records);
      m_records.swap(fresh);
    }
    if (m_pending.empty()) break;
    // Whole records up to the room left (at least one when nothing was taken yet).
    const std::uint64_t room = maxBytes - std::min<std::uint64_t>(maxBytes, out.size());
    std::size_t cut = m_pendingAt;
    while (cut < m_pending.size()) {
      const std::size_t next = cut + recordSize(m_pending, cut);
      if ((cut > m_pendingAt || !out.empty()) && next - m_pendingAt > room) break;
      cut = next;
    }
    if (out.empty() && m_pendingAt == 0 && cut == m_pending.size()) {
      out.swap(m_pending);
    } else {
      out.append(m_pending, m_pendingAt, cut - m_pendingAt);
    }
    m_pendingAt = cut;
    if (m_pendingAt < m_pending.size()) break;  // the room is used up
    m_pending = std::string();                  // served: give the memory back
    m_pendingAt = 0;
  }
  *more = m_pendingAt < m_pending.size();
  return out;
}

LiveCounters LiveCaptureBuffer::counters() const {
  std::lock_guard lock(m_mutex);
  LiveCounters c = m_counters;
  c.bufferedBytes = m_records.size() + (m_pending.size() - m_pendingAt);
  return c;
}

void LiveCaptureBuffer::close() {
  std::string released;
  m_pending = std::string();
  m_pendingAt = 0;
  std::lock_guard lock(m_mutex);
  m_closed = true;
  released.swap(m_records);
}

void LiveTap::offer(Cursor& cursor, std::size_t tapIndex, int linkType, std::int64_t timestampNs,
                    const std::uint8_t* data, std::uint32_t capturedLength,
                    std::uint32_t wireLength) {
  const std::uint64_t generation = m_generation.load(std::memory_order_acquire);
  if (generation != cursor.generation) {
    std::lock_guard lock(m_mutex);
    cursor.captures = m_set;
    cursor.generation = m_generation.load(std::memory_order_relaxed);
  }
  for (const auto& capture : *cursor.captures)
    capture->offer(tapIndex, linkType, timestampNs, data, capturedLength, wireLength);
}

void LiveTap::add(std::shared_ptr<LiveCaptureBuffer> capture) {
  std::lock_guard lock(m_mutex);
  auto next = std::make_shared<Set>(*m_set);
  next->push_back(std::move(capture));
  m_count.store(next->size(), std::memory_order_relaxed);
  m_set = std::move(next);
  m_generation.fetch_add(1, std::memory_order_release);
}

bool LiveTap::remove(std::uint64_t id) {
  std::shared_ptr<LiveCaptureBuffer> removed;
  {
    std::lock_guard lock(m_mutex);
    auto next = std::make_shared<Set>(*m_set);
    auto it =
        std::find_if(next->begin(), next->end(), [&](const auto& c) { return c->id() == id; });
    if (it == next->end()) return false;
    removed = *it;
    next->erase(it);
    m_count.store(next->size(), std::memory_order_relaxed);
    m_set = std::move(next);
    m_generation.fetch_add(1, std::memory_order_release);
  }
  // A capture thread may still hold the old set for a moment: closing makes it refuse
  // packets and frees the buffer now rather than when that thread moves on.
  removed->close();
  return true;
}

}  // namespace netlens::node::live
