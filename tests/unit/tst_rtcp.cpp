// SPDX-License-Identifier: MIT
// The RTCP compound-packet parser (what is RTCP and what is not, bounds) and the round-trip
// tracker (an SR answered on its own flow, DLSR taken off, reports on other flows ignored).

#include <QTest>
#include <cstdint>
#include <iterator>
#include <vector>

#include "node/analysis/rtcp_tracker.h"
#include "shared/voip/rtcp.h"

using netlens::net::IpAddress;
using netlens::node::analysis::FlowSegment;
using netlens::node::analysis::RtcpRoundTrip;
using netlens::node::analysis::RtcpTracker;
using netlens::voip::parseRtcp;
using netlens::voip::RtcpCompound;

namespace {

using Bytes = std::vector<std::uint8_t>;

void put32(Bytes& b, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<std::uint8_t>(v >> shift));
}

/// An RTCP packet header: version 2, `count`, `type`, length in words - 1 of `words`.
void header(Bytes& b, std::uint8_t count, std::uint8_t type, std::uint16_t words,
            bool pad = false) {
  b.push_back(static_cast<std::uint8_t>(0x80 | (pad ? 0x20 : 0) | count));
  b.push_back(type);
  b.push_back(static_cast<std::uint8_t>((words - 1) >> 8));
  b.push_back(static_cast<std::uint8_t>(words - 1));
}

void block(Bytes& b, std::uint32_t source, std::uint32_t lsr, std::uint32_t dlsr) {
  put32(b, source);
  put32(b, 0x01000005);  // fraction lost 1/256, cumulative 5
  put32(b, 70000);       // extended highest sequence
  put32(b, 160);         // jitter
  put32(b, lsr);
  put32(b, dlsr);
}

/// SR from `ssrc` with NTP time (seconds, fraction), no blocks, then an SDES with one CNAME.
Bytes senderReport(std::uint32_t ssrc, std::uint32_t ntpSeconds, std::uint32_t ntpFraction) {
  Bytes b;
  header(b, 0, 200, 7);
  put32(b, ssrc);
  put32(b, ntpSeconds);
  put32(b, ntpFraction);
  put32(b, 12345);  // RTP timestamp
  put32(b, 100);    // packets
  put32(b, 16000);  // octets
  header(b, 1, 202, 4);
  put32(b, ssrc);
  const std::uint8_t cname[] = {1, 2, 'a', 'b', 0, 0, 0, 0};
  b.insert(b.end(), std::begin(cname), std::end(cname));
  return b;
}

Bytes receiverReport(std::uint32_t reporter, std::uint32_t source, std::uint32_t lsr,
                     std::uint32_t dlsr) {
  Bytes b;
  header(b, 1, 201, 8);
  put32(b, reporter);
  block(b, source, lsr, dlsr);
  return b;
}

FlowSegment udp(const Bytes& payload, const char* src, std::uint16_t srcPort, const char* dst,
                std::uint16_t dstPort, std::int64_t ts) {
  FlowSegment s;
  s.ts = ts;
  s.protocol = 17;
  s.src = IpAddress::parse(src).value();
  s.dst = IpAddress::parse(dst).value();
  s.srcPort = srcPort;
  s.dstPort = dstPort;
  s.payload = payload.data();
  s.payloadLength = static_cast<std::uint32_t>(payload.size());
  s.segmentLength = s.payloadLength;
  return s;
}

constexpr std::int64_t kMs = 1'000'000;

}  // namespace

class TestRtcp : public QObject {
  Q_OBJECT

 private slots:
  void parsesCompoundPackets() {
    RtcpCompound c;
    const Bytes sr = senderReport(0x11223344, 0xAABBCCDD, 0x12345678);
    QVERIFY(parseRtcp(sr.data(), static_cast<std::uint32_t>(sr.size()), c));
    QCOMPARE(c.senderReports.size(), std::size_t(1));
    QCOMPARE(c.senderReports[0].ssrc, 0x11223344u);
    QCOMPARE(c.senderReports[0].ntpMiddle, 0xCCDD1234u);  // low half of seconds, high of fraction
    QVERIFY(c.reports.empty());

    const Bytes rr = receiverReport(0x55, 0x11223344, 0xCCDD1234, 65536);
    QVERIFY(parseRtcp(rr.data(), static_cast<std::uint32_t>(rr.size()), c));
    QCOMPARE(c.reports.size(), std::size_t(1));
    QCOMPARE(c.reports[0].reporterSsrc, 0x55u);
    QCOMPARE(c.reports[0].sourceSsrc, 0x11223344u);
    QCOMPARE(c.reports[0].fractionLost, std::uint8_t(1));
    QCOMPARE(c.reports[0].cumulativeLost, 5);
    QCOMPARE(c.reports[0].highestSequence, 70000u);
    QCOMPARE(c.reports[0].lastSr, 0xCCDD1234u);
    QCOMPARE(c.reports[0].delaySinceLastSr, 65536u);

    // A padded last packet.
    Bytes padded;
    header(padded, 0, 201, 3, true);
    put32(padded, 0x55);
    padded.insert(padded.end(), {0, 0, 0, 4});
    QVERIFY(parseRtcp(padded.data(), static_cast<std::uint32_t>(padded.size()), c));
  }

  void refusesWhatIsNotRtcp() {
    RtcpCompound c;
    Bytes sr = senderReport(1, 2, 3);
    const auto size = static_cast<std::uint32_t>(sr.size());
    // Cut short: the lengths no longer add up.
    QVERIFY(!parseRtcp(sr.data(), size - 1, c));
    QVERIFY(!parseRtcp(sr.data(), 3, c));
    QVERIFY(!parseRtcp(nullptr, 0, c));
    // One byte more than the packets.
    Bytes longer = sr;
    longer.push_back(0);
    QVERIFY(!parseRtcp(longer.data(), static_cast<std::uint32_t>(longer.size()), c));
    // Version 1.
    Bytes v1 = sr;
    v1[0] = static_cast<std::uint8_t>((v1[0] & 0x3f) | 0x40);
    QVERIFY(!parseRtcp(v1.data(), size, c));
    // An SDES first (a compound packet starts with SR or RR).
    Bytes sdesFirst(sr.begin() + 28, sr.end());
    QVERIFY(!parseRtcp(sdesFirst.data(), static_cast<std::uint32_t>(sdesFirst.size()), c));
    // An SR that claims a report block it does not have room for.
    Bytes claims = sr;
    claims[0] = 0x81;
    QVERIFY(!parseRtcp(claims.data(), size, c));
    // Padding on a packet that is not the last, and a padding count past the packet.
    Bytes padFirst = sr;
    padFirst[0] |= 0x20;
    QVERIFY(!parseRtcp(padFirst.data(), size, c));
    Bytes badPad;
    header(badPad, 0, 201, 2, true);
    badPad.insert(badPad.end(), {0, 0, 0, 9});
    QVERIFY(!parseRtcp(badPad.data(), static_cast<std::uint32_t>(badPad.size()), c));
    // An RTP packet (payload type 0).
    Bytes rtp{0x80, 0x00, 0x00, 0x01, 0, 0, 0, 160, 0, 0, 0, 1};
    QVERIFY(!parseRtcp(rtp.data(), static_cast<std::uint32_t>(rtp.size()), c));
  }

  void roundTripOnTheSrFlow() {
    RtcpTracker tracker;
    const Bytes sr = senderReport(0xA, 0x0001'0002, 0x8000'0000);
    const std::uint32_t lsr = 0x0002'8000;
    QVERIFY(tracker.process(udp(sr, "10.0.0.1", 5005, "10.0.0.2", 6005, 1000 * kMs)));
    // Answered 130 ms later after holding it 100 ms (6553.6 units): 30 ms.
    const Bytes rr = receiverReport(0xB, 0xA, lsr, 6554);
    QVERIFY(tracker.process(udp(rr, "10.0.0.2", 6005, "10.0.0.1", 5005, 1130 * kMs)));
    // The same report on another flow (a relay's hop) is no round trip of this SR.
    QVERIFY(tracker.process(udp(rr, "10.0.0.3", 7005, "10.0.0.1", 5005, 1131 * kMs)));
    // Before any SR (LSR 0), or naming an SR never seen: nothing.
    QVERIFY(tracker.process(
        udp(receiverReport(0xB, 0xA, 0, 0), "10.0.0.2", 6005, "10.0.0.1", 5005, 1200 * kMs)));
    QVERIFY(tracker.process(
        udp(receiverReport(0xB, 0xA, 0x1234, 10), "10.0.0.2", 6005, "10.0.0.1", 5005, 1210 * kMs)));
    // A holding time longer than the gap counts as 0.
    QVERIFY(tracker.process(
        udp(receiverReport(0xB, 0xA, lsr, 65536), "10.0.0.2", 6005, "10.0.0.1", 5005, 1300 * kMs)));
    QVERIFY(!tracker.process(udp(Bytes{0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}, "10.0.0.1", 4000,
                                 "10.0.0.2", 4002, 1400 * kMs)));
    QCOMPARE(tracker.packets(), std::uint64_t(6));

    std::vector<RtcpRoundTrip> trips;
    tracker.collect(trips);
    QCOMPARE(trips.size(), std::size_t(1));
    QCOMPARE(trips[0].sourceSsrc, 0xAu);
    QCOMPARE(trips[0].senderIp, IpAddress::parse("10.0.0.1").value());
    QCOMPARE(trips[0].reporterIp, IpAddress::parse("10.0.0.2").value());
    QCOMPARE(trips[0].samples, std::uint64_t(2));
    const double first = 130.0 - 6554 * 1000.0 / 65536;
    QVERIFY(std::abs(trips[0].maxMs - first) < 1e-9);
    QVERIFY(std::abs(trips[0].sumMs - first) < 1e-9);  // the other one counted 0

    // The stream 10.0.0.1 → 10.0.0.2 with SSRC 0xA gets it; the reverse one does not.
    std::vector<netlens::protocol::RtpStreamRecord> streams(2);
    streams[0].ssrc = 0xA;
    streams[0].srcIp = trips[0].senderIp;
    streams[0].dstIp = trips[0].reporterIp;
    streams[1] = streams[0];
    std::swap(streams[1].srcIp, streams[1].dstIp);
    // Two workers' parts of one stream add up.
    std::vector<RtcpRoundTrip> twice = {trips[0], trips[0]};
    netlens::node::analysis::applyRtcpRoundTrips(streams, twice);
    QCOMPARE(streams[0].rtcpRttSamples, std::uint64_t(4));
    QVERIFY(std::abs(*streams[0].rtcpRttMs - first / 2) < 1e-9);
    QVERIFY(!streams[1].rtcpRttMs.has_value());
    QCOMPARE(streams[1].rtcpRttSamples, std::uint64_t(0));
  }

  void boundedSenderReports() {
    RtcpTracker tracker;
    // SRs with NTP seconds 1 .. n: the middle 32 bits are (seconds << 16).
    const std::size_t n = RtcpTracker::kMaxSenderReports + 10;
    for (std::size_t i = 1; i <= n; ++i) {
      const Bytes sr = senderReport(0xA, static_cast<std::uint32_t>(i), 0);
      QVERIFY(tracker.process(
          udp(sr, "10.0.0.1", 5005, "10.0.0.2", 6005, static_cast<std::int64_t>(i) * kMs)));
    }
    const auto at = static_cast<std::int64_t>(n + 1) * kMs;
    const auto answer = [&](std::uint32_t seconds) {
      QVERIFY(tracker.process(
          udp(receiverReport(0xB, 0xA, seconds << 16, 0), "10.0.0.2", 6005, "10.0.0.1", 5005, at)));
    };
    answer(1);                              // forgotten (the first ten went)
    answer(10);                             // forgotten
    answer(11);                             // the oldest still kept
    answer(static_cast<std::uint32_t>(n));  // the newest
    std::vector<RtcpRoundTrip> trips;
    tracker.collect(trips);
    QCOMPARE(trips.size(), std::size_t(1));
    QCOMPARE(trips[0].samples, std::uint64_t(2));
    // From SR 11 at 11 ms to the report at n + 1 ms; from SR n to it, 1 ms.
    QVERIFY(std::abs(trips[0].maxMs - static_cast<double>(n + 1 - 11)) < 1e-9);
    QVERIFY(std::abs(trips[0].sumMs - static_cast<double>(n + 1 - 11 + 1)) < 1e-9);
    QCOMPARE(trips[0].lastSeen, at);

    // The same SR again keeps one entry: a report on it still counts once.
    RtcpTracker again;
    const Bytes sr = senderReport(0xC, 7, 0);
    QVERIFY(again.process(udp(sr, "10.0.0.1", 5005, "10.0.0.2", 6005, kMs)));
    QVERIFY(again.process(udp(sr, "10.0.0.1", 5005, "10.0.0.2", 6005, 2 * kMs)));
    QVERIFY(again.process(
        udp(receiverReport(0xB, 0xC, 7u << 16, 0), "10.0.0.2", 6005, "10.0.0.1", 5005, 5 * kMs)));
    trips.clear();
    again.collect(trips);
    QCOMPARE(trips.size(), std::size_t(1));
    QCOMPARE(trips[0].samples, std::uint64_t(1));
    QVERIFY(std::abs(trips[0].maxMs - 3.0) < 1e-9);  // from the later copy
  }
};

QTEST_GUILESS_MAIN(TestRtcp)
#include "tst_rtcp.moc"
