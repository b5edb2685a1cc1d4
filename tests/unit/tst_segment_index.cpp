// SPDX-License-Identifier: MIT
// The packet store's segment index: what add() posts, an exact round trip through encode()
// and decode(), and damaged bytes (cut at every length, any byte changed) refused cleanly;
// the same file read in place (SegmentIndexReader): every key found with its exact list,
// absent keys (before, between and after the stored ones, kinds not stored) found empty,
// single-packet, delta and bitmap lists, block offsets and times, each packet's offset and
// where its record ends (record sizes of one to three bytes), and damage anywhere in the
// body noticed by the reads that touch it.

#include <QTest>
#include <random>

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

/// True when `reader` gives exactly what `index` holds, through every accessor.
bool readsLike(SegmentIndexReader& reader, const SegmentIndex& index) {
  if (reader.header().packetCount != index.packetCount() ||
      reader.header().minTime != index.minTime || reader.header().maxTime != index.maxTime ||
      reader.header().dataEnd != index.dataEnd || reader.header().linkType != index.linkType)
    return false;
  std::vector<std::uint32_t> list;
  for (const auto& [key, expected] : index.postings) {
    if (!reader.find(key, &list) || list != expected) return false;
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
    const auto* v4 = index.find(IndexKey::ip(KeyKind::SrcIp, *net::IpAddress::parse("10.0.0.2")));
    QVERIFY(v4);
    QCOMPARE(*v4, (std::vector<std::uint32_t>{1, 3}));
    const auto* v6 =
        index.find(IndexKey::ip(KeyKind::DstIp, *net::IpAddress::parse("2001:db8::2")));
    QVERIFY(v6);
    QCOMPARE(*v6, (std::vector<std::uint32_t>{0, 2}));
    QCOMPARE(index.find(IndexKey::number(KeyKind::DstPort, 443, 2))->size(), std::size_t(4));
    QCOMPARE(*index.find(IndexKey::number(KeyKind::SrcPort, 40002, 2)),
             (std::vector<std::uint32_t>{2}));
    QCOMPARE(*index.find(IndexKey::number(KeyKind::Vlan, 7, 2)), (std::vector<std::uint32_t>{3}));
    QCOMPARE(index.find(IndexKey::number(KeyKind::IpProtocol, 6, 1))->size(), std::size_t(4));
    QCOMPARE(
        index.find(IndexKey::mac(KeyKind::SrcMac, *net::MacAddress::parse("00:11:22:33:44:55")))
            ->size(),
        std::size_t(4));
    // A v4 address and the v6 address with the same leading bytes are different keys.
    QVERIFY(!index.find(IndexKey::ip(KeyKind::SrcIp, *net::IpAddress::parse("10.0.0.1"))));
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
    const SegmentIndex empty;
    QVERIFY(SegmentIndex::decode(empty.encode()));
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
    // The lists this exercises: every-packet (bitmap), single-packet (inline) and others.
    const auto* server =
        index.find(IndexKey::ip(KeyKind::DstIp, *net::IpAddress::parse("10.0.0.1")));
    QVERIFY(server && server->size() == std::size_t(packets));
    QCOMPARE(index.find(IndexKey::number(KeyKind::SrcPort, 0, 2))->size(),
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
      QVERIFY2(!index.find(key), ip);  // really absent
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
