// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "shared/decoder/decoded_packet.h"
#include "shared/net/ip_address.h"

namespace netlens::node::analysis {

/// BOOTP/DHCP UDP ports (RFC 2131): the server listens on 67, the client on 68; relay agents
/// talk to servers from 67 to 67.
namespace dhcpport {
inline constexpr std::uint16_t kServer = 67;
inline constexpr std::uint16_t kClient = 68;
}  // namespace dhcpport

/// DHCP message types (option 53, RFC 2132 §9.6); 0 when a message has none (plain BOOTP).
namespace dhcptype {
inline constexpr std::uint8_t kNone = 0;
inline constexpr std::uint8_t kDiscover = 1;
inline constexpr std::uint8_t kOffer = 2;
inline constexpr std::uint8_t kRequest = 3;
inline constexpr std::uint8_t kDecline = 4;
inline constexpr std::uint8_t kAck = 5;
inline constexpr std::uint8_t kNak = 6;
inline constexpr std::uint8_t kRelease = 7;
inline constexpr std::uint8_t kInform = 8;
}  // namespace dhcptype

/// Outcome of parsing a packet or message. Append only: the names are published in statistics.
enum class DhcpStatus : std::uint8_t {
  Ok,          ///< a BOOTP/DHCP message; the fields it has are in the output
  NotDhcp,     ///< (parsePacket) not UDP between ports 67 and 68
  Incomplete,  ///< the message is not all in this packet (IP fragment, capture cut short)
  Truncated,   ///< shorter than the fixed 236-octet BOOTP header
  BadHeader,   ///< op other than request/reply, or a hardware address longer than 16 octets
  BadOption,   ///< an option runs past the end of its area
  Count        ///< number of statuses; not a status
};

inline constexpr std::size_t kDhcpStatusCount = static_cast<std::size_t>(DhcpStatus::Count);

/// True for the statuses that mean a damaged message (Truncated and after).
inline bool isMalformed(DhcpStatus s) {
  return s >= DhcpStatus::Truncated && s < DhcpStatus::Count;
}
/// Stable, lower-case, dash-separated name ("bad-option").
std::string_view dhcpStatusName(DhcpStatus status) noexcept;

/// What one BOOTP/DHCP message says about its client's identity. Fixed size, reused from
/// packet to packet: parsing never allocates.
struct DhcpMessage {
  static constexpr std::size_t kMaxHostName = 255;  ///< an option holds at most 255 octets

  std::uint8_t op = 0;           ///< 1 BOOTREQUEST (client or relay), 2 BOOTREPLY (server)
  std::uint8_t messageType = 0;  ///< dhcptype value (option 53)
  bool hasClientMac = false;     ///< chaddr is a 6-octet Ethernet address (htype 1, hlen 6)
  /// The host name option was present but not displayable (control characters, bad UTF-8):
  /// it is dropped, not cleaned up.
  bool isHostNameRejected = false;
  net::MacAddress clientMac;        ///< chaddr
  net::IpAddress clientAddress;     ///< ciaddr; not valid when 0.0.0.0
  net::IpAddress yourAddress;       ///< yiaddr; not valid when 0.0.0.0
  net::IpAddress requestedAddress;  ///< option 50; not valid when absent
  /// Option 12 as the client wrote it, without trailing NULs and surrounding spaces.
  std::array<char, kMaxHostName> hostName{};
  std::uint8_t hostNameLength = 0;
  /// Option 81's domain name (RFC 4702); names sent in DNS wire format come in presentation
  /// form (lower-cased), the deprecated ASCII form as sent.
  std::array<char, kMaxHostName> fqdn{};
  std::uint8_t fqdnLength = 0;

  std::string_view hostNameView() const { return {hostName.data(), hostNameLength}; }
  std::string_view fqdnView() const { return {fqdn.data(), fqdnLength}; }

  /// The address this message ties to the client's hardware address, or an invalid address:
  /// the server's ACK (yiaddr, or ciaddr when it acknowledges an INFORM), a BOOTP reply
  /// (yiaddr), or the client's own address (ciaddr) in its REQUEST (renewing), INFORM or
  /// RELEASE. An OFFER or a requested address (option 50) is not a binding: the server may
  /// never confirm it.
  net::IpAddress boundAddress() const;
};

/// Parses BOOTP/DHCP messages (RFC 951, 2131, 2132) for the names of hosts: option 12 host
/// name, option 81 client FQDN, the message type, the client's MAC (chaddr), ciaddr, yiaddr
/// and option 50. Option overload (option 52) is honoured: the `file` and `sname` fields are
/// then read for options too, in that order. When an option occurs more than once the first
/// one counts (RFC 3396 concatenation is not done; no client splits a host name). A message
/// without the magic cookie is plain BOOTP: its fixed fields are read, no options.
///
/// Every read is bounds-checked; damaged input gives a malformed status, never a crash.
/// Stateless; thread: any, concurrently.
class DhcpNameParser {
 public:
  /// Parses the DHCP payload of a decoded packet: UDP with both ports 67 or 68.
  static DhcpStatus parsePacket(const decoder::DecodedPacket& packet, DhcpMessage& out) noexcept;
  /// Parses one BOOTP/DHCP message (a UDP payload) into `out` (fully overwritten).
  static DhcpStatus parseMessage(const std::uint8_t* message, std::size_t length,
                                 DhcpMessage& out) noexcept;
};

}  // namespace netlens::node::analysis
