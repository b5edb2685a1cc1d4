// SPDX-License-Identifier: MIT
#include "node/cli/report_json.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>

#include "node/cli/json_writer.h"
#include "shared/net/service_names.h"
#include "shared/net/tls_names.h"
#include "shared/stats/ip_detail.h"

namespace netlens::node::cli {

namespace {

void writeHost(JsonWriter& w, const protocol::HostRecord& host) {
  const protocol::HostRecord* h = &host;
  w.beginObject();
  w.key("ip").value(h->ip.toString());
  w.key("tx_packets").value(h->txPackets);
  w.key("tx_bytes").value(h->txBytes);
  w.key("rx_packets").value(h->rxPackets);
  w.key("rx_bytes").value(h->rxBytes);
  w.key("tcp_packets").value(h->tcpPackets);
  w.key("udp_packets").value(h->udpPackets);
  w.key("tcp_payload_bytes").value(h->tcpPayloadBytes);
  w.key("tcp_retrans_packets").value(h->tcpRetransPackets);
  w.key("tcp_retrans_bytes").value(h->tcpRetransBytes);
  w.key("first_seen").timeValue(h->firstSeen);
  w.key("first_recent").timeValue(h->firstRecent);
  w.key("last_seen").timeValue(h->lastSeen);
  w.key("packets_per_second").value(h->packetsPerSecond);
  w.key("bits_per_second").value(h->bitsPerSecond);
  w.key("macs").beginArray();
  for (const auto& m : h->macs) w.value(m.toString());
  w.endArray();
  w.key("vlans").beginArray();
  for (auto v : h->vlans) w.value(static_cast<unsigned>(v));
  w.endArray();
  if (!h->group.empty()) w.key("group").value(h->group);
  w.key("names").beginArray();
  for (const auto& n : h->names) w.value(n);
  w.endArray();
  w.key("country").value(h->country);
  // Parallel to "macs"; empty when the node has no OUI lists.
  w.key("mac_vendors").beginArray();
  for (const auto& v : h->macVendors) w.value(v);
  w.endArray();
  w.endObject();
}

}  // namespace

std::string hostsJson(const std::vector<protocol::HostRecord>& hosts) {
  std::vector<const protocol::HostRecord*> sorted;
  sorted.reserve(hosts.size());
  for (const auto& h : hosts) sorted.push_back(&h);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->ip < b->ip; });

  JsonWriter w;
  w.beginObject().key("hosts").beginArray();
  for (const auto* h : sorted) writeHost(w, *h);
  w.endArray().endObject();
  w.raw("\n");
  return w.take();
}

namespace {

const char* protocolName(std::uint8_t protocol) {
  switch (protocol) {
    case 1:
      return "icmp";
    case 6:
      return "tcp";
    case 17:
      return "udp";
    case 47:
      return "gre";
    case 50:
      return "esp";
    case 58:
      return "icmpv6";
    case 132:
      return "sctp";
    default:
      return nullptr;
  }
}

/// One direction's QoS: null for a direction without packets; vlan_pcp / mpls_tc null when
/// untagged / unlabelled.
void qosJson(JsonWriter& w, const protocol::QosInfo& q) {
  if (q.dscp < 0) {
    w.null();
    return;
  }
  const auto optional = [&](const char* key, int value) {
    w.key(key);
    if (value >= 0) {
      w.value(value);
    } else {
      w.null();
    }
  };
  w.beginObject();
  w.key("dscp").value(static_cast<int>(q.dscp));
  w.key("dscp_changed").value(q.dscpChanged);
  optional("vlan_pcp", q.vlanPcp);
  w.key("vlan_pcp_changed").value(q.vlanPcpChanged);
  optional("mpls_tc", q.mplsTc);
  w.key("mpls_tc_changed").value(q.mplsTcChanged);
  w.key("mpls_labels").beginArray();
  for (auto label : q.mplsLabels) w.value(static_cast<std::uint64_t>(label));
  w.endArray();
  w.key("mpls_labels_changed").value(q.mplsLabelsChanged);
  w.endObject();
}

void tcpDirectionJson(JsonWriter& w, const protocol::TcpDirectionStats& t) {
  w.beginObject();
  w.key("retransmissions").value(t.retransmissions);
  w.key("fast_retransmissions").value(t.fastRetransmissions);
  w.key("spurious_retransmissions").value(t.spuriousRetransmissions);
  w.key("out_of_order").value(t.outOfOrder);
  w.key("retransmitted_bytes").value(t.retransmittedBytes);
  w.key("max_window").value(static_cast<std::uint64_t>(t.maxWindow));
  if (t.windowScale >= 0) w.key("window_scale").value(t.windowScale);
  if (t.windowLimit() != 0) {
    w.key("window_limit").value(t.windowLimit());
    w.key("window_usage_pct").value(t.windowUsagePercent());
  }
  w.key("window_full").value(t.windowFull);
  w.key("zero_window").value(t.zeroWindow);
  w.endObject();
}

std::int64_t microseconds(std::int64_t ns) {
  return (ns + 500) / 1000;
}

void responseTimesJson(JsonWriter& w, const protocol::ResponseTimeStats& r) {
  w.beginObject();
  w.key("count").value(r.count);
  w.key("min").value(microseconds(r.minNs));
  w.key("max").value(microseconds(r.maxNs));
  w.key("mean").value(r.meanNs / 1000.0);
  w.key("stddev").value(r.stddevNs / 1000.0);
  w.endObject();
}

void tlsJson(JsonWriter& w, const protocol::TlsInfo& t) {
  w.beginObject();
  w.key("sni").value(t.serverName);
  w.key("alpn").value(t.alpn);
  w.key("client_versions").beginArray();
  for (auto v : t.offeredVersions) {
    if (!net::isGrease(v)) w.value(net::tlsVersionLabel(v));
  }
  w.endArray();
  w.key("client_ciphers").beginArray();
  for (auto c : t.offeredCiphers) {
    if (!net::isGrease(c)) w.value(net::cipherSuiteLabel(c));
  }
  w.endArray();
  if (t.version != 0) {
    w.key("version").value(net::tlsVersionLabel(t.version));
    w.key("cipher").value(net::cipherSuiteLabel(t.cipher));
  }
  if (t.helloNs >= 0) w.key("hello_us").value(microseconds(t.helloNs));
  if (t.firstDataNs >= 0) w.key("first_data_us").value(microseconds(t.firstDataNs));
  w.endObject();
}

void httpJson(JsonWriter& w, const protocol::HttpInfo& h) {
  w.beginObject();
  w.key("requests").value(h.requests);
  w.key("method").value(h.method);
  w.key("host").value(h.host);
  w.key("url").value(h.url);
  w.key("user_agent").value(h.userAgent);
  if (h.status != 0) w.key("status").value(h.status);
  w.key("content_type").value(h.contentType);
  w.key("status_families").beginObject();
  for (std::size_t i = 0; i < h.statusFamilies.size(); ++i) {
    w.key(std::to_string(i + 1) + "xx").value(h.statusFamilies[i]);
  }
  w.endObject();
  if (h.responseTime.count != 0) {
    w.key("response_time_us");
    responseTimesJson(w, h.responseTime);
  }
  w.endObject();
}

}  // namespace

namespace {

void writeConnections(JsonWriter& w, const std::vector<protocol::ConnectionRecord>& connections) {
  std::vector<const protocol::ConnectionRecord*> sorted;
  sorted.reserve(connections.size());
  for (const auto& c : connections) sorted.push_back(&c);
  std::stable_sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) {
    if (a->firstSeen != b->firstSeen) return a->firstSeen < b->firstSeen;
    return std::tie(a->clientIp, a->clientPort, a->serverIp, a->serverPort) <
           std::tie(b->clientIp, b->clientPort, b->serverIp, b->serverPort);
  });
  w.beginArray();
  for (const auto* c : sorted) {
    w.beginObject();
    if (const char* name = protocolName(c->protocol)) {
      w.key("proto").value(name);
    } else {
      w.key("proto").value(std::to_string(c->protocol));
    }
    w.key("client_ip").value(c->clientIp.toString());
    w.key("client_port").value(static_cast<unsigned>(c->clientPort));
    w.key("server_ip").value(c->serverIp.toString());
    w.key("server_port").value(static_cast<unsigned>(c->serverPort));
    w.key("client_country").value(c->clientCountry);
    w.key("server_country").value(c->serverCountry);
    w.key("client_group").value(c->clientGroup);
    w.key("server_group").value(c->serverGroup);
    if (c->vlan >= 0) {
      w.key("vlan").value(c->vlan);
    } else {
      w.key("vlan").null();
    }
    w.key("c2s_packets").value(c->c2sPackets);
    w.key("c2s_bytes").value(c->c2sBytes);
    w.key("s2c_packets").value(c->s2cPackets);
    w.key("s2c_bytes").value(c->s2cBytes);
    w.key("c2s_bits_per_second").value(c->c2sBitsPerSecond);
    w.key("s2c_bits_per_second").value(c->s2cBitsPerSecond);
    // Every record has the retransmission counts (scripts need not test for them): 0 where
    // there is no TCP sequence analysis.
    const auto retrans = [](const protocol::TcpDirectionStats& t) {
      return t.retransmissions + t.fastRetransmissions + t.spuriousRetransmissions;
    };
    const bool tcp = c->protocol == 6;
    w.key("retrans_packets").value(tcp ? retrans(c->c2sTcp) + retrans(c->s2cTcp) : 0);
    w.key("retrans_bytes")
        .value(tcp ? c->c2sTcp.retransmittedBytes + c->s2cTcp.retransmittedBytes : 0);
    if (tcp) {
      if (c->handshakeServerNs >= 0) {
        w.key("handshake_rtt_us").beginObject();
        // Rounded so that the legs add up to the rounded whole (tshark's initial RTT).
        const std::int64_t total = microseconds(c->handshakeServerNs + c->handshakeClientNs);
        const std::int64_t server = microseconds(c->handshakeServerNs);
        w.key("server").value(server);
        w.key("client").value(total - server);
        w.endObject();
      }
      w.key("tcp_c2s");
      tcpDirectionJson(w, c->c2sTcp);
      w.key("tcp_s2c");
      tcpDirectionJson(w, c->s2cTcp);
      w.key("state").value(c->state);
      if (c->responseTime.count != 0) {
        w.key("response_time_us");
        responseTimesJson(w, c->responseTime);
      }
    }
    if (c->tls) {
      w.key("tls");
      tlsJson(w, *c->tls);
    }
    if (c->http) {
      w.key("http");
      httpJson(w, *c->http);
    }
    w.key("qos_c2s");
    qosJson(w, c->c2sQos);
    w.key("qos_s2c");
    qosJson(w, c->s2cQos);
    w.key("app").value(c->app);
    w.key("first_seen").timeValue(c->firstSeen);
    w.key("last_seen").timeValue(c->lastSeen);
    w.endObject();
  }
  w.endArray();
}

}  // namespace

std::string connectionsJson(const std::vector<protocol::ConnectionRecord>& connections) {
  JsonWriter w;
  w.beginObject().key("connections");
  writeConnections(w, connections);
  w.endObject();
  w.raw("\n");
  return w.take();
}

void writeConnectionsJson(std::FILE* out,
                          const std::vector<protocol::ConnectionRecord>& connections) {
  JsonWriter w(out);
  w.beginObject().key("connections");
  writeConnections(w, connections);
  w.endObject();
  w.raw("\n");
  w.flush();
}

namespace {

void trafficJson(JsonWriter& w, const stats::Traffic& t) {
  w.key("connections").value(t.connections);
  w.key("tx_packets").value(t.txPackets);
  w.key("tx_bytes").value(t.txBytes);
  w.key("rx_packets").value(t.rxPackets);
  w.key("rx_bytes").value(t.rxBytes);
  w.key("first_seen").timeValue(t.firstSeen);
  w.key("last_seen").timeValue(t.lastSeen);
}

/// A response-time summary in microseconds, or null when nothing was measured.
void optionalTimesJson(JsonWriter& w, const protocol::ResponseTimeStats& r) {
  if (r.count == 0) {
    w.null();
  } else {
    responseTimesJson(w, r);
  }
}

template <typename Map, typename Label>
void countsJson(JsonWriter& w, const Map& counts, Label label) {
  w.beginObject();
  for (const auto& [key, count] : counts) w.key(label(key)).value(count);
  w.endObject();
}

void tlsSideJson(JsonWriter& w, const stats::TlsSideDetail& t) {
  w.beginObject();
  w.key("handshakes").value(t.handshakes);
  w.key("hello_us");
  optionalTimesJson(w, t.helloTime);
  w.key("first_data_us");
  optionalTimesJson(w, t.firstDataTime);
  w.key("versions");
  countsJson(w, t.versions, [](std::uint16_t v) { return net::tlsVersionLabel(v); });
  w.key("ciphers");
  countsJson(w, t.ciphers, [](std::uint16_t c) { return net::cipherSuiteLabel(c); });
  w.key("server_names");
  countsJson(w, t.serverNames, [](const std::string& n) { return n; });
  w.endObject();
}

const char* qosKindName(stats::QosKind kind) {
  switch (kind) {
    case stats::QosKind::Dscp:
      return "dscp";
    case stats::QosKind::VlanPcp:
      return "vlan_pcp";
    case stats::QosKind::MplsTc:
      return "mpls_tc";
  }
  return "";
}

/// "as_client" and "as_server": new TCP connections by how the server answered.
void newConnectionsJson(JsonWriter& w, const stats::NewConnections& asClient,
                        const stats::NewConnections& asServer) {
  for (const auto& [key, n] : {std::pair{"as_client", &asClient}, {"as_server", &asServer}}) {
    w.key(key).beginObject();
    w.key("answered").value(n->answered);
    w.key("unanswered").value(n->unanswered);
    w.key("rejected").value(n->rejected);
    w.endObject();
  }
}

/// The fields of an IP detail (an address's or a group's), from "as_client" to "qos".
void writeDetail(JsonWriter& w, const stats::IpDetail& d) {
  w.key("as_client").value(d.asClient);
  w.key("as_server").value(d.asServer);
  w.key("last_new_connection").timeValue(d.lastNewConnection);
  w.key("new_connections").beginObject();
  newConnectionsJson(w, d.newAsClient, d.newAsServer);
  w.key("buckets").beginArray();
  for (const auto& b : d.newConnections) {
    w.beginObject();
    w.key("start").timeValue(b.start);
    newConnectionsJson(w, b.asClient, b.asServer);
    w.endObject();
  }
  w.endArray().endObject();
  w.key("peers").beginArray();
  for (const auto& p : d.peers) {
    w.beginObject();
    w.key("ip").value(p.ip.toString());
    w.key("country").value(p.country);
    w.key("group").value(p.group);
    trafficJson(w, p.traffic);
    w.endObject();
  }
  w.endArray();
  w.key("protocols").beginArray();
  for (const auto& p : d.protocols) {
    w.beginObject();
    w.key("app").value(p.app);
    trafficJson(w, p.traffic);
    w.endObject();
  }
  w.endArray();
  w.key("server_ports").beginArray();
  for (const auto& p : d.serverPorts) {
    w.beginObject();
    w.key("port").value(static_cast<unsigned>(p.port));
    w.key("service").value(p.service);
    w.key("connections").value(p.connections);
    w.key("clients").value(p.clients);
    w.key("first_seen").timeValue(p.firstSeen);
    w.key("last_seen").timeValue(p.lastSeen);
    w.endObject();
  }
  w.endArray();
  w.key("handshake_rtt_us").beginObject();
  w.key("as_client");
  optionalTimesJson(w, d.handshakeAsClient);
  w.key("as_server");
  optionalTimesJson(w, d.handshakeAsServer);
  w.key("buckets").beginArray();
  for (const auto& b : d.handshakes) {
    w.beginObject();
    w.key("start").timeValue(b.start);
    w.key("as_client");
    optionalTimesJson(w, b.asClient);
    w.key("as_server");
    optionalTimesJson(w, b.asServer);
    w.endObject();
  }
  w.endArray().endObject();
  const stats::HttpServerDetail& h = d.httpServer;
  w.key("http_server").beginObject();
  w.key("connections").value(h.connections);
  w.key("requests").value(h.requests);
  w.key("status_families").beginObject();
  for (std::size_t i = 0; i < h.statusFamilies.size(); ++i)
    w.key(std::to_string(i + 1) + "xx").value(h.statusFamilies[i]);
  w.endObject();
  w.key("response_time_us");
  optionalTimesJson(w, h.responseTime);
  w.key("hosts");
  countsJson(w, h.hosts, [](const std::string& n) { return n; });
  w.key("last_host").value(h.lastHost);
  w.key("last_url").value(h.lastUrl);
  w.endObject();
  w.key("tls_server");
  tlsSideJson(w, d.tlsAsServer);
  w.key("tls_client");
  tlsSideJson(w, d.tlsAsClient);
  w.key("qos").beginArray();
  for (const auto& q : d.qos) {
    w.beginObject();
    w.key("kind").value(qosKindName(q.kind));
    w.key("value").value(q.value);
    if (q.kind == stats::QosKind::Dscp) {
      w.key("name").value(std::string(net::dscpName(q.value)));
    } else if (q.kind == stats::QosKind::VlanPcp) {
      w.key("name").value(std::string(net::pcpName(q.value)));
    }
    trafficJson(w, q.traffic);
    w.key("changed_connections").value(q.changedConnections);
    w.endObject();
  }
  w.endArray();
}

/// Writes a group's figures (as groupsJson) into the object open in `w`.
void writeGroupFields(JsonWriter& w, const protocol::GroupRecord& g, bool withMembers) {
  w.key("name").value(g.name);
  w.key("prefixes").beginArray();
  for (const auto& p : g.prefixes) w.value(p);
  w.endArray();
  w.key("member_count").value(g.memberCount);
  w.key("tx_packets").value(g.txPackets);
  w.key("tx_bytes").value(g.txBytes);
  w.key("rx_packets").value(g.rxPackets);
  w.key("rx_bytes").value(g.rxBytes);
  w.key("tcp_packets").value(g.tcpPackets);
  w.key("udp_packets").value(g.udpPackets);
  w.key("tcp_payload_bytes").value(g.tcpPayloadBytes);
  w.key("tcp_retrans_packets").value(g.tcpRetransPackets);
  w.key("tcp_retrans_bytes").value(g.tcpRetransBytes);
  w.key("first_seen").timeValue(g.firstSeen);
  w.key("last_seen").timeValue(g.lastSeen);
  w.key("packets_per_second").value(g.packetsPerSecond);
  w.key("bits_per_second").value(g.bitsPerSecond);
  if (withMembers) {
    w.key("members").beginArray();
    for (const auto& ip : g.members) w.value(ip.toString());
    w.endArray();
  }
}

}  // namespace

std::string ipJson(const net::IpAddress& ip, const protocol::HostRecord* host,
                   const std::vector<protocol::ConnectionRecord>& connections) {
  // Everything below the host record is derived from this address's connections (innermost
  // flows), with the same code the console's IP detail uses.
  const stats::IpDetail d = stats::summarizeIp(ip, connections, kIpDetailBucketNs);
  std::vector<protocol::ConnectionRecord> mine;
  for (const auto& c : connections) {
    if (c.clientIp == ip || c.serverIp == ip) mine.push_back(c);
  }
  JsonWriter w;
  w.beginObject().key("ip").beginObject();
  w.key("address").value(ip.toString());
  w.key("host");
  if (host != nullptr) {
    writeHost(w, *host);
  } else {
    w.null();
  }
  writeDetail(w, d);
  w.key("connections");
  writeConnections(w, mine);
  w.endObject().endObject();
  w.raw("\n");
  return w.take();
}

std::string groupsJson(const protocol::GroupList& list, bool withMembers) {
  JsonWriter w;
  w.beginObject();
  w.key("max_groups").value(static_cast<std::uint64_t>(list.maxGroups));
  w.key("groups").beginArray();
  for (const auto& g : list.groups) {
    w.beginObject();
    writeGroupFields(w, g, withMembers);
    w.endObject();
  }
  w.endArray().endObject();
  w.raw("\n");
  return w.take();
}

std::string historyJson(const protocol::HistoryReply& h) {
  JsonWriter w;
  w.beginObject().key("history").beginObject();
  w.key("series").value(h.series);
  const char* resolution = h.resolutionNs == 1'000'000'000LL       ? "1s"
                           : h.resolutionNs == 60'000'000'000LL    ? "1m"
                           : h.resolutionNs == 3'600'000'000'000LL ? "1h"
                                                                   : "";
  w.key("resolution").value(resolution);
  w.key("resolution_ns").value(static_cast<std::int64_t>(h.resolutionNs));
  w.key("complete").value(h.complete);
  w.key("packet_time").timeValue(h.packetTime);
  w.key("names").beginArray();
  for (const auto& n : h.names) w.value(n);
  w.endArray();
  w.key("buckets").beginArray();
  for (const auto& b : h.buckets) {
    w.beginObject();
    w.key("start").timeValue(b.start);
    w.key("start_ns").value(static_cast<std::int64_t>(b.start));
    for (std::size_t i = 0; i < h.names.size() && i < b.values.size(); ++i)
      w.key(h.names[i]).value(b.values[i]);
    w.endObject();
  }
  w.endArray();
  w.endObject().endObject();
  w.raw("\n");
  return w.take();
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
  w.key("sctp_packets").value(g.sctpPackets);
  w.key("gre_packets").value(g.grePackets);
  w.key("other_packets").value(g.otherPackets);
  w.key("ipv4_fragments").value(g.ipv4Fragments);
  w.key("hosts").value(g.hostCount);
  w.key("first_packet").timeValue(g.firstPacket);
  w.key("last_packet").timeValue(g.lastPacket);
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
  // What the tables no longer hold: they are complete for activity after *_evicted_up_to.
  w.key("evicted").beginObject();
  w.key("hosts").value(g.hostsEvicted);
  w.key("connections").value(g.connectionsEvicted);
  if (g.hostsEvicted != 0) w.key("hosts_up_to").timeValue(g.hostsEvictedUpTo);
  if (g.connectionsEvicted != 0) w.key("connections_up_to").timeValue(g.connectionsEvictedUpTo);
  w.endObject();
  if (g.storeMaxBytes != 0) {
    w.key("store").beginObject();
    w.key("bytes").value(g.storeBytes);
    w.key("max_bytes").value(g.storeMaxBytes);
    w.key("fill_percent")
        .value(100.0 * static_cast<double>(g.storeBytes) / static_cast<double>(g.storeMaxBytes));
    w.key("packets").value(g.storePackets);
    w.key("drops").value(g.storeDrops);
    w.key("oldest_packet").timeValue(g.storeOldest);
    w.key("newest_packet").timeValue(g.storeNewest);
    w.endObject();
  }
  w.endObject().endObject();
  w.raw("\n");
  return w.take();
}

std::string groupJson(const protocol::GroupRecord& group,
                      const std::function<bool(const net::IpAddress&)>& isMember,
                      const std::vector<protocol::ConnectionRecord>& connections) {
  const stats::IpDetail d =
      stats::IpDetailBuilder::summarize(isMember, connections, kIpDetailBucketNs);
  std::vector<protocol::ConnectionRecord> ours;
  for (const auto& c : connections) {
    if (isMember(c.clientIp) || isMember(c.serverIp)) ours.push_back(c);
  }
  JsonWriter w;
  w.beginObject().key("group").beginObject();
  writeGroupFields(w, group, true);
  writeDetail(w, d);
  w.key("connections");
  writeConnections(w, ours);
  w.endObject().endObject();
  w.raw("\n");
  return w.take();
}

std::string searchJson(const protocol::SearchReply& reply) {
  JsonWriter w;
  w.beginObject().key("search").beginObject();
  w.key("packets").value(reply.packets);
  w.key("packets_read").value(reply.packetsRead);
  w.key("truncated").value(reply.truncated);
  w.key("sessions").beginArray();
  for (const auto& s : reply.sessions) {
    w.beginObject();
    if (s.a.isValid()) {
      w.key("protocol").value(static_cast<std::uint64_t>(s.protocol));
      w.key("a_ip").value(s.a.toString());
      w.key("a_port").value(static_cast<std::uint64_t>(s.aPort));
      w.key("b_ip").value(s.b.toString());
      w.key("b_port").value(static_cast<std::uint64_t>(s.bPort));
    }
    w.key("packets").value(s.packets);
    w.key("bytes").value(s.bytes);
    w.key("first_seen").timeValue(s.firstSeen);
    w.key("last_seen").timeValue(s.lastSeen);
    w.key("sources").beginArray();
    for (const auto& name : s.sources) w.value(name);
    w.endArray();
    w.endObject();
  }
  w.endArray().endObject().endObject();
  w.raw("\n");
  return w.take();
}

}  // namespace netlens::node::cli
