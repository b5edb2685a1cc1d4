// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace netlens::decoder {

/// Why a packet could not be decoded completely. The decoder stops at the first problem and
/// keeps every layer decoded before it (so the outer IP headers of a packet with a broken inner
/// header still count). Append only: the names are published in statistics and must stay stable.
enum class MalformedReason : std::uint8_t {
  None = 0,
  UnsupportedLinkType,
  TruncatedLinkLayer,  ///< Ethernet, SLL, SLL2, null/loopback header cut short
  TruncatedVlan,
  TruncatedMpls,
  TruncatedPppoe,
  BadIpVersion,  ///< version nibble does not match the encapsulation (or is neither 4 nor 6)
  TruncatedIpv4,
  BadIpv4HeaderLength,
  BadIpv4TotalLength,  ///< below the header length, or beyond the enclosing frame or tunnel
  TruncatedIpv6,
  TruncatedIpv6ExtensionHeader,
  TruncatedTcp,
  BadTcpHeaderLength,
  TruncatedUdp,
  TruncatedIcmp,
  TruncatedSctp,
  TruncatedGre,
  TruncatedErspan,
  TruncatedVxlan,
  TruncatedGeneve,
  TooManyLayers,         ///< more nested encapsulations than DecodedPacket can hold
  CaptureError,          ///< the capture source reported a damaged record (counted by the reader)
  TruncatedPpp,          ///< PPP header inside PPPoE or PPTP GRE
  BadIpv6PayloadLength,  ///< payload length beyond the enclosing frame or tunnel
  Count                  ///< number of reasons; not a reason
};

inline constexpr std::size_t kMalformedReasonCount =
    static_cast<std::size_t>(MalformedReason::Count);

/// Stable, lower-case, dash-separated name ("truncated-ipv4"); "none" for None. Thread: any.
std::string_view malformedReasonName(MalformedReason reason) noexcept;

}  // namespace netlens::decoder
