// SPDX-License-Identifier: MIT
// History (1 s / 1 min / 1 h rings on packet time) and HostHistoryPool with exact
// expectations: rollup, bucket boundaries, gaps, ring wrap, time going backwards, jumps far
// forward, query windows, memory; slot assignment and reclaiming of the per-IP pool;
// extreme columns (min, max) and how series of several workers or nodes combine.

#include <QTest>
#include <cstdint>
#include <limits>
#include <vector>

#include "node/analysis/history.h"
#include "node/analysis/host_history_pool.h"
#include "shared/stats/history_merge.h"

using namespace netlens;
using node::analysis::History;
using node::analysis::HistoryGeometry;
using node::analysis::HostHistoryPool;
using node::analysis::Resolution;
using protocol::HistoryBucket;

namespace {

constexpr std::int64_t kS = 1'000'000'000;
constexpr std::int64_t kMin = 60 * kS;
constexpr std::int64_t kHour = 3600 * kS;
/// 2023-11-14 22:00:00 UTC: on an hour boundary (472222 × 3600 s).
constexpr std::int64_t kBase = 1'699'999'200 * kS;
constexpr std::int64_t kAll0 = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kAll1 = std::numeric_limits<std::int64_t>::max();

/// Small rings so that wrapping is easy to reach: 5 s, 3 min, 2 h.
constexpr HistoryGeometry kSmall{5, 3, 2};

using Expected = std::vector<HistoryBucket>;

QString describe(const std::vector<HistoryBucket>& buckets) {
  QStringList parts;
  for (const auto& b : buckets) {
    QStringList v;
    for (auto x : b.values) v << QString::number(x);
    parts << QStringLiteral("%1s:{%2}")
                 .arg(static_cast<double>(b.start - kBase) / kS)
                 .arg(v.join(QLatin1Char(',')));
  }
  return parts.join(QLatin1Char(' '));
}

#define COMPARE_BUCKETS(actual, expected) QCOMPARE(describe(actual), describe(expected))

}  // namespace

class TestHistory : public QObject {
  Q_OBJECT

 private slots:
  void empty();
  void rollupIntoMinuteAndHour();
  void minuteAndHourBoundaries();
  void gapsAreZeroAndRingsWrap();
  void timeGoingBackwardsCountsIntoCurrentSecond();
  void hugeJumpForwardClearsEverything();
  void queryWindow();
  void negativeTimes();
  void memory();
  void poolAssignsAndReclaims();
  void poolReleaseAndReuseStartsClean();
  void clearedHistoryShowsNoOldCounters();
  void extremeColumnsKeepTheirExtreme();
  void seriesCombineByName();
};

void TestHistory::empty() {
  History h(2, kSmall);
  QVERIFY(h.isEmpty());
  QVERIFY(h.buckets(Resolution::Second, kAll0, kAll1).empty());
  QVERIFY(h.buckets(Resolution::Hour, kAll0, kAll1, kBase).empty());
  h.add(kBase, {1, 2});
  QVERIFY(!h.isEmpty());
  h.clear();
  QVERIFY(h.isEmpty());
  QVERIFY(h.buckets(Resolution::Minute, kAll0, kAll1).empty());
  // After clear() the history starts again with the next packet, wherever it is.
  h.add(kBase + 10 * kHour, {3, 4});
  COMPARE_BUCKETS(h.buckets(Resolution::Hour, kAll0, kAll1),
                  (Expected{{kBase + 10 * kHour, {3, 4}}}));
}

void TestHistory::rollupIntoMinuteAndHour() {
  History h(2, kSmall);
  h.add(kBase + 200'000'000, {1, 10});
  h.add(kBase + 700'000'000, {1, 20});
  h.add(kBase + kS, {1, 5});
  h.add(kBase + 3 * kS + kS / 2, {2, 7});
  COMPARE_BUCKETS(h.buckets(Resolution::Second, kAll0, kAll1),
                  (Expected{{kBase, {2, 30}},
                            {kBase + kS, {1, 5}},
                            {kBase + 2 * kS, {0, 0}},
                            {kBase + 3 * kS, {2, 7}}}));
  // The current second (3) is not rolled up yet but belongs in its minute and hour.
  COMPARE_BUCKETS(h.buckets(Resolution::Minute, kAll0, kAll1), (Expected{{kBase, {5, 42}}}));
  COMPARE_BUCKETS(h.buckets(Resolution::Hour, kAll0, kAll1), (Expected{{kBase, {5, 42}}}));
  // rowFor gives the current second's counters: adding there is adding to the history.
  h.rowFor(kBase + 3 * kS)[1] += 100;
  COMPARE_BUCKETS(h.buckets(Resolution::Minute, kAll0, kAll1), (Expected{{kBase, {5, 142}}}));
}

void TestHistory::minuteAndHourBoundaries() {
  History h(2, kSmall);
  h.add(kBase + 59 * kS + kS / 2, {1, 1});
  h.add(kBase + 60 * kS, {1, 2});       // first instant of minute 1
  h.add(kBase + 120 * kS - 1, {1, 4});  // last nanosecond of minute 1
  h.add(kBase + 120 * kS, {1, 8});      // minute 2
  h.add(kBase + kHour - 1, {1, 16});    // last nanosecond of hour 0
  h.add(kBase + kHour, {1, 32});        // hour 1
  COMPARE_BUCKETS(h.buckets(Resolution::Hour, kAll0, kAll1),
                  (Expected{{kBase, {5, 31}}, {kBase + kHour, {1, 32}}}));
  // Three minutes kept: 58, 59 (hour 0) and 60 (hour 1).
  COMPARE_BUCKETS(h.buckets(Resolution::Minute, kAll0, kAll1),
                  (Expected{{kBase + 58 * kMin, {0, 0}},
                            {kBase + 59 * kMin, {1, 16}},
                            {kBase + 60 * kMin, {1, 32}}}));
  COMPARE_BUCKETS(h.buckets(Resolution::Second, kAll0, kAll1),
                  (Expected{{kBase + kHour - 4 * kS, {0, 0}},
                            {kBase + kHour - 3 * kS, {0, 0}},
                            {kBase + kHour - 2 * kS, {0, 0}},
                            {kBase + kHour - kS, {1, 16}},
                            {kBase + kHour, {1, 32}}}));
  // Before the hour was crossed the minute buckets of minutes 0..2 held: checked on a copy.
  History g(2, kSmall);
  g.add(kBase + 59 * kS + kS / 2, {1, 1});
  g.add(kBase + 60 * kS, {1, 2});
  g.add(kBase + 120 * kS - 1, {1, 4});
  g.add(kBase + 120 * kS, {1, 8});
  COMPARE_BUCKETS(g.buckets(Resolution::Minute, kAll0, kAll1),
                  (Expected{{kBase, {1, 1}}, {kBase + kMin, {2, 6}}, {kBase + 2 * kMin, {1, 8}}}));
}

void TestHistory::gapsAreZeroAndRingsWrap() {
  History h(1, kSmall);
  h.add(kBase, {1});
  h.add(kBase + 2 * kS, {2});
  // Second 7 lands on the row of second 2 (7 mod 5 = 2 mod 5): that row must be cleared.
  h.add(kBase + 7 * kS, {4});
  COMPARE_BUCKETS(h.buckets(Resolution::Second, kAll0, kAll1), (Expected{{kBase + 3 * kS, {0}},
                                                                         {kBase + 4 * kS, {0}},
                                                                         {kBase + 5 * kS, {0}},
                                                                         {kBase + 6 * kS, {0}},
                                                                         {kBase + 7 * kS, {4}}}));
  COMPARE_BUCKETS(h.buckets(Resolution::Minute, kAll0, kAll1), (Expected{{kBase, {7}}}));
  // Minutes 0, 1 and 5: minute 5 reuses the row of minute 2; minutes 3 and 4 are empty.
  h.add(kBase + kMin, {8});
  h.add(kBase + 5 * kMin + 30 * kS, {16});
  COMPARE_BUCKETS(
      h.buckets(Resolution::Minute, kAll0, kAll1),
      (Expected{{kBase + 3 * kMin, {0}}, {kBase + 4 * kMin, {0}}, {kBase + 5 * kMin, {16}}}));
  COMPARE_BUCKETS(h.buckets(Resolution::Hour, kAll0, kAll1), (Expected{{kBase, {31}}}));
}

void TestHistory::timeGoingBackwardsCountsIntoCurrentSecond() {
  History h(2, kSmall);
  h.add(kBase + 10 * kS, {1, 1});
  h.add(kBase + 3 * kS, {1, 100});  // older than the current second
  h.add(kBase + 11 * kS + 5, {1, 1000});
  h.add(kBase + 10 * kS + kS / 2, {1, 10'000});  // late by half a second
  h.add(kBase - 1000 * kHour, {1, 100'000});     // a clock stepped back by weeks
  COMPARE_BUCKETS(h.buckets(Resolution::Second, kAll0, kAll1),
                  (Expected{{kBase + 10 * kS, {2, 101}}, {kBase + 11 * kS, {3, 111'000}}}));
  COMPARE_BUCKETS(h.buckets(Resolution::Hour, kAll0, kAll1), (Expected{{kBase, {5, 111'101}}}));
}

void TestHistory::hugeJumpForwardClearsEverything() {
  History h(2, kSmall);
  for (int s = 0; s < 20; ++s) h.add(kBase + s * 400 * kS, {1, 1});  // fills every ring
  // A multiple of every ring's span (5 s, 3 min, 2 h): every new head lands on the row of an
  // old one, so a row that was not cleared would show.
  const std::int64_t jump = 7200 * kS * 100'000;  // about 22 years
  const std::int64_t t = kBase + 19 * 400 * kS + jump;
  h.add(t, {2, 3});
  const std::int64_t sec = t - t % kS, min = t - t % kMin, hour = t - t % kHour;
  COMPARE_BUCKETS(h.buckets(Resolution::Second, kAll0, kAll1), (Expected{{sec - 4 * kS, {0, 0}},
                                                                         {sec - 3 * kS, {0, 0}},
                                                                         {sec - 2 * kS, {0, 0}},
                                                                         {sec - kS, {0, 0}},
                                                                         {sec, {2, 3}}}));
  COMPARE_BUCKETS(h.buckets(Resolution::Minute, kAll0, kAll1),
                  (Expected{{min - 2 * kMin, {0, 0}}, {min - kMin, {0, 0}}, {min, {2, 3}}}));
  COMPARE_BUCKETS(h.buckets(Resolution::Hour, kAll0, kAll1),
                  (Expected{{hour - kHour, {0, 0}}, {hour, {2, 3}}}));
  // ... and the next second rolls up only what followed the jump.
  h.add(t + kS, {1, 1});
  COMPARE_BUCKETS(h.buckets(Resolution::Hour, hour, hour), (Expected{{hour, {3, 4}}}));
}

void TestHistory::queryWindow() {
  History h(2, kSmall);
  h.add(kBase + 200'000'000, {1, 10});
  h.add(kBase + kS, {1, 5});
  h.add(kBase + 3 * kS, {2, 7});
  // from/to select the buckets that contain an instant of [from, to], ends included.
  COMPARE_BUCKETS(
      h.buckets(Resolution::Second, kBase + kS + 1, kBase + 3 * kS),
      (Expected{{kBase + kS, {1, 5}}, {kBase + 2 * kS, {0, 0}}, {kBase + 3 * kS, {2, 7}}}));
  COMPARE_BUCKETS(h.buckets(Resolution::Second, kBase + kS, kBase + kS),
                  (Expected{{kBase + kS, {1, 5}}}));
  QVERIFY(h.buckets(Resolution::Second, kBase + 4 * kS, kAll1).empty());       // after the newest
  QVERIFY(h.buckets(Resolution::Second, kAll0, kBase - 1).empty());            // before the first
  QVERIFY(h.buckets(Resolution::Second, kBase + 2 * kS, kBase + kS).empty());  // from > to
  // `now` (another worker's newer packet) moves the window: seconds 4..6 read as zero and
  // second 0 and 1 fall out of a 5-second ring, without changing the history.
  COMPARE_BUCKETS(h.buckets(Resolution::Second, kAll0, kAll1, kBase + 6 * kS + kS / 2),
                  (Expected{{kBase + 2 * kS, {0, 0}},
                            {kBase + 3 * kS, {2, 7}},
                            {kBase + 4 * kS, {0, 0}},
                            {kBase + 5 * kS, {0, 0}},
                            {kBase + 6 * kS, {0, 0}}}));
  COMPARE_BUCKETS(h.buckets(Resolution::Minute, kAll0, kAll1, kBase + 2 * kMin),
                  (Expected{{kBase, {4, 22}}, {kBase + kMin, {0, 0}}, {kBase + 2 * kMin, {0, 0}}}));
  COMPARE_BUCKETS(h.buckets(Resolution::Second, kAll0, kAll1),
                  (Expected{{kBase, {1, 10}},
                            {kBase + kS, {1, 5}},
                            {kBase + 2 * kS, {0, 0}},
                            {kBase + 3 * kS, {2, 7}}}));
}

void TestHistory::negativeTimes() {
  History h(1, kSmall);
  h.add(-kS / 2, {1});  // 1969-12-31T23:59:59.5Z
  h.add(0, {2});
  COMPARE_BUCKETS(h.buckets(Resolution::Second, kAll0, kAll1), (Expected{{-kS, {1}}, {0, {2}}}));
  COMPARE_BUCKETS(h.buckets(Resolution::Minute, kAll0, kAll1), (Expected{{-kMin, {1}}, {0, {2}}}));
  COMPARE_BUCKETS(h.buckets(Resolution::Hour, kAll0, kAll1), (Expected{{-kHour, {1}}, {0, {2}}}));
}

void TestHistory::memory() {
  // Rows are allocated in blocks of 16 as packet time reaches them; a ring's last block
  // holds only the rows left.
  History small(2, kSmall);
  QCOMPARE(small.memoryBytes(), std::size_t{0});
  small.add(0, {1});
  QCOMPARE(small.memoryBytes(), std::size_t{(5 + 3 + 2) * 2 * 8});
  // Defaults: 600 s + 180 min + 168 h = 948 buckets.
  History h(4);
  QCOMPARE(h.memoryBytes(), std::size_t{0});
  h.add(0, {1});  // the first block of each ring
  QCOMPARE(h.memoryBytes(), std::size_t{3 * 16 * 4 * 8});
  h.add(99 * kS, {1});  // 100 seconds: 7 blocks of the seconds ring
  QCOMPARE(h.memoryBytes(), std::size_t{(7 + 2) * 16 * 4 * 8});
  h.add(8 * 24 * kHour, {1});  // more than a week later: every ring went round
  QCOMPARE(h.memoryBytes(), std::size_t{948 * 4 * 8});
  QCOMPARE(History::memoryBytesFor(4, {}), h.memoryBytes());
  QCOMPARE(History::memoryBytesFor(22, {}), std::size_t{948 * 22 * 8});
  QVERIFY(HostHistoryPool::bytesPerSlot({}) >= 948 * 4 * 8);
  QVERIFY(HostHistoryPool::bytesPerSlot({}) < 948 * 4 * 8 + 512);
}

void TestHistory::poolAssignsAndReclaims() {
  HostHistoryPool pool(2, kSmall, 60 * kS);
  std::uint32_t previous = 0;
  const std::uint32_t a = pool.acquire(100, kBase, true, &previous);
  QCOMPARE(previous, HostHistoryPool::kNone);
  const std::uint32_t b = pool.acquire(101, kBase, true, &previous);
  QVERIFY(a != HostHistoryPool::kNone && b != HostHistoryPool::kNone && a != b);
  QCOMPARE(pool.size(), std::size_t{2});
  // Full, and nobody quiet for 60 s: no slot.
  QCOMPARE(pool.acquire(102, kBase + 30 * kS, false, &previous), HostHistoryPool::kNone);
  pool.touch(b, kBase + 50 * kS);
  pool.history(a).add(kBase, {1, 2, 3, 4});
  // Host 100 has been quiet for 61 s: its slot goes to 102, cleared, marked as partial.
  const std::uint32_t c = pool.acquire(102, kBase + 61 * kS, false, &previous);
  QCOMPARE(c, a);
  QCOMPARE(previous, std::uint32_t{100});
  QVERIFY(pool.history(c).isEmpty());
  QVERIFY(!pool.startedWithHost(c));
  QVERIFY(pool.startedWithHost(b));
  // 101 was used at +50 s: at +100 s it is quiet for 50 s only; at +110 s for 60 s.
  QCOMPARE(pool.acquire(103, kBase + 100 * kS, true, &previous), HostHistoryPool::kNone);
  QCOMPARE(pool.acquire(103, kBase + 110 * kS, true, &previous), b);
  QCOMPARE(previous, std::uint32_t{101});
  QCOMPARE(pool.size(), std::size_t{2});
}

void TestHistory::poolReleaseAndReuseStartsClean() {
  HostHistoryPool pool(1, kSmall, 60 * kS);
  std::uint32_t previous = 0;
  const std::uint32_t a = pool.acquire(7, kBase, true, &previous);
  pool.history(a).add(kBase, {5, 5, 5, 5});
  pool.release(a);
  QCOMPARE(pool.size(), std::size_t{0});
  const std::uint32_t b = pool.acquire(8, kBase + kS, true, &previous);
  QCOMPARE(b, a);
  QCOMPARE(previous, HostHistoryPool::kNone);  // a free slot, nobody lost a history
  QVERIFY(pool.history(b).isEmpty());
  QCOMPARE(pool.memoryBytes() >= History::memoryBytesFor(4, kSmall), true);
  // No capacity at all: never a slot.
  HostHistoryPool none(0, kSmall, 0);
  QCOMPARE(none.acquire(1, kBase, true, &previous), HostHistoryPool::kNone);
}

void TestHistory::clearedHistoryShowsNoOldCounters() {
  // clear() leaves the counters in place and zeroes a row only when it becomes a ring's
  // head: every row of every ring is dirty here, and none of it may show after the clear.
  History h(2, kSmall);
  for (std::int64_t t = 0; t < 3 * kHour; t += kS / 2) h.add(kBase + t, {1, 1});
  h.clear();
  h.add(kBase + 7 * kHour + 2 * kS, {5, 50});
  h.add(kBase + 7 * kHour + 4 * kS, {1, 10});
  COMPARE_BUCKETS(h.buckets(Resolution::Second, kAll0, kAll1),
                  (Expected{{kBase + 7 * kHour + 2 * kS, {5, 50}},
                            {kBase + 7 * kHour + 3 * kS, {0, 0}},
                            {kBase + 7 * kHour + 4 * kS, {1, 10}}}));
  COMPARE_BUCKETS(h.buckets(Resolution::Minute, kAll0, kAll1),
                  (Expected{{kBase + 7 * kHour, {6, 60}}}));
  COMPARE_BUCKETS(h.buckets(Resolution::Hour, kAll0, kAll1),
                  (Expected{{kBase + 7 * kHour, {6, 60}}}));
  // A minute and an hour later: the rows the heads move onto start at zero too.
  h.add(kBase + 8 * kHour + 61 * kS, {2, 20});
  COMPARE_BUCKETS(h.buckets(Resolution::Minute, kBase + 8 * kHour, kAll1),
                  (Expected{{kBase + 8 * kHour, {0, 0}}, {kBase + 8 * kHour + kMin, {2, 20}}}));
  COMPARE_BUCKETS(h.buckets(Resolution::Hour, kAll0, kAll1),
                  (Expected{{kBase + 7 * kHour, {6, 60}}, {kBase + 8 * kHour, {2, 20}}}));
}

void TestHistory::extremeColumnsKeepTheirExtreme() {
  // Columns: a count, a minimum, a maximum.
  History h(3, kSmall, node::analysis::ExtremeColumns{1u << 2, 1u << 1});
  const auto sample = [&](std::int64_t ts, std::uint64_t v) {
    std::uint64_t* row = h.rowFor(ts);
    ++row[0];
    History::keepMin(row, 1, v);
    History::keepMax(row, 2, v);
  };
  sample(kBase, 40);
  sample(kBase + kS / 2, 25);
  sample(kBase + 2 * kS, 70);
  sample(kBase + 3 * kS, 30);  // the current second, not rolled up yet
  COMPARE_BUCKETS(h.buckets(Resolution::Second, kAll0, kAll1),
                  (Expected{{kBase, {2, 25, 40}},
                            {kBase + kS, {0, 0, 0}},  // no sample: min and max read 0
                            {kBase + 2 * kS, {1, 70, 70}},
                            {kBase + 3 * kS, {1, 30, 30}}}));
  COMPARE_BUCKETS(h.buckets(Resolution::Minute, kAll0, kAll1), (Expected{{kBase, {4, 25, 70}}}));
  // Into the next minute: the first one is rolled up for good; the hour keeps both.
  sample(kBase + kMin, 90);
  sample(kBase + kMin + 1, 10);
  COMPARE_BUCKETS(h.buckets(Resolution::Minute, kAll0, kAll1),
                  (Expected{{kBase, {4, 25, 70}}, {kBase + kMin, {2, 10, 90}}}));
  COMPARE_BUCKETS(h.buckets(Resolution::Hour, kAll0, kAll1), (Expected{{kBase, {6, 10, 90}}}));
}

void TestHistory::seriesCombineByName() {
  using stats::HistoryCombine;
  QCOMPARE(stats::historyCombineOf("client_rtt_min_ns"), HistoryCombine::Min);
  QCOMPARE(stats::historyCombineOf("max"), HistoryCombine::Max);
  QCOMPARE(stats::historyCombineOf("rtt_max_ns"), HistoryCombine::Max);
  QCOMPARE(stats::historyCombineOf("minutes"), HistoryCombine::Sum);
  QCOMPARE(stats::historyCombineOf("tx_bytes"), HistoryCombine::Sum);
  QCOMPARE(stats::historyCombineOf("admin"), HistoryCombine::Sum);
  const std::vector<std::string> names{"count", "rtt_min_ns", "rtt_max_ns"};
  // Two parts, one bucket apart: lined up by start, a missing bucket is zeros, a min of 0
  // is "none".
  const auto combine = stats::historyCombinesOf(names);
  std::vector<HistoryBucket> sum{{kBase, {1, 50, 50}}, {kBase + kS, {0, 0, 0}}};
  stats::addHistoryBuckets(combine, sum, {{kBase + kS, {2, 20, 80}}, {kBase + 2 * kS, {1, 5, 5}}},
                           kS);
  stats::addHistoryBuckets(combine, sum, {{kBase - kS, {1, 9, 9}}, {kBase, {1, 70, 70}}}, kS);
  COMPARE_BUCKETS(sum, (Expected{{kBase - kS, {1, 9, 9}},
                                 {kBase, {2, 50, 70}},
                                 {kBase + kS, {2, 20, 80}},
                                 {kBase + 2 * kS, {1, 5, 5}}}));
}

QTEST_GUILESS_MAIN(TestHistory)
#include "tst_history.moc"
