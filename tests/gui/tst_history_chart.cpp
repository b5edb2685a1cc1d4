// SPDX-License-Identifier: MIT
// HistoryChart offscreen: the buckets of several nodes add up by their start, counts become
// rates (divided by the bucket length, scaled), a node's newer answer replaces its older one,
// answers of another resolution are ignored, and switching the resolution starts afresh.
// tst_node_manager's real-node tests cover the requests themselves.

#include <QLineSeries>
#include <QPushButton>
#include <QTest>
#include <QValueAxis>

#include "app/views/history_chart.h"

using namespace netlens;
using namespace netlens::app;
using views::HistoryChart;

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kT0 = 1'700'000'000 * kSecond;

protocol::HistoryReply reply(std::int64_t resolution, std::vector<std::vector<std::uint64_t>> rows,
                             std::int64_t start = kT0) {
  protocol::HistoryReply r;
  r.series = "global";
  r.resolutionNs = resolution;
  r.names = {"packets", "bytes"};
  for (const auto& values : rows) {
    r.buckets.push_back({start, values});
    start += resolution;
  }
  return r;
}

}  // namespace

class TestHistoryChart : public QObject {
  Q_OBJECT

 private slots:
  void sumsNodesAsRates() {
    HistoryChart chart(nullptr, "global",
                       {{"Traffic", "packets/s", {{"packets", "packets", 1}}},
                        {"Throughput", "bits/s", {{"bytes", "bits", 8}, {"missing", "none", 1}}}});
    chart.show();
    chart.applyHistory("n1", reply(kSecond, {{10, 1000}, {20, 2000}}));
    chart.applyHistory("n2", reply(kSecond, {{5, 500}}, kT0 + kSecond));
    QLineSeries* packets = chart.lineSeries(0, 0);
    QCOMPARE(packets->count(), 2);
    QCOMPARE(packets->at(0).x(), double(kT0 / 1'000'000));
    QCOMPARE(packets->at(0).y(), 10.0);
    QCOMPARE(packets->at(1).y(), 25.0);  // both nodes in the second bucket
    QCOMPARE(chart.lineSeries(1, 0)->at(1).y(), 2500.0 * 8 / 1000);  // shown in kbits/s
    QCOMPARE(qobject_cast<QValueAxis*>(chart.lineSeries(1, 0)->attachedAxes().at(1))->titleText(),
             QString("kbits/s"));
    QCOMPARE(chart.lineSeries(1, 1)->at(1).y(), 0.0);  // a counter the series lacks
    // A newer answer of a node replaces its older one.
    chart.applyHistory("n1", reply(kSecond, {{1, 1}}));
    QCOMPARE(packets->count(), 2);
    QCOMPARE(packets->at(0).y(), 1.0);
    chart.removeNode("n2");
    QCOMPARE(packets->count(), 1);

    // Minutes: counts per minute become per-second rates; second answers are dropped.
    chart.setResolution(HistoryChart::Resolution::Minute);
    QVERIFY(chart.findChild<QPushButton*>("resolution_1m")->isChecked());
    QCOMPARE(packets->count(), 0);
    chart.applyHistory("n1", reply(60 * kSecond, {{600, 0}, {1200, 0}}));
    QCOMPARE(packets->count(), 2);
    QCOMPARE(packets->at(1).y(), 20.0);
    chart.applyHistory("n2", reply(kSecond, {{5, 5}}));
    QCOMPARE(packets->at(1).y(), 20.0);
  }
};

QTEST_MAIN(TestHistoryChart)
#include "tst_history_chart.moc"
