// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace netlens::node::analysis {

/// The IP module's switches, after its seed's settings: every analysis is on unless a node is
/// started with `--disable-analysis NAME[,NAME...]`. Host and global counters, their
/// histories, names and VoIP are always on. The names (command line, the Hello's
/// `analysesOff`):
/// - `connections` ("store connections per IP"): no connection table at all — no
///   connection records, application protocols, TLS/HTTP details, handshake figures or
///   connection histories (so every tab of IP detail built from connections is empty);
/// - `layer7` ("store layer-7 protocols per IP"): nDPI is not run; connections have no `app`;
/// - `peer-history`: no history per peer pair;
/// - `qos`: no QoS markings per connection direction and no history per QoS class;
/// - `tls-details`: TLS handshakes are not followed: no versions, ciphers, SNI, or TLS
///   response times.
/// The seed's "track new connections" is not a switch of its own here: the new-connection
/// figures (handshake legs, answered, unanswered and rejected SYNs, open server ports) come
/// from the TCP sequence analysis the connection table runs anyway, so they are on with
/// `connections` and off with it (leaving out only the handshake legs saved no measurable
/// time, and would have made IP detail count every new connection as failed).
struct AnalysisSwitches {
  bool connections = true;
  bool layer7 = true;
  bool peerHistory = true;
  bool qos = true;
  bool tlsDetails = true;

  /// Every switch's name, in the order above.
  static const std::vector<std::string_view>& names();
  /// Turns off the analyses named in `list` (comma-separated); false with `*problem` naming
  /// the word it does not know and listing the names.
  bool disable(std::string_view list, std::string* problem);
  /// The names of the switches that are off, in the order of names().
  std::vector<std::string> offNames() const;
  friend bool operator==(const AnalysisSwitches&, const AnalysisSwitches&) = default;
};

}  // namespace netlens::node::analysis
