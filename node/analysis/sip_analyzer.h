// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "node/analysis/flow_segment.h"
#include "node/analysis/rtp_analyzer.h"
#include "node/analysis/sdp_media_registry.h"
#include "node/analysis/tcp_stream_cursor.h"
#include "node/analysis/voip_records.h"
#include "shared/voip/sip_message.h"

namespace netlens::node::analysis {

/// SIP of one worker: recognises SIP messages by content on any UDP or TCP port, counts
/// methods and response codes, keeps each Call-ID's messages (SipEvent) for the dialogs that
/// are built when a report is made (a call's messages may be spread over workers), and
/// publishes the media endpoints of SDP bodies to the node's SdpMediaRegistry.
///
/// TCP: each direction is followed with a TcpStreamCursor (retransmitted bytes dropped) and
/// a buffer for a message split over segments, up to kMaxBufferBytes; after a gap the
/// stream resynchronises on the next segment that starts with a SIP start line.
///
/// Bounded: kMaxCalls Call-IDs (the least recently active forgotten first), kMaxEventsPerCall
/// messages per call (later ones only counted), kMaxTcpFlows followed TCP directions, and
/// per call kMaxSdpBytesPerCall of SDP text kept for the ladder (each body cut to
/// SipMessageRecord::kMaxSdpBytes; past the budget bodies are dropped and counted).
/// Not thread-safe: owned by its worker; read under the worker's lock.
class SipAnalyzer {
 public:
  static constexpr std::size_t kMaxCalls = 8192;
  static constexpr std::size_t kMaxEventsPerCall = protocol::SipMessageRecord::kMaxPerCall;
  static constexpr std::size_t kMaxSdpBytesPerCall = 16384;
  static constexpr std::size_t kMaxTcpFlows = 4096;
  static constexpr std::size_t kMaxBufferBytes = 65536;

  /// `registry` may be null (SDP not published).
  explicit SipAnalyzer(std::shared_ptr<SdpMediaRegistry> registry = nullptr);

  /// One UDP or TCP segment with its captured payload. True when it carried SIP.
  bool process(const FlowSegment& segment);

  const SipCounters& counters() const { return m_counters; }
  /// Appends this worker's messages per Call-ID to `calls` (with the count it left out).
  void collectEvents(std::map<std::string, SipCallEvents>& calls) const;

 private:
  struct TcpFlow {
    TcpStreamCursor cursor;
    std::string buffer;
    std::int64_t lastSeen = 0;
  };
  struct Call {
    std::vector<SipEvent> events;
    std::uint64_t omitted = 0;
    std::size_t sdpBytes = 0;
    std::int64_t lastSeen = 0;
  };
  bool processTcp(const FlowSegment& s);
  void handle(const voip::SipMessage& m, const FlowSegment& s);
  void remember(const std::string& callId, SipEvent event);
  void sweepTcp(std::int64_t now);

  std::shared_ptr<SdpMediaRegistry> m_registry;
  SipCounters m_counters;
  std::unordered_map<std::string, Call> m_calls;
  std::unordered_map<RtpAnalyzer::FlowKey, TcpFlow, RtpAnalyzer::FlowKeyHash> m_tcp;
  voip::SipMessage m_message;  // scratch
};

}  // namespace netlens::node::analysis
