// SPDX-License-Identifier: MIT
// DhcpNameParser on crafted BOOTP/DHCP messages (host name, FQDN in both encodings, option
// overload, bindings by message type, damage) and the host names of the DHCP captures of the
// shared corpus, learned into a NameTable by MAC and by IP address.

#include <QTest>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "node/analysis/dhcp_names.h"
#include "node/analysis/name_table.h"
#include "node/capture/pcap_source.h"
#include "shared/decoder/packet_decoder.h"
#include "tests/common/tshark_reference.h"

using namespace netlens;
using node::analysis::DhcpMessage;
using node::analysis::DhcpNameParser;
using node::analysis::DhcpStatus;
namespace dhcptype = node::analysis::dhcptype;
using Bytes = std::vector<std::uint8_t>;
namespace ref = netlens::tests;

Q_DECLARE_METATYPE(Bytes)
Q_DECLARE_METATYPE(DhcpStatus)

namespace {

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
Bytes be16(std::uint32_t v) {
  return {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}
Bytes option(std::uint8_t code, const Bytes& value) {
  return cat({{code, static_cast<std::uint8_t>(value.size())}, value});
}
Bytes text(const std::string& s) {
  return Bytes(s.begin(), s.end());
}
Bytes messageType(std::uint8_t type) {
  return option(53, {type});
}
const Bytes kMac = {0x00, 0x1b, 0x63, 0x12, 0x34, 0x56};

/// A BOOTP message: fixed header, magic cookie (unless `cookie` is false) and `options`.
Bytes bootp(std::uint8_t op, const Bytes& options, const Bytes& ciaddr = {0, 0, 0, 0},
            const Bytes& yiaddr = {0, 0, 0, 0}, bool cookie = true, const Bytes& sname = {},
            const Bytes& file = {}) {
  Bytes m(236, 0);
  m[0] = op;
  m[1] = 1;  // Ethernet
  m[2] = 6;
  std::copy(ciaddr.begin(), ciaddr.end(), m.begin() + 12);
  std::copy(yiaddr.begin(), yiaddr.end(), m.begin() + 16);
  std::copy(kMac.begin(), kMac.end(), m.begin() + 28);
  std::copy(sname.begin(), sname.end(), m.begin() + 44);
  std::copy(file.begin(), file.end(), m.begin() + 108);
  if (!cookie) return m;
  return cat({m, {99, 130, 83, 99}, options, {255}});
}

DhcpStatus parse(const Bytes& m, DhcpMessage& out) {
  return DhcpNameParser::parseMessage(m.data(), m.size(), out);
}

Bytes ethIpv4Udp(std::uint16_t sport, std::uint16_t dport, const Bytes& payload,
                 std::uint16_t fragment = 0) {
  const Bytes udp = cat({be16(sport), be16(dport), be16(8 + payload.size()), {0, 0}, payload});
  const Bytes ip = cat({{0x45, 0},
                        be16(20 + udp.size()),
                        be16(1),
                        be16(fragment),
                        {64, 17, 0, 0},
                        {0, 0, 0, 0},
                        {255, 255, 255, 255},
                        udp});
  return cat({{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, kMac, be16(0x0800), ip});
}
DhcpStatus parseFrame(const Bytes& frame, DhcpMessage& out) {
  decoder::DecodedPacket packet;
  decoder::PacketDecoder::decode(decoder::linktype::kEthernet, frame.data(),
                                 static_cast<std::uint32_t>(frame.size()),
                                 static_cast<std::uint32_t>(frame.size()), 0, packet);
  return DhcpNameParser::parsePacket(packet, out);
}

/// Every name the table learned, by key ("ip 192.0.2.1" / "mac 00:11:…") → names in order.
using Learned = std::map<std::string, std::vector<std::string>>;

Learned learnedOf(node::analysis::NameTable& table) {
  std::vector<net::IpAddress> addresses;
  std::vector<net::MacAddress> macs;
  table.collectChanges(addresses, macs);
  Learned out;
  std::vector<node::analysis::LearnedName> names;
  for (const auto& a : addresses) {
    names.clear();
    table.namesOf(a, names);
    for (const auto& n : names) out["ip " + a.toString()].push_back(n.name);
  }
  for (const auto& m : macs) {
    names.clear();
    table.namesOf(m, names);
    for (const auto& n : names) out["mac " + m.toString()].push_back(n.name);
  }
  return out;
}

struct CaptureRun {
  bool opened = false;
  std::string error;
  node::analysis::NameTable table;
  std::map<DhcpStatus, int> statuses;
};

void runCapture(const QString& capture, CaptureRun& run) {
  const auto source =
      node::capture::PcapSource::openFile(ref::capturePath(capture).toStdString(), &run.error);
  if (!source) return;
  run.opened = true;
  node::capture::RawPacket raw;
  decoder::DecodedPacket packet;
  DhcpMessage message;
  while (source->next(raw) == node::capture::ReadStatus::Packet) {
    decoder::PacketDecoder::decode(raw.linkType, raw.data, raw.capturedLength, raw.wireLength,
                                   raw.timestampNs, packet);
    const DhcpStatus s = DhcpNameParser::parsePacket(packet, message);
    if (s == DhcpStatus::NotDhcp) continue;
    ++run.statuses[s];
    run.table.learnDhcp(s, message, raw.timestampNs);
  }
}

QString describe(const Learned& learned) {
  QStringList lines;
  for (const auto& [key, names] : learned) {
    QStringList n;
    for (const auto& name : names) n << QString::fromStdString(name);
    lines << QString::fromStdString(key) + QStringLiteral(": ") + n.join(QStringLiteral(", "));
  }
  return lines.join(QStringLiteral("\n  "));
}

}  // namespace

class TestDhcpNames : public QObject {
  Q_OBJECT

 private slots:
  void discoverWithHostName() {
    DhcpMessage m;
    const Bytes msg = bootp(1, cat({messageType(dhcptype::kDiscover), option(50, {192, 0, 2, 7}),
                                    option(12, text("laptop-7"))}));
    QCOMPARE(parse(msg, m), DhcpStatus::Ok);
    QCOMPARE(m.op, std::uint8_t(1));
    QCOMPARE(m.messageType, dhcptype::kDiscover);
    QVERIFY(m.hasClientMac);
    QCOMPARE(m.clientMac.toString(), std::string("00:1b:63:12:34:56"));
    QCOMPARE(m.hostNameView(), std::string_view("laptop-7"));
    QCOMPARE(m.requestedAddress.toString(), std::string("192.0.2.7"));
    QVERIFY(!m.clientAddress.isValid());
    QVERIFY(!m.boundAddress().isValid());  // requested, not confirmed
  }

  void boundAddressByMessageType_data() {
    QTest::addColumn<Bytes>("message");
    QTest::addColumn<QString>("bound");
    const Bytes ci = {192, 0, 2, 10};
    const Bytes yi = {192, 0, 2, 20};
    const Bytes none = {0, 0, 0, 0};
    QTest::newRow("ACK") << bootp(2, messageType(dhcptype::kAck), none, yi) << "192.0.2.20";
    QTest::newRow("ACK to INFORM")
        << bootp(2, messageType(dhcptype::kAck), ci, none) << "192.0.2.10";
    QTest::newRow("OFFER") << bootp(2, messageType(dhcptype::kOffer), none, yi) << "";
    QTest::newRow("NAK") << bootp(2, messageType(dhcptype::kNak), none, none) << "";
    QTest::newRow("renewing REQUEST")
        << bootp(1, messageType(dhcptype::kRequest), ci) << "192.0.2.10";
    QTest::newRow("selecting REQUEST") << bootp(1, messageType(dhcptype::kRequest)) << "";
    QTest::newRow("INFORM") << bootp(1, messageType(dhcptype::kInform), ci) << "192.0.2.10";
    QTest::newRow("RELEASE") << bootp(1, messageType(dhcptype::kRelease), ci) << "192.0.2.10";
    QTest::newRow("DISCOVER with ciaddr") << bootp(1, messageType(dhcptype::kDiscover), ci) << "";
    QTest::newRow("BOOTP reply") << bootp(2, {}, none, yi, false) << "192.0.2.20";
  }

  void boundAddressByMessageType() {
    QFETCH(Bytes, message);
    QFETCH(QString, bound);
    DhcpMessage m;
    QCOMPARE(parse(message, m), DhcpStatus::Ok);
    QCOMPARE(QString::fromStdString(m.boundAddress().toString()), bound);
  }

  void hostNameIsTrimmedOrRejected() {
    DhcpMessage m;
    QCOMPARE(parse(bootp(1, option(12, cat({text(" DESKTOP-1 "), {0, 0}}))), m), DhcpStatus::Ok);
    QCOMPARE(m.hostNameView(), std::string_view("DESKTOP-1"));  // case kept as sent
    QCOMPARE(parse(bootp(1, option(12, text("J\xc3\xb6rgs-iPad"))), m), DhcpStatus::Ok);
    QCOMPARE(m.hostNameView(), std::string_view("J\xc3\xb6rgs-iPad"));
    QCOMPARE(parse(bootp(1, option(12, {'b', 'a', 'd', 0x07, 'x'})), m), DhcpStatus::Ok);
    QCOMPARE(m.hostNameLength, std::uint8_t(0));
    QVERIFY(m.isHostNameRejected);
    QCOMPARE(parse(bootp(1, option(12, {'b', 0xff, 'd'})), m), DhcpStatus::Ok);
    QVERIFY(m.isHostNameRejected);
    // The first occurrence counts.
    QCOMPARE(parse(bootp(1, cat({option(12, text("first")), option(12, text("second"))})), m),
             DhcpStatus::Ok);
    QCOMPARE(m.hostNameView(), std::string_view("first"));
  }

  void clientFqdnInBothEncodings() {
    DhcpMessage m;
    // E flag: wire format (lower-cased like every DNS-format name).
    const Bytes wire = {4, 'H', 'o', 's', 't', 4,   'c', 'o', 'r', 'p',
                        7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0};
    QCOMPARE(parse(bootp(1, option(81, cat({{0x05, 0, 0}, wire}))), m), DhcpStatus::Ok);
    QCOMPARE(m.fqdnView(), std::string_view("host.corp.example"));
    // A partial name (no root label).
    QCOMPARE(parse(bootp(1, option(81, {0x05, 0, 0, 4, 'h', 'o', 's', 't'})), m), DhcpStatus::Ok);
    QCOMPARE(m.fqdnView(), std::string_view("host"));
    // Deprecated ASCII form, trailing dot dropped.
    QCOMPARE(parse(bootp(1, option(81, cat({{0x01, 0, 0}, text("Host.Corp.Example.")}))), m),
             DhcpStatus::Ok);
    QCOMPARE(m.fqdnView(), std::string_view("Host.Corp.Example"));
    // A compression pointer has no place there: the name is dropped, the message is fine.
    QCOMPARE(parse(bootp(1, option(81, {0x05, 0, 0, 0xc0, 0x00})), m), DhcpStatus::Ok);
    QCOMPARE(m.fqdnLength, std::uint8_t(0));
  }

  void optionOverloadIsHonoured() {
    DhcpMessage m;
    const Bytes inFile = cat({option(12, text("from-file")), {255}});
    const Bytes inSname =
        cat({option(12, text("from-sname")), messageType(dhcptype::kRequest), {255}});
    QCOMPARE(parse(bootp(1, option(52, {1}), {0, 0, 0, 0}, {0, 0, 0, 0}, true, {}, inFile), m),
             DhcpStatus::Ok);
    QCOMPARE(m.hostNameView(), std::string_view("from-file"));
    QCOMPARE(parse(bootp(1, option(52, {2}), {0, 0, 0, 0}, {0, 0, 0, 0}, true, inSname, {}), m),
             DhcpStatus::Ok);
    QCOMPARE(m.hostNameView(), std::string_view("from-sname"));
    QCOMPARE(m.messageType, dhcptype::kRequest);
    // Both: `file` is read before `sname`, and the first host name counts.
    QCOMPARE(parse(bootp(1, option(52, {3}), {0, 0, 0, 0}, {0, 0, 0, 0}, true, inSname, inFile), m),
             DhcpStatus::Ok);
    QCOMPARE(m.hostNameView(), std::string_view("from-file"));
    // Without option 52 the fields are names of a boot file and server, not options.
    QCOMPARE(parse(bootp(1, {}, {0, 0, 0, 0}, {0, 0, 0, 0}, true, inSname, inFile), m),
             DhcpStatus::Ok);
    QCOMPARE(m.hostNameLength, std::uint8_t(0));
    // An option running past the end of `file` is damage.
    const Bytes bad = {12, 200, 'x'};
    QCOMPARE(parse(bootp(1, option(52, {1}), {0, 0, 0, 0}, {0, 0, 0, 0}, true, {}, bad), m),
             DhcpStatus::BadOption);
  }

  void malformedMessages_data() {
    QTest::addColumn<Bytes>("message");
    QTest::addColumn<DhcpStatus>("expected");
    const Bytes good = bootp(1, option(12, text("pc")));
    QTest::newRow("shorter than the header")
        << Bytes(good.begin(), good.begin() + 235) << DhcpStatus::Truncated;
    Bytes op = good;
    op[0] = 3;
    QTest::newRow("op 3") << op << DhcpStatus::BadHeader;
    Bytes hlen = good;
    hlen[2] = 17;
    QTest::newRow("hlen 17") << hlen << DhcpStatus::BadHeader;
    Bytes pastEnd = good;
    pastEnd[241] = 100;  // the host name option claims 100 octets
    QTest::newRow("option past the end") << pastEnd << DhcpStatus::BadOption;
    Bytes noLength = cat({Bytes(good.begin(), good.begin() + 240), {12}});
    QTest::newRow("option code without length") << noLength << DhcpStatus::BadOption;
  }

  void malformedMessages() {
    QFETCH(Bytes, message);
    QFETCH(DhcpStatus, expected);
    DhcpMessage m;
    const DhcpStatus s = parse(message, m);
    QCOMPARE(s, expected);
    QVERIFY(node::analysis::isMalformed(s));
  }

  void withoutEndOptionOrCookie() {
    DhcpMessage m;
    Bytes msg = bootp(1, option(12, text("pc")));
    msg.pop_back();  // no END option: many stacks pad to the end instead
    QCOMPARE(parse(msg, m), DhcpStatus::Ok);
    QCOMPARE(m.hostNameView(), std::string_view("pc"));
    QCOMPARE(parse(bootp(1, {}, {0, 0, 0, 0}, {0, 0, 0, 0}, false), m), DhcpStatus::Ok);
    QCOMPARE(m.messageType, dhcptype::kNone);
  }

  void cutsAndMutationsAreSafe() {
    const Bytes good =
        bootp(1, cat({messageType(dhcptype::kRequest), option(12, text("laptop")),
                      option(81, {0x05, 0, 0, 6, 'l', 'a', 'p', 't', 'o', 'p', 0})}));
    DhcpMessage m;
    for (std::size_t n = 0; n < good.size(); ++n) {
      const Bytes cut(good.begin(), good.begin() + n);
      const DhcpStatus s = parse(cut, m);
      if (n < 236) QCOMPARE(s, DhcpStatus::Truncated);
    }
    std::mt19937 rng(7);
    for (int round = 0; round < 20000; ++round) {
      Bytes msg = good;
      for (int c = 0; c < 3; ++c)
        msg[236 + rng() % (msg.size() - 236)] = static_cast<std::uint8_t>(rng());
      if (rng() % 4 == 0) msg[rng() % 236] = static_cast<std::uint8_t>(rng());
      if (parse(msg, m) == DhcpStatus::Ok) {
        QVERIFY(node::analysis::isDisplayableText(m.hostNameView()));
        QVERIFY(node::analysis::isDisplayableText(m.fqdnView()));
      }
    }
  }

  void packetsAreRecognisedByPort() {
    const Bytes msg = bootp(1, option(12, text("pc")));
    DhcpMessage m;
    QCOMPARE(parseFrame(ethIpv4Udp(68, 67, msg), m), DhcpStatus::Ok);
    QCOMPARE(parseFrame(ethIpv4Udp(67, 68, msg), m), DhcpStatus::Ok);
    QCOMPARE(parseFrame(ethIpv4Udp(67, 67, msg), m), DhcpStatus::Ok);  // relay agent
    QCOMPARE(parseFrame(ethIpv4Udp(68, 5000, msg), m), DhcpStatus::NotDhcp);
    QCOMPARE(parseFrame(ethIpv4Udp(53, 67, msg), m), DhcpStatus::NotDhcp);
    QCOMPARE(parseFrame(ethIpv4Udp(68, 67, msg, 0x2000), m), DhcpStatus::Incomplete);
  }

  void corpusHostNames_data() {
    QTest::addColumn<QString>("capture");
    QTest::addColumn<QString>("expected");
    // From tshark 4.0: `tshark -n -r F -Y dhcp -T fields -e dhcp.option.dhcp -e
    // dhcp.hw.mac_addr -e dhcp.ip.client -e dhcp.ip.your -e dhcp.option.hostname`, with the
    // binding rules of DhcpMessage::boundAddress and NameTable.
    //
    // DISCOVER and REQUESTs carry the name, the server's ACK (frame 6) binds 128.2.6.189 to
    // the MAC. The OFFER of 128.2.6.97 and the requested 192.168.211.194 are no bindings.
    QTest::newRow("dhcp_dora.pcap") << "dhcp_dora.pcap"
                                    << "ip 128.2.6.189: btest.is.cool\n"
                                       "  mac 90:b1:1c:99:49:29: btest.is.cool";
    // A RELEASE of 192.168.1.249 (frame 13, no name), then DISCOVERs named DJP95S0J.
    QTest::newRow("dhcp_hostname_eapol.pcap") << "dhcp_hostname_eapol.pcap"
                                              << "ip 192.168.1.249: DJP95S0J\n"
                                                 "  mac 00:04:23:57:a5:7a: DJP95S0J";
    // Six named clients; REQUEST/INFORM with ciaddr bind three of them. Shen's REQUEST asks
    // for 192.168.3.237 but no ACK for its MAC follows.
    QTest::newRow("mixed_http_dns_dhcp_tls_retrans.pcap")
        << "mixed_http_dns_dhcp_tls_retrans.pcap"
        << "ip 192.168.5.16: MacBook-Air\n"
           "  ip 192.168.5.41: kevin-PC\n"
           "  ip 192.168.5.9: Joanna-PC\n"
           "  mac 48:d2:24:63:0a:de: kevin-PC\n"
           "  mac 60:c5:47:05:bc:8c: MacBook-Air\n"
           "  mac 70:3e:ac:f0:f0:07: Shen\n"
           "  mac 70:f1:a1:f8:2a:fd: Joanna-PC\n"
           "  mac bc:ee:7b:0c:b3:de: android-f7ca0f571270c52d\n"
           "  mac e0:ca:94:6b:96:44: sanji-LIFEBOOK-LH531";
    // DISCOVERs only.
    QTest::newRow("sip_rtp_g729_call.pcap") << "sip_rtp_g729_call.pcap"
                                            << "mac a0:1d:48:b8:b7:13: nbkmetm";
  }

  void corpusHostNames() {
    QFETCH(QString, capture);
    QFETCH(QString, expected);
    CaptureRun run;
    runCapture(capture, run);
    QVERIFY2(run.opened, run.error.c_str());
    QCOMPARE(describe(learnedOf(run.table)), expected);
    QCOMPARE(run.table.stats().dhcpMalformed(), std::uint64_t(0));
    QVERIFY(run.statuses[DhcpStatus::Ok] > 0);
  }
};

QTEST_APPLESS_MAIN(TestDhcpNames)
#include "tst_dhcp_names.moc"
