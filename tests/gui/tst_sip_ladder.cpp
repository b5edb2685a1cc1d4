// SPDX-License-Identifier: MIT
// The SIP ladder diagram: one column per participant (IP:port, in order of appearance), one
// arrow per message in time order whatever order they come in, arrows drawn from the
// sender's lifeline to the receiver's, a click on an arrow selects its message (and a click
// elsewhere clears the selection), the arrow keys walk through them, labels say the method or
// the status, and the widget asks for the room its diagram needs.

#include <QSignalSpy>
#include <QTest>

#include "app/views/sip_ladder_widget.h"

using namespace netlens;
using app::views::layoutLadder;
using app::views::SipLadderWidget;

namespace {

protocol::SipMessageRecord message(int ms, const char* src, std::uint16_t srcPort, const char* dst,
                                   std::uint16_t dstPort, const char* method, int code = 0) {
  protocol::SipMessageRecord m;
  m.time = 1'000'000'000'000 + ms * 1'000'000LL;
  m.srcIp = *net::IpAddress::parse(src);
  m.srcPort = srcPort;
  m.dstIp = *net::IpAddress::parse(dst);
  m.dstPort = dstPort;
  m.isRequest = code == 0;
  m.method = m.isRequest ? method : "";
  m.statusCode = code;
  m.reason = m.isRequest ? "" : method;
  return m;
}

/// A call through a proxy, given out of time order (as several workers may list it).
std::vector<protocol::SipMessageRecord> proxiedCall() {
  return {
      message(30, "10.0.0.2", 5060, "10.0.0.1", 5060, "Trying", 100),         // 2
      message(0, "10.0.0.1", 5060, "10.0.0.2", 5060, "INVITE"),               // 0
      message(10, "10.0.0.2", 5060, "10.0.0.3", 5070, "INVITE"),              // 1
      message(500, "10.0.0.3", 5070, "10.0.0.2", 5060, "OK", 200),            // 3
      message(510, "10.0.0.2", 5060, "10.0.0.1", 5060, "OK", 200),            // 4
      message(900, "10.0.0.1", 5060, "10.0.0.2", 5060, "BYE"),                // 5
      message(950, "2001:db8::1", 5060, "10.0.0.2", 5060, "Busy Here", 486),  // 6
  };
}

}  // namespace

class TestSipLadder : public QObject {
  Q_OBJECT

 private slots:
  void layout() {
    const auto messages = proxiedCall();
    const auto ladder = layoutLadder(messages);
    QCOMPARE(ladder.participants, QStringList({"10.0.0.1:5060", "10.0.0.2:5060", "10.0.0.3:5070",
                                               "[2001:db8::1]:5060"}));
    QCOMPARE(ladder.arrows.size(), messages.size());
    const std::vector<int> order = {1, 2, 0, 3, 4, 5, 6};
    const std::vector<std::pair<int, int>> fromTo = {{0, 1}, {1, 2}, {1, 0}, {2, 1},
                                                     {1, 0}, {0, 1}, {3, 1}};
    for (std::size_t i = 0; i < ladder.arrows.size(); ++i) {
      QCOMPARE(ladder.arrows[i].message, order[i]);
      QCOMPARE(ladder.arrows[i].from, fromTo[i].first);
      QCOMPARE(ladder.arrows[i].to, fromTo[i].second);
      if (i > 0) QVERIFY(ladder.arrows[i].offsetNs >= ladder.arrows[i - 1].offsetNs);
    }
    QCOMPARE(ladder.arrows.front().offsetNs, 0);
    QCOMPARE(ladder.arrows.back().offsetNs, 950'000'000);
    QVERIFY(layoutLadder({}).participants.isEmpty());
  }

  void labelsAndColours() {
    auto invite = message(0, "10.0.0.1", 5060, "10.0.0.2", 5060, "INVITE");
    invite.sdp = "v=0\r\n";
    QCOMPARE(app::views::ladderLabel(invite), QString("INVITE (SDP)"));
    const auto ok = message(0, "10.0.0.2", 5060, "10.0.0.1", 5060, "OK", 200);
    QCOMPARE(app::views::ladderLabel(ok), QString("200 OK"));
    const auto trying = message(0, "10.0.0.2", 5060, "10.0.0.1", 5060, "Trying", 100);
    const auto busy = message(0, "10.0.0.2", 5060, "10.0.0.1", 5060, "Busy Here", 486);
    QSet<QRgb> colours{SipLadderWidget::colorOf(invite).rgb(), SipLadderWidget::colorOf(ok).rgb(),
                       SipLadderWidget::colorOf(trying).rgb(),
                       SipLadderWidget::colorOf(busy).rgb()};
    QCOMPARE(colours.size(), 4);
  }

  void clickSelects() {
    SipLadderWidget ladder;
    ladder.setMessages(proxiedCall());
    ladder.resize(ladder.sizeHint());
    ladder.show();
    QVERIFY(QTest::qWaitForWindowExposed(&ladder));
    // Room for every column and row.
    QVERIFY(ladder.sizeHint().width() > ladder.columnX(3));
    QVERIFY(ladder.sizeHint().height() > ladder.arrowY(6));
    // Lifelines left to right in column order, arrows top to bottom in time order.
    for (int c = 1; c < 4; ++c) QVERIFY(ladder.columnX(c) > ladder.columnX(c - 1));
    for (int a = 1; a < 7; ++a) QVERIFY(ladder.arrowY(a) > ladder.arrowY(a - 1));

    QSignalSpy selected(&ladder, &SipLadderWidget::messageSelected);
    // The 200 OK from the callee (row 3, message 3), clicked on its line between the columns.
    const int x = (ladder.columnX(1) + ladder.columnX(2)) / 2;
    QTest::mouseClick(&ladder, Qt::LeftButton, {}, QPoint(x, ladder.arrowY(3)));
    QCOMPARE(ladder.selectedMessage(), 3);
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.takeFirst().at(0).toInt(), 3);
    // On its label, just above the line.
    QTest::mouseClick(&ladder, Qt::LeftButton, {}, QPoint(x, ladder.arrowY(2) - 8));
    QCOMPARE(ladder.selectedMessage(), 0);
    QTest::keyClick(&ladder, Qt::Key_Down);
    QCOMPARE(ladder.selectedMessage(), 3);
    QTest::keyClick(&ladder, Qt::Key_Up);
    QTest::keyClick(&ladder, Qt::Key_Up);
    QCOMPARE(ladder.selectedMessage(), 2);
    // Above the first arrow: nothing.
    QTest::mouseClick(&ladder, Qt::LeftButton, {}, QPoint(x, 2));
    QCOMPARE(ladder.selectedMessage(), -1);
    QCOMPARE(selected.last().at(0).toInt(), -1);
    QCOMPARE(ladder.arrowAt(QPoint(x, ladder.arrowY(6) + 40)), -1);
  }
};

QTEST_MAIN(TestSipLadder)
#include "tst_sip_ladder.moc"
