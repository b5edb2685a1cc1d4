// SPDX-License-Identifier: MIT
// The VoIP bodies ("rtp", "sip", "calls"): fields appended by a newer node are ignored, values
// out of their range are refused with the field named (round trips, truncation and bit
// flips of these bodies are in tst_protocol_bodies and tst_protocol_hostile).

#include <QTest>
#include <functional>
#include <limits>
#include <string>

#include "shared/protocol/codec.h"
#include "shared/protocol/operation.h"
#include "tests/common/protocol_fixtures.h"

using namespace netlens::protocol;
using namespace netlens::tests;

class TestProtocolVoip : public QObject {
  Q_OBJECT

 private slots:
  void registry() {
    // Appended after "search", never renumbered.
    QCOMPARE(static_cast<int>(findOperation("rtp")->id), 9);
    QCOMPARE(static_cast<int>(findOperation("sip")->id), 10);
    QCOMPARE(static_cast<int>(findOperation("calls")->id), 11);
    QVERIFY(!findOperation("calls")->adminOnly);
    QCOMPARE(operationName(OperationId::Search), std::string_view("search"));
  }

  void streamWithAppendedField() {
    RtpStreamList one = sampleRtpStreams();
    one.streams.resize(1);
    std::string bytes = encodeBody(one);
    // [packetTime, [stream]]: the stream is an array16 of 40 at the end of the body.
    const std::string header("\xdc\x00\x28", 3);
    const auto at = bytes.find(header);
    QVERIFY(at != std::string::npos);
    bytes[at + 2] = 0x29;
    bytes += MsgpackBuilder().str("a newer field").bytes();
    const auto decoded = decodeBody<RtpStreamList>(bytes);
    QVERIFY2(decoded.ok(), decoded.error().c_str());
    QVERIFY(*decoded == one);
  }

  void streamOfAnOlderNode() {
    // A node before the RTCP round trip sent 35 fields: they decode with none.
    RtpStreamList one = sampleRtpStreams();
    one.streams.resize(1);
    one.streams[0].rtcpRttMs.reset();
    one.streams[0].rtcpRttMaxMs = 0;
    one.streams[0].rtcpRttSamples = 0;
    one.streams[0].minLevelDbfs.reset();
    one.streams[0].maxLevelDbfs.reset();
    std::string bytes = encodeBody(one);
    // The five appended fields at the end: the RTCP round trip (nil, 0.0 and 0; msgpack-c
    // packs a whole double as an integer) and the two levels (nil, nil).
    const std::string appended("\xc0\x00\x00\xc0\xc0", 5);
    QVERIFY(bytes.size() > appended.size());
    QVERIFY2(bytes.substr(bytes.size() - appended.size()) == appended,
             QByteArray::fromStdString(bytes.substr(bytes.size() - 16)).toHex().constData());
    bytes.resize(bytes.size() - appended.size());
    const auto at = bytes.find(std::string("\xdc\x00\x28", 3));
    QVERIFY(at != std::string::npos);
    bytes[at + 2] = 0x23;
    const auto decoded = decodeBody<RtpStreamList>(bytes);
    QVERIFY2(decoded.ok(), decoded.error().c_str());
    QVERIFY(*decoded == one);
    // With the fields, they round-trip.
    const RtpStreamList full = sampleRtpStreams();
    const auto again = decodeBody<RtpStreamList>(encodeBody(full));
    QVERIFY2(again.ok(), again.error().c_str());
    QCOMPARE(*again->streams[0].rtcpRttMs, 12.5);
    QCOMPARE(again->streams[0].rtcpRttSamples, std::uint64_t(3));
  }

  void secondOfAnOlderNode() {
    // A node before the per-second audio peak sent seconds of 5 fields: they decode with -1.
    RtpStreamList one = sampleRtpStreams();
    one.streams.resize(1);
    one.streams[0].series = {{50, 0, 0, -1, 1.5, 4.36}};
    std::string bytes = encodeBody(one);
    // fixarray 6: packets 50, lost 0, discards 0, two doubles, then the peak -1 (0xff).
    const auto at = bytes.find(std::string("\x96\x32\x00\x00\xcb", 5));
    QVERIFY(at != std::string::npos);
    QCOMPARE(static_cast<unsigned char>(bytes[at + 22]), 0xffu);
    bytes[at] = '\x95';
    bytes.erase(at + 22, 1);
    const auto decoded = decodeBody<RtpStreamList>(bytes);
    QVERIFY2(decoded.ok(), decoded.error().c_str());
    QVERIFY(*decoded == one);
    QCOMPARE(decoded->streams[0].series[0].peak, -1);
    // With the field, the peaks round-trip.
    const auto full = decodeBody<RtpStreamList>(encodeBody(sampleRtpStreams()));
    QVERIFY2(full.ok(), full.error().c_str());
    QCOMPARE(full->streams[0].series[0].peak, 20'000);
    QCOMPARE(full->streams[0].series[1].peak, 32'768);
  }

  void callWithAppendedField() {
    CallList one = sampleCalls();
    one.calls.resize(1);
    std::string bytes = encodeBody(one);
    // [packetTime, [call]]: the call is an array16 of 17 right after the list's header.
    const auto at = bytes.find(std::string("\x91\xdc\x00\x11", 4));
    QVERIFY(at != std::string::npos);
    bytes[at + 3] = 0x12;
    bytes += MsgpackBuilder().uint(42).bytes();
    const auto decoded = decodeBody<CallList>(bytes);
    QVERIFY2(decoded.ok(), decoded.error().c_str());
    QVERIFY(*decoded == one);
  }

  /// A node from before the message list sends calls of 15 fields: they decode, without
  /// messages.
  void callFromOlderNode() {
    CallList one = sampleCalls();
    one.calls.resize(1);
    CallRecord& call = one.calls.front();
    QVERIFY(!call.messages.empty());
    std::string bytes = encodeBody(one);
    const std::string header("\x91\xdc\x00\x11", 4);
    const auto at = bytes.find(header);
    QVERIFY(at != std::string::npos);
    // The two appended fields are the list of messages and the omitted count at the end.
    CallList bare = one;
    bare.calls.front().messages.clear();
    bare.calls.front().messagesOmitted = 0;
    std::string old = encodeBody(bare);
    const auto bareAt = old.find(header);
    QVERIFY(bareAt != std::string::npos);
    // [] and 0 are one byte each: cut them and say 15 fields.
    QCOMPARE(old.substr(old.size() - 2), std::string("\x90\x00", 2));
    old.resize(old.size() - 2);
    old.replace(bareAt + 1, 3, std::string("\x9f", 1));
    const auto decoded = decodeBody<CallList>(old);
    QVERIFY2(decoded.ok(), decoded.error().c_str());
    QVERIFY(*decoded == bare);
    const auto full = decodeBody<CallList>(bytes);
    QVERIFY2(full.ok(), full.error().c_str());
    QCOMPARE(full->calls.front().messages.size(), std::size_t(2));
    QCOMPARE(full->calls.front().messages[1].sdpOmittedBytes, 17u);
    QCOMPARE(full->calls.front().messagesOmitted, quint64(3));
  }

  void refused_data() {
    QTest::addColumn<std::function<std::string()>>("decodeError");
    QTest::addColumn<QString>("field");
    using F = std::function<std::string()>;
    const auto stream = [](std::function<void(RtpStreamRecord&)> change) {
      return F([change] {
        RtpStreamList l = sampleRtpStreams();
        change(l.streams.front());
        return decodeBody<RtpStreamList>(encodeBody(l)).error();
      });
    };
    QTest::newRow("mos above 4.5") << stream([](auto& s) { s.mos = 4.6; }) << "mos";
    QTest::newRow("mos below 1") << stream([](auto& s) { s.mos = 0.5; }) << "mos";
    QTest::newRow("loss over 100 %")
        << stream([](auto& s) { s.effectiveLossPercent = 101; }) << "effectiveLossPercent";
    QTest::newRow("burst ratio below 1")
        << stream([](auto& s) { s.burstRatio = 0.5; }) << "burstRatio";
    QTest::newRow("negative RTCP round trip")
        << stream([](auto& s) { s.rtcpRttMs = -1.0; }) << "rtcpRttMs";
    QTest::newRow("level above full scale")
        << stream([](auto& s) { s.maxLevelDbfs = 0.5; }) << "level";
    QTest::newRow("level below the floor")
        << stream([](auto& s) { s.minLevelDbfs = -97.0; }) << "level";
    QTest::newRow("negative RTCP maximum")
        << stream([](auto& s) { s.rtcpRttMaxMs = -1; }) << "rtcpRttMaxMs";
    QTest::newRow("more discards than packets")
        << stream([](auto& s) { s.jitterBufferDiscards = s.packets + 1; })
        << "jitterBufferDiscards";
    QTest::newRow("second: discards")
        << stream([](auto& s) { s.series[0].discards = s.series[0].packets + 1; })
        << "series[0].discards";
    QTest::newRow("second: mos") << stream([](auto& s) { s.series[1].mos = 9; }) << "series[1].mos";
    QTest::newRow("second: peak above full scale")
        << stream([](auto& s) { s.series[0].peak = 32'769; }) << "series[0].peak";
    QTest::newRow("second: peak below -1")
        << stream([](auto& s) { s.series[0].peak = -2; }) << "series[0].peak";
    QTest::newRow("payload type 200") << stream([](auto& s) {
      s.payloadTypes = {8, 200};
    }) << "payloadTypes";
    QTest::newRow("nan delay") << stream([](auto& s) {
      s.delayMs = std::numeric_limits<double>::quiet_NaN();
    }) << "delayMs";
    QTest::newRow("too many seconds")
        << stream([](auto& s) { s.series.assign(86'401, RtpSecond{}); }) << "series";
    QTest::newRow("status code 99") << F([] {
      SipStatistics st{1, sampleSipCounters()};
      st.counters.responses[99] = 1;
      return decodeBody<SipStatistics>(encodeBody(st)).error();
    }) << "responses";
    QTest::newRow("per-IP status code 700") << F([] {
      SipStatistics st{1, sampleSipCounters()};
      st.counters.perIp.begin()->second.sentResponses[700] = 1;
      return decodeBody<SipStatistics>(encodeBody(st)).error();
    }) << "sentResponses";
    QTest::newRow("final code 42") << F([] {
      CallList l = sampleCalls();
      l.calls[0].transactions[0].finalCode = 42;
      return decodeBody<CallList>(encodeBody(l)).error();
    }) << "finalCode";
    QTest::newRow("direction mos 0") << F([] {
      CallList l = sampleCalls();
      l.calls[0].directions[0].mos = 0;
      return decodeBody<CallList>(encodeBody(l)).error();
    }) << "directions[0].mos";
    QTest::newRow("message: request with a status code") << F([] {
      CallList l = sampleCalls();
      l.calls[0].messages[0].statusCode = 200;
      return decodeBody<CallList>(encodeBody(l)).error();
    }) << "messages[0].statusCode";
    QTest::newRow("message: response code 42") << F([] {
      CallList l = sampleCalls();
      l.calls[0].messages[1].statusCode = 42;
      return decodeBody<CallList>(encodeBody(l)).error();
    }) << "messages[1].statusCode";
    QTest::newRow("message: SDP over 4 KiB") << F([] {
      CallList l = sampleCalls();
      l.calls[0].messages[0].sdp.assign(SipMessageRecord::kMaxSdpBytes + 1, 'x');
      return decodeBody<CallList>(encodeBody(l)).error();
    }) << "sdp";
    QTest::newRow("too many messages") << F([] {
      CallList l = sampleCalls();
      l.calls[0].messages.resize(SipMessageRecord::kMaxPerCall + 1, l.calls[0].messages[0]);
      return decodeBody<CallList>(encodeBody(l)).error();
    }) << "messages";
    QTest::newRow("duplicate method") << F([] {
      // methods [[str, uint]...] with "INVITE" twice.
      MsgpackBuilder b;
      b.array(2).uint(1).array(6).uint(2).uint(0);
      b.array(2).array(2).str("INVITE").uint(1).array(2).str("INVITE").uint(1);
      b.array(0).array(0).uint(0);
      return decodeBody<SipStatistics>(b.bytes()).error();
    }) << "methods";
  }
  void refused() {
    QFETCH(std::function<std::string()>, decodeError);
    QFETCH(QString, field);
    const std::string error = decodeError();
    QVERIFY2(!error.empty(), "accepted");
    QVERIFY2(QString::fromStdString(error).contains(field), error.c_str());
  }
};

QTEST_APPLESS_MAIN(TestProtocolVoip)
#include "tst_protocol_voip.moc"
