// SPDX-License-Identifier: MIT
#include "node/cli/report_json.h"

#include <algorithm>

#include "node/cli/json_writer.h"

namespace netlens::node::cli {

std::string hostsJson(const std::vector<protocol::HostRecord>& hosts) {
  std::vector<const protocol::HostRecord*> sorted;
  sorted.reserve(hosts.size());
  for (const auto& h : hosts) sorted.push_back(&h);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->ip < b->ip; });

  JsonWriter w;
  w.beginObject().key("hosts").beginArray();
  for (const auto* h : sorted) {
    w.beginObject();
    w.key("ip").value(h->ip.toString());
    w.key("tx_packets").value(h->txPackets);
    w.key("tx_bytes").value(h->txBytes);
    w.key("rx_packets").value(h->rxPackets);
    w.key("rx_bytes").value(h->rxBytes);
    w.key("tcp_packets").value(h->tcpPackets);
    w.key("udp_packets").value(h->udpPackets);
    w.key("first_seen").value(isoTime(h->firstSeen));
    w.key("first_recent").value(isoTime(h->firstRecent));
    w.key("last_seen").value(isoTime(h->lastSeen));
    w.key("packets_per_second").value(h->packetsPerSecond);
    w.key("bits_per_second").value(h->bitsPerSecond);
    w.key("macs").beginArray();
    for (const auto& m : h->macs) w.value(m.toString());
    w.endArray();
    w.key("vlans").beginArray();
    for (auto v : h->vlans) w.value(static_cast<unsigned>(v));
    w.endArray();
    w.endObject();
  }
  w.endArray().endObject();
  return w.str() + "\n";
}

std::string globalJson(const protocol::GlobalStats& g) {
  JsonWriter w;
  w.beginObject().key("global").beginObject();
  w.key("packets").value(g.packets);
  w.key("bytes").value(g.bytes);
  w.key("ipv4_packets").value(g.ipv4Packets);
  w.key("ipv4_bytes").value(g.ipv4Bytes);
  w.key("ipv6_packets").value(g.ipv6Packets);
  w.key("ipv6_bytes").value(g.ipv6Bytes);
  w.key("non_ip_packets").value(g.nonIpPackets);
  w.key("non_ip_bytes").value(g.nonIpBytes);
  w.key("tcp_packets").value(g.tcpPackets);
  w.key("udp_packets").value(g.udpPackets);
  w.key("icmp_packets").value(g.icmpPackets);
  w.key("other_packets").value(g.otherPackets);
  w.key("ipv4_fragments").value(g.ipv4Fragments);
  w.key("hosts").value(g.hostCount);
  w.key("first_packet").value(isoTime(g.firstPacket));
  w.key("last_packet").value(isoTime(g.lastPacket));
  w.key("packets_per_second").value(g.packetsPerSecond);
  w.key("bits_per_second").value(g.bitsPerSecond);
  w.key("malformed").beginObject();
  for (const auto& [reason, n] : g.malformed) w.key(reason).value(n);
  w.endObject();
  w.key("sources").beginArray();
  for (const auto& s : g.sources) {
    w.beginObject();
    w.key("name").value(s.name);
    w.key("kind").value(s.kind);
    w.key("link_type").value(s.linkType);
    w.key("link_type_name").value(s.linkTypeName);
    w.key("packets").value(s.packets);
    w.key("capture_drops").value(s.captureDrops);
    w.key("queue_drops").value(s.queueDrops);
    w.key("finished").value(s.finished);
    if (!s.error.empty()) w.key("error").value(s.error);
    w.endObject();
  }
  w.endArray();
  w.endObject().endObject();
  return w.str() + "\n";
}

}  // namespace netlens::node::cli
