// SPDX-License-Identifier: MIT
// The "connection" criterion of a search: its text (protocol::parseConnectionText and
// formatConnectionText, shared with live captures), the node's matcher on decoded packets
// (both directions, ports, IPv6, protocols without ports, later fragments), the addresses
// the index is asked for, and the request's errors. tests/corpus/tst_store_corpus.cpp checks
// it on captures with tunnels and tags against the node's connection records.

#include <QTest>
#include <string>
#include <vector>

#include "node/store/connection_match.h"
#include "node/store/search_request.h"
#include "shared/decoder/packet_decoder.h"
#include "shared/protocol/param_text.h"
#include "tests/common/hand_packets.h"

using namespace netlens;
using netlens::node::store::ConnectionMatcher;
using protocol::ConnectionText;

namespace {

ConnectionText parsed(const std::string& text) {
  const auto c = protocol::parseConnectionText(text);
  if (!c) qFatal("does not parse: %s", text.c_str());
  return *c;
}

bool matches(const std::vector<std::string>& connections, const tests::Bytes& frame) {
  std::vector<ConnectionText> list;
  for (const auto& text : connections) list.push_back(parsed(text));
  decoder::DecodedPacket d;
  const auto length = static_cast<std::uint32_t>(frame.size());
  decoder::PacketDecoder::decode(1, frame.data(), length, length, 0, d);
  return ConnectionMatcher(list).matches(d);
}

/// `frame` (IPv4 without a tag) as a later fragment: offset 8 bytes, so no transport header.
tests::Bytes laterFragment(tests::Bytes frame) {
  frame[14 + 6] = 0x00;
  frame[14 + 7] = 0x01;
  return frame;
}

}  // namespace

class TestConnectionCriterion : public QObject {
  Q_OBJECT

 private slots:
  void textRoundTrips() {
    for (const char* text :
         {"tcp 10.0.0.1:50000 10.0.0.2:443", "udp [2001:db8::1]:5353 [ff02::fb]:5353",
          "sctp 192.0.2.1:2905 192.0.2.2:2905", "47 10.0.0.1 10.0.0.2",
          "58 2001:db8::1 2001:db8::2"})
      QCOMPARE(protocol::formatConnectionText(parsed(text)), std::string(text));
    const ConnectionText c = parsed("  TCP   10.0.0.1:1   10.0.0.2:2 ");
    QCOMPARE(int(c.protocol), 6);
    QCOMPARE(c.aPort, std::uint16_t(1));
    QCOMPARE(c.bPort, std::uint16_t(2));
    QCOMPARE(int(parsed("icmpv6 2001:db8::1 2001:db8::2").protocol), 58);
    QCOMPARE(int(parsed("gre 10.0.0.1 10.0.0.2").protocol), 47);
    for (const char* bad :
         {"", "tcp", "tcp 10.0.0.1:1", "tcp 10.0.0.1 10.0.0.2", "tcp 10.0.0.1:1 10.0.0.2:65536",
          "tcp 2001:db8::1:80 10.0.0.2:2", "icmp 10.0.0.1:1 10.0.0.2:2", "bogus 10.0.0.1 10.0.0.2",
          "256 10.0.0.1 10.0.0.2", "tcp 10.0.0.1:1 10.0.0.2:2 more"})
      QVERIFY2(!protocol::parseConnectionText(bad), bad);
  }

  void matcher() {
    const auto udp = tests::packet("10.1.2.3", "192.0.2.9", 17, 5060, 5070);
    QVERIFY(matches({"udp 10.1.2.3:5060 192.0.2.9:5070"}, udp));
    QVERIFY(matches({"udp 192.0.2.9:5070 10.1.2.3:5060"}, udp));   // named from the other end
    QVERIFY(!matches({"udp 10.1.2.3:5070 192.0.2.9:5060"}, udp));  // ports swapped
    QVERIFY(!matches({"tcp 10.1.2.3:5060 192.0.2.9:5070"}, udp));
    QVERIFY(!matches({"udp 10.1.2.3:5060 192.0.2.8:5070"}, udp));
    QVERIFY(matches({"tcp 10.0.0.1:1 10.0.0.2:2", "udp 10.1.2.3:5060 192.0.2.9:5070"}, udp));
    QVERIFY(matches({"tcp [2001:db8::2]:443 [2001:db8::1]:50000"},
                    tests::packet("2001:db8::1", "2001:db8::2", 6, 50000, 443)));
    // A protocol without ports: protocol and addresses.
    const auto gre = tests::packet("10.1.2.3", "192.0.2.9", 47, 0, 0);
    QVERIFY(matches({"gre 192.0.2.9 10.1.2.3"}, gre));
    QVERIFY(!matches({"gre 192.0.2.9 10.1.2.4"}, gre));
    QVERIFY(!matches({"udp 10.1.2.3:5060 192.0.2.9:5070"}, gre));
    // A later fragment has no ports: its protocol and addresses are a connection's.
    QVERIFY(matches({"udp 192.0.2.9:1 10.1.2.3:2"}, laterFragment(udp)));
    QVERIFY(!matches({"tcp 192.0.2.9:1 10.1.2.3:2"}, laterFragment(udp)));
    // Not IP.
    tests::Bytes arp = udp;
    arp[12] = 0x08;
    arp[13] = 0x06;
    QVERIFY(!matches({"udp 10.1.2.3:5060 192.0.2.9:5070"}, arp));
  }

  void anchorsAreTheSharedEnds() {
    // An address's connections: the address alone.
    std::vector<ConnectionText> list = {parsed("tcp 10.0.0.9:1000 10.0.0.1:80"),
                                        parsed("tcp 10.0.0.1:80 10.0.0.7:2000"),
                                        parsed("udp 10.0.0.1:53 10.0.0.8:3000")};
    QCOMPARE(ConnectionMatcher::anchors(list),
             std::vector<net::IpAddress>{*net::IpAddress::parse("10.0.0.1")});
    // Unrelated connections: one end of each.
    list = {parsed("tcp 10.0.0.1:1 10.0.0.2:2"), parsed("tcp 10.0.0.3:1 10.0.0.4:2")};
    const auto anchors = ConnectionMatcher::anchors(list);
    QCOMPARE(anchors.size(), std::size_t(2));
    for (const auto& c : list)
      QVERIFY(std::count(anchors.begin(), anchors.end(), c.a) +
                  std::count(anchors.begin(), anchors.end(), c.b) ==
              1);
  }

  void requestErrors() {
    node::store::SearchRequest request;
    std::string problem;
    QVERIFY(node::store::parseSearchRequest(
        {{"connection", "tcp 10.0.0.1:1 10.0.0.2:2, gre 10.0.0.1 10.0.0.2"}}, &request, &problem));
    QCOMPARE(request.criteria.connections.size(), std::size_t(2));
    QVERIFY(request.criteria.usesIndex());
    request = {};
    QVERIFY(!node::store::parseSearchRequest({{"connection", "tcp 10.0.0.1 10.0.0.2"}}, &request,
                                             &problem));
    QVERIFY2(problem.find("parameter connection") != std::string::npos &&
                 problem.find("[ADDR]:PORT") != std::string::npos,
             problem.c_str());
    // An empty list is no criterion, not "every packet".
    request = {};
    QVERIFY(!node::store::parseSearchRequest({{"connection", " , "}}, &request, &problem));
    QVERIFY2(problem.find("parameter connection") != std::string::npos, problem.c_str());
    // More than a search names.
    std::string many;
    for (std::size_t i = 0; i <= protocol::kMaxSearchConnections; ++i)
      many += "udp 10.0.0.1:1 10.0." + std::to_string(i / 65536 % 256) + "." +
              std::to_string(i / 256 % 256) + ":" + std::to_string(i % 256 + 1) + ",";
    request = {};
    QVERIFY(!node::store::parseSearchRequest({{"connection", many}}, &request, &problem));
    QVERIFY2(problem.find("at most 100000") != std::string::npos, problem.c_str());
  }
};

QTEST_GUILESS_MAIN(TestConnectionCriterion)
#include "tst_connection_criterion.moc"
