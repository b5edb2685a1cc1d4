// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

namespace netlens::voip {

/// Why parseRtpHeader refused a datagram.
enum class RtpParseStatus : std::uint8_t {
  Ok,
  TooShort,     ///< fewer than 12 bytes, or the CSRC list / extension runs past the end
  BadVersion,   ///< version is not 2
  BadPadding,   ///< padding count is 0 or larger than what follows the header
  RtcpPayload,  ///< marker + payload type 72..76: an RTCP packet (RFC 5761 section 4)
};

/// The fixed RTP header (RFC 3550 section 5.1) with what follows it. A view: `payload`
/// points into the buffer given to parseRtpHeader and is valid while that buffer is.
struct RtpHeader {
  std::uint8_t version = 0;
  bool padding = false;
  bool extension = false;
  bool marker = false;
  std::uint8_t csrcCount = 0;
  std::uint8_t payloadType = 0;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
  std::uint16_t extensionProfile = 0;  ///< when `extension`
  std::uint16_t extensionWords = 0;    ///< length of the extension in 32-bit words
  std::uint8_t paddingLength = 0;      ///< bytes of padding at the end (the last byte's value)
  const std::uint8_t* payload = nullptr;
  std::uint32_t payloadLength = 0;  ///< without padding
};

/// Parses an RTP header from the `length` captured bytes at `data` (a UDP payload). Never
/// reads outside [data, data + length). Thread-safe (no state).
RtpParseStatus parseRtpHeader(const std::uint8_t* data, std::uint32_t length, RtpHeader& out);

}  // namespace netlens::voip
