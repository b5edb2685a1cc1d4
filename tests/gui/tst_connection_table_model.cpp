// SPDX-License-Identifier: MIT
// The connections table: incremental updates keyed by node + protocol + endpoints + VLAN +
// first seen (checked by QAbstractItemModelTester and by the exact signals), sorting on raw
// values, plain-text and expression filters, the CSV export of the filtered and sorted
// rows, the column chooser's memory, and the parsing of a node's "connections" reply.

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QFile>
#include <QHeaderView>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "app/core/node_client.h"
#include "app/export/csv_export_job.h"
#include "app/models/connection_filter_proxy.h"
#include "app/models/connection_table_model.h"
#include "app/views/connection_detail_dialog.h"
#include "app/views/connections_view.h"
#include "shared/protocol/codec.h"

using namespace netlens;
using namespace netlens::app;
using models::ConnectionFilterProxy;
using models::ConnectionTableModel;
using protocol::ConnectionList;
using protocol::ConnectionRecord;

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kT0 = 1'700'000'000 * kSecond;

ConnectionRecord conn(const char* client, std::uint16_t clientPort, const char* server,
                      std::uint16_t serverPort, std::uint64_t c2sBytes, std::uint64_t s2cBytes,
                      std::uint8_t proto = 6) {
  ConnectionRecord r;
  r.protocol = proto;
  r.clientIp = *net::IpAddress::parse(client);
  r.clientPort = clientPort;
  r.serverIp = *net::IpAddress::parse(server);
  r.serverPort = serverPort;
  r.firstSeen = kT0;
  r.lastSeen = kT0 + 2 * kSecond;
  r.c2sPackets = c2sBytes / 100 + 1;
  r.c2sBytes = c2sBytes;
  r.s2cPackets = s2cBytes / 100 + 1;
  r.s2cBytes = s2cBytes;
  r.state = proto == 6 ? "established" : "";
  return r;
}

ConnectionList list(std::vector<ConnectionRecord> records) {
  ConnectionList l;
  l.packetTime = kT0 + 3 * kSecond;
  l.total = records.size();
  l.connections = std::move(records);
  return l;
}

/// Client ports of the rows a proxy shows, in its order.
QList<int> clientPorts(const QAbstractItemModel& proxy) {
  QList<int> ports;
  for (int row = 0; row < proxy.rowCount(); ++row)
    ports << proxy.index(row, ConnectionTableModel::ClientPort)
                 .data(ConnectionTableModel::RawRole)
                 .toInt();
  return ports;
}

/// A table with some of everything the filters look at.
ConnectionList sampleList() {
  auto web = conn("10.0.0.1", 1001, "192.0.2.10", 443, 5'000, 2'000'000);
  web.app = "TLS";
  web.handshakeServerNs = 20'000'000;  // 20 ms + 0.5 ms
  web.handshakeClientNs = 500'000;
  web.c2sTcp.retransmissions = 2;
  web.s2cTcp.fastRetransmissions = 1;
  web.s2cTcp.spuriousRetransmissions = 1;
  web.vlan = 10;
  auto http = conn("10.0.0.2", 1002, "192.0.2.10", 80, 700, 40'000);
  http.app = "HTTP";
  http.handshakeServerNs = 800'000;  // 0.8 ms + 0.1 ms
  http.handshakeClientNs = 100'000;
  auto dns = conn("10.0.0.9", 1003, "10.0.0.53", 53, 80, 200, 17);
  dns.app = "DNS";
  auto v6 = conn("2001:db8::1", 1004, "2001:db8::80", 8080, 1'000, 1'000);
  v6.state = "reset";
  auto mid = conn("10.0.0.10", 1005, "198.51.100.7", 22, 3'000'000, 100);
  mid.state = "midstream";
  return list({web, http, dns, v6, mid});
}

}  // namespace

class TestConnectionTableModel : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("NetlensTest");
    QCoreApplication::setApplicationName("netlens-connections-test");
    QSettings().clear();
  }

  void insertsUpdatesAndRemovesOnlyWhatChanged() {
    ConnectionTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    auto a = conn("10.0.0.1", 1000, "10.0.0.100", 80, 100, 200);
    auto b = conn("10.0.0.2", 1000, "10.0.0.100", 80, 100, 200);
    auto c = conn("10.0.0.3", 1000, "10.0.0.100", 80, 100, 200);
    auto d = conn("10.0.0.4", 1000, "10.0.0.100", 80, 100, 200);
    model.applyConnections("n1", list({a, b, c, d}));
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(inserted.count(), 1);  // one insert for the whole answer
    QCOMPARE(changed.count(), 0);

    // The same answer again changes nothing.
    model.applyConnections("n1", list({a, b, c, d}));
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(removed.count(), 0);

    // b grows, c vanishes, e is new; a and d are the same.
    b.c2sBytes += 1000;
    auto e = conn("10.0.0.5", 1000, "10.0.0.100", 80, 1, 1);
    inserted.clear();
    model.applyConnections("n1", list({a, b, d, e}));
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed[0][1].toInt(), 2);  // c was row 2
    QCOMPARE(removed[0][2].toInt(), 2);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed[0][0].toModelIndex().row(), 1);  // b only
    QCOMPARE(changed[0][1].toModelIndex().row(), 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted[0][1].toInt(), 3);
    QCOMPARE(model.index(3, ConnectionTableModel::Client).data().toString(), QString("10.0.0.5"));
    QCOMPARE(model.index(1, ConnectionTableModel::C2sBytes)
                 .data(ConnectionTableModel::RawRole)
                 .toULongLong(),
             1100ULL);

    // A reused 5-tuple with a new first-seen time is another connection: a new row.
    auto aAgain = a;
    aAgain.firstSeen = kT0 + 10 * kSecond;
    model.applyConnections("n1", list({a, aAgain, b, d, e}));
    QCOMPARE(model.rowCount(), 5);
    // So is the same connection on another VLAN, or seen by another node.
    auto aVlan = a;
    aVlan.vlan = 20;
    model.applyConnections("n2", list({a, aVlan}));
    QCOMPARE(model.rowCount(), 7);
    model.setNodeName("n2", "beta");
    QCOMPARE(model.index(6, ConnectionTableModel::Node).data().toString(), QString("beta"));
    QCOMPARE(model.index(0, ConnectionTableModel::Node).data().toString(), QString("n1"));

    // Node n1's empty answer removes its rows only; removing n2 removes the rest.
    model.applyConnections("n1", list({}));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.nodeIdOf(0), QString("n2"));
    model.removeNode("n2");
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(reset.count(), 0);
  }

  void manyScatteredRemovalsStayConsistent() {
    ConnectionTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    std::vector<ConnectionRecord> all;
    for (int i = 0; i < 6000; ++i)
      all.push_back(conn("10.1.0.1", static_cast<std::uint16_t>(1024 + i), "10.2.0.1", 80, 1, 1));
    model.applyConnections("n1", list(all));
    QCOMPARE(model.rowCount(), 6000);
    std::vector<ConnectionRecord> even;
    for (std::size_t i = 0; i < all.size(); i += 2) even.push_back(all[i]);
    // 3000 separate ranges: one reset instead of 3000 removals.
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.applyConnections("n1", list(even));
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 3000);
    for (int row = 0; row < model.rowCount(); ++row) QCOMPARE(model.record(row).clientPort % 2, 0);
  }

  void displaysAndExportsFigures() {
    ConnectionTableModel model;
    model.applyConnections("n1", sampleList());
    auto cell = [&](int row, int column) { return model.index(row, column).data().toString(); };
    QCOMPARE(cell(0, ConnectionTableModel::Protocol), QString("TCP"));
    QCOMPARE(cell(2, ConnectionTableModel::Protocol), QString("UDP"));
    QCOMPARE(cell(0, ConnectionTableModel::Vlan), QString("10"));
    QCOMPARE(cell(1, ConnectionTableModel::Vlan), QString());
    QCOMPARE(cell(0, ConnectionTableModel::C2sRetransmissions), QString("2"));
    QCOMPARE(cell(0, ConnectionTableModel::S2cRetransmissions), QString("2"));  // fast+spurious
    QCOMPARE(cell(0, ConnectionTableModel::HandshakeTotal), QString("20.5 ms"));
    QCOMPARE(cell(1, ConnectionTableModel::HandshakeServer), QString("800 µs"));
    QCOMPARE(cell(2, ConnectionTableModel::HandshakeTotal), QString());  // UDP: none
    QCOMPARE(ConnectionTableModel::formatDuration(QLocale::c(), 1'500'000'000), QString("1.50 s"));

    ConnectionTableModel::ExportRow row{model.record(0), "alpha"};
    QCOMPARE(ConnectionTableModel::exportText(row, ConnectionTableModel::HandshakeTotal),
             QString("20500.000"));  // microseconds
    QCOMPARE(ConnectionTableModel::exportText(row, ConnectionTableModel::Bytes),
             QString("2005000"));
    QCOMPARE(ConnectionTableModel::exportText(row, ConnectionTableModel::FirstSeen),
             QString("2023-11-14T22:13:20.000Z"));
    QCOMPARE(ConnectionTableModel::exportText(row, ConnectionTableModel::Node), QString("alpha"));
  }

  void sortsOnRawValues_data() {
    QTest::addColumn<int>("column");
    QTest::addColumn<QList<int>>("ascending");  // client ports in ascending order
    QTest::addColumn<bool>("distinct");         // no equal keys: descending is the reverse
    // Bytes: 280 < 2 000 < 40 700 < 2 005 000 < 3 000 100 (not text order).
    QTest::newRow("bytes") << int(ConnectionTableModel::Bytes)
                           << QList<int>{1003, 1004, 1002, 1001, 1005} << true;
    // Addresses numerically, IPv4 before IPv6: 10.0.0.9 before 10.0.0.10.
    QTest::newRow("client") << int(ConnectionTableModel::Client)
                            << QList<int>{1001, 1002, 1003, 1005, 1004} << true;
    QTest::newRow("server port") << int(ConnectionTableModel::ServerPort)
                                 << QList<int>{1005, 1003, 1002, 1001, 1004} << true;
    // No handshake first (in model order), then 0.9 ms before 20.5 ms.
    QTest::newRow("handshake") << int(ConnectionTableModel::HandshakeTotal)
                               << QList<int>{1003, 1004, 1005, 1002, 1001} << false;
    QTest::newRow("retransmissions") << int(ConnectionTableModel::C2sRetransmissions)
                                     << QList<int>{1002, 1003, 1004, 1005, 1001} << false;
  }

  void sortsOnRawValues() {
    QFETCH(int, column);
    QFETCH(QList<int>, ascending);
    QFETCH(bool, distinct);
    ConnectionTableModel model;
    ConnectionFilterProxy proxy;
    proxy.setSourceModel(&model);
    model.applyConnections("n1", sampleList());
    proxy.sort(column, Qt::AscendingOrder);
    QCOMPARE(clientPorts(proxy), ascending);
    proxy.sort(column, Qt::DescendingOrder);
    QList<int> descending(ascending.rbegin(), ascending.rend());
    if (distinct)
      QCOMPARE(clientPorts(proxy), descending);
    else  // equal keys keep their model order either way
      QCOMPARE(clientPorts(proxy).first(), descending.first());
  }

  void filters_data() {
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QList<int>>("ports");  // client ports shown, in model order
    QTest::newRow("everything") << "" << QList<int>{1001, 1002, 1003, 1004, 1005};
    QTest::newRow("plain address") << "192.0.2" << QList<int>{1001, 1002};
    QTest::newRow("plain app") << "dns" << QList<int>{1003};
    QTest::newRow("plain state") << "midstream" << QList<int>{1005};
    QTest::newRow("plain v6") << "db8::8" << QList<int>{1004};
    QTest::newRow("proto") << "(proto == \"udp\")" << QList<int>{1003};
    QTest::newRow("server port") << "(server_port == 443 or server_port == 22)"
                                 << QList<int>{1001, 1005};
    QTest::newRow("either port") << "(port == 1003 or port == 8080)" << QList<int>{1003, 1004};
    QTest::newRow("either ip") << "(ip in 10.0.0.0/24)" << QList<int>{1001, 1002, 1003, 1005};
    QTest::newRow("client ip") << "(client_ip == 10.0.0.9)" << QList<int>{1003};
    QTest::newRow("bytes unit") << "(bytes > 1M)" << QList<int>{1001, 1005};
    QTest::newRow("packets") << "(packets < 5)" << QList<int>{1003};
    QTest::newRow("retrans") << "(retrans >= 4)" << QList<int>{1001};
    QTest::newRow("no retrans") << "(not retrans and proto == \"tcp\")"
                                << QList<int>{1002, 1004, 1005};
    QTest::newRow("rtt ms") << "(rtt > 10)" << QList<int>{1001};
    // Without a handshake there is no value: neither side of a comparison holds.
    QTest::newRow("rtt below") << "(rtt < 10)" << QList<int>{1002};
    QTest::newRow("no rtt") << "(not rtt)" << QList<int>{1003, 1004, 1005};
    QTest::newRow("app") << "(app matches \"^(http|tls)$\")" << QList<int>{1001, 1002};
    QTest::newRow("state") << "(state == \"reset\")" << QList<int>{1004};
    QTest::newRow("vlan") << "(vlan == 10)" << QList<int>{1001};
    QTest::newRow("node") << "(node == \"alpha\")" << QList<int>{1001, 1002, 1003, 1004, 1005};
  }

  void filters() {
    QFETCH(QString, filter);
    QFETCH(QList<int>, ports);
    ConnectionTableModel model;
    ConnectionFilterProxy proxy;
    proxy.setSourceModel(&model);
    model.setNodeName("n1", "alpha");
    model.applyConnections("n1", sampleList());
    QVERIFY2(proxy.setFilterText(filter), qPrintable(proxy.filterError().message));
    QCOMPARE(clientPorts(proxy), ports);
  }

  // Countries, QoS and layer 7 columns: what they show, sort on and how filters see them.
  void countryQosAndLayer7Columns() {
    auto web = conn("10.0.0.1", 1001, "192.0.2.10", 443, 5'000, 2'000'000);
    web.serverCountry = "SE";
    web.c2sQos.dscp = 46;
    web.s2cQos.dscp = 0;
    web.s2cQos.dscpChanged = true;
    web.c2sQos.vlanPcp = 5;
    protocol::TlsInfo tls;
    tls.serverName = "www.example.org";
    tls.version = 0x0303;
    tls.cipher = 0xC02F;
    tls.alpn = "h2";
    tls.helloNs = 2'000'000;
    tls.firstDataNs = 5'000'000;
    web.tls = tls;
    auto http = conn("10.0.0.2", 1002, "192.0.2.10", 80, 700, 40'000);
    http.c2sQos.dscp = 0;
    http.s2cQos.dscp = 0;
    protocol::HttpInfo h;
    h.host = "intranet";
    h.url = "/index.html";
    h.status = 404;
    h.requests = 1;
    h.method = "GET";
    h.userAgent = "curl/8.0";
    h.contentType = "text/html";
    h.statusFamilies[3] = 1;
    http.http = h;
    http.responseTime.count = 1;
    http.responseTime.meanNs = 12'500'000;
    auto plain = conn("10.0.0.3", 1003, "10.0.0.53", 53, 80, 200, 17);
    plain.clientGroup = "office";
    plain.serverGroup = "dns-servers";
    ConnectionTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ConnectionFilterProxy proxy;
    proxy.setSourceModel(&model);
    model.applyConnections("n1", list({web, http, plain}));
    const auto text = [&](int row, int column) {
      return model.index(row, column).data().toString();
    };
    QCOMPARE(text(0, ConnectionTableModel::ServerCountry), QString("SE"));
    QCOMPARE(text(0, ConnectionTableModel::Dscp), QString("46 / 0*"));
    QCOMPARE(text(0, ConnectionTableModel::VlanPcp), QString("5 / –"));
    QCOMPARE(text(0, ConnectionTableModel::MplsTc), QString("– / –"));
    QCOMPARE(text(0, ConnectionTableModel::TlsServerName), QString("www.example.org"));
    QCOMPARE(text(0, ConnectionTableModel::TlsVersion), QString("TLS 1.2"));
    QCOMPARE(text(0, ConnectionTableModel::TlsCipher),
             QString("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
    QCOMPARE(text(1, ConnectionTableModel::HttpHost), QString("intranet"));
    QCOMPARE(text(1, ConnectionTableModel::HttpStatus), QString("404"));
    QVERIFY(text(1, ConnectionTableModel::ResponseTime).startsWith("12"));
    QCOMPARE(text(2, ConnectionTableModel::Dscp), QString());  // no markings known
    QCOMPARE(model.headerData(ConnectionTableModel::Dscp, Qt::Horizontal).toString(),
             QString("DSCP"));
    ConnectionTableModel::ExportRow row{model.record(1), "alpha"};
    QCOMPARE(ConnectionTableModel::exportText(row, ConnectionTableModel::ResponseTime),
             QString("12500.000"));
    // Sorting on the QoS column: none first, then by the client's marking.
    QVERIFY(model.lessThan(2, 1, ConnectionTableModel::Dscp));
    QVERIFY(model.lessThan(1, 0, ConnectionTableModel::Dscp));

    const auto shown = [&](const QString& filter) {
      if (!proxy.setFilterText(filter)) return QList<int>{-1};
      return clientPorts(proxy);
    };
    QCOMPARE(shown("(dscp == 46)"), QList<int>{1001});
    QCOMPARE(shown("(dscp == 0)"), (QList<int>{1001, 1002}));
    // `!=` on a list means "no direction has it": connections without VLAN tags qualify.
    QCOMPARE(shown("(vlan_pcp != 5)"), (QList<int>{1002, 1003}));
    QCOMPARE(shown("(vlan_pcp < 5)"), QList<int>{});
    QCOMPARE(shown("(pcp == 5)"), QList<int>{1001});
    QCOMPARE(shown("(server_country == \"se\")"), QList<int>{1001});
    QCOMPARE(shown("(sni contains \"example\")"), QList<int>{1001});
    QCOMPARE(shown("(tls_version == \"TLS 1.2\")"), QList<int>{1001});
    QCOMPARE(shown("(http_status >= 400)"), QList<int>{1002});
    QCOMPARE(shown("(http_host == \"intranet\" and response_time > 10)"), QList<int>{1002});
    // The ends' IP groups: columns, expressions and plain text.
    QCOMPARE(text(2, ConnectionTableModel::ClientGroup), QString("office"));
    QCOMPARE(text(2, ConnectionTableModel::ServerGroup), QString("dns-servers"));
    QCOMPARE(model.headerData(ConnectionTableModel::ServerGroup, Qt::Horizontal).toString(),
             QString("Server group"));
    QCOMPARE(shown("(server_group == \"DNS-servers\")"), QList<int>{1003});
    QCOMPARE(shown("(client_group)"), QList<int>{1003});
    QCOMPARE(shown("office"), QList<int>{1003});
    // What the detail dialog alone showed before: retransmitted bytes, the last HTTP
    // transaction's method, user agent and content type, HTTP counts, TLS ALPN and times.
    QCOMPARE(text(0, ConnectionTableModel::TlsAlpn), QString("h2"));
    QCOMPARE(text(0, ConnectionTableModel::TlsHello), QString("2.0 ms"));
    QCOMPARE(text(1, ConnectionTableModel::HttpMethod), QString("GET"));
    QCOMPARE(text(1, ConnectionTableModel::HttpContentType), QString("text/html"));
    QCOMPARE(text(1, ConnectionTableModel::HttpErrors), QString("1"));
    QCOMPARE(text(2, ConnectionTableModel::RetransBytes), QString());  // UDP: none
    QCOMPARE(shown("(alpn == \"h2\" and tls_hello > 1 and tls_first_data < 6)"), QList<int>{1001});
    QCOMPARE(shown("(ua contains \"curl\" and method == \"get\")"), QList<int>{1002});
    QCOMPARE(shown("(http_errors >= 1 and requests == 1)"), QList<int>{1002});
    QCOMPARE(shown("(content_type == \"text/html\")"), QList<int>{1002});
    QCOMPARE(shown("(retrans_bytes == 0)"), (QList<int>{1001, 1002}));
    QVERIFY(model.lessThan(1, 0, ConnectionTableModel::TlsHello));  // none before 2 ms
    ConnectionTableModel::ExportRow webRow{model.record(0), "alpha"};
    QCOMPARE(ConnectionTableModel::exportText(webRow, ConnectionTableModel::TlsFirstData),
             QString("5000.000"));
  }

  // Window usage of the scale's limit and window-full segments, per direction.
  void windowColumns() {
    auto limited = conn("10.0.0.1", 1001, "192.0.2.10", 80, 500'000, 2'000);
    limited.c2sTcp.maxWindow = 64240;
    limited.c2sTcp.windowScale = 7;  // limit 65 535 << 7: 0.77 % used
    limited.s2cTcp.maxWindow = 16384;
    limited.s2cTcp.windowScale = -2;  // no scaling: limit 65 535, 25 % used
    limited.c2sTcp.windowFull = 40;
    limited.s2cTcp.zeroWindow = 39;
    auto midstream = conn("10.0.0.2", 1002, "192.0.2.10", 80, 700, 40'000);
    midstream.c2sTcp.maxWindow = 65535;  // scales unknown: no usage
    auto dns = conn("10.0.0.3", 1003, "10.0.0.53", 53, 80, 200, 17);
    ConnectionTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ConnectionFilterProxy proxy;
    proxy.setSourceModel(&model);
    model.applyConnections("n1", list({limited, midstream, dns}));
    const auto text = [&](int row, int column) {
      return model.index(row, column).data().toString();
    };
    QCOMPARE(text(0, ConnectionTableModel::WindowUsage), QString("1 % / 25 %"));
    QCOMPARE(text(0, ConnectionTableModel::WindowFull), QString("40 / 0"));
    QCOMPARE(text(1, ConnectionTableModel::WindowUsage), QString("– / –"));
    QCOMPARE(text(2, ConnectionTableModel::WindowUsage), QString());  // not TCP
    QVERIFY(model.lessThan(1, 0, ConnectionTableModel::WindowUsage));
    QVERIFY(model.lessThan(1, 0, ConnectionTableModel::WindowFull));
    const auto shown = [&](const QString& filter) {
      if (!proxy.setFilterText(filter)) return QList<int>{-1};
      return clientPorts(proxy);
    };
    QCOMPARE(shown("(window_usage >= 25)"), QList<int>{1001});
    QCOMPARE(shown("(window_full > 0)"), QList<int>{1001});
    QCOMPARE(shown("(window_full == 0)"), (QList<int>{1001, 1002}));
  }

  // Double-click opens the connection's detail window with every field, per direction.
  void detailWindowShowsEverything() {
    views::ConnectionsView view(nullptr, QStringLiteral("test/detailHeader"));
    auto web = conn("10.0.0.1", 1001, "192.0.2.10", 443, 5'000, 2'000'000);
    web.app = "TLS";
    web.serverCountry = "SE";
    web.c2sTcp.retransmissions = 3;
    web.s2cTcp.outOfOrder = 2;
    web.handshakeServerNs = 20'000'000;
    web.handshakeClientNs = 500'000;
    web.c2sQos.dscp = 46;
    web.s2cQos.dscp = 0;
    web.s2cQos.dscpChanged = true;
    protocol::TlsInfo tls;
    tls.serverName = "www.example.org";
    tls.offeredVersions = {0x0a0a, 0x0304, 0x0303};
    tls.version = 0x0304;
    tls.cipher = 0x1301;
    tls.helloNs = 30'000'000;
    web.tls = tls;
    auto dns = conn("10.0.0.9", 1003, "10.0.0.53", 53, 80, 200, 17);
    view.model()->applyConnections("n1", list({web, dns}));
    QCOMPARE(view.openDetail(5), nullptr);
    view.table()->sortByColumn(ConnectionTableModel::Bytes, Qt::DescendingOrder);
    views::ConnectionDetailDialog* detail = view.openDetail(0);
    QVERIFY(detail);
    QVERIFY(detail->windowTitle().contains("10.0.0.1:1001"));
    QCOMPARE(detail->row("Connection", "Server").value(0), QString("192.0.2.10 port 443 (https)"));
    QCOMPARE(detail->row("Connection", "Server").value(1), QString("SE"));
    QCOMPARE(detail->row("TCP", "Retransmissions"), (QStringList{"3", "0"}));
    QCOMPARE(detail->row("TCP", "Out of order"), (QStringList{"0", "2"}));
    QCOMPARE(detail->row("TCP", "Handshake SYN → SYN/ACK").value(0), QString("20.0 ms"));
    QCOMPARE(detail->row("TLS", "Server name (SNI)").value(0), QString("www.example.org"));
    QCOMPARE(detail->row("TLS", "Versions offered").value(0), QString("TLS 1.3, TLS 1.2"));
    QCOMPARE(detail->row("TLS", "Negotiated cipher suite").value(0),
             QString("TLS_AES_128_GCM_SHA256"));
    QCOMPARE(detail->row("QoS", "DSCP"), (QStringList{"46 (EF)", "0 (CS0) (changed)"}));
    detail->close();
    // A UDP flow has no TCP section.
    views::ConnectionDetailDialog* udp = view.openDetail(1);
    QVERIFY(udp);
    QVERIFY(udp->row("TCP", "Retransmissions").isEmpty());
    QCOMPARE(udp->row("Traffic", "Packets"), (QStringList{"1", "3"}));
  }

  void badExpressionKeepsPreviousFilter() {
    ConnectionTableModel model;
    ConnectionFilterProxy proxy;
    proxy.setSourceModel(&model);
    model.applyConnections("n1", sampleList());
    QSignalSpy errors(&proxy, &ConnectionFilterProxy::filterErrorChanged);
    QVERIFY(proxy.setFilterText("(server_port == 80)"));
    QCOMPARE(proxy.rowCount(), 1);
    QVERIFY(!proxy.setFilterText("(server_prot == 80)"));
    QVERIFY(proxy.filterError().message.contains("server_prot"));
    QCOMPARE(errors.count(), 1);
    QCOMPARE(proxy.rowCount(), 1);
    // Updates keep being filtered by the expression in effect.
    auto more = sampleList();
    more.connections.push_back(conn("10.0.0.77", 1077, "192.0.2.80", 80, 1, 1));
    model.applyConnections("n1", more);
    QCOMPARE(clientPorts(proxy), (QList<int>{1002, 1077}));
  }

  void parsesTheNodesReply() {
    // What the node sends, through the real codec, into the model.
    ConnectionList sent = sampleList();
    sent.total = 12;
    protocol::Request request;
    request.requestId = 7;
    request.operation = "connections";
    protocol::Reply reply = protocol::makeReply(request, protocol::encodeBody(sent));
    auto envelope = protocol::decodeReply(protocol::encodeReply(reply));
    QVERIFY(envelope.ok());
    ConnectionList received;
    QString error;
    QVERIFY2(app::core::NodeClient::parseConnectionsReply(*envelope, received, &error),
             qPrintable(error));
    QCOMPARE(received.connections.size(), sent.connections.size());
    QVERIFY(received == sent);
    ConnectionTableModel model;
    model.applyConnections("n1", received);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.nodeTotal("n1"), 12ULL);
    QCOMPARE(model.index(0, ConnectionTableModel::App).data().toString(), QString("TLS"));
    QCOMPARE(model.record(0).handshakeServerNs, 20'000'000LL);

    // An error reply and a damaged body are refused with a reason; nothing is produced.
    protocol::Reply refused = protocol::makeErrorReply(
        7, "connections", protocol::ErrorCode::InvalidArgument, "bad ip parameter");
    ConnectionList untouched;
    QVERIFY(!app::core::NodeClient::parseConnectionsReply(refused, untouched, &error));
    QVERIFY(error.contains("bad ip parameter"));
    protocol::Reply damaged = reply;
    damaged.body = damaged.body.substr(0, damaged.body.size() / 2);
    QVERIFY(!app::core::NodeClient::parseConnectionsReply(damaged, untouched, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(untouched.connections.empty());
  }

  void exportsFilteredSortedCsv() {
    QTemporaryDir dir;
    views::ConnectionsView view(nullptr, QStringLiteral("test/exportHeader"));
    view.model()->setNodeName("n1", "alpha");
    view.model()->applyConnections("n1", sampleList());
    view.proxy()->setFilterText("(proto == \"tcp\")");
    view.table()->sortByColumn(ConnectionTableModel::Bytes, Qt::AscendingOrder);
    // Only three columns, in a chosen order.
    for (int column = 0; column < ConnectionTableModel::ColumnCount; ++column)
      view.setColumnVisible(column, column == ConnectionTableModel::Client ||
                                        column == ConnectionTableModel::Bytes ||
                                        column == ConnectionTableModel::HandshakeTotal);
    QCOMPARE(view.visibleColumns().size(), std::size_t(3));
    const QString file = dir.filePath("c.csv");
    QSignalSpy done(&view, &views::ConnectionsView::exportFinished);
    QVERIFY(view.exportCsv(file));
    QVERIFY(done.wait(10'000));
    QVERIFY(done[0][0].toBool());
    QFile csv(file);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(csv.readAll()), QString("Client,Bytes,Handshake RTT\r\n"
                                                       "2001:db8::1,2000,\r\n"
                                                       "10.0.0.2,40700,900.000\r\n"
                                                       "10.0.0.1,2005000,20500.000\r\n"
                                                       "10.0.0.10,3000100,\r\n"));
  }

  void columnChooserIsRemembered() {
    const QString key = QStringLiteral("test/chooserHeader");
    {
      views::ConnectionsView view(nullptr, key);
      QVERIFY(!view.table()->isColumnHidden(ConnectionTableModel::App));
      view.setColumnVisible(ConnectionTableModel::App, false);
      view.setColumnVisible(ConnectionTableModel::WindowScale, true);
      QVERIFY(view.table()->isColumnHidden(ConnectionTableModel::App));
    }
    views::ConnectionsView again(nullptr, key);
    QVERIFY(again.table()->isColumnHidden(ConnectionTableModel::App));
    QVERIFY(!again.table()->isColumnHidden(ConnectionTableModel::WindowScale));
    // A state saved before a column existed brings it back as the table starts it: hidden
    // when it starts hidden (pretend TlsAlpn and later columns came after the state).
    {
      views::ConnectionsView shown(nullptr, key);
      shown.setColumnVisible(ConnectionTableModel::TlsAlpn, true);
    }
    QSettings().setValue(key + "Columns", int(ConnectionTableModel::TlsAlpn));
    views::ConnectionsView upgraded(nullptr, key);
    QVERIFY(upgraded.table()->isColumnHidden(ConnectionTableModel::TlsAlpn));
    QVERIFY(!upgraded.table()->isColumnHidden(ConnectionTableModel::WindowScale));
    QVERIFY(upgraded.table()->isColumnHidden(ConnectionTableModel::App));
    // Another key (the IP detail's table) keeps its own choice.
    views::ConnectionsView other(nullptr, QStringLiteral("test/otherHeader"));
    QVERIFY(!other.table()->isColumnHidden(ConnectionTableModel::App));
    // The last visible column cannot be hidden.
    for (int column = 0; column < ConnectionTableModel::ColumnCount; ++column)
      other.setColumnVisible(column, false);
    QCOMPARE(other.visibleColumns().size(), std::size_t(1));
  }
};

QTEST_MAIN(TestConnectionTableModel)
#include "tst_connection_table_model.moc"
