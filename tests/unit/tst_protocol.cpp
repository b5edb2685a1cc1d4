// SPDX-License-Identifier: MIT
// Wire protocol: round trips of every message, envelope validation, and hostile bytes
// (malformed, truncated at every length, bit flips) that must give clear errors, never a
// crash. Malformed messages are built by hand (MsgpackBuilder) so the test does not
// include msgpack and cannot share a bug with the codec.

#include <QElapsedTimer>
#include <QTest>

#include <cmath>
#include <functional>
#include <limits>

#include "shared/protocol/codec.h"

using namespace netlens;
using namespace netlens::protocol;

namespace {

/// Just enough msgpack writing to craft invalid messages.
class MsgpackBuilder {
 public:
  MsgpackBuilder& map(std::uint8_t n) { return byte(0x80 | n); }
  MsgpackBuilder& array(std::uint8_t n) { return byte(0x90 | n); }
  MsgpackBuilder& str(std::string_view s) {
    byte(0xd9).byte(static_cast<std::uint8_t>(s.size()));
    m_out.append(s);
    return *this;
  }
  MsgpackBuilder& bin(std::string_view s) {
    byte(0xc4).byte(static_cast<std::uint8_t>(s.size()));
    m_out.append(s);
    return *this;
  }
  MsgpackBuilder& uint(std::uint64_t v) {
    byte(0xcf);
    for (int i = 7; i >= 0; --i) byte(static_cast<std::uint8_t>(v >> (8 * i)));
    return *this;
  }
  MsgpackBuilder& int64(std::int64_t v) {
    byte(0xd3);
    for (int i = 7; i >= 0; --i)
      byte(static_cast<std::uint8_t>(static_cast<std::uint64_t>(v) >> (8 * i)));
    return *this;
  }
  MsgpackBuilder& nil() { return byte(0xc0); }
  MsgpackBuilder& raw(std::string_view bytes) {
    m_out.append(bytes);
    return *this;
  }
  MsgpackBuilder& byte(std::uint8_t b) {
    m_out.push_back(static_cast<char>(b));
    return *this;
  }
  std::string bytes() const { return m_out; }

 private:
  std::string m_out;
};

ConnectionList sampleConnections() {
  ConnectionList l;
  l.packetTime = 1'700'000'000'123'456'789;
  l.total = 7;
  ConnectionRecord tcp;
  tcp.protocol = 6;
  tcp.clientIp = *net::IpAddress::parse("10.1.2.3");
  tcp.clientPort = 51000;
  tcp.serverIp = *net::IpAddress::parse("2001:db8::1");
  tcp.serverPort = 443;
  tcp.vlan = 100;
  tcp.firstSeen = 1'700'000'000'000'000'001;
  tcp.lastSeen = 1'700'000'001'000'000'002;
  tcp.c2sPackets = 10;
  tcp.c2sBytes = 1500;
  tcp.s2cPackets = 20;
  tcp.s2cBytes = 30000;
  tcp.c2sBitsPerSecond = 1234.5;
  tcp.c2sTcp = {1, 2, 3, 4, 5000, 65535u << 7, 7};
  tcp.s2cTcp = {0, 0, 0, 9, 0, 64240, -1};
  tcp.handshakeServerNs = 12'345;
  tcp.handshakeClientNs = 678;
  tcp.state = "established";
  tcp.app = "TLS";
  ConnectionRecord udp;
  udp.protocol = 17;
  udp.clientIp = *net::IpAddress::parse("10.0.0.1");
  udp.serverIp = *net::IpAddress::parse("10.0.0.53");
  udp.serverPort = 53;
  l.connections = {tcp, udp};
  return l;
}

HostRecord sampleHost(int i) {
  HostRecord h;
  if (i % 3 == 0) {
    const std::uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
                                 0,    0,    0,    0,    0, 0, 0, static_cast<std::uint8_t>(i)};
    h.ip = net::IpAddress::fromV6(v6);
  } else {
    const std::uint8_t v4[4] = {10, static_cast<std::uint8_t>(i >> 16),
                                static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)};
    h.ip = net::IpAddress::fromV4(v4);
  }
  h.txPackets = static_cast<std::uint64_t>(i) * 3 + 1;
  h.txBytes = static_cast<std::uint64_t>(i) * 1500 + 60;
  h.rxPackets = static_cast<std::uint64_t>(i) * 2;
  h.rxBytes = static_cast<std::uint64_t>(i) * 1000;
  h.tcpPackets = static_cast<std::uint64_t>(i);
  h.udpPackets = 7;
  h.firstSeen = 1'700'000'000'000'000'000LL + i;
  h.firstRecent = h.firstSeen + 5;
  h.lastSeen = h.firstSeen + 1'000'000'000LL;
  h.packetsPerSecond = i * 0.5;
  h.bitsPerSecond = i * 8000.25;
  h.macs = {net::MacAddress{{0x00, 0x11, 0x22, 0x33, 0x44, static_cast<std::uint8_t>(i)}}};
  if (i % 2) h.vlans = {10, static_cast<std::uint16_t>(100 + i % 100)};
  if (i % 5 == 3) h.group = "office-" + std::to_string(i % 7);
  if (i % 3 == 1) h.names = {"www.example.com", "e1234.cdn.example.net"};
  return h;
}

GroupList sampleGroups() {
  GroupList l;
  l.packetTime = 1'700'000'002'000'000'000LL;
  l.maxGroups = 65535;
  GroupRecord office;
  office.name = "office";
  office.prefixes = {"192.168.10.0/24", "2001:db8:10::/48"};
  office.memberCount = 3;
  office.txPackets = 1;
  office.txBytes = 2;
  office.rxPackets = 3;
  office.rxBytes = 4;
  office.tcpPackets = 5;
  office.udpPackets = 6;
  office.firstSeen = -7;
  office.lastSeen = 8;
  office.packetsPerSecond = 9.5;
  office.bitsPerSecond = 10.25;
  office.members = {*net::IpAddress::parse("192.168.10.1"),
                    *net::IpAddress::parse("2001:db8:10::1")};
  GroupRecord empty;
  empty.name = std::string(64, 'x');
  empty.prefixes = {"0.0.0.0/0"};
  l.groups = {office, empty};
  return l;
}

GroupDefinitions sampleDefinitions() {
  return GroupDefinitions{{{"office", {"192.168.10.0/24", "2001:db8:10::/48"}},
                           {"b\xc3\xbcro", {"10.0.0.0/8"}},
                           {"empty-list-is-the-node's-business", {}}}};
}

SourceInfo sampleSource(std::string name) {
  SourceInfo s;
  s.name = std::move(name);
  s.kind = "file";
  s.linkType = 1;
  s.linkTypeName = "EN10MB";
  s.packets = 12345;
  s.captureDrops = 3;
  s.queueDrops = 1;
  s.finished = true;
  s.error = "";
  return s;
}

GlobalStats sampleGlobal() {
  GlobalStats g;
  g.packets = 1000;
  g.bytes = 123456789;
  g.ipv4Packets = 800;
  g.ipv4Bytes = 100000;
  g.ipv6Packets = 150;
  g.ipv6Bytes = 20000;
  g.nonIpPackets = 50;
  g.nonIpBytes = 3000;
  g.tcpPackets = 600;
  g.udpPackets = 300;
  g.icmpPackets = 40;
  g.otherPackets = 10;
  g.ipv4Fragments = 4;
  g.malformed = {{"truncated-ipv4", 2}, {"bad-tcp-offset", 1}};
  g.sources = {sampleSource("a.pcap"), sampleSource("eth0")};
  g.sources[1].kind = "interface";
  g.sources[1].finished = false;
  g.sources[1].error = "device went down";
  g.firstPacket = 1;
  g.lastPacket = -5;  // signed times survive
  g.packetsPerSecond = 12.5;
  g.bitsPerSecond = std::numeric_limits<double>::infinity();
  g.hostCount = 42;
  return g;
}

HostsDelta sampleDelta() {
  HostsDelta d;
  d.sequence = 77;
  d.packetTime = 1'700'000'001'000'000'000LL;
  d.changed = {sampleHost(1), sampleHost(3)};
  d.removed = {sampleHost(2).ip, sampleHost(6).ip, net::IpAddress{}};
  d.global = sampleGlobal();
  return d;
}

Hello sampleHello() {
  Hello h;
  h.nodeName = "probe-1 (rack 4) — ünïcode";
  h.version = "0.1.0";
  h.role = "admin";
  h.publisherPort = 47001;
  h.sources = {sampleSource("eth1")};
  h.inactivityGapNs = 42'000'000'000;
  return h;
}

HistoryReply sampleHistory() {
  HistoryReply h;
  h.series = "2001:db8::7";
  h.resolutionNs = 60'000'000'000;
  h.names = {"tx_packets", "tx_bytes", "rx_packets", "rx_bytes"};
  h.buckets = {{-60'000'000'000, {0, 0, 0, 0}},
               {1'700'000'040'000'000'000, {1, 60, 2, 3000}},
               {1'700'000'100'000'000'000, {std::numeric_limits<std::uint64_t>::max(), 0, 0, 7}}};
  h.packetTime = 1'700'000'123'000'000'001;
  h.complete = false;
  return h;
}

/// A HistoryReply array with two names and the given buckets element (already built).
MsgpackBuilder historyWith(MsgpackBuilder buckets, bool complete = true) {
  MsgpackBuilder b;
  b.array(6).str("global").uint(1'000'000'000).array(2).str("packets").str("bytes");
  b.raw(buckets.bytes()).int64(5);
  b.byte(complete ? 0xc3 : 0xc2);
  return b;
}

/// A Hello array header for `fields` elements and the first six fields, as every node
/// version sends them; append the rest.
MsgpackBuilder helloPrefix(std::uint8_t fields) {
  MsgpackBuilder b;
  b.array(fields).str("old-node").str("0.0.9").uint(kProtocolVersion).str("viewer").uint(7401);
  b.array(0);
  return b;
}

template <class T>
std::string roundTrip(const T& value) {
  const std::string bytes = encodeBody(value);
  Result<T> decoded = decodeBody<T>(bytes);
  if (!decoded) return "decode failed: " + decoded.error();
  if (!(*decoded == value)) return "decoded value differs";
  if (encodeBody(*decoded) != bytes) return "re-encoding differs";
  return {};
}

/// Returns "" when `bytes` decodes (or fails cleanly); used to feed hostile inputs to every
/// decoder. Any crash or exception escapes the test.
using Decoder = std::function<std::string(std::string_view)>;

std::vector<std::pair<const char*, Decoder>> allDecoders() {
  return {
      {"request", [](std::string_view b) { return decodeRequest(b).error(); }},
      {"reply", [](std::string_view b) { return decodeReply(b).error(); }},
      {"HostRecord", [](std::string_view b) { return decodeBody<HostRecord>(b).error(); }},
      {"SourceInfo", [](std::string_view b) { return decodeBody<SourceInfo>(b).error(); }},
      {"GlobalStats", [](std::string_view b) { return decodeBody<GlobalStats>(b).error(); }},
      {"Hello", [](std::string_view b) { return decodeBody<Hello>(b).error(); }},
      {"HostsSnapshot", [](std::string_view b) { return decodeBody<HostsSnapshot>(b).error(); }},
      {"HostsDelta", [](std::string_view b) { return decodeBody<HostsDelta>(b).error(); }},
      {"ErrorReply", [](std::string_view b) { return decodeBody<ErrorReply>(b).error(); }},
      {"ConnectionList", [](std::string_view b) { return decodeBody<ConnectionList>(b).error(); }},
      {"GroupDefinitions",
       [](std::string_view b) { return decodeBody<GroupDefinitions>(b).error(); }},
      {"GroupList", [](std::string_view b) { return decodeBody<GroupList>(b).error(); }},
      {"HistoryReply", [](std::string_view b) { return decodeBody<HistoryReply>(b).error(); }},
  };
}

}  // namespace

Q_DECLARE_METATYPE(std::function<std::string()>)
Q_DECLARE_METATYPE(Decoder)
Q_DECLARE_METATYPE(std::string)

class TestProtocol : public QObject {
  Q_OBJECT

 private slots:
  void registry();
  void bodyRoundTrip_data();
  void bodyRoundTrip();
  void requestRoundTrip();
  void helloFromOlderNode();
  void hostRecordFromOlderNode();
  void replyRoundTrip();
  void malformed_data();
  void malformed();
  void requestErrorCodes_data();
  void requestErrorCodes();
  void truncated_data();
  void truncated();
  void bitFlips_data();
  void bitFlips();
  void largeSnapshot();
};

void TestProtocol::registry() {
  // Ids start at 1 and increase, names unique: the append-only contract. Id 5 is reserved
  // (for "history"), so ids may have that gap.
  QCOMPARE(static_cast<int>(kOperations[0].id), 1);
  for (std::size_t i = 0; i < kOperations.size(); ++i) {
    if (i > 0) QVERIFY(kOperations[i].id > kOperations[i - 1].id);
    for (std::size_t j = i + 1; j < kOperations.size(); ++j)
      QVERIFY(kOperations[i].name != kOperations[j].name);
  }
  QCOMPARE(static_cast<int>(findOperation("groups")->id), 6);
  QVERIFY(!findOperation("groups")->adminOnly);
  QCOMPARE(static_cast<int>(findOperation("set-groups")->id), 7);
  QVERIFY(findOperation("set-groups")->adminOnly);
  QVERIFY(!findOperation("hosts")->adminOnly);
  QCOMPARE(findOperation("hello")->id, OperationId::Hello);
  QCOMPARE(findOperation("hosts")->id, OperationId::Hosts);
  QCOMPARE(findOperation("global")->id, OperationId::Global);
  QCOMPARE(findOperation("history")->id, OperationId::History);
  QCOMPARE(static_cast<int>(OperationId::History), 5);  // on the wire by name; ids for tables
  QVERIFY(findOperation("nope") == nullptr);
  QCOMPARE(operationName(OperationId::Hosts), std::string_view("hosts"));
}

void TestProtocol::bodyRoundTrip_data() {
  QTest::addColumn<std::function<std::string()>>("check");
  using F = std::function<std::string()>;
  QTest::newRow("HostRecord v4") << F([] { return roundTrip(sampleHost(1)); });
  QTest::newRow("HostRecord v6") << F([] { return roundTrip(sampleHost(3)); });
  QTest::newRow("HostRecord empty") << F([] { return roundTrip(HostRecord{}); });
  QTest::newRow("HostRecord extremes") << F([] {
    HostRecord h = sampleHost(2);
    h.txPackets = std::numeric_limits<std::uint64_t>::max();
    h.firstSeen = std::numeric_limits<std::int64_t>::min();
    h.lastSeen = std::numeric_limits<std::int64_t>::max();
    h.packetsPerSecond = -0.0;
    h.bitsPerSecond = 1e300;
    h.macs.clear();
    for (int i = 0; i < 50; ++i) h.macs.push_back(net::MacAddress{{0xff, 0, 0, 0, 0, 0xff}});
    h.vlans = {0, 4095};
    return roundTrip(h);
  });
  QTest::newRow("SourceInfo") << F([] { return roundTrip(sampleSource("captures/x y.pcap")); });
  QTest::newRow("SourceInfo negative link type") << F([] {
    SourceInfo s = sampleSource("x");
    s.linkType = -1;
    return roundTrip(s);
  });
  QTest::newRow("GlobalStats") << F([] { return roundTrip(sampleGlobal()); });
  QTest::newRow("GlobalStats empty") << F([] { return roundTrip(GlobalStats{}); });
  QTest::newRow("Hello") << F([] { return roundTrip(sampleHello()); });
  QTest::newRow("HostsSnapshot empty") << F([] { return roundTrip(HostsSnapshot{}); });
  QTest::newRow("HostsSnapshot") << F([] {
    HostsSnapshot s;
    s.sequence = 9;
    s.epoch = 0xfedcba9876543210ull;
    for (int i = 0; i < 100; ++i) s.hosts.push_back(sampleHost(i));
    return roundTrip(s);
  });
  QTest::newRow("HostsDelta") << F([] { return roundTrip(sampleDelta()); });
  QTest::newRow("HostsDelta with epoch") << F([] {
    HostsDelta d = sampleDelta();
    d.epoch = 42;
    return roundTrip(d);
  });
  QTest::newRow("ErrorReply") << F([] {
    return roundTrip(ErrorReply{ErrorCode::InvalidArgument, "bad filter: ( at 3"});
  });
  QTest::newRow("ConnectionList empty") << F([] { return roundTrip(ConnectionList{}); });
  QTest::newRow("ConnectionList") << F([] { return roundTrip(sampleConnections()); });
  QTest::newRow("HostRecord with group") << F([] { return roundTrip(sampleHost(3)); });
  QTest::newRow("GroupList") << F([] { return roundTrip(sampleGroups()); });
  QTest::newRow("GroupList empty") << F([] { return roundTrip(GroupList{}); });
  QTest::newRow("GroupDefinitions") << F([] { return roundTrip(sampleDefinitions()); });
  QTest::newRow("GroupDefinitions empty") << F([] { return roundTrip(GroupDefinitions{}); });
  QTest::newRow("HistoryReply") << F([] { return roundTrip(sampleHistory()); });
  QTest::newRow("HistoryReply no buckets") << F([] {
    HistoryReply h = sampleHistory();
    h.series = "global";
    h.buckets.clear();
    h.complete = true;
    return roundTrip(h);
  });
}

void TestProtocol::bodyRoundTrip() {
  QFETCH(std::function<std::string()>, check);
  const std::string problem = check();
  QVERIFY2(problem.empty(), problem.c_str());
}

void TestProtocol::requestRoundTrip() {
  Request r;
  r.requestId = 0xFFFFFFFFFFFFFFFFull;
  r.operation = "hosts";
  r.params = {{"filter", "(ip.src == 10.0.0.1)"}, {"bpf", std::string("\0\x01\xff", 3)}};
  Result<Request> d = decodeRequest(encodeRequest(r));
  QVERIFY2(d.ok(), d.error().c_str());
  QCOMPARE(d->version, kProtocolVersion);
  QCOMPARE(d->requestId, r.requestId);
  QCOMPARE(d->operation, r.operation);
  QVERIFY(d->params == r.params);
}

void TestProtocol::helloFromOlderNode() {
  // Hello before inactivityGapNs was appended: six fields, decoded with the default gap.
  Result<Hello> old = decodeBody<Hello>(helloPrefix(6).bytes());
  QVERIFY2(old.ok(), old.error().c_str());
  QCOMPARE(old->nodeName, std::string("old-node"));
  QCOMPARE(old->publisherPort, std::uint16_t(7401));
  QCOMPARE(old->inactivityGapNs, kDefaultInactivityGapNs);
  QCOMPARE(kDefaultInactivityGapNs, TimeNs(300'000'000'000));
  // And a newer node's extra fields after it are ignored.
  Result<Hello> newer =
      decodeBody<Hello>(helloPrefix(8).int64(60'000'000'000).str("future field").bytes());
  QVERIFY2(newer.ok(), newer.error().c_str());
  QCOMPARE(newer->inactivityGapNs, TimeNs(60'000'000'000));
}

void TestProtocol::hostRecordFromOlderNode() {
  // A HostRecord before `group` was appended: 14 fields, decoded with no group.
  HostRecord h = sampleHost(3);
  QVERIFY(!h.group.empty());
  MsgpackBuilder b;
  b.array(14).bin(std::string(reinterpret_cast<const char*>(h.ip.bytes.data()), 16));
  for (std::uint64_t v :
       {h.txPackets, h.txBytes, h.rxPackets, h.rxBytes, h.tcpPackets, h.udpPackets})
    b.uint(v);
  b.int64(h.firstSeen).int64(h.firstRecent).int64(h.lastSeen).uint(1).uint(2).bin("").array(0);
  Result<HostRecord> old = decodeBody<HostRecord>(b.bytes());
  QVERIFY2(old.ok(), old.error().c_str());
  QCOMPARE(old->ip, h.ip);
  QCOMPARE(old->lastSeen, h.lastSeen);
  QCOMPARE(old->group, std::string());
  // The group is the 15th element of what this node sends, the names the 16th.
  const std::string bytes = encodeBody(h);
  QCOMPARE(static_cast<unsigned char>(bytes[0]), 0xdc);  // array16 ...
  QCOMPARE(static_cast<unsigned char>(bytes[2]), 16);    // ... of 16
  QVERIFY(bytes.find(h.group) != std::string::npos);
}

void TestProtocol::replyRoundTrip() {
  Request req;
  req.requestId = 5;
  req.operation = "hello";
  const std::string body = encodeBody(sampleHello());
  Result<Reply> ok = decodeReply(encodeReply(makeReply(req, body)));
  QVERIFY2(ok.ok(), ok.error().c_str());
  QVERIFY(!ok->isError());
  QCOMPARE(ok->requestId, std::uint64_t(5));
  QCOMPARE(ok->operation, std::string("hello"));
  QCOMPARE(ok->body, body);
  QVERIFY(*decodeBody<Hello>(ok->body) == sampleHello());

  Result<Reply> err = decodeReply(
      encodeReply(makeErrorReply(6, "hosts", ErrorCode::NotAuthorised, "viewers may not do this")));
  QVERIFY2(err.ok(), err.error().c_str());
  QVERIFY(err->isError());
  QCOMPARE(err->requestId, std::uint64_t(6));
  QCOMPARE(err->error->code, ErrorCode::NotAuthorised);
  QCOMPARE(err->error->message, std::string("viewers may not do this"));
  QVERIFY(err->body.empty());
  QCOMPARE(errorCodeName(ErrorCode::NotAuthorised), std::string_view("not authorised"));
}

void TestProtocol::malformed_data() {
  QTest::addColumn<Decoder>("decoder");
  QTest::addColumn<std::string>("bytes");
  QTest::addColumn<QString>("expected");  // exact error text
  const auto request = [](std::string_view b) { return decodeRequest(b).error(); };
  const auto reply = [](std::string_view b) { return decodeReply(b).error(); };
  const auto snapshot = [](std::string_view b) { return decodeBody<HostsSnapshot>(b).error(); };
  const auto host = [](std::string_view b) { return decodeBody<HostRecord>(b).error(); };
  const auto delta = [](std::string_view b) { return decodeBody<HostsDelta>(b).error(); };
  using B = MsgpackBuilder;
  const std::string goodHost = encodeBody(sampleHost(1));

  QTest::newRow("empty") << Decoder(request) << std::string() << "request: empty message";
  QTest::newRow("reserved byte 0xc1")
      << Decoder(request) << std::string("\xc1", 1) << "request: not valid msgpack";
  QTest::newRow("array not map") << Decoder(request) << B().array(0).bytes()
                                 << "request: expected a map, got an array";
  QTest::newRow("missing version")
      << Decoder(request) << B().map(2).str("id").uint(1).str("op").str("hello").bytes()
      << "request.v: missing (protocol version)";
  QTest::newRow("version is a string")
      << Decoder(request)
      << B().map(3).str("v").str("1").str("id").uint(1).str("op").str("hello").bytes()
      << "request.v: expected an unsigned integer, got a string";
  QTest::newRow("wrong version")
      << Decoder(request)
      << B().map(3).str("v").uint(2).str("id").uint(1).str("op").str("hello").bytes()
      << "request: protocol version 2 is not supported (this side speaks 1); install the same "
         "Netlens version on node and console";
  QTest::newRow("unknown op")
      << Decoder(request)
      << B().map(3).str("v").uint(1).str("id").uint(1).str("op").str("frob").bytes()
      << "request: unknown operation \"frob\"";
  QTest::newRow("missing id") << Decoder(request)
                              << B().map(2).str("v").uint(1).str("op").str("hello").bytes()
                              << "request.id: missing (request id)";
  QTest::newRow("duplicate key") << Decoder(request)
                                 << B().map(4)
                                        .str("v")
                                        .uint(1)
                                        .str("v")
                                        .uint(1)
                                        .str("id")
                                        .uint(1)
                                        .str("op")
                                        .str("hello")
                                        .bytes()
                                 << "request.v: appears twice";
  QTest::newRow("param not a string") << Decoder(request)
                                      << B().map(4)
                                             .str("v")
                                             .uint(1)
                                             .str("id")
                                             .uint(1)
                                             .str("op")
                                             .str("hello")
                                             .str("p")
                                             .map(1)
                                             .str("x")
                                             .nil()
                                             .bytes()
                                      << "request.p.x: expected a string, got nil";
  QTest::newRow("trailing bytes")
      << Decoder(request)
      << B().map(3).str("v").uint(1).str("id").uint(1).str("op").str("hello").byte(0).bytes()
      << "request: 1 unexpected bytes after the message";
  QTest::newRow("array claims 4 billion elements")
      << Decoder(snapshot) << std::string("\xdd\xff\xff\xff\xff\x01", 6)
      << "HostsSnapshot: a length field is larger than the message itself";
  QTest::newRow("string claims 4 GB") << Decoder(request) << std::string("\xdb\xff\xff\xff\xff", 5)
                                      << "request: truncated message (5 bytes)";
  QTest::newRow("nested too deeply")
      << Decoder(snapshot) << std::string(200, '\x91') + std::string("\x90", 1)
      << "HostsSnapshot: nested too deeply";
  QTest::newRow("reply with body and error") << Decoder(reply)
                                             << B().map(5)
                                                    .str("v")
                                                    .uint(1)
                                                    .str("id")
                                                    .uint(1)
                                                    .str("op")
                                                    .str("hello")
                                                    .str("body")
                                                    .bin("")
                                                    .str("err")
                                                    .array(2)
                                                    .uint(1)
                                                    .str("x")
                                                    .bytes()
                                             << "reply: has both a body and an error";
  QTest::newRow("reply with neither")
      << Decoder(reply)
      << B().map(3).str("v").uint(1).str("id").uint(1).str("op").str("hello").bytes()
      << "reply: has neither a body nor an error";
  QTest::newRow("reply error code too big")
      << Decoder(reply)
      << B().map(4)
             .str("v")
             .uint(1)
             .str("id")
             .uint(1)
             .str("op")
             .str("hello")
             .str("err")
             .array(2)
             .uint(70000)
             .str("x")
             .bytes()
      << "reply.err.code: 70000 is out of range (maximum 65535)";
  // A HostRecord with its first field replaced: 5-byte IP.
  // (goodHost starts with an array16 header of 16 fields, 3 bytes, then the 6-byte IP.)
  std::string badIp =
      B().array(2).uint(1).array(1).byte(0xdc).byte(0).byte(16).bin("12345").bytes() +
      goodHost.substr(3 + 6);
  QTest::newRow("5-byte IP in snapshot")
      << Decoder(snapshot) << badIp << "HostsSnapshot.hosts[0].ip: expected 4 or 16 bytes, got 5";
  QTest::newRow("host record too short")
      << Decoder(host) << B().array(3).bin("1234").uint(1).uint(2).bytes()
      << "HostRecord: expected at least 14 elements, got 3";
  {
    HostRecord h = sampleHost(0);
    h.vlans = {5000};
    QTest::newRow("VLAN out of range")
        << Decoder(host) << encodeBody(h)
        << "HostRecord.vlans[0]: VLAN id 5000 is out of range (0-4095)";
  }
  {
    std::string bytes = encodeBody(sampleDelta());
    // removed[1] is a 16-byte IPv6 (bin8 header c4 10): make it claim 15 bytes, which
    // leaves one byte over and shifts every following field.
    const auto at = bytes.find(std::string("\xc4\x10", 2));
    bytes[at + 1] = 15;
    QTest::newRow("delta with shifted fields") << Decoder(delta) << bytes << "";
  }
  const auto hello = [](std::string_view b) { return decodeBody<Hello>(b).error(); };
  QTest::newRow("Hello too short")
      << Decoder(hello)
      << B().array(5).str("n").str("v").uint(kProtocolVersion).str("viewer").uint(1).bytes()
      << "Hello: expected at least 6 elements, got 5";
  QTest::newRow("Hello gap zero")
      << Decoder(hello) << helloPrefix(7).uint(0).bytes()
      << "Hello.inactivityGapNs: 0 is out of range (1 to 31622400000000000 ns)";
  QTest::newRow("Hello gap negative")
      << Decoder(hello) << helloPrefix(7).int64(-300'000'000'000).bytes()
      << "Hello.inactivityGapNs: -300000000000 is out of range (1 to 31622400000000000 ns)";
  QTest::newRow("Hello gap too large")
      << Decoder(hello) << helloPrefix(7).uint(kMaxInactivityGapNs + 1).bytes()
      << "Hello.inactivityGapNs: 31622400000000001 is out of range (1 to 31622400000000000 ns)";
  QTest::newRow("Hello gap not a number")
      << Decoder(hello) << helloPrefix(7).str("300").bytes() << "";
  {
    HostRecord h = sampleHost(4);
    h.names.assign(9, "n.example");
    QTest::newRow("host with too many names")
        << Decoder(host) << encodeBody(h) << "HostRecord.names: more than 8 names";
    h.names = {std::string(256, 'n')};
    QTest::newRow("host name too long")
        << Decoder(host) << encodeBody(h) << "HostRecord.names[0]: longer than 255 bytes";
  }
  {
    HostRecord h = sampleHost(3);
    h.group = std::string(65, 'g');
    QTest::newRow("host group name too long")
        << Decoder(host) << encodeBody(h) << "HostRecord.group: longer than 64 bytes";
  }
  const auto defs = [](std::string_view b) { return decodeBody<GroupDefinitions>(b).error(); };
  const auto list = [](std::string_view b) { return decodeBody<GroupList>(b).error(); };
  QTest::newRow("group name empty")
      << Decoder(defs) << B().array(1).array(1).array(2).str("").array(0).bytes()
      << "GroupDefinitions.groups[0].name: must be 1 to 64 bytes long, got 0";
  QTest::newRow("group name too long")
      << Decoder(defs) << B().array(1).array(1).array(2).str(std::string(65, 'n')).array(0).bytes()
      << "GroupDefinitions.groups[0].name: must be 1 to 64 bytes long, got 65";
  QTest::newRow("prefix not a string")
      << Decoder(defs)
      << B().array(1).array(1).array(2).str("a").array(2).str("10.0.0.0/8").uint(8).bytes()
      << "GroupDefinitions.groups[0].prefixes[1]: expected a string, got an unsigned integer";
  QTest::newRow("prefix empty")
      << Decoder(defs) << B().array(1).array(1).array(2).str("a").array(1).str("").bytes()
      << "GroupDefinitions.groups[0].prefixes[0]: not a prefix (1 to 64 characters)";
  QTest::newRow("definition too short")
      << Decoder(defs) << B().array(1).array(1).array(1).str("a").bytes()
      << "GroupDefinitions.groups[0]: expected at least 2 elements, got 1";
  {
    // 65536 groups of the smallest valid encoding: over the hard limit before decoding them.
    std::string many = B().array(1).byte(0xdd).byte(0).byte(1).byte(0).byte(0).bytes();
    for (int i = 0; i < 65536; ++i) many += B().array(2).str("a").array(0).bytes();
    QTest::newRow("too many groups")
        << Decoder(defs) << many << "GroupDefinitions.groups: more than 65535 groups";
  }
  {
    std::string many =
        B().array(1).array(1).array(2).str("a").byte(0xdc).byte(0x10).byte(1).bytes();
    for (int i = 0; i < 4097; ++i) many += B().str("1").bytes();
    QTest::newRow("too many prefixes")
        << Decoder(defs) << many << "GroupDefinitions.groups[0].prefixes: more than 4096 prefixes";
  }
  {
    GroupList l = sampleGroups();
    l.groups[0].memberCount = 1;  // two members listed
    QTest::newRow("more members than the count")
        << Decoder(list) << encodeBody(l)
        << "GroupList.groups[0].members: 2 addresses for a member count of 1";
    l = sampleGroups();
    l.maxGroups = 0;
    QTest::newRow("max groups zero")
        << Decoder(list) << encodeBody(l) << "GroupList.maxGroups: 0 is out of range (1 to 65535)";
    l = sampleGroups();
    l.groups[0].members.push_back(net::IpAddress{});
    l.groups[0].memberCount = 3;
    QTest::newRow("member without address")
        << Decoder(list) << encodeBody(l)
        << "GroupList.groups[0].members[2]: expected 4 or 16 bytes, got 0";
  }

  const auto history = [](std::string_view b) { return decodeBody<HistoryReply>(b).error(); };
  const auto bucket = [](std::int64_t start, std::initializer_list<std::uint64_t> values) {
    B b;
    b.array(2).int64(start).array(static_cast<std::uint8_t>(values.size()));
    for (auto v : values) b.uint(v);
    return b.bytes();
  };
  QTest::newRow("History too short")
      << Decoder(history) << B().array(5).str("global").uint(1).array(0).array(0).int64(0).bytes()
      << "HistoryReply: expected at least 6 elements, got 5";
  QTest::newRow("History value count")
      << Decoder(history)
      << historyWith(B().array(2).raw(bucket(0, {1, 2})).raw(bucket(1, {1, 2, 3}))).bytes()
      << "HistoryReply.buckets[1].values: expected 2 values (one per name), got 3";
  QTest::newRow("History starts not increasing")
      << Decoder(history)
      << historyWith(B().array(2).raw(bucket(5, {1, 2})).raw(bucket(5, {1, 2}))).bytes()
      << "HistoryReply.buckets[1].start: buckets must be in increasing time order";
  QTest::newRow("History negative value")
      << Decoder(history)
      << historyWith(B().array(1).array(2).int64(0).array(2).uint(1).int64(-1)).bytes()
      << "HistoryReply.buckets[0].values: expected an unsigned integer, got a negative integer";
  QTest::newRow("History no names")
      << Decoder(history)
      << B().array(6).str("global").uint(1).array(0).array(0).int64(0).byte(0xc3).bytes()
      << "HistoryReply.names: expected 1 to 256 names, got 0";
  QTest::newRow("History zero resolution")
      << Decoder(history)
      << B().array(6).str("global").uint(0).array(1).str("p").array(0).int64(0).byte(0xc3).bytes()
      << "HistoryReply.resolutionNs: must be positive";
  QTest::newRow("History complete not bool")
      << Decoder(history)
      << B().array(6).str("global").uint(1).array(1).str("p").array(0).int64(0).uint(1).bytes()
      << "HistoryReply.complete: expected a boolean, got an unsigned integer";
}

void TestProtocol::malformed() {
  QFETCH(Decoder, decoder);
  QFETCH(std::string, bytes);
  QFETCH(QString, expected);
  const std::string error = decoder(bytes);
  QVERIFY2(!error.empty(), "malformed input was accepted");
  if (!expected.isEmpty()) QCOMPARE(QString::fromStdString(error), expected);
}

void TestProtocol::requestErrorCodes_data() {
  QTest::addColumn<std::string>("bytes");
  QTest::addColumn<int>("code");
  QTest::addColumn<quint64>("requestId");
  using B = MsgpackBuilder;
  QTest::newRow("garbage") << std::string("\xc1") << int(ErrorCode::BadRequest) << quint64(0);
  QTest::newRow("version")
      << B().map(3).str("v").uint(9).str("id").uint(41).str("op").str("hello").bytes()
      << int(ErrorCode::UnsupportedVersion) << quint64(41);
  QTest::newRow("unknown op")
      << B().map(3).str("v").uint(1).str("id").uint(42).str("op").str("zz").bytes()
      << int(ErrorCode::UnknownOperation) << quint64(42);
  QTest::newRow("bad params") << B().map(4)
                                     .str("v")
                                     .uint(1)
                                     .str("id")
                                     .uint(43)
                                     .str("op")
                                     .str("hello")
                                     .str("p")
                                     .array(0)
                                     .bytes()
                              << int(ErrorCode::BadRequest) << quint64(43);
}

void TestProtocol::requestErrorCodes() {
  QFETCH(std::string, bytes);
  QFETCH(int, code);
  QFETCH(quint64, requestId);
  ErrorCode got = ErrorCode::Internal;
  std::uint64_t id = 0;
  QVERIFY(!decodeRequest(bytes, &got, &id).ok());
  QCOMPARE(int(got), code);
  QCOMPARE(quint64(id), requestId);
}

void TestProtocol::truncated_data() {
  QTest::addColumn<Decoder>("decoder");
  QTest::addColumn<std::string>("bytes");
  const auto decoders = allDecoders();
  auto decoderFor = [&](std::string_view name) {
    for (const auto& [n, d] : decoders)
      if (n == name) return d;
    return Decoder();
  };
  Request req;
  req.requestId = 1234567;
  req.operation = "hosts";
  req.params = {{"a", "b"}};
  HostsSnapshot snap;
  snap.sequence = 3;
  snap.hosts = {sampleHost(1), sampleHost(3)};
  QTest::newRow("request") << decoderFor("request") << encodeRequest(req);
  QTest::newRow("reply") << decoderFor("reply") << encodeReply(makeReply(req, encodeBody(snap)));
  QTest::newRow("error reply") << decoderFor("reply")
                               << encodeReply(makeErrorReply(1, "x", ErrorCode::Internal, "e"));
  QTest::newRow("HostRecord") << decoderFor("HostRecord") << encodeBody(sampleHost(4));
  QTest::newRow("GlobalStats") << decoderFor("GlobalStats") << encodeBody(sampleGlobal());
  QTest::newRow("Hello") << decoderFor("Hello") << encodeBody(sampleHello());
  QTest::newRow("HostsSnapshot") << decoderFor("HostsSnapshot") << encodeBody(snap);
  QTest::newRow("HostsDelta") << decoderFor("HostsDelta") << encodeBody(sampleDelta());
  QTest::newRow("ErrorReply") << decoderFor("ErrorReply")
                              << encodeBody(ErrorReply{ErrorCode::Internal, "boom"});
  QTest::newRow("ConnectionList") << decoderFor("ConnectionList")
                                  << encodeBody(sampleConnections());
  QTest::newRow("GroupList") << decoderFor("GroupList") << encodeBody(sampleGroups());
  QTest::newRow("GroupDefinitions")
      << decoderFor("GroupDefinitions") << encodeBody(sampleDefinitions());
  QTest::newRow("HistoryReply") << decoderFor("HistoryReply") << encodeBody(sampleHistory());
}

void TestProtocol::truncated() {
  QFETCH(Decoder, decoder);
  QFETCH(std::string, bytes);
  QVERIFY(decoder(bytes).empty());
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    const std::string error = decoder(std::string_view(bytes).substr(0, n));
    if (error.empty()) QFAIL(qPrintable(QString("prefix of %1 bytes was accepted").arg(n)));
  }
}

void TestProtocol::bitFlips_data() {
  QTest::addColumn<std::string>("bytes");
  HostsSnapshot snap;
  snap.hosts = {sampleHost(1), sampleHost(3)};
  QTest::newRow("snapshot") << encodeBody(snap);
  QTest::newRow("delta") << encodeBody(sampleDelta());
  QTest::newRow("groups") << encodeBody(sampleGroups());
  QTest::newRow("history") << encodeBody(sampleHistory());
  QTest::newRow("hello reply") << encodeReply(
      makeReply(Request{1, 2, "hello", {}}, encodeBody(sampleHello())));
}

void TestProtocol::bitFlips() {
  // Every byte replaced by a few interesting values, fed to every decoder: only clean
  // success or a non-empty error is allowed (ASan runs catch memory errors).
  QFETCH(std::string, bytes);
  const auto decoders = allDecoders();
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    for (std::uint8_t v : {0x00, 0x7f, 0xc1, 0xdd, 0xff}) {
      std::string mutated = bytes;
      mutated[i] = static_cast<char>(v);
      for (const auto& [name, decode] : decoders) (void)decode(mutated);
    }
  }
}

void TestProtocol::largeSnapshot() {
  // 500 000 hosts: what a busy node serves. Correctness only; the timings are printed for
  // the record (speed is measured by benchmarks, never asserted in tests).
  HostsSnapshot snap;
  snap.sequence = 1;
  snap.hosts.reserve(500'000);
  for (int i = 0; i < 500'000; ++i) snap.hosts.push_back(sampleHost(i));
  QElapsedTimer timer;
  timer.start();
  const std::string bytes = encodeBody(snap);
  const qint64 encodeMs = timer.restart();
  Request req{kProtocolVersion, 1, "hosts", {}};
  const std::string envelope = encodeReply(makeReply(req, bytes));
  Result<Reply> reply = decodeReply(envelope);
  QVERIFY(reply.ok());
  const qint64 envelopeMs = timer.restart();
  Result<HostsSnapshot> back = decodeBody<HostsSnapshot>(reply->body);
  const qint64 decodeMs = timer.elapsed();
  QVERIFY2(back.ok(), back.error().c_str());
  QCOMPARE(back->hosts.size(), snap.hosts.size());
  QVERIFY(back->hosts[499'999] == snap.hosts[499'999]);
  qInfo("500k hosts: %zu bytes, encode %lld ms, envelope %lld ms, decode %lld ms", bytes.size(),
        encodeMs, envelopeMs, decodeMs);
}

QTEST_GUILESS_MAIN(TestProtocol)
#include "tst_protocol.moc"
