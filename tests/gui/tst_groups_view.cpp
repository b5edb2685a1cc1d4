// SPDX-License-Identifier: MIT
// The IP groups tab offscreen: answers of two nodes merge by group name (figures added up,
// members united), the member list follows the selection, and the configuration dialog
// checks every edit with the node's rules. tst_node_manager runs the tab against real nodes.

#include <QAbstractItemModelTester>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QTest>

#include "app/models/summary_table_model.h"
#include "app/views/groups_dialog.h"
#include "app/views/groups_view.h"

using namespace netlens;
using namespace netlens::app;

namespace {

protocol::GroupRecord group(const char* name, std::vector<std::string> prefixes,
                            std::uint64_t txBytes, std::vector<const char*> members) {
  protocol::GroupRecord g;
  g.name = name;
  g.prefixes = std::move(prefixes);
  g.txBytes = txBytes;
  g.txPackets = txBytes / 100;
  g.memberCount = members.size();
  g.firstSeen = 1'700'000'000'000'000'000;
  g.lastSeen = g.firstSeen + 5'000'000'000;
  g.bitsPerSecond = 8000;
  for (const char* m : members) g.members.push_back(*net::IpAddress::parse(m));
  return g;
}

}  // namespace

class TestGroupsView : public QObject {
  Q_OBJECT

 private slots:
  void mergesNodesByGroupName() {
    views::GroupsView view(nullptr);
    QAbstractItemModelTester tester(view.model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester members(view.membersModel(),
                                     QAbstractItemModelTester::FailureReportingMode::QtTest);
    protocol::GroupList a;
    a.groups = {group("lab", {"10.0.0.0/8"}, 1000, {"10.0.0.1", "10.0.0.2"}),
                group("dmz", {"192.0.2.0/24"}, 500, {"192.0.2.1"})};
    protocol::GroupList b;
    b.groups = {group("lab", {"10.0.0.0/8"}, 3000, {"10.0.0.2", "10.0.0.3"})};
    view.applyGroups("n1", a);
    view.applyGroups("n2", b);
    QCOMPARE(view.model()->rowCount(), 2);
    int lab = view.model()->index(0, 0).data().toString() == "lab" ? 0 : 1;
    QCOMPARE(view.model()->index(lab, 3).data(models::SummaryTableModel::RawRole).toULongLong(),
             4ULL);  // members counted per node
    QCOMPARE(view.model()->index(lab, 5).data(models::SummaryTableModel::RawRole).toULongLong(),
             4000ULL);
    QCOMPARE(view.model()->index(lab, 2).data().toString(), QString("n1, n2"));
    QCOMPARE(view.model()->index(lab, 11).data().toString(), QString("16.0 kbit/s"));
    view.selectGroup("lab");
    QCOMPARE(view.membersModel()->rowCount(), 3);  // 10.0.0.2 once, seen by both nodes
    for (int row = 0; row < 3; ++row) {
      if (view.membersModel()->index(row, 0).data().toString() == "10.0.0.2")
        QCOMPARE(view.membersModel()->index(row, 1).data().toString(), QString("n1, n2"));
    }
    const auto defs = view.definitions();
    QCOMPARE(defs.size(), std::size_t(2));
    view.removeNode("n1");
    QCOMPARE(view.model()->rowCount(), 1);
    QCOMPARE(view.membersModel()->rowCount(), 2);
    // Without nodes nothing can be sent and the button is off.
    QVERIFY(!view.configureButton()->isEnabled());
    QCOMPARE(view.sendDefinitions(defs), 0);
  }

  void dialogValidatesEdits() {
    views::GroupsDialog dialog({{"lab", {"10.0.0.0/8", "2001:db8::/32"}}}, 2);
    QPushButton* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    QVERIFY(dialog.problem().isEmpty());
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog.table()->item(0, 1)->text(), QString("10.0.0.0/8 2001:db8::/32"));
    // Host bits set: refused with the node's explanation.
    dialog.table()->item(0, 1)->setText("10.0.0.1/8");
    QVERIFY(!dialog.problem().isEmpty());
    QVERIFY(dialog.problem().contains("10.0.0.1/8"));
    QVERIFY(!ok->isEnabled());
    QVERIFY(dialog.findChild<QLabel*>("groupsError")->text().contains("10.0.0.1/8"));
    dialog.table()->item(0, 1)->setText("10.0.0.0/8, 172.16.0.0/12;192.168.0.0/16");
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog.groups().front().prefixes.size(), std::size_t(3));
    // A new row without a name is a problem; one with a duplicate name too.
    dialog.addGroup();
    QCOMPARE(dialog.table()->rowCount(), 2);
    dialog.table()->item(1, 1)->setText("192.0.2.0/24");
    QVERIFY(!ok->isEnabled());
    dialog.table()->item(1, 0)->setText("lab");
    QVERIFY(!ok->isEnabled());
    dialog.table()->item(1, 0)->setText("dmz");
    QVERIFY2(ok->isEnabled(), qPrintable(dialog.problem()));
    // Over the node's limit of 2 groups.
    dialog.addGroup();
    dialog.table()->item(2, 0)->setText("extra");
    dialog.table()->item(2, 1)->setText("198.51.100.0/24");
    QVERIFY(!ok->isEnabled());
    dialog.table()->selectRow(2);
    dialog.removeSelected();
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog.groups().size(), std::size_t(2));
  }
};

QTEST_MAIN(TestGroupsView)
#include "tst_groups_view.moc"
