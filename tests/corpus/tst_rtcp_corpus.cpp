// SPDX-License-Identifier: MIT
// RTCP round trips of the corpus's calls against tshark's `rtcp.roundtrip-delay` (with
// `rtcp.show_roundtrip_calculation` on): per reporter → SR sender, the same number of
// measurements, and mean and maximum within 2 ms. tshark computes in whole milliseconds,
// truncating both the time between the frames and the DLSR (each error up to 1 ms, in
// either direction), where the node keeps nanoseconds; tshark also keeps a negative result,
// where the node counts 0 (none occurs in these captures). tshark runs at test time.

#include <QFile>
#include <QProcess>
#include <QStringList>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "node/pipeline/pipeline.h"
#include "tests/common/tshark_reference.h"

using netlens::node::analysis::RtpStreamRecord;
using netlens::node::pipeline::Pipeline;
using netlens::node::pipeline::PipelineConfig;
namespace ref = netlens::tests;

namespace {

/// (reporter, SR sender) → tshark's round trips in ms.
using Trips = std::map<std::pair<QString, QString>, std::vector<double>>;

bool tsharkTrips(const QString& capture, Trips& out, QString& error) {
  QProcess p;
  p.start(QStringLiteral("tshark"),
          {QStringLiteral("-r"), capture, QStringLiteral("-o"),
           QStringLiteral("rtcp.show_roundtrip_calculation:TRUE"), QStringLiteral("-o"),
           QStringLiteral("rtcp.roundtrip_min_threshhold:0"), QStringLiteral("-Y"),
           QStringLiteral("rtcp.roundtrip-delay"), QStringLiteral("-T"), QStringLiteral("fields"),
           QStringLiteral("-e"), QStringLiteral("ip.src"), QStringLiteral("-e"),
           QStringLiteral("ip.dst"), QStringLiteral("-e"), QStringLiteral("rtcp.roundtrip-delay")});
  if (!p.waitForFinished(120'000) || p.exitCode() != 0) {
    error = QStringLiteral("tshark failed: ") + QString::fromLocal8Bit(p.readAllStandardError());
    return false;
  }
  for (const QString& line : QString::fromUtf8(p.readAllStandardOutput()).split('\n')) {
    const QStringList f = line.split('\t');
    if (f.size() != 3) continue;
    out[{f[0], f[1]}].push_back(f[2].toDouble());
  }
  return true;
}

std::vector<RtpStreamRecord> analyse(const QString& capture, int workers) {
  PipelineConfig config;
  config.workers = workers;
  Pipeline pipeline(config);
  std::string message;
  if (!pipeline.addFile(capture.toStdString(), &message)) return {};
  pipeline.start();
  pipeline.waitForFiles();
  auto streams = pipeline.rtpStreams();
  pipeline.stop();
  return streams;
}

}  // namespace

class TestRtcpCorpus : public QObject {
  Q_OBJECT

 private slots:
  void roundTrips_data() {
    QTest::addColumn<QString>("capture");
    QTest::addColumn<int>("workers");
    for (const char* name : {"sip_rtp_g729_call.pcap", "sip_call_rtp_g711a_with_background.pcap",
                             "sip_over_tcp_rtp_rtcp_g711a.pcap", "sip_rtp_pcma_call.pcap"}) {
      for (int workers : {1, 3})
        QTest::addRow("%s/%d", name, workers) << QString::fromLatin1(name) << workers;
    }
  }

  void roundTrips() {
    QFETCH(QString, capture);
    QFETCH(int, workers);
    const QString path = ref::capturePath(capture);
    if (!QFile::exists(path)) QSKIP("the shared capture corpus is not beside the source tree");
    Trips expected;
    QString error;
    QVERIFY2(tsharkTrips(path, expected, error), qPrintable(error));

    const auto streams = analyse(path, workers);
    QVERIFY(!streams.empty());
    Trips::size_type matched = 0;
    for (const RtpStreamRecord& s : streams) {
      // The stream's receiver reports back to its sender.
      const std::pair<QString, QString> key{QString::fromStdString(s.dstIp.toString()),
                                            QString::fromStdString(s.srcIp.toString())};
      const auto it = expected.find(key);
      const QString where =
          capture + QStringLiteral(" stream 0x%1 ").arg(s.ssrc, 8, 16, QChar('0'));
      if (it == expected.end()) {
        QVERIFY2(!s.rtcpRttMs && s.rtcpRttSamples == 0,
                 qPrintable(where + QStringLiteral("has round trips tshark does not find")));
        continue;
      }
      ++matched;
      const std::vector<double>& theirs = it->second;
      QVERIFY2(s.rtcpRttSamples == theirs.size(),
               qPrintable(where + QStringLiteral("%1 round trips, tshark %2")
                                      .arg(s.rtcpRttSamples)
                                      .arg(theirs.size())));
      QVERIFY(s.rtcpRttMs.has_value());
      double sum = 0;
      double max = 0;
      for (double v : theirs) {
        sum += v;
        max = std::max(max, v);
      }
      const double mean = sum / static_cast<double>(theirs.size());
      QVERIFY2(std::abs(*s.rtcpRttMs - mean) <= 2.0,
               qPrintable(where +
                          QStringLiteral("mean %1 ms, tshark %2 ms").arg(*s.rtcpRttMs).arg(mean)));
      QVERIFY2(std::abs(s.rtcpRttMaxMs - max) <= 2.0,
               qPrintable(where +
                          QStringLiteral("max %1 ms, tshark %2 ms").arg(s.rtcpRttMaxMs).arg(max)));
      // The E-model's network delay is half the round trip.
      QVERIFY(std::abs(s.delayMs - (*s.rtcpRttMs / 2 + s.jitterBufferDelayMs + s.packetMs)) < 1e-9);
    }
    QCOMPARE(matched, expected.size());
  }
};

QTEST_GUILESS_MAIN(TestRtcpCorpus)
#include "tst_rtcp_corpus.moc"
