// SPDX-License-Identifier: MIT
// TcpStreamCursor: every stream byte handed out once and in order, retransmissions dropped,
// overlaps trimmed, holes reported as gaps, sequence wrap-around, SYN/FIN handling.

#include <QTest>
#include <cstdint>
#include <string>

#include "node/analysis/tcp_stream_cursor.h"

using netlens::node::analysis::StreamChunk;
using netlens::node::analysis::TcpStreamCursor;
namespace tcpflag = netlens::decoder::tcpflag;

namespace {

const std::string kText = "0123456789abcdefghijklmnopqrstuvwxyz";

const std::uint8_t* at(std::size_t offset) {
  return reinterpret_cast<const std::uint8_t*>(kText.data()) + offset;
}

/// Offers bytes [from, from + length) of kText as one segment; the stream starts at `isn`+1.
StreamChunk segment(TcpStreamCursor& c, std::uint32_t isn, std::size_t from, std::size_t length,
                    std::uint8_t flags = tcpflag::kAck) {
  return c.accept(isn + 1 + static_cast<std::uint32_t>(from), flags, at(from),
                  static_cast<std::uint32_t>(length), static_cast<std::uint32_t>(length));
}

std::string text(const StreamChunk& chunk) {
  return std::string(reinterpret_cast<const char*>(chunk.data), chunk.length);
}

}  // namespace

class TestTcpStreamCursor : public QObject {
  Q_OBJECT

 private slots:
  void inOrderSegmentsPassThrough() {
    TcpStreamCursor c;
    QVERIFY(!c.isStarted());
    const std::uint32_t isn = 1000;
    QCOMPARE(c.accept(isn, tcpflag::kSyn, nullptr, 0, 0).length, 0u);
    QVERIFY(c.isStarted());
    QCOMPARE(text(segment(c, isn, 0, 10)), std::string("0123456789"));
    const StreamChunk b = segment(c, isn, 10, 5);
    QCOMPARE(text(b), std::string("abcde"));
    QVERIFY(!b.hasGap());
    QCOMPARE(c.nextSequence(), isn + 16);
  }

  void retransmissionIsDroppedAndOverlapTrimmed() {
    TcpStreamCursor c;
    const std::uint32_t isn = 5;
    c.accept(isn, tcpflag::kSyn, nullptr, 0, 0);
    QCOMPARE(text(segment(c, isn, 0, 10)), std::string("0123456789"));
    const StreamChunk again = segment(c, isn, 0, 10);  // full retransmission
    QCOMPARE(again.length, 0u);
    QVERIFY(!again.hasGap());
    const StreamChunk overlap = segment(c, isn, 6, 8);  // "6789abcd": only "abcd" is new
    QCOMPARE(text(overlap), std::string("abcd"));
    const StreamChunk keepAlive = c.accept(isn + 14, tcpflag::kAck, at(13), 1, 1);
    QCOMPARE(keepAlive.length, 0u);  // keep-alive probe: one old byte
  }

  void holeIsReportedAsGap() {
    TcpStreamCursor c;
    const std::uint32_t isn = 77;
    c.accept(isn, tcpflag::kSyn, nullptr, 0, 0);
    segment(c, isn, 0, 4);
    const StreamChunk late = segment(c, isn, 10, 5);  // bytes 4..9 never captured
    QCOMPARE(late.gapBefore, 6u);
    QCOMPARE(text(late), std::string("abcde"));
    // The missing segment arriving afterwards is old news now.
    QCOMPARE(segment(c, isn, 4, 6).length, 0u);
  }

  void sequenceNumbersWrapAround() {
    TcpStreamCursor c;
    const std::uint32_t isn = 0xFFFFFFF0u;
    c.accept(isn, tcpflag::kSyn, nullptr, 0, 0);
    QCOMPARE(text(segment(c, isn, 0, 20)), kText.substr(0, 20));  // crosses 2^32
    QCOMPARE(text(segment(c, isn, 20, 5)), kText.substr(20, 5));
    QCOMPARE(segment(c, isn, 15, 10).length, 0u);  // retransmission across the wrap
    QCOMPARE(c.nextSequence(), isn + 26);
  }

  void startsMidStreamWithoutSyn() {
    TcpStreamCursor c;
    const StreamChunk first = c.accept(4000, tcpflag::kAck, at(0), 5, 5);
    QCOMPARE(text(first), std::string("01234"));
    QVERIFY(!first.hasGap());
    QCOMPARE(text(c.accept(4005, tcpflag::kAck, at(5), 3, 3)), std::string("567"));
  }

  void dataOnSynFollowsItsSequenceNumber() {
    TcpStreamCursor c;
    const StreamChunk syn = c.accept(99, tcpflag::kSyn, at(0), 4, 4);  // TCP Fast Open
    QCOMPARE(text(syn), std::string("0123"));
    QCOMPARE(text(c.accept(104, tcpflag::kAck, at(4), 2, 2)), std::string("45"));
    // A retransmitted SYN with its data changes nothing.
    QCOMPARE(c.accept(99, tcpflag::kSyn, at(0), 4, 4).length, 0u);
  }

  void finIsReportedOnceAndEndsTheStream() {
    TcpStreamCursor c;
    const std::uint32_t isn = 10;
    c.accept(isn, tcpflag::kSyn, nullptr, 0, 0);
    const StreamChunk last = segment(c, isn, 0, 3, tcpflag::kAck | tcpflag::kFin);
    QCOMPARE(text(last), std::string("012"));
    QVERIFY(last.fin);
    QVERIFY(c.isFinished());
    QVERIFY(!segment(c, isn, 0, 3, tcpflag::kAck | tcpflag::kFin).fin);  // retransmitted
    QCOMPARE(segment(c, isn, 3, 2).length, 0u);                          // nothing after the FIN
  }

  void newSynRestartsAReusedPortPair() {
    TcpStreamCursor c;
    c.accept(100, tcpflag::kSyn, nullptr, 0, 0);
    segment(c, 100, 0, 5, tcpflag::kAck | tcpflag::kFin);
    QVERIFY(c.isFinished());
    c.accept(900000, tcpflag::kSyn, nullptr, 0, 0);
    QVERIFY(!c.isFinished());
    QCOMPARE(text(segment(c, 900000, 0, 4)), std::string("0123"));
  }

  void snapLengthCutIsAGapAfterTheData() {
    TcpStreamCursor c;
    c.accept(0, tcpflag::kSyn, nullptr, 0, 0);
    const StreamChunk cut = c.accept(1, tcpflag::kAck, at(0), 4, 10);  // 6 bytes not captured
    QCOMPARE(text(cut), std::string("0123"));
    QCOMPARE(cut.gapAfter, 6u);
    QCOMPARE(text(c.accept(11, tcpflag::kAck, at(10), 2, 2)), std::string("ab"));
    // A retransmission that overlaps the uncaptured part delivers only what is new.
    const StreamChunk re = c.accept(9, tcpflag::kAck, at(8), 6, 6);
    QCOMPARE(text(re), std::string("cd"));
  }

  void resetIsIgnored() {
    TcpStreamCursor c;
    c.accept(0, tcpflag::kSyn, nullptr, 0, 0);
    QCOMPARE(c.accept(123456, tcpflag::kRst, nullptr, 0, 0).gapBefore, 0u);
    QCOMPARE(text(c.accept(1, tcpflag::kAck, at(0), 2, 2)), std::string("01"));
  }
};

QTEST_APPLESS_MAIN(TestTcpStreamCursor)
#include "tst_tcp_stream_cursor.moc"
