// SPDX-License-Identifier: MIT
#include "node/demo/tcp_session.h"

#include <algorithm>
#include <array>
#include <vector>

namespace netlens::node::demo {

namespace {

constexpr std::uint16_t kClientWindow = 2052;        // x128 (scale 7): 256 KiB, after autotuning
constexpr std::uint16_t kServerWindow = 501;         // x512 (scale 9)
constexpr std::uint32_t kMaxCongestionWindow = 120;  // segments; stays below kClientWindow
constexpr std::int64_t kMinRtoNs = 200'000'000;
constexpr std::int64_t kClientSegmentGapNs = 12'000;  // the client's gigabit LAN

/// MSS, NOP, window scale, NOP, NOP, SACK permitted: the Windows/BSD SYN layout.
std::array<std::uint8_t, 12> synOptions(std::uint16_t mss, std::uint8_t windowScale) {
  return {2,
          4,
          static_cast<std::uint8_t>(mss >> 8),
          static_cast<std::uint8_t>(mss),
          1,
          3,
          3,
          windowScale,
          1,
          1,
          4,
          2};
}

}  // namespace

TcpSession::TcpSession(FrameBuilder& out, DemoRandom random, const TcpSessionParams& params)
    : m_out(out),
      m_random(random),
      m_params(params),
      m_mss(params.client.ip.isV4() ? 1460 : 1440),
      m_clientNext(static_cast<std::uint32_t>(m_random.next())),
      m_serverNext(static_cast<std::uint32_t>(m_random.next())),
      m_clientAcks(0),
      m_serverAcks(0),
      m_serverWindow(kServerWindow) {}

void TcpSession::clientSegment(std::int64_t t, std::uint32_t seq, std::uint8_t flags,
                               std::span<const std::uint8_t> payload) {
  m_out.tcp(t, m_params.client, m_params.clientPort, m_params.server, m_params.serverPort, seq,
            m_clientAcks, flags, kClientWindow, {}, payload);
}

void TcpSession::serverSegment(std::int64_t t, std::uint32_t seq, std::uint8_t flags,
                               std::span<const std::uint8_t> payload) {
  m_out.tcp(t, m_params.server, m_params.serverPort, m_params.client, m_params.clientPort, seq,
            m_serverAcks, flags, m_serverWindow, {}, payload);
}

std::int64_t TcpSession::open(std::int64_t t, bool retransmitSyn) {
  const auto clientOptions = synOptions(static_cast<std::uint16_t>(m_mss), 7);
  const auto serverOptions = synOptions(static_cast<std::uint16_t>(m_mss), 9);
  const DemoHost& c = m_params.client;
  const DemoHost& s = m_params.server;
  m_out.tcp(t, c, m_params.clientPort, s, m_params.serverPort, m_clientNext, 0, kTcpSyn, 64240,
            clientOptions, {});
  if (retransmitSyn) {
    t += 1'000'000'000;  // the initial RTO (RFC 6298)
    m_out.tcp(t, c, m_params.clientPort, s, m_params.serverPort, m_clientNext, 0, kTcpSyn, 64240,
              clientOptions, {});
  }
  ++m_clientNext;
  m_serverAcks = m_clientNext;
  t += m_params.rttNs;
  m_out.tcp(t, s, m_params.serverPort, c, m_params.clientPort, m_serverNext, m_serverAcks,
            kTcpSyn | kTcpAck, 65160, serverOptions, {});
  ++m_serverNext;
  m_clientAcks = m_serverNext;
  t += clientAckDelay();
  clientSegment(t, m_clientNext, kTcpAck, {});
  return t;
}

std::int64_t TcpSession::clientSends(std::int64_t t, std::span<const std::uint8_t> data,
                                     bool retransmitFirst) {
  std::int64_t last = t;
  std::size_t index = 0;
  for (std::size_t offset = 0; offset < data.size(); offset += m_mss, ++index) {
    const std::size_t len = std::min<std::size_t>(m_mss, data.size() - offset);
    const auto chunk = data.subspan(offset, len);
    const bool isLast = offset + len == data.size();
    const std::uint8_t flags = kTcpAck | (isLast ? kTcpPsh : 0);
    const std::uint32_t seq = m_clientNext + static_cast<std::uint32_t>(offset);
    clientSegment(last, seq, flags, chunk);
    if (index == 0 && retransmitFirst) {
      // The server never saw it: nothing is acknowledged until the timeout fires.
      last += std::max(kMinRtoNs, 3 * m_params.rttNs) + m_random.between(0, 5'000'000);
      clientSegment(last, seq, flags, chunk);
    }
    if (index % 2 == 1 && !isLast) {
      m_serverAcks = seq + static_cast<std::uint32_t>(len);
      serverSegment(last + m_params.rttNs, m_serverNext, kTcpAck, {});
    }
    last += kClientSegmentGapNs;
  }
  m_clientNext += static_cast<std::uint32_t>(data.size());
  // The answer (or a delayed ACK) acknowledges the remainder.
  m_serverAcks = m_clientNext;
  return last + m_params.rttNs;
}

std::int64_t TcpSession::clientSendsIntoSmallWindow(std::int64_t t,
                                                    std::span<const std::uint8_t> data,
                                                    std::uint32_t windowBytes,
                                                    std::int64_t readNs) {
  constexpr std::uint32_t kServerScaleUnit = 1u << 9;  // the shift open() announces
  const auto open = static_cast<std::uint16_t>(windowBytes / kServerScaleUnit);
  const std::uint32_t start = m_clientNext;
  std::size_t sent = 0;
  std::int64_t ts = t;
  // The server announces the small window from its next segment on.
  m_serverWindow = open;
  serverSegment(ts, m_serverNext, kTcpAck, {});
  ts += clientAckDelay();
  while (sent < data.size()) {
    const std::uint32_t edge = m_serverAcks + open * kServerScaleUnit;
    while (sent < data.size() && start + static_cast<std::uint32_t>(sent) != edge) {
      const std::uint32_t room = edge - (start + static_cast<std::uint32_t>(sent));
      const std::size_t len = std::min<std::size_t>({m_mss, data.size() - sent, room});
      const bool isLast = sent + len == data.size();
      clientSegment(ts, start + static_cast<std::uint32_t>(sent), kTcpAck | (isLast ? kTcpPsh : 0),
                    data.subspan(sent, len));
      sent += len;
      ts += kClientSegmentGapNs;
    }
    const std::int64_t ackAt = ts + m_params.rttNs;
    m_serverAcks = start + static_cast<std::uint32_t>(sent);
    if (sent < data.size()) {
      // The buffer is full: everything is acknowledged, the window closed, then opened again.
      m_serverWindow = 0;
      serverSegment(ackAt, m_serverNext, kTcpAck, {});
      m_serverWindow = open;
      serverSegment(ackAt + readNs, m_serverNext, kTcpAck, {});
      ts = ackAt + readNs + clientAckDelay() / 4;  // the client is next to the capture
    } else {
      serverSegment(ackAt, m_serverNext, kTcpAck, {});
      ts = ackAt;
    }
  }
  m_clientNext += static_cast<std::uint32_t>(data.size());
  return ts;
}

std::int64_t TcpSession::serverSends(std::int64_t t, std::span<const std::uint8_t> data,
                                     std::optional<std::size_t> loseSegment) {
  const std::size_t segments = (data.size() + m_mss - 1) / m_mss;
  std::int64_t roundStart = t;
  std::int64_t lastAck = t;
  std::size_t next = 0;
  std::size_t unackedInOrder = 0;
  // Loss state: the hole's sequence number, duplicate ACKs sent, retransmission time.
  bool holeOpen = false;
  std::uint32_t holeSeq = 0;
  std::size_t holeIndex = 0;
  int duplicates = 0;
  std::int64_t retransmitAt = 0;
  std::uint32_t received = m_clientAcks;  // highest byte the client holds, holes aside

  auto segmentAt = [&](std::size_t i) {
    const std::size_t offset = i * m_mss;
    return data.subspan(offset, std::min<std::size_t>(m_mss, data.size() - offset));
  };
  auto fillHole = [&](std::int64_t when) {
    const auto chunk = segmentAt(holeIndex);
    serverSegment(when, holeSeq, kTcpAck | kTcpPsh, chunk);
    holeOpen = false;
    m_clientAcks = received;
    lastAck = when + clientAckDelay();
    clientSegment(lastAck, m_clientNext, kTcpAck, {});
    m_congestionWindow = std::max<std::uint32_t>(m_congestionWindow / 2, 4);
  };

  while (next < segments) {
    const std::size_t burst = std::min<std::size_t>(m_congestionWindow, segments - next);
    std::int64_t ts = roundStart;
    for (std::size_t k = 0; k < burst; ++k, ++next) {
      if (holeOpen && retransmitAt != 0 && retransmitAt <= ts) fillHole(retransmitAt);
      const auto chunk = segmentAt(next);
      const std::uint32_t seq = m_serverNext + static_cast<std::uint32_t>(next * m_mss);
      const bool isLast = next + 1 == segments;
      if (loseSegment && *loseSegment == next && !isLast) {
        holeOpen = true;
        holeSeq = seq;
        holeIndex = next;
        duplicates = 0;
        retransmitAt = 0;
        ts += m_params.serverSegmentGapNs;
        continue;
      }
      serverSegment(ts, seq, kTcpAck | (isLast ? kTcpPsh : 0), chunk);
      received = seq + static_cast<std::uint32_t>(chunk.size());
      if (holeOpen) {
        // Out of order: every segment is answered at once with a duplicate ACK.
        lastAck = ts + clientAckDelay();
        clientSegment(lastAck, m_clientNext, kTcpAck, {});
        if (++duplicates == 3) retransmitAt = lastAck + m_params.rttNs;
      } else {
        m_clientAcks = received;
        if (++unackedInOrder == 2 || isLast) {
          unackedInOrder = 0;
          lastAck = ts + clientAckDelay();
          clientSegment(lastAck, m_clientNext, kTcpAck, {});
        }
      }
      ts += m_params.serverSegmentGapNs;
    }
    m_congestionWindow = std::min(m_congestionWindow * 2, kMaxCongestionWindow);
    roundStart = std::max(roundStart + m_params.rttNs, ts);
  }
  if (holeOpen) {
    // Too few duplicates for a fast retransmission: the tail-loss probe or the RTO fires.
    if (retransmitAt == 0) retransmitAt = lastAck + std::max(kMinRtoNs, 2 * m_params.rttNs);
    fillHole(retransmitAt);
  }
  m_serverNext += static_cast<std::uint32_t>(data.size());
  m_clientAcks = m_serverNext;
  return lastAck;
}

std::int64_t TcpSession::close(std::int64_t t, bool clientCloses) {
  if (clientCloses) {
    clientSegment(t, m_clientNext, kTcpFin | kTcpAck, {});
    ++m_clientNext;
    m_serverAcks = m_clientNext;
    t += m_params.rttNs;
    serverSegment(t, m_serverNext, kTcpFin | kTcpAck, {});
    ++m_serverNext;
    m_clientAcks = m_serverNext;
    t += clientAckDelay();
    clientSegment(t, m_clientNext, kTcpAck, {});
  } else {
    serverSegment(t, m_serverNext, kTcpFin | kTcpAck, {});
    ++m_serverNext;
    m_clientAcks = m_serverNext;
    t += m_random.between(100'000, 2'000'000);
    clientSegment(t, m_clientNext, kTcpFin | kTcpAck, {});
    ++m_clientNext;
    m_serverAcks = m_clientNext;
    t += m_params.rttNs;
    serverSegment(t, m_serverNext, kTcpAck, {});
  }
  return t;
}

std::int64_t TcpSession::reset(std::int64_t t) {
  clientSegment(t, m_clientNext, kTcpRst | kTcpAck, {});
  return t;
}

}  // namespace netlens::node::demo
