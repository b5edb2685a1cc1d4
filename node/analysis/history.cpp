// SPDX-License-Identifier: MIT
#include "node/analysis/history.h"

#include <algorithm>

namespace netlens::node::analysis {

History::History(std::size_t width, HistoryGeometry geometry, ExtremeColumns extremes)
    : m_width(std::max<std::size_t>(width, 1)), m_geometry(geometry) {
  const std::uint32_t columns = m_width >= 32 ? ~0u : (1u << m_width) - 1;
  m_extremeMask = (extremes.max | extremes.min) & columns;
  m_minMask = extremes.min & columns;
  m_sizes = {std::max<std::uint32_t>(geometry.seconds, 1),
             std::max<std::uint32_t>(geometry.minutes, 1),
             std::max<std::uint32_t>(geometry.hours, 1)};
  m_geometry = {m_sizes[0], m_sizes[1], m_sizes[2]};
  std::size_t blocks = 0;
  for (int ring = 0; ring < 3; ++ring) {
    m_firstBlock[ring] = blocks;
    blocks += (m_sizes[ring] + kBlockRows - 1) / kBlockRows;
  }
  m_blocks.resize(blocks);
}

std::uint64_t* History::rowAt(int ring, std::size_t index) {
  std::unique_ptr<std::uint64_t[]>& block = m_blocks[m_firstBlock[ring] + index / kBlockRows];
  if (!block) {
    // The ring's last block holds only the rows left.
    const std::size_t rows = std::min(kBlockRows, m_sizes[ring] - index / kBlockRows * kBlockRows);
    block.reset(new std::uint64_t[rows * m_width]);  // default-initialised: see above
    m_allocatedRows += rows;
  }
  return block.get() + (index % kBlockRows) * m_width;
}

const std::uint64_t* History::row(int ring, std::int64_t bucket) const {
  const std::size_t index = indexOf(ring, bucket);
  const std::unique_ptr<std::uint64_t[]>& block = m_blocks[m_firstBlock[ring] + index / kBlockRows];
  return block ? block.get() + (index % kBlockRows) * m_width : nullptr;
}

void History::add(protocol::TimeNs ts, std::initializer_list<std::uint64_t> values) {
  std::uint64_t* r = rowFor(ts);
  std::size_t i = 0;
  for (std::uint64_t v : values) {
    if (i == m_width) break;
    r[i++] += v;
  }
}

void History::moveHead(int ring, std::int64_t bucket) {
  // Clearing min(distance, ring size) rows after the old head covers every row once when
  // the jump is longer than the ring: the cost is bounded by the ring, not by the jump.
  const std::int64_t distance = bucket - m_head[ring];
  const std::int64_t clear = std::min<std::int64_t>(distance, m_sizes[ring]);
  // Those rows are runs of the ring's blocks: cleared a run at a time, with one division for
  // the start instead of one per row (a host's history moves its head every second).
  const std::int64_t n = m_sizes[ring];
  std::int64_t i = static_cast<std::int64_t>(indexOf(ring, m_head[ring] + 1));
  for (std::int64_t left = clear; left > 0;) {
    const auto inBlock =
        static_cast<std::int64_t>(kBlockRows - static_cast<std::size_t>(i) % kBlockRows);
    const std::int64_t run = std::min({left, n - i, inBlock});
    std::fill_n(rowAt(ring, static_cast<std::size_t>(i)), static_cast<std::size_t>(run) * m_width,
                0);
    left -= run;
    i += run;
    if (i == n) i = 0;
  }
  m_head[ring] = bucket;
}

void History::rollUp(std::uint64_t* into, const std::uint64_t* part) const {
  if (m_extremeMask == 0) {
    for (std::size_t i = 0; i < m_width; ++i) into[i] += part[i];
    return;
  }
  for (std::size_t i = 0; i < m_width; ++i) {
    if ((m_extremeMask >> i & 1u) != 0) {
      into[i] = std::max(into[i], part[i]);
    } else {
      into[i] += part[i];
    }
  }
}

void History::advance(std::int64_t second) {
  if (m_isEmpty) {
    m_isEmpty = false;
    m_firstSecond = second;
    m_head = {second, floorDiv(second, 60), floorDiv(second, 3600)};
    for (int ring = 0; ring < 3; ++ring) std::fill_n(row(ring, m_head[ring]), m_width, 0);
    m_current = row(0, second);
    return;
  }
  // The completed second joins its minute and its hour (both still the rings' heads).
  rollUp(row(1, m_head[1]), m_current);
  rollUp(row(2, m_head[2]), m_current);
  moveHead(0, second);
  const std::int64_t newMinute = floorDiv(second, 60);
  if (newMinute > m_head[1]) moveHead(1, newMinute);
  const std::int64_t newHour = floorDiv(second, 3600);
  if (newHour > m_head[2]) moveHead(2, newHour);
  m_current = row(0, second);
}

std::vector<protocol::HistoryBucket> History::buckets(Resolution resolution, protocol::TimeNs from,
                                                      protocol::TimeNs to,
                                                      protocol::TimeNs now) const {
  std::vector<protocol::HistoryBucket> out;
  if (m_isEmpty || from > to) return out;
  const int ring = static_cast<int>(resolution);
  const std::int64_t width = resolutionNs(resolution);
  const std::int64_t perBucket = width / kSecondNs;
  const std::int64_t head = m_head[ring];
  std::int64_t end = head;
  if (now != kNoTime) end = std::max(end, floorDiv(now, width));
  std::int64_t lo = std::max(end - m_sizes[ring] + 1, floorDiv(m_firstSecond, perBucket));
  lo = std::max(lo, floorDiv(from, width));
  const std::int64_t hi = std::min(end, floorDiv(to, width));
  if (lo > hi) return out;
  out.reserve(static_cast<std::size_t>(hi - lo + 1));
  for (std::int64_t b = lo; b <= hi; ++b) {
    protocol::HistoryBucket bucket;
    bucket.start = b * width;
    bucket.values.assign(m_width, 0);
    const std::uint64_t* r = b <= head && b > head - m_sizes[ring] ? row(ring, b) : nullptr;
    if (r != nullptr) {
      std::copy(r, r + m_width, bucket.values.begin());
      // The current second is rolled up only when it completes.
      if (ring != 0 && b == head) rollUp(bucket.values.data(), m_current);
      for (std::size_t i = 0; m_minMask != 0 && i < m_width; ++i) {
        std::uint64_t& v = bucket.values[i];
        if ((m_minMask >> i & 1u) != 0 && v != 0) v = ~v;
      }
    }
    out.push_back(std::move(bucket));
  }
  return out;
}

void History::clear() {
  m_head = {};
  m_firstSecond = 0;
  m_current = nullptr;
  m_isEmpty = true;
}

}  // namespace netlens::node::analysis
