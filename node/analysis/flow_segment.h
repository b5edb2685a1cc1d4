// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>

#include "shared/decoder/decoded_packet.h"
#include "shared/net/ip_address.h"
#include "shared/protocol/messages.h"

namespace netlens::node::analysis {

/// The innermost transport segment a frame delivers, as the connection analysis sees it:
/// the frame's own one, or, for a frame that completes a fragmented datagram, the one the
/// datagram's first fragment carried (tshark dissects it only then).
struct FlowSegment {
  protocol::TimeNs ts = 0;
  std::uint32_t wireLength = 0;  ///< this frame's original length
  net::IpAddress src;
  net::IpAddress dst;
  std::int32_t vlan = -1;  ///< outermost tag of the L2 segment carrying the IP header, -1 none
  /// QoS markings: DSCP of the innermost IP header; PCP of the frame's outermost VLAN tag and
  /// TC of its top MPLS label (-1 when untagged / unlabelled), with the whole label stack.
  std::uint8_t dscp = 0;
  std::int8_t vlanPcp = -1;
  std::int8_t mplsTc = -1;
  std::uint8_t mplsCount = 0;
  std::array<std::uint32_t, decoder::kMaxMplsLabels> mplsLabels{};  ///< top first
  std::uint16_t srcPort = 0;                                        ///< TCP, UDP, SCTP; 0 otherwise
  std::uint16_t dstPort = 0;
  std::uint8_t protocol = 0;    ///< IP protocol of the innermost header
  bool tcpHeaderValid = false;  ///< TCP fields usable for sequence analysis
  std::uint8_t tcpFlags = 0;
  std::int8_t tcpWindowScale = -1;
  std::uint16_t tcpWindow = 0;
  std::uint32_t tcpSeq = 0;
  std::uint32_t tcpAck = 0;
  std::uint32_t segmentLength = 0;  ///< payload bytes per the headers
  /// Captured payload of this frame; nullptr for a reassembled datagram (its payload is
  /// spread over several frames).
  const std::uint8_t* payload = nullptr;
  std::uint32_t payloadLength = 0;
  /// The innermost IP header and what was captured from it on (for DPI); nullptr for a
  /// reassembled datagram.
  const std::uint8_t* ipHeader = nullptr;
  std::uint32_t ipCapturedLength = 0;
};

}  // namespace netlens::node::analysis
