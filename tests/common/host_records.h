// SPDX-License-Identifier: MIT
#pragma once

// Host records, table look-ups and the model-and-proxy fixture for the tests of the console's
// IP table (HostTableModel and its proxy).

#include <QAbstractItemModel>
#include <QAbstractItemModelTester>
#include <QString>
#include <QStringList>
#include <QtGlobal>
#include <cstdint>
#include <memory>
#include <vector>

#include "app/models/host_filter_proxy.h"
#include "app/models/host_table_model.h"
#include "shared/net/ip_address.h"
#include "shared/protocol/messages.h"

namespace netlens::tests::host_records {

using app::models::HostFilterProxy;
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

/// What each test function of the IP table starts from (the test class derives from it and
/// calls these from init() and cleanup()): a fresh model, its proxy sorted by address and a
/// QAbstractItemModelTester on each; dropped testers first, the model last.
struct HostTableFixture {
  void makeTable() {
    m_model = std::make_unique<HostTableModel>();
    m_proxy = std::make_unique<HostFilterProxy>();
    m_proxy->setSourceModel(m_model.get());
    m_modelTester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_proxyTester = std::make_unique<QAbstractItemModelTester>(
        m_proxy.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_proxy->sort(HostTableModel::Address);
  }
  void dropTable() {
    m_proxyTester.reset();
    m_modelTester.reset();
    m_proxy.reset();
    m_model.reset();
  }

  std::unique_ptr<HostTableModel> m_model;
  std::unique_ptr<HostFilterProxy> m_proxy;
  std::unique_ptr<QAbstractItemModelTester> m_modelTester;
  std::unique_ptr<QAbstractItemModelTester> m_proxyTester;
};

}  // namespace netlens::tests::host_records
