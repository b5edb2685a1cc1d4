// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QObject>
#include <QString>

#include "shared/net/ip_address.h"

class QLabel;

namespace netlens::app::core {
class NodeManager;
}

namespace netlens::app::views {

class HistoryChart;
class IpDetailPages;

/// The history charts under IP detail's Peers, Layer 3 QoS and Layer 2 QoS tables: the
/// selected peer's traffic with the address (the nodes' "peer" series) or the address's
/// traffic with the selected marking ("qos" series: DSCP, VLAN PCP or MPLS TC), packets/s and
/// bits/s sent and received, with the 1 s / 1 min / 1 h buttons of every history chart. A
/// chart stays hidden until a row is selected, and keeps its series when the table's rows are
/// replaced (the selection is lost then, not the chart).
///
/// Thread: GUI thread. The charts belong to the pages; `nodes` is not owned (may be null in
/// tests).
class IpSelectionHistory : public QObject {
  Q_OBJECT

 public:
  IpSelectionHistory(core::NodeManager* nodes, const net::IpAddress& ip, IpDetailPages* pages);

  /// The chart under table "peers", "qosL3" or "qosL2" (null for other names).
  HistoryChart* chart(const QString& table) const { return m_charts.value(table); }
  /// Selects the series of row `key` of `table` (as the table's selection does): a peer's
  /// address, "dscpN", "pcpN" or "tcN". False for an unknown table or key.
  bool showRow(const QString& table, const QString& key);
  void retranslate();

 private:
  void attach(const QString& table);
  void updateTitle(const QString& table);

  core::NodeManager* m_nodes;
  net::IpAddress m_ip;
  IpDetailPages* m_pages;
  QHash<QString, HistoryChart*> m_charts;
  QHash<QString, QLabel*> m_titles;
  QHash<QString, QString> m_keys;  ///< table → key of the series shown
};

}  // namespace netlens::app::views
