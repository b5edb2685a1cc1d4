// SPDX-License-Identifier: MIT
#include "node/analysis/dhcp_names.h"

#include <cstring>

#include "node/analysis/dns_names.h"

namespace netlens::node::analysis {

namespace {

// Offsets in the fixed BOOTP header (RFC 951 / RFC 2131 §2).
constexpr std::size_t kOp = 0;
constexpr std::size_t kHtype = 1;
constexpr std::size_t kHlen = 2;
constexpr std::size_t kCiaddr = 12;
constexpr std::size_t kYiaddr = 16;
constexpr std::size_t kChaddr = 28;
constexpr std::size_t kSname = 44;
constexpr std::size_t kFile = 108;
constexpr std::size_t kFixedLength = 236;
constexpr std::size_t kOptions = 240;
constexpr std::uint8_t kMagicCookie[4] = {99, 130, 83, 99};

constexpr std::uint8_t kOptionPad = 0;
constexpr std::uint8_t kOptionHostName = 12;
constexpr std::uint8_t kOptionRequestedAddress = 50;
constexpr std::uint8_t kOptionOverload = 52;
constexpr std::uint8_t kOptionMessageType = 53;
constexpr std::uint8_t kOptionClientFqdn = 81;
constexpr std::uint8_t kOptionEnd = 255;
constexpr std::uint8_t kFqdnFlagEncoded = 0x04;  // E: the name is in DNS wire format

/// 0.0.0.0 means "none" in BOOTP address fields.
net::IpAddress v4OrNone(const std::uint8_t* p) {
  if ((p[0] | p[1] | p[2] | p[3]) == 0) return {};
  return net::IpAddress::fromV4(p);
}

/// `text` without trailing NULs (some clients count the C string terminator) and without
/// surrounding spaces.
std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.back() == '\0' || text.back() == ' ')) text.remove_suffix(1);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  return text;
}

/// Copies a displayable `text` into a fixed field; false (field left empty) otherwise.
bool copyName(std::string_view text, std::array<char, DhcpMessage::kMaxHostName>& field,
              std::uint8_t& length) {
  length = 0;
  if (text.empty() || text.size() > field.size() || !isDisplayableText(text)) return false;
  std::memcpy(field.data(), text.data(), text.size());
  length = static_cast<std::uint8_t>(text.size());
  return true;
}

/// The domain name of a client FQDN option (RFC 4702 §2): wire format when the E flag is set,
/// else the deprecated ASCII form.
void readFqdn(const std::uint8_t* value, std::size_t length, DhcpMessage& out) {
  if (length <= 3) return;
  const std::uint8_t flags = value[0];
  const std::uint8_t* name = value + 3;
  const std::size_t nameLength = length - 3;
  if ((flags & kFqdnFlagEncoded) == 0) {
    std::string_view text = trimmed({reinterpret_cast<const char*>(name), nameLength});
    if (!text.empty() && text.back() == '.') text.remove_suffix(1);
    copyName(text, out.fqdn, out.fqdnLength);
    return;
  }
  // A partial name (RFC 4702 §2.3.1) has no root label: add one, so that both forms decode.
  std::uint8_t wire[DhcpMessage::kMaxHostName + 1];
  std::memcpy(wire, name, nameLength);
  wire[nameLength] = 0;
  DnsName decoded;
  std::size_t next = 0;
  if (DnsNameParser::readName(wire, nameLength + 1, 0, false, decoded, next) != DnsStatus::Ok ||
      !decoded.isDisplayable) {
    return;
  }
  copyName(decoded.view(), out.fqdn, out.fqdnLength);
}

/// Which options were met already: the first occurrence counts.
struct Seen {
  bool hostName = false;
  bool messageType = false;
  bool requestedAddress = false;
  bool fqdn = false;
};

/// Reads the options in [begin, end) of `m`. `overload` gets option 52's value when given.
DhcpStatus readOptions(const std::uint8_t* m, std::size_t begin, std::size_t end, DhcpMessage& out,
                       Seen& seen, std::uint8_t* overload) {
  std::size_t i = begin;
  while (i < end) {
    const std::uint8_t code = m[i];
    if (code == kOptionPad) {
      ++i;
      continue;
    }
    if (code == kOptionEnd) break;
    if (end - i < 2) return DhcpStatus::BadOption;
    const std::size_t length = m[i + 1];
    if (length > end - i - 2) return DhcpStatus::BadOption;
    const std::uint8_t* value = m + i + 2;
    switch (code) {
      case kOptionHostName:
        if (!seen.hostName) {
          seen.hostName = true;
          const std::string_view text = trimmed({reinterpret_cast<const char*>(value), length});
          if (!text.empty() && !copyName(text, out.hostName, out.hostNameLength)) {
            out.isHostNameRejected = true;
          }
        }
        break;
      case kOptionMessageType:
        if (!seen.messageType && length >= 1) {
          seen.messageType = true;
          out.messageType = value[0];
        }
        break;
      case kOptionRequestedAddress:
        if (!seen.requestedAddress && length == 4) {
          seen.requestedAddress = true;
          out.requestedAddress = v4OrNone(value);
        }
        break;
      case kOptionClientFqdn:
        if (!seen.fqdn) {
          seen.fqdn = true;
          readFqdn(value, length, out);
        }
        break;
      case kOptionOverload:
        if (overload != nullptr && length >= 1) *overload = value[0];
        break;
      default:
        break;
    }
    i += 2 + length;
  }
  return DhcpStatus::Ok;
}

std::uint16_t be16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}

}  // namespace

std::string_view dhcpStatusName(DhcpStatus status) noexcept {
  switch (status) {
    case DhcpStatus::Ok:
      return "ok";
    case DhcpStatus::NotDhcp:
      return "not-dhcp";
    case DhcpStatus::Incomplete:
      return "incomplete";
    case DhcpStatus::Truncated:
      return "truncated";
    case DhcpStatus::BadHeader:
      return "bad-header";
    case DhcpStatus::BadOption:
      return "bad-option";
    case DhcpStatus::Count:
      break;
  }
  return "unknown";
}

net::IpAddress DhcpMessage::boundAddress() const {
  if (op == 2) {
    if (messageType == dhcptype::kAck) return yourAddress.isValid() ? yourAddress : clientAddress;
    if (messageType == dhcptype::kNone) return yourAddress;
    return {};
  }
  if (op == 1 && (messageType == dhcptype::kRequest || messageType == dhcptype::kInform ||
                  messageType == dhcptype::kRelease)) {
    return clientAddress;
  }
  return {};
}

DhcpStatus DhcpNameParser::parseMessage(const std::uint8_t* m, std::size_t length,
                                        DhcpMessage& out) noexcept {
  out = DhcpMessage{};
  if (length < kFixedLength) return DhcpStatus::Truncated;
  out.op = m[kOp];
  const std::uint8_t hlen = m[kHlen];
  if ((out.op != 1 && out.op != 2) || hlen > 16) return DhcpStatus::BadHeader;
  if (m[kHtype] == 1 && hlen == 6) {
    out.hasClientMac = true;
    std::memcpy(out.clientMac.bytes.data(), m + kChaddr, 6);
  }
  out.clientAddress = v4OrNone(m + kCiaddr);
  out.yourAddress = v4OrNone(m + kYiaddr);
  if (length < kOptions || std::memcmp(m + kFixedLength, kMagicCookie, 4) != 0) {
    return DhcpStatus::Ok;  // plain BOOTP: no options
  }
  Seen seen;
  std::uint8_t overload = 0;
  DhcpStatus s = readOptions(m, kOptions, length, out, seen, &overload);
  if (s != DhcpStatus::Ok) return s;
  // RFC 2131 §4.1: options, then `file`, then `sname`. Option 52 inside them is ignored.
  if ((overload & 1) != 0) s = readOptions(m, kFile, kFixedLength, out, seen, nullptr);
  if (s == DhcpStatus::Ok && (overload & 2) != 0) {
    s = readOptions(m, kSname, kFile, out, seen, nullptr);
  }
  return s;
}

DhcpStatus DhcpNameParser::parsePacket(const decoder::DecodedPacket& packet,
                                       DhcpMessage& out) noexcept {
  const decoder::TransportLayer& t = packet.transport;
  if (t.ipIndex < 0 || t.protocol != decoder::ipproto::kUdp || t.payload == nullptr) {
    return DhcpStatus::NotDhcp;
  }
  auto isDhcpPort = [](std::uint16_t p) {
    return p == dhcpport::kServer || p == dhcpport::kClient;
  };
  if (!isDhcpPort(t.srcPort) || !isDhcpPort(t.dstPort)) return DhcpStatus::NotDhcp;
  if (packet.ip[t.ipIndex].isFragment()) return DhcpStatus::Incomplete;
  // The UDP header sits right before the payload; its length tells a message the capture
  // cut short from a damaged one.
  const std::size_t udpLength = be16(t.payload - 4);
  if (udpLength >= 8 && t.payloadLength < udpLength - 8) return DhcpStatus::Incomplete;
  return parseMessage(t.payload, t.payloadLength, out);
}

}  // namespace netlens::node::analysis
