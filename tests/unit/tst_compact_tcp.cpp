// SPDX-License-Identifier: MIT
// The compact TCP state of a connection entry: times coded relative to the connection's first
// packet round-trip exactly inside their ranges (microsecond and nanosecond codes) and refuse
// to pack outside them; a connection whose times outgrow the codes (nanosecond timestamps
// over seconds, a packet older than the first one) reports the same handshake as one whose
// times fit.

#include <QTest>
#include <vector>

#include "node/analysis/compact_tcp.h"
#include "node/analysis/connection_analyzer.h"
#include "shared/decoder/decoded_packet.h"

using namespace netlens::node::analysis;
namespace flag = netlens::decoder::tcpflag;
using netlens::protocol::TimeNs;

namespace {

constexpr TimeNs kOrigin = 1'709'294'400'000'000'000;  // 2024-03-01T12:00:00Z
constexpr TimeNs kUs = 1000;
constexpr TimeNs kSecond = 1'000'000'000;

WideTcp stateWithTime(TimeNs t) {
  WideTcp w;
  w.sides[0].base = 100;
  w.sides[0].nextSeq = 101;
  w.sides[0].windowScale = 7;
  w.sides[0].state = TcpSideState::kSawSyn;
  w.sides[0].nextSeqTime = t;
  w.sides[1].lastAckTime = t;
  w.handshake.lastSyn = t;
  w.handshake.synCount = 2;
  return w;
}

FlowSegment segment(bool fromClient, TimeNs ts, std::uint8_t flags, std::uint32_t seq,
                    std::uint32_t ack) {
  FlowSegment f;
  f.ts = ts;
  f.wireLength = 60;
  f.src = *netlens::net::IpAddress::parse(fromClient ? "10.0.0.1" : "10.0.0.2");
  f.dst = *netlens::net::IpAddress::parse(fromClient ? "10.0.0.2" : "10.0.0.1");
  f.srcPort = fromClient ? 40000 : 443;
  f.dstPort = fromClient ? 443 : 40000;
  f.protocol = 6;
  f.tcpHeaderValid = true;
  f.tcpFlags = flags;
  f.tcpSeq = seq;
  f.tcpAck = ack;
  f.tcpWindow = 1000;
  return f;
}

}  // namespace

class TestCompactTcp : public QObject {
  Q_OBJECT

 private slots:
  void roundTrip_data() {
    QTest::addColumn<TimeNs>("time");
    QTest::addColumn<bool>("fits");
    QTest::newRow("none") << TimeNs{0} << true;
    QTest::newRow("origin") << kOrigin << true;
    QTest::newRow("us, 1 s") << kOrigin + kSecond + 5 * kUs << true;
    QTest::newRow("us, last") << kOrigin + ((TimeNs{1} << 31) - 1) * kUs << true;
    QTest::newRow("us, past the range") << kOrigin + (TimeNs{1} << 31) * kUs << false;
    QTest::newRow("ns, 1 ns") << kOrigin + 1 << true;
    QTest::newRow("ns, last") << kOrigin + (TimeNs{1} << 31) - 2 << true;
    QTest::newRow("ns, past the range") << kOrigin + (TimeNs{1} << 31) - 1 << false;
    QTest::newRow("before the origin") << kOrigin - kUs << false;
  }
  void roundTrip() {
    QFETCH(TimeNs, time);
    QFETCH(bool, fits);
    const WideTcp in = stateWithTime(time);
    CompactTcp c;
    QCOMPARE(c.pack(in, kOrigin), fits);
    WideTcp out;
    c.unpack(kOrigin, out);
    // What is not a time is kept either way.
    QCOMPARE(out.sides[0].base, 100u);
    QCOMPARE(int(out.sides[0].windowScale), 7);
    QCOMPARE(int(out.sides[1].windowScale), -1);
    QCOMPARE(int(out.handshake.synCount), 2);
    if (!fits) return;
    // Copied out first: the states are packed to 4 bytes, and QCOMPARE would bind a reference
    // to a misaligned 8-byte member (undefined behaviour, caught by UBSan).
    QCOMPARE(TimeNs{out.sides[0].nextSeqTime}, time);
    QCOMPARE(TimeNs{out.sides[1].lastAckTime}, time);
    QCOMPARE(TimeNs{out.sides[0].lastAckTime}, TimeNs{0});
    QCOMPARE(TimeNs{out.handshake.lastSyn}, time);
  }

  void longInitialRttDoesNotPack() {
    WideTcp w;
    w.handshake.initialRtt = 5 * kSecond;
    CompactTcp c;
    QVERIFY(!c.pack(w, kOrigin));
    w.handshake.initialRtt = 4 * kSecond;
    QVERIFY(c.pack(w, kOrigin));
    WideTcp out;
    c.unpack(kOrigin, out);
    QCOMPARE(TimeNs{out.handshake.initialRtt}, 4 * kSecond);
  }

  /// The same handshake, once with times that fit and once with nanosecond times seconds
  /// after the first packet, each followed by a packet older than the first one.
  void connectionOutgrowingTheCodes_data() {
    QTest::addColumn<TimeNs>("start");
    QTest::addColumn<TimeNs>("oddNs");
    QTest::newRow("compact") << kOrigin << TimeNs{0};
    QTest::newRow("wide") << kOrigin << TimeNs{7};
  }
  void connectionOutgrowingTheCodes() {
    QFETCH(TimeNs, start);
    QFETCH(TimeNs, oddNs);
    ConnectionAnalyzer a;
    // A stray server segment first (midstream start), the handshake three seconds later
    // (with odd nanoseconds, its times exceed the nanosecond codes), then a server segment
    // older than the first one, which moves the origin of every coded time.
    a.process(segment(false, start + 10 * kUs, flag::kAck, 60, 51));
    const TimeNs t = start + 3 * kSecond + oddNs;
    a.process(segment(true, t, flag::kSyn, 1000, 0));
    a.process(segment(false, t + 300 * kUs, flag::kSyn | flag::kAck, 5000, 1001));
    a.process(segment(true, t + 1000 * kUs, flag::kAck, 1001, 5001));
    a.process(segment(false, start, flag::kAck, 5001, 1001));
    std::vector<netlens::protocol::ConnectionRecord> out;
    a.collectAll(out);
    QCOMPARE(out.size(), std::size_t{1});
    QCOMPARE(out[0].firstSeen, start);
    QCOMPARE(out[0].handshakeServerNs, 300 * kUs);
    QCOMPARE(out[0].handshakeClientNs, 700 * kUs);
    QCOMPARE(out[0].state, std::string("established"));
  }
};

QTEST_GUILESS_MAIN(TestCompactTcp)
#include "tst_compact_tcp.moc"
