// SPDX-License-Identifier: MIT
// SummaryTableModel: rows keep their place across setRows() (dataChanged only for changed
// rows, removals and appends for vanished and new keys), every update under
// QAbstractItemModelTester, and the formatting of each column kind.

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include "app/models/summary_table_model.h"

using netlens::app::models::SummaryTableModel;
using Kind = SummaryTableModel::Kind;
using Row = SummaryTableModel::Row;

class TestSummaryTableModel : public QObject {
  Q_OBJECT

 private slots:
  void updatesInPlace() {
    SummaryTableModel model({Kind::Text, Kind::Count});
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHeaders({"Name", "Count"});
    QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), QString("Count"));
    model.setRows({{"a", {"a", 1}}, {"b", {"b", 2}}, {"c", {"c", 3}}});
    QCOMPARE(model.rowCount(), 3);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    // b vanishes, c changes, a stays, d is new.
    model.setRows({{"d", {"d", 4}}, {"c", {"c", 30}}, {"a", {"a", 1}}});
    QCOMPARE(reset.count(), 0);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed[0][1].toInt(), 1);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed[0][0].toModelIndex().row(), 1);  // c, now second
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(0, 0).data().toString(), QString("a"));
    QCOMPARE(model.index(1, 1).data().toString(), QString("30"));
    QCOMPARE(model.index(2, 0).data().toString(), QString("d"));
    QCOMPARE(model.index(2, 0).data(SummaryTableModel::KeyRole).toString(), QString("d"));
    QCOMPARE(model.index(1, 1).data(SummaryTableModel::RawRole).toInt(), 30);
    model.setRows({});
    QCOMPARE(model.rowCount(), 0);
  }

  void formats() {
    const QLocale c(QLocale::English, QLocale::UnitedStates);
    QCOMPARE(SummaryTableModel::format(c, Kind::Count, 1234567), QString("1,234,567"));
    QCOMPARE(SummaryTableModel::format(c, Kind::Bytes, 1500000), QString("1.5 MB"));
    QCOMPARE(SummaryTableModel::format(c, Kind::Duration, 2'500'000), QString("2.5 ms"));
    QCOMPARE(SummaryTableModel::format(c, Kind::Duration, -1), QString());
    QCOMPARE(SummaryTableModel::format(c, Kind::Time, 0), QString());
    QVERIFY(SummaryTableModel::format(c, Kind::Time, qint64(1'700'000'000) * 1'000'000'000)
                .startsWith("2023-11-1"));
    QCOMPARE(SummaryTableModel::format(c, Kind::Percent, 12.345), QString("12.3%"));
    QCOMPARE(SummaryTableModel::format(c, Kind::Text, QString("x")), QString("x"));
    QCOMPARE(SummaryTableModel::format(c, Kind::Text, QString("")), QString("–"));
    QCOMPARE(SummaryTableModel::format(c, Kind::Count, QVariant()), QString());
  }
};

QTEST_MAIN(TestSummaryTableModel)
#include "tst_summary_table_model.moc"
