// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>
#include <QString>

#include "app/models/capture_query.h"
#include "shared/protocol/codec.h"
#include "shared/protocol/messages.h"

class QTreeWidget;
class QTreeWidgetItem;

namespace netlens::app::core {
class NodeManager;
}

namespace netlens::app::views {

class HistoryChart;

/// Everything a node reported about one connection, as a tree with one column per direction
/// where figures have a direction: endpoints (with countries), traffic, TCP analysis
/// (retransmission classes, out of order, windows), handshake legs, response times, TLS
/// (offered and negotiated versions and ciphers, SNI, ALPN, times), HTTP (last transaction
/// and status families) and QoS (DSCP, VLAN PCP, MPLS TC and labels, with "changed").
/// A snapshot: it shows the record as it was when opened. Given the node it came from, a
/// chart above shows the connection's throughput history from that node (live; the node
/// answers with an explanation when the connection has no history slot).
///
/// A Download PCAP… button asks for the connection's packets (both directions, over its
/// active time) through pcapDownloadRequested.
///
/// Thread: GUI thread.
class ConnectionDetailDialog : public QDialog {
  Q_OBJECT

 signals:
  /// Download PCAP… was clicked: the packets of both directions of this connection.
  void pcapDownloadRequested(const netlens::app::models::CaptureQuery& query);

 public:
  ConnectionDetailDialog(const protocol::ConnectionRecord& record, const QString& nodeName,
                         QWidget* parent = nullptr, core::NodeManager* nodes = nullptr,
                         const QString& nodeId = QString());

  QTreeWidget* tree() const { return m_tree; }
  /// The throughput chart (null without a node to ask).
  HistoryChart* chart() const { return m_chart; }
  /// The "history" parameters that name `r` (series=connection).
  static protocol::Params historyParams(const protocol::ConnectionRecord& r);
  /// The value cells of the row `label` under section `section` ("" when absent), for tests.
  QStringList row(const QString& section, const QString& label) const;

 private:
  QTreeWidgetItem* section(const QString& title);
  void add(QTreeWidgetItem* section, const QString& label, const QString& c2s,
           const QString& s2c = QString());
  void fill(const protocol::ConnectionRecord& r, const QString& nodeName);

  QTreeWidget* m_tree = nullptr;
  HistoryChart* m_chart = nullptr;
};

}  // namespace netlens::app::views
