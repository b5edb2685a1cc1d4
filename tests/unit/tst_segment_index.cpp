// SPDX-License-Identifier: MIT
// The packet store's segment index: what add() posts, an exact round trip through encode()
// and decode(), and damaged bytes (cut at every length, any byte changed) refused cleanly;
// the same file read in place (SegmentIndexReader): every key found with its exact list,
// absent keys (before, between and after the stored ones, kinds not stored) found empty,
// single-packet, delta and bitmap lists, block offsets and times, each packet's offset and
// where its record ends (record sizes of one to three bytes), and damage anywhere in the
// body noticed by the reads that touch it. Sessions (format 4; with MACs and times from
// format 5): packets with one IP header posted through their session, tunnelled ones per
// packet, both found alike, in memory and in place, the session table's round trip, and a
// format 4 file read as it is.

#include <QTest>
#include <algorithm>
#include <cstring>
#include <random>
#include <string>

#include "node/store/index_codec.h"
#include "node/store/segment_index.h"
#include "node/store/segment_index_reader.h"

using namespace netlens;
using node::store::IndexKey;
using node::store::KeyKind;
using node::store::SegmentIndex;
using node::store::SegmentIndexReader;
using node::store::TimeRange;

namespace {

decoder::DecodedPacket packet(std::int64_t ts, const char* src, const char* dst,
                              std::uint16_t sport, std::uint16_t dport, int vlan) {
  decoder::DecodedPacket p;
  p.timestampNs = ts;
  p.l2Count = 1;
  p.l2[0].hasSrc = p.l2[0].hasDst = true;
  p.l2[0].src = *net::MacAddress::parse("00:11:22:33:44:55");
  p.l2[0].dst = *net::MacAddress::parse("66:77:88:99:aa:bb");
  if (vlan >= 0) {
    p.vlanCount = 1;
    p.vlans[0] = static_cast<std::uint16_t>(vlan);
  }
  p.ipCount = 1;
  p.ip[0].src = *net::IpAddress::parse(src);
  p.ip[0].dst = *net::IpAddress::parse(dst);
  p.ip[0].protocol = 6;
  p.transport.ipIndex = 0;
  p.transport.protocol = 6;
  p.transport.srcPort = sport;
  p.transport.dstPort = dport;
  return p;
}

SegmentIndex sample() {
  SegmentIndex index;
  index.linkType = 1;
  std::uint64_t offset = 24;
  // Out of time order on purpose: files need not be sorted.
  const std::int64_t times[] = {1'000'000'000'500, 1'000'000'000'100, 1'000'000'002'000,
                                1'000'000'001'000};
  for (int i = 0; i < 4; ++i) {
    index.add(offset, packet(times[i], i % 2 ? "10.0.0.2" : "2001:db8::1",
                             i % 2 ? "10.0.0.1" : "2001:db8::2", 40000 + i, 443, i == 3 ? 7 : -1));
    offset += 16 + 60 + i * 1000;
  }
  index.dataEnd = offset;
  return index;
}

/// sample() as index format 4 wrote it (the version before sessions had MACs and times).
constexpr const char* kSampleFormatFour =
    "4e4c534944580d0a0400000001000000b81800000000000004000000010000006410a5d4e8000000d017a5d4"
    "e800000008000000020000001d020000000000005c0100000000000061010000000000003e2d7fa3d32c5fb9"
    "3b90673a841d5b36eff121ebe9185621293e97a28b56ff71b1030952a62b1c4b18000000000000006410a5d4"
    "e8000000d017a5d4e8000000000000000306000001000000010000000000000061010000000000006b010000"
    "000000006d01000000000000040600000100000001000000000000006d010000000000007701000000000000"
    "79010000000000000802000001000000010000000000000079010000000000007f0100000000000081010000"
    "000000000a05000002000000010000000000000081010000000000008a010000000000008f01000000000000"
    "0a1100000200000001000000000000008f01000000000000a401000000000000aa010000000000000b020000"
    "050000000100000000000000aa01000000000000b001000000000000c0010000000000000c01000001000000"
    "0100000000000000c001000000000000c501000000000000c701000000000000200000000400000001000000"
    "00000000c701000000000000cb010000000000001d020000000000004cb4089c100011223344550000000011"
    "0f66778899aabb00000000110f0007000000000403040a00000100000000090a01090a0620010db800000000"
    "00000000000000010000000009051002090501bb00000000110f85b502040001040101040201040306000000"
    "00110f2a00000002020a0000010a00000220010db800000000000000000000000120010db800000000000000"
    "0000000002030600019c4001bb01000206000101bb9c410103030600019c4201bb01020206000101bb9c4301"
    "03";

/// large(24, 5) as index format 4 wrote it: 24 sessions, two fences of 16 records (format 5
/// has three of 8).
constexpr const char* kLargeFormatFour =
    "4e4c534944580d0a04000000010000002f4b040000000000180000000100000058ad2e278c040000d8a93927"
    "8c0400000600000002000000f0020000000000000c010000000000003b01000000000000717bf43bccaff510"
    "3211bfd5e6cdbe376e37c47359ca8872806088b84dd3e61885566d5cbde1cbb0180000000000000058ad2e27"
    "8c040000d8a939278c04000000000000030600000100000001000000000000003b0100000000000045010000"
    "0000000049010000000000000406000001000000010000000000000049010000000000005301000000000000"
    "57010000000000000a050000060000000100000000000000570100000000000060010000000000007d010000"
    "000000000b0200001900000002000000000000007d010000000000008901000000000000d501000000000000"
    "0c010000010000000100000000000000d501000000000000da01000000000000de0100000000000020000000"
    "180000000200000000000000de01000000000000e601000000000000f002000000000000ab09bd04be07d007"
    "8202a601cf028e8010a406a205b6058606d408ee09810acd03f40a9f0b890596039003fc05bc0a0011223344"
    "550000000061ffffff66778899aabb0000000061ffffff040a0000010000000061ffffff8080041942030601"
    "1d0984310115304840010ece68010e5a1400000000000000102f000000040001040101040201040301040401"
    "040501040601040701040801040901040a01040b01040c01040d01040e01040f041001041101041201041301"
    "0414010415010416010417a40361ffffff060000000061ffffff1a000000ba00000006000a0000010a010001"
    "0a0100020a0100030a0100040a0100050206000201bb000001010206000101bb000101030206000401bb0002"
    "01030206000201bb000301030206000301bb000401030206000301bb000501030206000101bb000601030206"
    "000501bb000701030206000101bb000801030206000101bb000901030206000201bb000a01030206000301bb"
    "000b01030206000501bb000c01030206000401bb000d01030206000301bb000e01030206000201bb000f0103"
    "0206000201bb001001210206000101bb001101030206000101bb001201030206000501bb0013010302060002"
    "01bb001401030206000201bb001501030206000301bb001601030206000401bb00170103";

std::string fromHex(const char* hex) {
  std::string out;
  for (const char* p = hex; p[0] != 0 && p[1] != 0; p += 2)
    out.push_back(static_cast<char>(std::stoi(std::string(p, 2), nullptr, 16)));
  return out;
}

/// `packets` packets: client 10.1.x.y (one of `clients`, so most clients have a handful of
/// packets), server 10.0.0.1 in every packet (a bitmap list), a fresh source port in each
/// (single-packet lists), VLAN 5 on every 1000th (a short delta list), times going back and
/// forth across blocks.
SegmentIndex large(int packets, int clients) {
  SegmentIndex index;
  index.linkType = 1;
  std::uint64_t offset = 24;
  std::mt19937 random(11);
  for (int i = 0; i < packets; ++i) {
    const int client = static_cast<int>(random() % clients);
    const std::string ip =
        "10.1." + std::to_string(client / 250) + "." + std::to_string(client % 250 + 1);
    const std::int64_t t = 5'000'000'000'000 + i * 1000 + (i % 7 == 3 ? -700'000 : 0);
    index.add(offset, packet(t, ip.c_str(), "10.0.0.1", static_cast<std::uint16_t>(i % 65536), 443,
                             i % 1000 == 999 ? 5 : -1));
    // Record sizes of one, two and (now and then, up to the largest record) three bytes.
    offset += 16 + (i % 300 == 7 ? 262'144 - i % 5 : 60 + random() % 1455);
  }
  index.dataEnd = offset;
  return index;
}

/// The keys a packet of `s` may carry, of each kind looked up through sessions.
std::vector<IndexKey> sessionKeys(const node::store::IndexSession& s) {
  std::vector<IndexKey> keys;
  for (KeyKind kind : {KeyKind::SrcIp, KeyKind::DstIp}) {
    keys.push_back(IndexKey::ip(kind, s.a));
    keys.push_back(IndexKey::ip(kind, s.b));
  }
  for (KeyKind kind : {KeyKind::SrcPort, KeyKind::DstPort}) {
    if (!s.hasPorts) break;
    keys.push_back(IndexKey::number(kind, s.aPort, 2));
    keys.push_back(IndexKey::number(kind, s.bPort, 2));
  }
  keys.push_back(IndexKey::number(KeyKind::IpProtocol, s.protocol, 1));
  for (KeyKind kind : {KeyKind::SrcMac, KeyKind::DstMac}) {
    if (!s.hasMacs) break;
    keys.push_back(IndexKey::mac(kind, s.aMac));
    keys.push_back(IndexKey::mac(kind, s.bMac));
  }
  return keys;
}

/// True when `reader` gives exactly what `index` holds, through every accessor.
bool readsLike(SegmentIndexReader& reader, const SegmentIndex& index) {
  if (reader.header().packetCount != index.packetCount() ||
      reader.header().minTime != index.minTime || reader.header().maxTime != index.maxTime ||
      reader.header().dataEnd != index.dataEnd || reader.header().linkType != index.linkType)
    return false;
  std::vector<std::uint32_t> list;
  for (const auto& [key, expected] : index.postings) {
    if (!reader.find(key, &list) || list != index.packetsWith(key)) return false;
    // Session keys are found as stored (session numbers); other keys' own lists are a part.
    if (!std::includes(list.begin(), list.end(), expected.begin(), expected.end())) return false;
  }
  // Every key of every session (the sessions of the first and last fence at least).
  const auto& sessions = index.sessions.sessions();
  for (std::size_t n = 0; n < sessions.size(); ++n) {
    if (n >= node::store::kSessionsPerFence && n + node::store::kSessionsPerFence < sessions.size())
      continue;
    for (const IndexKey& key : sessionKeys(sessions[n])) {
      if (!reader.find(key, &list) || list != index.packetsWith(key)) return false;
    }
  }
  std::vector<std::uint64_t> offsets;
  for (std::uint32_t b = 0; b < index.blockTimes.size(); ++b) {
    TimeRange t;
    if (!reader.blockTime(b, &t) || !(t == index.blockTimes[b])) return false;
    if (!reader.blockOffsets(b, &offsets)) return false;
    const auto first = index.offsets.begin() + b * SegmentIndex::kBlockPackets;
    const auto end = b + 1 == index.blockTimes.size() ? index.offsets.end()
                                                      : first + SegmentIndex::kBlockPackets;
    if (!std::equal(offsets.begin(), offsets.end(), first, end)) return false;
  }
  for (std::uint32_t n = 0; n < index.packetCount(); ++n) {
    std::uint64_t offset = 0;
    if (!reader.offsetOf(n, &offset) || offset != index.offsets[n]) return false;
    std::uint64_t end = 0;
    const std::uint64_t next = n + 1 < index.packetCount() ? index.offsets[n + 1] : index.dataEnd;
    if (!reader.offsetOf(n, &offset, &end) || offset != index.offsets[n] || end != next)
      return false;
  }
  std::uint64_t offset = 0;
  if (reader.offsetOf(std::uint32_t(index.packetCount()), &offset)) return false;
  return true;
}

}  // namespace

class TestSegmentIndex : public QObject {
  Q_OBJECT

 private slots:
  void postsEveryKey() {
    const SegmentIndex index = sample();
    QCOMPARE(index.packetCount(), std::size_t(4));
    QCOMPARE(index.minTime, std::int64_t(1'000'000'000'100));
    QCOMPARE(index.maxTime, std::int64_t(1'000'000'002'000));
    using List = std::vector<std::uint32_t>;
    QCOMPARE(index.packetsWith(IndexKey::ip(KeyKind::SrcIp, *net::IpAddress::parse("10.0.0.2"))),
             (List{1, 3}));
    QCOMPARE(index.packetsWith(IndexKey::ip(KeyKind::DstIp, *net::IpAddress::parse("2001:db8::2"))),
             (List{0, 2}));
    QCOMPARE(index.packetsWith(IndexKey::number(KeyKind::DstPort, 443, 2)).size(), std::size_t(4));
    QCOMPARE(index.packetsWith(IndexKey::number(KeyKind::SrcPort, 40002, 2)), (List{2}));
    QCOMPARE(index.packetsWith(IndexKey::number(KeyKind::Vlan, 7, 2)), (List{3}));
    QCOMPARE(index.packetsWith(IndexKey::number(KeyKind::IpProtocol, 6, 1)).size(), std::size_t(4));
    QCOMPARE(index
                 .packetsWith(
                     IndexKey::mac(KeyKind::SrcMac, *net::MacAddress::parse("00:11:22:33:44:55")))
                 .size(),
             std::size_t(4));
    // A v4 address and the v6 address with the same leading bytes are different keys.
    QVERIFY(index.packetsWith(IndexKey::ip(KeyKind::SrcIp, *net::IpAddress::parse("10.0.0.1")))
                .empty());
    // Each packet has one IP header and its own source port: four sessions, whose keys are
    // posted once each, none per packet; the MACs as session << 1 | 1 for b's (the end with
    // the higher address: the IPv4 client, the IPv6 server).
    QCOMPARE(index.sessions.size(), std::size_t(4));
    QVERIFY(!index.postings.find(IndexKey::ip(KeyKind::SrcIp, *net::IpAddress::parse("10.0.0.2"))));
    QCOMPARE(*index.postings.find(IndexKey::number(KeyKind::SessionPort, 443, 2)),
             (List{0, 1, 2, 3}));
    const auto client = *net::MacAddress::parse("00:11:22:33:44:55");
    QVERIFY(!index.postings.find(IndexKey::mac(KeyKind::SrcMac, client)));
    QCOMPARE(*index.postings.find(IndexKey::mac(KeyKind::SessionMac, client)), (List{0, 3, 4, 7}));
    // Each session's time range is its one packet's time.
    QCOMPARE(index.sessions.sessions()[1].firstTime, std::int64_t(1'000'000'000'100));
    QCOMPARE(index.sessions.sessions()[1].lastTime, std::int64_t(1'000'000'000'100));
  }

  // Packets of one conversation in both directions are one session; a tunnelled packet
  // (two IP headers) is posted per packet; lookups merge both, in memory and in place.
  void sessionsAndTunnels() {
    SegmentIndex index;
    index.linkType = 1;
    std::uint64_t offset = 24;
    // Frames of 60 bytes and more, one byte longer each (unless a packet says otherwise).
    const auto add = [&](decoder::DecodedPacket p) {
      if (p.wireLength == 0) p.wireLength = p.capturedLength = 60 + std::uint32_t(offset / 100);
      index.add(offset, p);
      offset += 100;
    };
    // The answers come from the other station: its MAC is their source.
    const auto answer = [](decoder::DecodedPacket p) {
      std::swap(p.l2[0].src, p.l2[0].dst);
      return p;
    };
    add(packet(10, "10.0.0.1", "10.0.0.2", 5000, 80, -1));         // 0
    add(answer(packet(2, "10.0.0.2", "10.0.0.1", 80, 5000, -1)));  // 1: the answer
    decoder::DecodedPacket tunnel = packet(3, "192.0.2.1", "192.0.2.2", 5000, 80, -1);
    tunnel.ipCount = 2;
    tunnel.ip[1] = tunnel.ip[0];
    tunnel.ip[0].src = *net::IpAddress::parse("10.0.0.1");  // outer: the same two hosts
    tunnel.ip[0].dst = *net::IpAddress::parse("10.0.0.2");
    tunnel.ip[0].protocol = 47;
    tunnel.transport.ipIndex = 1;
    add(tunnel);                                            // 2
    add(packet(40, "10.0.0.1", "10.0.0.2", 5000, 80, -1));  // 3
    add(packet(5, "10.9.9.9", "10.9.9.9", 7, 7, -1));       // 4: to itself
    decoder::DecodedPacket icmp = answer(packet(6, "10.0.0.2", "10.0.0.1", 0, 0, -1));
    icmp.ip[0].protocol = 1;
    icmp.transport = {};
    add(icmp);  // 5: no ports
    // 6: the first conversation through another router (another MAC): a session of its own.
    decoder::DecodedPacket rerouted = packet(7, "10.0.0.1", "10.0.0.2", 5000, 80, -1);
    rerouted.l2[0].dst = *net::MacAddress::parse("66:77:88:99:aa:cc");
    add(rerouted);
    // 7: and behind a second Ethernet header (one IP header): MACs posted per packet.
    decoder::DecodedPacket bridged = packet(8, "10.0.0.1", "10.0.0.2", 5000, 80, -1);
    bridged.l2Count = 2;
    bridged.l2[1].hasSrc = bridged.l2[1].hasDst = true;
    bridged.l2[1].src = *net::MacAddress::parse("02:00:00:00:00:01");
    bridged.l2[1].dst = *net::MacAddress::parse("02:00:00:00:00:02");
    bridged.wireLength = 1500;  // cut by a snapshot length
    bridged.capturedLength = 96;
    add(bridged);
    index.dataEnd = offset;
    QCOMPARE(index.sessions.size(), std::size_t(5));
    const node::store::IndexSession& first = index.sessions.sessions()[0];
    QCOMPARE(first.packets, (std::vector<std::uint32_t>{0, 3, 6}));
    QVERIFY(first.hasMacs);
    QCOMPARE(first.aMac, *net::MacAddress::parse("00:11:22:33:44:55"));
    QCOMPARE(first.bMac, *net::MacAddress::parse("66:77:88:99:aa:bb"));
    // Its earliest and latest packet, not its first and last.
    QCOMPARE(first.firstTime, std::int64_t(2));
    QCOMPARE(first.lastTime, std::int64_t(40));
    QVERIFY(!index.sessions.sessions()[4].hasMacs);

    using List = std::vector<std::uint32_t>;
    const auto ip = [](KeyKind k, const char* a) {
      return IndexKey::ip(k, *net::IpAddress::parse(a));
    };
    const auto port = [](KeyKind k, int p) { return IndexKey::number(k, std::uint32_t(p), 2); };
    const auto mac = [](KeyKind k, const char* m) {
      return IndexKey::mac(k, *net::MacAddress::parse(m));
    };
    const std::pair<IndexKey, List> expected[] = {
        {ip(KeyKind::SrcIp, "10.0.0.1"), {0, 2, 3, 6, 7}},
        {ip(KeyKind::DstIp, "10.0.0.1"), {1, 5}},
        {ip(KeyKind::SrcIp, "192.0.2.1"), {2}},
        {ip(KeyKind::SrcIp, "10.9.9.9"), {4}},
        {ip(KeyKind::DstIp, "10.9.9.9"), {4}},
        {port(KeyKind::SrcPort, 5000), {0, 2, 3, 6, 7}},
        {port(KeyKind::DstPort, 5000), {1}},
        {port(KeyKind::SrcPort, 0), {}},
        {port(KeyKind::DstPort, 7), {4}},
        {IndexKey::number(KeyKind::IpProtocol, 6, 1), {0, 1, 2, 3, 4, 6, 7}},
        {IndexKey::number(KeyKind::IpProtocol, 47, 1), {2}},
        {IndexKey::number(KeyKind::IpProtocol, 1, 1), {5}},
        // The tunnel's and the bridged packet's MACs per packet, the others' by session.
        {mac(KeyKind::SrcMac, "00:11:22:33:44:55"), {0, 2, 3, 4, 6, 7}},
        {mac(KeyKind::DstMac, "00:11:22:33:44:55"), {1, 5}},
        {mac(KeyKind::SrcMac, "66:77:88:99:aa:bb"), {1, 5}},
        {mac(KeyKind::DstMac, "66:77:88:99:aa:bb"), {0, 2, 3, 4, 7}},
        {mac(KeyKind::DstMac, "66:77:88:99:aa:cc"), {6}},
        {mac(KeyKind::SrcMac, "66:77:88:99:aa:cc"), {}},
        {mac(KeyKind::SrcMac, "02:00:00:00:00:01"), {7}},
        {mac(KeyKind::DstMac, "02:00:00:00:00:02"), {7}},
    };
    auto reader = SegmentIndexReader::fromBytes(index.encode());
    QVERIFY2(reader, reader.error().c_str());
    QVERIFY(readsLike(**reader, index));
    List list;
    for (const auto& [key, packets] : expected) {
      QCOMPARE(index.packetsWith(key), packets);
      QVERIFY((*reader)->find(key, &list));
      QCOMPARE(list, packets);
    }
    // A session's bytes are its packets' wire lengths (the bridged one's cut frame counts
    // whole).
    QCOMPARE(index.sessions.sessions()[4].bytes, std::uint64_t(1500));
    QCOMPARE(first.bytes, std::uint64_t(60 + 61 + 63));  // packets 0, 1 and 3
    // The sessions a lookup reads, collected: those of 10.0.0.1 (not the tunnel's packet),
    // each as in memory but for the MACs, which are in the postings, not the records.
    std::vector<std::pair<std::uint32_t, node::store::IndexSession>> read;
    (*reader)->collectSessions(&read);
    QVERIFY((*reader)->find(ip(KeyKind::DstIp, "10.0.0.1"), &list));
    (*reader)->collectSessions(nullptr);
    QCOMPARE(read.size(), std::size_t(4));
    const std::uint32_t numbers[] = {0, 2, 3, 4};
    for (std::size_t i = 0; i < read.size(); ++i) {
      QCOMPARE(read[i].first, numbers[i]);
      node::store::IndexSession expected = index.sessions.sessions()[numbers[i]];
      expected.hasMacs = false;
      expected.aMac = expected.bMac = {};
      QVERIFY(read[i].second == expected);
    }
    QVERIFY((*reader)->find(mac(KeyKind::SrcMac, "66:77:88:99:aa:cc"), &list));
    QCOMPARE(read.size(), std::size_t(4));  // no longer collected
    auto back = SegmentIndex::decode(index.encode());
    QVERIFY2(back, back.error().c_str());
    QVERIFY(back->sessions == index.sessions);
  }

  void roundTrip() {
    const SegmentIndex index = sample();
    auto back = SegmentIndex::decode(index.encode());
    QVERIFY2(back, back.error().c_str());
    QCOMPARE(back->linkType, index.linkType);
    QCOMPARE(back->dataEnd, index.dataEnd);
    QCOMPARE(back->offsets, index.offsets);
    QVERIFY(back->blockTimes == index.blockTimes);
    QCOMPARE(back->minTime, index.minTime);
    QCOMPARE(back->maxTime, index.maxTime);
    QVERIFY(back->postings == index.postings);
    QVERIFY(back->sessions == index.sessions);
    const SegmentIndex empty;
    QVERIFY(SegmentIndex::decode(empty.encode()));
  }

  // A session record is checked field by field as it is read (the page checksums catch chance
  // damage first; these are records written wrong): times outside the segment's range, a
  // time unit of 0, an address outside the table, ends out of order, protocol bits in a
  // format 4 record.
  void sessionRecordsAreChecked() {
    using node::store::detail::putVarint;
    const auto head = [](std::uint64_t unit, std::uint32_t version) {
      std::string h;
      if (version >= 5) putVarint(h, unit);
      putVarint(h, 2);  // two IPv4 addresses, no IPv6 one
      putVarint(h, 0);
      return h + std::string("\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
    };
    // TCP from 10.0.0.1:80 (a) to 10.0.0.2:5000 (b), two packets, one each way.
    const auto record = [](std::uint8_t flags, std::uint64_t a, std::uint64_t b, std::int64_t time,
                           std::uint64_t span, bool withTimes) {
      std::string r(1, static_cast<char>(flags));
      if ((flags & 0x0c) == 0) r.push_back(6);  // the protocol byte
      putVarint(r, a);
      putVarint(r, b);
      r += std::string("\x00\x50\x13\x88", 4);
      if (withTimes) {
        putVarint(r, node::store::detail::zigzag(time));
        putVarint(r, span);
        putVarint(r, 120);  // bytes
      }
      putVarint(r, 2);
      putVarint(r, 0);
      putVarint(r, 1 << 1 | 1);
      return r;
    };
    node::store::IndexSession out;
    // Ten time units of 1000 ns in the segment.
    const auto decode = [&](const std::string& h, const std::string& rec, std::uint32_t version) {
      node::store::detail::ByteReader hr(reinterpret_cast<const std::uint8_t*>(h.data()), h.size());
      node::store::SessionAddresses addresses;
      if (!addresses.read(hr, version) || !hr.atEnd()) return false;
      const node::store::SessionContext context{&addresses, 10, 1'000'000, 1'010'000, version};
      node::store::SessionCursorState state;
      node::store::detail::ByteReader r(reinterpret_cast<const std::uint8_t*>(rec.data()),
                                        rec.size());
      return node::store::decodeSession(r, context, true, &state, &out) && r.atEnd();
    };
    const std::uint8_t tcp5 = 2 | 1 << 2;  // ports, protocol code 1 (TCP)
    QVERIFY(decode(head(1000, 5), record(tcp5, 0, 1, 3, 2, true), 5));
    QCOMPARE(out.protocol, std::uint8_t(6));
    QCOMPARE(out.aPort, std::uint16_t(80));
    QCOMPARE(out.firstTime, std::int64_t(1'003'000));
    QCOMPARE(out.lastTime, std::int64_t(1'005'000));
    QCOMPARE(out.bytes, std::uint64_t(120));
    QCOMPARE(out.packets, (std::vector<std::uint32_t>{0, 3}));
    QVERIFY(decode(head(1000, 5), record(tcp5, 0, 1, 10, 0, true), 5));   // the last unit
    QVERIFY(!decode(head(1000, 5), record(tcp5, 0, 1, 11, 0, true), 5));  // after the range
    QVERIFY(!decode(head(1000, 5), record(tcp5, 0, 1, -1, 0, true), 5));  // before it
    QVERIFY(!decode(head(1000, 5), record(tcp5, 0, 1, 8, 3, true), 5));   // ends after it
    QVERIFY(!decode(head(0, 5), record(tcp5, 0, 1, 3, 2, true), 5));      // no time unit
    QVERIFY(!decode(head(1000, 5), record(tcp5, 0, 2, 3, 2, true), 5));   // no address 2
    QVERIFY(!decode(head(1000, 5), record(tcp5, 1, 0, 3, 2, true), 5));   // b before a
    // Format 4: a protocol byte, no times; the protocol bits are not format 4's.
    QVERIFY(decode(head(1000, 4), record(2, 0, 1, 0, 0, false), 4));
    QCOMPARE(out.protocol, std::uint8_t(6));
    QCOMPARE(out.firstTime, std::int64_t(0));
    QVERIFY(!decode(head(1000, 4), record(tcp5, 0, 1, 0, 0, false), 4));
  }

  void damagedBytesAreRefused() {
    const std::string bytes = sample().encode();
    for (std::size_t n = 0; n < bytes.size(); ++n)
      QVERIFY2(!SegmentIndex::decode(bytes.substr(0, n)), qPrintable(QString::number(n)));
    std::mt19937 random(3);
    for (int round = 0; round < 2000; ++round) {
      std::string damaged = bytes;
      const std::size_t at = random() % damaged.size();
      damaged[at] = static_cast<char>(damaged[at] ^ (1 + random() % 255));
      QVERIFY(!SegmentIndex::decode(damaged));  // the checksum catches every change
    }
    QVERIFY(!SegmentIndex::decode(bytes + "x"));
    QVERIFY(!SegmentIndex::decode("NLSIDX\r\n but not an index at all"));
  }

  void olderVersionIsRefused() {
    std::string bytes = sample().encode();
    bytes[8] = 1;  // version 1 wrote its version as a varint right after the magic
    const auto back = SegmentIndex::decode(bytes);
    QVERIFY(!back);
    QVERIFY2(back.error().find("version 1") != std::string::npos, back.error().c_str());
  }

  // A segment indexed before format 4 posts every packet's addresses, ports and protocol
  // itself and has no session table: read as it is.
  void formatThreeIsRead() {
    const SegmentIndex sessions = sample();
    SegmentIndex index;
    index.linkType = sessions.linkType;
    index.dataEnd = sessions.dataEnd;
    index.offsets = sessions.offsets;
    index.blockTimes = sessions.blockTimes;
    index.minTime = sessions.minTime;
    index.maxTime = sessions.maxTime;
    const auto v4 = IndexKey::ip(KeyKind::SrcIp, *net::IpAddress::parse("10.0.0.2"));
    const auto https = IndexKey::number(KeyKind::DstPort, 443, 2);
    index.postings[v4] = {1, 3};
    index.postings[https] = {0, 1, 2, 3};
    std::string bytes = index.encode();
    bytes[8] = 3;
    const std::uint64_t sum = node::store::detail::checksum(bytes.data(), 88);
    std::memcpy(bytes.data() + 88, &sum, sizeof sum);  // little-endian, as the format
    auto reader = SegmentIndexReader::fromBytes(bytes);
    QVERIFY2(reader, reader.error().c_str());
    std::vector<std::uint32_t> list;
    QVERIFY((*reader)->find(v4, &list));
    QCOMPARE(list, (std::vector<std::uint32_t>{1, 3}));
    QVERIFY((*reader)->find(https, &list));
    QCOMPARE(list, sessions.packetsWith(https));
    QVERIFY(readsLike(**reader, index));
  }

  // Format 4 posts MACs per packet, codes the protocol in a byte of its own, keeps no
  // session times or bytes and has a fence per 16 sessions: read as it is, with the same
  // answers as format 5.
  void formatFourIsRead_data() {
    QTest::addColumn<QString>("hex");
    QTest::addColumn<int>("clients");  // 0: sample(), else large(24, clients)
    QTest::newRow("one fence") << QString(kSampleFormatFour) << 0;
    QTest::newRow("two fences") << QString(kLargeFormatFour) << 5;
  }
  void formatFourIsRead() {
    QFETCH(QString, hex);
    QFETCH(int, clients);
    const SegmentIndex now = clients == 0 ? sample() : large(24, clients);
    auto reader = SegmentIndexReader::fromBytes(fromHex(hex.toLatin1().constData()));
    QVERIFY2(reader, reader.error().c_str());
    QCOMPARE((*reader)->header().version, std::uint32_t(4));
    std::vector<std::uint32_t> list;
    std::vector<IndexKey> keys;
    for (const node::store::IndexSession& s : now.sessions.sessions()) {
      const auto more = sessionKeys(s);
      keys.insert(keys.end(), more.begin(), more.end());
    }
    keys.push_back(IndexKey::number(KeyKind::Vlan, 7, 2));
    for (const IndexKey& key : keys) {
      QVERIFY((*reader)->find(key, &list));
      QCOMPARE(list, now.packetsWith(key));
    }
    auto back = (*reader)->readAll();
    QVERIFY2(back, back.error().c_str());
    QCOMPARE(back->sessions.size(), now.sessions.size());
    for (std::size_t i = 0; i < now.sessions.size(); ++i) {
      const node::store::IndexSession& old = back->sessions.sessions()[i];
      const node::store::IndexSession& s = now.sessions.sessions()[i];
      QVERIFY(!old.hasMacs);
      QCOMPARE(old.firstTime, std::int64_t(0));
      QCOMPARE(old.bytes, std::uint64_t(0));
      QCOMPARE(old.protocol, s.protocol);
      QCOMPARE(old.a, s.a);
      QCOMPARE(old.b, s.b);
      QCOMPARE(old.aPort, s.aPort);
      QCOMPARE(old.bPort, s.bPort);
      QCOMPARE(old.packets, s.packets);
    }
    QVERIFY(back->postings.find(
        IndexKey::mac(KeyKind::SrcMac, *net::MacAddress::parse("00:11:22:33:44:55"))));
  }

  void readsInPlace_data() {
    QTest::addColumn<int>("packets");
    QTest::addColumn<int>("clients");
    QTest::newRow("one packet") << 1 << 1;
    QTest::newRow("one block") << int(SegmentIndex::kBlockPackets) << 40;
    QTest::newRow("block and one") << int(SegmentIndex::kBlockPackets) + 1 << 400;
    QTest::newRow("many lists") << 20'000 << 3'000;
    QTest::newRow("large lists") << 120'000 << 7;
  }
  void readsInPlace() {
    QFETCH(int, packets);
    QFETCH(int, clients);
    const SegmentIndex index = large(packets, clients);
    const std::string bytes = index.encode();
    auto reader = SegmentIndexReader::fromBytes(bytes);
    QVERIFY2(reader, reader.error().c_str());
    QVERIFY(readsLike(**reader, index));
    auto back = SegmentIndex::decode(bytes);
    QVERIFY2(back, back.error().c_str());
    QCOMPARE(back->offsets, index.offsets);
    QVERIFY(back->blockTimes == index.blockTimes);
    QVERIFY(back->postings == index.postings);
    QVERIFY(back->sessions == index.sessions);
    // The lists this exercises: every-packet (bitmap), single-packet (inline) and others.
    const auto server =
        index.packetsWith(IndexKey::ip(KeyKind::DstIp, *net::IpAddress::parse("10.0.0.1")));
    QCOMPARE(server.size(), std::size_t(packets));
    QVERIFY(index.packetsWith(IndexKey::ip(KeyKind::SrcIp, *net::IpAddress::parse("10.0.0.1")))
                .empty());
    QCOMPARE(index.packetsWith(IndexKey::number(KeyKind::SrcPort, 0, 2)).size(),
             std::size_t((packets + 65535) / 65536));
  }

  void everyListCodingRoundTrips() {
    // Lists shaped for each coding: every packet (bitmap), two bursts (gamma codes), every
    // 300th packet (Exp-Golomb), two far apart (varints), one packet (inline), and the
    // last packet alone.
    SegmentIndex index = large(100'000, 3);
    const auto vlan = [](int v) { return IndexKey::number(KeyKind::Vlan, std::uint32_t(v), 2); };
    std::vector<std::uint32_t> all(100'000), bursts, spaced;
    for (std::uint32_t i = 0; i < all.size(); ++i) all[i] = i;
    for (std::uint32_t i = 0; i < 100; ++i) bursts.push_back(1000 + i);
    for (std::uint32_t i = 0; i < 100; ++i) bursts.push_back(50'000 + i);
    for (std::uint32_t i = 0; i < 100'000; i += 300) spaced.push_back(i);
    index.postings[vlan(100)] = all;
    index.postings[vlan(101)] = bursts;
    index.postings[vlan(102)] = spaced;
    index.postings[vlan(103)] = {5, 90'000};
    index.postings[vlan(104)] = {0};
    index.postings[vlan(105)] = {99'999};
    const std::string bytes = index.encode();
    auto reader = SegmentIndexReader::fromBytes(bytes);
    QVERIFY2(reader, reader.error().c_str());
    QVERIFY(readsLike(**reader, index));
    auto back = SegmentIndex::decode(bytes);
    QVERIFY2(back, back.error().c_str());
    QVERIFY(back->postings == index.postings);
  }

  void absentKeysAreEmpty() {
    const SegmentIndex index = large(5'000, 900);
    auto reader = SegmentIndexReader::fromBytes(index.encode());
    QVERIFY2(reader, reader.error().c_str());
    std::vector<std::uint32_t> list{1, 2, 3};
    const char* absent[] = {"10.0.0.0",   "10.1.0.0",        "10.1.0.251", "10.1.3.200",
                            "10.1.255.1", "255.255.255.255", "0.0.0.0",    "10.0.0.2"};
    for (const char* ip : absent) {
      const auto key = IndexKey::ip(KeyKind::SrcIp, *net::IpAddress::parse(ip));
      QVERIFY2(index.packetsWith(key).empty(), ip);  // really absent
      QVERIFY(((*reader)->find(key, &list)));
      QVERIFY2(list.empty(), ip);
    }
    // A kind and a length the segment has no section for.
    QVERIFY((*reader)->find(IndexKey::number(KeyKind::IpProtocol, 17, 1), &list) && list.empty());
    QVERIFY((*reader)->find(IndexKey::ip(KeyKind::SrcIp, *net::IpAddress::parse("2001:db8::1")),
                            &list));
    QVERIFY(list.empty());
    QVERIFY((*reader)->find(IndexKey::number(KeyKind::Vlan, 4, 2), &list) && list.empty());
    QVERIFY((*reader)->find(IndexKey::number(KeyKind::Vlan, 5, 2), &list));
    QCOMPARE(list.size(), std::size_t(5));
    // Past the end.
    std::vector<std::uint64_t> offsets;
    QVERIFY(!(*reader)->blockOffsets(std::uint32_t(index.blockTimes.size()), &offsets));
  }

  void singlePacketListsAreInline() {
    // One more key with one packet costs its key bytes and two varints, not a list.
    SegmentIndex index = large(3'000, 100);
    const std::size_t before = index.encode().size();
    index.postings[IndexKey::number(KeyKind::Vlan, 4000, 2)] = {2'999};
    const std::string bytes = index.encode();
    QVERIFY2(bytes.size() - before <= 1 + 2 + 1 + 2 + 8,
             qPrintable(QString::number(bytes.size() - before)));
    auto reader = SegmentIndexReader::fromBytes(bytes);
    QVERIFY(reader);
    QVERIFY(readsLike(**reader, index));
  }

  void damageIsNoticedInPlace() {
    const SegmentIndex index = large(300, 30);
    const std::string bytes = index.encode();
    auto clean = SegmentIndexReader::fromBytes(bytes);
    QVERIFY(clean);
    // Opening checks the header and the chunk table (a checksum per 64 page checksums).
    const std::size_t pages = (*clean)->header().pageCount;
    const std::size_t checkedOnOpen =
        SegmentIndex::kHeaderSize +
        8 * ((pages + SegmentIndex::kChunkPages - 1) / SegmentIndex::kChunkPages);
    for (std::size_t at = 0; at < bytes.size(); ++at) {
      std::string damaged = bytes;
      damaged[at] = static_cast<char>(damaged[at] ^ 0x10);
      auto reader = SegmentIndexReader::fromBytes(damaged);
      if (at < checkedOnOpen) {
        QVERIFY2(!reader, qPrintable(QString::number(at)));
        continue;
      }
      // Page table or body: opening may succeed, but some read of it fails.
      QVERIFY2(!reader || !readsLike(**reader, index), qPrintable(QString::number(at)));
    }
  }
};

QTEST_GUILESS_MAIN(TestSegmentIndex)
#include "tst_segment_index.moc"
