// SPDX-License-Identifier: MIT
#include "node/analysis/handshake_history.h"

namespace netlens::node::analysis {

namespace {

constexpr std::uint32_t roleBits(std::size_t column) {
  return (1u << column) | (1u << (column + HandshakeHistory::kColumns));
}

}  // namespace

HandshakeHistory::HandshakeHistory(std::size_t capacity, HistoryGeometry geometry,
                                   protocol::TimeNs reclaimIdleNs)
    : m_histories(capacity, geometry, reclaimIdleNs, 2 * kColumns,
                  ExtremeColumns{roleBits(RttMax), roleBits(RttMin)}) {}

const std::vector<std::string>& HandshakeHistory::names() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const char* role : {"client_", "server_"}) {
      for (const char* column :
           {"syns", "handshakes", "rtt_sum_ns", "rtt_min_ns", "rtt_max_ns", "rejected"}) {
        names.push_back(std::string(role) + column);
      }
    }
    return names;
  }();
  return kNames;
}

std::uint64_t* HandshakeHistory::rowFor(const net::IpAddress& ip, Role role, protocol::TimeNs ts) {
  std::uint64_t* row = m_histories.rowFor(ip, ts);
  return row == nullptr ? nullptr : row + static_cast<std::size_t>(role) * kColumns;
}

void HandshakeHistory::count(Column column, const net::IpAddress& client,
                             const net::IpAddress& server, protocol::TimeNs ts) {
  if (std::uint64_t* row = rowFor(client, Role::Client, ts)) ++row[column];
  if (std::uint64_t* row = rowFor(server, Role::Server, ts)) ++row[column];
}

void HandshakeHistory::completed(const net::IpAddress& client, const net::IpAddress& server,
                                 protocol::TimeNs ts, protocol::TimeNs initialRtt) {
  const auto rtt = static_cast<std::uint64_t>(initialRtt);
  for (std::uint64_t* row : {rowFor(client, Role::Client, ts), rowFor(server, Role::Server, ts)}) {
    if (row == nullptr) continue;
    ++row[Handshakes];
    row[RttSum] += rtt;
    History::keepMin(row, RttMin, rtt);
    History::keepMax(row, RttMax, rtt);
  }
}

}  // namespace netlens::node::analysis
