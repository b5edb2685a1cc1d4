// SPDX-License-Identifier: MIT
// The segment index's posting table: every key found again with its list through many
// growths, absent keys (other kinds, lengths and values) not found, keys that differ only in
// their last byte kept apart, sorted() in IndexKey order, equality regardless of insertion
// order, emplace() refusing a key already there.

#include <QTest>
#include <algorithm>
#include <random>

#include "node/store/posting_table.h"

using netlens::node::store::IndexKey;
using netlens::node::store::KeyKind;
using netlens::node::store::PostingTable;

namespace {

IndexKey v6(std::uint32_t n, std::uint8_t last) {
  netlens::net::IpAddress a = *netlens::net::IpAddress::parse("2001:db8::");
  a.bytes[12] = static_cast<std::uint8_t>(n >> 24);
  a.bytes[13] = static_cast<std::uint8_t>(n >> 16);
  a.bytes[14] = static_cast<std::uint8_t>(n >> 8);
  a.bytes[15] = last;
  return IndexKey::ip(KeyKind::SrcIp, a);
}

}  // namespace

class TestPostingTable : public QObject {
  Q_OBJECT

 private slots:
  void findsEveryKeyThroughGrowth() {
    PostingTable table;
    std::vector<IndexKey> keys;
    for (std::uint32_t i = 0; i < 20'000; ++i) {
      keys.push_back(IndexKey::number(KeyKind::SrcPort, i % 65536, 2));
      keys.push_back(v6(i, static_cast<std::uint8_t>(i)));
    }
    keys.push_back(IndexKey::number(KeyKind::IpProtocol, 6, 1));
    for (std::uint32_t n = 0; n < keys.size(); ++n) table[keys[n]].push_back(n);
    QCOMPARE(table.size(), keys.size());
    for (std::uint32_t n = 0; n < keys.size(); ++n) {
      const auto* list = table.find(keys[n]);
      QVERIFY(list != nullptr);
      QCOMPARE(*list, std::vector<std::uint32_t>{n});
    }
    // Same value, other kind or length; a value never added.
    QVERIFY(table.find(IndexKey::number(KeyKind::DstPort, 7, 2)) == nullptr);
    QVERIFY(table.find(IndexKey::number(KeyKind::SrcPort, 7, 4)) == nullptr);
    QVERIFY(table.find(v6(30'000, 1)) == nullptr);
    QVERIFY(PostingTable().find(keys.front()) == nullptr);
  }

  void keysDifferingInTheLastByteStayApart() {
    PostingTable table;
    table[v6(1, 1)].push_back(10);
    table[v6(1, 2)].push_back(20);
    table[v6(1, 1)].push_back(11);
    QCOMPARE(table.size(), std::size_t{2});
    QCOMPARE(*table.find(v6(1, 1)), (std::vector<std::uint32_t>{10, 11}));
    QCOMPARE(*table.find(v6(1, 2)), (std::vector<std::uint32_t>{20}));
  }

  void sortedFollowsKeyOrder() {
    PostingTable table;
    std::mt19937 random(5);
    for (int i = 0; i < 5000; ++i) {
      const auto kind = static_cast<KeyKind>(1 + random() % 8);
      switch (random() % 3) {
        case 0:
          table[IndexKey::number(kind, random() % 70000, 2)].push_back(
              static_cast<std::uint32_t>(i));
          break;
        case 1:
          table[v6(random() % 1000, static_cast<std::uint8_t>(random()))].push_back(
              static_cast<std::uint32_t>(i));
          break;
        default:
          table[IndexKey::number(kind, random(), 4)].push_back(static_cast<std::uint32_t>(i));
      }
    }
    const auto sorted = table.sorted();
    QCOMPARE(sorted.size(), table.size());
    for (std::size_t i = 1; i < sorted.size(); ++i)
      QVERIFY(sorted[i - 1]->first < sorted[i]->first);
  }

  void equalRegardlessOfOrder() {
    PostingTable a;
    PostingTable b;
    for (std::uint32_t i = 0; i < 3000; ++i) a[IndexKey::number(KeyKind::Vlan, i, 2)] = {i, i + 1};
    for (std::uint32_t i = 3000; i-- > 0;) b[IndexKey::number(KeyKind::Vlan, i, 2)] = {i, i + 1};
    QVERIFY(a == b);
    b[IndexKey::number(KeyKind::Vlan, 5, 2)].push_back(9);
    QVERIFY(!(a == b));
    PostingTable c = a;
    QVERIFY(c == a);
    QVERIFY(!c.emplace(IndexKey::number(KeyKind::Vlan, 5, 2), {1}));
    QCOMPARE(*c.find(IndexKey::number(KeyKind::Vlan, 5, 2)), (std::vector<std::uint32_t>{5, 6}));
    QVERIFY(c.emplace(IndexKey::number(KeyKind::Vlan, 4000, 2), {1}));
    QVERIFY(!(c == a));
  }
};

QTEST_GUILESS_MAIN(TestPostingTable)
#include "tst_posting_table.moc"
