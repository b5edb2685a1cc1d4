// SPDX-License-Identifier: MIT
#include "node/analysis/compact_tcp.h"

namespace netlens::node::analysis {

namespace {

constexpr std::uint32_t kMicrosecondCode = 0x80000000u;
constexpr std::int64_t kNsPerUs = 1000;

/// Codes a time relative to `origin` (see CompactTcp); false when it does not fit.
bool encodeTime(protocol::TimeNs t, protocol::TimeNs origin, std::uint32_t& code) {
  if (t == 0) {
    code = 0;
    return true;
  }
  // Subtracted as unsigned: times of any sign, however far apart, cannot overflow here.
  const auto d = static_cast<std::uint64_t>(t) - static_cast<std::uint64_t>(origin);
  if (t < origin) return false;
  if (d % kNsPerUs == 0 && d / kNsPerUs < kMicrosecondCode) {
    code = kMicrosecondCode | static_cast<std::uint32_t>(d / kNsPerUs);
    return true;
  }
  if (d + 1 >= kMicrosecondCode) return false;
  code = static_cast<std::uint32_t>(d + 1);
  return true;
}

protocol::TimeNs decodeTime(std::uint32_t code, protocol::TimeNs origin) {
  if (code == 0) return 0;
  if ((code & kMicrosecondCode) != 0) {
    return origin + static_cast<protocol::TimeNs>(code & ~kMicrosecondCode) * kNsPerUs;
  }
  return origin + static_cast<protocol::TimeNs>(code) - 1;
}

}  // namespace

bool CompactTcp::pack(const WideTcp& wide, protocol::TimeNs origin) {
  bool fits = true;
  for (std::size_t i = 0; i < 2; ++i) {
    const TcpSideState& w = wide.sides[i];
    CompactTcpSide& c = sides[i];
    c.base = w.base;
    c.nextSeq = w.nextSeq;
    c.maxSeqToBeAcked = w.maxSeqToBeAcked;
    c.lastAck = w.lastAck;
    c.window = w.window;
    c.maxWindow = w.maxWindow;
    c.dupAcks = w.dupAcks;
    c.windowScale = w.windowScale;
    c.state = w.state;
    fits = encodeTime(w.nextSeqTime, origin, c.nextSeqTime) && fits;
    fits = encodeTime(w.lastAckTime, origin, c.lastAckTime) && fits;
  }
  const TcpHandshake& h = wide.handshake;
  handshake.synCount = h.synCount;
  handshake.synAckCount = h.synAckCount;
  fits = encodeTime(h.lastSyn, origin, handshake.lastSyn) && fits;
  fits = encodeTime(h.synAck, origin, handshake.synAck) && fits;
  if (h.initialRtt < 0 || h.initialRtt > static_cast<protocol::TimeNs>(UINT32_MAX)) return false;
  handshake.initialRtt = static_cast<std::uint32_t>(h.initialRtt);
  return fits;
}

void CompactTcp::unpack(protocol::TimeNs origin, WideTcp& wide) const {
  for (std::size_t i = 0; i < 2; ++i) {
    const CompactTcpSide& c = sides[i];
    TcpSideState& w = wide.sides[i];
    w.base = c.base;
    w.nextSeq = c.nextSeq;
    w.maxSeqToBeAcked = c.maxSeqToBeAcked;
    w.lastAck = c.lastAck;
    w.window = c.window;
    w.maxWindow = c.maxWindow;
    w.dupAcks = c.dupAcks;
    w.windowScale = c.windowScale;
    w.state = c.state;
    w.nextSeqTime = decodeTime(c.nextSeqTime, origin);
    w.lastAckTime = decodeTime(c.lastAckTime, origin);
  }
  TcpHandshake& h = wide.handshake;
  h.synCount = handshake.synCount;
  h.synAckCount = handshake.synAckCount;
  h.lastSyn = decodeTime(handshake.lastSyn, origin);
  h.synAck = decodeTime(handshake.synAck, origin);
  h.initialRtt = handshake.initialRtt;
}

}  // namespace netlens::node::analysis
