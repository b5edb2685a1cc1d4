// SPDX-License-Identifier: MIT
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

#include "shared/net/ip_address.h"

namespace netlens::net {

/// IpAddress's order and equality from two 8-byte loads per address instead of a call to
/// memcmp, for loops that compare addresses on every packet or sort many of them (the call
/// showed in the profiles of analysis and ingest).
namespace detail {
/// Bytes `at` to `at + 7` of `ip` as a big-endian number, so that numbers order as the bytes.
inline std::uint64_t addressWord(const IpAddress& ip, std::size_t at) {
  std::uint64_t w;
  std::memcpy(&w, ip.bytes.data() + at, 8);
  if constexpr (std::endian::native == std::endian::little) {
    w = (w >> 56) | ((w >> 40) & 0xff00) | ((w >> 24) & 0xff0000) | ((w >> 8) & 0xff000000) |
        ((w << 8) & 0xff00000000ULL) | ((w << 24) & 0xff0000000000ULL) |
        ((w << 40) & 0xff000000000000ULL) | (w << 56);  // compiles to one byte swap
  }
  return w;
}
}  // namespace detail

/// The order of IpAddress's operator<=> (family, then bytes): negative, zero or positive.
inline int compareAddresses(const IpAddress& x, const IpAddress& y) {
  if (x.family != y.family) return x.family < y.family ? -1 : 1;
  for (std::size_t at = 0; at < 16; at += 8) {
    const std::uint64_t a = detail::addressWord(x, at);
    const std::uint64_t b = detail::addressWord(y, at);
    if (a != b) return a < b ? -1 : 1;
  }
  return 0;
}

/// The order of two ends (address, then port), as a pair of the two would order.
inline int compareEnds(const IpAddress& x, std::uint16_t xPort, const IpAddress& y,
                       std::uint16_t yPort) {
  if (const int order = compareAddresses(x, y); order != 0) return order;
  return xPort < yPort ? -1 : xPort > yPort ? 1 : 0;
}

/// IpAddress's operator==.
inline bool sameAddress(const IpAddress& x, const IpAddress& y) {
  std::uint64_t xw[2];
  std::uint64_t yw[2];
  std::memcpy(xw, x.bytes.data(), sizeof xw);
  std::memcpy(yw, y.bytes.data(), sizeof yw);
  return ((xw[0] ^ yw[0]) | (xw[1] ^ yw[1])) == 0 && x.family == y.family;
}

}  // namespace netlens::net
