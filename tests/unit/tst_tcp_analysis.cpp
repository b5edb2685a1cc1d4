// SPDX-License-Identifier: MIT
// Wireshark-style TCP sequence analysis and connection records on hand-made segment
// sequences: each retransmission class, keep-alives and zero-window probes that are not
// retransmissions, window scaling, handshake legs with a retransmitted SYN, client/server
// roles, a reused 5-tuple, and byte counts past the entry's 32 bits.

#include <QTest>
#include <vector>

#include "node/analysis/connection_analyzer.h"
#include "node/analysis/tcp_analysis.h"
#include "shared/decoder/decoded_packet.h"

using namespace netlens::node::analysis;
namespace flag = netlens::decoder::tcpflag;

namespace {

constexpr std::int64_t kMs = 1'000'000;

TcpSegment seg(std::int64_t ts, std::uint32_t seq, std::uint32_t ack, std::uint32_t len,
               std::uint8_t flags, std::uint16_t window = 1000, std::int8_t ws = -1) {
  TcpSegment s;
  s.ts = ts;
  s.seq = seq;
  s.ack = ack;
  s.length = len;
  s.flags = flags;
  s.window = window;
  s.windowScale = ws;
  return s;
}

/// A client (side 0) and a server (side 1) after a handshake at t = 0, 10, 20 ms.
struct Conn {
  TcpSideState side[2];
  TcpHandshake hs;
  std::uint16_t send(int from, const TcpSegment& s) {
    return analyzeTcpSegment(s, side[from], side[1 - from], hs);
  }
  void handshake() {
    send(0, seg(0, 100, 0, 0, flag::kSyn));
    send(1, seg(10 * kMs, 500, 101, 0, flag::kSyn | flag::kAck));
    send(0, seg(20 * kMs, 101, 501, 0, flag::kAck));
  }
};

netlens::node::analysis::FlowSegment flowSegment(const char* src, std::uint16_t sport,
                                                 const char* dst, std::uint16_t dport,
                                                 std::int64_t ts, std::uint8_t flags,
                                                 std::uint32_t seq) {
  FlowSegment f;
  f.ts = ts;
  f.wireLength = 60;
  f.src = *netlens::net::IpAddress::parse(src);
  f.dst = *netlens::net::IpAddress::parse(dst);
  f.srcPort = sport;
  f.dstPort = dport;
  f.protocol = 6;
  f.tcpHeaderValid = true;
  f.tcpFlags = flags;
  f.tcpSeq = seq;
  f.tcpWindow = 1000;
  return f;
}

}  // namespace

class TestTcpAnalysis : public QObject {
  Q_OBJECT

 private slots:
  void handshakeLegs() {
    Conn c;
    c.handshake();
    QCOMPARE(c.hs.initialRtt, 20 * kMs);
    QCOMPARE(c.hs.serverLeg(), 10 * kMs);
  }

  void retransmittedSynCountsFromTheLastSyn() {
    Conn c;
    QCOMPARE(c.send(0, seg(0, 100, 0, 0, flag::kSyn)), tcpevent::kNewSyn);
    // The same SYN a second later: a retransmission (SYN consumes a sequence number).
    QVERIFY(c.send(0, seg(1000 * kMs, 100, 0, 0, flag::kSyn)) & tcpevent::kRetransmission);
    c.send(1, seg(1010 * kMs, 500, 101, 0, flag::kSyn | flag::kAck));
    c.send(0, seg(1030 * kMs, 101, 501, 0, flag::kAck));
    QCOMPARE(c.hs.initialRtt, 30 * kMs);
    QCOMPARE(c.hs.serverLeg(), 10 * kMs);
    QCOMPARE(int(c.hs.synCount), 2);
  }

  void handshakeEvents() {
    Conn c;
    QVERIFY(c.send(0, seg(0, 100, 0, 0, flag::kSyn)) & tcpevent::kNewSyn);
    // A retransmitted SYN is no new attempt.
    QVERIFY(!(c.send(0, seg(1000 * kMs, 100, 0, 0, flag::kSyn)) & tcpevent::kNewSyn));
    QVERIFY(!(c.send(1, seg(1010 * kMs, 500, 101, 0, flag::kSyn | flag::kAck)) &
              tcpevent::kHandshakeComplete));
    QVERIFY(c.send(0, seg(1030 * kMs, 101, 501, 0, flag::kAck)) & tcpevent::kHandshakeComplete);
    // Once only.
    QVERIFY(!(c.send(0, seg(1040 * kMs, 101, 501, 0, flag::kAck)) & tcpevent::kHandshakeComplete));
    QVERIFY(!(c.send(1, seg(1050 * kMs, 501, 101, 0, flag::kRst)) & tcpevent::kSynRejected));
    QCOMPARE(c.side[1].state & TcpSideState::kRejected, 0);
  }

  void resetAnsweringASynIsARejection() {
    // A closed port: SYN → RST/ACK. tshark's initial RTT ends at the RST/ACK, but it is a
    // rejection, not a handshake.
    Conn c;
    c.send(0, seg(0, 100, 0, 0, flag::kSyn));
    const std::uint16_t ev = c.send(1, seg(5 * kMs, 0, 101, 0, flag::kRst | flag::kAck));
    QVERIFY(ev & tcpevent::kSynRejected);
    QVERIFY(!(ev & tcpevent::kHandshakeComplete));
    QCOMPARE(c.hs.initialRtt, 5 * kMs);
    QVERIFY(c.side[1].state & TcpSideState::kRejected);
    // A second reset is no second rejection.
    QVERIFY(!(c.send(1, seg(6 * kMs, 0, 101, 0, flag::kRst)) & tcpevent::kSynRejected));
    // A client giving up with a reset before any answer is not a rejection.
    Conn d;
    d.send(0, seg(0, 100, 0, 0, flag::kSyn));
    QVERIFY(!(d.send(0, seg(5 * kMs, 101, 0, 0, flag::kRst)) & tcpevent::kSynRejected));
  }

  void handshakeHistoryOfBothEnds() {
    ConnectionAnalyzer a;
    constexpr std::int64_t kT = 1'700'000'000'000'000'000;
    // 10.0.0.1 → 10.0.0.2:80 answered (RTT 30 ms), then → :81 refused by RST/ACK.
    a.process(flowSegment("10.0.0.1", 40000, "10.0.0.2", 80, kT, flag::kSyn, 100));
    a.process(
        flowSegment("10.0.0.2", 80, "10.0.0.1", 40000, kT + 10 * kMs, flag::kSyn | flag::kAck, 9));
    auto ack = flowSegment("10.0.0.1", 40000, "10.0.0.2", 80, kT + 30 * kMs, flag::kAck, 101);
    ack.tcpAck = 10;
    a.process(ack);
    a.process(flowSegment("10.0.0.1", 40001, "10.0.0.2", 81, kT + 100 * kMs, flag::kSyn, 7));
    a.process(
        flowSegment("10.0.0.2", 81, "10.0.0.1", 40001, kT + 105 * kMs, flag::kRst | flag::kAck, 0));
    // And a second handshake of 10.0.0.1 (RTT 50 ms) with another server.
    a.process(flowSegment("10.0.0.1", 40002, "10.0.0.3", 443, kT + 200 * kMs, flag::kSyn, 1));
    a.process(flowSegment("10.0.0.3", 443, "10.0.0.1", 40002, kT + 220 * kMs,
                          flag::kSyn | flag::kAck, 5));
    a.process(flowSegment("10.0.0.1", 40002, "10.0.0.3", 443, kT + 250 * kMs, flag::kAck, 2));

    const HandshakeHistory& h = a.handshakeHistory();
    bool complete = false;
    const History* client = h.find(*netlens::net::IpAddress::parse("10.0.0.1"), &complete);
    QVERIFY(client != nullptr);
    QVERIFY(complete);
    const auto b = client->buckets(Resolution::Minute, INT64_MIN, INT64_MAX);
    QCOMPARE(b.size(), std::size_t{1});
    using C = HandshakeHistory::Column;
    const std::vector<std::uint64_t> want{3, 2, 80 * kMs, 30 * kMs, 50 * kMs, 1,  // as client
                                          0, 0, 0,        0,        0,        0};
    QCOMPARE(b[0].values, want);
    const History* server = h.find(*netlens::net::IpAddress::parse("10.0.0.2"), &complete);
    QVERIFY(server != nullptr);
    const auto s = server->buckets(Resolution::Hour, INT64_MIN, INT64_MAX);
    QCOMPARE(s.size(), std::size_t{1});
    const std::size_t o = HandshakeHistory::kColumns;
    QCOMPARE(s[0].values[o + C::Syns], std::uint64_t{2});
    QCOMPARE(s[0].values[o + C::Handshakes], std::uint64_t{1});
    QCOMPARE(s[0].values[o + C::RttMin], std::uint64_t(30 * kMs));
    QCOMPARE(s[0].values[o + C::Rejected], std::uint64_t{1});
    QCOMPARE(s[0].values[C::Syns], std::uint64_t{0});
    // The refused connection's record says so.
    std::vector<netlens::protocol::ConnectionRecord> out;
    a.collectAll(out);
    int rejected = 0;
    for (const auto& r : out) rejected += r.state == "rejected" ? 1 : 0;
    QCOMPARE(rejected, 1);
    QCOMPARE(HandshakeHistory::names().size(), 2 * std::size_t{HandshakeHistory::kColumns});
    QCOMPARE(HandshakeHistory::names()[C::RttMin], std::string("client_rtt_min_ns"));
  }

  // A client that gives up on an unanswered SYN with a reset: a failed attempt ("syn-sent"),
  // not a rejection. A handshake that a reset ends (SYN, SYN/ACK, RST/ACK) counts as one in
  // the series as in the record (tshark's initial RTT ends at the RST/ACK).
  void resetsAfterASyn() {
    ConnectionAnalyzer a;
    constexpr std::int64_t kT = 1'700'000'000'000'000'000;
    a.process(flowSegment("10.0.0.5", 40010, "10.0.0.6", 80, kT, flag::kSyn, 100));
    a.process(flowSegment("10.0.0.5", 40010, "10.0.0.6", 80, kT + 5 * kMs, flag::kRst, 101));
    a.process(flowSegment("10.0.0.5", 40011, "10.0.0.6", 81, kT + 10 * kMs, flag::kSyn, 200));
    a.process(flowSegment("10.0.0.6", 81, "10.0.0.5", 40011, kT + 12 * kMs, flag::kSyn | flag::kAck,
                          900));
    a.process(flowSegment("10.0.0.5", 40011, "10.0.0.6", 81, kT + 15 * kMs, flag::kRst | flag::kAck,
                          201));
    std::vector<netlens::protocol::ConnectionRecord> out;
    a.collectAll(out);
    QCOMPARE(out.size(), std::size_t{2});
    for (const auto& r : out) {
      if (r.serverPort == 80) {
        QCOMPARE(r.state, std::string("syn-sent"));
        QCOMPARE(r.handshakeServerNs, std::int64_t{-1});
      } else {
        QCOMPARE(r.state, std::string("reset"));
        QCOMPARE(r.handshakeServerNs + r.handshakeClientNs, 5 * kMs);
      }
    }
    bool complete = false;
    const History* h =
        a.handshakeHistory().find(*netlens::net::IpAddress::parse("10.0.0.5"), &complete);
    QVERIFY(h != nullptr);
    const auto b = h->buckets(Resolution::Second, INT64_MIN, INT64_MAX);
    QCOMPARE(b.size(), std::size_t{1});
    using C = HandshakeHistory::Column;
    QCOMPARE(b[0].values[C::Syns], std::uint64_t{2});
    QCOMPARE(b[0].values[C::Handshakes], std::uint64_t{1});
    QCOMPARE(b[0].values[C::RttMin], std::uint64_t(5 * kMs));
    QCOMPARE(b[0].values[C::Rejected], std::uint64_t{0});
  }

  void plainRetransmission() {
    Conn c;
    c.handshake();
    QCOMPARE(c.send(0, seg(30 * kMs, 101, 501, 100, flag::kAck)), std::uint16_t{0});
    // Resent 200 ms later, not acknowledged: an RTO retransmission.
    QCOMPARE(c.send(0, seg(230 * kMs, 101, 501, 100, flag::kAck)), tcpevent::kRetransmission);
  }

  void spuriousWhenAlreadyAcked() {
    Conn c;
    c.handshake();
    c.send(0, seg(30 * kMs, 101, 501, 100, flag::kAck));
    c.send(1, seg(40 * kMs, 501, 201, 0, flag::kAck));
    QCOMPARE(c.send(0, seg(300 * kMs, 101, 501, 100, flag::kAck)),
             tcpevent::kSpuriousRetransmission);
  }

  void fastRetransmissionAfterTwoDuplicateAcks() {
    Conn c;
    c.handshake();
    c.send(0, seg(30 * kMs, 101, 501, 100, flag::kAck));  // lost on the way
    c.send(0, seg(31 * kMs, 201, 501, 100, flag::kAck));
    c.send(0, seg(32 * kMs, 301, 501, 100, flag::kAck));
    // The server's ACK repeats its SYN/ACK's acknowledgement: already a duplicate.
    QCOMPARE(c.send(1, seg(40 * kMs, 501, 101, 0, flag::kAck)), tcpevent::kDuplicateAck);
    QCOMPARE(c.send(1, seg(41 * kMs, 501, 101, 0, flag::kAck)), tcpevent::kDuplicateAck);
    QCOMPARE(c.send(1, seg(42 * kMs, 501, 101, 0, flag::kAck)), tcpevent::kDuplicateAck);
    QCOMPARE(c.send(0, seg(45 * kMs, 101, 501, 100, flag::kAck)), tcpevent::kFastRetransmission);
  }

  void outOfOrderWithinTheRtt() {
    Conn c;
    c.handshake();  // initial RTT 20 ms: the out-of-order window
    c.send(0, seg(30 * kMs, 201, 501, 100, flag::kAck));  // arrives before 101..200
    const std::uint16_t ev = c.send(0, seg(31 * kMs, 101, 501, 100, flag::kAck));
    QCOMPARE(ev, tcpevent::kOutOfOrder);
    QVERIFY(!(ev & tcpevent::kAnyRetransmission));
  }

  void keepAliveIsNotARetransmission() {
    Conn c;
    c.handshake();
    c.send(0, seg(30 * kMs, 101, 501, 100, flag::kAck));
    c.send(1, seg(40 * kMs, 501, 201, 0, flag::kAck));
    const std::uint16_t ev = c.send(0, seg(60'000 * kMs, 200, 501, 1, flag::kAck));
    QCOMPARE(ev, tcpevent::kKeepAlive);
  }

  void zeroWindowProbe() {
    Conn c;
    c.handshake();
    c.send(1, seg(30 * kMs, 501, 101, 0, flag::kAck, 0));  // server's window closes
    QCOMPARE(c.send(0, seg(40 * kMs, 101, 501, 1, flag::kAck)), tcpevent::kZeroWindowProbe);
    // The probe does not advance the sequence: the next real segment is new data.
    QCOMPARE(c.send(0, seg(50 * kMs, 101, 501, 100, flag::kAck)), std::uint16_t{0});
  }

  void windowFullAtTheReceiversEdge() {
    Conn c;
    c.handshake();  // no scaling; the server's window is 1000 from ack 101
    QCOMPARE(c.send(0, seg(30 * kMs, 101, 501, 600, flag::kAck)), std::uint16_t{0});
    // 701 + 400 = 101 + 1000: the segment fills the window the server announced.
    QCOMPARE(c.send(0, seg(31 * kMs, 701, 501, 400, flag::kAck)), tcpevent::kWindowFull);
    // The server acknowledges everything and closes its window.
    QCOMPARE(c.send(1, seg(50 * kMs, 501, 1101, 0, flag::kAck, 0)), tcpevent::kZeroWindow);
    // A FIN is never window full, nor is a segment short of the edge.
    QCOMPARE(c.send(1, seg(60 * kMs, 501, 1101, 0, flag::kAck, 1000)), tcpevent::kWindowUpdate);
    QCOMPARE(c.send(0, seg(70 * kMs, 1101, 501, 999, flag::kAck)), std::uint16_t{0});
    QCOMPARE(c.send(0, seg(71 * kMs, 2100, 501, 1, flag::kAck | flag::kFin)), std::uint16_t{0});
  }

  void windowFullNeedsAKnownScale() {
    // Picked up mid-stream: the receiver's scale is unknown, so its window's edge is too.
    Conn c;
    c.send(1, seg(0, 501, 101, 0, flag::kAck, 1000));
    QCOMPARE(c.send(0, seg(kMs, 101, 501, 1000, flag::kAck)), std::uint16_t{0});
    // With scaling the edge is at the scaled window: 8 << 7 = 1024 bytes.
    Conn d;
    d.send(0, seg(0, 100, 0, 0, flag::kSyn, 64240, 7));
    d.send(1, seg(1, 500, 101, 0, flag::kSyn | flag::kAck, 65160, 7));
    d.send(0, seg(2, 101, 501, 0, flag::kAck, 502));
    d.send(1, seg(3, 501, 101, 0, flag::kAck, 8));
    QCOMPARE(d.send(0, seg(4, 101, 501, 1024, flag::kAck)), tcpevent::kWindowFull);
  }

  void windowScaleAboveFourteenIsFourteen() {
    Conn c;
    c.send(0, seg(0, 100, 0, 0, flag::kSyn, 64240, 15));
    c.send(1, seg(1, 500, 101, 0, flag::kSyn | flag::kAck, 65160, 15));
    QCOMPARE(int(c.side[0].windowScale), 14);
    QCOMPARE(int(c.side[1].windowScale), 14);
  }

  void windowScaling() {
    Conn c;
    c.send(0, seg(0, 100, 0, 0, flag::kSyn, 64240, 7));
    c.send(1, seg(1, 500, 101, 0, flag::kSyn | flag::kAck, 65160, 8));
    c.send(0, seg(2, 101, 501, 0, flag::kAck, 502));
    QCOMPARE(int(c.side[0].windowScale), 7);
    QCOMPARE(c.side[0].window, 502u << 7);
    QCOMPARE(c.side[0].maxWindow, 64256u);  // 502 << 7 beats the SYN's unscaled 64240
    // Without the option in the SYN/ACK neither side scales.
    Conn d;
    d.send(0, seg(0, 100, 0, 0, flag::kSyn, 64240, 7));
    d.send(1, seg(1, 500, 101, 0, flag::kSyn | flag::kAck, 65160, -1));
    d.send(0, seg(2, 101, 501, 0, flag::kAck, 502));
    QCOMPARE(int(d.side[0].windowScale), -2);
    QCOMPARE(d.side[0].window, 502u);
  }

  void rolesAndReuse() {
    ConnectionAnalyzer a;
    // Mid-stream, no handshake: the well-known port is the server.
    a.process(flowSegment("10.0.0.9", 80, "10.0.0.1", 40000, 1, flag::kAck, 7));
    // Handshake on another 5-tuple; the SYN's sender is the client although its port is low.
    a.process(flowSegment("10.0.0.1", 22, "10.0.0.2", 5000, 2, flag::kSyn, 100));
    a.process(flowSegment("10.0.0.2", 5000, "10.0.0.1", 22, 3, flag::kSyn | flag::kAck, 900));
    // A new SYN with another ISN on the same 5-tuple: a new connection.
    a.process(flowSegment("10.0.0.1", 22, "10.0.0.2", 5000, 4, flag::kSyn, 7777));
    std::vector<netlens::protocol::ConnectionRecord> out;
    a.collectAll(out);
    QCOMPARE(out.size(), std::size_t{3});
    int reused = 0;
    for (const auto& r : out) {
      if (r.serverPort == 80) {
        QCOMPARE(r.clientIp.toString(), std::string("10.0.0.1"));
        QCOMPARE(r.s2cPackets, 1u);
        QCOMPARE(r.state, std::string("midstream"));
      } else {
        QCOMPARE(r.clientPort, std::uint16_t{22});
        QCOMPARE(r.serverPort, std::uint16_t{5000});
        ++reused;
      }
    }
    QCOMPARE(reused, 2);
  }

  void bytesPastFourGibibytes() {
    // The entry counts in 32 bits; the high words carry on in the extras.
    ConnectionAnalyzer a;
    for (int i = 0; i < 3; ++i) {
      auto f = flowSegment("10.0.0.1", 40000, "10.0.0.2", 443, 1 + i, flag::kAck, 1);
      f.wireLength = 0xffffffffu;
      a.process(f);
    }
    std::vector<netlens::protocol::ConnectionRecord> out;
    a.collectAll(out);
    QCOMPARE(out.size(), std::size_t{1});
    QCOMPARE(out[0].c2sPackets, std::uint64_t{3});
    QCOMPARE(out[0].c2sBytes, std::uint64_t{3} * 0xffffffffu);
    QCOMPARE(out[0].s2cBytes, std::uint64_t{0});
  }

  void budgetEvictsTheOldest() {
    ConnectionAnalyzerConfig config;
    config.maxConnections = 2;
    ConnectionAnalyzer a(config);
    for (std::uint16_t port = 1; port <= 5; ++port) {
      a.process(flowSegment("10.0.0.1", 40000, "10.0.0.2", port, port, flag::kAck, 1));
    }
    QCOMPARE(a.size(), std::size_t{2});
    std::vector<netlens::protocol::ConnectionRecord> out;
    a.collectAll(out);
    QCOMPARE(out.size(), std::size_t{2});
    for (const auto& r : out) QVERIFY(r.serverPort >= 4);
    QCOMPARE(a.evictions(), std::uint64_t{3});
    QCOMPARE(a.evictedUpTo(), std::int64_t{3});  // the third connection's last packet
  }

  void idleConnectionsAndFinishedRecordsExpire() {
    ConnectionAnalyzerConfig config;
    config.idleNs = 10'000 * kMs;
    ConnectionAnalyzer a(config);
    // A connection closed and its 5-tuple reused (the first becomes a finished record).
    a.process(flowSegment("10.0.0.1", 40000, "10.0.0.2", 80, 0, flag::kSyn, 1));
    a.process(flowSegment("10.0.0.1", 40000, "10.0.0.2", 80, 1000 * kMs, flag::kSyn, 5000));
    a.process(flowSegment("10.0.0.1", 40001, "10.0.0.2", 80, 4000 * kMs, flag::kSyn, 1));
    a.process(flowSegment("10.0.0.3", 40000, "10.0.0.4", 53, 11'500 * kMs, 0, 0));
    // At 11.5 s the finished record (last packet at 0) and the connection that reused its
    // 5-tuple (1 s) have been idle for more than 10 s; the one of 4 s has not.
    QCOMPARE(a.evictions(), std::uint64_t{2});
    QCOMPARE(a.evictedUpTo(), 1000 * kMs);
    QCOMPARE(a.size(), std::size_t{2});
    a.process(flowSegment("10.0.0.3", 40000, "10.0.0.4", 53, 14'500 * kMs, 0, 0));
    // At 14.5 s the one of 4 s goes too.
    QCOMPARE(a.evictions(), std::uint64_t{3});
    QCOMPARE(a.evictedUpTo(), 4000 * kMs);
    std::vector<netlens::protocol::ConnectionRecord> out;
    a.collectAll(out);
    QCOMPARE(out.size(), std::size_t{1});
    QCOMPARE(out[0].serverPort, std::uint16_t{53});
  }
};

QTEST_GUILESS_MAIN(TestTcpAnalysis)
#include "tst_tcp_analysis.moc"
