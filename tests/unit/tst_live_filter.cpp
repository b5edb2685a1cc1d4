// SPDX-License-Identifier: MIT
// Live captures on the node's side: the criteria of "live-start" turned into one BPF
// expression (checked by compiling it with libpcap and running it on hand-built packets),
// and the per-capture buffer and tap the capture threads feed.

#include <QTest>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "node/capture/bpf_filter.h"
#include "node/live/live_filter.h"
#include "node/live/live_tap.h"
#include "shared/net/ip_groups.h"
#include "shared/pcap/pcap_bytes.h"
#include "tests/common/hand_packets.h"

using namespace netlens;
using namespace netlens::node;

namespace {

using Bytes = tests::Bytes;
using tests::packet;

bool matches(const std::string& expression, const Bytes& p) {
  std::string error;
  auto filter = capture::BpfFilter::compile(expression, 1, &error);
  if (!filter) qFatal("%s does not compile: %s", expression.c_str(), error.c_str());
  return filter->matches(p.data(), static_cast<std::uint32_t>(p.size()),
                         static_cast<std::uint32_t>(p.size()));
}

std::string build(const protocol::Params& params, std::string* problem = nullptr) {
  const auto groups = net::IpGroupSet::create(
      {{"lab", {"10.1.0.0/16", "2001:db8::/32"}}, {"dmz", {"192.0.2.0/24"}}}, 32);
  live::LiveFilterSpec spec;
  std::string error;
  if (!live::buildLiveFilter(params, *groups, &spec, &error)) {
    if (problem) *problem = error;
    return "ERROR";
  }
  return spec.filter;
}

}  // namespace

Q_DECLARE_METATYPE(Bytes)
Q_DECLARE_METATYPE(netlens::protocol::Params)

class TestLiveFilter : public QObject {
  Q_OBJECT

 private slots:
  void matching_data() {
    QTest::addColumn<protocol::Params>("params");
    QTest::addColumn<Bytes>("packet");
    QTest::addColumn<bool>("expected");
    const auto udp = packet("10.1.2.3", "192.0.2.9", 17, 5060, 5060);
    QTest::newRow("everything") << protocol::Params{} << udp << true;
    QTest::newRow("host") << protocol::Params{{"host", "192.0.2.9"}} << udp << true;
    QTest::newRow("host, other") << protocol::Params{{"host", "192.0.2.8"}} << udp << false;
    QTest::newRow("hosts as alternatives")
        << protocol::Params{{"host", "192.0.2.8, 192.0.2.9"}} << udp << true;
    QTest::newRow("src-host is the destination")
        << protocol::Params{{"src-host", "192.0.2.9"}} << udp << false;
    QTest::newRow("host and port must both hold")
        << protocol::Params{{"host", "192.0.2.9"}, {"port", "80"}} << udp << false;
    QTest::newRow("proto udp") << protocol::Params{{"proto", "udp"}} << udp << true;
    QTest::newRow("proto tcp,6") << protocol::Params{{"proto", "tcp,6"}} << udp << false;
    QTest::newRow("proto 17 over IPv6") << protocol::Params{{"proto", "17"}}
                                        << packet("2001:db8::1", "2001:db8::2", 17, 1, 2) << true;
    QTest::newRow("group by its IPv4 prefix") << protocol::Params{{"group", "lab"}} << udp << true;
    QTest::newRow("group by its IPv6 prefix")
        << protocol::Params{{"group", "lab"}} << packet("2001:db8::1", "2001:db9::2", 6, 1, 2)
        << true;
    QTest::newRow("group without a member")
        << protocol::Params{{"group", "lab"}} << packet("10.2.0.1", "192.0.2.1", 6, 1, 2) << false;
    QTest::newRow("connection, forward")
        << protocol::Params{{"connection", "udp 10.1.2.3:5060 192.0.2.9:5060"}} << udp << true;
    QTest::newRow("connection, reverse")
        << protocol::Params{{"connection", "UDP 192.0.2.9:5060 10.1.2.3:5060"}} << udp << true;
    QTest::newRow("connection, other port")
        << protocol::Params{{"connection", "udp 10.1.2.3:5061 192.0.2.9:5060"}} << udp << false;
    QTest::newRow("connection, IPv6")
        << protocol::Params{{"connection", "tcp [2001:db8::2]:443 [2001:db8::1]:50000"}}
        << packet("2001:db8::1", "2001:db8::2", 6, 50000, 443) << true;
    QTest::newRow("connection without ports, gre")
        << protocol::Params{{"connection", "gre 192.0.2.9 10.1.2.3"}}
        << packet("10.1.2.3", "192.0.2.9", 47, 0, 0) << true;
    QTest::newRow("connection without ports, other protocol")
        << protocol::Params{{"connection", "gre 192.0.2.9 10.1.2.3"}} << udp << false;
    QTest::newRow("dscp ef, IPv4")
        << protocol::Params{{"dscp", "ef"}} << packet("10.0.0.1", "10.0.0.2", 17, 1, 2, 46) << true;
    QTest::newRow("dscp af41, IPv4 ef") << protocol::Params{{"dscp", "af41"}}
                                        << packet("10.0.0.1", "10.0.0.2", 17, 1, 2, 46) << false;
    QTest::newRow("dscp 34, IPv6 af41")
        << protocol::Params{{"dscp", "34"}} << packet("2001:db8::1", "2001:db8::2", 17, 1, 2, 34)
        << true;
    QTest::newRow("dscp cs6, IPv6 cs5")
        << protocol::Params{{"dscp", "cs6"}} << packet("2001:db8::1", "2001:db8::2", 17, 1, 2, 40)
        << false;
    QTest::newRow("host inside a VLAN tag")
        << protocol::Params{{"host", "192.0.2.9"}}
        << packet("10.1.2.3", "192.0.2.9", 17, 1, 2, 0, 100) << true;
    QTest::newRow("vlan and host") << protocol::Params{{"vlan", "100"}, {"host", "192.0.2.9"}}
                                   << packet("10.1.2.3", "192.0.2.9", 17, 1, 2, 0, 100) << true;
    QTest::newRow("vlan, other id") << protocol::Params{{"vlan", "101"}}
                                    << packet("10.1.2.3", "192.0.2.9", 17, 1, 2, 0, 100) << false;
    QTest::newRow("mac") << protocol::Params{{"src-mac", "00:11:22:33:44:55"}} << udp << true;
    QTest::newRow("dst-mac is the source")
        << protocol::Params{{"dst-mac", "00:11:22:33:44:55"}} << udp << false;
    QTest::newRow("bpf with criteria")
        << protocol::Params{{"bpf", "udp dst port 5060"}, {"host", "10.1.2.3"}} << udp << true;
  }

  void matching() {
    QFETCH(protocol::Params, params);
    QFETCH(Bytes, packet);
    QFETCH(bool, expected);
    std::string problem;
    const std::string filter = build(params, &problem);
    QVERIFY2(filter != "ERROR", problem.c_str());
    QCOMPARE(matches(filter, packet), expected);
  }

  void refused_data() {
    QTest::addColumn<protocol::Params>("params");
    QTest::addColumn<QString>("message");
    QTest::newRow("host name") << protocol::Params{{"host", "example.org"}} << "host";
    QTest::newRow("port too big") << protocol::Params{{"port", "65536"}} << "port";
    QTest::newRow("injection in a port") << protocol::Params{{"port", "80 or 1=1"}} << "port";
    QTest::newRow("no such group") << protocol::Params{{"group", "nope"}} << "group";
    QTest::newRow("connection without protocol")
        << protocol::Params{{"connection", "10.0.0.1:1 10.0.0.2:2"}} << "connection";
    QTest::newRow("connection with icmp")
        << protocol::Params{{"connection", "icmp 10.0.0.1:1 10.0.0.2:2"}} << "connection";
    QTest::newRow("connection with a fourth word")
        << protocol::Params{{"connection", "udp 10.0.0.1:1 10.0.0.2:2 x"}} << "connection";
    QTest::newRow("connection, IPv6 without brackets")
        << protocol::Params{{"connection", "tcp 2001:db8::1:80 2001:db8::2:81"}} << "connection";
    QTest::newRow("dscp 64") << protocol::Params{{"dscp", "64"}} << "dscp";
    QTest::newRow("dscp af44") << protocol::Params{{"dscp", "af44"}} << "dscp";
    QTest::newRow("two vlans") << protocol::Params{{"vlan", "1,2"}} << "vlan";
    QTest::newRow("snaplen 10") << protocol::Params{{"snaplen", "10"}} << "snaplen";
    QTest::newRow("buffer too small") << protocol::Params{{"max-bytes", "100"}} << "max-bytes";
    QTest::newRow("unknown") << protocol::Params{{"payload", "x"}} << "unknown parameter";
    QTest::newRow("regex signature") << protocol::Params{{"payload-regex", "GET|POST"}}
                                     << "live capture does not take payload signatures";
    QTest::newRow("bytecode that jumps out")
        << protocol::Params{{"bpf-code", "2,21 0 5 2048,6 0 0 0"}} << "bpf-code";
    QTest::newRow("empty host") << protocol::Params{{"host", " , "}} << "host";
  }

  void refused() {
    QFETCH(protocol::Params, params);
    QFETCH(QString, message);
    std::string problem;
    QCOMPARE(QString::fromStdString(build(params, &problem)), QString("ERROR"));
    QVERIFY2(QString::fromStdString(problem).contains(message), problem.c_str());
  }

  void badBpfDoesNotCompile() {
    // The node compiles what it built; a bad expression of the client's surfaces there.
    const std::string filter = build({{"bpf", "tcp portx 80"}});
    std::string error;
    QVERIFY(!capture::BpfFilter::compile(filter, 1, &error));
    QVERIFY2(error.find("syntax error") != std::string::npos, error.c_str());
  }

  void bufferBoundsAndDrops() {
    std::vector<live::SourceFilters> filters(2);
    std::string error;
    filters[0].expression = capture::BpfFilter::compile("udp", 1, &error);
    filters[0].tapped = true;
    // filters[1]: a source of another link type, never tapped
    const auto udp = packet("10.0.0.1", "10.0.0.2", 17, 1, 2);
    const auto tcp = packet("10.0.0.1", "10.0.0.2", 6, 1, 2);
    const std::uint64_t record = 16 + udp.size();
    live::LiveCaptureBuffer buffer(1, 1, std::move(filters), 262144, 3 * record);
    const auto size = static_cast<std::uint32_t>(udp.size());
    for (int i = 0; i < 5; ++i) buffer.offer(0, 1, 1000 + i, udp.data(), size, size);
    buffer.offer(0, 1, 2000, tcp.data(), size, size);
    buffer.offer(1, 1, 2001, udp.data(), size, size);
    buffer.offer(0, 113, 2002, udp.data(), size, size);  // another link type in the same source
    auto c = buffer.counters();
    QCOMPARE(c.packets, 3u);
    QCOMPARE(c.dropped, 2u);
    QCOMPARE(c.bufferedBytes, 3 * record);

    bool more = false;
    const std::string first = buffer.take(2 * record - 1, &more);  // whole records only
    QCOMPARE(first.size(), record);
    QVERIFY(more);
    const std::string rest = buffer.take(UINT64_MAX, &more);
    QCOMPARE(rest.size(), 2 * record);
    QVERIFY(!more);
    // Room again after a fetch; the records keep their order and times.
    buffer.offer(0, 1, 3000, udp.data(), size, size);
    const std::string next = buffer.take(UINT64_MAX, &more);
    std::string header(24, '\0');
    const std::uint32_t magic = 0xa1b23c4d, version = 0x00040002, snap = 262144, link = 1;
    std::memcpy(header.data(), &magic, 4);
    std::memcpy(header.data() + 4, &version, 4);
    std::memcpy(header.data() + 16, &snap, 4);
    std::memcpy(header.data() + 20, &link, 4);
    const std::string pcapFile = header + first + rest + next;
    pcap::PcapBytesReader reader(pcapFile);
    QVERIFY2(reader.ok(), reader.error().c_str());
    std::vector<std::int64_t> times;
    pcap::PcapRecord r;
    while (reader.next(&r)) times.push_back(r.timestampNs);
    QVERIFY2(reader.ok(), reader.error().c_str());
    QCOMPARE(times, (std::vector<std::int64_t>{1000, 1001, 1002, 3000}));
    QCOMPARE(buffer.counters().packets, 4u);

    buffer.close();
    buffer.offer(0, 1, 4000, udp.data(), size, size);
    QCOMPARE(buffer.counters().packets, 4u);
    QCOMPARE(buffer.counters().bufferedBytes, 0u);
  }

  void partialTakesKeepOrder() {
    // A small fetch takes the buffer as a whole and serves it in parts: packets captured in
    // the meantime come after the rest, and a fetch of everything returns both.
    std::vector<live::SourceFilters> filters(1);
    filters[0].tapped = true;
    const auto udp = packet("10.0.0.1", "10.0.0.2", 17, 1, 2);
    const auto size = static_cast<std::uint32_t>(udp.size());
    const std::uint64_t record = 16 + udp.size();
    live::LiveCaptureBuffer buffer(1, 1, std::move(filters), 262144, 3 * record);
    for (int i = 0; i < 3; ++i) buffer.offer(0, 1, 1000 + i, udp.data(), size, size);
    bool more = false;
    QCOMPARE(buffer.take(record, &more).size(), record);
    QVERIFY(more);
    // The buffer has room for three new packets while two wait to be served.
    for (int i = 0; i < 3; ++i) buffer.offer(0, 1, 2000 + i, udp.data(), size, size);
    QCOMPARE(buffer.counters().dropped, 0u);
    QCOMPARE(buffer.counters().bufferedBytes, 5 * record);
    const std::string all = buffer.take(UINT64_MAX, &more);
    QCOMPARE(all.size(), 5 * record);
    QVERIFY(!more);
    // Timestamps in order: 1001, 1002, then 2000..2002 (ns, stored as seconds + ns).
    std::vector<std::uint32_t> nanos;
    for (std::size_t at = 0; at < all.size(); at += record) {
      std::uint32_t ns = 0;
      std::memcpy(&ns, all.data() + at + 4, 4);
      nanos.push_back(ns);
    }
    QCOMPARE(nanos, (std::vector<std::uint32_t>{1001, 1002, 2000, 2001, 2002}));
    QCOMPARE(buffer.counters().bufferedBytes, 0u);
  }

  void tapAddsAndRemoves() {
    live::LiveTap tap;
    QVERIFY(!tap.isActive());
    std::string error;
    std::vector<live::SourceFilters> one(1), two(1);
    one[0] = {capture::BpfFilter::compile("udp", 1, &error), nullptr, true};
    // The bytecode of `tcpdump -ddd tcp` on Ethernet (IPv4 only), beside an empty expression.
    two[0] = {nullptr,
              capture::BpfFilter::fromBytecode(
                  "6,40 0 0 12,21 0 3 2048,48 0 0 23,21 0 1 6,6 0 0 262144,6 0 0 0", &error),
              true};
    QVERIFY2(two[0].bytecode, error.c_str());
    auto a = std::make_shared<live::LiveCaptureBuffer>(1, 1, std::move(one), 262144, 1 << 20);
    auto b = std::make_shared<live::LiveCaptureBuffer>(2, 1, std::move(two), 262144, 1 << 20);
    tap.add(a);
    tap.add(b);
    QVERIFY(tap.isActive());
    live::LiveTap::Cursor cursor;
    const auto udp = packet("10.0.0.1", "10.0.0.2", 17, 1, 2);
    const auto size = static_cast<std::uint32_t>(udp.size());
    tap.offer(cursor, 0, 1, 1, udp.data(), size, size);
    QCOMPARE(a->counters().packets, 1u);
    QCOMPARE(b->counters().packets, 0u);
    const auto tcp = packet("10.0.0.1", "10.0.0.2", 6, 1, 2);
    tap.offer(cursor, 0, 1, 1, tcp.data(), size, size);
    QCOMPARE(b->counters().packets, 1u);
    QVERIFY(tap.remove(1));
    QVERIFY(!tap.remove(1));
    // The cursor notices the new set; the removed capture is closed either way.
    tap.offer(cursor, 0, 1, 2, udp.data(), size, size);
    QCOMPARE(a->counters().packets, 1u);
    QVERIFY(tap.remove(2));
    QVERIFY(!tap.isActive());
  }
};

QTEST_GUILESS_MAIN(TestLiveFilter)
#include "tst_live_filter.moc"
