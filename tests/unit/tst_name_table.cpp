// SPDX-License-Identifier: MIT
// NameTable: most-recent-first order, de-duplication ignoring case, caps on count and length,
// DHCP bindings across messages in either order, the change list, and the memory budget.

#include <QTest>
#include <cstdint>
#include <string>
#include <vector>

#include "node/analysis/name_table.h"

using namespace netlens;
using node::analysis::LearnedName;
using node::analysis::NameSource;
using node::analysis::NameTable;
using node::analysis::NameTableConfig;

namespace {

net::IpAddress ip(const char* text) {
  return *net::IpAddress::parse(text);
}
net::MacAddress mac(const char* text) {
  return *net::MacAddress::parse(text);
}

template <typename Key>
std::vector<std::string> names(const NameTable& table, const Key& key) {
  std::vector<LearnedName> learned;
  table.namesOf(key, learned);
  std::vector<std::string> out;
  for (const auto& n : learned) out.push_back(n.name);
  return out;
}

using Strings = std::vector<std::string>;

node::analysis::DhcpMessage dhcp(std::uint8_t op, std::uint8_t type, const char* hostName,
                                 const char* ciaddr = nullptr, const char* yiaddr = nullptr) {
  node::analysis::DhcpMessage m;
  m.op = op;
  m.messageType = type;
  m.hasClientMac = true;
  m.clientMac = mac("00:1b:63:00:00:01");
  if (ciaddr != nullptr) m.clientAddress = ip(ciaddr);
  if (yiaddr != nullptr) m.yourAddress = ip(yiaddr);
  const std::string h = hostName != nullptr ? hostName : "";
  std::copy(h.begin(), h.end(), m.hostName.begin());
  m.hostNameLength = static_cast<std::uint8_t>(h.size());
  return m;
}

}  // namespace

class TestNameTable : public QObject {
  Q_OBJECT

 private slots:
  void mostRecentFirstDeduplicatedAndCapped() {
    NameTableConfig config;
    config.maxNamesPerKey = 3;
    NameTable t(config);
    const auto a = ip("192.0.2.1");
    t.addName(a, "one.example", NameSource::Dns, 10);
    t.addName(a, "two.example", NameSource::Dns, 20);
    t.addName(a, "three.example", NameSource::Dns, 30);
    QCOMPARE(names(t, a), (Strings{"three.example", "two.example", "one.example"}));
    // Seen again: moves to the front, in its new spelling, keeping the newest time.
    t.addName(a, "ONE.example", NameSource::Mdns, 40);
    QCOMPARE(names(t, a), (Strings{"ONE.example", "three.example", "two.example"}));
    std::vector<LearnedName> learned;
    t.namesOf(a, learned);
    QCOMPARE(learned[0].source, NameSource::Mdns);
    QCOMPARE(learned[0].lastSeen, 40);
    // A fourth name pushes out the oldest.
    t.addName(a, "four.example", NameSource::Dns, 50);
    QCOMPARE(names(t, a), (Strings{"four.example", "ONE.example", "three.example"}));
    QCOMPARE(t.stats().namesLearned, std::uint64_t(4));
    QCOMPARE(t.size(), std::size_t(1));
    // Refreshing the newest name changes nothing but its time.
    t.addName(a, "four.example", NameSource::Dns, 60);
    learned.clear();
    t.namesOf(a, learned);
    QCOMPARE(learned.size(), std::size_t(3));
    QCOMPARE(learned[0].lastSeen, 60);
    QCOMPARE(learned[1].lastSeen, 40);
  }

  void longNamesAreCutAtCharacterBoundaries() {
    NameTableConfig config;
    config.maxNameLength = 5;
    NameTable t(config);
    t.addName(ip("192.0.2.1"), "abcdefgh", NameSource::Dhcp, 1);
    QCOMPARE(names(t, ip("192.0.2.1")), Strings{"abcde"});
    t.addName(ip("192.0.2.2"), "abcd\xc3\xb6", NameSource::Dhcp, 1);  // ö would be split
    QCOMPARE(names(t, ip("192.0.2.2")), Strings{"abcd"});
    t.addName(ip("192.0.2.3"), "", NameSource::Dhcp, 1);
    QCOMPARE(t.size(), std::size_t(2));
  }

  void addressesAndMacsAreSeparateKeys() {
    NameTable t;
    t.addName(ip("2001:db8::1"), "v6.example", NameSource::Dns, 1);
    t.addName(ip("0.0.0.1"), "v4.example", NameSource::Dns, 1);
    t.addName(mac("00:00:00:01:00:00"), "nic", NameSource::Dhcp, 1);
    QCOMPARE(names(t, ip("2001:db8::1")), Strings{"v6.example"});
    QCOMPARE(names(t, ip("0.0.0.1")), Strings{"v4.example"});
    QCOMPARE(names(t, mac("00:00:00:01:00:00")), Strings{"nic"});
    QVERIFY(names(t, ip("::1")).empty());
    QCOMPARE(t.size(), std::size_t(3));
  }

  void dnsAnswersPutTheQueriedNameFirst() {
    // A response built on the wire: www.example.com CNAME cdn.example.com (data at offset
    // 45, compressed to "cdn" + a pointer to "example.com" at 16), A 192.0.2.80.
    const std::vector<std::uint8_t> m = {
        0,    1,   0x81, 0x80, 0, 1,   0,   2,   0,   0,   0,   0,  // header
        3,    'w', 'w',  'w',  7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3,   'c', 'o', 'm', 0,  // 12
        0,    1,   0,    1,  // A, IN
        0xc0, 12,  0,    5,    0, 1,   0,   0,   0,   60,  0,   6,   3,   'c', 'd', 'n', 0xc0,
        16,                                                                               // 33
        0xc0, 45,  0,    1,    0, 1,   0,   0,   0,   60,  0,   4,   192, 0,   2,   80};  // 51
    node::analysis::DnsAnswers answers;
    const auto s = node::analysis::DnsNameParser::parseMessage(
        m.data(), m.size(), node::analysis::DnsProtocol::Dns, answers);
    QCOMPARE(s, node::analysis::DnsStatus::Ok);
    NameTable t;
    t.learnDns(s, answers, 5);
    QCOMPARE(names(t, ip("192.0.2.80")), (Strings{"www.example.com", "cdn.example.com"}));
    std::vector<LearnedName> learned;
    t.namesOf(ip("192.0.2.80"), learned);
    QCOMPARE(learned[0].source, NameSource::Dns);
    QCOMPARE(t.stats().dns[0], std::uint64_t(1));
    t.learnDns(node::analysis::DnsStatus::NameTooLong, node::analysis::DnsAnswers{}, 6);
    QCOMPARE(t.stats().dnsMalformed(), std::uint64_t(1));
  }

  void dhcpNameThenAck() {
    NameTable t;
    t.learnDhcp(node::analysis::DhcpStatus::Ok, dhcp(1, 1, "laptop"), 1);  // DISCOVER
    QCOMPARE(names(t, mac("00:1b:63:00:00:01")), Strings{"laptop"});
    t.learnDhcp(node::analysis::DhcpStatus::Ok, dhcp(2, 2, nullptr, nullptr, "192.0.2.50"), 2);
    QVERIFY(names(t, ip("192.0.2.50")).empty());  // an OFFER binds nothing
    t.learnDhcp(node::analysis::DhcpStatus::Ok, dhcp(2, 5, nullptr, nullptr, "192.0.2.50"), 3);
    QCOMPARE(names(t, ip("192.0.2.50")), Strings{"laptop"});
    std::vector<LearnedName> learned;
    t.namesOf(ip("192.0.2.50"), learned);
    QCOMPARE(learned[0].source, NameSource::Dhcp);
    QCOMPARE(learned[0].lastSeen, 3);
  }

  void dhcpBindingThenName() {
    NameTable t;
    t.learnDhcp(node::analysis::DhcpStatus::Ok, dhcp(1, 7, nullptr, "192.0.2.60"), 1);  // RELEASE
    QCOMPARE(t.size(), std::size_t(1));  // the MAC, remembering its address
    QVERIFY(names(t, ip("192.0.2.60")).empty());
    t.learnDhcp(node::analysis::DhcpStatus::Ok, dhcp(1, 1, "DESKTOP-9"), 2);  // DISCOVER
    QCOMPARE(names(t, ip("192.0.2.60")), Strings{"DESKTOP-9"});
    QCOMPARE(names(t, mac("00:1b:63:00:00:01")), Strings{"DESKTOP-9"});
  }

  void dhcpNameAndAddressInOneMessageAndFqdnOrder() {
    NameTable t;
    auto m = dhcp(1, 8, "pc-1", "192.0.2.70");  // INFORM
    const std::string fqdn = "pc-1.corp.example";
    std::copy(fqdn.begin(), fqdn.end(), m.fqdn.begin());
    m.fqdnLength = static_cast<std::uint8_t>(fqdn.size());
    t.learnDhcp(node::analysis::DhcpStatus::Ok, m, 1);
    QCOMPARE(names(t, ip("192.0.2.70")), (Strings{"pc-1", "pc-1.corp.example"}));
    QCOMPARE(names(t, mac("00:1b:63:00:00:01")), (Strings{"pc-1", "pc-1.corp.example"}));
    // Damaged messages are counted, never learned.
    t.learnDhcp(node::analysis::DhcpStatus::BadOption, dhcp(1, 8, "evil", "192.0.2.71"), 2);
    QVERIFY(names(t, ip("192.0.2.71")).empty());
    QCOMPARE(t.stats().dhcpMalformed(), std::uint64_t(1));
  }

  void changesAreListedOnce() {
    NameTable t;
    std::vector<net::IpAddress> addresses;
    std::vector<net::MacAddress> macs;
    t.addName(ip("192.0.2.1"), "a", NameSource::Dns, 1);
    t.addName(ip("192.0.2.1"), "b", NameSource::Dns, 2);
    t.addName(mac("00:00:00:00:00:01"), "m", NameSource::Dhcp, 2);
    t.collectChanges(addresses, macs);
    QCOMPARE(addresses.size(), std::size_t(1));
    QCOMPARE(macs.size(), std::size_t(1));
    addresses.clear();
    macs.clear();
    t.addName(ip("192.0.2.1"), "b", NameSource::Dns, 3);  // refreshed only
    t.collectChanges(addresses, macs);
    QVERIFY(addresses.empty() && macs.empty());
    t.addName(ip("192.0.2.1"), "a", NameSource::Dns, 4);  // order changed
    t.collectChanges(addresses, macs);
    QCOMPARE(addresses.size(), std::size_t(1));
  }

  void budgetEvictsLeastRecentlyUpdated() {
    NameTableConfig config;
    config.memoryBudgetBytes = 64 * 1024;
    NameTable t(config);
    std::vector<net::IpAddress> addresses;
    std::vector<net::MacAddress> macs;
    const std::string longName(200, 'x');  // beyond any inline string buffer
    for (std::uint32_t i = 0; i < 20000; ++i) {
      net::IpAddress a;
      a.family = 4;
      a.bytes[0] = 10;
      a.bytes[1] = static_cast<std::uint8_t>(i >> 16);
      a.bytes[2] = static_cast<std::uint8_t>(i >> 8);
      a.bytes[3] = static_cast<std::uint8_t>(i);
      t.addName(a, i % 2 ? longName + std::to_string(i) : "h" + std::to_string(i), NameSource::Dns,
                i);
      QVERIFY2(t.memoryUsed() <= config.memoryBudgetBytes,
               qPrintable(QStringLiteral("%1 bytes after %2 names").arg(t.memoryUsed()).arg(i)));
      if (i % 1000 == 0) t.collectChanges(addresses, macs);
    }
    QVERIFY(t.size() > 50);
    QVERIFY(t.size() < 20000);
    QCOMPARE(t.stats().evictions, std::uint64_t(20000 - t.size()));
    QCOMPARE(names(t, ip("10.0.78.30")), Strings{"h19998"});  // the newest stay
    QCOMPARE(names(t, ip("10.0.78.31")), Strings{longName + "19999"});
    QVERIFY(names(t, ip("10.0.0.0")).empty());  // the oldest went
    // Touching an old key keeps it.
    NameTable u(config);
    u.addName(ip("192.0.2.1"), "kept", NameSource::Dns, 0);
    for (std::uint32_t i = 0; i < 5000; ++i) {
      net::IpAddress a = ip("10.0.0.0");
      a.bytes[2] = static_cast<std::uint8_t>(i >> 8);
      a.bytes[3] = static_cast<std::uint8_t>(i);
      u.addName(a, "n", NameSource::Dns, i);
      u.addName(ip("192.0.2.1"), "kept", NameSource::Dns, i);
    }
    QCOMPARE(names(u, ip("192.0.2.1")), Strings{"kept"});
    // Evicted keys are reported as changed (they have no names now).
    addresses.clear();
    u.collectChanges(addresses, macs);
    QVERIFY(addresses.size() > u.size());
  }
};

QTEST_APPLESS_MAIN(TestNameTable)
#include "tst_name_table.moc"
