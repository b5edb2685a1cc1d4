// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shared/net/ip_address.h"

namespace netlens::protocol {

/// The items of a request parameter's comma-separated list, each trimmed of white space;
/// empty items are left out.
std::vector<std::string> splitCommas(const std::string& text);

/// `text` as a whole decimal number from 0 to `max`; false (and `*out` untouched) otherwise.
bool parseNumber(const std::string& text, std::uint64_t max, std::uint64_t* out);

/// An IP protocol as requests name it: icmp, igmp, tcp, udp, gre, esp, icmp6 (or icmpv6),
/// sctp (any case) or a number from 0 to 255.
std::optional<std::uint8_t> parseIpProtocol(const std::string& text);
/// What parseIpProtocol() takes, for error messages.
inline constexpr const char* kIpProtocolsTaken =
    "tcp, udp, icmp, icmp6 (icmpv6), sctp, gre, esp, igmp or a number";

/// "ADDR:PORT", or "[ADDR]:PORT" for IPv6; false (and the outputs untouched) otherwise.
bool parseEndpointText(const std::string& text, net::IpAddress* ip, std::uint16_t* port);
/// The form parseEndpointText() reads.
std::string formatEndpointText(const net::IpAddress& ip, std::uint16_t port);

/// A connection as the "connection" parameter of "search" and "live-start" names it, both
/// directions: "tcp|udp|sctp ADDR:PORT ADDR:PORT" (IPv6 as [ADDR]:PORT), or for another IP
/// protocol "PROTO ADDR ADDR" (PROTO as parseIpProtocol() takes it), words separated by
/// spaces.
struct ConnectionText {
  std::uint8_t protocol = 0;
  net::IpAddress a;
  std::uint16_t aPort = 0;
  net::IpAddress b;
  std::uint16_t bPort = 0;
  /// TCP, UDP and SCTP: the two ends have ports.
  bool hasPorts() const { return protocol == 6 || protocol == 17 || protocol == 132; }
};
std::optional<ConnectionText> parseConnectionText(const std::string& text);
/// `connection` named from its lower end (net::compareEnds: address, then port), so that both
/// directions of a flow are the same value.
ConnectionText lowerEndFirst(ConnectionText connection);
std::string formatConnectionText(const ConnectionText& connection);
/// What parseConnectionText() takes, for error messages.
inline constexpr const char* kConnectionTextTaken =
    "a connection \"tcp|udp|sctp ADDR:PORT ADDR:PORT\" ([ADDR]:PORT for IPv6) or "
    "\"PROTO ADDR ADDR\" for another IP protocol";

}  // namespace netlens::protocol
