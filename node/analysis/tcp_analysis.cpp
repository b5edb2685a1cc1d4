// SPDX-License-Identifier: MIT
#include "node/analysis/tcp_analysis.h"

#include "shared/decoder/decoded_packet.h"

namespace netlens::node::analysis {

namespace {

namespace flag = decoder::tcpflag;

// Sequence-space comparisons (RFC 1982 serial arithmetic).
inline bool lt(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::int32_t>(a - b) < 0;
}
inline bool gt(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::int32_t>(a - b) > 0;
}
inline bool le(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::int32_t>(a - b) <= 0;
}

constexpr protocol::TimeNs kFastRetransmissionWindowNs = 20'000'000;  // 20 ms after the dup ACK
constexpr protocol::TimeNs kDefaultOutOfOrderNs = 3'000'000;          // without an initial RTT

// Window scale negotiation, as Wireshark follows it: the shift a side announces in its SYN
// applies to the windows it sends later, once the other side has announced one too.
void noteWindowScale(const TcpSegment& s, TcpSideState& fwd, TcpSideState& rev) {
  const bool isSynAck = (s.flags & flag::kAck) != 0;
  // RFC 7323 2.3: a shift above 14 is used as 14.
  if (s.windowScale >= 0) fwd.windowScale = s.windowScale > 14 ? std::int8_t{14} : s.windowScale;
  if (fwd.windowScale == -1) {
    // No option in this SYN (or in the SYN/ACK): neither side scales.
    fwd.windowScale = -2;
    rev.windowScale = -2;
  } else if (isSynAck && rev.windowScale == -2) {
    fwd.windowScale = -2;  // the SYN had no option, so the SYN/ACK's one is not used
  }
}

}  // namespace

std::uint16_t analyzeTcpSegment(const TcpSegment& s, TcpSideState& fwd, TcpSideState& rev,
                                TcpHandshake& hs) {
  const std::uint8_t flags = s.flags;
  const bool syn = (flags & flag::kSyn) != 0;
  const bool synFinRst = (flags & (flag::kSyn | flag::kFin | flag::kRst)) != 0;
  const std::uint32_t seq = s.seq;
  const std::uint32_t ack = s.ack;
  const std::uint32_t len = s.length;

  if ((fwd.state & TcpSideState::kBaseSet) == 0) {
    fwd.base = syn ? seq : seq - 1;
    fwd.state |= TcpSideState::kBaseSet;
  }
  if (syn) {
    fwd.state |= (flags & flag::kAck) != 0 ? TcpSideState::kSawSynAck : TcpSideState::kSawSyn;
    noteWindowScale(s, fwd, rev);
  }
  if ((flags & flag::kFin) != 0) fwd.state |= TcpSideState::kSawFin;
  std::uint16_t ev = 0;
  if ((flags & flag::kRst) != 0) {
    // The first reset, sent by the side a SYN went to before any SYN/ACK: a rejection.
    const std::uint8_t both = fwd.state | rev.state;
    if ((both & (TcpSideState::kSawRst | TcpSideState::kSawSynAck)) == 0 &&
        (rev.state & TcpSideState::kSawSyn) != 0 && !hs.isComplete()) {
      ev |= tcpevent::kSynRejected;
      fwd.state |= TcpSideState::kRejected;
    }
    fwd.state |= TcpSideState::kSawRst;
  }
  std::uint32_t window = s.window;
  if (!syn && fwd.windowScale >= 0) window <<= fwd.windowScale;
  if (window > fwd.maxWindow) fwd.maxWindow = window;

  // Window full, as Wireshark marks it: data up to the edge of the receiver's last window,
  // once the receiver's scaling is known (its window is then held scaled).
  if (len > 0 && !synFinRst && rev.windowScale != -1 && seq + len == rev.lastAck + rev.window) {
    ev |= tcpevent::kWindowFull;
  }
  // Zero-window probe: one byte at the next expected sequence number into a closed window.
  if (len == 1 && seq == fwd.nextSeq && rev.window == 0) {
    ev |= tcpevent::kZeroWindowProbe;
  } else {
    if (window == 0 && !synFinRst) ev |= tcpevent::kZeroWindow;
    // A gap before this segment: an earlier one was not captured.
    if (fwd.nextSeq != 0 && gt(seq, fwd.nextSeq) && (flags & flag::kRst) == 0) {
      ev |= tcpevent::kPreviousSegmentLost;
    }
    // Keep-alive: zero or one byte starting one byte before the next expected one.
    if (len <= 1 && seq == fwd.nextSeq - 1 && !synFinRst) ev |= tcpevent::kKeepAlive;
    const bool sameSeqAck = len == 0 && seq == fwd.nextSeq && ack == fwd.lastAck && !synFinRst;
    if (sameSeqAck && window != 0 && window != fwd.window) ev |= tcpevent::kWindowUpdate;
    if (sameSeqAck && window != 0 && window == fwd.window &&
        (rev.state & TcpSideState::kLastWasKeepAlive) != 0) {
      ev |= tcpevent::kKeepAliveAck;
    } else if (sameSeqAck && window == 0 && fwd.window == 0 &&
               (rev.state & TcpSideState::kLastWasZeroWindowProbe) != 0) {
      ev |= tcpevent::kZeroWindowProbeAck;
    } else if (sameSeqAck && window != 0 && window == fwd.window) {
      fwd.dupAcks = fwd.dupAcks < 0 ? 1 : static_cast<std::int16_t>(fwd.dupAcks + 1);
      ev |= tcpevent::kDuplicateAck;
    }
  }
  if (ack != fwd.lastAck) fwd.dupAcks = 0;

  // This side acknowledges data of the other side that was never seen.
  if (rev.maxSeqToBeAcked != 0 && gt(ack, rev.maxSeqToBeAcked) && (flags & flag::kAck) != 0) {
    if (rev.maxSeqToBeAcked > rev.nextSeq) {
      rev.maxSeqToBeAcked = rev.nextSeq;
    } else {
      rev.dupAcks = -1;
    }
  }

  if ((len > 0 || (flags & (flag::kSyn | flag::kFin)) != 0) && (ev & tcpevent::kKeepAlive) == 0) {
    bool notAdvanced = fwd.nextSeq != 0 && lt(seq, fwd.nextSeq);
    // More than one byte right after a possible zero-window probe adds new data.
    if (len > 1 && fwd.nextSeq - 1 == seq) notAdvanced = false;
    const protocol::TimeNs sinceDupAck = s.ts - rev.lastAckTime;
    const protocol::TimeNs sinceNewest = s.ts - fwd.nextSeqTime;
    const protocol::TimeNs oooThreshold = hs.initialRtt != 0 ? hs.initialRtt : kDefaultOutOfOrderNs;
    const std::uint32_t end = seq + len + ((flags & (flag::kSyn | flag::kFin)) != 0 ? 1 : 0);
    if (len > 0 && rev.lastAck != 0 && le(seq + len, rev.lastAck)) {
      ev |= tcpevent::kSpuriousRetransmission;  // the receiver has acknowledged it already
    } else if (notAdvanced && rev.dupAcks >= 2 && rev.lastAck == seq &&
               sinceDupAck < kFastRetransmissionWindowNs) {
      ev |= tcpevent::kFastRetransmission;
    } else if (notAdvanced && sinceNewest < oooThreshold && fwd.nextSeq != end) {
      ev |= tcpevent::kOutOfOrder;
    } else if (notAdvanced) {
      ev |= tcpevent::kRetransmission;
    }
  }

  std::uint32_t nextSeq = seq + len;
  if ((flags & (flag::kSyn | flag::kFin)) != 0) ++nextSeq;
  if ((ev & tcpevent::kZeroWindowProbe) == 0) {
    if (gt(nextSeq, fwd.nextSeq) || fwd.nextSeq == 0) {
      fwd.nextSeq = nextSeq;
      fwd.nextSeqTime = s.ts;
    }
    if (seq == fwd.maxSeqToBeAcked || fwd.maxSeqToBeAcked == 0) fwd.maxSeqToBeAcked = fwd.nextSeq;
  }
  fwd.window = window;
  fwd.lastAck = ack;
  fwd.lastAckTime = s.ts;
  fwd.state &= ~(TcpSideState::kLastWasKeepAlive | TcpSideState::kLastWasZeroWindowProbe);
  if ((ev & tcpevent::kKeepAlive) != 0) fwd.state |= TcpSideState::kLastWasKeepAlive;
  if ((ev & tcpevent::kZeroWindowProbe) != 0) fwd.state |= TcpSideState::kLastWasZeroWindowProbe;

  // Handshake timing; frozen once the initial RTT is known.
  if (hs.initialRtt == 0) {
    if (syn && (flags & flag::kAck) == 0) {
      if (hs.synCount == 0) ev |= tcpevent::kNewSyn;
      hs.lastSyn = s.ts;
      hs.synAck = 0;
      if (hs.synCount < 255) ++hs.synCount;
    } else if (syn) {
      if (hs.synCount != 0 && hs.synAck == 0) hs.synAck = s.ts;
      if (hs.synAckCount < 255) ++hs.synAckCount;
    } else if ((flags & flag::kAck) != 0 && hs.synCount != 0) {
      hs.initialRtt = s.ts - hs.lastSyn;
      // Not when a reset refused the SYN (it may be the very segment that set the RTT).
      if (hs.isComplete() && ((fwd.state | rev.state) & TcpSideState::kRejected) == 0)
        ev |= tcpevent::kHandshakeComplete;
    }
  }
  return ev;
}

}  // namespace netlens::node::analysis
