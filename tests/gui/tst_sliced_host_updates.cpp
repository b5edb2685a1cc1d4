// SPDX-License-Identifier: MIT
// HostTableModel's sliced application of large deltas (issue #3): a delta applied slice by
// slice, and deltas, snapshots and node changes arriving in the middle of one, leave every row,
// the model's row order and the sorting proxy's order exactly as applying each at once does;
// between slices the model and the proxy stay consistent for views (QAbstractItemModelTester
// on both), no row is inserted or removed before the end, and the event loop alone finishes
// the work. Slices are counted, never timed.
#include <QAbstractItemModelTester>
#include <QPersistentModelIndex>
#include <QSignalSpy>
#include <QTest>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "app/models/host_filter_proxy.h"
#include "app/models/host_table_model.h"

using netlens::app::models::HostFilterProxy;
using netlens::app::models::HostTableModel;
using netlens::net::IpAddress;
using netlens::protocol::HostRecord;
using netlens::protocol::HostsDelta;
using netlens::protocol::HostsSnapshot;

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kT0 = 1'700'000'000 * kSecond;
/// Hosts per slice in the sliced model: small, so that a delta takes many slices.
constexpr int kSliceHosts = 7;
/// No time limit that matters: slices end on the host count (an earlier end on a slow
/// machine only makes more slices, with the same result).
constexpr int kSliceMs = 60'000;

/// A linear congruential generator: the same tables on every run.
class Random {
 public:
  explicit Random(std::uint32_t seed) : m_state(seed) {}
  std::uint32_t next(std::uint32_t bound) {
    m_state = m_state * 22695477u + 1u;
    return (m_state >> 10) % bound;
  }

 private:
  std::uint32_t m_state;
};

IpAddress address(int n) {
  const std::string text = "10.1." + std::to_string(n / 256) + "." + std::to_string(n % 256);
  auto parsed = IpAddress::parse(text);
  if (!parsed) qFatal("bad test address %s", text.c_str());
  return *parsed;
}

/// Host `n` with values from small sets, so that sorted columns have many ties (which model
/// order settles, so that the model's row order shows in the proxy's order too).
HostRecord makeHost(int n, Random& random) {
  HostRecord r;
  r.ip = address(n);
  r.txPackets = 1 + random.next(5);
  r.txBytes = random.next(4) * 1000;
  r.rxPackets = random.next(3);
  r.rxBytes = random.next(3) * 300;
  r.firstSeen = kT0;
  r.firstRecent = kT0;
  r.lastSeen = kT0 + static_cast<std::int64_t>(random.next(3)) * kSecond;
  r.packetsPerSecond = random.next(3);
  if (random.next(4) == 0) r.names = {"h" + std::to_string(random.next(3)) + ".example"};
  if (random.next(5) == 0) r.group = random.next(2) == 0 ? "lan" : "dmz";
  return r;
}

/// A delta of `node` over hosts [0, known): about `changes` changed hosts, some of them
/// evicted instead, and `fresh` new hosts from `next` on (advanced).
HostsDelta makeDelta(std::uint64_t sequence, int known, int changes, int fresh, int& next,
                     Random& random) {
  HostsDelta delta;
  delta.sequence = sequence;
  for (int i = 0; i < changes; ++i) {
    const int n = static_cast<int>(random.next(static_cast<std::uint32_t>(known)));
    if (random.next(12) == 0) {
      delta.removed.push_back(address(n));
    } else {
      delta.changed.push_back(makeHost(n, random));  // may list an address twice
    }
  }
  for (int i = 0; i < fresh; ++i) delta.changed.push_back(makeHost(next++, random));
  return delta;
}

/// Every row of `model` in model order: address, node list and every column's raw value.
QStringList modelRows(const HostTableModel& model) {
  QStringList rows;
  for (int row = 0; row < model.rowCount(); ++row) {
    QStringList cells;
    for (int column = 0; column < HostTableModel::ColumnCount; ++column) {
      const QVariant value = model.index(row, column).data(HostTableModel::RawRole);
      cells << (value.typeId() == QMetaType::QByteArray ? QString(value.toByteArray().toHex())
                                                        : value.toString());
    }
    rows << cells.join(QLatin1Char('|'));
  }
  return rows;
}

/// The proxy's rows, top to bottom, as their addresses.
QStringList proxyOrder(const QAbstractItemModel& proxy) {
  QStringList out;
  for (int row = 0; row < proxy.rowCount(); ++row)
    out << proxy.index(row, HostTableModel::Address).data().toString();
  return out;
}

/// A model with its sorting proxy, watched by QAbstractItemModelTester.
struct Table {
  HostTableModel model;
  HostFilterProxy proxy;
  std::unique_ptr<QAbstractItemModelTester> modelTester;
  std::unique_ptr<QAbstractItemModelTester> proxyTester;

  Table(int column, Qt::SortOrder order, const QString& filter, bool split) {
    proxy.setSourceModel(&model);
    model.setSplitByNode(split);
    if (!proxy.setFilterText(filter)) qFatal("bad test filter");
    proxy.sort(column, order);
    modelTester = std::make_unique<QAbstractItemModelTester>(
        &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxyTester = std::make_unique<QAbstractItemModelTester>(
        &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
  }
};

}  // namespace

class TestSlicedHostUpdates : public QObject {
  Q_OBJECT

 private slots:
  void slicedDeltaEqualsDeltaAtOnce_data() {
    QTest::addColumn<int>("column");
    QTest::addColumn<bool>("descending");
    QTest::addColumn<QString>("filter");
    QTest::addColumn<bool>("twoNodes");
    QTest::addColumn<bool>("split");
    const auto add = [](const char* name, int column, bool descending, const char* filter,
                        bool twoNodes, bool split) {
      QTest::newRow(name) << column << descending << QString(filter) << twoNodes << split;
    };
    add("bytes descending", HostTableModel::Bytes, true, "", false, false);
    add("address", HostTableModel::Address, false, "", false, false);
    add("names", HostTableModel::Names, false, "", false, false);
    add("packets, filtered", HostTableModel::Packets, false, "(bytes >= 1000)", false, false);
    add("plain text filter", HostTableModel::LastSeen, true, "10.1.1.", false, false);
    add("two nodes merged, by node", HostTableModel::Nodes, false, "", true, false);
    add("two nodes merged, by bytes", HostTableModel::Bytes, true, "", true, false);
    add("two nodes split, by group", HostTableModel::Group, false, "", true, true);
    add("model order", -1, false, "", true, false);
  }

  /// One delta applied in many slices gives the rows, their model order and the proxy's order
  /// that applying it at once gives; meanwhile nothing is inserted or removed and the proxy
  /// keeps its rows where they were.
  void slicedDeltaEqualsDeltaAtOnce() {
    QFETCH(int, column);
    QFETCH(bool, descending);
    QFETCH(QString, filter);
    QFETCH(bool, twoNodes);
    QFETCH(bool, split);
    const Qt::SortOrder order = descending ? Qt::DescendingOrder : Qt::AscendingOrder;
    Table atOnce(column, order, filter, split);
    Table sliced(column, order, filter, split);
    atOnce.model.setSliceLimits(1'000'000, kSliceMs);
    sliced.model.setSliceLimits(kSliceHosts, kSliceMs);

    Random random(7);
    constexpr int kHosts = 300;
    std::vector<HostRecord> hosts;
    for (int n = 0; n < kHosts; ++n) hosts.push_back(makeHost(n, random));
    const HostsSnapshot first{1, hosts};
    const HostsSnapshot second{1, std::vector<HostRecord>(hosts.begin(), hosts.begin() + 150)};
    for (Table* table : {&atOnce, &sliced}) {
      table->model.applySnapshot("a", first);
      if (twoNodes) table->model.applySnapshot("b", second);
    }
    QCOMPARE(modelRows(sliced.model), modelRows(atOnce.model));

    int next = kHosts;
    for (std::uint64_t round = 0; round < 3; ++round) {
      const QString node = twoNodes && round == 1 ? "b" : "a";
      const HostsDelta delta = makeDelta(2 + round, next, 90, 12, next, random);
      atOnce.model.applyDelta(node, delta);
      QVERIFY(!atOnce.model.hasPendingUpdates());

      const int proxyRows = sliced.proxy.rowCount();
      const QStringList proxyBefore = proxyOrder(sliced.proxy);
      const int modelRowCount = sliced.model.rowCount();
      QSignalSpy inserted(&sliced.model, &QAbstractItemModel::rowsInserted);
      QSignalSpy removed(&sliced.model, &QAbstractItemModel::rowsAboutToBeRemoved);
      QSignalSpy changed(&sliced.model, &QAbstractItemModel::dataChanged);
      sliced.model.applyDelta(node, delta);
      QVERIFY(sliced.model.hasPendingUpdates());
      int slices = 0;
      bool more = true;
      bool opened = false;
      bool closed = false;
      while (more) {
        more = sliced.model.applyPendingSlice();
        ++slices;
        if (sliced.model.isSlicedUpdateOpen()) {
          opened = true;
        } else if (opened) {
          closed = true;  // the end: the proxy re-sorts, rows are removed and appended
        }
        if (more && !closed) {
          // Rows change in place only: same rows, same proxy order until the end.
          QCOMPARE(sliced.model.rowCount(), modelRowCount);
          QCOMPARE(inserted.count(), 0);
          QCOMPARE(removed.count(), 0);
          QCOMPARE(sliced.proxy.rowCount(), proxyRows);
          QCOMPARE(proxyOrder(sliced.proxy), proxyBefore);
        }
        QVERIFY(slices < 1000);
      }
      QVERIFY2(slices > 10, qPrintable(QString::number(slices)));
      QVERIFY(opened);
      QVERIFY(changed.count() > 2);  // announced slice by slice, then once more at the end
      QVERIFY(!sliced.model.hasPendingUpdates());
      QVERIFY(!sliced.model.isSlicedUpdateOpen());
      QCOMPARE(modelRows(sliced.model), modelRows(atOnce.model));
      QCOMPARE(proxyOrder(sliced.proxy), proxyOrder(atOnce.proxy));
    }
    QVERIFY(atOnce.proxy.rowCount() > 0);
  }

  /// Deltas, a snapshot and node changes that arrive while a delta is being applied are
  /// applied after it, in their order, with the result of applying each at once on arrival.
  void updatesArrivingMidApplication() {
    Table atOnce(HostTableModel::Bytes, Qt::DescendingOrder, QString(), false);
    Table sliced(HostTableModel::Bytes, Qt::DescendingOrder, QString(), false);
    atOnce.model.setSliceLimits(1'000'000, kSliceMs);
    sliced.model.setSliceLimits(kSliceHosts, kSliceMs);
    Random random(11);
    std::vector<HostRecord> hosts;
    for (int n = 0; n < 300; ++n) hosts.push_back(makeHost(n, random));
    for (Table* table : {&atOnce, &sliced}) {
      table->model.applySnapshot("a", HostsSnapshot{1, hosts});
      table->model.applySnapshot("b", HostsSnapshot{1, {hosts.begin() + 100, hosts.end()}});
    }
    int next = 300;
    const HostsDelta a2 = makeDelta(2, next, 100, 10, next, random);
    const HostsDelta a3 = makeDelta(3, next, 4, 2, next, random);  // small: at once if alone
    const HostsDelta b2 = makeDelta(2, next, 90, 10, next, random);
    const HostsDelta a4 = makeDelta(4, next, 80, 5, next, random);
    // The same addresses again, one second later, and evictions of what a2 brought.
    HostsDelta a5 = a2;
    a5.sequence = 5;
    for (auto& r : a5.changed) r.txBytes += 5000;
    a5.removed = {a4.changed.front().ip, a2.changed.back().ip};

    const auto runSlices = [&](int count) {
      for (int i = 0; i < count; ++i) {
        if (!sliced.model.applyPendingSlice()) return false;
      }
      return true;
    };
    // Each node's records of a few addresses, as the IP detail view reads them.
    const auto records = [&](HostTableModel& model) {
      QStringList out;
      for (int n : {0, 1, 150, 299, 300, 305, 330}) {
        for (const auto& [node, r] : model.recordsOf(address(n))) {
          out << QString("%1 %2 %3 %4 %5")
                     .arg(node)
                     .arg(QString::fromStdString(r.ip.toString()))
                     .arg(r.txBytes)
                     .arg(r.rxBytes)
                     .arg(r.lastSeen);
        }
      }
      return out;
    };
    atOnce.model.applyDelta("a", a2);
    sliced.model.applyDelta("a", a2);
    QCOMPARE(records(sliced.model), records(atOnce.model));  // queued, not stored yet
    QVERIFY(runSlices(3));
    QCOMPARE(records(sliced.model), records(atOnce.model));  // partly stored
    atOnce.model.applyDelta("a", a3);
    sliced.model.applyDelta("a", a3);
    QVERIFY(sliced.model.hasPendingUpdates());
    QVERIFY(runSlices(2));
    atOnce.model.applyDelta("b", b2);
    sliced.model.applyDelta("b", b2);
    atOnce.model.applyDelta("a", a4);
    sliced.model.applyDelta("a", a4);
    QCOMPARE(records(sliced.model), records(atOnce.model));  // several queued
    QVERIFY(runSlices(20));
    // A name change in the middle first applies everything queued.
    atOnce.model.setNodeName("b", "edge-b");
    sliced.model.setNodeName("b", "edge-b");
    QVERIFY(!sliced.model.hasPendingUpdates());
    QCOMPARE(modelRows(sliced.model), modelRows(atOnce.model));
    QCOMPARE(proxyOrder(sliced.proxy), proxyOrder(atOnce.proxy));

    atOnce.model.applyDelta("a", a5);
    sliced.model.applyDelta("a", a5);
    QVERIFY(runSlices(4));
    // So does a snapshot of the other node, which comes after a5.
    const HostsSnapshot b3{3, {hosts.begin() + 200, hosts.end()}};
    atOnce.model.applySnapshot("b", b3);
    sliced.model.applySnapshot("b", b3);
    QVERIFY(!sliced.model.hasPendingUpdates());
    QCOMPARE(modelRows(sliced.model), modelRows(atOnce.model));
    QCOMPARE(proxyOrder(sliced.proxy), proxyOrder(atOnce.proxy));

    // And removing a node in the middle of one of its deltas.
    const HostsDelta a6 = makeDelta(6, next, 60, 4, next, random);
    atOnce.model.applyDelta("a", a6);
    sliced.model.applyDelta("a", a6);
    QVERIFY(runSlices(5));
    atOnce.model.removeNode("a");
    sliced.model.removeNode("a");
    QVERIFY(!sliced.model.hasPendingUpdates());
    QCOMPARE(modelRows(sliced.model), modelRows(atOnce.model));
    QCOMPARE(proxyOrder(sliced.proxy), proxyOrder(atOnce.proxy));
  }

  /// Left to the event loop, the model's own timer applies every slice; a persistent index
  /// follows its row; the signal says when all is done.
  void eventLoopFinishesTheWork() {
    Table atOnce(HostTableModel::Bytes, Qt::DescendingOrder, QString(), false);
    Table sliced(HostTableModel::Bytes, Qt::DescendingOrder, QString(), false);
    atOnce.model.setSliceLimits(1'000'000, kSliceMs);
    sliced.model.setSliceLimits(kSliceHosts, kSliceMs);
    Random random(5);
    std::vector<HostRecord> hosts;
    for (int n = 0; n < 200; ++n) hosts.push_back(makeHost(n, random));
    for (HostRecord& r : hosts) r.txBytes += 10;
    hosts[42].txBytes = 0;  // alone at the bottom
    hosts[42].rxBytes = 0;
    for (Table* table : {&atOnce, &sliced})
      table->model.applySnapshot("a", HostsSnapshot{1, hosts});
    const int bottom = sliced.proxy.rowCount() - 1;
    QCOMPARE(sliced.proxy.index(bottom, 0).data().toString(), QString("10.1.0.42"));
    QPersistentModelIndex followed(sliced.proxy.index(bottom, HostTableModel::Bytes));

    int next = 200;
    HostsDelta delta = makeDelta(2, next, 150, 20, next, random);
    std::erase(delta.removed, hosts[42].ip);
    HostRecord top = hosts[42];
    top.txBytes = 1'000'000;  // to the top
    delta.changed.push_back(top);
    QSignalSpy done(&sliced.model, &HostTableModel::pendingUpdatesApplied);
    atOnce.model.applyDelta("a", delta);
    sliced.model.applyDelta("a", delta);
    QVERIFY(sliced.model.hasPendingUpdates());
    QVERIFY(done.wait());
    QCOMPARE(done.count(), 1);
    QVERIFY(!sliced.model.hasPendingUpdates());
    QCOMPARE(modelRows(sliced.model), modelRows(atOnce.model));
    QCOMPARE(proxyOrder(sliced.proxy), proxyOrder(atOnce.proxy));
    QVERIFY(followed.isValid());
    QCOMPARE(followed.row(), 0);
    QCOMPARE(followed.sibling(0, 0).data().toString(), QString("10.1.0.42"));
  }
};

QTEST_GUILESS_MAIN(TestSlicedHostUpdates)
#include "tst_sliced_host_updates.moc"
