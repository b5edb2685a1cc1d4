// SPDX-License-Identifier: MIT
// HostTableModel and HostFilterProxy: model consistency (QAbstractItemModelTester) through
// every kind of update, the multi-node merge (with each node's inactivity gap), stale rows of
// disconnected nodes, raw-value sorting, filtering, and that updates touch only the rows
// that changed.

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QPalette>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <memory>
#include <string>

#include "app/models/host_filter_proxy.h"
#include "app/models/host_table_model.h"
#include "tests/common/host_records.h"

using netlens::app::models::HostFilterProxy;
using netlens::app::models::HostTableModel;
using netlens::net::IpAddress;
using netlens::net::MacAddress;
using netlens::protocol::HostRecord;
using netlens::protocol::HostsDelta;
using netlens::protocol::HostsSnapshot;
using namespace netlens::tests::host_records;

namespace {

/// `column`'s order on the model's public values, written independently of the model's
/// sort keys: numbers and times on RawRole, addresses numerically, node names ignoring
/// case, lists element by element.
bool referenceLess(const HostTableModel& model, int a, int b, int column) {
  switch (column) {
    case HostTableModel::Address:
      return model.addressOf(a) < model.addressOf(b);
    case HostTableModel::Nodes:
      return model.index(a, column)
                 .data(HostTableModel::RawRole)
                 .toString()
                 .compare(model.index(b, column).data(HostTableModel::RawRole).toString(),
                          Qt::CaseInsensitive) < 0;
    case HostTableModel::Macs:
    case HostTableModel::Names:
    case HostTableModel::Vendors:
    case HostTableModel::Vlans: {
      const auto values = [&](int row) {
        QStringList out;
        for (int i = 0; i < model.cellValueCount(row, column); ++i) {
          out << (column == HostTableModel::Vlans
                      ? QString("%1").arg(model.cellNumber(row, column, i), 5, 'f', 0, '0')
                      : model.cellText(row, column, i));
        }
        return out;
      };
      const QStringList x = values(a);
      const QStringList y = values(b);
      return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end());
    }
    default:
      return QVariant::compare(model.index(a, column).data(HostTableModel::RawRole),
                               model.index(b, column).data(HostTableModel::RawRole)) ==
             QPartialOrdering::Less;
  }
}

}  // namespace

class TestHostTableModel : public QObject, public HostTableFixture {
  Q_OBJECT

 private slots:
  void init() { makeTable(); }
  void cleanup() { dropTable(); }

  void lifecycleKeepsModelsConsistent() {
    m_model->setNodeName("a", "alpha");
    m_model->applySnapshot("a", snapshot({host("10.0.0.1", 1, 100), host("10.0.0.2", 2, 200),
                                          host("10.0.0.3", 3, 300)}));
    QCOMPARE(m_model->rowCount(), 3);

    HostsDelta delta;
    delta.sequence = 2;
    delta.changed = {host("10.0.0.2", 20, 2000), host("10.0.0.4", 4, 400)};
    delta.removed = {ip("10.0.0.1")};
    m_model->applyDelta("a", delta);
    QCOMPARE(addresses(*m_proxy), (QStringList{"10.0.0.2", "10.0.0.3", "10.0.0.4"}));
    QCOMPARE(raw(*m_proxy, 0, HostTableModel::Packets), 20ull);

    m_model->applySnapshot("b", snapshot({host("10.0.0.3", 7, 700), host("2001:db8::1", 1, 60)}));
    QCOMPARE(m_model->rowCount(), 4);
    m_model->setSplitByNode(true);
    QCOMPARE(m_model->rowCount(), 5);
    m_model->applyDelta("b", HostsDelta{3, 0, {host("10.0.0.3", 8, 800)}, {}, {}});
    QCOMPARE(m_model->rowCount(), 5);
    m_model->setSplitByNode(false);
    QCOMPARE(m_model->rowCount(), 4);
    QCOMPARE(raw(*m_proxy, findRow(*m_proxy, "10.0.0.3"), HostTableModel::Packets), 11ull);

    // A fresh snapshot replaces what the node had: 10.0.0.4 disappears.
    m_model->applySnapshot("a", snapshot({host("10.0.0.2", 21, 2100), host("10.0.0.3", 3, 300)}));
    QCOMPARE(addresses(*m_proxy), (QStringList{"10.0.0.2", "10.0.0.3", "2001:db8::1"}));

    m_model->removeNode("b");
    QCOMPARE(addresses(*m_proxy), (QStringList{"10.0.0.2", "10.0.0.3"}));
    QCOMPARE(raw(*m_proxy, 1, HostTableModel::Packets), 3ull);
    m_model->removeNode("a");
    QCOMPARE(m_model->rowCount(), 0);
    QCOMPARE(m_proxy->rowCount(), 0);
  }

  void mergesTheSameAddressFromTwoNodes() {
    m_model->setNodeName("a", "alpha");
    m_model->setNodeName("b", "beta");
    HostRecord fromA = host("192.168.1.10", 5, 500, 1, 60);
    fromA.macs = {*MacAddress::parse("00:11:22:33:44:55")};
    fromA.vlans = {10};
    fromA.packetsPerSecond = 1.5;
    HostRecord fromB = host("192.168.1.10", 7, 700, 2, 120);
    fromB.firstSeen = kT0 - 10 * kSecond;
    fromB.lastSeen = kT0 + 5 * kSecond;
    fromB.macs = {*MacAddress::parse("66:77:88:99:aa:bb")};
    fromB.vlans = {10, 20};
    fromB.packetsPerSecond = 2.0;
    fromA.names = {"www.example.com"};
    fromB.names = {"host-b.lan", "www.example.com"};
    m_model->applySnapshot("a", snapshot({fromA}));
    m_model->applySnapshot("b", snapshot({fromB}));

    QCOMPARE(m_model->rowCount(), 1);
    auto cell = [&](int column) { return m_model->index(0, column); };
    QCOMPARE(cell(HostTableModel::Nodes).data().toString(), QString("alpha, beta"));
    QCOMPARE(cell(HostTableModel::Packets).data(HostTableModel::RawRole).toULongLong(), 15ull);
    QCOMPARE(cell(HostTableModel::Bytes).data(HostTableModel::RawRole).toULongLong(), 1380ull);
    QCOMPARE(cell(HostTableModel::TxPackets).data(HostTableModel::RawRole).toULongLong(), 12ull);
    QCOMPARE(cell(HostTableModel::RxBytes).data(HostTableModel::RawRole).toULongLong(), 180ull);
    QCOMPARE(cell(HostTableModel::PacketRate).data(HostTableModel::RawRole).toDouble(), 3.5);
    QCOMPARE(cell(HostTableModel::FirstSeen).data(HostTableModel::RawRole).toLongLong(),
             kT0 - 10 * kSecond);
    QCOMPARE(cell(HostTableModel::LastSeen).data(HostTableModel::RawRole).toLongLong(),
             kT0 + 5 * kSecond);
    QCOMPARE(cell(HostTableModel::Macs).data().toString(),
             QString("00:11:22:33:44:55, 66:77:88:99:aa:bb"));
    QCOMPARE(cell(HostTableModel::Vlans).data().toString(), QString("10, 20"));
    // Names of both nodes, without repeats; plain text and expressions find them.
    QCOMPARE(cell(HostTableModel::Names).data().toString(), QString("www.example.com, host-b.lan"));
    m_proxy->setFilterText("HOST-B");
    QCOMPARE(m_proxy->rowCount(), 1);
    m_proxy->setFilterText("(names contains \"example\")");
    QCOMPARE(m_proxy->rowCount(), 1);
    m_proxy->setFilterText("(names == \"nothing.example\")");
    QCOMPARE(m_proxy->rowCount(), 0);
    m_proxy->setFilterText(QString());

    m_model->setSplitByNode(true);
    QCOMPARE(m_model->rowCount(), 2);
    QCOMPARE(m_model->headerData(HostTableModel::Nodes, Qt::Horizontal).toString(),
             QString("Node"));
    QStringList nodes{m_model->index(0, HostTableModel::Nodes).data().toString(),
                      m_model->index(1, HostTableModel::Nodes).data().toString()};
    nodes.sort();
    QCOMPARE(nodes, (QStringList{"alpha", "beta"}));
  }

  void mergeUsesEachNodesInactivityGap_data() {
    QTest::addColumn<bool>("laterNodeFirst");
    QTest::newRow("earlier node first") << false;
    QTest::newRow("later node first") << true;
  }

  void mergeUsesEachNodesInactivityGap() {
    QFETCH(bool, laterNodeFirst);
    // alpha saw 10.0.0.1 from T0 to T0+10 s, beta from T0+100 s to T0+200 s: 90 s of silence.
    HostRecord fromA = host("10.0.0.1", 1, 100);
    fromA.lastSeen = kT0 + 10 * kSecond;
    HostRecord fromB = host("10.0.0.1", 2, 200);
    fromB.firstSeen = kT0 + 100 * kSecond;
    fromB.firstRecent = fromB.firstSeen;
    fromB.lastSeen = kT0 + 200 * kSecond;
    if (laterNodeFirst) m_model->applySnapshot("b", snapshot({fromB}));
    m_model->applySnapshot("a", snapshot({fromA}));
    m_model->applySnapshot("b", snapshot({fromB}));
    QCOMPARE(m_model->rowCount(), 1);
    auto firstRecent = [&] {
      return m_model->index(0, HostTableModel::FirstRecent).data(HostTableModel::RawRole);
    };
    // Default gaps (300 s, also for nodes whose Hello predates the field): one period.
    QCOMPARE(firstRecent().toLongLong(), kT0);

    // beta's period is the later one, so beta's gap decides; alpha's does not matter.
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    m_model->setNodeInactivityGap("b", 60 * kSecond);
    QCOMPARE(firstRecent().toLongLong(), kT0 + 100 * kSecond);
    QCOMPARE(changed.size(), 1);
    m_model->setNodeInactivityGap("a", 30 * kSecond);
    QCOMPARE(firstRecent().toLongLong(), kT0 + 100 * kSecond);
    m_model->setNodeInactivityGap("a", 600 * kSecond);
    QCOMPARE(firstRecent().toLongLong(), kT0 + 100 * kSecond);
    m_model->setNodeInactivityGap("b", 120 * kSecond);
    QCOMPARE(firstRecent().toLongLong(), kT0);

    // A rebuilt table (split by node and back) merges the same way.
    m_model->setNodeInactivityGap("b", 60 * kSecond);
    m_model->setSplitByNode(true);
    QCOMPARE(m_model->rowCount(), 2);
    m_model->setSplitByNode(false);
    QCOMPARE(firstRecent().toLongLong(), kT0 + 100 * kSecond);
    QCOMPARE(m_model->index(0, HostTableModel::Packets).data(HostTableModel::RawRole).toULongLong(),
             3ull);
  }

  void staleNodesAreGreyedUntilTheyReconnect() {
    m_model->setNodeName("a", "alpha");
    m_model->setNodeName("b", "beta");
    m_model->applySnapshot("a", snapshot({host("10.0.0.1", 1, 100), host("10.0.0.2", 2, 200)}));
    m_model->applySnapshot("b", snapshot({host("10.0.0.2", 3, 300), host("10.0.0.3", 4, 400)}));
    const QBrush grey = QPalette().brush(QPalette::Disabled, QPalette::Text);
    auto cell = [&](const char* address, int column) {
      const int row = findRow(*m_model, address);
      return m_model->index(row, column);
    };
    auto isGrey = [&](const char* address) {
      QVariant foreground = cell(address, HostTableModel::Packets).data(Qt::ForegroundRole);
      return foreground.isValid() && foreground.value<QBrush>() == grey;
    };
    auto tip = [&](const char* address) {
      return cell(address, HostTableModel::Address).data(Qt::ToolTipRole).toString();
    };
    for (const char* address : {"10.0.0.1", "10.0.0.2", "10.0.0.3"}) {
      QVERIFY(!cell(address, HostTableModel::Packets).data(Qt::ForegroundRole).isValid());
      QVERIFY(!cell(address, HostTableModel::Address).data(Qt::ToolTipRole).isValid());
    }

    // alpha goes away: its own row is greyed and says since when, with its figures kept.
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    const QDateTime lastA(QDate(2024, 3, 1), QTime(12, 34, 56));
    const QString noteA =
        "The figures of alpha are from 2024-03-01 12:34:56, when it was last connected.";
    m_model->setNodeStale("a", true, lastA);
    QVERIFY(m_model->isNodeStale("a"));
    QVERIFY(!m_model->isNodeStale("b"));
    QVERIFY(!changed.isEmpty());
    for (const auto& args : changed) {
      const auto roles = args.at(2).value<QList<int>>();
      QVERIFY(roles.contains(Qt::ForegroundRole));
      QVERIFY(roles.contains(Qt::ToolTipRole));
    }
    QVERIFY(isGrey("10.0.0.1"));
    QCOMPARE(tip("10.0.0.1"), noteA);
    QCOMPARE(cell("10.0.0.1", HostTableModel::Packets).data(HostTableModel::RawRole).toULongLong(),
             1ull);
    QCOMPARE(cell("10.0.0.1", HostTableModel::Bytes).data(Qt::ToolTipRole).toString(),
             noteA + "\n100 bytes");
    // Merged with live beta: not greyed, but the tooltip tells which part is old.
    QVERIFY(!isGrey("10.0.0.2"));
    QCOMPARE(tip("10.0.0.2"), noteA);
    QVERIFY(!isGrey("10.0.0.3"));
    QVERIFY(tip("10.0.0.3").isEmpty());
    // Telling it again changes nothing.
    changed.clear();
    m_model->setNodeStale("a", true, lastA);
    QCOMPARE(changed.size(), 0);

    // beta goes away too: the merged row is greyed now, and names both.
    const QString noteB =
        "The figures of beta are from 2024-03-01 13:00:00, when it was last connected.";
    m_model->setNodeStale("b", true, QDateTime(QDate(2024, 3, 1), QTime(13, 0)));
    QVERIFY(isGrey("10.0.0.2"));
    QCOMPARE(tip("10.0.0.2"), noteA + "\n" + noteB);
    QVERIFY(isGrey("10.0.0.3"));

    // Split by node: each row follows its own node.
    m_model->setSplitByNode(true);
    m_model->setNodeStale("b", false);
    QCOMPARE(m_model->rowCount(), 4);
    for (int row = 0; row < m_model->rowCount(); ++row) {
      const bool ofAlpha =
          m_model->index(row, HostTableModel::Nodes).data().toString() == QString("alpha");
      QCOMPARE(m_model->index(row, HostTableModel::Packets).data(Qt::ForegroundRole).isValid(),
               ofAlpha);
      QCOMPARE(m_model->index(row, HostTableModel::Address).data(Qt::ToolTipRole).isValid(),
               ofAlpha);
    }

    // alpha reconnects: everything back to normal, in either mode.
    m_model->setSplitByNode(false);
    QVERIFY(isGrey("10.0.0.1"));
    m_model->setNodeStale("a", false);
    for (const char* address : {"10.0.0.1", "10.0.0.2", "10.0.0.3"}) {
      QVERIFY(!cell(address, HostTableModel::Packets).data(Qt::ForegroundRole).isValid());
      QVERIFY(!cell(address, HostTableModel::Address).data(Qt::ToolTipRole).isValid());
    }
    QCOMPARE(cell("10.0.0.2", HostTableModel::Bytes).data(Qt::ToolTipRole).toString(),
             QString("500 bytes"));
  }

  void sortsOnRawValues_data() {
    QTest::addColumn<int>("column");
    QTest::addColumn<QStringList>("ascending");
    // Bytes: 10 < 9 000 < 12 000 although "9.0 kB" > "12.0 kB" > "10 bytes" as text.
    QTest::newRow("bytes") << int(HostTableModel::Bytes)
                           << QStringList{"10.0.0.10", "9.0.0.1", "10.0.0.2", "192.168.1.1", "::1"};
    QTest::newRow("packets") << int(HostTableModel::Packets)
                             << QStringList{"10.0.0.10", "9.0.0.1", "10.0.0.2", "192.168.1.1",
                                            "::1"};
    // Addresses numerically, IPv4 before IPv6.
    QTest::newRow("address") << int(HostTableModel::Address)
                             << QStringList{"9.0.0.1", "10.0.0.2", "10.0.0.10", "192.168.1.1",
                                            "::1"};
  }

  void sortsOnRawValues() {
    QFETCH(int, column);
    QFETCH(QStringList, ascending);
    m_model->applySnapshot("a", snapshot({host("10.0.0.2", 3, 12'000), host("9.0.0.1", 2, 9'000),
                                          host("::1", 90, 900'000), host("10.0.0.10", 1, 10),
                                          host("192.168.1.1", 40, 40'000)}));
    m_proxy->sort(column, Qt::AscendingOrder);
    QCOMPARE(addresses(*m_proxy), ascending);
    m_proxy->sort(column, Qt::DescendingOrder);
    std::reverse(ascending.begin(), ascending.end());
    QCOMPARE(addresses(*m_proxy), ascending);
  }

  void sortFollowsUpdates() {
    m_proxy->sort(HostTableModel::Bytes, Qt::DescendingOrder);
    m_model->applySnapshot("a", snapshot({host("10.0.0.1", 1, 10), host("10.0.0.2", 1, 20)}));
    QCOMPARE(addresses(*m_proxy), (QStringList{"10.0.0.2", "10.0.0.1"}));
    m_model->applyDelta("a", HostsDelta{2, 0, {host("10.0.0.1", 2, 9'000)}, {}, {}});
    QCOMPARE(addresses(*m_proxy), (QStringList{"10.0.0.1", "10.0.0.2"}));
  }

  void sortFollowsEveryColumnThroughUpdates_data() {
    QTest::addColumn<int>("column");
    for (int column = 0; column < HostTableModel::ColumnCount; ++column)
      QTest::newRow(qPrintable(HostTableModel::columnTitle(column))) << column;
  }

  void sortFollowsEveryColumnThroughUpdates() {
    // The proxy sorts on keys the model caches per row; they must follow every kind of
    // update. Values collide often (small ranges, shared name prefixes) to exercise ties.
    QFETCH(int, column);
    std::uint32_t state = 12345u + static_cast<std::uint32_t>(column);
    const auto next = [&state](std::uint32_t range) {
      state = state * 1664525u + 1013904223u;
      return (state >> 8) % range;
    };
    const auto makeHost = [&](int i) {
      const QString address = i % 4 == 3
                                  ? QString("2001:db8::%1:%2").arg(i % 3).arg(i)
                                  : QString("10.%1.%2.%3").arg(i % 3).arg(i / 256).arg(i % 256);
      HostRecord r = host(qPrintable(address), next(5), next(9), next(5), next(7));
      r.udpPackets = next(4);
      r.packetsPerSecond = next(3) * 0.5;
      r.bitsPerSecond = next(3) * 1e3;
      r.tcpPayloadBytes = next(6);
      r.tcpRetransPackets = next(3);
      r.tcpRetransBytes = next(4);
      r.firstSeen = kT0 + static_cast<std::int64_t>(next(3)) * kSecond;
      r.firstRecent = r.firstSeen;
      r.lastSeen = r.firstSeen + static_cast<std::int64_t>(next(3)) * kSecond;
      for (std::uint32_t k = next(3); k > 0; --k) {
        MacAddress mac;
        mac.bytes[5] = static_cast<std::uint8_t>(next(3));
        r.macs.push_back(mac);
      }
      std::sort(r.macs.begin(), r.macs.end());
      r.macs.erase(std::unique(r.macs.begin(), r.macs.end()), r.macs.end());
      for (std::uint32_t k = next(3); k > 0; --k)
        r.vlans.push_back(static_cast<std::uint16_t>(next(3)));
      std::sort(r.vlans.begin(), r.vlans.end());
      r.vlans.erase(std::unique(r.vlans.begin(), r.vlans.end()), r.vlans.end());
      for (std::uint32_t k = next(3); k > 0; --k)
        r.names.push_back("printer-" + std::to_string(next(3)) + (next(2) ? ".lan" : ""));
      for (std::size_t k = 0; k < r.macs.size(); ++k)
        r.macVendors.push_back(next(2) ? "Vendor Corp " + std::to_string(next(3)) : "");
      static const char* const kCountries[] = {"", "SE", "DE", "GB"};
      r.country = kCountries[next(4)];
      r.group = next(3) ? "group-with-a-long-name-" + std::to_string(next(3)) : "";
      return r;
    };
    const auto checkOrder = [&](const char* step) {
      for (int p = 1; p < m_proxy->rowCount(); ++p) {
        const int before = m_proxy->mapToSource(m_proxy->index(p - 1, 0)).row();
        const int after = m_proxy->mapToSource(m_proxy->index(p, 0)).row();
        if (referenceLess(*m_model, after, before, column))
          QFAIL(qPrintable(QString("%1: rows %2 and %3 out of order (%4, %5)")
                               .arg(step)
                               .arg(p - 1)
                               .arg(p)
                               .arg(m_model->index(before, column).data().toString(),
                                    m_model->index(after, column).data().toString())));
      }
    };

    m_model->setNodeName("a", "Beta");
    m_model->setNodeName("b", "alpha");
    std::vector<HostRecord> a;
    std::vector<HostRecord> b;
    for (int i = 0; i < 200; ++i) a.push_back(makeHost(i));
    for (int i = 150; i < 260; ++i) b.push_back(makeHost(i));
    m_model->applySnapshot("a", snapshot(a));
    m_proxy->sort(column, Qt::AscendingOrder);
    m_model->applySnapshot("b", snapshot(b));
    checkOrder("snapshots");

    std::vector<HostRecord> changed;
    // Scattered over more ranges than the model announces one by one; some new.
    for (int i = 0; i < 300; i += 3) changed.push_back(makeHost(i));
    m_model->applyDelta("a", HostsDelta{2, 0, changed, {ip("10.1.0.1"), ip("10.2.0.5")}, {}});
    checkOrder("delta");
    std::vector<HostRecord> all;
    for (int i = 0; i < 260; ++i) all.push_back(makeHost(i));
    m_model->applyDelta("b", HostsDelta{2, 0, all, {}, {}});  // all of the table
    checkOrder("large delta");
    m_proxy->sort(column, Qt::DescendingOrder);
    m_model->setNodeName("b", "zeta");
    m_model->removeNode("a");
    m_model->applySnapshot("c", snapshot({makeHost(7), makeHost(45), makeHost(200)}));
    m_proxy->sort(column, Qt::AscendingOrder);
    checkOrder("renamed, removed and added nodes");
    m_model->setSplitByNode(true);
    m_model->applyDelta("c", HostsDelta{2, 0, {makeHost(45), makeHost(201)}, {}, {}});
    checkOrder("split by node");
  }

  void filters_data() {
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("empty") << QString() << QStringList{"10.0.0.1", "10.1.0.1", "2001:db8::5"};
    QTest::newRow("prefix") << "10.0." << QStringList{"10.0.0.1"};
    QTest::newRow("ipv6 upper case") << "2001:DB8" << QStringList{"2001:db8::5"};
    QTest::newRow("node name") << "BETA" << QStringList{"10.1.0.1"};
    QTest::newRow("mac") << "aa:bb" << QStringList{"2001:db8::5"};
    QTest::newRow("group") << "LAB" << QStringList{"10.0.0.1"};
    QTest::newRow("country") << "(country == \"se\")" << QStringList{"10.1.0.1"};
    QTest::newRow("vendor") << "(vendor contains \"intel\")" << QStringList{"2001:db8::5"};
    QTest::newRow("no group") << "(group == \"\")" << QStringList{"10.1.0.1", "2001:db8::5"};
    QTest::newRow("retransmissions") << "(retrans > 2)" << QStringList{"10.0.0.1"};
    QTest::newRow("tcp payload") << "(tcp_payload_bytes >= 500)"
                                 << QStringList{"10.0.0.1", "10.1.0.1"};
    QTest::newRow("nothing") << "172.16" << QStringList{};
  }

  void filters() {
    QFETCH(QString, filter);
    QFETCH(QStringList, expected);
    m_model->setNodeName("a", "alpha");
    m_model->setNodeName("b", "beta");
    HostRecord v6 = host("2001:db8::5", 1, 100);
    v6.macs = {*MacAddress::parse("00:00:00:aa:bb:cc")};
    v6.macVendors = {"Intel Corporate"};
    HostRecord lab = host("10.0.0.1", 1, 100);
    lab.group = "lab";
    lab.tcpRetransPackets = 3;
    lab.tcpPayloadBytes = 500;
    HostRecord sweden = host("10.1.0.1", 1, 100);
    sweden.country = "SE";
    sweden.tcpRetransPackets = 2;
    sweden.tcpPayloadBytes = 501;
    m_model->applySnapshot("a", snapshot({lab, v6}));
    m_model->applySnapshot("b", snapshot({sweden}));
    m_proxy->setFilterText(filter);
    QCOMPARE(addresses(*m_proxy), expected);
    // Rows arriving later are filtered too.
    m_model->applyDelta("a", HostsDelta{2, 0, {host("172.16.0.1", 1, 1)}, {}, {}});
    QCOMPARE(m_proxy->rowCount(),
             int(expected.size()) +
                 (filter.isEmpty() || filter == "172.16" || filter == "(group == \"\")" ? 1 : 0));
  }

  void descriptiveChangesUpdateRows_data() {
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QString>("shown");
    QTest::newRow("group") << int(HostTableModel::Group) << "(group == \"lab\")"
                           << "lab";
    QTest::newRow("names") << int(HostTableModel::Names) << "(name contains \"zeta\")"
                           << "zeta.example";
    QTest::newRow("country") << int(HostTableModel::Country) << "(country == \"SE\")"
                             << "SE";
    QTest::newRow("vendors") << int(HostTableModel::Vendors) << "(vendor contains \"intel\")"
                             << "Intel Corporate";
  }

  void descriptiveChangesUpdateRows() {
    // A delta that changes only a descriptive field (no counter, no time) still updates the
    // row: its cell, the filters over it and its place in the sort order.
    QFETCH(int, column);
    QFETCH(QString, filter);
    QFETCH(QString, shown);
    HostRecord first = host("10.0.0.1", 1, 100);
    HostRecord second = host("10.0.0.2", 1, 100);
    first.macs = second.macs = {*MacAddress::parse("00:00:00:aa:bb:cc")};
    m_model->applySnapshot("a", snapshot({first, second}));
    m_proxy->sort(column, Qt::DescendingOrder);
    QCOMPARE(addresses(*m_proxy), (QStringList{"10.0.0.1", "10.0.0.2"}));
    HostRecord changed = second;
    if (column == HostTableModel::Group) changed.group = "lab";
    if (column == HostTableModel::Names) changed.names = {"zeta.example"};
    if (column == HostTableModel::Country) changed.country = "SE";
    if (column == HostTableModel::Vendors) changed.macVendors = {"Intel Corporate"};
    QSignalSpy dataChanged(m_model.get(), &QAbstractItemModel::dataChanged);
    m_model->applyDelta("a", HostsDelta{2, 0, {changed}, {}, {}});
    QCOMPARE(dataChanged.size(), 1);
    QCOMPARE(m_proxy->index(0, column).data().toString(), shown);
    QCOMPARE(addresses(*m_proxy), (QStringList{"10.0.0.2", "10.0.0.1"}));
    m_proxy->setFilterText(filter);
    QCOMPARE(addresses(*m_proxy), QStringList{"10.0.0.2"});
    // Only the descriptive field changes back: the row leaves the filter again.
    m_model->applyDelta("a", HostsDelta{3, 0, {second}, {}, {}});
    QCOMPARE(m_proxy->rowCount(), 0);
  }

  void updatesOnlyChangedRows() {
    std::vector<HostRecord> hosts;
    for (int i = 0; i < 10; ++i)
      hosts.push_back(host(qPrintable(QString("10.0.0.%1").arg(i + 1)), 1, 100));
    m_model->applySnapshot("a", snapshot(hosts));

    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);

    // Two separate rows change: two single-row ranges.
    m_model->applyDelta(
        "a", HostsDelta{2, 0, {host("10.0.0.3", 2, 200), host("10.0.0.7", 2, 200)}, {}, {}});
    QCOMPARE(changed.size(), 2);
    for (const auto& args : changed) {
      auto topLeft = args.at(0).value<QModelIndex>();
      auto bottomRight = args.at(1).value<QModelIndex>();
      QCOMPARE(topLeft.row(), bottomRight.row());
      QCOMPARE(topLeft.column(), 0);
      QCOMPARE(bottomRight.column(), HostTableModel::ColumnCount - 1);
    }
    // A record that did not really change costs nothing.
    changed.clear();
    m_model->applyDelta("a", HostsDelta{3, 0, {host("10.0.0.3", 2, 200)}, {}, {}});
    QCOMPARE(changed.size(), 0);

    // More than half the table: one range over everything.
    std::vector<HostRecord> many;
    for (int i = 0; i < 8; ++i)
      many.push_back(host(qPrintable(QString("10.0.0.%1").arg(i + 1)), 5, 500));
    m_model->applyDelta("a", HostsDelta{4, 0, many, {}, {}});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 0);
    QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), 9);

    // New hosts: one insert for all of them, at the end.
    m_model->applyDelta(
        "a", HostsDelta{5,
                        0,
                        {host("10.0.1.1", 1, 1), host("10.0.1.2", 1, 1), host("10.0.1.3", 1, 1)},
                        {},
                        {}});
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 10);
    QCOMPARE(inserted.at(0).at(2).toInt(), 12);

    // Evictions: one removal per contiguous range, never a reset.
    m_model->applyDelta(
        "a",
        HostsDelta{6, 0, {}, {ip("10.0.0.1"), ip("10.0.0.2"), ip("10.0.0.5"), ip("10.0.1.3")}, {}});
    QCOMPARE(removed.size(), 3);
    QCOMPARE(m_model->rowCount(), 9);
    QCOMPARE(reset.size(), 0);
    // Row bookkeeping survives removals: later updates land on the right rows.
    m_model->applyDelta("a", HostsDelta{7, 0, {host("10.0.1.2", 9, 9)}, {}, {}});
    int row = findRow(*m_model, "10.0.1.2");
    QCOMPARE(raw(*m_model, row, HostTableModel::Packets), 9ull);
  }

  void counterModeChoosesColumns() {
    using Mode = HostTableModel::CounterMode;
    QVERIFY(HostTableModel::isColumnShown(HostTableModel::Bytes, Mode::Combined));
    QVERIFY(!HostTableModel::isColumnShown(HostTableModel::TxBytes, Mode::Combined));
    QVERIFY(!HostTableModel::isColumnShown(HostTableModel::Packets, Mode::Separate));
    QVERIFY(HostTableModel::isColumnShown(HostTableModel::RxPackets, Mode::Separate));
    QVERIFY(HostTableModel::isColumnShown(HostTableModel::Address, Mode::Separate));
    QSignalSpy spy(m_model.get(), &HostTableModel::counterModeChanged);
    m_model->setCounterMode(Mode::Separate);
    m_model->setCounterMode(Mode::Separate);
    QCOMPARE(spy.size(), 1);
  }

  void exportTexts() {
    HostTableModel::ExportRow row{host("10.0.0.1", 3, 1500, 1, 60), "alpha, beta"};
    row.record.firstSeen = kT0 + 123'000'000;
    row.record.bitsPerSecond = 1234.4;
    row.record.vlans = {5, 7};
    QCOMPARE(HostTableModel::exportText(row, HostTableModel::Address), QString("10.0.0.1"));
    QCOMPARE(HostTableModel::exportText(row, HostTableModel::Bytes), QString("1560"));
    QCOMPARE(HostTableModel::exportText(row, HostTableModel::BitRate), QString("1234"));
    QCOMPARE(HostTableModel::exportText(row, HostTableModel::FirstSeen),
             QString("2023-11-14T22:13:20.123Z"));
    QCOMPARE(HostTableModel::exportText(row, HostTableModel::Vlans), QString("5 7"));
  }

  void tcpColumns() {
    HostRecord r = host("10.0.0.1", 3, 1500, 1, 60);
    r.tcpPayloadBytes = 123456;
    r.tcpRetransPackets = 4;
    r.tcpRetransBytes = 5792;
    m_model->applySnapshot("a", snapshot({r}));
    QCOMPARE(raw(*m_model, 0, HostTableModel::TcpPayloadBytes), 123456ull);
    QCOMPARE(raw(*m_model, 0, HostTableModel::TcpRetransPackets), 4ull);
    QCOMPARE(raw(*m_model, 0, HostTableModel::TcpRetransBytes), 5792ull);
    QCOMPARE(m_model->index(0, HostTableModel::TcpRetransPackets).data().toString(), QString("4"));
    QVERIFY(m_model->index(0, HostTableModel::TcpPayloadBytes).data().toString().contains("kB"));
    HostTableModel::ExportRow row{r, "alpha"};
    QCOMPARE(HostTableModel::exportText(row, HostTableModel::TcpPayloadBytes), QString("123456"));
    QCOMPARE(HostTableModel::exportText(row, HostTableModel::TcpRetransBytes), QString("5792"));
    // Payload and retransmitted bytes wait in the column chooser; the rest show at first.
    QVERIFY(!HostTableModel::isShownAtFirst(HostTableModel::TcpPayloadBytes));
    QVERIFY(HostTableModel::isShownAtFirst(HostTableModel::TcpRetransPackets));
    QVERIFY(HostTableModel::isShownAtFirst(HostTableModel::Trend));
    QCOMPARE(HostTableModel::columnKey(HostTableModel::TcpRetransPackets),
             QString("tcp_retrans_packets"));
    QCOMPARE(HostTableModel::columnKey(HostTableModel::Trend), QString("trend"));
  }

  // 200 000 hosts: snapshot, a sorted proxy, a delta changing a tenth of them and one
  // changing all. Only the results are checked here; the time they take is measured by
  // tests/bench/bench_console_table (speed is never a test assertion).
  void manyRowsStaySorted() {
    std::vector<HostRecord> hosts;
    hosts.reserve(200'000);
    for (std::uint32_t i = 0; i < 200'000; ++i) {
      HostRecord r = host("10.0.0.0", i % 1000, i);
      r.ip.bytes[1] = static_cast<std::uint8_t>(i >> 16);
      r.ip.bytes[2] = static_cast<std::uint8_t>(i >> 8);
      r.ip.bytes[3] = static_cast<std::uint8_t>(i);
      hosts.push_back(r);
    }
    m_proxyTester.reset();  // the tester checks every row on each signal: too slow here
    m_modelTester.reset();
    m_proxy->sort(HostTableModel::Bytes, Qt::DescendingOrder);
    m_model->applySnapshot("a", snapshot(hosts));
    QCOMPARE(m_proxy->rowCount(), 200'000);
    std::vector<HostRecord> changed(hosts.begin(), hosts.begin() + 20'000);
    for (auto& r : changed) r.txBytes += 1'000'000;
    m_model->applyDelta("a", HostsDelta{2, 0, changed, {}, {}});
    m_model->finishPendingUpdates();  // past sliceHosts() hosts a delta is applied in slices
    QCOMPARE(raw(*m_proxy, 0, HostTableModel::Bytes), 1'019'999ull);
    QCOMPARE(m_proxy->rowCount(), 200'000);
    for (auto& r : hosts) r.rxBytes += 1;  // every row changes: one whole-table range
    m_model->applyDelta("a", HostsDelta{3, 0, hosts, {}, {}});
    m_model->finishPendingUpdates();
    // The first delta's raise is undone by the full one (it carries the old tx figures).
    QCOMPARE(raw(*m_proxy, 0, HostTableModel::Bytes), 199'999ull + 1);
    for (int row = 1; row < 1000; ++row) {
      QVERIFY(raw(*m_proxy, row - 1, HostTableModel::Bytes) >=
              raw(*m_proxy, row, HostTableModel::Bytes));
    }
  }
};

QTEST_GUILESS_MAIN(TestHostTableModel)
#include "tst_host_table_model.moc"
