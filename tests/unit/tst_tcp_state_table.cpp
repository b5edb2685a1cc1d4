// SPDX-License-Identifier: MIT
// The side table of the connections' TCP states: a slot starts fresh whether new or reused,
// states stay in place while the table grows past a chunk, and a connection that takes the
// place (and the slot) of an evicted one reports nothing of the evicted one's TCP state. A
// connection whose only segments are its first two packets keeps the segments instead of a
// state, and the state made again from them is the one analysing the segments gave.

#include <QTest>
#include <vector>

#include "node/analysis/connection_analyzer.h"
#include "node/analysis/tcp_state_table.h"
#include "shared/decoder/decoded_packet.h"

using namespace netlens::node::analysis;
namespace flag = netlens::decoder::tcpflag;
using netlens::protocol::TimeNs;

namespace {

constexpr TimeNs kOrigin = 1'709'294'400'000'000'000;  // 2024-03-01T12:00:00Z
constexpr TimeNs kMs = 1'000'000;

FlowSegment segment(std::uint8_t protocol, std::uint16_t clientPort, TimeNs ts, std::uint8_t flags,
                    const char* client = "10.0.0.1", const char* server = "10.0.0.2") {
  FlowSegment f;
  f.ts = ts;
  f.wireLength = 60;
  f.src = *netlens::net::IpAddress::parse(client);
  f.dst = *netlens::net::IpAddress::parse(server);
  f.srcPort = clientPort;
  f.dstPort = 443;
  f.protocol = protocol;
  f.tcpHeaderValid = protocol == 6;
  f.tcpFlags = flags;
  f.tcpSeq = 1000;
  f.tcpWindow = 1000;
  f.tcpWindowScale = (flags & flag::kSyn) != 0 ? 7 : -1;
  return f;
}

/// A segment from the server (10.0.0.2:443) to port 40000 of `client`.
FlowSegment fromServer(TimeNs ts, std::uint8_t flags, std::uint32_t seq, std::uint32_t ack,
                       const char* client = "10.0.0.1") {
  FlowSegment f = segment(6, 443, ts, flags, "10.0.0.2", client);
  f.dstPort = 40000;
  f.tcpSeq = seq;
  f.tcpAck = ack;
  return f;
}

std::vector<netlens::protocol::ConnectionRecord> records(const ConnectionAnalyzer& a) {
  std::vector<netlens::protocol::ConnectionRecord> out;
  a.collectAll(out);
  return out;
}

}  // namespace

class TestTcpStateTable : public QObject {
  Q_OBJECT

 private slots:
  void reusedSlotStartsFresh() {
    TcpStateTable t;
    const std::uint32_t slot = t.acquire();
    t[slot].sides[0].state = TcpSideState::kSawSyn;
    t[slot].sides[1].windowScale = 7;
    t[slot].handshake.synCount = 1;
    t.release(slot);
    QCOMPARE(t.size(), std::size_t{0});
    QCOMPARE(t.acquire(), slot);
    QCOMPARE(t.size(), std::size_t{1});
    QCOMPARE(int(t[slot].sides[0].state), 0);
    QCOMPARE(int(t[slot].sides[1].windowScale), -1);
    QCOMPARE(int(t[slot].handshake.synCount), 0);
  }

  void statesStayInPlaceWhileGrowing() {
    TcpStateTable t;
    const std::uint32_t first = t.acquire();
    const CompactTcp* firstAddress = &t[first];
    // Several chunks' worth (a chunk holds about 24 000 states).
    constexpr std::uint32_t kCount = 100'000;
    std::vector<std::uint32_t> taken{first};
    for (std::uint32_t i = 1; i < kCount; ++i) taken.push_back(t.acquire());
    for (std::uint32_t i = 0; i < kCount; ++i) t[taken[i]].sides[0].base = i;
    QCOMPARE(&t[first], firstAddress);
    for (std::uint32_t i = 0; i < kCount; ++i) {
      const std::uint32_t base = t[taken[i]].sides[0].base;
      QCOMPARE(base, i);
    }
    QCOMPARE(t.size(), std::size_t{kCount});
    QVERIFY(t.memoryBytes() >= kCount * sizeof(CompactTcp));
  }

  /// With room for one connection, each new one evicts the one before: a TCP connection seen
  /// midstream after a handshake's SYN, a UDP one, then a SYN again.
  void evictedConnectionLeavesNoTcpState() {
    ConnectionAnalyzerConfig config;
    config.maxConnections = 1;
    ConnectionAnalyzer a(config);
    a.process(segment(6, 40000, kOrigin, flag::kSyn));
    a.process(segment(6, 40001, kOrigin + kMs, flag::kAck));
    std::vector<netlens::protocol::ConnectionRecord> out;
    a.collectAll(out);
    QCOMPARE(out.size(), std::size_t{1});
    QCOMPARE(out[0].clientPort, std::uint16_t{40001});
    QCOMPARE(out[0].state, std::string("midstream"));
    QCOMPARE(out[0].c2sTcp.windowScale, -1);

    a.process(segment(17, 40002, kOrigin + 2 * kMs, 0));
    out.clear();
    a.collectAll(out);
    QCOMPARE(out.size(), std::size_t{1});
    QCOMPARE(out[0].protocol, std::uint8_t{17});
    QCOMPARE(out[0].state, std::string());

    a.process(segment(6, 40003, kOrigin + 3 * kMs, flag::kSyn));
    out.clear();
    a.collectAll(out);
    QCOMPARE(out.size(), std::size_t{1});
    QCOMPARE(out[0].state, std::string("syn-sent"));
    QCOMPARE(out[0].c2sTcp.windowScale, 7);
    QCOMPARE(a.evictions(), std::uint64_t{3});
  }

  /// A SYN sent again is a retransmission of the one kept as the first segment, and a third
  /// of the two kept, whichever key side sent them (the client's address below or above the
  /// server's).
  void loggedSegmentsStandForTheirState() {
    for (const char* client : {"10.0.0.1", "10.0.0.3"}) {
      ConnectionAnalyzer a;
      std::vector<netlens::protocol::ConnectionRecord> out;
      for (std::uint64_t n = 1; n <= 3; ++n) {
        a.process(
            segment(6, 40000, kOrigin + static_cast<TimeNs>(n) * 1000 * kMs, flag::kSyn, client));
        out.clear();
        a.collectAll(out);
        QCOMPARE(out.size(), std::size_t{1});
        QCOMPARE(out[0].clientIp.toString(), std::string(client));
        QCOMPARE(out[0].c2sPackets, n);
        QCOMPARE(out[0].c2sTcp.retransmissions, n - 1);
        QCOMPARE(out[0].c2sTcp.windowScale, 7);
        QCOMPARE(out[0].state, std::string("syn-sent"));
      }
    }
  }

  /// A SYN answered by a reset: two segments kept, one from each side.
  void refusedSynKeepsBothSides() {
    ConnectionAnalyzer a;
    a.process(segment(6, 40000, kOrigin, flag::kSyn, "10.0.0.3"));
    a.process(fromServer(kOrigin + kMs, flag::kRst | flag::kAck, 0, 1001, "10.0.0.3"));
    const auto out = records(a);
    QCOMPARE(out.size(), std::size_t{1});
    QCOMPARE(out[0].clientIp.toString(), std::string("10.0.0.3"));
    // The reset's ACK ends the handshake's round trip, as in Wireshark's initial RTT; the
    // connection was still refused.
    QCOMPARE(out[0].state, std::string("rejected"));
    QCOMPARE(out[0].handshakeServerNs, TimeNs{0});
    QCOMPARE(out[0].handshakeClientNs, kMs);
    QCOMPARE(out[0].c2sTcp.windowScale, 7);
  }

  /// A SYN with another sequence number after a kept first segment starts a new connection
  /// (the old one's record kept).
  void newSynAfterFirstSegmentFinishesIt() {
    ConnectionAnalyzer a;
    a.process(segment(6, 40000, kOrigin, flag::kSyn));
    auto again = segment(6, 40000, kOrigin + 1000 * kMs, flag::kSyn);
    again.tcpSeq = 900'000;
    a.process(again);
    std::vector<netlens::protocol::ConnectionRecord> out;
    a.collectAll(out);
    QCOMPARE(out.size(), std::size_t{2});
    for (const auto& r : out) {
      QCOMPARE(r.c2sPackets, std::uint64_t{1});
      QCOMPARE(r.c2sTcp.retransmissions, std::uint64_t{0});
    }
  }

  /// A SYN/ACK older than the kept SYNs (timestamps running backwards) moves the connection's
  /// first time: the SYNs' state is made at their own times before that, so the handshake
  /// runs backwards and reports no round trip, as for any other order of arrival.
  void olderPacketAfterLoggedSegments() {
    ConnectionAnalyzer a;
    a.process(segment(6, 40000, kOrigin + 10 * kMs, flag::kSyn));
    a.process(segment(6, 40000, kOrigin + 1010 * kMs, flag::kSyn));
    a.process(fromServer(kOrigin, flag::kSyn | flag::kAck, 7000, 1001));
    auto ack = segment(6, 40000, kOrigin + 20 * kMs, flag::kAck);
    ack.tcpSeq = 1001;
    ack.tcpAck = 7001;
    a.process(ack);
    const auto out = records(a);
    QCOMPARE(out.size(), std::size_t{1});
    QCOMPARE(out[0].firstSeen, kOrigin);
    QCOMPARE(out[0].clientPort, std::uint16_t{40000});
    QCOMPARE(out[0].state, std::string("established"));
    QCOMPARE(out[0].handshakeServerNs, TimeNs{-1});
    QCOMPARE(out[0].c2sTcp.retransmissions, std::uint64_t{1});
    QCOMPARE(out[0].s2cTcp.retransmissions, std::uint64_t{0});
  }
};

QTEST_GUILESS_MAIN(TestTcpStateTable)
#include "tst_tcp_state_table.moc"
