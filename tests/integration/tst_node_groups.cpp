// SPDX-License-Identifier: MIT
// IP groups served by real netlens-node processes on 127.0.0.1 with keys made for the run:
// group sums and detail against the hosts and connections, and changes by an admin only.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <memory>
#include <zmq.hpp>

#include "shared/protocol/codec.h"
#include "shared/transport/control_client.h"
#include "shared/transport/keys.h"
#include "tests/integration/node_process.h"

using namespace netlens;
using namespace netlens::tests;

class TestNodeGroups : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void groupSumsEqualMemberHosts();
  void groupsChangedByAdminOnly();

 private:
  QTemporaryDir m_dir;
  QString m_clientKey;  // authorised
  QString m_clientPublic;
  QString m_fileB = capture("many_protocols_vlan_http_dns_tls.pcap");

  bool waitFinished(const QString& url) { return tests::waitFinished(url, m_clientKey); }
};

void TestNodeGroups::initTestCase() {
  QVERIFY(m_dir.isValid());
  QVERIFY2(QFile::exists(kNode), "netlens-node is not built");
  m_clientKey = m_dir.filePath("client.key");
  auto k = runNode({"keygen", "--out", m_clientKey});
  QCOMPARE(k.exitCode, 0);
  m_clientPublic = QString::fromUtf8(k.out).trimmed();
}

// Corpus check: every group's figures equal the sums over the hosts of `analyze --json
// hosts` that lie in it (membership worked out here, independently), with overlapping
// groups, IPv4 and IPv6; each host's "group" is its most specific group.
void TestNodeGroups::groupSumsEqualMemberHosts() {
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
  // Connections name the group of each end, as the hosts do.
  auto groupedRun = runNode({"analyze", "-r", m_fileB, "--groups", file, "--json", "connections"});
  QVERIFY2(groupedRun.exitCode == 0, groupedRun.err.constData());
  const QJsonArray grouped =
      QJsonDocument::fromJson(groupedRun.out).object().value("connections").toArray();
  QVERIFY(grouped.size() > 10);
  for (const auto& v : grouped) {
    const QJsonObject c = v.toObject();
    QCOMPARE(c.value("client_group").toString(), expectedGroup[c.value("client_ip").toString()]);
    QCOMPARE(c.value("server_group").toString(), expectedGroup[c.value("server_ip").toString()]);
  }

  // A group's detail: for a group of one address, everything derived from connections is
  // that address's detail; for a bigger group, its connections are those with a member end.
  // (Both with the groups: records and peers carry the groups of their ends.)
  auto ipRun =
      runNode({"analyze", "-r", m_fileB, "--groups", file, "--json", "ip", "212.58.244.20"});
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
  for (const auto& peer : oneDetail.value("peers").toArray())
    QCOMPARE(peer.toObject().value("group").toString(),
             expectedGroup[peer.toObject().value("ip").toString()]);
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
void TestNodeGroups::groupsChangedByAdminOnly() {
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
  const auto sumOfHistory = [&](const QStringList& selection, const char* counter) {
    auto r = runNode(QStringList{"query", node->url, "history", "--json", "--key", m_clientKey,
                                 "--resolution", "1h"} +
                     selection);
    qint64 sum = -1;
    if (r.exitCode != 0) return sum;
    sum = 0;
    for (const auto& b : QJsonDocument::fromJson(r.out)
                             .object()
                             .value("history")
                             .toObject()
                             .value("buckets")
                             .toArray())
      sum += b.toObject().value(QLatin1String(counter)).toInteger();
    return sum;
  };
  const auto txOfHistory = [&](const QStringList& selection) {
    return sumOfHistory(selection, "tx_packets");
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
  // The group's handshake series is its members' too (a member without a TCP handshake has
  // none: the node says so, and it adds nothing).
  const QStringList groupHandshakes{"--series", "handshake", "--name", "lan"};
  qint64 memberSyns = 0;
  for (const auto& m : byName(lanMembers.out).at("lan").value("members").toArray()) {
    memberSyns += std::max<qint64>(
        0, sumOfHistory({"--series", "handshake", "--ip", m.toString()}, "client_syns"));
  }
  QVERIFY(memberSyns > 0);
  QCOMPARE(sumOfHistory(groupHandshakes, "client_syns"), memberSyns);
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

QTEST_GUILESS_MAIN(TestNodeGroups)
#include "tst_node_groups.moc"
