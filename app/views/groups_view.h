// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QString>
#include <QWidget>

#include <functional>
#include <vector>

#include "app/core/protocol_metatypes.h"
#include "app/models/capture_query.h"

class QLabel;
class QPushButton;
class QTableView;
class QTimer;

namespace netlens::app::core {
class NodeManager;
}

namespace netlens::app::models {
class SummaryTableModel;
}

namespace netlens::app::views {

/// The IP groups tab: one row per group name over all connected nodes (the figures of the
/// nodes that define it added up: members, packets and bytes each way, TCP and UDP packets,
/// rates, first and last activity), and below it the list of IPs of the selected group
/// (union over the nodes; double-click one for its detail page). While visible it asks every
/// connected node for "groups" every 2 s (with the member lists while a group is selected).
/// *Configure groups…* edits the definitions (GroupsDialog, validated with the node's rules)
/// and sends them with "set-groups" to every connected node that granted this console the
/// admin role; a viewer-only console cannot change them, and the button says why.
///
/// Thread: GUI thread; never waits. Does not own `nodes` (may be null in tests, which feed
/// applyGroups themselves).
class GroupsView : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kPollIntervalMs = 2000;

  explicit GroupsView(core::NodeManager* nodes, QWidget* parent = nullptr);

  models::SummaryTableModel* model() const { return m_model; }
  models::SummaryTableModel* membersModel() const { return m_members; }
  QTableView* table() const { return m_table; }
  QTableView* membersTable() const { return m_membersTable; }
  QPushButton* configureButton() const { return m_configure; }
  QLabel* statusLabel() const { return m_status; }

  /// A node's complete "groups" answer; replaces what that node had.
  void applyGroups(const QString& nodeId, const protocol::GroupList& list);
  void removeNode(const QString& nodeId);
  /// The merged definitions (the first node's prefixes for each name), for the dialog.
  std::vector<protocol::GroupDefinition> definitions() const;
  /// Asks for the packets of the group in proxy row `row` of the table (its networks, over
  /// its members' first..last activity); false for a row that does not exist.
  bool requestPcap(int row);
  /// The query requestPcap(row) sends; empty params for a row without known networks.
  models::CaptureQuery pcapQuery(int row) const;
  /// Tells the context menu whether a group's live capture runs (Stop live capture).
  void setLiveCaptureProbe(std::function<bool(const QString& title)> probe);
  /// Shows the members of `name` below the table ("" for none).
  void selectGroup(const QString& name);
  /// Sends "set-groups" with `groups` to every connected admin node; the number asked.
  int sendDefinitions(const std::vector<protocol::GroupDefinition>& groups);

 public slots:
  void configure();

 signals:
  void ipActivated(const QString& ip);
  /// A group was activated (double-click or Enter in the groups table): open its detail.
  void groupActivated(const QString& name);
  /// Download PCAP… of a group (the groups table's context menu).
  void pcapDownloadRequested(const netlens::app::models::CaptureQuery& query);
  /// Live capture… or Stop live capture of a group: the main window toggles it.
  void liveCaptureRequested(const netlens::app::models::CaptureQuery& query);

 protected:
  void showEvent(QShowEvent* event) override;
  void hideEvent(QHideEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  void poll();
  void rebuild();
  void updateConfigureButton();
  void retranslateUi();
  void onReplied(const QString& nodeId, quint64 token, const QByteArray& body);
  void onFailed(const QString& nodeId, quint64 token, const QString& reason);

  core::NodeManager* m_nodes;
  models::SummaryTableModel* m_model = nullptr;
  models::SummaryTableModel* m_members = nullptr;
  QTableView* m_table = nullptr;
  QTableView* m_membersTable = nullptr;
  QLabel* m_membersTitle = nullptr;
  QLabel* m_status = nullptr;
  QPushButton* m_configure = nullptr;
  QTimer* m_timer = nullptr;
  QString m_selected;
  QHash<QString, protocol::GroupList> m_lists;  ///< node id → its last answer
  QHash<QString, quint64> m_polls;              ///< node id → token of its outstanding "groups"
  QHash<quint64, QString> m_updates;            ///< token of a "set-groups" → node id
  int m_updatesOk = 0;
  QStringList m_updateErrors;
  std::function<bool(const QString& title)> m_liveProbe;
};

}  // namespace netlens::app::views
