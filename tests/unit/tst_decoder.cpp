// SPDX-License-Identifier: MIT
// PacketDecoder on hand-built frames: one row per encapsulation, every truncation of every
// row (run under ASan in the asan preset: a read past the buffer fails the test), and the
// symmetry of the flow hash.

#include <QString>
#include <QStringList>
#include <QTest>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <utility>
#include <vector>

#include "shared/decoder/flow_hash.h"
#include "shared/decoder/packet_decoder.h"
#include "shared/net/address_order.h"

using namespace netlens::decoder;
using Bytes = std::vector<std::uint8_t>;
Q_DECLARE_METATYPE(Bytes)

namespace {

// ---- frame builders: each wraps a payload in one header, lengths filled in ----

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
void put16(Bytes& b, std::size_t at, std::uint32_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v);
}
Bytes be16(std::uint32_t v) {
  return {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}
Bytes be32(std::uint32_t v) {
  return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
          static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}
Bytes v4(const char* text) {
  const auto a = netlens::net::IpAddress::parse(text);
  return Bytes(a->bytes.begin(), a->bytes.begin() + 4);
}
Bytes v6(const char* text) {
  const auto a = netlens::net::IpAddress::parse(text);
  return Bytes(a->bytes.begin(), a->bytes.end());
}

const Bytes kMacA = {0x02, 0, 0, 0, 0, 0x0a};
const Bytes kMacB = {0x02, 0, 0, 0, 0, 0x0b};

Bytes eth(std::uint16_t type, const Bytes& payload) {
  return cat({kMacB, kMacA, be16(type), payload});
}
Bytes vlanTag(std::uint16_t vid, std::uint16_t type, const Bytes& payload) {
  return cat({be16(0x2000 | vid), be16(type), payload});
}
Bytes mplsLabel(std::uint32_t label, bool bottom, const Bytes& payload) {
  return cat({be32((label << 12) | (bottom ? 0x100 : 0) | 64), payload});
}
Bytes ipv4(const char* src, const char* dst, std::uint8_t proto, const Bytes& payload,
           std::uint16_t fragment = 0, std::uint16_t id = 0x1234) {
  Bytes h = cat({{0x45, 0xb8},
                 be16(20 + payload.size()),
                 be16(id),
                 be16(fragment),
                 {64, proto, 0, 0},
                 v4(src),
                 v4(dst)});
  return cat({h, payload});
}
Bytes ipv6(const char* src, const char* dst, std::uint8_t next, const Bytes& payload) {
  return cat({{0x60, 0, 0, 0}, be16(payload.size()), {next, 64}, v6(src), v6(dst), payload});
}
Bytes extHeader(std::uint8_t next, const Bytes& payload) {  // 8-byte hop-by-hop/dest/routing
  return cat({{next, 0, 1, 4, 0, 0, 0, 0}, payload});
}
Bytes fragHeader(std::uint8_t next, std::uint16_t offset, bool more, const Bytes& payload) {
  return cat({{next, 0}, be16(offset | (more ? 1 : 0)), be32(0xabcdef), payload});
}
Bytes tcp(std::uint16_t sport, std::uint16_t dport, const Bytes& payload = {'h', 'i'}) {
  return cat({be16(sport),
              be16(dport),
              be32(1000),
              be32(2000),
              {0x50, 0x12},
              be16(65535),
              {0, 0, 0, 0},
              payload});
}
Bytes udp(std::uint16_t sport, std::uint16_t dport, const Bytes& payload = {'x'}) {
  Bytes h = cat({be16(sport), be16(dport), be16(8 + payload.size()), {0, 0}, payload});
  return h;
}
Bytes icmp(std::uint8_t type, const Bytes& payload = {0, 1, 0, 1}) {
  return cat({{type, 0, 0, 0}, payload});
}
Bytes sctp(std::uint16_t sport, std::uint16_t dport) {
  return cat({be16(sport), be16(dport), be32(7), be32(0)});
}
Bytes gre(std::uint16_t flags, std::uint16_t proto, const Bytes& payload) {
  Bytes h = cat({be16(flags), be16(proto)});
  if (flags & 0x8000) h = cat({h, {0, 0, 0, 0}});
  if (flags & 0x2000) h = cat({h, be32(42)});
  if (flags & 0x1000) h = cat({h, be32(7)});
  return cat({h, payload});
}

// ---- what a decode produced, as one comparable line ----

QString summary(const DecodedPacket& p) {
  QStringList parts;
  QStringList ips;
  for (int i = 0; i < p.ipCount; ++i) {
    const IpLayer& l = p.ip[i];
    QString s = QString::fromStdString(l.src.toString()) + QLatin1Char('>') +
                QString::fromStdString(l.dst.toString());
    if (l.isFragment()) s += QStringLiteral("[frag@%1]").arg(l.fragmentOffset);
    if (l.l2Index >= 0) s += QStringLiteral("/l2=%1").arg(l.l2Index);
    ips << s;
  }
  parts << QStringLiteral("ip=") + ips.join(QLatin1Char(','));
  QStringList vlans;
  for (int i = 0; i < p.vlanCount; ++i) vlans << QString::number(p.vlans[i]);
  if (!vlans.isEmpty()) parts << QStringLiteral("vlan=") + vlans.join(QLatin1Char(','));
  QStringList labels;
  for (int i = 0; i < p.mplsCount; ++i) labels << QString::number(p.mplsLabels[i]);
  if (!labels.isEmpty()) parts << QStringLiteral("mpls=") + labels.join(QLatin1Char(','));
  const TransportLayer& t = p.transport;
  if (t.ipIndex >= 0) {
    if (t.hasPorts()) {
      parts << QStringLiteral("l4=%1:%2>%3").arg(t.protocol).arg(t.srcPort).arg(t.dstPort);
    } else {
      parts << QStringLiteral("l4=%1:type%2").arg(t.protocol).arg(t.icmpType);
    }
  }
  parts << QStringLiteral("l2=%1").arg(p.l2Count);
  parts << QString::fromLatin1(malformedReasonName(p.malformed).data());
  return parts.join(QLatin1Char(' '));
}

DecodedPacket decodeCopy(int linkType, const Bytes& frame, std::size_t captured,
                         std::uint32_t wire) {
  // An exact-size heap copy, so that ASan catches any read past `captured`.
  std::unique_ptr<std::uint8_t[]> buf(new std::uint8_t[captured == 0 ? 1 : captured]);
  if (captured != 0) std::memcpy(buf.get(), frame.data(), captured);
  DecodedPacket p;
  PacketDecoder::decode(linkType, buf.get(), static_cast<std::uint32_t>(captured), wire, 0, p);
  p.data = nullptr;  // the buffer dies here
  p.transport.payload = nullptr;
  return p;
}

struct Row {
  const char* name;
  int linkType;
  Bytes frame;
  const char* expected;
  bool checkTruncation;  ///< false where cutting is expected to stay quiet (fragments)
};

std::vector<Row> rows() {
  const char* a = "10.0.0.1";
  const char* b = "10.0.0.2";
  const char* c = "192.168.1.1";
  const char* d = "192.168.1.2";
  const Bytes innerTcp = ipv4(c, d, 6, tcp(1234, 80));
  const Bytes innerEth = eth(0x0800, innerTcp);
  std::vector<Row> r;
  r.push_back({"ethernet ipv4 tcp", linktype::kEthernet, eth(0x0800, ipv4(a, b, 6, tcp(1234, 80))),
               "ip=10.0.0.1>10.0.0.2/l2=0 l4=6:1234>80 l2=1 none", true});
  r.push_back({"ethernet ipv4 udp", linktype::kEthernet, eth(0x0800, ipv4(a, b, 17, udp(53, 5353))),
               "ip=10.0.0.1>10.0.0.2/l2=0 l4=17:53>5353 l2=1 none", true});
  r.push_back({"ethernet ipv4 icmp", linktype::kEthernet, eth(0x0800, ipv4(a, b, 1, icmp(8))),
               "ip=10.0.0.1>10.0.0.2/l2=0 l4=1:type8 l2=1 none", true});
  r.push_back({"icmp error quotes no layer", linktype::kEthernet,
               eth(0x0800, ipv4(a, b, 1, icmp(3, cat({{0, 0, 0, 0}, ipv4(b, c, 17, udp(1, 2))})))),
               "ip=10.0.0.1>10.0.0.2/l2=0 l4=1:type3 l2=1 none", true});
  r.push_back({"ethernet ipv4 sctp", linktype::kEthernet,
               eth(0x0800, ipv4(a, b, 132, sctp(3868, 3869))),
               "ip=10.0.0.1>10.0.0.2/l2=0 l4=132:3868>3869 l2=1 none", true});
  r.push_back({"802.1Q", linktype::kEthernet,
               eth(0x8100, vlanTag(100, 0x0800, ipv4(a, b, 6, tcp(1, 2)))),
               "ip=10.0.0.1>10.0.0.2/l2=0 vlan=100 l4=6:1>2 l2=1 none", true});
  r.push_back({"QinQ 88a8", linktype::kEthernet,
               eth(0x88a8, vlanTag(10, 0x8100, vlanTag(20, 0x0800, ipv4(a, b, 6, tcp(1, 2))))),
               "ip=10.0.0.1>10.0.0.2/l2=0 vlan=10,20 l4=6:1>2 l2=1 none", true});
  r.push_back(
      {"QinQ 9100 triple", linktype::kEthernet,
       eth(0x9100,
           vlanTag(1, 0x9100,
                   vlanTag(2, 0x8100,
                           vlanTag(3, 0x86dd, ipv6("2001:db8::1", "2001:db8::2", 17, udp(1, 2)))))),
       "ip=2001:db8::1>2001:db8::2/l2=0 vlan=1,2,3 l4=17:1>2 l2=1 none", true});
  r.push_back({"mpls ipv4", linktype::kEthernet,
               eth(0x8847, mplsLabel(16, false, mplsLabel(17, true, ipv4(a, b, 6, tcp(1, 2))))),
               "ip=10.0.0.1>10.0.0.2/l2=0 mpls=16,17 l4=6:1>2 l2=1 none", true});
  r.push_back({"mpls multicast ipv6", linktype::kEthernet,
               eth(0x8848, mplsLabel(99, true, ipv6("fe80::1", "ff02::1", 58, icmp(135)))),
               "ip=fe80::1>ff02::1/l2=0 mpls=99 l4=58:type135 l2=1 none", true});
  r.push_back({"mpls ethernet pseudowire with control word", linktype::kEthernet,
               eth(0x8847, mplsLabel(300, true, cat({{0, 0, 0, 0}, innerEth}))),
               "ip=192.168.1.1>192.168.1.2/l2=1 mpls=300 l4=6:1234>80 l2=2 none", true});
  r.push_back(
      {"pppoe session", linktype::kEthernet,
       eth(0x8864, cat({{0x11, 0, 0, 1}, be16(2 + innerTcp.size()), be16(0x0021), innerTcp})),
       "ip=192.168.1.1>192.168.1.2/l2=0 l4=6:1234>80 l2=1 none", true});
  r.push_back({"llc snap", linktype::kEthernet,
               cat({kMacB,
                    kMacA,
                    be16(8 + innerTcp.size()),
                    {0xaa, 0xaa, 3, 0, 0, 0},
                    be16(0x0800),
                    innerTcp}),
               "ip=192.168.1.1>192.168.1.2/l2=0 l4=6:1234>80 l2=1 none", true});
  r.push_back({"linux sll", linktype::kLinuxSll,
               cat({{0, 0}, be16(1), be16(6), kMacA, {0, 0}, be16(0x0800), innerTcp}),
               "ip=192.168.1.1>192.168.1.2/l2=0 l4=6:1234>80 l2=1 none", true});
  r.push_back({"linux sll2", linktype::kLinuxSll2,
               cat({be16(0x86dd),
                    {0, 0},
                    be32(2),
                    be16(1),
                    {0, 6},
                    kMacA,
                    {0, 0},
                    ipv6("::1", "::2", 6, tcp(5, 6))}),
               "ip=::1>::2/l2=0 l4=6:5>6 l2=1 none", true});
  r.push_back({"raw ipv4 (101)", linktype::kRawLinktype, innerTcp,
               "ip=192.168.1.1>192.168.1.2 l4=6:1234>80 l2=0 none", true});
  r.push_back({"raw ipv6 (12)", linktype::kRaw, ipv6("::1", "::2", 17, udp(1, 2)),
               "ip=::1>::2 l4=17:1>2 l2=0 none", true});
  r.push_back({"raw ipv4 (228)", linktype::kIpv4, innerTcp,
               "ip=192.168.1.1>192.168.1.2 l4=6:1234>80 l2=0 none", true});
  r.push_back({"raw ipv6 (229) carrying ipv4", linktype::kIpv6, innerTcp, "ip= l2=0 bad-ip-version",
               false});
  r.push_back({"null little-endian", linktype::kNull, cat({{2, 0, 0, 0}, innerTcp}),
               "ip=192.168.1.1>192.168.1.2 l4=6:1234>80 l2=0 none", true});
  r.push_back({"null big-endian ipv6 (30)", linktype::kNull,
               cat({be32(30), ipv6("::1", "::2", 17, udp(1, 2))}), "ip=::1>::2 l4=17:1>2 l2=0 none",
               true});
  r.push_back({"loop (108)", linktype::kLoop, cat({be32(2), innerTcp}),
               "ip=192.168.1.1>192.168.1.2 l4=6:1234>80 l2=0 none", true});
  r.push_back(
      {"ipv6 extension headers", linktype::kEthernet,
       eth(0x86dd, ipv6("::1", "::2", 0, extHeader(43, extHeader(60, extHeader(6, tcp(7, 8)))))),
       "ip=::1>::2/l2=0 l4=6:7>8 l2=1 none", true});
  r.push_back({"ipv6 first fragment", linktype::kEthernet,
               eth(0x86dd, ipv6("::1", "::2", 44, fragHeader(17, 0, true, udp(5060, 5060)))),
               "ip=::1>::2[frag@0]/l2=0 l4=17:5060>5060 l2=1 none", false});
  r.push_back({"ipv6 later fragment", linktype::kEthernet,
               eth(0x86dd, ipv6("::1", "::2", 44, fragHeader(17, 1448, false, {1, 2, 3, 4}))),
               "ip=::1>::2[frag@1448]/l2=0 l2=1 none", false});
  r.push_back({"ipv6 esp stops", linktype::kEthernet,
               eth(0x86dd, ipv6("::1", "::2", 50, {1, 2, 3, 4, 5, 6, 7, 8})),
               "ip=::1>::2/l2=0 l2=1 none", true});
  r.push_back(
      {"ipv6 ah", linktype::kEthernet,
       eth(0x86dd, ipv6("::1", "::2", 51, cat({{17, 1, 0, 0}, be32(1), be32(2), udp(9, 10)}))),
       "ip=::1>::2/l2=0 l4=17:9>10 l2=1 none", true});
  r.push_back({"ipv4 first fragment", linktype::kEthernet,
               eth(0x0800, ipv4(a, b, 17, udp(1, 2, Bytes(16, 0)), 0x2000)),
               "ip=10.0.0.1>10.0.0.2[frag@0]/l2=0 l4=17:1>2 l2=1 none", false});
  r.push_back({"ipv4 later fragment", linktype::kEthernet,
               eth(0x0800, ipv4(a, b, 17, Bytes(16, 0), 0x0003)),
               "ip=10.0.0.1>10.0.0.2[frag@24]/l2=0 l2=1 none", false});
  r.push_back({"ip in ip", linktype::kEthernet, eth(0x0800, ipv4(a, b, 4, innerTcp)),
               "ip=10.0.0.1>10.0.0.2/l2=0,192.168.1.1>192.168.1.2 l4=6:1234>80 l2=1 none", true});
  r.push_back({"ipv6 in ipv4", linktype::kEthernet,
               eth(0x0800, ipv4(a, b, 41, ipv6("2001:db8::1", "2001:db8::2", 58, icmp(128)))),
               "ip=10.0.0.1>10.0.0.2/l2=0,2001:db8::1>2001:db8::2 l4=58:type128 l2=1 none", true});
  r.push_back({"gre ipv4", linktype::kEthernet,
               eth(0x0800, ipv4(a, b, 47, gre(0, 0x0800, innerTcp))),
               "ip=10.0.0.1>10.0.0.2/l2=0,192.168.1.1>192.168.1.2 l4=6:1234>80 l2=1 none", true});
  r.push_back({"gre key+seq+checksum teb", linktype::kEthernet,
               eth(0x0800, ipv4(a, b, 47, gre(0xb000, 0x6558, innerEth))),
               "ip=10.0.0.1>10.0.0.2/l2=0,192.168.1.1>192.168.1.2/l2=1 l4=6:1234>80 l2=2 none",
               true});
  r.push_back(
      {"gre within gre", linktype::kEthernet,
       eth(0x0800, ipv4(a, b, 47,
                        gre(0, 0x0800,
                            ipv4(c, d, 47,
                                 gre(0x2000, 0x0800, ipv4("1.1.1.1", "2.2.2.2", 17, udp(3, 4))))))),
       "ip=10.0.0.1>10.0.0.2/l2=0,192.168.1.1>192.168.1.2,1.1.1.1>2.2.2.2 l4=17:3>4 l2=1 none",
       true});
  r.push_back({"erspan type I (no sequence)", linktype::kEthernet,
               eth(0x0800, ipv4(a, b, 47, gre(0, 0x88be, innerEth))),
               "ip=10.0.0.1>10.0.0.2/l2=0,192.168.1.1>192.168.1.2/l2=1 l4=6:1234>80 l2=2 none",
               true});
  r.push_back(
      {"erspan type II", linktype::kEthernet,
       eth(0x0800,
           ipv4(a, b, 47,
                gre(0x1000, 0x88be,
                    cat({be32(0x10010064), be32(0), eth(0x8100, vlanTag(55, 0x0800, innerTcp))})))),
       "ip=10.0.0.1>10.0.0.2/l2=0,192.168.1.1>192.168.1.2/l2=1 vlan=55 l4=6:1234>80 l2=2 none",
       true});
  r.push_back({"erspan type III with subheader", linktype::kEthernet,
               eth(0x0800, ipv4(a, b, 47,
                                gre(0x1000, 0x22eb,
                                    cat({be32(0x20000001), be32(0), be32(0x00000001), be32(0),
                                         be32(0), innerEth})))),
               "ip=10.0.0.1>10.0.0.2/l2=0,192.168.1.1>192.168.1.2/l2=1 l4=6:1234>80 l2=2 none",
               true});
  r.push_back({"pptp gre ppp", linktype::kEthernet,
               eth(0x0800, ipv4(a, b, 47,
                                cat({be16(0x3001),
                                     be16(0x880b),
                                     be16(4 + innerTcp.size()),
                                     be16(9),
                                     be32(1),
                                     {0xff, 0x03, 0x00, 0x21},
                                     innerTcp}))),
               "ip=10.0.0.1>10.0.0.2/l2=0,192.168.1.1>192.168.1.2 l4=6:1234>80 l2=1 none", true});
  r.push_back(
      {"vxlan", linktype::kEthernet,
       eth(0x0800,
           ipv4(a, b, 17, udp(49152, 4789, cat({{8, 0, 0, 0}, be32(0x00012300), innerEth})))),
       "ip=10.0.0.1>10.0.0.2/l2=0,192.168.1.1>192.168.1.2/l2=1 l4=6:1234>80 l2=2 none", true});
  r.push_back(
      {"geneve with option", linktype::kEthernet,
       eth(0x0800,
           ipv4(a, b, 17,
                udp(49152, 6081,
                    cat({{0x01, 0}, be16(0x6558), be32(0x00012300), be32(0x01020304), innerEth})))),
       "ip=10.0.0.1>10.0.0.2/l2=0,192.168.1.1>192.168.1.2/l2=1 l4=6:1234>80 l2=2 none", true});
  r.push_back(
      {"geneve carrying ipv4", linktype::kEthernet,
       eth(0x0800, ipv4(a, b, 17, udp(6081, 6081, cat({{0, 0}, be16(0x0800), be32(0), innerTcp})))),
       "ip=10.0.0.1>10.0.0.2/l2=0,192.168.1.1>192.168.1.2 l4=6:1234>80 l2=1 none", true});
  r.push_back(
      {"non-ip arp", linktype::kEthernet, eth(0x0806, Bytes(28, 0)), "ip= l2=1 none", true});
  r.push_back({"unsupported link type", 147, innerTcp, "ip= l2=0 unsupported-link-type", false});
  {
    Bytes bad = eth(0x0800, innerTcp);
    bad[14] = 0x43;  // IHL 3
    r.push_back({"bad ipv4 header length", linktype::kEthernet, bad,
                 "ip= l2=1 bad-ipv4-header-length", false});
    Bytes shortTotal = eth(0x0800, innerTcp);
    put16(shortTotal, 16, 10);
    r.push_back({"bad ipv4 total length", linktype::kEthernet, shortTotal,
                 "ip= l2=1 bad-ipv4-total-length", false});
    Bytes badTcp = eth(0x0800, innerTcp);
    badTcp[14 + 20 + 12] = 0x30;
    r.push_back({"bad tcp header length", linktype::kEthernet, badTcp,
                 "ip=192.168.1.1>192.168.1.2/l2=0 l4=6:1234>80 l2=1 bad-tcp-header-length", false});
  }
  {
    // Tunnels nested past the layer budget are cut off, not followed.
    Bytes deep = ipv4("9.9.9.9", "8.8.8.8", 17, udp(1, 2));
    for (int i = 0; i < 10; ++i) deep = ipv4(a, b, 4, deep);
    Row row{"too many ip layers", linktype::kRawLinktype, deep, nullptr, false};
    static const QByteArray expected = [] {
      QStringList l;
      for (int i = 0; i < 8; ++i) l << QStringLiteral("10.0.0.1>10.0.0.2");
      return (QStringLiteral("ip=") + l.join(QLatin1Char(',')) +
              QStringLiteral(" l2=0 too-many-layers"))
          .toLatin1();
    }();
    row.expected = expected.constData();
    r.push_back(row);
  }
  return r;
}

}  // namespace

class TestDecoder : public QObject {
  Q_OBJECT

 private slots:
  void decodes_data() {
    QTest::addColumn<int>("linkType");
    QTest::addColumn<Bytes>("frame");
    QTest::addColumn<QString>("expected");
    for (const Row& r : rows()) {
      QTest::newRow(r.name) << r.linkType << r.frame << QString::fromLatin1(r.expected);
    }
  }

  void decodes() {
    QFETCH(int, linkType);
    QFETCH(Bytes, frame);
    QFETCH(QString, expected);
    const DecodedPacket p = decodeCopy(linkType, frame, frame.size(), frame.size());
    QCOMPARE(summary(p), expected);
    QCOMPARE(p.wireLength, std::uint32_t(frame.size()));
  }

  void truncation_data() {
    QTest::addColumn<int>("linkType");
    QTest::addColumn<Bytes>("frame");
    QTest::addColumn<bool>("strict");
    for (const Row& r : rows()) QTest::newRow(r.name) << r.linkType << r.frame << r.checkTruncation;
  }

  /// Every prefix decodes within bounds; a prefix that cuts into a header the full frame
  /// decodes is reported malformed, one that only cuts payload is not.
  void truncation() {
    QFETCH(int, linkType);
    QFETCH(Bytes, frame);
    QFETCH(bool, strict);
    std::unique_ptr<std::uint8_t[]> full(new std::uint8_t[frame.size()]);
    std::memcpy(full.get(), frame.data(), frame.size());
    DecodedPacket whole;
    PacketDecoder::decode(linkType, full.get(), frame.size(), frame.size(), 0, whole);
    std::size_t headersEnd = 0;
    if (whole.transport.ipIndex >= 0) {
      headersEnd = static_cast<std::size_t>(whole.transport.payload - full.get());
    }
    for (std::size_t n = 0; n < frame.size(); ++n) {
      for (const std::uint32_t wire : {std::uint32_t(frame.size()), std::uint32_t(n)}) {
        const DecodedPacket p = decodeCopy(linkType, frame, n, wire);
        if (!strict || headersEnd == 0) continue;
        if (n < headersEnd) {
          QVERIFY2(p.isMalformed(), qPrintable(QStringLiteral("cut at %1 of %2 (wire %3): %4")
                                                   .arg(n)
                                                   .arg(frame.size())
                                                   .arg(wire)
                                                   .arg(summary(p))));
        } else if (wire == frame.size()) {
          // Cut by the snapshot length inside payload only: nothing wrong with the packet. (A
          // frame really that short has IP lengths beyond its end, which is malformed.)
          QVERIFY2(!p.isMalformed(),
                   qPrintable(QStringLiteral("cut at %1: %2").arg(n).arg(summary(p))));
        }
      }
    }
  }

  void jumbogram_data() {
    QTest::addColumn<int>("extra");  // bytes beyond what the Jumbo Payload option claims
    QTest::addColumn<bool>("malformed");
    QTest::newRow("length as claimed") << 0 << false;
    QTest::newRow("one byte missing") << -1 << true;
  }

  /// RFC 2675: payload length 0 and the real length in a Hop-by-Hop Jumbo Payload option.
  void jumbogram() {
    QFETCH(int, extra);
    QFETCH(bool, malformed);
    const Bytes body = udp(1, 2);
    // Hop-by-Hop: next header UDP, length 0 (8 bytes): Jumbo option (type 0xc2, 4 bytes).
    const std::uint32_t claimed = static_cast<std::uint32_t>(8 + body.size()) - extra;
    Bytes hbh = cat({{17, 0, 0xc2, 4}, be32(claimed)});
    Bytes frame = ipv6("2001:db8::1", "2001:db8::2", 0, cat({hbh, body}));
    put16(frame, 4, 0);  // payload length 0: a jumbogram
    const DecodedPacket p = decodeCopy(linktype::kRaw, frame, frame.size(), frame.size());
    QCOMPARE(p.malformed == MalformedReason::BadIpv6PayloadLength, malformed);
    QCOMPARE(p.ipCount, std::uint8_t(1));
    QCOMPARE(p.ip[0].protocol, std::uint8_t(17));
  }

  void reasonNamesAreStable() {
    QCOMPARE(malformedReasonName(MalformedReason::None), std::string_view("none"));
    QCOMPARE(malformedReasonName(MalformedReason::TruncatedIpv4),
             std::string_view("truncated-ipv4"));
    QCOMPARE(malformedReasonName(MalformedReason::BadIpv4HeaderLength),
             std::string_view("bad-ipv4-header-length"));
    QCOMPARE(malformedReasonName(MalformedReason::CaptureError), std::string_view("capture-error"));
    for (std::size_t i = 0; i < kMalformedReasonCount; ++i) {
      QVERIFY(!malformedReasonName(static_cast<MalformedReason>(i)).empty());
    }
  }

  void flowHashIsSymmetric_data() {
    QTest::addColumn<Bytes>("forward");
    QTest::addColumn<Bytes>("reverse");
    QTest::newRow("tcp") << eth(0x0800, ipv4("10.0.0.1", "10.0.0.2", 6, tcp(40000, 443)))
                         << eth(0x0800, ipv4("10.0.0.2", "10.0.0.1", 6, tcp(443, 40000)));
    QTest::newRow("udp v6") << eth(0x86dd, ipv6("2001:db8::1", "2001:db8::2", 17, udp(5353, 53)))
                            << eth(0x86dd, ipv6("2001:db8::2", "2001:db8::1", 17, udp(53, 5353)));
    QTest::newRow("icmp") << eth(0x0800, ipv4("10.0.0.1", "10.0.0.2", 1, icmp(8)))
                          << eth(0x0800, ipv4("10.0.0.2", "10.0.0.1", 1, icmp(0)));
    QTest::newRow("vxlan inner")
        << eth(0x0800, ipv4("1.1.1.1", "2.2.2.2", 17,
                            udp(50000, 4789,
                                cat({be32(0x08000000), be32(0x100),
                                     eth(0x0800, ipv4("10.0.0.1", "10.0.0.2", 6, tcp(1, 2)))}))))
        << eth(0x0800, ipv4("2.2.2.2", "1.1.1.1", 17,
                            udp(50001, 4789,
                                cat({be32(0x08000000), be32(0x100),
                                     eth(0x0800, ipv4("10.0.0.2", "10.0.0.1", 6, tcp(2, 1)))}))));
    QTest::newRow("fragments of one datagram")
        << eth(0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, Bytes(16, 0)), 0x2000))
        << eth(0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, Bytes(16, 0), 0x0003));
    QTest::newRow("non-ip") << eth(0x0806, Bytes(28, 0))
                            << cat({kMacA, kMacB, be16(0x0806), Bytes(28, 0)});
  }

  void flowHashIsSymmetric() {
    QFETCH(Bytes, forward);
    QFETCH(Bytes, reverse);
    DecodedPacket f;
    DecodedPacket r;
    PacketDecoder::decode(linktype::kEthernet, forward.data(), forward.size(), forward.size(), 0,
                          f);
    PacketDecoder::decode(linktype::kEthernet, reverse.data(), reverse.size(), reverse.size(), 0,
                          r);
    QCOMPARE(symmetricFlowHash(f), symmetricFlowHash(r));
  }

  void flowHashSeparatesFlows() {
    const Bytes one = eth(0x0800, ipv4("10.0.0.1", "10.0.0.2", 6, tcp(40000, 443)));
    const Bytes two = eth(0x0800, ipv4("10.0.0.1", "10.0.0.2", 6, tcp(40001, 443)));
    DecodedPacket a;
    DecodedPacket b;
    PacketDecoder::decode(linktype::kEthernet, one.data(), one.size(), one.size(), 0, a);
    PacketDecoder::decode(linktype::kEthernet, two.data(), two.size(), two.size(), 0, b);
    QVERIFY(symmetricFlowHash(a) != symmetricFlowHash(b));
  }

  // The word-wise order and equality agree with IpAddress's operators (family first, then
  // byte by byte, unsigned), whatever byte differs.
  void addressOrderAgrees() {
    using netlens::net::IpAddress;
    std::mt19937 random(5);
    std::vector<IpAddress> all;
    for (int i = 0; i < 400; ++i) {
      IpAddress a;
      a.family = i % 3 == 0 ? 4 : 6;
      for (auto& b : a.bytes) b = static_cast<std::uint8_t>(random() % 4 == 0 ? 0x80 : random());
      IpAddress near = a;  // differs in one bit of one byte, the high bit included
      near.bytes[random() % 16] ^= static_cast<std::uint8_t>(1u << (random() % 8));
      all.push_back(a);
      all.push_back(near);
      all.push_back(a);
    }
    for (std::size_t i = 0; i + 1 < all.size(); ++i) {
      for (const std::size_t j : {i + 1, all.size() - 1 - i}) {
        const IpAddress& x = all[i];
        const IpAddress& y = all[j];
        const auto expected = x <=> y;
        const int order = netlens::net::compareAddresses(x, y);
        QCOMPARE(order < 0, expected < 0);
        QCOMPARE(order > 0, expected > 0);
        QCOMPARE(netlens::net::sameAddress(x, y), x == y);
        // Ends order by address, then port.
        const std::uint16_t xPort = static_cast<std::uint16_t>(random());
        const std::uint16_t yPort = random() % 2 ? xPort : static_cast<std::uint16_t>(random());
        const int ends = netlens::net::compareEnds(x, xPort, y, yPort);
        const auto pairs = std::pair(x, xPort) <=> std::pair(y, yPort);
        QCOMPARE(ends < 0, pairs < 0);
        QCOMPARE(ends > 0, pairs > 0);
      }
    }
  }
};

QTEST_APPLESS_MAIN(TestDecoder)
#include "tst_decoder.moc"
