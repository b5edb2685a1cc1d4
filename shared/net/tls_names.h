// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// Names of TLS protocol versions and cipher suites for display and statistics. The cipher
// suite table holds the common suites of the IANA "TLS Cipher Suites" registry (the values
// browsers, servers and old stacks announce); any other value is shown as hex.

namespace netlens::net {

/// True for the GREASE values of RFC 8701 (0x0A0A, 0x1A1A, ... 0xFAFA), which clients put
/// into cipher suite and version lists to keep servers tolerant; they mean nothing.
constexpr bool isGrease(std::uint16_t value) {
  return (value & 0x0F0F) == 0x0A0A && (value >> 8) == (value & 0xFF);
}

/// True for TLS 1.3 and its drafts (0x7Fxx) and Facebook's pre-standard variants (0xFBxx).
constexpr bool isTls13Family(std::uint16_t version) {
  return version == 0x0304 || (version >> 8) == 0x7F || (version >> 8) == 0xFB;
}

/// "SSL 2.0", "SSL 3.0", "TLS 1.0" ... "TLS 1.3", "TLS 1.3 (draft 28)",
/// "TLS 1.3 (Facebook draft 26)", "GREASE"; anything else as hex ("0x0305").
std::string tlsVersionLabel(std::uint16_t version);

/// IANA name of a cipher suite ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), "GREASE" for a
/// GREASE value, empty when the suite is not in our table.
std::string_view cipherSuiteName(std::uint16_t suite);

/// cipherSuiteName(), or the value as hex ("0xC02F") when the table has no name for it.
std::string cipherSuiteLabel(std::uint16_t suite);

/// "0x" and four upper-case hex digits.
std::string hex16(std::uint16_t value);

}  // namespace netlens::net
