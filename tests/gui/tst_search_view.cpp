// SPDX-License-Identifier: MIT
// The Search tab against a real netlens-node with a packet store, fed a corpus capture: the
// form searches for a host and the sessions table holds exactly what `netlens-node search
// --store DIR --host X --list` finds in the same store; a session's packets are fetched and
// listed (as many as the session counts), decoded into layers with their bytes highlighted;
// Save as PCAP writes the packets tshark finds for that host; the console refuses a bad form
// itself, a node's refusal shows beside the node, and Stop drops a running search.

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QTreeWidget>

#include <algorithm>
#include <set>
#include <tuple>

#include "app/core/console_identity.h"
#include "app/core/node_manager.h"
#include "app/core/search_runner.h"
#include "app/models/packet_list_model.h"
#include "app/models/search_session_filter_proxy.h"
#include "app/models/search_session_model.h"
#include "app/views/main_window.h"
#include "app/views/search_view.h"
#include "tests/integration/node_process.h"

using namespace netlens;
using namespace netlens::app;
using netlens::tests::NodeProcess;
using netlens::tests::runNode;

namespace {

const char* kCapture = "many_protocols_vlan_http_dns_tls.pcap";
const char* kHost = "212.199.202.69";

/// protocol, a, a port, b, b port, packets, bytes, first and last in microseconds.
using SessionKey = std::tuple<int, QString, int, QString, int, qint64, qint64, qint64, qint64>;

qint64 isoMicros(const QString& text) {
  const QDateTime t = QDateTime::fromString(text.left(19), Qt::ISODate);
  const QString fraction = text.mid(20, 6);
  return QDateTime(t.date(), t.time(), Qt::UTC).toSecsSinceEpoch() * 1'000'000 +
         fraction.toLongLong();
}

int tsharkCount(const QString& file, const QString& filter) {
  QProcess p;
  p.start("tshark", {"-r", file, "-T", "fields", "-e", "frame.number", "-Y", filter});
  if (!p.waitForFinished(60000) || p.exitCode() != 0) return -1;
  return int(p.readAllStandardOutput().count('\n'));
}

/// Packets of the TCP connections (tshark's tcp.stream) with a request matching
/// `requestFilter`; packets quoted in ICMP errors carry tcp.stream too and are left out.
int tsharkSessionPackets(const QString& file, const QString& requestFilter) {
  QProcess p;
  p.start("tshark",
          {"-r", file, "-T", "fields", "-e", "tcp.stream", "-Y", "tcp && (" + requestFilter + ")"});
  if (!p.waitForFinished(60000) || p.exitCode() != 0) return -1;
  QStringList streams =
      QString::fromUtf8(p.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
  streams.removeDuplicates();
  if (streams.isEmpty()) return 0;
  return tsharkCount(file, "!icmp && !icmpv6 && tcp.stream in {" + streams.join(',') + "}");
}

/// Starts the view's search and waits for it: the packets of the sessions found, or -1.
qint64 searchedPackets(views::SearchView& view) {
  QSignalSpy finished(&view, &views::SearchView::searchFinished);
  if (!view.startSearch() || !finished.wait(30000)) return -1;
  qint64 total = 0;
  for (int r = 0; r < view.sessionModel()->rowCount(); ++r)
    total += static_cast<qint64>(view.sessionModel()->row(r).session.packets);
  return total;
}

}  // namespace

class TestSearchView : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void cleanupTestCase();
  void mainWindowHasSearchTab();
  void formErrorsStayOnTheConsole();
  void searchesSessionsPacketsAndPcap();
  void nodeErrorShownPerNode();
  void regexPerPacketAndPerSession();
  void httpCriteriaSelectSessions();
  void stopDropsTheSearch();
  void stopKeepsThePagesSoFar();
  void stoppedViewShowsThePagesSoFar();
  void stopAfterTheLastPageKeepsTheAnswer();
  void pagedSessionsEqualOneAnswer();
  void pagedLimitSaysOnlyWhatIsTrue();
  void firstPassShowsProgress();
  void twoNodesSaveOneMergedFile();
  void sessionsEqualOfflineSearch();

 private:
  /// `params` on the test node through a SearchRunner in pages of `budgetMs` (0: one
  /// request); `progress` gets its nodeProgress signals.
  protocol::SearchReply search(const protocol::Params& params, int budgetMs,
                               QList<QVariantList>* progress);

  QTemporaryDir m_dir;
  std::unique_ptr<core::ConsoleIdentity> m_identity;
  std::unique_ptr<core::NodeManager> m_nodes;
  std::unique_ptr<NodeProcess> m_node;
  QString m_nodeId;
  std::set<SessionKey> m_guiSessions;
};

void TestSearchView::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName("NetlensTest");
  QCoreApplication::setApplicationName("netlens-search-test");
  QSettings().clear();
  QVERIFY(m_dir.isValid());
  m_identity = std::make_unique<core::ConsoleIdentity>(m_dir.filePath("console.key"));
  QString error;
  QVERIFY2(m_identity->load(&error), qPrintable(error));
  m_nodes = std::make_unique<core::NodeManager>(m_identity->keyPair());
  m_node = std::make_unique<NodeProcess>();
  QVERIFY(m_node->start(m_dir.filePath("state"), tests::capture(kCapture), m_identity->publicKey(),
                        {"--store", m_dir.filePath("store")}));
  m_nodeId = m_nodes->addNode(m_node->url, false, &error);
  QVERIFY2(!m_nodeId.isEmpty(), qPrintable(error));
  // Connected, the file read to its end and every packet in the store.
  QTRY_VERIFY_WITH_TIMEOUT(
      [&] {
        const core::NodeInfo* info = m_nodes->node(m_nodeId);
        return info && info->state == core::NodeState::Connected && !info->global.sources.empty() &&
               info->global.sources.front().finished &&
               info->global.storePackets == info->global.packets && info->global.packets > 0;
      }(),
      30000);
}

void TestSearchView::cleanupTestCase() {
  m_nodes.reset();
  m_node.reset();
  QSettings().clear();
}

void TestSearchView::mainWindowHasSearchTab() {
  views::MainWindow window(m_nodes.get(), m_identity.get());
  QTabWidget* tabs = window.tabs();
  QVERIFY(window.searchView());
  QCOMPARE(tabs->tabText(tabs->indexOf(window.searchView())), QString("Search"));
}

void TestSearchView::formErrorsStayOnTheConsole() {
  views::SearchView view(m_nodes.get());
  view.show();
  view.findChild<QLineEdit*>("searchAddresses")->setText("10.0.0.300");
  view.findChild<QLineEdit*>("searchPayload")->setText("4745x");
  view.findChild<QComboBox*>("searchPayloadKind")->setCurrentIndex(1);
  QSignalSpy finished(&view, &views::SearchView::searchFinished);
  QVERIFY(!view.startSearch());
  QVERIFY(view.formErrors()->isVisible());
  const QString text = view.formErrors()->text();
  QVERIFY2(text.contains("10.0.0.300") && text.contains("hex"), qPrintable(text));
  QVERIFY(!view.isSearching());
  QTest::qWait(100);
  QCOMPARE(finished.count(), 0);
}

void TestSearchView::searchesSessionsPacketsAndPcap() {
  views::SearchView view(m_nodes.get());
  view.resize(1400, 900);
  view.show();
  QAbstractItemModelTester sessionsTester(view.sessionModel(),
                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
  QAbstractItemModelTester proxyTester(view.sessionProxy(),
                                       QAbstractItemModelTester::FailureReportingMode::QtTest);
  QAbstractItemModelTester packetsTester(view.packetModel(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
  QVERIFY(view.setNodeChecked(m_nodeId, true));
  view.findChild<QLineEdit*>("searchAddresses")->setText(kHost);
  QSignalSpy finished(&view, &views::SearchView::searchFinished);
  QTest::mouseClick(view.findChild<QPushButton*>("searchStart"), Qt::LeftButton);
  QVERIFY(view.isSearching());
  QVERIFY(finished.wait(30000));
  QVERIFY(!view.formErrors()->isVisible());
  auto* model = view.sessionModel();
  QVERIFY(model->rowCount() > 3);
  const QString result = view.nodeList()->topLevelItem(0)->text(1);
  QVERIFY2(result.contains(QString("%1 session(s)").arg(model->rowCount())), qPrintable(result));
  qint64 total = 0;
  for (int r = 0; r < model->rowCount(); ++r) {
    const auto& row = model->row(r);
    QCOMPARE(row.nodeId, m_nodeId);
    const auto& s = row.session;
    total += static_cast<qint64>(s.packets);
    // The node read one file: every session names it as its source, in the table too.
    QCOMPARE(s.sources, std::vector<std::string>{kCapture});
    QCOMPARE(model->index(r, models::SearchSessionModel::Sources).data().toString(),
             QString(kCapture));
    m_guiSessions.insert({s.protocol, QString::fromStdString(s.a.toString()), s.aPort,
                          QString::fromStdString(s.b.toString()), s.bPort,
                          static_cast<qint64>(s.packets), static_cast<qint64>(s.bytes),
                          s.firstSeen / 1000, s.lastSeen / 1000});
  }
  QCOMPARE(total,
           qint64(tsharkCount(tests::capture(kCapture), QString("ip.addr == %1").arg(kHost))));

  // The session with the most packets: selecting it fetches its packets.
  auto* proxy = view.sessionProxy();
  proxy->sort(models::SearchSessionModel::Packets, Qt::DescendingOrder);
  const auto& top = model->row(proxy->mapToSource(proxy->index(0, 0)).row()).session;
  QVERIFY(top.packets > 10);
  QSignalSpy shown(&view, &views::SearchView::packetsShown);
  view.sessionTable()->selectRow(0);
  QVERIFY(shown.wait(30000));
  QCOMPARE(view.packetModel()->rowCount(), static_cast<int>(top.packets));
  // Every listed packet belongs to the session, in either direction.
  const QString a = QString::fromStdString(top.a.toString());
  const QString b = QString::fromStdString(top.b.toString());
  for (int r = 0; r < view.packetModel()->rowCount(); ++r) {
    const QString src =
        view.packetModel()->index(r, models::PacketListModel::Source).data().toString();
    const QString dst =
        view.packetModel()->index(r, models::PacketListModel::Destination).data().toString();
    QVERIFY((src == a && dst == b) || (src == b && dst == a));
    const QString info =
        view.packetModel()->index(r, models::PacketListModel::Info).data().toString();
    QVERIFY2(info.startsWith("TCP "), qPrintable(info));
  }
  // The first packet is shown decoded: layers, and the IPv4 header's bytes highlighted.
  QTreeWidget* tree = view.detailTree();
  QStringList layers;
  QTreeWidgetItem* ipv4 = nullptr;
  for (int i = 0; i < tree->topLevelItemCount(); ++i) {
    layers << tree->topLevelItem(i)->text(0);
    if (tree->topLevelItem(i)->text(0) == "IPv4") ipv4 = tree->topLevelItem(i);
  }
  QVERIFY2(layers.mid(0, 2) == QStringList({"Frame", "Ethernet"}) && layers.contains("TCP"),
           qPrintable(layers.join(',')));
  QVERIFY(ipv4);
  QVERIFY(!view.hexView()->toPlainText().isEmpty());
  QVERIFY(view.hexView()->toPlainText().startsWith("0000  "));
  tree->setCurrentItem(ipv4);
  const auto [offset, length] = view.highlightedBytes();
  QVERIFY(offset == 14 || offset == 18);  // after Ethernet, and a VLAN tag if there is one
  QCOMPARE(length, 20);
  // Per line of 16 bytes the range touches, its hex and its ASCII part.
  const int lines = (offset + length - 1) / 16 - offset / 16 + 1;
  QCOMPARE(view.hexView()->extraSelections().size(), 2 * lines);
  QCOMPARE(view.hexView()->extraSelections().first().cursor.selectedText().size(),
           3 * (16 - offset % 16) - 1);

  // NETLENS_SCREENSHOT=FILE.png keeps a picture of the tab as it is now (for a look by eye).
  if (const QString shot = qEnvironmentVariable("NETLENS_SCREENSHOT"); !shot.isEmpty())
    QVERIFY(view.grab().save(shot));

  // Save as PCAP: the host's packets, as tshark counts them in the original.
  const QString out = m_dir.filePath("host.pcap");
  QSignalSpy saved(&view, &views::SearchView::saveFinished);
  QVERIFY(view.savePcap(out));
  QVERIFY(saved.wait(30000));
  QCOMPARE(saved.first().at(0).toBool(), false);
  QVERIFY(QFile::exists(out));
  QCOMPARE(tsharkCount(out, ""), int(total));
  QVERIFY2(view.nodeList()->topLevelItem(0)->text(1).contains("saved"),
           qPrintable(view.nodeList()->topLevelItem(0)->text(1)));
}

void TestSearchView::nodeErrorShownPerNode() {
  views::SearchView view(m_nodes.get());
  view.show();
  view.findChild<QLineEdit*>("searchBpf")->setText("this is not bpf");
  QSignalSpy finished(&view, &views::SearchView::searchFinished);
  QVERIFY(view.startSearch());
  QVERIFY(finished.wait(30000));
  const QString result = view.nodeList()->topLevelItem(0)->text(1);
  QVERIFY2(result.contains("refused"), qPrintable(result));
  QCOMPARE(view.sessionModel()->rowCount(), 0);
}

// The payload kind "regex" with "per session": the node matches the expression; per session
// it returns whole sessions, so more packets than per packet, each session holding a match.
void TestSearchView::regexPerPacketAndPerSession() {
  views::SearchView view(m_nodes.get());
  view.show();
  QVERIFY(view.setNodeChecked(m_nodeId, true));
  auto* payload = view.findChild<QLineEdit*>("searchPayload");
  auto* kind = view.findChild<QComboBox*>("searchPayloadKind");
  auto* perSession = view.findChild<QCheckBox*>("searchPayloadPerSession");
  QVERIFY(payload && kind && perSession);
  QCOMPARE(kind->count(), 3);
  const auto run = [&](bool sessions) {
    perSession->setChecked(sessions);
    return searchedPackets(view);
  };
  payload->setText("(GET|POST) /[^ ]* HTTP/1\\.[01]");
  kind->setCurrentIndex(2);
  const qint64 packets = run(false);
  const int sessionsPerPacket = view.sessionModel()->rowCount();
  QVERIFY(packets > 0);
  QCOMPARE(packets,
           qint64(tsharkCount(tests::capture(kCapture),
                              "frame matches \"(?-i)(GET|POST) /[^ ]* HTTP/1\\\\.[01]\"")));
  const qint64 sessionPackets = run(true);
  QVERIFY(view.sessionModel()->rowCount() >= sessionsPerPacket);
  QVERIFY2(sessionPackets > packets, qPrintable(QString::number(sessionPackets)));
  // A mistake in the expression is the node's to explain, with the C library's reason.
  payload->setText("GET (");
  QSignalSpy finished(&view, &views::SearchView::searchFinished);
  QVERIFY(view.startSearch());
  QVERIFY(finished.wait(30000));
  const QString result = view.nodeList()->topLevelItem(0)->text(1);
  QVERIFY2(result.contains("refused") && result.contains("regular expression"), qPrintable(result));
}

// The HTTP fields reach the nodes: the sessions of requests to one host (typed in capitals,
// the host is matched ignoring case), as tshark's connections with such a request; a user
// agent no request had finds none; a live capture refuses them on the console.
void TestSearchView::httpCriteriaSelectSessions() {
  views::SearchView view(m_nodes.get());
  view.show();
  QVERIFY(view.setNodeChecked(m_nodeId, true));
  auto* host = view.findChild<QLineEdit*>("searchHttpHost");
  auto* agent = view.findChild<QLineEdit*>("searchHttpUserAgent");
  QVERIFY(host && agent && view.findChild<QLineEdit*>("searchHttpUrl") &&
          view.findChild<QLineEdit*>("searchHttpFile") &&
          view.findChild<QLineEdit*>("searchHttpUser"));
  const auto run = [&] { return searchedPackets(view); };
  host->setText("EMP.BBCI.CO.UK");
  const qint64 packets = run();
  QVERIFY(packets > 0);
  QCOMPARE(packets, qint64(tsharkSessionPackets(tests::capture(kCapture),
                                                "http.host == \"emp.bbci.co.uk\"")));
  QCOMPARE(view.sessionModel()->rowCount(), 1);  // tshark: one tcp.stream, two requests
  agent->setText("Firefox/34");
  QCOMPARE(run(), packets);
  agent->setText("curl/");
  QCOMPARE(run(), qint64(0));
  QCOMPARE(view.sessionModel()->rowCount(), 0);

  view.findChild<QPushButton*>("searchLive")->click();
  QVERIFY(view.formErrors()->isVisible());
  QVERIFY2(view.formErrors()->text().contains("HTTP"), qPrintable(view.formErrors()->text()));
  agent->clear();
  host->setText("www.example.com/index.html");
  QVERIFY(!view.startSearch());
  QVERIFY2(view.formErrors()->text().contains("not a host name"),
           qPrintable(view.formErrors()->text()));
}

void TestSearchView::stopDropsTheSearch() {
  views::SearchView view(m_nodes.get());
  view.show();
  view.findChild<QLineEdit*>("searchPorts")->setText("80");
  QSignalSpy finished(&view, &views::SearchView::searchFinished);
  QVERIFY(view.startSearch());
  QTest::mouseClick(view.findChild<QPushButton*>("searchStop"), Qt::LeftButton);
  QVERIFY(!view.isSearching());
  QTest::qWait(2000);
  QCOMPARE(finished.count(), 0);
  QCOMPARE(view.sessionModel()->rowCount(), 0);
  QCOMPARE(view.nodeList()->topLevelItem(0)->text(1), QString("stopped"));
}

// Stopping a paged search hands on the sessions of the pages that arrived (never more than
// the whole answer, never less than the last progress said) and nothing after that.
void TestSearchView::stopKeepsThePagesSoFar() {
  const protocol::Params params{{"bpf", "tcp or udp"}};
  QList<QVariantList> ignored;
  const protocol::SearchReply whole = search(params, 0, &ignored);
  QVERIFY(whole.packets > 1000);

  core::SearchRunner runner(m_nodes.get());
  runner.setPageBudget(1);
  QSignalSpy progressed(&runner, &core::SearchRunner::nodeProgress);
  QSignalSpy stopped(&runner, &core::SearchRunner::nodeStopped);
  QSignalSpy answered(&runner, &core::SearchRunner::nodeAnswered);
  QSignalSpy finished(&runner, &core::SearchRunner::finished);
  runner.start({m_nodeId}, params);
  QVERIFY2(progressed.wait(30000), "the scan fitted in one page of 1 ms");
  const quint64 seen = progressed.last().at(1).toULongLong();
  QVERIFY(seen > 0);
  runner.stopKeepingPages();
  QVERIFY(!runner.isRunning());
  QVERIFY(QTest::qWaitFor([&] { return !stopped.isEmpty(); }, 10000));
  QTest::qWait(500);
  QCOMPARE(stopped.count(), 1);
  QCOMPARE(answered.count(), 0);
  QCOMPARE(finished.count(), 0);
  QCOMPARE(stopped.first().at(0).toString(), m_nodeId);
  const auto partial = stopped.first().at(1).value<protocol::SearchReply>();
  QVERIFY(partial.packets >= seen);
  QVERIFY(partial.packets <= whole.packets);
  QVERIFY(!partial.sessions.empty());
  std::uint64_t sessionPackets = 0;
  for (const protocol::SearchSession& s : partial.sessions) {
    const auto same =
        std::find_if(whole.sessions.begin(), whole.sessions.end(), [&](const auto& w) {
          return w.protocol == s.protocol && w.a == s.a && w.aPort == s.aPort && w.b == s.b &&
                 w.bPort == s.bPort;
        });
    QVERIFY(same != whole.sessions.end());
    QVERIFY(s.packets <= same->packets);
    sessionPackets += s.packets;
  }
  QCOMPARE(sessionPackets, partial.packets);
}

// The Stop button leaves the sessions found so far in the table and says so per node.
void TestSearchView::stoppedViewShowsThePagesSoFar() {
  views::SearchView view(m_nodes.get());
  view.show();
  auto* runner = view.findChild<core::SearchRunner*>("searchRunner");
  QVERIFY(runner != nullptr);
  runner->setPageBudget(1);
  view.findChild<QLineEdit*>("searchBpf")->setText("tcp or udp");
  QSignalSpy progressed(runner, &core::SearchRunner::nodeProgress);
  QSignalSpy stopped(runner, &core::SearchRunner::nodeStopped);
  QVERIFY(view.startSearch());
  QVERIFY2(progressed.wait(30000), "the scan fitted in one page of 1 ms");
  QTest::mouseClick(view.findChild<QPushButton*>("searchStop"), Qt::LeftButton);
  QVERIFY(!view.isSearching());
  QVERIFY(QTest::qWaitFor([&] { return !stopped.isEmpty(); }, 10000));
  const auto partial = stopped.first().at(1).value<protocol::SearchReply>();
  QCOMPARE(view.sessionModel()->rowCount(), static_cast<int>(partial.sessions.size()));
  QVERIFY(view.sessionModel()->rowCount() > 0);
  const QString result = view.nodeList()->topLevelItem(0)->text(1);
  QVERIFY2(result.startsWith("stopped after") &&
               result.contains(QString::number(partial.packets) + " packet"),
           qPrintable(result));
  // A new search drops the stopped one's sessions.
  view.findChild<QLineEdit*>("searchBpf")->setText("udp port 53");
  QSignalSpy finished(&view, &views::SearchView::searchFinished);
  QVERIFY(view.startSearch());
  QVERIFY(finished.wait(30000));
  const QString next = view.nodeList()->topLevelItem(0)->text(1);
  QVERIFY2(!next.contains("stopped"), qPrintable(next));
}

// Stop pressed after a node's last page was decoded but before the runner handed the answer
// on: the answer is handed on whole (nodeAnswered), not as an empty stopped one.
void TestSearchView::stopAfterTheLastPageKeepsTheAnswer() {
  const protocol::Params params{{"bpf", "udp port 53"}};
  QList<QVariantList> ignored;
  const protocol::SearchReply whole = search(params, 0, &ignored);
  QVERIFY(whole.packets > 0);

  core::SearchRunner runner(m_nodes.get());
  runner.setPageBudget(60000);  // paged, and one page holds the whole answer
  auto* decoders = runner.findChild<QThreadPool*>();
  QVERIFY(decoders != nullptr);
  QSignalSpy stopped(&runner, &core::SearchRunner::nodeStopped);
  QSignalSpy answered(&runner, &core::SearchRunner::nodeAnswered);
  // Connected after the runner: runs right after the runner took the reply, before the
  // runner's queued hand-on can run.
  bool stoppedInBetween = false;
  connect(m_nodes.get(), &core::NodeManager::requestReplied, &runner, [&] {
    if (stoppedInBetween || !runner.isRunning()) return;
    decoders->waitForDone();
    runner.stopKeepingPages();
    stoppedInBetween = true;
  });
  runner.start({m_nodeId}, params);
  QVERIFY(QTest::qWaitFor([&] { return stopped.count() + answered.count() > 0; }, 30000));
  QTest::qWait(300);
  QVERIFY(stoppedInBetween);
  QCOMPARE(stopped.count(), 0);
  QCOMPARE(answered.count(), 1);
  const auto answer = answered.first().at(1).value<protocol::SearchReply>();
  QCOMPARE(answer.packets, whole.packets);
  QVERIFY(answer.sessions == whole.sessions);
}

// A search in pages of 1 ms of the node's time (a full scan by BPF: several pages) adds up
// to the answer of one request, session by session, with progress between the pages.
void TestSearchView::pagedSessionsEqualOneAnswer() {
  const protocol::Params params{{"bpf", "tcp or udp"}};
  bool monotonic = true;
  const auto run = [&](int budgetMs, int* progress) {
    QList<QVariantList> progressed;
    const protocol::SearchReply answer = search(params, budgetMs, &progressed);
    *progress = static_cast<int>(progressed.count());
    for (int i = 1; i < progressed.count(); ++i) {  // packets so far never go back
      if (progressed.at(i).at(1).toULongLong() < progressed.at(i - 1).at(1).toULongLong())
        monotonic = false;
    }
    return answer;
  };
  int unpagedProgress = 0;
  int pagedProgress = 0;
  const protocol::SearchReply one = run(0, &unpagedProgress);
  const protocol::SearchReply paged = run(1, &pagedProgress);
  QVERIFY(one.packets > 1000);
  QCOMPARE(unpagedProgress, 0);
  QVERIFY2(pagedProgress >= 1, "the scan fitted in one page of 1 ms");
  QVERIFY(monotonic);
  QCOMPARE(paged.packets, one.packets);
  QCOMPARE(paged.packetsRead, one.packetsRead);
  QCOMPARE(paged.truncated, one.truncated);
  QCOMPARE(paged.sessions.size(), one.sessions.size());
  QVERIFY(paged.sessions == one.sessions);  // both in the node's session order
}

// A paged search whose limit is exactly its answer: the page that takes the last match runs
// out of time scanning the rest of the store (BPF reads every packet), so the runner must
// ask on until the store's end before it may say whether the limit cut anything.
void TestSearchView::pagedLimitSaysOnlyWhatIsTrue() {
  // Frames 1 to 10 of the capture (pings in two VLAN tags), all in the first batch the node
  // reads.
  const std::string bpf = "vlan and vlan and host 10.118.10.1";
  const auto run = [&](std::uint64_t limit, int* progress) {
    QList<QVariantList> progressed;
    const protocol::SearchReply answer =
        search({{"bpf", bpf}, {"limit", std::to_string(limit)}}, 1, &progressed);
    *progress = static_cast<int>(progressed.count());
    return answer;
  };
  int progress = 0;
  const protocol::SearchReply exact = run(10, &progress);
  QCOMPARE(exact.packets, std::uint64_t(10));
  QVERIFY(!exact.truncated);
  // Every match came in the first page; a page after it means that page ran out of time.
  QVERIFY2(progress >= 1, "the scan fitted in one page of 1 ms");
  const protocol::SearchReply cut = run(9, &progress);
  QCOMPARE(cut.packets, std::uint64_t(9));
  QVERIFY(cut.truncated);
}

// A search selecting whole sessions reports its first pass (packets read of an estimate)
// while it pages through it, and then answers as one request does.
void TestSearchView::firstPassShowsProgress() {
  // Criteria no other test uses: the node keeps a first pass for the same criteria.
  const protocol::Params params{{"payload", "Content-Length"}, {"payload-scope", "session"}};
  core::SearchRunner runner(m_nodes.get());
  runner.setPageBudget(1);
  QSignalSpy answered(&runner, &core::SearchRunner::nodeAnswered);
  QSignalSpy failed(&runner, &core::SearchRunner::nodeFailed);
  QSignalSpy scanning(&runner, &core::SearchRunner::nodeScanProgress);
  runner.start({m_nodeId}, params);
  QVERIFY(QTest::qWaitFor([&] { return answered.count() + failed.count() > 0; }, 60000));
  QVERIFY(failed.isEmpty());
  QVERIFY2(scanning.count() >= 1, "the first pass fitted in one page of 1 ms");
  std::uint64_t before = 0;
  for (const auto& signal : scanning) {
    const auto read = signal.at(1).toULongLong();
    const auto estimate = signal.at(2).toULongLong();
    QVERIFY(read > before);  // each page reads on
    QVERIFY(estimate >= read);
    QVERIFY(estimate <= 4709);  // the capture's packets
    before = read;
  }
  const auto paged = answered.first().at(1).value<protocol::SearchReply>();
  // The same signature in hex: another search to the node, so its first pass is its own.
  core::SearchRunner whole(m_nodes.get());
  QSignalSpy wholeAnswered(&whole, &core::SearchRunner::nodeAnswered);
  whole.start({m_nodeId}, {{"payload-hex", QByteArray("Content-Length").toHex().toStdString()},
                           {"payload-scope", "session"}});
  QVERIFY(QTest::qWaitFor([&] { return wholeAnswered.count() > 0; }, 60000));
  const auto one = wholeAnswered.first().at(1).value<protocol::SearchReply>();
  QVERIFY(one.packets > 0);
  QCOMPARE(paged.packets, one.packets);
  QVERIFY(paged.sessions == one.sessions);
}

protocol::SearchReply TestSearchView::search(const protocol::Params& params, int budgetMs,
                                             QList<QVariantList>* progress) {
  core::SearchRunner runner(m_nodes.get());
  runner.setPageBudget(budgetMs);
  protocol::SearchReply answer;
  QSignalSpy answered(&runner, &core::SearchRunner::nodeAnswered);
  QSignalSpy failed(&runner, &core::SearchRunner::nodeFailed);
  QSignalSpy progressed(&runner, &core::SearchRunner::nodeProgress);
  connect(&runner, &core::SearchRunner::nodeAnswered, this,
          [&answer](const QString&, const protocol::SearchReply& reply) { answer = reply; });
  runner.start({m_nodeId}, params);
  if (!QTest::qWaitFor([&] { return answered.count() + failed.count() > 0; }, 60000))
    qWarning() << "no answer";
  if (!failed.isEmpty()) qWarning() << failed.first();
  *progress = progressed;
  return answer;
}

// Two nodes that saw the same traffic: Save as PCAP writes one pcapng with an interface per
// node and every packet of the host once, in time order; a classic pcap name gets pcap.
void TestSearchView::twoNodesSaveOneMergedFile() {
  NodeProcess second;
  QVERIFY(second.start(m_dir.filePath("state2"), tests::capture(kCapture), m_identity->publicKey(),
                       {"--store", m_dir.filePath("store2"), "--name", "second-tap"}));
  QString error;
  const QString id = m_nodes->addNode(second.url, false, &error);
  QVERIFY2(!id.isEmpty(), qPrintable(error));
  QTRY_VERIFY_WITH_TIMEOUT(
      [&] {
        const core::NodeInfo* info = m_nodes->node(id);
        return info && info->state == core::NodeState::Connected && !info->global.sources.empty() &&
               info->global.sources.front().finished &&
               info->global.storePackets == info->global.packets && info->global.packets > 0;
      }(),
      30000);
  views::SearchView view(m_nodes.get());
  view.show();
  QVERIFY(view.setNodeChecked(m_nodeId, true));
  QVERIFY(view.setNodeChecked(id, true));
  view.findChild<QLineEdit*>("searchAddresses")->setText(kHost);
  const int host = tsharkCount(tests::capture(kCapture), QString("ip.addr == %1").arg(kHost));
  for (const QString& name : {QString("both.pcapng"), QString("both.pcap")}) {
    const QString out = m_dir.filePath(name);
    QSignalSpy saved(&view, &views::SearchView::saveFinished);
    QVERIFY(view.savePcap(out));
    QVERIFY(saved.wait(30000));
    QCOMPARE(saved.first().at(0).toBool(), false);
    QCOMPARE(tsharkCount(out, ""), host);
    QVERIFY(!QFile::exists(out + ".part"));
    QProcess capinfos;
    capinfos.start("capinfos", {"-t", "-I", "-o", out});
    QVERIFY(capinfos.waitForFinished(30000));
    const QString info = QString::fromUtf8(capinfos.readAllStandardOutput());
    const bool ng = name.endsWith("ng");
    QVERIFY2(info.contains(ng ? "pcapng" : "pcap") &&
                 info.contains(ng ? "Number of interfaces in file: 2"
                                  : "Number of interfaces in file: 1"),
             qPrintable(info));
    QVERIFY2(info.contains("True"), qPrintable(info));  // -o: in time order
    QCOMPARE(view.nodeList()->topLevelItemCount(), 2);
    for (int i = 0; i < 2; ++i) {
      QVERIFY2(view.nodeList()->topLevelItem(i)->text(1).contains("saved"),
               qPrintable(view.nodeList()->topLevelItem(i)->text(1)));
    }
  }
  m_nodes->removeNode(id);
}

void TestSearchView::sessionsEqualOfflineSearch() {
  QVERIFY(!m_guiSessions.empty());
  // The node holds its store while it runs: stop it, then search the same folder offline.
  m_nodes.reset();
  m_node.reset();
  auto r = runNode({"search", "--store", m_dir.filePath("store"), "--host", kHost, "--list"});
  QVERIFY2(r.exitCode == 0, r.err.constData());
  std::set<SessionKey> offline;
  const auto sessions = QJsonDocument::fromJson(r.out)
                            .object()
                            .value("search")
                            .toObject()
                            .value("sessions")
                            .toArray();
  for (const auto& v : sessions) {
    const QJsonObject s = v.toObject();
    QCOMPARE(s.value("sources").toArray(), QJsonArray{QString(kCapture)});
    offline.insert({s.value("protocol").toInt(), s.value("a_ip").toString(),
                    s.value("a_port").toInt(), s.value("b_ip").toString(),
                    s.value("b_port").toInt(), s.value("packets").toInteger(),
                    s.value("bytes").toInteger(), isoMicros(s.value("first_seen").toString()),
                    isoMicros(s.value("last_seen").toString())});
  }
  QCOMPARE(offline.size(), m_guiSessions.size());
  QVERIFY(offline == m_guiSessions);
}

QTEST_MAIN(TestSearchView)
#include "tst_search_view.moc"
