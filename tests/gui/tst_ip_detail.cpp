// SPDX-License-Identifier: MIT
// The IP detail page, offscreen: a double-click in the IP table opens it for that row's
// address in place of the tabs; its header and Overview show the address's figures from
// every node; the chart is built from per-second deltas (counter differences over packet
// time, silence as zero, seconds of several nodes added up, at most 600 kept); every tab
// can be visited; the tabs derived from the address's connections (protocols, peers, open
// ports, handshake chart, HTTP and TLS server, QoS) follow the Connections tab's rows, and
// activating a protocol or QoS class filters that tab; Back returns to the tables and drops
// the page with its samples.

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QMenu>
#include <QPieSeries>
#include <QPointer>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolTip>
#include <algorithm>

#include "app/core/connection_poller.h"
#include "app/core/console_identity.h"
#include "app/core/node_manager.h"
#include "app/models/connection_filter_proxy.h"
#include "app/models/connection_table_model.h"
#include "app/models/host_filter_proxy.h"
#include "app/models/host_table_model.h"
#include "app/views/capture_menu.h"
#include "app/views/connection_detail_dialog.h"
#include "app/views/connections_view.h"
#include "app/views/group_detail_view.h"
#include "app/views/history_chart.h"
#include "app/views/ip_detail_pages.h"
#include "app/views/ip_detail_view.h"
#include "app/views/main_window.h"
#include "app/views/new_connections_chart.h"
#include "app/views/user_guide.h"

using namespace netlens;
using namespace netlens::app;
using protocol::HostRecord;
using protocol::HostsDelta;
using protocol::HostsSnapshot;

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kT0 = 1'700'000'000 * kSecond;

HostRecord host(const char* address, std::uint64_t txPackets, std::uint64_t txBytes,
                std::uint64_t rxPackets, std::uint64_t rxBytes) {
  HostRecord r;
  r.ip = *net::IpAddress::parse(address);
  r.txPackets = txPackets;
  r.txBytes = txBytes;
  r.rxPackets = rxPackets;
  r.rxBytes = rxBytes;
  r.firstSeen = kT0;
  r.firstRecent = kT0;
  r.lastSeen = kT0 + kSecond;
  r.macs = {*net::MacAddress::parse("00:11:22:33:44:55")};
  r.vlans = {10};
  return r;
}

HostsDelta delta(std::uint64_t sequence, std::int64_t packetTime, std::vector<HostRecord> changed) {
  HostsDelta d;
  d.sequence = sequence;
  d.packetTime = packetTime;
  d.changed = std::move(changed);
  return d;
}

}  // namespace

class TestIpDetail : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("NetlensTest");
    QCoreApplication::setApplicationName("netlens-ip-detail-test");
    QSettings().clear();
    QVERIFY(m_dir.isValid());
    m_identity = std::make_unique<core::ConsoleIdentity>(m_dir.filePath("console.key"));
    QString error;
    QVERIFY2(m_identity->load(&error), qPrintable(error));
    m_nodes = std::make_unique<core::NodeManager>(m_identity->keyPair());
  }

  void cleanupTestCase() {
    m_nodes.reset();
    QSettings().clear();
  }

  void connectionsTabPollsOnlyWhileVisible() {
    views::MainWindow window(m_nodes.get(), m_identity.get());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.tabs()->count(), 7);
    QCOMPARE(window.tabs()->tabText(5), QString("VoIP"));
    QCOMPARE(window.tabs()->tabText(6), QString("Captures"));
    QCOMPARE(window.tabs()->tabText(2), QString("IP groups"));
    QCOMPARE(window.tabs()->tabText(3), QString("Global history"));
    QCOMPARE(window.tabs()->tabText(4), QString("Search"));
    QCOMPARE(window.tabs()->tabText(1), QString("Connections"));
    QVERIFY(!window.connectionsView()->poller()->isActive());
    window.tabs()->setCurrentWidget(window.connectionsView());
    QVERIFY(window.connectionsView()->poller()->isActive());
    QVERIFY(window.connectionsView()->poller()->ip().isEmpty());
    window.tabs()->setCurrentIndex(0);
    QVERIFY(!window.connectionsView()->poller()->isActive());
  }

  // A connection's detail window charts its history, asked of its own node only, by the
  // parameters that name the connection; without a node to ask there is no chart.
  void connectionDetailChartsHistory() {
    protocol::ConnectionRecord r;
    r.protocol = 6;
    r.clientIp = *net::IpAddress::parse("10.0.0.1");
    r.clientPort = 51000;
    r.serverIp = *net::IpAddress::parse("192.0.2.10");
    r.serverPort = 443;
    views::ConnectionDetailDialog plain(r, "n1");
    QVERIFY(plain.chart() == nullptr);
    views::ConnectionDetailDialog dialog(r, "node one", nullptr, m_nodes.get(), "n1");
    QVERIFY(dialog.chart() != nullptr);
    const protocol::Params expected{{"series", "connection"}, {"proto", "6"},
                                    {"client", "10.0.0.1"},   {"client_port", "51000"},
                                    {"server", "192.0.2.10"}, {"server_port", "443"}};
    QCOMPARE(views::ConnectionDetailDialog::historyParams(r), expected);
    protocol::HistoryReply reply;
    reply.series = "connection";
    reply.resolutionNs = kSecond;
    reply.names = {"c2s_packets", "c2s_bytes", "s2c_packets", "s2c_bytes"};
    reply.buckets = {{kT0, {2, 200, 3, 3000}}, {kT0 + kSecond, {1, 100, 4, 4000}}};
    reply.packetTime = kT0 + kSecond;
    dialog.chart()->applyHistory("n1", reply);
    QLineSeries* serverBits = dialog.chart()->lineSeries(0, 1);
    QCOMPARE(serverBits->count(), 2);
    QVERIFY(serverBits->at(1).y() > serverBits->at(0).y());
    QCOMPARE(dialog.chart()->lineSeries(1, 0)->at(0).y(), 2.0);  // client packets/s
  }

  void opensDetailAndVisitsEveryTab() {
    views::MainWindow window(m_nodes.get(), m_identity.get());
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    models::HostTableModel* model = window.hostModel();
    model->applySnapshot(
        "n1", HostsSnapshot{
                  1, {host("10.0.0.1", 10, 1'000, 20, 2'000), host("10.0.0.2", 5, 500, 5, 500)}});
    model->applySnapshot("n2", HostsSnapshot{1, {host("10.0.0.2", 100, 10'000, 0, 0)}});
    window.hostView()->sortByColumn(models::HostTableModel::Address, Qt::AscendingOrder);
    QCOMPARE(window.hostProxy()->rowCount(), 2);

    // Double-click the second row's address cell.
    QTableView* table = window.hostView();
    const QRect cell = table->visualRect(window.hostProxy()->index(1, 0));
    // The view opens on a double-click of the item it was pressed on: press first, as a
    // user's first click does.
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    views::IpDetailView* detail = window.ipDetail();
    QVERIFY(detail);
    QCOMPARE(QString::fromStdString(detail->address().toString()), QString("10.0.0.2"));
    auto* stack = window.findChild<QStackedWidget*>();
    QVERIFY(stack);
    QCOMPARE(stack->currentWidget(), detail);
    QVERIFY(detail->isVisible());
    QCOMPARE(detail->findChild<QLabel*>("ipDetailTitle")->text(), QString("10.0.0.2"));
    // Both nodes' records are added up: 105 packets sent.
    QCOMPARE(detail->findChild<QLabel*>("field_txPackets")->text(), QString("105"));
    QCOMPARE(detail->findChild<QLabel*>("field_macs")->text(), QString("00:11:22:33:44:55"));
    QVERIFY(detail->findChild<QLabel*>("ipDetailSubtitle")->text().contains("105"));

    // Every tab can be shown. The Connections tab asks for this address only; it keeps
    // asking while another tab shows, since the derived tabs are built from its rows.
    QTabWidget* tabs = detail->tabs();
    QStringList titles;
    for (int i = 0; i < tabs->count(); ++i) {
      tabs->setCurrentIndex(i);
      QVERIFY(tabs->currentWidget()->isVisible());
      titles << tabs->tabText(i);
    }
    QCOMPARE(titles, (QStringList{"Overview", "History", "Connections", "Protocols", "Peers",
                                  "Open TCP ports", "TCP statistics", "HTTP server", "TLS server",
                                  "TLS infos", "Layer 3 QoS", "Layer 2 QoS", "SIP statistics",
                                  "RTP statistics"}));
    core::ConnectionPoller* poller = detail->connectionsView()->poller();
    QCOMPARE(poller->ip(), QString("10.0.0.2"));
    QVERIFY(poller->isActive());
    tabs->setCurrentIndex(0);
    QVERIFY(poller->isActive());
    QVERIFY(detail->packetChart()->isVisible());
    QVERIFY(!window.connectionsView()->poller()->isActive());

    // Deltas of n1: 10 packets (1 000 bytes) sent and 4 received per second; a second in
    // which the address is not listed is a silent second.
    detail->applyDelta("n1", delta(2, kT0 + 2 * kSecond, {host("10.0.0.2", 15, 1'500, 5, 500)}));
    QCOMPARE(detail->samples().size(), std::size_t(0));  // the first delta only sets a base
    detail->applyDelta("n1", delta(3, kT0 + 3 * kSecond, {host("10.0.0.2", 25, 2'500, 9, 900)}));
    detail->applyDelta("n1", delta(4, kT0 + 4 * kSecond, {host("10.0.0.1", 99, 1, 1, 1)}));
    QCOMPARE(detail->samples().size(), std::size_t(2));
    QCOMPARE(detail->samples()[0].second, kT0 / kSecond + 3);
    QCOMPARE(detail->samples()[0].txPackets, 10.0);
    QCOMPARE(detail->samples()[0].rxPackets, 4.0);
    QCOMPARE(detail->samples()[0].txBits, 8000.0);
    QCOMPARE(detail->samples()[1].txPackets, 0.0);
    // Packet times near a second's boundary count for the nearest second: 5.98 s is 6 s,
    // 7.01 s is 7 s (one sample each, not two in second 5 and none in 6).
    detail->applyDelta("n1", delta(5, kT0 + 5'980'000'000, {host("10.0.0.2", 25, 2'500, 9, 900)}));
    detail->applyDelta("n1", delta(6, kT0 + 7'010'000'000, {host("10.0.0.2", 25, 2'500, 9, 900)}));
    QCOMPARE(detail->samples().size(), std::size_t(4));
    QCOMPARE(detail->samples()[2].second, kT0 / kSecond + 6);
    QCOMPARE(detail->samples()[3].second, kT0 / kSecond + 7);
    // n2 in the same seconds: its rates are added to n1's.
    detail->applyDelta("n2", delta(2, kT0 + 2 * kSecond, {host("10.0.0.2", 100, 10'000, 0, 0)}));
    detail->applyDelta("n2", delta(3, kT0 + 3 * kSecond, {host("10.0.0.2", 150, 15'000, 0, 0)}));
    QCOMPARE(detail->samples().size(), std::size_t(4));
    QCOMPARE(detail->samples()[0].txPackets, 60.0);
    // The figures follow the deltas: n1's 25 and n2's 150 packets sent.
    QCOMPARE(detail->findChild<QLabel*>("field_txPackets")->text(), QString("175"));
    // The chart shows the samples: sent and received series, one point per second.
    auto series = detail->packetChart()->chart()->series();
    QCOMPARE(series.size(), 2);
    auto* sent = qobject_cast<QLineSeries*>(series[0]);
    QVERIFY(sent);
    QCOMPARE(sent->count(), 4);
    QCOMPARE(sent->at(0).y(), 60.0);
    QCOMPARE(qobject_cast<QLineSeries*>(detail->bitChart()->chart()->series()[0])->count(), 4);

    // The ring keeps the last 600 seconds.
    for (int i = 0; i < 700; ++i) {
      detail->applyDelta("n1", delta(7 + i, kT0 + (8 + i) * kSecond,
                                     {host("10.0.0.2", 25 + 2 * (i + 1), 2'500, 9, 900)}));
    }
    QCOMPARE(detail->samples().size(), std::size_t(views::IpDetailView::kMaxSamples));
    QCOMPARE(detail->samples().back().second, kT0 / kSecond + 707);
    QCOMPARE(detail->samples().back().txPackets, 2.0);
    QCOMPARE(sent->count(), views::IpDetailView::kMaxSamples);

    // Back: the tables again, and the page is gone.
    QTest::mouseClick(detail->findChild<QPushButton*>("ipDetailBack"), Qt::LeftButton);
    QVERIFY(!window.ipDetail());
    QCOMPARE(stack->currentWidget(), window.tabs());
    QPointer<views::IpDetailView> gone(detail);
    QTRY_VERIFY(gone.isNull());
    QVERIFY(window.hostView()->isVisible());
  }

  // The derived tabs from connection records as a node answers them: one TLS connection to
  // a peer, two HTTP connections it served (one with DSCP EF and VLAN PCP 5), a refused one.
  void derivedTabsFollowConnections() {
    views::IpDetailView detail(nullptr, nullptr, *net::IpAddress::parse("10.0.0.2"));
    detail.resize(1200, 800);
    detail.show();
    QVERIFY(QTest::qWaitForWindowExposed(&detail));
    views::IpDetailPages* pages = detail.pages();
    QVERIFY(pages);
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
    for (const char* name : {"protocols", "peers", "ports", "httpHosts", "tlsServerNames",
                             "tlsVersions", "tlsCiphers", "qosL3", "qosL2"}) {
      QVERIFY2(pages->model(name), name);
      testers.push_back(std::make_unique<QAbstractItemModelTester>(
          pages->model(name), QAbstractItemModelTester::FailureReportingMode::QtTest));
    }
    const auto connection = [](const char* client, std::uint16_t cport, const char* server,
                               std::uint16_t sport, const char* app) {
      protocol::ConnectionRecord c;
      c.protocol = 6;
      c.clientIp = *net::IpAddress::parse(client);
      c.clientPort = cport;
      c.serverIp = *net::IpAddress::parse(server);
      c.serverPort = sport;
      c.firstSeen = kT0;
      c.lastSeen = kT0 + kSecond;
      c.c2sPackets = 5;
      c.c2sBytes = 500;
      c.s2cPackets = 7;
      c.s2cBytes = 7000;
      c.app = app;
      c.handshakeServerNs = 2'000'000;
      c.handshakeClientNs = 1'000'000;
      c.c2sQos.dscp = 0;
      c.s2cQos.dscp = 0;
      return c;
    };
    protocol::ConnectionList list;
    list.packetTime = kT0 + kSecond;
    list.connections.push_back(connection("10.0.0.2", 40000, "192.0.2.1", 443, "TLS"));
    protocol::TlsInfo tls;
    tls.serverName = "example.org";
    tls.version = 0x0304;
    tls.cipher = 0x1301;
    list.connections.back().tls = tls;
    for (std::uint16_t port : {50000, 50001}) {
      list.connections.push_back(connection("10.0.0.9", port, "10.0.0.2", 80, "HTTP"));
      protocol::HttpInfo http;
      http.host = "www.example.org";
      http.url = "/";
      http.requests = 2;
      http.statusFamilies = {0, 2, 0, 0, 0};
      list.connections.back().http = http;
    }
    list.connections.back().s2cQos.dscp = 46;
    list.connections.back().s2cQos.vlanPcp = 5;
    list.connections.push_back(connection("10.0.0.9", 50002, "10.0.0.2", 23, ""));
    list.connections.back().handshakeServerNs = -1;
    list.connections.back().handshakeClientNs = -1;
    list.connections.back().state = "rejected";
    detail.connectionsView()->model()->applyConnections("n1", list);

    QTRY_COMPARE(pages->model("protocols")->rowCount(), 3);
    QCOMPARE(pages->model("peers")->rowCount(), 2);
    // Open ports: 80 only (23 refused the SYN).
    QCOMPARE(pages->model("ports")->rowCount(), 1);
    QCOMPARE(pages->model("ports")->index(0, 0).data().toString(), QString("80"));
    QCOMPARE(pages->model("ports")->index(0, 1).data().toString(), QString("http"));
    QCOMPARE(pages->model("ports")->index(0, 2).data().toString(), QString("2"));
    QCOMPARE(pages->model("httpHosts")->rowCount(), 1);
    QCOMPARE(pages->model("httpHosts")->index(0, 1).data().toString(), QString("4"));
    QCOMPARE(detail.findChild<QLabel*>("figure_http2xx")->text(), QString("4"));
    QCOMPARE(pages->model("tlsVersions")->index(0, 0).data().toString(), QString("TLS 1.3"));
    QCOMPARE(pages->model("tlsVersions")->index(0, 2).data().toString(), QString("1"));
    QCOMPARE(pages->model("tlsServerNames")->index(0, 0).data().toString(), QString("example.org"));
    // DSCP: CS0 and EF; PCP 5 in layer 2.
    QCOMPARE(pages->model("qosL3")->rowCount(), 2);
    QCOMPARE(pages->model("qosL2")->rowCount(), 1);
    QCOMPARE(pages->model("qosL2")->index(0, 2).data().toString(), QString("VO"));
    // Its context menu offers Download PCAP… and Live capture… of the address's packets with
    // that PCP; the live one sends the BPF alone (it holds the host).
    {
      std::vector<models::CaptureQuery> downloads;
      std::vector<models::CaptureQuery> lives;
      connect(&detail, &views::IpDetailView::pcapDownloadRequested, this,
              [&downloads](const models::CaptureQuery& q) { downloads.push_back(q); });
      connect(&detail, &views::IpDetailView::liveCaptureRequested, this,
              [&lives](const models::CaptureQuery& q) { lives.push_back(q); });
      detail.tabs()->setCurrentWidget(pages->page("qosL2"));
      auto* l2Table = pages->page("qosL2")->findChild<QTableView*>();
      QVERIFY(l2Table);
      QCOMPARE(l2Table->contextMenuPolicy(), Qt::CustomContextMenu);
      QStringList offered;
      for (const QString& pick :
           {QStringLiteral("Download PCAP…"), QStringLiteral("Live capture…")}) {
        QTimer::singleShot(0, &detail, [&offered, pick] {
          auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
          if (!menu) return;
          offered.clear();
          for (QAction* action : menu->actions()) {
            offered << action->text().remove('&');
            if (offered.last() == pick) action->trigger();
          }
          menu->close();
        });
        const QRect cell = l2Table->visualRect(l2Table->model()->index(0, 0));
        emit l2Table->customContextMenuRequested(cell.center());
        QCOMPARE(offered, (QStringList{"Download PCAP…", "Live capture…"}));
      }
      QCOMPARE(downloads.size(), 1u);
      QCOMPARE(lives.size(), 1u);
      const models::CaptureQuery download = downloads.front();
      const models::CaptureQuery live = lives.front();
      QCOMPARE(download.title, QString("host 10.0.0.2, VLAN PCP 5"));
      const auto ip = *net::IpAddress::parse("10.0.0.2");
      const std::string bpf =
          models::CaptureQueries::l2QosFilter(models::L2QosField::VlanPcp, 5, ip);
      QCOMPARE(download.params.at("host"), std::string("10.0.0.2"));
      QCOMPARE(download.params.at("bpf"), bpf);
      QCOMPARE(live.title, download.title);
      QCOMPARE(live.params, (protocol::Params{{"bpf", bpf}}));
      // The DSCP rows' live capture carries its host inside the BPF too.
      const auto dscp = detail.rowCaptureQuery("qosL3", pages->model("qosL3")->rows().at(0));
      QVERIFY(dscp.params.at("bpf").find("ip host 10.0.0.2") != std::string::npos);
      QCOMPARE(views::CaptureMenu::live(dscp).params.size(), 1u);
      // A DPI protocol's row: its connections of this address, both HTTP flows.
      const auto& protocols = pages->model("protocols")->rows();
      const auto http = std::find_if(protocols.begin(), protocols.end(), [](const auto& r) {
        return r.values[0].toString() == QLatin1String("HTTP");
      });
      QVERIFY(http != protocols.end());
      const auto httpQuery = detail.rowCaptureQuery("protocols", *http);
      QCOMPARE(httpQuery.title, QString("host 10.0.0.2, HTTP connections"));
      const std::string httpFlows = httpQuery.params.at("connection");
      QVERIFY(httpFlows.find(":50000") != std::string::npos);
      QVERIFY(httpFlows.find(":50001") != std::string::npos);
      QVERIFY(httpFlows.find(":443") == std::string::npos);
      // Its live capture names the same flows in BPF.
      const auto httpLive = views::CaptureMenu::live(httpQuery);
      QCOMPARE(httpLive.params.size(), 1u);
      const std::string httpBpf = httpLive.params.at("bpf");
      QVERIFY(httpBpf.find("port 50000") != std::string::npos);
      QVERIFY(httpBpf.find("port 50001") != std::string::npos);
      QVERIFY(httpBpf.find("port 443") == std::string::npos);
    }
    // Pie: bytes per protocol; the handshake chart asks the nodes for the address's series.
    QCOMPARE(pages->protocolPie()->count(), 3);
    QVERIFY(pages->handshakeHistory() != nullptr);
    // New connections in that second: valid as client 1 (TLS); as server 2 valid (HTTP) and 1
    // invalid (port 23 reset the SYN).
    views::NewConnectionsChart* fresh = pages->newConnectionsChart();
    QCOMPARE(fresh->series(false, true)->count(), 1);
    QCOMPARE(fresh->series(false, true)->at(0).y(), 1.0);
    QCOMPARE(fresh->series(false, false)->at(0).y(), 0.0);
    QCOMPARE(fresh->series(true, true)->at(0).y(), 2.0);
    QCOMPARE(fresh->series(true, false)->at(0).y(), 1.0);
    QCOMPARE(fresh->series(true, false)->at(0).x(), double(kT0 / 1'000'000 + 500));
    using views::IpDetailPages;
    QCOMPARE(IpDetailPages::bucketFor(kT0, kT0 + 119 * kSecond), kSecond);
    QCOMPARE(IpDetailPages::bucketFor(kT0, kT0 + 120 * kSecond), 10 * kSecond);
    QCOMPARE(IpDetailPages::bucketFor(kT0, kT0 + 7100 * kSecond), 60 * kSecond);
    QCOMPARE(IpDetailPages::bucketFor(kT0, kT0 + 30 * 86400 * kSecond), 86400 * kSecond);

    // Every derived tab shows.
    QTabWidget* tabs = detail.tabs();
    for (int i = 3; i < tabs->count(); ++i) {
      tabs->setCurrentIndex(i);
      QVERIFY(tabs->currentWidget()->isVisible());
    }
    // Each tab by the name the console's --ip-tab takes.
    for (const QString& name : views::IpDetailView::tabNames()) {
      QVERIFY2(detail.showTab(name), qPrintable(name));
      QVERIFY2(tabs->currentWidget()->isVisible(), qPrintable(name));
    }
    QVERIFY(!detail.showTab("nonsense"));
    QCOMPARE(views::IpDetailView::tabNames().size(), tabs->count());
    // Activating the EF row filters the Connections tab by it.
    tabs->setCurrentWidget(pages->page("qosL3"));
    auto* qosTable = pages->page("qosL3")->findChild<QTableView*>();
    QVERIFY(qosTable);
    QModelIndex ef;
    for (int row = 0; row < qosTable->model()->rowCount(); ++row) {
      if (qosTable->model()->index(row, 0).data().toString() == QLatin1String("46"))
        ef = qosTable->model()->index(row, 0);
    }
    QVERIFY(ef.isValid());
    emit qosTable->activated(ef);
    QCOMPARE(tabs->currentWidget(), detail.connectionsView());
    QCOMPARE(detail.connectionsView()->filterEdit()->text(), QString("(dscp == 46)"));
    QTRY_COMPARE(detail.connectionsView()->proxy()->rowCount(), 1);
    // A protocol too.
    auto* protocolTable = pages->page("protocols")->findChild<QTableView*>();
    for (int row = 0; row < protocolTable->model()->rowCount(); ++row) {
      const QModelIndex i = protocolTable->model()->index(row, 0);
      if (i.data().toString() == QLatin1String("HTTP")) emit protocolTable->activated(i);
    }
    QCOMPARE(detail.connectionsView()->filterEdit()->text(), QString("(app == \"HTTP\")"));
    QTRY_COMPARE(detail.connectionsView()->proxy()->rowCount(), 2);

    // The next answer drops the TLS connection: its rows go, the others stay in place.
    list.connections.erase(list.connections.begin());
    detail.connectionsView()->model()->applyConnections("n1", list);
    QTRY_COMPARE(pages->model("protocols")->rowCount(), 2);
    QCOMPARE(pages->model("tlsVersions")->rowCount(), 0);
    QCOMPARE(pages->model("peers")->rowCount(), 1);
  }

  // The TCP statistics chart of the nodes' kept handshake series: means from sums and counts,
  // minima and maxima kept as extremes across two nodes, counts per bucket with zeros.
  void handshakeChartCombinesNodes() {
    QTabWidget tabs;
    views::IpDetailPages pages(&tabs);
    views::HistoryChart* chart = pages.handshakeHistory();
    QVERIFY(chart != nullptr);
    protocol::HistoryReply a;
    a.series = "10.0.0.1 handshakes";
    a.resolutionNs = kSecond;
    a.names = {"client_syns",       "client_handshakes", "client_rtt_sum_ns", "client_rtt_min_ns",
               "client_rtt_max_ns", "client_rejected",   "server_syns",       "server_handshakes",
               "server_rtt_sum_ns", "server_rtt_min_ns", "server_rtt_max_ns", "server_rejected"};
    constexpr std::uint64_t kMs = 1'000'000;
    a.buckets = {{kT0, {2, 2, 6 * kMs, 2 * kMs, 4 * kMs, 0, 0, 0, 0, 0, 0, 0}},
                 {kT0 + kSecond, std::vector<std::uint64_t>(12, 0)}};
    protocol::HistoryReply b = a;
    b.buckets = {{kT0, {0, 1, 1 * kMs, 1 * kMs, 1 * kMs, 0, 3, 1, 3 * kMs, 3 * kMs, 3 * kMs, 2}}};
    chart->applyHistory(QStringLiteral("n1"), a);
    chart->applyHistory(QStringLiteral("n2"), b);
    const double x0 = double(kT0 / 1'000'000);
    const auto only = [&](int panel, int line, double y) {
      QLineSeries* s = chart->lineSeries(panel, line);
      QVERIFY(s != nullptr);
      QCOMPARE(s->count(), 1);  // the empty second has no mean, minimum or maximum
      QCOMPARE(s->at(0).x(), x0);
      QVERIFY2(qAbs(s->at(0).y() - y) < 1e-9, qPrintable(QString::number(s->at(0).y())));
    };
    only(0, 0, 7.0 / 3);  // client mean: (6 + 1) ms over 3 handshakes
    only(0, 1, 1.0);      // client min over both nodes
    only(0, 2, 4.0);      // client max
    only(0, 3, 3.0);
    only(0, 4, 3.0);
    only(0, 5, 3.0);
    QLineSeries* opened = chart->lineSeries(1, 0);
    QCOMPARE(opened->count(), 2);
    QCOMPARE(opened->at(0).y(), 2.0);
    QCOMPARE(opened->at(1).y(), 0.0);
    QCOMPARE(chart->lineSeries(1, 3)->at(0).y(), 2.0);  // rejected by it
    // Hovering a point shows its value.
    QLineSeries* mean = chart->lineSeries(0, 3);
    tabs.show();
    tabs.setCurrentWidget(pages.page(QStringLiteral("tcp")));
    emit mean->hovered(mean->at(0), true);
    QTRY_VERIFY(QToolTip::isVisible());
    QVERIFY2(QToolTip::text().contains(mean->name()), qPrintable(QToolTip::text()));
    emit mean->hovered(mean->at(0), false);
    QTRY_VERIFY(!QToolTip::isVisible());
  }

  // The Overview names the address (names learned, group, country), gives each MAC its NIC
  // vendor, says when its latest connection started and shows the top protocols' pie, merged
  // over the nodes that know it.
  void overviewShowsNamesVendorsAndLastConnection() {
    models::HostTableModel hosts;
    HostRecord a = host("10.0.0.9", 1, 100, 1, 100);
    a.names = {"printer.lan"};
    a.group = "office";
    a.macVendors = {"Intel Corporate"};
    HostRecord b = host("10.0.0.9", 1, 100, 1, 100);
    b.names = {"printer.lan", "PRN-7"};
    b.country = "DE";
    b.macs.push_back(*net::MacAddress::parse("00:1b:21:3a:4c:01"));
    b.macVendors = {"", ""};
    hosts.applySnapshot("n1", HostsSnapshot{1, {a}});
    hosts.applySnapshot("n2", HostsSnapshot{1, {b}});
    views::IpDetailView detail(nullptr, &hosts, *net::IpAddress::parse("10.0.0.9"));
    const auto field = [&](const char* key) {
      auto* label = detail.findChild<QLabel*>(QStringLiteral("field_%1").arg(key));
      return label ? label->text() : QStringLiteral("(no field)");
    };
    QCOMPARE(field("names"), QString("printer.lan, PRN-7"));
    QCOMPARE(field("group"), QString("office"));
    QCOMPARE(field("country"), QString("DE"));
    QCOMPARE(field("macs"), QString("00:11:22:33:44:55 (Intel Corporate), 00:1b:21:3a:4c:01"));
    QCOMPARE(field("lastNewConnection"), QString("–"));

    stats::IpDetail d;
    d.lastNewConnection = kT0 + 5 * kSecond;
    for (const char* app : {"TLS", "DNS"}) {
      stats::ProtocolDetail p;
      p.app = app;
      d.protocols.push_back(p);
    }
    detail.pages()->setDetail(d, kSecond);
    QCOMPARE(field("lastNewConnection"),
             QDateTime::fromMSecsSinceEpoch((kT0 + 5 * kSecond) / 1'000'000)
                 .toString("yyyy-MM-dd HH:mm:ss"));
    QCOMPARE(detail.overviewPie()->count(), 2);
    QCOMPARE(detail.overviewPie()->slices().at(0)->label(), QString("TLS"));
    // NETLENS_SCREENSHOT=FILE.png keeps a picture of the Overview (for a look by eye).
    if (const QString shot = qEnvironmentVariable("NETLENS_SCREENSHOT"); !shot.isEmpty()) {
      detail.resize(1200, 700);
      detail.show();
      QVERIFY(QTest::qWaitForWindowExposed(&detail));
      QVERIFY(detail.grab().save(shot));
    }
  }

  void opensDetailByAddress() {
    views::MainWindow window(m_nodes.get(), m_identity.get());
    window.show();
    QVERIFY(!window.openIpDetail("not an address"));
    views::IpDetailView* detail = window.openIpDetail("2001:db8::1");
    QVERIFY(detail);
    // Not in the table (yet): the page still opens and says so.
    QCOMPARE(detail->findChild<QLabel*>("field_nodes")->text(),
             QString("not seen by any connected node"));
    // A snapshot that lists it fills the figures in.
    HostRecord v6 = host("2001:db8::1", 3, 300, 4, 400);
    detail->applySnapshot("n1", HostsSnapshot{1, {v6}});
    QCOMPARE(detail->findChild<QLabel*>("field_rxPackets")->text(), QString("4"));
    // Opening another address replaces the page.
    views::IpDetailView* second = window.openIpDetail("10.9.9.9");
    QVERIFY(second && second != detail);
    QCOMPARE(window.ipDetail(), second);
    // Help points at the user guide's section where the package installs the guide
    // (../share/doc/netlens beside the program's folder), and finds none where there is none.
    // (A build folder whose grandparent holds the source README finds that one first.)
    if (!views::IpDetailView::helpUrl().isEmpty())
      QSKIP("a README.md beside or above the test binary comes first");
    const QString share = QCoreApplication::applicationDirPath() + "/../share";
    QVERIFY2(!QFileInfo::exists(share), "a share folder beside the test binary is in the way");
    const auto cleanUp = qScopeGuard([share] { QDir(share).removeRecursively(); });
    QVERIFY(QDir().mkpath(share + "/doc/netlens"));
    {
      QFile guide(share + "/doc/netlens/README.md");
      QVERIFY(guide.open(QIODevice::WriteOnly));
      guide.write("# Netlens\n");
    }
    const QUrl help = views::IpDetailView::helpUrl();
    QCOMPARE(help.fragment(), QString("connections-and-ip-detail"));
    QVERIFY2(help.toLocalFile().endsWith("/share/doc/netlens/README.md"),
             qPrintable(help.toString()));
    QCOMPARE(views::userGuideUrl("ip-groups").fragment(), QString("ip-groups"));
  }

  // A group's page, without nodes: the members of every node merged, its networks in the
  // header, the derived tabs from the group's side of its connections (one connection inside
  // the group counts once, in both roles); an address opened from it returns to it on Back.
  void groupDetailPage() {
    views::MainWindow window(m_nodes.get(), m_identity.get());
    window.resize(1200, 800);
    window.show();
    QVERIFY(!window.openGroupDetail(QString()));
    views::GroupDetailView* group = window.openGroupDetail("lan");
    QVERIFY(group);
    QVERIFY(group->findChild<QPushButton*>("groupDetailHelp"));
    auto* stack = window.findChild<QStackedWidget*>();
    QCOMPARE(stack->currentWidget(), group);
    QAbstractItemModelTester members(group->membersModel(),
                                     QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester peers(group->pages()->model("peers"),
                                   QAbstractItemModelTester::FailureReportingMode::QtTest);
    protocol::GroupList a;
    a.groups.push_back({});
    a.groups.back().name = "lan";
    a.groups.back().prefixes = {"10.0.0.0/24"};
    a.groups.back().members = {*net::IpAddress::parse("10.0.0.2"),
                               *net::IpAddress::parse("10.0.0.9")};
    a.groups.back().txBytes = 1000;
    protocol::GroupList b = a;
    b.groups.back().members = {*net::IpAddress::parse("10.0.0.9"),
                               *net::IpAddress::parse("10.0.0.10")};
    group->applyGroups("n1", a);
    group->applyGroups("n2", b);
    QCOMPARE(group->membersModel()->rowCount(), 3);
    QVERIFY(group->subtitle()->text().contains("10.0.0.0/24"));
    QVERIFY(group->isMember(*net::IpAddress::parse("10.0.0.200")));
    QVERIFY(!group->isMember(*net::IpAddress::parse("10.0.1.1")));

    protocol::ConnectionList list;
    list.packetTime = kT0 + kSecond;
    for (auto [client, server] :
         {std::pair{"10.0.0.2", "192.0.2.1"}, std::pair{"10.0.0.9", "10.0.0.2"}}) {
      protocol::ConnectionRecord c;
      c.protocol = 6;
      c.clientIp = *net::IpAddress::parse(client);
      c.clientPort = 40000;
      c.serverIp = *net::IpAddress::parse(server);
      c.serverPort = 22;
      c.firstSeen = kT0;
      c.lastSeen = kT0 + kSecond;
      c.c2sPackets = 1;
      c.c2sBytes = 100;
      c.handshakeServerNs = 1000;
      c.handshakeClientNs = 1000;
      c.app = "SSH";
      list.connections.push_back(c);
    }
    group->connectionsView()->model()->applyConnections("n1", list);
    // Peers: 192.0.2.1, and 10.0.0.2 and 10.0.0.9 as each other's peer.
    QTRY_COMPARE(group->pages()->model("peers")->rowCount(), 3);
    QCOMPARE(group->pages()->model("protocols")->rowCount(), 1);
    QCOMPARE(group->pages()->model("protocols")->index(0, 1).data().toString(), QString("2"));
    QCOMPARE(group->pages()->model("ports")->rowCount(), 1);
    for (const QString& tab : views::GroupDetailView::tabNames())
      QVERIFY2(group->showTab(tab), qPrintable(tab));
    QVERIFY(!group->showTab("overview"));

    emit group->ipRequested("10.0.0.2");
    QVERIFY(window.ipDetail());
    QCOMPARE(stack->currentWidget(), window.ipDetail());
    window.closeIpDetail();
    QCOMPARE(stack->currentWidget(), group);
    QPointer<views::GroupDetailView> guard(group);
    window.closeGroupDetail();
    QCOMPARE(stack->currentWidget(), window.tabs());
    QVERIFY(!window.groupDetail());
    QTRY_VERIFY(guard.isNull());
  }

 private:
  QTemporaryDir m_dir;
  std::unique_ptr<core::ConsoleIdentity> m_identity;
  std::unique_ptr<core::NodeManager> m_nodes;
};

QTEST_MAIN(TestIpDetail)
#include "tst_ip_detail.moc"
