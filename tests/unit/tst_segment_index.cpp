// SPDX-License-Identifier: MIT
// The packet store's segment index: what add() posts, an exact round trip through encode()
// and decode(), and damaged bytes (cut at every length, any byte changed) refused cleanly.

#include <QTest>
#include <random>

#include "node/store/segment_index.h"

using namespace netlens;
using node::store::IndexKey;
using node::store::KeyKind;
using node::store::SegmentIndex;

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
    QCOMPARE(back->times, index.times);
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
};

QTEST_GUILESS_MAIN(TestSegmentIndex)
#include "tst_segment_index.moc"
