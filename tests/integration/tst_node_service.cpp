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

using namespace netlens;

namespace {

const QString kNode = QStringLiteral(NETLENS_NODE_BINARY);

QString capture(const char* name) {
  return QStringLiteral(NETLENS_SHARED_DATA "/pcaps/") + QString::fromLatin1(name);
}

struct CommandResult {
  int exitCode = -1;
  QByteArray out;
  QByteArray err;
  qint64 elapsedMs = 0;
};

CommandResult runNode(const QStringList& args, int timeoutMs = 30000) {
  QProcess p;
  QElapsedTimer timer;
  timer.start();
  p.start(kNode, args);
  CommandResult r;
  if (!p.waitForFinished(timeoutMs)) {
    p.kill();
    p.waitForFinished();
    r.err = "timed out";
    return r;
  }
  r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  r.out = p.readAllStandardOutput();
  r.err = p.readAllStandardError();
  r.elapsedMs = timer.elapsed();
  return r;
}

/// A node process serving one capture on an ephemeral loopback port.
struct NodeProcess {
  QString state;
  QProcess process;
  QString url;

  bool start(const QString& stateDir, const QString& file, const QString& consoleKey,
             const QStringList& extra = {}) {
    state = stateDir;
    if (runNode({"authorize", consoleKey, "--role", "viewer", "--state", state}).exitCode != 0) {
      return false;
    }
    QFile::remove(state + "/listen");  // a restarted node writes it again
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(kNode, QStringList{"run", "-r", file, "--state", state, "--listen", "127.0.0.1:0",
                                     "--name", QFileInfo(file).fileName()} +
                             extra);
    if (!process.waitForStarted()) return false;
    // The node writes the port it bound to into its state folder.
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 10000) {
      if (QFile::exists(state + "/listen")) {
        auto r = runNode({"connection-string", "--state", state, "--host", "127.0.0.1"});
        url = QString::fromUtf8(r.out).trimmed();
        if (r.exitCode == 0 && url.startsWith("netlens://")) return true;
      }
      QTest::qWait(50);
    }
    return false;
  }
  ~NodeProcess() {
    if (process.state() != QProcess::NotRunning) {
      process.terminate();
      if (!process.waitForFinished(5000)) process.kill();
      process.waitForFinished();
    }
  }
};

bool writeFile(const QString& path, const QByteArray& text) {
  QFile f(path);
  return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
}

std::map<QString, QJsonObject> byName(const QByteArray& json) {
  std::map<QString, QJsonObject> out;
  const auto groups = QJsonDocument::fromJson(json).object().value("groups").toArray();
  for (const auto& g : groups) out[g.toObject().value("name").toString()] = g.toObject();
  return out;
}

/// Test-side membership, bit by bit, sharing no code with the node's lookup.
bool inPrefix(const QString& address, const QString& prefix) {
  const auto a = net::IpAddress::parse(address.toStdString());
  const auto slash = prefix.indexOf('/');
  const auto n = net::IpAddress::parse(prefix.left(slash).toStdString());
  const int length = prefix.mid(slash + 1).toInt();
  if (!a || !n || a->family != n->family) return false;
  for (int bit = 0; bit < length; ++bit) {
    const int mask = 0x80 >> (bit % 8);
    if ((a->bytes[bit / 8] & mask) != (n->bytes[bit / 8] & mask)) return false;
  }
  return true;
}

std::map<QString, QJsonObject> byIp(const QByteArray& json) {
  std::map<QString, QJsonObject> out;
  const auto hosts = QJsonDocument::fromJson(json).object().value("hosts").toArray();
  for (const auto& h : hosts) out[h.toObject().value("ip").toString()] = h.toObject();
  return out;
}

}  // namespace

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
  void groupSumsEqualMemberHosts();
  void groupsChangedByAdminOnly();

 private:
  QTemporaryDir m_dir;
  QString m_clientKey;    // authorised
  QString m_strangerKey;  // not authorised
  QString m_clientPublic;
  std::unique_ptr<NodeProcess> m_nodeA;
  std::unique_ptr<NodeProcess> m_nodeB;
  QString m_fileA = capture("http_browsing_bro_org.pcap");
  QString m_fileB = capture("many_protocols_vlan_http_dns_tls.pcap");

  bool waitFinished(const QString& url) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 20000) {
      auto r = runNode({"query", url, "global", "--json", "--key", m_clientKey});
      const auto sources =
          QJsonDocument::fromJson(r.out).object().value("global").toObject().value("sources");
      const auto arr = sources.toArray();
      if (!arr.isEmpty() && arr.first().toObject().value("finished").toBool()) return true;
      QTest::qWait(100);
    }
    return false;
  }
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
                              "udp_packets", "first_seen", "last_seen"}) {
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

  const std::pair<QStringList, const char*> bad[] = {
      {{"--resolution", "5s"}, "parameter resolution: \"5s\" is not 1s, 1m or 1h"},
      {{"--series", "ip"}, "parameter ip is missing"},
      {{"--series", "ip", "--ip", "192.0.2.254"}, "no history of 192.0.2.254"},
      {{"--from", "10", "--to", "5"}, "from (10) is after to (5)"},
      {{"--from", "yesterday"}, "parameter from: \"yesterday\" is not a time"},
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

// Corpus check: every group's figures equal the sums over the hosts of `analyze --json
// hosts` that lie in it (membership worked out here, independently), with overlapping
// groups, IPv4 and IPv6; each host's "group" is its most specific group.
void TestNodeService::groupSumsEqualMemberHosts() {
  const QString file = m_dir.filePath("corpus-groups.txt");
  // Order matters for ties: "ten-a" and "ten-b" list the same /24, "ten-a" comes first.
  const std::vector<std::pair<QString, QStringList>> defs{
      {"all4", {"0.0.0.0/0"}},
      {"all6", {"::/0"}},
      {"ten", {"10.0.0.0/8"}},
      {"ten-a", {"10.118.10.0/24", "10.209.20.0/24"}},
      {"ten-b", {"10.118.10.0/24"}},
      {"google", {"173.194.0.0/16", "74.125.0.0/16", "64.233.160.0/19"}},
      {"bbc", {"212.58.224.0/19"}},
      {"one-host", {"212.58.244.20/32"}},
      {"v6-local", {"fe80::/10", "ff02::/16"}},
      {"empty", {"192.0.2.0/24"}}};
  QByteArray text = "# corpus groups\n";
  for (const auto& [name, prefixes] : defs)
    text += (name + " " + prefixes.join(' ') + "\n").toUtf8();
  QVERIFY(writeFile(file, text));
  auto hostsRun = runNode({"analyze", "-r", m_fileB, "--groups", file, "--json", "hosts"});
  QVERIFY2(hostsRun.exitCode == 0, hostsRun.err.constData());
  auto groupsRun = runNode({"analyze", "-r", m_fileB, "--groups", file, "--json", "groups"});
  QVERIFY2(groupsRun.exitCode == 0, groupsRun.err.constData());
  const auto hosts = byIp(hostsRun.out);
  const auto groups = byName(groupsRun.out);
  QVERIFY(hosts.size() > 50);
  QCOMPARE(groups.size(), defs.size());
  QCOMPARE(QJsonDocument::fromJson(groupsRun.out).object().value("max_groups").toInt(), 32);

  std::map<QString, int> bestLength;
  std::map<QString, QString> expectedGroup;
  for (const auto& [name, prefixes] : defs) {
    const QJsonObject g = groups.at(name);
    QStringList members;
    qint64 sums[6] = {};
    QString first, last;
    for (const auto& [ip, h] : hosts) {
      int longest = -1;
      for (const auto& p : prefixes)
        if (inPrefix(ip, p)) longest = std::max(longest, p.mid(p.indexOf('/') + 1).toInt());
      if (longest < 0) continue;
      members << ip;
      const char* fields[] = {"tx_packets", "tx_bytes",    "rx_packets",
                              "rx_bytes",   "tcp_packets", "udp_packets"};
      for (int i = 0; i < 6; ++i) sums[i] += h.value(fields[i]).toInteger();
      const QString f = h.value("first_seen").toString(), l = h.value("last_seen").toString();
      if (first.isEmpty() || f < first) first = f;
      if (l > last) last = l;
      if (!bestLength.count(ip) || longest > bestLength[ip]) {
        bestLength[ip] = longest;
        expectedGroup[ip] = name;
      }
    }
    QCOMPARE(g.value("member_count").toInteger(), qint64(members.size()));
    QCOMPARE(g.value("tx_packets").toInteger(), sums[0]);
    QCOMPARE(g.value("tx_bytes").toInteger(), sums[1]);
    QCOMPARE(g.value("rx_packets").toInteger(), sums[2]);
    QCOMPARE(g.value("rx_bytes").toInteger(), sums[3]);
    QCOMPARE(g.value("tcp_packets").toInteger(), sums[4]);
    QCOMPARE(g.value("udp_packets").toInteger(), sums[5]);
    QCOMPARE(g.value("first_seen").toString(), first);
    QCOMPARE(g.value("last_seen").toString(), last);
    QStringList listed;
    for (const auto& m : g.value("members").toArray()) listed << m.toString();
    listed.sort();
    members.sort();
    QCOMPARE(listed, members);
  }
  // The groups cover what they should: every host is in all4 or all6, some in several.
  QCOMPARE(groups.at("all4").value("member_count").toInteger() +
               groups.at("all6").value("member_count").toInteger(),
           qint64(hosts.size()));
  QVERIFY(groups.at("all6").value("member_count").toInteger() >= 3);
  QCOMPARE(groups.at("ten-a").value("member_count").toInteger(), 4);
  QCOMPARE(groups.at("ten-b").value("member_count").toInteger(), 2);
  QCOMPARE(groups.at("one-host").value("member_count").toInteger(), 1);
  QCOMPARE(groups.at("empty").value("member_count").toInteger(), 0);
  for (const auto& [ip, h] : hosts) QCOMPARE(h.value("group").toString(), expectedGroup[ip]);
  QCOMPARE(hosts.at("10.118.10.1").value("group").toString(), QString("ten-a"));  // tie: first
  QCOMPARE(hosts.at("212.58.244.20").value("group").toString(), QString("one-host"));

  // A group's detail: for a group of one address, everything derived from connections is
  // that address's detail; for a bigger group, its connections are those with a member end.
  auto ipRun = runNode({"analyze", "-r", m_fileB, "--json", "ip", "212.58.244.20"});
  auto oneRun =
      runNode({"analyze", "-r", m_fileB, "--groups", file, "--json", "group", "one-host"});
  QVERIFY2(ipRun.exitCode == 0 && oneRun.exitCode == 0, oneRun.err.constData());
  const QJsonObject ipDetail = QJsonDocument::fromJson(ipRun.out).object().value("ip").toObject();
  const QJsonObject oneDetail =
      QJsonDocument::fromJson(oneRun.out).object().value("group").toObject();
  for (const char* key : {"as_client", "as_server", "last_new_connection", "new_connections",
                          "peers", "protocols", "server_ports", "handshake_rtt_us", "http_server",
                          "tls_server", "tls_client", "qos", "connections"})
    QVERIFY2(ipDetail.value(key) == oneDetail.value(key), key);
  QCOMPARE(oneDetail.value("member_count").toInt(), 1);
  QVERIFY(oneDetail.value("peers").toArray().size() > 0);
  auto tenRun = runNode({"analyze", "-r", m_fileB, "--groups", file, "--json", "group", "ten-a"});
  auto connRun = runNode({"analyze", "-r", m_fileB, "--json", "connections"});
  QVERIFY2(tenRun.exitCode == 0 && connRun.exitCode == 0, tenRun.err.constData());
  const QJsonObject ten = QJsonDocument::fromJson(tenRun.out).object().value("group").toObject();
  int expectedConnections = 0;
  int expectedClient = 0;
  for (const auto& v :
       QJsonDocument::fromJson(connRun.out).object().value("connections").toArray()) {
    const QJsonObject c = v.toObject();
    const bool client = inPrefix(c.value("client_ip").toString(), "10.118.10.0/24") ||
                        inPrefix(c.value("client_ip").toString(), "10.209.20.0/24");
    const bool server = inPrefix(c.value("server_ip").toString(), "10.118.10.0/24") ||
                        inPrefix(c.value("server_ip").toString(), "10.209.20.0/24");
    expectedConnections += client || server;
    expectedClient += client;
  }
  QVERIFY(expectedConnections > 0);
  QCOMPARE(ten.value("connections").toArray().size(), expectedConnections);
  QCOMPARE(ten.value("as_client").toInt(), expectedClient);
  auto noGroup = runNode({"analyze", "-r", m_fileB, "--groups", file, "--json", "group", "nope"});
  QVERIFY(noGroup.exitCode != 0);
  QVERIFY2(noGroup.err.contains("no group named \"nope\""), noGroup.err.constData());
}

// Groups are changed by an admin key and apply at once; a viewer is refused; invalid sets and
// sets over the limit are refused with clear messages and change nothing; a restart keeps the
// admin's set.
void TestNodeService::groupsChangedByAdminOnly() {
  const QString adminKey = m_dir.filePath("admin.key");
  auto k = runNode({"keygen", "--out", adminKey});
  QCOMPARE(k.exitCode, 0);
  const QString adminPublic = QString::fromUtf8(k.out).trimmed();
  const QString initial = m_dir.filePath("initial-groups.txt");
  QVERIFY(writeFile(initial, "initial 10.0.0.0/8\n"));
  const QString state = m_dir.filePath("stateG");
  QCOMPARE(runNode({"authorize", adminPublic, "--role", "admin", "--state", state}).exitCode, 0);
  auto node = std::make_unique<NodeProcess>();
  QVERIFY(node->start(state, m_fileB, m_clientPublic, {"--groups", initial}));
  QVERIFY(waitFinished(node->url));

  auto before = runNode({"query", node->url, "groups", "--json", "--key", m_clientKey});
  QVERIFY2(before.exitCode == 0, before.err.constData());
  QCOMPARE(byName(before.out).size(), std::size_t(1));
  QVERIFY(byName(before.out).at("initial").value("member_count").toInt() > 5);

  const QString next = m_dir.filePath("next-groups.txt");
  QVERIFY(writeFile(next,
                    "lan 10.0.0.0/8\nlan-118 10.118.10.0/24\nlink-local fe80::/10\n"
                    "multicast6 ff00::/8\n"));
  // A viewer is refused and nothing changes.
  auto refused =
      runNode({"query", node->url, "set-groups", "--groups", next, "--key", m_clientKey});
  QVERIFY(refused.exitCode != 0);
  QVERIFY2(refused.err.contains("admin"), refused.err.constData());
  QVERIFY(!QFile::exists(state + "/groups"));
  QCOMPARE(
      byName(runNode({"query", node->url, "groups", "--json", "--key", m_clientKey}).out).size(),
      std::size_t(1));

  // The admin changes them; the next query shows them, in hosts too.
  auto set = runNode({"query", node->url, "set-groups", "--groups", next, "--key", adminKey});
  QVERIFY2(set.exitCode == 0, set.err.constData());
  QCOMPARE(byName(set.out).size(), std::size_t(4));
  auto after = runNode({"query", node->url, "groups", "--json", "--key", m_clientKey});
  QVERIFY2(after.exitCode == 0, after.err.constData());
  const auto groups = byName(after.out);
  QCOMPARE(groups.size(), std::size_t(4));
  QVERIFY(!groups.count("initial"));
  QCOMPARE(groups.at("lan-118").value("member_count").toInt(), 2);
  QCOMPARE(groups.at("link-local").value("prefixes").toArray().first().toString(),
           QString("fe80::/10"));
  QVERIFY(!groups.at("lan").contains("members"));
  auto hosts = byIp(runNode({"query", node->url, "hosts", "--json", "--key", m_clientKey}).out);
  QCOMPARE(hosts.at("10.118.10.1").value("group").toString(), QString("lan-118"));
  QCOMPARE(hosts.at("10.0.0.1").value("group").toString(), QString("lan"));
  QCOMPARE(hosts.at("fe80::4dc7:f593:1f7b:dc11").value("group").toString(), QString("link-local"));
  QVERIFY(!hosts.at("8.8.8.8").contains("group"));
  auto one =
      runNode({"query", node->url, "groups", "--json", "--key", m_clientKey, "--name", "lan-118"});
  QVERIFY2(one.exitCode == 0, one.err.constData());
  const auto oneGroup = byName(one.out);
  QCOMPARE(oneGroup.size(), std::size_t(1));
  QCOMPARE(oneGroup.at("lan-118").value("members").toArray(),
           (QJsonArray{"10.118.10.1", "10.118.10.2"}));
  auto unknown =
      runNode({"query", node->url, "groups", "--json", "--key", m_clientKey, "--name", "nope"});
  QVERIFY(unknown.exitCode != 0);
  QVERIFY2(unknown.err.contains("no group named \"nope\""), unknown.err.constData());

  // A group's connections and history from the running node: the connections with a member
  // end, and the sum of the members' histories, in step with the group set just made.
  auto groupConnections = runNode(
      {"query", node->url, "connections", "--json", "--key", m_clientKey, "--group", "lan-118"});
  QVERIFY2(groupConnections.exitCode == 0, groupConnections.err.constData());
  const QJsonArray lanConnections =
      QJsonDocument::fromJson(groupConnections.out).object().value("connections").toArray();
  QVERIFY(!lanConnections.isEmpty());
  int expectedLan = 0;
  auto allConnections =
      runNode({"query", node->url, "connections", "--json", "--key", m_clientKey});
  for (const auto& v :
       QJsonDocument::fromJson(allConnections.out).object().value("connections").toArray()) {
    const QJsonObject c = v.toObject();
    expectedLan += inPrefix(c.value("client_ip").toString(), "10.118.10.0/24") ||
                   inPrefix(c.value("server_ip").toString(), "10.118.10.0/24");
  }
  QCOMPARE(lanConnections.size(), expectedLan);
  // The capture spans more than the hour ring's week, so the sum is compared with the
  // members' own series rather than with their counters.
  const auto txOfHistory = [&](const QStringList& selection) {
    auto r = runNode(QStringList{"query", node->url, "history", "--json", "--key", m_clientKey,
                                 "--resolution", "1h"} +
                     selection);
    qint64 tx = -1;
    if (r.exitCode != 0) return tx;
    tx = 0;
    for (const auto& b : QJsonDocument::fromJson(r.out)
                             .object()
                             .value("history")
                             .toObject()
                             .value("buckets")
                             .toArray())
      tx += b.toObject().value("tx_packets").toInteger();
    return tx;
  };
  const qint64 groupTx = txOfHistory({"--series", "group", "--name", "lan"});
  auto lanMembers =
      runNode({"query", node->url, "groups", "--json", "--key", m_clientKey, "--name", "lan"});
  QVERIFY2(lanMembers.exitCode == 0, lanMembers.err.constData());
  qint64 memberTx = 0;
  for (const auto& m : byName(lanMembers.out).at("lan").value("members").toArray()) {
    const qint64 tx = txOfHistory({"--series", "ip", "--ip", m.toString()});
    QVERIFY2(tx >= 0, qPrintable(m.toString()));
    memberTx += tx;
  }
  QVERIFY(memberTx > 0);
  QCOMPARE(groupTx, memberTx);
  for (const QStringList& bad : {QStringList{"connections", "--group", "nope"},
                                 QStringList{"history", "--series", "group", "--name", "nope"},
                                 QStringList{"history", "--series", "group"}}) {
    auto r = runNode(QStringList{"query", node->url} + bad +
                     QStringList{"--json", "--key", m_clientKey});
    QVERIFY2(r.exitCode != 0, qPrintable(bad.join(' ')));
    QVERIFY2(r.err.contains("nope") || r.err.contains("name is missing"), r.err.constData());
  }

  // The node validates what it receives itself (not only the CLI): InvalidArgument naming the
  // group and prefix, and the limit; nothing changes.
  {
    auto keys = transport::loadKeyPair(adminKey.toStdString());
    QVERIFY(keys);
    auto cs = transport::ConnectionString::parse(node->url.toStdString());
    QVERIFY(cs);
    zmq::context_t context(1);
    transport::ControlClient client(context, *cs, *keys);
    protocol::GroupDefinitions bad{{{"ok", {"10.0.0.0/8"}}, {"typo", {"192.168.1.1/16"}}}};
    auto r = client.request("set-groups", {{"groups", protocol::encodeBody(bad)}},
                            std::chrono::seconds(5));
    QVERIFY2(r.ok(), r.failure().message.c_str());
    QVERIFY(r.reply().isError());
    QCOMPARE(r.reply().error->code, protocol::ErrorCode::InvalidArgument);
    QCOMPARE(r.reply().error->message,
             std::string("group \"typo\": prefix \"192.168.1.1/16\" has host bits set (the "
                         "network is 192.168.0.0/16)"));
    protocol::GroupDefinitions many;
    for (int i = 0; i < 33; ++i) many.groups.push_back({"g" + std::to_string(i), {"10.0.0.0/8"}});
    r = client.request("set-groups", {{"groups", protocol::encodeBody(many)}},
                       std::chrono::seconds(5));
    QVERIFY(r.ok() && r.reply().isError());
    QVERIFY2(r.reply().error->message.find("limit of 32") != std::string::npos,
             r.reply().error->message.c_str());
    r = client.request("set-groups", {{"groups", "not msgpack"}}, std::chrono::seconds(5));
    QVERIFY(r.ok() && r.reply().isError());
    QCOMPARE(r.reply().error->code, protocol::ErrorCode::InvalidArgument);
  }
  QCOMPARE(
      byName(runNode({"query", node->url, "groups", "--json", "--key", m_clientKey}).out).size(),
      std::size_t(4));

  // Kept in the state folder (0600) and used again after a restart, over --groups.
  const auto perms = QFile::permissions(state + "/groups");
  QVERIFY(!(perms & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup |
                     QFileDevice::WriteOther)));
  node.reset();
  node = std::make_unique<NodeProcess>();
  QVERIFY(node->start(state, m_fileB, m_clientPublic, {"--groups", initial}));
  QVERIFY(waitFinished(node->url));
  const auto restarted =
      byName(runNode({"query", node->url, "groups", "--json", "--key", m_clientKey}).out);
  QCOMPARE(restarted.size(), std::size_t(4));
  QCOMPARE(restarted.at("lan-118").value("member_count").toInt(), 2);
}

QTEST_GUILESS_MAIN(TestNodeService)
#include "tst_node_service.moc"
