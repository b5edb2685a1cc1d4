// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <vector>

#include "shared/protocol/messages.h"

namespace netlens::node::analysis {

/// Bucket widths of a History, in the order of its rings.
enum class Resolution : std::uint8_t { Second = 0, Minute = 1, Hour = 2 };

inline constexpr std::array<protocol::TimeNs, 3> kResolutionNs{1'000'000'000, 60'000'000'000,
                                                               3'600'000'000'000};

constexpr protocol::TimeNs resolutionNs(Resolution r) {
  return kResolutionNs[static_cast<std::size_t>(r)];
}

/// How many buckets each ring keeps: 10 minutes of seconds, 3 hours of minutes and a week
/// of hours by default, so every finer ring reaches well into the span of one bucket of the
/// next (a chart can switch resolution without a hole).
struct HistoryGeometry {
  std::uint32_t seconds = 600;
  std::uint32_t minutes = 180;
  std::uint32_t hours = 168;
};

/// Columns of a History that keep an extreme instead of a count (bit i: column i): the
/// rollup into minutes and hours keeps the largest (max) or smallest (min) value. Write them
/// with History::keepMax / keepMin; buckets() reads a min column as 0 when it has no value.
struct ExtremeColumns {
  std::uint32_t max = 0;
  std::uint32_t min = 0;
};

/// A fixed-memory time series on packet time: `width` uint64 counters per bucket, kept in
/// three rings (1 s, 1 min, 1 h buckets, aligned to the Unix epoch in UTC). Counters add up
/// when seconds roll up into minutes and hours; ExtremeColumns keep their extreme.
///
/// Packets are counted into the current second only (rowFor); when packet time enters a
/// later second, the completed second is rolled up into its minute and its hour, and the
/// buckets skipped by a jump forward are cleared — at most one ring's worth, so a jump of
/// years costs no more than a jump of ten minutes. A packet older than the current second
/// (out-of-order timestamps, a clock stepped back) counts into the current second: history
/// never changes behind the newest packet, and a late packet is never lost. Buckets
/// without traffic are zero. The rings' rows are allocated in blocks of kBlockRows when packet
/// time first reaches one, and kept (memoryBytes()); a row is left uninitialised until it
/// becomes a ring's head (the first packet zeroes the three head rows, moving a head zeroes
/// the rows it passes), and only rows from the first packet's bucket to the head are ever
/// read. So clear() costs three rows instead of the whole history (a pool hands histories
/// from owner to owner all the time), and a history takes memory as packet time fills its
/// rings: the 100 seconds of a short capture take 9 blocks (about 5 KB) of the 30 KB a
/// history reaches after a week, where one allocation of the three rings had about 14 KB
/// resident (a page or more of each ring; see README, Performance).
///
/// Thread: not thread-safe; owned by one analyser (worker thread), read under its lock.
class History {
 public:
  explicit History(std::size_t width, HistoryGeometry geometry = {}, ExtremeColumns extremes = {});
  History(History&&) noexcept = default;
  History& operator=(History&&) noexcept = default;
  History(const History&) = delete;
  History& operator=(const History&) = delete;

  /// The counters of the second that a packet at `ts` counts into; add to them. O(1) but
  /// for the first packet of a new second (rollup, and clearing of skipped buckets).
  std::uint64_t* rowFor(protocol::TimeNs ts) {
    const std::int64_t s = ts >= 0 ? ts / kSecondNs : floorDiv(ts, kSecondNs);
    if (s > m_head[0] || m_isEmpty) [[unlikely]]
      advance(s);
    return m_current;
  }
  /// Adds `values` (at most width()) to the counters of the second of `ts`.
  void add(protocol::TimeNs ts, std::initializer_list<std::uint64_t> values);
  /// Keeps `value` in a max (min) column of a row from rowFor(). A min column holds the
  /// complement of its smallest value, so that a zeroed row means "none yet" for both kinds
  /// and both roll up by keeping the largest cell.
  static void keepMax(std::uint64_t* row, std::size_t column, std::uint64_t value) {
    row[column] = std::max(row[column], value);
  }
  static void keepMin(std::uint64_t* row, std::size_t column, std::uint64_t value) {
    row[column] = std::max(row[column], ~value);
  }

  /// The buckets of `resolution` that contain an instant of [from, to] (clamped to what the
  /// ring holds and to the bucket of the first packet), oldest first, zeros included. `now`
  /// (packet time seen elsewhere, e.g. by another worker) moves the end of the window
  /// forward without changing anything: buckets after the newest packet read as zero and
  /// the oldest ones drop out, so the windows of several workers line up for summing.
  /// The minute and hour buckets that contain the current second include it.
  std::vector<protocol::HistoryBucket> buckets(Resolution resolution, protocol::TimeNs from,
                                               protocol::TimeNs to,
                                               protocol::TimeNs now = kNoTime) const;

  /// Forgets everything (memory kept).
  void clear();
  bool isEmpty() const { return m_isEmpty; }
  std::size_t width() const { return m_width; }
  const HistoryGeometry& geometry() const { return m_geometry; }
  /// Bytes of counters allocated so far (the object itself adds about 150 bytes and a
  /// pointer per block).
  std::size_t memoryBytes() const { return m_allocatedRows * m_width * sizeof(std::uint64_t); }
  /// Bytes of counters once packet time has filled every ring.
  static std::size_t memoryBytesFor(std::size_t width, const HistoryGeometry& geometry) {
    return (std::size_t{geometry.seconds} + geometry.minutes + geometry.hours) * width *
           sizeof(std::uint64_t);
  }

  static constexpr protocol::TimeNs kNoTime = INT64_MIN;

 private:
  static constexpr std::int64_t kSecondNs = 1'000'000'000;
  static std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
  }
  static constexpr std::size_t kBlockRows = 16;
  /// Row `index` (0 to the ring's size) of ring `ring`, allocating its block.
  std::uint64_t* rowAt(int ring, std::size_t index);
  std::uint64_t* row(int ring, std::int64_t bucket) { return rowAt(ring, indexOf(ring, bucket)); }
  /// The row of `bucket`, or null when its block was never allocated (never a head).
  const std::uint64_t* row(int ring, std::int64_t bucket) const;
  std::size_t indexOf(int ring, std::int64_t bucket) const {
    const std::int64_t n = m_sizes[ring];
    std::int64_t i = bucket % n;
    if (i < 0) i += n;
    return static_cast<std::size_t>(i);
  }
  void advance(std::int64_t second);
  void moveHead(int ring, std::int64_t bucket);
  /// Folds `part` (a second) into `into` (its minute or hour), column by column.
  void rollUp(std::uint64_t* into, const std::uint64_t* part) const;

  std::size_t m_width;
  /// Columns rolled up by keeping the largest cell (max columns, and min columns, which
  /// hold complements), and the min columns to turn back when read.
  std::uint32_t m_extremeMask = 0;
  std::uint32_t m_minMask = 0;
  HistoryGeometry m_geometry;
  std::array<std::uint32_t, 3> m_sizes;
  std::array<std::size_t, 3> m_firstBlock;  ///< of each ring in m_blocks
  /// The three rings' blocks of kBlockRows rows, one ring after the other; null until packet
  /// time reaches one, uninitialised until a row is zeroed as a head.
  std::vector<std::unique_ptr<std::uint64_t[]>> m_blocks;
  std::size_t m_allocatedRows = 0;
  /// Newest bucket of each ring: the current second, its minute, its hour. The minute and
  /// hour rows do not yet include the current second (rolled up when it completes).
  std::array<std::int64_t, 3> m_head{};
  std::int64_t m_firstSecond = 0;  ///< second of the first packet counted
  std::uint64_t* m_current = nullptr;
  bool m_isEmpty = true;
};

}  // namespace netlens::node::analysis
