// SPDX-License-Identifier: MIT
// TlsParser on hand-built TLS conversations: hello fields, the first application data per
// direction (TLS 1.2 and the TLS 1.3 rule), HelloRetryRequest, every split position of every
// segment, gaps and resynchronisation, SSLv2 hellos, damaged and oversized input, memory; and
// the version / cipher suite names. Run under ASan in the asan preset: a read past a buffer
// fails the test.

#include <QTest>
#include <cstdint>
#include <string>
#include <vector>

#include "node/analysis/tls_parser.h"
#include "node/demo/demo_random.h"
#include "node/demo/tls_messages.h"
#include "shared/net/tls_names.h"

using namespace netlens::node::analysis;
using namespace netlens::net;
using Bytes = std::vector<std::uint8_t>;

namespace {

constexpr auto F = StreamDirection::Forward;
constexpr auto R = StreamDirection::Reverse;

// ---- builders ----

void put8(Bytes& b, unsigned v) {
  b.push_back(static_cast<std::uint8_t>(v));
}
void put16(Bytes& b, unsigned v) {
  put8(b, v >> 8);
  put8(b, v);
}
void put24(Bytes& b, unsigned v) {
  put8(b, v >> 16);
  put16(b, v);
}
void append(Bytes& b, const Bytes& more) {
  b.insert(b.end(), more.begin(), more.end());
}
void append(Bytes& b, const std::string& s) {
  b.insert(b.end(), s.begin(), s.end());
}
Bytes filler(std::size_t n, std::uint8_t seed = 0x5A) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(seed + i * 31);
  return b;
}

Bytes record(std::uint8_t type, const Bytes& body, unsigned version = 0x0303) {
  Bytes b;
  put8(b, type);
  put16(b, version);
  put16(b, static_cast<unsigned>(body.size()));
  append(b, body);
  return b;
}
Bytes handshake(std::uint8_t type, const Bytes& body) {
  Bytes b;
  put8(b, type);
  put24(b, static_cast<unsigned>(body.size()));
  append(b, body);
  return b;
}
Bytes extension(unsigned type, const Bytes& data) {
  Bytes b;
  put16(b, type);
  put16(b, static_cast<unsigned>(data.size()));
  append(b, data);
  return b;
}

struct ClientHelloSpec {
  unsigned version = 0x0303;
  std::vector<unsigned> suites = {0xC02F, 0xC030, 0x009C};
  std::string sni;
  std::vector<std::string> alpn;
  std::vector<unsigned> supportedVersions;
  bool earlyData = false;
  bool extensions = true;
  std::size_t padding = 0;  ///< a padding extension of this size (to make it long)
};

Bytes clientHelloBody(const ClientHelloSpec& s) {
  Bytes b;
  put16(b, s.version);
  append(b, filler(32, 1));  // random
  put8(b, 32);
  append(b, filler(32, 2));  // session id
  put16(b, static_cast<unsigned>(s.suites.size() * 2));
  for (unsigned v : s.suites) put16(b, v);
  put8(b, 1);
  put8(b, 0);  // null compression
  if (!s.extensions) return b;
  Bytes ext;
  if (!s.sni.empty()) {
    Bytes list;
    put8(list, 0);
    put16(list, static_cast<unsigned>(s.sni.size()));
    append(list, s.sni);
    Bytes data;
    put16(data, static_cast<unsigned>(list.size()));
    append(data, list);
    append(ext, extension(0, data));
  }
  append(ext, extension(10, {0x00, 0x02, 0x00, 0x1D}));  // supported_groups: x25519
  if (!s.alpn.empty()) {
    Bytes list;
    for (const std::string& p : s.alpn) {
      put8(list, static_cast<unsigned>(p.size()));
      append(list, p);
    }
    Bytes data;
    put16(data, static_cast<unsigned>(list.size()));
    append(data, list);
    append(ext, extension(16, data));
  }
  if (!s.supportedVersions.empty()) {
    Bytes data;
    put8(data, static_cast<unsigned>(s.supportedVersions.size() * 2));
    for (unsigned v : s.supportedVersions) put16(data, v);
    append(ext, extension(43, data));
  }
  if (s.earlyData) append(ext, extension(42, {}));
  if (s.padding != 0) append(ext, extension(21, Bytes(s.padding, 0)));
  put16(b, static_cast<unsigned>(ext.size()));
  append(b, ext);
  return b;
}

struct ServerHelloSpec {
  unsigned version = 0x0303;
  unsigned suite = 0xC02F;
  unsigned selectedVersion = 0;
  std::string alpn;
  bool helloRetry = false;
};

const Bytes kHelloRetryRandom = {0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C,
                                 0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB,
                                 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

Bytes serverHelloBody(const ServerHelloSpec& s) {
  Bytes b;
  put16(b, s.version);
  append(b, s.helloRetry ? kHelloRetryRandom : filler(32, 3));
  put8(b, 32);
  append(b, filler(32, 2));
  put16(b, s.suite);
  put8(b, 0);
  Bytes ext;
  if (s.selectedVersion != 0) {
    Bytes data;
    put16(data, s.selectedVersion);
    append(ext, extension(43, data));
  }
  if (!s.alpn.empty()) {
    Bytes data;
    put16(data, static_cast<unsigned>(s.alpn.size() + 1));
    put8(data, static_cast<unsigned>(s.alpn.size()));
    append(data, s.alpn);
    append(ext, extension(16, data));
  }
  append(ext, extension(0xFF01, {0x00}));  // renegotiation_info
  put16(b, static_cast<unsigned>(ext.size()));
  append(b, ext);
  return b;
}

// ---- what the parser reported, as one comparable text ----

std::string hex4(unsigned v) {
  return hex16(static_cast<std::uint16_t>(v));
}

class Collector : public TlsListener {
 public:
  std::string log;
  int clientHellos = 0;
  int serverHellos = 0;
  std::string sni;
  std::uint16_t negotiated = 0;
  std::uint16_t cipher = 0;
  std::int64_t appData[2] = {-1, -1};

  void onClientHello(StreamDirection d, const TlsClientHello& h) override {
    ++clientHellos;
    sni = std::string(h.serverName);
    log += "CH dir=" + std::to_string(directionIndex(d)) + " t=" + std::to_string(h.timestampNs) +
           " v=" + hex4(h.legacyVersion) + " max=" + hex4(h.highestVersion()) + " suites=";
    for (std::size_t i = 0; i < h.cipherSuites.size(); ++i) log += hex4(h.cipherSuites[i]) + ",";
    log += " sv=";
    for (std::size_t i = 0; i < h.supportedVersions.size(); ++i) {
      log += hex4(h.supportedVersions[i]) + ",";
    }
    log += " sni=" + sni + " alpn=";
    for (std::size_t i = 0; i < h.alpn.size(); ++i) log += std::string(h.alpn[i]) + ",";
    log += h.offersEarlyData ? " 0rtt\n" : "\n";
  }
  void onServerHello(StreamDirection d, const TlsServerHello& h) override {
    ++serverHellos;
    negotiated = h.version();
    cipher = h.cipherSuite;
    log += "SH dir=" + std::to_string(directionIndex(d)) + " t=" + std::to_string(h.timestampNs) +
           " v=" + hex4(h.legacyVersion) + " sel=" + hex4(h.selectedVersion) +
           " suite=" + hex4(h.cipherSuite) + " alpn=" + std::string(h.alpn) +
           (h.helloRetryRequest ? " HRR\n" : "\n");
  }
  void onSslv2Hello(StreamDirection d, const Sslv2Hello& h) override {
    log += "SSLv2 dir=" + std::to_string(directionIndex(d)) +
           (h.serverHello ? " server" : " client") + " v=" + hex4(h.version) + "\n";
  }
  void onFirstApplicationData(StreamDirection d, std::int64_t ts) override {
    QVERIFY2(appData[directionIndex(d)] == -1, "first application data reported twice");
    appData[directionIndex(d)] = ts;
    log += "DATA dir=" + std::to_string(directionIndex(d)) + " t=" + std::to_string(ts) + "\n";
  }
};

/// One segment of a conversation.
struct Segment {
  StreamDirection dir;
  std::int64_t ts;
  Bytes bytes;
};
using Script = std::vector<Segment>;

/// Feeds a script; segment `splitIndex` is fed in two parts at `splitAt` (same timestamp),
/// or byte by byte with splitAt == SIZE_MAX. Checks that no buffer is left at the end.
std::string run(const Script& script, std::size_t splitIndex = SIZE_MAX, std::size_t splitAt = 0,
                std::size_t* maxBuffered = nullptr) {
  TlsParser parser;
  Collector c;
  for (std::size_t i = 0; i < script.size(); ++i) {
    const Segment& s = script[i];
    const std::uint8_t* p = s.bytes.data();
    const std::size_t n = s.bytes.size();
    if (i != splitIndex) {
      parser.feed(s.dir, p, n, s.ts, c);
    } else if (splitAt == SIZE_MAX) {
      for (std::size_t k = 0; k < n; ++k) {
        parser.feed(s.dir, p + k, 1, s.ts, c);
        if (maxBuffered) *maxBuffered = std::max(*maxBuffered, parser.bufferedBytes());
      }
    } else {
      parser.feed(s.dir, p, splitAt, s.ts, c);
      if (maxBuffered) *maxBuffered = std::max(*maxBuffered, parser.bufferedBytes());
      parser.feed(s.dir, p + splitAt, n - splitAt, s.ts, c);
    }
  }
  if (parser.bufferedBytes() != 0) c.log += "BUFFER LEFT\n";
  return c.log;
}

Collector runCollect(const Script& script, TlsParser& parser) {
  Collector c;
  for (const Segment& s : script) parser.feed(s.dir, s.bytes.data(), s.bytes.size(), s.ts, c);
  return c;
}

// ---- conversations ----

ClientHelloSpec browserHello() {
  ClientHelloSpec s;
  s.suites = {0x1A1A, 0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xCCA9};
  s.sni = "www.example.org";
  s.alpn = {"h2", "http/1.1"};
  s.supportedVersions = {0x2A2A, 0x0304, 0x0303};
  s.padding = 200;
  return s;
}

/// A full TLS 1.2 handshake: the certificate spans two records, the ClientHello arrives as
/// two records (handshake fragmentation).
Script tls12Conversation() {
  ClientHelloSpec ch;
  ch.sni = "tls12.example";
  ch.alpn = {"http/1.1"};
  const Bytes hello = handshake(1, clientHelloBody(ch));
  Bytes clientFlight = record(22, Bytes(hello.begin(), hello.begin() + 60));
  append(clientFlight, record(22, Bytes(hello.begin() + 60, hello.end())));

  ServerHelloSpec sh;
  sh.suite = 0xC030;
  sh.alpn = "http/1.1";
  Bytes serverMessages = handshake(2, serverHelloBody(sh));
  append(serverMessages, handshake(11, filler(2500, 7)));  // Certificate
  append(serverMessages, handshake(14, {}));               // ServerHelloDone
  const std::size_t half = serverMessages.size() / 2;
  Bytes serverFlight = record(22, Bytes(serverMessages.begin(), serverMessages.begin() + half));
  append(serverFlight, record(22, Bytes(serverMessages.begin() + half, serverMessages.end())));

  Bytes clientKeys = record(22, handshake(16, filler(66, 9)));
  append(clientKeys, record(20, {1}));
  append(clientKeys, record(22, filler(40, 11)));  // encrypted Finished
  Bytes serverFinish = record(20, {1});
  append(serverFinish, record(22, filler(40, 13)));
  Bytes serverData = record(23, filler(200, 17));
  append(serverData, record(21, filler(26, 19)));  // encrypted alert
  return {{F, 100, clientFlight},
          {R, 200, serverFlight},
          {F, 300, clientKeys},
          {R, 400, serverFinish},
          {F, 500, record(23, filler(120, 15))},
          {R, 600, serverData}};
}

/// TLS 1.3: the server's encrypted handshake and the client's Finished are type-23 records.
Script tls13Conversation() {
  const Bytes hello = record(22, handshake(1, clientHelloBody(browserHello())));
  ServerHelloSpec sh;
  sh.suite = 0x1302;
  sh.selectedVersion = 0x0304;
  Bytes serverFlight = record(22, handshake(2, serverHelloBody(sh)));
  append(serverFlight, record(20, {1}));
  append(serverFlight, record(23, filler(50, 21)));    // EncryptedExtensions
  append(serverFlight, record(23, filler(2100, 23)));  // Certificate
  append(serverFlight, record(23, filler(300, 25)));   // CertificateVerify, Finished
  Bytes clientFinish = record(20, {1});
  append(clientFinish, record(23, filler(53, 27)));  // Finished
  return {{F, 10, hello},
          {R, 20, serverFlight},
          {F, 30, clientFinish},
          {F, 40, record(23, filler(400, 29))},
          {R, 50, record(23, filler(1000, 31))}};
}

}  // namespace

class TestTlsParser : public QObject {
  Q_OBJECT

 private slots:
  void tls12Handshake() {
    TlsParser parser;
    const Collector c = runCollect(tls12Conversation(), parser);
    QCOMPARE(c.clientHellos, 1);
    QCOMPARE(c.serverHellos, 1);
    QCOMPARE(c.sni, std::string("tls12.example"));
    QCOMPARE(c.negotiated, std::uint16_t{0x0303});
    QCOMPARE(c.cipher, std::uint16_t{0xC030});
    QVERIFY2(c.log.find("CH dir=0 t=100 v=0x0303 max=0x0303 suites=0xC02F,0xC030,0x009C,") !=
                 std::string::npos,
             c.log.c_str());
    QVERIFY2(c.log.find("SH dir=1 t=200 v=0x0303 sel=0x0000 suite=0xC030 alpn=http/1.1") !=
                 std::string::npos,
             c.log.c_str());
    QCOMPARE(c.appData[0], std::int64_t{500});
    QCOMPARE(c.appData[1], std::int64_t{600});
    QVERIFY(parser.hellosDone());
    QVERIFY(parser.isDone());
    QCOMPARE(parser.problems(), std::uint8_t{0});
    QCOMPARE(parser.version(), std::uint16_t{0x0303});
  }

  void tls13Handshake() {
    TlsParser parser;
    const Collector c = runCollect(tls13Conversation(), parser);
    QVERIFY2(c.log.find("CH dir=0 t=10 v=0x0303 max=0x0304 "
                        "suites=0x1A1A,0x1301,0x1302,0x1303,0xC02B,0xC02F,0xCCA9, "
                        "sv=0x2A2A,0x0304,0x0303, sni=www.example.org alpn=h2,http/1.1,") !=
                 std::string::npos,
             c.log.c_str());
    QCOMPARE(c.negotiated, std::uint16_t{0x0304});
    QCOMPARE(c.cipher, std::uint16_t{0x1302});
    // The client's type-23 record at t=30 is its Finished; the server's records before it
    // are its encrypted handshake.
    QCOMPARE(c.appData[0], std::int64_t{40});
    QCOMPARE(c.appData[1], std::int64_t{50});
    QVERIFY(parser.isDone());
  }

  void tls13EarlyDataCountsAsData() {
    ClientHelloSpec spec = browserHello();
    spec.earlyData = true;
    Script script = {{F, 1, record(22, handshake(1, clientHelloBody(spec)))},
                     {F, 2, record(23, filler(100))}};
    TlsParser parser;
    const Collector c = runCollect(script, parser);
    QVERIFY(c.log.find(" 0rtt") != std::string::npos);
    QCOMPARE(c.appData[0], std::int64_t{2});
  }

  void helloRetryRequestIsFollowed() {
    ClientHelloSpec first = browserHello();
    ClientHelloSpec second = browserHello();
    second.sni = "retry.example.org";
    ServerHelloSpec hrr;
    hrr.suite = 0x1301;
    hrr.selectedVersion = 0x0304;
    hrr.helloRetry = true;
    ServerHelloSpec final = hrr;
    final.helloRetry = false;
    Bytes hrrFlight = record(22, handshake(2, serverHelloBody(hrr)));
    append(hrrFlight, record(20, {1}));
    Bytes secondFlight = record(20, {1});  // middlebox compatibility CCS first
    append(secondFlight, record(22, handshake(1, clientHelloBody(second))));
    const Script script = {{F, 1, record(22, handshake(1, clientHelloBody(first)))},
                           {R, 2, hrrFlight},
                           {F, 3, secondFlight},
                           {R, 4, record(22, handshake(2, serverHelloBody(final)))}};
    TlsParser parser;
    const Collector c = runCollect(script, parser);
    QCOMPARE(c.clientHellos, 2);
    QCOMPARE(c.serverHellos, 2);
    QVERIFY(c.log.find("HRR") != std::string::npos);
    QCOMPARE(c.sni, std::string("retry.example.org"));
    QVERIFY(parser.hasServerHello());
    QCOMPARE(parser.version(), std::uint16_t{0x0304});
  }

  void changeCipherSpecEndsHandshakeParsingBeforeTls13() {
    // A server direction seen from its ChangeCipherSpec on (the ServerHello was missed):
    // the handshake record after it is encrypted and must not be read as a hello, even if its
    // bytes happen to look like one.
    Bytes flight = record(20, {1});
    append(flight, record(22, handshake(2, serverHelloBody({}))));
    append(flight, record(23, filler(30)));
    TlsParser parser;
    const Collector c = runCollect({{R, 7, flight}}, parser);
    QCOMPARE(c.serverHellos, 0);
    QCOMPARE(c.appData[1], std::int64_t{7});
  }

  void everySplitGivesTheSameResult_data() {
    QTest::addColumn<int>("conversation");
    QTest::newRow("TLS 1.2") << 12;
    QTest::newRow("TLS 1.3") << 13;
  }

  /// Each segment split at every byte position, and fed byte by byte: records, record headers
  /// and hellos straddling segments give exactly the unsplit result, and no buffer is left.
  void everySplitGivesTheSameResult() {
    QFETCH(int, conversation);
    const Script script = conversation == 12 ? tls12Conversation() : tls13Conversation();
    const std::string reference = run(script);
    QVERIFY(reference.find("CH ") != std::string::npos);
    QVERIFY(reference.find("SH ") != std::string::npos);
    // CH, SH, DATA, DATA
    QCOMPARE(std::count(reference.begin(), reference.end(), '\n'), std::ptrdiff_t{4});
    std::size_t maxBuffered = 0;
    for (std::size_t i = 0; i < script.size(); ++i) {
      for (std::size_t k = 1; k < script[i].bytes.size(); ++k) {
        const std::string got = run(script, i, k, &maxBuffered);
        if (got != reference) {
          QFAIL(
              qPrintable(QStringLiteral("segment %1 split at %2:\n%3\nexpected:\n%4")
                             .arg(i)
                             .arg(k)
                             .arg(QString::fromStdString(got), QString::fromStdString(reference))));
        }
      }
      QCOMPARE(run(script, i, SIZE_MAX), reference);
    }
    // A hello cut in two was gathered in a buffer of its own size, never more.
    QVERIFY(maxBuffered > 0);
    QVERIFY(maxBuffered <= TlsParser::kMaxBufferedMessage);
  }

  void bufferOnlyWhileAHelloStraddles() {
    const Bytes hello = record(22, handshake(1, clientHelloBody(browserHello())));
    TlsParser parser;
    Collector c;
    parser.feed(F, hello.data(), 3, 1, c);  // part of the record header: no buffer
    QCOMPARE(parser.bufferedBytes(), std::size_t{0});
    parser.feed(F, hello.data() + 3, 100, 1, c);
    const std::size_t messageLength = hello.size() - 9;
    QCOMPARE(parser.bufferedBytes(), messageLength);  // exactly the message, once
    parser.feed(F, hello.data() + 103, hello.size() - 103, 2, c);
    QCOMPARE(parser.bufferedBytes(), std::size_t{0});
    QCOMPARE(c.clientHellos, 1);
    QVERIFY(c.log.find("t=2 ") != std::string::npos);  // completed by the second segment
    QVERIFY(sizeof(TlsParser) <= 128);
  }

  void gapInsideARecordKeepsSync() {
    Script script = tls12Conversation();
    // Lose 100 bytes in the middle of the server's certificate records.
    Segment& server = script[1];
    const std::size_t cut = 1000;
    Bytes before(server.bytes.begin(), server.bytes.begin() + cut);
    Bytes after(server.bytes.begin() + cut + 100, server.bytes.end());
    TlsParser parser;
    Collector c;
    for (std::size_t i = 0; i < script.size(); ++i) {
      const Segment& s = script[i];
      if (i != 1) {
        parser.feed(s.dir, s.bytes.data(), s.bytes.size(), s.ts, c);
        continue;
      }
      parser.feed(s.dir, before.data(), before.size(), s.ts, c);
      parser.gap(s.dir, 100);
      parser.feed(s.dir, after.data(), after.size(), s.ts, c);
    }
    QCOMPARE(c.serverHellos, 1);
    QCOMPARE(c.appData[0], std::int64_t{500});
    QCOMPARE(c.appData[1], std::int64_t{600});
    QCOMPARE(parser.problems() & TlsParser::kLostSync, 0);
  }

  void gapAcrossRecordsLosesSyncAndResumes() {
    const Script script = tls12Conversation();
    TlsParser parser;
    Collector c;
    parser.feed(F, script[0].bytes.data(), script[0].bytes.size(), 1, c);
    parser.feed(R, script[1].bytes.data(), 20, 2, c);  // a record header and a little more
    parser.gap(R, 5000);                               // the rest of the server flight and more
    QVERIFY(parser.problems() & TlsParser::kLostSync);
    // A segment that does not start with a record header is skipped...
    const Bytes junk = filler(50);
    parser.feed(R, junk.data(), junk.size(), 2, c);
    // ...one that does resumes the direction.
    const Bytes data = record(23, filler(64));
    parser.feed(R, data.data(), data.size(), 3, c);
    QCOMPARE(c.appData[1], std::int64_t{3});
    QCOMPARE(c.serverHellos, 0);
    // A gap before a direction said anything is not a loss of synchronisation.
    TlsParser quiet;
    quiet.gap(F, 100);
    QCOMPARE(quiet.problems(), std::uint8_t{0});
  }

  void sslv2HellosAreRecognisedAndIgnored() {
    // The first client and server segments of the SSLv2 session in the test corpus
    // (sslv2_client_hello.pcap), cut after a few bytes of their bodies.
    const Bytes client = {0x80, 0x2e, 0x01, 0x00, 0x02, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10,
                          0x07, 0x00, 0xc0, 0x05, 0x00, 0x80, 0x03, 0x00, 0x80, 0x01, 0x00};
    const Bytes server = {0x83, 0xb4, 0x04, 0x00, 0x01, 0x00, 0x02, 0x03,
                          0x87, 0x00, 0x12, 0x00, 0x10, 0x30, 0x82, 0x03};
    QVERIFY(TlsParser::looksLikeTls(client.data(), client.size()));
    TlsParser parser;
    Collector c;
    parser.feed(F, client.data(), 2, 1, c);  // split inside the SSLv2 header
    parser.feed(F, client.data() + 2, client.size() - 2, 1, c);
    parser.feed(R, server.data(), server.size(), 2, c);
    const Bytes more = record(23, filler(20));  // whatever follows is not looked at
    parser.feed(F, more.data(), more.size(), 3, c);
    QCOMPARE(c.log, std::string("SSLv2 dir=0 client v=0x0002\nSSLv2 dir=1 server v=0x0002\n"));
    QVERIFY(parser.isDone());
    QCOMPARE(parser.bufferedBytes(), std::size_t{0});
  }

  void nonTlsStreamIsIgnored() {
    const std::string http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    const auto* p = reinterpret_cast<const std::uint8_t*>(http.data());
    QVERIFY(!TlsParser::looksLikeTls(p, http.size()));
    TlsParser parser;
    Collector c;
    parser.feed(F, p, http.size(), 1, c);
    parser.feed(R, p, http.size(), 2, c);
    const Bytes hello = record(22, handshake(1, clientHelloBody(browserHello())));
    parser.feed(F, hello.data(), hello.size(), 3, c);  // too late: the stream was not TLS
    QCOMPARE(c.log, std::string());
    QVERIFY(parser.isDone());
  }

  void badRecordHeaders_data() {
    QTest::addColumn<Bytes>("header");
    QTest::newRow("unknown content type") << Bytes{99, 3, 3, 0, 10};
    QTest::newRow("record version 4.0") << Bytes{22, 4, 0, 0, 10};
    QTest::newRow("record version 3.9") << Bytes{22, 3, 9, 0, 10};
    QTest::newRow("record too long") << Bytes{22, 3, 3, 0x48, 0x01};
    QTest::newRow("empty handshake record") << Bytes{22, 3, 3, 0, 0};
  }

  void badRecordHeaders() {
    QFETCH(Bytes, header);
    Bytes stream = header;
    append(stream, filler(40));
    QVERIFY(!TlsParser::looksLikeTls(stream.data(), stream.size()));
    TlsParser parser;
    Collector c;
    parser.feed(F, stream.data(), stream.size(), 1, c);
    QCOMPARE(c.log, std::string());
    // After a good record, the same header loses synchronisation instead.
    TlsParser second;
    Bytes good = record(23, filler(5));
    append(good, stream);
    second.feed(F, good.data(), good.size(), 1, c);
    QVERIFY(second.problems() & TlsParser::kLostSync);
  }

  void damagedHellos() {
    TlsParser parser;
    Collector c;
    // Cipher suite list of odd length: no hello at all.
    Bytes body = clientHelloBody(browserHello());
    body[2 + 32 + 1 + 32 + 1] = 0x0D;
    Bytes stream = record(22, handshake(1, body));
    parser.feed(F, stream.data(), stream.size(), 1, c);
    QCOMPARE(c.clientHellos, 0);
    QVERIFY(parser.problems() & TlsParser::kMalformedHello);

    // Extension block longer than the message: the fixed part is reported, no SNI.
    TlsParser second;
    Collector c2;
    ClientHelloSpec spec = browserHello();
    Bytes body2 = clientHelloBody(spec);
    const std::size_t extLengthAt = 2 + 32 + 1 + 32 + 2 + spec.suites.size() * 2 + 2;
    body2[extLengthAt] = 0xFF;
    stream = record(22, handshake(1, body2));
    second.feed(F, stream.data(), stream.size(), 1, c2);
    QCOMPARE(c2.clientHellos, 1);
    QCOMPARE(c2.sni, std::string());
    QVERIFY(second.problems() & TlsParser::kMalformedHello);

    // Every truncation of a ServerHello message (record and message lengths kept
    // consistent): without its 70-byte fixed part it is dropped; with a cut extension block
    // it is reported as damaged; never read past (ASan).
    const Bytes sh = serverHelloBody({0x0303, 0x1301, 0x0304, "h2", false});
    constexpr std::size_t kFixedPart = 2 + 32 + 1 + 32 + 2 + 1;
    for (std::size_t n = 0; n < sh.size(); ++n) {
      TlsParser p;
      Collector cc;
      const Bytes cut = record(22, handshake(2, Bytes(sh.begin(), sh.begin() + n)));
      p.feed(R, cut.data(), cut.size(), 1, cc);
      QCOMPARE(cc.serverHellos, n < kFixedPart ? 0 : 1);
      QCOMPARE((p.problems() & TlsParser::kMalformedHello) != 0, n != kFixedPart);
    }
  }

  void oversizedHelloIsSkipped() {
    ClientHelloSpec spec = browserHello();
    spec.padding = TlsParser::kMaxBufferedMessage;  // ~16.5 KiB message
    const Bytes message = handshake(1, clientHelloBody(spec));
    QVERIFY(message.size() > TlsParser::kMaxBufferedMessage);
    const std::size_t half = message.size() / 2;
    Bytes stream = record(22, Bytes(message.begin(), message.begin() + half));
    append(stream, record(22, Bytes(message.begin() + half, message.end())));
    append(stream, record(23, filler(10)));
    TlsParser parser;
    Collector c;
    for (std::size_t at = 0; at < stream.size(); at += 1000) {
      parser.feed(F, stream.data() + at, std::min<std::size_t>(1000, stream.size() - at), 5, c);
      QCOMPARE(parser.bufferedBytes(), std::size_t{0});
    }
    QCOMPARE(c.clientHellos, 0);
    QVERIFY(parser.problems() & TlsParser::kHelloTooLarge);
    QCOMPARE(c.appData[0], std::int64_t{5});  // the record layer kept its footing
  }

  /// Random damage to valid conversations at random split points: no crash, no read past
  /// a buffer (ASan), buffers bounded and released.
  void randomDamageIsSurvived() {
    netlens::node::demo::DemoRandom random(20240607);
    const Script scripts[] = {tls12Conversation(), tls13Conversation()};
    for (int round = 0; round < 400; ++round) {
      Script script = scripts[round % 2];
      for (Segment& s : script) {
        const int hits = static_cast<int>(random.next() % 4);
        for (int h = 0; h < hits; ++h) {
          s.bytes[random.next() % s.bytes.size()] = static_cast<std::uint8_t>(random.next());
        }
      }
      TlsParser parser;
      Collector c;
      for (const Segment& s : script) {
        std::size_t at = 0;
        while (at < s.bytes.size()) {
          const std::size_t n = std::min<std::size_t>(1 + random.next() % 700, s.bytes.size() - at);
          parser.feed(s.dir, s.bytes.data() + at, n, s.ts, c);
          QVERIFY(parser.bufferedBytes() <= 2 * TlsParser::kMaxBufferedMessage);
          at += n;
        }
        if (random.next() % 8 == 0) parser.gap(s.dir, random.next() % 3000);
      }
    }
  }

  void demoHandshakesParse_data() {
    QTest::addColumn<bool>("tls13");
    QTest::newRow("TLS 1.2 (demo)") << false;
    QTest::newRow("TLS 1.3 (demo)") << true;
  }

  /// The demo traffic generator's handshakes are read as what they were made to be.
  void demoHandshakesParse() {
    QFETCH(bool, tls13);
    using netlens::node::demo::TlsVersion;
    netlens::node::demo::DemoRandom random(7);
    const auto h = netlens::node::demo::tlsHandshake(tls13 ? TlsVersion::Tls13 : TlsVersion::Tls12,
                                                     "demo.example.net", "h2", random);
    const auto data = netlens::node::demo::tlsApplicationData(
        tls13 ? TlsVersion::Tls13 : TlsVersion::Tls12, 5000, random);
    TlsParser parser;
    const Collector c = runCollect({{F, 1, h.clientHello},
                                    {R, 2, h.serverFlight},
                                    {F, 3, h.clientFinish},
                                    {F, 4, data},
                                    {R, 5, data}},
                                   parser);
    QCOMPARE(c.sni, std::string("demo.example.net"));
    QVERIFY2(c.log.find("alpn=h2,http/1.1,") != std::string::npos, c.log.c_str());
    if (!tls13) QVERIFY2(c.log.find("alpn=h2\n") != std::string::npos, c.log.c_str());
    QCOMPARE(c.negotiated, std::uint16_t(tls13 ? 0x0304 : 0x0303));
    QCOMPARE(c.cipher, std::uint16_t(tls13 ? 0x1301 : 0xC02F));
    QCOMPARE(c.appData[0], std::int64_t{4});
    QCOMPARE(c.appData[1], std::int64_t{5});
    QCOMPARE(parser.problems(), std::uint8_t{0});
  }

  void names_data() {
    QTest::addColumn<int>("value");
    QTest::addColumn<QString>("suite");
    QTest::addColumn<QString>("version");
    QTest::newRow("c02f") << 0xC02F << "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
                          << "0xC02F";
    QTest::newRow("1301") << 0x1301 << "TLS_AES_128_GCM_SHA256"
                          << "0x1301";
    QTest::newRow("0088") << 0x0088 << "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA"
                          << "0x0088";
    QTest::newRow("cca9") << 0xCCA9 << "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"
                          << "0xCCA9";
    QTest::newRow("00ff") << 0x00FF << "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"
                          << "0x00FF";
    QTest::newRow("unknown cc14") << 0xCC14 << "0xCC14"
                                  << "0xCC14";
    QTest::newRow("grease") << 0x3A3A << "GREASE"
                            << "GREASE";
    QTest::newRow("ssl2") << 0x0002 << "TLS_RSA_WITH_NULL_SHA"
                          << "SSL 2.0";
    QTest::newRow("ssl3") << 0x0300 << "0x0300"
                          << "SSL 3.0";
    QTest::newRow("tls10") << 0x0301 << "0x0301"
                           << "TLS 1.0";
    QTest::newRow("tls12") << 0x0303 << "0x0303"
                           << "TLS 1.2";
    QTest::newRow("tls13") << 0x0304 << "0x0304"
                           << "TLS 1.3";
    QTest::newRow("draft 28") << 0x7F1C << "0x7F1C"
                              << "TLS 1.3 (draft 28)";
    QTest::newRow("facebook") << 0xFB1A << "0xFB1A"
                              << "TLS 1.3 (Facebook draft 26)";
  }

  void names() {
    QFETCH(int, value);
    QFETCH(QString, suite);
    QFETCH(QString, version);
    const auto v = static_cast<std::uint16_t>(value);
    QCOMPARE(QString::fromStdString(cipherSuiteLabel(v)), suite);
    QCOMPARE(QString::fromStdString(tlsVersionLabel(v)), version);
  }

  void greaseAndVersionFamilies() {
    for (unsigned v = 0x0A0A; v <= 0xFAFA; v += 0x1010)
      QVERIFY(isGrease(static_cast<std::uint16_t>(v)));
    QVERIFY(!isGrease(0x0A1A));
    QVERIFY(!isGrease(0xC02F));
    QVERIFY(isTls13Family(0x0304));
    QVERIFY(isTls13Family(0x7F17));
    QVERIFY(isTls13Family(0xFB1A));
    QVERIFY(!isTls13Family(0x0303));
    // The highest offered version ranks drafts below the final TLS 1.3.
    ClientHelloSpec spec = browserHello();
    spec.supportedVersions = {0x7F1C, 0x0304, 0xFB1A, 0x0303};
    const Bytes hello = record(22, handshake(1, clientHelloBody(spec)));
    TlsParser parser;
    Collector c;
    parser.feed(F, hello.data(), hello.size(), 1, c);
    QVERIFY2(c.log.find("max=0x0304") != std::string::npos, c.log.c_str());
  }
};

QTEST_APPLESS_MAIN(TestTlsParser)
#include "tst_tls_parser.moc"
