// SPDX-License-Identifier: MIT
// HttpParser on hand-built HTTP/1.x conversations: request and response fields, body framing
// (Content-Length, chunked, HEAD, 1xx/204/304, close-delimited), pipelining and the pairing
// of responses with requests, every split position of every segment, oversized headers,
// gaps, resynchronisation, tunnels, HTTP over UDP, and damaged input. Run under ASan in the
// asan preset: a read past a buffer fails the test.

#include <QTest>
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "node/analysis/http_parser.h"
#include "node/demo/demo_random.h"
#include "node/demo/http_messages.h"

using namespace netlens::node::analysis;

namespace {

constexpr auto F = StreamDirection::Forward;
constexpr auto R = StreamDirection::Reverse;

const std::uint8_t* bytes(const std::string& s) {
  return reinterpret_cast<const std::uint8_t*>(s.data());
}

/// Everything the parser reported, one line per message, plus the last request's fields.
class Collector : public HttpListener {
 public:
  std::string log;
  int requests = 0;
  int responses = 0;
  std::string method, uri, version, host, userAgent, fileName, user, contentType;
  bool truncated = false;

  void onRequest(StreamDirection d, const HttpRequest& r) override {
    ++requests;
    method = r.method;
    uri = r.uri;
    version = r.version;
    host = r.host;
    userAgent = r.userAgent;
    fileName = r.fileName;
    user = r.user;
    contentType = r.contentType;
    truncated = r.headerTruncated;
    log += "REQ " + std::to_string(directionIndex(d)) + " " + std::to_string(r.startNs) + "-" +
           std::to_string(r.timestampNs) + " " + method + " " + uri + " host=" + host +
           (truncated ? " truncated" : "") + "\n";
  }
  void onResponse(StreamDirection d, const HttpResponse& r) override {
    ++responses;
    contentType = r.contentType;
    log += "RSP " + std::to_string(directionIndex(d)) + " " + std::to_string(r.startNs) + "-" +
           std::to_string(r.timestampNs) + " " + std::to_string(r.statusCode) + " " +
           std::string(r.mediaType());
    if (r.paired) {
      log += " req=" + std::to_string(r.requestStartNs) + "-" + std::to_string(r.requestEndNs) +
             " rt=" + std::to_string(r.responseTimeNs());
    } else {
      log += " unpaired";
    }
    log += "\n";
  }
};

struct Segment {
  StreamDirection dir;
  std::int64_t ts;
  std::string text;
  bool fin = false;  ///< endOfStream after this segment
};
using Script = std::vector<Segment>;

/// Feeds a script; segment `splitIndex` in two parts at `splitAt` (same timestamp), or byte
/// by byte with splitAt == SIZE_MAX.
std::string run(const Script& script, std::size_t splitIndex = SIZE_MAX, std::size_t splitAt = 0,
                HttpParser* keep = nullptr) {
  HttpParser local;
  HttpParser& parser = keep ? *keep : local;
  Collector c;
  for (std::size_t i = 0; i < script.size(); ++i) {
    const Segment& s = script[i];
    const std::uint8_t* p = bytes(s.text);
    const std::size_t n = s.text.size();
    if (i != splitIndex) {
      parser.feed(s.dir, p, n, s.ts, c);
    } else if (splitAt == SIZE_MAX) {
      for (std::size_t k = 0; k < n; ++k) parser.feed(s.dir, p + k, 1, s.ts, c);
    } else {
      parser.feed(s.dir, p, splitAt, s.ts, c);
      parser.feed(s.dir, p + splitAt, n - splitAt, s.ts, c);
    }
    if (s.fin) parser.endOfStream(s.dir, s.ts);
  }
  if (parser.bufferedBytes() != 0) c.log += "BUFFER LEFT\n";
  return c.log;
}

Collector feedOne(const std::string& text, HttpParser* parser = nullptr) {
  HttpParser local;
  HttpParser& p = parser ? *parser : local;
  Collector c;
  p.feed(F, bytes(text), text.size(), 1, c);
  return c;
}

/// Pipelining, bodies of every framing, HEAD, 204, 100-continue and a close-delimited
/// HTTP/1.0 response.
Script conversation() {
  return {
      {F, 100,
       "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
       "HEAD /b HTTP/1.1\r\nHost: h\r\n\r\n"
       "POST /c HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world"},
      {R, 200,
       "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 5\r\n\r\n"
       "abcde"
       "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"  // HEAD: no body follows
       "HTTP/1.1 201 Created\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
       "4;ext=1\r\nwxyz\r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n"},
      {F, 150,
       "PUT /d HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"},
      {R, 250, "HTTP/1.1 204 No Content\r\nContent-Length: 99\r\n\r\n"},
      {F, 160,
       "\r\nPOST /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"},
      {R, 265, "HTTP/1.1 100 Continue\r\n\r\n"},
      {F, 270, "data"},
      {R, 280, "HTTP/1.0 500 Oops\r\nContent-Type: text/plain\r\n\r\nHTTP/1.1 200 not a header"},
      {R, 290, "more body until the close", true},
  };
}

const char* const kConversationLog =
    "REQ 0 100-100 GET /a host=h\n"
    "REQ 0 100-100 HEAD /b host=h\n"
    "REQ 0 100-100 POST /c host=h\n"
    "RSP 1 200-200 200 text/html req=100-100 rt=100\n"
    "RSP 1 200-200 200  req=100-100 rt=100\n"
    "RSP 1 200-200 201  req=100-100 rt=100\n"
    "REQ 0 150-150 PUT /d host=h\n"
    "RSP 1 250-250 204  req=150-150 rt=100\n"
    "REQ 0 160-160 POST /e host=h\n"
    "RSP 1 265-265 100  unpaired\n"
    "RSP 1 280-280 500 text/plain req=160-270 rt=10\n";

}  // namespace

class TestHttpParser : public QObject {
  Q_OBJECT

 private slots:
  void requestFields_data() {
    QTest::addColumn<QString>("request");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("uri");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("userAgent");
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QString>("user");

    QTest::newRow("plain") << "GET /index.html HTTP/1.1\r\nHost: example.org\r\n"
                              "User-Agent: curl/8.1\r\n\r\n"
                           << "GET"
                           << "/index.html"
                           << "example.org"
                           << "curl/8.1"
                           << "index.html"
                           << "";
    QTest::newRow("header names in any case, padded values")
        << "GET / HTTP/1.1\r\nHOST:   a.example:8080  \r\nuser-AGENT:\tX/1\r\n\r\n"
        << "GET"
        << "/"
        << "a.example:8080"
        << "X/1"
        << ""
        << "";
    QTest::newRow("query, fragment, percent-encoding")
        << "GET /dir/report%20final.pdf?x=/y.z#frag HTTP/1.1\r\nHost: h\r\n\r\n"
        << "GET"
        << "/dir/report%20final.pdf?x=/y.z#frag"
        << "h"
        << ""
        << "report final.pdf"
        << "";
    QTest::newRow("bad percent escape kept") << "GET /a%zz%4 HTTP/1.1\r\nHost: h\r\n\r\n"
                                             << "GET"
                                             << "/a%zz%4"
                                             << "h"
                                             << ""
                                             << "a%zz%4"
                                             << "";
    QTest::newRow("absolute form") << "GET http://proxy.example/a/b.zip HTTP/1.1\r\n\r\n"
                                   << "GET"
                                   << "http://proxy.example/a/b.zip"
                                   << ""
                                   << ""
                                   << "b.zip"
                                   << "";
    QTest::newRow("directory") << "GET /a/b/ HTTP/1.1\r\nHost: h\r\n\r\n"
                               << "GET"
                               << "/a/b/"
                               << "h"
                               << ""
                               << ""
                               << "";
    QTest::newRow("connect") << "CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n"
                             << "CONNECT"
                             << "example.org:443"
                             << "example.org:443"
                             << ""
                             << ""
                             << "";
    QTest::newRow("asterisk") << "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n"
                              << "OPTIONS"
                              << "*"
                              << "h"
                              << ""
                              << ""
                              << "";
    QTest::newRow("basic auth") << "GET /f HTTP/1.1\r\nHost: h\r\n"
                                   "Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n\r\n"
                                << "GET"
                                << "/f"
                                << "h"
                                << ""
                                << "f"
                                << "Aladdin";
    QTest::newRow("basic auth, lower case scheme, proxy")
        << "GET /f HTTP/1.1\r\nproxy-authorization: basic dXNlcjpwYXNz\r\n\r\n"
        << "GET"
        << "/f"
        << ""
        << ""
        << "f"
        << "user";
    QTest::newRow("bearer is no user") << "GET /f HTTP/1.1\r\nAuthorization: Bearer abc.def\r\n\r\n"
                                       << "GET"
                                       << "/f"
                                       << ""
                                       << ""
                                       << "f"
                                       << "";
    QTest::newRow("bare LF lines, HTTP/1.0") << "GET /x.txt HTTP/1.0\nHost: h\n\n"
                                             << "GET"
                                             << "/x.txt"
                                             << "h"
                                             << ""
                                             << "x.txt"
                                             << "";
    QTest::newRow("webdav") << "PROPFIND /dav/ HTTP/1.1\r\nHost: d\r\nDepth: 1\r\n\r\n"
                            << "PROPFIND"
                            << "/dav/"
                            << "d"
                            << ""
                            << ""
                            << "";
    QTest::newRow("patch") << "PATCH /api/item HTTP/1.1\r\nHost: d\r\n\r\n"
                           << "PATCH"
                           << "/api/item"
                           << "d"
                           << ""
                           << "item"
                           << "";
    QTest::newRow("folded line ignored")
        << "GET / HTTP/1.1\r\nUser-Agent: A\r\n  continued\r\nHost: h\r\n\r\n"
        << "GET"
        << "/"
        << "h"
        << "A"
        << ""
        << "";
    QTest::newRow("first Host wins") << "GET / HTTP/1.1\r\nHost: one\r\nHost: two\r\n\r\n"
                                     << "GET"
                                     << "/"
                                     << "one"
                                     << ""
                                     << ""
                                     << "";
    // Request lines Wireshark still counts (from a capture of odd request lines): the
    // method runs to a space or the end of the line.
    QTest::newRow("method alone") << "OPTIONS\nHost: www.google.com\n\n"
                                  << "OPTIONS"
                                  << ""
                                  << "www.google.com"
                                  << ""
                                  << ""
                                  << "";
    QTest::newRow("no space before version") << "GET /HTTP/1.1\nHost: www.google.com\n\n"
                                             << "GET"
                                             << "/HTTP/1.1"
                                             << "www.google.com"
                                             << ""
                                             << "1.1"
                                             << "";
    QTest::newRow("cut version") << "CCM_POST / HTTP/1.\nHost: www.google.com\n\n"
                                 << "CCM_POST"
                                 << "/"
                                 << "www.google.com"
                                 << ""
                                 << ""
                                 << "";
  }

  void requestFields() {
    QFETCH(QString, request);
    QFETCH(QString, method);
    QFETCH(QString, uri);
    QFETCH(QString, host);
    QFETCH(QString, userAgent);
    QFETCH(QString, fileName);
    QFETCH(QString, user);
    const std::string text = request.toStdString();
    QVERIFY(HttpParser::looksLikeHttp(bytes(text), text.size()));
    HttpParser parser;
    const Collector c = feedOne(text, &parser);
    QCOMPARE(c.requests, 1);
    QCOMPARE(QString::fromStdString(c.method), method);
    QCOMPARE(QString::fromStdString(c.uri), uri);
    QCOMPARE(QString::fromStdString(c.host), host);
    QCOMPARE(QString::fromStdString(c.userAgent), userAgent);
    QCOMPARE(QString::fromStdString(c.fileName), fileName);
    QCOMPARE(QString::fromStdString(c.user), user);
    QVERIFY(parser.isHttp());
    QCOMPARE(parser.problems(), std::uint8_t{0});
  }

  void notHttp_data() {
    QTest::addColumn<QString>("text");
    QTest::newRow("no space after method") << "GET/ HTTP/1.1\r\nHost: x\r\n\r\n";
    QTest::newRow("lower-case method") << "get / HTTP/1.1\r\nHost: x\r\n\r\n";
    QTest::newRow("unknown method") << "FETCH / HTTP/1.1\r\nHost: x\r\n\r\n";
    QTest::newRow("SIP") << "INVITE sip:bob@example.org SIP/2.0\r\nVia: x\r\n\r\n";
    QTest::newRow("SIP method shared with SSDP") << "NOTIFY sip:bob@example.org SIP/2.0\r\n\r\n";
    QTest::newRow("SIP response") << "SIP/2.0 200 OK\r\n\r\n";
    QTest::newRow("RTSP") << "OPTIONS rtsp://cam/ RTSP/1.0\r\nCSeq: 1\r\n\r\n";
    QTest::newRow("HTTP/2 preface") << "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    QTest::newRow("status without code") << "HTTP/1.1 OK\r\n\r\n";
    QTest::newRow("binary") << QString::fromLatin1("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03");
  }

  void notHttp() {
    QFETCH(QString, text);
    const std::string s = text.toLatin1().toStdString();
    HttpParser parser;
    const Collector c = feedOne(s, &parser);
    QCOMPARE(c.log, std::string());
    QVERIFY(!parser.isHttp());
    // Split in two, the same.
    for (std::size_t k = 1; k < s.size(); ++k) {
      HttpParser p;
      Collector cc;
      p.feed(F, bytes(s), k, 1, cc);
      p.feed(F, bytes(s) + k, s.size() - k, 1, cc);
      QCOMPARE(cc.log, std::string());
      QCOMPARE(p.bufferedBytes(), std::size_t{0});
    }
  }

  void conversationFramingAndPairing() {
    HttpParser parser;
    const std::string log = run(conversation(), SIZE_MAX, 0, &parser);
    QCOMPARE(log, std::string(kConversationLog));
    QCOMPARE(parser.problems(), std::uint8_t{0});
    QCOMPARE(parser.messageCount(), 11u);
  }

  /// Each segment split at every byte position, and fed byte by byte: the same messages,
  /// times and pairing as unsplit, and no buffer left.
  void everySplitGivesTheSameResult() {
    const Script script = conversation();
    const std::string reference = run(script);
    QCOMPARE(reference, std::string(kConversationLog));
    for (std::size_t i = 0; i < script.size(); ++i) {
      for (std::size_t k = 1; k < script[i].text.size(); ++k) {
        const std::string got = run(script, i, k);
        if (got != reference) {
          QFAIL(qPrintable(QStringLiteral("segment %1 split at %2:\n%3")
                               .arg(i)
                               .arg(k)
                               .arg(QString::fromStdString(got))));
        }
      }
      QCOMPARE(run(script, i, SIZE_MAX), reference);
    }
  }

  void headerTimesFollowTheSegments() {
    // A request whose header ends in a later segment: start and completion times differ.
    HttpParser parser;
    Collector c;
    const std::string a = "GET /slow HTTP/1.1\r\nHo";
    const std::string b = "st: h\r\n\r\n";
    parser.feed(F, bytes(a), a.size(), 10, c);
    QVERIFY(parser.bufferedBytes() > 0);
    parser.feed(F, bytes(b), b.size(), 20, c);
    QCOMPARE(parser.bufferedBytes(), std::size_t{0});
    QCOMPARE(c.log, std::string("REQ 0 10-20 GET /slow host=h\n"));
    QVERIFY(sizeof(HttpParser) <= 320);
  }

  void oversizedHeaderIsCutAndSkipped() {
    std::string big = "GET /big.iso HTTP/1.1\r\nHost: big.example\r\nCookie: ";
    big.append(20000, 'c');
    big += "\r\nUser-Agent: late\r\n\r\n";
    const std::string next = "GET /next HTTP/1.1\r\nHost: n\r\n\r\n";
    HttpParser parser;
    Collector c;
    for (std::size_t at = 0; at < big.size(); at += 1000) {
      parser.feed(F, bytes(big) + at, std::min<std::size_t>(1000, big.size() - at), 1, c);
      QVERIFY(parser.bufferedBytes() <= HttpParser::kMaxHeaderBytes);
    }
    parser.feed(F, bytes(next), next.size(), 2, c);
    QCOMPARE(c.log, std::string("REQ 0 1-1 GET /big.iso host=big.example truncated\n"
                                "REQ 0 2-2 GET /next host=n\n"));
    QVERIFY(parser.problems() & HttpParser::kHeaderTruncated);
    QCOMPARE(parser.bufferedBytes(), std::size_t{0});
    // The same header whole in one segment is parsed in place, not cut.
    const Collector whole = feedOne(big);
    QCOMPARE(whole.userAgent, std::string("late"));
    QVERIFY(!whole.truncated);
  }

  void wrongLengthLosesSyncAndResumesAtASegmentStart() {
    const Script script = {
        {F, 1, "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n"},
        // The first body is longer than announced: what follows is not a status line.
        {R, 2, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n0123456789HTTP/1.1 200 OK\r\n\r\n"},
        {R, 3, "garbage that is not a message\r\n\r\n"},
        {R, 4, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"},
    };
    HttpParser parser;
    const std::string log = run(script, SIZE_MAX, 0, &parser);
    QCOMPARE(log, std::string("REQ 0 1-1 GET /1 host=h\n"
                              "REQ 0 1-1 GET /2 host=h\n"
                              "RSP 1 2-2 200  req=1-1 rt=1\n"
                              "RSP 1 4-4 404  req=1-1 rt=3\n"));
    QVERIFY(parser.problems() & HttpParser::kLostSync);
  }

  void gaps() {
    HttpParser parser;
    Collector c;
    const std::string req = "GET /1 HTTP/1.1\r\nHost: h\r\n\r\n";
    const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123";
    const std::string tail = "xyz";
    const std::string second = "HTTP/1.1 304 Not Modified\r\n\r\n";
    parser.feed(F, bytes(req), req.size(), 1, c);
    parser.feed(F, bytes(req), req.size(), 1, c);
    parser.feed(R, bytes(head), head.size(), 2, c);
    parser.gap(R, 993);  // inside the body: harmless
    parser.feed(R, bytes(tail), tail.size(), 3, c);
    parser.feed(R, bytes(second), second.size(), 4, c);
    QCOMPARE(c.responses, 2);
    QCOMPARE(parser.problems(), std::uint8_t{0});
    // A hole that ends exactly with a body is harmless too.
    parser.feed(F, bytes(req), req.size(), 4, c);
    const std::string sized = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n";
    parser.feed(R, bytes(sized), sized.size(), 4, c);
    parser.gap(R, 10);
    parser.feed(R, bytes(second), second.size(), 4, c);
    QCOMPARE(c.responses, 4);
    QCOMPARE(parser.problems(), std::uint8_t{0});
    // A hole in a header loses the direction until a segment starts a message.
    const std::string part = "GET /3 HTTP/1.1\r\nHo";
    parser.feed(F, bytes(part), part.size(), 5, c);
    parser.gap(F, 10);
    const std::string rest = "st: h\r\n\r\n";
    parser.feed(F, bytes(rest), rest.size(), 6, c);
    QCOMPARE(c.requests, 3);
    QVERIFY(parser.problems() & HttpParser::kLostSync);
    parser.feed(F, bytes(req), req.size(), 7, c);
    QCOMPARE(c.requests, 4);
  }

  void tunnelsEndHttp_data() {
    QTest::addColumn<QString>("request");
    QTest::addColumn<QString>("response");
    QTest::addColumn<bool>("tunnel");
    QTest::newRow("CONNECT 200") << "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n"
                                 << "HTTP/1.1 200 Connection established\r\n\r\n"
                                 << true;
    QTest::newRow("CONNECT 407") << "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n"
                                 << "HTTP/1.1 407 Proxy Auth\r\nContent-Length: 0\r\n\r\n"
                                 << false;
    QTest::newRow("Upgrade 101") << "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n\r\n"
                                 << "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"
                                 << true;
  }

  void tunnelsEndHttp() {
    QFETCH(QString, request);
    QFETCH(QString, response);
    QFETCH(bool, tunnel);
    const std::string later = "GET /inside HTTP/1.1\r\nHost: i\r\n\r\n";
    const std::string laterResponse = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    const Script script = {{F, 1, request.toStdString()},
                           {R, 2, response.toStdString()},
                           {F, 3, later},
                           {R, 4, laterResponse}};
    const std::string log = run(script);
    QCOMPARE(log.find("/inside") == std::string::npos, tunnel);
    QCOMPARE(log.find("RSP 1 4-4") == std::string::npos, tunnel);
  }

  void datagrams() {
    Collector c;
    const std::string search =
        "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n"
        "MX: 1\r\nST: ssdp:all\r\n\r\n";
    QVERIFY(HttpParser::parseDatagram(F, bytes(search), search.size(), 5, c));
    QCOMPARE(c.method, std::string("M-SEARCH"));
    QCOMPARE(c.host, std::string("239.255.255.250:1900"));
    const std::string notify =
        "NOTIFY * HTTP/1.1\r\nHost: [FF02::C]:1900\r\nNT: upnp:rootdevice";  // no blank line
    QVERIFY(HttpParser::parseDatagram(F, bytes(notify), notify.size(), 6, c));
    QCOMPARE(c.host, std::string("[FF02::C]:1900"));
    const std::string reply = "HTTP/1.1 200 OK\r\nST: upnp:rootdevice\r\n\r\n";
    QVERIFY(HttpParser::parseDatagram(R, bytes(reply), reply.size(), 7, c));
    const std::string sip = "NOTIFY sip:a@b SIP/2.0\r\n\r\n";
    QVERIFY(!HttpParser::parseDatagram(F, bytes(sip), sip.size(), 8, c));
    QCOMPARE(c.log, std::string("REQ 0 5-5 M-SEARCH * host=239.255.255.250:1900\n"
                                "REQ 0 6-6 NOTIFY * host=[FF02::C]:1900\n"
                                "RSP 1 7-7 200  unpaired\n"));
  }

  void deepPipelineKeepsOrder() {
    std::string requests;
    std::string responses;
    const int n = static_cast<int>(HttpParser::kMaxPending) + 2;
    for (int i = 0; i < n; ++i) {
      requests += "GET /" + std::to_string(i) + " HTTP/1.1\r\nHost: h\r\n\r\n";
      responses += "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    }
    const std::string log = run({{F, 1, requests}, {R, 2, responses}});
    // The first kMaxPending responses carry times; the rest are answered without them.
    int paired = 0;
    int unpaired = 0;
    for (std::size_t at = log.find("RSP"); at != std::string::npos; at = log.find("RSP", at + 1)) {
      const std::size_t eol = log.find('\n', at);
      (log.substr(at, eol - at).find("unpaired") == std::string::npos ? paired : unpaired)++;
    }
    QCOMPARE(paired, static_cast<int>(HttpParser::kMaxPending));
    QCOMPARE(unpaired, 2);
  }

  void badFraming_data() {
    QTest::addColumn<QString>("text");
    QTest::newRow("bad chunk size")
        << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n";
    QTest::newRow("no CRLF after chunk data")
        << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n";
    QTest::newRow("conflicting lengths")
        << "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd";
    QTest::newRow("length not a number") << "HTTP/1.1 200 OK\r\nContent-Length: 3x\r\n\r\nabc";
    QTest::newRow("huge chunk") << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                   "FFFFFFFFFFFFFFFFFFFF\r\n";
    QTest::newRow("request coding not chunked")
        << "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\nabc";
  }

  /// The message is reported; its body cannot be delimited, so the direction waits for a
  /// segment that starts a message.
  void badFraming() {
    QFETCH(QString, text);
    const std::string s = text.toStdString();
    HttpParser parser;
    Collector c = feedOne(s, &parser);
    QCOMPARE(c.requests + c.responses, 1);
    QVERIFY(parser.problems() & HttpParser::kBadFraming);
    const std::string next = s.substr(0, s.find('\n') + 1) + "\r\n";
    parser.feed(F, bytes(next), next.size(), 2, c);
    QCOMPARE(c.requests + c.responses, 2);
  }

  void demoMessagesParse() {
    netlens::node::demo::DemoRandom random(11);
    const auto request =
        netlens::node::demo::httpRequest("POST", "api.demo.example", "/v1/upload/photo.jpg",
                                         "DemoAgent/1.0", "application/json", "{\"a\":1}");
    const auto body = netlens::node::demo::httpBody("text/html", 3000, random);
    const auto response = netlens::node::demo::httpResponse(200, "text/html", 0, body);
    HttpParser parser;
    Collector c;
    parser.feed(F, request.data(), request.size(), 1, c);
    parser.feed(R, response.data(), response.size(), 2, c);
    parser.feed(F, request.data(), request.size(), 3, c);  // the body was skipped exactly
    QCOMPARE(c.requests, 2);
    QCOMPARE(c.responses, 1);
    QCOMPARE(c.host, std::string("api.demo.example"));
    QCOMPARE(c.fileName, std::string("photo.jpg"));
    QCOMPARE(c.userAgent, std::string("DemoAgent/1.0"));
    QCOMPARE(parser.problems(), std::uint8_t{0});
  }

  /// Random damage at random split points: no crash, no read past a buffer (ASan), bounded
  /// buffers.
  void randomDamageIsSurvived() {
    netlens::node::demo::DemoRandom random(99);
    for (int round = 0; round < 600; ++round) {
      Script script = conversation();
      for (Segment& s : script) {
        const int hits = static_cast<int>(random.next() % 4);
        for (int h = 0; h < hits; ++h) {
          s.text[random.next() % s.text.size()] = static_cast<char>(random.next());
        }
      }
      HttpParser parser;
      Collector c;
      for (const Segment& s : script) {
        std::size_t at = 0;
        while (at < s.text.size()) {
          const std::size_t n = std::min<std::size_t>(1 + random.next() % 40, s.text.size() - at);
          parser.feed(s.dir, bytes(s.text) + at, n, s.ts, c);
          QVERIFY(parser.bufferedBytes() <= 2 * HttpParser::kMaxHeaderBytes);
          at += n;
        }
        if (random.next() % 8 == 0) parser.gap(s.dir, random.next() % 50);
        if (s.fin) parser.endOfStream(s.dir, s.ts);
      }
    }
  }
};

QTEST_APPLESS_MAIN(TestHttpParser)
#include "tst_http_parser.moc"
