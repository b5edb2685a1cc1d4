// SPDX-License-Identifier: MIT
// The "audio" operation's body (AudioChunk): registry row, round trip, appended fields
// ignored, hostile input refused with the field named; and the node's handler refusing
// malformed requests (and a node without a store) with messages that say what to change.

#include <QTest>
#include <functional>
#include <string>

#include <QTemporaryDir>

#include "node/service/audio_request.h"
#include "node/store/packet_store.h"
#include "node/store/store_writer.h"
#include "shared/protocol/codec.h"
#include "shared/protocol/operation.h"
#include "tests/common/protocol_fixtures.h"

using namespace netlens;
using namespace netlens::protocol;
using namespace netlens::tests;

namespace {

AudioChunk sampleChunk() {
  AudioChunk c;
  c.callId = "a84b4c76e66710@pc33";
  for (std::uint32_t i = 0; i < 2; ++i) {
    AudioStream s;
    s.ssrc = 0x7df5fe10u + i;
    s.srcIp = *net::IpAddress::parse(i == 0 ? "10.0.0.1" : "2001:db8::2");
    s.srcPort = static_cast<std::uint16_t>(4000 + i);
    s.dstIp = *net::IpAddress::parse(i == 0 ? "10.0.0.2" : "2001:db8::1");
    s.dstPort = static_cast<std::uint16_t>(5000 + i);
    s.payloadType = i == 0 ? 0 : 9;
    s.payloadTypes = {s.payloadType, 101};
    s.codec = i == 0 ? "PCMU" : "G722";
    s.clockRate = 8000;
    s.packets = 400 + i;
    s.firstSeen = 1'700'000'000'000'000'000 + i;
    s.lastSeen = s.firstSeen + 8'000'000'000;
    c.streams.push_back(s);
  }
  c.callerMediaAddress = "10.0.0.1";
  c.callerMediaPort = 4000;
  for (std::uint32_t i = 0; i < 3; ++i) {
    AudioPacket p;
    p.stream = i % 2;
    p.arrival = 1'700'000'000'020'000'000 + 20'000'000ll * i;
    p.sequence = static_cast<std::uint16_t>(65534 + i);  // wraps
    p.timestamp = 0xffffff00u + 160 * i;
    p.payloadType = i == 2 ? 101 : 0;
    p.marker = i == 0;
    p.payload = std::string(160, static_cast<char>(0xff - i));
    c.packets.push_back(p);
  }
  c.resume = "1:3:4096";
  c.estimatedPackets = 801;
  return c;
}

/// The handler with no streams or calls known, on `store` (null: a node without one).
Reply ask(Params params, node::store::StoreWriter* store) {
  Request r;
  r.requestId = 9;
  r.operation = "audio";
  r.params = std::move(params);
  return node::service::audioReply(r, {}, {}, store);
}

}  // namespace

Q_DECLARE_METATYPE(Params)

class TestProtocolAudio : public QObject {
  Q_OBJECT

 private slots:
  void registry() {
    // Appended after "live-list", never renumbered.
    QCOMPARE(static_cast<int>(findOperation("audio")->id), 16);
    QCOMPARE(operationName(OperationId::Audio), std::string_view("audio"));
    QVERIFY(!findOperation("audio")->adminOnly);
    QCOMPARE(findOperation("audio")->sinceVersion, 1u);
    QCOMPARE(kOperations.back().name, std::string_view("audio"));
  }

  void roundTrip() {
    const auto back = decodeBody<AudioChunk>(encodeBody(sampleChunk()));
    QVERIFY2(back.ok(), back.error().c_str());
    QVERIFY(*back == sampleChunk());
    const auto empty = decodeBody<AudioChunk>(encodeBody(AudioChunk{}));
    QVERIFY2(empty.ok(), empty.error().c_str());
    QVERIFY(*empty == AudioChunk{});
  }

  void appendedFieldIgnored() {
    std::string bytes = encodeBody(sampleChunk());
    QCOMPARE(static_cast<unsigned char>(bytes[0]), 0x97u);  // fixarray of 7
    bytes[0] = static_cast<char>(0x98);
    bytes += MsgpackBuilder().str("a newer field").bytes();
    const auto decoded = decodeBody<AudioChunk>(bytes);
    QVERIFY2(decoded.ok(), decoded.error().c_str());
    QVERIFY(*decoded == sampleChunk());
  }

  void refused_data() {
    QTest::addColumn<std::function<std::string()>>("decodeError");
    QTest::addColumn<QString>("field");
    using F = std::function<std::string()>;
    QTest::newRow("packet of no stream") << F([] {
      AudioChunk c = sampleChunk();
      c.packets[1].stream = 2;
      return decodeBody<AudioChunk>(encodeBody(c)).error();
    }) << "packets[1].stream";
    QTest::newRow("payload type beyond 7 bits") << F([] {
      AudioChunk c = sampleChunk();
      c.packets[0].payloadType = 200;
      return decodeBody<AudioChunk>(encodeBody(c)).error();
    }) << "packets[0].payloadType";
    QTest::newRow("stream payload types beyond 7 bits") << F([] {
      AudioChunk c = sampleChunk();
      c.streams[1].payloadTypes.push_back(128);
      return decodeBody<AudioChunk>(encodeBody(c)).error();
    }) << "streams[1].payloadTypes";
    QTest::newRow("sequence beyond 16 bits") << F([] {
      const std::string bytes = MsgpackBuilder()
                                    .array(7)
                                    .str("")
                                    .array(0)
                                    .str("")
                                    .uint(0)
                                    .array(1)
                                    .array(7)
                                    .uint(0)
                                    .int64(1)
                                    .uint(70000)
                                    .uint(1)
                                    .uint(0)
                                    .byte(0xc2)
                                    .bin("x")
                                    .str("")
                                    .uint(0)
                                    .bytes();
      return decodeBody<AudioChunk>(bytes).error();
    }) << "sequence";
    QTest::newRow("resume as a number") << F([] {
      const std::string bytes = MsgpackBuilder()
                                    .array(7)
                                    .str("")
                                    .array(0)
                                    .str("")
                                    .uint(0)
                                    .array(0)
                                    .uint(5)
                                    .uint(0)
                                    .bytes();
      return decodeBody<AudioChunk>(bytes).error();
    }) << "resume";
    QTest::newRow("too few fields") << F([] {
      return decodeBody<AudioChunk>(MsgpackBuilder().array(2).str("x").array(0).bytes()).error();
    }) << "AudioChunk";
  }

  void refused() {
    QFETCH(std::function<std::string()>, decodeError);
    QFETCH(QString, field);
    const QString error = QString::fromStdString(decodeError());
    QVERIFY2(!error.isEmpty(), "accepted");
    QVERIFY2(error.contains(field), qPrintable(error));
  }

  void truncated() {
    const std::string bytes = encodeBody(sampleChunk());
    QVERIFY(decodeBody<AudioChunk>(bytes).ok());
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      if (decodeBody<AudioChunk>(std::string_view(bytes).substr(0, n)).ok())
        QFAIL(qPrintable(QString("prefix of %1 bytes was accepted").arg(n)));
    }
  }

  void bitFlips() {
    const std::string bytes = encodeBody(sampleChunk());
    const auto decoders = allDecoders();
    std::size_t refused = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      for (std::uint8_t v : {0x00, 0x7f, 0xc1, 0xdd, 0xff}) {
        std::string mutated = bytes;
        mutated[i] = static_cast<char>(v);
        for (const auto& [name, decode] : decoders) refused += decode(mutated).empty() ? 0 : 1;
      }
    }
    QVERIFY(refused > 0);
  }

  void badRequests_data() {
    QTest::addColumn<Params>("params");
    QTest::addColumn<QString>("message");
    QTest::newRow("neither call nor ssrc") << Params{} << "either parameter \"call\"";
    QTest::newRow("both") << Params{{"call", "x"}, {"ssrc", "1"}} << "either parameter \"call\"";
    QTest::newRow("empty call") << Params{{"call", ""}} << "takes a Call-ID";
    QTest::newRow("bad ssrc") << Params{{"ssrc", "0xZZ"}} << "32-bit SSRC";
    QTest::newRow("ssrc beyond 32 bits") << Params{{"ssrc", "0x123456789"}} << "32-bit SSRC";
    QTest::newRow("bad src") << Params{{"ssrc", "1"}, {"src", "10.0.0.1"}} << "ADDR:PORT";
    QTest::newRow("bad port") << Params{{"ssrc", "1"}, {"dst", "10.0.0.1:70000"}} << "ADDR:PORT";
    QTest::newRow("src without ssrc")
        << Params{{"call", "x"}, {"src", "10.0.0.1:5"}} << "go with \"ssrc\"";
    QTest::newRow("bad from") << Params{{"call", "x"}, {"from", "yesterday"}} << "ns since";
    QTest::newRow("from after to")
        << Params{{"call", "x"}, {"from", "5"}, {"to", "4"}} << "from is after to";
    QTest::newRow("page too small")
        << Params{{"call", "x"}, {"max-bytes", "100"}} << "\"max-bytes\" takes 4096 to";
    QTest::newRow("page too big") << Params{{"call", "x"}, {"max-bytes", "999999999"}}
                                  << "\"max-bytes\" takes 4096 to";
    QTest::newRow("bad resume") << Params{{"call", "x"}, {"after", "a:b"}} << "resume token";
    QTest::newRow("unknown parameter")
        << Params{{"call", "x"}, {"codec", "PCMU"}} << "unknown parameter \"codec\"";
    QTest::newRow("unknown call") << Params{{"call", "nope@host"}}
                                  << "no call with Call-ID \"nope@host\"";
    QTest::newRow("unknown ssrc") << Params{{"ssrc", "0x1a2b3c4d"}}
                                  << "no RTP stream with SSRC 0x1a2b3c4d; it has seen no RTP";
  }
  void badRequests() {
    QFETCH(Params, params);
    QFETCH(QString, message);
    QTemporaryDir dir;
    node::store::StoreOptions options;
    options.folder = dir.filePath("store").toStdString();
    auto store = node::store::PacketStore::open(options);
    QVERIFY2(store.ok(), store.error().c_str());
    node::store::StoreWriter writer(std::move(*store));
    const Reply r = ask(params, &writer);
    QVERIFY(r.isError());
    QCOMPARE(r.error->code, ErrorCode::InvalidArgument);
    QCOMPARE(r.requestId, 9u);
    QVERIFY2(QString::fromStdString(r.error->message).contains(message), r.error->message.c_str());
  }

  void noStore() {
    const Reply r = ask({{"call", "x"}}, nullptr);
    QVERIFY(r.isError());
    QCOMPARE(r.error->code, ErrorCode::InvalidArgument);
    QVERIFY2(r.error->message.find("keeps no packet store") != std::string::npos &&
                 r.error->message.find("--store") != std::string::npos,
             r.error->message.c_str());
  }
};

QTEST_GUILESS_MAIN(TestProtocolAudio)
#include "tst_protocol_audio.moc"
