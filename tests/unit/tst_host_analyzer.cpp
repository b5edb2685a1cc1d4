// SPDX-License-Identifier: MIT
// HostAnalyzer on hand-built frames: tunnel counting and MAC attribution, deferred counting
// of headers inside fragments, eviction under the host budget, the dirty list, rates and
// activity periods in packet time.

#include <QTest>
#include <cstdint>
#include <vector>

#include "node/analysis/host_analyzer.h"
#include "shared/decoder/packet_decoder.h"

using namespace netlens;
using Bytes = std::vector<std::uint8_t>;

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
Bytes be16(std::uint32_t v) {
  return {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}
Bytes addr(const char* text) {
  const auto a = net::IpAddress::parse(text);
  return a->isV4() ? Bytes(a->bytes.begin(), a->bytes.begin() + 4)
                   : Bytes(a->bytes.begin(), a->bytes.end());
}
Bytes mac(std::uint8_t last) {
  return {0x02, 0, 0, 0, 0, last};
}
Bytes eth(std::uint8_t dst, std::uint8_t src, std::uint16_t type, const Bytes& payload) {
  return cat({mac(dst), mac(src), be16(type), payload});
}
Bytes ipv4(const char* src, const char* dst, std::uint8_t proto, const Bytes& payload,
           std::uint16_t fragment = 0, std::uint32_t totalLength = 0) {
  const std::uint32_t total = totalLength != 0 ? totalLength : 20 + payload.size();
  return cat({{0x45, 0},
              be16(total),
              be16(77),
              be16(fragment),
              {64, proto, 0, 0},
              addr(src),
              addr(dst),
              payload});
}
Bytes ipv6(const char* src, const char* dst, std::uint8_t next, const Bytes& payload) {
  return cat({{0x60, 0, 0, 0}, be16(payload.size()), {next, 64}, addr(src), addr(dst), payload});
}
Bytes udp(std::uint16_t sport, std::uint16_t dport, const Bytes& payload) {
  return cat({be16(sport), be16(dport), be16(8 + payload.size()), {0, 0}, payload});
}
/// A TCP segment with ACK set, sequence 1000, and `dataLength` bytes of data.
Bytes tcp(std::uint16_t sport, std::uint16_t dport, std::size_t dataLength) {
  return cat({be16(sport),
              be16(dport),
              {0, 0, 0x03, 0xe8},
              {0, 0, 0, 1},
              {0x50, 0x10},
              be16(65535),
              {0, 0, 0, 0},
              Bytes(dataLength, 'd')});
}

class Feeder {
 public:
  explicit Feeder(node::analysis::HostAnalyzerConfig config = {}) : m_analyzer(config) {}
  void feed(const Bytes& frame, std::int64_t ts) {
    decoder::PacketDecoder::decode(decoder::linktype::kEthernet, frame.data(),
                                   static_cast<std::uint32_t>(frame.size()),
                                   static_cast<std::uint32_t>(frame.size()), ts, m_packet);
    m_analyzer.process(m_packet);
  }
  protocol::HostRecord host(const char* ip) const {
    protocol::HostRecord r;
    if (!m_analyzer.findHost(*net::IpAddress::parse(ip), r)) r.ip = net::IpAddress{};
    return r;
  }
  node::analysis::HostAnalyzer& analyzer() { return m_analyzer; }
  /// feed() with the segment process() delivers (false: none).
  bool feedSegment(const Bytes& frame, std::int64_t ts, node::analysis::FlowSegment& segment) {
    decoder::PacketDecoder::decode(decoder::linktype::kEthernet, frame.data(),
                                   static_cast<std::uint32_t>(frame.size()),
                                   static_cast<std::uint32_t>(frame.size()), ts, m_packet);
    return m_analyzer.process(m_packet, &segment);
  }

 private:
  node::analysis::HostAnalyzer m_analyzer;
  decoder::DecodedPacket m_packet;
};

Bytes vxlanFrame() {
  const Bytes inner =
      eth(0x22, 0x21, 0x0800, ipv4("192.168.0.1", "192.168.0.2", 17, udp(1, 2, {'x'})));
  return eth(0x12, 0x11, 0x8100,
             cat({be16(100), be16(0x0800),
                  ipv4("10.0.0.1", "10.0.0.2", 17,
                       udp(40000, 4789, cat({{8, 0, 0, 0}, {0, 0, 1, 0}, inner})))}));
}

}  // namespace

class TestHostAnalyzer : public QObject {
  Q_OBJECT

 private slots:
  void tunnelCountsEveryHeaderWithItsOwnMacs() {
    Feeder f;
    const Bytes frame = vxlanFrame();
    f.feed(frame, 5 * kSecond);
    for (const char* ip : {"10.0.0.1", "10.0.0.2", "192.168.0.1", "192.168.0.2"}) {
      const auto r = f.host(ip);
      QVERIFY2(r.ip.isValid(), ip);
      QCOMPARE(r.txPackets + r.rxPackets, 1u);
      QCOMPARE(r.txBytes + r.rxBytes, frame.size());
      QCOMPARE(r.udpPackets, 1u);
      QCOMPARE(r.macs.size(), std::size_t(1));
    }
    QCOMPARE(f.host("10.0.0.1").macs[0].bytes.back(), std::uint8_t(0x11));
    QCOMPARE(f.host("10.0.0.2").macs[0].bytes.back(), std::uint8_t(0x12));
    QCOMPARE(f.host("192.168.0.1").macs[0].bytes.back(), std::uint8_t(0x21));
    QCOMPARE(f.host("192.168.0.2").macs[0].bytes.back(), std::uint8_t(0x22));
    QCOMPARE(f.host("10.0.0.1").vlans, std::vector<std::uint16_t>{100});
    QVERIFY(f.host("192.168.0.1").vlans.empty());  // the inner segment is untagged
    const auto g = f.analyzer().globalStats();
    QCOMPARE(g.ipv4Packets, 1u);
    QCOMPARE(g.udpPackets, 1u);
    QCOMPARE(g.hostCount, 4u);
  }

  // TCP payload goes to the innermost header's two ends (once for a host talking to itself,
  // on completion for a fragmented segment); retransmissions as connection analysis reports
  // them; SCTP and GRE counted apart from other transports.
  void tcpPayloadRetransmissionsAndTransports() {
    Feeder f;
    node::analysis::FlowSegment segment;
    QVERIFY(f.feedSegment(eth(2, 1, 0x0800, ipv4("10.0.0.1", "10.0.0.2", 6, tcp(40000, 80, 100))),
                          kSecond, segment));
    QCOMPARE(segment.segmentLength, 100u);
    QCOMPARE(f.host("10.0.0.1").tcpPayloadBytes, 100u);
    QCOMPARE(f.host("10.0.0.2").tcpPayloadBytes, 100u);
    f.analyzer().countRetransmission(segment);
    QCOMPARE(f.host("10.0.0.1").tcpRetransPackets, 1u);
    QCOMPARE(f.host("10.0.0.2").tcpRetransPackets, 1u);
    QCOMPARE(f.host("10.0.0.2").tcpRetransBytes, 100u);
    // A retransmission is listed as a change like any update.
    std::vector<protocol::HostRecord> changed;
    std::vector<net::IpAddress> removed;
    f.analyzer().collectChanges(changed, removed);
    f.analyzer().countRetransmission(segment);
    changed.clear();
    f.analyzer().collectChanges(changed, removed);
    QCOMPARE(changed.size(), std::size_t{2});

    f.feed(eth(2, 1, 0x0800, ipv4("10.0.0.3", "10.0.0.3", 6, tcp(1, 2, 10))), kSecond);
    QCOMPARE(f.host("10.0.0.3").tcpPayloadBytes, 10u);

    // 20 bytes of TCP header and 30 of data in two fragments: nothing until the second.
    const Bytes whole = tcp(40001, 80, 30);
    const Bytes first(whole.begin(), whole.begin() + 24);
    const Bytes second(whole.begin() + 24, whole.end());
    f.feed(eth(2, 1, 0x0800, ipv4("10.0.0.4", "10.0.0.5", 6, first, 0x2000)), 2 * kSecond);
    QCOMPARE(f.host("10.0.0.4").tcpPayloadBytes, 0u);
    f.feed(eth(2, 1, 0x0800, ipv4("10.0.0.4", "10.0.0.5", 6, second, 24 / 8)), 2 * kSecond);
    QCOMPARE(f.host("10.0.0.4").tcpPayloadBytes, 30u);
    QCOMPARE(f.host("10.0.0.5").tcpPayloadBytes, 30u);

    // TCP in GRE: the tunnel's ends carry no TCP payload of their own.
    const Bytes inner = ipv4("192.168.1.1", "192.168.1.2", 6, tcp(5, 6, 7));
    f.feed(eth(2, 1, 0x0800, ipv4("10.9.9.1", "10.9.9.2", 47, cat({{0, 0, 0x08, 0x00}, inner}))),
           3 * kSecond);
    QCOMPARE(f.host("192.168.1.1").tcpPayloadBytes, 7u);
    QCOMPARE(f.host("10.9.9.1").tcpPayloadBytes, 0u);
    // GRE with nothing we decode inside, and SCTP, count apart from "other".
    f.feed(eth(2, 1, 0x0800, ipv4("10.9.9.1", "10.9.9.2", 47, {0, 0, 0x12, 0x34, 1, 2})),
           3 * kSecond);
    f.feed(eth(2, 1, 0x0800, ipv4("10.9.9.1", "10.9.9.2", 132, Bytes(12, 0))), 3 * kSecond);
    f.feed(eth(2, 1, 0x0800, ipv4("10.9.9.1", "10.9.9.2", 99, Bytes(4, 0))), 3 * kSecond);
    const auto g = f.analyzer().globalStats();
    QCOMPARE(g.grePackets, 1u);
    QCOMPARE(g.sctpPackets, 1u);
    QCOMPARE(g.otherPackets, 1u);
    QCOMPARE(g.tcpPackets, 5u);
  }

  // Per-IP history slots: given to new hosts while free, taken from the host quiet longest
  // only after a minute of silence, and then that host has no history any more (two hosts
  // never share one); with host-table eviction the slot goes back to the pool.
  void hostHistorySlotsAreLimitedAndReclaimed() {
    node::analysis::HostAnalyzerConfig config;
    config.historyHosts = 1;
    config.maxHosts = 3;
    Feeder f(config);
    const auto frame = [](const char* src, const char* dst) {
      return eth(2, 1, 0x0800, ipv4(src, dst, 17, udp(1, 2, {'x'})));
    };
    const auto history = [&f](const char* ip, bool* complete) {
      return f.analyzer().hostHistory(*net::IpAddress::parse(ip), complete);
    };
    const auto txRx = [](const node::analysis::History* h) {
      std::uint64_t tx = 0, rx = 0;
      for (const auto& b : h->buckets(node::analysis::Resolution::Hour, INT64_MIN, INT64_MAX)) {
        tx += b.values[0];
        rx += b.values[2];
      }
      return std::pair{tx, rx};
    };
    bool complete = false;
    f.feed(frame("10.0.0.1", "10.0.0.2"), 100 * kSecond);  // .1 takes the only slot
    QVERIFY(history("10.0.0.1", &complete) != nullptr);
    QVERIFY(complete);
    QVERIFY(history("10.0.0.2", &complete) == nullptr);
    f.feed(frame("10.0.0.2", "10.0.0.1"), 130 * kSecond);  // .1 busy: .2 still without
    QVERIFY(history("10.0.0.2", &complete) == nullptr);
    QCOMPARE(txRx(history("10.0.0.1", &complete)), (std::pair<std::uint64_t, std::uint64_t>{1, 1}));
    // .1 last used at 130 s; at 191 s it has been quiet for 61 s: .2 takes the slot, late.
    f.feed(frame("10.0.0.2", "10.0.0.9"), 191 * kSecond);
    QVERIFY(history("10.0.0.1", &complete) == nullptr);
    const auto* h2 = history("10.0.0.2", &complete);
    QVERIFY(h2 != nullptr);
    QVERIFY(!complete);
    QCOMPARE(txRx(h2), (std::pair<std::uint64_t, std::uint64_t>{1, 0}));
    QCOMPARE(f.host("10.0.0.2").txPackets, 2u);  // the counters are untouched
    // A fourth host evicts .1 (table of 3), then .2's slot is freed by evicting .2 too.
    f.feed(frame("10.0.0.7", "10.0.0.8"), 200 * kSecond);
    QVERIFY(!f.host("10.0.0.1").ip.isValid());
    QVERIFY(!f.host("10.0.0.2").ip.isValid());
    // .2 left the table, so .8 (new, inserted after .2 was evicted) got its slot from the start.
    QVERIFY(history("10.0.0.8", &complete) != nullptr);
    QVERIFY(complete);
    QCOMPARE(txRx(history("10.0.0.8", &complete)), (std::pair<std::uint64_t, std::uint64_t>{0, 1}));
  }

  void headersInsideIpv4FragmentsCountOnReassembly() {
    Feeder f;
    // GRE (4) + inner IPv4/UDP (29) = 33 bytes of payload: 24 in the first fragment, 9 later.
    const Bytes inner = ipv4("192.168.0.1", "192.168.0.2", 17, udp(1, 2, {'x'}));
    const Bytes payload = cat({{0, 0, 8, 0}, inner});
    const Bytes first =
        eth(2, 1, 0x0800,
            ipv4("10.0.0.1", "10.0.0.2", 47, Bytes(payload.begin(), payload.begin() + 24), 0x2000));
    const Bytes last =
        eth(2, 1, 0x0800,
            ipv4("10.0.0.1", "10.0.0.2", 47, Bytes(payload.begin() + 24, payload.end()), 0x0003));
    f.feed(first, kSecond);
    QCOMPARE(f.host("10.0.0.1").txPackets, 1u);
    QVERIFY(!f.host("192.168.0.1").ip.isValid());  // waits for the datagram
    f.feed(last, 2 * kSecond);
    QCOMPARE(f.host("10.0.0.1").txPackets, 2u);
    QCOMPARE(f.host("192.168.0.1").txPackets, 1u);
    QCOMPARE(f.host("192.168.0.1").txBytes, last.size());  // the completing frame's length
    QCOMPARE(f.analyzer().globalStats().ipv4Fragments, 2u);
  }

  void ipv6FragmentCountsOnlyWhenComplete() {
    Feeder f;
    auto frag = [](std::uint16_t offset, bool more, const Bytes& data) {
      return eth(2, 1, 0x86dd,
                 ipv6("2001:db8::1", "2001:db8::2", 44,
                      cat({{17, 0}, be16(offset | (more ? 1 : 0)), {0, 0, 0, 9}, data})));
    };
    f.feed(frag(0, true, udp(5060, 5060, Bytes(8, 'a'))), kSecond);
    QVERIFY(!f.host("2001:db8::1").ip.isValid());
    const Bytes last = frag(16, false, Bytes(8, 'b'));
    f.feed(last, kSecond + 1);
    QCOMPARE(f.host("2001:db8::1").txPackets, 1u);
    QCOMPARE(f.host("2001:db8::1").txBytes, last.size());
  }

  void budgetEvictsLeastRecentlyUpdated() {
    node::analysis::HostAnalyzerConfig config;
    config.maxHosts = 3;
    Feeder f(config);
    auto packet = [](const char* s, const char* d) {
      return eth(2, 1, 0x0800, ipv4(s, d, 17, udp(1, 2, {'x'})));
    };
    f.feed(packet("10.0.0.1", "10.0.0.2"), 1 * kSecond);
    f.feed(packet("10.0.0.3", "10.0.0.2"), 2 * kSecond);  // 10.0.0.1 is the oldest
    f.feed(packet("10.0.0.4", "10.0.0.2"), 3 * kSecond);
    QCOMPARE(f.analyzer().hostCount(), std::size_t(3));
    QVERIFY(!f.host("10.0.0.1").ip.isValid());
    std::vector<protocol::HostRecord> changed;
    std::vector<net::IpAddress> removed;
    f.analyzer().collectChanges(changed, removed);
    QCOMPARE(removed.size(), std::size_t(1));
    QCOMPARE(removed[0].toString(), std::string("10.0.0.1"));
    QCOMPARE(changed.size(), std::size_t(3));  // 10.0.0.2, .3 and .4 are alive
    QVERIFY(f.host("10.0.0.3").ip.isValid());

    QCOMPARE(f.analyzer().globalStats().hostsEvicted, std::uint64_t(1));
    QCOMPARE(f.analyzer().globalStats().hostsEvictedUpTo, 1 * kSecond);

    QCOMPARE(f.analyzer().evictIdle(3 * kSecond + kSecond / 2, kSecond / 4), std::size_t(3));
    QCOMPARE(f.analyzer().hostCount(), std::size_t(0));
    QCOMPARE(f.analyzer().globalStats().hostsEvicted, std::uint64_t(4));
    QCOMPARE(f.analyzer().globalStats().hostsEvictedUpTo, 3 * kSecond);
  }

  void idleHostsExpireOnPacketTime() {
    node::analysis::HostAnalyzerConfig config;
    config.idleNs = 10 * kSecond;
    Feeder f(config);
    auto packet = [](const char* s, const char* d) {
      return eth(2, 1, 0x0800, ipv4(s, d, 17, udp(1, 2, {'x'})));
    };
    f.feed(packet("10.0.0.1", "10.0.0.2"), 1 * kSecond);
    f.feed(packet("10.0.0.3", "10.0.0.4"), 5 * kSecond);
    f.feed(packet("10.0.0.3", "10.0.0.4"), 11 * kSecond);  // .1 and .2 idle for exactly 10 s
    QCOMPARE(f.analyzer().hostCount(), std::size_t(4));
    QCOMPARE(f.analyzer().globalStats().hostsEvicted, std::uint64_t(0));
    f.feed(packet("10.0.0.3", "10.0.0.4"), 12 * kSecond);  // now longer: both go
    QCOMPARE(f.analyzer().hostCount(), std::size_t(2));
    QVERIFY(!f.host("10.0.0.1").ip.isValid());
    QVERIFY(f.host("10.0.0.3").ip.isValid());
    QCOMPARE(f.analyzer().globalStats().hostsEvicted, std::uint64_t(2));
    QCOMPARE(f.analyzer().globalStats().hostsEvictedUpTo, 1 * kSecond);
    std::vector<protocol::HostRecord> changed;
    std::vector<net::IpAddress> removed;
    f.analyzer().collectChanges(changed, removed);
    QCOMPARE(removed.size(), std::size_t(2));
    // Counters of the whole run stay: only the tables forget.
    QCOMPARE(f.analyzer().globalStats().packets, std::uint64_t(4));
  }

  void changesListOnlyUpdatedHostsAndRateDecay() {
    Feeder f;
    auto packet = [](const char* s, const char* d) {
      return eth(2, 1, 0x0800, ipv4(s, d, 17, udp(1, 2, {'x'})));
    };
    std::vector<protocol::HostRecord> changed;
    std::vector<net::IpAddress> removed;
    f.feed(packet("10.0.0.1", "10.0.0.2"), 10 * kSecond);
    f.feed(packet("10.0.0.1", "10.0.0.2"), 10 * kSecond + 1);
    f.feed(packet("10.0.0.3", "10.0.0.4"), 11 * kSecond);
    f.analyzer().collectChanges(changed, removed);
    QCOMPARE(changed.size(), std::size_t(4));
    for (const auto& r : changed) {
      if (r.ip.toString() == "10.0.0.1") {
        QCOMPARE(r.packetsPerSecond, 2.0);  // second 10 is the last complete one
        QCOMPARE(r.bitsPerSecond, 2.0 * 8 * packet("10.0.0.1", "10.0.0.2").size());
      }
      if (r.ip.toString() == "10.0.0.3") QCOMPARE(r.packetsPerSecond, 0.0);
    }
    changed.clear();
    f.analyzer().collectChanges(changed, removed);
    // Nothing new, but 10.0.0.1/2 reported a rate that must now fall back to zero.
    QCOMPARE(changed.size(), std::size_t(2));
    f.feed(packet("10.0.0.3", "10.0.0.4"), 13 * kSecond);
    changed.clear();
    f.analyzer().collectChanges(changed, removed);
    QCOMPARE(changed.size(), std::size_t(4));
    for (const auto& r : changed) QCOMPARE(r.packetsPerSecond, 0.0);
    changed.clear();
    f.analyzer().collectChanges(changed, removed);
    QVERIFY(changed.empty());
  }

  void inactivityGapStartsNewPeriod() {
    node::analysis::HostAnalyzerConfig config;
    config.inactivityGapNs = 10 * kSecond;
    Feeder f(config);
    const Bytes p = eth(2, 1, 0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, {'x'})));
    f.feed(p, 100 * kSecond);
    f.feed(p, 105 * kSecond);
    QCOMPARE(f.host("10.0.0.1").firstRecent, 100 * kSecond);
    f.feed(p, 120 * kSecond);
    const auto r = f.host("10.0.0.1");
    QCOMPARE(r.firstSeen, 100 * kSecond);
    QCOMPARE(r.firstRecent, 120 * kSecond);
    QCOMPARE(r.lastSeen, 120 * kSecond);
  }

  void malformedIsCountedByReason() {
    Feeder f;
    Bytes bad = eth(2, 1, 0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, {'x'})));
    bad[14] = 0x44;  // header length 16
    f.feed(bad, kSecond);
    f.analyzer().countMalformed(decoder::MalformedReason::CaptureError);
    const auto g = f.analyzer().globalStats();
    QCOMPARE(g.malformed.at("bad-ipv4-header-length"), 1u);
    QCOMPARE(g.malformed.at("capture-error"), 1u);
    QCOMPARE(g.packets, 1u);
    QCOMPARE(g.nonIpPackets, 1u);  // no usable IP header
    QCOMPARE(g.hostCount, 0u);
  }
};

QTEST_APPLESS_MAIN(TestHostAnalyzer)
#include "tst_host_analyzer.moc"
