// SPDX-License-Identifier: MIT
#pragma once

#include "shared/protocol/messages.h"

namespace netlens::stats {

/// Adds `from` (the same IP seen by another worker or node) into `into`: counters and rates
/// are summed, first/last activity widened, MACs and VLANs united.
///
/// `firstRecent` is the start of the host's current activity period, i.e. the earliest time
/// from which activity never paused for more than `inactivityGapNs` up to `lastSeen`. Each
/// input's period [firstRecent, lastSeen] has no such pause, so the union's period is found by
/// chaining periods that overlap or lie within the gap of the later one. Call order does not
/// matter for counters; for `firstRecent` merge in any order — the rule is applied pairwise
/// and is exact for two periods, and for more whenever periods are merged latest-first or
/// overlap (the common case). Thread: any; pure function.
void mergeHostRecord(protocol::HostRecord& into, const protocol::HostRecord& from,
                     protocol::TimeNs inactivityGapNs);

/// Sums two global statistics (sources are concatenated, malformed reasons added).
void mergeGlobalStats(protocol::GlobalStats& into, const protocol::GlobalStats& from);

}  // namespace netlens::stats
