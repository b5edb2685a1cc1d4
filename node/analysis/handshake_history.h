// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "node/analysis/keyed_history.h"
#include "shared/net/ip_address.h"

namespace netlens::node::analysis {

/// TCP handshakes of each address over time, as client and as server: new connections
/// attempted (a connection's first SYN), handshakes completed with their initial RTT (sum,
/// minimum and maximum per bucket, as tshark's tcp.analysis.initial_rtt: SYN → SYN/ACK →
/// ACK), and connections rejected (a reset before any SYN/ACK). Each event counts in the
/// bucket of the packet that made it: a SYN whose answer comes a second later counts its
/// attempt in one bucket and its handshake in the next.
///
/// Kept per address in a KeyedHistories of its own budget (the least recently active
/// address gives its history up after a minute of quiet), so the series survive the
/// connections they were measured on: the IP detail's handshake chart no longer depends on
/// which connections the node still holds.
///
/// Thread: owned by one worker's connection analyser, read under the worker's lock.
class HandshakeHistory {
 public:
  /// Columns of one role; the server's follow the client's (names()).
  enum Column : std::size_t { Syns, Handshakes, RttSum, RttMin, RttMax, Rejected, kColumns };
  enum class Role : std::size_t { Client = 0, Server = 1 };

  HandshakeHistory(std::size_t capacity, HistoryGeometry geometry, protocol::TimeNs reclaimIdleNs);

  /// "client_syns", "client_handshakes", "client_rtt_sum_ns", "client_rtt_min_ns",
  /// "client_rtt_max_ns", "client_rejected", then the same for "server_". A min column is 0
  /// in a bucket without a handshake.
  static const std::vector<std::string>& names();

  /// One more of `column` (Syns, Rejected) for both ends, each in its role.
  void count(Column column, const net::IpAddress& client, const net::IpAddress& server,
             protocol::TimeNs ts);
  void completed(const net::IpAddress& client, const net::IpAddress& server, protocol::TimeNs ts,
                 protocol::TimeNs initialRtt);

  /// The history of `ip`, in the order of names(), or nullptr; `*complete` as in
  /// KeyedHistories.
  const History* find(const net::IpAddress& ip, bool* complete) const {
    return m_histories.find(ip, complete);
  }
  /// Whether the budget has turned an address away or taken a history from one.
  bool mayMiss() const { return m_histories.hasLost(); }
  std::size_t size() const { return m_histories.size(); }
  std::uint64_t evictions() const { return m_histories.evictions(); }
  std::size_t memoryBytes() const { return m_histories.memoryBytes(); }

 private:
  /// The row of `ip`'s history for the second of `ts`, offset to `role`'s columns; nullptr
  /// without a history.
  std::uint64_t* rowFor(const net::IpAddress& ip, Role role, protocol::TimeNs ts);

  KeyedHistories<net::IpAddress, net::IpAddressHash> m_histories;
};

}  // namespace netlens::node::analysis
