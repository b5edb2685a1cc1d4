// SPDX-License-Identifier: MIT
// The Search tab's packet helpers on corpus captures: the pcap reader finds every record
// tshark finds, and each packet's one-line summary and detail tree carry the addresses,
// ports, TCP sequence numbers, flags, windows, lengths and ICMP fields tshark decodes for the
// same frame. Also a damaged pcap: the records before the damage and a reason.

#include <QFile>
#include <QProcess>
#include <QTest>

#include <functional>

#include "app/models/packet_dissection.h"
#include "app/models/packet_list_model.h"
#include "app/models/search_query.h"
#include "shared/decoder/packet_decoder.h"

using namespace netlens;
using namespace netlens::app::models;

namespace {

QString capture(const char* name) {
  return QStringLiteral(NETLENS_SHARED_DATA "/pcaps/") + QString::fromLatin1(name);
}

/// tshark's fields per frame (first occurrence of each), in `fields` order.
QList<QStringList> tsharkFields(const QString& file, const QStringList& fields) {
  QStringList args{"-r", file, "-T", "fields", "-E", "occurrence=f", "-E", "separator=|"};
  for (const QString& f : fields) args << "-e" << f;
  QProcess p;
  p.start(QStringLiteral("tshark"), args);
  if (!p.waitForFinished(60000) || p.exitCode() != 0) return {};
  QList<QStringList> rows;
  for (const QByteArray& line : p.readAllStandardOutput().split('\n'))
    if (!line.isEmpty()) rows << QString::fromUtf8(line).split(QLatin1Char('|'));
  return rows;
}

const PacketField* findLayer(const std::vector<PacketField>& layers, const QString& name) {
  for (const auto& l : layers)
    if (l.name == name) return &l;
  return nullptr;
}

QString fieldValue(const PacketField* layer, const QString& name) {
  if (!layer) return {};
  for (const auto& f : layer->children)
    if (f.name == name) return f.value;
  return {};
}

}  // namespace

class TestPacketDissection : public QObject {
  Q_OBJECT

 private slots:
  void summariesMatchTshark_data();
  void summariesMatchTshark();
  void tcpFlagsAsTcpdump();
  void damagedPcap();
};

void TestPacketDissection::summariesMatchTshark_data() {
  QTest::addColumn<QString>("file");
  QTest::newRow("ethernet, VLAN, TCP/UDP/ICMP") << capture("many_protocols_vlan_http_dns_tls.pcap");
  QTest::newRow("raw IPv6, TCP") << capture("http_ipv6_rawip_four_streams.pcap");
  QTest::newRow("ethernet, mixed") << capture("mixed_http_dns_dhcp_tls_retrans.pcap");
}

void TestPacketDissection::summariesMatchTshark() {
  QFETCH(QString, file);
  QFile f(file);
  QVERIFY(f.open(QIODevice::ReadOnly));
  const QByteArray bytes = f.readAll();
  auto list = PacketList::build(bytes, nullptr);
  QVERIFY2(list->problem.isEmpty(), qPrintable(list->problem));

  const QStringList fields{"ip.src",
                           "ipv6.src",
                           "ip.dst",
                           "ipv6.dst",
                           "tcp.srcport",
                           "tcp.dstport",
                           "tcp.seq_raw",
                           "tcp.ack_raw",
                           "tcp.flags",
                           "tcp.window_size_value",
                           "tcp.len",
                           "udp.srcport",
                           "udp.dstport",
                           "udp.length",
                           "icmp.type",
                           "icmp.ident",
                           "icmp.seq",
                           "ip.ttl",
                           "tcp.options.wscale.shift",
                           "vlan.id",
                           "ip.proto"};
  const auto rows = tsharkFields(file, fields);
  QCOMPARE(static_cast<std::size_t>(rows.size()), list->records.size());

  int tcp = 0, udp = 0, icmp = 0;
  decoder::DecodedPacket d;
  for (int i = 0; i < rows.size(); ++i) {
    const QStringList& t = rows[i];
    QCOMPARE(t.size(), fields.size());
    auto v = [&](const char* name) { return t[fields.indexOf(QLatin1String(name))]; };
    list->decode(static_cast<std::size_t>(i), d);
    const QString src = v("ip.src").isEmpty() ? v("ipv6.src") : v("ip.src");
    const QString dst = v("ip.dst").isEmpty() ? v("ipv6.dst") : v("ip.dst");
    // tshark decodes the IP header an ICMP error quotes; we (and tcpdump's first line) do not.
    const bool icmpError =
        !v("icmp.type").isEmpty() && v("icmp.type") != "0" && v("icmp.type") != "8";
    if (icmpError || src.isEmpty()) continue;
    QCOMPARE(PacketDissection::source(d), src);
    QCOMPARE(PacketDissection::destination(d), dst);
    const QString summary = PacketDissection::summary(d);
    const auto layers = PacketDissection::tree(static_cast<int>(list->linkType), d);
    QString expected;
    if (!v("tcp.srcport").isEmpty() && !v("tcp.flags").isEmpty()) {
      const auto flags = static_cast<std::uint8_t>(v("tcp.flags").toUInt(nullptr, 16));
      expected = QStringLiteral("TCP %1.%2 > %3.%4 [%5] seq %6")
                     .arg(src, v("tcp.srcport"), dst, v("tcp.dstport"),
                          PacketDissection::tcpFlags(flags), v("tcp.seq_raw"));
      if (flags & 0x10) expected += " ack " + v("tcp.ack_raw");
      expected += " win " + v("tcp.window_size_value");
      if (!v("tcp.options.wscale.shift").isEmpty())
        expected += " wscale " + v("tcp.options.wscale.shift");
      expected += " len " + v("tcp.len");
      QCOMPARE(summary, expected);
      const PacketField* layer = findLayer(layers, "TCP");
      QVERIFY(layer);
      QCOMPARE(fieldValue(layer, "Sequence number"), v("tcp.seq_raw"));
      QCOMPARE(fieldValue(layer, "Window"), v("tcp.window_size_value"));
      ++tcp;
    } else if (!v("udp.srcport").isEmpty()) {
      expected = QStringLiteral("UDP %1.%2 > %3.%4 len %5")
                     .arg(src, v("udp.srcport"), dst, v("udp.dstport"))
                     .arg(v("udp.length").toInt() - 8);
      QVERIFY2(summary.startsWith(expected), qPrintable(summary + " vs " + expected));
      QCOMPARE(fieldValue(findLayer(layers, "UDP"), "Length"), v("udp.length"));
      ++udp;
    } else if (!v("icmp.type").isEmpty()) {
      expected = QStringLiteral("ICMP %1 > %2 %3, id %4, seq %5")
                     .arg(src, dst, v("icmp.type") == "8" ? "echo request" : "echo reply")
                     .arg(v("icmp.ident").toInt())
                     .arg(v("icmp.seq").toInt());
      QCOMPARE(summary, expected);
      ++icmp;
    }
    if (!v("ip.ttl").isEmpty())
      QCOMPARE(fieldValue(findLayer(layers, "IPv4"), "Time to live"), v("ip.ttl"));
    if (!v("vlan.id").isEmpty()) {
      const PacketField* vlan = findLayer(layers, "802.1Q");
      QVERIFY(vlan);
      QCOMPARE(fieldValue(vlan, "VLAN id"), v("vlan.id"));
    }
    // Every byte range a field names lies inside the captured frame.
    std::function<void(const std::vector<PacketField>&)> inside =
        [&](const std::vector<PacketField>& nodes) {
          for (const auto& n : nodes) {
            if (n.offset >= 0) QVERIFY(n.offset + n.length <= static_cast<int>(d.capturedLength));
            inside(n.children);
          }
        };
    inside(layers);
  }
  QVERIFY(tcp > 0);
  qInfo("%d TCP, %d UDP, %d ICMP echo packets compared", tcp, udp, icmp);
}

void TestPacketDissection::tcpFlagsAsTcpdump() {
  QCOMPARE(PacketDissection::tcpFlags(0x02), QString("S"));
  QCOMPARE(PacketDissection::tcpFlags(0x12), QString("S."));
  QCOMPARE(PacketDissection::tcpFlags(0x18), QString("P."));
  QCOMPARE(PacketDissection::tcpFlags(0x11), QString("F."));
  QCOMPARE(PacketDissection::tcpFlags(0x04), QString("R"));
  QCOMPARE(PacketDissection::tcpFlags(0x10), QString("."));
  QCOMPARE(PacketDissection::tcpFlags(0x00), QString("none"));
}

void TestPacketDissection::damagedPcap() {
  QFile f(capture("many_protocols_vlan_http_dns_tls.pcap"));
  QVERIFY(f.open(QIODevice::ReadOnly));
  const QByteArray whole = f.readAll();
  std::uint32_t linkType = 0;
  std::vector<PcapRecord> all;
  QString error;
  QVERIFY(PacketDissection::readPcap(whole, &linkType, &all, &error));
  QVERIFY(error.isEmpty());
  QCOMPARE(linkType, 1u);
  QVERIFY(all.size() > 10);
  // Cut inside the tenth record's data: nine records and a reason.
  const QByteArray cut = whole.left(all[9].offset + 3);
  std::vector<PcapRecord> some;
  QVERIFY(PacketDissection::readPcap(cut, &linkType, &some, &error));
  QCOMPARE(some.size(), std::size_t{9});
  QVERIFY(!error.isEmpty());
  // A huge record length is refused, not trusted.
  QByteArray huge = whole.left(24 + 16);
  huge[24 + 8] = '\xff';
  huge[24 + 9] = '\xff';
  huge[24 + 10] = '\xff';
  huge[24 + 11] = '\x7f';
  QVERIFY(PacketDissection::readPcap(huge, &linkType, &some, &error));
  QVERIFY(some.empty());
  QVERIFY(!error.isEmpty());
  // Not pcap at all.
  QVERIFY(!PacketDissection::readPcap(QByteArray("hello world, this is not pcap"), &linkType, &some,
                                      &error));
  QVERIFY(!PacketDissection::readPcap(QByteArray(), &linkType, &some, &error));
}

QTEST_GUILESS_MAIN(TestPacketDissection)
#include "tst_packet_dissection.moc"
