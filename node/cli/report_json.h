// SPDX-License-Identifier: MIT
#pragma once

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "shared/protocol/messages.h"

namespace netlens::node::cli {

/// `{"hosts":[{"ip":..., "tx_packets":N, ...}]}`, hosts sorted by address. Field names are a
/// script-facing contract: add fields, never rename or remove them.
std::string hostsJson(const std::vector<protocol::HostRecord>& hosts);

/// `{"max_groups":N,"groups":[{"name","prefixes",...,"members"?}]}` in definition order;
/// "members" only when the list carries them.
std::string groupsJson(const protocol::GroupList& groups, bool withMembers);

/// `{"global":{...}}` with counters, malformed reasons and sources.
std::string globalJson(const protocol::GlobalStats& global);

/// `{"connections":[{...}]}` ordered by first activity, then identity.
std::string connectionsJson(const std::vector<protocol::ConnectionRecord>& connections);
/// connectionsJson written to `out` as it is produced, for reports too large to hold as text.
void writeConnectionsJson(std::FILE* out,
                          const std::vector<protocol::ConnectionRecord>& connections);

/// Width of the handshake-RTT buckets of `ipJson` (connections grouped by their start).
inline constexpr std::int64_t kIpDetailBucketNs = 60'000'000'000;

/// `{"ip":{"address","host":{...}|null,"peers":[...],"protocols":[...],"server_ports":[...],
/// "handshake_rtt_us":{...},"http_server":{...},"tls_server":{...},"tls_client":{...},
/// "qos":[...],"connections":[...]}}`: one address's host record and what stats::IpDetail
/// derives from its connections (peers and protocols by bytes, most first).
std::string ipJson(const net::IpAddress& ip, const protocol::HostRecord* host,
                   const std::vector<protocol::ConnectionRecord>& connections);

/// `{"group":{"name","prefixes","member_count",<counters as groupsJson>,"members":[...],
/// "as_client",...,"qos":[...],"connections":[...]}}`: one IP group's figures and the detail
/// of its members' connections (stats::IpDetailBuilder with the group's membership).
std::string groupJson(const protocol::GroupRecord& group,
                      const std::function<bool(const net::IpAddress&)>& isMember,
                      const std::vector<protocol::ConnectionRecord>& connections);

/// `{"search":{"packets","packets_read","truncated","sessions":[{"protocol","a_ip","a_port",
/// "b_ip","b_port","packets","bytes","first_seen","last_seen"}]}}` (addresses only for IP).
std::string searchJson(const protocol::SearchReply& reply);

/// `{"history":{"series", "resolution", "resolution_ns", "complete", "packet_time",
/// "names":[...], "buckets":[{"start", "start_ns", <name>: N, ...}]}}`, buckets oldest first.
std::string historyJson(const protocol::HistoryReply& history);

}  // namespace netlens::node::cli
