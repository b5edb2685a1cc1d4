// SPDX-License-Identifier: MIT
// The IP table's Trend column: each row's bit rate sampled by the console, its CSV, stale
// rows, and sorting by the mean of the samples (every model under QAbstractItemModelTester).
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <memory>
#include <vector>

#include "app/models/host_filter_proxy.h"
#include "app/models/host_table_model.h"
#include "tests/common/host_records.h"

using netlens::app::models::HostFilterProxy;
using netlens::app::models::HostTableModel;
using netlens::protocol::HostRecord;
using netlens::protocol::HostsDelta;
using namespace netlens::tests::host_records;

class TestHostTableTrend : public QObject, public HostTableFixture {
  Q_OBJECT

 private slots:
  void init() { makeTable(); }
  void cleanup() { dropTable(); }

  /// The Trend column keeps the last kTrendSamples bit rates of each row with traffic, and
  /// forgets a row's once they are all zero.
  void trendSamplesTheBitRate() {
    HostRecord busy = host("10.0.0.1", 3, 1500);
    busy.bitsPerSecond = 8000;
    HostRecord quiet = host("10.0.0.2", 1, 60);
    m_model->applySnapshot("a", snapshot({busy, quiet}));
    QSignalSpy sampled(m_model.get(), &HostTableModel::trendsSampled);
    m_model->sampleTrends();
    QCOMPARE(sampled.size(), 1);
    const auto trend = [this](const char* address) {
      const int row = findRow(*m_proxy, address);
      return m_proxy->index(row, HostTableModel::Trend)
          .data(HostTableModel::TrendRole)
          .value<QList<float>>();
    };
    QList<float> expected(HostTableModel::kTrendSamples, 0.0f);
    expected.back() = 8000;
    QCOMPARE(trend("10.0.0.1"), expected);
    QVERIFY(trend("10.0.0.2").isEmpty());
    // The rate falls to zero: the 8000 moves left one sample per call and drops out.
    busy.bitsPerSecond = 0;
    m_model->applyDelta("a", HostsDelta{2, 0, {busy}, {}, {}});
    m_model->sampleTrends();
    expected.removeFirst();
    expected.append(0);
    QCOMPARE(trend("10.0.0.1"), expected);
    // CSV: the samples in bit/s, oldest first.
    QStringList csv(HostTableModel::kTrendSamples, "0");
    csv[HostTableModel::kTrendSamples - 2] = "8000";
    const int row = findRow(*m_model, "10.0.0.1");
    QCOMPARE(m_model->index(row, HostTableModel::Trend).data(HostTableModel::ExportRole).toString(),
             csv.join(' '));
    for (int i = 2; i < HostTableModel::kTrendSamples; ++i) m_model->sampleTrends();
    QCOMPARE(trend("10.0.0.1").size(), HostTableModel::kTrendSamples);
    m_model->sampleTrends();
    QVERIFY(trend("10.0.0.1").isEmpty());
    // A row that goes away takes its trend with it.
    busy.bitsPerSecond = 100;
    m_model->applyDelta("a", HostsDelta{3, 0, {busy}, {}, {}});
    m_model->sampleTrends();
    QCOMPARE(trend("10.0.0.1").back(), 100.0f);
    // A stale node's rows keep their last rate, but its traffic is unknown: they sample 0.
    m_model->setNodeStale("a", true);
    m_model->sampleTrends();
    QCOMPARE(trend("10.0.0.1").back(), 0.0f);
    m_model->setNodeStale("a", false);
    m_model->applyDelta("a", HostsDelta{4, 0, {}, {busy.ip}, {}});
    m_model->sampleTrends();
    QCOMPARE(findRow(*m_model, "10.0.0.1"), -1);
  }

  /// Sorting by the Trend column orders rows by the mean of their samples, and follows
  /// each new sample.
  void trendSortsByMeanRate() {
    HostRecord a = host("10.0.0.1", 1, 100);
    HostRecord b = host("10.0.0.2", 1, 100);
    a.bitsPerSecond = 5000;
    b.bitsPerSecond = 1000;
    // Five quiet rows: the two rows whose trend moves are then announced as ranges, not as
    // a whole table.
    std::vector<HostRecord> all{a, b};
    QStringList quiet;
    for (const char* address : {"10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.7"}) {
      all.push_back(host(address, 1, 100));
      quiet << address;
    }
    m_model->applySnapshot("a", snapshot(all));
    m_proxy->sort(HostTableModel::Trend, Qt::DescendingOrder);
    m_model->sampleTrends();
    const auto order = [this] { return addresses(*m_proxy); };
    QCOMPARE(order(), QStringList({"10.0.0.1", "10.0.0.2"}) + quiet);
    // 10.0.0.2 speeds up: one more sample puts its mean, (1000 + 9000) / 60, above
    // 10.0.0.1's (5000 + 0) / 60.
    a.bitsPerSecond = 0;
    b.bitsPerSecond = 9000;
    m_model->applyDelta("a", HostsDelta{2, 0, {a, b}, {}, {}});
    m_model->sampleTrends();
    QCOMPARE(order(), QStringList({"10.0.0.2", "10.0.0.1"}) + quiet);
    m_model->sampleTrends();
    QCOMPARE(order(), QStringList({"10.0.0.2", "10.0.0.1"}) + quiet);
    m_proxy->sort(HostTableModel::Trend, Qt::AscendingOrder);
    QCOMPARE(order(), quiet + QStringList({"10.0.0.1", "10.0.0.2"}));
  }
};

QTEST_MAIN(TestHostTableTrend)
#include "tst_host_table_trend.moc"
