// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shared/net/ip_address.h"
#include "shared/net/ip_groups.h"
#include "shared/protocol/codec.h"
#include "shared/protocol/messages.h"

namespace netlens::node::service {

/// Which connections a "connections" request (or the CLI) asks for.
struct ConnectionSelection {
  std::optional<net::IpAddress> ip;  ///< only connections with this client or server address
  /// Only connections with a client or server address in this IP group (by name).
  std::optional<std::string> group;
  std::uint64_t limit = protocol::kDefaultConnectionLimit;
};

/// Reads the "ip", "group" and "limit" parameters; nullopt with `problem` set when one is
/// invalid (a group name is checked against the node's groups by selectConnections).
std::optional<ConnectionSelection> parseConnectionSelection(const protocol::Params& params,
                                                            std::string* problem);

/// The selected connections, most recently active first, at most `limit` of them; `total`
/// counts all that matched. Group members are looked up in `groups`; nullopt with `problem`
/// set when the selection names a group that `groups` does not have.
std::optional<protocol::ConnectionList> selectConnections(
    std::vector<protocol::ConnectionRecord> all, const ConnectionSelection& selection,
    protocol::TimeNs packetTime, const net::IpGroupSet& groups, std::string* problem);

}  // namespace netlens::node::service
