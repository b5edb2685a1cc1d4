// SPDX-License-Identifier: MIT
// The VoIP tab and the IP detail VoIP tabs against a real netlens-node reading a corpus call
// (sip_rtp_pcma_call.pcap, keys made for the run): the call appears with its From, To and
// state; selecting it draws a ladder with one arrow per SIP message of its Call-ID (as many
// as tshark lists), clicking an arrow shows that message with its SDP, and its two RTP
// streams are listed with charts of the selected one. The IP detail page of the caller shows
// its SIP messages sent and received (tshark's counts) and its RTP streams. Every model the
// tab shows is checked by QAbstractItemModelTester while the answers arrive.
//
// With NETLENS_SCREENSHOT set to a file name, the tab is saved there as PNG (for a look).

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "app/core/console_identity.h"
#include "app/core/node_manager.h"
#include "app/models/call_filter_proxy.h"
#include "app/models/call_table_model.h"
#include "app/models/summary_table_model.h"
#include "app/views/ip_detail_view.h"
#include "app/views/ip_voip_pages.h"
#include "app/views/main_window.h"
#include "app/views/rtp_stream_charts.h"
#include "app/views/sip_ladder_widget.h"
#include "app/views/voip_view.h"
#include "tests/integration/node_process.h"

using namespace netlens;
using namespace netlens::app;
using app::models::CallTableModel;
using netlens::tests::NodeProcess;

namespace {

const char* kCapture = "sip_rtp_pcma_call.pcap";
const char* kCallId = "2458c010-cb85-e211-9639-5cac4c9de28b@MartinNTB2";
const char* kCaller = "192.168.1.117";

/// Packets tshark shows for `filter` in the capture.
int tsharkCount(const QString& filter) {
  QProcess p;
  p.start("tshark",
          {"-r", tests::capture(kCapture), "-T", "fields", "-e", "frame.number", "-Y", filter});
  if (!p.waitForFinished(60000) || p.exitCode() != 0) return -1;
  return int(p.readAllStandardOutput().count('\n'));
}

}  // namespace

class TestVoipView : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void cleanupTestCase();
  void callWithLadderAndStreams();
  void ipDetailVoipTabs();

 private:
  QTemporaryDir m_dir;
  std::unique_ptr<core::ConsoleIdentity> m_identity;
  std::unique_ptr<core::NodeManager> m_nodes;
  std::unique_ptr<NodeProcess> m_node;
  QString m_nodeId;
};

void TestVoipView::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName("NetlensTest");
  QCoreApplication::setApplicationName("netlens-voip-test");
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

void TestVoipView::cleanupTestCase() {
  m_nodes.reset();
  m_node.reset();
  QSettings().clear();
}

void TestVoipView::callWithLadderAndStreams() {
  const int messages = tsharkCount(QStringLiteral("sip.Call-ID == \"%1\"").arg(kCallId));
  QVERIFY2(messages > 0, "tshark could not count the call's messages");

  views::MainWindow window(m_nodes.get(), m_identity.get());
  views::VoipView* voip = window.voipView();
  QVERIFY(voip);
  QTabWidget* tabs = window.tabs();
  QCOMPARE(tabs->tabText(tabs->indexOf(voip)), QString("VoIP"));
  QAbstractItemModelTester callsTester(voip->model(),
                                       QAbstractItemModelTester::FailureReportingMode::QtTest);
  QAbstractItemModelTester proxyTester(voip->proxy(),
                                       QAbstractItemModelTester::FailureReportingMode::QtTest);
  QAbstractItemModelTester streamsTester(voip->streamModel(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
  window.resize(1280, 900);
  window.show();
  tabs->setCurrentWidget(voip);
  QVERIFY(QTest::qWaitForWindowExposed(&window));

  // The call, with the node's streams (both answers in).
  QTRY_VERIFY_WITH_TIMEOUT(
      voip->model()->rowCount() == 1 && voip->model()->row(0).lossPercent.has_value(), 15000);
  const CallTableModel::Row& row = voip->model()->row(0);
  QCOMPARE(QString::fromStdString(row.call.callId), QString(kCallId));
  const auto cell = [&](int column) {
    return voip->model()->data(voip->model()->index(0, column)).toString();
  };
  QCOMPARE(cell(CallTableModel::From), QString("sip:tetsu@192.168.1.117"));
  QCOMPARE(cell(CallTableModel::To), QString("sip:tetsu@192.168.1.50"));
  QCOMPARE(cell(CallTableModel::State), QString("ended"));
  QCOMPARE(cell(CallTableModel::Codecs), QString("PCMA"));
  QVERIFY(row.mosForward.has_value() && row.mosBackward.has_value());

  // Selecting it shows the ladder, one arrow per message, and its streams.
  voip->table()->selectRow(0);
  views::SipLadderWidget* ladder = voip->ladder();
  QTRY_COMPARE(static_cast<int>(ladder->ladder().arrows.size()), messages);
  QCOMPARE(ladder->ladder().participants, QStringList({"192.168.1.117:5060", "192.168.1.50:5060"}));
  QCOMPARE(
      QString::fromStdString(
          ladder->messages()[static_cast<std::size_t>(ladder->ladder().arrows[0].message)].method),
      QString("INVITE"));
  QTRY_COMPARE(voip->streamModel()->rowCount(), 2);
  QTRY_VERIFY(voip->charts()->pointCount(views::RtpStreamCharts::Jitter) > 5);
  QVERIFY(voip->charts()->pointCount(views::RtpStreamCharts::Mos) > 5);
  // G.711 audio: a level point for every second of the selected stream.
  QVERIFY(voip->charts()->pointCount(views::RtpStreamCharts::Level) > 5);

  // Clicking the INVITE shows its start line and SDP.
  ladder->setSelectedMessage(ladder->ladder().arrows[0].message);
  QTRY_VERIFY(voip->messageDetail()->toPlainText().contains("INVITE sip:"));
  QVERIFY(voip->messageDetail()->toPlainText().contains("m=audio"));

  // Filtering on the caller keeps it; on someone else hides it.
  voip->proxy()->setFilterText("tetsu@192.168.1.117");
  QCOMPARE(voip->proxy()->rowCount(), 1);
  voip->proxy()->setFilterText("(state == \"failed\")");
  QCOMPARE(voip->proxy()->rowCount(), 0);
  voip->proxy()->setFilterText(QString());

  const QByteArray shot = qgetenv("NETLENS_SCREENSHOT");
  if (!shot.isEmpty()) {
    // The filter hid the row, which cleared the selection and the detail.
    voip->table()->selectRow(0);
    QTRY_VERIFY(!ladder->ladder().arrows.empty());
    QTRY_VERIFY(voip->charts()->pointCount(views::RtpStreamCharts::Jitter) > 5);
    ladder->setSelectedMessage(ladder->ladder().arrows[0].message);
    QTest::qWait(300);
    QVERIFY(window.grab().save(QString::fromLocal8Bit(shot)));
  }
}

void TestVoipView::ipDetailVoipTabs() {
  const int sent = tsharkCount(QStringLiteral("sip && ip.src == %1").arg(kCaller));
  const int received = tsharkCount(QStringLiteral("sip && ip.dst == %1").arg(kCaller));
  const int invites =
      tsharkCount(QStringLiteral("sip.Method == \"INVITE\" && ip.src == %1").arg(kCaller));
  QVERIFY(sent > 0 && received > 0 && invites == 1);

  views::MainWindow window(m_nodes.get(), m_identity.get());
  window.resize(1280, 900);
  window.show();
  views::IpDetailView* detail = window.openIpDetail(kCaller);
  QVERIFY(detail);
  views::IpVoipPages* pages = detail->voipPages();
  QAbstractItemModelTester sipTester(pages->sipModel(),
                                     QAbstractItemModelTester::FailureReportingMode::QtTest);
  QAbstractItemModelTester rtpTester(pages->rtpModel(),
                                     QAbstractItemModelTester::FailureReportingMode::QtTest);
  QVERIFY(detail->showTab("sip"));
  QCOMPARE(detail->tabs()->tabText(detail->tabs()->currentIndex()), QString("SIP statistics"));
  const auto sum = [&](int column) {
    qulonglong n = 0;
    for (const auto& r : pages->sipModel()->rows()) n += r.values[column].toULongLong();
    return n;
  };
  QTRY_VERIFY_WITH_TIMEOUT(sum(1) > 0, 15000);
  QCOMPARE(sum(1), qulonglong(sent));
  QCOMPARE(sum(2), qulonglong(received));
  for (const auto& r : pages->sipModel()->rows()) {
    if (r.key == "INVITE") QCOMPARE(r.values[1].toULongLong(), qulonglong(invites));
  }
  const QByteArray shot = qgetenv("NETLENS_SCREENSHOT");
  if (!shot.isEmpty())
    QVERIFY(window.grab().save(QString::fromLocal8Bit(shot).replace(".png", "-ip-sip.png")));
  QVERIFY(detail->showTab("rtp"));
  QCOMPARE(detail->tabs()->tabText(detail->tabs()->currentIndex()), QString("RTP statistics"));
  // Both directions of the call's audio have the caller as one end.
  QTRY_COMPARE_WITH_TIMEOUT(pages->rtpModel()->rowCount(), 2, 15000);
  for (const auto& r : pages->rtpModel()->rows()) {
    const QString src = r.values[2].toString();
    const QString dst = r.values[3].toString();
    QVERIFY(src.startsWith(QString(kCaller) + ":") || dst.startsWith(QString(kCaller) + ":"));
  }
}

QTEST_MAIN(TestVoipView)
#include "tst_voip_view.moc"
