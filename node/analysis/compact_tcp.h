// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>

#include "node/analysis/tcp_analysis.h"
#include "shared/protocol/messages.h"

namespace netlens::node::analysis {

// Packed to 4-byte alignment: a million connections may each keep one CompactTcp (in
// ConnectionAnalyzer's TcpStateTable, see tcp_state_table.h).
#pragma pack(push, 4)

/// TcpSideState as a connection keeps it: the two times are 32-bit codes relative to an
/// origin (the connection's first packet), see CompactTcp.
struct CompactTcpSide {
  std::uint32_t base = 0;
  std::uint32_t nextSeq = 0;
  std::uint32_t maxSeqToBeAcked = 0;
  std::uint32_t lastAck = 0;
  std::uint32_t window = 0;
  std::uint32_t maxWindow = 0;
  std::uint32_t nextSeqTime = 0;
  std::uint32_t lastAckTime = 0;
  std::int16_t dupAcks = 0;
  std::int8_t windowScale = -1;
  std::uint8_t state = 0;
};

/// TcpHandshake as a connection keeps it (times coded like CompactTcpSide's).
struct CompactTcpHandshake {
  std::uint32_t lastSyn = 0;
  std::uint32_t synAck = 0;
  std::uint32_t initialRtt = 0;  ///< a duration in nanoseconds, not a time
  std::uint8_t synCount = 0;
  std::uint8_t synAckCount = 0;
};

#pragma pack(pop)

/// The full TCP state of a connection whose times do not fit the compact codes.
struct WideTcp {
  std::array<TcpSideState, 2> sides{};
  TcpHandshake handshake;
};

/// The TCP state of a connection in 88 bytes instead of 116: the per-side state and the
/// handshake with every time coded in 32 bits relative to an origin. A code is exact:
/// 0 stands for the time 0 ("none"); with the top bit set, the rest is whole microseconds
/// after the origin (up to 2^31 µs, about 35 minutes: every time of a capture with
/// microsecond timestamps, the usual pcap); otherwise nanoseconds after the origin plus one
/// (up to 2^31 − 2 ns, about 2.1 s, for nanosecond timestamps). A state with a time outside
/// these ranges (or before the origin) does not pack; its owner then keeps a WideTcp.
struct CompactTcp {
  std::array<CompactTcpSide, 2> sides{};
  CompactTcpHandshake handshake;

  /// Stores `wide` relative to `origin`; false when a time does not fit (the stored times
  /// are then meaningless). The fields that are not times are stored either way, so that
  /// the side states, windows and handshake counts may be read without unpacking.
  bool pack(const WideTcp& wide, protocol::TimeNs origin);
  /// The state pack() stored, with the same origin.
  void unpack(protocol::TimeNs origin, WideTcp& wide) const;
};
static_assert(sizeof(CompactTcp) == 88, "see README, Performance, before growing it");

}  // namespace netlens::node::analysis
