// SPDX-License-Identifier: MIT
// Connection keys of 16 bytes: IPv4 addresses in the key, IPv6 ones by a number that the
// connections holding it share and that is given back (and given to another address) when
// the last of them goes. Every record must still name its own addresses, whichever numbers
// were freed and reused on the way.

#include <QTest>
#include <set>
#include <string>
#include <vector>

#include "node/analysis/connection_analyzer.h"
#include "shared/decoder/decoded_packet.h"

using namespace netlens::node::analysis;
namespace flag = netlens::decoder::tcpflag;
using netlens::net::IpAddress;
using netlens::protocol::ConnectionRecord;
using netlens::protocol::TimeNs;

namespace {

constexpr TimeNs kOrigin = 1'709'294'400'000'000'000;  // 2024-03-01T12:00:00Z
constexpr TimeNs kMs = 1'000'000;

FlowSegment packet(const std::string& src, std::uint16_t srcPort, const std::string& dst,
                   std::uint16_t dstPort, TimeNs ts, std::uint8_t protocol = 17,
                   std::uint8_t flags = 0, std::uint32_t seq = 1000) {
  FlowSegment f;
  f.ts = ts;
  f.wireLength = 100;
  f.src = *IpAddress::parse(src);
  f.dst = *IpAddress::parse(dst);
  f.srcPort = srcPort;
  f.dstPort = dstPort;
  f.protocol = protocol;
  f.tcpHeaderValid = protocol == 6;
  f.tcpFlags = flags;
  f.tcpSeq = seq;
  f.tcpWindow = 1000;
  return f;
}

std::vector<ConnectionRecord> records(const ConnectionAnalyzer& a) {
  std::vector<ConnectionRecord> out;
  a.collectAll(out);
  return out;
}

std::string ends(const ConnectionRecord& r) {
  return r.clientIp.toString() + "." + std::to_string(r.clientPort) + ">" + r.serverIp.toString() +
         "." + std::to_string(r.serverPort);
}

/// The ends of every connection `a` holds.
std::set<std::string> endsOf(const ConnectionAnalyzer& a) {
  std::set<std::string> out;
  for (const auto& r : records(a)) out.insert(ends(r));
  return out;
}

}  // namespace

class TestConnectionKeys : public QObject {
  Q_OBJECT

 private slots:
  /// Both directions of an IPv4 and of an IPv6 exchange are one connection each, with the
  /// client and server as they were on the wire.
  void bothFamiliesKeepTheirAddresses() {
    ConnectionAnalyzer a;
    a.process(packet("10.1.2.3", 40000, "192.168.0.1", 53, kOrigin));
    a.process(packet("192.168.0.1", 53, "10.1.2.3", 40000, kOrigin + kMs));
    a.process(packet("2001:db8::2", 40000, "2001:db8::1", 53, kOrigin + 2 * kMs));
    a.process(packet("2001:db8::1", 53, "2001:db8::2", 40000, kOrigin + 3 * kMs));
    QCOMPARE(a.size(), std::size_t{2});
    QCOMPARE(a.numberedAddresses(), std::size_t{2});
    std::set<std::string> got;
    for (const auto& r : records(a)) {
      got.insert(ends(r));
      QCOMPARE(r.c2sPackets, std::uint64_t{1});
      QCOMPARE(r.s2cPackets, std::uint64_t{1});
    }
    QCOMPARE(got, (std::set<std::string>{"10.1.2.3.40000>192.168.0.1.53",
                                         "2001:db8::2.40000>2001:db8::1.53"}));
  }

  /// An IPv4 address whose four bytes equal an IPv6 address's number is another endpoint.
  void numberAndIpv4WordDoNotMeet() {
    ConnectionAnalyzer a;
    a.process(packet("2001:db8::1", 5000, "2001:db8::2", 6000, kOrigin));  // numbers 0 and 1
    a.process(packet("0.0.0.0", 5000, "1.0.0.0", 6000, kOrigin + kMs));    // words 0 and 1
    QCOMPARE(a.size(), std::size_t{2});
    QCOMPARE(endsOf(a), (std::set<std::string>{"2001:db8::1.5000>2001:db8::2.6000",
                                               "0.0.0.0.5000>1.0.0.0.6000"}));
  }

  /// With room for two connections, every new one with a new address evicts the oldest: the
  /// numbers of addresses no connection holds any more are given back and reused, and the
  /// connections left name their own addresses.
  void evictionGivesNumbersBack() {
    ConnectionAnalyzerConfig config;
    config.maxConnections = 2;
    ConnectionAnalyzer a(config);
    const std::string server = "2001:db8::53";
    for (int i = 0; i < 50; ++i) {
      const std::string client = "2001:db8:1::" + std::to_string(i + 1);
      a.process(packet(client, 40000, server, 53, kOrigin + i * kMs));
      // The server's number is shared by both connections; each client has its own.
      QVERIFY(a.numberedAddresses() <= 3);
    }
    QCOMPARE(a.size(), std::size_t{2});
    QCOMPARE(a.numberedAddresses(), std::size_t{3});
    QCOMPARE(a.evictions(), std::uint64_t{48});
    QCOMPARE(endsOf(a), (std::set<std::string>{"2001:db8:1::49.40000>2001:db8::53.53",
                                               "2001:db8:1::50.40000>2001:db8::53.53"}));
  }

  /// The last connection holding both addresses evicted by the new one that uses them again
  /// (room for one): the new connection keeps the numbers it was keyed with.
  void evictingTheLastHolderKeepsTheNewKey() {
    ConnectionAnalyzerConfig config;
    config.maxConnections = 1;
    ConnectionAnalyzer a(config);
    a.process(packet("2001:db8::a", 1111, "2001:db8::b", 80, kOrigin, 6, flag::kSyn));
    a.process(packet("2001:db8::a", 2222, "2001:db8::b", 80, kOrigin + kMs, 6, flag::kSyn));
    a.process(packet("2001:db8::c", 3333, "2001:db8::d", 80, kOrigin + 2 * kMs, 6, flag::kSyn));
    a.process(packet("2001:db8::b", 80, "2001:db8::c", 3333, kOrigin + 3 * kMs, 17));
    const auto out = records(a);
    QCOMPARE(out.size(), std::size_t{1});
    QCOMPARE(ends(out[0]), std::string("2001:db8::c.3333>2001:db8::b.80"));
    QCOMPARE(a.numberedAddresses(), std::size_t{2});
  }

  /// A new SYN on a used 5-tuple finishes the old connection (its record kept) and starts
  /// another under the same numbers.
  void reusedFiveTupleKeepsBothRecords() {
    ConnectionAnalyzer a;
    a.process(packet("2001:db8::1", 40000, "2001:db8::2", 443, kOrigin, 6, flag::kSyn, 100));
    a.process(packet("2001:db8::1", 40000, "2001:db8::2", 443, kOrigin + kMs, 6, flag::kSyn, 900));
    QCOMPARE(a.size(), std::size_t{1});
    QCOMPARE(a.numberedAddresses(), std::size_t{2});
    const auto out = records(a);
    QCOMPARE(out.size(), std::size_t{2});
    for (const auto& r : out) QCOMPARE(ends(r), std::string("2001:db8::1.40000>2001:db8::2.443"));
  }

  /// A lookup by ends finds IPv6 connections, and an address no connection has is no match.
  void historyLookupByEnds() {
    ConnectionAnalyzer a;
    a.process(packet("2001:db8::1", 40000, "2001:db8::2", 443, kOrigin, 6, flag::kSyn));
    ConnectionEnds known;
    known.protocol = 6;
    known.x = *IpAddress::parse("2001:db8::2");
    known.xPort = 443;
    known.y = *IpAddress::parse("2001:db8::1");
    known.yPort = 40000;
    std::vector<netlens::protocol::HistoryBucket> buckets;
    bool hasHistory = false;
    bool complete = false;
    QVERIFY(a.connectionHistory(known, Resolution::Second, kOrigin, kOrigin + 1000 * kMs, kOrigin,
                                &buckets, &hasHistory, &complete));
    ConnectionEnds unknown = known;
    unknown.y = *IpAddress::parse("2001:db8::3");
    QVERIFY(!a.connectionHistory(unknown, Resolution::Second, kOrigin, kOrigin + 1000 * kMs,
                                 kOrigin, &buckets, &hasHistory, &complete));
    QCOMPARE(a.numberedAddresses(), std::size_t{2});
  }
};

QTEST_GUILESS_MAIN(TestConnectionKeys)
#include "tst_connection_keys.moc"
