// SPDX-License-Identifier: MIT
// Answers decoded in the background finish in any order: the VoIP tab and the IP detail VoIP
// tabs apply a node's decoded answer only when it is the newest of its kind that arrived from
// that node, and never after the node was removed (a late result does not bring it back).

#include <QAbstractProxyModel>
#include <QLabel>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

#include "app/core/answer_generations.h"
#include "app/models/call_table_model.h"
#include "app/models/summary_table_model.h"
#include "app/views/ip_voip_pages.h"
#include "app/views/voip_view.h"

using namespace netlens;
using namespace netlens::app;

namespace {

protocol::CallList calls(std::initializer_list<const char*> ids) {
  protocol::CallList list;
  for (const char* id : ids) {
    protocol::CallRecord c;
    c.callId = id;
    c.state = "answered";
    list.calls.push_back(c);
  }
  return list;
}

protocol::RtpStreamList streams(const char* src, std::initializer_list<std::uint32_t> ssrcs) {
  protocol::RtpStreamList list;
  for (std::uint32_t ssrc : ssrcs) {
    protocol::RtpStreamRecord s;
    s.ssrc = ssrc;
    s.srcIp = *net::IpAddress::parse(src);
    s.dstIp = *net::IpAddress::parse("192.0.2.99");
    list.streams.push_back(s);
  }
  return list;
}

protocol::SipStatistics sip(const char* ip, std::uint64_t invites) {
  protocol::SipStatistics stats;
  stats.counters.perIp[*net::IpAddress::parse(ip)].sentMethods["INVITE"] = invites;
  return stats;
}

QStringList callIds(const models::CallTableModel& model) {
  QStringList ids;
  for (int r = 0; r < model.rowCount(); ++r)
    ids << QString::fromStdString(model.row(r).call.callId);
  ids.sort();
  return ids;
}

}  // namespace

class TestVoipAnswerOrder : public QObject {
  Q_OBJECT

 private slots:
  void generations() {
    core::AnswerGenerations g;
    const quint64 first = g.next("n1", 0);
    const quint64 second = g.next("n1", 0);
    const quint64 other = g.next("n1", 1);
    QVERIFY(!g.isLatest("n1", 0, first));
    QVERIFY(g.isLatest("n1", 0, second));
    QVERIFY(g.isLatest("n1", 1, other));  // each kind has its own newest
    QVERIFY(!g.isLatest("n2", 0, second));
    g.remove("n1");
    QVERIFY(!g.isLatest("n1", 0, second));
    // The node back: its new answers never share a generation with the old ones.
    const quint64 again = g.next("n1", 0);
    QVERIFY(again != second && again != first);
    QVERIFY(!g.isLatest("n1", 0, second));
    QVERIFY(g.isLatest("n1", 0, again));
  }

  void voipViewOutOfOrder() {
    views::VoipView view(nullptr);
    const quint64 older = view.answerArrived("n1", views::VoipView::CallsAnswer);
    const quint64 newer = view.answerArrived("n1", views::VoipView::CallsAnswer);
    // The newer answer decodes first; the older one finishing later is dropped.
    view.applyCallsAnswer("n1", newer, calls({"b", "c"}));
    view.applyCallsAnswer("n1", older, calls({"a"}));
    QCOMPARE(callIds(*view.model()), (QStringList{"b", "c"}));
    // The streams are their own kind: a calls answer does not make them stale.
    const quint64 rtp = view.answerArrived("n1", views::VoipView::StreamsAnswer);
    const quint64 next = view.answerArrived("n1", views::VoipView::CallsAnswer);
    view.applyStreamsAnswer("n1", rtp, streams("192.0.2.1", {1}));
    view.applyCallsAnswer("n1", next, calls({"d"}));
    QCOMPARE(callIds(*view.model()), QStringList{"d"});
  }

  void voipViewKeepsSelectionAcrossReset() {
    views::VoipView view(nullptr);
    view.applyCalls("n1", calls({"a", "b", "c", "d", "e"}));
    auto* table = view.findChild<QTableView*>(QStringLiteral("callsTable"));
    QVERIFY(table != nullptr);
    const auto rowOf = [&](const char* id) {
      for (int r = 0; r < table->model()->rowCount(); ++r) {
        const QModelIndex source = qobject_cast<QAbstractProxyModel*>(table->model())
                                       ->mapToSource(table->model()->index(r, 0));
        if (view.model()->row(source.row()).call.callId == id) return r;
      }
      return -1;
    };
    table->selectionModel()->setCurrentIndex(
        table->model()->index(rowOf("c"), 0),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    // Four of five calls vanish: the model resets rather than removing rows one by one.
    QSignalSpy resets(view.model(), &QAbstractItemModel::modelReset);
    view.applyCalls("n1", calls({"c", "f"}));
    QCOMPARE(resets.count(), 1);
    QVERIFY(table->selectionModel()->currentIndex().isValid());
    QCOMPARE(table->selectionModel()->currentIndex().row(), rowOf("c"));
    QVERIFY(table->selectionModel()->isRowSelected(rowOf("c"), QModelIndex()));
    auto* title = view.findChild<QLabel*>(QStringLiteral("callTitle"));
    QVERIFY(title != nullptr);
    QVERIFY(!title->text().startsWith(QStringLiteral("Select a call")));
  }

  void voipViewRemovedNode() {
    views::VoipView view(nullptr);
    view.applyCallsAnswer("n2", view.answerArrived("n2", views::VoipView::CallsAnswer),
                          calls({"x"}));
    const quint64 running = view.answerArrived("n1", views::VoipView::CallsAnswer);
    const quint64 rtp = view.answerArrived("n1", views::VoipView::StreamsAnswer);
    view.removeNode("n1");
    view.applyStreamsAnswer("n1", rtp, streams("192.0.2.1", {1}));
    view.applyCallsAnswer("n1", running, calls({"a"}));
    QCOMPARE(callIds(*view.model()), QStringList{"x"});
  }

  void ipPagesOutOfOrder() {
    QTabWidget tabs;
    views::IpVoipPages pages(nullptr, *net::IpAddress::parse("192.0.2.1"), &tabs);
    const quint64 olderSip = pages.answerArrived("n1", views::IpVoipPages::SipAnswer);
    const quint64 newerSip = pages.answerArrived("n1", views::IpVoipPages::SipAnswer);
    const quint64 olderRtp = pages.answerArrived("n1", views::IpVoipPages::StreamsAnswer);
    const quint64 newerRtp = pages.answerArrived("n1", views::IpVoipPages::StreamsAnswer);
    pages.applySipAnswer("n1", newerSip, sip("192.0.2.1", 7));
    pages.applySipAnswer("n1", olderSip, sip("192.0.2.1", 3));
    pages.applyStreamsAnswer("n1", newerRtp, streams("192.0.2.1", {1, 2}));
    pages.applyStreamsAnswer("n1", olderRtp, streams("192.0.2.1", {1}));
    QCOMPARE(pages.sipModel()->rowCount(), 1);
    QCOMPARE(pages.sipModel()->rows()[0].values[1].toULongLong(), 7ULL);
    QCOMPARE(pages.rtpModel()->rowCount(), 2);
  }

  void ipPagesRemovedNode() {
    QTabWidget tabs;
    views::IpVoipPages pages(nullptr, *net::IpAddress::parse("192.0.2.1"), &tabs);
    const quint64 sipAnswer = pages.answerArrived("n1", views::IpVoipPages::SipAnswer);
    const quint64 rtpAnswer = pages.answerArrived("n1", views::IpVoipPages::StreamsAnswer);
    pages.removeNode("n1");
    pages.applySipAnswer("n1", sipAnswer, sip("192.0.2.1", 3));
    pages.applyStreamsAnswer("n1", rtpAnswer, streams("192.0.2.1", {1}));
    QCOMPARE(pages.sipModel()->rowCount(), 0);
    QCOMPARE(pages.rtpModel()->rowCount(), 0);
  }
};

QTEST_MAIN(TestVoipAnswerOrder)
#include "tst_voip_answer_order.moc"
