// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string_view>
#include <vector>

#include "node/demo/demo_frame.h"

namespace netlens::node::demo {

/// TCP header flag bits.
inline constexpr std::uint8_t kTcpFin = 0x01;
inline constexpr std::uint8_t kTcpSyn = 0x02;
inline constexpr std::uint8_t kTcpRst = 0x04;
inline constexpr std::uint8_t kTcpPsh = 0x08;
inline constexpr std::uint8_t kTcpAck = 0x10;

/// Builds complete Ethernet frames (802.1Q, ARP, IPv4, IPv6, TCP, UDP, ICMP, ICMPv6) with
/// correct lengths and checksums, and collects them with their timestamps. It keeps the
/// per-host IPv4 identification counters, so all frames of a capture go through one builder.
/// Frames are collected in call order; the caller sorts them. Single-threaded.
class FrameBuilder {
 public:
  /// A TCP segment from src:srcPort to dst:dstPort.
  void tcp(std::int64_t timestampNs, const DemoHost& src, std::uint16_t srcPort,
           const DemoHost& dst, std::uint16_t dstPort, std::uint32_t seq, std::uint32_t ack,
           std::uint8_t flags, std::uint16_t window, std::span<const std::uint8_t> options,
           std::span<const std::uint8_t> payload);
  /// A UDP datagram; `dscp` goes into the IP header (46 = EF for RTP, 24 = CS3 for SIP).
  void udp(std::int64_t timestampNs, const DemoHost& src, std::uint16_t srcPort,
           const DemoHost& dst, std::uint16_t dstPort, std::span<const std::uint8_t> payload,
           std::uint8_t dscp = 0);
  /// An ICMP (IPv4) or ICMPv6 (IPv6) echo request or reply, chosen by the address family.
  void icmpEcho(std::int64_t timestampNs, const DemoHost& src, const DemoHost& dst, bool isReply,
                std::uint16_t identifier, std::uint16_t sequence,
                std::span<const std::uint8_t> data);
  /// An ICMPv6 message (type, code, then `body` after the checksum) with the given hop
  /// limit (255 for neighbour discovery) to an explicit destination MAC (multicast for NS).
  void icmpv6(std::int64_t timestampNs, const DemoHost& src, const net::IpAddress& dstIp,
              const net::MacAddress& dstMac, std::uint8_t type, std::uint8_t code,
              std::span<const std::uint8_t> body, std::uint8_t hopLimit);
  /// An ARP request (isReply false: to the broadcast MAC) or reply, for IPv4 over Ethernet.
  void arp(std::int64_t timestampNs, const DemoHost& sender, const DemoHost& target, bool isReply);

  std::size_t frameCount() const { return m_frames.size(); }
  /// Hands over the frames collected so far and starts a new collection.
  std::vector<DemoFrame> takeFrames();

  /// RFC 1071 Internet checksum of `data`, continuing from `partialSum` (a 32-bit sum).
  static std::uint16_t internetChecksum(std::span<const std::uint8_t> data,
                                        std::uint32_t partialSum = 0);

 private:
  std::vector<std::uint8_t> ipPacket(const DemoHost& src, const net::IpAddress& dstIp,
                                     std::uint8_t protocol, std::uint8_t dscp, std::uint8_t ttl,
                                     std::span<const std::uint8_t> l4, std::size_t checksumOffset);
  void emit(std::int64_t timestampNs, const net::MacAddress& dstMac, const net::MacAddress& srcMac,
            std::uint16_t vlan, std::uint16_t etherType, std::span<const std::uint8_t> payload);

  std::map<net::IpAddress, std::uint16_t> m_ipIds;
  std::vector<DemoFrame> m_frames;
};

}  // namespace netlens::node::demo
