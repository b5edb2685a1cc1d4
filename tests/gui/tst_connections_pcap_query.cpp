// SPDX-License-Identifier: MIT
// The PCAP query of a DPI protocol's row (CaptureQueries::forConnections): the connections of
// one application as `netlens-node analyze --json connections` reports them, turned into a BPF
// expression that libpcap compiles for the capture and runs over its frames. It must select
// exactly the frames tshark's display filter for the same flows selects, and those are exactly
// the connections' packets (their counters add up to the count). Also the query's other
// parameters: the download names the flows for the nodes' "connection" criterion (checked
// against the node's records in tests/corpus/tst_store_corpus.cpp), the live form is the BPF,
// up to its limit of flows.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>
#include <QTest>

#include <algorithm>
#include <vector>

#include "app/models/capture_query.h"
#include "shared/net/ip_address.h"
#include "shared/protocol/operation.h"
#include "tests/common/bpf_frames.h"
#include "tests/common/tshark_reference.h"

using namespace netlens;
using netlens::app::models::CaptureQueries;
namespace ref = netlens::tests;

namespace {

/// The connections of `capture` whose application is `app`, and their packets added up.
std::vector<protocol::ConnectionRecord> connectionsOf(const QString& capture, const QString& app,
                                                      quint64* packets, QString* error) {
  QProcess p;
  p.start(QStringLiteral(NETLENS_NODE_BINARY),
          {QStringLiteral("analyze"), QStringLiteral("-r"), capture, QStringLiteral("--json"),
           QStringLiteral("connections")});
  if (!p.waitForFinished(60000) || p.exitCode() != 0) {
    *error = QString::fromUtf8(p.readAllStandardError());
    return {};
  }
  std::vector<protocol::ConnectionRecord> out;
  *packets = 0;
  const QJsonArray all =
      QJsonDocument::fromJson(p.readAllStandardOutput()).object().value("connections").toArray();
  for (const QJsonValue& v : all) {
    const QJsonObject c = v.toObject();
    if (c.value("app").toString() != app) continue;
    protocol::ConnectionRecord r;
    const QString proto = c.value("proto").toString();
    r.protocol = proto == "tcp" ? 6 : proto == "udp" ? 17 : proto == "sctp" ? 132 : 0;
    r.clientIp = *net::IpAddress::parse(c.value("client_ip").toString().toStdString());
    r.serverIp = *net::IpAddress::parse(c.value("server_ip").toString().toStdString());
    r.clientPort = static_cast<std::uint16_t>(c.value("client_port").toInt());
    r.serverPort = static_cast<std::uint16_t>(c.value("server_port").toInt());
    r.app = app.toStdString();
    *packets += static_cast<quint64>(c.value("c2s_packets").toInteger() +
                                     c.value("s2c_packets").toInteger());
    out.push_back(r);
  }
  return out;
}

/// tshark's display filter for the same flows, both directions of each.
QString tsharkFilter(const std::vector<protocol::ConnectionRecord>& connections) {
  QStringList terms;
  for (const auto& c : connections) {
    const QString field =
        c.clientIp.isV6() ? QStringLiteral("ipv6.addr") : QStringLiteral("ip.addr");
    const QString proto = c.protocol == 6 ? QStringLiteral("tcp") : QStringLiteral("udp");
    terms << QStringLiteral("(%1 == %2 && %1 == %3 && %4.port == %5 && %4.port == %6)")
                 .arg(field, QString::fromStdString(c.clientIp.toString()),
                      QString::fromStdString(c.serverIp.toString()), proto)
                 .arg(c.clientPort)
                 .arg(c.serverPort);
  }
  return terms.join(QStringLiteral(" || "));
}

}  // namespace

class TestConnectionsPcapQuery : public QObject {
  Q_OBJECT

 private slots:
  void matchesTshark_data() {
    QTest::addColumn<QString>("capture");
    QTest::addColumn<QString>("app");
    // VLAN-tagged and untagged frames, TCP and UDP, dozens of flows each.
    QTest::newRow("HTTP") << "many_protocols_vlan_http_dns_tls.pcap"
                          << "HTTP";
    QTest::newRow("DNS.Google") << "many_protocols_vlan_http_dns_tls.pcap"
                                << "DNS.Google";
    QTest::newRow("TLS.Google") << "many_protocols_vlan_http_dns_tls.pcap"
                                << "TLS.Google";
    QTest::newRow("behind two tags") << "vlan_qinq_http_pcp5.pcap"
                                     << "HTTP";
    QTest::newRow("LLMNR over IPv4 and IPv6") << "mixed_http_dns_dhcp_tls_retrans.pcap"
                                              << "LLMNR";
  }

  void matchesTshark() {
    QFETCH(QString, capture);
    QFETCH(QString, app);
    const QString file = ref::capturePath(capture);
    quint64 packets = 0;
    QString error;
    const auto connections = connectionsOf(file, app, &packets, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(!connections.empty());
    QVERIFY(connections.size() <= CaptureQueries::kMaxLiveConnectionFlows);
    const auto query = CaptureQueries::forConnections("t", "s", connections);
    QVERIFY(query.liveParams);
    const QStringList ours = ref::bpfFrames(file, query.liveParams->at("bpf"), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    bool ok = false;
    const QStringList reference = ref::tsharkFrames(file, tsharkFilter(connections), &ok);
    QVERIFY2(ok, "tshark failed");
    QCOMPARE(ours, reference);
    QCOMPARE(quint64(ours.size()), packets);
  }

  void queryParameters() {
    protocol::ConnectionRecord a;
    a.protocol = 6;
    a.clientIp = *net::IpAddress::parse("10.0.0.2");
    a.clientPort = 50000;
    a.serverIp = *net::IpAddress::parse("10.0.0.1");
    a.serverPort = 443;
    a.firstSeen = 2'000;
    a.lastSeen = 9'000;
    protocol::ConnectionRecord b = a;
    b.protocol = 47;  // no ports: the protocol and both hosts
    b.firstSeen = 1'000;
    b.lastSeen = 5'000;
    protocol::ConnectionRecord reversed = a;  // the same flow from the other end: one term
    std::swap(reversed.clientIp, reversed.serverIp);
    std::swap(reversed.clientPort, reversed.serverPort);
    QCOMPARE(
        CaptureQueries::connectionsFilter({a, b, reversed}),
        std::string("((tcp and host 10.0.0.1 and host 10.0.0.2 and port 443 and port 50000) "
                    "or ((ip proto 47 or ip6 proto 47) and host 10.0.0.1 and host 10.0.0.2))"));
    // A download names each flow once, in the nodes' "connection" form; the live form is BPF.
    const auto q =
        CaptureQueries::forConnections("TLS of 10.0.0.1", "10.0.0.1-TLS", {a, b, reversed});
    QCOMPARE(q.params.at("connection"),
             std::string("47 10.0.0.1 10.0.0.2,tcp 10.0.0.1:443 10.0.0.2:50000"));
    QCOMPARE(q.params.at("from"), std::string("1000"));
    QCOMPARE(q.params.at("to"), std::string("9000"));
    QCOMPARE(q.params.size(), std::size_t(3));
    QVERIFY(q.liveParams);
    QCOMPARE(q.liveParams->size(), std::size_t(1));
    QVERIFY(q.liveParams->at("bpf").find("(vlan and (") != std::string::npos);
    QVERIFY(CaptureQueries::forConnections("none", "none", {}).params.empty());
    // Past the flows a live BPF takes, the download stays and the live form goes.
    std::vector<protocol::ConnectionRecord> many;
    for (std::size_t i = 0; i < CaptureQueries::kMaxLiveConnectionFlows; ++i) {
      protocol::ConnectionRecord c = a;
      c.clientPort = static_cast<std::uint16_t>(1024 + i);
      many.push_back(c);
    }
    QVERIFY(!CaptureQueries::forConnections("many", "many", many).liveParams->empty());
    many.push_back(many.back());
    many.back().clientPort = 1;
    const auto past = CaptureQueries::forConnections("many", "many", many);
    QVERIFY(past.liveParams && past.liveParams->empty());
    QCOMPARE(
        std::count(past.params.at("connection").begin(), past.params.at("connection").end(), ','),
        std::ptrdiff_t(CaptureQueries::kMaxLiveConnectionFlows));
    // Past what a search names, nothing (the menu says why).
    for (std::size_t i = many.size(); i <= protocol::kMaxSearchConnections; ++i) {
      protocol::ConnectionRecord c = a;
      const auto n = static_cast<std::uint32_t>(0x0a010000u + i);
      const std::uint8_t bytes[4] = {std::uint8_t(n >> 24), std::uint8_t(n >> 16),
                                     std::uint8_t(n >> 8), std::uint8_t(n)};
      c.clientIp = net::IpAddress::fromV4(bytes);
      many.push_back(c);
    }
    QVERIFY(CaptureQueries::forConnections("all", "all", many).params.empty());
    many.pop_back();
    QVERIFY(!CaptureQueries::forConnections("all", "all", many).params.empty());
  }
};

QTEST_MAIN(TestConnectionsPcapQuery)
#include "tst_connections_pcap_query.moc"
