// SPDX-License-Identifier: MIT
// Real netlens-node processes on 127.0.0.1 with keys made for the run.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <map>
#include <memory>
#include <zmq.hpp>

#include "shared/protocol/codec.h"
#include "shared/stats/host_merge.h"
#include "shared/transport/control_client.h"
#include "shared/transport/keys.h"
#include "shared/transport/subscriber.h"
#include "tests/integration/node_process.h"

using namespace netlens;

using namespace netlens::tests;

class TestNodeService : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void queryEqualsAnalyze();
  void connectionsServed();
  void historyServed();
  void twoNodesMerge();
  void unknownKeyIsRefused();
  void wrongServerKeyFails();
  void unreachableFails();
  void malformedRequestGetsError();
  void deltasArePublished();
  void badArgumentsExplain_data();
  void badArgumentsExplain();
  void keyFilesArePrivate();
  void authorizeKeyStartingWithDash();

 private:
  QTemporaryDir m_dir;
  QString m_clientKey;    // authorised
  QString m_strangerKey;  // not authorised
  QString m_clientPublic;
  std::unique_ptr<NodeProcess> m_nodeA;
  std::unique_ptr<NodeProcess> m_nodeB;
  QString m_fileA = capture("http_browsing_bro_org.pcap");
  QString m_fileB = capture("many_protocols_vlan_http_dns_tls.pcap");

  bool waitFinished(const QString& url) { return tests::waitFinished(url, m_clientKey); }
};

void TestNodeService::initTestCase() {
  QVERIFY(m_dir.isValid());
  QVERIFY2(QFile::exists(kNode), "netlens-node is not built");
  m_clientKey = m_dir.filePath("client.key");
  m_strangerKey = m_dir.filePath("stranger.key");
  auto k = runNode({"keygen", "--out", m_clientKey});
  QCOMPARE(k.exitCode, 0);
  m_clientPublic = QString::fromUtf8(k.out).trimmed();
  QCOMPARE(m_clientPublic.size(), 40);
  QCOMPARE(runNode({"keygen", "--out", m_strangerKey}).exitCode, 0);

  m_nodeA = std::make_unique<NodeProcess>();
  m_nodeB = std::make_unique<NodeProcess>();
  QVERIFY(m_nodeA->start(m_dir.filePath("stateA"), m_fileA, m_clientPublic));
  QVERIFY(m_nodeB->start(m_dir.filePath("stateB"), m_fileB, m_clientPublic));
  QVERIFY(waitFinished(m_nodeA->url));
  QVERIFY(waitFinished(m_nodeB->url));
}

void TestNodeService::queryEqualsAnalyze() {
  auto served = runNode({"query", m_nodeA->url, "hosts", "--json", "--key", m_clientKey});
  QVERIFY2(served.exitCode == 0, served.err.constData());
  auto offline = runNode({"analyze", "-r", m_fileA, "--json", "hosts"});
  QCOMPARE(offline.exitCode, 0);
  auto a = byIp(served.out), b = byIp(offline.out);
  QVERIFY(a.size() >= 2);
  QCOMPARE(a.size(), b.size());
  for (const auto& [ip, host] : b) {
    QVERIFY2(a.count(ip), qPrintable(ip));
    for (const char* field : {"tx_packets", "tx_bytes", "rx_packets", "rx_bytes", "tcp_packets",
                              "udp_packets", "tcp_payload_bytes", "tcp_retrans_packets",
                              "tcp_retrans_bytes", "first_seen", "last_seen"}) {
      QVERIFY2(host.contains(field), field);
      QCOMPARE(a[ip].value(field), host.value(field));
    }
  }
}

// The served connections equal `analyze --json connections`; ip and limit select; a bad
// parameter gets a clear error and the node goes on serving.
void TestNodeService::connectionsServed() {
  auto served = runNode(
      {"query", m_nodeA->url, "connections", "--json", "--key", m_clientKey, "--limit", "2000000"});
  QVERIFY2(served.exitCode == 0, served.err.constData());
  auto offline = runNode({"analyze", "-r", m_fileA, "--json", "connections"});
  QCOMPARE(offline.exitCode, 0);
  const auto key = [](const QJsonObject& c) {
    return QStringList{c.value("proto").toString(),
                       c.value("client_ip").toString(),
                       QString::number(c.value("client_port").toInt()),
                       c.value("server_ip").toString(),
                       QString::number(c.value("server_port").toInt()),
                       c.value("first_seen").toString()}
        .join(' ');
  };
  std::map<QString, QJsonObject> a;
  std::map<QString, QJsonObject> b;
  for (const auto& v : QJsonDocument::fromJson(served.out).object().value("connections").toArray())
    a[key(v.toObject())] = v.toObject();
  for (const auto& v : QJsonDocument::fromJson(offline.out).object().value("connections").toArray())
    b[key(v.toObject())] = v.toObject();
  QVERIFY(b.size() >= 10);
  QCOMPARE(a.size(), b.size());
  for (const auto& [k, c] : b) {
    QVERIFY2(a.count(k), qPrintable(k));
    for (const char* field : {"c2s_packets", "c2s_bytes", "s2c_packets", "s2c_bytes",
                              "retrans_packets", "handshake_rtt_us", "last_seen", "state"}) {
      QCOMPARE(a[k].value(field), c.value(field));
    }
  }

  // Only one address's connections: the 3 most recently active.
  const QString ip = b.begin()->second.value("client_ip").toString();
  QStringList lastOfIp;
  for (const auto& [k, c] : b) {
    if (c.value("client_ip").toString() == ip || c.value("server_ip").toString() == ip)
      lastOfIp << c.value("last_seen").toString();
  }
  std::sort(lastOfIp.begin(), lastOfIp.end(), std::greater<>());
  auto some = runNode({"query", m_nodeA->url, "connections", "--json", "--key", m_clientKey, "--ip",
                       ip, "--limit", "3"});
  QVERIFY2(some.exitCode == 0, some.err.constData());
  const QJsonArray list = QJsonDocument::fromJson(some.out).object().value("connections").toArray();
  QCOMPARE(list.size(), std::min<int>(3, lastOfIp.size()));
  for (const auto& v : list) {
    const QJsonObject c = v.toObject();
    QVERIFY(c.value("client_ip").toString() == ip || c.value("server_ip").toString() == ip);
    QVERIFY(c.value("last_seen").toString() >= lastOfIp[list.size() - 1]);
  }

  // `query ... ip` reports an address as `analyze --json ip` does.
  auto servedIp =
      runNode({"query", m_nodeA->url, "ip", "--json", "--key", m_clientKey, "--ip", ip});
  QVERIFY2(servedIp.exitCode == 0, servedIp.err.constData());
  auto offlineIp = runNode({"analyze", "-r", m_fileA, "--json", "ip", ip});
  QCOMPARE(offlineIp.exitCode, 0);
  const QJsonObject ipA = QJsonDocument::fromJson(servedIp.out).object().value("ip").toObject();
  const QJsonObject ipB = QJsonDocument::fromJson(offlineIp.out).object().value("ip").toObject();
  QVERIFY(!ipB.value("peers").toArray().isEmpty());
  for (const char* field :
       {"address", "as_client", "as_server", "last_new_connection", "peers", "protocols",
        "server_ports", "handshake_rtt_us", "http_server", "tls_server", "tls_client", "qos"}) {
    QVERIFY2(ipA.value(field) == ipB.value(field), field);
  }
  QCOMPARE(ipA.value("connections").toArray().size(), ipB.value("connections").toArray().size());
  QCOMPARE(ipA.value("host").toObject().value("tx_bytes"),
           ipB.value("host").toObject().value("tx_bytes"));
  auto noIp = runNode({"query", m_nodeA->url, "ip", "--json", "--key", m_clientKey});
  QVERIFY(noIp.exitCode != 0);
  QVERIFY2(noIp.err.contains("--ip"), noIp.err.constData());

  auto bad = runNode(
      {"query", m_nodeA->url, "connections", "--json", "--key", m_clientKey, "--ip", "10.0.0.999"});
  QVERIFY(bad.exitCode != 0);
  QVERIFY2(bad.err.contains("not an IPv4 or IPv6 address"), bad.err.constData());
  QCOMPARE(runNode({"query", m_nodeA->url, "global", "--json", "--key", m_clientKey}).exitCode, 0);
}

// The served history equals `analyze --json history`, its 1 s buckets add up to the global
// counters, an IP series adds up to the host's counters, and bad parameters get clear errors.
void TestNodeService::historyServed() {
  const auto history = [](const QByteArray& json) {
    return QJsonDocument::fromJson(json).object().value("history").toObject();
  };
  auto served = runNode({"query", m_nodeA->url, "history", "--json", "--key", m_clientKey,
                         "--series", "global", "--resolution", "1s"});
  QVERIFY2(served.exitCode == 0, served.err.constData());
  auto offline = runNode({"analyze", "-r", m_fileA, "--json", "history", "--series", "global"});
  QVERIFY2(offline.exitCode == 0, offline.err.constData());
  const QJsonObject a = history(served.out);
  QCOMPARE(a.value("series").toString(), QString("global"));
  QCOMPARE(a.value("resolution").toString(), QString("1s"));
  QVERIFY(a.value("complete").toBool());
  const QJsonArray buckets = a.value("buckets").toArray();
  QVERIFY(buckets.size() >= 10);
  QCOMPARE(buckets, history(offline.out).value("buckets").toArray());
  const auto global =
      QJsonDocument::fromJson(
          runNode({"query", m_nodeA->url, "global", "--json", "--key", m_clientKey}).out)
          .object()
          .value("global")
          .toObject();
  qint64 packets = 0, bytes = 0, tcp = 0;
  for (const auto& b : buckets) {
    packets += b.toObject().value("packets").toInteger();
    bytes += b.toObject().value("bytes").toInteger();
    tcp += b.toObject().value("tcp_packets").toInteger();
  }
  QVERIFY(packets > 0);
  QCOMPARE(packets, global.value("packets").toInteger());
  QCOMPARE(bytes, global.value("bytes").toInteger());
  QCOMPARE(tcp, global.value("tcp_packets").toInteger());

  // One IP at 1 min: sent and received add up to the host's counters.
  const auto hosts =
      byIp(runNode({"query", m_nodeA->url, "hosts", "--json", "--key", m_clientKey}).out);
  QVERIFY(!hosts.empty());
  const auto& [ip, host] = *hosts.begin();
  auto ipServed = runNode({"query", m_nodeA->url, "history", "--json", "--key", m_clientKey,
                           "--series", "ip", "--ip", ip, "--resolution", "1m"});
  QVERIFY2(ipServed.exitCode == 0, ipServed.err.constData());
  const QJsonObject h = history(ipServed.out);
  QCOMPARE(h.value("series").toString(), ip);
  QCOMPARE(h.value("resolution_ns").toInteger(), qint64(60'000'000'000));
  qint64 tx = 0, rxBytes = 0;
  for (const auto& b : h.value("buckets").toArray()) {
    tx += b.toObject().value("tx_packets").toInteger();
    rxBytes += b.toObject().value("rx_bytes").toInteger();
  }
  QCOMPARE(tx, host.value("tx_packets").toInteger());
  QCOMPARE(rxBytes, host.value("rx_bytes").toInteger());

  // One connection (the busiest) at 1 s, from the running node: its buckets add up to its
  // counters, client first even when the ends are given the other way round.
  const QJsonArray connections =
      QJsonDocument::fromJson(
          runNode({"query", m_nodeA->url, "connections", "--json", "--key", m_clientKey}).out)
          .object()
          .value("connections")
          .toArray();
  QVERIFY(!connections.isEmpty());
  QJsonObject busiest;
  for (const auto& v : connections) {
    const QJsonObject c = v.toObject();
    if (c.value("s2c_bytes").toInteger() > busiest.value("s2c_bytes").toInteger()) busiest = c;
  }
  auto connServed = runNode({"query", m_nodeA->url, "history", "--json", "--key", m_clientKey,
                             "--series", "connection", "--proto", busiest.value("proto").toString(),
                             "--client", busiest.value("server_ip").toString(), "--client-port",
                             QString::number(busiest.value("server_port").toInt()), "--server",
                             busiest.value("client_ip").toString(), "--server-port",
                             QString::number(busiest.value("client_port").toInt())});
  QVERIFY2(connServed.exitCode == 0, connServed.err.constData());
  const QJsonObject ch = history(connServed.out);
  QCOMPARE(ch.value("series").toString(), QStringLiteral("connection"));
  QVERIFY(ch.value("complete").toBool());
  qint64 c2s = 0, s2cBytes = 0;
  for (const auto& b : ch.value("buckets").toArray()) {
    c2s += b.toObject().value("c2s_packets").toInteger();
    s2cBytes += b.toObject().value("s2c_bytes").toInteger();
  }
  QCOMPARE(c2s, busiest.value("c2s_packets").toInteger());
  QCOMPARE(s2cBytes, busiest.value("s2c_bytes").toInteger());

  // The busiest connection's peer pair and its server's DSCP class, from the running node:
  // the same buckets as the offline analysis.
  const QStringList peerArgs{"--series", "peer",
                             "--ip",     busiest.value("client_ip").toString(),
                             "--peer",   busiest.value("server_ip").toString()};
  const QStringList qosArgs{"--series", "qos",  "--ip",    busiest.value("server_ip").toString(),
                            "--layer",  "dscp", "--class", "0"};
  // And the server's TCP handshakes (the kept "handshake" series).
  const QStringList handshakeArgs{"--series", "handshake", "--ip",
                                  busiest.value("server_ip").toString()};
  for (const QStringList& args : {peerArgs, qosArgs, handshakeArgs}) {
    auto served = runNode(
        QStringList{"query", m_nodeA->url, "history", "--json", "--key", m_clientKey} + args);
    QVERIFY2(served.exitCode == 0, served.err.constData());
    auto offline = runNode(QStringList{"analyze", "-r", m_fileA, "--json", "history"} + args);
    QVERIFY2(offline.exitCode == 0, offline.err.constData());
    const QJsonObject ph = history(served.out);
    QVERIFY(ph.value("complete").toBool());
    QVERIFY(!ph.value("buckets").toArray().isEmpty());
    QCOMPARE(ph.value("buckets").toArray(), history(offline.out).value("buckets").toArray());
    if (args != handshakeArgs) continue;
    // The server's handshakes are those of its connections in the list that have one.
    qint64 handshakes = 0;
    for (const auto& b : ph.value("buckets").toArray())
      handshakes += b.toObject().value("server_handshakes").toInteger();
    qint64 listed = 0;
    for (const auto& v : connections) {
      const QJsonObject c = v.toObject();
      listed += c.value("server_ip") == busiest.value("server_ip") &&
                c.contains("handshake_rtt_us") && c.value("state") != QStringLiteral("rejected");
    }
    QVERIFY(listed > 0);
    QCOMPARE(handshakes, listed);
  }

  const std::pair<QStringList, const char*> bad[] = {
      {{"--resolution", "5s"}, "parameter resolution: \"5s\" is not 1s, 1m or 1h"},
      {{"--series", "peer", "--ip", "192.0.2.1"}, "series peer needs ip and peer"},
      {{"--series", "peer", "--ip", "192.0.2.1", "--peer", "192.0.2.2"},
       "no history of 192.0.2.1 <-> 192.0.2.2"},
      {{"--series", "qos", "--ip", "192.0.2.1", "--layer", "cos", "--class", "1"},
       "parameter layer: \"cos\" is not dscp, vlan_pcp or mpls_tc"},
      {{"--series", "qos", "--ip", "192.0.2.1", "--layer", "mpls_tc", "--class", "9"},
       "parameter class: 9 is not a mpls_tc value (0 to 7)"},
      {{"--series", "ip"}, "parameter ip is missing"},
      {{"--series", "handshake"}, "series handshake needs ip (an address) or name (a group)"},
      {{"--series", "handshake", "--ip", "192.0.2.254"}, "no handshake history of 192.0.2.254"},
      {{"--series", "ip", "--ip", "192.0.2.254"}, "no history of 192.0.2.254"},
      {{"--from", "10", "--to", "5"}, "from (10) is after to (5)"},
      {{"--from", "yesterday"}, "parameter from: \"yesterday\" is not a time"},
      {{"--series", "connection", "--client", "192.0.2.1"}, "series connection needs proto"},
      {{"--series", "connection", "--proto", "tcpx", "--client", "192.0.2.1"},
       "parameter proto: \"tcpx\" is not tcp"},
      {{"--series", "connection", "--proto", "tcp", "--client", "192.0.2.1", "--client-port",
        "70000", "--server", "192.0.2.2"},
       "parameter client_port: \"70000\" is not a number from 0 to 65535"},
      {{"--series", "connection", "--proto", "tcp", "--client", "192.0.2.1", "--server",
        "192.0.2.2"},
       "parameters client_port and server_port are missing"},
      {{"--series", "connection", "--proto", "tcp", "--client", "192.0.2.1", "--client-port", "1",
        "--server", "192.0.2.2", "--server-port", "2"},
       "no such connection"},
      {{"--series", "global", "--proto", "udp"}, "go with series connection"},
  };
  for (const auto& [args, message] : bad) {
    auto r = runNode(QStringList{"query", m_nodeA->url, "history", "--json", "--key", m_clientKey} +
                     args);
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains(message), r.err.constData());
  }
  QCOMPARE(runNode({"query", m_nodeA->url, "global", "--json", "--key", m_clientKey}).exitCode, 0);
}

void TestNodeService::twoNodesMerge() {
  // A client of both nodes merges their snapshots; the result must equal one offline
  // analysis of both captures.
  auto keys = transport::loadKeyPair(m_clientKey.toStdString());
  QVERIFY(keys);
  zmq::context_t context(1);
  std::map<net::IpAddress, protocol::HostRecord> merged;
  for (auto* node : {m_nodeA.get(), m_nodeB.get()}) {
    auto cs = transport::ConnectionString::parse(node->url.toStdString());
    QVERIFY(cs);
    transport::ControlClient client(context, *cs, *keys);
    auto result = client.request("hosts", {}, std::chrono::seconds(5));
    QVERIFY2(result.ok(), result.failure().message.c_str());
    QVERIFY(!result.reply().isError());
    auto snapshot = protocol::decodeBody<protocol::HostsSnapshot>(result.reply().body);
    QVERIFY2(snapshot.ok(), snapshot.error().c_str());
    for (const auto& h : snapshot->hosts) {
      auto [it, inserted] = merged.try_emplace(h.ip, h);
      if (!inserted) stats::mergeHostRecord(it->second, h, 300'000'000'000);
    }
  }
  auto offline = runNode({"analyze", "-r", m_fileA, "-r", m_fileB, "--json", "hosts"});
  QCOMPARE(offline.exitCode, 0);
  auto expected = byIp(offline.out);
  QCOMPARE(merged.size(), expected.size());
  for (const auto& [ip, h] : merged) {
    const auto e = expected[QString::fromStdString(ip.toString())];
    QCOMPARE(h.txPackets, e.value("tx_packets").toInteger());
    QCOMPARE(h.rxBytes, e.value("rx_bytes").toInteger());
  }
}

void TestNodeService::unknownKeyIsRefused() {
  auto r = runNode({"query", m_nodeA->url, "hosts", "--json", "--key", m_strangerKey});
  QVERIFY(r.exitCode != 0);
  QVERIFY2(r.err.contains("not authorised"), r.err.constData());
  QVERIFY(r.out.isEmpty());
  QVERIFY(r.elapsedMs < 10000);
}

void TestNodeService::wrongServerKeyFails() {
  auto other = transport::generateKeyPair();
  QVERIFY(other);
  auto cs = transport::ConnectionString::parse(m_nodeA->url.toStdString());
  QVERIFY(cs);
  cs->serverKey = other->publicKey;
  auto r = runNode(
      {"query", QString::fromStdString(cs->toString()), "hosts", "--json", "--key", m_clientKey});
  QVERIFY(r.exitCode != 0);
  QVERIFY2(r.err.contains("server key"), r.err.constData());
  QVERIFY(r.elapsedMs < 10000);
}

void TestNodeService::unreachableFails() {
  auto cs = transport::ConnectionString::parse(m_nodeA->url.toStdString());
  QVERIFY(cs);
  cs->port = 1;  // nothing listens on port 1 of the loopback
  auto r = runNode(
      {"query", QString::fromStdString(cs->toString()), "hosts", "--json", "--key", m_clientKey});
  QVERIFY(r.exitCode != 0);
  QVERIFY2(r.err.contains("unreachable"), r.err.constData());
  QVERIFY(r.elapsedMs < 10000);
}

void TestNodeService::malformedRequestGetsError() {
  auto keys = transport::loadKeyPair(m_clientKey.toStdString());
  QVERIFY(keys);
  auto cs = transport::ConnectionString::parse(m_nodeA->url.toStdString());
  QVERIFY(cs);
  zmq::context_t context(1);
  zmq::socket_t dealer(context, zmq::socket_type::dealer);
  QVERIFY(transport::configureCurveClient(dealer, cs->serverKey, *keys).ok());
  dealer.connect(cs->endpoint());
  for (std::string garbage : {std::string("\xc1 not msgpack"), std::string("\x93\x01\x02\x03"),
                              protocol::encodeRequest({1, 7, "no-such-op", {}})}) {
    dealer.send(zmq::buffer(garbage), zmq::send_flags::none);
    zmq::pollitem_t items[] = {{dealer.handle(), 0, ZMQ_POLLIN, 0}};
    zmq::poll(items, 1, std::chrono::milliseconds(5000));
    QVERIFY(items[0].revents & ZMQ_POLLIN);
    zmq::message_t msg;
    QVERIFY(dealer.recv(msg, zmq::recv_flags::none));
    auto reply = protocol::decodeReply(msg.to_string_view());
    QVERIFY2(reply.ok(), reply.error().c_str());
    QVERIFY(reply->isError());
    QVERIFY(!reply->error->message.empty());
  }
  // The node goes on serving.
  auto r = runNode({"query", m_nodeA->url, "global", "--json", "--key", m_clientKey});
  QCOMPARE(r.exitCode, 0);
}

void TestNodeService::deltasArePublished() {
  auto keys = transport::loadKeyPair(m_clientKey.toStdString());
  QVERIFY(keys);
  auto cs = transport::ConnectionString::parse(m_nodeB->url.toStdString());
  QVERIFY(cs);
  zmq::context_t context(1);
  transport::ControlClient client(context, *cs, *keys);
  auto hello = client.request("hello", {}, std::chrono::seconds(5));
  QVERIFY(hello.ok() && !hello.reply().isError());
  auto h = protocol::decodeBody<protocol::Hello>(hello.reply().body);
  QVERIFY(h.ok());
  QCOMPARE(h->role, std::string("viewer"));
  QCOMPARE(h->nodeName, std::string("many_protocols_vlan_http_dns_tls.pcap"));
  QCOMPARE(h->sources.size(), std::size_t(1));
  QCOMPARE(h->sources[0].linkTypeName, std::string("EN10MB"));
  transport::Subscriber sub(context, *cs, h->publisherPort, *keys);
  sub.subscribe(protocol::kHostsTopic);
  auto snap = client.request("hosts", {}, std::chrono::seconds(5));
  QVERIFY(snap.ok() && !snap.reply().isError());
  auto snapshot = protocol::decodeBody<protocol::HostsSnapshot>(snap.reply().body);
  QVERIFY(snapshot.ok());
  QVERIFY(snapshot->epoch != 0);  // a restarted node is told apart by its epoch
  std::uint64_t previous = 0;
  for (int i = 0; i < 2; ++i) {
    auto pub = sub.receive(std::chrono::milliseconds(5000));
    QVERIFY(pub.has_value());
    auto delta = protocol::decodeBody<protocol::HostsDelta>(pub->body);
    QVERIFY2(delta.ok(), delta.error().c_str());
    QCOMPARE(delta->epoch, snapshot->epoch);
    if (previous) QCOMPARE(delta->sequence, previous + 1);
    previous = delta->sequence;
    QVERIFY(delta->global.packets > 0);
  }
}

void TestNodeService::badArgumentsExplain_data() {
  QTest::addColumn<QStringList>("args");
  QTest::addColumn<QString>("message");
  QTest::newRow("missing file") << QStringList{"analyze", "-r", "/nonexistent/x.pcap"}
                                << "cannot read /nonexistent/x.pcap";
  QTest::newRow("not a capture") << QStringList{"analyze", "-r", NETLENS_SOURCE_ROOT "/README.md"}
                                 << "not a readable pcap or pcapng file";
  QTest::newRow("bad filter") << QStringList{"analyze", "-r", capture("dhcp_dora.pcap"), "port",
                                             "nonsense"}
                              << "bad filter";
  QTest::newRow("no interface") << QStringList{"run",
                                               "-i",
                                               "nosuchif0",
                                               "--state",
                                               QDir::tempPath() + "/netlens-test-noif",
                                               "--listen",
                                               "127.0.0.1:0"}
                                << "no such interface";
  QTest::newRow("bad key") << QStringList{"authorize", "tooshort", "--role", "viewer"} << "bad key";
  QTest::newRow("bad url") << QStringList{"query", "http://x", "hosts", "--json"} << "netlens://";
  QTest::newRow("unknown option") << QStringList{"analyze", "--frobnicate"} << "unknown option";
  QTest::newRow("mistyped state folder")
      << QStringList{"connection-string", "--state", QDir::tempPath() + "/netlens-no-such-state"}
      << "no node key in";
  // A shared folder such as /tmp is refused as a state folder, and left as it is.
  const QString badGroups = m_dir.filePath("bad-groups.txt");
  writeFile(badGroups, "a 10.0.0.0/8\n# b\nb 10.0.0.0/8 192.168.1.1/16\n");
  QTest::newRow("bad groups file")
      << QStringList{"analyze", "-r", capture("dhcp_dora.pcap"), "--groups", badGroups}
      << "bad-groups.txt:3: group \"b\": prefix \"192.168.1.1/16\" has host bits set";
  QTest::newRow("missing groups file")
      << QStringList{"analyze", "-r", capture("dhcp_dora.pcap"), "--groups", "/nonexistent/g"}
      << "cannot read groups file /nonexistent/g";
  QTest::newRow("max groups zero")
      << QStringList{"analyze", "-r", capture("dhcp_dora.pcap"), "--max-groups", "0"}
      << "--max-groups takes a number from 1 to 65535";
  const QString twoGroups = m_dir.filePath("two-groups.txt");
  writeFile(twoGroups, "a 10.0.0.0/8\nb 2001:db8::/32\n");
  QTest::newRow("more groups than the limit")
      << QStringList{"analyze",      "-r", capture("dhcp_dora.pcap"), "--groups", twoGroups,
                     "--max-groups", "1"}
      << "two-groups.txt: 2 groups are more than this node's limit of 1 (netlens-node run "
         "--max-groups N, at most 65535)";
  QTest::newRow("state folder open to others")
      << QStringList{"authorize", "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7",
                     "--role",    "viewer",
                     "--state",   QDir::tempPath()}
      << "open to other users";
}

void TestNodeService::badArgumentsExplain() {
  QFETCH(QStringList, args);
  QFETCH(QString, message);
  auto r = runNode(args, 15000);
  QVERIFY(r.exitCode != 0);
  QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
}

void TestNodeService::keyFilesArePrivate() {
  for (const QString& f :
       {m_clientKey, m_nodeA->state + "/node.key", m_nodeA->state + "/authorized_keys"}) {
    const auto perms = QFile::permissions(f);
    QVERIFY2(!(perms & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup |
                        QFileDevice::WriteOther)),
             qPrintable(f));
  }
  const auto dirPerms = QFile::permissions(m_nodeA->state);
  QVERIFY(!(dirPerms & (QFileDevice::ReadOther | QFileDevice::ExeOther | QFileDevice::ReadGroup)));
}

void TestNodeService::authorizeKeyStartingWithDash() {
  // Z85 keys may begin with '-'; such a key must not be taken for an option.
  std::string key;
  for (int i = 0; i < 20000 && key.empty(); ++i) {
    auto k = transport::generateKeyPair();
    QVERIFY(k);
    if (k->publicKey[0] == '-') key = k->publicKey;
  }
  QVERIFY(!key.empty());
  const QString state = m_dir.filePath("stateDash");
  const QString k = QString::fromStdString(key);
  auto r = runNode({"authorize", k, "--role", "viewer", "--state", state});
  QVERIFY2(r.exitCode == 0, r.err.constData());
  auto r2 = runNode({"authorize", "--role", "admin", "--state", state, "--", k});
  QVERIFY2(r2.exitCode == 0, r2.err.constData());
  QFile f(state + "/authorized_keys");
  QVERIFY(f.open(QIODevice::ReadOnly));
  const QByteArray text = f.readAll();
  QCOMPARE(text.count(key.c_str()), 1);  // the second call changed the role, not a new line
  QVERIFY(text.contains(QByteArray(key.c_str()) + " admin"));
}

QTEST_GUILESS_MAIN(TestNodeService)
#include "tst_node_service.moc"
