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

namespace netlens::node::analysis {

/// One RTP stream (one SSRC in one direction of one UDP 5-tuple), as reported. Plain data.
struct RtpStreamRecord {
  std::uint32_t ssrc = 0;
  net::IpAddress srcIp;
  net::IpAddress dstIp;
  std::uint16_t srcPort = 0;
  std::uint16_t dstPort = 0;
  std::uint8_t payloadType = 0;            ///< of the first packet
  std::vector<std::uint8_t> payloadTypes;  ///< every one seen, in order of appearance
  std::string codec;                       ///< encoding name of payloadType ("" unknown)
  std::uint32_t clockRate = 0;             ///< of payloadType; 0 unknown
  std::uint64_t packets = 0;
  /// From sequence numbers, with wrap-arounds: last - first + 1 (+ 65536 per cycle).
  std::int64_t expected = 0;
  std::int64_t lost = 0;             ///< expected - packets; negative with duplicates
  std::uint64_t sequenceErrors = 0;  ///< packets whose number did not follow the previous
  std::uint64_t duplicates = 0;      ///< same number as the packet before
  double maxDeltaMs = 0;
  double maxJitterMs = 0;
  double meanJitterMs = 0;
  std::int64_t firstSeen = 0;  ///< packet time, ns
  std::int64_t lastSeen = 0;
  bool announced = false;     ///< an SDP named one of its endpoints
  std::string callId;         ///< of that SDP; "" when none
  std::optional<double> mos;  ///< TODO(#5): E-model MOS, a later increment

  double lostPercent() const {
    return expected > 0 ? 100.0 * static_cast<double>(lost) / static_cast<double>(expected) : 0;
  }
};

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
  struct Media {
    std::string type;
    std::string address;
    std::uint16_t port = 0;
    std::vector<MediaCodec> codecs;
  };
  std::vector<Media> media;  ///< from an SDP body
};

/// SIP message counters as tshark's `-z sip,stat` shows them.
/// SIP messages one address sent and received.
struct SipIpCounters {
  std::map<std::string, std::uint64_t> sentMethods;  ///< requests it sent, by method
  std::map<std::string, std::uint64_t> receivedMethods;
  std::map<int, std::uint64_t> sentResponses;  ///< responses it sent, by status code
  std::map<int, std::uint64_t> receivedResponses;
  void add(const SipIpCounters& other);
};

struct SipCounters {
  /// Addresses with per-IP counts per worker; messages of further addresses count in the
  /// totals only (`perIpDropped`), so a spray of spoofed senders cannot grow the node.
  static constexpr std::size_t kMaxAddresses = 65536;

  std::uint64_t messages = 0;
  std::uint64_t malformed = 0;                   ///< SIP start line, unusable rest (skipped)
  std::map<std::string, std::uint64_t> methods;  ///< request method → messages
  std::map<int, std::uint64_t> responses;        ///< status code → messages
  std::map<net::IpAddress, SipIpCounters> perIp;
  std::uint64_t perIpDropped = 0;  ///< messages whose sender or receiver found no room

  void add(const SipCounters& other);
};

/// A request and its responses within a call (matched by CSeq number and method).
struct SipTransaction {
  std::string method;
  std::uint32_t cseq = 0;
  std::int64_t requestTime = 0;
  int finalCode = 0;  ///< 0 when no final response was seen
  std::int64_t finalTime = 0;
  /// First response of any kind after the request, ns; -1 when none.
  std::int64_t firstResponseNs = -1;
  std::uint32_t retransmissions = 0;  ///< the request seen again
};

/// One SIP dialog (all messages of one Call-ID), built when the report is made.
struct CallRecord {
  std::string callId;
  std::string from;
  std::string to;
  std::string state;  ///< trying, ringing, answered, ended, failed, cancelled
  std::int64_t start = 0;
  std::int64_t answered = 0;  ///< 0 when never answered
  std::int64_t ended = 0;     ///< BYE / final failure / CANCEL; 0 while running
  std::int64_t lastSeen = 0;
  std::optional<std::int64_t> setupNs;     ///< INVITE → 2xx
  std::optional<std::int64_t> durationNs;  ///< 2xx → BYE (or last message)
  SipCounters counters;
  std::vector<SipTransaction> transactions;
  std::vector<SipEvent::Media> media;
  std::vector<std::uint32_t> ssrcs;  ///< RTP streams attached to the call
};

}  // namespace netlens::node::analysis
