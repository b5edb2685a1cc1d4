// SPDX-License-Identifier: MIT
// History against the counters, on every capture of the shared corpus, with one and two
// workers: the global buckets summed equal the global counters exactly (1 h always, 1 min
// and 1 s when the capture fits into those rings), layer by layer, and every host's buckets
// equal its tx/rx counters. Also the per-IP history budget: hosts beyond it have no
// history, or a history marked incomplete, never wrong figures presented as complete.
// Connections: every live connection with a complete history has buckets that add up to its
// packet and byte counters per direction.

#include <QTest>
#include <algorithm>
#include <map>
#include <string>

#include "node/pipeline/pipeline.h"
#include "tests/common/tshark_reference.h"

using netlens::node::analysis::Resolution;
using netlens::node::pipeline::HistoryQuery;
using netlens::node::pipeline::Pipeline;
using netlens::node::pipeline::PipelineConfig;
namespace protocol = netlens::protocol;
namespace ref = netlens::tests;

namespace {

/// name → sum over all buckets.
std::map<std::string, quint64> sumOf(const protocol::HistoryReply& h) {
  std::map<std::string, quint64> out;
  for (const auto& b : h.buckets) {
    for (std::size_t i = 0; i < h.names.size(); ++i) out[h.names[i]] += b.values[i];
  }
  return out;
}

QString compareGlobal(const std::map<std::string, quint64>& s, const protocol::GlobalStats& g) {
  const std::pair<const char*, quint64> expected[] = {
      {"packets", g.packets},
      {"bytes", g.bytes},
      {"ipv4_packets", g.ipv4Packets},
      {"ipv4_bytes", g.ipv4Bytes},
      {"ipv6_packets", g.ipv6Packets},
      {"ipv6_bytes", g.ipv6Bytes},
      {"non_ip_packets", g.nonIpPackets},
      {"non_ip_bytes", g.nonIpBytes},
      {"tcp_packets", g.tcpPackets},
      {"udp_packets", g.udpPackets},
      {"icmp_packets", g.icmpPackets},
      {"sctp_packets", g.sctpPackets},
      {"gre_packets", g.grePackets},
      {"other_l4_packets", g.otherPackets},
      {"ipv4_fragments", g.ipv4Fragments},
  };
  QStringList problems;
  for (const auto& [name, value] : expected) {
    if (s.at(name) != value)
      problems << QStringLiteral("%1 %2 != %3").arg(name).arg(s.at(name)).arg(value);
  }
  // Layer 4 bytes cover exactly the IP packets.
  const quint64 l4Bytes = s.at("tcp_bytes") + s.at("udp_bytes") + s.at("icmp_bytes") +
                          s.at("sctp_bytes") + s.at("gre_bytes") + s.at("other_l4_bytes");
  if (l4Bytes != g.ipv4Bytes + g.ipv6Bytes)
    problems << QStringLiteral("layer 4 bytes %1 != IP bytes %2")
                    .arg(l4Bytes)
                    .arg(g.ipv4Bytes + g.ipv6Bytes);
  return problems.join(QStringLiteral("; "));
}

/// Reads `capture` (a corpus file) through `p` to its end; false with `*error` when it
/// cannot be opened.
bool analyse(Pipeline& p, const QString& capture, std::string* error) {
  if (!p.addFile(ref::capturePath(capture).toStdString(), error)) return false;
  p.start();
  p.waitForFiles();
  return true;
}

bool historyOf(const Pipeline& p, Resolution r, bool global, const netlens::net::IpAddress& ip,
               protocol::HistoryReply* out) {
  HistoryQuery q;
  q.isGlobal = global;
  q.ip = ip;
  q.resolution = r;
  std::string problem;
  return p.history(q, out, &problem);
}

}  // namespace

class TestHistoryCorpus : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { QVERIFY2(!ref::allCaptures().isEmpty(), qPrintable(ref::pcapDir())); }
  void sumsEqualCounters_data();
  void sumsEqualCounters();
  void hostBudget();
  void connectionSumsEqualCounters_data() { sumsEqualCounters_data(); }
  void connectionSumsEqualCounters();
  void connectionHistoryErrors();
};

void TestHistoryCorpus::sumsEqualCounters_data() {
  QTest::addColumn<QString>("capture");
  QTest::addColumn<int>("workers");
  for (const QString& c : ref::allCaptures()) {
    for (int workers : {1, 2})
      QTest::newRow(qPrintable(QStringLiteral("%1 w%2").arg(c).arg(workers))) << c << workers;
  }
}

void TestHistoryCorpus::sumsEqualCounters() {
  QFETCH(QString, capture);
  QFETCH(int, workers);
  PipelineConfig config;
  config.workers = workers;
  Pipeline p(config);
  std::string error;
  if (!analyse(p, capture, &error)) QSKIP(error.c_str());
  const protocol::GlobalStats g = p.global();

  constexpr std::int64_t kS = 1'000'000'000;
  const std::int64_t span = g.lastPacket / kS - g.firstPacket / kS;
  int checked = 0;
  for (auto [r, fits] : {std::pair{Resolution::Hour, span < 167 * 3600},
                         std::pair{Resolution::Minute, span < 179 * 60},
                         std::pair{Resolution::Second, span < 599}}) {
    protocol::HistoryReply h;
    QVERIFY(historyOf(p, r, true, {}, &h));
    if (g.packets == 0) {
      QVERIFY(h.buckets.empty());
      continue;
    }
    QVERIFY(!h.buckets.empty());
    QVERIFY(h.complete);
    for (std::size_t i = 1; i < h.buckets.size(); ++i)  // contiguous, no gaps
      QCOMPARE(h.buckets[i].start - h.buckets[i - 1].start, h.resolutionNs);
    if (!fits) continue;
    const QString problem = compareGlobal(sumOf(h), g);
    QVERIFY2(problem.isEmpty(),
             qPrintable(QStringLiteral("%1 s buckets: %2").arg(h.resolutionNs / kS).arg(problem)));
    ++checked;
  }
  const bool fitsWeek = span < 167 * 3600;
  if (!fitsWeek) {
    // Some corpus files are stitched together from captures years apart. A second analysis
    // with an hour ring long enough for the whole span (and no per-IP history, which would
    // cost the same per host) must still add up exactly.
    PipelineConfig wide = config;
    wide.analyzer.history = {1, 1, static_cast<std::uint32_t>(span / 3600 + 2)};
    wide.analyzer.historyHosts = 0;
    Pipeline q(wide);
    QVERIFY(q.addFile(ref::capturePath(capture).toStdString(), &error));
    q.start();
    q.waitForFiles();
    protocol::HistoryReply h;
    QVERIFY(historyOf(q, Resolution::Hour, true, {}, &h));
    const QString problem = compareGlobal(sumOf(h), q.global());
    QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("long hour ring: ") + problem));
    ++checked;
  }
  if (g.packets != 0) QVERIFY(checked >= 1);

  // Every host: its buckets equal its counters (the corpus captures stay within the budget);
  // in a capture longer than the hour ring, older hours have left the ring.
  int hosts = 0;
  for (const auto& host : p.hosts()) {
    protocol::HistoryReply h;
    QVERIFY2(historyOf(p, Resolution::Hour, false, host.ip, &h), host.ip.toString().c_str());
    QVERIFY(h.complete);
    const auto s = sumOf(h);
    if (fitsWeek) {
      QCOMPARE(s.at("tx_packets"), host.txPackets);
      QCOMPARE(s.at("tx_bytes"), host.txBytes);
      QCOMPARE(s.at("rx_packets"), host.rxPackets);
      QCOMPARE(s.at("rx_bytes"), host.rxBytes);
    } else {
      QVERIFY(s.at("tx_packets") <= host.txPackets && s.at("rx_bytes") <= host.rxBytes);
    }
    ++hosts;
  }
  QCOMPARE(static_cast<quint64>(hosts), g.hostCount);

  // A group of every host is, bucket by bucket, the sum of its members' series (workers'
  // windows and hosts' first buckets lined up by start time), and in all equals the sum of
  // their counters, as the group's own counters are.
  HistoryQuery all;
  all.isGlobal = false;
  all.group = "all";
  all.resolution = Resolution::Hour;
  quint64 txPackets = 0;
  quint64 rxBytes = 0;
  std::map<protocol::TimeNs, quint64> expectedTx;
  for (const auto& host : p.hosts()) {
    all.members.push_back(host.ip);
    txPackets += host.txPackets;
    rxBytes += host.rxBytes;
    protocol::HistoryReply h;
    QVERIFY(historyOf(p, Resolution::Hour, false, host.ip, &h));
    for (const auto& b : h.buckets) expectedTx[b.start] += b.values[0];
  }
  protocol::HistoryReply group;
  std::string problem;
  QVERIFY2(p.history(all, &group, &problem), problem.c_str());
  QCOMPARE(group.series, std::string("all"));
  QVERIFY(group.complete);
  for (std::size_t i = 1; i < group.buckets.size(); ++i)
    QCOMPARE(group.buckets[i].start - group.buckets[i - 1].start, group.resolutionNs);
  std::map<protocol::TimeNs, quint64> groupTx;
  for (const auto& b : group.buckets) {
    if (b.values[0] != 0 || expectedTx.count(b.start)) groupTx[b.start] = b.values[0];
  }
  QCOMPARE(groupTx, expectedTx);
  if (fitsWeek) {
    QCOMPARE(sumOf(group)["tx_packets"], txPackets);
    QCOMPARE(sumOf(group)["rx_bytes"], rxBytes);
  }
}

// With room for 2 host histories per worker, the first two hosts of a one-worker analysis
// have complete histories; the others have none (their slots are not reclaimed: nobody is
// quiet for a minute in this short capture), and asking for them is an error. A group of
// all of them is incomplete.
void TestHistoryCorpus::hostBudget() {
  PipelineConfig config;
  config.analyzer.historyHosts = 2;
  Pipeline p(config);
  std::string error;
  QVERIFY2(
      p.addFile(ref::capturePath("many_protocols_vlan_http_dns_tls.pcap").toStdString(), &error),
      error.c_str());
  p.start();
  p.waitForFiles();
  int withHistory = 0;
  int without = 0;
  for (const auto& host : p.hosts()) {
    protocol::HistoryReply h;
    if (!historyOf(p, Resolution::Hour, false, host.ip, &h)) {
      ++without;
      continue;
    }
    ++withHistory;
    const auto s = sumOf(h);
    if (h.complete) {
      QCOMPARE(s.at("tx_packets"), host.txPackets);
      QCOMPARE(s.at("rx_bytes"), host.rxBytes);
    } else {
      QVERIFY(s.at("tx_packets") + s.at("rx_packets") < host.txPackets + host.rxPackets);
    }
  }
  QCOMPARE(withHistory, 2);
  QVERIFY(without >= 3);
  // A group with members that have no history is a partial sum, and says so.
  HistoryQuery group;
  group.isGlobal = false;
  group.group = "everyone";
  for (const auto& host : p.hosts()) group.members.push_back(host.ip);
  protocol::HistoryReply partial;
  std::string groupProblem;
  QVERIFY2(p.history(group, &partial, &groupProblem), groupProblem.c_str());
  QVERIFY(!partial.complete);
  QVERIFY(sumOf(partial).at("tx_packets") < p.global().packets);
  // A group without members is an empty series, not an error.
  group.members.clear();
  QVERIFY(p.history(group, &partial, &groupProblem));
  QVERIFY(partial.buckets.empty());
  QVERIFY(partial.complete);
  protocol::HistoryReply h;
  std::string problem;
  HistoryQuery q;
  q.isGlobal = false;
  q.ip = *netlens::net::IpAddress::parse("192.0.2.254");
  QVERIFY(!p.history(q, &h, &problem));
  QVERIFY2(problem.find("no history of 192.0.2.254") == 0, problem.c_str());
}

void TestHistoryCorpus::connectionSumsEqualCounters() {
  QFETCH(QString, capture);
  QFETCH(int, workers);
  PipelineConfig config;
  config.workers = workers;
  Pipeline p(config);
  std::string error;
  if (!analyse(p, capture, &error)) QSKIP(error.c_str());
  const protocol::GlobalStats g = p.global();
  constexpr std::int64_t kS = 1'000'000'000;
  // Files stitched from captures years apart do not fit the hour ring (a week).
  if (g.lastPacket / kS - g.firstPacket / kS >= 167 * 3600) QSKIP("longer than the hour ring");
  const auto records = p.connections();
  // A reused 5-tuple has a finished record and a live one under one key: only the live
  // connection has a history, so such keys are left out.
  std::map<std::string, int> perKey;
  const auto keyOf = [](const protocol::ConnectionRecord& r) {
    return std::to_string(r.protocol) + ' ' + r.clientIp.toString() + ' ' +
           std::to_string(r.clientPort) + ' ' + r.serverIp.toString() + ' ' +
           std::to_string(r.serverPort);
  };
  for (const auto& r : records) ++perKey[keyOf(r)];
  int checked = 0;
  for (const auto& r : records) {
    if (perKey[keyOf(r)] != 1) continue;
    HistoryQuery q;
    q.isGlobal = false;
    q.resolution = Resolution::Hour;
    q.connection = netlens::node::analysis::ConnectionEnds{r.protocol, r.clientIp,   r.clientPort,
                                                           r.serverIp, r.serverPort, -1};
    protocol::HistoryReply h;
    std::string problem;
    QVERIFY2(p.history(q, &h, &problem), problem.c_str());
    QCOMPARE(h.series, std::string("connection"));
    if (!h.complete) continue;
    const auto s = sumOf(h);
    const QString what = QString::fromStdString(keyOf(r));
    QVERIFY2(s.at("c2s_packets") == r.c2sPackets && s.at("c2s_bytes") == r.c2sBytes &&
                 s.at("s2c_packets") == r.s2cPackets && s.at("s2c_bytes") == r.s2cBytes,
             qPrintable(QStringLiteral("%1: history %2/%3 %4/%5, counters %6/%7 %8/%9")
                            .arg(what)
                            .arg(s.at("c2s_packets"))
                            .arg(s.at("c2s_bytes"))
                            .arg(s.at("s2c_packets"))
                            .arg(s.at("s2c_bytes"))
                            .arg(r.c2sPackets)
                            .arg(r.c2sBytes)
                            .arg(r.s2cPackets)
                            .arg(r.s2cBytes)));
    ++checked;
  }
  // Fewer connections than history slots: every one of them is complete.
  if (records.size() < 1024)
    QCOMPARE(checked,
             static_cast<int>(perKey.size()) -
                 static_cast<int>(std::count_if(perKey.begin(), perKey.end(),
                                                [](const auto& k) { return k.second != 1; })));
}

// A connection the node does not hold, and one beyond the history budget, are errors that
// say which; parameters are checked with clear messages.
void TestHistoryCorpus::connectionHistoryErrors() {
  PipelineConfig config;
  config.connections.historyConnections = 1;
  Pipeline p(config);
  std::string error;
  QVERIFY2(p.addFile(ref::capturePath("http_browsing_bro_org.pcap").toStdString(), &error),
           error.c_str());
  p.start();
  p.waitForFiles();
  const auto records = p.connections();
  QVERIFY(records.size() > 2);
  int withHistory = 0;
  int without = 0;
  for (const auto& r : records) {
    HistoryQuery q;
    q.isGlobal = false;
    // The ends in either order name the same connection.
    q.connection = netlens::node::analysis::ConnectionEnds{r.protocol, r.serverIp,   r.serverPort,
                                                           r.clientIp, r.clientPort, -1};
    protocol::HistoryReply h;
    std::string problem;
    if (p.history(q, &h, &problem)) {
      ++withHistory;
      QCOMPARE(sumOf(h).at("c2s_packets"), r.c2sPackets);  // still client first
    } else {
      ++without;
      QVERIFY2(problem.find("--history-connections") != std::string::npos, problem.c_str());
    }
  }
  QCOMPARE(withHistory, 1);
  QCOMPARE(without, static_cast<int>(records.size()) - 1);
  HistoryQuery unknown;
  unknown.isGlobal = false;
  unknown.connection =
      netlens::node::analysis::ConnectionEnds{6, *netlens::net::IpAddress::parse("192.0.2.1"),
                                              1, *netlens::net::IpAddress::parse("192.0.2.2"),
                                              2, -1};
  protocol::HistoryReply h;
  std::string problem;
  QVERIFY(!p.history(unknown, &h, &problem));
  QVERIFY2(problem.find("no such connection") == 0, problem.c_str());
}

QTEST_GUILESS_MAIN(TestHistoryCorpus)
#include "tst_history_corpus.moc"
