// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string_view>

namespace netlens::net {

/// The usual service name of a TCP server port, for the ports an operator meets most: IANA's
/// name where operators use it ("https", "ms-wbt-server"), else the one they know ("oracle"
/// for 1521, "kafka" for 9092); "" for any other port. A built-in table rather
/// than getservbyport(): the console runs on Windows and macOS too, and a minimal Linux node
/// may have no /etc/services. Thread: any.
std::string_view tcpServiceName(std::uint16_t port);

/// The name of a DSCP value (RFC 2474 class selectors CS0–CS7, RFC 2597 AF11–AF43, RFC 3246
/// EF, RFC 5865 VOICE-ADMIT, RFC 8622 LE); "" for an unnamed code point.
std::string_view dscpName(int dscp);

/// The traffic type IEEE 802.1Q recommends for a VLAN priority (PCP) 0–7: BK, BE, EE, CA,
/// VI, VO, IC, NC; "" outside 0–7.
std::string_view pcpName(int pcp);

}  // namespace netlens::net
