// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string_view>

namespace netlens::voip {

/// A static RTP payload type of RFC 3551 (tables 4 and 5): encoding name and clock rate.
struct StaticPayloadType {
  std::string_view name;  ///< RFC 3551 encoding name ("PCMU", "PCMA", "G722"...); "" unassigned
  std::uint32_t clockRate = 0;  ///< Hz; 0 when unassigned or dynamic
};

/// Payload types 0..95; for 96..127 (dynamic) and unassigned numbers the name is empty and
/// the clock rate 0: only an SDP rtpmap names those. Thread-safe (constant table).
StaticPayloadType staticPayloadType(std::uint8_t payloadType);

/// Comfort noise (RFC 3389: 13; 19 was its provisional number).
inline constexpr bool isComfortNoise(std::uint8_t payloadType) {
  return payloadType == 13 || payloadType == 19;
}

}  // namespace netlens::voip
