// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

#include "shared/decoder/decoded_packet.h"

namespace netlens::node::analysis {

/// One of the two byte streams of a TCP connection, as the layer-7 parsers (TlsParser,
/// HttpParser) tell them apart. Which is which is the caller's choice; the connection analyser
/// uses Forward for the bytes sent by the side that opened the connection.
enum class StreamDirection : std::uint8_t { Forward = 0, Reverse = 1 };

inline constexpr int directionIndex(StreamDirection d) {
  return static_cast<int>(d);
}
inline constexpr StreamDirection opposite(StreamDirection d) {
  return d == StreamDirection::Forward ? StreamDirection::Reverse : StreamDirection::Forward;
}

/// What TcpStreamCursor::accept made of one segment: the bytes that are new, in stream order.
struct StreamChunk {
  /// Stream bytes missing just before `data` (segments never captured), to be reported to
  /// the parsers as a gap before `data` is fed.
  std::uint32_t gapBefore = 0;
  const std::uint8_t* data = nullptr;  ///< into the segment's payload
  std::uint32_t length = 0;            ///< new bytes; 0 for a pure retransmission or an ACK
  /// Bytes of this segment on the wire after `data` that were not captured (snap length);
  /// a gap after `data`.
  std::uint32_t gapAfter = 0;
  bool fin = false;  ///< this segment's FIN closes the stream (reported once)

  bool hasGap() const { return gapBefore != 0 || gapAfter != 0; }
};

/// "Reassembly-lite" of one direction of a TCP connection for the layer-7 parsers: it tracks
/// the next expected sequence number and hands out every stream byte at most once, in
/// sequence order, without buffering anything. Data entirely before the expected sequence
/// number (retransmissions, keep-alive probes) is dropped, a partial overlap is trimmed, and
/// data beyond it is passed on with the size of the hole in front of it: a segment that
/// arrives out of order after a later one is therefore lost (reported as a gap), which
/// the parsers survive by resynchronising. That is the trade for holding no segment.
///
/// The first SYN fixes the initial sequence number; without one (the capture began mid-
/// connection) the first segment's sequence number is taken as the start. A later SYN with a
/// different sequence number restarts the cursor (a reused port pair).
///
/// 12 bytes, no allocation. Not thread-safe: owned by the connection's worker.
class TcpStreamCursor {
 public:
  /// One segment of this direction. `capturedLength` payload bytes are at `payload`;
  /// `segmentLength` is the payload length on the wire (at least capturedLength; larger
  /// when the snap length cut the segment).
  StreamChunk accept(std::uint32_t seq, std::uint8_t tcpFlags, const std::uint8_t* payload,
                     std::uint32_t capturedLength, std::uint32_t segmentLength);

  /// The innermost TCP header of a decoded packet, with its captured payload taken as the
  /// whole segment.
  StreamChunk accept(const decoder::TransportLayer& tcp) {
    return accept(tcp.tcpSeq, tcp.tcpFlags, tcp.payload, tcp.payloadLength, tcp.payloadLength);
  }

  bool isStarted() const { return m_started; }
  bool isFinished() const { return m_finished; }
  /// Sequence number of the next byte expected (meaningful once started).
  std::uint32_t nextSequence() const { return m_next; }

 private:
  std::uint32_t m_next = 0;
  std::uint32_t m_isn = 0;
  bool m_started = false;
  bool m_synSeen = false;
  bool m_finished = false;
};

}  // namespace netlens::node::analysis
