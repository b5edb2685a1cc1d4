// SPDX-License-Identifier: MIT
// SummaryTableModel: rows keep their place across setRows() (dataChanged only for changed
// rows, removals and appends for vanished and new keys), every update under
// QAbstractItemModelTester, and the formatting of each column kind; SummaryTablePanel's
// filter (text and expressions over the columns its headers name), sort and CSV export.

#include <QAbstractItemModelTester>
#include <QFile>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "app/models/summary_filter_proxy.h"
#include "app/models/summary_table_model.h"
#include "app/views/summary_table_view.h"

using netlens::app::models::SummaryTableModel;
using Kind = SummaryTableModel::Kind;
using Row = SummaryTableModel::Row;
using netlens::app::views::SummaryTablePanel;

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

  // Expressions name the columns as their headers read, in lower case with `_`; repeated
  // names get a number.
  void filterColumnsFollowTheHeaders() {
    SummaryTableModel model({Kind::Text, Kind::Bytes, Kind::Time, Kind::Count, Kind::Count});
    model.setHeaders({"Peer", "Bytes sent", "Last seen", "TLS 1.3 (%)", "Bytes sent"});
    QCOMPARE(model.filterColumns().keys(),
             QStringList({"peer", "bytes_sent", "last_seen", "tls_1_3", "bytes_sent_2"}));
  }

  void panelFiltersSortsAndExports() {
    SummaryTableModel model({Kind::Text, Kind::Bytes, Kind::Time});
    model.setHeaders({"Peer", "Bytes sent", "Last seen"});
    SummaryTablePanel panel(&model, "test", "netlens-test");
    QAbstractItemModelTester tester(panel.proxy(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    const qint64 t1 = 1'700'000'000'123'456'789;
    const qint64 t2 = 1'600'000'000'000'000'000;
    model.setRows({{"a", {"10.0.0.1", 1'500'000, t1}},
                   {"b", {"192.0.2.7", 900, t2}},
                   {"c", {"10.0.0.2", 5'000, 0}}});
    auto* proxy = panel.proxy();
    QCOMPARE(proxy->rowCount(), 3);

    // Plain text: a part of any cell as shown ("1.5 MB"), ignoring case.
    QVERIFY(proxy->setFilterText("10.0.0"));
    QCOMPARE(proxy->rowCount(), 2);
    QVERIFY(proxy->setFilterText("1.5 mb"));
    QCOMPARE(proxy->rowCount(), 1);
    // Expressions over the raw values.
    QVERIFY(proxy->setFilterText("(bytes_sent > 1k)"));
    QCOMPARE(proxy->rowCount(), 2);
    QVERIFY(proxy->setFilterText("(peer contains \"192.0\" or bytes_sent >= 1M)"));
    QCOMPARE(proxy->rowCount(), 2);
    QVERIFY(proxy->setFilterText("(last_seen > \"2021-01-01T00:00:00Z\")"));
    QCOMPARE(proxy->rowCount(), 1);
    // c was never seen: its empty time is no value, so it is not before any date either.
    QVERIFY(proxy->setFilterText("(last_seen < \"2021-01-01T00:00:00Z\")"));
    QCOMPARE(proxy->rowCount(), 1);
    // A mistake leaves the filter in effect and says why, under the box.
    QVERIFY(!proxy->setFilterText("(bytes_sent >"));
    QCOMPARE(proxy->rowCount(), 1);
    QVERIFY(proxy->filterError().isError());
    QVERIFY(!proxy->setFilterText("(no_such_column > 1)"));
    QVERIFY2(proxy->filterError().message.contains("bytes_sent"),
             qPrintable(proxy->filterError().message));
    // Typed into the box, the filter applies once typing pauses.
    panel.filterEdit()->setText("(bytes_sent < 1M)");
    QTRY_COMPARE(proxy->rowCount(), 2);

    // Sorted on the raw bytes, not the text ("900 bytes" would come before "5.0 kB"); the
    // export writes what the table shows.
    panel.table()->sortByColumn(1, Qt::DescendingOrder);
    QCOMPARE(proxy->index(0, 0).data().toString(), QString("10.0.0.2"));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath("summary.csv");
    QSignalSpy exported(&panel, &SummaryTablePanel::exported);
    QVERIFY(panel.exportCsv(file));
    QVERIFY(exported.wait(10000));
    QVERIFY(exported[0][0].toBool());
    QCOMPARE(exported[0][1].toInt(), 2);
    QFile csv(file);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(csv.readAll()),
             QString("Peer,Bytes sent,Last seen\r\n"
                     "10.0.0.2,5000,\r\n"
                     "192.0.2.7,900,2020-09-13T12:26:40.000000000Z\r\n"));
  }
};

QTEST_MAIN(TestSummaryTableModel)
#include "tst_summary_table_model.moc"
