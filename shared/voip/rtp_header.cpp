// SPDX-License-Identifier: MIT
#include "shared/voip/rtp_header.h"

namespace netlens::voip {

namespace {

std::uint16_t be16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
std::uint32_t be32(const std::uint8_t* p) {
  return (static_cast<std::uint32_t>(p[0]) << 24) | (static_cast<std::uint32_t>(p[1]) << 16) |
         (static_cast<std::uint32_t>(p[2]) << 8) | p[3];
}

}  // namespace

RtpParseStatus parseRtpHeader(const std::uint8_t* data, std::uint32_t length, RtpHeader& out) {
  constexpr std::uint32_t kFixed = 12;
  if (data == nullptr || length < kFixed) return RtpParseStatus::TooShort;
  out = RtpHeader{};
  out.version = data[0] >> 6;
  if (out.version != 2) return RtpParseStatus::BadVersion;
  out.padding = (data[0] & 0x20) != 0;
  out.extension = (data[0] & 0x10) != 0;
  out.csrcCount = data[0] & 0x0f;
  out.marker = (data[1] & 0x80) != 0;
  out.payloadType = data[1] & 0x7f;
  // RTCP sender/receiver reports etc. (200..204) read as marker + 72..76 here.
  if (out.marker && out.payloadType >= 72 && out.payloadType <= 76) {
    return RtpParseStatus::RtcpPayload;
  }
  out.sequence = be16(data + 2);
  out.timestamp = be32(data + 4);
  out.ssrc = be32(data + 8);
  std::uint32_t offset = kFixed + 4u * out.csrcCount;
  if (offset > length) return RtpParseStatus::TooShort;
  if (out.extension) {
    if (offset + 4 > length) return RtpParseStatus::TooShort;
    out.extensionProfile = be16(data + offset);
    out.extensionWords = be16(data + offset + 2);
    offset += 4 + 4u * out.extensionWords;
    if (offset > length) return RtpParseStatus::TooShort;
  }
  std::uint32_t end = length;
  if (out.padding) {
    // The count includes itself, so 0 is invalid; it may not eat into the header.
    const std::uint8_t count = data[length - 1];
    if (count == 0 || count > length - offset) return RtpParseStatus::BadPadding;
    out.paddingLength = count;
    end -= count;
  }
  out.payload = data + offset;
  out.payloadLength = end - offset;
  return RtpParseStatus::Ok;
}

}  // namespace netlens::voip
