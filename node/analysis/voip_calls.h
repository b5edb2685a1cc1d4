// SPDX-License-Identifier: MIT
#pragma once

#include <map>
#include <string>
#include <vector>

#include "node/analysis/voip_records.h"

namespace netlens::node::analysis {

/// Builds the SIP dialogs of the Call-IDs that carry an INVITE from their messages (from all
/// workers; sorted by time here) and attaches the RTP streams whose SDP named the call.
///
/// States: an INVITE makes a call "trying"; a provisional response other than 100 to it
/// "ringing"; a 2xx "answered" (setup time = INVITE → 2xx); a BYE "ended" (duration = 2xx →
/// BYE); a CANCEL before the answer "cancelled"; another final response before the answer
/// "failed" ("cancelled" when a CANCEL came first). A new INVITE after a failure (e.g. a
/// 401/407 challenge answered with credentials) makes the call "trying" again.
/// Every call lists its messages in time order (at most SipMessageRecord::kMaxPerCall, the
/// rest counted in messagesOmitted) for the ladder diagram.
/// Result ordered by start time, then Call-ID. Thread-safe (no state).
std::vector<CallRecord> buildCalls(const std::map<std::string, SipCallEvents>& events,
                                   const std::vector<RtpStreamRecord>& streams);

}  // namespace netlens::node::analysis
