// SPDX-License-Identifier: MIT
#include "shared/stats/ip_detail.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <tuple>

#include "shared/net/service_names.h"

namespace netlens::stats {

using protocol::ConnectionRecord;
using protocol::ResponseTimeStats;
using protocol::TimeNs;

void DurationSummary::add(TimeNs value) {
  ResponseTimeStats one;
  one.count = 1;
  one.minNs = one.maxNs = value;
  one.meanNs = static_cast<double>(value);
  merge(one);
}

void DurationSummary::merge(const ResponseTimeStats& other) {
  if (other.count == 0) return;
  if (m_stats.count == 0) {
    m_stats = other;
    m_m2 = other.stddevNs * other.stddevNs * static_cast<double>(other.count);
    return;
  }
  const double na = static_cast<double>(m_stats.count);
  const double nb = static_cast<double>(other.count);
  const double n = na + nb;
  const double delta = other.meanNs - m_stats.meanNs;
  m_m2 += other.stddevNs * other.stddevNs * nb + delta * delta * na * nb / n;
  m_stats.meanNs += delta * nb / n;
  m_stats.count += other.count;
  m_stats.minNs = std::min(m_stats.minNs, other.minNs);
  m_stats.maxNs = std::max(m_stats.maxNs, other.maxNs);
  m_stats.stddevNs = std::sqrt(std::max(0.0, m_m2 / n));
}

namespace {

/// Adds one connection to `t` from the side of the address (`isClient`: it is the client).
/// `countConnection` false: the connection was already counted in `t` from its other end.
void addTraffic(Traffic& t, const ConnectionRecord& c, bool isClient, bool countConnection) {
  t.connections += countConnection;
  t.txPackets += isClient ? c.c2sPackets : c.s2cPackets;
  t.txBytes += isClient ? c.c2sBytes : c.s2cBytes;
  t.rxPackets += isClient ? c.s2cPackets : c.c2sPackets;
  t.rxBytes += isClient ? c.s2cBytes : c.c2sBytes;
  t.firstSeen = t.firstSeen == 0 ? c.firstSeen : std::min(t.firstSeen, c.firstSeen);
  t.lastSeen = std::max(t.lastSeen, c.lastSeen);
}

struct TlsSideState {
  TlsSideDetail detail;
  DurationSummary hello;
  DurationSummary firstData;

  void add(const protocol::TlsInfo& tls) {
    ++detail.handshakes;
    if (tls.helloNs >= 0) hello.add(tls.helloNs);
    if (tls.firstDataNs >= 0) firstData.add(tls.firstDataNs);
    if (tls.version != 0) {
      ++detail.versions[tls.version];
      ++detail.ciphers[tls.cipher];
    }
    if (!tls.serverName.empty()) ++detail.serverNames[tls.serverName];
  }
  TlsSideDetail finish() {
    detail.helloTime = hello.stats();
    detail.firstDataTime = firstData.stats();
    return std::move(detail);
  }
};

struct PortState {
  ServerPortDetail detail;
  std::set<net::IpAddress> clients;
};

struct BucketState {
  DurationSummary asClient;
  DurationSummary asServer;
};

struct NewConnectionState {
  NewConnections asClient;
  NewConnections asServer;
};

/// A QoS class and the last connection (by its number in the builder) counted in it, so a
/// connection whose two directions share a class counts once.
struct QosState {
  QosClassDetail detail;
  std::uint64_t countedConnection = 0;
  std::uint64_t countedChange = 0;
};

}  // namespace

struct IpDetailBuilder::State {
  std::optional<net::IpAddress> ip;  ///< the one address, when not a group
  Membership members;
  bool isMember(const net::IpAddress& a) const { return ip ? a == *ip : members(a); }
  TimeNs bucketNs;
  IpDetail detail;
  std::map<net::IpAddress, PeerDetail> peers;
  std::map<std::string, Traffic> protocols;
  std::map<std::uint16_t, PortState> ports;
  std::map<TimeNs, BucketState> buckets;
  std::map<TimeNs, NewConnectionState> newBuckets;
  DurationSummary handshakeAsClient;
  DurationSummary handshakeAsServer;
  DurationSummary httpResponse;
  TlsSideState tlsAsServer;
  TlsSideState tlsAsClient;
  std::map<std::pair<QosKind, int>, QosState> qos;

  void addQos(QosKind kind, int value, bool changed, const ConnectionRecord& c, bool isClient,
              bool sent) {
    if (value < 0) return;
    QosState& q = qos[{kind, value}];
    q.detail.kind = kind;
    q.detail.value = value;
    Traffic& t = q.detail.traffic;
    const bool c2s = sent == isClient;  // the direction this marking belongs to
    (sent ? t.txPackets : t.rxPackets) += c2s ? c.c2sPackets : c.s2cPackets;
    (sent ? t.txBytes : t.rxBytes) += c2s ? c.c2sBytes : c.s2cBytes;
    t.firstSeen = t.firstSeen == 0 ? c.firstSeen : std::min(t.firstSeen, c.firstSeen);
    t.lastSeen = std::max(t.lastSeen, c.lastSeen);
    if (q.countedConnection != detail.connections) {
      q.countedConnection = detail.connections;
      ++t.connections;
    }
    if (changed && q.countedChange != detail.connections) {
      q.countedChange = detail.connections;
      ++q.detail.changedConnections;
    }
  }

  void addQosDirection(const protocol::QosInfo& info, const ConnectionRecord& c, bool isClient,
                       bool sent) {
    addQos(QosKind::Dscp, info.dscp, info.dscpChanged, c, isClient, sent);
    addQos(QosKind::VlanPcp, info.vlanPcp, info.vlanPcpChanged, c, isClient, sent);
    addQos(QosKind::MplsTc, info.mplsTc, info.mplsTcChanged, c, isClient, sent);
  }
};

IpDetailBuilder::IpDetailBuilder(const net::IpAddress& ip, TimeNs bucketNs)
    : m_state(std::make_unique<State>()) {
  m_state->ip = ip;
  m_state->bucketNs = std::max<TimeNs>(1, bucketNs);
  m_state->detail.ip = ip;
}

IpDetailBuilder::IpDetailBuilder(Membership isMember, TimeNs bucketNs)
    : m_state(std::make_unique<State>()) {
  m_state->members = std::move(isMember);
  m_state->bucketNs = std::max<TimeNs>(1, bucketNs);
}

IpDetailBuilder::~IpDetailBuilder() = default;

void IpDetailBuilder::add(const ConnectionRecord& c) {
  State& s = *m_state;
  const bool clientIn = s.isMember(c.clientIp);
  const bool serverIn = s.isMember(c.serverIp);
  if (!clientIn && !serverIn) return;
  IpDetail& d = s.detail;
  ++d.connections;
  d.lastNewConnection = std::max(d.lastNewConnection, c.firstSeen);
  // A connection between two members (or an address with itself) is seen from both ends:
  // it counts once in `connections` and in the protocol and peer tables, but in both roles.
  if (clientIn) addSide(c, true, true);
  if (serverIn) addSide(c, false, !clientIn);
}

void IpDetailBuilder::addSide(const ConnectionRecord& c, bool isClient, bool firstSide) {
  State& s = *m_state;
  IpDetail& d = s.detail;
  ++(isClient ? d.asClient : d.asServer);

  const net::IpAddress& peerIp = isClient ? c.serverIp : c.clientIp;
  PeerDetail& peer = s.peers[peerIp];
  peer.ip = peerIp;
  if (const std::string& country = isClient ? c.serverCountry : c.clientCountry; !country.empty())
    peer.country = country;
  if (const std::string& group = isClient ? c.serverGroup : c.clientGroup; !group.empty())
    peer.group = group;
  // An address talking to itself is its own peer once, not twice.
  addTraffic(peer.traffic, c, isClient, firstSide || !(c.clientIp == c.serverIp));
  addTraffic(s.protocols[c.app], c, isClient, firstSide);

  if (c.protocol == 6) {
    // Counted in the totals and in the bucket of the connection's start alike.
    std::uint64_t NewConnections::*kind = nullptr;
    // A RST/ACK refusing the SYN gives tshark's initial RTT too: "rejected" comes first.
    if (c.state == "rejected") {
      kind = &NewConnections::rejected;
    } else if (c.handshakeServerNs >= 0) {
      kind = &NewConnections::answered;
    } else if (c.state == "syn-sent") {
      kind = &NewConnections::unanswered;
    }
    if (kind != nullptr) {
      NewConnectionState& bucket = s.newBuckets[c.firstSeen - c.firstSeen % s.bucketNs];
      NewConnections& total = isClient ? d.newAsClient : d.newAsServer;
      NewConnections& inBucket = isClient ? bucket.asClient : bucket.asServer;
      ++(total.*kind);
      ++(inBucket.*kind);
    }
  }
  const bool rejected = c.protocol == 6 && c.state == "rejected";
  if (c.handshakeServerNs >= 0 && c.handshakeClientNs >= 0 && !rejected) {
    const TimeNs rtt = c.handshakeServerNs + c.handshakeClientNs;
    (isClient ? s.handshakeAsClient : s.handshakeAsServer).add(rtt);
    const TimeNs start = c.firstSeen - c.firstSeen % s.bucketNs;
    BucketState& bucket = s.buckets[start];
    (isClient ? bucket.asClient : bucket.asServer).add(rtt);
  }
  // An open port: the address answered a SYN with a SYN/ACK (the handshake completed, so
  // handshakeServerNs is set); "rejected" (RST on SYN, which gives tshark's initial RTT too)
  // and mid-stream connections, whose roles are only inferred, do not open a port.
  if (!isClient && c.protocol == 6 && c.handshakeServerNs >= 0 && !rejected) {
    PortState& port = s.ports[c.serverPort];
    ServerPortDetail& p = port.detail;
    p.port = c.serverPort;
    ++p.connections;
    port.clients.insert(c.clientIp);
    p.firstSeen = p.firstSeen == 0 ? c.firstSeen : std::min(p.firstSeen, c.firstSeen);
    p.lastSeen = std::max(p.lastSeen, c.lastSeen);
  }
  // A connection counts as HTTP when a request or a response was parsed: a server may answer
  // a request line it could not parse (nor could we) with "400 Bad Request".
  const bool anyHttp =
      c.http && (c.http->requests > 0 ||
                 std::any_of(c.http->statusFamilies.begin(), c.http->statusFamilies.end(),
                             [](std::uint64_t n) { return n != 0; }));
  if (!isClient && anyHttp) {
    HttpServerDetail& h = d.httpServer;
    ++h.connections;
    h.requests += c.http->requests;
    for (std::size_t i = 0; i < h.statusFamilies.size(); ++i)
      h.statusFamilies[i] += c.http->statusFamilies[i];
    s.httpResponse.merge(c.http->responseTime);
    if (c.http->requests > 0) h.hosts[c.http->host] += c.http->requests;
    if (c.lastSeen >= h.lastSeen) {
      h.lastSeen = c.lastSeen;
      h.lastHost = c.http->host;
      h.lastUrl = c.http->url;
    }
  }
  if (c.tls) (isClient ? s.tlsAsClient : s.tlsAsServer).add(*c.tls);
  // What the address sent carries its own direction's marking; what it received, the
  // other direction's.
  s.addQosDirection(isClient ? c.c2sQos : c.s2cQos, c, isClient, true);
  s.addQosDirection(isClient ? c.s2cQos : c.c2sQos, c, isClient, false);
}

IpDetail IpDetailBuilder::finish() {
  State& s = *m_state;
  IpDetail d = std::move(s.detail);
  const auto byBytes = [](const auto& a, const auto& b) {
    if (a.traffic.bytes() != b.traffic.bytes()) return a.traffic.bytes() > b.traffic.bytes();
    return a.traffic.connections > b.traffic.connections;
  };
  for (auto& [ip, peer] : s.peers) d.peers.push_back(std::move(peer));
  std::stable_sort(d.peers.begin(), d.peers.end(), byBytes);
  for (auto& [app, traffic] : s.protocols) d.protocols.push_back({app, traffic});
  std::stable_sort(d.protocols.begin(), d.protocols.end(), byBytes);
  for (auto& [port, state] : s.ports) {
    state.detail.clients = state.clients.size();
    state.detail.service = std::string(net::tcpServiceName(port));
    d.serverPorts.push_back(std::move(state.detail));
  }
  d.handshakeAsClient = s.handshakeAsClient.stats();
  d.handshakeAsServer = s.handshakeAsServer.stats();
  for (const auto& [start, bucket] : s.buckets)
    d.handshakes.push_back({start, bucket.asClient.stats(), bucket.asServer.stats()});
  for (const auto& [start, bucket] : s.newBuckets)
    d.newConnections.push_back({start, bucket.asClient, bucket.asServer});
  d.httpServer.responseTime = s.httpResponse.stats();
  d.tlsAsServer = s.tlsAsServer.finish();
  d.tlsAsClient = s.tlsAsClient.finish();
  for (auto& [key, q] : s.qos) d.qos.push_back(q.detail);
  return d;
}

IpDetail IpDetailBuilder::summarize(const Membership& isMember,
                                    const std::vector<ConnectionRecord>& records, TimeNs bucketNs) {
  IpDetailBuilder builder(isMember, bucketNs);
  for (const auto& r : records) builder.add(r);
  return builder.finish();
}

IpDetail summarizeIp(const net::IpAddress& ip, const std::vector<ConnectionRecord>& records,
                     TimeNs bucketNs) {
  IpDetailBuilder builder(ip, bucketNs);
  for (const auto& r : records) builder.add(r);
  return builder.finish();
}

}  // namespace netlens::stats
