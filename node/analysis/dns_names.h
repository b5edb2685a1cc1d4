// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "shared/decoder/decoded_packet.h"
#include "shared/net/ip_address.h"

namespace netlens::node::analysis {

/// Longest domain name in presentation form: 255 octets on the wire (RFC 1035 §3.1) make at
/// most 253 characters without the trailing dot.
inline constexpr std::size_t kMaxDnsNameLength = 253;
/// Longest domain name on the wire, length octets and the root label included.
inline constexpr std::size_t kMaxDnsWireNameLength = 255;

/// Server ports of the name protocols whose answers are read. A response is recognised by its
/// source port.
namespace dnsport {
inline constexpr std::uint16_t kDns = 53;
inline constexpr std::uint16_t kMdns = 5353;   ///< multicast DNS (RFC 6762), UDP only
inline constexpr std::uint16_t kLlmnr = 5355;  ///< link-local multicast name resolution (RFC 4795)
}  // namespace dnsport

/// Which protocol carried a response: they share the DNS message format.
enum class DnsProtocol : std::uint8_t { Dns, Mdns, Llmnr };

/// Outcome of parsing a packet or message. Append only: the names are published in statistics.
enum class DnsStatus : std::uint8_t {
  Ok,            ///< a response of a standard query; its address records are in the output
  NotResponse,   ///< a query, or a response to another opcode: nothing to learn, not an error
  NotDns,        ///< (parsePacket) not a DNS, mDNS or LLMNR payload, or an empty one
  Incomplete,    ///< the message is not all in this packet: an IP fragment, a capture cut short
                 ///< by the snapshot length, a TCP message that goes on in a later segment
  Truncated,     ///< a section, record or name runs past the end of the message
  BadLabel,      ///< a label type other than 0 (normal) or 3 (pointer): 0x40, 0x80
  NameTooLong,   ///< a name longer than 255 octets on the wire
  BadPointer,    ///< a compression pointer that does not point before the name it is in, or
                 ///< a chain of more than kMaxPointerHops pointers (this is the loop protection)
  BadRecord,     ///< A or AAAA data of the wrong length, CNAME data other than one name
  BadTcpLength,  ///< a DNS-over-TCP length prefix too small for a DNS header
  Count          ///< number of statuses; not a status
};

inline constexpr std::size_t kDnsStatusCount = static_cast<std::size_t>(DnsStatus::Count);

/// True for the statuses that mean a damaged message (Truncated and after).
inline bool isMalformed(DnsStatus s) {
  return s >= DnsStatus::Truncated && s < DnsStatus::Count;
}
/// Stable, lower-case, dash-separated name ("name-too-long").
std::string_view dnsStatusName(DnsStatus status) noexcept;

/// A domain name in presentation form in a fixed buffer: labels joined by dots, ASCII letters
/// lower-cased (DNS ignores case, and resolvers randomise it in queries, RFC 5452 §9.2, so
/// answers come back in mixed case), no trailing dot; the root name is empty.
struct DnsName {
  std::array<char, kMaxDnsNameLength> text{};
  std::uint8_t length = 0;
  /// False when a label holds a dot, a space, a control character or bytes that are not
  /// UTF-8: legal in DNS, but not a name to show. Such names are parsed and never learned.
  bool isDisplayable = true;

  std::string_view view() const { return {text.data(), length}; }
};

/// One A or AAAA record of a response and the names its address gets.
struct DnsAddressRecord {
  net::IpAddress address;
  /// The record's owner name: at the end of a CNAME chain, the canonical name.
  std::string_view name;
  /// The name asked in the question when the record answers it through a CNAME chain (a
  /// browser asked for www.example.com and got the CDN's name): the name an engineer knows
  /// the service by. Empty when it equals `name` or the record answers no question.
  std::string_view queriedName;
};

/// The address records learned from one packet, in a fixed buffer reused from packet to
/// packet: parsing never allocates. Views returned by operator[] stay valid until the next
/// parse into this object. Thread: owned by one thread.
class DnsAnswers {
 public:
  static constexpr std::size_t kMaxNames = 32;    ///< distinct names per packet
  static constexpr std::size_t kMaxRecords = 64;  ///< address records per packet

  void clear() {
    m_nameCount = 0;
    m_recordCount = 0;
    m_droppedRecords = 0;
    m_responses = 0;
  }
  std::size_t size() const { return m_recordCount; }
  DnsAddressRecord operator[](std::size_t i) const {
    const Record& r = m_records[i];
    return {r.address, m_names[r.name].view(),
            r.queried == kNoName ? std::string_view() : m_names[r.queried].view()};
  }
  DnsProtocol protocol() const { return m_protocol; }
  /// Responses parsed (a TCP segment may hold several).
  std::size_t responses() const { return m_responses; }
  /// Address records left out: their owner name is not displayable, or the buffer was full.
  std::size_t droppedRecords() const { return m_droppedRecords; }

 private:
  friend class DnsNameParser;
  static constexpr std::uint8_t kNoName = 0xff;
  struct Record {
    net::IpAddress address;
    std::uint8_t name = kNoName;
    std::uint8_t queried = kNoName;
  };

  std::array<DnsName, kMaxNames> m_names{};
  std::array<Record, kMaxRecords> m_records{};
  std::size_t m_nameCount = 0;
  std::size_t m_recordCount = 0;
  std::size_t m_droppedRecords = 0;
  std::size_t m_responses = 0;
  DnsProtocol m_protocol = DnsProtocol::Dns;
};

/// Reads the A and AAAA answers of DNS, mDNS and LLMNR responses into (address, names) pairs
/// for the per-IP name table.
///
/// Which names an address gets: the owner name of its A/AAAA record and, when that record
/// answers the question through a chain of CNAMEs, the name asked in the question too (an
/// engineer looks for www.example.com, not only for the CDN's edge name). Names in the middle
/// of a chain are not given to the address. Only the answer section is read for DNS and
/// LLMNR (records in the authority and additional sections are referrals and glue, not
/// answers to what the host asked); in mDNS every record of a response is the responder's
/// own authoritative answer (RFC 6762 §6), so A/AAAA records of its additional section count
/// too (that is where service-discovery responses put the host's address). Only class IN (the
/// mDNS cache-flush bit ignored) and opcode QUERY responses are read; the response code does
/// not matter.
///
/// Every read is bounds-checked; damaged input gives a malformed status and no records from
/// that message, never a crash or an exception. Compression pointers must point before the
/// start of the name or label sequence that contains them, which makes loops impossible; a
/// pointer chain is also limited to kMaxPointerHops. Huge section counts are refused up front
/// when the message cannot hold them. Not read: messages split over IP fragments or TCP
/// segments (no reassembly here), and TCP segments that continue a message (they usually
/// fail the header checks and are counted as malformed).
///
/// Stateless; thread: any, concurrently.
class DnsNameParser {
 public:
  static constexpr int kMaxPointerHops = 128;

  /// Parses the DNS payload of a decoded packet, if any: UDP from port 53, 5353 or 5355, or
  /// TCP from port 53 or 5355 (2-byte length prefix, several messages per segment possible).
  /// `out` is cleared first. With a TCP segment the records of the complete messages before a
  /// problem stay in `out`.
  static DnsStatus parsePacket(const decoder::DecodedPacket& packet, DnsAnswers& out) noexcept;

  /// Parses one DNS message (a UDP payload), appending its records to `out`; on a malformed
  /// message `out` is left as it was.
  static DnsStatus parseMessage(const std::uint8_t* message, std::size_t length,
                                DnsProtocol protocol, DnsAnswers& out) noexcept;

  /// Parses a TCP payload of length-prefixed messages (RFC 1035 §4.2.2), appending to `out`.
  /// A message that goes on beyond the segment gives Incomplete.
  static DnsStatus parseTcpPayload(const std::uint8_t* data, std::size_t length,
                                   DnsProtocol protocol, DnsAnswers& out) noexcept;

  /// Decodes the name at `offset` of `message` into `out`; `next` gets the offset after it
  /// (after the first pointer when compressed). With `allowPointers` false, a pointer is
  /// BadPointer (names in DHCP options are never compressed). Ok or a malformed status.
  static DnsStatus readName(const std::uint8_t* message, std::size_t length, std::size_t offset,
                            bool allowPointers, DnsName& out, std::size_t& next) noexcept;
};

/// True when `text` is valid UTF-8 without control characters (C0, DEL, C1): safe to show
/// and to write into JSON or CSV as it is. Thread: any.
bool isDisplayableText(std::string_view text) noexcept;

}  // namespace netlens::node::analysis
