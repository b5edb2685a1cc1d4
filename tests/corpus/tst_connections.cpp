// SPDX-License-Identifier: MIT
// Connections of every capture of the shared corpus against tshark's exact per-conversation
// figures (reference/*.conv_exact.tsv, see HOWTO.md there): packets and bytes each way,
// frames flagged as retransmission / fast retransmission / spurious retransmission, and the
// initial RTT (our server leg + client leg), with one and two workers. Where our definition
// differs from the reference's, the difference is written down below and tested both ways.

#include <QFile>
#include <QString>
#include <QStringList>
#include <QTest>
#include <QTextStream>
#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tests/common/capture_run.h"
#include "tests/common/http_reference.h"
#include "tests/common/reference_difference.h"
#include "tests/common/tls_reference.h"
#include "tests/common/tshark_reference.h"

namespace ref = netlens::tests;

namespace {

/// One row of a conv_exact table: "proto a_ip a_port b_ip b_port" → "a→b packets, bytes,
/// b→a packets, bytes, retransmitted frames, initial RTT µs (empty when none)".
using ConversationTable = std::map<QString, QString>;

QString figures(quint64 abPackets, quint64 abBytes, quint64 baPackets, quint64 baBytes,
                quint64 retrans, const QString& rttUs) {
  return QStringLiteral("%1 %2 %3 %4 retrans=%5 rtt=%6")
      .arg(abPackets)
      .arg(abBytes)
      .arg(baPackets)
      .arg(baBytes)
      .arg(retrans)
      .arg(rttUs);
}

bool loadReference(const QString& capture, ConversationTable& out, QString& error) {
  QFile f(ref::referenceDir() + QLatin1Char('/') + capture + QStringLiteral(".conv_exact.tsv"));
  if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
    error = QStringLiteral("cannot read %1").arg(f.fileName());
    return false;
  }
  QTextStream in(&f);
  in.readLine();  // header
  while (!in.atEnd()) {
    const QStringList c = in.readLine().split(QLatin1Char('\t'));
    if (c.size() < 11) continue;
    const QString key = QStringList{c[0], c[1], c[2], c[3], c[4]}.join(QLatin1Char(' '));
    out[key] = figures(c[5].toULongLong(), c[6].toULongLong(), c[7].toULongLong(),
                       c[8].toULongLong(), c[9].toULongLong(), c[10]);
  }
  return true;
}

/// Our connections folded the way the reference is made: TCP and UDP only, endpoints ordered
/// as text (address, then port), a reused 5-tuple (or one on several VLANs, when those split)
/// summed into one row, the RTT of the earliest connection that has one.
ConversationTable fold(const std::vector<netlens::protocol::ConnectionRecord>& records) {
  struct Acc {
    quint64 v[5] = {};
    qint64 rttFirstSeen = 0;
    QString rtt;
  };
  std::map<QString, Acc> acc;
  for (const auto& r : records) {
    if (r.protocol != 6 && r.protocol != 17) continue;
    const QString proto = r.protocol == 6 ? QStringLiteral("tcp") : QStringLiteral("udp");
    const QPair<QString, QString> client{QString::fromStdString(r.clientIp.toString()),
                                         QString::number(r.clientPort)};
    const QPair<QString, QString> server{QString::fromStdString(r.serverIp.toString()),
                                         QString::number(r.serverPort)};
    const bool clientFirst = client <= server;
    const auto& a = clientFirst ? client : server;
    const auto& b = clientFirst ? server : client;
    Acc& x = acc[QStringList{proto, a.first, a.second, b.first, b.second}.join(QLatin1Char(' '))];
    x.v[clientFirst ? 0 : 2] += r.c2sPackets;
    x.v[clientFirst ? 1 : 3] += r.c2sBytes;
    x.v[clientFirst ? 2 : 0] += r.s2cPackets;
    x.v[clientFirst ? 3 : 1] += r.s2cBytes;
    for (const auto* t : {&r.c2sTcp, &r.s2cTcp}) {
      x.v[4] += t->retransmissions + t->fastRetransmissions + t->spuriousRetransmissions;
    }
    if (r.handshakeServerNs >= 0 && (x.rtt.isEmpty() || r.firstSeen < x.rttFirstSeen)) {
      const qint64 ns = r.handshakeServerNs + r.handshakeClientNs;
      x.rtt = QString::number((ns + 500) / 1000);
      x.rttFirstSeen = r.firstSeen;
    }
  }
  ConversationTable out;
  for (const auto& [key, x] : acc)
    out[key] = figures(x.v[0], x.v[1], x.v[2], x.v[3], x.v[4], x.rtt);
  return out;
}

/// Where our figures and the reference's must differ, and why (see ReferenceDifference).
using Difference = ref::ReferenceDifference<ConversationTable>;

const std::vector<Difference>& differences() {
  static const std::vector<Difference> list = {
      {"gre_teb_mirrored_traffic_fragmented.pcap",
       "IPv6 (DHCPv6, LLMNR) inside an IPv4 GRE tunnel. The reference script takes ip.src "
       "before ipv6.src, so it files these flows under the tunnel's IPv4 pair; a connection "
       "is the innermost flow, so ours carry the inner IPv6 addresses (the outer hop is the "
       "tunnel).",
       {{"udp 10.200.0.224 547 10.200.0.3 546", figures(0, 0, 4, 796, 0, {})},
        {"udp 10.200.0.224 5355 10.200.0.3 51328", figures(0, 0, 2, 252, 0, {})}},
       {{"udp fe80::34f7:703d:ac05:43d6 546 ff02::1:2 547", figures(4, 796, 0, 0, 0, {})},
        {"udp fe80::34f7:703d:ac05:43d6 51328 ff02::1:3 5355", figures(2, 252, 0, 0, 0, {})}}},
      {"malformed_record_len_huge_fuzz.pcap",
       "tshark reads this fuzzed file as 'modified' pcap and finds no IP in its first frame; "
       "libpcap and we read a standard record: one TCP packet (see tshark_reference.h).",
       {},
       {{"tcp 0.0.16.64 0 192.168.0.0 256", figures(0, 0, 1, 188, 0, {})}}},
      {"malformed_record_len_huge_tls.pcap",
       "The SYN/ACK's timestamp lies 21 years before the SYN. tshark's initial RTT only "
       "subtracts the SYN from the ACK (45 µs); we split it into a server and a client leg, "
       "which this clock makes negative, so the connection reports no handshake time.",
       {{"tcp 127.0.0.1 10443 127.0.0.1 50802", figures(3, 4414, 3, 501, 0, QStringLiteral("45"))}},
       {{"tcp 127.0.0.1 10443 127.0.0.1 50802", figures(3, 4414, 3, 501, 0, {})}}},
      {"malformed_timestamp_invalid_nano.pcap",
       "Nanosecond fields of 10^9 and more. tshark keeps them unnormalised and finds 1.11 s "
       "from SYN to ACK; read as nanoseconds since the epoch the ACK comes before the SYN, so "
       "we report no handshake time.",
       {{"tcp 131.155.215.69 46656 137.116.81.94 80",
         figures(2, 144, 1, 76, 0, QStringLiteral("1114748"))}},
       {{"tcp 131.155.215.69 46656 137.116.81.94 80", figures(2, 144, 1, 76, 0, {})}}},
  };
  return list;
}

std::vector<netlens::protocol::ConnectionRecord> connectionsOf(const QString& capture, int workers,
                                                               QString& error) {
  ref::CaptureRun run = ref::runCapture(capture, workers);
  error = run.openError;
  return std::move(run.connections);
}

}  // namespace

class TestConnections : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { QVERIFY2(!ref::allCaptures().isEmpty(), qPrintable(ref::pcapDir())); }

  void matchTshark_data() {
    QTest::addColumn<QString>("capture");
    QTest::addColumn<int>("workers");
    int withReference = 0;
    for (const QString& c : ref::allCaptures()) {
      if (!QFile::exists(ref::referenceDir() + QLatin1Char('/') + c +
                         QStringLiteral(".conv_exact.tsv"))) {
        continue;
      }
      ++withReference;
      for (int workers : {1, 2}) {
        QTest::newRow(qPrintable(QStringLiteral("%1/%2w").arg(c).arg(workers))) << c << workers;
      }
    }
    QVERIFY(withReference >= 70);
  }

  void matchTshark() {
    QFETCH(QString, capture);
    QFETCH(int, workers);
    ConversationTable expected;
    QString error;
    QVERIFY2(loadReference(capture, expected, error), qPrintable(error));
    const QString changed = ref::applyDifferences(differences(), capture, expected);
    QVERIFY2(changed.isEmpty(), qPrintable(changed));
    const auto records = connectionsOf(capture, workers, error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const ConversationTable actual = fold(records);
    QStringList mismatches;
    for (const auto& [key, want] : expected) {
      const auto it = actual.find(key);
      if (it == actual.end()) {
        mismatches << QStringLiteral("missing %1 (%2)").arg(key, want);
      } else if (it->second != want) {
        mismatches << QStringLiteral("%1: want %2, got %3").arg(key, want, it->second);
      }
    }
    for (const auto& [key, got] : actual) {
      if (!expected.count(key)) mismatches << QStringLiteral("extra %1 (%2)").arg(key, got);
    }
    QVERIFY2(mismatches.isEmpty(), qPrintable(mismatches.mid(0, 8).join(QLatin1Char('\n'))));
  }

  // HTTP through the connection records: request total and hosts equal tshark's
  // `http_req,tree` (SSDP over UDP included, as tshark counts it).
  void httpMatchesTshark_data() {
    QTest::addColumn<QString>("capture");
    const QStringList captures = ref::capturesWithReference(QStringLiteral("http_req_tree"));
    QVERIFY(captures.size() >= 10);
    for (const QString& c : captures) QTest::newRow(qPrintable(c)) << c;
  }
  void httpMatchesTshark() {
    QFETCH(QString, capture);
    ref::HttpCounts expected;
    QString error;
    QVERIFY2(ref::loadHttpRequestTree(capture, expected, error), qPrintable(error));
    const auto records = connectionsOf(capture, 1, error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    quint64 requests = 0;
    for (const auto& r : records) {
      if (!r.http) continue;
      requests += r.http->requests;
      // A request without a Host header (HTTP/0.9 "GET /") counts in tshark's total but has
      // no host row.
      if (r.http->requests != 0 && !r.http->host.empty()) {
        const QString host = QString::fromStdString(r.http->host);
        QVERIFY2(expected.hosts.count(host), qPrintable(host));
      }
    }
    QCOMPARE(requests, expected.total);
  }

  // TLS through the connection records: SNI, negotiated version and cipher of every hello
  // tshark shows (tests/common/tls_reference.h says how those were obtained).
  void tlsMatchesTshark() {
    std::map<QString, std::vector<netlens::protocol::ConnectionRecord>> byCapture;
    int checked = 0;
    for (const ref::TlsExpectation& e : ref::kTlsExpectations) {
      const QString capture = QLatin1String(e.capture);
      if (!byCapture.count(capture)) {
        QString error;
        byCapture[capture] = connectionsOf(capture, 1, error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
      }
      const auto endpoint = [](const netlens::net::IpAddress& ip, std::uint16_t port) {
        const QString a = QString::fromStdString(ip.toString());
        return (ip.isV6() ? QStringLiteral("[%1]:%2") : QStringLiteral("%1:%2")).arg(a).arg(port);
      };
      const netlens::protocol::ConnectionRecord* found = nullptr;
      for (const auto& r : byCapture[capture]) {
        if (endpoint(r.clientIp, r.clientPort) == QLatin1String(e.client) &&
            endpoint(r.serverIp, r.serverPort) == QLatin1String(e.server) && r.tls) {
          found = &r;
        }
      }
      const QString what = capture + QLatin1Char(' ') + QLatin1String(e.client);
      QVERIFY2(found != nullptr, qPrintable(what));
      QCOMPARE(QString::fromStdString(found->tls->serverName), QLatin1String(e.serverName));
      QCOMPARE(found->tls->version, e.version);
      if (e.version != 0) QCOMPARE(found->tls->cipher, e.cipherSuite);
      ++checked;
    }
    QVERIFY(checked >= 80);
  }

  // The comparison can fail: a retransmission-rich capture has rows with retransmissions and
  // handshake times, so a fold that ignored them would not pass.
  void referenceHasRetransmissionsAndRtts() {
    ConversationTable t;
    QString error;
    QVERIFY(loadReference(QStringLiteral("tcp_retrans_syn_with_timestamps.pcap"), t, error));
    QCOMPARE(t.size(), std::size_t{1});
    QVERIFY(t.begin()->second.contains(QStringLiteral("retrans=18")));
  }
};

QTEST_GUILESS_MAIN(TestConnections)
#include "tst_connections.moc"
