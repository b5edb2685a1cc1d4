// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <vector>

namespace netlens::voip {

/// A sender report's identity: who sent it and the middle 32 bits of its NTP timestamp, the
/// value a receiver echoes as LSR (RFC 3550 section 6.4.1).
struct RtcpSenderReport {
  std::uint32_t ssrc = 0;
  std::uint32_t ntpMiddle = 0;
};

/// One reception report block of an SR or RR (RFC 3550 section 6.4.1).
struct RtcpReportBlock {
  std::uint32_t reporterSsrc = 0;  ///< the SR/RR's sender
  std::uint32_t sourceSsrc = 0;    ///< the stream the block is about
  std::uint8_t fractionLost = 0;
  std::int32_t cumulativeLost = 0;  ///< 24-bit signed
  std::uint32_t highestSequence = 0;
  std::uint32_t jitter = 0;            ///< in RTP timestamp units
  std::uint32_t lastSr = 0;            ///< LSR: 0 when no SR was received yet
  std::uint32_t delaySinceLastSr = 0;  ///< DLSR, units of 1/65536 s
};

/// The SRs and report blocks of a compound RTCP packet.
struct RtcpCompound {
  std::vector<RtcpSenderReport> senderReports;
  std::vector<RtcpReportBlock> reports;
  void clear() {
    senderReports.clear();
    reports.clear();
  }
};

/// Parses a UDP payload as a compound RTCP packet (RFC 3550 section 6.1): every packet
/// version 2, packet types 200..207 (SR, RR, SDES, BYE, APP, and the feedback types 205..207
/// of RFC 4585 / XR 207), lengths adding up exactly to the datagram (the last packet may
/// carry padding). SDES, BYE, APP, feedback and XR are walked over. False when it is not
/// RTCP; `out` then holds nothing useful. Never reads outside [data, data + length).
/// Thread-safe (no state).
bool parseRtcp(const std::uint8_t* data, std::uint32_t length, RtcpCompound& out);

}  // namespace netlens::voip
