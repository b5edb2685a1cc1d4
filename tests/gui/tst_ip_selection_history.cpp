// SPDX-License-Identifier: MIT
// IP detail's history charts of the selected peer and QoS class, offscreen, against a real
// node serving a capture with a VLAN-tagged HTTP exchange (one peer, DSCP 0, VLAN PCP 5):
// selecting the row in the Peers, Layer 3 QoS and Layer 2 QoS tables shows a chart whose
// lines are the node's peer / qos series (their rates times the bucket length add up to the
// packets and bytes each way, as tshark counts them: 7 frames of 666 bytes sent, 7 of 5533
// received), at 1 s and at 1 min; a peer without a history shows the node's explanation.
// The TCP statistics tab charts the node's kept handshake series of the address: one
// handshake as client of tshark's initial RTT (70.034 ms, reference/*.conv_exact.tsv) as
// mean, minimum and maximum, one connection opened, none as server.

#include <QAbstractAxis>
#include <QAbstractItemModelTester>
#include <QAbstractProxyModel>
#include <QChart>
#include <QChartView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineSeries>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "app/core/console_identity.h"
#include "app/core/node_manager.h"
#include "app/models/summary_table_model.h"
#include "app/views/history_chart.h"
#include "app/views/ip_detail_pages.h"
#include "app/views/ip_detail_view.h"
#include "app/views/ip_selection_history.h"
#include "app/views/main_window.h"
#include "tests/integration/node_process.h"

using namespace netlens;
using namespace netlens::app;
using netlens::tests::NodeProcess;

namespace {

const char* kCapture = "vlan_qinq_http_pcp5.pcap";
const char* kAddress = "141.142.228.5";
const char* kPeer = "192.150.187.43";

/// The sum of a line's points times the bucket length: the counter's total. `chart`'s value
/// axis says whether the panel plots in k, M or G.
double total(const QChartView* view, const QLineSeries* line, double seconds) {
  const QString unit = view->chart()->axes(Qt::Vertical).value(0)->titleText();
  const double factor = unit.startsWith('k')   ? 1e3
                        : unit.startsWith('M') ? 1e6
                        : unit.startsWith('G') ? 1e9
                                               : 1;
  double sum = 0;
  for (const QPointF& p : line->points()) sum += p.y() * seconds * factor;
  return sum;
}

}  // namespace

class TestIpSelectionHistory : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void cleanupTestCase();
  void peerAndQosCharts();

 private:
  /// Selects the row with `key` in table `name` of the pages, as a click would.
  static bool selectRow(views::IpDetailPages* pages, const QString& name, const QString& key);
  static void checkChart(views::HistoryChart* chart, double seconds, double txPackets,
                         double rxPackets, double txBytes, double rxBytes);

  QTemporaryDir m_dir;
  std::unique_ptr<core::ConsoleIdentity> m_identity;
  std::unique_ptr<core::NodeManager> m_nodes;
  std::unique_ptr<NodeProcess> m_node;
  QString m_nodeId;
};

void TestIpSelectionHistory::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName("NetlensTest");
  QCoreApplication::setApplicationName("netlens-selection-history-test");
  QSettings().clear();
  QVERIFY(m_dir.isValid());
  m_identity = std::make_unique<core::ConsoleIdentity>(m_dir.filePath("console.key"));
  QString error;
  QVERIFY2(m_identity->load(&error), qPrintable(error));
  m_nodes = std::make_unique<core::NodeManager>(m_identity->keyPair());
  m_node = std::make_unique<NodeProcess>();
  QVERIFY(m_node->start(m_dir.filePath("state"), tests::capture(kCapture), m_identity->publicKey(),
                        {}));
  m_nodeId = m_nodes->addNode(m_node->url, false, &error);
  QVERIFY2(!m_nodeId.isEmpty(), qPrintable(error));
  QTRY_VERIFY_WITH_TIMEOUT(
      [&] {
        const core::NodeInfo* info = m_nodes->node(m_nodeId);
        return info && info->state == core::NodeState::Connected && !info->global.sources.empty() &&
               info->global.sources.front().finished;
      }(),
      30000);
}

void TestIpSelectionHistory::cleanupTestCase() {
  m_nodes.reset();
  m_node.reset();
  QSettings().clear();
}

bool TestIpSelectionHistory::selectRow(views::IpDetailPages* pages, const QString& name,
                                       const QString& key) {
  auto* view = pages->page(name)->findChild<QTableView*>(QStringLiteral("table_%1").arg(name));
  auto* proxy = view ? qobject_cast<QAbstractProxyModel*>(view->model()) : nullptr;
  if (!proxy) return false;
  const auto& rows = pages->model(name)->rows();
  for (int i = 0; i < rows.size(); ++i) {
    if (rows[i].key != key) continue;
    const QModelIndex at = proxy->mapFromSource(pages->model(name)->index(i, 0));
    view->selectionModel()->setCurrentIndex(
        at, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    return true;
  }
  return false;
}

void TestIpSelectionHistory::checkChart(views::HistoryChart* chart, double seconds,
                                        double txPackets, double rxPackets, double txBytes,
                                        double rxBytes) {
  QVERIFY(chart && chart->isVisible());
  // Packets panel: sent, received; throughput panel: bits sent, received.
  QTRY_VERIFY_WITH_TIMEOUT(chart->lineSeries(0, 0)->count() > 0, 15000);
  const auto sum = [&](int panel, int line) {
    return qRound64(total(chart->chartView(panel), chart->lineSeries(panel, line), seconds));
  };
  QTRY_COMPARE_WITH_TIMEOUT(sum(0, 0), qRound64(txPackets), 15000);
  QCOMPARE(sum(0, 1), qRound64(rxPackets));
  QCOMPARE(sum(1, 0), qRound64(txBytes * 8));
  QCOMPARE(sum(1, 1), qRound64(rxBytes * 8));
}

void TestIpSelectionHistory::peerAndQosCharts() {
  views::MainWindow window(m_nodes.get(), m_identity.get());
  window.resize(1280, 1000);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  views::IpDetailView* detail = window.openIpDetail(QString::fromLatin1(kAddress));
  QVERIFY(detail);
  views::IpDetailPages* pages = detail->pages();
  views::IpSelectionHistory* selection = detail->selectionHistory();
  QVERIFY(selection);
  for (const char* name : {"peers", "qosL3", "qosL2"}) {
    new QAbstractItemModelTester(pages->model(QString::fromLatin1(name)),
                                 QAbstractItemModelTester::FailureReportingMode::QtTest, pages);
    // Hidden until a row is selected.
    QVERIFY(selection->chart(QString::fromLatin1(name)));
    QVERIFY(!selection->chart(QString::fromLatin1(name))->isVisibleTo(pages->page(name)));
  }
  QVERIFY(!selection->chart(QStringLiteral("ports")));

  // Peers: the one peer, its traffic with the address over time.
  QVERIFY(detail->showTab("peers"));
  QTRY_VERIFY_WITH_TIMEOUT(pages->model("peers")->rowCount() == 1, 15000);
  QVERIFY(selectRow(pages, "peers", QString::fromLatin1(kPeer)));
  views::HistoryChart* peerChart = selection->chart("peers");
  checkChart(peerChart, 1, 7, 7, 666, 5533);
  if (QTest::currentTestFailed()) return;
  auto* title = pages->page("peers")->findChild<QLabel*>("selectionHistoryTitle_peers");
  QVERIFY(title && title->isVisible());
  QVERIFY2(title->text().contains(QString::fromLatin1(kPeer)), qPrintable(title->text()));
  // The resolution buttons: the same traffic in one minute bucket.
  peerChart->setResolution(views::HistoryChart::Resolution::Minute);
  checkChart(peerChart, 60, 7, 7, 666, 5533);
  if (QTest::currentTestFailed()) return;

  // Layer 3 QoS: DSCP 0 (CS0) carries all of it.
  QVERIFY(detail->showTab("qos-l3"));
  QTRY_VERIFY_WITH_TIMEOUT(pages->model("qosL3")->rowCount() == 1, 15000);
  QVERIFY(selectRow(pages, "qosL3", "dscp0"));
  checkChart(selection->chart("qosL3"), 1, 7, 7, 666, 5533);
  if (QTest::currentTestFailed()) return;

  // Layer 2 QoS: the frames' outer VLAN tag has PCP 5.
  QVERIFY(detail->showTab("qos-l2"));
  QTRY_VERIFY_WITH_TIMEOUT(pages->model("qosL2")->rowCount() >= 1, 15000);
  QVERIFY(selectRow(pages, "qosL2", "pcp5"));
  checkChart(selection->chart("qosL2"), 1, 7, 7, 666, 5533);
  if (QTest::currentTestFailed()) return;
  QVERIFY(pages->page("qosL2")
              ->findChild<QLabel*>("selectionHistoryTitle_qosL2")
              ->text()
              .contains("VLAN PCP 5"));

  // A series the node has no history of: its explanation is shown, nothing is plotted.
  QVERIFY(detail->showTab("peers"));
  QVERIFY(selection->showRow("peers", "192.0.2.99"));
  QTRY_VERIFY_WITH_TIMEOUT(
      [&] {
        for (const QLabel* l : peerChart->findChildren<QLabel*>())
          if (l->text().contains("no history of")) return true;
        return false;
      }(),
      15000);
  QCOMPARE(peerChart->lineSeries(0, 0)->count(), 0);
  QVERIFY(!selection->showRow("qosL3", "dscp"));
  QVERIFY(!selection->showRow("peers", "not an address"));

  // TCP statistics: the kept handshake series, at 1 s.
  QVERIFY(detail->showTab("tcp"));
  views::HistoryChart* handshakes = pages->handshakeHistory();
  QVERIFY(handshakes && handshakes->isVisible());
  QTRY_VERIFY_WITH_TIMEOUT(handshakes->lineSeries(0, 0)->count() == 1, 15000);
  for (int line = 0; line < 3; ++line) {
    QCOMPARE(handshakes->lineSeries(0, line)->count(), 1);
    const double ms = handshakes->lineSeries(0, line)->at(0).y();
    QVERIFY2(qAbs(ms - 70.034) < 0.0005, qPrintable(QString::number(ms, 'f', 6)));
  }
  QCOMPARE(handshakes->lineSeries(0, 3)->count(), 0);  // never a server
  double opened = 0;
  for (const QPointF& p : handshakes->lineSeries(1, 0)->points()) opened += p.y();
  QCOMPARE(opened, 1.0);

  const QByteArray shot = qgetenv("NETLENS_SCREENSHOT");
  if (!shot.isEmpty()) {
    QVERIFY(selectRow(pages, "qosL2", "pcp5"));
    QVERIFY(detail->showTab("qos-l2"));
    QTest::qWait(2500);
    QVERIFY(window.grab().save(QString::fromLocal8Bit(shot).replace(".png", "-qos-history.png")));
    QVERIFY(detail->showTab("tcp"));
    QTest::qWait(2500);
    QVERIFY(window.grab().save(QString::fromLocal8Bit(shot).replace(".png", "-tcp.png")));
  }
}

QTEST_MAIN(TestIpSelectionHistory)
#include "tst_ip_selection_history.moc"
