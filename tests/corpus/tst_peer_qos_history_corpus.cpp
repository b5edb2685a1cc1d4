// SPDX-License-Identifier: MIT
// History per peer pair and per QoS class of an address, on the captures of the shared
// corpus, with one and two workers:
// - every address's peers (IP detail's Peers tab, built from the node's connections): the
//   pair's buckets add up to the peer's packets and bytes each way;
// - tshark's IPv4 conversations (reference/*.conv_ip.txt: frames each way, exact; bytes
//   where tshark prints them unrounded, else reference/*.conv_exact.tsv summed per address
//   pair when it covers all of the pair's frames) on captures without tunnels or ICMP
//   errors (tshark counts the outer and the quoted IP headers as conversations too);
// - every address's DSCP, VLAN PCP and MPLS TC classes (IP detail's QoS tabs): classes whose
//   marking never changed add up to the class figures, and all classes of a layer together
//   to the address's traffic with that layer's marking;
// - a tiny budget: pairs beyond it have no history (an error naming --history-peers) or an
//   incomplete one, never wrong figures presented as complete.

#include <QFile>
#include <QRegularExpression>
#include <QTest>
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "node/pipeline/pipeline.h"
#include "shared/stats/ip_detail.h"
#include "tests/common/tshark_reference.h"

using netlens::net::IpAddress;
using netlens::node::analysis::QosLayer;
using netlens::node::analysis::Resolution;
using netlens::node::pipeline::HistoryQuery;
using netlens::node::pipeline::Pipeline;
using netlens::node::pipeline::PipelineConfig;
namespace protocol = netlens::protocol;
namespace stats = netlens::stats;
namespace ref = netlens::tests;

namespace {

constexpr std::int64_t kS = 1'000'000'000;

/// tx packets, tx bytes, rx packets, rx bytes summed over all buckets.
using Sums = std::array<quint64, 4>;

Sums sumOf(const protocol::HistoryReply& h) {
  Sums out{};
  for (const auto& b : h.buckets) {
    for (std::size_t i = 0; i < 4; ++i) out[i] += b.values[i];
  }
  return out;
}

QString text(const Sums& s) {
  return QStringLiteral("tx %1/%2 rx %3/%4").arg(s[0]).arg(s[1]).arg(s[2]).arg(s[3]);
}

bool analyse(Pipeline& p, const QString& capture, std::string* error) {
  if (!p.addFile(ref::capturePath(capture).toStdString(), error)) return false;
  p.start();
  p.waitForFiles();
  return true;
}

bool peerHistory(const Pipeline& p, const IpAddress& ip, const IpAddress& peer,
                 protocol::HistoryReply* out, std::string* problem) {
  HistoryQuery q;
  q.isGlobal = false;
  q.ip = ip;
  q.peer = peer;
  q.resolution = Resolution::Hour;
  return p.history(q, out, problem);
}

bool qosHistory(const Pipeline& p, const IpAddress& ip, QosLayer layer, int value,
                protocol::HistoryReply* out) {
  HistoryQuery q;
  q.isGlobal = false;
  q.ip = ip;
  q.qos = HistoryQuery::QosClass{layer, static_cast<std::uint8_t>(value)};
  q.resolution = Resolution::Hour;
  std::string problem;
  return p.history(q, out, &problem);
}

bool fitsHourRing(const Pipeline& p) {
  const protocol::GlobalStats g = p.global();
  return g.lastPacket / kS - g.firstPacket / kS < 167 * 3600;
}

/// One IPv4 conversation of tshark: "A B" → A→B frames, bytes (-1: rounded), B→A the same.
struct TsharkPair {
  quint64 abFrames = 0;
  qint64 abBytes = -1;
  quint64 baFrames = 0;
  qint64 baBytes = -1;
};

bool loadConvIp(const QString& capture, std::map<QString, TsharkPair>& out, QString& error) {
  QFile f(ref::referenceDir() + QLatin1Char('/') + capture + QStringLiteral(".conv_ip.txt"));
  if (!f.open(QIODevice::ReadOnly)) {
    error = QStringLiteral("cannot read ") + f.fileName();
    return false;
  }
  // "A <-> B  <-frames <-bytes unit  ->frames ->bytes unit  ...": "<-" is B → A.
  static const QRegularExpression row(QStringLiteral(
      R"(^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+(\d+)\s+(bytes|kB|MB|GB)\s+(\d+)\s+(\d+)\s+(bytes|kB|MB|GB))"));
  for (const QString& line : QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'))) {
    const auto m = row.match(line);
    if (!m.hasMatch()) continue;
    TsharkPair& p = out[m.captured(1) + QLatin1Char(' ') + m.captured(2)];
    p.baFrames += m.captured(3).toULongLong();
    p.baBytes = m.captured(5) == QLatin1String("bytes") ? m.captured(4).toLongLong() : -1;
    p.abFrames += m.captured(6).toULongLong();
    p.abBytes = m.captured(8) == QLatin1String("bytes") ? m.captured(7).toLongLong() : -1;
  }
  return true;
}

/// conv_exact.tsv summed per address pair: "A B" (A < B as tshark sorts them) → frames and
/// bytes each way.
struct ExactPair {
  quint64 abFrames = 0, abBytes = 0, baFrames = 0, baBytes = 0;
};

std::map<QString, ExactPair> loadConvExact(const QString& capture) {
  std::map<QString, ExactPair> out;
  QFile f(ref::referenceDir() + QLatin1Char('/') + capture + QStringLiteral(".conv_exact.tsv"));
  if (!f.open(QIODevice::ReadOnly)) return out;
  const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
  for (int i = 1; i < lines.size(); ++i) {
    const QStringList c = lines[i].split(QLatin1Char('\t'));
    if (c.size() < 9) continue;
    ExactPair& p = out[c[1] + QLatin1Char(' ') + c[3]];
    p.abFrames += c[5].toULongLong();
    p.abBytes += c[6].toULongLong();
    p.baFrames += c[7].toULongLong();
    p.baBytes += c[8].toULongLong();
    // tshark may list the pair the other way round in conv_ip: keep both orders.
    ExactPair& r = out[c[3] + QLatin1Char(' ') + c[1]];
    r.baFrames += c[5].toULongLong();
    r.baBytes += c[6].toULongLong();
    r.abFrames += c[7].toULongLong();
    r.abBytes += c[8].toULongLong();
  }
  return out;
}

}  // namespace

class TestPeerQosHistoryCorpus : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { QVERIFY2(!ref::allCaptures().isEmpty(), qPrintable(ref::pcapDir())); }
  void peerSumsEqualPeers_data();
  void peerSumsEqualPeers();
  void peersMatchTshark_data();
  void peersMatchTshark();
  void qosSumsEqualClasses_data() { peerSumsEqualPeers_data(); }
  void qosSumsEqualClasses();
  void peerBudget();
};

void TestPeerQosHistoryCorpus::peerSumsEqualPeers_data() {
  QTest::addColumn<QString>("capture");
  QTest::addColumn<int>("workers");
  for (const QString& c : ref::allCaptures()) {
    for (int workers : {1, 2})
      QTest::newRow(qPrintable(QStringLiteral("%1 w%2").arg(c).arg(workers))) << c << workers;
  }
}

void TestPeerQosHistoryCorpus::peerSumsEqualPeers() {
  QFETCH(QString, capture);
  QFETCH(int, workers);
  PipelineConfig config;
  config.workers = workers;
  Pipeline p(config);
  std::string error;
  if (!analyse(p, capture, &error)) QSKIP(error.c_str());
  if (!fitsHourRing(p)) QSKIP("longer than the hour ring");
  const auto records = p.connections();
  int checked = 0;
  for (const auto& host : p.hosts()) {
    const stats::IpDetail detail = stats::summarizeIp(host.ip, records, 60 * kS);
    for (const auto& peer : detail.peers) {
      if (peer.ip == host.ip) continue;  // to itself: both roles at once in IP detail
      protocol::HistoryReply h;
      std::string problem;
      QVERIFY2(peerHistory(p, host.ip, peer.ip, &h, &problem), problem.c_str());
      QVERIFY(h.complete);
      QCOMPARE(h.names,
               (std::vector<std::string>{"tx_packets", "tx_bytes", "rx_packets", "rx_bytes"}));
      const Sums s = sumOf(h);
      const Sums want{peer.traffic.txPackets, peer.traffic.txBytes, peer.traffic.rxPackets,
                      peer.traffic.rxBytes};
      QVERIFY2(s == want, qPrintable(QStringLiteral("%1 with %2: history %3, peers tab %4")
                                         .arg(QString::fromStdString(host.ip.toString()),
                                              QString::fromStdString(peer.ip.toString()), text(s),
                                              text(want))));
      ++checked;
    }
  }
  qInfo("%s: %d peers checked", qPrintable(capture), checked);
}

void TestPeerQosHistoryCorpus::peersMatchTshark_data() {
  QTest::addColumn<QString>("capture");
  QTest::addColumn<int>("workers");
  for (const char* c :
       {"dhcp_dora.pcap", "dns_many_queries_txt_mx_cname.pcap", "http_browsing_bro_org.pcap",
        "many_protocols_vlan_http_dns_tls.pcap", "mixed_http_dns_dhcp_tls_retrans.pcap",
        "vlan_qinq_http_pcp5.pcap", "sip_over_tcp_rtp_rtcp_g711a.pcap", "sip_rtp_pcmu_call.pcap",
        "tls_many_sites_sni_tls12_tls13.pcapng", "tcp_fast_retransmit.pcap"}) {
    for (int workers : {1, 2})
      QTest::newRow(qPrintable(QStringLiteral("%1 w%2").arg(QLatin1String(c)).arg(workers)))
          << QString::fromLatin1(c) << workers;
  }
}

void TestPeerQosHistoryCorpus::peersMatchTshark() {
  QFETCH(QString, capture);
  QFETCH(int, workers);
  std::map<QString, TsharkPair> tshark;
  QString refError;
  QVERIFY2(loadConvIp(capture, tshark, refError), qPrintable(refError));
  QVERIFY(!tshark.empty());
  const auto exact = loadConvExact(capture);
  PipelineConfig config;
  config.workers = workers;
  auto p = std::make_unique<Pipeline>(config);
  std::string error;
  QVERIFY2(analyse(*p, capture, &error), error.c_str());
  if (!fitsHourRing(*p)) {
    // Stitched from captures years apart: again with an hour ring as long as the capture
    // (and no other per-key history, which would cost as much per key).
    const protocol::GlobalStats g = p->global();
    config.analyzer.history = {
        1, 1, static_cast<std::uint32_t>((g.lastPacket - g.firstPacket) / (3600 * kS) + 3)};
    config.analyzer.historyHosts = 0;
    config.connections.historyConnections = 0;
    config.peerQos.qosHistories = 0;
    p = std::make_unique<Pipeline>(config);
    QVERIFY2(analyse(*p, capture, &error), error.c_str());
  }
  int bytesCompared = 0;
  for (const auto& [pair, t] : tshark) {
    const QStringList ends = pair.split(QLatin1Char(' '));
    const auto a = IpAddress::parse(ends[0].toStdString());
    const auto b = IpAddress::parse(ends[1].toStdString());
    QVERIFY(a && b);
    protocol::HistoryReply h;
    std::string problem;
    QVERIFY2(peerHistory(*p, *a, *b, &h, &problem), qPrintable(pair + ": " + problem.c_str()));
    QVERIFY(h.complete);
    const Sums s = sumOf(h);
    const QString what = QStringLiteral("%1: history %2, tshark frames %3 -> %4 <-")
                             .arg(pair, text(s))
                             .arg(t.abFrames)
                             .arg(t.baFrames);
    if (*a == *b) {
      // tshark counts an address talking to itself one way; the node both ways, as it counts
      // the address's own tx and rx.
      QVERIFY2(s[0] == t.abFrames + t.baFrames && s[2] == s[0] && s[1] == s[3], qPrintable(what));
      continue;
    }
    QVERIFY2(s[0] == t.abFrames && s[2] == t.baFrames, qPrintable(what));
    qint64 abBytes = t.abBytes;
    qint64 baBytes = t.baBytes;
    const auto e = exact.find(pair);
    if (e != exact.end() && e->second.abFrames == t.abFrames && e->second.baFrames == t.baFrames) {
      abBytes = static_cast<qint64>(e->second.abBytes);
      baBytes = static_cast<qint64>(e->second.baBytes);
    }
    if (abBytes >= 0) {
      QVERIFY2(static_cast<qint64>(s[1]) == abBytes, qPrintable(what));
      ++bytesCompared;
    }
    if (baBytes >= 0) {
      QVERIFY2(static_cast<qint64>(s[3]) == baBytes, qPrintable(what));
      ++bytesCompared;
    }
  }
  // Every IPv4 pair of the node is one of tshark's.
  for (const auto& r : p->connections()) {
    if (!r.clientIp.isV4()) continue;
    const QString ab = QString::fromStdString(r.clientIp.toString()) + QLatin1Char(' ') +
                       QString::fromStdString(r.serverIp.toString());
    const QString ba = QString::fromStdString(r.serverIp.toString()) + QLatin1Char(' ') +
                       QString::fromStdString(r.clientIp.toString());
    QVERIFY2(tshark.count(ab) != 0 || tshark.count(ba) != 0, qPrintable(ab));
  }
  QVERIFY(bytesCompared > 0);
  qInfo("%s: %d pairs, %d byte counts compared", qPrintable(capture),
        static_cast<int>(tshark.size()), bytesCompared);
}

void TestPeerQosHistoryCorpus::qosSumsEqualClasses() {
  QFETCH(QString, capture);
  QFETCH(int, workers);
  PipelineConfig config;
  config.workers = workers;
  Pipeline p(config);
  std::string error;
  if (!analyse(p, capture, &error)) QSKIP(error.c_str());
  if (!fitsHourRing(p)) QSKIP("longer than the hour ring");
  const auto records = p.connections();
  int exactClasses = 0;
  for (const auto& host : p.hosts()) {
    const stats::IpDetail detail = stats::summarizeIp(host.ip, records, 60 * kS);
    if (detail.connections == 0) continue;
    // Traffic of the address in its connections, counted as the Peers tab counts it (an
    // address talking to itself sends and receives each packet).
    Sums total{};
    for (const auto& peer : detail.peers) {
      const bool self = peer.ip == host.ip;
      total[0] += peer.traffic.txPackets + (self ? peer.traffic.rxPackets : 0);
      total[1] += peer.traffic.txBytes + (self ? peer.traffic.rxBytes : 0);
      total[2] += peer.traffic.rxPackets + (self ? peer.traffic.txPackets : 0);
      total[3] += peer.traffic.rxBytes + (self ? peer.traffic.txBytes : 0);
    }
    // Every IP packet has a DSCP: the classes add up to all of the address's traffic.
    Sums dscpTotal{};
    for (int value = 0; value < 64; ++value) {
      protocol::HistoryReply h;
      if (!qosHistory(p, host.ip, QosLayer::Dscp, value, &h)) continue;
      QVERIFY(h.complete);
      const Sums s = sumOf(h);
      for (std::size_t i = 0; i < 4; ++i) dscpTotal[i] += s[i];
    }
    bool hasSelf = false;
    for (const auto& peer : detail.peers) hasSelf = hasSelf || peer.ip == host.ip;
    if (!hasSelf) {
      QVERIFY2(dscpTotal == total, qPrintable(QString::fromStdString(host.ip.toString()) +
                                              QStringLiteral(": DSCP classes ") + text(dscpTotal) +
                                              QStringLiteral(", peers ") + text(total)));
    }
    // IP detail counts a direction under its latest marking: its classes of a layer are
    // exact when no connection of the address changed that layer's marking.
    std::map<stats::QosKind, std::uint64_t> changed;
    for (const auto& c : detail.qos) changed[c.kind] += c.changedConnections;
    for (const auto& c : detail.qos) {
      if (changed[c.kind] != 0 || hasSelf) continue;
      const QosLayer layer = c.kind == stats::QosKind::Dscp      ? QosLayer::Dscp
                             : c.kind == stats::QosKind::VlanPcp ? QosLayer::VlanPcp
                                                                 : QosLayer::MplsTc;
      protocol::HistoryReply h;
      QVERIFY2(qosHistory(p, host.ip, layer, c.value, &h),
               qPrintable(QString::fromStdString(host.ip.toString())));
      const Sums s = sumOf(h);
      const Sums want{c.traffic.txPackets, c.traffic.txBytes, c.traffic.rxPackets,
                      c.traffic.rxBytes};
      QVERIFY2(s == want, qPrintable(QStringLiteral("%1 %2 %3: history %4, class %5")
                                         .arg(QString::fromStdString(host.ip.toString()))
                                         .arg(static_cast<int>(layer))
                                         .arg(c.value)
                                         .arg(text(s), text(want))));
      ++exactClasses;
    }
  }
  qInfo("%s: %d classes checked", qPrintable(capture), exactClasses);
}

// With room for 2 pair histories on one worker and nobody quiet for a minute (a 35 s
// capture), the first two pairs have complete histories and the others none; asking for
// them says why. In a capture with long pauses, pairs quiet for a minute give their history
// to new ones, and a history that began after the pair's first packet says it is incomplete.
void TestPeerQosHistoryCorpus::peerBudget() {
  for (const char* capture :
       {"sip_call_rtp_g711a_with_background.pcap", "many_protocols_vlan_http_dns_tls.pcap"}) {
    const bool evicts = capture[0] == 'm';
    PipelineConfig config;
    config.peerQos.peerHistories = 2;
    Pipeline p(config);
    std::string error;
    QVERIFY2(analyse(p, QString::fromLatin1(capture), &error), error.c_str());
    std::set<std::pair<IpAddress, IpAddress>> pairs;
    const auto records = p.connections();
    for (const auto& r : records) pairs.insert(std::minmax(r.clientIp, r.serverIp));
    QVERIFY(pairs.size() >= 5);
    int withHistory = 0;
    int incomplete = 0;
    for (const auto& [a, b] : pairs) {
      protocol::HistoryReply h;
      std::string problem;
      const bool has = peerHistory(p, b, a, &h, &problem);
      if (!has) {
        QVERIFY2(problem.find("--history-peers") != std::string::npos, problem.c_str());
        QVERIFY2(problem.find("no history of " + b.toString() + " <-> " + a.toString()) == 0,
                 problem.c_str());
        continue;
      }
      ++withHistory;
      const stats::IpDetail detail = stats::summarizeIp(b, records, 60 * kS);
      const auto peer = std::find_if(detail.peers.begin(), detail.peers.end(),
                                     [&](const stats::PeerDetail& d) { return d.ip == a; });
      QVERIFY(peer != detail.peers.end());
      const Sums s = sumOf(h);
      if (h.complete) {
        QCOMPARE(s, (Sums{peer->traffic.txPackets, peer->traffic.txBytes, peer->traffic.rxPackets,
                          peer->traffic.rxBytes}));
      } else {
        ++incomplete;
        QVERIFY(s[0] + s[2] <= peer->traffic.txPackets + peer->traffic.rxPackets);
      }
    }
    QCOMPARE(withHistory, 2);
    if (evicts) {
      QVERIFY(incomplete >= 1);
    } else {
      QCOMPARE(incomplete, 0);
    }
  }
}

QTEST_GUILESS_MAIN(TestPeerQosHistoryCorpus)
#include "tst_peer_qos_history_corpus.moc"
