// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/core/protocol_metatypes.h"
#include "app/models/capture_query.h"
#include "app/models/summary_table_model.h"

class QLabel;
class QPushButton;
class QTabWidget;
class QTableView;
class QTimer;

namespace netlens::net {
class IpGroupSet;
}

namespace netlens::app::core {
class NodeManager;
}

namespace netlens::app::views {

class ConnectionsView;
class HistoryChart;
class IpDetailPages;

/// The detail page of one IP group, seen as one address: a header (name, networks, nodes,
/// summed counters), a Back button, and the tabs History (the group's series: the sum of its
/// members' on every node), List of IPs (the members, double-click opens an address),
/// Connections (those with a member at either end, fetched with group=<name>) and the tabs
/// derived from those connections, as on the IP detail page (Protocols, Peers, Open TCP ports,
/// TCP statistics, HTTP server, TLS server, TLS infos, Layer 3 and Layer 2 QoS), built by the
/// same stats::IpDetailBuilder with the group's membership.
///
/// Membership is the union of the group's networks as the nodes define them (nodes normally
/// share one definition; where they differ, an address in any node's definition counts).
/// While the page exists it asks the nodes for the group (with its members) every 2 s.
///
/// Thread: GUI thread. Does not own `nodes` (may be null in tests, which then call
/// applyGroups themselves).
class GroupDetailView : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kPollIntervalMs = 2000;

  GroupDetailView(core::NodeManager* nodes, QString name, QWidget* parent = nullptr);
  ~GroupDetailView() override;

  const QString& name() const { return m_name; }
  QTabWidget* tabs() const { return m_tabs; }
  ConnectionsView* connectionsView() const { return m_connections; }
  IpDetailPages* pages() const { return m_pages; }
  HistoryChart* history() const { return m_history; }
  models::SummaryTableModel* membersModel() const { return m_members; }
  QLabel* subtitle() const { return m_subtitle; }
  /// Whether `ip` counts as a member (by the networks received so far).
  bool isMember(const net::IpAddress& ip) const;

  /// The names showTab() takes (also for the console's --group-tab option): "history",
  /// "members", "connections", "protocols", "peers", "ports", "tcp", "http", "tls-server",
  /// "tls-infos", "qos-l3", "qos-l2".
  static QStringList tabNames();
  bool showTab(const QString& name);

  /// The Download PCAP… button (enabled once the group's networks are known).
  QPushButton* downloadButton() const { return m_download; }
  /// Every packet to or from the group's networks over its members' first..last activity;
  /// empty params while the networks are unknown.
  models::CaptureQuery pcapQuery() const;
  /// Emits pcapDownloadRequested(pcapQuery()); false while the networks are unknown.
  bool requestPcap();
  /// The group's packets in a row of the Open TCP ports ("ports"), Layer 3 QoS ("qosL3") or
  /// Layer 2 QoS ("qosL2") table, over the row's (or the group's) activity; empty for other
  /// tables and while the networks are unknown.
  models::CaptureQuery rowCaptureQuery(const QString& table,
                                       const models::SummaryTableModel::Row& row) const;
  /// The Live capture… button: "Stop live capture" while the group's capture runs (enabled
  /// once the group's networks are known).
  QPushButton* liveButton() const { return m_live; }
  /// Tells whether a live capture titled so runs (for the Live capture… button and the
  /// connections' context menu). Call updateLiveButton() on change.
  void setLiveCaptureProbe(std::function<bool(const QString& title)> probe);
  /// Live capture… or Stop live capture, as the probe says now.
  void updateLiveButton();

  /// A node's answer to "groups" (name=<this group>); replaces what that node had.
  void applyGroups(const QString& nodeId, const protocol::GroupList& list);
  void removeNode(const QString& nodeId);

 signals:
  void backRequested();
  /// An address was activated in List of IPs or Peers.
  void ipRequested(const QString& ip);
  /// Download PCAP… of the group or of one of its connections.
  void pcapDownloadRequested(const netlens::app::models::CaptureQuery& query);
  /// Live capture… or Stop live capture of the group or of one of its connections.
  void liveCaptureRequested(const netlens::app::models::CaptureQuery& query);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void poll();
  void onReplied(const QString& nodeId, quint64 token, const QByteArray& body);
  void onFailed(const QString& nodeId, quint64 token, const QString& reason);
  void rebuild();
  void retranslateUi();

  core::NodeManager* m_nodes;
  QString m_name;
  QHash<QString, protocol::GroupRecord> m_records;  ///< node id → its record of the group
  QHash<QString, quint64> m_polls;                  ///< node id → token in flight
  QStringList m_problems;                           ///< nodes that answered with an error
  std::unique_ptr<net::IpGroupSet> m_membership;
  std::vector<std::string> m_networks;  ///< the prefixes m_membership was made from
  protocol::TimeNs m_firstSeen = 0;     ///< of the members, over the nodes
  protocol::TimeNs m_lastSeen = 0;

  QLabel* m_title = nullptr;
  QLabel* m_subtitle = nullptr;
  QPushButton* m_back = nullptr;
  QPushButton* m_download = nullptr;
  QPushButton* m_live = nullptr;
  QPushButton* m_help = nullptr;
  std::function<bool(const QString& title)> m_liveProbe;
  QTabWidget* m_tabs = nullptr;
  HistoryChart* m_history = nullptr;
  QWidget* m_membersPage = nullptr;
  QTableView* m_membersTable = nullptr;
  models::SummaryTableModel* m_members = nullptr;
  ConnectionsView* m_connections = nullptr;
  IpDetailPages* m_pages = nullptr;
  QTimer* m_pollTimer = nullptr;
};

}  // namespace netlens::app::views
