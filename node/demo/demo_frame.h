// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <vector>

#include "shared/net/ip_address.h"

namespace netlens::node::demo {

/// One captured Ethernet frame of the demo capture: nanoseconds since the Unix epoch and the
/// frame bytes as seen on the wire without the FCS (short frames padded to 60 bytes, as a
/// mirror port delivers them).
struct DemoFrame {
  std::int64_t timestampNs = 0;
  std::vector<std::uint8_t> bytes;
};

/// A station as seen from the capture point. A remote server has the router's MAC address:
/// the capture sits on the client LAN, so every frame to or from the Internet crosses the
/// router. A frame between two stations carries the VLAN tag of whichever one has a tag.
struct DemoHost {
  net::MacAddress mac;
  net::IpAddress ip;
  std::uint16_t vlan = 0;  // 802.1Q VLAN id, 0 = untagged
  std::uint8_t ttl = 64;   // TTL / hop limit of its packets when they reach the capture point
};

}  // namespace netlens::node::demo
