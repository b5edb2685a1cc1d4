// SPDX-License-Identifier: MIT
// Reassembly of fragmented UDP datagrams that carry SIP: in order, and the cases that must
// leave a datagram alone (not SIP, a fragment cut short, a fragment before the first one,
// an overlap with other bytes); a repeated fragment is accepted.

#include <QTest>
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "node/analysis/sip_datagram_reassembly.h"
#include "shared/decoder/packet_decoder.h"

using netlens::decoder::DecodedPacket;
using netlens::decoder::PacketDecoder;
using netlens::node::analysis::FlowSegment;
using netlens::node::analysis::SipDatagramReassembly;

namespace {

using Bytes = std::vector<std::uint8_t>;

const std::string kInvite =
    "INVITE sip:bob@example.org SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds\r\n"
    "From: <sip:alice@example.org>;tag=1928301774\r\n"
    "To: <sip:bob@example.org>\r\n"
    "Call-ID: a84b4c76e66710@10.0.0.1\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Content-Length: 0\r\n\r\n";

/// The UDP datagram (header + payload) of `text` from 10.0.0.1:5060 to 10.0.0.2:5060.
Bytes udpDatagram(const std::string& text) {
  const auto length = static_cast<std::uint16_t>(8 + text.size());
  const std::uint8_t header[8] = {0x13,
                                  0xc4,
                                  0x13,
                                  0xc4,
                                  static_cast<std::uint8_t>(length >> 8),
                                  static_cast<std::uint8_t>(length),
                                  0,
                                  0};
  Bytes b(sizeof header + text.size());
  std::copy(header, header + sizeof header, b.begin());
  std::copy(text.begin(), text.end(), b.begin() + sizeof header);
  return b;
}

/// A raw IPv4 frame carrying bytes [at, at + size) of `datagram` as a fragment.
Bytes fragment(const Bytes& datagram, std::uint16_t id, std::size_t at, std::size_t size) {
  size = std::min(size, datagram.size() - at);
  const bool more = at + size < datagram.size();
  const auto total = static_cast<std::uint16_t>(20 + size);
  const auto flagsOffset = static_cast<std::uint16_t>((more ? 0x2000 : 0) | (at / 8));
  const std::uint8_t header[20] = {0x45,
                                   0,
                                   static_cast<std::uint8_t>(total >> 8),
                                   static_cast<std::uint8_t>(total),
                                   static_cast<std::uint8_t>(id >> 8),
                                   static_cast<std::uint8_t>(id),
                                   static_cast<std::uint8_t>(flagsOffset >> 8),
                                   static_cast<std::uint8_t>(flagsOffset),
                                   64,
                                   17,
                                   0,
                                   0,
                                   10,
                                   0,
                                   0,
                                   1,
                                   10,
                                   0,
                                   0,
                                   2};
  Bytes f(sizeof header + size);
  std::copy(header, header + sizeof header, f.begin());
  std::copy_n(datagram.begin() + static_cast<std::ptrdiff_t>(at), size, f.begin() + sizeof header);
  return f;
}

struct Feed {
  SipDatagramReassembly reassembly;
  DecodedPacket packet;
  std::int64_t ts = 1'000'000'000;

  /// Offers one frame (`captured` bytes of it); true with `payload` when it completed a
  /// SIP datagram.
  bool offer(const Bytes& frame, std::string* payload = nullptr, std::size_t captured = 0) {
    const auto length = static_cast<std::uint32_t>(captured ? captured : frame.size());
    PacketDecoder::decode(101, frame.data(), length, static_cast<std::uint32_t>(frame.size()),
                          ts += 1000, packet);
    reassembly.add(packet);
    FlowSegment s;
    s.protocol = 17;
    if (!reassembly.complete(packet, s)) return false;
    if (payload) payload->assign(reinterpret_cast<const char*>(s.payload), s.payloadLength);
    return true;
  }
};

}  // namespace

class TestSipFragments : public QObject {
  Q_OBJECT

 private slots:
  void inOrder() {
    const Bytes d = udpDatagram(kInvite);
    Feed feed;
    std::string payload;
    QVERIFY(!feed.offer(fragment(d, 7, 0, 104)));
    QVERIFY(!feed.offer(fragment(d, 7, 104, 104)));
    QVERIFY(feed.offer(fragment(d, 7, 208, 1000), &payload));
    QCOMPARE(payload, kInvite);
    QCOMPARE(feed.reassembly.reassembled(), std::uint64_t(1));
    // Two datagrams interleaved, each with its own id.
    const Bytes other = udpDatagram("SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\n" + std::string(150, 'x'));
    QVERIFY(!feed.offer(fragment(d, 8, 0, 104)));
    QVERIFY(!feed.offer(fragment(other, 9, 0, 104)));
    QVERIFY(!feed.offer(fragment(d, 8, 104, 104)));
    QVERIFY(feed.offer(fragment(other, 9, 104, 1000), &payload));
    QCOMPARE(payload.substr(0, 6), std::string("SIP/2."));
    QVERIFY(feed.offer(fragment(d, 8, 208, 1000), &payload));
    QCOMPARE(payload, kInvite);
  }

  void duplicatesAccepted() {
    // A mirror port may copy every fragment twice: the same bytes again change nothing.
    const Bytes d = udpDatagram(kInvite);
    Feed feed;
    std::string payload;
    QVERIFY(!feed.offer(fragment(d, 5, 0, 104)));
    QVERIFY(!feed.offer(fragment(d, 5, 0, 104)));
    QVERIFY(!feed.offer(fragment(d, 5, 104, 104)));
    QVERIFY(!feed.offer(fragment(d, 5, 104, 104)));
    QVERIFY(feed.offer(fragment(d, 5, 208, 1000), &payload));
    QCOMPARE(payload, kInvite);
  }

  void leftAlone() {
    const Bytes d = udpDatagram(kInvite);
    {
      Feed feed;  // not SIP: not followed
      const Bytes rtp = udpDatagram(std::string(300, '\x80'));
      QVERIFY(!feed.offer(fragment(rtp, 1, 0, 104)));
      QVERIFY(!feed.offer(fragment(rtp, 1, 104, 1000)));
    }
    {
      Feed feed;  // the middle fragment captured short
      QVERIFY(!feed.offer(fragment(d, 2, 0, 104)));
      QVERIFY(!feed.offer(fragment(d, 2, 104, 104), nullptr, 60));
      QVERIFY(!feed.offer(fragment(d, 2, 208, 1000)));
    }
    {
      Feed feed;  // the last fragment before the first
      QVERIFY(!feed.offer(fragment(d, 3, 208, 1000)));
      QVERIFY(!feed.offer(fragment(d, 3, 0, 104)));
      QVERIFY(!feed.offer(fragment(d, 3, 104, 104)));
      QCOMPARE(feed.reassembly.reassembled(), std::uint64_t(0));
    }
    {
      Feed feed;  // an overlap that says something else
      Bytes other = d;
      other[120] ^= 0x20;
      QVERIFY(!feed.offer(fragment(d, 4, 0, 104)));
      QVERIFY(!feed.offer(fragment(d, 4, 104, 104)));
      QVERIFY(!feed.offer(fragment(other, 4, 104, 104)));
      QVERIFY(!feed.offer(fragment(d, 4, 208, 1000)));
      QCOMPARE(feed.reassembly.reassembled(), std::uint64_t(0));
    }
  }
};

QTEST_GUILESS_MAIN(TestSipFragments)
#include "tst_sip_fragments.moc"
