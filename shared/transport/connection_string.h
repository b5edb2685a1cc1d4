// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "shared/protocol/result.h"

namespace netlens::transport {

/// `netlens://HOST:PORT?key=<Z85 server public key>` — what a node prints and the console
/// takes as it is. HOST is an IPv4 address, an IPv6 address in brackets ([::1]) or a host
/// name; PORT is the control (ROUTER) port, 1–65535; key is the node's 40-character Z85
/// CURVE public key. Z85 contains '&', '?', '#', '%' and '=': the key is always taken as the
/// 40 characters after "key=", never URL-decoded. Unknown extra parameters (`&name=value`)
/// are ignored so that newer nodes can add some. Surrounding whitespace is ignored.
///
/// SECURITY: the key authenticates the node (CURVE); the string must reach the console over
/// a channel the user trusts. The host part is not trusted for anything.
struct ConnectionString {
  std::string host;  ///< without brackets, e.g. "::1", "10.0.0.2", "node-3.lab"
  std::uint16_t port = 0;
  std::string serverKey;  ///< Z85, 40 characters

  /// Parses and validates; errors say what is wrong and how to fix it, e.g.
  /// "missing port: write netlens://HOST:PORT?key=KEY" (see tst_transport for all texts).
  static protocol::Result<ConnectionString> parse(std::string_view text);

  /// "netlens://host:port?key=..." with IPv6 hosts in brackets.
  std::string toString() const;
  /// ZeroMQ endpoint of the control socket: "tcp://host:port" ("tcp://[::1]:port").
  std::string endpoint() const { return endpoint(port); }
  /// ZeroMQ endpoint of another port on the same host (e.g. the publisher port).
  std::string endpoint(std::uint16_t otherPort) const;
  /// True when host is an IPv6 literal (needs brackets and ZMQ_IPV6).
  bool isIpv6() const;

  friend bool operator==(const ConnectionString&, const ConnectionString&) = default;
};

/// Scheme prefix of connection strings.
inline constexpr std::string_view kConnectionScheme = "netlens://";

}  // namespace netlens::transport
