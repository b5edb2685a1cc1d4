// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

#include "shared/protocol/messages.h"

namespace netlens::node::analysis {

/// What the sequence analysis found in one TCP segment (bit set).
namespace tcpevent {
inline constexpr std::uint16_t kRetransmission = 0x0001;
inline constexpr std::uint16_t kFastRetransmission = 0x0002;
inline constexpr std::uint16_t kSpuriousRetransmission = 0x0004;
inline constexpr std::uint16_t kOutOfOrder = 0x0008;
inline constexpr std::uint16_t kKeepAlive = 0x0010;
inline constexpr std::uint16_t kZeroWindowProbe = 0x0020;
inline constexpr std::uint16_t kDuplicateAck = 0x0040;
inline constexpr std::uint16_t kPreviousSegmentLost = 0x0080;
inline constexpr std::uint16_t kWindowUpdate = 0x0100;
inline constexpr std::uint16_t kZeroWindow = 0x0200;
inline constexpr std::uint16_t kKeepAliveAck = 0x0400;
inline constexpr std::uint16_t kZeroWindowProbeAck = 0x0800;
/// The segment's data reaches exactly the right edge of the window the receiver last
/// announced: the sender was limited by the receive window (Wireshark's window_full).
inline constexpr std::uint16_t kWindowFull = 0x1000;
/// The connection's first SYN without ACK: a new connection is attempted.
inline constexpr std::uint16_t kNewSyn = 0x2000;
/// The handshake's initial RTT became known with this segment (TcpHandshake::isComplete),
/// and the connection was not rejected: tshark's initial RTT also ends at the RST/ACK with
/// which a closed port refuses a SYN, but that is a rejection (kSynRejected), not a
/// handshake.
inline constexpr std::uint16_t kHandshakeComplete = 0x4000;
/// The connection's first reset, sent by the side a SYN went to before any SYN/ACK: the
/// connection is rejected (a closed port, a firewall).
inline constexpr std::uint16_t kSynRejected = 0x8000;
/// Any of the three retransmission classes (what tshark's conversation tables count).
inline constexpr std::uint16_t kAnyRetransmission =
    kRetransmission | kFastRetransmission | kSpuriousRetransmission;
}  // namespace tcpevent

/// One TCP segment as the sequence analysis needs it.
struct TcpSegment {
  protocol::TimeNs ts = 0;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint32_t length = 0;      ///< payload bytes per the headers (tshark's tcp.len)
  std::uint16_t window = 0;      ///< raw field
  std::uint8_t flags = 0;        ///< decoder::tcpflag bits
  std::int8_t windowScale = -1;  ///< option of a SYN / SYN-ACK, else -1
};

// The per-connection states below are packed to 4-byte alignment: they sit in every entry of
// a table of a million connections, and 8-byte alignment of the two times would pad each by
// 4 bytes. Unaligned 8-byte loads cost nothing measurable on the targets we build for.
#pragma pack(push, 4)

/// Sequence state of one direction of a TCP connection. Sequence numbers are the absolute
/// ones on the wire, and 0 means "not known yet", as in Wireshark's analysis.
struct TcpSideState {
  std::uint32_t base = 0;     ///< initial sequence number (SYN) or first seq − 1 (kBaseSet)
  std::uint32_t nextSeq = 0;  ///< highest seq + len (+1 for SYN/FIN) seen, 0 = none yet
  std::uint32_t maxSeqToBeAcked = 0;  ///< end of the contiguous data seen
  std::uint32_t lastAck = 0;          ///< ack field of this side's last segment
  std::uint32_t window = 0;           ///< last window, scaled when the scale is known
  std::uint32_t maxWindow = 0;        ///< largest scaled window announced
  protocol::TimeNs nextSeqTime = 0;
  protocol::TimeNs lastAckTime = 0;
  std::int16_t dupAcks = 0;
  std::int8_t windowScale = -1;  ///< -1 unknown, -2 not used, else the shift
  std::uint8_t state = 0;        ///< kSawSyn, kSawSynAck, ... and the last segment's flags

  static constexpr std::uint8_t kBaseSet = 0x01;
  static constexpr std::uint8_t kSawSyn = 0x02;
  static constexpr std::uint8_t kSawSynAck = 0x04;
  static constexpr std::uint8_t kLastWasKeepAlive = 0x08;
  static constexpr std::uint8_t kLastWasZeroWindowProbe = 0x10;
  static constexpr std::uint8_t kSawFin = 0x20;
  static constexpr std::uint8_t kSawRst = 0x40;
  /// This side's reset was the connection's first and answered a SYN that no SYN/ACK had
  /// answered (tcpevent::kSynRejected): a closed port or a firewall's refusal.
  static constexpr std::uint8_t kRejected = 0x80;
};

/// Handshake timing of a connection: SYN → SYN/ACK (server leg) and SYN/ACK → ACK (client
/// leg), measured like Wireshark's `tcp.analysis.initial_rtt`: from the most recent SYN to
/// the first segment with ACK but no SYN (either direction), so that a retransmitted SYN
/// does not count its timeout. The server leg ends at the first SYN/ACK after that SYN; the
/// client leg is the rest, so the two always add up to Wireshark's initial RTT.
struct TcpHandshake {
  protocol::TimeNs lastSyn = 0;     ///< most recent SYN (without ACK), if synCount != 0
  protocol::TimeNs synAck = 0;      ///< first SYN/ACK after lastSyn, 0 = none yet
  protocol::TimeNs initialRtt = 0;  ///< 0 until complete; then lastSyn and synAck stay
  std::uint8_t synCount = 0;        ///< SYNs seen (saturating): > 1 means retransmitted
  std::uint8_t synAckCount = 0;
  bool isComplete() const { return initialRtt > 0; }
  /// SYN → SYN/ACK; 0 when no SYN/ACK was seen between the SYN and the ACK.
  protocol::TimeNs serverLeg() const { return synAck != 0 ? synAck - lastSyn : 0; }
};

#pragma pack(pop)

/// Classifies one segment of a connection the way Wireshark's TCP sequence analysis does
/// (retransmission, fast retransmission, spurious retransmission, out-of-order, keep-alive,
/// zero-window probe, duplicate ACK, previous segment lost, window update) and updates the
/// state of both sides. `fwd` is the sender's side, `rev` the receiver's. Returns the
/// tcpevent bits of the segment. Pure function of the state: no allocation.
std::uint16_t analyzeTcpSegment(const TcpSegment& s, TcpSideState& fwd, TcpSideState& rev,
                                TcpHandshake& hs);

}  // namespace netlens::node::analysis
