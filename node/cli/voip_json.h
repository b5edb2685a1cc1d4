// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

#include "node/analysis/voip_records.h"

namespace netlens::node::cli {

/// `{"rtp":[{"ssrc":"0x1a2b3c4d","src_ip","src_port","dst_ip","dst_port","payload_type",
/// "payload_types":[...],"codec","clock_rate","packets","expected","lost","lost_percent",
/// "sequence_errors","duplicates","max_delta_ms","max_jitter_ms","mean_jitter_ms","mos",
/// "start","end","call_id","r_factor","ie_eff","burst_ratio","effective_loss_percent",
/// "jitter_buffer_discards","jitter_buffer_delay_ms","delay_ms","capture_lost","packet_ms",
/// "series":{"start","packets":[...],"lost","jitter_buffer_discards","max_jitter_ms","mos"}}]}`
/// in the order given. "codec" and "call_id" are null when unknown; "mos", "r_factor" and
/// "ie_eff" are null for codecs without G.113 values. Field names are a script-facing
/// contract: add fields, never rename or remove them.
std::string rtpJson(const std::vector<analysis::RtpStreamRecord>& streams);

/// `{"sip":{"messages","malformed","methods":{"INVITE":N,...},"responses":{"200":N,...}}}`.
std::string sipJson(const analysis::SipCounters& counters);

/// `{"calls":[{"call_id","from","to","state","start","answered","ended","setup_ms",
/// "duration_ms","messages","methods":{...},"responses":{...},"transactions":[{"method",
/// "cseq","request_time","final_code","response_ms","retransmissions"}],"media":[{"type",
/// "address","port","codecs":[{"payload_type","name","clock_rate"}]}],"ssrcs":[...],
/// "directions":[{"src_ip","ssrcs":[...],"mos"}]}]}`.
std::string callsJson(const std::vector<analysis::CallRecord>& calls);

}  // namespace netlens::node::cli
