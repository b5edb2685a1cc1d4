// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "shared/protocol/messages.h"

namespace netlens::stats {

/// Identity of a connection record for merging: protocol, client and server endpoints, VLAN.
std::string connectionIdentity(const protocol::ConnectionRecord& r);

/// Adds `from` (the same connection seen by another worker) into `into`: counters and rates
/// summed, first/last activity widened, handshake legs and state kept from whichever has
/// them (`into` first), maximum windows maximised. Thread: any; pure function.
void mergeConnectionRecord(protocol::ConnectionRecord& into,
                           const protocol::ConnectionRecord& from);

}  // namespace netlens::stats
