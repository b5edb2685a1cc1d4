// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>

#include "node/pipeline/pipeline.h"
#include "shared/protocol/codec.h"

namespace netlens::node::service {

/// Reads the parameters of a "history" request (or of `analyze --json history`):
/// "series" ("global", the default, "ip", "group", "connection", "peer" or "qos"), "ip" (required
/// with series "ip", "peer" and "qos", refused otherwise), "name" (the group, with series "group"),
/// "proto", "client", "client_port", "server", "server_port" and "vlan" (the connection, with
/// series "connection"; either end may be given as client), "peer" (with series "peer" and "ip":
/// the pair's traffic from ip's view), "layer" (dscp, vlan_pcp or mpls_tc) and "class" (the marking
/// value; with series "qos" and "ip"), "resolution" ("1s", the default, "1m" or "1h"), "from" and
/// "to" (packet time in ns since the epoch, optional, from ≤ to). nullopt with `problem` set —
/// naming the parameter and what it accepts — when one is invalid or unknown.
std::optional<pipeline::HistoryQuery> parseHistoryQuery(const protocol::Params& params,
                                                        std::string* problem);

}  // namespace netlens::node::service
