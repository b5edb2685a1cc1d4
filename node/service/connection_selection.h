// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shared/net/ip_address.h"
#include "shared/protocol/codec.h"
#include "shared/protocol/messages.h"

namespace netlens::node::service {

/// Which connections a "connections" request (or the CLI) asks for.
struct ConnectionSelection {
  std::optional<net::IpAddress> ip;  ///< only connections with this client or server address
  std::uint64_t limit = protocol::kDefaultConnectionLimit;
};

/// Reads the "ip" and "limit" parameters; nullopt with `problem` set when one is invalid.
std::optional<ConnectionSelection> parseConnectionSelection(const protocol::Params& params,
                                                            std::string* problem);

/// The selected connections, most recently active first, at most `limit` of them; `total`
/// counts all that matched.
protocol::ConnectionList selectConnections(std::vector<protocol::ConnectionRecord> all,
                                           const ConnectionSelection& selection,
                                           protocol::TimeNs packetTime);

}  // namespace netlens::node::service
