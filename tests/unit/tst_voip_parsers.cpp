// SPDX-License-Identifier: MIT
// The VoIP parsers of shared/voip (RTP header, SIP message, SDP) and the RTP stream figures,
// with good and malformed input: every malformed case is refused without reading outside
// the buffer (run under ASan by the asan preset).

#include <QTest>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "node/analysis/rtp_stream_statistics.h"
#include "node/analysis/sip_analyzer.h"
#include "shared/voip/rtp_header.h"
#include "shared/voip/rtp_payload_types.h"
#include "shared/voip/sdp.h"
#include "shared/voip/sip_message.h"

using namespace netlens::voip;
using netlens::node::analysis::RtpStreamStatistics;

namespace {

std::vector<std::uint8_t> bytes(std::initializer_list<int> list) {
  std::vector<std::uint8_t> out;
  for (int b : list) out.push_back(static_cast<std::uint8_t>(b));
  return out;
}

/// A copy on the heap of exactly the text's size, so that ASan sees any over-read.
std::vector<std::uint8_t> text(const std::string& s) {
  return std::vector<std::uint8_t>(s.begin(), s.end());
}

const std::string kInvite =
    "INVITE sip:bob@example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1\r\n"
    "f: \"Alice\" <sip:alice@example.com>;tag=1928\r\n"
    "t: <sip:bob@example.com>\r\n"
    "i: a84b4c76e66710@pc33\r\n"
    "CSeq: 314159 INVITE\r\n"
    "c: application/sdp\r\n"
    "l: 131\r\n"
    "\r\n"
    "v=0\r\n"
    "o=alice 1 1 IN IP4 192.0.2.1\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.1\r\n"
    "t=0 0\r\n"
    "m=audio 49170 RTP/AVP 8 101\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n";

}  // namespace

class TestVoipParsers : public QObject {
  Q_OBJECT

 private slots:
  void rtpHeader_data() {
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("payloadLength");
    const auto row = [](const char* name, std::vector<std::uint8_t> b, RtpParseStatus s, int n) {
      QTest::newRow(name) << QByteArray(reinterpret_cast<const char*>(b.data()),
                                        static_cast<int>(b.size()))
                          << static_cast<int>(s) << n;
    };
    row("plain", bytes({0x80, 8, 0, 1, 0, 0, 0, 160, 1, 2, 3, 4, 0xd5, 0xd5}), RtpParseStatus::Ok,
        2);
    row("csrc", bytes({0x81, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4, 9, 9, 9, 9, 0xff}),
        RtpParseStatus::Ok, 1);
    row("extension",
        bytes({0x90, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4, 0xbe, 0xde, 0, 1, 1, 2, 3, 4, 7}),
        RtpParseStatus::Ok, 1);
    row("padding", bytes({0xa0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4, 5, 0, 0, 3}), RtpParseStatus::Ok,
        1);
    row("short", bytes({0x80, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3}), RtpParseStatus::TooShort, 0);
    row("version1", bytes({0x40, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4}), RtpParseStatus::BadVersion, 0);
    row("csrc past end", bytes({0x8f, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4, 1, 2, 3, 4}),
        RtpParseStatus::TooShort, 0);
    row("extension past end", bytes({0x90, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0xff, 0xff}),
        RtpParseStatus::TooShort, 0);
    row("padding zero", bytes({0xa0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4, 5, 0}),
        RtpParseStatus::BadPadding, 0);
    row("padding too long", bytes({0xa0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4, 5, 9}),
        RtpParseStatus::BadPadding, 0);
    row("rtcp sender report", bytes({0x80, 200, 0, 6, 0, 0, 0, 0, 1, 2, 3, 4}),
        RtpParseStatus::RtcpPayload, 0);
  }

  void rtpHeader() {
    QFETCH(QByteArray, data);
    QFETCH(int, status);
    QFETCH(int, payloadLength);
    std::vector<std::uint8_t> buffer(data.begin(), data.end());
    RtpHeader h;
    const auto s = parseRtpHeader(buffer.data(), static_cast<std::uint32_t>(buffer.size()), h);
    QCOMPARE(static_cast<int>(s), status);
    if (s == RtpParseStatus::Ok) {
      QCOMPARE(static_cast<int>(h.payloadLength), payloadLength);
      QCOMPARE(h.ssrc, 0x01020304u);
      QCOMPARE(h.sequence, std::uint16_t(1));
      QVERIFY(h.payload + h.payloadLength <= buffer.data() + buffer.size());
    }
  }

  void staticPayloadTypes() {
    QCOMPARE(staticPayloadType(0).name, std::string_view("PCMU"));
    QCOMPARE(staticPayloadType(8).name, std::string_view("PCMA"));
    QCOMPARE(staticPayloadType(9).clockRate, 8000u);  // G.722's historic 8000 (RFC 3551 4.5.2)
    QCOMPARE(staticPayloadType(18).name, std::string_view("G729"));
    QCOMPARE(staticPayloadType(101).clockRate, 0u);
    QVERIFY(staticPayloadType(2).name.empty());
  }

  void sipRequestWithCompactHeaders() {
    const auto b = text(kInvite);
    SipMessage m;
    QCOMPARE(
        parseSipMessage(b.data(), static_cast<std::uint32_t>(b.size()), SipFraming::Datagram, m),
        SipParseStatus::Ok);
    QVERIFY(m.isRequest);
    QCOMPARE(m.method, std::string_view("INVITE"));
    QCOMPARE(m.requestUri, std::string_view("sip:bob@example.com"));
    QCOMPARE(m.callId, std::string_view("a84b4c76e66710@pc33"));
    QCOMPARE(headerUri(m.from), std::string_view("sip:alice@example.com"));
    QCOMPARE(headerTag(m.from), std::string_view("1928"));
    QCOMPARE(headerUri(m.to), std::string_view("sip:bob@example.com"));
    QVERIFY(headerTag(m.to).empty());
    QCOMPARE(m.cseqNumber, 314159u);
    QCOMPARE(m.cseqMethod, std::string_view("INVITE"));
    QCOMPARE(m.contentLength, std::int64_t(131));
    QCOMPARE(m.body.size(), std::size_t(131));
    QCOMPARE(m.length, static_cast<std::uint32_t>(b.size()));
  }

  void sipResponseAndStreamFraming() {
    const std::string one =
        "SIP/2.0 180 Ringing\r\nCall-ID: x@y\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
    const auto b = text(one + one);
    SipMessage m;
    QCOMPARE(parseSipMessage(b.data(), static_cast<std::uint32_t>(b.size()), SipFraming::Stream, m),
             SipParseStatus::Ok);
    QVERIFY(!m.isRequest);
    QCOMPARE(m.statusCode, 180);
    QCOMPARE(m.reason, std::string_view("Ringing"));
    QCOMPARE(m.length, static_cast<std::uint32_t>(one.size()));
    // A stream message whose body has not all arrived is incomplete, not cut.
    const auto partial = text("SIP/2.0 200 OK\r\nl: 10\r\n\r\nv=0\r\n");
    QCOMPARE(parseSipMessage(partial.data(), static_cast<std::uint32_t>(partial.size()),
                             SipFraming::Stream, m),
             SipParseStatus::Incomplete);
  }

  void sipMalformed_data() {
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<int>("status");
    const auto row = [](const char* name, const char* t, SipParseStatus s) {
      QTest::newRow(name) << QByteArray(t) << static_cast<int>(s);
    };
    row("http", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", SipParseStatus::NotSip);
    row("binary", "\x80\x08\x01\x02 not sip at all", SipParseStatus::NotSip);
    row("empty", "", SipParseStatus::NotSip);
    row("status not a number", "SIP/2.0 2x0 OK\r\n\r\n", SipParseStatus::Malformed);
    row("status out of range", "SIP/2.0 999 Odd\r\n\r\n", SipParseStatus::Malformed);
    row("header without colon", "BYE sip:a@b SIP/2.0\r\nCall-ID x\r\n\r\n",
        SipParseStatus::Malformed);
    row("bad content length", "BYE sip:a@b SIP/2.0\r\nl: -4\r\n\r\n", SipParseStatus::Malformed);
    row("bad cseq", "BYE sip:a@b SIP/2.0\r\nCSeq: BYE\r\n\r\n", SipParseStatus::Malformed);
    row("no blank line", "BYE sip:a@b SIP/2.0\r\nCall-ID: x\r\n", SipParseStatus::Incomplete);
    row("start line only", "BYE sip:a@b SIP/2.0", SipParseStatus::Incomplete);
  }

  void sipMalformed() {
    QFETCH(QByteArray, data);
    QFETCH(int, status);
    std::vector<std::uint8_t> b(data.begin(), data.end());
    SipMessage m;
    QCOMPARE(static_cast<int>(parseSipMessage(b.data(), static_cast<std::uint32_t>(b.size()),
                                              SipFraming::Datagram, m)),
             status);
  }

  void sipEveryPrefixIsSafe() {
    // Every cut of a valid request or response (a TCP segment boundary anywhere, the status
    // code's digits included) parses to something without reading past the cut, and none is
    // taken for a malformed message.
    for (const std::string& full :
         {kInvite, std::string("SIP/2.0 200 OK\r\nCall-ID: a@b\r\nCSeq: 1 INVITE\r\n\r\n")}) {
      for (std::size_t n = 0; n <= full.size(); ++n) {
        std::vector<std::uint8_t> b(full.begin(), full.begin() + static_cast<long>(n));
        SipMessage m;
        const auto s =
            parseSipMessage(b.data(), static_cast<std::uint32_t>(n), SipFraming::Stream, m);
        QVERIFY2(s != SipParseStatus::Malformed, full.substr(0, n).c_str());
        if (s == SipParseStatus::Ok) QVERIFY(m.length <= n);
      }
    }
  }

  void sdp() {
    SdpSession s;
    const std::string body = kInvite.substr(kInvite.find("v=0"));
    QVERIFY(parseSdp(body, s));
    QCOMPARE(s.address, std::string_view("192.0.2.1"));
    QCOMPARE(s.media.size(), std::size_t(1));
    const SdpMedia& m = s.media.front();
    QCOMPARE(m.type, std::string_view("audio"));
    QCOMPARE(m.port, std::uint16_t(49170));
    QCOMPARE(m.address, std::string_view("192.0.2.1"));
    QCOMPARE(m.payloadTypes, (std::vector<std::uint8_t>{8, 101}));
    QCOMPARE(m.rtpmaps.size(), std::size_t(1));
    QCOMPARE(m.rtpmaps.front().payloadType, std::uint8_t(101));
    QCOMPARE(m.rtpmaps.front().encoding, std::string_view("telephone-event"));
    QCOMPARE(m.rtpmaps.front().clockRate, 8000u);
  }

  void sdpMediaLevelConnectionAndMalformedLines() {
    SdpSession s;
    std::uint32_t malformed = 0;
    const std::string body =
        "v=0\nc=IN IP4 10.0.0.1\nm=audio 4000 RTP/AVP 0\nc=IN IP6 2001:db8::1\n"
        "a=rtpmap:x PCMU/8000\nm=video notaport RTP/AVP 96\nm=image 5000 udptl t38\n"
        "c=XX bad\na=rtpmap:96 H264\n";
    QVERIFY(parseSdp(body, s, &malformed));
    QCOMPARE(s.media.size(), std::size_t(3));
    QCOMPARE(s.media[0].address, std::string_view("2001:db8::1"));
    QCOMPARE(s.media[2].type, std::string_view("image"));
    QCOMPARE(s.media[2].address, std::string_view("10.0.0.1"));
    QCOMPARE(malformed, 4u);
    QVERIFY(!parseSdp("not sdp", s));
  }

  /// RFC 3550 jitter the way Wireshark computes it, on hand-made arrivals: 20 ms packets at
  /// 8 kHz, one 10 ms late; a lost packet and a duplicate.
  void rtpStreamStatistics() {
    RtpStreamStatistics st;
    const std::int64_t ms = 1'000'000;
    st.add(0, 100, 0, 8, false, 8000);
    st.add(20 * ms, 101, 160, 8, false, 8000);
    st.add(50 * ms, 102, 320, 8, false, 8000);  // 10 ms late: D = 10, J = 10/16
    QCOMPARE(st.jitterMs(), 0.625);
    st.add(60 * ms, 103, 480, 8, false, 8000);  // early by 10 from the late one: D = 10
    QCOMPARE(st.jitterMs(), (15 * 0.625 + 10) / 16);
    QCOMPARE(st.maxDeltaMs(), 30.0);
    st.add(100 * ms, 105, 800, 8, false, 8000);  // 104 lost
    st.add(100 * ms, 105, 800, 8, false, 8000);  // duplicate
    QCOMPARE(st.packets(), std::uint64_t(6));
    QCOMPARE(st.expected(), std::int64_t(6));
    QCOMPARE(st.lost(), std::int64_t(0));  // the duplicate hides the loss, as in tshark
    QCOMPARE(st.sequenceErrors(), std::uint64_t(2));
    QCOMPARE(st.duplicates(), std::uint64_t(1));
  }

  void rtpSequenceWrap() {
    RtpStreamStatistics st;
    for (int i = 0; i < 10; ++i) {
      st.add(i * 20'000'000LL, static_cast<std::uint16_t>(65530 + i), i * 160u, 0, false, 8000);
    }
    QCOMPARE(st.expected(), std::int64_t(10));
    QCOMPARE(st.lost(), std::int64_t(0));
    QCOMPARE(st.sequenceErrors(), std::uint64_t(0));
  }

  /// Garbage as UDP and TCP payloads on SIP's port: counted or ignored, never trusted.
  void sipAnalyzerSurvivesGarbage() {
    netlens::node::analysis::SipAnalyzer sip;
    netlens::node::analysis::FlowSegment s;
    s.protocol = 17;
    std::vector<std::uint8_t> junk(600);
    for (std::size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<std::uint8_t>(i * 37 + 11);
    s.payload = junk.data();
    s.payloadLength = static_cast<std::uint32_t>(junk.size());
    QVERIFY(!sip.process(s));
    const auto bad = text("SIP/2.0 200 OK\r\nCSeq: nonsense\r\n\r\n");
    s.payload = bad.data();
    s.payloadLength = static_cast<std::uint32_t>(bad.size());
    QVERIFY(sip.process(s));
    QCOMPARE(sip.counters().malformed, std::uint64_t(1));
    QCOMPARE(sip.counters().messages, std::uint64_t(0));
  }

  /// A call keeps at most 256 messages for its ladder (the rest counted as omitted), each SDP
  /// cut at 4 KiB, and at most 16 KiB of SDP per call (later bodies dropped and counted).
  void sipMessagesOfACallAreBounded() {
    using netlens::node::analysis::SipAnalyzer;
    SipAnalyzer sip;
    netlens::node::analysis::FlowSegment s;
    s.protocol = 17;
    s.src = *netlens::net::IpAddress::parse("192.0.2.1");
    s.dst = *netlens::net::IpAddress::parse("192.0.2.2");
    s.srcPort = 5060;
    s.dstPort = 5060;
    const std::string sdp =
        "v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 4000 RTP/AVP 8\r\na=x:" + std::string(5000, 'y') +
        "\r\n";
    const std::size_t total = SipAnalyzer::kMaxEventsPerCall + 9;
    for (std::size_t i = 0; i < total; ++i) {
      const std::string body = i < 6 ? sdp : std::string();
      const auto msg = text(
          "INVITE sip:b@example.com SIP/2.0\r\nCall-ID: bounded\r\n"
          "CSeq: " +
          std::to_string(i + 1) +
          " INVITE\r\n"
          "Content-Type: application/sdp\r\nContent-Length: " +
          std::to_string(body.size()) + "\r\n\r\n" + body);
      s.ts = static_cast<std::int64_t>(i) * 1'000'000;
      s.payload = msg.data();
      s.payloadLength = static_cast<std::uint32_t>(msg.size());
      QVERIFY(sip.process(s));
    }
    std::map<std::string, netlens::node::analysis::SipCallEvents> calls;
    sip.collectEvents(calls);
    const auto& call = calls.at("bounded");
    QCOMPARE(call.events.size(), SipAnalyzer::kMaxEventsPerCall);
    QCOMPARE(call.omitted, std::uint64_t(9));
    std::size_t kept = 0;
    for (std::size_t i = 0; i < 6; ++i) {
      const auto& e = call.events[i];
      QVERIFY(e.sdp.size() <= netlens::protocol::SipMessageRecord::kMaxSdpBytes);
      QCOMPARE(e.sdp.size() + e.sdpOmittedBytes, sdp.size());
      kept += e.sdp.size();
    }
    // Four bodies of 4 KiB fill the call's 16 KiB; the fifth and sixth are dropped.
    QCOMPARE(kept, SipAnalyzer::kMaxSdpBytesPerCall);
    QVERIFY(call.events[4].sdp.empty() && call.events[5].sdp.empty());
    QCOMPARE(call.events[0].requestUri, std::string("sip:b@example.com"));
  }
};

QTEST_GUILESS_MAIN(TestVoipParsers)
#include "tst_voip_parsers.moc"
