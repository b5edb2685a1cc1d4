// SPDX-License-Identifier: MIT
// The demo capture generator: deterministic, readable by libpcap and tshark, and carrying
// every protocol the standalone console is meant to show.
#include <pcap/pcap.h>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <string_view>

#include "node/demo/demo_traffic.h"

using netlens::node::demo::DemoFrame;
using netlens::node::demo::DemoOptions;
using netlens::node::demo::generateDemoFrames;
using netlens::node::demo::writeDemoCapture;

namespace {

/// What readCapture() found in a pcap file.
struct CaptureSummary {
  bool isOpen = false;
  QString error;
  int linkType = -1;
  int packets = 0;
  bool timestampsSorted = true;
  int tcpSyns = 0;
  int dnsPackets = 0;
  int sipInvites = 0;
  int rtpPackets = 0;
  int arpPackets = 0;
  int vlanPackets = 0;
  int ipv6Packets = 0;
};

bool contains(const std::uint8_t* data, std::size_t size, std::string_view needle) {
  return std::string_view(reinterpret_cast<const char*>(data), size).find(needle) !=
         std::string_view::npos;
}

/// Reads the file with libpcap (nanosecond precision) and classifies packets with a minimal
/// independent parser, so the test does not trust the generator's own view of its frames.
CaptureSummary readCapture(const QString& path) {
  CaptureSummary s;
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  pcap_t* p = pcap_open_offline_with_tstamp_precision(path.toLocal8Bit().constData(),
                                                      PCAP_TSTAMP_PRECISION_NANO, errbuf);
  if (p == nullptr) {
    s.error = QString::fromLocal8Bit(errbuf);
    return s;
  }
  s.isOpen = true;
  s.linkType = pcap_datalink(p);
  std::int64_t previousNs = 0;
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  while (pcap_next_ex(p, &header, &data) == 1) {
    ++s.packets;
    const std::int64_t ns = std::int64_t{header->ts.tv_sec} * 1'000'000'000 + header->ts.tv_usec;
    if (ns < previousNs) s.timestampsSorted = false;
    previousNs = ns;
    const std::size_t len = header->caplen;
    if (len < 14) continue;
    std::size_t offset = 12;
    std::uint16_t etherType = (data[offset] << 8) | data[offset + 1];
    if (etherType == 0x8100 && len >= 18) {
      ++s.vlanPackets;
      offset += 4;
      etherType = (data[offset] << 8) | data[offset + 1];
    }
    offset += 2;
    if (etherType == 0x0806) ++s.arpPackets;
    std::uint8_t protocol = 0;
    std::size_t l4 = 0;
    if (etherType == 0x0800 && len >= offset + 20) {
      protocol = data[offset + 9];
      l4 = offset + (data[offset] & 0x0F) * 4;
    } else if (etherType == 0x86DD && len >= offset + 40) {
      ++s.ipv6Packets;
      protocol = data[offset + 6];
      l4 = offset + 40;
    } else {
      continue;
    }
    if (len < l4 + 8) continue;
    const std::uint16_t srcPort = (data[l4] << 8) | data[l4 + 1];
    const std::uint16_t dstPort = (data[l4 + 2] << 8) | data[l4 + 3];
    if (protocol == 6 && len >= l4 + 14 && (data[l4 + 13] & 0x12) == 0x02) ++s.tcpSyns;
    if (protocol != 17) continue;
    const std::uint8_t* payload = data + l4 + 8;
    const std::size_t payloadSize = len - l4 - 8;
    if (srcPort == 53 || dstPort == 53) ++s.dnsPackets;
    if ((srcPort == 5060 || dstPort == 5060) && payloadSize > 7 &&
        std::memcmp(payload, "INVITE ", 7) == 0 && contains(payload, payloadSize, "m=audio")) {
      ++s.sipInvites;
    }
    // RTP version 2, PCMU, 12-byte header + 20 ms of 8 kHz audio.
    if (payloadSize == 172 && (payload[0] & 0xC0) == 0x80 && (payload[1] & 0x7F) == 0) {
      ++s.rtpPackets;
    }
  }
  pcap_close(p);
  return s;
}

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class TestDemoTraffic : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { QVERIFY(m_dir.isValid()); }

  void deterministic_data() {
    QTest::addColumn<double>("seconds");
    QTest::addColumn<quint64>("seed");
    QTest::newRow("default minute") << 60.0 << quint64{1};
    QTest::newRow("short, other seed") << 5.0 << quint64{42};
  }

  void deterministic() {
    QFETCH(double, seconds);
    QFETCH(quint64, seed);
    DemoOptions options;
    options.seconds = seconds;
    options.seed = seed;
    const QString a = m_dir.filePath("a.pcap");
    const QString b = m_dir.filePath("b.pcap");
    std::string error;
    QVERIFY2(writeDemoCapture(a.toStdString(), options, &error), error.c_str());
    QVERIFY2(writeDemoCapture(b.toStdString(), options, &error), error.c_str());
    const QByteArray first = readAll(a);
    QVERIFY(first.size() > 24);
    QCOMPARE(readAll(b), first);
    QVERIFY(!QFile::exists(a + ".tmp"));
  }

  void seedChangesTraffic() {
    DemoOptions one;
    one.seconds = 5;
    DemoOptions two = one;
    two.seed = 2;
    const auto a = generateDemoFrames(one);
    const auto b = generateDemoFrames(two);
    QVERIFY(!a.empty());
    QVERIFY(!b.empty());
    QVERIFY(a.size() != b.size() || a.front().bytes != b.front().bytes ||
            a.back().bytes != b.back().bytes);
  }

  void framesStayInsideTheCapture() {
    DemoOptions options;
    options.seconds = 10;
    options.startNs = 1'600'000'000'000'000'000;
    const auto frames = generateDemoFrames(options);
    QVERIFY(!frames.empty());
    QVERIFY(frames.front().timestampNs >= options.startNs);
    QVERIFY(frames.back().timestampNs < options.startNs + 10'000'000'000);
    // Busy throughout: traffic in the first and in the last tenth of the capture.
    QVERIFY(frames.front().timestampNs < options.startNs + 1'000'000'000);
    QVERIFY(frames.back().timestampNs > options.startNs + 9'000'000'000);
    for (const DemoFrame& f : frames) QVERIFY(f.bytes.size() >= 60);
  }

  void rejectsEmptyDuration() {
    DemoOptions options;
    options.seconds = 0;
    QVERIFY(generateDemoFrames(options).empty());
    std::string error;
    QVERIFY(!writeDemoCapture(m_dir.filePath("empty.pcap").toStdString(), options, &error));
    QVERIFY(!error.empty());
  }

  void reportsUnwritablePath() {
    DemoOptions options;
    options.seconds = 1;
    std::string error;
    QVERIFY(!writeDemoCapture(m_dir.filePath("missing/dir/x.pcap").toStdString(), options, &error));
    QVERIFY(!error.empty());
  }

  void libpcapReadsIt() {
    const QString path = minuteCapture();
    const CaptureSummary s = readCapture(path);
    QVERIFY2(s.isOpen, qPrintable(s.error));
    QCOMPARE(s.linkType, DLT_EN10MB);
    QVERIFY(s.packets > 1000);
    QVERIFY(s.timestampsSorted);
    QVERIFY(s.tcpSyns > 20);
    QVERIFY(s.dnsPackets > 20);
    QCOMPARE(s.sipInvites, 2);  // the INVITE and its retransmission
    QVERIFY(s.rtpPackets > 1000);
    QVERIFY(s.arpPackets >= 2);
    QVERIFY(s.vlanPackets > 0);
    QVERIFY(s.ipv6Packets > 0);
    QCOMPARE(static_cast<std::size_t>(s.packets), generateDemoFrames(DemoOptions{}).size());
  }

  void tsharkFindsNothingMalformed() {
    const QString tshark = QStandardPaths::findExecutable("tshark");
    if (tshark.isEmpty()) QSKIP("tshark is not installed");
    const QString path = minuteCapture();

    QProcess endpoints;
    endpoints.start(tshark, {"-n", "-r", path, "-q", "-z", "endpoints,ip"});
    QVERIFY(endpoints.waitForFinished(120000));
    QCOMPARE(endpoints.exitCode(), 0);
    const QString table = QString::fromUtf8(endpoints.readAllStandardOutput());
    QVERIFY2(table.contains("192.168.10."), qPrintable(table.left(400)));
    QVERIFY(table.contains("203.0.113.50"));

    QProcess malformed;
    malformed.start(tshark, {"-n", "-r", path, "-Y", "_ws.malformed"});
    QVERIFY(malformed.waitForFinished(120000));
    QCOMPARE(malformed.exitCode(), 0);
    QCOMPARE(QString::fromUtf8(malformed.readAllStandardOutput()), QString());

    // Wrong checksums would show up as bad-checksum expert items once validation is on.
    QProcess checksums;
    checksums.start(tshark, {"-n", "-r", path, "-o", "ip.check_checksum:TRUE", "-o",
                             "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-Y",
                             "ip.checksum.status == 0 || tcp.checksum.status == 0 || "
                             "udp.checksum.status == 0 || icmp.checksum.status == 0 || "
                             "icmpv6.checksum.status == 0"});
    QVERIFY(checksums.waitForFinished(120000));
    QCOMPARE(checksums.exitCode(), 0);
    QCOMPARE(QString::fromUtf8(checksums.readAllStandardOutput()), QString());
  }

 private:
  /// The default one-minute capture, written once per test run.
  QString minuteCapture() {
    const QString path = m_dir.filePath("minute.pcap");
    if (!QFile::exists(path)) {
      std::string error;
      if (!writeDemoCapture(path.toStdString(), DemoOptions{}, &error)) {
        qWarning("%s", error.c_str());
      }
    }
    return path;
  }

  QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestDemoTraffic)
#include "tst_demo_traffic.moc"
