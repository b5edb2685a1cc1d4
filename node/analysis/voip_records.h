// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "node/analysis/sdp_media_registry.h"
#include "shared/net/ip_address.h"
#include "shared/protocol/messages.h"

namespace netlens::node::analysis {

/// The report records are the protocol's message structs, so that `analyze`, the node's
/// replies and `query` carry the same figures.
using RtpStreamRecord = protocol::RtpStreamRecord;
using RtpGap = protocol::RtpGap;
using RtpSecond = protocol::RtpSecond;
using SipIpCounters = protocol::SipIpCounters;
using SipCounters = protocol::SipCounters;
using SipTransaction = protocol::SipTransaction;
using CallRecord = protocol::CallRecord;
using CallDirectionQuality = protocol::CallDirectionQuality;

/// One SIP message as a worker keeps it for its call, copied out of the packet.
struct SipEvent {
  std::int64_t ts = 0;
  bool isRequest = false;
  std::string method;  ///< requests
  int statusCode = 0;  ///< responses
  std::uint32_t cseqNumber = 0;
  std::string cseqMethod;
  std::string from;  ///< URI
  std::string to;    ///< URI
  net::IpAddress srcIp, dstIp;
  std::uint16_t srcPort = 0, dstPort = 0;
  using Media = protocol::CallMedia;
  std::vector<Media> media;     ///< from an SDP body
  std::uint8_t transport = 17;  ///< IP protocol number
  std::string requestUri;       ///< requests
  std::string reason;           ///< responses
  std::string sdp;              ///< the SDP body, cut to protocol::SipMessageRecord::kMaxSdpBytes
  std::uint32_t sdpOmittedBytes = 0;
};

/// A call's messages as one worker keeps them.
struct SipCallEvents {
  std::vector<SipEvent> events;
  std::uint64_t omitted = 0;  ///< messages past the worker's bound, only counted
};

}  // namespace netlens::node::analysis
