// SPDX-License-Identifier: MIT
// The MOS inputs of node/analysis: the simulated jitter buffer (fixed and adaptive), the
// `--jitter-buffer` syntax, the loss runs and per-second series of a stream, and the
// capture-loss rule on a capture generated here (Ethernet/IPv4/UDP/RTP written with the
// project's pcap writer and read back through the node's pipeline).

#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <cstdint>
#include <map>
#include <vector>

#include "node/analysis/jitter_buffer.h"
#include "node/analysis/rtp_quality.h"
#include "node/pipeline/pipeline.h"
#include "shared/pcap/pcap_writer.h"
#include "shared/voip/e_model.h"

using namespace netlens::node::analysis;
using netlens::node::pipeline::Pipeline;
using netlens::node::pipeline::PipelineConfig;

namespace {

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kStart = 1'700'000'000LL * 1'000'000'000;

/// One Ethernet/IPv4/UDP frame carrying an RTP packet of PCMU (160 bytes of payload).
std::vector<std::uint8_t> rtpFrame(std::uint8_t srcHost, std::uint16_t srcPort,
                                   std::uint16_t dstPort, std::uint32_t ssrc, std::uint16_t seq,
                                   std::uint32_t timestamp, bool marker) {
  std::vector<std::uint8_t> f = {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00};
  const std::size_t udpLength = 8 + 12 + 160;
  const std::size_t ipLength = 20 + udpLength;
  const std::uint8_t ip[20] = {0x45,
                               0,
                               static_cast<std::uint8_t>(ipLength >> 8),
                               static_cast<std::uint8_t>(ipLength),
                               0,
                               0,
                               0x40,
                               0,
                               64,
                               17,
                               0,
                               0,
                               10,
                               0,
                               0,
                               srcHost,
                               10,
                               0,
                               0,
                               200};
  std::uint32_t sum = 0;
  for (int i = 0; i < 20; i += 2) sum += (ip[i] << 8) | ip[i + 1];
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  f.insert(f.end(), ip, ip + 20);
  f[14 + 10] = static_cast<std::uint8_t>(~sum >> 8);
  f[14 + 11] = static_cast<std::uint8_t>(~sum);
  const auto be16 = [&f](unsigned v) {
    f.push_back(static_cast<std::uint8_t>(v >> 8));
    f.push_back(static_cast<std::uint8_t>(v));
  };
  const auto be32 = [&](std::uint32_t v) {
    be16(v >> 16);
    be16(v & 0xffff);
  };
  be16(srcPort);
  be16(dstPort);
  be16(udpLength);
  be16(0);
  f.push_back(0x80);
  f.push_back(marker ? 0x80 : 0x00);  // PT 0, PCMU
  be16(seq);
  be32(timestamp);
  be32(ssrc);
  f.insert(f.end(), 160, 0xff);
  return f;
}

struct Packet {
  std::int64_t ts;
  std::vector<std::uint8_t> frame;
};

/// A stream of 20 ms packets from `fromMs` to `toMs`, leaving out the packets whose send time
/// falls in one of the `holes` ([from, to) ms).
void addStream(std::vector<Packet>& out, std::uint8_t host, std::uint16_t port, std::uint32_t ssrc,
               int fromMs, int toMs, const std::vector<std::pair<int, int>>& holes) {
  std::uint16_t seq = 1000;
  std::uint32_t timestamp = 5000;
  for (int t = fromMs; t < toMs; t += 20, ++seq, timestamp += 160) {
    bool dropped = false;
    for (const auto& [a, b] : holes) dropped = dropped || (t >= a && t < b);
    if (dropped) continue;
    out.push_back({kStart + t * kMs, rtpFrame(host, port, 30000, ssrc, seq, timestamp, false)});
  }
}

}  // namespace

class TestRtpQuality : public QObject {
  Q_OBJECT

 private slots:
  void spec_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("mode");
    QTest::addColumn<double>("ms");
    QTest::newRow("fixed") << "fixed:50" << true << 0 << 50.0;
    QTest::newRow("fixed decimal") << "fixed:12.5" << true << 0 << 12.5;
    QTest::newRow("adaptive") << "adaptive:200" << true << 1 << 200.0;
    QTest::newRow("no delay") << "fixed" << false << 0 << 0.0;
    QTest::newRow("empty delay") << "adaptive:" << false << 0 << 0.0;
    QTest::newRow("zero") << "fixed:0" << false << 0 << 0.0;
    QTest::newRow("negative") << "adaptive:-5" << false << 0 << 0.0;
    QTest::newRow("too long") << "fixed:3000" << false << 0 << 0.0;
    QTest::newRow("trailing") << "fixed:50ms" << false << 0 << 0.0;
    QTest::newRow("unknown kind") << "static:50" << false << 0 << 0.0;
    QTest::newRow("empty") << "" << false << 0 << 0.0;
    QTest::newRow("nan") << "fixed:nan" << false << 0 << 0.0;
  }
  void spec() {
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(int, mode);
    QFETCH(double, ms);
    JitterBufferConfig c;
    std::string error;
    QCOMPARE(parseJitterBufferSpec(text.toStdString(), &c, &error), ok);
    if (ok) {
      QCOMPARE(static_cast<int>(c.mode), mode);
      QCOMPARE(c.delayMs, ms);
    } else {
      QVERIFY(error.find("--jitter-buffer") != std::string::npos);
    }
  }

  void fixedBuffer() {
    JitterBufferConfig c;
    c.delayMs = 50;
    JitterBuffer b(c);
    int late = 0;
    for (int i = 0; i < 100; ++i) {
      double extra = 0;
      if (i == 10 || i == 20) extra = 60;  // beyond 50 ms: late
      if (i == 30) extra = 40;             // within
      if (i == 40) extra = 50;             // exactly on time still plays
      late += b.add(i * 20.0 + 7 + extra, i * 20.0, false) ? 1 : 0;
    }
    QCOMPARE(late, 2);
    QCOMPARE(b.discards(), std::uint64_t(2));
    QCOMPARE(b.meanDelayMs(), 50.0);
  }

  void fixedBufferTalkspurt() {
    // The path gets 100 ms longer at packet 50: without a talkspurt start every later packet
    // is late for the fixed buffer; a marker bit there lets it start over.
    for (bool marker : {false, true}) {
      JitterBuffer b;
      for (int i = 0; i < 100; ++i) {
        const double transit = i < 50 ? 10 : 110;
        b.add(i * 20.0 + transit, i * 20.0, marker && i == 50);
      }
      QCOMPARE(b.discards(), marker ? std::uint64_t(0) : std::uint64_t(50));
    }
  }

  void resync() {
    // A new timestamp base (a jump of seconds) is not fifty late packets.
    JitterBuffer b;
    for (int i = 0; i < 100; ++i) b.add(i * 20.0, i < 50 ? i * 20.0 : i * 20.0 - 60'000, false);
    QCOMPARE(b.discards(), std::uint64_t(0));
  }

  void adaptiveBuffer() {
    // Transit uniform in [0, 80) ms: a 20 ms fixed buffer loses many packets, the adaptive
    // one learns the deviation and loses few, its delay stays within floor and maximum.
    std::uint64_t state = 42;
    std::vector<double> transit;
    for (int i = 0; i < 3000; ++i) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      transit.push_back(80.0 * static_cast<double>(state >> 11) / 9007199254740992.0);
    }
    transit[0] = 10;  // the fixed buffer's anchor: packets beyond 30 ms (5 in 8) are late
    const auto run = [&](JitterBufferConfig c) {
      JitterBuffer b(c);
      for (int i = 0; i < 3000; ++i) b.add(i * 20.0 + transit[i], i * 20.0, false);
      return b;
    };
    JitterBufferConfig fixed;
    fixed.delayMs = 20;
    JitterBufferConfig adaptive;
    adaptive.mode = JitterBufferConfig::Mode::Adaptive;
    adaptive.delayMs = 200;
    const JitterBuffer f = run(fixed);
    const JitterBuffer a = run(adaptive);
    QVERIFY2(f.discards() > 1700 && f.discards() < 2050, qPrintable(QString::number(f.discards())));
    QVERIFY2(a.discards() * 5 < f.discards(),
             qPrintable(QString("%1 vs %2").arg(a.discards()).arg(f.discards())));
    QVERIFY(a.meanDelayMs() >= JitterBufferConfig::kAdaptiveFloorMs);
    QVERIFY(a.meanDelayMs() <= 200);
    adaptive.delayMs = 25;  // the maximum caps it
    const JitterBuffer capped = run(adaptive);
    QVERIFY(capped.meanDelayMs() <= 25);
    QVERIFY(capped.discards() > a.discards() + 300);
  }

  void lossRuns() {
    // Sequence 1..20 with 5,6 missing (one run of 2), 10 missing (a run of 1) and 15 late
    // (arrives after 16, within the buffer: plays, so it leaves the loss).
    RtpQualityTracker t{JitterBufferConfig{}};
    RtpQualityBudget budget;
    std::vector<int> order;
    for (int s = 1; s <= 20; ++s) {
      if (s == 5 || s == 6 || s == 10 || s == 15) continue;
      order.push_back(s);
      if (s == 16) order.push_back(15);
    }
    for (int s : order) {
      const std::int64_t ts = kStart + s * 20 * kMs + (s == 15 ? 25 * kMs : 0);
      t.add(ts, static_cast<std::uint16_t>(s), static_cast<std::uint32_t>(s * 160), false, 8000,
            0.5, budget);
    }
    RtpStreamRecord r;
    t.fill(r);
    QCOMPARE(r.lossRuns, std::uint64_t(3));  // 5-6, 10, 15 (counted as a gap first)
    QCOMPARE(r.runLost, std::uint64_t(3));   // 15 came back
    QCOMPARE(r.jitterBufferDiscards, std::uint64_t(0));
    QCOMPARE(r.gaps.size(), std::size_t(3));
    QCOMPARE(r.gaps[0].packets, 2u);
    QVERIFY(r.gaps[0].ownRun);
    QCOMPARE(r.packetMs, 20.0);
    std::uint32_t packets = 0, lost = 0;
    for (const auto& s : r.series) {
      packets += s.packets;
      lost += s.lost;
      QCOMPARE(s.maxJitterMs, 0.5);
    }
    QCOMPARE(packets, 17u);
    QCOMPARE(lost, 4u);  // booked when the gaps were seen
  }

  void seriesRing() {
    // More seconds than the ring holds: the oldest go, the ring stays at its size.
    RtpQualityTracker t{JitterBufferConfig{}};
    RtpQualityBudget budget;
    const std::size_t seconds = RtpQualityTracker::kSeriesSeconds + 100;
    for (std::size_t s = 0; s < seconds; ++s) {
      for (int p = 0; p < 2; ++p) {
        const auto n = static_cast<std::uint32_t>(s * 2 + p);
        t.add(kStart + static_cast<std::int64_t>(s) * 1'000'000'000 + p * 500 * kMs,
              static_cast<std::uint16_t>(n), n * 4000, false, 8000, 0, budget);
      }
    }
    RtpStreamRecord r;
    t.fill(r);
    QCOMPARE(r.series.size(), RtpQualityTracker::kSeriesSeconds);
    QCOMPARE(r.seriesStart, kStart + 100LL * 1'000'000'000);
    for (const auto& s : r.series) QCOMPARE(s.packets, 2u);
    // A budget too small for the ring: fewer seconds kept, never more memory.
    RtpQualityTracker small{JitterBufferConfig{}};
    RtpQualityBudget tight{10 * sizeof(RtpSecond)};
    for (std::size_t s = 0; s < 50; ++s) {
      small.add(kStart + static_cast<std::int64_t>(s) * 1'000'000'000,
                static_cast<std::uint16_t>(s), static_cast<std::uint32_t>(s * 8000), false, 8000, 0,
                tight);
    }
    RtpStreamRecord r2;
    small.fill(r2);
    QCOMPARE(r2.series.size(), std::size_t(10));
    QCOMPARE(r2.seriesStart, kStart + 40LL * 1'000'000'000);
  }

  /// Streams A and B run 0–10 s, C 4–10 s. 3000–3100 ms: the capture misses 5 packets of A
  /// and B (C has not begun): capture loss. 6000–6060 ms: A alone loses 3 (network). 8000–
  /// 8040 ms: A and B lose 2 each but C, concurrent, loses nothing: network. 9000–9040 ms:
  /// C alone loses 2.
  void captureLoss() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath("synthetic.pcap").toStdString();
    std::vector<Packet> packets;
    addStream(packets, 1, 40000, 0xa, 0, 10000, {{3000, 3100}, {6000, 6060}, {8000, 8040}});
    addStream(packets, 2, 40002, 0xb, 0, 10000, {{3000, 3100}, {8000, 8040}});
    addStream(packets, 3, 40004, 0xc, 4000, 10000, {{9000, 9040}});
    std::stable_sort(packets.begin(), packets.end(),
                     [](const Packet& a, const Packet& b) { return a.ts < b.ts; });
    netlens::pcap::PcapWriter writer;
    std::string error;
    QVERIFY2(writer.open(path, &error), error.c_str());
    for (const auto& p : packets) QVERIFY(writer.writePacket(p.ts, p.frame));
    QVERIFY(writer.close(&error));

    for (int workers : {1, 2}) {
      PipelineConfig config;
      config.workers = workers;
      Pipeline pipeline(config);
      QVERIFY2(pipeline.addFile(path, &error), error.c_str());
      pipeline.start();
      pipeline.waitForFiles();
      const auto streams = pipeline.rtpStreams();
      pipeline.stop();
      QCOMPARE(streams.size(), std::size_t(3));
      std::map<std::uint32_t, RtpStreamRecord> bySsrc;
      for (const auto& s : streams) bySsrc[s.ssrc] = s;
      const RtpStreamRecord& a = bySsrc[0xa];
      const RtpStreamRecord& b = bySsrc[0xb];
      const RtpStreamRecord& c = bySsrc[0xc];
      QCOMPARE(a.lost, std::int64_t(10));
      QCOMPARE(a.captureLost, std::uint64_t(5));
      QCOMPARE(b.lost, std::int64_t(7));
      QCOMPARE(b.captureLost, std::uint64_t(5));
      QCOMPARE(c.lost, std::int64_t(2));
      QCOMPARE(c.captureLost, std::uint64_t(0));
      for (const RtpStreamRecord* s : {&a, &b, &c}) {
        QCOMPARE(s->jitterBufferDiscards, std::uint64_t(0));
        const double network = static_cast<double>(s->lost) - static_cast<double>(s->captureLost);
        QVERIFY(std::fabs(s->effectiveLossPercent - 100 * network / s->expected) < 1e-9);
        // The MOS is the E-model of exactly these inputs.
        netlens::voip::EModelParameters p;
        p.absoluteDelay = p.meanOneWayDelay = s->delayMs;
        p.roundTripDelay = 2 * s->delayMs;
        p.equipmentImpairment = 0;
        p.packetLossRobustness = 25.1;
        p.packetLossPercent = s->effectiveLossPercent;
        p.burstRatio = s->burstRatio;
        QVERIFY(s->mos.has_value());
        QVERIFY(std::fabs(*s->mos - netlens::voip::mosFromR(computeEModel(p).r)) < 1e-12);
        QCOMPARE(s->delayMs, 20.0 + 50.0 + 20.0);
        QVERIFY(s->gaps.empty());
      }
      // Loss runs without the capture's: A has two runs (3 and 2 packets), B one of 2.
      QCOMPARE(a.lossRuns, std::uint64_t(2));
      QCOMPARE(a.runLost, std::uint64_t(5));
      QCOMPARE(b.lossRuns, std::uint64_t(1));
      QVERIFY(*a.mos < *b.mos);
      // The series: the second of the capture gap shows no loss, the network ones do.
      const auto lostIn = [](const RtpStreamRecord& s, int second) {
        const std::int64_t i = (kStart + second * 1'000'000'000LL - s.seriesStart) / 1'000'000'000;
        return s.series.at(static_cast<std::size_t>(i)).lost;
      };
      QCOMPARE(lostIn(a, 3), 0u);
      QCOMPARE(lostIn(a, 6), 3u);
      QCOMPARE(lostIn(b, 8), 2u);
      QCOMPARE(lostIn(c, 9), 2u);
      QVERIFY(a.series.at(6).mos.has_value());
      QVERIFY(*a.series.at(6).mos < *a.series.at(5).mos);
    }
  }
};

QTEST_GUILESS_MAIN(TestRtpQuality)
#include "tst_rtp_quality.moc"
