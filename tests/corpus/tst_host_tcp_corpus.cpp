// SPDX-License-Identifier: MIT
// The per-address TCP figures of the host table against tshark, for every capture of the
// shared corpus with TCP, with one and two workers:
// - tcpRetransPackets: the frames tshark flags tcp.analysis.retransmission,
//   fast_retransmission or spurious_retransmission, summed over the conversations of the
//   address in the exact conversation references (reference/*.conv_exact.tsv, innermost IP
//   layer, as our connections are);
// - tcpPayloadBytes: tshark's tcp.len summed over the frames whose innermost IP header has
//   the address as source or destination (tshark runs at test time: the stored references
//   have no payload figures). Frames of ICMP errors are left out on both sides: the TCP
//   header an ICMP error quotes is not a segment.
// An address talking to itself counts each segment once, as tcpPackets does.

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <QTest>
#include <QTextStream>
#include <map>
#include <string>
#include <vector>

#include "tests/common/capture_run.h"
#include "tests/common/reference_difference.h"
#include "tests/common/tshark_reference.h"

namespace ref = netlens::tests;

namespace {

/// Address → figure.
using PerAddress = std::map<QString, quint64>;

QString conversationFile(const QString& capture) {
  return ref::referenceDir() + QLatin1Char('/') + capture + QStringLiteral(".conv_exact.tsv");
}

/// Retransmitted frames per address from the capture's TCP conversations; false when the
/// reference has no TCP conversation.
bool retransmissionsOf(const QString& capture, PerAddress& out, QString& error) {
  QFile f(conversationFile(capture));
  if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
    error = QStringLiteral("cannot read %1").arg(f.fileName());
    return false;
  }
  QTextStream in(&f);
  in.readLine();  // header
  bool anyTcp = false;
  while (!in.atEnd()) {
    const QStringList c = in.readLine().split(QLatin1Char('\t'));
    if (c.size() < 11 || c[0] != QLatin1String("tcp")) continue;
    anyTcp = true;
    const quint64 frames = c[9].toULongLong();
    if (frames == 0) continue;
    out[c[1]] += frames;
    if (c[3] != c[1]) out[c[3]] += frames;
  }
  return anyTcp;
}

/// tcp.len per address of the innermost IP header, from tshark.
bool payloadOf(const QString& capture, PerAddress& out, QString& error) {
  QProcess p;
  p.start(QStringLiteral("tshark"),
          {QStringLiteral("-r"), ref::capturePath(capture),
           QStringLiteral("-Y"), QStringLiteral("tcp && !icmp && !icmpv6"),
           QStringLiteral("-T"), QStringLiteral("fields"),
           QStringLiteral("-E"), QStringLiteral("separator=|"),
           QStringLiteral("-e"), QStringLiteral("frame.protocols"),
           QStringLiteral("-e"), QStringLiteral("ip.src"),
           QStringLiteral("-e"), QStringLiteral("ip.dst"),
           QStringLiteral("-e"), QStringLiteral("ipv6.src"),
           QStringLiteral("-e"), QStringLiteral("ipv6.dst"),
           QStringLiteral("-e"), QStringLiteral("tcp.len")});
  if (!p.waitForFinished(-1)) {
    error = QStringLiteral("tshark did not finish on %1").arg(capture);
    return false;
  }
  // A damaged file makes tshark exit non-zero after printing what it read: keep that.
  const auto last = [](const QString& list) { return list.section(QLatin1Char(','), -1); };
  for (const QString& line : QString::fromUtf8(p.readAllStandardOutput()).split('\n')) {
    const QStringList f = line.split(QLatin1Char('|'));
    if (f.size() < 6 || f[5].isEmpty()) continue;
    // The IP layer right before the innermost TCP decides the family.
    const QStringList layers = f[0].split(QLatin1Char(':'));
    const qsizetype tcp = layers.lastIndexOf(QStringLiteral("tcp"));
    QString family;
    for (qsizetype i = tcp - 1; i >= 0 && family.isEmpty(); --i) {
      if (layers[i] == QLatin1String("ip") || layers[i] == QLatin1String("ipv6"))
        family = layers[i];
    }
    if (family.isEmpty()) continue;
    const bool v4 = family == QLatin1String("ip");
    const QString src = last(v4 ? f[1] : f[3]);
    const QString dst = last(v4 ? f[2] : f[4]);
    const quint64 length = last(f[5]).toULongLong();
    if (length == 0) continue;
    out[src] += length;
    if (dst != src) out[dst] += length;
  }
  return true;
}

/// Frames whose innermost IP header tshark dissected carries GRE or SCTP (IPv4: that
/// header's protocol field; IPv6: the layer after its extension headers).
bool greSctpOf(const QString& capture, quint64& gre, quint64& sctp, QString& error) {
  QProcess p;
  p.start(QStringLiteral("tshark"),
          {QStringLiteral("-r"), ref::capturePath(capture), QStringLiteral("-Y"),
           QStringLiteral("ip || ipv6"), QStringLiteral("-T"), QStringLiteral("fields"),
           QStringLiteral("-E"), QStringLiteral("separator=|"), QStringLiteral("-e"),
           QStringLiteral("frame.protocols"), QStringLiteral("-e"), QStringLiteral("ip.proto")});
  if (!p.waitForFinished(-1)) {
    error = QStringLiteral("tshark did not finish on %1").arg(capture);
    return false;
  }
  gre = sctp = 0;
  for (const QString& line : QString::fromUtf8(p.readAllStandardOutput()).split('\n')) {
    const QStringList f = line.split(QLatin1Char('|'));
    if (f.size() < 2) continue;
    const QStringList layers = f[0].split(QLatin1Char(':'));
    qsizetype ip = -1;
    for (qsizetype i = 0; i < layers.size(); ++i) {
      if (layers[i] == QLatin1String("ip") || layers[i] == QLatin1String("ipv6")) ip = i;
      // The IP header an ICMP error quotes is not the packet's.
      if (layers[i].startsWith(QLatin1String("icmp"))) break;
    }
    if (ip < 0) continue;
    QString next;
    if (layers[ip] == QLatin1String("ip")) {
      const QString proto = f[1].section(QLatin1Char(','), -1);
      next = proto == QLatin1String("47")    ? QStringLiteral("gre")
             : proto == QLatin1String("132") ? QStringLiteral("sctp")
                                             : QString();
    } else {
      for (qsizetype i = ip + 1; i < layers.size() && next.isEmpty(); ++i) {
        if (!layers[i].startsWith(QLatin1String("ipv6."))) next = layers[i];
      }
    }
    gre += next == QLatin1String("gre");
    sctp += next == QLatin1String("sctp");
  }
  return true;
}

/// Where our payload figures must differ from tshark's, and why.
const std::vector<ref::ReferenceDifference<PerAddress>>& payloadDifferences() {
  static const std::vector<ref::ReferenceDifference<PerAddress>> list = {
      {"malformed_ip_fragmented_garbage.pcap",
       "Datagrams cut into 8-byte fragments: the first fragment holds only the TCP ports. The "
       "node does not keep fragment data, so the reassembled segment has no TCP header to "
       "read (its connection still counts the packet, as tshark's conversation does); tshark "
       "reassembles the bytes and reads a header from them, even one of a bogus length.",
       {{"10.0.0.2", 19924}, {"10.128.0.2", 19924}},
       {}},
  };
  return list;
}

/// Our figures per address (only non-zero ones, as the references list them).
void oursOf(const QString& capture, int workers, PerAddress& retrans, PerAddress& payload,
            QString& error) {
  const ref::CaptureRun run = ref::runCapture(capture, workers);
  error = run.openError;
  for (const auto& h : run.hosts) {
    const QString ip = QString::fromStdString(h.ip.toString());
    if (h.tcpRetransPackets != 0) retrans[ip] = h.tcpRetransPackets;
    if (h.tcpPayloadBytes != 0) payload[ip] = h.tcpPayloadBytes;
  }
}

QStringList compare(const char* what, const PerAddress& want, const PerAddress& got) {
  QStringList problems;
  for (const auto& [ip, n] : want) {
    const auto it = got.find(ip);
    const quint64 ours = it == got.end() ? 0 : it->second;
    if (ours != n)
      problems << QStringLiteral("%1 %2: tshark %3, ours %4").arg(what, ip).arg(n).arg(ours);
  }
  for (const auto& [ip, n] : got) {
    if (!want.count(ip))
      problems << QStringLiteral("%1 %2: tshark 0, ours %3").arg(what, ip).arg(n);
  }
  return problems;
}

}  // namespace

class TestHostTcpCorpus : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (QStandardPaths::findExecutable(QStringLiteral("tshark")).isEmpty())
      QFAIL("tshark is needed for this test (installer/setup-deps.sh installs it)");
  }

  void matchTshark_data() {
    QTest::addColumn<QString>("capture");
    QTest::addColumn<int>("workers");
    int withTcp = 0;
    for (const QString& c : ref::allCaptures()) {
      PerAddress unused;
      QString error;
      if (!QFile::exists(conversationFile(c)) || !retransmissionsOf(c, unused, error)) continue;
      ++withTcp;
      for (int workers : {1, 2})
        QTest::newRow(qPrintable(QStringLiteral("%1/%2w").arg(c).arg(workers))) << c << workers;
    }
    QVERIFY(withTcp >= 30);
  }

  void matchTshark() {
    QFETCH(QString, capture);
    QFETCH(int, workers);
    PerAddress wantRetrans;
    PerAddress wantPayload;
    QString error;
    QVERIFY(retransmissionsOf(capture, wantRetrans, error));
    QVERIFY2(payloadOf(capture, wantPayload, error), qPrintable(error));
    const QString changed = ref::applyDifferences(payloadDifferences(), capture, wantPayload);
    QVERIFY2(changed.isEmpty(), qPrintable(changed));
    PerAddress retrans;
    PerAddress payload;
    oursOf(capture, workers, retrans, payload, error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QStringList problems =
        compare("retransmissions", wantRetrans, retrans) + compare("payload", wantPayload, payload);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.mid(0, 8).join(QLatin1Char('\n'))));
  }

  void greAndSctpMatchTshark_data() {
    QTest::addColumn<QString>("capture");
    for (const QString& c : ref::allCaptures()) QTest::newRow(qPrintable(c)) << c;
  }

  /// The global GRE and SCTP counters (the innermost IP header's protocol).
  void greAndSctpMatchTshark() {
    QFETCH(QString, capture);
    quint64 gre = 0;
    quint64 sctp = 0;
    QString error;
    QVERIFY2(greSctpOf(capture, gre, sctp, error), qPrintable(error));
    const ref::CaptureRun run = ref::runCapture(capture, 1);
    QVERIFY2(run.opened, qPrintable(run.openError));
    QCOMPARE(run.global.grePackets, gre);
    QCOMPARE(run.global.sctpPackets, sctp);
  }

  /// GRE has figures to compare: the ERSPAN and mirrored-traffic captures end in GRE.
  /// (No corpus capture carries SCTP; tst_host_analyzer counts it on a frame it builds.)
  void greIsCounted() {
    quint64 gre = 0;
    quint64 sctp = 0;
    QString error;
    QVERIFY2(greSctpOf(QStringLiteral("erspan_type3.pcap"), gre, sctp, error), qPrintable(error));
    QVERIFY(gre > 0);
  }

  /// The test has teeth: the captures with retransmissions give figures to compare.
  void retransmissionsAreCounted() {
    PerAddress want;
    QString error;
    QVERIFY(retransmissionsOf(QStringLiteral("tcp_fast_retransmit.pcap"), want, error));
    QVERIFY(!want.empty());
    PerAddress retrans;
    PerAddress payload;
    oursOf(QStringLiteral("tcp_fast_retransmit.pcap"), 1, retrans, payload, error);
    QCOMPARE(retrans, want);
    QVERIFY(!payload.empty());
  }
};

QTEST_APPLESS_MAIN(TestHostTcpCorpus)
#include "tst_host_tcp_corpus.moc"
