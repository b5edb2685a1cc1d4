// SPDX-License-Identifier: MIT
// Live captures on a real node replaying the demo capture in real time: a capture receives
// the packets that arrive after it starts, only matching ones, and stops cleanly; two run at
// once with their owners listed; only the owner or an admin may fetch or stop one; a bad
// filter, a missing capture and the 17th capture get clear errors; an unfetched capture is
// removed; `query URL live --write` writes a pcap tshark reads, also when Ctrl-C ends it.
#include <signal.h>
#include <sys/stat.h>

#include <QTemporaryDir>

#include "shared/pcap/pcap_bytes.h"
#include "shared/protocol/codec.h"
#include "shared/transport/connection_string.h"
#include "shared/transport/control_client.h"
#include "shared/transport/keys.h"
#include "tests/integration/node_process.h"

using namespace netlens;
using namespace netlens::tests;

namespace {

constexpr auto kTimeout = std::chrono::seconds(8);

/// One console key with its own connection. Failures are returned, never fatal, so a
/// failing test still ends its node processes.
struct Console {
  QString keyFile;
  QString publicKey;
  std::unique_ptr<transport::ControlClient> client;
  std::string error;  ///< of the last body() that returned nothing

  protocol::Reply ask(std::string_view op, const protocol::Params& params = {}) {
    auto r = client->request(op, params, kTimeout);
    if (!r)
      return protocol::makeErrorReply(0, op, protocol::ErrorCode::Internal,
                                      "no answer: " + r.failure().message);
    return r.reply();
  }
  template <class T>
  std::optional<T> body(std::string_view op, const protocol::Params& params = {}) {
    const protocol::Reply reply = ask(op, params);
    if (reply.isError()) {
      error = std::string(op) + ": " + reply.error->message;
      return std::nullopt;
    }
    auto decoded = protocol::decodeBody<T>(reply.body);
    if (!decoded) {
      error = std::string(op) + ": " + decoded.error();
      return std::nullopt;
    }
    return std::move(*decoded);
  }
};

/// `auto name = BODY(console, Type, op, params)`: the reply's body, or the test fails.
#define BODY(name, console, Type, ...)           \
  auto name = (console).body<Type>(__VA_ARGS__); \
  QVERIFY2(name.has_value(), (console).error.c_str())

/// The packets of a capture's chunks, collected as one pcap file.
struct Collected {
  QByteArray file;
  std::vector<std::int64_t> times;
  void add(const protocol::LiveChunk& chunk) {
    if (chunk.pcap.empty()) return;
    pcap::PcapBytesReader reader(chunk.pcap);
    QVERIFY2(reader.ok(), reader.error().c_str());
    pcap::PcapRecord r;
    while (reader.next(&r)) times.push_back(r.timestampNs);
    QVERIFY2(reader.ok(), reader.error().c_str());
    file += file.isEmpty() ? QByteArray::fromStdString(chunk.pcap)
                           : QByteArray::fromStdString(chunk.pcap.substr(24));
  }
};

/// Packets of a pcap file tshark counts, with a display filter or without.
int tsharkCount(const QString& file, const QString& displayFilter = {}) {
  QProcess p;
  QStringList args{"-r", file};
  if (!displayFilter.isEmpty()) args << "-Y" << displayFilter;
  p.start("tshark", args);
  if (!p.waitForFinished(60000) || p.exitCode() != 0) return -1;
  return static_cast<int>(p.readAllStandardOutput().count('\n'));
}

}  // namespace

class TestLiveStream : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void captureReceivesNewPacketsAndStops();
  void ownersAndAdmins();
  void clearErrors();
  void bytecodeBesidesCriteria();
  void commandLineWritesPcap();
  void commandLineStopsOnCtrlC();
  void unfetchedCaptureRemoved();

 private:
  bool makeConsole(const QString& name, Console* console);
  Console connect(const Console& keys);

  QTemporaryDir m_dir;
  QString m_demo;
  zmq::context_t m_context{1};
  std::unique_ptr<NodeProcess> m_node;
  Console m_alice, m_carol, m_bob;  // viewers; bob: admin, no comment
};

bool TestLiveStream::makeConsole(const QString& name, Console* console) {
  console->keyFile = m_dir.filePath(name + ".key");
  auto r = runNode({"keygen", "--out", console->keyFile});
  console->publicKey = QString::fromUtf8(r.out).trimmed();
  return r.exitCode == 0 && console->publicKey.size() == 40;
}

Console TestLiveStream::connect(const Console& keys) {
  Console c{keys.keyFile, keys.publicKey, nullptr, {}};
  auto server = transport::ConnectionString::parse(m_node->url.toStdString());
  auto pair = transport::loadKeyPair(keys.keyFile.toStdString());
  if (!server || !pair) return c;  // the caller checks `client`
  c.client = std::make_unique<transport::ControlClient>(m_context, *server, *pair);
  return c;
}

void TestLiveStream::initTestCase() {
  QVERIFY(m_dir.isValid());
  m_demo = m_dir.filePath("demo.pcap");
  QCOMPARE(runNode({"demo", "--out", m_demo}).exitCode, 0);
  QVERIFY(makeConsole("alice", &m_alice));
  QVERIFY(makeConsole("carol", &m_carol));
  QVERIFY(makeConsole("bob", &m_bob));
  const QString state = m_dir.filePath("node");
  QVERIFY(QDir().mkpath(state));
  QFile::setPermissions(state,
                        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
  QCOMPARE(runNode({"authorize", "--role", "viewer", "--comment", "alice@test", "--state", state,
                    "--", m_alice.publicKey})
               .exitCode,
           0);
  QCOMPARE(runNode({"authorize", "--role", "admin", "--comment", "", "--state", state, "--",
                    m_bob.publicKey})
               .exitCode,
           0);
  // Carol is authorised as a viewer by the node helper.
  m_node = std::make_unique<NodeProcess>();
  QVERIFY(m_node->start(state, m_demo, m_carol.publicKey, {"--pace", "realtime", "--loop"}));
  m_alice = connect(m_alice);
  m_carol = connect(m_carol);
  m_bob = connect(m_bob);
  QVERIFY(m_alice.client && m_carol.client && m_bob.client);
}

void TestLiveStream::captureReceivesNewPacketsAndStops() {
  // Two captures at once, with different filters and owners.
  BODY(udp, m_alice, protocol::LiveCapture, "live-start", {{"proto", "udp"}});
  BODY(https, m_carol, protocol::LiveCapture, "live-start", {{"proto", "tcp"}, {"port", "443"}});
  QVERIFY(udp->id != https->id);
  QCOMPARE(udp->linkType, 1u);
  QVERIFY(udp->startPacketTime > 0);
  const protocol::Params udpId{{"id", std::to_string(udp->id)}};
  const protocol::Params httpsId{{"id", std::to_string(https->id)}};
  Collected a, b;
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < 3000) {
    QTest::qWait(200);
    BODY(chunkA, m_alice, protocol::LiveChunk, "live-fetch", udpId);
    BODY(chunkB, m_carol, protocol::LiveChunk, "live-fetch", httpsId);
    QVERIFY(chunkA->running);
    a.add(*chunkA);
    b.add(*chunkB);
  }
  BODY(lastA, m_alice, protocol::LiveChunk, "live-stop", udpId);
  BODY(lastB, m_carol, protocol::LiveChunk, "live-stop", httpsId);
  a.add(*lastA);
  b.add(*lastB);
  QVERIFY(!lastA->running);
  QVERIFY2(a.times.size() > 10, qPrintable(QString::number(a.times.size())));
  QVERIFY2(b.times.size() > 10, qPrintable(QString::number(b.times.size())));
  QCOMPARE(lastA->packets, a.times.size());
  QCOMPARE(lastA->dropped, 0u);
  // Only packets read after the start: none older than the node's packet time then, and the
  // replay keeps going, so the last one is newer.
  for (auto ts : a.times) QVERIFY(ts >= udp->startPacketTime);
  for (auto ts : b.times) QVERIFY(ts >= https->startPacketTime);
  QVERIFY(a.times.back() > udp->startPacketTime + 1'000'000'000);
  QVERIFY(std::is_sorted(a.times.begin(), a.times.end()));

  // tshark reads both files, and every packet matches the capture's own criteria.
  const QString fileA = m_dir.filePath("udp.pcap");
  const QString fileB = m_dir.filePath("https.pcap");
  QVERIFY(writeFile(fileA, a.file));
  QVERIFY(writeFile(fileB, b.file));
  QCOMPARE(tsharkCount(fileA), static_cast<int>(a.times.size()));
  QCOMPARE(tsharkCount(fileA, "!udp"), 0);
  QCOMPARE(tsharkCount(fileB), static_cast<int>(b.times.size()));
  QCOMPARE(tsharkCount(fileB, "!(tcp.port == 443)"), 0);

  // Stopped means gone.
  BODY(list, m_bob, protocol::LiveCaptureList, "live-list");
  QVERIFY(list->captures.empty());
  const auto again = m_alice.ask("live-fetch", udpId);
  QVERIFY(again.isError());
  QCOMPARE(again.error->code, protocol::ErrorCode::InvalidArgument);
  QVERIFY2(QString::fromStdString(again.error->message).contains("no live capture"),
           again.error->message.c_str());
}

void TestLiveStream::ownersAndAdmins() {
  BODY(mine, m_alice, protocol::LiveCapture, "live-start", {{"proto", "udp"}});
  BODY(admins, m_bob, protocol::LiveCapture, "live-start", {{"port", "53"}});
  BODY(list, m_carol, protocol::LiveCaptureList, "live-list");
  QCOMPARE(list->captures.size(), 2u);
  QCOMPARE(list->captures[0].id, mine->id);
  QCOMPARE(list->captures[0].owner, std::string("alice@test"));
  QCOMPARE(list->captures[0].role, std::string("viewer"));
  QCOMPARE(list->captures[0].filter, mine->filter);
  QVERIFY(list->captures[0].startTime > 0);
  // A key without a comment is named by its first 8 characters.
  QCOMPARE(list->captures[1].id, admins->id);
  QCOMPARE(list->captures[1].owner, m_bob.publicKey.left(8).toStdString());
  QCOMPARE(list->captures[1].role, std::string("admin"));

  // A viewer may neither read nor stop another's capture.
  for (const char* op : {"live-fetch", "live-stop"}) {
    const auto refused = m_carol.ask(op, {{"id", std::to_string(mine->id)}});
    QVERIFY(refused.isError());
    QCOMPARE(refused.error->code, protocol::ErrorCode::NotAuthorised);
    QVERIFY2(QString::fromStdString(refused.error->message).contains("alice@test"),
             refused.error->message.c_str());
  }
  BODY(still, m_carol, protocol::LiveCaptureList, "live-list");
  QCOMPARE(still->captures.size(), 2u);
  // An admin may.
  BODY(stopped, m_bob, protocol::LiveChunk, "live-stop", {{"id", std::to_string(mine->id)}});
  QVERIFY(!stopped->running);
  BODY(rest, m_carol, protocol::LiveCaptureList, "live-list");
  QCOMPARE(rest->captures.size(), 1u);
  QCOMPARE(rest->captures[0].id, admins->id);
  BODY(own, m_bob, protocol::LiveChunk, "live-stop", {{"id", std::to_string(admins->id)}});
  BODY(none, m_bob, protocol::LiveCaptureList, "live-list");
  QVERIFY(none->captures.empty());
}

void TestLiveStream::clearErrors() {
  const auto bad = m_alice.ask("live-start", {{"bpf", "tcp portx 80"}});
  QVERIFY(bad.isError());
  QCOMPARE(bad.error->code, protocol::ErrorCode::InvalidArgument);
  QVERIFY2(QString::fromStdString(bad.error->message).contains("syntax error"),
           bad.error->message.c_str());
  const auto badHost = m_alice.ask("live-start", {{"host", "not-an-address"}});
  QVERIFY(badHost.isError());
  QVERIFY(QString::fromStdString(badHost.error->message).contains("host"));
  QVERIFY(m_alice.ask("live-stop", {{"id", "999"}}).isError());
  QVERIFY(m_alice.ask("live-fetch", {}).isError());

  // At most kMaxLiveCaptures at once.
  std::vector<std::uint64_t> ids;
  for (std::size_t i = 0; i < protocol::kMaxLiveCaptures; ++i) {
    BODY(started, m_alice, protocol::LiveCapture, "live-start", {{"port", "5060"}});
    ids.push_back(started->id);
  }
  const auto beyond = m_alice.ask("live-start", {{"port", "5060"}});
  for (auto id : ids) m_alice.ask("live-stop", {{"id", std::to_string(id)}});
  QVERIFY(beyond.isError());
  QVERIFY2(QString::fromStdString(beyond.error->message).contains("limit"),
           beyond.error->message.c_str());
  BODY(none, m_alice, protocol::LiveCaptureList, "live-list");
  QVERIFY(none->captures.empty());
}

void TestLiveStream::bytecodeBesidesCriteria() {
  // `tcpdump -ddd 'ip proto 6'` on Ethernet: untagged IPv4 TCP only, and port 443 as well.
  const std::string code = "6,40 0 0 12,21 0 3 2048,48 0 0 23,21 0 1 6,6 0 0 262144,6 0 0 0";
  BODY(started, m_alice, protocol::LiveCapture, "live-start",
       {{"bpf-code", code}, {"port", "443"}});
  const protocol::Params id{{"id", std::to_string(started->id)}};
  Collected all;
  for (int i = 0; i < 8; ++i) {
    QTest::qWait(200);
    BODY(chunk, m_alice, protocol::LiveChunk, "live-fetch", id);
    all.add(*chunk);
  }
  BODY(last, m_alice, protocol::LiveChunk, "live-stop", id);
  all.add(*last);
  QVERIFY(!all.times.empty());
  const QString file = m_dir.filePath("bytecode.pcap");
  QVERIFY(writeFile(file, all.file));
  QCOMPARE(tsharkCount(file), static_cast<int>(all.times.size()));
  QCOMPARE(tsharkCount(file, "!(ip.proto == 6 && !vlan && tcp.port == 443)"), 0);
  const auto bad = m_alice.ask("live-start", {{"bpf-code", "2,21 0 5 2048,6 0 0 0"}});
  QVERIFY(bad.isError());
  QVERIFY2(QString::fromStdString(bad.error->message).contains("bpf-code"),
           bad.error->message.c_str());
}

void TestLiveStream::commandLineWritesPcap() {
  const QString out = m_dir.filePath("cli.pcap");
  const auto r = runNode({"query", m_node->url, "live", "--proto", "udp", "--duration", "2",
                          "--write", out, "--key", m_carol.keyFile});
  QVERIFY2(r.exitCode == 0, r.err.constData());
  QVERIFY2(r.err.contains("packets written"), r.err.constData());
  QVERIFY(!QFile::exists(out + ".part"));
  struct stat st {};
  QCOMPARE(::stat(out.toLocal8Bit().constData(), &st), 0);
  QCOMPARE(st.st_mode & 0777, 0600u);
  const int packets = tsharkCount(out);
  QVERIFY2(packets > 0, qPrintable(QString::number(packets)));
  QCOMPARE(tsharkCount(out, "!udp"), 0);
  const auto list = runNode({"query", m_node->url, "captures", "--json", "--key", m_bob.keyFile});
  QCOMPARE(list.exitCode, 0);
  QVERIFY(QJsonDocument::fromJson(list.out).object().value("captures").toArray().isEmpty());

  // --count stops after that many packets.
  const QString counted = m_dir.filePath("count.pcap");
  const auto c = runNode(
      {"query", m_node->url, "live", "--count", "5", "--write", counted, "--key", m_carol.keyFile});
  QVERIFY2(c.exitCode == 0, c.err.constData());
  QCOMPARE(tsharkCount(counted), 5);
}

void TestLiveStream::commandLineStopsOnCtrlC() {
  const QString out = m_dir.filePath("interrupted.pcap");
  QProcess p;
  p.start(kNode, {"query", m_node->url, "live", "--proto", "tcp", "--write", out, "--key",
                  m_alice.keyFile});
  QVERIFY(p.waitForStarted());
  // Wait until the capture runs, then interrupt as Ctrl-C does.
  QElapsedTimer t;
  t.start();
  bool running = false;
  while (!running && t.elapsed() < 10000) {
    QTest::qWait(100);
    const auto list = m_bob.body<protocol::LiveCaptureList>("live-list");
    running = list && !list->captures.empty();
  }
  QVERIFY(running);
  QTest::qWait(1000);
  QCOMPARE(::kill(static_cast<pid_t>(p.processId()), SIGINT), 0);
  QVERIFY(p.waitForFinished(10000));
  QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0,
           p.readAllStandardError().constData());
  QVERIFY(tsharkCount(out) > 0);
  QCOMPARE(tsharkCount(out, "!tcp"), 0);
  // The command stopped its capture on the node.
  BODY(list, m_bob, protocol::LiveCaptureList, "live-list");
  QVERIFY(list->captures.empty());
}

void TestLiveStream::unfetchedCaptureRemoved() {
  // A node that forgets captures after 1 s without a fetch.
  const QString state = m_dir.filePath("idle");
  QVERIFY(QDir().mkpath(state));
  QFile::setPermissions(state,
                        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
  NodeProcess node;
  QVERIFY(node.start(state, m_demo, m_carol.publicKey,
                     {"--pace", "realtime", "--loop", "--live-idle-timeout", "1"}));
  auto server = transport::ConnectionString::parse(node.url.toStdString());
  auto keys = transport::loadKeyPair(m_carol.keyFile.toStdString());
  QVERIFY(server && keys);
  Console carol{m_carol.keyFile,
                m_carol.publicKey,
                std::make_unique<transport::ControlClient>(m_context, *server, *keys),
                {}};
  BODY(kept, carol, protocol::LiveCapture, "live-start", {{"proto", "udp"}});
  BODY(left, carol, protocol::LiveCapture, "live-start", {{"proto", "tcp"}});
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < 2500) {
    QTest::qWait(300);
    BODY(chunk, carol, protocol::LiveChunk, "live-fetch", {{"id", std::to_string(kept->id)}});
  }
  BODY(list, carol, protocol::LiveCaptureList, "live-list");
  QCOMPARE(list->captures.size(), 1u);
  QCOMPARE(list->captures[0].id, kept->id);
  QVERIFY(carol.ask("live-fetch", {{"id", std::to_string(left->id)}}).isError());
}

QTEST_GUILESS_MAIN(TestLiveStream)
#include "tst_live_stream.moc"
