// SPDX-License-Identifier: MIT
// The real binary: `netlens-node analyze -r FILE --json hosts|global` over the shared capture
// corpus. Per-IP figures equal tshark's endpoint tables with one and with two workers (and
// sharding over two workers changes no figure at all); every capture, damaged ones included,
// analyses without a crash; malformed_* captures are counted as malformed wherever a decoder
// can see their damage.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>
#include <map>

#include "shared/pcap/pcap_writer.h"
#include "tests/common/tshark_reference.h"

namespace ref = netlens::tests;

namespace {

const QString kNode = QStringLiteral(NETLENS_NODE_BINARY);

struct NodeRun {
  bool crashed = false;
  int exitCode = -1;
  QByteArray out;
  QByteArray err;
};

/// Runs `netlens-node ARGS...` to its end.
NodeRun runNodeWith(const QStringList& args) {
  QProcess p;
  p.start(kNode, args);
  NodeRun r;
  if (!p.waitForStarted(-1) || !p.waitForFinished(-1)) {
    r.crashed = true;
    r.err = p.errorString().toUtf8();
    return r;
  }
  r.crashed = p.exitStatus() != QProcess::NormalExit;
  r.exitCode = p.exitCode();
  r.out = p.readAllStandardOutput();
  r.err = p.readAllStandardError();
  return r;
}

/// Runs `netlens-node analyze -r FILE --json WHAT --workers N` to its end (no time limit:
/// the test's own CTest timeout catches a hang).
NodeRun runAnalyze(const QString& file, const QString& what, int workers) {
  return runNodeWith({QStringLiteral("analyze"), QStringLiteral("-r"), file,
                      QStringLiteral("--json"), what, QStringLiteral("--workers"),
                      QString::number(workers)});
}

/// A SYN and its SYN/ACK between 81.2.69.160 (GB in MaxMind's test database, from a Cisco
/// MAC) and 89.160.20.128 (SE, from an Intel MAC).
void writeTwoPacketTcp(const QString& path) {
  const auto frame = [](bool reply) {
    std::vector<std::uint8_t> f = {0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc, 0x00, 0x00, 0x0c, 0x11, 0x22,
                                   0x33, 0x08, 0x00, 0x45, 0x00, 0x00, 0x28, 0x00, 0x01, 0x40, 0x00,
                                   0x40, 0x06, 0x00, 0x00, 81,   2,    69,   160,  89,   160,  20,
                                   128,  0x9c, 0x40, 0x01, 0xbb, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
                                   0x00, 0x00, 0x50, 0x02, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00};
    if (reply) {
      for (int i = 0; i < 6; ++i) std::swap(f[i], f[6 + i]);
      for (int i = 0; i < 4; ++i) std::swap(f[26 + i], f[30 + i]);
      std::swap(f[34], f[36]);
      std::swap(f[35], f[37]);
      f[42] = 0x00;  // ack = 2
      f[45] = 0x02;
      f[47] = 0x12;  // SYN/ACK
    }
    return f;
  };
  netlens::pcap::PcapWriter w;
  std::string error;
  QVERIFY2(w.open(path.toStdString(), &error), error.c_str());
  QVERIFY(w.writePacket(1'700'000'000'000'000'000, frame(false)));
  QVERIFY(w.writePacket(1'700'000'000'010'000'000, frame(true)));
  QVERIFY(w.close(&error));
}

QString describeRun(const NodeRun& r) {
  return QStringLiteral("crashed %1, exit code %2, stderr: %3")
      .arg(r.crashed)
      .arg(r.exitCode)
      .arg(QString::fromUtf8(r.err).trimmed());
}

/// The object under `key` of the node's JSON output.
bool parseOutput(const QByteArray& out, const QString& key, QJsonValue& value, QString& error) {
  QJsonParseError parseError;
  const QJsonDocument doc = QJsonDocument::fromJson(out, &parseError);
  if (doc.isNull() || !doc.isObject()) {
    error = QStringLiteral("not JSON: ") + parseError.errorString();
    return false;
  }
  value = doc.object().value(key);
  if (value.isUndefined()) {
    error = QStringLiteral("no \"%1\" in the output").arg(key);
    return false;
  }
  return true;
}

ref::EndpointTable endpointsOf(const QJsonArray& hosts) {
  ref::EndpointTable table;
  for (const QJsonValue& v : hosts) {
    const QJsonObject h = v.toObject();
    const auto n = [&](const char* k) { return static_cast<quint64>(h.value(k).toInteger()); };
    table[h.value("ip").toString().toStdString()] =
        ref::endpointFigures(n("tx_packets"), n("tx_bytes"), n("rx_packets"), n("rx_bytes"));
  }
  return table;
}

/// "Number of packets:" of the capture's capinfos reference, -1 when it has none (capinfos
/// prints nothing on stdout for a file it cannot finish).
qint64 capinfosPackets(const QString& capture) {
  QFile file(ref::referenceDir() + QLatin1Char('/') + capture + QStringLiteral(".capinfos.txt"));
  if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) return -1;
  static const QRegularExpression line(QStringLiteral("^Number of packets:\\s+(\\d+)\\s*$"),
                                       QRegularExpression::MultilineOption);
  const QRegularExpressionMatch m = line.match(QString::fromUtf8(file.readAll()));
  return m.hasMatch() ? m.captured(1).toLongLong() : -1;
}

/// malformed_* captures whose damage no packet decoder can see, so that nothing is counted
/// as malformed — checked as such, so a decoder that learns to see more shows up here.
struct InvisibleDamage {
  const char* capture;
  const char* why;
};
const InvisibleDamage kInvisibleDamage[] = {
    {"malformed_dns.pcap",
     "the damage (over-long DNS names, duplicated responses) is in the DNS payload; every "
     "Ethernet, IPv4 and UDP header is valid, and the decoder stops at UDP"},
    {"malformed_timestamp_invalid_nano.pcap",
     "the damage is in the pcap record headers (fractional seconds of 1000000000 and "
     "-2147483648 ns), a file-format matter; the three packets themselves are valid"},
    {"malformed_linktype_ipv4_invalid.pcap",
     "LINKTYPE_IPV4 carrying an IPv6 packet: like tshark (COUNTING.md rule 9) the link type "
     "follows the version nibble, so this is a valid IPv6 DNS query, not damage"},
    {"malformed_ip_fragmented_garbage.pcap",
     "every IPv4 fragment header is valid; the garbage is in the fragments' payloads and in "
     "TCP options, which the decoder does not parse (tshark flags no malformed packet either)"},
    {"malformed_gre_heapoverflow.pcap",
     "frame 1 has an unknown EtherType (not damage); frame 2 is GRE with the obsolete RFC 1701 "
     "routing bit, whose source-route entries the decoder deliberately does not walk, carrying "
     "an unknown protocol 0x3030; the capture cut (48 of 262144 bytes) falls inside those "
     "entries, which tshark too reports only as 'packet size limited during capture'"},
};

/// malformed_* captures whose damage a decoder can see but ours does not flag yet: a decoder
/// bug, kept visible as an expected failure (it turns into a failure once fixed, so this
/// list must then shrink).
struct DecoderGap {
  const char* capture;
  const char* why;
};
// Captures named malformed_* whose damage the decoder cannot see yet (none at present; an
// entry here turns the check into an expected failure with the reason).
const std::vector<DecoderGap> kDecoderGaps = {};

template <typename List>
const char* reasonFor(const List& list, const QString& capture) {
  for (const auto& entry : list) {
    if (capture == QLatin1String(entry.capture)) return entry.why;
  }
  return nullptr;
}

}  // namespace

class TestAnalyzeCli : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QVERIFY2(QFileInfo(kNode).isExecutable(), qPrintable(kNode));
    QVERIFY2(QDir(ref::pcapDir()).exists(), qPrintable(ref::pcapDir()));
    QVERIFY(!ref::capturesWithEndpoints().isEmpty());
    // Every documented exception names a capture that exists.
    for (const auto& e : kInvisibleDamage) QVERIFY(QFile::exists(ref::capturePath(e.capture)));
    for (const auto& e : kDecoderGaps) QVERIFY(QFile::exists(ref::capturePath(e.capture)));
    for (const auto& d : ref::readerDifferences()) {
      QVERIFY(QFile::exists(ref::capturePath(d.capture)));
    }
  }

  void hostsMatchTshark_data() {
    QTest::addColumn<QString>("capture");
    for (const QString& c : ref::capturesWithEndpoints()) QTest::newRow(qPrintable(c)) << c;
  }

  /// `--json hosts` equals tshark's per-IP figures exactly with one worker and with two,
  /// and two workers give exactly the host table of one.
  void hostsMatchTshark() {
    QFETCH(QString, capture);
    ref::EndpointTable expected;
    QString error, note;
    QVERIFY2(ref::expectedEndpoints(capture, expected, error, &note), qPrintable(error));
    if (!note.isEmpty()) qInfo("known reader difference: %s", qPrintable(note));

    QJsonArray hostsOfOneWorker;
    for (const int workers : {1, 2}) {
      const NodeRun run = runAnalyze(ref::capturePath(capture), QStringLiteral("hosts"), workers);
      QVERIFY2(!run.crashed && run.exitCode == 0, qPrintable(describeRun(run)));
      QJsonValue hosts;
      QVERIFY2(parseOutput(run.out, QStringLiteral("hosts"), hosts, error), qPrintable(error));
      QVERIFY(hosts.isArray());
      const QStringList mismatches = ref::compareEndpoints(expected, endpointsOf(hosts.toArray()));
      if (!mismatches.isEmpty()) {
        QFAIL(qPrintable(QStringLiteral("%1 mismatching endpoint(s) in %2 with %3 worker(s):\n  %4")
                             .arg(mismatches.size())
                             .arg(capture)
                             .arg(workers)
                             .arg(mismatches.join(QStringLiteral("\n  ")))));
      }
      if (workers == 1) {
        hostsOfOneWorker = hosts.toArray();
      } else if (hosts.toArray() != hostsOfOneWorker) {
        QFAIL(qPrintable(QStringLiteral("two workers change the host table of %1:\n1: %2\n2: %3")
                             .arg(capture,
                                  QString::fromUtf8(QJsonDocument(hostsOfOneWorker).toJson()),
                                  QString::fromUtf8(QJsonDocument(hosts.toArray()).toJson()))));
      }
    }
  }

  void globalOfEveryCapture_data() {
    QTest::addColumn<QString>("capture");
    for (const QString& f : ref::allCaptures()) QTest::newRow(qPrintable(f)) << f;
  }

  /// Every capture, damaged ones included: exit code 0 with the figures of the packets
  /// before any damage, a warning on stderr and a capture error exactly where tshark
  /// reported a reading error, tshark's packet count, and malformed packets counted for
  /// malformed_* captures wherever a decoder can see the damage.
  void globalOfEveryCapture() {
    QFETCH(QString, capture);
    const NodeRun run = runAnalyze(ref::capturePath(capture), QStringLiteral("global"), 1);
    QVERIFY2(!run.crashed && run.exitCode == 0, qPrintable(describeRun(run)));
    QJsonValue value;
    QString error;
    QVERIFY2(parseOutput(run.out, QStringLiteral("global"), value, error), qPrintable(error));
    const QJsonObject global = value.toObject();
    const auto n = [&](const char* k) { return global.value(k).toInteger(-1); };

    const QJsonArray sources = global.value("sources").toArray();
    QCOMPARE(sources.size(), 1);
    const QJsonObject source = sources.first().toObject();
    QVERIFY(source.value("finished").toBool());
    QCOMPARE(n("packets"), source.value("packets").toInteger(-2));
    QCOMPARE(n("ipv4_packets") + n("ipv6_packets") + n("non_ip_packets"), n("packets"));

    const bool tsharkError = ref::tsharkReportedReadError(capture);
    const QJsonObject malformed = global.value("malformed").toObject();
    QCOMPARE(malformed.contains("capture-error"), tsharkError);
    QCOMPARE(source.contains("error"), tsharkError);
    QCOMPARE(run.err.contains("warning:"), tsharkError);
    const qint64 tsharkPackets = capinfosPackets(capture);
    if (tsharkPackets >= 0) QCOMPARE(n("packets"), tsharkPackets);

    qint64 malformedPackets = 0;
    for (const QJsonValue& count : malformed) malformedPackets += count.toInteger();
    qInfo("%s: %lld packets (%s), malformed %s", qPrintable(capture), n("packets"),
          qPrintable(source.value("link_type_name").toString()),
          QJsonDocument(malformed).toJson(QJsonDocument::Compact).constData());
    if (capture.startsWith(QLatin1String("malformed_"))) {
      if (const char* why = reasonFor(kInvisibleDamage, capture)) {
        qInfo("damage invisible to a decoder: %s", why);
        QCOMPARE(malformedPackets, 0);
      } else {
        if (const char* why = reasonFor(kDecoderGaps, capture)) {
          QEXPECT_FAIL("", why, Continue);
        }
        QVERIFY2(malformedPackets > 0, "a malformed_* capture with no malformed packet");
      }
    }

    // Sharding over two workers changes no global figure either.
    const NodeRun two = runAnalyze(ref::capturePath(capture), QStringLiteral("global"), 2);
    QVERIFY2(!two.crashed && two.exitCode == 0, qPrintable(describeRun(two)));
    QVERIFY2(parseOutput(two.out, QStringLiteral("global"), value, error), qPrintable(error));
    if (value.toObject() != global) {
      QFAIL(qPrintable(QStringLiteral("two workers change the global figures:\n1: %1\n2: %2")
                           .arg(QString::fromUtf8(QJsonDocument(global).toJson()),
                                QString::fromUtf8(QJsonDocument(value.toObject()).toJson()))));
    }
  }

  // The script-facing shape of `--json connections`: every field the issue names, TCP roles
  // from the handshake, and the two handshake legs adding up to tshark's initial RTT.
  void connectionsJsonShape() {
    const NodeRun run =
        runAnalyze(ref::capturePath(QStringLiteral("format_nanosecond_tcp_handshake.pcap")),
                   QStringLiteral("connections"), 1);
    QVERIFY2(!run.crashed && run.exitCode == 0, qPrintable(describeRun(run)));
    QJsonValue value;
    QString error;
    QVERIFY2(parseOutput(run.out, QStringLiteral("connections"), value, error), qPrintable(error));
    const QJsonArray connections = value.toArray();
    QCOMPARE(connections.size(), 1);
    const QJsonObject c = connections.first().toObject();
    for (const char* key :
         {"proto", "client_ip", "client_port", "server_ip", "server_port", "vlan", "c2s_packets",
          "c2s_bytes", "s2c_packets", "s2c_bytes", "retrans_packets", "handshake_rtt_us", "app",
          "first_seen", "last_seen"}) {
      QVERIFY2(c.contains(QLatin1String(key)), key);
    }
    QCOMPARE(c.value("proto").toString(), QStringLiteral("tcp"));
    QCOMPARE(c.value("client_ip").toString(), QStringLiteral("131.155.215.69"));
    QCOMPARE(c.value("client_port").toInt(), 46656);
    QCOMPARE(c.value("server_port").toInt(), 80);
    QCOMPARE(c.value("c2s_packets").toInt(), 2);
    QCOMPARE(c.value("c2s_bytes").toInt(), 144);
    QCOMPARE(c.value("s2c_packets").toInt(), 1);
    QCOMPARE(c.value("retrans_packets").toInt(), 0);
    const QJsonObject rtt = c.value("handshake_rtt_us").toObject();
    QVERIFY(rtt.value("server").toInteger() > 0 && rtt.value("client").toInteger() > 0);
    // tshark: tcp.analysis.initial_rtt 0.127610 s (reference/*.conv_exact.tsv).
    QCOMPARE(rtt.value("server").toInteger() + rtt.value("client").toInteger(), 127610);
    QVERIFY(c.value("first_seen").toString().endsWith(QLatin1Char('Z')));
    // Receive-window figures per direction; the capture has the SYN and the SYN/ACK.
    for (const char* side : {"tcp_c2s", "tcp_s2c"}) {
      const QJsonObject t = c.value(QLatin1String(side)).toObject();
      QVERIFY2(t.contains("window_full") && t.contains("zero_window"), side);
      QCOMPARE(t.value("window_full").toInteger(), 0);
    }
  }

  // Every record carries the fields, UDP ones too: retrans_packets is 0 without TCP
  // sequence analysis, not missing; TCP ones count their retransmissions.
  void everyConnectionHasTheContractFields() {
    const NodeRun run =
        runAnalyze(ref::capturePath(QStringLiteral("mixed_http_dns_dhcp_tls_retrans.pcap")),
                   QStringLiteral("connections"), 1);
    QVERIFY2(!run.crashed && run.exitCode == 0, qPrintable(describeRun(run)));
    QJsonValue value;
    QString error;
    QVERIFY2(parseOutput(run.out, QStringLiteral("connections"), value, error), qPrintable(error));
    int udp = 0;
    qint64 tcpRetrans = 0;
    for (const QJsonValue& v : value.toArray()) {
      const QJsonObject c = v.toObject();
      for (const char* key : {"proto", "client_ip", "client_port", "server_ip", "server_port",
                              "vlan", "c2s_packets", "c2s_bytes", "s2c_packets", "s2c_bytes",
                              "retrans_packets", "app", "first_seen", "last_seen"})
        QVERIFY2(c.contains(QLatin1String(key)), key);
      if (c.value("proto").toString() == QLatin1String("udp")) {
        ++udp;
        QCOMPARE(c.value("retrans_packets").toInteger(-1), 0);
        QVERIFY(!c.contains("handshake_rtt_us"));
      } else if (c.value("proto").toString() == QLatin1String("tcp")) {
        tcpRetrans += c.value("retrans_packets").toInteger();
      }
    }
    QVERIFY(udp > 0);
    QVERIFY(tcpRetrans > 0);  // the capture has retransmissions
  }

  // --disable-analysis turns the IP module's analyses off one by one: what each leaves out
  // of the connection records, and nothing else; a word it does not know is refused.
  void analysesCanBeTurnedOff() {
    const QString file = ref::capturePath(QStringLiteral("mixed_http_dns_dhcp_tls_retrans.pcap"));
    struct Counts {
      int connections = 0, withApp = 0, withTls = 0, withHandshake = 0, withQos = 0;
      bool operator==(const Counts&) const = default;
    };
    const auto countsWith = [&](const QString& off) {
      QStringList args{"analyze", "-r", file, "--json", "connections"};
      if (!off.isEmpty()) args << "--disable-analysis" << off;
      const NodeRun run = runNodeWith(args);
      Counts n;
      QJsonValue value;
      QString error;
      if (run.crashed || run.exitCode != 0 ||
          !parseOutput(run.out, QStringLiteral("connections"), value, error)) {
        qWarning() << describeRun(run) << error;
        n.connections = -1;
        return n;
      }
      for (const QJsonValue& v : value.toArray()) {
        const QJsonObject c = v.toObject();
        ++n.connections;
        n.withApp += c.value("app").toString().isEmpty() ? 0 : 1;
        n.withTls += c.contains("tls") ? 1 : 0;
        n.withHandshake += c.contains("handshake_rtt_us") ? 1 : 0;
        n.withQos += c.value("qos_c2s").isObject() ? 1 : 0;
      }
      return n;
    };
    const Counts all = countsWith({});
    QVERIFY(all.connections > 10);
    QVERIFY(all.withApp > 0 && all.withTls > 0 && all.withHandshake > 0 && all.withQos > 0);
    // Each switch takes exactly its own figures away.
    Counts expected = all;
    expected.withApp = 0;
    QVERIFY(countsWith("layer7") == expected);
    expected = all;
    expected.withTls = 0;
    QVERIFY(countsWith("tls-details") == expected);
    expected = all;
    expected.withQos = 0;
    QVERIFY(countsWith("qos") == expected);
    QVERIFY(countsWith("peer-history") == all);
    QCOMPARE(countsWith("connections").connections, 0);
    // The peer and QoS histories: kept, and refused with the reason when switched off.
    const auto history = [&](const QStringList& series, const QString& off) {
      QStringList args = QStringList{"analyze", "-r", file, "--json", "history", "--series"} +
                         series + QStringList{"--ip", "192.168.5.44"};
      if (!off.isEmpty()) args << "--disable-analysis" << off;
      return runNodeWith(args);
    };
    const QStringList peer{"peer", "--peer", "224.0.0.252"};
    const QStringList qos{"qos", "--layer", "dscp", "--class", "0"};
    QCOMPARE(history(peer, {}).exitCode, 0);
    QCOMPARE(history(qos, {}).exitCode, 0);
    QCOMPARE(history(peer, "qos").exitCode, 0);
    QCOMPARE(history(qos, "peer-history").exitCode, 0);
    const NodeRun noPeer = history(peer, "peer-history");
    QVERIFY2(noPeer.exitCode != 0 && noPeer.err.contains("runs without peer-history"),
             noPeer.err.constData());
    const NodeRun noQos = history(qos, "qos");
    QVERIFY2(noQos.exitCode != 0 && noQos.err.contains("runs without qos"), noQos.err.constData());
    // The host figures do not depend on any of them, but for the TCP retransmissions, which
    // connection analysis finds: without it they are 0.
    const NodeRun hostsAll = runAnalyze(file, QStringLiteral("hosts"), 1);
    const NodeRun hostsOff =
        runNodeWith({"analyze", "-r", file, "--json", "hosts", "--disable-analysis",
                     "connections,layer7,peer-history,qos,tls-details"});
    QVERIFY2(hostsOff.exitCode == 0, qPrintable(describeRun(hostsOff)));
    const auto withoutRetransmissions = [](const QByteArray& json, bool* allZero) {
      QJsonArray hosts = QJsonDocument::fromJson(json).object().value("hosts").toArray();
      *allZero = true;
      for (qsizetype i = 0; i < hosts.size(); ++i) {
        QJsonObject h = hosts[i].toObject();
        for (const char* field : {"tcp_retrans_packets", "tcp_retrans_bytes"}) {
          if (h.value(field).toInteger() != 0) *allZero = false;
          h.remove(field);
        }
        hosts[i] = h;
      }
      return hosts;
    };
    bool allZeroOff = false;
    bool allZeroOn = false;
    const QJsonArray off = withoutRetransmissions(hostsOff.out, &allZeroOff);
    QVERIFY(!off.isEmpty());
    QCOMPARE(off, withoutRetransmissions(hostsAll.out, &allZeroOn));
    QVERIFY(allZeroOff);
    QVERIFY(!allZeroOn);  // this capture has retransmissions
    const NodeRun bad = runNodeWith(
        {"analyze", "-r", file, "--json", "global", "--disable-analysis", "layer7,dpi"});
    QVERIFY(!bad.crashed && bad.exitCode != 0);
    QVERIFY2(bad.err.contains("\"dpi\" is not an analysis that can be turned off") &&
                 bad.err.contains("tls-details"),
             bad.err.constData());
    const NodeRun empty =
        runNodeWith({"analyze", "-r", file, "--json", "global", "--disable-analysis", "qos,"});
    QVERIFY2(empty.exitCode != 0 && empty.err.contains("without empty ones"),
             empty.err.constData());
  }

  // Idle timeouts evict on packet time; the report says what the tables no longer hold,
  // while the node-wide counters still cover every packet.
  void evictionsAreReported() {
    const QString file = ref::capturePath(QStringLiteral("http_browsing_bro_org.pcap"));
    const NodeRun all = runAnalyze(file, QStringLiteral("global"), 1);
    QVERIFY2(!all.crashed && all.exitCode == 0, qPrintable(describeRun(all)));
    QVERIFY2(all.err.isEmpty(), all.err.constData());
    const NodeRun idle = runNodeWith(
        {"analyze", "-r", file, "--json", "global", "--host-idle", "1", "--connection-idle", "1"});
    QVERIFY2(!idle.crashed && idle.exitCode == 0, qPrintable(describeRun(idle)));
    QVERIFY2(idle.err.contains("warning") && idle.err.contains("evicted"), idle.err.constData());
    QJsonValue before, after;
    QString error;
    QVERIFY2(parseOutput(all.out, QStringLiteral("global"), before, error), qPrintable(error));
    QVERIFY2(parseOutput(idle.out, QStringLiteral("global"), after, error), qPrintable(error));
    const QJsonObject none = before.toObject().value("evicted").toObject();
    QCOMPARE(none.value("hosts").toInteger(), 0);
    QCOMPARE(none.value("connections").toInteger(), 0);
    QVERIFY(!none.contains("hosts_up_to"));
    const QJsonObject evicted = after.toObject().value("evicted").toObject();
    QVERIFY(evicted.value("hosts").toInteger() > 0);
    QVERIFY(evicted.value("connections").toInteger() > 0);
    QVERIFY(evicted.value("hosts_up_to").toString().endsWith(QLatin1Char('Z')));
    QVERIFY(evicted.value("connections_up_to").toString().endsWith(QLatin1Char('Z')));
    QCOMPARE(after.toObject().value("packets"), before.toObject().value("packets"));
    QCOMPARE(after.toObject().value("bytes"), before.toObject().value("bytes"));

    const NodeRun bad =
        runNodeWith({"analyze", "-r", file, "--json", "global", "--connection-idle", "soon"});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains("--connection-idle takes seconds"), bad.err.constData());
    const NodeRun small =
        runNodeWith({"analyze", "-r", file, "--json", "global", "--max-hosts", "10"});
    QCOMPARE(small.exitCode, 1);
    QVERIFY2(small.err.contains("--max-hosts takes a number from 1024"), small.err.constData());
  }

  // `--json ip IP`: the host record, its connections and its peers; on a capture without
  // tunnels or fragments the peers add up to the host's counters.
  void ipDetailJson() {
    const QString file = ref::capturePath(QStringLiteral("http_browsing_bro_org.pcap"));
    QProcess p;
    p.start(kNode, {QStringLiteral("analyze"), QStringLiteral("-r"), file, QStringLiteral("--json"),
                    QStringLiteral("ip"), QStringLiteral("10.0.2.15")});
    QVERIFY(p.waitForFinished(-1));
    QCOMPARE(p.exitCode(), 0);
    QJsonValue value;
    QString error;
    QVERIFY2(parseOutput(p.readAllStandardOutput(), QStringLiteral("ip"), value, error),
             qPrintable(error));
    const QJsonObject ip = value.toObject();
    QCOMPARE(ip.value("address").toString(), QStringLiteral("10.0.2.15"));
    const QJsonObject host = ip.value("host").toObject();
    qint64 tx = 0;
    qint64 rx = 0;
    qint64 txBytes = 0;
    for (const QJsonValue& peer : ip.value("peers").toArray()) {
      tx += peer.toObject().value("tx_packets").toInteger();
      rx += peer.toObject().value("rx_packets").toInteger();
      txBytes += peer.toObject().value("tx_bytes").toInteger();
    }
    QVERIFY(tx > 0);
    QCOMPARE(tx, host.value("tx_packets").toInteger());
    QCOMPARE(rx, host.value("rx_packets").toInteger());
    QCOMPARE(txBytes, host.value("tx_bytes").toInteger());
    QVERIFY(ip.value("connections").toArray().size() >= 10);

    p.start(kNode, {QStringLiteral("analyze"), QStringLiteral("-r"), file, QStringLiteral("--json"),
                    QStringLiteral("ip"), QStringLiteral("10.0.2.999")});
    QVERIFY(p.waitForFinished(-1));
    QVERIFY(p.exitCode() != 0);
    QVERIFY(p.readAllStandardError().contains("is not an IPv4 or IPv6 address"));
  }

  // Host names from the traffic reach the hosts JSON: DNS answers (A, AAAA and the CNAME
  // chain's names, as tshark lists the answers) and a DHCP host name (option 12).
  void hostNames() {
    const auto namesOf = [](const QString& capture) {
      QProcess p;
      p.start(kNode, {QStringLiteral("analyze"), QStringLiteral("-r"), ref::capturePath(capture),
                      QStringLiteral("--json"), QStringLiteral("hosts"),
                      QStringLiteral("--workers"), QStringLiteral("2")});
      p.waitForFinished(-1);
      std::map<QString, QStringList> out;
      const QJsonArray hosts =
          QJsonDocument::fromJson(p.readAllStandardOutput()).object().value("hosts").toArray();
      for (const QJsonValue& h : hosts) {
        QStringList names;
        for (const QJsonValue& n : h.toObject().value("names").toArray()) names << n.toString();
        out[h.toObject().value("ip").toString()] = names;
      }
      return out;
    };
    auto dns = namesOf(QStringLiteral("vxlan_outer_vlan_tls_dns.pcap"));
    // (The IPv6 answer's address never talks in this capture: no host, so no row to name.)
    for (const QString& ip : {QStringLiteral("157.240.224.35")}) {
      QVERIFY2(dns.count(ip), qPrintable(ip));
      const QStringList& names = dns[ip];
      QVERIFY2(names.contains(QStringLiteral("www.facebook.com")), qPrintable(names.join(',')));
      QVERIFY2(names.contains(QStringLiteral("star-mini.c10r.facebook.com")),
               qPrintable(names.join(',')));
    }
    auto dhcp = namesOf(QStringLiteral("dhcp_dora.pcap"));
    QCOMPARE(dhcp[QStringLiteral("128.2.6.189")], QStringList{QStringLiteral("btest.is.cool")});
    QVERIFY(dhcp[QStringLiteral("128.2.6.97")].isEmpty());
  }

  // --geoip and --oui: countries of both ends (MaxMind's test database in ../shared/geoip)
  // and NIC vendors of the MACs (a crafted OUI list), in hosts and connections; a bad path
  // for either is an error that names the file.
  void countriesAndVendors() {
    QTemporaryDir dir;
    const QString capture = dir.filePath(QStringLiteral("two.pcap"));
    writeTwoPacketTcp(capture);
    QFile oui(dir.filePath(QStringLiteral("oui.csv")));
    QVERIFY(oui.open(QIODevice::WriteOnly));
    oui.write(
        "Registry,Assignment,Organization Name,Organization Address\r\n"
        "MA-L,00000C,\"Cisco Systems, Inc\",170 WEST TASMAN DRIVE SAN JOSE CA US 95134\r\n"
        "MA-L,001B21,Intel Corporate,Lot 8 Jalan Hi-Tech 2/3 Kulim Kedah MY 09000\r\n");
    oui.close();
    const QString geoip = QStringLiteral(NETLENS_SHARED_DATA "/geoip/GeoLite2-Country-Test.mmdb");
    const auto analyze = [&](const QString& what, const QStringList& extra) {
      QProcess p;
      p.start(kNode, QStringList{QStringLiteral("analyze"), QStringLiteral("-r"), capture,
                                 QStringLiteral("--json"), what} +
                         extra);
      p.waitForFinished(-1);
      return std::make_pair(p.exitCode(), p.readAllStandardOutput() + p.readAllStandardError());
    };
    const QStringList lookups{QStringLiteral("--geoip"), geoip, QStringLiteral("--oui"),
                              dir.path()};
    auto [code, out] = analyze(QStringLiteral("hosts"), lookups);
    QCOMPARE(code, 0);
    std::map<QString, QJsonObject> hosts;
    for (const QJsonValue& h : QJsonDocument::fromJson(out).object().value("hosts").toArray()) {
      hosts[h.toObject().value("ip").toString()] = h.toObject();
    }
    const QJsonObject client = hosts[QStringLiteral("81.2.69.160")];
    const QJsonObject server = hosts[QStringLiteral("89.160.20.128")];
    QCOMPARE(client.value("country").toString(), QStringLiteral("GB"));
    QCOMPARE(server.value("country").toString(), QStringLiteral("SE"));
    QCOMPARE(client.value("macs").toArray().at(0).toString(), QStringLiteral("00:00:0c:11:22:33"));
    QCOMPARE(client.value("mac_vendors").toArray().at(0).toString(),
             QStringLiteral("Cisco Systems, Inc"));
    QCOMPARE(server.value("mac_vendors").toArray().at(0).toString(),
             QStringLiteral("Intel Corporate"));

    std::tie(code, out) = analyze(QStringLiteral("connections"), lookups);
    QCOMPARE(code, 0);
    const QJsonArray connections =
        QJsonDocument::fromJson(out).object().value("connections").toArray();
    QCOMPARE(connections.size(), 1);
    QCOMPARE(connections[0].toObject().value("client_country").toString(), QStringLiteral("GB"));
    QCOMPARE(connections[0].toObject().value("server_country").toString(), QStringLiteral("SE"));

    // Without a database: no countries.
    std::tie(code, out) = analyze(QStringLiteral("connections"), {});
    QCOMPARE(code, 0);
    QCOMPARE(QJsonDocument::fromJson(out)
                 .object()
                 .value("connections")
                 .toArray()[0]
                 .toObject()
                 .value("client_country")
                 .toString(),
             QString());

    std::tie(code, out) =
        analyze(QStringLiteral("hosts"), {QStringLiteral("--geoip"), dir.filePath("missing.mmdb")});
    QVERIFY(code != 0);
    QVERIFY2(out.contains("missing.mmdb") && out.contains("GeoIP"), out.constData());
    std::tie(code, out) =
        analyze(QStringLiteral("hosts"), {QStringLiteral("--oui"), dir.filePath("no-such-folder")});
    QVERIFY(code != 0);
    QVERIFY2(out.contains("no-such-folder") && out.contains("--oui"), out.constData());
  }

  void unreadableFileGivesClearError_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("message");
    const QByteArray shbLittle =
        QByteArray::fromHex("0a0d0d0a1c0000004d3c2b1a01000000ffffffffffffffff1c000000");
    QTest::newRow("missing") << QStringLiteral("missing.pcap") << QByteArray()
                             << QStringLiteral("cannot read");
    QTest::newRow("empty") << QStringLiteral("empty.pcap") << QByteArray("", 0)
                           << QStringLiteral("not a readable pcap or pcapng file");
    QTest::newRow("text") << QStringLiteral("notes.pcap") << QByteArray("hello, world\n")
                          << QStringLiteral("not a readable pcap or pcapng file");
    QTest::newRow("pcapng without interface") << QStringLiteral("no_interface.pcapng") << shbLittle
                                              << QStringLiteral("no interface description block");
    QTest::newRow("pcapng section header cut short")
        << QStringLiteral("cut.pcapng") << shbLittle.left(20) << QStringLiteral("cut short");
    QTest::newRow("pcapng bad byte-order magic")
        << QStringLiteral("magic.pcapng")
        << QByteArray::fromHex("0a0d0d0a1c0000001a2b3c4e01000000ffffffffffffffff1c000000")
        << QStringLiteral("byte-order magic");
  }

  /// A file that is not a capture at all: exit code 1 and one clear line naming the file.
  void unreadableFileGivesClearError() {
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    QFETCH(QString, message);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(name);
    if (!content.isNull()) {
      QFile file(path);
      QVERIFY(file.open(QIODevice::WriteOnly));
      QCOMPARE(file.write(content), content.size());
    }
    const NodeRun run = runAnalyze(path, QStringLiteral("global"), 1);
    QVERIFY2(!run.crashed, qPrintable(describeRun(run)));
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.out.isEmpty());
    const QString err = QString::fromUtf8(run.err);
    QVERIFY2(err.startsWith(QLatin1String("netlens-node: ")), qPrintable(err));
    QVERIFY2(err.contains(path), qPrintable(err));
    QVERIFY2(err.contains(message), qPrintable(err));
  }
};

QTEST_APPLESS_MAIN(TestAnalyzeCli)
#include "tst_analyze_cli.moc"
