// SPDX-License-Identifier: MIT
// The BPF of an IP detail's Layer 2 QoS row (CaptureQueries::l2QosFilter): compiled by libpcap
// for each corpus capture's link type and run over its packets, it must select exactly the
// frames tshark selects with the row's display filter (the address, and the outermost VLAN
// tag's PCP or the top MPLS label's TC), and as many as the figures written down here. Also the
// queries built on it and on the host's DSCP filter, and what a live capture of them sends; the
// group rows' filters (DSCP, port, Layer 2 over a group's IPv4 and IPv6 prefixes) the same way.

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

#include "app/models/capture_query.h"
#include "app/views/capture_menu.h"
#include "shared/net/ip_address.h"
#include "shared/net/ip_groups.h"
#include "tests/common/bpf_frames.h"
#include "tests/common/tshark_reference.h"

using namespace netlens;
using netlens::app::models::CaptureQueries;
using netlens::app::models::L2QosField;
using netlens::tests::bpfFrames;
using netlens::tests::tsharkFrames;

namespace {

/// The frames a BPF expression selects in `capture` must be tshark's, and as many as written down.
void compareFrames(const QString& capture, const std::string& expression, const QString& tshark,
                   int frames) {
  QString error;
  const QStringList ours = bpfFrames(capture, expression, &error);
  QVERIFY2(error.isEmpty(),
           qPrintable(error + QStringLiteral(": ") + QString::fromStdString(expression)));
  bool ok = false;
  const QStringList reference = tsharkFrames(capture, tshark, &ok);
  QVERIFY2(ok, "tshark failed");
  QCOMPARE(reference.size(), frames);
  QCOMPARE(ours, reference);
}

}  // namespace

class TestL2QosFilter : public QObject {
  Q_OBJECT

 private slots:
  void matchesTshark_data();
  void matchesTshark();
  void queriesAndLiveCriteria();
  void groupFiltersMatchTshark_data();
  void groupFiltersMatchTshark();
  void groupIpv6BehindTagsMatchesTshark();
};

void TestL2QosFilter::matchesTshark_data() {
  QTest::addColumn<QString>("capture");
  QTest::addColumn<QString>("address");
  QTest::addColumn<bool>("pcp");
  QTest::addColumn<int>("value");
  QTest::addColumn<QString>("tshark");  // the display filter of the same packets
  QTest::addColumn<int>("frames");      // tshark's count, written down

  const auto pcp = [](const char* address, int value) {
    return QStringLiteral("ip.addr == %1 && vlan.priority#1 == %2").arg(address).arg(value);
  };
  const auto tc = [](const char* address, int value) {
    return QStringLiteral("ip.addr == %1 && mpls.exp#1 == %2").arg(address).arg(value);
  };
  // QinQ 7/5 on three frames, one tag with PCP 5 on three more: the outer tag counts.
  QTest::newRow("outer PCP 7 of QinQ")
      << "vlan_pcp_dei.pcapng"
      << "192.168.1.100" << true << 7 << pcp("192.168.1.100", 7) << 3;
  QTest::newRow("PCP 5, not the inner tag's")
      << "vlan_pcp_dei.pcapng"
      << "192.168.1.200" << true << 5 << pcp("192.168.1.200", 5) << 3;
  QTest::newRow("PCP 0 absent") << "vlan_pcp_dei.pcapng"
                                << "192.168.1.100" << true << 0 << pcp("192.168.1.100", 0) << 0;
  QTest::newRow("two tags, PCP 5") << "vlan_qinq_http_pcp5.pcap"
                                   << "141.142.228.5" << true << 5 << pcp("141.142.228.5", 5) << 14;
  QTest::newRow("three tags") << "vlan_qinqinq_triple_tag.pcap"
                              << "192.150.187.43" << true << 0 << pcp("192.150.187.43", 0) << 14;
  QTest::newRow("one tag among untagged")
      << "tcp_retrans_syn_with_timestamps.pcap"
      << "10.38.251.146" << true << 0 << pcp("10.38.251.146", 0) << 106;
  // tshark calls an 802.1ad S-tag ieee8021ad, and vlan only the C-tag inside it.
  QTest::newRow("802.1ad S-tag") << "qinq_8021ad.pcapng"
                                 << "192.85.1.22" << true << 0
                                 << "ip.addr == 192.85.1.22 && ieee8021ad.priority == 0" << 1;
  QTest::newRow("tag, then MPLS or IP") << "mpls_in_vlan.pcap"
                                        << "65.65.65.65" << true << 0 << pcp("65.65.65.65", 0) << 3;
  QTest::newRow("MPLS behind a tag, one or two labels")
      << "mpls_in_vlan.pcap"
      << "65.65.65.65" << false << 0 << tc("65.65.65.65", 0) << 2;
  QTest::newRow("MPLS TC 6 untagged") << "mpls_mixed_with_vlan.pcap"
                                      << "10.1.2.1" << false << 6 << tc("10.1.2.1", 6) << 11;
  QTest::newRow("MPLS TC 0 absent") << "mpls_mixed_with_vlan.pcap"
                                    << "10.34.0.1" << false << 0 << tc("10.34.0.1", 0) << 0;
  QTest::newRow("tagged, no MPLS") << "mpls_mixed_with_vlan.pcap"
                                   << "10.0.0.15" << false << 0 << tc("10.0.0.15", 0) << 0;
  QTest::newRow("PCP beside MPLS") << "mpls_mixed_with_vlan.pcap"
                                   << "10.20.80.1" << true << 0 << pcp("10.20.80.1", 0) << 14;
  QTest::newRow("IPv6 untagged")
      << "dns_edns_ecs_mixed_types.pcap"
      << "2001:470:1f0b:16b0:20c:29ff:fe7c:a4cb" << true << 0
      << "ipv6.addr == 2001:470:1f0b:16b0:20c:29ff:fe7c:a4cb && vlan.priority#1 == 0" << 0;
}

void TestL2QosFilter::matchesTshark() {
  QFETCH(QString, capture);
  QFETCH(QString, address);
  QFETCH(bool, pcp);
  QFETCH(int, value);
  QFETCH(QString, tshark);
  QFETCH(int, frames);
  const QString file = tests::capturePath(capture);
  const auto ip = net::IpAddress::parse(address.toStdString());
  QVERIFY(ip.has_value());
  const std::string expression =
      CaptureQueries::l2QosFilter(pcp ? L2QosField::VlanPcp : L2QosField::MplsTc, value, *ip);
  compareFrames(file, expression, tshark, frames);
}

void TestL2QosFilter::queriesAndLiveCriteria() {
  const auto ip = *net::IpAddress::parse("10.1.2.1");
  auto q = CaptureQueries::forHostL2Qos(ip, L2QosField::MplsTc, 6, 100, 200);
  QCOMPARE(q.title, QStringLiteral("host 10.1.2.1, MPLS TC 6"));
  QCOMPARE(q.fileStem, QStringLiteral("10.1.2.1-tc-6"));
  QVERIFY(q.bpfSelectsAll);
  QCOMPARE(q.params,
           (protocol::Params{{"host", "10.1.2.1"},
                             {"bpf", CaptureQueries::l2QosFilter(L2QosField::MplsTc, 6, ip)},
                             {"from", "100"},
                             {"to", "200"}}));
  // A live capture sends the BPF alone: the node would put "host" after it, where offsets
  // have moved for a tagged frame.
  auto live = app::views::CaptureMenu::live(q);
  QCOMPARE(live.params, (protocol::Params{{"bpf", q.params.at("bpf")}}));
  QCOMPARE(live.title, q.title);
  q = CaptureQueries::forHostL2Qos(ip, L2QosField::VlanPcp, 5);
  QCOMPARE(q.title, QStringLiteral("host 10.1.2.1, VLAN PCP 5"));
  QVERIFY(q.params.count("from") == 0);

  // DSCP of one host: the host inside the BPF, before and after "vlan".
  q = CaptureQueries::forHostDscp(ip, 46, 1, 2);
  QCOMPARE(q.params.at("bpf"),
           std::string("(ip host 10.1.2.1 and ip[1] & 0xfc = 184) or (vlan and (ip host 10.1.2.1 "
                       "and ip[1] & 0xfc = 184))"));
  QCOMPARE(app::views::CaptureMenu::live(q).params,
           (protocol::Params{{"bpf", q.params.at("bpf")}}));
  q = CaptureQueries::forHostDscp(*net::IpAddress::parse("2001:db8::1"), 46);
  QCOMPARE(q.params.at("bpf"),
           std::string("(ip6 host 2001:db8::1 and ip6[0:2] & 0x0fc0 = 2944) or (vlan and (ip6 host "
                       "2001:db8::1 and ip6[0:2] & 0x0fc0 = 2944))"));
  // Other queries keep their criteria live, without the time range.
  const auto host = app::views::CaptureMenu::live(CaptureQueries::forHost(ip, 1, 2));
  QCOMPARE(host.params, (protocol::Params{{"host", "10.1.2.1"}}));

  // The DSCP filter against tshark, tagged and untagged frames of one host.
  QString error;
  const QString file = tests::capturePath(QStringLiteral("tcp_retrans_syn_with_timestamps.pcap"));
  const auto server = *net::IpAddress::parse("10.38.251.147");
  const QStringList ours =
      bpfFrames(file, CaptureQueries::forHostDscp(server, 0).params.at("bpf"), &error);
  QVERIFY2(error.isEmpty(), qPrintable(error));
  bool ok = false;
  const QStringList reference =
      tsharkFrames(file, QStringLiteral("ip.addr == 10.38.251.147 && ip.dsfield.dscp == 0"), &ok);
  QVERIFY(ok);
  QCOMPARE(reference.size(), 254);
  QCOMPARE(ours, reference);
}

namespace {

std::vector<std::string> prefixList(const QString& text) {
  std::vector<std::string> out;
  for (const QString& p : text.split(',', Qt::SkipEmptyParts)) out.push_back(p.toStdString());
  return out;
}

}  // namespace

void TestL2QosFilter::groupFiltersMatchTshark_data() {
  QTest::addColumn<QString>("capture");
  QTest::addColumn<QString>("prefixes");
  QTest::addColumn<QString>("row");  // "pcpN", "tcN", "dscpN" or "portN"
  QTest::addColumn<QString>("tshark");
  QTest::addColumn<int>("frames");

  QTest::newRow("PCP 7, one /24") << "vlan_pcp_dei.pcapng"
                                  << "192.168.1.0/24"
                                  << "pcp7"
                                  << "ip.addr == 192.168.1.0/24 && vlan.priority#1 == 7" << 3;
  QTest::newRow("PCP 5, a /30 and a host")
      << "vlan_pcp_dei.pcapng"
      << "192.168.1.200/30,10.9.9.9/32"
      << "pcp5"
      << "(ip.addr == 192.168.1.200/30 || ip.addr == 10.9.9.9) && vlan.priority#1 == 5" << 3;
  QTest::newRow("TC 6, /16 and /20 with an IPv6 prefix beside")
      << "mpls_mixed_with_vlan.pcap"
      << "10.1.0.0/16,10.20.80.0/20,2001:db8::/32"
      << "tc6"
      << "(ip.addr == 10.1.0.0/16 || ip.addr == 10.20.80.0/20 || ipv6.addr == 2001:db8::/32) && "
         "mpls.exp#1 == 6"
      << 11;
  QTest::newRow("PCP 0 behind tags then MPLS, a /9")
      << "mpls_in_vlan.pcap"
      << "65.0.0.0/9"
      << "pcp0"
      << "ip.addr == 65.0.0.0/9 && vlan.priority#1 == 0" << 3;
  QTest::newRow("every IPv4 address (/0)") << "vlan_qinq_http_pcp5.pcap"
                                           << "0.0.0.0/0"
                                           << "pcp5"
                                           << "ip && vlan.priority#1 == 5" << 14;
  QTest::newRow("DSCP 0, tagged and untagged")
      << "tcp_retrans_syn_with_timestamps.pcap"
      << "10.38.251.144/28"
      << "dscp0"
      << "ip.addr == 10.38.251.144/28 && ip.dsfield.dscp == 0" << 254;
  QTest::newRow("TCP port of a group") << "tcp_retrans_syn_with_timestamps.pcap"
                                       << "10.38.251.146/31"
                                       << "port80"
                                       << "ip.addr == 10.38.251.146/31 && tcp.port == 80" << 254;
}

void TestL2QosFilter::groupFiltersMatchTshark() {
  QFETCH(QString, capture);
  QFETCH(QString, prefixes);
  QFETCH(QString, row);
  QFETCH(QString, tshark);
  QFETCH(int, frames);
  const std::vector<std::string> networks = prefixList(prefixes);
  app::models::CaptureQuery q;
  const int value = row.mid(row.indexOf(QRegularExpression(QStringLiteral("[0-9]")))).toInt();
  if (row.startsWith(QLatin1String("pcp")) || row.startsWith(QLatin1String("tc"))) {
    q = CaptureQueries::forGroupL2Qos(
        QStringLiteral("g"), networks,
        row.startsWith(QLatin1String("pcp")) ? L2QosField::VlanPcp : L2QosField::MplsTc, value);
  } else if (row.startsWith(QLatin1String("dscp"))) {
    q = CaptureQueries::forGroupDscp(QStringLiteral("g"), networks, value);
  } else {
    q = CaptureQueries::forGroupPort(QStringLiteral("g"), networks, value);
    QCOMPARE(q.params.at("port"), std::to_string(value));
  }
  QVERIFY(q.bpfSelectsAll);
  // A live capture sends the BPF alone, and it holds the whole selection.
  QCOMPARE(app::views::CaptureMenu::live(q).params.size(), 1u);
  compareFrames(tests::capturePath(capture), q.params.at("bpf"), tshark, frames);
}

void TestL2QosFilter::groupIpv6BehindTagsMatchesTshark() {
  // No corpus capture has IPv6 behind a VLAN tag or MPLS: frames made here, tshark the judge.
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QString path = dir.filePath(QStringLiteral("v6-tags.pcap"));
  QByteArray file = QByteArray::fromHex("d4c3b2a1020004000000000000000000ffff000001000000");
  const auto frame = [&file](const QByteArray& l2, const char* source) {
    QByteArray ip = QByteArray::fromHex("60000000000c11ff");  // payload 12 (UDP 8 + 4), hop 255
    ip += QByteArray::fromHex(source);
    ip += QByteArray::fromHex("20010db9ffff00000000000000000001");  // 2001:db9:ffff::1
    ip += QByteArray::fromHex("1f9004d2000c0000deadbeef");
    QByteArray bytes = QByteArray::fromHex("020000000002020000000001") + l2 + ip;
    QByteArray header(16, '\0');
    const auto put = [&header](int at, quint32 v) {
      for (int i = 0; i < 4; ++i) header[at + i] = char((v >> (8 * i)) & 0xff);
    };
    put(8, quint32(bytes.size()));
    put(12, quint32(bytes.size()));
    file += header + bytes;
  };
  const char* inside = "20010db800120000000000000000000a";     // 2001:db8:12::a
  const char* outside = "20010db900120000000000000000000a";    // 2001:db9:12::a
  frame(QByteArray::fromHex("8100a00586dd"), inside);          // PCP 5, IPv6
  frame(QByteArray::fromHex("88a8a0058100200786dd"), inside);  // 802.1ad PCP 5, then a C-tag
  frame(QByteArray::fromHex("8100a00586dd"), outside);         // PCP 5, another network
  frame(QByteArray::fromHex("8100600586dd"), inside);          // PCP 3
  frame(QByteArray::fromHex("8847000a1b40"), inside);          // MPLS TC 5, S set, then IPv6
  frame(QByteArray::fromHex("8100a0058847000a1a40000b1b40"), inside);  // tag, two labels TC 5
  frame(QByteArray::fromHex("86dd"), inside);                          // untagged
  QFile out(path);
  QVERIFY(out.open(QIODevice::WriteOnly));
  out.write(file);
  out.close();
  const std::vector<std::string> networks{"2001:db8::/32", "2001:db8:12::/48", "10.0.0.0/8"};
  compareFrames(path,
                CaptureQueries::forGroupL2Qos(QStringLiteral("g"), networks, L2QosField::VlanPcp, 5)
                    .params.at("bpf"),
                QStringLiteral("ipv6.addr == 2001:db8::/32 && "
                               "(vlan.priority#1 == 5 || ieee8021ad.priority == 5)"),
                3);
  compareFrames(path,
                CaptureQueries::forGroupL2Qos(QStringLiteral("g"), networks, L2QosField::MplsTc, 5)
                    .params.at("bpf"),
                QStringLiteral("ipv6.addr == 2001:db8::/32 && mpls.exp#1 == 5"), 2);
}

QTEST_MAIN(TestL2QosFilter)
#include "tst_l2_qos_filter.moc"
