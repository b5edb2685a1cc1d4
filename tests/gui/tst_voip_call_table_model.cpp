// SPDX-License-Identifier: MIT
// The VoIP calls table (CallTableModel behind CallFilterProxy), both checked by
// QAbstractItemModelTester: a node's answer updates its rows in place (a selection survives),
// drops the calls it no longer lists and leaves other nodes' rows alone; the call's streams
// give its codecs, loss and jitter, its directions the MOS of caller and callee; the proxy
// filters on text and on expressions and sorts on the raw values; the CSV text is raw. With
// many calls and streams, rows vanishing in the middle go a range at once (or by a reset
// when most go, or in many gaps) and the rows left keep their own figures.

#include <QAbstractItemModelTester>
#include <QPersistentModelIndex>
#include <QSignalSpy>
#include <QTest>

#include <functional>
#include <string>

#include "app/models/call_filter_proxy.h"
#include "app/models/call_table_model.h"

using namespace netlens;
using app::models::CallFilterProxy;
using app::models::CallTableModel;

namespace {

constexpr protocol::TimeNs kStart = 1'700'000'000'000'000'000;

protocol::RtpStreamRecord stream(std::uint32_t ssrc, const char* src, const char* callId,
                                 std::int64_t expected, std::int64_t lost, double jitter) {
  protocol::RtpStreamRecord s;
  s.ssrc = ssrc;
  s.srcIp = *net::IpAddress::parse(src);
  s.dstIp = *net::IpAddress::parse("192.0.2.99");
  s.callId = callId;
  s.codec = "PCMA";
  s.expected = expected;
  s.packets = static_cast<std::uint64_t>(expected - lost);
  s.lost = lost;
  s.maxJitterMs = jitter;
  return s;
}

protocol::CallRecord call(const char* id, const char* from, const char* state, int startS) {
  protocol::CallRecord c;
  c.callId = id;
  c.from = from;
  c.to = "sip:bob@example.com";
  c.state = state;
  c.start = kStart + startS * 1'000'000'000LL;
  c.counters.messages = 5;
  protocol::SipMessageRecord invite;
  invite.time = c.start;
  invite.isRequest = true;
  invite.method = "INVITE";
  // The callee's stream is listed first: the caller is found from the INVITE's sender.
  invite.srcIp = *net::IpAddress::parse("192.0.2.1");
  c.messages = {invite};
  return c;
}

/// The answer of a node with the calls `ids` of many: call i has streams 2i (i % 10 of 100
/// lost, jitter 1) and 2i + 1 (none lost, jitter i + 0.25 + `bump`), and a stream with its
/// Call-ID but an SSRC it does not list (all lost, never counted).
struct Answer {
  std::vector<protocol::CallRecord> calls;
  std::vector<protocol::RtpStreamRecord> streams;
};

Answer manyCalls(const std::vector<int>& ids, double bump) {
  Answer a;
  for (int i : ids) {
    const std::string id = "call-" + std::to_string(i);
    auto c = call(id.c_str(), "sip:alice@example.com", "answered", i);
    const auto ssrc = static_cast<std::uint32_t>(2 * i);
    c.ssrcs = {ssrc, ssrc + 1};
    a.calls.push_back(c);
    a.streams.push_back(stream(ssrc, "192.0.2.1", id.c_str(), 100, i % 10, 1));
    a.streams.push_back(stream(ssrc + 1, "192.0.2.2", id.c_str(), 100, 0, i + 0.25 + bump));
    a.streams.push_back(stream(100000 + ssrc, "192.0.2.3", id.c_str(), 100, 100, 500));
  }
  return a;
}

std::vector<int> idsExcept(int count, const std::function<bool(int)>& gone) {
  std::vector<int> ids;
  for (int i = 0; i < count; ++i)
    if (!gone(i)) ids.push_back(i);
  return ids;
}

/// Every row of the node is a call of `ids` with its own figures, each call once.
void checkRows(const CallTableModel& model, const QString& nodeId, const std::vector<int>& ids,
               double bump) {
  std::vector<int> seen;
  for (int r = 0; r < model.rowCount(); ++r) {
    const CallTableModel::Row& row = model.row(r);
    if (row.nodeId != nodeId) continue;
    const int i = std::stoi(row.call.callId.substr(5));
    seen.push_back(i);
    QCOMPARE(*row.lossPercent, (i % 10) * 0.5);
    QCOMPARE(*row.maxJitterMs, std::max(1.0, i + 0.25 + bump));
    QCOMPARE(row.codecs, QString("PCMA"));
  }
  std::sort(seen.begin(), seen.end());
  QCOMPARE(seen, ids);
}

}  // namespace

class TestVoipCallTableModel : public QObject {
  Q_OBJECT

 private slots:
  void rowsFromAnswers() {
    CallTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto a = call("a", "sip:alice@example.com", "answered", 0);
    a.ssrcs = {1, 2};
    a.directions = {{"192.0.2.2", {2}, 3.1}, {"192.0.2.1", {1}, 4.2}};
    a.durationNs = 65'000'000'000;
    const std::vector<protocol::RtpStreamRecord> streams = {
        stream(1, "192.0.2.1", "a", 100, 2, 3.5), stream(2, "192.0.2.2", "a", 300, 6, 12.25),
        stream(3, "192.0.2.3", "other", 50, 50, 99)};
    model.setNodeCalls("n1", "edge-1", {a, call("b", "sip:carol@example.com", "ringing", 5)},
                       streams);
    QCOMPARE(model.rowCount(), 2);
    const int row = model.findRow("n1", "a");
    QVERIFY(row >= 0);
    const auto text = [&](int r, int column) {
      return model.data(model.index(r, column)).toString();
    };
    QCOMPARE(text(row, CallTableModel::Node), QString("edge-1"));
    QCOMPARE(text(row, CallTableModel::From), QString("sip:alice@example.com"));
    QCOMPARE(text(row, CallTableModel::State), QString("answered"));
    QCOMPARE(text(row, CallTableModel::Duration), QString("1:05"));
    QCOMPARE(text(row, CallTableModel::Codecs), QString("PCMA"));
    QCOMPARE(model.row(row).mosForward, std::optional<double>(4.2));
    QCOMPARE(model.row(row).mosBackward, std::optional<double>(3.1));
    // 8 of 400 lost; the other call's stream does not count.
    QCOMPARE(*model.row(row).lossPercent, 2.0);
    QCOMPARE(*model.row(row).maxJitterMs, 12.25);
    const int ringing = model.findRow("n1", "b");
    QVERIFY(!model.row(ringing).lossPercent.has_value());
    QCOMPARE(text(ringing, CallTableModel::MosForward), QString());

    // The next answer: "a" ended, "b" gone, "c" new; a second node's rows stay.
    model.setNodeCalls("n2", "edge-2", {call("a", "sip:dave@example.com", "trying", 9)}, {});
    QPersistentModelIndex kept(model.index(row, CallTableModel::State));
    a.state = "ended";
    model.setNodeCalls("n1", "edge-1", {a, call("c", "sip:erin@example.com", "failed", 7)},
                       streams);
    QCOMPARE(model.rowCount(), 3);
    QVERIFY(kept.isValid());
    QCOMPARE(kept.data().toString(), QString("ended"));
    QCOMPARE(model.findRow("n1", "b"), -1);
    QVERIFY(model.findRow("n1", "c") >= 0);
    QVERIFY(model.findRow("n2", "a") >= 0);
    model.removeNode("n1");
    QCOMPARE(model.rowCount(), 1);
  }

  void manyCallsVanishInTheMiddle_data() {
    QTest::addColumn<int>("gone");  // which calls the second answer no longer lists
    QTest::addColumn<int>("removals");
    QTest::addColumn<int>("resets");
    // Three ranges (one of 40 rows): three removals, no reset.
    QTest::newRow("ranges") << 0 << 3 << 0;
    // 200 of 300 rows: a reset.
    QTest::newRow("most") << 1 << 0 << 1;
    // Every other call of the first 100: 50 gaps, a reset.
    QTest::newRow("gaps") << 2 << 0 << 1;
  }
  void manyCallsVanishInTheMiddle() {
    QFETCH(int, gone);
    QFETCH(int, removals);
    QFETCH(int, resets);
    constexpr int kCalls = 300;
    const std::vector<std::function<bool(int)>> rules = {
        [](int i) { return (i >= 100 && i < 140) || i == 7 || i == 250; },
        [](int i) { return i >= 50 && i < 250; },
        [](int i) { return i < 100 && i % 2 == 1; },
    };
    CallTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto all = idsExcept(kCalls, [](int) { return false; });
    const Answer first = manyCalls(all, 0);
    model.setNodeCalls("n1", "edge-1", first.calls, first.streams);
    model.setNodeCalls("n2", "edge-2", {call("z", "sip:zoe@example.com", "ringing", 1)}, {});
    checkRows(model, "n1", all, 0);

    // The next answer: calls gone, the jitter of the others grown, two new calls.
    const auto kept = idsExcept(kCalls, rules[static_cast<std::size_t>(gone)]);
    auto next = kept;
    next.push_back(kCalls);
    next.push_back(kCalls + 1);
    const Answer second = manyCalls(next, 2);
    QPersistentModelIndex last(model.index(kCalls - 1, CallTableModel::MaxJitter));
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setNodeCalls("n1", "edge-1", second.calls, second.streams);
    QCOMPARE(removed.count(), removals);
    QCOMPARE(reset.count(), resets);
    QCOMPARE(model.rowCount(), static_cast<int>(next.size()) + 1);
    checkRows(model, "n1", next, 2);
    QVERIFY(model.findRow("n2", "z") >= 0);
    if (resets == 0) {
      // The last call's row moved up past the removed ones, with its new figures.
      QVERIFY(last.isValid());
      QCOMPARE(QString::fromStdString(model.row(last.row()).call.callId),
               QString("call-%1").arg(kCalls - 1));
      QCOMPARE(*model.row(last.row()).maxJitterMs, kCalls - 1 + 2.25);
    }
  }

  void filterAndSort_data() {
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QStringList>("callIds");
    QTest::newRow("all") << "" << QStringList{"a", "b", "c"};
    QTest::newRow("text in From") << "carol" << QStringList{"b"};
    QTest::newRow("text in Call-ID") << "c" << QStringList{"a", "b", "c"};
    QTest::newRow("state") << "(state == \"failed\")" << QStringList{"c"};
    QTest::newRow("MOS") << "(mos_forward < 4)" << QStringList{"a"};
    QTest::newRow("loss") << "(loss > 1)" << QStringList{"a"};
    QTest::newRow("codec") << "(codecs contains \"PCMA\")" << QStringList{"a"};
  }
  void filterAndSort() {
    QFETCH(QString, filter);
    QFETCH(QStringList, callIds);
    CallTableModel model;
    CallFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto a = call("a", "sip:alice@example.com", "answered", 0);
    a.ssrcs = {1};
    a.directions = {{"192.0.2.1", {1}, 3.5}};
    model.setNodeCalls("n1", "edge-1",
                       {a, call("b", "sip:carol@example.com", "ringing", 20),
                        call("c", "sip:erin@example.com", "failed", 10)},
                       {stream(1, "192.0.2.1", "a", 100, 5, 1)});
    QVERIFY2(proxy.setFilterText(filter), qPrintable(proxy.filterError().message));
    proxy.sort(CallTableModel::Start, Qt::AscendingOrder);
    QStringList shown;
    for (int r = 0; r < proxy.rowCount(); ++r)
      shown << QString::fromStdString(
          model.row(proxy.mapToSource(proxy.index(r, 0)).row()).call.callId);
    QStringList expected = callIds;
    // Start order: a (0 s), c (10 s), b (20 s).
    std::sort(expected.begin(), expected.end(), [](const QString& l, const QString& r) {
      const QString order = "acb";
      return order.indexOf(l) < order.indexOf(r);
    });
    QCOMPARE(shown, expected);
  }

  void csvText() {
    CallTableModel model;
    auto a = call("a", "sip:alice@example.com", "ended", 0);
    a.durationNs = 1'500'000'000;
    a.ssrcs = {1};
    a.directions = {{"192.0.2.1", {1}, 4.25}};
    model.setNodeCalls("n1", "edge-1", {a}, {stream(1, "192.0.2.1", "a", 200, 1, 2.5)});
    const auto rows = model.exportRows({0});
    QCOMPARE(CallTableModel::exportText(rows[0], CallTableModel::Start),
             QString("2023-11-14T22:13:20.000000000Z"));
    QCOMPARE(CallTableModel::exportText(rows[0], CallTableModel::Duration), QString("1.5"));
    QCOMPARE(CallTableModel::exportText(rows[0], CallTableModel::MosForward), QString("4.25"));
    QCOMPARE(CallTableModel::exportText(rows[0], CallTableModel::MosBackward), QString());
    QCOMPARE(CallTableModel::exportText(rows[0], CallTableModel::LossPercent), QString("0.5"));
    QCOMPARE(CallTableModel::exportText(rows[0], CallTableModel::State), QString("ended"));
  }
};

QTEST_MAIN(TestVoipCallTableModel)
#include "tst_voip_call_table_model.moc"
