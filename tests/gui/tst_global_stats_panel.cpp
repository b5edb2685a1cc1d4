// SPDX-License-Identifier: MIT
// GlobalStatsPanel's Packet stores section: one row per node that keeps a ring, with its
// packets, fill, oldest packet and drops; hidden while no node has one.

#include <QDateTime>
#include <QTest>
#include <QTreeWidget>

#include "app/views/global_stats_panel.h"

using netlens::app::views::GlobalStatsPanel;
using netlens::protocol::GlobalStats;

namespace {

QTreeWidgetItem* section(QTreeWidget* tree, const QString& prefix) {
  for (int i = 0; i < tree->topLevelItemCount(); ++i)
    if (tree->topLevelItem(i)->text(0).startsWith(prefix)) return tree->topLevelItem(i);
  return nullptr;
}

}  // namespace

class TestGlobalStatsPanel : public QObject {
  Q_OBJECT

 private slots:
  void packetStoresShowRetention() {
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    GlobalStatsPanel panel;
    GlobalStats plain;
    plain.packets = 10;
    panel.setNodeStats("n1", "edge-1", plain);
    QTRY_VERIFY(section(panel.tree(), "Packet stores"));
    QVERIFY(section(panel.tree(), "Packet stores")->isHidden());

    GlobalStats stored = plain;
    stored.storeMaxBytes = 20'000'000'000;
    stored.storeBytes = 5'000'000'000;
    stored.storePackets = 1'234'567;
    const qint64 oldest = 1'700'000'000'000'000'000;
    stored.storeOldest = oldest;
    stored.storeNewest = oldest + 3'600'000'000'000;
    panel.setNodeStats("n2", "core-2", stored);
    QTRY_COMPARE(section(panel.tree(), "Packet stores")->text(0), QString("Packet stores (1)"));
    QTreeWidgetItem* stores = section(panel.tree(), "Packet stores");
    QVERIFY(!stores->isHidden());
    QCOMPARE(stores->childCount(), 1);
    QTreeWidgetItem* row = stores->child(0);
    const QString from =
        QDateTime::fromMSecsSinceEpoch(oldest / 1'000'000).toString("yyyy-MM-dd HH:mm:ss");
    QCOMPARE(row->text(0), QString("core-2: from %1").arg(from));
    QCOMPARE(row->text(1), QString("1,234,567"));
    QCOMPARE(row->text(2), QString("5.0 GB of 20.0 GB"));
    QVERIFY2(row->text(3).startsWith("25"), qPrintable(row->text(3)));

    // Drops (the disk could not keep up) take the share column and colour the row.
    stored.storeDrops = 3;
    panel.setNodeStats("n2", "core-2", stored);
    QTRY_COMPARE(section(panel.tree(), "Packet stores")->child(0)->text(3), QString("3 dropped"));
    panel.removeNode("n2");
    QTRY_VERIFY(section(panel.tree(), "Packet stores")->isHidden());
  }
};

QTEST_MAIN(TestGlobalStatsPanel)
#include "tst_global_stats_panel.moc"
