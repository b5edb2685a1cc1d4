// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "shared/net/ip_address.h"
#include "shared/protocol/messages.h"

namespace netlens::stats {

/// Count, min, max, mean and population standard deviation of a series of durations (ns),
/// accumulated exactly (Welford) and mergeable with another series' summary (Chan et al.'s
/// pairwise formula), so summaries of many connections combine into the figure one series of
/// all their samples would give. Thread: any; a value type.
class DurationSummary {
 public:
  void add(protocol::TimeNs value);
  void merge(const protocol::ResponseTimeStats& other);
  const protocol::ResponseTimeStats& stats() const { return m_stats; }

 private:
  protocol::ResponseTimeStats m_stats;
  double m_m2 = 0;  ///< sum of squared differences from the mean
};

/// Traffic of an address with some counterpart, from the address's point of view: tx is what
/// it sent, rx what it received.
struct Traffic {
  std::uint64_t connections = 0;
  std::uint64_t txPackets = 0;
  std::uint64_t txBytes = 0;
  std::uint64_t rxPackets = 0;
  std::uint64_t rxBytes = 0;
  protocol::TimeNs firstSeen = 0;  ///< of the earliest connection; 0 before any
  protocol::TimeNs lastSeen = 0;
  std::uint64_t bytes() const { return txBytes + rxBytes; }
};

struct PeerDetail {
  net::IpAddress ip;
  std::string country;  ///< as the connection records carry it; "" unknown
  std::string group;    ///< the peer's IP group, as the connection records carry it; "" none
  Traffic traffic;
};

struct ProtocolDetail {
  std::string app;  ///< nDPI's name; "" when not detected
  Traffic traffic;
};

/// A TCP port on which the address answered a SYN with a SYN/ACK.
struct ServerPortDetail {
  std::uint16_t port = 0;
  std::string service;             ///< net::tcpServiceName(); "" when unnamed
  std::uint64_t connections = 0;   ///< answered handshakes
  std::uint64_t clients = 0;       ///< distinct client addresses
  protocol::TimeNs firstSeen = 0;  ///< start of the first connection
  protocol::TimeNs lastSeen = 0;   ///< last activity of any of them
};

/// Handshake RTTs (both legs together, as tshark's tcp.analysis.initial_rtt) of the
/// connections that started in one time bucket, with the address as client and as server.
struct HandshakeBucket {
  protocol::TimeNs start = 0;
  protocol::ResponseTimeStats asClient;
  protocol::ResponseTimeStats asServer;
};

/// New TCP connections (a SYN was seen) by how the server answered: with a SYN/ACK, not yet
/// or not at all ("syn-sent": SYN without an answer), or with a reset ("rejected").
struct NewConnections {
  std::uint64_t answered = 0;
  std::uint64_t unanswered = 0;
  std::uint64_t rejected = 0;
  std::uint64_t total() const { return answered + unanswered + rejected; }
};

/// New TCP connections that started in one time bucket, with the address as client and as
/// server. Valid: answered; invalid: unanswered or rejected (a scan, a closed port, a dead
/// server). Buckets as HandshakeBucket.
struct NewConnectionBucket {
  protocol::TimeNs start = 0;
  NewConnections asClient;
  NewConnections asServer;
};

/// HTTP served by the address (it is the server of the connection).
struct HttpServerDetail {
  std::uint64_t connections = 0;  ///< with at least one request or response parsed
  std::uint64_t requests = 0;
  std::array<std::uint64_t, 5> statusFamilies{};  ///< responses 1xx .. 5xx
  protocol::ResponseTimeStats responseTime;       ///< request end → response start
  std::map<std::string, std::uint64_t> hosts;     ///< Host header → requests
  std::string lastHost;                           ///< of the most recently active connection
  std::string lastUrl;
  protocol::TimeNs lastSeen = 0;
};

/// TLS of the address on one side of its connections.
struct TlsSideDetail {
  std::uint64_t handshakes = 0;               ///< connections with a ClientHello
  protocol::ResponseTimeStats helloTime;      ///< ClientHello → ServerHello
  protocol::ResponseTimeStats firstDataTime;  ///< ClientHello → first server application data
  std::map<std::uint16_t, std::uint64_t> versions;   ///< negotiated version → connections
  std::map<std::uint16_t, std::uint64_t> ciphers;    ///< negotiated cipher → connections
  std::map<std::string, std::uint64_t> serverNames;  ///< SNI → connections
};

enum class QosKind : std::uint8_t { Dscp, VlanPcp, MplsTc };

/// Traffic of the address by QoS marking. A direction's packets count under the marking of
/// its most recent packet (what a connection record keeps); `changedConnections` counts the
/// connections of this class in which the marking of a direction changed, so figures with
/// it at 0 are exact.
struct QosClassDetail {
  QosKind kind = QosKind::Dscp;
  int value = 0;
  Traffic traffic;
  std::uint64_t changedConnections = 0;
};

/// Everything the IP detail view shows that is derived from an address's connections, or
/// from the connections of the members of an IP group (the group seen as one address).
struct IpDetail {
  net::IpAddress ip;  ///< the address; unset for a group
  std::uint64_t connections = 0;
  std::uint64_t asClient = 0;
  std::uint64_t asServer = 0;
  protocol::TimeNs lastNewConnection = 0;     ///< latest start of a connection; 0 without any
  std::vector<PeerDetail> peers;              ///< by bytes, most first
  std::vector<ProtocolDetail> protocols;      ///< by bytes, most first
  std::vector<ServerPortDetail> serverPorts;  ///< by port
  NewConnections newAsClient;                 ///< connections it opened
  NewConnections newAsServer;                 ///< connections opened to it
  protocol::ResponseTimeStats handshakeAsClient;
  protocol::ResponseTimeStats handshakeAsServer;
  std::vector<HandshakeBucket> handshakes;          ///< by start, only buckets with a handshake
  std::vector<NewConnectionBucket> newConnections;  ///< by start, only buckets with a SYN
  HttpServerDetail httpServer;
  TlsSideDetail tlsAsServer;
  TlsSideDetail tlsAsClient;
  std::vector<QosClassDetail> qos;  ///< by kind, then value
};

/// Builds an IpDetail from connection records fed one by one (records of other addresses
/// are ignored, so a whole table can be fed). Handshake buckets are `bucketNs` wide, aligned
/// to multiples of it.
///
/// For a set of addresses (an IP group), each end of a connection that is a member is
/// counted from its side; a connection between two members (or between an address and
/// itself) counts once in `connections`, the protocol and the peer tables, and in both
/// roles (client and server figures, open ports, HTTP and TLS as server and as client).
/// Thread: any; not shared.
class IpDetailBuilder {
 public:
  /// True for the addresses summarised as one.
  using Membership = std::function<bool(const net::IpAddress&)>;

  IpDetailBuilder(const net::IpAddress& ip, protocol::TimeNs bucketNs);
  IpDetailBuilder(Membership isMember, protocol::TimeNs bucketNs);
  ~IpDetailBuilder();
  IpDetailBuilder(const IpDetailBuilder&) = delete;
  IpDetailBuilder& operator=(const IpDetailBuilder&) = delete;

  void add(const protocol::ConnectionRecord& record);
  IpDetail finish();

  /// Convenience: the detail of the members' side of `records`.
  static IpDetail summarize(const Membership& isMember,
                            const std::vector<protocol::ConnectionRecord>& records,
                            protocol::TimeNs bucketNs);

 private:
  void addSide(const protocol::ConnectionRecord& record, bool isClient, bool firstSide);
  struct State;
  std::unique_ptr<State> m_state;
};

/// Convenience: the detail of `ip` over `records`.
IpDetail summarizeIp(const net::IpAddress& ip,
                     const std::vector<protocol::ConnectionRecord>& records,
                     protocol::TimeNs bucketNs);

}  // namespace netlens::stats
