// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "node/analysis/flow_segment.h"
#include "shared/decoder/decoded_packet.h"

namespace netlens::node::analysis {

/// Puts together the payload of fragmented UDP datagrams that start like SIP, so a SIP
/// message whose IP datagram was fragmented (an INVITE with a large SDP, common over IPv6) is
/// read like any other. The host analyser's FragmentTracker says when a datagram is complete
/// but keeps no bytes; this keeps them for SIP only: a datagram is followed from its first
/// fragment on when the UDP payload there starts like a SIP message (a request line or
/// "SIP/2.0"); other datagrams cost one lookup per fragment.
///
/// Bounded: at most kMaxDatagrams datagrams at a time (the least recently updated one goes
/// first), each at most 65 535 bytes. A repeated fragment, or an overlap with the same bytes,
/// is accepted (a mirror port may copy every packet twice). A fragment not captured in full,
/// one that arrives before its datagram's first fragment, or an overlap with other bytes,
/// make the datagram unusable (dropped; the SIP analyser then never sees it). Idle datagrams go
/// after kIdleNs. Not thread-safe: owned by one worker (all fragments of a datagram meet in one
/// worker).
class SipDatagramReassembly {
 public:
  static constexpr std::size_t kMaxDatagrams = 16;
  static constexpr protocol::TimeNs kIdleNs = 30'000'000'000;

  /// Keeps the bytes of `packet`'s fragment when its datagram is followed (or starts here).
  void add(const decoder::DecodedPacket& packet);

  /// For a UDP segment the host analyser completed from fragments (payload null), on the
  /// frame `packet` that completed it: points the segment's payload at the datagram's UDP
  /// payload when every byte was kept, and returns true. The bytes stay valid until the next
  /// add() or complete().
  bool complete(const decoder::DecodedPacket& packet, FlowSegment& segment);

  std::uint64_t reassembled() const { return m_reassembled; }

 private:
  struct Datagram {
    net::IpAddress src;
    net::IpAddress dst;
    std::uint32_t id = 0;
    bool inUse = false;
    bool hasLast = false;
    std::uint32_t total = 0;  ///< bytes of the fragmentable part, known from the last fragment
    std::uint32_t kept = 0;   ///< distinct bytes carried so far
    protocol::TimeNs lastSeen = 0;
    std::vector<std::uint8_t> bytes;  ///< the fragmentable part: UDP header, then payload
    std::vector<bool> covered;        ///< per byte of `bytes`: a fragment carried it
  };

  /// The first fragmented IP header of `packet` carrying UDP, or null.
  static const decoder::IpLayer* fragmentOf(const decoder::DecodedPacket& packet);
  Datagram* find(const decoder::IpLayer& ip);

  std::array<Datagram, kMaxDatagrams> m_datagrams{};
  std::vector<std::uint8_t> m_done;  ///< the payload complete() handed out
  std::uint64_t m_reassembled = 0;
};

}  // namespace netlens::node::analysis
