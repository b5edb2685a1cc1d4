// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "node/demo/demo_frame.h"
#include "node/demo/demo_random.h"
#include "node/demo/frame_builder.h"

namespace netlens::node::demo {

/// Addresses and path properties of one simulated TCP connection.
struct TcpSessionParams {
  DemoHost client;
  std::uint16_t clientPort = 0;
  DemoHost server;
  std::uint16_t serverPort = 0;
  std::int64_t rttNs = 20'000'000;            // round trip seen from the capture point
  std::int64_t serverSegmentGapNs = 120'000;  // bottleneck spacing of full-size segments
};

/// Simulates one TCP connection as seen by a capture point next to the client: handshake
/// with MSS/SACK/window-scale options, data in both directions with slow start, delayed
/// ACKs, optional loss with duplicate ACKs and fast retransmission, and the close.
/// Every call takes the time at which its first segment is seen and returns the time at
/// which the step is complete (the earliest moment the next step can start), so callers
/// chain steps. Frames go to the FrameBuilder; single-threaded.
class TcpSession {
 public:
  TcpSession(FrameBuilder& out, DemoRandom random, const TcpSessionParams& params);

  /// SYN at `t` (again 1 s later if `retransmitSyn`), SYN-ACK, ACK. Returns the ACK's time.
  std::int64_t open(std::int64_t t, bool retransmitSyn = false);
  /// The client sends `data` from `t`; the server ACKs every second segment. With
  /// `retransmitFirst` the first segment is lost behind the capture point and sent again
  /// after the retransmission timeout. Returns when the server can have answered (the last
  /// segment's time plus one round trip).
  std::int64_t clientSends(std::int64_t t, std::span<const std::uint8_t> data,
                           bool retransmitFirst = false);
  /// The server's `data` starts arriving at `t` in slow-start rounds; the client ACKs.
  /// `loseSegment` (an index) is lost before the capture point: the client sends duplicate
  /// ACKs and the server retransmits. Returns the time of the client's last ACK.
  std::int64_t serverSends(std::int64_t t, std::span<const std::uint8_t> data,
                           std::optional<std::size_t> loseSegment = std::nullopt);
  /// The client sends `data` to a server whose application reads slowly: the server's
  /// receive window is `windowBytes` (a multiple of its 512-byte scale unit). The client fills
  /// the window (its last segment ends exactly at the window's edge), the server acknowledges
  /// everything with a zero window and opens the window again `readNs` later. Returns when
  /// the last data can have been answered.
  std::int64_t clientSendsIntoSmallWindow(std::int64_t t, std::span<const std::uint8_t> data,
                                          std::uint32_t windowBytes, std::int64_t readNs);
  /// FIN handshake started by the client (or the server). Returns the last ACK's time.
  std::int64_t close(std::int64_t t, bool clientCloses = true);
  /// The client aborts with RST/ACK at `t` (what browsers do with idle connections).
  std::int64_t reset(std::int64_t t);

  std::int64_t rttNs() const { return m_params.rttNs; }

 private:
  void clientSegment(std::int64_t t, std::uint32_t seq, std::uint8_t flags,
                     std::span<const std::uint8_t> payload);
  void serverSegment(std::int64_t t, std::uint32_t seq, std::uint8_t flags,
                     std::span<const std::uint8_t> payload);
  std::int64_t clientAckDelay() { return m_random.between(15'000, 80'000); }

  FrameBuilder& m_out;
  DemoRandom m_random;
  TcpSessionParams m_params;
  std::uint32_t m_mss;
  std::uint32_t m_clientNext;  // next sequence number the client sends
  std::uint32_t m_serverNext;
  std::uint32_t m_clientAcks;  // what the client has acknowledged of the server's stream
  std::uint32_t m_serverAcks;
  std::uint32_t m_congestionWindow = 10;  // segments
  std::uint16_t m_serverWindow;           // window field of the server's segments
};

}  // namespace netlens::node::demo
