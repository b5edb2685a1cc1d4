// SPDX-License-Identifier: MIT
// Payload signatures per TCP session: a signature split over two segments is found (with a
// retransmission and an overlap in between), the answer is every packet of that session and
// nothing of the others; per packet it is not found; a gap in the stream is not bridged;
// UDP sessions match per datagram; a resumed page still knows the sessions of earlier pages;
// HTTP criteria (file, user, host, URL, user agent) select the session of a matching request;
// more paged session searches at once than the node keeps first passes for all get through a
// page at a time, none reads its pass whole.
// First: the frame builder has a member named `emit`, a word Qt's headers define away.
#include "node/demo/frame_builder.h"

#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <chrono>
#include <set>
#include <string_view>

#include "node/store/batch_reader.h"
#include "node/store/packet_store.h"
#include "node/store/search_request.h"
#include "node/store/session_scan_cache.h"

using namespace netlens;
namespace store = netlens::node::store;
namespace demo = netlens::node::demo;

namespace {

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kStart = 1'700'000'000'000'000'000;

std::span<const std::uint8_t> bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

demo::DemoHost host(const char* ip, std::uint8_t mac) {
  demo::DemoHost h;
  h.ip = *net::IpAddress::parse(ip);
  h.mac = net::MacAddress{{0x02, 0, 0, 0, 0, mac}};
  return h;
}

/// A TCP session: handshake, then the client's payload segments at their sequence offsets.
void session(demo::FrameBuilder& b, std::int64_t t, const demo::DemoHost& client,
             std::uint16_t port, const demo::DemoHost& server,
             const std::vector<std::pair<std::uint32_t, std::string_view>>& segments) {
  const std::uint32_t isn = 1000;
  b.tcp(t, client, port, server, 80, isn, 0, demo::kTcpSyn, 65535, {}, {});
  b.tcp(t + kMs, server, 80, client, port, 5000, isn + 1, demo::kTcpSyn | demo::kTcpAck, 65535, {},
        {});
  b.tcp(t + 2 * kMs, client, port, server, 80, isn + 1, 5001, demo::kTcpAck, 65535, {}, {});
  std::int64_t at = t + 3 * kMs;
  for (const auto& [offset, text] : segments) {
    b.tcp(at, client, port, server, 80, isn + 1 + offset, 5001, demo::kTcpAck | demo::kTcpPsh,
          65535, {}, bytes(text));
    at += kMs;
  }
  b.tcp(at, server, 80, client, port, 5001, isn + 1 + 64, demo::kTcpAck, 65535, {}, {});
}

struct Found {
  std::uint64_t packets = 0;
  std::vector<protocol::SearchSession> sessions;
};

Found find(store::PacketStore& s, protocol::Params params) {
  store::SearchRequest request;
  std::string problem;
  Found f;
  if (!store::parseSearchRequest(params, &request, &problem)) {
    qWarning("%s", problem.c_str());
    return f;
  }
  protocol::SearchReply reply;
  if (!store::runSearch(s, request, &reply, &problem)) qWarning("%s", problem.c_str());
  f.packets = reply.packets;
  f.sessions = reply.sessions;
  return f;
}

}  // namespace

class TestSessionPayload : public QObject {
  Q_OBJECT

 private slots:
  void signatureAcrossSegments();
  void regexAcrossSegments();
  void refusesScopeWithoutSignature();
  void moreSearchesThanKeptScans();
};

void TestSessionPayload::signatureAcrossSegments() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  store::StoreOptions options;
  options.folder = dir.filePath("store").toStdString();
  options.segmentBytes = 4096;  // the sessions span several segment files
  auto opened = store::PacketStore::open(options);
  QVERIFY2(opened, opened.error().c_str());
  store::PacketStore& s = **opened;

  const auto client = host("10.0.0.1", 1), server = host("10.0.0.2", 2);
  demo::FrameBuilder b;
  // Port 40001: "GET /secret-plan" split after "GET /sec", the first half sent twice
  // (a retransmission) and the second overlapping it by two bytes.
  session(b, kStart, client, 40001, server,
          {{0, "GET /sec"}, {0, "GET /sec"}, {6, "ecret-plan HTTP/1.1\r\n"}});
  // Port 40002: the same two halves with a gap between them (bytes 8..9 never captured).
  session(b, kStart + 100 * kMs, client, 40002, server,
          {{0, "GET /sec"}, {10, "ret-plan HTTP/1.1\r\n"}});
  // Port 40003: never says it.
  session(b, kStart + 200 * kMs, client, 40003, server, {{0, "GET /public HTTP/1.1\r\n"}});
  // Port 40004: an HTTP request whose header spans two segments.
  session(b, kStart + 250 * kMs, client, 40004, server,
          {{0, "GET /files/Setup.EXE?x=1 HTTP/1.1\r\nHost: dl.example.com:8080\r\n"},
           {62, "Authorization: Basic YWxpY2U6czNjcmV0\r\n\r\n"}});  // alice:s3cret
  // UDP: one datagram holds it whole; another only half.
  b.udp(kStart + 300 * kMs, client, 5353, server, 5353, bytes("x secret-plan y"));
  b.udp(kStart + 301 * kMs, client, 5354, server, 5354, bytes("secret-"));
  b.udp(kStart + 302 * kMs, client, 5354, server, 5354, bytes("plan"));
  for (const auto& f : b.takeFrames()) {
    QVERIFY(s.append(f.timestampNs, f.bytes.data(), static_cast<std::uint32_t>(f.bytes.size()),
                     static_cast<std::uint32_t>(f.bytes.size()), 1));
  }

  // Per packet: only the UDP datagram holds the whole signature.
  const Found perPacket = find(s, {{"payload", "secret-plan"}});
  QCOMPARE(perPacket.packets, std::uint64_t(1));

  // Per session: all 7 packets of the first TCP session (handshake, three segments, ack) and
  // the one UDP datagram's session; not the gap, not the others.
  const Found perSession = find(s, {{"payload", "secret-plan"}, {"payload-scope", "session"}});
  QCOMPARE(perSession.packets, std::uint64_t(7 + 1));
  QCOMPARE(perSession.sessions.size(), std::size_t(2));
  std::set<std::uint16_t> ports;
  for (const auto& session : perSession.sessions) ports.insert(session.aPort);
  QCOMPARE(ports, (std::set<std::uint16_t>{40001, 5353}));  // the client's side (lower IP)
  for (const auto& session : perSession.sessions) {
    if (session.aPort == 40001) {
      QCOMPARE(session.bPort, std::uint16_t(80));
      QCOMPARE(session.packets, std::uint64_t(7));
    }
  }
  // Hex and other criteria combine; a signature that spans the gap of 40002 is not found.
  QCOMPARE(find(s, {{"payload-hex", "2f 73 65 63 72 65 74"},
                    {"payload-scope", "session"},
                    {"port", "40001"}})
               .packets,
           std::uint64_t(7));
  QCOMPARE(find(s, {{"payload", "secret-plan"}, {"payload-scope", "session"}, {"port", "40002"}})
               .packets,
           std::uint64_t(0));

  // HTTP criteria select the session of a matching request: its 6 packets.
  QCOMPARE(find(s, {{"http-file", "setup.exe"}}).packets, std::uint64_t(6));
  QCOMPARE(find(s, {{"http-user", "alice"}, {"http-host", "DL.example.com"}}).packets,
           std::uint64_t(6));
  QCOMPARE(find(s, {{"http-url", "/files/Setup"}, {"http-user-agent", "curl"}}).packets,
           std::uint64_t(0));  // no user agent at all
  QCOMPARE(find(s, {{"http-user", "bob"}}).packets, std::uint64_t(0));
  // Both kinds of criteria: a session must meet both.
  QCOMPARE(find(s, {{"payload", "secret-plan"},
                    {"payload-scope", "session"},
                    {"http-host", "dl.example.com"}})
               .packets,
           std::uint64_t(0));
  QCOMPARE(find(s, {{"payload", "Basic"}, {"payload-scope", "session"}, {"http-file", "setup.exe"}})
               .packets,
           std::uint64_t(6));

  // Paged: the pages of a per-session answer add up to it, though the session's signature
  // lies in an earlier page than most of its packets.
  protocol::Params paged{{"payload", "secret-plan"},
                         {"payload-scope", "session"},
                         {"mode", "packets"},
                         {"limit", "2"},
                         {"chunk-bytes", "4096"}};
  std::uint64_t packets = 0;
  std::uint64_t scannedAfterFirstPage = 0;
  for (int pages = 0; pages < 100; ++pages) {
    store::SearchRequest request;
    std::string problem;
    QVERIFY2(store::parseSearchRequest(paged, &request, &problem), problem.c_str());
    protocol::SearchReply page;
    QVERIFY2(store::runSearch(s, request, &page, &problem), problem.c_str());
    packets += page.packets;
    if (pages == 0) scannedAfterFirstPage = s.sessionScanPackets();
    if (page.resume.empty()) break;
    paged["after"] = page.resume;
  }
  QCOMPARE(packets, std::uint64_t(8));
  // The first page's scan read the store; the later pages went on from it and read nothing
  // again (nothing new was stored).
  QVERIFY(scannedAfterFirstPage > 0);
  QCOMPARE(s.sessionScanPackets(), scannedAfterFirstPage);
  // A session stored after the scan is read by the next search, and only its packets.
  paged.erase("after");
  paged.erase("chunk-bytes");
  paged["limit"] = "1000";
  const auto whole = [&] {
    store::SearchRequest request;
    std::string problem;
    protocol::SearchReply reply;
    if (!store::parseSearchRequest(paged, &request, &problem) ||
        !store::runSearch(s, request, &reply, &problem))
      qWarning("%s", problem.c_str());
    return reply.packets;
  };
  const std::uint64_t before = whole();
  QCOMPARE(s.sessionScanPackets(), scannedAfterFirstPage);
  session(b, kStart + 50'000 * kMs, client, 40005, server, {{0, "the secret-plan again"}});
  for (const auto& f : b.takeFrames()) {
    QVERIFY(s.append(f.timestampNs, f.bytes.data(), static_cast<std::uint32_t>(f.bytes.size()),
                     static_cast<std::uint32_t>(f.bytes.size()), 1));
  }
  QCOMPARE(whole(), before + 5);  // handshake, the segment, the server's ACK
  QCOMPARE(s.sessionScanPackets(), scannedAfterFirstPage + 5);
}

void TestSessionPayload::regexAcrossSegments() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  store::StoreOptions options;
  options.folder = dir.filePath("store").toStdString();
  auto opened = store::PacketStore::open(options);
  QVERIFY2(opened, opened.error().c_str());
  store::PacketStore& s = **opened;
  const auto client = host("10.0.0.1", 1), server = host("10.0.0.2", 2);
  demo::FrameBuilder b;
  // 40001: "secret-plan" split over two segments (6 packets).
  session(b, kStart, client, 40001, server, {{0, "GET /sec"}, {8, "ret-plan=42 HTTP/1.1\r\n"}});
  // 40002: whole in one segment (5 packets).
  session(b, kStart + 100 * kMs, client, 40002, server, {{0, "POST /x?secret-plan=7"}});
  // 40003: split around a gap (never found).
  session(b, kStart + 200 * kMs, client, 40003, server, {{0, "GET /sec"}, {10, "ret-plan"}});
  // 40004: a start more than the window before its end (6 packets).
  const std::string longFirst = "START" + std::string(600, 'x');
  session(b, kStart + 300 * kMs, client, 40004, server,
          {{0, longFirst}, {static_cast<std::uint32_t>(longFirst.size()), "END"}});
  for (const auto& f : b.takeFrames()) {
    QVERIFY(s.append(f.timestampNs, f.bytes.data(), static_cast<std::uint32_t>(f.bytes.size()),
                     static_cast<std::uint32_t>(f.bytes.size()), 1));
  }
  const auto perSession = [&](const std::string& re) {
    return find(s, {{"payload-regex", re}, {"payload-scope", "session"}}).packets;
  };
  // Per packet only 40002's segment holds it; per session 40001 too, not the gap.
  QCOMPARE(find(s, {{"payload-regex", "sec+ret-pl[a-z]n=[0-9]+"}}).packets, std::uint64_t(1));
  QCOMPARE(perSession("sec+ret-pl[a-z]n=[0-9]+"), std::uint64_t(6 + 5));
  QCOMPARE(find(s, {{"payload-regex", "sec+ret-pl[a-z]n=[0-9]+"},
                    {"payload-scope", "session"},
                    {"port", "40003"}})
               .packets,
           std::uint64_t(0));
  // `^` is the start of a packet's payload, but per session the start of the stream.
  QCOMPARE(find(s, {{"payload-regex", "^ret-plan"}}).packets, std::uint64_t(2));  // 40001, 40003
  QCOMPARE(perSession("^ret-plan"), std::uint64_t(0));
  QCOMPARE(perSession("^GET /secret"), std::uint64_t(6));
  // The window: a match starting within kRegexWindow bytes of its last segment is found,
  // one starting further back is not.
  QCOMPARE(perSession("x{500}END"), std::uint64_t(6));
  QCOMPARE(perSession("STARTx*END"), std::uint64_t(0));
  // A bad expression is refused before searching, with the C library's reason.
  store::SearchRequest request;
  std::string problem;
  QVERIFY(!store::parseSearchRequest({{"payload-regex", "plan("}}, &request, &problem));
  QVERIFY2(
      problem.find("is not a valid regular expression: Unmatched ( or \\(") != std::string::npos,
      problem.c_str());
  QVERIFY(
      !store::parseSearchRequest({{"payload-regex", "a"}, {"payload", "a"}}, &request, &problem));
  QVERIFY2(problem.find("give one of them") != std::string::npos, problem.c_str());
}

void TestSessionPayload::refusesScopeWithoutSignature() {
  store::SearchRequest request;
  std::string problem;
  QVERIFY(!store::parseSearchRequest({{"payload-scope", "session"}}, &request, &problem));
  QVERIFY2(problem.find("goes with payload") != std::string::npos, problem.c_str());
  QVERIFY(!store::parseSearchRequest({{"payload", "x"}, {"payload-scope", "stream"}}, &request,
                                     &problem));
  QVERIFY2(problem.find("packet or session") != std::string::npos, problem.c_str());
}

// Six session searches paged at once, round robin, each page with its time already up (so it
// reads one batch of candidates): the cache keeps four scans, so the fifth and sixth push out
// others, which start their pass again paged. No page reads more than one batch, and each
// search finds what it finds in one go.
void TestSessionPayload::moreSearchesThanKeptScans() {
  constexpr int kSearches = 6;
  static_assert(kSearches > static_cast<int>(store::SessionScanCache::kMaxScans));
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  store::StoreOptions options;
  options.folder = dir.filePath("store").toStdString();
  options.segmentBytes = 64 * 1024;
  auto opened = store::PacketStore::open(options);
  QVERIFY2(opened, opened.error().c_str());
  store::PacketStore& s = **opened;
  const auto client = host("10.0.0.1", 1), server = host("10.0.0.2", 2);
  demo::FrameBuilder b;
  std::vector<std::string> texts;
  for (int i = 0; i < 240; ++i) texts.push_back("GET /word-" + std::to_string(i % kSearches));
  for (int i = 0; i < 240; ++i) {
    session(b, kStart + i * 10 * kMs, client, static_cast<std::uint16_t>(20000 + i), server,
            {{0, texts[static_cast<std::size_t>(i)]}});
  }
  for (const auto& f : b.takeFrames()) {
    QVERIFY(s.append(f.timestampNs, f.bytes.data(), static_cast<std::uint32_t>(f.bytes.size()),
                     static_cast<std::uint32_t>(f.bytes.size()), 1));
  }
  QVERIFY(s.closeSegment());
  const auto criteria = [](int k) {
    store::SearchCriteria c;
    c.payload = "/word-" + std::to_string(k);
    c.payloadPerSession = true;
    return c;
  };
  struct Run {
    store::SearchCriteria criteria;
    std::uint64_t matched = 0;
    bool done = false;
  };
  std::vector<Run> runs;
  for (int k = 0; k < kSearches; ++k) runs.push_back({criteria(k)});
  int pages = 0;
  std::uint64_t largestPage = 0;
  for (bool open = true; open && pages < 20'000;) {
    open = false;
    for (Run& run : runs) {
      if (run.done) continue;
      run.criteria.deadline = std::chrono::steady_clock::now();  // up before the first batch
      store::SearchStats stats;
      const std::uint64_t before = s.sessionScanPackets();
      QVERIFY(s.search(
          run.criteria,
          [&](const store::StoredPacket&) {
            ++run.matched;
            return true;
          },
          &stats));
      largestPage = std::max(largestPage, s.sessionScanPackets() - before);
      ++pages;
      if (stats.outOfTime) {
        run.criteria.after = stats.reached;
        open = true;
      } else {
        run.done = true;
      }
    }
  }
  for (const Run& run : runs) QVERIFY(run.done);
  QVERIFY2(largestPage <= store::BatchReader::kRingEntries,
           qPrintable(QString("a page read %1 packets of a first pass").arg(largestPage)));
  // Each answer as one search without a deadline gives it: 40 sessions of 5 packets.
  for (int k = 0; k < kSearches; ++k) {
    std::uint64_t whole = 0;
    QVERIFY(s.search(criteria(k), [&](const store::StoredPacket&) {
      ++whole;
      return true;
    }));
    QCOMPARE(whole, std::uint64_t(40 * 5));
    QCOMPARE(runs[static_cast<std::size_t>(k)].matched, whole);
  }
}

QTEST_GUILESS_MAIN(TestSessionPayload)
#include "tst_session_payload.moc"
