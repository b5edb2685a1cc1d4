// SPDX-License-Identifier: MIT
// Wire protocol, hostile bytes: malformed, truncated at every length and bit-flipped input to
// every decoder must give clear errors, never a crash. Malformed messages are built by hand
// (MsgpackBuilder) so the test does not include msgpack and cannot share a bug with the codec.

#include <QTest>

#include <initializer_list>

#include "tests/common/protocol_fixtures.h"

using namespace netlens;
using namespace netlens::protocol;
using namespace netlens::tests;

Q_DECLARE_METATYPE(Decoder)
Q_DECLARE_METATYPE(std::string)

class TestProtocolHostile : public QObject {
  Q_OBJECT

 private slots:
  void malformed_data();
  void malformed();
  void truncated_data();
  void truncated();
  void bitFlips_data();
  void bitFlips();
};

void TestProtocolHostile::malformed_data() {
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
  // (goodHost starts with an array16 header of 21 fields, 3 bytes, then the 6-byte IP.)
  std::string badIp =
      B().array(2).uint(1).array(1).byte(0xdc).byte(0).byte(21).bin("12345").bytes() +
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

void TestProtocolHostile::malformed() {
  QFETCH(Decoder, decoder);
  QFETCH(std::string, bytes);
  QFETCH(QString, expected);
  const std::string error = decoder(bytes);
  QVERIFY2(!error.empty(), "malformed input was accepted");
  if (!expected.isEmpty()) QCOMPARE(QString::fromStdString(error), expected);
}

void TestProtocolHostile::truncated_data() {
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
  QTest::newRow("RtpStreamList") << decoderFor("RtpStreamList") << encodeBody(sampleRtpStreams());
  QTest::newRow("SipStatistics") << decoderFor("SipStatistics")
                                 << encodeBody(SipStatistics{5, sampleSipCounters()});
  QTest::newRow("CallList") << decoderFor("CallList") << encodeBody(sampleCalls());
}

void TestProtocolHostile::truncated() {
  QFETCH(Decoder, decoder);
  QFETCH(std::string, bytes);
  QVERIFY(decoder(bytes).empty());
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    const std::string error = decoder(std::string_view(bytes).substr(0, n));
    if (error.empty()) QFAIL(qPrintable(QString("prefix of %1 bytes was accepted").arg(n)));
  }
}

void TestProtocolHostile::bitFlips_data() {
  QTest::addColumn<std::string>("bytes");
  HostsSnapshot snap;
  snap.hosts = {sampleHost(1), sampleHost(3)};
  QTest::newRow("snapshot") << encodeBody(snap);
  QTest::newRow("delta") << encodeBody(sampleDelta());
  QTest::newRow("groups") << encodeBody(sampleGroups());
  QTest::newRow("history") << encodeBody(sampleHistory());
  QTest::newRow("rtp") << encodeBody(sampleRtpStreams());
  QTest::newRow("calls") << encodeBody(sampleCalls());
  QTest::newRow("hello reply") << encodeReply(
      makeReply(Request{1, 2, "hello", {}}, encodeBody(sampleHello())));
}

void TestProtocolHostile::bitFlips() {
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

QTEST_GUILESS_MAIN(TestProtocolHostile)
#include "tst_protocol_hostile.moc"
