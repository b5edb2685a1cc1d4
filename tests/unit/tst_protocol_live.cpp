// SPDX-License-Identifier: MIT
// The live capture bodies ("live-start", "live-fetch", "live-stop", "live-list"): registry
// rows, round trips, appended fields ignored, hostile input (truncation, bit flips, wrong
// types, out-of-range values) refused with the field named and never accepted by accident.

#include <QTest>
#include <functional>
#include <string>

#include "shared/protocol/codec.h"
#include "shared/protocol/operation.h"
#include "tests/common/protocol_fixtures.h"

using namespace netlens::protocol;
using namespace netlens::tests;

namespace {

LiveCapture sampleCapture() {
  LiveCapture c;
  c.id = 7;
  c.filter = "(host 10.0.0.1) or (vlan and (host 10.0.0.1))";
  c.startTime = 1'700'000'000'123'456'789;
  c.startPacketTime = 1'600'000'000'000'000'001;
  c.linkType = 1;
  c.snapLength = 262144;
  c.maxBytes = kDefaultLiveBufferBytes;
  c.note = "1 source(s) of another link type are not tapped";
  return c;
}

LiveChunk sampleChunk() {
  LiveChunk c;
  c.id = 7;
  c.packets = 3;
  c.bytes = 1500;
  c.dropped = 2;
  c.running = true;
  c.linkType = 1;
  c.pcap = std::string(24, '\x01') + std::string(16 + 60, '\x02');
  c.more = true;
  return c;
}

LiveCaptureList sampleList() {
  LiveCaptureList l;
  for (std::uint64_t id : {3u, 9u}) {
    LiveCaptureInfo i;
    i.id = id;
    i.owner = id == 3 ? "alice@laptop" : "Ab3#x9Qz";
    i.role = id == 3 ? "viewer" : "admin";
    i.filter = "port 5060";
    i.startTime = 1'700'000'000'000'000'000 + static_cast<std::int64_t>(id);
    i.packets = 10 * id;
    i.bytes = 1000 * id;
    i.dropped = id;
    i.lastFetch = i.startTime + 5;
    i.bufferedBytes = 4096;
    l.captures.push_back(i);
  }
  return l;
}

using Decoder = std::function<std::string(std::string_view)>;

std::vector<std::pair<std::string, Decoder>> liveDecoders() {
  return {{"LiveCapture", [](std::string_view b) { return decodeBody<LiveCapture>(b).error(); }},
          {"LiveChunk", [](std::string_view b) { return decodeBody<LiveChunk>(b).error(); }},
          {"LiveCaptureList",
           [](std::string_view b) { return decodeBody<LiveCaptureList>(b).error(); }}};
}

}  // namespace

Q_DECLARE_METATYPE(Decoder)

class TestProtocolLive : public QObject {
  Q_OBJECT

 private slots:
  void registry() {
    // Appended after "calls", never renumbered; owners are checked by the node, not the role.
    QCOMPARE(static_cast<int>(findOperation("live-start")->id), 12);
    QCOMPARE(static_cast<int>(findOperation("live-fetch")->id), 13);
    QCOMPARE(static_cast<int>(findOperation("live-stop")->id), 14);
    QCOMPARE(static_cast<int>(findOperation("live-list")->id), 15);
    for (const char* name : {"live-start", "live-fetch", "live-stop", "live-list"}) {
      QVERIFY(!findOperation(name)->adminOnly);
      QCOMPARE(findOperation(name)->sinceVersion, 1u);
    }
    QCOMPARE(kOperations[14].name, std::string_view("live-list"));
  }

  void roundTrips() {
    const auto capture = decodeBody<LiveCapture>(encodeBody(sampleCapture()));
    QVERIFY2(capture.ok(), capture.error().c_str());
    QVERIFY(*capture == sampleCapture());
    const auto chunk = decodeBody<LiveChunk>(encodeBody(sampleChunk()));
    QVERIFY2(chunk.ok(), chunk.error().c_str());
    QVERIFY(*chunk == sampleChunk());
    LiveChunk empty;
    empty.running = false;
    const auto emptyBack = decodeBody<LiveChunk>(encodeBody(empty));
    QVERIFY2(emptyBack.ok(), emptyBack.error().c_str());
    QVERIFY(*emptyBack == empty);
    const auto list = decodeBody<LiveCaptureList>(encodeBody(sampleList()));
    QVERIFY2(list.ok(), list.error().c_str());
    QVERIFY(*list == sampleList());
    const auto none = decodeBody<LiveCaptureList>(encodeBody(LiveCaptureList{}));
    QVERIFY2(none.ok(), none.error().c_str());
    QVERIFY(none->captures.empty());
  }

  void appendedFieldIgnored() {
    // A newer node may append fields: [8 fields] becomes [9 fields].
    std::string bytes = encodeBody(sampleCapture());
    QCOMPARE(static_cast<unsigned char>(bytes[0]), 0x98u);
    bytes[0] = static_cast<char>(0x99);
    bytes += MsgpackBuilder().str("a newer field").bytes();
    const auto decoded = decodeBody<LiveCapture>(bytes);
    QVERIFY2(decoded.ok(), decoded.error().c_str());
    QVERIFY(*decoded == sampleCapture());
  }

  void refused_data() {
    QTest::addColumn<std::function<std::string()>>("decodeError");
    QTest::addColumn<QString>("field");
    using F = std::function<std::string()>;
    QTest::newRow("pcap shorter than its header") << F([] {
      LiveChunk c = sampleChunk();
      c.pcap = "short";
      return decodeBody<LiveChunk>(encodeBody(c)).error();
    }) << "pcap";
    QTest::newRow("unknown role") << F([] {
      LiveCaptureList l = sampleList();
      l.captures[1].role = "root";
      return decodeBody<LiveCaptureList>(encodeBody(l)).error();
    }) << "captures[1].role";
    QTest::newRow("id listed twice") << F([] {
      LiveCaptureList l = sampleList();
      l.captures[1].id = l.captures[0].id;
      return decodeBody<LiveCaptureList>(encodeBody(l)).error();
    }) << "captures[1].id";
    QTest::newRow("id as a string") << F([] {
      const std::string bytes = MsgpackBuilder()
                                    .array(8)
                                    .str("7")
                                    .str("f")
                                    .int64(1)
                                    .int64(1)
                                    .uint(1)
                                    .uint(1)
                                    .uint(1)
                                    .str("")
                                    .bytes();
      return decodeBody<LiveCapture>(bytes).error();
    }) << "id";
    QTest::newRow("link type beyond 32 bits") << F([] {
      const std::string bytes = MsgpackBuilder()
                                    .array(8)
                                    .uint(7)
                                    .str("f")
                                    .int64(1)
                                    .int64(1)
                                    .uint(1ull << 40)
                                    .uint(1)
                                    .uint(1)
                                    .str("")
                                    .bytes();
      return decodeBody<LiveCapture>(bytes).error();
    }) << "linkType";
    QTest::newRow("pcap as a string") << F([] {
      const std::string bytes = MsgpackBuilder()
                                    .array(8)
                                    .uint(7)
                                    .uint(0)
                                    .uint(0)
                                    .uint(0)
                                    .byte(0xc3)
                                    .uint(1)
                                    .str("")
                                    .byte(0xc2)
                                    .bytes();
      return decodeBody<LiveChunk>(bytes).error();
    }) << "pcap";
    QTest::newRow("too few fields") << F([] {
      return decodeBody<LiveChunk>(MsgpackBuilder().array(2).uint(1).uint(2).bytes()).error();
    }) << "LiveChunk";
  }

  void refused() {
    QFETCH(std::function<std::string()>, decodeError);
    QFETCH(QString, field);
    const QString error = QString::fromStdString(decodeError());
    QVERIFY2(!error.isEmpty(), "accepted");
    QVERIFY2(error.contains(field), qPrintable(error));
  }

  void truncated_data() {
    QTest::addColumn<Decoder>("decoder");
    QTest::addColumn<std::string>("bytes");
    const auto decoders = liveDecoders();
    QTest::newRow("LiveCapture") << decoders[0].second << encodeBody(sampleCapture());
    QTest::newRow("LiveChunk") << decoders[1].second << encodeBody(sampleChunk());
    QTest::newRow("LiveCaptureList") << decoders[2].second << encodeBody(sampleList());
  }

  void truncated() {
    QFETCH(Decoder, decoder);
    QFETCH(std::string, bytes);
    QVERIFY(decoder(bytes).empty());
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      if (decoder(std::string_view(bytes).substr(0, n)).empty())
        QFAIL(qPrintable(QString("prefix of %1 bytes was accepted").arg(n)));
    }
  }

  void bitFlips_data() {
    QTest::addColumn<std::string>("bytes");
    QTest::newRow("capture") << encodeBody(sampleCapture());
    QTest::newRow("chunk") << encodeBody(sampleChunk());
    QTest::newRow("list") << encodeBody(sampleList());
  }

  void bitFlips() {
    // Every byte replaced by a few interesting values, fed to every decoder: only clean
    // success or a non-empty error is allowed (ASan runs catch memory errors).
    QFETCH(std::string, bytes);
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
};

QTEST_GUILESS_MAIN(TestProtocolLive)
#include "tst_protocol_live.moc"
