// SPDX-License-Identifier: MIT
// TableFilterProxy (through HostFilterProxy): after random deltas (changed, new and evicted
// hosts, few or most rows at once) its incrementally kept order equals a full sort of the same
// table, persistent indexes follow their rows through moves and filter changes, and a source
// that is not a HostTableModel still sorts and filters. QAbstractItemModelTester watches the
// proxy throughout.
#include <QAbstractItemModelTester>
#include <QPersistentModelIndex>
#include <QStandardItemModel>
#include <QTest>

#include <algorithm>
#include <array>
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

/// A small linear congruential generator: the same "random" tables on every run.
struct Random {
  std::uint32_t state = 12345;
  std::uint32_t next(std::uint32_t bound) {
    state = state * 1664525u + 1013904223u;
    return (state >> 8) % bound;
  }
};

IpAddress address(int n) {
  const std::string text = "10." + std::to_string(n / 65536) + "." + std::to_string(n / 256 % 256) +
                           "." + std::to_string(n % 256);
  auto parsed = IpAddress::parse(text);
  if (!parsed) qFatal("bad test address %s", text.c_str());
  return *parsed;
}

/// Host `n` with few distinct values, so that many rows tie on the sort column.
HostRecord randomHost(int n, Random& random) {
  HostRecord r;
  r.ip = address(n);
  r.txPackets = random.next(8);
  r.txBytes = random.next(6) * 500;
  r.rxBytes = random.next(3) * 700;
  r.firstSeen = kT0;
  r.firstRecent = kT0;
  r.lastSeen = kT0 + static_cast<std::int64_t>(random.next(4)) * kSecond;
  if (random.next(3) == 0) r.names = {"host" + std::to_string(random.next(3)) + ".example"};
  return r;
}

/// Host `n` whose sort keys collide beyond their first bytes: IPv6 addresses differing only
/// late, long names sharing prefixes past every key level, names with zero bytes, lists of
/// two names, empty texts, groups, countries and vendors from small sets.
HostRecord collidingHost(int n, Random& random) {
  HostRecord r = randomHost(n, random);
  if (random.next(3) == 0) {
    std::array<std::uint8_t, 16> v6{0x20, 0x01, 0x0d, 0xb8};
    v6[7 + random.next(2) * 8] = static_cast<std::uint8_t>(n);
    v6[14] = static_cast<std::uint8_t>(n >> 8);
    v6[static_cast<std::size_t>(random.next(16))] ^= 1;
    r.ip = IpAddress::fromV6(v6.data());
  }
  static const std::vector<std::string> texts{
      "",
      "a",
      "host-1",
      "host-12",
      "host-123",
      "host-123.example.net",
      "host-123.example.org",
      "host-123.example.net.some.very.long.domain.beyond.every.key.level",
      "host-123.example.net.some.very.long.domain.beyond.every.key.level.x",
      std::string("host-1\0", 7),
      std::string("host-1\0\0", 8),
      "HOST-123",
      "\xff\xfe-high-bytes",
  };
  const auto text = [&] { return texts[random.next(static_cast<std::uint32_t>(texts.size()))]; };
  r.names.clear();
  for (std::uint32_t i = random.next(3); i > 0; --i) r.names.push_back(text());
  r.group = text();
  r.country = random.next(4) == 0 ? std::string() : text().substr(0, 2);
  r.macs.clear();
  for (std::uint32_t i = random.next(3); i > 0; --i) {
    netlens::net::MacAddress mac;
    mac.bytes[5] = static_cast<std::uint8_t>(random.next(3));
    r.macs.push_back(mac);
  }
  std::sort(r.macs.begin(), r.macs.end());
  r.macs.erase(std::unique(r.macs.begin(), r.macs.end()), r.macs.end());
  r.macVendors.clear();
  if (random.next(2) == 0) r.macVendors = {text()};
  if (random.next(4) == 0) r.macVendors.push_back(text());
  return r;
}

/// The source rows a proxy shows, top to bottom.
std::vector<int> sourceOrder(const QAbstractProxyModel& proxy) {
  std::vector<int> rows;
  for (int row = 0; row < proxy.rowCount(); ++row)
    rows.push_back(proxy.mapToSource(proxy.index(row, 0)).row());
  return rows;
}

class TestTableFilterProxy : public QObject {
  Q_OBJECT

 private slots:
  void incrementalOrderEqualsFullSort_data() {
    QTest::addColumn<int>("column");
    QTest::addColumn<bool>("descending");
    QTest::addColumn<QString>("filter");
    QTest::newRow("bytes") << int(HostTableModel::Bytes) << false << QString();
    QTest::newRow("bytes descending") << int(HostTableModel::Bytes) << true << QString();
    QTest::newRow("packets, filtered")
        << int(HostTableModel::Packets) << true << QString("(bytes > 1000)");
    QTest::newRow("last seen, text filter")
        << int(HostTableModel::LastSeen) << false << QString("10.0.1");
    QTest::newRow("names (prefix keys)") << int(HostTableModel::Names) << false << QString();
    QTest::newRow("address descending") << int(HostTableModel::Address) << true << QString();
    QTest::newRow("unsorted, filtered") << -1 << false << QString("(packets >= 4)");
  }

  void incrementalOrderEqualsFullSort() {
    QFETCH(int, column);
    QFETCH(bool, descending);
    QFETCH(QString, filter);
    const Qt::SortOrder order = descending ? Qt::DescendingOrder : Qt::AscendingOrder;
    HostTableModel model;
    HostFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(proxy.setFilterText(filter));
    proxy.sort(column, order);

    Random random;
    constexpr int kHosts = 600;
    HostsSnapshot snapshot;
    snapshot.sequence = 1;
    for (int n = 0; n < kHosts; ++n) snapshot.hosts.push_back(randomHost(n, random));
    model.applySnapshot("a", snapshot);
    int nextHost = kHosts;
    for (std::uint64_t round = 0; round < 12; ++round) {
      HostsDelta delta;
      delta.sequence = 2 + round;
      // Few scattered rows (one range each), a fifth of the table (more ranges than the model
      // announces one by one: one range naming the rows, merged back) and most of the table
      // (one range naming the rows, sorted afresh).
      const int changes = round % 3 == 2   ? kHosts * 3 / 4
                          : round % 3 == 1 ? kHosts / 5
                                           : 1 + static_cast<int>(round) * 9;
      std::vector<bool> taken(static_cast<std::size_t>(nextHost), false);
      for (int i = 0; i < changes; ++i) {
        const int n = static_cast<int>(random.next(static_cast<std::uint32_t>(nextHost)));
        if (taken[static_cast<std::size_t>(n)]) continue;
        taken[static_cast<std::size_t>(n)] = true;
        if (random.next(20) == 0) {
          delta.removed.push_back(address(n));
        } else {
          delta.changed.push_back(randomHost(n, random));
        }
      }
      for (int i = 0; i < 5; ++i) delta.changed.push_back(randomHost(nextHost++, random));
      model.applyDelta("a", delta);

      HostFilterProxy fresh;
      fresh.setSourceModel(&model);
      QVERIFY(fresh.setFilterText(filter));
      fresh.sort(column, order);
      QCOMPARE(proxy.rowCount(), fresh.rowCount());
      QVERIFY2(sourceOrder(proxy) == sourceOrder(fresh), qPrintable(QString::number(round)));
    }
    QVERIFY(proxy.rowCount() > 0);
  }

  void orderEqualsComparisonSort_data() {
    QTest::addColumn<int>("column");
    QTest::addColumn<bool>("descending");
    QTest::addColumn<int>("hosts");
    for (int hosts : {300, 6000}) {  // 6000: past the radix sort's threshold
      const auto add = [&](const char* name, int column, bool descending) {
        QTest::addRow("%s, %d hosts", name, hosts) << column << descending << hosts;
      };
      add("address", HostTableModel::Address, false);
      add("address descending", HostTableModel::Address, true);
      add("names", HostTableModel::Names, false);
      add("names descending", HostTableModel::Names, true);
      add("group", HostTableModel::Group, false);
      add("country descending", HostTableModel::Country, true);
      add("vendors", HostTableModel::Vendors, false);
      add("bytes descending", HostTableModel::Bytes, true);
      add("last seen", HostTableModel::LastSeen, false);
      add("bits/s descending", HostTableModel::BitRate, true);
      add("node", HostTableModel::Nodes, false);
      add("macs", HostTableModel::Macs, false);
    }
  }

  /// The proxy's order, through snapshots and deltas, equals sorting every row with the
  /// model's own comparison of two rows (equal values in model order).
  void orderEqualsComparisonSort() {
    QFETCH(int, column);
    QFETCH(bool, descending);
    QFETCH(int, hosts);
    HostTableModel model;
    HostFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(column, descending ? Qt::DescendingOrder : Qt::AscendingOrder);
    const auto reference = [&] {
      std::vector<int> rows(static_cast<std::size_t>(model.rowCount()));
      for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<int>(i);
      std::sort(rows.begin(), rows.end(), [&](int a, int b) {
        if (model.lessThan(a, b, column)) return !descending;
        if (model.lessThan(b, a, column)) return descending;
        return a < b;
      });
      return rows;
    };

    Random random;
    HostsSnapshot snapshot;
    snapshot.sequence = 1;
    for (int n = 0; n < hosts; ++n) snapshot.hosts.push_back(collidingHost(n, random));
    model.applySnapshot("a", snapshot);
    QVERIFY(sourceOrder(proxy) == reference());
    for (std::uint64_t round = 0; round < 4; ++round) {
      HostsDelta delta;
      delta.sequence = 2 + round;
      const int changes = round == 3 ? hosts * 3 / 4 : round == 2 ? hosts / 10 : 3;
      for (int i = 0; i < changes; ++i) {
        const auto n = static_cast<int>(random.next(static_cast<std::uint32_t>(hosts)));
        delta.changed.push_back(collidingHost(n, random));
      }
      model.applyDelta("a", delta);
      model.finishPendingUpdates();  // past sliceHosts() hosts a delta is applied in slices
      QVERIFY2(sourceOrder(proxy) == reference(), qPrintable(QString::number(round)));
    }
  }

  void persistentIndexesFollowRows() {
    HostTableModel model;
    HostFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(HostTableModel::Bytes, Qt::DescendingOrder);
    Random random;
    HostsSnapshot snapshot;
    snapshot.sequence = 1;
    for (int n = 0; n < 100; ++n) {
      HostRecord r = randomHost(n, random);
      r.txBytes = 1000 + static_cast<std::uint64_t>(n);  // distinct: every row has one place
      r.rxBytes = 0;
      snapshot.hosts.push_back(r);
    }
    model.applySnapshot("a", snapshot);
    QCOMPARE(proxy.index(0, 0).data().toString(), QString("10.0.0.99"));
    QPersistentModelIndex top(proxy.index(0, HostTableModel::Bytes));
    QPersistentModelIndex bottom(proxy.index(99, HostTableModel::Address));

    // 10.0.0.0 moves from the bottom to the top, everything else one row down.
    HostsDelta delta;
    delta.sequence = 2;
    HostRecord grown = snapshot.hosts[0];
    grown.txBytes = 1'000'000;
    delta.changed.push_back(grown);
    model.applyDelta("a", delta);
    QCOMPARE(proxy.index(0, 0).data().toString(), QString("10.0.0.0"));
    QCOMPARE(bottom.row(), 0);
    QCOMPARE(bottom.column(), int(HostTableModel::Address));
    QCOMPARE(bottom.data().toString(), QString("10.0.0.0"));
    QCOMPARE(top.row(), 1);
    QCOMPARE(top.sibling(top.row(), 0).data().toString(), QString("10.0.0.99"));

    // A filter hiding a row invalidates its index; the others follow their rows.
    QVERIFY(proxy.setFilterText("10.0.0.9"));
    QVERIFY(!bottom.isValid());
    QVERIFY(top.isValid());
    QCOMPARE(top.sibling(top.row(), 0).data().toString(), QString("10.0.0.99"));
    QCOMPARE(proxy.rowCount(), 11);  // 10.0.0.9 and 10.0.0.90 .. 99

    // Sorting again moves it; clearing the filter keeps it.
    proxy.sort(HostTableModel::Bytes, Qt::AscendingOrder);
    QCOMPARE(top.row(), 10);
    QVERIFY(proxy.setFilterText(QString()));
    QCOMPARE(proxy.rowCount(), 100);
    QCOMPARE(top.row(), 98);
    QCOMPARE(top.sibling(top.row(), 0).data().toString(), QString("10.0.0.99"));

    // Evicting the row invalidates its index.
    HostsDelta eviction;
    eviction.sequence = 3;
    eviction.removed.push_back(address(99));
    model.applyDelta("a", eviction);
    QVERIFY(!top.isValid());
    QCOMPARE(proxy.rowCount(), 99);
  }

  void sortsAndFiltersAnyModel() {
    QStandardItemModel model(0, 2);
    const QList<int> values{30, 10, 20, 10};
    const QStringList names{"gamma", "alpha", "beta", "delta"};
    for (int i = 0; i < values.size(); ++i) {
      auto* name = new QStandardItem(names[i]);
      auto* value = new QStandardItem;
      value->setData(values[i], HostTableModel::RawRole);
      model.appendRow({name, value});
    }
    HostFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(1, Qt::AscendingOrder);
    QCOMPARE(sourceOrder(proxy), (std::vector<int>{1, 3, 2, 0}));  // equal values: model order
    proxy.sort(1, Qt::DescendingOrder);
    QCOMPARE(sourceOrder(proxy), (std::vector<int>{0, 2, 1, 3}));
    QVERIFY(proxy.setFilterText("ta"));  // beta, delta
    QCOMPARE(sourceOrder(proxy), (std::vector<int>{2, 3}));
    QVERIFY(!proxy.setFilterText("(bytes > 1)"));  // no typed columns to name
    model.item(1, 0)->setText("theta");
    QCOMPARE(sourceOrder(proxy), (std::vector<int>{2, 1, 3}));
    model.removeRow(2);
    QCOMPARE(sourceOrder(proxy), (std::vector<int>{1, 2}));
    proxy.sort(-1);
    QCOMPARE(sourceOrder(proxy), (std::vector<int>{1, 2}));
  }
};

}  // namespace

QTEST_MAIN(TestTableFilterProxy)
#include "tst_table_filter_proxy.moc"
