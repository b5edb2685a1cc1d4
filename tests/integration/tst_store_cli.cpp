// SPDX-License-Identifier: MIT
// `netlens-node ingest` and `search` as a user runs them: a capture stored and searched, the
// written pcap read back by tshark, the session list, private files, and clear errors.
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <memory>

#include "tests/integration/node_process.h"

using namespace netlens::tests;

namespace {

/// Frames tshark reads from `file` with display filter `filter` ("" for all); -1 on failure.
int tsharkCount(const QString& file, const QString& filter) {
  QProcess p;
  QStringList args{"-r", file, "-T", "fields", "-e", "frame.number"};
  if (!filter.isEmpty()) args << "-Y" << filter;
  p.start("tshark", args);
  if (!p.waitForFinished(60000) || p.exitCode() != 0) return -1;
  return int(p.readAllStandardOutput().count('\n'));
}

QByteArray fileBytes(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

/// Makes a client key pair at `path`; its public key, or "" when keygen failed.
QString newClientKey(const QString& path) {
  auto k = runNode({"keygen", "--out", path});
  return k.exitCode == 0 ? QString::fromUtf8(k.out).trimmed() : QString();
}

/// The packets a running node says its store holds, or -1 when it does not answer.
int storedPackets(const QString& url, const QString& key) {
  auto g = runNode({"query", url, "global", "--json", "--key", key});
  if (g.exitCode != 0) return -1;
  return QJsonDocument::fromJson(g.out)
      .object()
      .value("global")
      .toObject()
      .value("store")
      .toObject()
      .value("packets")
      .toInt(-1);
}

// The packets a running node's store holds, asked until it holds `expected` (up to 20 s).
int waitStored(const QString& url, const QString& key, int expected) {
  int stored = -1;
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < 20000 && stored != expected) {
    stored = storedPackets(url, key);
    QTest::qWait(100);
  }
  return stored;
}

// Every frame of `out` is on the interface named for the file it came from, and each
// interface holds exactly that file's frames (compared as sets of frame MD5s: the merge writes
// in time order, and a file may be a little out of order itself).
void checkInterfacesPerFile(const QString& out, const std::map<QByteArray, QString>& files) {
  const auto fields = [](const QString& capture, const QString& field) {
    QProcess p;
    p.start("tshark", {"-r", capture, "-o", "frame.generate_md5_hash:TRUE", "-T", "fields", "-e",
                       "frame.md5_hash", "-e", field});
    p.waitForFinished(60000);
    return p.readAllStandardOutput().trimmed().split('\n');
  };
  std::map<QByteArray, QList<QByteArray>> byInterface;
  for (const QByteArray& line : fields(out, "frame.interface_name")) {
    const QList<QByteArray> f = line.split('\t');
    byInterface[f.value(1)].push_back(f.value(0));
  }
  QCOMPARE(byInterface.size(), files.size());
  const auto md5s = [&](const QString& file) {
    QList<QByteArray> list;
    for (const QByteArray& line : fields(file, "frame.number")) list.push_back(line.split('\t')[0]);
    std::sort(list.begin(), list.end());
    return list;
  };
  for (const auto& [name, file] : files) {
    QList<QByteArray> got = byInterface[name];
    std::sort(got.begin(), got.end());
    QCOMPARE(got, md5s(file));
  }
}

class TestStoreCli : public QObject {
  Q_OBJECT

 private slots:
  void ingestThenSearch();
  void badInputExplains();
  void runningNodeStoresAndSurvivesKill();
  void killedWhileWritingKeepsWhatWasFlushed();
  void twoNodesMergeIntoOnePcapng();
  void twoSourcesTwoInterfaces();
  void offlineSearchPcapngPerSource();
  void classicPcapIsWrittenWholeOrNotAtAll();

 private:
  QTemporaryDir m_dir;
};

void TestStoreCli::ingestThenSearch() {
  QVERIFY(m_dir.isValid());
  const QString file = capture("mixed_http_dns_dhcp_tls_retrans.pcap");
  const QString store = m_dir.filePath("store");
  auto in = runNode(
      {"ingest", "-r", file, "--store", store, "--store-size", "100M", "--segment-size", "64K"});
  QVERIFY2(in.exitCode == 0, in.err.constData());
  QVERIFY(in.out.contains("stored"));
  namespace fs = std::filesystem;
  QCOMPARE(fs::status(store.toStdString()).permissions() & fs::perms::all, fs::perms::owner_all);
  int files = 0;
  for (const auto& e : fs::directory_iterator(store.toStdString())) {
    QCOMPARE(e.status().permissions() & fs::perms::all,
             fs::perms::owner_read | fs::perms::owner_write);
    ++files;
  }
  QVERIFY(files >= 4);  // several segments, each with its index

  const QString out = m_dir.filePath("dns.pcap");
  auto s = runNode({"search", "--store", store, "--port", "53", "--proto", "udp", "--write", out});
  QVERIFY2(s.exitCode == 0, s.err.constData());
  const int expected = tsharkCount(file, "udp.port == 53 && !icmp");
  QVERIFY(expected > 0);
  QCOMPARE(tsharkCount(out, ""), expected);

  auto list = runNode({"search", "--store", store, "--host", "8.8.8.8", "--list"});
  QVERIFY2(list.exitCode == 0, list.err.constData());
  const QJsonObject result = QJsonDocument::fromJson(list.out).object().value("search").toObject();
  const int packets = result.value("packets").toInt();
  QCOMPARE(packets, tsharkCount(file, "ip.addr == 8.8.8.8 && !icmp"));
  int inSessions = 0;
  for (const auto& v : result.value("sessions").toArray()) {
    const QJsonObject session = v.toObject();
    QVERIFY(session.value("a_ip").toString() == "8.8.8.8" ||
            session.value("b_ip").toString() == "8.8.8.8");
    inSessions += session.value("packets").toInt();
  }
  QCOMPARE(inSessions, packets);
  // The index is used: far fewer packets read than stored.
  QVERIFY(result.value("packets_read").toInt() < tsharkCount(file, "") / 2);

  // A session found above, named as a connection from its other end: that session alone.
  const QJsonObject one = result.value("sessions").toArray().first().toObject();
  QCOMPARE(one.value("protocol").toInt(), 17);
  const QString named = QStringLiteral("udp %1:%2 %3:%4")
                            .arg(one.value("b_ip").toString())
                            .arg(one.value("b_port").toInt())
                            .arg(one.value("a_ip").toString())
                            .arg(one.value("a_port").toInt());
  auto flow = runNode({"search", "--store", store, "--connection", named, "--list"});
  QVERIFY2(flow.exitCode == 0, flow.err.constData());
  const QJsonObject flowResult =
      QJsonDocument::fromJson(flow.out).object().value("search").toObject();
  QCOMPARE(flowResult.value("sessions").toArray().size(), 1);
  QCOMPARE(flowResult.value("packets").toInt(), one.value("packets").toInt());
  QCOMPARE(flowResult.value("packets").toInt(),
           tsharkCount(file, QStringLiteral("ip.addr == %1 && ip.addr == %2 && udp.port == %3 && "
                                            "udp.port == %4 && !icmp")
                                 .arg(one.value("a_ip").toString(), one.value("b_ip").toString())
                                 .arg(one.value("a_port").toInt())
                                 .arg(one.value("b_port").toInt())));

  // A payload signature, as text and as hex, finds the packets whose transport payload holds
  // it: the same count as tshark finds those bytes in the frames (headers never hold them).
  auto text = runNode({"search", "--store", store, "--payload", "GET /", "--list"});
  QVERIFY2(text.exitCode == 0, text.err.constData());
  const int withGet = QJsonDocument::fromJson(text.out)
                          .object()
                          .value("search")
                          .toObject()
                          .value("packets")
                          .toInt();
  QVERIFY(withGet > 0);
  QCOMPARE(withGet, tsharkCount(file, "frame contains \"GET /\""));
  auto hex = runNode({"search", "--store", store, "--payload-hex", "47:45:54 20 2f", "--list"});
  QVERIFY2(hex.exitCode == 0, hex.err.constData());
  QCOMPARE(
      QJsonDocument::fromJson(hex.out).object().value("search").toObject().value("packets").toInt(),
      withGet);

  // A regular expression: the packets whose payload it matches, as tshark's (case-sensitive)
  // "matches" over the frames finds them; per session, every packet of those sessions.
  const QString requestLine = "(GET|POST|HEAD) /[^ ]* HTTP/1\\.[01]";
  auto regex = runNode({"search", "--store", store, "--payload-regex", requestLine, "--list"});
  QVERIFY2(regex.exitCode == 0, regex.err.constData());
  const QJsonObject byRegex =
      QJsonDocument::fromJson(regex.out).object().value("search").toObject();
  const int requests = byRegex.value("packets").toInt();
  QVERIFY(requests >= withGet);
  QCOMPARE(requests, tsharkCount(file, "frame matches \"(?-i)" +
                                           QString(requestLine).replace("\\", "\\\\") + "\""));
  auto sessions = runNode(
      {"search", "--store", store, "--payload-regex", requestLine, "--per-session", "--list"});
  QVERIFY2(sessions.exitCode == 0, sessions.err.constData());
  const QJsonObject bySession =
      QJsonDocument::fromJson(sessions.out).object().value("search").toObject();
  QVERIFY(bySession.value("packets").toInt() > requests);
  int sessionPackets = 0;
  for (const auto& v : bySession.value("sessions").toArray())
    sessionPackets += v.toObject().value("packets").toInt();
  QCOMPARE(sessionPackets, bySession.value("packets").toInt());
  const QString regexOut = m_dir.filePath("requests.pcap");
  QCOMPARE(
      runNode({"search", "--store", store, "--payload-regex", requestLine, "--write", regexOut})
          .exitCode,
      0);
  QCOMPARE(tsharkCount(regexOut, ""), requests);

  // A store filter keeps only the matching packets: the whole store is then exactly what
  // tshark finds for the same filter.
  const QString dnsStore = m_dir.filePath("dns-store");
  auto filtered =
      runNode({"ingest", "-r", file, "--store", dnsStore, "--store-filter", "udp port 53"});
  QVERIFY2(filtered.exitCode == 0, filtered.err.constData());
  QVERIFY2(filtered.out.contains("left out"), filtered.out.constData());
  const QString all = m_dir.filePath("all.pcap");
  auto everything = runNode({"search", "--store", dnsStore, "--write", all});
  QVERIFY2(everything.exitCode == 0, everything.err.constData());
  QCOMPARE(tsharkCount(all, ""), tsharkCount(file, "udp.port == 53 && !icmp"));
}

void TestStoreCli::badInputExplains() {
  const QString store = m_dir.filePath("store2");
  const QString file = capture("dhcp_dora.pcap");
  QCOMPARE(runNode({"ingest", "-r", file, "--store", store}).exitCode, 0);
  const struct {
    QStringList args;
    const char* message;
  } cases[] = {
      {{"ingest", "-r", file}, "--store DIR"},
      {{"ingest", "--store", store}, "-r FILE"},
      {{"ingest", "-r", file, "--store", store, "--store-size", "lots"}, "500M"},
      {{"ingest", "-r", file, "--store", m_dir.filePath("store3"), "--segment-size", "1K"},
       "the segment size (1024 bytes) must be at least 4096 bytes (--segment-size 4K or more)"},
      {{"ingest", "-r", file, "--store", m_dir.filePath("store3"), "--store-size", "64K",
        "--segment-size", "128K"},
       "the store size (65536 bytes) must be at least one segment (131072 bytes)"},
      {{"ingest", "-r", "/no/such.pcap", "--store", store}, "/no/such.pcap"},
      {{"search", "--store", store, "--list", "--host", "10.0.0.300"}, "not an IPv4 or IPv6"},
      {{"search", "--store", store, "--list", "--port", "70000"}, "0 to 65535"},
      {{"search", "--store", store, "--list", "--proto", "tcpp"}, "tcp, udp, icmp"},
      {{"search", "--store", store, "--list", "--connection", "udp 10.0.0.1 10.0.0.2"},
       "[ADDR]:PORT for IPv6"},
      {{"search", "--store", store, "--list", "--from", "yesterday"}, "2024-05-01T12:00:00Z"},
      {{"search", "--store", store, "--list", "--bpf", "port ("}, "bad filter"},
      {{"search", "--store", store, "--list", "--bpf-code", "1,6 0 0"}, "code jt jf k"},
      {{"search", "--store", store, "--list", "--payload-hex", "4G"}, "is not hex bytes"},
      {{"search", "--store", store, "--list", "--payload-hex", "474"}, "two hex digits each"},
      {{"search", "--store", store, "--list", "--payload", "a", "--payload-hex", "61"},
       "give one of them"},
      {{"search", "--store", store, "--list", "--payload-regex", "GET (/"},
       "is not a valid regular expression: Unmatched ( or \\("},
      {{"search", "--store", store, "--list", "--payload-regex", "a", "--payload", "a"},
       "give one of them"},
      {{"query", "netlens://127.0.0.1:9?key=x", "live", "--payload-regex", "GET", "--write",
        m_dir.filePath("live.pcap")},
       "live capture does not take payload signatures"},
      {{"ingest", "-r", file, "--store", store, "--store-filter", "port ("},
       "store filter: bad filter"},
      {{"search", "--store", store}, "--write OUT.pcap"},
  };
  for (const auto& c : cases) {
    auto r = runNode(c.args);
    QVERIFY2(r.exitCode != 0, qPrintable(c.args.join(' ')));
    QVERIFY2(r.err.contains(c.message), r.err.constData());
  }
  // A store folder others can read is refused, with the fix.
  const QString open = m_dir.filePath("open");
  QVERIFY(QDir().mkpath(open));
  QFile::setPermissions(open, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                  QFileDevice::ExeOwner | QFileDevice::ReadOther |
                                  QFileDevice::ExeOther);
  auto r = runNode({"ingest", "-r", file, "--store", open});
  QVERIFY(r.exitCode != 0);
  QVERIFY2(r.err.contains("chmod 700"), r.err.constData());
  // Time given as a UTC date: nothing before the capture, everything from its start.
  auto before = runNode({"search", "--store", store, "--list", "--to", "2000-01-01T00:00:00Z"});
  QVERIFY2(before.exitCode == 0, before.err.constData());
  QCOMPARE(QJsonDocument::fromJson(before.out)
               .object()
               .value("search")
               .toObject()
               .value("packets")
               .toInt(),
           0);
  auto after = runNode({"search", "--store", store, "--list", "--from", "2000-01-01T00:00:00.5Z"});
  QCOMPARE(QJsonDocument::fromJson(after.out)
               .object()
               .value("search")
               .toObject()
               .value("packets")
               .toInt(),
           tsharkCount(file, ""));
}

// `run --store`: the node stores every packet it analyses and reports the ring in `global`;
// killed with SIGKILL while its segment is open, the store it leaves is indexed again on the
// next open and every packet flushed before the kill (all of them, a second after the file
// was read) is found.
void TestStoreCli::runningNodeStoresAndSurvivesKill() {
  const QString key = m_dir.filePath("client.key");
  const QString publicKey = newClientKey(key);
  QVERIFY(!publicKey.isEmpty());
  const QString file = capture("http_browsing_bro_org.pcap");
  const QString store = m_dir.filePath("ring");
  auto node = std::make_unique<NodeProcess>();
  QVERIFY(node->start(m_dir.filePath("state"), file, publicKey,
                      {"--store", store, "--store-size", "50M", "--segment-size", "128K"}));
  QVERIFY(waitFinished(node->url, key));
  const int total = tsharkCount(file, "");
  QJsonObject ring;
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < 20000) {
    auto g = runNode({"query", node->url, "global", "--json", "--key", key});
    ring = QJsonDocument::fromJson(g.out)
               .object()
               .value("global")
               .toObject()
               .value("store")
               .toObject();
    if (ring.value("packets").toInt() == total) break;
    QTest::qWait(100);
  }
  QCOMPARE(ring.value("packets").toInt(), total);
  QCOMPARE(ring.value("drops").toInt(), 0);
  QCOMPARE(ring.value("max_bytes").toInteger(), qint64(50) << 20);
  QVERIFY(ring.value("oldest_packet").toString().startsWith("2014-01-14T"));
  // Searching the running node: the same packets as the capture holds, as pcap and as
  // sessions; a limit cuts the answer and says so.
  const QString live = m_dir.filePath("live.pcap");
  auto q = runNode({"query", node->url, "search", "--key", key, "--host", "192.150.187.43",
                    "--port", "80", "--write", live});
  QVERIFY2(q.exitCode == 0, q.err.constData());
  QCOMPARE(tsharkCount(live, ""), tsharkCount(file, "ip.addr == 192.150.187.43 && tcp.port == 80"));
  auto liveList = runNode({"query", node->url, "search", "--key", key, "--list", "--proto", "tcp",
                           "--from", "2014-01-14T17:04:05Z"});
  QVERIFY2(liveList.exitCode == 0, liveList.err.constData());
  const QJsonObject found =
      QJsonDocument::fromJson(liveList.out).object().value("search").toObject();
  QCOMPARE(found.value("packets").toInt(),
           tsharkCount(file, "tcp && frame.time_epoch >= 1389719045"));
  QVERIFY(!found.value("sessions").toArray().isEmpty());
  auto limited = runNode({"query", node->url, "search", "--key", key, "--list", "--limit", "5"});
  QVERIFY2(limited.exitCode == 0, limited.err.constData());
  QVERIFY(QJsonDocument::fromJson(limited.out)
              .object()
              .value("search")
              .toObject()
              .value("truncated")
              .toBool());
  QVERIFY(limited.err.contains("only the first 5"));
  // A download comes in pages (4 KiB here): the same file as one answer. Stopped by --limit,
  // it says where the rest starts, and --after fetches exactly the rest.
  const QString paged = m_dir.filePath("paged.pcap");
  auto pg = runNode({"query", node->url, "search", "--key", key, "--host", "192.150.187.43",
                     "--port", "80", "--page-size", "4K", "--write", paged});
  QVERIFY2(pg.exitCode == 0, pg.err.constData());
  QCOMPARE(fileBytes(paged), fileBytes(live));
  const QString head = m_dir.filePath("head.pcap"), tail = m_dir.filePath("tail.pcap");
  auto h = runNode({"query", node->url, "search", "--key", key, "--host", "192.150.187.43",
                    "--port", "80", "--page-size", "4K", "--limit", "100", "--write", head});
  QVERIFY2(h.exitCode == 0, h.err.constData());
  const QRegularExpression after(QStringLiteral("--after (\\d+:\\d+)"));
  const auto m = after.match(QString::fromUtf8(h.err));
  QVERIFY2(m.hasMatch(), h.err.constData());
  QCOMPARE(tsharkCount(head, ""), 100);
  auto rest = runNode({"query", node->url, "search", "--key", key, "--host", "192.150.187.43",
                       "--port", "80", "--after", m.captured(1), "--write", tail});
  QVERIFY2(rest.exitCode == 0, rest.err.constData());
  QCOMPARE(fileBytes(head) + fileBytes(tail).mid(24), fileBytes(live));
  auto lonely = runNode({"query", node->url, "search", "--key", key, "--list", "--after", "1:0"});
  QVERIFY(lonely.exitCode != 0);
  QVERIFY2(lonely.err.contains("go with search --write"), lonely.err.constData());
  auto badQuery = runNode({"query", node->url, "search", "--key", key, "--list", "--vlan", "5000"});
  QVERIFY(badQuery.exitCode != 0);
  QVERIFY2(badQuery.err.contains("VLAN id"), badQuery.err.constData());
  QTest::qWait(1500);    // the writer flushes at least once a second
  node->process.kill();  // SIGKILL: no index for the open segment
  node->process.waitForFinished();
  node.reset();
  auto list = runNode({"search", "--store", store, "--list"});
  QVERIFY2(list.exitCode == 0, list.err.constData());
  QCOMPARE(QJsonDocument::fromJson(list.out)
               .object()
               .value("search")
               .toObject()
               .value("packets")
               .toInt(),
           total);
  const QString out = m_dir.filePath("after-kill.pcap");
  QCOMPARE(
      runNode({"search", "--store", store, "--host", "192.150.187.43", "--write", out}).exitCode,
      0);
  QCOMPARE(tsharkCount(out, ""), tsharkCount(file, "ip.addr == 192.150.187.43"));
}

// kill -9 while the node writes (an RTP stream replayed at its recorded pace, 50 packets a
// second): opened again, the ring cuts a torn last record, re-indexes the open segment, and
// holds every packet the node counted as stored 1.5 s before the kill (the writer flushes at
// least once a second), exactly the first packets of the capture, in order.
void TestStoreCli::killedWhileWritingKeepsWhatWasFlushed() {
  const QString key = m_dir.filePath("kill.key");
  const QString publicKey = newClientKey(key);
  QVERIFY(!publicKey.isEmpty());
  const QString file = capture("rtp_g711a_high_jitter.pcap");
  const QString store = m_dir.filePath("kill-ring");
  auto node = std::make_unique<NodeProcess>();
  QVERIFY(node->start(m_dir.filePath("kill-state"), file, publicKey,
                      {"--store", store, "--segment-size", "64K", "--pace", "realtime"}));
  QTRY_VERIFY_WITH_TIMEOUT(storedPackets(node->url, key) >= 300, 30000);
  const int acknowledged = storedPackets(node->url, key);
  QTest::qWait(1500);
  const int beforeKill = storedPackets(node->url, key);
  QVERIFY2(beforeKill > acknowledged, "the node was not writing any more");
  node->process.kill();
  node->process.waitForFinished();
  node.reset();

  auto list = runNode({"search", "--store", store, "--list"});
  QVERIFY2(list.exitCode == 0, list.err.constData());
  const int found = QJsonDocument::fromJson(list.out)
                        .object()
                        .value("search")
                        .toObject()
                        .value("packets")
                        .toInt();
  QVERIFY2(found >= acknowledged, qPrintable(QString("%1 < %2").arg(found).arg(acknowledged)));
  QVERIFY(found < tsharkCount(file, ""));
  // The packets found are the capture's first ones, whole and in order.
  const QString out = m_dir.filePath("after-kill-rtp.pcap");
  auto w = runNode({"search", "--store", store, "--write", out});
  QVERIFY2(w.exitCode == 0, w.err.constData());
  const auto fields = [](const QString& pcap, int count) {
    QProcess p;
    p.start("tshark", {"-r", pcap, "-c", QString::number(count), "-T", "fields", "-e", "frame.len",
                       "-e", "ip.id", "-e", "rtp.seq"});
    p.waitForFinished(60000);
    return p.readAllStandardOutput();
  };
  const QByteArray ours = fields(out, found);
  QCOMPARE(ours.count('\n'), found);
  QCOMPARE(ours, fields(file, found));
}

// Two nodes keep overlapping parts of one capture (a store filter each); one query asks both
// and writes one pcapng: the union once, in time order, one interface per node, exactly the
// packets of the capture (compared by MD5 of the frame bytes, in order).
void TestStoreCli::twoNodesMergeIntoOnePcapng() {
  const QString key = m_dir.filePath("merge.key");
  const QString consoleKey = newClientKey(key);
  QVERIFY(!consoleKey.isEmpty());
  const QString file = capture("mixed_http_dns_dhcp_tls_retrans.pcap");
  struct Tap {
    const char* name = nullptr;
    const char* storeFilter = nullptr;
    const char* displayFilter = nullptr;  // the same packets, as tshark names them
    NodeProcess node;
  };
  std::array<Tap, 2> taps;
  taps[0].name = "tap-a";
  taps[0].storeFilter = "tcp";
  taps[0].displayFilter = "tcp";
  taps[1].name = "tap-b";
  taps[1].storeFilter = "udp or tcp port 443";
  taps[1].displayFilter = "udp || tcp.port == 443";
  for (auto& tap : taps) {
    const QString dir = m_dir.filePath(tap.name);
    QVERIFY(tap.node.start(
        dir + "-state", file, consoleKey,
        {"--name", tap.name, "--store", dir + "-ring", "--store-filter", tap.storeFilter}));
    QVERIFY(waitFinished(tap.node.url, key));
    const int expected = tsharkCount(file, tap.displayFilter);
    QVERIFY(expected > 0);
    QCOMPARE(waitStored(tap.node.url, key, expected), expected);
  }
  const QString merged = m_dir.filePath("both.pcapng");
  auto q = runNode(
      {"query", taps[0].node.url, taps[1].node.url, "search", "--key", key, "--write", merged});
  QVERIFY2(q.exitCode == 0, q.err.constData());
  const int both = tsharkCount(file, "tcp && (udp || tcp.port == 443)");
  QVERIFY(both > 0);
  QVERIFY2(q.err.contains(QByteArray::number(both) + " copies"), q.err.constData());

  auto md5s = [](const QString& capture, const QString& filter) {
    QProcess p;
    QStringList args{"-r", capture,          "-o", "frame.generate_md5_hash:TRUE", "-T", "fields",
                     "-e", "frame.md5_hash", "-e", "frame.interface_name"};
    if (!filter.isEmpty()) args << "-Y" << filter;
    p.start("tshark", args);
    p.waitForFinished(60000);
    return p.readAllStandardOutput().trimmed().split('\n');
  };
  const QList<QByteArray> got = md5s(merged, "");
  const QList<QByteArray> want = md5s(file, "tcp || udp || tcp.port == 443");
  QCOMPARE(got.size(), want.size());
  int fromA = 0, fromB = 0;
  for (int i = 0; i < got.size(); ++i) {
    const QList<QByteArray> fields = got[i].split('\t');
    QCOMPARE(fields.value(0), want[i].split('\t').value(0));
    // One interface per node and capture source: the node's name and its file's.
    fromA += fields.value(1) == "tap-a/mixed_http_dns_dhcp_tls_retrans.pcap";
    fromB += fields.value(1) == "tap-b/mixed_http_dns_dhcp_tls_retrans.pcap";
  }
  QCOMPARE(fromA, tsharkCount(file, "tcp"));
  QCOMPARE(fromB, got.size() - fromA);
  QVERIFY(!QFile::exists(merged + ".part"));

  // Classic pcap on request; --list needs one node.
  const QString classic = m_dir.filePath("both.pcap");
  auto c = runNode({"query", taps[0].node.url, taps[1].node.url, "search", "--key", key, "--write",
                    classic, "--dedup-window", "0"});
  QVERIFY2(c.exitCode == 0, c.err.constData());
  QCOMPARE(tsharkCount(classic, ""), got.size() + both);  // no de-duplication
  // A node on another link type with no match adds nothing and does not stand in the way
  // of one classic pcap.
  NodeProcess cooked;
  QVERIFY(cooked.start(m_dir.filePath("cooked-state"), capture("sip_tcp_retrans_linux_sll.pcap"),
                       consoleKey, {"--name", "cooked", "--store", m_dir.filePath("cooked-ring")}));
  QVERIFY(waitFinished(cooked.url, key));
  const int wanted = tsharkCount(capture("sip_tcp_retrans_linux_sll.pcap"), "ip.addr == 1.1.1.1");
  QVERIFY(wanted > 0);
  const QString sll = m_dir.filePath("cooked.pcap");
  QElapsedTimer waited;
  waited.start();
  int found = -1;
  while (found != wanted && waited.elapsed() < 20000) {  // until the ring holds them
    auto w = runNode({"query", taps[0].node.url, cooked.url, "search", "--key", key, "--host",
                      "1.1.1.1", "--write", sll});
    QVERIFY2(w.exitCode == 0, w.err.constData());
    found = tsharkCount(sll, "");
    if (found != wanted) QTest::qWait(200);
  }
  QCOMPARE(found, wanted);
  auto list =
      runNode({"query", taps[0].node.url, taps[1].node.url, "search", "--key", key, "--list"});
  QVERIFY(list.exitCode != 0);
  QVERIFY2(list.err.contains("one node"), list.err.constData());
}

// A node reading two files (two capture sources) into its ring: the downloaded pcapng has one
// interface per source, "NODE/FILE", and every packet is on its own file's interface (the
// frames of each interface are exactly that file's, by MD5).
void TestStoreCli::twoSourcesTwoInterfaces() {
  const QString key = m_dir.filePath("sources.key");
  const QString publicKey = newClientKey(key);
  QVERIFY(!publicKey.isEmpty());
  const QString fileA = capture("http_methods.pcap");
  const QString fileB = capture("dns_many_queries_txt_mx_cname.pcap");
  NodeProcess node;
  QVERIFY(node.start(m_dir.filePath("sources-state"), fileA, publicKey,
                     {"-r", fileB, "--name", "probe", "--store", m_dir.filePath("sources-ring")}));
  QVERIFY(waitFinished(node.url, key));
  const int total = tsharkCount(fileA, "") + tsharkCount(fileB, "");
  QCOMPARE(waitStored(node.url, key, total), total);
  const QString out = m_dir.filePath("sources.pcapng");
  // Small pages: the sources come with every page.
  auto q =
      runNode({"query", node.url, "search", "--key", key, "--page-size", "64K", "--write", out});
  QVERIFY2(q.exitCode == 0, q.err.constData());
  checkInterfacesPerFile(out, {{"probe/http_methods.pcap", fileA},
                               {"probe/dns_many_queries_txt_mx_cname.pcap", fileB}});
  // The interface's description names the source too.
  QProcess p;
  p.start("tshark", {"-r", out, "-T", "fields", "-e", "frame.interface_description", "-c", "1"});
  p.waitForFinished(60000);
  QVERIFY2(p.readAllStandardOutput().contains("capture source "), "no source in if_description");
}

// The offline search of a copied store writes pcapng for a name that is not ".pcap", with one
// interface per capture source named after the store folder, "RING/FILE"; ".pcap" stays
// classic pcap.
void TestStoreCli::offlineSearchPcapngPerSource() {
  const QString fileA = capture("http_methods.pcap");
  const QString fileB = capture("dns_many_queries_txt_mx_cname.pcap");
  const QString ring = m_dir.filePath("copied-ring");
  auto in = runNode({"ingest", "-r", fileA, "-r", fileB, "--store", ring});
  QVERIFY2(in.exitCode == 0, in.err.constData());
  const QString out = m_dir.filePath("offline.pcapng");
  auto s = runNode({"search", "--store", ring, "--write", out});
  QVERIFY2(s.exitCode == 0, s.err.constData());
  checkInterfacesPerFile(out, {{"copied-ring/http_methods.pcap", fileA},
                               {"copied-ring/dns_many_queries_txt_mx_cname.pcap", fileB}});
  // A search that finds nothing still leaves a valid (empty) pcapng.
  const QString none = m_dir.filePath("none.pcapng");
  auto n = runNode({"search", "--store", ring, "--host", "192.0.2.77", "--write", none});
  QVERIFY2(n.exitCode == 0, n.err.constData());
  QCOMPARE(tsharkCount(none, ""), 0);
  QProcess capinfos;
  capinfos.start("capinfos", {"-t", none});
  capinfos.waitForFinished(60000);
  QVERIFY2(capinfos.readAllStandardOutput().contains("pcapng"), "not a pcapng file");
  // ".pcap": classic pcap, as before.
  const QString classic = m_dir.filePath("offline.pcap");
  auto c = runNode({"search", "--store", ring, "--write", classic});
  QVERIFY2(c.exitCode == 0, c.err.constData());
  capinfos.start("capinfos", {"-t", classic});
  capinfos.waitForFinished(60000);
  const QByteArray type = capinfos.readAllStandardOutput();
  QVERIFY2(type.contains("pcap") && !type.contains("pcapng"), type.constData());
  QCOMPARE(tsharkCount(classic, ""), tsharkCount(fileA, "") + tsharkCount(fileB, ""));
}

// A classic pcap holds one link type: a search whose packets have two fails with a message and
// leaves OUT as it was (the file is written under OUT.part and renamed only when complete);
// a good one leaves no .part behind.
void TestStoreCli::classicPcapIsWrittenWholeOrNotAtAll() {
  const QString ethernet = capture("http_methods.pcap");
  const QString loopback = capture("linktype_null_loopback.pcap");
  const QString ring = m_dir.filePath("two-links-ring");
  auto in = runNode({"ingest", "-r", ethernet, "-r", loopback, "--store", ring});
  QVERIFY2(in.exitCode == 0, in.err.constData());
  const QString out = m_dir.filePath("kept.pcap");
  {
    QFile f(out);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("an earlier file");
  }
  auto bad = runNode({"search", "--store", ring, "--write", out});
  QCOMPARE(bad.exitCode, 1);
  QVERIFY2(bad.err.contains("several link types"), bad.err.constData());
  QFile kept(out);
  QVERIFY(kept.open(QIODevice::ReadOnly));
  QCOMPARE(kept.readAll(), QByteArray("an earlier file"));
  QVERIFY(!QFile::exists(out + ".part"));
  auto good = runNode({"search", "--store", ring, "--write", out, "--bpf", "tcp port 80"});
  QVERIFY2(good.exitCode == 0, good.err.constData());
  QVERIFY(!QFile::exists(out + ".part"));
  QCOMPARE(tsharkCount(out, ""), tsharkCount(ethernet, "tcp.port == 80"));
}

QTEST_GUILESS_MAIN(TestStoreCli)
#include "tst_store_cli.moc"
