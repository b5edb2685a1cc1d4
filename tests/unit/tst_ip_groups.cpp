// SPDX-License-Identifier: MIT
// IP groups: prefix parsing, validation messages, limits, the groups file format, overlapping
// groups and longest-prefix lookup (checked against a bit-by-bit oracle on random sets), IPv6
// and IPv4-mapped addresses, and group sums.

#include <QTest>

#include <random>

#include "shared/net/ip_groups.h"

using namespace netlens;
using net::IpGroupSet;
using net::IpPrefix;
using protocol::GroupDefinition;

namespace {

net::IpAddress ip(const char* text) {
  auto a = net::IpAddress::parse(text);
  if (!a) qFatal("bad test address %s", text);
  return *a;
}

IpGroupSet groups(const std::vector<GroupDefinition>& defs, std::uint32_t maxGroups = 32) {
  auto set = IpGroupSet::create(defs, maxGroups);
  if (!set) qFatal("create failed: %s", set.error().c_str());
  return std::move(*set);
}

std::string groupOf(const IpGroupSet& set, const char* address) {
  const int g = set.mostSpecific(ip(address));
  return g < 0 ? std::string() : set.definitions()[static_cast<std::size_t>(g)].name;
}

std::vector<std::string> allOf(const IpGroupSet& set, const char* address) {
  std::vector<std::uint32_t> indices;
  set.allContaining(ip(address), indices);
  std::vector<std::string> names;
  for (auto i : indices) names.push_back(set.definitions()[i].name);
  return names;
}

/// Oracle: bit-by-bit comparison, sharing no code with the lookup.
bool inPrefix(const net::IpAddress& a, const net::IpAddress& network, int length) {
  if (a.family != network.family) return false;
  for (int bit = 0; bit < length; ++bit) {
    const int mask = 0x80 >> (bit % 8);
    if ((a.bytes[bit / 8] & mask) != (network.bytes[bit / 8] & mask)) return false;
  }
  return true;
}

}  // namespace

Q_DECLARE_METATYPE(std::vector<GroupDefinition>)

class TestIpGroups : public QObject {
  Q_OBJECT

 private slots:
  void parsePrefix_data();
  void parsePrefix();
  void overlapAndLongestPrefix();
  void ipv6();
  void mappedAddressesAreIpv6();
  void invalidDefinitions_data();
  void invalidDefinitions();
  void limits();
  void fileFormat();
  void fileErrorsNameTheLine_data();
  void fileErrorsNameTheLine();
  void randomAgainstOracle();
  void statistics();
};

void TestIpGroups::parsePrefix_data() {
  QTest::addColumn<QString>("text");
  QTest::addColumn<QString>("canonical");  // "" = refused
  QTest::addColumn<QString>("error");      // part of the message when refused
  QTest::newRow("v4 /8") << "10.0.0.0/8"
                         << "10.0.0.0/8"
                         << "";
  QTest::newRow("v4 /0") << "0.0.0.0/0"
                         << "0.0.0.0/0"
                         << "";
  QTest::newRow("v4 host") << "192.168.1.7"
                           << "192.168.1.7/32"
                           << "";
  QTest::newRow("v4 /32") << "192.168.1.7/32"
                          << "192.168.1.7/32"
                          << "";
  QTest::newRow("v4 /31") << "192.168.1.6/31"
                          << "192.168.1.6/31"
                          << "";
  QTest::newRow("v6 /32") << "2001:DB8::/32"
                          << "2001:db8::/32"
                          << "";
  QTest::newRow("v6 /0") << "::/0"
                         << "::/0"
                         << "";
  QTest::newRow("v6 /127") << "2001:db8::2/127"
                           << "2001:db8::2/127"
                           << "";
  QTest::newRow("v6 host") << "fe80::1"
                           << "fe80::1/128"
                           << "";
  QTest::newRow("v4 host bits") << "10.0.0.1/8"
                                << ""
                                << "has host bits set (the network is 10.0.0.0/8)";
  QTest::newRow("v4 host bits in last bit") << "192.168.1.7/31"
                                            << ""
                                            << "(the network is 192.168.1.6/31)";
  QTest::newRow("v6 host bits") << "2001:db8::1/64"
                                << ""
                                << "(the network is 2001:db8::/64)";
  QTest::newRow("v4 /33") << "10.0.0.0/33"
                          << ""
                          << "bad prefix length (0 to 32 for IPv4)";
  QTest::newRow("v6 /129") << "::/129"
                           << ""
                           << "bad prefix length (0 to 128 for IPv6)";
  QTest::newRow("empty length") << "10.0.0.0/"
                                << ""
                                << "bad prefix length";
  QTest::newRow("signed length") << "10.0.0.0/+8"
                                 << ""
                                 << "bad prefix length";
  QTest::newRow("length with junk") << "10.0.0.0/8x"
                                    << ""
                                    << "bad prefix length";
  QTest::newRow("huge length") << "10.0.0.0/0008"
                               << ""
                               << "bad prefix length";
  QTest::newRow("not an address") << "10.0.0/8"
                                  << ""
                                  << "is not an IPv4 or IPv6 network";
  QTest::newRow("name") << "office"
                        << ""
                        << "is not an IPv4 or IPv6 network";
  QTest::newRow("empty") << ""
                         << ""
                         << "is not an IPv4 or IPv6 network";
}

void TestIpGroups::parsePrefix() {
  QFETCH(QString, text);
  QFETCH(QString, canonical);
  QFETCH(QString, error);
  auto p = IpPrefix::parse(text.toStdString());
  if (canonical.isEmpty()) {
    QVERIFY(!p.ok());
    QVERIFY2(QString::fromStdString(p.error()).contains(error), p.error().c_str());
  } else {
    QVERIFY2(p.ok(), p.error().c_str());
    QCOMPARE(QString::fromStdString(p->toString()), canonical);
  }
}

void TestIpGroups::overlapAndLongestPrefix() {
  const auto set = groups({{"everything", {"0.0.0.0/0"}},
                           {"corp", {"10.0.0.0/8", "172.16.0.0/12"}},
                           {"lab", {"10.20.0.0/16"}},
                           {"lab-core", {"10.20.30.0/24"}},
                           {"same-as-lab", {"10.20.0.0/16"}},
                           {"router", {"10.20.30.1/32"}}});
  QCOMPARE(groupOf(set, "10.20.30.1"), std::string("router"));
  QCOMPARE(groupOf(set, "10.20.30.2"), std::string("lab-core"));
  // Two groups with the same prefix: the one defined first is the address's group...
  QCOMPARE(groupOf(set, "10.20.99.1"), std::string("lab"));
  QCOMPARE(groupOf(set, "10.99.0.1"), std::string("corp"));
  QCOMPARE(groupOf(set, "172.31.255.255"), std::string("corp"));
  QCOMPARE(groupOf(set, "172.32.0.0"), std::string("everything"));
  // ... and the address counts in every group that contains it, in definition order.
  QCOMPARE(
      allOf(set, "10.20.30.1"),
      (std::vector<std::string>{"everything", "corp", "lab", "lab-core", "same-as-lab", "router"}));
  QCOMPARE(allOf(set, "10.20.99.1"),
           (std::vector<std::string>{"everything", "corp", "lab", "same-as-lab"}));
  QCOMPARE(allOf(set, "8.8.8.8"), (std::vector<std::string>{"everything"}));
  // IPv4 prefixes never match IPv6 addresses, not even ::/0's counterpart 0.0.0.0/0.
  QCOMPARE(groupOf(set, "2001:db8::1"), std::string());
  QVERIFY(allOf(set, "::").empty());
  QCOMPARE(set.mostSpecific(net::IpAddress{}), -1);
}

void TestIpGroups::ipv6() {
  const auto set = groups({{"doc", {"2001:db8::/32"}},
                           {"doc-64", {"2001:db8:0:1::/64"}},
                           {"doc-65", {"2001:db8:0:1:8000::/65"}},
                           {"one", {"2001:db8:0:1:8000::5/128"}},
                           {"link-local", {"fe80::/10"}},
                           {"v6-all", {"::/0"}}});
  QCOMPARE(groupOf(set, "2001:db8:0:1:8000::5"), std::string("one"));
  QCOMPARE(groupOf(set, "2001:db8:0:1:8000::6"), std::string("doc-65"));
  QCOMPARE(groupOf(set, "2001:db8:0:1:7fff::6"), std::string("doc-64"));
  QCOMPARE(groupOf(set, "2001:db8:ffff::1"), std::string("doc"));
  QCOMPARE(groupOf(set, "2001:db9::1"), std::string("v6-all"));
  QCOMPARE(groupOf(set, "febf:ffff::1"), std::string("link-local"));
  QCOMPARE(groupOf(set, "fec0::1"), std::string("v6-all"));
  QCOMPARE(allOf(set, "2001:db8:0:1:8000::5"),
           (std::vector<std::string>{"doc", "doc-64", "doc-65", "one", "v6-all"}));
  QCOMPARE(groupOf(set, "10.0.0.1"), std::string());
}

void TestIpGroups::mappedAddressesAreIpv6() {
  // Decision: ::ffff:10.0.0.1 is an IPv6 address (the host table keeps it apart from
  // 10.0.0.1), so only IPv6 prefixes contain it.
  const auto set = groups({{"ten", {"10.0.0.0/8"}}, {"mapped", {"::ffff:0:0/96"}}});
  QCOMPARE(groupOf(set, "::ffff:10.0.0.1"), std::string("mapped"));
  QCOMPARE(groupOf(set, "10.0.0.1"), std::string("ten"));
  QVERIFY(!IpPrefix::parse("10.0.0.0/8")->contains(ip("::ffff:10.0.0.1")));
}

void TestIpGroups::invalidDefinitions_data() {
  QTest::addColumn<std::vector<GroupDefinition>>("defs");
  QTest::addColumn<QString>("error");  // the exact message
  using D = std::vector<GroupDefinition>;
  QTest::newRow("host bits") << D{{"ok", {"10.0.0.0/8"}}, {"lab", {"10.0.0.0/8", "10.1.0.0/8"}}}
                             << "group \"lab\": prefix \"10.1.0.0/8\" has host bits set (the "
                                "network is 10.0.0.0/8)";
  QTest::newRow("bad prefix") << D{{"lab", {"10.0.0.0/8", "bogus"}}}
                              << "group \"lab\": prefix \"bogus\" is not an IPv4 or IPv6 network "
                                 "(write 10.0.0.0/8 or 2001:db8::/32)";
  QTest::newRow("listed twice") << D{{"lab", {"10.0.0.0/8", "10.0.0.0/8"}}}
                                << "group \"lab\": prefix \"10.0.0.0/8\" is listed twice";
  QTest::newRow("listed twice in another spelling")
      << D{{"v6", {"2001:db8::/32", "2001:DB8:0::/32"}}}
      << "group \"v6\": prefix \"2001:DB8:0::/32\" is listed twice";
  QTest::newRow("duplicate name") << D{{"a", {"10.0.0.0/8"}}, {"a", {"11.0.0.0/8"}}}
                                  << "group \"a\" is defined twice";
  QTest::newRow("empty name") << D{{"", {"10.0.0.0/8"}}} << "a group needs a name";
  QTest::newRow("long name") << D{{std::string(65, 'n'), {"10.0.0.0/8"}}}
                             << "group name \"" + QString(65, 'n') + "\" is longer than 64 bytes";
  QTest::newRow("space in name") << D{{"my lab", {"10.0.0.0/8"}}}
                                 << "group name \"my lab\" contains white space or a control "
                                    "character";
  QTest::newRow("comment name") << D{{"#lab", {"10.0.0.0/8"}}}
                                << "group name \"#lab\" begins with '#'";
  QTest::newRow("no prefixes") << D{{"empty", {}}} << "group \"empty\" has no prefixes";
}

void TestIpGroups::invalidDefinitions() {
  QFETCH(std::vector<GroupDefinition>, defs);
  QFETCH(QString, error);
  auto set = IpGroupSet::create(defs);
  QVERIFY(!set.ok());
  QCOMPARE(QString::fromStdString(set.error()), error);
}

void TestIpGroups::limits() {
  std::vector<GroupDefinition> defs;
  for (int i = 0; i < 33; ++i) defs.push_back({"g" + std::to_string(i), {"10.0.0.0/8"}});
  // Default limit 32.
  auto over = IpGroupSet::create(defs);
  QVERIFY(!over.ok());
  QCOMPARE(QString::fromStdString(over.error()),
           QString("33 groups are more than this node's limit of 32 (netlens-node run "
                   "--max-groups N, at most 65535)"));
  defs.pop_back();
  QVERIFY(IpGroupSet::create(defs).ok());
  // Configurable up to 65535, and no further.
  defs.clear();
  for (int i = 0; i < 65535; ++i) defs.push_back({"g" + std::to_string(i), {"10.0.0.0/8"}});
  auto big = IpGroupSet::create(defs, 65535);
  QVERIFY2(big.ok(), big.error().c_str());
  QCOMPARE(big->size(), std::size_t(65535));
  QCOMPARE(big->mostSpecific(ip("10.1.2.3")), 0);
  std::vector<std::uint32_t> all;
  big->allContaining(ip("10.1.2.3"), all);
  QCOMPARE(all.size(), std::size_t(65535));
  QVERIFY(!IpGroupSet::create({}, 65536).ok());
  QVERIFY(!IpGroupSet::create({}, 0).ok());
  // Prefixes per group.
  GroupDefinition many{"many", {}};
  for (std::uint32_t i = 0; i <= protocol::kMaxPrefixesPerGroup; ++i)
    many.prefixes.push_back("10." + std::to_string(i / 256) + "." + std::to_string(i % 256) +
                            ".0/24");
  auto tooMany = IpGroupSet::create({many});
  QVERIFY(!tooMany.ok());
  QCOMPARE(QString::fromStdString(tooMany.error()),
           QString("group \"many\" has 4097 prefixes; at most 4096 are allowed"));
  many.prefixes.pop_back();
  QVERIFY(IpGroupSet::create({many}).ok());
}

void TestIpGroups::fileFormat() {
  const char* text =
      "# office networks\n"
      "\n"
      "office 192.168.10.0/24\t192.168.20.0/24   # two VLANs\n"
      "  dmz 203.0.113.0/24\r\n"
      "office 2001:db8:10::/48\n"
      "printer 192.168.10.9\n";
  auto defs = IpGroupSet::parseText(text, "groups.txt");
  QVERIFY2(defs.ok(), defs.error().c_str());
  QCOMPARE(defs->size(), std::size_t(3));
  QCOMPARE((*defs)[0].name, std::string("office"));
  QCOMPARE((*defs)[0].prefixes,
           (std::vector<std::string>{"192.168.10.0/24", "192.168.20.0/24", "2001:db8:10::/48"}));
  QCOMPARE((*defs)[1].name, std::string("dmz"));
  QCOMPARE((*defs)[2].prefixes, std::vector<std::string>{"192.168.10.9"});
  auto set = IpGroupSet::create(*defs);
  QVERIFY2(set.ok(), set.error().c_str());
  QCOMPARE(groupOf(*set, "192.168.10.9"), std::string("printer"));
  // toText reads back to the same set, in canonical form.
  auto again = IpGroupSet::parseText(set->toText(), "saved");
  QVERIFY2(again.ok(), again.error().c_str());
  QCOMPARE(*again, set->definitions());
  QCOMPARE(set->definitions()[2].prefixes, std::vector<std::string>{"192.168.10.9/32"});
  QVERIFY(IpGroupSet::parseText("# only comments\n\n", "x")->empty());
}

void TestIpGroups::fileErrorsNameTheLine_data() {
  QTest::addColumn<QString>("text");
  QTest::addColumn<QString>("error");
  QTest::newRow("host bits") << "a 10.0.0.0/8\n\nb 10.0.0.0/8 10.1.2.3/16\n"
                             << "g.txt:3: group \"b\": prefix \"10.1.2.3/16\" has host bits set "
                                "(the network is 10.1.0.0/16)";
  QTest::newRow("no prefix") << "# x\nlonely   # nothing\n"
                             << "g.txt:2: group \"lonely\" has no prefixes (write: name prefix "
                                "[prefix...])";
  QTest::newRow("prefix first") << "10.0.0.0/8 lab\n"
                                << "g.txt:1: group \"10.0.0.0/8\": prefix \"lab\" is not an IPv4 "
                                   "or IPv6 network (write 10.0.0.0/8 or 2001:db8::/32)";
  QTest::newRow("control character") << "a\x01 10.0.0.0/8\n"
                                     << "g.txt:1: group name \"a\x01\" contains white space or a "
                                        "control character";
}

void TestIpGroups::fileErrorsNameTheLine() {
  QFETCH(QString, text);
  QFETCH(QString, error);
  auto defs = IpGroupSet::parseText(text.toStdString(), "g.txt");
  QVERIFY(!defs.ok());
  QCOMPARE(QString::fromStdString(defs.error()), error);
}

void TestIpGroups::randomAgainstOracle() {
  // Random overlapping groups of both families against a bit-by-bit oracle: the most specific
  // group and the full membership list must agree for addresses inside and near the prefixes.
  std::mt19937_64 random(20240517);
  for (int round = 0; round < 20; ++round) {
    struct Def {
      net::IpAddress network;
      int length;
      std::uint32_t group;
    };
    std::vector<Def> oracle;
    std::vector<GroupDefinition> defs;
    const int groupCount = 1 + static_cast<int>(random() % 40);
    for (int g = 0; g < groupCount; ++g) {
      GroupDefinition d{"g" + std::to_string(g), {}};
      const int n = 1 + static_cast<int>(random() % 4);
      for (int k = 0; k < n; ++k) {
        net::IpAddress a;
        const bool v4 = random() % 2;
        a.family = v4 ? 4 : 6;
        // Few distinct leading bytes, so prefixes nest and overlap often.
        for (int b = 0; b < (v4 ? 4 : 16); ++b)
          a.bytes[b] = static_cast<std::uint8_t>(b < 2 ? random() % 3 : random());
        const int length = static_cast<int>(random() % ((v4 ? 32 : 128) + 1));
        for (int bit = length; bit < (v4 ? 32 : 128); ++bit)
          a.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80 >> (bit % 8)));
        const std::string text = a.toString() + "/" + std::to_string(length);
        if (std::find(d.prefixes.begin(), d.prefixes.end(), text) != d.prefixes.end()) continue;
        d.prefixes.push_back(text);
        oracle.push_back({a, length, static_cast<std::uint32_t>(g)});
      }
      defs.push_back(d);
    }
    const auto set = groups(defs, 65535);
    for (int probe = 0; probe < 2000; ++probe) {
      // An address inside a random prefix, with random bits after the prefix.
      const Def& near = oracle[random() % oracle.size()];
      net::IpAddress a = near.network;
      const int bits = a.isV4() ? 32 : 128;
      for (int bit = near.length; bit < bits; ++bit)
        if (random() % 2) a.bytes[bit / 8] |= static_cast<std::uint8_t>(0x80 >> (bit % 8));
      if (probe % 4 == 0) a.bytes[random() % (bits / 8)] ^= 0x10;  // sometimes outside
      int bestLength = -1;
      int best = -1;
      std::vector<std::uint32_t> expected;
      for (const Def& d : oracle) {
        if (!inPrefix(a, d.network, d.length)) continue;
        expected.push_back(d.group);
        if (d.length > bestLength || (d.length == bestLength && static_cast<int>(d.group) < best)) {
          bestLength = d.length;
          best = static_cast<int>(d.group);
        }
      }
      std::sort(expected.begin(), expected.end());
      expected.erase(std::unique(expected.begin(), expected.end()), expected.end());
      std::vector<std::uint32_t> got;
      set.allContaining(a, got);
      QCOMPARE(set.mostSpecific(a), best);
      QCOMPARE(got, expected);
    }
  }
}

void TestIpGroups::statistics() {
  const auto set = groups({{"corp", {"10.0.0.0/8"}},
                           {"lab", {"10.20.0.0/16", "2001:db8::/32"}},
                           {"nobody", {"192.0.2.0/24"}}});
  auto host = [](const char* address, std::uint64_t tx, std::int64_t first, std::int64_t last) {
    protocol::HostRecord h;
    h.ip = ip(address);
    h.txPackets = tx;
    h.txBytes = tx * 100;
    h.rxPackets = tx * 2;
    h.rxBytes = tx * 200;
    h.tcpPackets = tx;
    h.udpPackets = 1;
    h.firstSeen = first;
    h.lastSeen = last;
    h.packetsPerSecond = 0.5;
    h.bitsPerSecond = 400;
    return h;
  };
  std::vector<protocol::HostRecord> hosts{
      host("10.20.1.1", 1, 50, 60), host("10.1.1.1", 10, 40, 45), host("2001:db8::9", 100, 70, 80),
      host("8.8.8.8", 1000, 1, 2)};
  const auto all = set.statistics(hosts, true);
  QCOMPARE(all.size(), std::size_t(3));
  QCOMPARE(all[0].name, std::string("corp"));
  QCOMPARE(all[0].memberCount, std::uint64_t(2));  // the lab host counts in corp too
  QCOMPARE(all[0].txPackets, std::uint64_t(11));
  QCOMPARE(all[0].rxBytes, std::uint64_t(2200));
  QCOMPARE(all[0].udpPackets, std::uint64_t(2));
  QCOMPARE(all[0].firstSeen, std::int64_t(40));
  QCOMPARE(all[0].lastSeen, std::int64_t(60));
  QCOMPARE(all[0].bitsPerSecond, 800.0);
  QCOMPARE(all[0].members, (std::vector<net::IpAddress>{ip("10.1.1.1"), ip("10.20.1.1")}));
  QCOMPARE(all[1].memberCount, std::uint64_t(2));
  QCOMPARE(all[1].txPackets, std::uint64_t(101));
  QCOMPARE(all[1].prefixes, (std::vector<std::string>{"10.20.0.0/16", "2001:db8::/32"}));
  QCOMPARE(all[2].memberCount, std::uint64_t(0));
  QCOMPARE(all[2].firstSeen, std::int64_t(0));
  QVERIFY(all[2].members.empty());
  // Without members, and one group only.
  QVERIFY(set.statistics(hosts, false)[0].members.empty());
  const auto lab = set.statistics(hosts, true, 1);
  QCOMPARE(lab.size(), std::size_t(1));
  QCOMPARE(lab[0].name, std::string("lab"));
  QCOMPARE(lab[0].members.size(), std::size_t(2));
  // annotate: the most specific group, cleared when none.
  hosts[3].group = "stale";
  set.annotate(hosts);
  QCOMPARE(hosts[0].group, std::string("lab"));
  QCOMPARE(hosts[1].group, std::string("corp"));
  QCOMPARE(hosts[2].group, std::string("lab"));
  QCOMPARE(hosts[3].group, std::string());
}

QTEST_GUILESS_MAIN(TestIpGroups)
#include "tst_ip_groups.moc"
