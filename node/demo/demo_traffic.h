// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "node/demo/demo_frame.h"

namespace netlens::node::demo {

/// 2024-03-14 09:00:00 UTC: a fixed default start, so default demo captures are identical.
inline constexpr std::int64_t kDefaultDemoStartNs = 1'710'406'800'000'000'000;

/// What to generate. The same options always give the same frames, bit for bit.
struct DemoOptions {
  double seconds = 60;     // length of the capture; traffic is spread over all of it
  std::uint64_t seed = 1;  // different seeds give different but equally shaped traffic
  std::int64_t startNs = kDefaultDemoStartNs;  // Unix time of the capture's start, in ns
};

/// The demo capture as Ethernet frames sorted by time, all within
/// [startNs, startNs + seconds). The network (a client LAN seen from its router's mirror
/// port): ~20 clients in 192.168.10.0/24 (untagged, three of them dual-stack in
/// 2001:db8:10::/64), a lab VLAN 10 (10.10.0.0/24) and a voice VLAN 20 (10.20.0.0/24,
/// the SIP phone), servers in 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32. The
/// traffic: ARP, NDP, ICMP/ICMPv6 echo, DNS (A/AAAA, CNAME, NXDOMAIN) naming every server
/// used, HTTP/1.1 (GET/POST, 200/404, keep-alive), TLS 1.2 and 1.3 with SNI, a long TLS
/// stream, a large download with a lost segment and fast retransmission, retransmitted
/// SYNs and requests, a SIP registration and call with G.711 µ-law RTP both ways.
/// Returns an empty vector if `options.seconds` is not positive.
/// Thread-safe (no shared state). Costs about 1 MB of memory per second of capture.
std::vector<DemoFrame> generateDemoFrames(const DemoOptions& options);

/// Writes generateDemoFrames(options) as a classic pcap file (nanosecond timestamps,
/// Ethernet) at `path`, via a temporary file renamed into place, so a reader never sees
/// half a file. Returns false and sets `*error` (if given) on failure.
bool writeDemoCapture(const std::string& path, const DemoOptions& options, std::string* error);

}  // namespace netlens::node::demo
