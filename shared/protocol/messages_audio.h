// SPDX-License-Identifier: MIT
#pragma once

// The "audio" operation's bodies (see messages.h, which includes this file at its end).

#include <cstdint>
#include <string>
#include <vector>

#include "shared/protocol/messages.h"

namespace netlens::protocol {

// ---- audio ("audio") ------------------------------------------------------------------------

/// One RTP stream whose payloads an "audio" answer carries: its 5-tuple, SSRC and codec as
/// the node's RTP analysis knows them.
struct AudioStream {
  std::uint32_t ssrc = 0;
  net::IpAddress srcIp;
  std::uint16_t srcPort = 0;
  net::IpAddress dstIp;
  std::uint16_t dstPort = 0;
  std::uint8_t payloadType = 0;            ///< of the first packet
  std::vector<std::uint8_t> payloadTypes;  ///< every one seen
  std::string codec;                       ///< encoding name of payloadType ("" unknown)
  std::uint32_t clockRate = 0;
  std::uint64_t packets = 0;  ///< the analysis' count (the store may hold fewer)
  TimeNs firstSeen = 0;
  TimeNs lastSeen = 0;
  friend bool operator==(const AudioStream&, const AudioStream&) = default;
};

/// One RTP packet of an "audio" answer: its stream (an index into AudioChunk::streams), its
/// arrival (packet time) and RTP header fields, and the payload after the RTP header.
struct AudioPacket {
  std::uint32_t stream = 0;
  TimeNs arrival = 0;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint8_t payloadType = 0;
  bool marker = false;
  std::string payload;
  friend bool operator==(const AudioPacket&, const AudioPacket&) = default;
};

/// Reply to "audio": one page of the RTP payloads of a call's or a stream's packets held in
/// the node's packet store, in store order per stream, streams one after the other.
struct AudioChunk {
  std::string callId;                ///< the call asked for; "" for a stream
  std::vector<AudioStream> streams;  ///< every stream of the answer (each page repeats them)
  /// Where the call's first SDP (normally the INVITE's offer) receives media: streams sent
  /// there are the callee's direction. "" and 0 for a stream or a call without SDP.
  std::string callerMediaAddress;
  std::uint16_t callerMediaPort = 0;
  std::vector<AudioPacket> packets;
  /// Where the next page starts (parameter "after"), or empty when this page ends the answer.
  std::string resume;
  std::uint64_t estimatedPackets = 0;  ///< the streams' packets together (for progress)
  friend bool operator==(const AudioChunk&, const AudioChunk&) = default;
};

}  // namespace netlens::protocol
