// SPDX-License-Identifier: MIT
// RTP streams and SIP statistics of the node on the shared capture corpus against tshark:
// - every stream of `tshark -z rtp,streams` (NETLENS_SHARED_DATA/pcaps/reference/
//   *.rtp_streams.txt) is found with its SSRC, 5-tuple and first payload, and has the same
//   packets and lost, and max delta, max jitter and mean jitter equal to the printed
//   precision (3 decimals);
// - the request-method and response-code counts equal `tshark -z sip,stat` for every capture
//   that has one;
// - the differences we decided on are tested as such (see README, "VoIP"):
//   * we look for RTP by heuristics on every capture, while tshark with default preferences
//     only follows SDP: our extra streams must be ones no SDP announced;
//   * T.38 fax switched in by a re-INVITE on the same ports (sip_fax_t38_g711a_loss.pcap):
//     tshark stops reading the audio stream as RTP, we keep counting it;
//   * SIP in fragmented UDP datagrams (sip_ipv6_fragmented_linux_sll.pcap) is not read yet;
// - every stream with a G.113 codec has a MOS equal to the E-model of the inputs it shows.

#include <QFile>
#include <QString>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>

#include "node/pipeline/pipeline.h"
#include "shared/audio/audio_decoder.h"
#include "shared/voip/e_model.h"
#include "tests/common/tshark_reference.h"
#include "tests/common/voip_reference.h"

using netlens::node::analysis::CallRecord;
using netlens::node::analysis::RtpStreamRecord;
using netlens::node::analysis::SipCounters;
using netlens::node::pipeline::Pipeline;
using netlens::node::pipeline::PipelineConfig;
namespace ref = netlens::tests;

namespace {

const char* const kFax = "sip_fax_t38_g711a_loss.pcap";
const char* const kFragmentedSip = "sip_ipv6_fragmented_linux_sll.pcap";

/// Streams tshark (default preferences: no RTP heuristics) does not list but RTP they are:
/// a media relay's second leg that no SDP in the capture announces.
const std::map<QString, std::set<QString>> kHeuristicOnly = {
    {"sip_call_rtp_g711a_with_background.pcap",
     {"200.57.7.196:40378>200.57.7.199:4800/0xd2bd4e3e",
      "200.57.7.199:4800>200.57.7.196:40378/0x58f33dea"}},
};

struct Result {
  std::vector<RtpStreamRecord> streams;
  SipCounters sip;
  std::vector<CallRecord> calls;
};

Result analyse(const QString& capture, int workers) {
  PipelineConfig config;
  config.workers = workers;
  Pipeline pipeline(config);
  std::string message;
  Result r;
  if (!pipeline.addFile(ref::capturePath(capture).toStdString(), &message)) return r;
  pipeline.start();
  pipeline.waitForFiles();
  r.streams = pipeline.rtpStreams();
  r.sip = pipeline.sipCounters();
  r.calls = pipeline.calls();
  pipeline.stop();
  return r;
}

QString keyOf(const RtpStreamRecord& s) {
  return QStringLiteral("%1:%2>%3:%4/0x%5")
      .arg(QString::fromStdString(s.srcIp.toString()))
      .arg(s.srcPort)
      .arg(QString::fromStdString(s.dstIp.toString()))
      .arg(s.dstPort)
      .arg(s.ssrc, 8, 16, QLatin1Char('0'));
}

QString printed(double v) {
  return QString::number(v, 'f', 3);
}

/// tshark's payload names of the static types in the corpus → RFC 3551 encoding names.
QString codecOf(const QString& tsharkName) {
  static const std::map<QString, QString> names = {
      {"g711A", "PCMA"}, {"g711U", "PCMU"}, {"g722", "G722"}, {"g729", "G729"}};
  const auto it = names.find(tsharkName);
  return it == names.end() ? tsharkName : it->second;
}

/// Every stream of a codec with G.113 values has a MOS, and it is the E-model of the inputs
/// shown next to it; the inputs are consistent with the stream's own figures.
void checkMos(const RtpStreamRecord& s) {
  // Levels: G.711 streams (static payload types 0 and 8) have them, in order and in range;
  // other codecs none.
  const bool g711 = s.payloadType == 0 || s.payloadType == 8;
  QCOMPARE(s.minLevelDbfs.has_value(), g711 && s.packets > 0);
  QCOMPARE(s.maxLevelDbfs.has_value(), s.minLevelDbfs.has_value());
  if (s.minLevelDbfs) {
    QVERIFY(*s.minLevelDbfs >= -96 && *s.minLevelDbfs <= *s.maxLevelDbfs && *s.maxLevelDbfs <= 0);
    QVERIFY(*s.maxLevelDbfs > -96);  // every corpus G.711 stream carries sound
  }
  // The per-second peaks: only G.711 streams have them, and the loudest of them is the
  // stream's loudest packet (unless the series ring dropped seconds: 3 600 kept).
  std::int32_t loudest = -1;
  for (const auto& second : s.series) {
    QVERIFY(second.peak >= -1 && second.peak <= 32768);
    if (!g711) QCOMPARE(second.peak, -1);
    loudest = std::max(loudest, second.peak);
  }
  if (s.maxLevelDbfs && s.series.size() < 3600)
    QCOMPARE(netlens::audio::levelDbfs(static_cast<std::uint32_t>(loudest)), *s.maxLevelDbfs);
  const auto codec = netlens::voip::codecImpairment(s.codec);
  QVERIFY(s.gaps.empty());
  QVERIFY(s.effectiveLossPercent >= 0 && s.effectiveLossPercent <= 100);
  QVERIFY(s.burstRatio >= 1);
  QVERIFY(s.captureLost <= static_cast<std::uint64_t>(std::max<std::int64_t>(0, s.lost)));
  QVERIFY(s.jitterBufferDiscards <= s.packets);
  if (!codec || s.packets < 2) {
    QVERIFY(!s.mos.has_value());
    return;
  }
  QVERIFY2(s.mos.has_value(), s.codec.c_str());
  QCOMPARE(s.jitterBufferDelayMs, 50.0);  // the default fixed buffer
  QVERIFY(s.packetMs > 0);
  // One way: half the RTCP round trip where the receiver reported one, else the default 20 ms.
  const double oneWay = s.rtcpRttMs ? *s.rtcpRttMs / 2 : 20.0;
  QVERIFY(std::fabs(s.delayMs - (oneWay + 50.0 + s.packetMs)) < 1e-9);
  const double network =
      static_cast<double>(std::max<std::int64_t>(0, s.lost)) - static_cast<double>(s.captureLost);
  const double ppl = 100 * (network + static_cast<double>(s.jitterBufferDiscards)) /
                     static_cast<double>(s.expected);
  QVERIFY(std::fabs(s.effectiveLossPercent - std::min(100.0, ppl)) < 1e-9);
  netlens::voip::EModelParameters p;
  p.absoluteDelay = p.meanOneWayDelay = s.delayMs;
  p.roundTripDelay = 2 * s.delayMs;
  p.equipmentImpairment = codec->ie;
  p.packetLossRobustness = codec->bpl;
  p.packetLossPercent = s.effectiveLossPercent;
  p.burstRatio = s.burstRatio;
  const auto e = netlens::voip::computeEModel(p);
  QVERIFY(std::fabs(*s.rFactor - e.r) < 1e-9);
  QVERIFY(std::fabs(*s.mos - netlens::voip::mosFromR(e.r)) < 1e-12);
  QVERIFY(*s.mos >= 1 && *s.mos <= 4.5);
  // The series covers the stream: its packets add up.
  std::uint64_t packets = 0;
  for (const auto& sec : s.series) packets += sec.packets;
  QCOMPARE(packets, s.packets);
}

QStringList capturesWith(const char* suffix) {
  QStringList out;
  for (const QString& c : ref::allCaptures()) {
    if (QFile::exists(ref::referenceDir() + QLatin1Char('/') + c + QLatin1String(suffix))) out << c;
  }
  return out;
}

}  // namespace

class TestVoipCorpus : public QObject {
  Q_OBJECT

 private slots:
  void rtpStreams_data() {
    QTest::addColumn<QString>("capture");
    const QStringList captures = capturesWith(".rtp_streams.txt");
    QVERIFY2(captures.size() >= 10, qPrintable(ref::pcapDir()));
    for (const QString& c : captures) {
      if (c != QLatin1String(kFax)) QTest::newRow(qPrintable(c)) << c;
    }
  }

  void rtpStreams() {
    QFETCH(QString, capture);
    std::vector<ref::RtpStreamReference> expected;
    QString error;
    QVERIFY2(ref::loadRtpStreams(ref::referenceDir() + QLatin1Char('/') + capture +
                                     QLatin1String(".rtp_streams.txt"),
                                 expected, error),
             qPrintable(error));
    const Result ours = analyse(capture, 1);
    std::map<QString, const RtpStreamRecord*> byKey;
    for (const auto& s : ours.streams) byKey[keyOf(s)] = &s;
    for (const auto& e : expected) {
      const QString key = e.key();
      const auto it = byKey.find(key);
      QVERIFY2(it != byKey.end(),
               qPrintable(QStringLiteral("tshark's stream %1 not found").arg(key)));
      const RtpStreamRecord& s = *it->second;
      QCOMPARE(QString::fromStdString(s.codec), codecOf(e.payloads.front()));
      QCOMPARE(static_cast<qint64>(s.packets), e.packets);
      QCOMPARE(static_cast<qint64>(s.lost), e.lost);
      QCOMPARE(printed(s.maxDeltaMs), printed(e.maxDeltaMs));
      QCOMPARE(printed(s.maxJitterMs), printed(e.maxJitterMs));
      QCOMPARE(printed(s.meanJitterMs), printed(e.meanJitterMs));
      checkMos(s);
      byKey.erase(it);
    }
    const auto allowed = kHeuristicOnly.find(capture);
    for (const auto& [key, s] : byKey) {
      QVERIFY2(allowed != kHeuristicOnly.end() && allowed->second.count(key),
               qPrintable(QStringLiteral("stream %1 is not in tshark's table").arg(key)));
      QVERIFY2(!s->announced, qPrintable(key));  // only heuristics may add streams
    }
    if (allowed != kHeuristicOnly.end()) {
      QCOMPARE(byKey.size(), allowed->second.size());
    }
  }

  /// The T.38 switch: tshark reads the audio stream as RTP only until the re-INVITE that
  /// moves the same ports to image/udptl (and from then on as T.38); the sender keeps
  /// sending RTP packets, which we count. Pinned so that a change of either side shows.
  void faxSwitchDiffers() {
    std::vector<ref::RtpStreamReference> expected;
    QString error;
    QVERIFY(ref::loadRtpStreams(
        ref::referenceDir() + QLatin1Char('/') + kFax + QLatin1String(".rtp_streams.txt"), expected,
        error));
    QCOMPARE(expected.size(), std::size_t(2));
    const Result ours = analyse(kFax, 1);
    std::map<QString, const RtpStreamRecord*> byKey;
    for (const auto& s : ours.streams) byKey[keyOf(s)] = &s;
    QCOMPARE(byKey.size(), std::size_t(2));
    for (const auto& e : expected) {
      const auto it = byKey.find(e.key());
      QVERIFY2(it != byKey.end(), qPrintable(e.key()));
      // TODO(#5): follow SDP that moves an RTP endpoint to a non-RTP transport.
      QVERIFY(static_cast<qint64>(it->second->packets) >= e.packets);
    }
    QVERIFY(byKey.at("10.35.60.100:15580>10.23.1.52:16756/0x0eaf0eaf")->packets > 1838);
  }

  void sipStat_data() {
    QTest::addColumn<QString>("capture");
    for (const QString& c : capturesWith(".sip_stat.txt")) QTest::newRow(qPrintable(c)) << c;
  }

  void sipStat() {
    QFETCH(QString, capture);
    ref::SipStatReference expected;
    QString error;
    QVERIFY2(ref::loadSipStat(
                 ref::referenceDir() + QLatin1Char('/') + capture + QLatin1String(".sip_stat.txt"),
                 expected, error),
             qPrintable(error));
    const Result ours = analyse(capture, 1);
    if (capture == QLatin1String(kFragmentedSip)) {
      // The two INVITEs (with their SDP) travel in fragmented IPv6 datagrams: counted once
      // reassembled, as tshark does.
      QCOMPARE(expected.methods["INVITE"], quint64(2));
    }
    std::map<std::string, quint64> methods(ours.sip.methods.begin(), ours.sip.methods.end());
    std::map<int, quint64> responses(ours.sip.responses.begin(), ours.sip.responses.end());
    QCOMPARE(methods, expected.methods);
    QCOMPARE(responses, expected.responses);
    QCOMPARE(ours.sip.malformed, quint64(0));
    // Per address: every message was sent by one address and received by one, so the
    // addresses' sent and received counts each add up to the totals.
    QCOMPARE(ours.sip.perIpDropped, quint64(0));
    std::map<std::string, quint64> sent, received;
    std::map<int, quint64> sentCodes, receivedCodes;
    for (const auto& [ip, c] : ours.sip.perIp) {
      for (const auto& [k, v] : c.sentMethods) sent[k] += v;
      for (const auto& [k, v] : c.receivedMethods) received[k] += v;
      for (const auto& [k, v] : c.sentResponses) sentCodes[k] += v;
      for (const auto& [k, v] : c.receivedResponses) receivedCodes[k] += v;
    }
    QCOMPARE(sent, methods);
    QCOMPARE(received, methods);
    QCOMPARE(sentCodes, responses);
    QCOMPARE(receivedCodes, responses);
    if (!methods.empty()) QVERIFY(ours.sip.perIp.size() >= 2);
  }

  /// SIP and RTP of a call hash to different workers: the call and its streams are joined
  /// when the report is built, with the same figures as with one worker.
  void callsJoinedOverWorkers_data() {
    QTest::addColumn<QString>("capture");
    QTest::addColumn<int>("workers");
    for (int w : {1, 2, 3}) {
      QTest::addRow("pcma-%d", w) << QStringLiteral("sip_rtp_pcma_call.pcap") << w;
      QTest::addRow("g729-%d", w) << QStringLiteral("sip_rtp_g729_call.pcap") << w;
    }
  }

  void callsJoinedOverWorkers() {
    QFETCH(QString, capture);
    QFETCH(int, workers);
    const Result one = analyse(capture, 1);
    const Result r = analyse(capture, workers);
    QCOMPARE(r.calls.size(), std::size_t(1));
    const CallRecord& call = r.calls.front();
    QCOMPARE(QString::fromStdString(call.state), QStringLiteral("ended"));
    QVERIFY(call.setupNs.has_value() && *call.setupNs > 0);
    QVERIFY(call.durationNs.has_value() && *call.durationNs > 0);
    QCOMPARE(call.ssrcs.size(), std::size_t(2));
    QVERIFY(!call.media.empty());
    QCOMPARE(r.streams.size(), one.streams.size());
    for (std::size_t i = 0; i < r.streams.size(); ++i) {
      QCOMPARE(r.streams[i].callId, call.callId);
      QCOMPARE(r.streams[i].packets, one.streams[i].packets);
      QCOMPARE(printed(r.streams[i].maxJitterMs), printed(one.streams[i].maxJitterMs));
      QCOMPARE(r.streams[i].mos, one.streams[i].mos);
    }
    // MOS per direction: one per sender, each that of its stream.
    QCOMPARE(call.directions.size(), std::size_t(2));
    for (const auto& d : call.directions) {
      QCOMPARE(d.ssrcs.size(), std::size_t(1));
      QVERIFY(d.mos.has_value());
      const auto s = std::find_if(r.streams.begin(), r.streams.end(),
                                  [&](const RtpStreamRecord& x) { return x.ssrc == d.ssrcs[0]; });
      QVERIFY(s != r.streams.end());
      QCOMPARE(d.srcIp, s->srcIp.toString());
      QCOMPARE(d.mos, s->mos);
    }
  }

  /// A call's messages (its ladder) are every SIP message of its Call-ID, as many as
  /// `tshark -r CAPTURE -Y 'sip.Call-ID == "ID"'` lists (counted with tshark 4.0 from the
  /// corpus), in time order, with the worker split changing nothing.
  void callMessagesMatchTshark_data() {
    QTest::addColumn<QString>("capture");
    QTest::addColumn<QString>("callId");
    QTest::addColumn<int>("messages");
    QTest::addColumn<int>("withSdp");
    QTest::addColumn<int>("transport");
    QTest::addColumn<int>("workers");
    for (int w : {1, 2}) {
      QTest::addRow("pcma-%d", w) << QStringLiteral("sip_rtp_pcma_call.pcap")
                                  << "2458c010-cb85-e211-9639-5cac4c9de28b@MartinNTB2" << 9 << 2
                                  << 17 << w;
      QTest::addRow("g729-%d", w) << QStringLiteral("sip_rtp_g729_call.pcap")
                                  << "AEE8444D-C4B611E3-80A1B1F0-FB145C68@192.168.0.1" << 9 << 2
                                  << 17 << w;
      QTest::addRow("tcp-%d", w) << QStringLiteral("sip_over_tcp_rtp_rtcp_g711a.pcap")
                                 << "158936656982201062716@10.33.6.100" << 7 << 2 << 6 << w;
      QTest::addRow("background-%d", w) << QStringLiteral("sip_call_rtp_g711a_with_background.pcap")
                                        << "12013223@200.57.7.195" << 5 << 2 << 17 << w;
      QTest::addRow("fax-%d", w) << QString::fromLatin1(kFax)
                                 << "00e9d4a500e9d48-0015-0001-0000-0000@10.35.40.25" << 67 << 21
                                 << 17 << w;
    }
  }
  void callMessagesMatchTshark() {
    QFETCH(QString, capture);
    QFETCH(QString, callId);
    QFETCH(int, messages);
    QFETCH(int, withSdp);
    QFETCH(int, transport);
    QFETCH(int, workers);
    const Result r = analyse(capture, workers);
    const auto call = std::find_if(r.calls.begin(), r.calls.end(), [&](const CallRecord& c) {
      return c.callId == callId.toStdString();
    });
    QVERIFY(call != r.calls.end());
    QCOMPARE(static_cast<int>(call->messages.size()), messages);
    QCOMPARE(call->messagesOmitted, quint64(0));
    QCOMPARE(static_cast<quint64>(messages), call->counters.messages);
    int sdp = 0;
    for (std::size_t i = 0; i < call->messages.size(); ++i) {
      const auto& m = call->messages[i];
      if (i > 0) QVERIFY(call->messages[i - 1].time <= m.time);
      QCOMPARE(static_cast<int>(m.transport), transport);
      QVERIFY(m.srcIp.isValid() && m.dstIp.isValid());
      QVERIFY(m.isRequest ? !m.method.empty() && !m.requestUri.empty() : m.statusCode >= 100);
      QVERIFY(!m.cseqMethod.empty());
      if (!m.sdp.empty()) {
        ++sdp;
        QVERIFY(m.sdp.rfind("v=0", 0) == 0);
      }
    }
    QCOMPARE(sdp, withSdp);
    QCOMPARE(QString::fromStdString(call->messages.front().method), QStringLiteral("INVITE"));
    QCOMPARE(call->messages.front().time, call->start);
  }
};

QTEST_GUILESS_MAIN(TestVoipCorpus)
#include "tst_voip_corpus.moc"
