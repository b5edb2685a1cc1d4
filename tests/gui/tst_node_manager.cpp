// SPDX-License-Identifier: MIT
// NodeManager over real sockets: every node has its own named I/O thread, so a node that
// hangs in the middle of a request delays neither the other nodes nor the GUI thread, and a
// hung node can be removed, or the manager destroyed, without waiting for its timeouts.
//
// Two kinds of hung node run in this process: a TCP server that accepts and never says a
// word (the ZeroMQ handshake never completes), and a CURVE node that answers "hello", then
// holds the snapshot request — the one with the longest timeout — and never replies. The
// working node is a real netlens-node serving a capture.

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineSeries>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTreeWidget>
#include <QUrl>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include <zmq.hpp>

#include "app/core/connection_poller.h"
#include "app/core/node_manager.h"
#include "app/models/connection_table_model.h"
#include "app/models/host_table_model.h"
#include "app/models/summary_table_model.h"
#include "app/views/connections_view.h"
#include "app/views/group_detail_view.h"
#include "app/views/groups_view.h"
#include "app/views/history_chart.h"
#include "app/views/ip_detail_pages.h"
#include "app/views/nodes_panel.h"
#include "shared/protocol/codec.h"
#include "shared/transport/keys.h"
#include "shared/transport/server_socket.h"

using namespace netlens;
using namespace netlens::app;

namespace {

QString connectionString(std::uint16_t port, const std::string& serverKey) {
  return QStringLiteral("netlens://127.0.0.1:%1?key=%2")
      .arg(port)
      .arg(QString::fromStdString(serverKey));
}

/// A node that hangs: a CURVE ROUTER (no ZAP handler in its context, so any client key is
/// let in) that answers "hello" and then holds every "hosts" request, never replying.
/// Thread: constructed and destroyed on the test thread; serves on its own thread.
class StalledNode {
 public:
  StalledNode() : m_keys(*transport::generateKeyPair()) {
    m_router.set(zmq::sockopt::linger, 0);
    m_router.set(zmq::sockopt::curve_server, 1);
    m_router.set(zmq::sockopt::curve_secretkey, m_keys.secretKey);
    auto port = transport::bindTcp(m_router, "127.0.0.1", 0);
    if (port) m_port = *port;
    m_thread = std::thread([this] { serve(); });
  }
  ~StalledNode() {
    m_stop = true;
    m_thread.join();
  }
  StalledNode(const StalledNode&) = delete;
  StalledNode& operator=(const StalledNode&) = delete;

  std::uint16_t port() const { return m_port; }
  QString connectionString() const { return ::connectionString(m_port, m_keys.publicKey); }
  /// Snapshot requests received and deliberately left unanswered.
  int heldRequests() const { return m_held; }

 private:
  void serve() {
    while (!m_stop) {
      zmq::pollitem_t items[] = {{m_router.handle(), 0, ZMQ_POLLIN, 0}};
      zmq::poll(items, 1, std::chrono::milliseconds(20));
      while (auto in = transport::receiveRequest(m_router)) {
        auto request = protocol::decodeRequest(in->envelope);
        if (!request) continue;
        if (request->operation == "hello") {
          protocol::Hello hello;
          hello.nodeName = "stalled";
          hello.version = "test";
          hello.role = "viewer";
          hello.publisherPort = 1;  // nothing listens there: no updates, which is fine
          transport::sendReply(
              m_router, in->routingId,
              protocol::encodeReply(protocol::makeReply(*request, protocol::encodeBody(hello))));
        } else if (request->operation == "hosts") {
          ++m_held;
        }
      }
    }
  }

  transport::KeyPair m_keys;
  zmq::context_t m_context;
  zmq::socket_t m_router{m_context, zmq::socket_type::router};
  std::uint16_t m_port = 0;
  std::atomic<bool> m_stop{false};
  std::atomic<int> m_held{0};
  std::thread m_thread;
};

/// Runs a netlens-node command to its end; true when it succeeded, with its standard
/// output in `output` (if given).
bool runNodeCommand(const QStringList& arguments, QString* output = nullptr) {
  QProcess process;
  process.start(QStringLiteral(NETLENS_NODE_BINARY), arguments);
  if (!process.waitForFinished(30'000) || process.exitStatus() != QProcess::NormalExit ||
      process.exitCode() != 0) {
    qWarning("netlens-node %s failed: %s", qPrintable(arguments.join(' ')),
             process.readAllStandardError().constData());
    process.kill();
    process.waitForFinished();
    return false;
  }
  if (output) *output = QString::fromUtf8(process.readAllStandardOutput()).trimmed();
  return true;
}

/// A real netlens-node serving a capture on an ephemeral loopback port, for one console key.
/// Thread: test thread; terminates the process on destruction.
class RealNode {
 public:
  ~RealNode() {
    if (m_process.state() == QProcess::NotRunning) return;
    m_process.terminate();
    if (!m_process.waitForFinished(10'000)) m_process.kill();
    m_process.waitForFinished();
  }

  /// Authorises `consoleKey` with `role` and starts serving `capture`.
  bool start(const QString& stateDir, const QString& capture, const QString& consoleKey,
             const QString& role = "viewer", const QStringList& extra = {}) {
    m_stateDir = stateDir;
    // "--" first: a Z85 key may start with '-'.
    if (!runNodeCommand({"authorize", "--role", role, "--state", stateDir, "--", consoleKey}))
      return false;
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.start(QStringLiteral(NETLENS_NODE_BINARY),
                    QStringList{"run", "-r", capture, "--state", stateDir, "--listen",
                                "127.0.0.1:0", "--name", "working"} +
                        extra);
    return m_process.waitForStarted();
  }

  /// The connection string, once the node is listening (it then writes STATE/listen); an
  /// empty string before.
  QString connectionString() const {
    if (!QFile::exists(m_stateDir + "/listen")) return {};
    QString text;
    if (!runNodeCommand({"connection-string", "--state", m_stateDir, "--host", "127.0.0.1"}, &text))
      return {};
    return text.startsWith("netlens://") ? text : QString();
  }

 private:
  QString m_stateDir;
  QProcess m_process;
};

}  // namespace

class TestNodeManager : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName("NetlensTest");
    QCoreApplication::setApplicationName("netlens-node-manager-test");
    auto keys = transport::generateKeyPair();
    QVERIFY(keys.ok());
    m_keys = *keys;
  }

  void hungNodesDelayNoOtherNode() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    RealNode working;
    QVERIFY(working.start(dir.path(), NETLENS_SHARED_DATA "/pcaps/dhcp_dora.pcap",
                          QString::fromStdString(m_keys.publicKey)));
    QString workingUrl;
    QTRY_VERIFY_WITH_TIMEOUT(!(workingUrl = working.connectionString()).isEmpty(), 30'000);

    // Accepts TCP connections and never answers.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    StalledNode stalled;
    QVERIFY(stalled.port() != 0);

    auto nodes = std::make_unique<core::NodeManager>(m_keys);
    models::HostTableModel model;
    connect(nodes.get(), &core::NodeManager::snapshotReceived, &model,
            &models::HostTableModel::applySnapshot);
    connect(nodes.get(), &core::NodeManager::deltaReceived, &model,
            &models::HostTableModel::applyDelta);
    connect(nodes.get(), &core::NodeManager::nodeChanged, &model,
            [&](const QString& id) { model.setNodeName(id, nodes->node(id)->name); });

    QString error;
    const QString silentId = nodes->addNode(
        connectionString(silent.serverPort(), transport::generateKeyPair()->publicKey), false,
        &error);
    QVERIFY2(!silentId.isEmpty(), qPrintable(error));
    const QString stalledId = nodes->addNode(stalled.connectionString(), false, &error);
    QVERIFY2(!stalledId.isEmpty(), qPrintable(error));
    // The stalled node's client now sits in its snapshot request (15 s timeout).
    QTRY_COMPARE_WITH_TIMEOUT(stalled.heldRequests(), 1, 30'000);
    QTRY_VERIFY_WITH_TIMEOUT(silent.hasPendingConnections(), 30'000);

    const QString workingId = nodes->addNode(workingUrl, false, &error);
    QVERIFY2(!workingId.isEmpty(), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() > 0, 60'000);
    // ... while the stalled node still hangs: its request is unanswered and its client has
    // not given up on it (a timeout would have made it Unreachable).
    QCOMPARE(nodes->node(stalledId)->state, core::NodeState::Connecting);
    QCOMPARE(stalled.heldRequests(), 1);
    QCOMPARE(model.index(0, models::HostTableModel::Nodes).data().toString(), QString("working"));
    QVERIFY(nodes->node(silentId)->state != core::NodeState::Connected);

    // One named I/O thread per node, none of them the GUI thread.
    QStringList names;
    QList<QPointer<QThread>> threads;
    for (QThread* thread : nodes->findChildren<QThread*>()) {
      QVERIFY(thread != QThread::currentThread());
      QVERIFY(thread->isRunning());
      names << thread->objectName();
      threads << thread;
    }
    names.sort();
    QStringList expected;
    for (int port : {int(silent.serverPort()), int(stalled.port()), QUrl(workingUrl).port()})
      expected << QStringLiteral("netlens-io-127.0.0.1:%1").arg(port);
    expected.sort();
    QCOMPARE(names, expected);

    // Closing while a request is still held: the manager does not sit out its timeout, and
    // every thread has ended and been deleted, none left running.
    QCOMPARE(nodes->node(stalledId)->state, core::NodeState::Connecting);
    QElapsedTimer timer;
    timer.start();
    nodes.reset();
    qInfo("NodeManager destroyed in %lld ms with a snapshot request pending", timer.elapsed());
    for (const auto& thread : threads) QVERIFY(thread.isNull());
  }

  void connectionsFromARealNode() {
    const QString capture = NETLENS_SHARED_DATA "/pcaps/mixed_http_dns_dhcp_tls_retrans.pcap";
    // What the node will serve: the offline analysis gives the same connection table.
    QString json;
    QVERIFY(runNodeCommand({"analyze", "-r", capture, "--json", "connections"}, &json));
    const QJsonArray expected =
        QJsonDocument::fromJson(json.toUtf8()).object().value("connections").toArray();
    QVERIFY(expected.size() > 10);
    const QString ip = "192.168.2.126";
    int expectedOfIp = 0;
    for (const auto& value : expected) {
      const QJsonObject c = value.toObject();
      if (c.value("client_ip").toString() == ip || c.value("server_ip").toString() == ip)
        ++expectedOfIp;
    }
    QVERIFY(expectedOfIp > 0 && expectedOfIp < expected.size());

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    RealNode node;
    QVERIFY(node.start(dir.path(), capture, QString::fromStdString(m_keys.publicKey)));
    QString url;
    QTRY_VERIFY_WITH_TIMEOUT(!(url = node.connectionString()).isEmpty(), 30'000);

    core::NodeManager nodes(m_keys);
    models::ConnectionTableModel all;
    models::ConnectionTableModel ofIp;
    core::ConnectionPoller pollAll(&nodes);
    core::ConnectionPoller pollIp(&nodes, core::ConnectionScope::address(ip));
    pollAll.setIntervalMs(300);
    pollIp.setIntervalMs(300);
    QThread* const guiThread = QThread::currentThread();
    bool onGuiThread = true;
    connect(&pollAll, &core::ConnectionPoller::connectionsReceived, &all,
            [&](const QString& id, const protocol::ConnectionList& list) {
              onGuiThread = onGuiThread && QThread::currentThread() == guiThread;
              all.applyConnections(id, list);
            });
    connect(&pollIp, &core::ConnectionPoller::connectionsReceived, &ofIp,
            &models::ConnectionTableModel::applyConnections);
    pollAll.setActive(true);
    pollIp.setActive(true);
    QString error;
    const QString id = nodes.addNode(url, false, &error);
    QVERIFY2(!id.isEmpty(), qPrintable(error));
    // The file is read at full speed; the table settles at the analysis's figures.
    QTRY_COMPARE_WITH_TIMEOUT(all.rowCount(), int(expected.size()), 60'000);
    QTRY_COMPARE_WITH_TIMEOUT(ofIp.rowCount(), expectedOfIp, 30'000);
    QVERIFY(onGuiThread);
    for (int row = 0; row < ofIp.rowCount(); ++row) {
      const auto& r = ofIp.record(row);
      QVERIFY(r.clientIp.toString() == ip.toStdString() ||
              r.serverIp.toString() == ip.toStdString());
      QCOMPARE(ofIp.nodeIdOf(row), id);
    }
    // Stopped pollers ask no more; the table keeps what it has.
    pollAll.setActive(false);
    pollIp.setActive(false);
    QTest::qWait(700);
    QCOMPARE(all.rowCount(), int(expected.size()));
  }

  // The IP groups tab against real nodes: a viewer sees the groups but may not change them;
  // an admin's edit reaches the node, whose figures and member lists come back. Then the
  // global history chart of both.
  void groupsAndHistoryWithRealNodes() {
    const QString capture = NETLENS_SHARED_DATA "/pcaps/dhcp_dora.pcap";
    QTemporaryDir viewerDir;
    QTemporaryDir adminDir;
    QVERIFY(viewerDir.isValid() && adminDir.isValid());
    QFile groups(viewerDir.filePath("groups.txt"));
    QVERIFY(groups.open(QIODevice::WriteOnly));
    groups.write("campus 128.2.0.0/16\n");
    groups.close();
    RealNode viewer;
    QVERIFY(viewer.start(viewerDir.path(), capture, QString::fromStdString(m_keys.publicKey),
                         "viewer", {"--groups", groups.fileName()}));
    RealNode admin;
    QVERIFY(
        admin.start(adminDir.path(), capture, QString::fromStdString(m_keys.publicKey), "admin"));
    QString viewerUrl;
    QString adminUrl;
    QTRY_VERIFY_WITH_TIMEOUT(!(viewerUrl = viewer.connectionString()).isEmpty(), 30'000);
    QTRY_VERIFY_WITH_TIMEOUT(!(adminUrl = admin.connectionString()).isEmpty(), 30'000);

    core::NodeManager nodes(m_keys);
    views::GroupsView view(&nodes);
    QAbstractItemModelTester tester(view.model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester memberTester(view.membersModel(),
                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    QString error;
    const QString viewerId = nodes.addNode(viewerUrl, false, &error);
    QVERIFY2(!viewerId.isEmpty(), qPrintable(error));
    view.show();
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 1, 30'000);
    QCOMPARE(view.model()->index(0, 0).data().toString(), QString("campus"));
    QCOMPARE(view.model()->index(0, 1).data().toString(), QString("128.2.0.0/16"));
    QVERIFY(view.model()->index(0, 3).data(models::SummaryTableModel::RawRole).toULongLong() > 0);
    // A viewer may not change groups: the button is off and says why; nothing is sent.
    QVERIFY(!view.configureButton()->isEnabled());
    QVERIFY(view.statusLabel()->text().contains("admin"));
    QCOMPARE(view.sendDefinitions({{"lab", {"10.0.0.0/8"}}}), 0);
    // The members of the selected group, from the node.
    view.selectGroup("campus");
    QTRY_VERIFY_WITH_TIMEOUT(view.membersModel()->rowCount() > 0, 30'000);
    QVERIFY(view.membersModel()->index(0, 0).data().toString().startsWith("128.2."));

    // An admin node: the edit applies there at once.
    const QString adminId = nodes.addNode(adminUrl, false, &error);
    QVERIFY2(!adminId.isEmpty(), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(view.configureButton()->isEnabled(), 30'000);
    QCOMPARE(view.sendDefinitions({{"servers", {"128.2.6.0/24"}}}), 1);
    QTRY_VERIFY_WITH_TIMEOUT(view.statusLabel()->text().contains("applied on 1 node"), 30'000);
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 2, 30'000);
    const auto defs = view.definitions();
    QCOMPARE(defs.size(), std::size_t(2));

    // The detail page of a group: its members, its connections (group=campus) and the
    // derived tabs as `analyze --json group` has them, its history; the node without the
    // group is named under the header.
    QString groupJson;
    QVERIFY(runNodeCommand(
        {"analyze", "-r", capture, "--groups", groups.fileName(), "--json", "group", "campus"},
        &groupJson));
    const QJsonObject expected =
        QJsonDocument::fromJson(groupJson.toUtf8()).object().value("group").toObject();
    views::GroupDetailView detail(&nodes, "campus");
    QAbstractItemModelTester detailMembers(detail.membersModel(),
                                           QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester detailPeers(detail.pages()->model("peers"),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    detail.resize(1200, 800);
    detail.show();
    QTRY_COMPARE_WITH_TIMEOUT(detail.membersModel()->rowCount(),
                              int(expected.value("members").toArray().size()), 30'000);
    QVERIFY(detail.subtitle()->text().contains("128.2.0.0/16"));
    QTRY_VERIFY_WITH_TIMEOUT(detail.subtitle()->text().contains("no group named"), 30'000);
    QTRY_COMPARE_WITH_TIMEOUT(detail.connectionsView()->model()->rowCount(),
                              int(expected.value("connections").toArray().size()), 30'000);
    QTRY_COMPARE_WITH_TIMEOUT(detail.pages()->model("peers")->rowCount(),
                              int(expected.value("peers").toArray().size()), 30'000);
    QCOMPARE(detail.pages()->model("protocols")->rowCount(),
             int(expected.value("protocols").toArray().size()));
    for (const QString& tab : views::GroupDetailView::tabNames())
      QVERIFY2(detail.showTab(tab), qPrintable(tab));
    QVERIFY(detail.showTab("history"));
    QTRY_VERIFY_WITH_TIMEOUT(detail.history()->lineSeries(0, 0)->count() > 0, 30'000);
    double groupTotal = 0;
    for (int i = 0; i < detail.history()->lineSeries(0, 0)->count(); ++i)
      groupTotal += detail.history()->lineSeries(0, 0)->at(i).y();
    QVERIFY(groupTotal > 0);

    // The global history of both nodes: the chart asks with "history" and adds them up.
    views::HistoryChart history(&nodes, "global",
                                {{"Traffic", "packets/s", {{"packets", "packets", 1}}}});
    history.show();
    QTRY_VERIFY_WITH_TIMEOUT(history.lineSeries(0, 0)->count() > 0, 30'000);
    double total = 0;
    for (int i = 0; i < history.lineSeries(0, 0)->count(); ++i)
      total += history.lineSeries(0, 0)->at(i).y();
    QVERIFY(total > 0);
  }

  // A node started without some analyses says so in its hello; the node list shows it.
  void nodeListSaysWhatIsNotAnalysed() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    RealNode node;
    QVERIFY(node.start(dir.path(), NETLENS_SHARED_DATA "/pcaps/dhcp_dora.pcap",
                       QString::fromStdString(m_keys.publicKey), "viewer",
                       {"--disable-analysis", "qos", "--disable-analysis", "tls-details,layer7"}));
    QString url;
    QTRY_VERIFY_WITH_TIMEOUT(!(url = node.connectionString()).isEmpty(), 30'000);
    core::NodeManager nodes(m_keys);
    views::NodesPanel panel(&nodes);
    QString error;
    const QString id = nodes.addNode(url, false, &error);
    QVERIFY2(!id.isEmpty(), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(nodes.node(id)->state, core::NodeState::Connected, 30'000);
    // In the order of the switches, not of the options.
    QCOMPARE(nodes.node(id)->analysesOff, QStringList({"layer7", "qos", "tls-details"}));
    QTreeWidgetItem* item = panel.tree()->topLevelItem(0);
    QVERIFY(item);
    QVERIFY2(item->text(views::NodesPanel::Details)
                 .endsWith("; Not analysed: layer-7 protocols, QoS, TLS details"),
             qPrintable(item->text(views::NodesPanel::Details)));
  }

  void removingAHungNodeReturnsAtOnce() {
    StalledNode stalled;
    QVERIFY(stalled.port() != 0);
    core::NodeManager nodes(m_keys);
    QString error;
    const QString id = nodes.addNode(stalled.connectionString(), false, &error);
    QVERIFY2(!id.isEmpty(), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(stalled.heldRequests(), 1, 30'000);
    const auto threads = nodes.findChildren<QThread*>();
    QCOMPARE(threads.size(), 1);
    QPointer<QThread> thread = threads.first();

    QSignalSpy removed(&nodes, &core::NodeManager::nodeRemoved);
    nodes.removeNode(id);
    QCOMPARE(removed.size(), 1);
    QVERIFY(!nodes.node(id));
    QVERIFY(nodes.isEmpty());
    // Its context is shut down, which ends the held request: the thread winds down in the
    // background and is deleted.
    QElapsedTimer timer;
    timer.start();
    QTRY_VERIFY_WITH_TIMEOUT(thread.isNull(), 30'000);
    qInfo("the removed node's thread was gone after %lld ms", timer.elapsed());
    QCOMPARE(stalled.heldRequests(), 1);
  }

 private:
  transport::KeyPair m_keys;
};

QTEST_MAIN(TestNodeManager)
#include "tst_node_manager.moc"
