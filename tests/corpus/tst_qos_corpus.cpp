// SPDX-License-Identifier: MIT
// QoS per connection direction (`analyze --json connections`: qos_c2s / qos_s2c) against
// tshark's own dissection of the corpus captures with VLAN tags, MPLS labels and DSCP
// markings: the latest DSCP of the innermost IP header, PCP of the outermost VLAN tag, TC of
// the top MPLS label and the label stack, each with its "changed" flag (set when not every
// packet of the direction carried the same value). tshark runs at test time: the stored
// references hold no QoS fields.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QStringList>
#include <QTest>
#include <map>

#include "tests/common/tshark_reference.h"

namespace ref = netlens::tests;

namespace {

const QString kNode = QStringLiteral(NETLENS_NODE_BINARY);

/// What one direction's packets carried, in packet order, as text ("" = absent).
struct Markings {
  QStringList dscp;
  QStringList pcp;
  QStringList tc;
  QStringList labels;
};

/// The direction's expected JSON from the values of its packets.
QJsonObject expectedQos(const Markings& m) {
  const auto changed = [](const QStringList& values) {
    return values.count(values.front()) != values.size();
  };
  const auto number = [](const QString& v) { return v.isEmpty() ? QJsonValue() : v.toInt(); };
  QJsonArray labels;
  for (const QString& l : m.labels.back().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    labels.append(l.toInt());
  }
  return QJsonObject{{"dscp", m.dscp.back().toInt()},
                     {"dscp_changed", changed(m.dscp)},
                     {"vlan_pcp", number(m.pcp.back())},
                     {"vlan_pcp_changed", changed(m.pcp)},
                     {"mpls_tc", number(m.tc.back())},
                     {"mpls_tc_changed", changed(m.tc)},
                     {"mpls_labels", labels},
                     {"mpls_labels_changed", changed(m.labels)}};
}

QString firstOf(const QString& values) {
  return values.section(QLatin1Char(','), 0, 0);
}
QString lastOf(const QString& values) {
  return values.section(QLatin1Char(','), -1);
}

/// "proto src sport dst dport" of a direction.
using Direction = QString;

/// Per direction, the markings of every TCP/UDP frame of `capture` as tshark dissects it.
/// Frames with ICMP (whose quoted headers add field occurrences) are left out.
bool tsharkMarkings(const QString& capture, std::map<Direction, Markings>& out, QString& error) {
  QProcess p;
  p.start(QStringLiteral("tshark"), {QStringLiteral("-r"), capture,
                                     QStringLiteral("-T"), QStringLiteral("fields"),
                                     QStringLiteral("-E"), QStringLiteral("occurrence=a"),
                                     QStringLiteral("-E"), QStringLiteral("separator=|"),
                                     QStringLiteral("-e"), QStringLiteral("ip.src"),
                                     QStringLiteral("-e"), QStringLiteral("ip.dst"),
                                     QStringLiteral("-e"), QStringLiteral("ipv6.src"),
                                     QStringLiteral("-e"), QStringLiteral("ipv6.dst"),
                                     QStringLiteral("-e"), QStringLiteral("tcp.srcport"),
                                     QStringLiteral("-e"), QStringLiteral("tcp.dstport"),
                                     QStringLiteral("-e"), QStringLiteral("udp.srcport"),
                                     QStringLiteral("-e"), QStringLiteral("udp.dstport"),
                                     QStringLiteral("-e"), QStringLiteral("ip.dsfield.dscp"),
                                     QStringLiteral("-e"), QStringLiteral("ipv6.tclass.dscp"),
                                     QStringLiteral("-e"), QStringLiteral("vlan.priority"),
                                     QStringLiteral("-e"), QStringLiteral("mpls.exp"),
                                     QStringLiteral("-e"), QStringLiteral("mpls.label"),
                                     QStringLiteral("-e"), QStringLiteral("icmp.type"),
                                     QStringLiteral("-e"), QStringLiteral("icmpv6.type"),
                                     QStringLiteral("-e"), QStringLiteral("ip.flags.mf"),
                                     QStringLiteral("-e"), QStringLiteral("ip.frag_offset"),
                                     QStringLiteral("-e"), QStringLiteral("frame.protocols")});
  if (!p.waitForFinished(-1) || p.exitCode() != 0) {
    error = QStringLiteral("tshark failed on %1: %2")
                .arg(capture, QString::fromUtf8(p.readAllStandardError()));
    return false;
  }
  const QStringList lines = QString::fromUtf8(p.readAllStandardOutput()).split(QLatin1Char('\n'));
  for (const QString& line : lines) {
    const QStringList f = line.split(QLatin1Char('|'));
    if (f.size() < 18) continue;
    if (!f[13].isEmpty() || !f[14].isEmpty()) continue;  // ICMP
    if (f[15].contains(QLatin1Char('1')) || f[16].contains(QRegularExpression("[1-9]"))) {
      continue;  // fragments: the reassembled frame's markings are the first fragment's here
    }
    const bool tcp = !f[4].isEmpty();
    const bool udp = !f[6].isEmpty();
    if (!tcp && !udp) continue;
    // The innermost IP header: IPv6 when the protocol chain ends in IPv6 after the last IPv4.
    const QString chain = f[17];
    const int v4At = chain.lastIndexOf(QStringLiteral(":ip:"));
    const int v6At = chain.lastIndexOf(QStringLiteral(":ipv6:"));
    const bool v6 = v6At > v4At;
    const QString src = lastOf(v6 ? f[2] : f[0]);
    const QString dst = lastOf(v6 ? f[3] : f[1]);
    const QString sport = lastOf(tcp ? f[4] : f[6]);
    const QString dport = lastOf(tcp ? f[5] : f[7]);
    Markings& m =
        out[QStringLiteral("%1 %2 %3 %4 %5")
                .arg(tcp ? QStringLiteral("tcp") : QStringLiteral("udp"), src, sport, dst, dport)];
    m.dscp << lastOf(v6 ? f[9] : f[8]);
    m.pcp << firstOf(f[10]);
    m.tc << firstOf(f[11]);
    m.labels << f[12];
  }
  return true;
}

}  // namespace

class TestQosCorpus : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (QStandardPaths::findExecutable(QStringLiteral("tshark")).isEmpty()) {
      QFAIL("tshark is needed for this test (installer/setup-deps.sh installs it)");
    }
  }

  void qosMatchesTshark_data() {
    QTest::addColumn<QString>("capture");
    QTest::addColumn<int>("changing");  // directions where a marking changes, per tshark
    const std::pair<const char*, int> captures[] = {{"mpls_in_vlan.pcap", 0},
                                                    {"mpls_mixed_with_vlan.pcap", 0},
                                                    {"vlan_pcp_dei.pcapng", 2},
                                                    {"vlan_qinq_http_pcp5.pcap", 0},
                                                    {"many_protocols_vlan_http_dns_tls.pcap", 0},
                                                    {"vxlan_outer_vlan_tls_dns.pcap", 1},
                                                    {"sip_rtp_g729_call.pcap", 0},
                                                    {"sip_fax_t38_g711a_loss.pcap", 2},
                                                    {"sip_over_tcp_rtp_rtcp_g711a.pcap", 0},
                                                    {"tls_many_sites_sni_tls12_tls13.pcapng", 0},
                                                    {"tcp_fast_retransmit.pcap", 0},
                                                    {"mixed_http_dns_dhcp_tls_retrans.pcap", 1},
                                                    {"gre_sample.pcap", 0}};
    for (const auto& [capture, changing] : captures) {
      QTest::newRow(capture) << QString::fromLatin1(capture) << changing;
    }
  }

  void qosMatchesTshark() {
    QFETCH(QString, capture);
    QFETCH(int, changing);
    const QString path = ref::capturePath(capture);
    std::map<Direction, Markings> expected;
    QString error;
    QVERIFY2(tsharkMarkings(path, expected, error), qPrintable(error));

    QProcess p;
    p.start(kNode, {QStringLiteral("analyze"), QStringLiteral("-r"), path, QStringLiteral("--json"),
                    QStringLiteral("connections")});
    QVERIFY(p.waitForFinished(-1));
    QCOMPARE(p.exitCode(), 0);
    const QJsonArray connections =
        QJsonDocument::fromJson(p.readAllStandardOutput()).object().value("connections").toArray();
    // A 5-tuple reused by several connections cannot be told apart in tshark's field output:
    // those are left out (the capture list has none that matter).
    std::map<Direction, int> records;
    const auto directionOf = [](const QJsonObject& c, bool fromClient) {
      const QString client = c.value("client_ip").toString() + QLatin1Char(' ') +
                             QString::number(c.value("client_port").toInt());
      const QString server = c.value("server_ip").toString() + QLatin1Char(' ') +
                             QString::number(c.value("server_port").toInt());
      return c.value("proto").toString() + QLatin1Char(' ') +
             (fromClient ? client + QLatin1Char(' ') + server : server + QLatin1Char(' ') + client);
    };
    for (const QJsonValue& v : connections) ++records[directionOf(v.toObject(), true)];

    int compared = 0;
    for (const QJsonValue& v : connections) {
      const QJsonObject c = v.toObject();
      const QString proto = c.value("proto").toString();
      if (proto != QStringLiteral("tcp") && proto != QStringLiteral("udp")) continue;
      if (records[directionOf(c, true)] != 1) continue;
      for (const bool fromClient : {true, false}) {
        const Direction d = directionOf(c, fromClient);
        const QJsonValue ours = c.value(fromClient ? "qos_c2s" : "qos_s2c");
        const auto it = expected.find(d);
        if (it == expected.end()) {
          // Only fragments or ICMP-quoted packets in this direction, or none at all.
          if (!ours.isNull() &&
              (fromClient ? c.value("c2s_packets") : c.value("s2c_packets")).toInteger() != 0) {
            continue;
          }
          QVERIFY2(ours.isNull(), qPrintable(d));
          continue;
        }
        const QJsonObject want = expectedQos(it->second);
        QVERIFY2(
            ours.toObject() == want,
            qPrintable(
                QStringLiteral("%1: ours %2, tshark %3")
                    .arg(d,
                         QString::fromUtf8(
                             QJsonDocument(ours.toObject()).toJson(QJsonDocument::Compact)),
                         QString::fromUtf8(QJsonDocument(want).toJson(QJsonDocument::Compact)))));
        ++compared;
        for (const char* flag :
             {"dscp_changed", "vlan_pcp_changed", "mpls_tc_changed", "mpls_labels_changed"}) {
          if (want.value(flag).toBool()) {
            --changing;
            break;
          }
        }
      }
    }
    QVERIFY2(compared > 0, "no direction compared");
    QCOMPARE(changing, 0);
    qInfo("%s: %d directions compared", qPrintable(capture), compared);
  }
};

QTEST_GUILESS_MAIN(TestQosCorpus)
#include "tst_qos_corpus.moc"
