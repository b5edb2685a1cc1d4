// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "shared/decoder/malformed_reason.h"
#include "shared/net/ip_address.h"

namespace netlens::decoder {

inline constexpr std::size_t kMaxL2Segments = 4;  ///< outer Ethernet + inner ones of tunnels
inline constexpr std::size_t kMaxVlans = 8;
inline constexpr std::size_t kMaxMplsLabels = 8;
inline constexpr std::size_t kMaxIpLayers = 8;

/// IP protocol numbers the decoder and analysers refer to.
namespace ipproto {
inline constexpr std::uint8_t kIcmp = 1;
inline constexpr std::uint8_t kIpv4 = 4;
inline constexpr std::uint8_t kTcp = 6;
inline constexpr std::uint8_t kUdp = 17;
inline constexpr std::uint8_t kIpv6 = 41;
inline constexpr std::uint8_t kGre = 47;
inline constexpr std::uint8_t kEsp = 50;
inline constexpr std::uint8_t kAh = 51;
inline constexpr std::uint8_t kIcmpv6 = 58;
inline constexpr std::uint8_t kSctp = 132;
}  // namespace ipproto

/// One layer-2 segment: an Ethernet header (or the address of a Linux cooked header) with the
/// VLAN tags that follow it. Tunnels that carry Ethernet (VXLAN, Geneve, GRE TEB, ERSPAN, MPLS
/// pseudowires) add a segment.
struct L2Segment {
  net::MacAddress src;
  net::MacAddress dst;
  bool hasSrc = false;         ///< false for raw IP / null link types
  bool hasDst = false;         ///< false also for SLL/SLL2, which carry one address only
  std::uint8_t vlanBegin = 0;  ///< index of this segment's first tag in DecodedPacket::vlans
  std::uint8_t vlanCount = 0;  ///< tags of this segment (outermost first)
};

/// IpLayer::flags bits.
inline constexpr std::uint8_t kIpDontFragment = 0x01;
inline constexpr std::uint8_t kIpMoreFragments = 0x02;
inline constexpr std::uint8_t kIpFragment = 0x04;  ///< offset != 0 or more-fragments set
/// A fragment whose data (fragmentDataLength bytes) is all in the captured buffer.
inline constexpr std::uint8_t kIpFragmentCaptured = 0x08;

/// One IP header (IPv4, or IPv6 with its extension headers).
struct IpLayer {
  net::IpAddress src;
  net::IpAddress dst;
  std::uint32_t offset = 0;              ///< of the IP header in the frame
  std::uint32_t fragmentId = 0;          ///< IPv4 identification or IPv6 fragment header id
  std::uint32_t payloadLength = 0;       ///< per the header's length field, after all ext. headers
  std::uint32_t fragmentDataLength = 0;  ///< fragments: bytes after the IPv4/fragment header
  std::uint16_t fragmentOffset = 0;      ///< in bytes
  std::uint16_t headerLength = 0;        ///< including IPv4 options / IPv6 extension headers
  std::uint8_t version = 0;              ///< 4 or 6
  std::uint8_t protocol = 0;             ///< IPv4 protocol or IPv6 final next header
  std::uint8_t dscp = 0;
  std::uint8_t ecn = 0;
  std::uint8_t ttl = 0;  ///< hop limit for IPv6
  std::uint8_t flags = 0;
  std::int8_t l2Index = -1;  ///< L2 segment that carries this header directly, -1 if none

  bool isFragment() const { return (flags & kIpFragment) != 0; }
  bool isFirstFragment() const { return isFragment() && fragmentOffset == 0; }
};

/// TCP flag bits as on the wire (low byte of the flags field).
namespace tcpflag {
inline constexpr std::uint8_t kFin = 0x01;
inline constexpr std::uint8_t kSyn = 0x02;
inline constexpr std::uint8_t kRst = 0x04;
inline constexpr std::uint8_t kPsh = 0x08;
inline constexpr std::uint8_t kAck = 0x10;
inline constexpr std::uint8_t kUrg = 0x20;
inline constexpr std::uint8_t kEce = 0x40;
inline constexpr std::uint8_t kCwr = 0x80;
}  // namespace tcpflag

/// The transport header of the innermost IP header (after tunnels are unwrapped).
struct TransportLayer {
  std::int8_t ipIndex = -1;   ///< DecodedPacket::ip index this belongs to; -1 when none decoded
  std::uint8_t protocol = 0;  ///< ipproto value (TCP, UDP, SCTP, ICMP, ICMPv6)
  std::uint16_t srcPort = 0;
  std::uint16_t dstPort = 0;
  std::uint8_t tcpFlags = 0;
  std::uint8_t icmpType = 0;
  std::uint8_t icmpCode = 0;
  std::uint16_t tcpWindow = 0;  ///< raw, unscaled
  /// The whole fixed TCP header was captured and its length field is valid (options may still
  /// be cut short): seq, ack, flags and window can be trusted.
  bool tcpHeaderValid = false;
  /// TCP window scale option (shift count) of a SYN or SYN/ACK; -1 when absent or not a SYN.
  std::int8_t tcpWindowScale = -1;
  std::uint32_t tcpSeq = 0;
  std::uint32_t tcpAck = 0;
  const std::uint8_t* payload = nullptr;  ///< into the captured buffer; valid while it is
  std::uint32_t payloadLength = 0;        ///< captured payload bytes (may be cut by snaplen)
  /// Payload bytes as the headers declare them (TCP: IP payload length minus the TCP header;
  /// UDP: its length field minus 8), whether captured or not. tshark's `tcp.len`.
  std::uint32_t segmentLength = 0;

  bool hasPorts() const {
    return ipIndex >= 0 &&
           (protocol == ipproto::kTcp || protocol == ipproto::kUdp || protocol == ipproto::kSctp);
  }
};

/// Encapsulations met while decoding (DecodedPacket::encapsulations bits).
namespace encap {
inline constexpr std::uint16_t kVlan = 0x0001;
inline constexpr std::uint16_t kMpls = 0x0002;
inline constexpr std::uint16_t kPppoe = 0x0004;
inline constexpr std::uint16_t kGre = 0x0008;
inline constexpr std::uint16_t kErspan = 0x0010;
inline constexpr std::uint16_t kVxlan = 0x0020;
inline constexpr std::uint16_t kGeneve = 0x0040;
inline constexpr std::uint16_t kIpInIp = 0x0080;  ///< IPv4/IPv6 directly in IPv4/IPv6
inline constexpr std::uint16_t kTeb = 0x0100;     ///< Ethernet in GRE (0x6558)
}  // namespace encap

/// A decoded packet. Plain data, no ownership: pointers refer into the buffer passed to
/// PacketDecoder::decode and are valid only while that buffer is. Reused from packet to
/// packet (decode() resets only the counts), so it never allocates.
struct DecodedPacket {
  std::int64_t timestampNs = 0;
  std::uint32_t wireLength = 0;      ///< original frame length
  std::uint32_t capturedLength = 0;  ///< bytes present in the buffer
  const std::uint8_t* data = nullptr;

  std::array<L2Segment, kMaxL2Segments> l2{};
  std::array<std::uint16_t, kMaxVlans> vlans{};  ///< all VLAN ids, outer→inner, all segments
  std::array<std::uint32_t, kMaxMplsLabels> mplsLabels{};  ///< 20-bit labels, top first
  std::array<std::uint8_t, kMaxVlans> vlanPcp{};           ///< priority code point of each tag
  std::array<std::uint8_t, kMaxMplsLabels> mplsTc{};       ///< traffic class of each label
  std::array<IpLayer, kMaxIpLayers> ip{};                  ///< outer→inner
  TransportLayer transport;
  std::uint8_t l2Count = 0;
  std::uint8_t vlanCount = 0;
  std::uint8_t mplsCount = 0;
  std::uint8_t ipCount = 0;
  std::uint16_t encapsulations = 0;
  MalformedReason malformed = MalformedReason::None;

  bool isMalformed() const { return malformed != MalformedReason::None; }
  bool hasIp() const { return ipCount != 0; }
  const IpLayer& innermostIp() const { return ip[ipCount - 1]; }  ///< requires hasIp()
  /// Outermost Ethernet addresses, or nullptr when the link layer has none.
  const net::MacAddress* outerSrcMac() const {
    return l2Count != 0 && l2[0].hasSrc ? &l2[0].src : nullptr;
  }
  const net::MacAddress* outerDstMac() const {
    return l2Count != 0 && l2[0].hasDst ? &l2[0].dst : nullptr;
  }
};

}  // namespace netlens::decoder
