// SPDX-License-Identifier: MIT
// Live PCAP downloads through the console's download manager, against a real netlens-node
// replaying the demo capture in real time with keys made for the run: the IP detail's Live
// capture… starts a capture of its host that gets packets, and the same button, now Stop live
// capture, stops it;
// the file is complete (tshark reads it), holds only that host's packets, none older than the
// node's packet time at the start, and as many as the Captures row says were kept; the node no
// longer lists the capture; a node refusing the criteria fails the download with its name and
// leaves no file. The Captures model passes QAbstractItemModelTester throughout.

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>

#include "app/core/console_identity.h"
#include "app/core/node_manager.h"
#include "app/export/download_manager.h"
#include "app/export/live_pcap_download.h"
#include "app/models/capture_query.h"
#include "app/models/connection_filter_proxy.h"
#include "app/models/connection_table_model.h"
#include "app/models/download_table_model.h"
#include "app/models/search_session_filter_proxy.h"
#include "app/models/search_session_model.h"
#include "app/views/capture_menu.h"
#include "app/views/captures_view.h"
#include "app/views/connections_view.h"
#include "app/views/group_detail_view.h"
#include "app/views/ip_detail_view.h"
#include "app/views/main_window.h"
#include "app/views/search_view.h"
#include "shared/protocol/operation.h"
#include "shared/protocol/param_text.h"
#include "tests/integration/node_process.h"

using namespace netlens;
using namespace netlens::app;
using netlens::tests::NodeProcess;

namespace {

/// Times (ns, from tshark's text so that no precision is lost) and source/destination
/// addresses of the packets tshark reads from `file`; `ok` false when tshark fails.
struct TsharkPackets {
  bool ok = false;
  std::vector<std::int64_t> times;
  QStringList addresses;  ///< "src dst" per packet
};

TsharkPackets tsharkPackets(const QString& file) {
  TsharkPackets out;
  QProcess p;
  p.start("tshark", {"-r", file, "-T", "fields", "-e", "frame.time_epoch", "-e", "ip.src", "-e",
                     "ip.dst", "-e", "ipv6.src", "-e", "ipv6.dst"});
  if (!p.waitForFinished(60000) || p.exitCode() != 0) return out;
  for (const QString& line :
       QString::fromUtf8(p.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts)) {
    const QStringList f = line.split('\t');
    if (f.size() != 5) return out;
    const QString seconds = f[0].section('.', 0, 0);
    const QString fraction = f[0].section('.', 1).leftJustified(9, '0').left(9);
    out.times.push_back((seconds + fraction).toLongLong());
    out.addresses << QStringList{f[1], f[2], f[3], f[4]}.join(' ').simplified();
  }
  out.ok = true;
  return out;
}

/// A running download's packets as the node counted them, not as the file has them yet (the
/// merge holds a few back to keep time order).
bool waitForPackets(exporting::LivePcapDownload* d, int timeoutMs) {
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < timeoutMs && d->isRunning()) {
    if (d->nodePackets() >= 20) return true;
    QTest::qWait(100);
  }
  return false;
}

bool waitFinished(exporting::PcapDownload* download, int timeoutMs = 30000) {
  if (!download) return false;
  if (!download->isRunning()) return true;
  QSignalSpy finished(download, &exporting::PcapDownload::finished);
  return finished.wait(timeoutMs) || !download->isRunning();
}

}  // namespace

class TestLiveDownload : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void cleanupTestCase();
  void hostCaptureStartsAndStops();
  void connectionCriteriaAreAccepted();
  void refusedCriteriaFailWithTheNode();
  void groupSearchPortAndClassCapturesRun();
  void searchFormLiveCaptureToggles();
  void searchSessionLiveCaptureToggles();

 private:
  /// The node's live captures (live-list), or nullopt with the test failed.
  std::optional<protocol::LiveCaptureList> liveList();

  QTemporaryDir m_dir;
  std::unique_ptr<core::ConsoleIdentity> m_identity;
  std::unique_ptr<core::NodeManager> m_nodes;
  std::unique_ptr<NodeProcess> m_node;
  std::unique_ptr<views::MainWindow> m_window;
  std::unique_ptr<QAbstractItemModelTester> m_tester;
  QString m_nodeId;
  QString m_nextFile;  ///< what the file chooser answers
};

void TestLiveDownload::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName("NetlensTest");
  QCoreApplication::setApplicationName("netlens-live-download-test");
  QSettings().clear();
  QVERIFY(m_dir.isValid());
  m_identity = std::make_unique<core::ConsoleIdentity>(m_dir.filePath("console.key"));
  QString error;
  QVERIFY2(m_identity->load(&error), qPrintable(error));
  m_nodes = std::make_unique<core::NodeManager>(m_identity->keyPair());
  const QString demo = m_dir.filePath("demo.pcap");
  QCOMPARE(tests::runNode({"demo", "--out", demo}).exitCode, 0);
  m_node = std::make_unique<NodeProcess>();
  QFile groups(m_dir.filePath("groups.txt"));
  QVERIFY(groups.open(QIODevice::WriteOnly));
  groups.write("office 192.168.10.0/24\n");
  groups.close();
  QVERIFY(m_node->start(m_dir.filePath("state"), demo, m_identity->publicKey(),
                        {"--pace", "realtime", "--loop", "--groups", groups.fileName()}));
  m_nodeId = m_nodes->addNode(m_node->url, false, &error);
  QVERIFY2(!m_nodeId.isEmpty(), qPrintable(error));
  QTRY_VERIFY_WITH_TIMEOUT(
      m_nodes->node(m_nodeId) && m_nodes->node(m_nodeId)->state == core::NodeState::Connected,
      20000);
  m_window = std::make_unique<views::MainWindow>(m_nodes.get(), m_identity.get());
  m_window->downloads()->setFileChooser(
      [this](QWidget*, const QString&, const QString&) { return m_nextFile; });
  m_tester = std::make_unique<QAbstractItemModelTester>(
      m_window->capturesView()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void TestLiveDownload::cleanupTestCase() {
  m_tester.reset();
  m_window.reset();
  m_nodes.reset();
  m_node.reset();
  QSettings().clear();
}

std::optional<protocol::LiveCaptureList> TestLiveDownload::liveList() {
  const quint64 token = core::NodeManager::nextRequestToken();
  QSignalSpy replied(m_nodes.get(), &core::NodeManager::requestReplied);
  QSignalSpy failed(m_nodes.get(), &core::NodeManager::requestFailed);
  if (!m_nodes->request(m_nodeId, token,
                        std::string(protocol::operationName(protocol::OperationId::LiveList)), {}))
    return std::nullopt;
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < 10000) {
    for (const auto& args : replied) {
      if (args.at(1).toULongLong() != token) continue;
      const QByteArray body = args.at(2).toByteArray();
      auto list = protocol::decodeBody<protocol::LiveCaptureList>(
          std::string_view(body.constData(), static_cast<std::size_t>(body.size())));
      if (!list) return std::nullopt;
      return *list;
    }
    for (const auto& args : failed)
      if (args.at(1).toULongLong() == token) return std::nullopt;
    QTest::qWait(50);
  }
  return std::nullopt;
}

void TestLiveDownload::hostCaptureStartsAndStops() {
  // The demo's busiest address.
  const QString host = QStringLiteral("203.0.113.80");
  const auto ip = net::IpAddress::parse(host.toStdString());
  QVERIFY(ip.has_value());
  views::IpDetailView* detail = m_window->openIpDetail(host);
  QVERIFY(detail);
  const models::CaptureQuery query = detail->liveQuery();
  QCOMPARE(query.params, (protocol::Params{{"host", host.toStdString()}}));
  exporting::DownloadManager* manager = m_window->downloads();
  const int row = manager->count();
  m_nextFile = m_dir.filePath("live-host.pcapng");

  // The IP detail's action: nothing runs under this title, so it starts one and toggles.
  QVERIFY(!manager->runningLive(query.title));
  QCOMPARE(detail->liveButton()->text().remove('&'), QStringLiteral("Live capture…"));
  detail->liveButton()->click();
  QCOMPARE(detail->liveButton()->text().remove('&'), QStringLiteral("Stop live capture"));
  QCOMPARE(manager->count(), row + 1);
  auto* live = qobject_cast<exporting::LivePcapDownload*>(manager->at(row));
  QVERIFY(live);
  QCOMPARE(manager->runningLive(query.title), live);
  QTRY_VERIFY_WITH_TIMEOUT(live->isCapturing() || !live->isRunning(), 10000);
  QVERIFY2(live->isRunning(), qPrintable(live->progress().reason));
  const protocol::TimeNs start = live->startPacketTime(m_nodeId);
  const quint64 id = live->captureId(m_nodeId);
  QVERIFY(start > 0);
  QVERIFY(id != 0);
  auto during = liveList();
  QVERIFY(during.has_value());
  QVERIFY(std::any_of(during->captures.begin(), during->captures.end(),
                      [id](const auto& c) { return c.id == id; }));
  QVERIFY2(waitForPackets(live, 20000), qPrintable(live->progress().reason));
  QVERIFY(QFile::exists(m_nextFile + ".part"));
  QVERIFY(!QFile::exists(m_nextFile));

  // The same action again stops it.
  detail->liveButton()->click();
  QVERIFY(waitFinished(live));
  QCOMPARE(detail->liveButton()->text().remove('&'), QStringLiteral("Live capture…"));
  QCOMPARE(live->progress().state, exporting::DownloadState::Stopped);
  QVERIFY(!manager->runningLive(query.title));
  const quint64 kept = live->progress().packets;
  QVERIFY(kept >= 20);
  // Every packet the node matched is in the file, the last chunk (live-stop's) included.
  QCOMPARE(kept, live->nodePackets());
  QVERIFY(!QFile::exists(m_nextFile + ".part"));

  const TsharkPackets file = tsharkPackets(m_nextFile);
  QVERIFY(file.ok);
  QCOMPARE(static_cast<quint64>(file.times.size()), kept);
  for (const QString& ends : file.addresses)
    QVERIFY2(ends.split(' ').contains(host), qPrintable(ends));
  for (const auto ts : file.times) QVERIFY(ts >= start);
  QVERIFY(std::is_sorted(file.times.begin(), file.times.end()));

  // The Captures row.
  QAbstractItemModel* model = m_window->capturesView()->model();
  const QString state =
      model->index(row, models::DownloadTableModel::State).data(Qt::DisplayRole).toString();
  QVERIFY2(state.contains(QStringLiteral("stopped: %1 packet").arg(kept)), qPrintable(state));
  QCOMPARE(model->index(row, models::DownloadTableModel::Source).data().toString(),
           QStringLiteral("live"));
  QVERIFY(model->index(row, models::DownloadTableModel::Action).data().toString().isEmpty());

  // The node no longer has the capture.
  auto after = liveList();
  QVERIFY(after.has_value());
  QVERIFY(std::none_of(after->captures.begin(), after->captures.end(),
                       [id](const auto& c) { return c.id == id; }));
}

void TestLiveDownload::connectionCriteriaAreAccepted() {
  // A connection's Live capture… asks for its 5-tuple (both directions, no time range); the
  // node must accept these criteria and stop the capture cleanly.
  views::ConnectionsView* connections = m_window->connectionsView();
  m_window->closeIpDetail();  // the tables show (and poll) again
  m_window->show();
  m_window->tabs()->setCurrentWidget(connections);
  QTRY_VERIFY_WITH_TIMEOUT(connections->proxy()->rowCount() > 0, 20000);
  const models::CaptureQuery query = connections->liveQuery(0);
  QVERIFY(!query.params.empty());
  QVERIFY(query.params.count("from") == 0 && query.params.count("to") == 0);
  auto* live =
      m_window->downloads()->liveCapture(query, {m_nodeId}, m_dir.filePath("live-conn.pcap"));
  QVERIFY(live);
  QTRY_VERIFY_WITH_TIMEOUT(live->isCapturing() || !live->isRunning(), 10000);
  QVERIFY2(live->isRunning(), qPrintable(live->progress().reason));
  live->stop();
  QVERIFY(waitFinished(live));
  QCOMPARE(live->progress().state, exporting::DownloadState::Stopped);
  QVERIFY(QFile::exists(m_dir.filePath("live-conn.pcap")));
  QVERIFY(tsharkPackets(m_dir.filePath("live-conn.pcap")).ok);
}

void TestLiveDownload::refusedCriteriaFailWithTheNode() {
  models::CaptureQuery query;
  query.title = QStringLiteral("bad filter");
  query.fileStem = QStringLiteral("bad");
  query.params["bpf"] = "this is not (a filter";
  const QString file = m_dir.filePath("bad.pcapng");
  auto* live = m_window->downloads()->liveCapture(query, {m_nodeId}, file);
  QVERIFY(live);
  QVERIFY(waitFinished(live));
  QCOMPARE(live->progress().state, exporting::DownloadState::Failed);
  const QString reason = live->progress().reason;
  QVERIFY2(reason.contains(live->nodeNames().value(0)) && !live->nodeNames().value(0).isEmpty(),
           qPrintable(reason));
  QVERIFY2(reason.contains(QStringLiteral("no file")), qPrintable(reason));
  QVERIFY(!QFile::exists(file));
  QVERIFY(!QFile::exists(file + ".part"));
}

namespace {

/// Starts a live capture of `query` from `node`, waits until the node captures, stops it and
/// checks it ended as stopped with a file tshark reads. Returns the file's packets.
TsharkPackets captureAndStop(exporting::DownloadManager* manager, const QString& node,
                             const models::CaptureQuery& query, const QString& file) {
  auto* live = manager->liveCapture(query, {node}, file);
  if (!live) return {};
  QElapsedTimer waited;
  waited.start();
  while (waited.elapsed() < 10000 && !live->isCapturing() && live->isRunning()) QTest::qWait(50);
  if (!live->isRunning()) {
    qWarning() << query.title << live->progress().reason;
    return {};
  }
  live->stop();
  if (!waitFinished(live) || live->progress().state != exporting::DownloadState::Stopped) return {};
  return tsharkPackets(file);
}

}  // namespace

void TestLiveDownload::groupSearchPortAndClassCapturesRun() {
  // The group detail's Live capture… button: the group's networks, from now on.
  views::GroupDetailView* group = m_window->openGroupDetail(QStringLiteral("office"));
  QVERIFY(group);
  QTRY_VERIFY_WITH_TIMEOUT(group->liveButton()->isEnabled(), 20000);
  QCOMPARE(group->liveButton()->text().remove('&'), QStringLiteral("Live capture…"));
  exporting::DownloadManager* manager = m_window->downloads();
  const int row = manager->count();
  m_nextFile = m_dir.filePath("live-group.pcapng");
  group->liveButton()->click();
  QCOMPARE(manager->count(), row + 1);
  auto* live = qobject_cast<exporting::LivePcapDownload*>(manager->at(row));
  QVERIFY(live);
  QCOMPARE(group->liveButton()->text().remove('&'), QStringLiteral("Stop live capture"));
  QCOMPARE(live->query().params.count("from"), 0u);
  QVERIFY2(waitForPackets(live, 20000), qPrintable(live->progress().reason));
  group->liveButton()->click();
  QVERIFY(waitFinished(live));
  QCOMPARE(live->progress().state, exporting::DownloadState::Stopped);
  QCOMPARE(group->liveButton()->text().remove('&'), QStringLiteral("Live capture…"));
  const TsharkPackets groupFile = tsharkPackets(m_nextFile);
  QVERIFY(groupFile.ok);
  QVERIFY(!groupFile.times.empty());
  for (const QString& ends : groupFile.addresses)
    QVERIFY2(ends.contains(QStringLiteral("192.168.10.")), qPrintable(ends));
  // The group's ports, DSCP and Layer 2 QoS rows: the node compiles each row's BPF (the
  // group's networks inside it) as a live capture, without the row's time range.
  {
    models::SummaryTableModel::Row port;
    port.values = {443, QStringLiteral("https"), 1, 1, qint64(1), qint64(2)};
    const models::CaptureQuery download = group->rowCaptureQuery(QStringLiteral("ports"), port);
    QCOMPARE(download.title, QStringLiteral("group office, tcp port 443"));
    QCOMPARE(download.params.at("port"), std::string("443"));
    QCOMPARE(download.params.at("from"), std::string("1"));
    models::SummaryTableModel::Row dscp;
    dscp.values = {0, QStringLiteral("CS0")};
    models::SummaryTableModel::Row pcp;
    pcp.key = QStringLiteral("pcp5");
    pcp.values = {QString(), 5};
    models::SummaryTableModel::Row tc;
    tc.key = QStringLiteral("tc6");
    tc.values = {QString(), 6};
    const std::vector<std::pair<QString, models::SummaryTableModel::Row>> rows{
        {QStringLiteral("ports"), port},
        {QStringLiteral("qosL3"), dscp},
        {QStringLiteral("qosL2"), pcp},
        {QStringLiteral("qosL2"), tc}};
    for (const auto& [table, r] : rows) {
      const models::CaptureQuery q = views::CaptureMenu::live(group->rowCaptureQuery(table, r));
      QCOMPARE(q.params.size(), 1u);
      QVERIFY(q.params.at("bpf").find("192.168.10.") != std::string::npos ||
              q.params.at("bpf").find("0xc0a80a") != std::string::npos);
      QVERIFY2(
          captureAndStop(
              manager, m_nodeId, q,
              m_dir.filePath(QStringLiteral("live-group-%1-%2.pcap")
                                 .arg(table, r.key.isEmpty() ? r.values[0].toString() : r.key)))
              .ok,
          qPrintable(q.title));
    }
    QVERIFY(group->rowCaptureQuery(QStringLiteral("peers"), dscp).params.empty());
  }
  m_window->closeGroupDetail();

  // The IP detail's ports, DSCP and Layer 2 QoS rows, and the global TCP/UDP/ICMP rows: the
  // node accepts
  // each row's criteria as a live capture (without the row's time range).
  const QString host = QStringLiteral("203.0.113.80");
  views::IpDetailView* detail = m_window->openIpDetail(host);
  QVERIFY(detail);
  models::SummaryTableModel::Row port;
  port.values = {443, QStringLiteral("https"), 1, 1, qint64(1), qint64(2)};
  models::CaptureQuery portQuery = detail->rowCaptureQuery(QStringLiteral("ports"), port);
  QCOMPARE(portQuery.params.at("host"), host.toStdString());
  QCOMPARE(portQuery.params.at("port"), std::string("443"));
  QCOMPARE(portQuery.params.at("from"), std::string("1"));
  portQuery = views::CaptureMenu::live(portQuery);
  QCOMPARE(portQuery.params.count("from") + portQuery.params.count("to"), 0u);
  const TsharkPackets portFile =
      captureAndStop(manager, m_nodeId, portQuery, m_dir.filePath("live-port.pcap"));
  QVERIFY(portFile.ok);
  models::SummaryTableModel::Row dscp;
  dscp.values = {0, QStringLiteral("CS0")};
  const models::CaptureQuery dscpQuery =
      views::CaptureMenu::live(detail->rowCaptureQuery(QStringLiteral("qosL3"), dscp));
  QVERIFY(dscpQuery.params.count("bpf") == 1);
  QVERIFY(captureAndStop(manager, m_nodeId, dscpQuery, m_dir.filePath("live-dscp.pcap")).ok);
  // Layer 2 QoS rows: the node compiles their BPF (the host inside it) for its link type.
  for (const char* key : {"pcp5", "tc6"}) {
    models::SummaryTableModel::Row l2;
    l2.key = QString::fromLatin1(key);
    l2.values = {QString(), l2.key.back().digitValue()};
    const models::CaptureQuery l2Query =
        views::CaptureMenu::live(detail->rowCaptureQuery(QStringLiteral("qosL2"), l2));
    QCOMPARE(l2Query.params.size(), 1u);
    QVERIFY(l2Query.params.count("bpf") == 1);
    QVERIFY2(captureAndStop(manager, m_nodeId, l2Query,
                            m_dir.filePath(QStringLiteral("live-%1.pcap").arg(l2.key)))
                 .ok,
             key);
  }
  QVERIFY(detail->rowCaptureQuery(QStringLiteral("peers"), dscp).params.empty());
  m_window->closeIpDetail();
  const models::CaptureQuery icmp =
      views::CaptureMenu::live(models::CaptureQueries::forProtocol(QStringLiteral("icmp,icmp6")));
  QVERIFY(captureAndStop(manager, m_nodeId, icmp, m_dir.filePath("live-icmp.pcap")).ok);
}

void TestLiveDownload::searchFormLiveCaptureToggles() {
  views::SearchView* search = m_window->searchView();
  const QString host = QStringLiteral("203.0.113.80");
  QTRY_VERIFY_WITH_TIMEOUT(search->liveButton()->isEnabled(), 10000);
  search->findChild<QLineEdit*>("searchAddresses")->setText(host);
  // Payload cannot be matched live: the form says so and nothing starts.
  exporting::DownloadManager* manager = m_window->downloads();
  const int row = manager->count();
  search->findChild<QLineEdit*>("searchPayload")->setText("GET");
  models::CaptureQuery refused;
  QStringList reasons;
  QVERIFY(!search->liveQuery(&refused, &reasons));
  search->liveButton()->click();
  // No capture of these criteria started (its title would name them).
  for (int i = row; i < manager->count(); ++i)
    QVERIFY2(!manager->at(i)->title().contains(QStringLiteral("payload")),
             qPrintable(manager->at(i)->title()));
  QVERIFY(!search->formErrors()->isHidden());
  QVERIFY2(search->formErrors()->text().contains(QStringLiteral("payload")),
           qPrintable(search->formErrors()->text()));
  search->findChild<QLineEdit*>("searchPayload")->clear();

  models::CaptureQuery query;
  QStringList problems;
  QVERIFY2(search->liveQuery(&query, &problems), qPrintable(problems.join('\n')));
  QCOMPARE(query.params, (protocol::Params{{"host", host.toStdString()}}));
  m_nextFile = m_dir.filePath("live-search.pcapng");
  QCOMPARE(search->liveButton()->text().remove('&'), QStringLiteral("Live capture…"));
  search->liveButton()->click();
  QVERIFY(search->formErrors()->isHidden());
  QVERIFY(manager->count() >= row + 1);
  auto* live = qobject_cast<exporting::LivePcapDownload*>(manager->at(manager->count() - 1));
  QVERIFY(live);
  QCOMPARE(live->title(), query.title);
  QCOMPARE(search->liveButton()->text().remove('&'), QStringLiteral("Stop live capture"));
  QVERIFY2(waitForPackets(live, 20000), qPrintable(live->progress().reason));
  search->liveButton()->click();
  QVERIFY(waitFinished(live));
  QCOMPARE(live->progress().state, exporting::DownloadState::Stopped);
  QCOMPARE(search->liveButton()->text().remove('&'), QStringLiteral("Live capture…"));
  const TsharkPackets file = tsharkPackets(m_nextFile);
  QVERIFY(file.ok);
  QCOMPARE(static_cast<quint64>(file.times.size()), live->progress().packets);
  for (const QString& ends : file.addresses)
    QVERIFY2(ends.split(' ').contains(host), qPrintable(ends));
}

void TestLiveDownload::searchSessionLiveCaptureToggles() {
  // A session row (as a node's search answers it) of the demo's busiest TCP connection: its
  // context menu's Live capture… captures its 5-tuple, both directions, from now on; the
  // same action then reads Stop live capture and stops it.
  m_window->closeIpDetail();
  views::ConnectionsView* connections = m_window->connectionsView();
  m_window->tabs()->setCurrentWidget(connections);
  QTRY_VERIFY_WITH_TIMEOUT(connections->model()->rowCount() > 0, 20000);
  protocol::ConnectionRecord busiest;
  for (int row = 0; row < connections->model()->rowCount(); ++row) {
    const protocol::ConnectionRecord& c = connections->model()->record(row);
    if (c.protocol == 6 && c.c2sPackets + c.s2cPackets > busiest.c2sPackets + busiest.s2cPackets)
      busiest = c;
  }
  QVERIFY(busiest.protocol == 6);
  protocol::SearchSession session;
  session.protocol = 6;
  session.a = busiest.serverIp;
  session.aPort = busiest.serverPort;
  session.b = busiest.clientIp;
  session.bPort = busiest.clientPort;
  session.firstSeen = busiest.firstSeen;
  session.lastSeen = busiest.lastSeen;
  views::SearchView* search = m_window->searchView();
  m_window->tabs()->setCurrentWidget(search);
  search->sessionModel()->setNodeSessions(m_nodeId, QStringLiteral("demo"), {session});
  QCOMPARE(search->sessionProxy()->rowCount(), 1);
  const models::CaptureQuery query = search->sessionLiveQuery(0);
  QCOMPARE(query.params, (protocol::Params{{"connection", protocol::formatConnectionText(
                                                              {6, session.a, session.aPort,
                                                               session.b, session.bPort})}}));
  QVERIFY(query.params.at("connection").starts_with("tcp "));
  QVERIFY(search->sessionLiveQuery(1).params.empty());

  // The context menu: both actions, the live one saying that payload is not matched.
  QTableView* table = search->sessionTable();
  QVERIFY(QTest::qWaitForWindowExposed(m_window.get()) || table->isVisible());
  QStringList offered;
  QString liveTip;
  QTimer::singleShot(0, search, [&offered, &liveTip] {
    auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
    if (!menu) return;
    for (QAction* action : menu->actions()) {
      offered << action->text().remove('&');
      if (offered.last() == QStringLiteral("Live capture…")) liveTip = action->toolTip();
    }
    menu->close();
  });
  emit table->customContextMenuRequested(table->visualRect(table->model()->index(0, 0)).center());
  QCOMPARE(offered, (QStringList{"Download PCAP of this session…", "Live capture…"}));
  QVERIFY2(liveTip.contains(QStringLiteral("payload")), qPrintable(liveTip));

  exporting::DownloadManager* manager = m_window->downloads();
  m_nextFile = m_dir.filePath("live-session.pcapng");
  auto* live = search->toggleSessionLiveCapture(0);
  QVERIFY(live);
  QCOMPARE(live->title(), query.title);
  QCOMPARE(live->nodeIds(), QStringList{m_nodeId});
  QCOMPARE(manager->runningLive(query.title), live);
  QVERIFY2(search->findChild<QLabel*>("searchState")->text().contains(QStringLiteral("payload")),
           qPrintable(search->findChild<QLabel*>("searchState")->text()));
  QTRY_VERIFY_WITH_TIMEOUT(live->isCapturing() || !live->isRunning(), 10000);
  QVERIFY2(live->isRunning(), qPrintable(live->progress().reason));
  QVERIFY(!search->toggleSessionLiveCapture(0));  // the same action stops it
  QVERIFY(waitFinished(live));
  QCOMPARE(live->progress().state, exporting::DownloadState::Stopped);
  QVERIFY(!manager->runningLive(query.title));
  const TsharkPackets file = tsharkPackets(m_nextFile);
  QVERIFY(file.ok);
  const std::string a = session.a.toString();
  const std::string b = session.b.toString();
  for (const QString& ends : file.addresses) {
    QVERIFY2(
        ends == QString::fromStdString(a + " " + b) || ends == QString::fromStdString(b + " " + a),
        qPrintable(ends));
  }
}

QTEST_MAIN(TestLiveDownload)
#include "tst_live_download.moc"
