// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <cstdint>
#include <vector>

#include "app/models/host_table_model.h"

/// What host_table_model.cpp, host_table_model_sort.cpp and host_table_model_sync.cpp share: the
/// row type and the typed reading of a record's columns. Not for other files.
namespace netlens::app::models::detail {

struct HostRow {
  HostRowKey key;
  protocol::HostRecord record;
  std::vector<int> nodeSlots;  ///< nodes holding this IP, ascending
  QString addressText;         ///< cached: built once, used by display, filter and export
  int row = 0;                 ///< position in the model (renumbered after removals)
};

/// The counter a counter column shows (0 for other columns).
inline std::uint64_t columnCounter(const protocol::HostRecord& r, int column) {
  switch (column) {
    case HostTableModel::Packets:
      return r.txPackets + r.rxPackets;
    case HostTableModel::Bytes:
      return r.txBytes + r.rxBytes;
    case HostTableModel::TxPackets:
      return r.txPackets;
    case HostTableModel::TxBytes:
      return r.txBytes;
    case HostTableModel::RxPackets:
      return r.rxPackets;
    case HostTableModel::RxBytes:
      return r.rxBytes;
    case HostTableModel::TcpPackets:
      return r.tcpPackets;
    case HostTableModel::UdpPackets:
      return r.udpPackets;
    case HostTableModel::TcpPayloadBytes:
      return r.tcpPayloadBytes;
    case HostTableModel::TcpRetransPackets:
      return r.tcpRetransPackets;
    case HostTableModel::TcpRetransBytes:
      return r.tcpRetransBytes;
    default:
      return 0;
  }
}

/// The time a time column shows, in ns since the epoch (0 for other columns).
inline protocol::TimeNs columnTime(const protocol::HostRecord& r, int column) {
  switch (column) {
    case HostTableModel::FirstSeen:
      return r.firstSeen;
    case HostTableModel::FirstRecent:
      return r.firstRecent;
    case HostTableModel::LastSeen:
      return r.lastSeen;
    default:
      return 0;
  }
}

/// Packets .. UdpPackets and TcpPayloadBytes .. TcpRetransBytes.
inline bool isCounterColumn(int column) {
  return (column >= HostTableModel::Packets && column <= HostTableModel::UdpPackets) ||
         (column >= HostTableModel::TcpPayloadBytes && column <= HostTableModel::TcpRetransBytes);
}
/// FirstSeen .. LastSeen.
inline bool isTimeColumn(int column) {
  return column >= HostTableModel::FirstSeen && column <= HostTableModel::LastSeen;
}

}  // namespace netlens::app::models::detail
