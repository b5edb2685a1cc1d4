// SPDX-License-Identifier: MIT
// DnsNameParser on crafted messages (CNAME chains, compression, mDNS, LLMNR, DNS over TCP,
// and damage: pointer loops, over-long names, truncation at every length, huge counts,
// random mutations) and on every DNS capture of the shared corpus, whose learned names are
// compared with the answers tshark shows.

#include <QTest>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "node/analysis/dns_names.h"
#include "node/analysis/name_table.h"
#include "node/capture/pcap_source.h"
#include "shared/decoder/packet_decoder.h"
#include "tests/common/tshark_reference.h"

using namespace netlens;
using node::analysis::DnsAnswers;
using node::analysis::DnsName;
using node::analysis::DnsNameParser;
using node::analysis::DnsProtocol;
using node::analysis::DnsStatus;
using Bytes = std::vector<std::uint8_t>;
using Pair = std::pair<std::string, std::string>;  // address, name
namespace ref = netlens::tests;

Q_DECLARE_METATYPE(Bytes)
Q_DECLARE_METATYPE(DnsStatus)

namespace {

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
Bytes be16(std::uint32_t v) {
  return {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}
/// A name in uncompressed wire form; "" is the root.
Bytes name(const std::string& dotted) {
  Bytes out;
  std::size_t start = 0;
  while (start < dotted.size()) {
    std::size_t dot = dotted.find('.', start);
    if (dot == std::string::npos) dot = dotted.size();
    out.push_back(static_cast<std::uint8_t>(dot - start));
    out.insert(out.end(), dotted.begin() + start, dotted.begin() + dot);
    start = dot + 1;
  }
  out.push_back(0);
  return out;
}
/// Labels followed by a compression pointer to `offset`.
Bytes nameThen(const std::string& labels, std::uint16_t offset) {
  Bytes n = name(labels);
  n.pop_back();
  return cat(
      {n, {static_cast<std::uint8_t>(0xc0 | offset >> 8), static_cast<std::uint8_t>(offset)}});
}
Bytes pointer(std::uint16_t offset) {
  return {static_cast<std::uint8_t>(0xc0 | offset >> 8), static_cast<std::uint8_t>(offset)};
}
constexpr std::uint16_t kResponse = 0x8180;  // QR, RD, RA, NOERROR
Bytes header(std::uint16_t flags, std::uint16_t qd, std::uint16_t an, std::uint16_t ns = 0,
             std::uint16_t ar = 0) {
  return cat({be16(0x1234), be16(flags), be16(qd), be16(an), be16(ns), be16(ar)});
}
Bytes question(const Bytes& owner, std::uint16_t type = 1) {
  return cat({owner, be16(type), be16(1)});
}
Bytes rr(const Bytes& owner, std::uint16_t type, const Bytes& data, std::uint16_t rrClass = 1) {
  return cat({owner, be16(type), be16(rrClass), {0, 0, 0x0e, 0x10}, be16(data.size()), data});
}
Bytes a(std::uint8_t last) {
  return {192, 0, 2, last};
}
Bytes aaaa(std::uint8_t last) {
  return {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last};
}

/// www.example.com → (CNAME) edge.cdn.example.com → (CNAME) e1.cdn.example.com → A .1 and .2,
/// plus an A record answering no question (.9), names compressed as a server would.
Bytes cnameChainResponse() {
  // Offsets: header 12; question name at 12 ("www.example.com" = 17 octets) + 4.
  const Bytes q = question(name("www.example.com"));                 // 12..32
  const Bytes first = rr(pointer(12), 5, nameThen("edge.cdn", 16));  // edge.cdn.example.com
  const std::uint16_t edge = 33 + 12;  // the CNAME data starts after owner (2) + 10
  const Bytes second = rr(pointer(edge), 5, nameThen("e1", edge + 5));  // e1.cdn.example.com
  const std::uint16_t e1 = static_cast<std::uint16_t>(33 + first.size() + 12);
  return cat({header(kResponse, 1, 5), q, first, second, rr(pointer(e1), 1, a(1)),
              rr(pointer(e1), 1, a(2)), rr(name("other.example.org"), 1, a(9))});
}

std::vector<Pair> pairsOf(const DnsAnswers& answers) {
  std::vector<Pair> out;
  for (std::size_t i = 0; i < answers.size(); ++i) {
    const auto r = answers[i];
    out.emplace_back(r.address.toString(), std::string(r.name));
    if (!r.queriedName.empty()) out.emplace_back(r.address.toString(), std::string(r.queriedName));
  }
  return out;
}

DnsStatus parse(const Bytes& m, DnsAnswers& out, DnsProtocol p = DnsProtocol::Dns) {
  out.clear();
  return DnsNameParser::parseMessage(m.data(), m.size(), p, out);
}

// --- frames for parsePacket ---
Bytes ethIpv4Udp(std::uint16_t sport, std::uint16_t dport, const Bytes& payload,
                 std::uint16_t fragment = 0) {
  const Bytes udp = cat({be16(sport), be16(dport), be16(8 + payload.size()), {0, 0}, payload});
  const Bytes ip = cat({{0x45, 0},
                        be16(20 + udp.size()),
                        be16(1),
                        be16(fragment),
                        {64, 17, 0, 0},
                        {10, 0, 0, 1},
                        {10, 0, 0, 2},
                        udp});
  return cat({{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}, be16(0x0800), ip});
}
Bytes ethIpv4Tcp(std::uint16_t sport, std::uint16_t dport, const Bytes& payload) {
  const Bytes tcp = cat({be16(sport),
                         be16(dport),
                         {0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18},
                         be16(1000),
                         {0, 0, 0, 0},
                         payload});
  const Bytes ip = cat({{0x45, 0},
                        be16(20 + tcp.size()),
                        be16(1),
                        be16(0),
                        {64, 6, 0, 0},
                        {10, 0, 0, 1},
                        {10, 0, 0, 2},
                        tcp});
  return cat({{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}, be16(0x0800), ip});
}
DnsStatus parseFrame(const Bytes& frame, DnsAnswers& out, std::size_t captured = 0) {
  decoder::DecodedPacket packet;
  const auto cap = static_cast<std::uint32_t>(captured != 0 ? captured : frame.size());
  decoder::PacketDecoder::decode(decoder::linktype::kEthernet, frame.data(), cap,
                                 static_cast<std::uint32_t>(frame.size()), 0, packet);
  return DnsNameParser::parsePacket(packet, out);
}

// --- the corpus ---

/// What reading one capture through the project's reader, decoder and parser gave.
struct CaptureRun {
  bool opened = false;
  std::string error;
  std::set<Pair> pairs;
  std::map<DnsStatus, int> statuses;
  node::analysis::NameTable table;
};

void runCapture(const QString& capture, CaptureRun& run) {
  const auto source =
      node::capture::PcapSource::openFile(ref::capturePath(capture).toStdString(), &run.error);
  if (!source) return;
  run.opened = true;
  node::capture::RawPacket raw;
  decoder::DecodedPacket packet;
  DnsAnswers answers;
  while (source->next(raw) == node::capture::ReadStatus::Packet) {
    decoder::PacketDecoder::decode(raw.linkType, raw.data, raw.capturedLength, raw.wireLength,
                                   raw.timestampNs, packet);
    const DnsStatus s = DnsNameParser::parsePacket(packet, answers);
    if (s == DnsStatus::NotDns) continue;
    ++run.statuses[s];
    run.table.learnDns(s, answers, raw.timestampNs);
    for (const Pair& p : pairsOf(answers)) run.pairs.insert(p);
  }
}

/// Expected (address, name) pairs. Obtained with tshark 4.0 (`tshark -n -r F -T json -Y
/// dns.flags.response==1`): the A/AAAA records of each response's *Answers* tree, each
/// giving (address, owner name) and, when the owner is reached from the question's name
/// through the CNAME records of that answer section, (address, question name); names
/// lower-cased; responses that tshark reassembled from IP fragments left out (we do not
/// reassemble payloads; see kFragmentedOnly).
struct Expectation {
  const char* capture;
  std::vector<Pair> pairs;
  int malformed;   ///< responses we count as malformed
  int incomplete;  ///< responses that are not all in one packet
};

std::vector<Pair> sameNames(const char* prefix, std::initializer_list<int> lastOctets,
                            std::initializer_list<const char*> names) {
  std::vector<Pair> out;
  for (const int last : lastOctets) {
    for (const char* n : names) out.emplace_back(prefix + std::to_string(last), n);
  }
  return out;
}

std::vector<Expectation> expectations() {
  return {
      {"vxlan_outer_vlan_tls_dns.pcap",  // DNS inside VXLAN on an outer VLAN; A, AAAA, CNAME
       {{"157.240.224.35", "facebook.com"},
        {"157.240.224.35", "star-mini.c10r.facebook.com"},
        {"157.240.224.35", "www.facebook.com"},
        {"2a03:2880:f165:81:face:b00c:0:25de", "facebook.com"},
        {"2a03:2880:f165:81:face:b00c:0:25de", "star-mini.c10r.facebook.com"},
        {"2a03:2880:f165:81:face:b00c:0:25de", "www.facebook.com"}},
       0,
       0},
      {"linktype_null_loopback.pcap",  // one CNAME + 16 A; the server wrote "L.google.com"
       sameNames("212.199.219.",
                 {212, 216, 217, 221, 222, 226, 227, 231, 232, 236, 237, 241, 242, 246, 247, 251},
                 {"www-google-analytics.l.google.com", "www.google-analytics.com"}),
       0, 0},
      {"format_pcapng_many_interfaces.pcapng",  // pcapng, several link types; PTR answers too
       sameNames("74.125.228.", {224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 238},
                 {"clients.l.google.com", "clients6.google.com"}),
       0, 0},
      {"dns_edns_ecs_mixed_types.pcap",  // IPv4 and IPv6, UDP and TCP, EDNS, DNSSEC records
       {{"134.91.78.139", "sigok.verteiltesysteme.net"},
        {"156.154.64.154", "pdns154.ultradns.com"},
        {"156.154.65.154", "pdns154.ultradns.net"},
        {"156.154.66.154", "pdns154.ultradns.biz"},
        {"156.154.67.154", "pdns154.ultradns.org"},
        {"193.0.6.158", "atlas-ui.ripe.net"},
        {"193.0.6.158", "atlas.ripe.net"},
        {"194.247.5.14", "ns2.weberdns.de"},
        {"2001:470:1f0b:16b0::1", "fg2-mgmt.weberlab.de"},
        {"2001:470:1f0b:16b0::a26:53", "ns2.weberdns.de"},
        {"2001:502:4612::be", "pdns154.ultradns.org"},
        {"2001:502:f3ff::be", "pdns154.ultradns.com"},
        {"205.251.193.119", "ns-375.awsdns-46.com"},
        {"205.251.194.147", "ns-659.awsdns-18.net"},
        {"205.251.194.237", "ns-749.awsdns-29.net"},
        {"205.251.197.209", "ns-1489.awsdns-58.org"},
        {"205.251.197.92", "ns-1372.awsdns-43.org"},
        {"205.251.198.70", "ns-1606.awsdns-08.co.uk"},
        {"205.251.199.192", "ns-1984.awsdns-56.co.uk"},
        {"2600:9000:5301:7700::1", "ns-375.awsdns-46.com"},
        {"2600:9000:5302:9300::1", "ns-659.awsdns-18.net"},
        {"2600:9000:5302:ed00::1", "ns-749.awsdns-29.net"},
        {"2600:9000:5305:5c00::1", "ns-1372.awsdns-43.org"},
        {"2600:9000:5305:d100::1", "ns-1489.awsdns-58.org"},
        {"2600:9000:5306:4600::1", "ns-1606.awsdns-08.co.uk"},
        {"2600:9000:5307:c000::1", "ns-1984.awsdns-56.co.uk"},
        {"2606:4700:30::6818:6291", "erfpop.de"},
        {"2606:4700:30::6818:6391", "erfpop.de"},
        {"2610:a1:1014::be", "pdns154.ultradns.net"},
        {"2610:a1:1015::be", "pdns154.ultradns.biz"},
        {"34.252.114.84", "www.eu-west-1.prodaa.netflix.com"},
        {"34.252.114.84", "www.netflix.com"},
        {"34.253.36.84", "www.eu-west-1.prodaa.netflix.com"},
        {"34.253.36.84", "www.netflix.com"},
        {"52.208.174.58", "www.eu-west-1.prodaa.netflix.com"},
        {"52.208.174.58", "www.netflix.com"},
        {"54.154.12.178", "www.eu-west-1.prodaa.netflix.com"},
        {"54.154.12.178", "www.netflix.com"},
        {"54.194.103.216", "www.eu-west-1.prodaa.netflix.com"},
        {"54.194.103.216", "www.netflix.com"},
        {"54.194.216.197", "www.eu-west-1.prodaa.netflix.com"},
        {"54.194.216.197", "www.netflix.com"},
        {"54.229.85.178", "www.eu-west-1.prodaa.netflix.com"},
        {"54.229.85.178", "www.netflix.com"},
        {"54.77.199.154", "www.eu-west-1.prodaa.netflix.com"},
        {"54.77.199.154", "www.netflix.com"},
        {"80.154.108.230", "ns1.weberdns.de"},
        {"85.25.234.253", "formel1.de"}},
       0,
       -1},
      {"dns_over_fragmented_udp.pcap",
       {{"134.91.78.139", "sigok.verteiltesysteme.net"},
        {"194.247.5.14", "ns2.weberdns.de"},
        {"2001:470:1f0b:16b0::1", "fg2-mgmt.weberlab.de"},
        {"2001:470:1f0b:16b0::a26:53", "ns2.weberdns.de"},
        {"2606:4700:30::6818:6291", "erfpop.de"},
        {"2606:4700:30::6818:6391", "erfpop.de"},
        {"85.25.234.253", "formel1.de"}},
       0,
       -1},
      {"mixed_http_dns_dhcp_tls_retrans.pcap",
       {{"106.185.35.110", "jp.kankan.1kxun.mobi"},
        {"106.185.35.112", "jp.kankan.1kxun.mobi"},
        {"106.186.19.58", "pic.1kxun.com"},
        {"106.187.35.246", "pic.1kxun.com"},
        {"128.199.111.169", "pic.1kxun.com"},
        {"128.199.186.232", "pic.1kxun.com"},
        {"203.205.151.234", "proxy-set1.video.qq.com"},
        {"203.205.151.234", "vv.video.qq.com"},
        {"203.69.81.66", "a1867.g2.akamai.net"},
        {"203.69.81.66", "dl-obs.official.line.naver.jp"},
        {"203.69.81.73", "a1867.g2.akamai.net"},
        {"203.69.81.73", "dl-obs.official.line.naver.jp"},
        {"222.73.254.113", "kankan.1kxun.com"},
        {"222.73.254.167", "kankan.1kxun.com"},
        {"61.220.62.218", "a1867.g2.akamai.net"},
        {"61.220.62.218", "dl-obs.official.line.naver.jp"}},
       0,
       0},
      // tshark shows www.xt.com → 66.66.66.66 in each of its four responses, but each also
      // holds a CNAME whose data is a name longer than 255 octets: the message is damaged
      // and nothing of it is learned.
      {"malformed_dns.pcap", {}, 4, 0},
  };
}

/// In dns_edns_ecs_mixed_types.pcap and dns_over_fragmented_udp.pcap some responses came in
/// IPv4 or IPv6 fragments; these pairs appear in no other response, so they are not learned
/// here (tshark reassembles the datagrams first).
const std::vector<Pair> kFragmentedOnly{{"2001:470:1f0b:1024::2", "pa.weberlab.de"},
                                        {"194.247.4.10", "fg2.weberlab.de"}};

QString describe(const std::set<Pair>& pairs) {
  QStringList lines;
  for (const auto& [address, n] : pairs) {
    lines << QString::fromStdString(address + " " + n);
  }
  return lines.join(QStringLiteral("\n  "));
}

}  // namespace

class TestDnsNames : public QObject {
  Q_OBJECT

 private slots:
  void cnameChainGivesQueriedAndCanonicalNames() {
    DnsAnswers out;
    QCOMPARE(parse(cnameChainResponse(), out), DnsStatus::Ok);
    QCOMPARE(out.size(), std::size_t(3));
    QCOMPARE(out.responses(), std::size_t(1));
    for (int i = 0; i < 2; ++i) {
      QCOMPARE(out[i].address.toString(), std::string(i == 0 ? "192.0.2.1" : "192.0.2.2"));
      QCOMPARE(out[i].name, std::string_view("e1.cdn.example.com"));
      QCOMPARE(out[i].queriedName, std::string_view("www.example.com"));
    }
    // Answers no question: its own name only. The middle of the chain is never given.
    QCOMPARE(out[2].name, std::string_view("other.example.org"));
    QVERIFY(out[2].queriedName.empty());
    for (const Pair& p : pairsOf(out)) QVERIFY(p.second != "edge.cdn.example.com");
  }

  void directAnswerIsLowerCasedWithoutQueriedName() {
    const Bytes m = cat({header(kResponse, 1, 2), question(name("WwW.Example.COM")),
                         rr(pointer(12), 1, a(5)), rr(pointer(12), 28, aaaa(6))});
    DnsAnswers out;
    QCOMPARE(parse(m, out), DnsStatus::Ok);
    QCOMPARE(out.size(), std::size_t(2));
    QCOMPARE(out[0].name, std::string_view("www.example.com"));
    QVERIFY(out[0].queriedName.empty());
    QCOMPARE(out[1].address.toString(), std::string("2001:db8::6"));
  }

  void cnameLoopInDataEndsTheChain() {
    // a → b → a: the chain stops where it comes back; the A record of b is reached.
    const Bytes q = question(name("a.example"));  // name at 12, 11 octets
    const Bytes m = cat({header(kResponse, 1, 3), q, rr(pointer(12), 5, nameThen("b", 14)),
                         rr(nameThen("b", 14), 5, pointer(12)), rr(nameThen("b", 14), 1, a(7))});
    DnsAnswers out;
    QCOMPARE(parse(m, out), DnsStatus::Ok);
    QCOMPARE(out.size(), std::size_t(1));
    QCOMPARE(out[0].name, std::string_view("b.example"));
    QCOMPARE(out[0].queriedName, std::string_view("a.example"));
  }

  void queriesAndOtherOpcodesTeachNothing() {
    DnsAnswers out;
    Bytes m = cnameChainResponse();
    m[2] &= 0x7f;  // QR off: a query (mDNS known-answer lists look like this)
    QCOMPARE(parse(m, out), DnsStatus::NotResponse);
    QCOMPARE(out.size(), std::size_t(0));
    m = cnameChainResponse();
    m[2] |= 5 << 3;  // opcode UPDATE
    QCOMPARE(parse(m, out), DnsStatus::NotResponse);
    m = cnameChainResponse();
    m[3] = 0x83;  // NXDOMAIN: still read
    QCOMPARE(parse(m, out), DnsStatus::Ok);
  }

  void malformedMessages_data() {
    QTest::addColumn<Bytes>("message");
    QTest::addColumn<DnsStatus>("expected");
    const Bytes q = question(name("host.example"));
    QTest::newRow("header cut") << Bytes(11, 0) << DnsStatus::Truncated;
    QTest::newRow("huge answer count") << header(kResponse, 0, 65535) << DnsStatus::Truncated;
    QTest::newRow("huge question count")
        << cat({header(kResponse, 65535, 0), q}) << DnsStatus::Truncated;
    QTest::newRow("question without type")
        << cat({header(kResponse, 1, 0), name("host.example"), {0, 1}}) << DnsStatus::Truncated;
    QTest::newRow("label past the end")
        << cat({header(kResponse, 1, 0), {40, 'a', 'b'}, Bytes(10, 0)}) << DnsStatus::Truncated;
    QTest::newRow("record data past the end") << cat({header(kResponse, 1, 1),
                                                      q,
                                                      pointer(12),
                                                      be16(1),
                                                      be16(1),
                                                      {0, 0, 0, 1},
                                                      be16(100),
                                                      a(1)})
                                              << DnsStatus::Truncated;
    QTest::newRow("pointer to itself")
        << cat({header(kResponse, 1, 0), pointer(12), Bytes(4, 0)}) << DnsStatus::BadPointer;
    QTest::newRow("pointer forward")
        << cat({header(kResponse, 1, 0), pointer(14), name("x"), Bytes(4, 0)})
        << DnsStatus::BadPointer;
    // "a" then a pointer back to that very "a": backward, yet a loop.
    QTest::newRow("pointer into its own name")
        << cat({header(kResponse, 1, 0), nameThen("a", 12), Bytes(4, 0)}) << DnsStatus::BadPointer;
    QTest::newRow("pointer forward into a later record") << cat({header(kResponse, 1, 1),
                                                                 q,
                                                                 nameThen("x", 34),
                                                                 be16(1),
                                                                 be16(1),
                                                                 {0, 0, 0, 1},
                                                                 be16(4),
                                                                 a(1)})
                                                         << DnsStatus::BadPointer;
    QTest::newRow("label type 0x40")
        << cat({header(kResponse, 1, 0), {0x41, 'a', 0}, Bytes(4, 0)}) << DnsStatus::BadLabel;
    QTest::newRow("label type 0x80")
        << cat({header(kResponse, 1, 0), {0x81, 'a', 0}, Bytes(4, 0)}) << DnsStatus::BadLabel;
    const std::string label63(63, 'x');
    QTest::newRow("name of 256 octets")
        << cat({header(kResponse, 1, 0), question(name(label63 + "." + label63 + "." + label63 +
                                                       "." + std::string(62, 'y')))})
        << DnsStatus::NameTooLong;
    QTest::newRow("compressed name over 255 octets")
        << cat({header(kResponse, 1, 1),
                question(name(label63 + "." + label63 + "." + label63)),  // 193 octets at 12
                rr(nameThen(label63, 12), 1, a(1))})
        << DnsStatus::NameTooLong;
    QTest::newRow("A record of 5 octets")
        << cat({header(kResponse, 1, 1), q, rr(pointer(12), 1, {1, 2, 3, 4, 5})})
        << DnsStatus::BadRecord;
    QTest::newRow("AAAA record of 4 octets")
        << cat({header(kResponse, 1, 1), q, rr(pointer(12), 28, a(1))}) << DnsStatus::BadRecord;
    QTest::newRow("CNAME data longer than its name")
        << cat({header(kResponse, 1, 1), q, rr(pointer(12), 5, cat({name("cdn.example"), {0}}))})
        << DnsStatus::BadRecord;
    QTest::newRow("CNAME name running past its data")
        << cat({header(kResponse, 1, 2), q, rr(pointer(12), 5, {3, 'c', 'd', 'n'}),
                rr(pointer(12), 1, a(1))})
        << DnsStatus::BadRecord;
  }

  /// Damage gives its status and leaves the output as it was: nothing half-learned.
  void malformedMessages() {
    QFETCH(Bytes, message);
    QFETCH(DnsStatus, expected);
    DnsAnswers out;
    QCOMPARE(parse(directAnswer(), out), DnsStatus::Ok);
    QCOMPARE(out.size(), std::size_t(1));
    const DnsStatus s =
        DnsNameParser::parseMessage(message.data(), message.size(), DnsProtocol::Dns, out);
    QCOMPARE(s, expected);
    QVERIFY(node::analysis::isMalformed(s));
    QCOMPARE(out.size(), std::size_t(1));
    QCOMPARE(out[0].name, std::string_view("host.example"));
  }

  void longestNamesAreAccepted() {
    const std::string label63(63, 'x');
    const std::string longest =
        label63 + "." + label63 + "." + label63 + "." + std::string(61, 'y');
    QCOMPARE(longest.size(), node::analysis::kMaxDnsNameLength);
    DnsAnswers out;
    QCOMPARE(
        parse(cat({header(kResponse, 1, 1), question(name(longest)), rr(pointer(12), 1, a(1))}),
              out),
        DnsStatus::Ok);
    QCOMPARE(out[0].name, std::string_view(longest));
  }

  void pointerChainsAreLimited() {
    // Pointers inside a TXT record's data, each to the one before; the first to a root name.
    auto message = [](int pointers) {
      const std::uint16_t base = 12 + 1 + 10;  // owner (root) and fixed fields of the TXT record
      Bytes data;
      for (int k = 0; k < pointers; ++k) {
        const Bytes p = pointer(k == 0 ? 12 : base + 2 * (k - 1));
        data.insert(data.end(), p.begin(), p.end());
      }
      return cat({header(kResponse, 0, 2), rr(name(""), 16, data),
                  rr(pointer(base + 2 * (pointers - 1)), 1, a(1))});
    };
    DnsAnswers out;
    QCOMPARE(parse(message(DnsNameParser::kMaxPointerHops - 1), out), DnsStatus::Ok);
    QCOMPARE(out.size(), std::size_t(0));  // the owner is the root: not a name to learn
    QCOMPARE(out.droppedRecords(), std::size_t(1));
    QCOMPARE(parse(message(DnsNameParser::kMaxPointerHops + 1), out), DnsStatus::BadPointer);
  }

  /// Cutting a good message anywhere is Truncated, never a crash or a read past the end (the
  /// copy is exactly as long as the cut, so ASan sees any over-read).
  void everyTruncationIsTruncated() {
    const Bytes full = cnameChainResponse();
    DnsAnswers out;
    for (std::size_t n = 0; n < full.size(); ++n) {
      const Bytes cut(full.begin(), full.begin() + n);
      const DnsStatus s = parse(cut, out);
      QVERIFY2(s == DnsStatus::Truncated,
               qPrintable(QStringLiteral("cut at %1: %2")
                              .arg(n)
                              .arg(QString::fromLatin1(node::analysis::dnsStatusName(s)))));
      QCOMPARE(out.size(), std::size_t(0));
    }
  }

  /// Random damage never crashes; whatever parses Ok yields only displayable names.
  void randomMutationsAreSafe() {
    std::mt19937 rng(20240611);
    const Bytes base = cnameChainResponse();
    DnsAnswers out;
    int ok = 0;
    for (int round = 0; round < 20000; ++round) {
      Bytes m = base;
      const int changes = 1 + static_cast<int>(rng() % 4);
      for (int c = 0; c < changes; ++c) {
        const std::uint8_t interesting[] = {0x00, 0x3f, 0x40, 0xc0, 0xff, 0x0c};
        m[rng() % m.size()] = rng() % 2 ? interesting[rng() % 6] : static_cast<std::uint8_t>(rng());
      }
      if (rng() % 3 == 0) m.resize(rng() % m.size());
      const DnsStatus s = parse(m, out);
      if (s != DnsStatus::Ok) continue;
      ++ok;
      for (std::size_t i = 0; i < out.size(); ++i) {
        QVERIFY(node::analysis::isDisplayableText(out[i].name));
        QVERIFY(!out[i].name.empty() && out[i].name.size() <= node::analysis::kMaxDnsNameLength);
      }
    }
    QVERIFY(ok > 0);  // the mutations did not all break the header
  }

  void undisplayableNamesAreDropped() {
    DnsAnswers out;
    const Bytes q = question(name("ok.example"));
    Bytes m = cat({header(kResponse, 1, 4), q, rr(name("bad host.example"), 1, a(1)),
                   rr(cat({{3, 'b', 0x01, 'd'}, name("example")}), 1, a(2)),
                   rr(cat({{3, 'a', '.', 'b'}, name("example")}), 1, a(3)),
                   rr(cat({{5, 'j', 0xc3, 0xb6, 'r', 'g'}, name("local")}), 1, a(4))});
    QCOMPARE(parse(m, out), DnsStatus::Ok);
    QCOMPARE(out.size(), std::size_t(1));  // only the valid UTF-8 name
    QCOMPARE(out[0].name, std::string_view("j\xc3\xb6rg.local"));
    QCOMPARE(out.droppedRecords(), std::size_t(3));
    // Broken UTF-8 (a lone continuation byte).
    m = cat({header(kResponse, 1, 1), q, rr(cat({{2, 'a', 0x80}, name("local")}), 1, a(5))});
    QCOMPARE(parse(m, out), DnsStatus::Ok);
    QCOMPARE(out.size(), std::size_t(0));
  }

  void mdnsReadsAdditionalRecordsAndCacheFlushClass() {
    // A service-discovery answer: PTR in answers, the host's A and AAAA in additional records
    // with the cache-flush bit set in their class.
    const Bytes good = cat({header(0x8400, 0, 1, 0, 2),
                            rr(name("_http._tcp.local"), 12, name("printer._http._tcp.local")),
                            rr(name("Printer.local"), 1, a(20), 0x8001),
                            rr(name("printer.local"), 28, aaaa(20), 0x8001)});
    DnsAnswers out;
    QCOMPARE(parse(good, out, DnsProtocol::Mdns), DnsStatus::Ok);
    QCOMPARE(out.size(), std::size_t(2));
    QCOMPARE(out.protocol(), DnsProtocol::Mdns);
    QCOMPARE(out[0].name, std::string_view("printer.local"));
    QCOMPARE(out[1].address.toString(), std::string("2001:db8::14"));
    // Plain DNS reads neither the additional section nor class 0x8001.
    QCOMPARE(parse(good, out, DnsProtocol::Dns), DnsStatus::Ok);
    QCOMPARE(out.size(), std::size_t(0));
  }

  void llmnrResponse() {
    const Bytes m =
        cat({header(0x8000, 1, 1), question(name("fileserver")), rr(pointer(12), 1, a(30))});
    DnsAnswers out;
    QCOMPARE(parse(m, out, DnsProtocol::Llmnr), DnsStatus::Ok);
    QCOMPARE(out[0].name, std::string_view("fileserver"));
    QCOMPARE(out.protocol(), DnsProtocol::Llmnr);
  }

  void tcpPayloads() {
    const Bytes one = cnameChainResponse();
    const Bytes two = directAnswer();
    DnsAnswers out;
    Bytes tcp = cat({be16(one.size()), one, be16(two.size()), two});
    QCOMPARE(DnsNameParser::parseTcpPayload(tcp.data(), tcp.size(), DnsProtocol::Dns, out),
             DnsStatus::Ok);
    QCOMPARE(out.responses(), std::size_t(2));
    QCOMPARE(out.size(), std::size_t(4));
    // The second message goes on in the next segment: the first one still counts.
    out.clear();
    tcp.resize(tcp.size() - 3);
    QCOMPARE(DnsNameParser::parseTcpPayload(tcp.data(), tcp.size(), DnsProtocol::Dns, out),
             DnsStatus::Incomplete);
    QCOMPARE(out.size(), std::size_t(3));
    out.clear();
    const Bytes tiny = cat({be16(5), Bytes(5, 0)});
    QCOMPARE(DnsNameParser::parseTcpPayload(tiny.data(), tiny.size(), DnsProtocol::Dns, out),
             DnsStatus::BadTcpLength);
    const Bytes lengthOnly = {0x01};
    QCOMPARE(DnsNameParser::parseTcpPayload(lengthOnly.data(), 1, DnsProtocol::Dns, out),
             DnsStatus::Incomplete);
  }

  void bufferLimitsDropRecordsNotMessages() {
    Bytes m = cat({header(kResponse, 1, 70), question(name("many.example"))});
    for (int i = 0; i < 70; ++i) m = cat({m, rr(pointer(12), 1, a(static_cast<std::uint8_t>(i)))});
    DnsAnswers out;
    QCOMPARE(parse(m, out), DnsStatus::Ok);
    QCOMPARE(out.size(), DnsAnswers::kMaxRecords);
    QCOMPARE(out.droppedRecords(), std::size_t(70) - DnsAnswers::kMaxRecords);
    // More distinct names than the buffer holds: the records of the extra names are dropped.
    const auto names = DnsAnswers::kMaxNames + 4;
    m = cat({header(kResponse, 0, static_cast<std::uint16_t>(names))});
    for (std::size_t i = 0; i < names; ++i) {
      m = cat(
          {m, rr(name("h" + std::to_string(i) + ".example"), 1, a(static_cast<std::uint8_t>(i)))});
    }
    QCOMPARE(parse(m, out), DnsStatus::Ok);
    QCOMPARE(out.size(), DnsAnswers::kMaxNames);
    QCOMPARE(out.droppedRecords(), std::size_t(4));
    QCOMPARE(out[DnsAnswers::kMaxNames - 1].name,
             std::string_view("h" + std::to_string(DnsAnswers::kMaxNames - 1) + ".example"));
  }

  void packetsAreRecognisedByPortAndCompleteness() {
    const Bytes m = directAnswer();
    DnsAnswers out;
    QCOMPARE(parseFrame(ethIpv4Udp(53, 40000, m), out), DnsStatus::Ok);
    QCOMPARE(out.size(), std::size_t(1));
    QCOMPARE(out.protocol(), DnsProtocol::Dns);
    QCOMPARE(parseFrame(ethIpv4Udp(5353, 5353, m), out), DnsStatus::Ok);
    QCOMPARE(out.protocol(), DnsProtocol::Mdns);
    QCOMPARE(parseFrame(ethIpv4Udp(5355, 40000, m), out), DnsStatus::Ok);
    QCOMPARE(out.protocol(), DnsProtocol::Llmnr);
    QCOMPARE(parseFrame(ethIpv4Udp(40000, 53, m), out), DnsStatus::NotDns);  // to the server
    QCOMPARE(parseFrame(ethIpv4Udp(53, 40000, {}), out), DnsStatus::NotDns);
    QCOMPARE(parseFrame(ethIpv4Udp(53, 40000, m, 0x2000), out), DnsStatus::Incomplete);  // MF
    const Bytes frame = ethIpv4Udp(53, 40000, m);
    QCOMPARE(parseFrame(frame, out, frame.size() - 4), DnsStatus::Incomplete);  // snaplen
    QCOMPARE(out.size(), std::size_t(0));
    QCOMPARE(parseFrame(ethIpv4Tcp(53, 40000, cat({be16(m.size()), m})), out), DnsStatus::Ok);
    QCOMPARE(out.size(), std::size_t(1));
    QCOMPARE(parseFrame(ethIpv4Tcp(5353, 40000, cat({be16(m.size()), m})), out),
             DnsStatus::NotDns);  // mDNS is UDP only
    // Damage in the UDP payload is malformed DNS, not incomplete.
    Bytes bad = m;
    bad[12] = 0x41;
    QCOMPARE(parseFrame(ethIpv4Udp(53, 40000, bad), out), DnsStatus::BadLabel);
  }

  void corpusIsParsedSafely_data() {
    QTest::addColumn<QString>("capture");
    const QStringList captures = ref::capturesWithReference(QStringLiteral("dns_tree"));
    QVERIFY(captures.size() >= 10);
    for (const QString& c : captures) QTest::newRow(qPrintable(c)) << c;
  }

  /// Every capture that tshark finds DNS in parses without a crash; only malformed_dns.pcap
  /// has damaged messages.
  void corpusIsParsedSafely() {
    QFETCH(QString, capture);
    CaptureRun run;
    runCapture(capture, run);
    QVERIFY2(run.opened, run.error.c_str());
    int malformed = 0;
    QStringList counts;
    for (const auto& [status, n] : run.statuses) {
      if (node::analysis::isMalformed(status)) malformed += n;
      counts << QStringLiteral("%1=%2")
                    .arg(QString::fromLatin1(node::analysis::dnsStatusName(status)))
                    .arg(n);
    }
    qInfo("%s: %zu pairs; %s", qPrintable(capture), run.pairs.size(), qPrintable(counts.join(' ')));
    QCOMPARE(static_cast<int>(run.table.stats().dnsMalformed()), malformed);
    QCOMPARE(malformed, capture == QLatin1String("malformed_dns.pcap") ? 4 : 0);
  }

  void learnedNamesAreThoseInTheAnswers_data() {
    QTest::addColumn<int>("index");
    const auto all = expectations();
    for (std::size_t i = 0; i < all.size(); ++i) {
      QTest::newRow(all[i].capture) << static_cast<int>(i);
    }
  }

  /// DNS names learned are those in the answers: exactly tshark's answer records, under the
  /// naming rules of dns_names.h.
  void learnedNamesAreThoseInTheAnswers() {
    QFETCH(int, index);
    const Expectation e = expectations()[index];
    CaptureRun run;
    runCapture(QString::fromLatin1(e.capture), run);
    QVERIFY2(run.opened, run.error.c_str());
    const std::set<Pair> expected(e.pairs.begin(), e.pairs.end());
    std::set<Pair> missing;
    std::set<Pair> extra;
    for (const Pair& p : expected) {
      if (!run.pairs.count(p)) missing.insert(p);
    }
    for (const Pair& p : run.pairs) {
      if (!expected.count(p)) extra.insert(p);
    }
    QVERIFY2(missing.empty() && extra.empty(),
             qPrintable(QStringLiteral("missing:\n  %1\nunexpected:\n  %2")
                            .arg(describe(missing), describe(extra))));
    for (const Pair& p : kFragmentedOnly) QVERIFY(!run.pairs.count(p));
    int malformed = 0;
    for (const auto& [status, n] : run.statuses) {
      if (node::analysis::isMalformed(status)) malformed += n;
    }
    QCOMPARE(malformed, e.malformed);
    if (e.incomplete == 0) QCOMPARE(run.statuses[DnsStatus::Incomplete], 0);
    if (e.incomplete < 0) QVERIFY(run.statuses[DnsStatus::Incomplete] > 0);
    // Through the table: each address has its names, the asked-for one first.
    for (const Pair& p : expected) {
      std::vector<node::analysis::LearnedName> names;
      QVERIFY(run.table.namesOf(*net::IpAddress::parse(p.first), names) > 0);
    }
  }

  /// The biggest capture: 176 addresses with 500 (address, name) pairs in tshark's answers,
  /// too many to list; counted, and a few checked.
  void manyProtocolsCapture() {
    CaptureRun run;
    runCapture(QStringLiteral("many_protocols_vlan_http_dns_tls.pcap"), run);
    QVERIFY2(run.opened, run.error.c_str());
    QCOMPARE(run.pairs.size(), std::size_t(500));
    std::set<std::string> addresses;
    for (const Pair& p : run.pairs) addresses.insert(p.first);
    QCOMPARE(addresses.size(), std::size_t(176));
    for (const Pair& p : std::vector<Pair>{{"173.194.78.99", "www.google.com"},
                                           {"212.199.219.212", "apis.google.com"},
                                           {"212.199.219.212", "plus.l.google.com"}}) {
      QVERIFY2(run.pairs.count(p), (p.first + " " + p.second).c_str());
    }
    QCOMPARE(run.table.stats().dnsMalformed(), std::uint64_t(0));
  }

 private:
  static Bytes directAnswer() {
    return cat({header(kResponse, 1, 1), question(name("host.example")), rr(pointer(12), 1, a(1))});
  }
};

QTEST_APPLESS_MAIN(TestDnsNames)
#include "tst_dns_names.moc"
