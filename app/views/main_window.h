// SPDX-License-Identifier: MIT
#pragma once

#include <QMainWindow>
#include <QString>
#include <QVariantMap>

#include <functional>
#include <vector>

class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QLineEdit;
class QMenu;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QToolButton;

namespace netlens::app::core {
class ConsoleIdentity;
class LanguageSwitcher;
class NodeManager;
}  // namespace netlens::app::core

namespace netlens::app::models {
class HostFilterProxy;
class HostTableModel;
}  // namespace netlens::app::models

namespace netlens::app::exporting {
class CsvExportJob;
class DownloadManager;
}  // namespace netlens::app::exporting

namespace netlens::app::models {
struct CaptureQuery;
}

namespace netlens::app::views {

class CapturesView;
class ConnectionsView;
class GroupsView;
class HistoryChart;
class GlobalStatsPanel;
class GroupDetailView;
class IpDetailView;
class NodesPanel;
class SearchView;
class TablePanel;
class VoipView;

/// The console's main window: tabs with the IP addresses table (filter box taking text or
/// an expression, with its parse error shown under it; counters-mode and split-by-node
/// toggles, CSV export), the Connections, IP groups, Global history, Search and VoIP tabs
/// in the middle, the Nodes and Global
/// statistics docks, and the console key dialog. Double-clicking an address opens its
/// IP detail page in place of the tabs, until Back. Wires NodeManager's signals into the
/// models.
///
/// Thread: GUI thread. Owns its models and widgets; does not own `nodes`, `identity` or
/// `language` (which must outlive it; `language` may be null, then no language menu).
class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  MainWindow(core::NodeManager* nodes, const core::ConsoleIdentity* identity,
             core::LanguageSwitcher* language = nullptr, QWidget* parent = nullptr);
  ~MainWindow() override;

  models::HostTableModel* hostModel() const { return m_hostModel; }
  models::HostFilterProxy* hostProxy() const { return m_proxy; }
  QTableView* hostView() const { return m_table; }
  /// The IP table's column chooser: shows or hides `column` (not the address) and
  /// remembers it; a column of the other counter mode shows when that mode is on.
  void setHostColumnWanted(int column, bool wanted);
  QTabWidget* tabs() const { return m_tabs; }
  ConnectionsView* connectionsView() const { return m_connectionsView; }
  GroupsView* groupsView() const { return m_groupsView; }
  HistoryChart* globalHistory() const { return m_globalHistory; }
  SearchView* searchView() const { return m_searchView; }
  VoipView* voipView() const { return m_voipView; }
  CapturesView* capturesView() const { return m_capturesView; }
  /// Every PCAP download of the window (its Captures tab).
  exporting::DownloadManager* downloads() const { return m_downloads; }
  /// The open IP detail page, or null.
  IpDetailView* ipDetail() const { return m_ipDetail; }
  /// The open IP group detail page, or null.
  GroupDetailView* groupDetail() const { return m_groupDetail; }

  /// Writes the filtered and sorted table (the visible columns, in view order) to
  /// `fileName` in the background; csvExportFinished() follows. False if one is running.
  bool exportCsv(const QString& fileName);
  /// The columns exportCsv() writes: visible ones in their visual order.
  std::vector<int> visibleColumns() const;

  /// Whether a live capture of a title runs (the views' Live capture… labels ask it).
  std::function<bool(const QString& title)> liveProbe() const;

 public slots:
  /// Asks for a file name, then exportCsv().
  void exportCsvInteractively();
  void showConsoleKey();
  /// Shown in the status bar and the Nodes dock when standalone mode cannot start.
  void showStandaloneProblem(const QString& reason);
  /// Shows the detail page of the address in `row` of the IP table's view (proxy row).
  void openIpDetailForRow(int row);
  /// Shows the detail page of `address` (replacing an open one); null if it does not parse.
  IpDetailView* openIpDetail(const QString& address);
  /// Back to the group page it was opened from, else to the tables; the detail page and its
  /// samples are deleted.
  void closeIpDetail();
  /// Shows the detail page of IP group `name` (replacing open detail pages).
  GroupDetailView* openGroupDetail(const QString& name);
  /// Back to the tables; the group page is deleted.
  void closeGroupDetail();
  /// Asks for a file and starts downloading `query` from every node (the Download PCAP…
  /// buttons of the views end here).
  void downloadPcap(const netlens::app::models::CaptureQuery& query);
  /// Stops the running live capture of `query`'s title, else asks for a file and starts one
  /// from every node (the Live capture… actions).
  void toggleLiveCapture(const netlens::app::models::CaptureQuery& query);

 signals:
  void csvExportFinished(bool ok, const QString& fileName, const QString& error);

 protected:
  void changeEvent(QEvent* event) override;
  void closeEvent(QCloseEvent* event) override;

 private:
  void buildTable();
  void buildDocks();
  void buildMenus();
  void connectNodes();
  void retranslateUi();
  void applyCounterMode();
  /// The IP table header's menu: every column with a check box (the column chooser).
  void showHostColumnMenu(const QPoint& position);
  /// Whether the user wants `column` of the IP table (the counter mode decides the rest).
  bool isHostColumnWanted(int column) const;
  void updateStatus();
  void restoreSettings();
  void saveSettings() const;

  core::NodeManager* m_nodes;
  const core::ConsoleIdentity* m_identity;
  core::LanguageSwitcher* m_language;
  models::HostTableModel* m_hostModel = nullptr;
  models::HostFilterProxy* m_proxy = nullptr;
  exporting::CsvExportJob* m_exportJob = nullptr;
  exporting::DownloadManager* m_downloads = nullptr;

  QStackedWidget* m_stack = nullptr;
  QTabWidget* m_tabs = nullptr;
  TablePanel* m_hostPage = nullptr;
  ConnectionsView* m_connectionsView = nullptr;
  GroupsView* m_groupsView = nullptr;
  HistoryChart* m_globalHistory = nullptr;
  SearchView* m_searchView = nullptr;
  VoipView* m_voipView = nullptr;
  CapturesView* m_capturesView = nullptr;
  IpDetailView* m_ipDetail = nullptr;
  GroupDetailView* m_groupDetail = nullptr;
  QTableView* m_table = nullptr;  ///< the host page's
  QLineEdit* m_filter = nullptr;  ///< the host page's
  QToolButton* m_separateButton = nullptr;
  QToolButton* m_splitButton = nullptr;
  QToolButton* m_exportButton = nullptr;
  QDockWidget* m_nodesDock = nullptr;
  QDockWidget* m_globalDock = nullptr;
  NodesPanel* m_nodesPanel = nullptr;
  GlobalStatsPanel* m_globalPanel = nullptr;

  QMenu* m_fileMenu = nullptr;
  QMenu* m_viewMenu = nullptr;
  QMenu* m_nodesMenu = nullptr;
  QMenu* m_languageMenu = nullptr;
  QMenu* m_helpMenu = nullptr;
  QAction* m_exportAction = nullptr;
  QAction* m_quitAction = nullptr;
  QAction* m_addNodeAction = nullptr;
  QAction* m_consoleKeyAction = nullptr;
  QAction* m_separateAction = nullptr;
  QAction* m_splitAction = nullptr;
  /// The column chooser's choices by column key (HostTableModel::columnKey); columns not in
  /// it show as HostTableModel::isShownAtFirst says. Saved as "ui/hostColumns".
  QVariantMap m_hostColumns;
  QAction* m_aboutAction = nullptr;
  QAction* m_systemLanguageAction = nullptr;
  QActionGroup* m_languageGroup = nullptr;
  QString m_standaloneProblem;
};

}  // namespace netlens::app::views
