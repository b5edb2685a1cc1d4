// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>

#include "shared/net/ip_address.h"

namespace netlens::node::store {

/// What a posting list is keyed by. Addresses, MACs and ports have a source and a
/// destination kind, so a search can ask for either or both.
enum class KeyKind : std::uint8_t {
  SrcIp = 1,
  DstIp = 2,
  SrcMac = 3,
  DstMac = 4,
  SrcPort = 5,
  DstPort = 6,
  IpProtocol = 7,
  Vlan = 8,
  /// The capture source (its number in the segment's source list, SegmentSources), 2 bytes;
  /// posted only for sources other than the first (format 3 on).
  Source = 9,
  /// Format 4 on: the addresses, ports and IP protocol of the segment's sessions (see
  /// IndexSession), either end, posted to session numbers, not packet numbers.
  SessionIp = 10,
  SessionPort = 11,
  SessionProtocol = 12,
  /// Format 5 on: the MACs of sessions whose packets have one Ethernet header (see
  /// IndexSession), posted as session number << 1 | 1 for b's MAC, | 0 for a's.
  SessionMac = 13,
};

/// Whether keys of `kind` are posted to session numbers.
constexpr bool isSessionKind(KeyKind kind) {
  return kind == KeyKind::SessionIp || kind == KeyKind::SessionPort ||
         kind == KeyKind::SessionProtocol || kind == KeyKind::SessionMac;
}

/// The values a posting list of `kind` may hold in a segment of `packets` packets: packet or
/// session numbers below it, or for SessionMac twice that (a session number and a side).
constexpr std::uint64_t postingUniverse(KeyKind kind, std::uint64_t packets) {
  return kind == KeyKind::SessionMac ? 2 * packets : packets;
}

/// The kind of the session key that stands for `kind` in a session's packets (SrcIp and
/// DstIp → SessionIp, …), or `kind` itself for kinds posted per packet only.
constexpr KeyKind sessionKindOf(KeyKind kind) {
  switch (kind) {
    case KeyKind::SrcIp:
    case KeyKind::DstIp:
      return KeyKind::SessionIp;
    case KeyKind::SrcPort:
    case KeyKind::DstPort:
      return KeyKind::SessionPort;
    case KeyKind::IpProtocol:
      return KeyKind::SessionProtocol;
    case KeyKind::SrcMac:
    case KeyKind::DstMac:
      return KeyKind::SessionMac;
    default:
      return kind;
  }
}

/// A posting-list key: its kind and value (an address in IpAddress::bytes layout with its
/// family, a MAC, a port, a protocol number or a VLAN id, big-endian in `value`).
struct IndexKey {
  KeyKind kind = KeyKind::SrcIp;
  std::uint8_t length = 0;  ///< bytes of `value` used
  std::array<std::uint8_t, 17> value{};

  static IndexKey ip(KeyKind kind, const net::IpAddress& address);
  static IndexKey mac(KeyKind kind, const net::MacAddress& address);
  static IndexKey number(KeyKind kind, std::uint32_t value, std::uint8_t bytes);
  friend bool operator==(const IndexKey&, const IndexKey&) = default;
  friend bool operator<(const IndexKey& a, const IndexKey& b) {
    if (a.kind != b.kind) return a.kind < b.kind;
    if (a.length != b.length) return a.length < b.length;
    return a.value < b.value;
  }
};

}  // namespace netlens::node::store
