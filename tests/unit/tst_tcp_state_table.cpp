// SPDX-License-Identifier: MIT
// The side table of the connections' TCP states: a slot starts fresh whether new or reused,
// states stay in place while the table grows past a chunk, and a connection that takes the
// place (and the slot) of an evicted one reports nothing of the evicted one's TCP state.

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

FlowSegment segment(std::uint8_t protocol, std::uint16_t clientPort, TimeNs ts,
                    std::uint8_t flags) {
  FlowSegment f;
  f.ts = ts;
  f.wireLength = 60;
  f.src = *netlens::net::IpAddress::parse("10.0.0.1");
  f.dst = *netlens::net::IpAddress::parse("10.0.0.2");
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
};

QTEST_GUILESS_MAIN(TestTcpStateTable)
#include "tst_tcp_state_table.moc"
