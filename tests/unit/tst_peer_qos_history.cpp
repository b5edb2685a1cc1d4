// SPDX-License-Identifier: MIT
// History per peer pair and per QoS class of an address (PeerQosHistory, KeyedHistories)
// with exact expectations from hand-made segments: direction of the counters from either
// end, the three QoS layers, the budget (refusal while everyone is busy, eviction of the
// least recently active once it is quiet, "complete" after a loss); and the "history"
// parameters of the new series: accepted requests survive the protocol codec, malformed ones
// get a message that names the problem.

#include <QTest>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "node/analysis/peer_qos_history.h"
#include "node/service/history_selection.h"
#include "shared/protocol/codec.h"

using namespace netlens;
using node::analysis::FlowSegment;
using node::analysis::History;
using node::analysis::PeerQosHistory;
using node::analysis::PeerQosHistoryConfig;
using node::analysis::QosLayer;
using node::analysis::Resolution;

namespace {

constexpr std::int64_t kS = 1'000'000'000;
constexpr std::int64_t kBase = 1'699'999'200 * kS;
constexpr std::int64_t kAll0 = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kAll1 = std::numeric_limits<std::int64_t>::max();

net::IpAddress ip(const char* text) {
  return *net::IpAddress::parse(text);
}

FlowSegment segment(const char* src, const char* dst, std::int64_t ts, std::uint32_t bytes,
                    std::uint8_t dscp = 0, int pcp = -1, int tc = -1) {
  FlowSegment s;
  s.ts = ts;
  s.wireLength = bytes;
  s.src = ip(src);
  s.dst = ip(dst);
  s.dscp = dscp;
  s.vlanPcp = static_cast<std::int8_t>(pcp);
  s.mplsTc = static_cast<std::int8_t>(tc);
  return s;
}

/// The sums over the hour buckets of `h` (4 counters), swapped to the other end's view.
std::vector<std::uint64_t> sums(const History* h, bool swapped = false) {
  std::vector<std::uint64_t> out(4, 0);
  if (h == nullptr) return out;
  for (const auto& b : h->buckets(Resolution::Hour, kAll0, kAll1)) {
    for (std::size_t i = 0; i < 4; ++i) out[i] += b.values[i];
  }
  if (swapped) {
    std::swap(out[0], out[2]);
    std::swap(out[1], out[3]);
  }
  return out;
}

using Counters = std::vector<std::uint64_t>;

std::optional<node::pipeline::HistoryQuery> parse(protocol::Params params, std::string* problem) {
  // Through the wire first: what the console sends is what the node reads.
  protocol::Request request;
  request.requestId = 7;
  request.operation = "history";
  request.params = std::move(params);
  const auto decoded = protocol::decodeRequest(protocol::encodeRequest(request));
  if (!decoded) {
    *problem = "codec: " + decoded.error();
    return std::nullopt;
  }
  return node::service::parseHistoryQuery(decoded.value().params, problem);
}

}  // namespace

Q_DECLARE_METATYPE(netlens::protocol::Params)

class TestPeerQosHistory : public QObject {
  Q_OBJECT

 private slots:
  void peerCountersByDirection();
  void qosClassesPerLayer();
  void budgetRefusesWhileBusy();
  void budgetEvictsLeastRecentlyActive();
  void switchedOff();
  void manyKeysThroughSmallBudget();
  void selections_data();
  void selections();
  void malformedSelections_data();
  void malformedSelections();
};

void TestPeerQosHistory::peerCountersByDirection() {
  PeerQosHistory h(PeerQosHistoryConfig{});
  h.process(segment("10.0.0.2", "10.0.0.1", kBase, 100));
  h.process(segment("10.0.0.1", "10.0.0.2", kBase + kS, 60));
  h.process(segment("10.0.0.1", "10.0.0.2", kBase + 2 * kS, 40));
  h.process(segment("10.0.0.1", "10.0.0.3", kBase + 2 * kS, 1000));
  h.process(segment("10.0.0.4", "10.0.0.4", kBase + 2 * kS, 10));  // to itself
  bool swapped = false;
  bool complete = false;
  const History* a = h.peerHistory(ip("10.0.0.1"), ip("10.0.0.2"), &swapped, &complete);
  QVERIFY(a != nullptr);
  QVERIFY(complete);
  QCOMPARE(sums(a, swapped), (Counters{2, 100, 1, 100}));
  const History* b = h.peerHistory(ip("10.0.0.2"), ip("10.0.0.1"), &swapped, &complete);
  QCOMPARE(a, b);
  QCOMPARE(sums(b, swapped), (Counters{1, 100, 2, 100}));
  // One bucket per second at 1 s resolution.
  const auto seconds = a->buckets(Resolution::Second, kAll0, kAll1);
  QCOMPARE(seconds.size(), std::size_t{3});
  QCOMPARE(seconds[0].start, kBase);
  const History* self = h.peerHistory(ip("10.0.0.4"), ip("10.0.0.4"), &swapped, &complete);
  QCOMPARE(sums(self, swapped), (Counters{1, 10, 1, 10}));
  QVERIFY(h.peerHistory(ip("10.0.0.2"), ip("10.0.0.3"), &swapped, &complete) == nullptr);
  QCOMPARE(h.peerCount(), std::size_t{3});
}

void TestPeerQosHistory::qosClassesPerLayer() {
  PeerQosHistory h(PeerQosHistoryConfig{});
  h.process(segment("10.0.0.1", "10.0.0.2", kBase, 200, 46, 5, -1));
  h.process(segment("10.0.0.1", "10.0.0.2", kBase + kS, 100, 46, 5, 3));
  h.process(segment("10.0.0.2", "10.0.0.1", kBase + kS, 80, 0, -1, -1));
  h.process(segment("10.0.0.2", "10.0.0.1", kBase + 3 * kS, 70, 46, 6, 3));
  bool complete = false;
  QCOMPARE(sums(h.qosHistory(ip("10.0.0.1"), QosLayer::Dscp, 46, &complete)),
           (Counters{2, 300, 1, 70}));
  QVERIFY(complete);
  QCOMPARE(sums(h.qosHistory(ip("10.0.0.2"), QosLayer::Dscp, 46, &complete)),
           (Counters{1, 70, 2, 300}));
  QCOMPARE(sums(h.qosHistory(ip("10.0.0.1"), QosLayer::Dscp, 0, &complete)),
           (Counters{0, 0, 1, 80}));
  QCOMPARE(sums(h.qosHistory(ip("10.0.0.1"), QosLayer::VlanPcp, 5, &complete)),
           (Counters{2, 300, 0, 0}));
  QCOMPARE(sums(h.qosHistory(ip("10.0.0.1"), QosLayer::VlanPcp, 6, &complete)),
           (Counters{0, 0, 1, 70}));
  QCOMPARE(sums(h.qosHistory(ip("10.0.0.2"), QosLayer::MplsTc, 3, &complete)),
           (Counters{1, 70, 1, 100}));
  // Untagged and unlabelled packets belong to no PCP or TC class.
  QVERIFY(h.qosHistory(ip("10.0.0.1"), QosLayer::VlanPcp, 0, &complete) == nullptr);
  QVERIFY(h.qosHistory(ip("10.0.0.1"), QosLayer::MplsTc, 0, &complete) == nullptr);
  QVERIFY(h.qosHistory(ip("10.0.0.1"), QosLayer::Dscp, 10, &complete) == nullptr);
  QCOMPARE(PeerQosHistory::layerName(QosLayer::VlanPcp), "vlan_pcp");
}

// Room for two pairs, everyone busy within the minute: the third pair gets no history, and
// the first two keep theirs, complete.
void TestPeerQosHistory::budgetRefusesWhileBusy() {
  PeerQosHistoryConfig config;
  config.peerHistories = 2;
  config.qosHistories = 2;
  PeerQosHistory h(config);
  h.process(segment("10.0.0.1", "10.0.0.2", kBase, 10));
  h.process(segment("10.0.0.1", "10.0.0.3", kBase + kS, 10));
  h.process(segment("10.0.0.1", "10.0.0.4", kBase + 2 * kS, 10));
  bool swapped = false;
  bool complete = false;
  QVERIFY(h.peerHistory(ip("10.0.0.1"), ip("10.0.0.2"), &swapped, &complete));
  QVERIFY(complete);
  QVERIFY(h.peerHistory(ip("10.0.0.1"), ip("10.0.0.3"), &swapped, &complete));
  QVERIFY(!h.peerHistory(ip("10.0.0.1"), ip("10.0.0.4"), &swapped, &complete));
  QVERIFY(h.peersMayMiss());
  QCOMPARE(h.peerEvictions(), std::uint64_t{0});
  // QoS: 10.0.0.1 and 10.0.0.2 with DSCP 0 took both slots.
  QVERIFY(h.qosHistory(ip("10.0.0.1"), QosLayer::Dscp, 0, &complete));
  QVERIFY(!h.qosHistory(ip("10.0.0.3"), QosLayer::Dscp, 0, &complete));
  QVERIFY(h.qosMayMiss());
}

// Once the least recently active pair has been quiet for the reclaim time, a new pair takes
// its history; the new one is marked incomplete (the table lost track of pairs), the
// survivor keeps every packet.
void TestPeerQosHistory::budgetEvictsLeastRecentlyActive() {
  PeerQosHistoryConfig config;
  config.peerHistories = 2;
  config.reclaimIdleNs = 10 * kS;
  PeerQosHistory h(config);
  h.process(segment("10.0.0.1", "10.0.0.2", kBase, 10));           // A
  h.process(segment("10.0.0.1", "10.0.0.3", kBase + kS, 20));      // B
  h.process(segment("10.0.0.2", "10.0.0.1", kBase + 5 * kS, 30));  // A again: B is the oldest
  h.process(segment("10.0.0.1", "10.0.0.4", kBase + 8 * kS, 40));  // C: B quiet for 7 s only
  bool swapped = false;
  bool complete = false;
  QVERIFY(!h.peerHistory(ip("10.0.0.1"), ip("10.0.0.4"), &swapped, &complete));
  h.process(segment("10.0.0.4", "10.0.0.1", kBase + 12 * kS, 50));  // C: B quiet for 11 s
  QCOMPARE(h.peerEvictions(), std::uint64_t{1});
  QVERIFY(!h.peerHistory(ip("10.0.0.1"), ip("10.0.0.3"), &swapped, &complete));
  const History* a = h.peerHistory(ip("10.0.0.1"), ip("10.0.0.2"), &swapped, &complete);
  QVERIFY(complete);
  QCOMPARE(sums(a, swapped), (Counters{1, 10, 1, 30}));
  const History* c = h.peerHistory(ip("10.0.0.1"), ip("10.0.0.4"), &swapped, &complete);
  QVERIFY(c != nullptr);
  QVERIFY(!complete);  // its packet at 8 s is missing
  QCOMPARE(sums(c, swapped), (Counters{0, 0, 1, 50}));
  QCOMPARE(h.peerCount(), std::size_t{2});
  // The evicted pair comes back when a slot is quiet long enough again.
  h.process(segment("10.0.0.3", "10.0.0.1", kBase + 30 * kS, 60));
  QVERIFY(h.peerHistory(ip("10.0.0.1"), ip("10.0.0.3"), &swapped, &complete));
  QCOMPARE(h.peerEvictions(), std::uint64_t{2});
  QVERIFY(h.memoryBytes() >= 2 * History::memoryBytesFor(4, config.history));
}

void TestPeerQosHistory::switchedOff() {
  PeerQosHistoryConfig config;
  config.peerHistories = 0;
  config.qosHistories = 0;
  PeerQosHistory h(config);
  h.process(segment("10.0.0.1", "10.0.0.2", kBase, 10, 46));
  bool swapped = false;
  bool complete = false;
  QVERIFY(!h.peerHistory(ip("10.0.0.1"), ip("10.0.0.2"), &swapped, &complete));
  QVERIFY(!h.qosHistory(ip("10.0.0.1"), QosLayer::Dscp, 46, &complete));
  QCOMPARE(h.memoryBytes() < 1024, true);
}

// 5000 pairs through a budget of 64 that frees a history after 1 s of quiet: each new pair
// (one per second) takes the history of the pair 64 before it. The index keeps exactly the
// last 64, each with its own packet, however often cells were removed from its probe runs.
void TestPeerQosHistory::manyKeysThroughSmallBudget() {
  PeerQosHistoryConfig config;
  config.peerHistories = 64;
  config.qosHistories = 0;
  config.history = {4, 2, 2};
  config.reclaimIdleNs = kS;
  PeerQosHistory h(config);
  const auto address = [](int i) {
    return QStringLiteral("10.%1.%2.1").arg(i / 200).arg(i % 200).toStdString();
  };
  constexpr int kPairs = 5000;
  for (int i = 0; i < kPairs; ++i) {
    h.process(segment("192.0.2.1", address(i).c_str(), kBase + i * kS, 100 + i));
    QCOMPARE(h.peerCount(), std::size_t(std::min(i + 1, 64)));
  }
  QCOMPARE(h.peerEvictions(), std::uint64_t{kPairs - 64});
  bool swapped = false;
  bool complete = true;
  for (int i = 0; i < kPairs; ++i) {
    const History* pair =
        h.peerHistory(ip("192.0.2.1"), ip(address(i).c_str()), &swapped, &complete);
    if (i < kPairs - 64) {
      QVERIFY2(pair == nullptr, address(i).c_str());
      continue;
    }
    QVERIFY2(pair != nullptr, address(i).c_str());
    QVERIFY(!complete);
    QCOMPARE(sums(pair, swapped), (Counters{1, std::uint64_t(100 + i), 0, 0}));
  }
}

void TestPeerQosHistory::selections_data() {
  QTest::addColumn<protocol::Params>("params");
  QTest::addColumn<bool>("isPeer");
  QTest::addColumn<int>("layer");
  QTest::addColumn<int>("value");
  QTest::newRow("peer") << protocol::Params{{"series", "peer"},
                                            {"ip", "10.0.0.1"},
                                            {"peer", "2001:db8::1"},
                                            {"resolution", "1m"}}
                        << true << -1 << -1;
  QTest::newRow("dscp EF") << protocol::Params{{"series", "qos"},
                                               {"ip", "10.0.0.1"},
                                               {"layer", "dscp"},
                                               {"class", "46"}}
                           << false << 0 << 46;
  QTest::newRow("vlan pcp") << protocol::Params{{"series", "qos"},
                                                {"ip", "10.0.0.1"},
                                                {"layer", "vlan_pcp"},
                                                {"class", "7"}}
                            << false << 1 << 7;
  QTest::newRow("mpls tc") << protocol::Params{{"series", "qos"},    {"ip", "::1"},
                                               {"layer", "mpls_tc"}, {"class", "0"},
                                               {"from", "5"},        {"to", "9"}}
                           << false << 2 << 0;
}

void TestPeerQosHistory::selections() {
  QFETCH(protocol::Params, params);
  QFETCH(bool, isPeer);
  QFETCH(int, layer);
  QFETCH(int, value);
  std::string problem;
  const auto q = parse(params, &problem);
  QVERIFY2(q.has_value(), problem.c_str());
  QVERIFY(!q->isGlobal);
  QCOMPARE(q->ip, ip(params.at("ip").c_str()));
  QCOMPARE(q->peer.has_value(), isPeer);
  if (isPeer) QCOMPARE(*q->peer, ip(params.at("peer").c_str()));
  QCOMPARE(q->qos.has_value(), !isPeer);
  if (!isPeer) {
    QCOMPARE(static_cast<int>(q->qos->layer), layer);
    QCOMPARE(static_cast<int>(q->qos->value), value);
  }
  QVERIFY(!q->connection && !q->group);
}

void TestPeerQosHistory::malformedSelections_data() {
  QTest::addColumn<protocol::Params>("params");
  QTest::addColumn<QString>("message");
  QTest::newRow("peer without peer") << protocol::Params{{"series", "peer"}, {"ip", "10.0.0.1"}}
                                     << "series peer needs ip and peer";
  QTest::newRow("peer without ip") << protocol::Params{{"series", "peer"}, {"peer", "10.0.0.1"}}
                                   << "series peer needs ip and peer";
  QTest::newRow("bad peer") << protocol::Params{{"series", "peer"},
                                                {"ip", "10.0.0.1"},
                                                {"peer", "10.0.0.300"}}
                            << "parameter peer: \"10.0.0.300\" is not an IPv4 or IPv6 address";
  QTest::newRow("peer with ip series")
      << protocol::Params{{"series", "ip"}, {"ip", "10.0.0.1"}, {"peer", "10.0.0.2"}}
      << "parameter peer goes with series peer, not with series ip";
  QTest::newRow("qos without class")
      << protocol::Params{{"series", "qos"}, {"ip", "10.0.0.1"}, {"layer", "dscp"}}
      << "series qos needs ip, layer (dscp, vlan_pcp or mpls_tc) and class";
  QTest::newRow("qos without layer")
      << protocol::Params{{"series", "qos"}, {"ip", "10.0.0.1"}, {"class", "3"}}
      << "series qos needs ip, layer";
  QTest::newRow("bad layer") << protocol::Params{{"series", "qos"},
                                                 {"ip", "10.0.0.1"},
                                                 {"layer", "tos"},
                                                 {"class", "3"}}
                             << "parameter layer: \"tos\" is not dscp, vlan_pcp or mpls_tc";
  QTest::newRow("dscp 64") << protocol::Params{{"series", "qos"},
                                               {"ip", "10.0.0.1"},
                                               {"layer", "dscp"},
                                               {"class", "64"}}
                           << "parameter class: \"64\" is not a marking value";
  QTest::newRow("pcp 8") << protocol::Params{{"series", "qos"},
                                             {"ip", "10.0.0.1"},
                                             {"layer", "vlan_pcp"},
                                             {"class", "8"}}
                         << "parameter class: 8 is not a vlan_pcp value (0 to 7)";
  QTest::newRow("class text") << protocol::Params{{"series", "qos"},
                                                  {"ip", "10.0.0.1"},
                                                  {"layer", "dscp"},
                                                  {"class", "EF"}}
                              << "parameter class: \"EF\" is not a marking value";
  QTest::newRow("layer with global") << protocol::Params{{"layer", "dscp"}, {"class", "1"}}
                                     << "parameters layer and class go with series qos";
  QTest::newRow("unknown series") << protocol::Params{{"series", "pair"}}
                                  << "parameter series: \"pair\" is not global, ip, group, "
                                     "connection, peer, qos or handshake";
}

void TestPeerQosHistory::malformedSelections() {
  QFETCH(protocol::Params, params);
  QFETCH(QString, message);
  std::string problem;
  QVERIFY(!parse(params, &problem).has_value());
  QVERIFY2(QString::fromStdString(problem).startsWith(message), problem.c_str());
}

QTEST_GUILESS_MAIN(TestPeerQosHistory)
#include "tst_peer_qos_history.moc"
