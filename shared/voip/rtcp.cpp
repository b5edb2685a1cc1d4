// SPDX-License-Identifier: MIT
#include "shared/voip/rtcp.h"

namespace netlens::voip {
namespace {

std::uint32_t read32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         p[3];
}

constexpr std::uint8_t kSenderReport = 200;
constexpr std::uint8_t kReceiverReport = 201;
constexpr std::uint32_t kReportBlockBytes = 24;
constexpr std::uint32_t kSenderInfoBytes = 20;

void readBlocks(const std::uint8_t* p, std::uint32_t count, std::uint32_t reporter,
                RtcpCompound& out) {
  for (std::uint32_t i = 0; i < count; ++i, p += kReportBlockBytes) {
    RtcpReportBlock b;
    b.reporterSsrc = reporter;
    b.sourceSsrc = read32(p);
    b.fractionLost = p[4];
    const std::uint32_t lost24 = (std::uint32_t{p[5]} << 16) | (std::uint32_t{p[6]} << 8) | p[7];
    b.cumulativeLost = (lost24 & 0x800000u) != 0 ? static_cast<std::int32_t>(lost24) - 0x1000000
                                                 : static_cast<std::int32_t>(lost24);
    b.highestSequence = read32(p + 8);
    b.jitter = read32(p + 12);
    b.lastSr = read32(p + 16);
    b.delaySinceLastSr = read32(p + 20);
    out.reports.push_back(b);
  }
}

}  // namespace

bool parseRtcp(const std::uint8_t* data, std::uint32_t length, RtcpCompound& out) {
  out.clear();
  if (data == nullptr || length < 8) return false;
  std::uint32_t at = 0;
  bool first = true;
  while (at < length) {
    if (length - at < 4) return false;
    const std::uint8_t* p = data + at;
    if ((p[0] >> 6) != 2) return false;
    const bool padding = (p[0] & 0x20) != 0;
    const std::uint32_t count = p[0] & 0x1f;
    const std::uint8_t type = p[1];
    if (type < kSenderReport || type > 207) return false;
    // RFC 3550 6.1: a compound packet starts with an SR or RR (RFC 5506 reduced size aside,
    // which a heuristic cannot tell from noise).
    if (first && type != kSenderReport && type != kReceiverReport) return false;
    const std::uint32_t bytes = 4 * ((std::uint32_t{p[2]} << 8 | p[3]) + 1);
    if (bytes > length - at) return false;
    const bool last = at + bytes == length;
    if (padding && !last) return false;  // only the last packet may be padded
    std::uint32_t body = bytes;
    if (padding) {
      const std::uint8_t pad = p[bytes - 1];
      if (pad == 0 || pad > bytes - 4) return false;
      body -= pad;
    }
    if (type == kSenderReport) {
      if (body < 8 + kSenderInfoBytes + count * kReportBlockBytes) return false;
      const std::uint32_t ssrc = read32(p + 4);
      // NTP: seconds at p+8, fraction at p+12; the middle 32 bits are the low 16 bits of the
      // seconds and the high 16 bits of the fraction.
      const std::uint32_t middle = (read32(p + 8) << 16) | (read32(p + 12) >> 16);
      out.senderReports.push_back({ssrc, middle});
      readBlocks(p + 8 + kSenderInfoBytes, count, ssrc, out);
    } else if (type == kReceiverReport) {
      if (body < 8 + count * kReportBlockBytes) return false;
      readBlocks(p + 8, count, read32(p + 4), out);
    }
    at += bytes;
    first = false;
  }
  return true;
}

}  // namespace netlens::voip
