// SPDX-License-Identifier: MIT
#pragma once
// Hand-built frames for the tests of request criteria (live filters, search connections).

#include <cstdint>
#include <string>
#include <vector>

#include "shared/net/ip_address.h"

namespace netlens::tests {

using Bytes = std::vector<std::uint8_t>;

/// Ethernet (optionally one 802.1Q tag), IPv4 or IPv6, UDP or TCP: just enough header for
/// the filters to look at. Addresses as text.
inline Bytes packet(const std::string& src, const std::string& dst, std::uint8_t proto,
                    std::uint16_t sport, std::uint16_t dport, int dscp = 0, int vlan = -1) {
  const auto a = *net::IpAddress::parse(src);
  const auto b = *net::IpAddress::parse(dst);
  Bytes p = {0x00, 0x11, 0x22, 0x33, 0x44, 0x66, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55};
  if (vlan >= 0) {
    p.insert(p.end(), {0x81, 0x00, static_cast<std::uint8_t>(vlan >> 8),
                       static_cast<std::uint8_t>(vlan & 0xff)});
  }
  if (a.isV4()) {
    p.insert(p.end(), {0x08, 0x00, 0x45, static_cast<std::uint8_t>(dscp << 2), 0, 40, 0, 0, 0x40, 0,
                       64, proto, 0, 0});
    p.insert(p.end(), a.bytes.begin(), a.bytes.begin() + 4);
    p.insert(p.end(), b.bytes.begin(), b.bytes.begin() + 4);
  } else {
    const int tc = dscp << 2;
    p.insert(p.end(), {0x86, 0xdd, static_cast<std::uint8_t>(0x60 | (tc >> 4)),
                       static_cast<std::uint8_t>((tc & 0x0f) << 4), 0, 0, 0, 20, proto, 64});
    p.insert(p.end(), a.bytes.begin(), a.bytes.end());
    p.insert(p.end(), b.bytes.begin(), b.bytes.end());
  }
  p.insert(p.end(), {static_cast<std::uint8_t>(sport >> 8), static_cast<std::uint8_t>(sport),
                     static_cast<std::uint8_t>(dport >> 8), static_cast<std::uint8_t>(dport)});
  p.resize(p.size() + 16, 0);
  return p;
}

}  // namespace netlens::tests
