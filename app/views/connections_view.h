// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QWidget>

#include <functional>
#include <vector>

#include "app/core/connection_scope.h"
#include "app/models/capture_query.h"

class QLabel;
class QLineEdit;
class QTableView;
class QToolButton;

namespace netlens::app::core {
class ConnectionPoller;
class NodeManager;
}  // namespace netlens::app::core

namespace netlens::app::models {
class ConnectionFilterProxy;
class ConnectionTableModel;
}  // namespace netlens::app::models

namespace netlens::app::exporting {
class CsvExportJob;
}

namespace netlens::app::views {

class ConnectionDetailDialog;
class TablePanel;

/// A connections table with its filter box (text or expression, parse errors in red under
/// it), a row count, CSV export of the filtered and sorted rows and a column chooser (the
/// header's context menu; hidden columns, order and widths are kept in QSettings under
/// `settingsKey`). While the widget is visible a ConnectionPoller asks every connected node
/// for its connections every 2 s (only those of `ip` when it is not empty); the answers
/// come by queued signals and update only the changed rows.
///
/// A row's context menu has Details…, Download PCAP… and Live capture… (Stop live capture
/// while one of that connection runs, as the live-capture probe tells).
///
/// Thread: GUI thread. Owns its model, proxy, poller and export job; does not own `nodes`
/// (may be null: then nothing is fetched, as in tests that feed the model themselves).
class ConnectionsView : public QWidget {
  Q_OBJECT

 public:
  ConnectionsView(core::NodeManager* nodes, QString settingsKey, QString ip = {},
                  QWidget* parent = nullptr);
  /// A view of the connections `scope` selects (e.g. those of an IP group).
  ConnectionsView(core::NodeManager* nodes, QString settingsKey, core::ConnectionScope scope,
                  QWidget* parent = nullptr);
  ~ConnectionsView() override;

  models::ConnectionTableModel* model() const { return m_model; }
  models::ConnectionFilterProxy* proxy() const { return m_proxy; }
  QTableView* table() const { return m_table; }
  QLineEdit* filterEdit() const { return m_filter; }
  core::ConnectionPoller* poller() const { return m_poller; }
  /// The columns an export writes: visible ones in their visual order.
  std::vector<int> visibleColumns() const;
  /// Shows or hides a column (as the column chooser does) and remembers it.
  void setColumnVisible(int column, bool visible);
  /// Writes the filtered and sorted table in the background; exportFinished() follows.
  /// False if an export is running.
  bool exportCsv(const QString& fileName);
  /// Keeps asking the nodes while hidden (for views built on this one's rows, as the IP
  /// detail's derived tabs); by default the view asks only while it is visible.
  void setPollingWhileHidden(bool on);
  /// Opens the detail window of the connection in proxy row `proxyRow` (as a double-click
  /// does); null for a row that does not exist. The window deletes itself when closed.
  ConnectionDetailDialog* openDetail(int proxyRow);
  /// Asks for the packets of the connection in proxy row `proxyRow` (both directions, over
  /// its active time) through pcapDownloadRequested; false for a row that does not exist.
  bool requestPcap(int proxyRow);
  /// The download query of the connection in proxy row `proxyRow` (both directions, over its
  /// active time; empty params for a row that does not exist).
  models::CaptureQuery pcapQuery(int proxyRow) const;
  /// The live-capture query of the connection in proxy row `proxyRow` (empty params for a row
  /// that does not exist).
  models::CaptureQuery liveQuery(int proxyRow) const;
  /// Tells whether a live capture titled so runs (the context menu then offers Stop); by
  /// default none does.
  void setLiveCaptureProbe(std::function<bool(const QString& title)> probe);

 public slots:
  void exportCsvInteractively();

 signals:
  void exportFinished(bool ok, const QString& fileName, const QString& error);
  /// A status line for the window's status bar (export progress and results).
  void statusMessage(const QString& text, int timeoutMs);
  /// Download PCAP… of a connection (the table's context menu or its detail window).
  void pcapDownloadRequested(const netlens::app::models::CaptureQuery& query);
  /// Live capture… or Stop live capture of a connection: the main window toggles it.
  void liveCaptureRequested(const netlens::app::models::CaptureQuery& query);

 protected:
  void changeEvent(QEvent* event) override;
  void showEvent(QShowEvent* event) override;
  void hideEvent(QHideEvent* event) override;

 private:
  void retranslateUi();
  void updateCount();

  core::NodeManager* m_nodes;
  QString m_settingsKey;
  bool m_pollWhileHidden = false;
  models::ConnectionTableModel* m_model = nullptr;
  models::ConnectionFilterProxy* m_proxy = nullptr;
  core::ConnectionPoller* m_poller = nullptr;
  exporting::CsvExportJob* m_exportJob = nullptr;
  TablePanel* m_panel = nullptr;
  QTableView* m_table = nullptr;  ///< the panel's
  QLineEdit* m_filter = nullptr;  ///< the panel's
  QToolButton* m_exportButton = nullptr;
  QLabel* m_problemLabel = nullptr;
  std::function<bool(const QString&)> m_liveProbe;
};

}  // namespace netlens::app::views
