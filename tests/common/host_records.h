// SPDX-License-Identifier: MIT
#pragma once

// Host records and table look-ups for the tests of the console's IP table (HostTableModel
// and its proxy).

#include <QAbstractItemModel>
#include <QString>
#include <QStringList>
#include <QtGlobal>
#include <cstdint>
#include <vector>

#include "app/models/host_table_model.h"
#include "shared/net/ip_address.h"
#include "shared/protocol/messages.h"

namespace netlens::tests::host_records {

using app::models::HostTableModel;
using net::IpAddress;
using protocol::HostRecord;
using protocol::HostsSnapshot;

inline constexpr std::int64_t kSecond = 1'000'000'000;
inline constexpr std::int64_t kT0 = 1'700'000'000 * kSecond;

inline IpAddress ip(const char* text) {
  auto parsed = IpAddress::parse(text);
  if (!parsed) qFatal("bad test address %s", text);
  return *parsed;
}

inline HostRecord host(const char* address, std::uint64_t txPackets, std::uint64_t txBytes,
                       std::uint64_t rxPackets = 0, std::uint64_t rxBytes = 0) {
  HostRecord r;
  r.ip = ip(address);
  r.txPackets = txPackets;
  r.txBytes = txBytes;
  r.rxPackets = rxPackets;
  r.rxBytes = rxBytes;
  r.tcpPackets = txPackets;
  r.firstSeen = kT0;
  r.firstRecent = kT0;
  r.lastSeen = kT0 + kSecond;
  return r;
}

inline HostsSnapshot snapshot(std::vector<HostRecord> hosts, std::uint64_t sequence = 1) {
  HostsSnapshot s;
  s.sequence = sequence;
  s.hosts = std::move(hosts);
  return s;
}

/// The address texts of the proxy's rows, top to bottom.
inline QStringList addresses(const QAbstractItemModel& model) {
  QStringList out;
  for (int row = 0; row < model.rowCount(); ++row)
    out << model.index(row, HostTableModel::Address).data().toString();
  return out;
}

inline int findRow(const QAbstractItemModel& model, const QString& address) {
  for (int row = 0; row < model.rowCount(); ++row) {
    if (model.index(row, HostTableModel::Address).data().toString() == address) return row;
  }
  return -1;
}

inline qulonglong raw(const QAbstractItemModel& model, int row, int column) {
  return model.index(row, column).data(HostTableModel::RawRole).toULongLong();
}

}  // namespace netlens::tests::host_records
