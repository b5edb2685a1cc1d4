// SPDX-License-Identifier: MIT
// Wire protocol, bodies: round trips of every message, bodies from older nodes (append-only
// layouts), and a snapshot of the size a busy node serves.

#include <QElapsedTimer>
#include <QTest>
#include <msgpack.hpp>

#include <functional>
#include <limits>

#include "tests/common/protocol_fixtures.h"

using namespace netlens;
using namespace netlens::protocol;
using namespace netlens::tests;

Q_DECLARE_METATYPE(std::function<std::string()>)

class TestProtocolBodies : public QObject {
  Q_OBJECT

 private slots:
  void bodyRoundTrip_data();
  void bodyRoundTrip();
  void helloFromOlderNode();
  void hostRecordFromOlderNode();
  void globalFromOlderNode();
  void groupFromOlderNode();
  void connectionFromOlderNode();
  void searchReplyFromOlderNode();
  void invalidAnnotationsRefused();
  void largeSnapshot();
};

void TestProtocolBodies::bodyRoundTrip_data() {
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
    h.macVendors.assign(h.macs.size(), std::string(255, 'v'));
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
  QTest::newRow("SearchReply") << F([] {
    SearchReply r;
    r.packets = 3;
    r.packetsRead = 5;
    r.truncated = true;
    SearchSession tcp;
    tcp.protocol = 6;
    tcp.a = *net::IpAddress::parse("10.0.0.1");
    tcp.aPort = 40000;
    tcp.b = *net::IpAddress::parse("2001:db8::1");
    tcp.bPort = 443;
    tcp.packets = 2;
    tcp.bytes = 3000;
    tcp.firstSeen = 1;
    tcp.lastSeen = -2;
    tcp.sources = {"eth0", "capture.pcap"};
    r.sessions = {tcp, SearchSession{}};  // the second: packets without IP
    r.linkType = 276;
    r.pcap = std::string("\xd4\xc3\xb2\xa1\0binary", 11);
    r.resume = "12:4096";
    r.estimatedPackets = 1'000'000'000'000;
    r.sessionScanRead = 12345;
    r.sessionScanEstimate = 99999;
    return roundTrip(r);
  });
  QTest::newRow("SearchReply empty") << F([] { return roundTrip(SearchReply{}); });
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
  QTest::newRow("RtpStreamList") << F([] { return roundTrip(sampleRtpStreams()); });
  QTest::newRow("RtpStreamList empty") << F([] { return roundTrip(RtpStreamList{}); });
  QTest::newRow("SipStatistics") << F([] {
    return roundTrip(SipStatistics{7, sampleSipCounters()});
  });
  QTest::newRow("SipStatistics empty") << F([] { return roundTrip(SipStatistics{}); });
  QTest::newRow("CallList") << F([] { return roundTrip(sampleCalls()); });
  QTest::newRow("CallList empty") << F([] { return roundTrip(CallList{}); });
  QTest::newRow("HistoryReply no buckets") << F([] {
    HistoryReply h = sampleHistory();
    h.series = "global";
    h.buckets.clear();
    h.complete = true;
    return roundTrip(h);
  });
}

void TestProtocolBodies::bodyRoundTrip() {
  QFETCH(std::function<std::string()>, check);
  const std::string problem = check();
  QVERIFY2(problem.empty(), problem.c_str());
}

void TestProtocolBodies::helloFromOlderNode() {
  // Hello before inactivityGapNs was appended: six fields, decoded with the default gap.
  Result<Hello> old = decodeBody<Hello>(helloPrefix(6).bytes());
  QVERIFY2(old.ok(), old.error().c_str());
  QCOMPARE(old->nodeName, std::string("old-node"));
  QCOMPARE(old->publisherPort, std::uint16_t(7401));
  QCOMPARE(old->inactivityGapNs, kDefaultInactivityGapNs);
  QCOMPARE(kDefaultInactivityGapNs, TimeNs(300'000'000'000));
  // One before analysesOff was appended: seven fields, every analysis on.
  Result<Hello> seven = decodeBody<Hello>(helloPrefix(7).int64(60'000'000'000).bytes());
  QVERIFY2(seven.ok(), seven.error().c_str());
  QCOMPARE(seven->inactivityGapNs, TimeNs(60'000'000'000));
  QVERIFY(seven->analysesOff.empty());
  // And a newer node's extra fields after it are ignored.
  Result<Hello> newer = decodeBody<Hello>(
      helloPrefix(9).int64(60'000'000'000).array(1).str("qos").str("future field").bytes());
  QVERIFY2(newer.ok(), newer.error().c_str());
  QCOMPARE(newer->inactivityGapNs, TimeNs(60'000'000'000));
  QCOMPARE(newer->analysesOff, std::vector<std::string>{"qos"});
}

void TestProtocolBodies::searchReplyFromOlderNode() {
  // A SearchReply before paging: six fields, no resume token (one whole answer).
  MsgpackBuilder b;
  b.array(6).uint(2).uint(9).byte(0xc2).array(0).uint(1).str("");
  Result<SearchReply> old = decodeBody<SearchReply>(b.bytes());
  QVERIFY2(old.ok(), old.error().c_str());
  QCOMPARE(old->packets, std::uint64_t(2));
  QCOMPARE(old->packetsRead, std::uint64_t(9));
  QVERIFY(old->resume.empty());
  QCOMPARE(old->estimatedPackets, std::uint64_t(0));
  // One of the version before sessions named their sources: ten fields, nine per session.
  MsgpackBuilder v1;
  v1.array(10).uint(1).uint(1).byte(0xc2).array(1);
  v1.array(9).uint(17).bin("").uint(0).bin("").uint(0).uint(1).uint(60).int64(5).int64(5);
  v1.uint(1).str("").str("").uint(0).array(0).array(0);
  Result<SearchReply> before = decodeBody<SearchReply>(v1.bytes());
  QVERIFY2(before.ok(), before.error().c_str());
  QCOMPARE(before->sessions.size(), std::size_t(1));
  QCOMPARE(before->sessions[0].bytes, std::uint64_t(60));
  QVERIFY(before->sessions[0].sources.empty());
  QCOMPARE(before->sessionScanRead, std::uint64_t(0));
  QCOMPARE(before->sessionScanEstimate, std::uint64_t(0));
}

void TestProtocolBodies::invalidAnnotationsRefused() {
  HostRecord h = sampleHost(2);
  h.macVendors = {"Cisco Systems, Inc", "Intel Corporate"};  // two vendors, one MAC
  Result<HostRecord> host = decodeBody<HostRecord>(encodeBody(h));
  QVERIFY(!host.ok());
  QVERIFY2(host.error().find("macVendors") != std::string::npos, host.error().c_str());
  h = sampleHost(2);
  h.country = "GBR";
  host = decodeBody<HostRecord>(encodeBody(h));
  QVERIFY(!host.ok());
  QVERIFY2(host.error().find("country") != std::string::npos, host.error().c_str());

  ConnectionList l = sampleConnections();
  l.connections[0].c2sQos.dscp = 64;
  Result<ConnectionList> list = decodeBody<ConnectionList>(encodeBody(l));
  QVERIFY(!list.ok());
  QVERIFY2(list.error().find("dscp") != std::string::npos, list.error().c_str());
  l = sampleConnections();
  l.connections[0].s2cQos.mplsLabels = {1u << 20};
  list = decodeBody<ConnectionList>(encodeBody(l));
  QVERIFY(!list.ok());
  QVERIFY2(list.error().find("20 bits") != std::string::npos, list.error().c_str());
}

void TestProtocolBodies::hostRecordFromOlderNode() {
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
  // The group is the 15th element of what this node sends, the names the 16th, the country
  // the 17th, the MAC vendors the 18th and the TCP payload and retransmissions the last three.
  const std::string bytes = encodeBody(h);
  QCOMPARE(static_cast<unsigned char>(bytes[0]), 0xdc);  // array16 ...
  QCOMPARE(static_cast<unsigned char>(bytes[2]), 21);    // ... of 21
  QVERIFY(bytes.find(h.group) != std::string::npos);
  // One of 18 fields (before the TCP figures): decoded with zeros.
  const msgpack::object_handle handle = msgpack::unpack(bytes.data(), bytes.size());
  msgpack::sbuffer buffer;
  msgpack::packer<msgpack::sbuffer> packer(buffer);
  packer.pack_array(18);
  for (std::uint32_t i = 0; i < 18; ++i) packer.pack(handle.get().via.array.ptr[i]);
  Result<HostRecord> before = decodeBody<HostRecord>(std::string(buffer.data(), buffer.size()));
  QVERIFY2(before.ok(), before.error().c_str());
  QCOMPARE(before->macVendors, h.macVendors);
  QCOMPARE(before->tcpPayloadBytes, 0u);
  QCOMPARE(before->tcpRetransPackets, 0u);
  QCOMPARE(before->tcpRetransBytes, 0u);
  Result<HostRecord> now = decodeBody<HostRecord>(bytes);
  QVERIFY2(now.ok(), now.error().c_str());
  QCOMPARE(now->tcpPayloadBytes, h.tcpPayloadBytes);
  QCOMPARE(now->tcpRetransPackets, h.tcpRetransPackets);
  QCOMPARE(now->tcpRetransBytes, h.tcpRetransBytes);
}

void TestProtocolBodies::connectionFromOlderNode() {
  // A connection record before the ends' groups were appended: 27 fields, decoded with none.
  ConnectionList l = sampleConnections();
  l.connections.resize(1);
  QVERIFY(!l.connections[0].clientGroup.empty());
  const std::string now = encodeBody(l);
  const std::string header("\xdc\x00\x1d", 3);  // array16 of 29
  QCOMPARE(now.find(header), now.rfind(header));
  QVERIFY(now.find(header) != std::string::npos);
  l.connections[0].clientGroup.clear();
  l.connections[0].serverGroup.clear();
  std::string old = encodeBody(l);
  QCOMPARE(old.substr(old.size() - 2), std::string("\xa0\xa0", 2));  // two empty strings
  old.resize(old.size() - 2);
  old.replace(old.find(header), 3, std::string("\xdc\x00\x1b", 3));  // array16 of 27
  Result<ConnectionList> decoded = decodeBody<ConnectionList>(old);
  QVERIFY2(decoded.ok(), decoded.error().c_str());
  QCOMPARE(decoded->connections.size(), std::size_t(1));
  QCOMPARE(decoded->connections[0], l.connections[0]);
  QCOMPARE(decoded->connections[0].clientGroup, std::string());
  Result<ConnectionList> current = decodeBody<ConnectionList>(now);
  QVERIFY2(current.ok(), current.error().c_str());
  QCOMPARE(current->connections[0].clientGroup, std::string("office"));
  QCOMPARE(current->connections[0].serverGroup, std::string("dc-1"));
}

void TestProtocolBodies::globalFromOlderNode() {
  // GlobalStats before the store fields were appended: the first 20 elements of today's
  // body, decoded with no store.
  const GlobalStats g = sampleGlobal();
  const std::string bytes = encodeBody(g);
  const msgpack::object_handle handle = msgpack::unpack(bytes.data(), bytes.size());
  const msgpack::object& o = handle.get();
  QCOMPARE(o.via.array.size, 32u);
  const auto firstElements = [&](std::uint32_t n) {
    msgpack::sbuffer buffer;
    msgpack::packer<msgpack::sbuffer> packer(buffer);
    packer.pack_array(n);
    for (std::uint32_t i = 0; i < n; ++i) packer.pack(o.via.array.ptr[i]);
    return decodeBody<GlobalStats>(std::string(buffer.data(), buffer.size()));
  };
  Result<GlobalStats> old = firstElements(20);
  QVERIFY2(old.ok(), old.error().c_str());
  QCOMPARE(old->hostCount, g.hostCount);
  QCOMPARE(old->storeMaxBytes, 0u);
  QCOMPARE(old->storeOldest, TimeNs(0));
  // With the store but before the eviction fields were appended.
  Result<GlobalStats> withStore = firstElements(26);
  QVERIFY2(withStore.ok(), withStore.error().c_str());
  QCOMPARE(withStore->storeNewest, g.storeNewest);
  QCOMPARE(withStore->hostsEvicted, 0u);
  QCOMPARE(withStore->connectionsEvictedUpTo, TimeNs(0));
  // With the eviction fields but before SCTP and GRE were counted apart.
  Result<GlobalStats> withEviction = firstElements(30);
  QVERIFY2(withEviction.ok(), withEviction.error().c_str());
  QCOMPARE(withEviction->connectionsEvictedUpTo, g.connectionsEvictedUpTo);
  QCOMPARE(withEviction->sctpPackets, 0u);
  QCOMPARE(withEviction->grePackets, 0u);
  Result<GlobalStats> now = decodeBody<GlobalStats>(bytes);
  QVERIFY(now.ok());
  QCOMPARE(now->sctpPackets, g.sctpPackets);
  QCOMPARE(now->grePackets, g.grePackets);
  QCOMPARE(now->storeBytes, g.storeBytes);
  QCOMPARE(now->storeNewest, g.storeNewest);
  QCOMPARE(now->hostsEvicted, g.hostsEvicted);
  QCOMPARE(now->hostsEvictedUpTo, g.hostsEvictedUpTo);
  QCOMPARE(now->connectionsEvicted, g.connectionsEvicted);
  QCOMPARE(now->connectionsEvictedUpTo, g.connectionsEvictedUpTo);
}

void TestProtocolBodies::groupFromOlderNode() {
  // A GroupRecord before the TCP payload and retransmission sums: 14 fields, decoded with 0.
  const GroupList l = sampleGroups();
  const std::string bytes = encodeBody(l);
  const msgpack::object_handle handle = msgpack::unpack(bytes.data(), bytes.size());
  const msgpack::object& list = handle.get();
  const msgpack::object& office = list.via.array.ptr[2].via.array.ptr[0];
  QCOMPARE(office.via.array.size, 17u);
  msgpack::sbuffer buffer;
  msgpack::packer<msgpack::sbuffer> packer(buffer);
  packer.pack_array(3);
  packer.pack(list.via.array.ptr[0]);
  packer.pack(list.via.array.ptr[1]);
  packer.pack_array(1);
  packer.pack_array(14);
  for (std::uint32_t i = 0; i < 14; ++i) packer.pack(office.via.array.ptr[i]);
  Result<GroupList> old = decodeBody<GroupList>(std::string(buffer.data(), buffer.size()));
  QVERIFY2(old.ok(), old.error().c_str());
  QCOMPARE(old->groups.size(), std::size_t{1});
  QCOMPARE(old->groups[0].members, l.groups[0].members);
  QCOMPARE(old->groups[0].tcpPayloadBytes, 0u);
  QCOMPARE(old->groups[0].tcpRetransBytes, 0u);
  Result<GroupList> now = decodeBody<GroupList>(bytes);
  QVERIFY2(now.ok(), now.error().c_str());
  QCOMPARE(now->groups[0].tcpRetransPackets, 12u);
}

void TestProtocolBodies::largeSnapshot() {
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

QTEST_GUILESS_MAIN(TestProtocolBodies)
#include "tst_protocol_bodies.moc"
