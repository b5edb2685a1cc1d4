// SPDX-License-Identifier: MIT
// PCAP downloads through the console's download manager, against a real netlens-node with a
// packet store fed a corpus capture: the IP detail's Download PCAP… and a connection's (table
// and detail window) start manager entries with the right query and write files holding
// exactly the packets tshark selects from the original capture, in the same order with the
// same bytes; a download in many small pages equals the one-page download; DSCP and group
// queries (BPF looking through VLAN tags) select what tshark selects; Stop in the Captures
// view keeps a valid file with what arrived and says so; the Captures model passes
// QAbstractItemModelTester throughout.

#include <QAbstractItemModelTester>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>

#include "app/core/console_identity.h"
#include "app/core/node_manager.h"
#include "app/export/download_manager.h"
#include "app/export/store_pcap_download.h"
#include "app/models/capture_query.h"
#include "app/models/connection_filter_proxy.h"
#include "app/models/connection_table_model.h"
#include "app/models/download_table_model.h"
#include "app/models/search_session_filter_proxy.h"
#include "app/models/search_session_model.h"
#include "app/views/capture_menu.h"
#include "app/views/captures_view.h"
#include "app/views/connection_detail_dialog.h"
#include "app/views/connections_view.h"
#include "app/views/ip_detail_view.h"
#include "app/views/main_window.h"
#include "app/views/search_view.h"
#include "tests/integration/node_process.h"

using namespace netlens;
using namespace netlens::app;
using netlens::tests::NodeProcess;

namespace {

const char* kCapture = "many_protocols_vlan_http_dns_tls.pcap";
const char* kHost = "212.199.202.69";

/// One line per packet tshark reads from `file` with display filter `filter`: its time in ns
/// (whatever the file's resolution), its lengths and its bytes in hex. Empty on failure.
QStringList packetsOf(const QString& file, const QString& filter) {
  QProcess fields;
  QStringList args{"-r", file,        "-T", "fields",       "-e", "frame.time_epoch",
                   "-e", "frame.len", "-e", "frame.cap_len"};
  if (!filter.isEmpty()) args << "-Y" << filter;
  fields.start("tshark", args);
  if (!fields.waitForFinished(60000) || fields.exitCode() != 0) return {};
  QProcess hex;
  QStringList hexArgs{"-r", file, "-x"};
  if (!filter.isEmpty()) hexArgs << "-Y" << filter;
  hex.start("tshark", hexArgs);
  if (!hex.waitForFinished(60000) || hex.exitCode() != 0) return {};
  const QStringList lines =
      QString::fromUtf8(fields.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
  // -x prints one block per packet, blocks separated by an empty line.
  const QStringList dumps =
      QString::fromUtf8(hex.readAllStandardOutput()).split("\n\n", Qt::SkipEmptyParts);
  if (lines.size() != dumps.size()) return {QStringLiteral("tshark output mismatch")};
  QStringList out;
  for (int i = 0; i < lines.size(); ++i) {
    QStringList f = lines[i].split('\t');
    if (f.size() != 3) return {QStringLiteral("bad tshark line ") + lines[i]};
    const QString seconds = f[0].section('.', 0, 0);
    const QString fraction = f[0].section('.', 1).leftJustified(9, '0');
    out << QStringLiteral("%1%2 %3 %4 %5").arg(seconds, fraction, f[1], f[2], dumps[i].trimmed());
  }
  return out;
}

bool waitFinished(exporting::PcapDownload* download, int timeoutMs = 60000) {
  if (!download) return false;
  if (!download->isRunning()) return true;
  QSignalSpy finished(download, &exporting::PcapDownload::finished);
  return finished.wait(timeoutMs) || !download->isRunning();
}

}  // namespace

class TestPcapDownload : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void cleanupTestCase();
  void queriesAreWellFormed();
  void ipDetailDownloadEqualsTshark();
  void connectionDownloadEqualsTshark();
  void manyPagesEqualOnePage();
  void dscpAndGroupQueriesEqualTshark();
  void twoNodesInSmallPagesMergeOnce();
  void searchSessionDownload();
  void stopKeepsWhatArrived();
  void failureSaysWhy();

 private:
  /// A download of `query` from the node into `name` under the temporary folder, waited for.
  exporting::StorePcapDownload* download(const models::CaptureQuery& query, const QString& name);

  QTemporaryDir m_dir;
  std::unique_ptr<core::ConsoleIdentity> m_identity;
  std::unique_ptr<core::NodeManager> m_nodes;
  std::unique_ptr<NodeProcess> m_node;
  std::unique_ptr<views::MainWindow> m_window;
  std::unique_ptr<QAbstractItemModelTester> m_tester;
  QString m_nodeId;
  QString m_hostFile;    ///< of ipDetailDownloadEqualsTshark
  QStringList m_chosen;  ///< suggestions the file chooser got
  QString m_nextFile;    ///< what the file chooser answers
};

void TestPcapDownload::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName("NetlensTest");
  QCoreApplication::setApplicationName("netlens-pcap-download-test");
  QSettings().clear();
  QVERIFY(m_dir.isValid());
  m_dir.setAutoRemove(qEnvironmentVariableIsEmpty("KEEPDIR"));
  m_identity = std::make_unique<core::ConsoleIdentity>(m_dir.filePath("console.key"));
  QString error;
  QVERIFY2(m_identity->load(&error), qPrintable(error));
  m_nodes = std::make_unique<core::NodeManager>(m_identity->keyPair());
  m_node = std::make_unique<NodeProcess>();
  QVERIFY(m_node->start(m_dir.filePath("state"), tests::capture(kCapture), m_identity->publicKey(),
                        {"--store", m_dir.filePath("store")}));
  m_nodeId = m_nodes->addNode(m_node->url, false, &error);
  QVERIFY2(!m_nodeId.isEmpty(), qPrintable(error));
  QTRY_VERIFY_WITH_TIMEOUT(
      [&] {
        const core::NodeInfo* info = m_nodes->node(m_nodeId);
        return info && info->state == core::NodeState::Connected && !info->global.sources.empty() &&
               info->global.sources.front().finished &&
               info->global.storePackets == info->global.packets && info->global.packets > 0;
      }(),
      30000);
  m_window = std::make_unique<views::MainWindow>(m_nodes.get(), m_identity.get());
  m_window->downloads()->setFileChooser([this](QWidget*, const QString&, const QString& suggested) {
    m_chosen << suggested;
    return m_nextFile;
  });
  m_tester = std::make_unique<QAbstractItemModelTester>(
      m_window->capturesView()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void TestPcapDownload::cleanupTestCase() {
  m_tester.reset();
  m_window.reset();
  m_nodes.reset();
  m_node.reset();
  QSettings().clear();
}

exporting::StorePcapDownload* TestPcapDownload::download(const models::CaptureQuery& query,
                                                         const QString& name) {
  auto* d = m_window->downloads()->download(query, {m_nodeId}, m_dir.filePath(name));
  if (!waitFinished(d)) return nullptr;
  return d;
}

void TestPcapDownload::queriesAreWellFormed() {
  const auto ip = *net::IpAddress::parse("10.0.0.5");
  auto q = models::CaptureQueries::forHost(ip, 100, 200);
  QCOMPARE(q.title, QString("host 10.0.0.5"));
  QCOMPARE(q.params, (protocol::Params{{"host", "10.0.0.5"}, {"from", "100"}, {"to", "200"}}));
  q = models::CaptureQueries::forHostMac(ip, *net::MacAddress::parse("00:11:22:33:44:55"));
  QCOMPARE(q.params, (protocol::Params{{"host", "10.0.0.5"}, {"mac", "00:11:22:33:44:55"}}));
  QVERIFY(!q.fileStem.contains(':'));
  protocol::ConnectionRecord c;
  c.protocol = 6;
  c.clientIp = ip;
  c.clientPort = 40000;
  c.serverIp = *net::IpAddress::parse("10.0.0.9");
  c.serverPort = 443;
  c.vlan = 7;
  c.firstSeen = 5;
  c.lastSeen = 9;
  q = models::CaptureQueries::forConnection(c);
  QCOMPARE(q.params, (protocol::Params{{"connection", "tcp 10.0.0.5:40000 10.0.0.9:443"},
                                       {"vlan", "7"},
                                       {"from", "5"},
                                       {"to", "9"}}));
  QCOMPARE(views::CaptureMenu::live(q).params,
           (protocol::Params{{"connection", "tcp 10.0.0.5:40000 10.0.0.9:443"}, {"vlan", "7"}}));
  QVERIFY(models::CaptureQueries::forGroup("empty", {}).params.empty());
  QCOMPARE(models::CaptureQueries::dscpFilter(46),
           std::string("((ip and ip[1] & 0xfc = 184) or (ip6 and ip6[0:2] & 0x0fc0 = 2944)) or "
                       "(vlan and ((ip and ip[1] & 0xfc = 184) or (ip6 and ip6[0:2] & 0x0fc0 = "
                       "2944)))"));
  QCOMPARE(models::CaptureQueries::forPort(53, "udp").params,
           (protocol::Params{{"port", "53"}, {"proto", "udp"}}));
  QCOMPARE(models::CaptureQueries::safeStem("a b/c:d"), QString("a-b-c-d"));
}

// The IP detail page's Download PCAP… → a manager entry for "host X", a .pcapng suggested,
// and the file holds what tshark finds for that address.
void TestPcapDownload::ipDetailDownloadEqualsTshark() {
  views::IpDetailView* detail = m_window->openIpDetail(kHost);
  QVERIFY(detail);
  m_hostFile = m_dir.filePath("host.pcapng");
  m_nextFile = m_hostFile;
  m_chosen.clear();
  auto* downloads = m_window->downloads();
  const int before = downloads->count();
  detail->downloadButton()->click();
  QCOMPARE(downloads->count(), before + 1);
  QCOMPARE(m_chosen.size(), 1);
  QVERIFY2(
      m_chosen.first().endsWith(".pcapng") && m_chosen.first().contains("host-" + QString(kHost)),
      qPrintable(m_chosen.first()));
  exporting::PcapDownload* d = downloads->at(before);
  QCOMPARE(d->title(), QString("host %1").arg(kHost));
  QCOMPARE(QString::fromStdString(d->query().params.at("host")), QString(kHost));
  QCOMPARE(d->fileName(), m_hostFile);
  QVERIFY(waitFinished(d));
  QCOMPARE(d->progress().state, exporting::DownloadState::Done);
  QVERIFY(!QFile::exists(m_hostFile + ".part"));
  const QStringList expected =
      packetsOf(tests::capture(kCapture), QString("ip.addr == %1").arg(kHost));
  QVERIFY(expected.size() > 100);
  const QStringList got = packetsOf(m_hostFile, {});
  QCOMPARE(got.size(), expected.size());
  QCOMPARE(got, expected);
  QCOMPARE(d->progress().packets, quint64(expected.size()));
  QCOMPARE(d->progress().bytes, quint64(QFileInfo(m_hostFile).size()));
  QCOMPARE(d->percent(), 100);
  // The Captures row says so.
  auto* model = m_window->capturesView()->model();
  const int row = downloads->indexOf(d);
  QCOMPARE(model->index(row, models::DownloadTableModel::State).data().toString(), QString("done"));
  QCOMPARE(model->index(row, models::DownloadTableModel::Packets)
               .data(models::DownloadTableModel::RawRole)
               .toULongLong(),
           quint64(expected.size()));
  QCOMPARE(model->index(row, models::DownloadTableModel::Action).data().toString(), QString());
  // With a MAC the query narrows to it.
  const models::CaptureQuery withMac = detail->pcapQuery("00:11:22:33:44:55");
  QCOMPARE(withMac.params.at("mac"), std::string("00:11:22:33:44:55"));
  QCOMPARE(withMac.params.at("host"), std::string(kHost));
  QVERIFY(!detail->requestPcap("not a mac"));
  m_window->closeIpDetail();
}

// A connection: the connections table's action and the detail window's button ask for both
// directions of its 5-tuple; the file holds what tshark finds for it.
void TestPcapDownload::connectionDownloadEqualsTshark() {
  m_window->show();
  m_window->tabs()->setCurrentWidget(m_window->connectionsView());
  views::ConnectionsView* view = m_window->connectionsView();
  auto* model = view->model();
  QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > 0, 15000);
  // The TCP connection of kHost with the most packets.
  int best = -1;
  quint64 most = 0;
  for (int r = 0; r < model->rowCount(); ++r) {
    const auto& c = model->record(r);
    const quint64 packets = c.c2sPackets + c.s2cPackets;
    if (c.protocol == 6 && (c.clientIp.toString() == kHost || c.serverIp.toString() == kHost) &&
        packets > most) {
      best = r;
      most = packets;
    }
  }
  QVERIFY(best >= 0);
  const protocol::ConnectionRecord record = model->record(best);
  const int proxyRow = view->proxy()->mapFromSource(model->index(best, 0)).row();
  auto* downloads = m_window->downloads();

  // The detail window's button.
  views::ConnectionDetailDialog* dialog = view->openDetail(proxyRow);
  QVERIFY(dialog);
  m_nextFile = m_dir.filePath("connection-dialog.pcapng");
  int before = downloads->count();
  auto* button = dialog->findChild<QPushButton*>("connectionDetailDownload");
  QVERIFY(button);
  button->click();
  QCOMPARE(downloads->count(), before + 1);
  QCOMPARE(downloads->at(before)->query().params,
           models::CaptureQueries::forConnection(record).params);
  QVERIFY(waitFinished(downloads->at(before)));
  dialog->close();

  // The table's action.
  m_nextFile = m_dir.filePath("connection.pcap");  // classic pcap this time
  before = downloads->count();
  QVERIFY(view->requestPcap(proxyRow));
  QCOMPARE(downloads->count(), before + 1);
  exporting::PcapDownload* d = downloads->at(before);
  QVERIFY(waitFinished(d));
  QCOMPARE(d->progress().state, exporting::DownloadState::Done);

  const QString a = QString::fromStdString(record.clientIp.toString());
  const QString b = QString::fromStdString(record.serverIp.toString());
  const QString filter =
      QString("ip.addr == %1 && ip.addr == %2 && tcp.port == %3 && tcp.port == %4")
          .arg(a, b)
          .arg(record.clientPort)
          .arg(record.serverPort);
  const QStringList expected = packetsOf(tests::capture(kCapture), filter);
  QCOMPARE(quint64(expected.size()), most);
  QCOMPARE(packetsOf(m_dir.filePath("connection.pcap"), {}), expected);
  QCOMPARE(packetsOf(m_dir.filePath("connection-dialog.pcapng"), {}), expected);
  QProcess capinfos;
  capinfos.start("capinfos", {"-t", m_dir.filePath("connection.pcap")});
  QVERIFY(capinfos.waitForFinished(30000));
  const QString info = QString::fromUtf8(capinfos.readAllStandardOutput());
  QVERIFY2(info.contains("File type:") && !info.contains("pcapng"), qPrintable(info));
}

// Pages of 4 KiB: many requests, one file equal to the one-page answer.
void TestPcapDownload::manyPagesEqualOnePage() {
  QVERIFY(!m_hostFile.isEmpty());
  auto* downloads = m_window->downloads();
  downloads->setPageBytes(4096);
  const auto query = models::CaptureQueries::forHost(*net::IpAddress::parse(kHost));
  auto* d = download(query, "host-paged.pcapng");
  downloads->setPageBytes(0);
  QVERIFY(d);
  QCOMPARE(d->progress().state, exporting::DownloadState::Done);
  QVERIFY2(d->pagesReceived() > 10, qPrintable(QString::number(d->pagesReceived())));
  QCOMPARE(packetsOf(m_dir.filePath("host-paged.pcapng"), {}), packetsOf(m_hostFile, {}));
  QFile paged(m_dir.filePath("host-paged.pcapng"));
  QFile whole(m_hostFile);
  QVERIFY(paged.open(QIODevice::ReadOnly) && whole.open(QIODevice::ReadOnly));
  QCOMPARE(paged.readAll(), whole.readAll());
}

// BPF-based queries go through the node's filter compiler, VLAN-tagged frames included.
void TestPcapDownload::dscpAndGroupQueriesEqualTshark() {
  auto query = models::CaptureQueries::forDscp(0);
  query.params["host"] = kHost;
  auto* d = download(query, "dscp0.pcapng");
  QVERIFY(d);
  QVERIFY2(d->progress().state == exporting::DownloadState::Done, qPrintable(d->progress().reason));
  const QStringList dscp = packetsOf(tests::capture(kCapture),
                                     QString("ip.addr == %1 && ip.dsfield.dscp == 0").arg(kHost));
  QVERIFY(!dscp.isEmpty());
  QCOMPARE(packetsOf(m_dir.filePath("dscp0.pcapng"), {}), dscp);

  d = download(models::CaptureQueries::forGroup("demo", {"10.0.0.0/24"}), "group.pcapng");
  QVERIFY(d);
  QVERIFY2(d->progress().state == exporting::DownloadState::Done, qPrintable(d->progress().reason));
  const QStringList group = packetsOf(tests::capture(kCapture), "ip.addr == 10.0.0.0/24");
  QVERIFY(!group.isEmpty());
  QCOMPARE(packetsOf(m_dir.filePath("group.pcapng"), {}), group);
}

// Two nodes that stored the same capture, asked in 4 KiB pages: one pcapng with an interface
// per node, every packet once, in time order — the pages asked for only as the merge needs them.
void TestPcapDownload::twoNodesInSmallPagesMergeOnce() {
  QVERIFY(!m_hostFile.isEmpty());
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
  auto* downloads = m_window->downloads();
  downloads->setPageBytes(4096);
  const QString file = m_dir.filePath("two-nodes.pcapng");
  auto* d = downloads->download(models::CaptureQueries::forHost(*net::IpAddress::parse(kHost)),
                                {m_nodeId, id}, file);
  downloads->setPageBytes(0);
  QVERIFY(waitFinished(d));
  QVERIFY2(d->progress().state == exporting::DownloadState::Done, qPrintable(d->progress().reason));
  const QStringList expected = packetsOf(m_hostFile, {});
  QCOMPARE(d->nodePackets(m_nodeId), quint64(expected.size()));
  QCOMPARE(d->nodePackets(id), quint64(expected.size()));
  QCOMPARE(d->duplicatesDropped(), quint64(expected.size()));
  QVERIFY(d->pagesReceived() > 20);
  QVERIFY2(d->progress().reason.contains("left out"), qPrintable(d->progress().reason));
  QCOMPARE(packetsOf(file, {}), expected);
  QProcess capinfos;
  capinfos.start("capinfos", {"-I", "-o", file});
  QVERIFY(capinfos.waitForFinished(30000));
  const QString info = QString::fromUtf8(capinfos.readAllStandardOutput());
  QVERIFY2(info.contains("Number of interfaces in file: 2") && info.contains("True"),
           qPrintable(info));
  m_nodes->removeNode(id);
}

// A session of the Search tab's results: its context menu's download holds the session's
// packets, both directions, and nothing else.
void TestPcapDownload::searchSessionDownload() {
  views::SearchView* search = m_window->searchView();
  QVERIFY(search->setNodeChecked(m_nodeId, true));
  search->findChild<QLineEdit*>("searchAddresses")->setText(kHost);
  QSignalSpy searched(search, &views::SearchView::searchFinished);
  QVERIFY(search->startSearch());
  QVERIFY(searched.wait(30000));
  auto* proxy = search->sessionProxy();
  proxy->sort(models::SearchSessionModel::Packets, Qt::DescendingOrder);
  QVERIFY(proxy->rowCount() > 1);
  const protocol::SearchSession session =
      search->sessionModel()->row(proxy->mapToSource(proxy->index(0, 0)).row()).session;
  QCOMPARE(session.protocol, std::uint8_t(6));
  m_nextFile = m_dir.filePath("session.pcapng");
  auto* d = search->downloadSession(0);
  QVERIFY(d);
  QCOMPARE(d->nodeIds(), QStringList{m_nodeId});
  QVERIFY(waitFinished(d));
  QVERIFY2(d->progress().state == exporting::DownloadState::Done, qPrintable(d->progress().reason));
  const QString filter =
      QString("ip.addr == %1 && ip.addr == %2 && tcp.port == %3 && tcp.port == %4")
          .arg(QString::fromStdString(session.a.toString()),
               QString::fromStdString(session.b.toString()))
          .arg(session.aPort)
          .arg(session.bPort);
  const QStringList expected = packetsOf(tests::capture(kCapture), filter);
  QCOMPARE(quint64(expected.size()), session.packets);
  QCOMPARE(packetsOf(m_nextFile, {}), expected);
}

// Stop (the Captures row's button) after the first page: the file is complete and readable,
// holds what arrived, and the row says "stopped: N packets kept".
void TestPcapDownload::stopKeepsWhatArrived() {
  auto* downloads = m_window->downloads();
  views::CapturesView* captures = m_window->capturesView();
  m_window->tabs()->setCurrentWidget(captures);
  downloads->setPageBytes(4096);
  const QString file = m_dir.filePath("stopped.pcapng");
  auto* d = downloads->download(models::CaptureQueries::forHost(*net::IpAddress::parse(kHost)),
                                {m_nodeId}, file);
  downloads->setPageBytes(0);
  QVERIFY(d);
  const int row = downloads->indexOf(d);
  QTableView* table = captures->table();
  const QModelIndex stopCell = captures->model()->index(row, models::DownloadTableModel::Action);
  QCOMPARE(stopCell.data().toString(), QString("Stop"));
  bool clicked = false;
  connect(d, &exporting::PcapDownload::progressChanged, this, [&] {
    if (clicked || d->pagesReceived() < 1) return;
    clicked = true;
    table->scrollTo(stopCell);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(stopCell).center());
  });
  QVERIFY(waitFinished(d));
  QVERIFY(clicked);
  QCOMPARE(d->progress().state, exporting::DownloadState::Stopped);
  const quint64 kept = d->progress().packets;
  QVERIFY(kept > 0);
  QVERIFY2(d->progress().reason == QString("stopped: %1 packet(s) kept").arg(kept),
           qPrintable(d->progress().reason));
  QCOMPARE(stopCell.data().toString(), QString());  // no Stop button any more
  QVERIFY(QFile::exists(file));
  QVERIFY(!QFile::exists(file + ".part"));
  const QStringList got = packetsOf(file, {});
  QCOMPARE(quint64(got.size()), kept);
  const QStringList all = packetsOf(m_hostFile, {});
  QVERIFY(quint64(all.size()) > kept);
  QCOMPARE(got, all.mid(0, got.size()));  // the first packets, in order
  QCOMPARE(captures->model()->index(row, models::DownloadTableModel::State).data().toString(),
           d->progress().reason);
  // NETLENS_SCREENSHOT=FILE.png keeps a picture of the Captures tab (for a look by eye).
  if (const QString shot = qEnvironmentVariable("NETLENS_SCREENSHOT"); !shot.isEmpty()) {
    m_window->resize(1500, 700);
    QVERIFY(m_window->grab().save(shot));
  }
  // Clear finished forgets the ended rows; the files stay.
  downloads->removeFinished();
  QCOMPARE(downloads->count(), 0);
  QCOMPARE(captures->model()->rowCount(), 0);
  QVERIFY(QFile::exists(file));
}

// A node's refusal fails the download with the node's reason and leaves no file.
void TestPcapDownload::failureSaysWhy() {
  models::CaptureQuery bad{"bad", "bad", {{"bpf", "this is not bpf"}}};
  const QString file = m_dir.filePath("bad.pcapng");
  auto* d = download(bad, "bad.pcapng");
  QVERIFY(d);
  QCOMPARE(d->progress().state, exporting::DownloadState::Failed);
  QVERIFY2(d->progress().reason.contains("no file written"), qPrintable(d->progress().reason));
  QVERIFY(!QFile::exists(file));
  QVERIFY(!QFile::exists(file + ".part"));
}

QTEST_MAIN(TestPcapDownload)
#include "tst_pcap_download.moc"
