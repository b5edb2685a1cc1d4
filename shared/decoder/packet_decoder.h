// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

#include "shared/decoder/decoded_packet.h"

namespace netlens::decoder {

/// Link-layer types (pcap LINKTYPE_/DLT_ values) the decoder understands.
namespace linktype {
inline constexpr int kNull = 0;  ///< BSD loopback, address family in host byte order
inline constexpr int kEthernet = 1;
inline constexpr int kRaw = 12;  ///< DLT_RAW on most systems (IPv4 or IPv6)
inline constexpr int kRawOpenBsd = 14;
inline constexpr int kRawLinktype = 101;  ///< LINKTYPE_RAW
inline constexpr int kLoop = 108;         ///< OpenBSD loopback, family in network byte order
inline constexpr int kLinuxSll = 113;
inline constexpr int kIpv4 = 228;
inline constexpr int kIpv6 = 229;
inline constexpr int kLinuxSll2 = 276;
}  // namespace linktype

/// Zero-copy packet decoder: Ethernet/802.1Q/QinQ/MPLS/PPPoE/SLL/SLL2/raw/null link layers,
/// IPv4 (fragments flagged; only the first fragment's payload is decoded), IPv6 with extension
/// headers, TCP/UDP/ICMP/ICMPv6/SCTP, and the tunnels GRE (TEB, ERSPAN I/II/III, PPTP PPP),
/// IP-in-IP, IPv6-in-IP, VXLAN (UDP 4789), Geneve (UDP 6081), MPLS pseudowires.
///
/// Every read is bounds-checked against the captured length; the decoder never throws and never
/// allocates. ICMP error messages are not unwrapped: the IP header they quote is not a layer of
/// the packet (tshark's endpoint statistics do not count it either).
///
/// Stateless; thread: any, concurrently.
class PacketDecoder {
 public:
  /// Decodes one frame into `out` (fully overwritten). On a problem `out.malformed` names the
  /// first one and every layer decoded before it stays in `out`.
  static void decode(int linkType, const std::uint8_t* data, std::uint32_t capturedLength,
                     std::uint32_t wireLength, std::int64_t timestampNs,
                     DecodedPacket& out) noexcept;

  static bool isSupportedLinkType(int linkType) noexcept;
};

}  // namespace netlens::decoder
