// SPDX-License-Identifier: MIT
#pragma once

#include <vector>

#include "shared/protocol/codec.h"
#include "shared/protocol/messages.h"

namespace netlens::node::store {
class StoreWriter;
}

namespace netlens::node::service {

/// Answers an "audio" request (see protocol::OperationId::Audio): picks the call's or the
/// stream's RTP streams from `streams` and `calls` (the pipeline's current analysis), reads
/// their packets from `store` with paged searches (one stream after the other, by source
/// address and port, protocol UDP and the stream's time), keeps the datagrams of the exact
/// 5-tuple and SSRC that parse as RTP, and replies with one page of their payloads.
///
/// The resume token is "STREAM" or "STREAM:SEGMENT:OFFSET" (the stream's index and the
/// store's own resume position). A bad request, or a node without a store (`store` null),
/// gets an InvalidArgument error that says what to change.
/// Thread: the service thread (the store serialises its searches with its writer).
protocol::Reply audioReply(const protocol::Request& request,
                           const std::vector<protocol::RtpStreamRecord>& streams,
                           const std::vector<protocol::CallRecord>& calls,
                           store::StoreWriter* store);

}  // namespace netlens::node::service
