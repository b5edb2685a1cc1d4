// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace netlens::net {

/// An IPv4 or IPv6 address held by value (17 bytes). IPv4 occupies the first 4 bytes.
/// Ordering: all IPv4 before all IPv6, then bytewise — the order tables sort on.
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};
  std::uint8_t family = 0;  // 4, 6, or 0 for "none"

  static IpAddress fromV4(const std::uint8_t* p) {
    IpAddress a;
    a.family = 4;
    std::memcpy(a.bytes.data(), p, 4);
    return a;
  }
  static IpAddress fromV6(const std::uint8_t* p) {
    IpAddress a;
    a.family = 6;
    std::memcpy(a.bytes.data(), p, 16);
    return a;
  }
  bool isV4() const { return family == 4; }
  bool isV6() const { return family == 6; }
  bool isValid() const { return family != 0; }

  /// Dotted quad, or RFC 5952 text for IPv6 (as tshark and inet_ntop print them).
  std::string toString() const;
  /// Parses dotted-quad or IPv6 text; nullopt on anything else.
  static std::optional<IpAddress> parse(std::string_view text);

  friend auto operator<=>(const IpAddress& a, const IpAddress& b) {
    if (auto c = a.family <=> b.family; c != 0) return c;
    return a.bytes <=> b.bytes;
  }
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

struct IpAddressHash {
  std::size_t operator()(const IpAddress& a) const noexcept {
    std::uint64_t lo, hi;
    std::memcpy(&lo, a.bytes.data(), 8);
    std::memcpy(&hi, a.bytes.data() + 8, 8);
    std::uint64_t h = (lo ^ (hi * 0x9E3779B97F4A7C15ull) ^ a.family) * 0xBF58476D1CE4E5B9ull;
    return static_cast<std::size_t>(h ^ (h >> 31));
  }
};

/// A 48-bit MAC address.
struct MacAddress {
  std::array<std::uint8_t, 6> bytes{};
  std::string toString() const;  // "aa:bb:cc:dd:ee:ff"
  static std::optional<MacAddress> parse(std::string_view text);
  friend auto operator<=>(const MacAddress&, const MacAddress&) = default;
};

}  // namespace netlens::net
