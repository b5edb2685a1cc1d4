// SPDX-License-Identifier: MIT
#include "app/views/main_window.h"

#include <QAction>
#include <QActionGroup>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QDir>
#include <QDockWidget>
#include <QFont>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>

#include "app/core/console_identity.h"
#include "app/core/language_switcher.h"
#include "app/core/node_manager.h"
#include "app/export/csv_export_job.h"
#include "app/export/download_manager.h"
#include "app/models/capture_query.h"
#include "app/models/host_filter_proxy.h"
#include "app/models/host_table_model.h"
#include "app/views/captures_view.h"
#include "app/views/connections_view.h"
#include "app/views/console_key_dialog.h"
#include "app/views/global_stats_panel.h"
#include "app/views/group_detail_view.h"
#include "app/views/groups_view.h"
#include "app/views/history_chart.h"
#include "app/views/ip_detail_view.h"
#include "app/views/nodes_panel.h"
#include "app/views/resources.h"
#include "app/views/search_view.h"
#include "app/views/table_panel.h"
#include "app/views/trend_delegate.h"
#include "app/views/voip_view.h"

namespace netlens::app::views {
namespace {

using models::HostTableModel;

}  // namespace

namespace {

/// The global history tab's panels, in the current language.
QVector<HistoryChart::Panel> globalHistoryPanels() {
  return {{MainWindow::tr("Network layer"),
           MainWindow::tr("packets/s"),
           {{"ipv4_packets", MainWindow::tr("IPv4"), 1},
            {"ipv6_packets", MainWindow::tr("IPv6"), 1},
            {"non_ip_packets", MainWindow::tr("Not IP"), 1}}},
          {MainWindow::tr("Transport layer"),
           MainWindow::tr("packets/s"),
           {{"tcp_packets", MainWindow::tr("TCP"), 1},
            {"udp_packets", MainWindow::tr("UDP"), 1},
            {"icmp_packets", MainWindow::tr("ICMP"), 1},
            {"sctp_packets", MainWindow::tr("SCTP"), 1},
            {"gre_packets", MainWindow::tr("GRE"), 1},
            {"other_l4_packets", MainWindow::tr("Other"), 1}}},
          {MainWindow::tr("Throughput"),
           MainWindow::tr("bits/s"),
           {{"bytes", MainWindow::tr("All"), 8},
            {"ipv4_bytes", MainWindow::tr("IPv4"), 8},
            {"ipv6_bytes", MainWindow::tr("IPv6"), 8}}},
          {MainWindow::tr("IPv4 fragments"),
           MainWindow::tr("fragments/s"),
           {{"ipv4_fragments", MainWindow::tr("Fragments"), 1}}}};
}

}  // namespace

MainWindow::MainWindow(core::NodeManager* nodes, const core::ConsoleIdentity* identity,
                       core::LanguageSwitcher* language, QWidget* parent)
    : QMainWindow(parent), m_nodes(nodes), m_identity(identity), m_language(language) {
  initResources();
  setObjectName(QStringLiteral("mainWindow"));
  QIcon icon;
  for (int size : {16, 32, 48, 64, 128, 256})
    icon.addFile(QStringLiteral(":/icons/netlens-%1.png").arg(size), QSize(size, size));
  setWindowIcon(icon);
  m_exportJob = new exporting::CsvExportJob(this);
  m_downloads = new exporting::DownloadManager(m_nodes, this);
  connect(m_downloads, &exporting::DownloadManager::liveCapturesChanged, this, [this] {
    if (m_ipDetail) m_ipDetail->updateLiveButton();
    if (m_groupDetail) m_groupDetail->updateLiveButton();
  });
  connect(
      m_downloads, &exporting::DownloadManager::statusMessage, this,
      [this](const QString& text, int timeoutMs) { statusBar()->showMessage(text, timeoutMs); });
  buildTable();
  buildDocks();
  buildMenus();
  connectNodes();
  restoreSettings();
  applyCounterMode();
  retranslateUi();
  updateStatus();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildTable() {
  m_hostModel = new HostTableModel(this);
  m_proxy = new models::HostFilterProxy(this);
  m_proxy->setSourceModel(m_hostModel);

  m_separateAction = new QAction(this);
  m_separateAction->setCheckable(true);
  connect(m_separateAction, &QAction::toggled, this, [this](bool separate) {
    m_hostModel->setCounterMode(separate ? HostTableModel::CounterMode::Separate
                                         : HostTableModel::CounterMode::Combined);
    applyCounterMode();
  });
  m_splitAction = new QAction(this);
  m_splitAction->setCheckable(true);
  connect(m_splitAction, &QAction::toggled, m_hostModel, &HostTableModel::setSplitByNode);
  m_exportAction = new QAction(this);
  m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  connect(m_exportAction, &QAction::triggered, this, &MainWindow::exportCsvInteractively);

  m_separateButton = new QToolButton(this);
  m_separateButton->setDefaultAction(m_separateAction);
  m_splitButton = new QToolButton(this);
  m_splitButton->setDefaultAction(m_splitAction);
  m_exportButton = new QToolButton(this);
  m_exportButton->setDefaultAction(m_exportAction);

  m_hostPage = new TablePanel(m_proxy, QStringLiteral("host"),
                              {m_separateButton, m_splitButton, m_exportButton}, this);
  m_table = m_hostPage->table();
  m_filter = m_hostPage->filterEdit();
  m_table->sortByColumn(HostTableModel::Bytes, Qt::DescendingOrder);
  QHeaderView* header = m_table->horizontalHeader();
  header->setDefaultSectionSize(110);
  header->resizeSection(HostTableModel::Address, 240);
  header->resizeSection(HostTableModel::Nodes, 120);
  for (int column :
       {HostTableModel::FirstSeen, HostTableModel::FirstRecent, HostTableModel::LastSeen})
    header->resizeSection(column, 150);
  header->resizeSection(HostTableModel::Macs, 150);
  header->resizeSection(HostTableModel::Trend, 150);
  m_table->setItemDelegateForColumn(HostTableModel::Trend,
                                    new TrendDelegate(HostTableModel::TrendRole, m_table));
  connect(m_hostModel, &HostTableModel::trendsSampled, this, [this] {
    if (m_table->isVisible() && !m_table->isColumnHidden(HostTableModel::Trend))
      m_table->viewport()->update();
  });
  // Not TablePanel::enableColumnChooser(): here a column shows only if the user wants it
  // and the counter mode has it, so the choices are kept apart from the header's state.
  header->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(header, &QHeaderView::customContextMenuRequested, this, &MainWindow::showHostColumnMenu);
  QLabel* filterError = m_hostPage->filterError();
  QFont errorFont = filterError->font();
  if (errorFont.pointSizeF() > 0) errorFont.setPointSizeF(errorFont.pointSizeF() * 0.9);
  filterError->setFont(errorFont);
  connect(m_table, &QTableView::doubleClicked, this,
          [this](const QModelIndex& index) { openIpDetailForRow(index.row()); });

  m_connectionsView = new ConnectionsView(m_nodes, QStringLiteral("ui/connectionsHeader"));
  connect(m_connectionsView, &ConnectionsView::pcapDownloadRequested, this,
          &MainWindow::downloadPcap);
  connect(m_connectionsView, &ConnectionsView::liveCaptureRequested, this,
          &MainWindow::toggleLiveCapture);
  m_connectionsView->setLiveCaptureProbe(liveProbe());
  connect(
      m_connectionsView, &ConnectionsView::statusMessage, this,
      [this](const QString& text, int timeoutMs) { statusBar()->showMessage(text, timeoutMs); });
  m_tabs = new QTabWidget(this);
  m_tabs->setObjectName(QStringLiteral("mainTabs"));
  m_tabs->setDocumentMode(true);
  m_tabs->addTab(m_hostPage, QString());
  m_tabs->addTab(m_connectionsView, QString());
  m_groupsView = new GroupsView(m_nodes, this);
  connect(m_groupsView, &GroupsView::ipActivated, this,
          [this](const QString& ip) { openIpDetail(ip); });
  connect(m_groupsView, &GroupsView::groupActivated, this,
          [this](const QString& name) { openGroupDetail(name); });
  connect(m_groupsView, &GroupsView::pcapDownloadRequested, this, &MainWindow::downloadPcap);
  connect(m_groupsView, &GroupsView::liveCaptureRequested, this, &MainWindow::toggleLiveCapture);
  m_groupsView->setLiveCaptureProbe(liveProbe());
  m_tabs->addTab(m_groupsView, QString());
  m_globalHistory =
      new HistoryChart(m_nodes, QStringLiteral("global"), globalHistoryPanels(), this);
  m_tabs->addTab(m_globalHistory, QString());
  m_searchView = new SearchView(m_nodes, m_downloads, this);
  connect(
      m_searchView, &SearchView::statusMessage, this,
      [this](const QString& text, int timeoutMs) { statusBar()->showMessage(text, timeoutMs); });
  m_tabs->addTab(m_searchView, QString());
  m_voipView = new VoipView(m_nodes, this);
  m_voipView->setDownloads(m_downloads);
  connect(m_voipView, &VoipView::statusMessage, this, [this](const QString& text, int timeoutMs) {
    statusBar()->showMessage(text, timeoutMs);
  });
  m_tabs->addTab(m_voipView, QString());
  m_capturesView = new CapturesView(m_downloads, this);
  m_tabs->addTab(m_capturesView, QString());
  m_stack = new QStackedWidget(this);
  m_stack->addWidget(m_tabs);
  setCentralWidget(m_stack);

  connect(m_hostPage, &TablePanel::countsChanged, this, &MainWindow::updateStatus);

  connect(m_exportJob, &exporting::CsvExportJob::finished, this,
          [this](bool ok, int rowCount, const QString& fileName, const QString& error) {
            m_exportAction->setEnabled(true);
            if (ok) {
              statusBar()->showMessage(tr("Exported %n row(s) to %1", nullptr, rowCount)
                                           .arg(QDir::toNativeSeparators(fileName)),
                                       10000);
            } else {
              statusBar()->showMessage(tr("Export failed: %1").arg(error), 10000);
            }
            emit csvExportFinished(ok, fileName, error);
          });
}

void MainWindow::buildDocks() {
  m_nodesPanel = new NodesPanel(m_nodes, this);
  m_nodesDock = new QDockWidget(this);
  m_nodesDock->setObjectName(QStringLiteral("nodesDock"));
  m_nodesDock->setWidget(m_nodesPanel);
  addDockWidget(Qt::BottomDockWidgetArea, m_nodesDock);
  connect(m_nodesPanel, &NodesPanel::consoleKeyRequested, this, &MainWindow::showConsoleKey);

  m_globalPanel = new GlobalStatsPanel(this);
  connect(m_globalPanel, &GlobalStatsPanel::pcapDownloadRequested, this, &MainWindow::downloadPcap);
  connect(m_globalPanel, &GlobalStatsPanel::liveCaptureRequested, this,
          &MainWindow::toggleLiveCapture);
  m_globalPanel->setLiveCaptureProbe(liveProbe());
  m_globalDock = new QDockWidget(this);
  m_globalDock->setObjectName(QStringLiteral("globalStatsDock"));
  m_globalDock->setWidget(m_globalPanel);
  addDockWidget(Qt::RightDockWidgetArea, m_globalDock);
  // Global statistics run the full height on the right; nodes sit under the table.
  setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
}

void MainWindow::buildMenus() {
  m_quitAction = new QAction(this);
  m_quitAction->setShortcut(QKeySequence::Quit);
  m_quitAction->setMenuRole(QAction::QuitRole);
  connect(m_quitAction, &QAction::triggered, this, &QWidget::close);
  m_addNodeAction = new QAction(this);
  connect(m_addNodeAction, &QAction::triggered, m_nodesPanel, &NodesPanel::addNodeInteractively);
  m_consoleKeyAction = new QAction(this);
  connect(m_consoleKeyAction, &QAction::triggered, this, &MainWindow::showConsoleKey);
  m_aboutAction = new QAction(this);
  m_aboutAction->setMenuRole(QAction::AboutRole);
  connect(m_aboutAction, &QAction::triggered, this, [this] {
    QMessageBox::about(this, tr("About Netlens"),
                       tr("<h3>Netlens %1</h3><p>The console of a distributed network traffic "
                          "analyser: it merges the figures of many capture nodes into one "
                          "live picture.</p><p>Licensed under the MIT licence.</p>")
                           .arg(QCoreApplication::applicationVersion()));
  });

  m_fileMenu = menuBar()->addMenu(QString());
  m_fileMenu->addAction(m_exportAction);
  m_fileMenu->addSeparator();
  m_fileMenu->addAction(m_quitAction);
  m_viewMenu = menuBar()->addMenu(QString());
  m_viewMenu->addAction(m_separateAction);
  m_viewMenu->addAction(m_splitAction);
  m_viewMenu->addSeparator();
  m_viewMenu->addAction(m_nodesDock->toggleViewAction());
  m_viewMenu->addAction(m_globalDock->toggleViewAction());
  m_nodesMenu = menuBar()->addMenu(QString());
  m_nodesMenu->addAction(m_addNodeAction);
  m_nodesMenu->addAction(m_consoleKeyAction);
  if (m_language) {
    m_languageMenu = menuBar()->addMenu(QString());
    m_languageGroup = new QActionGroup(this);
    m_systemLanguageAction = m_languageMenu->addAction(QString());
    m_systemLanguageAction->setData(QString());
    m_languageMenu->addSeparator();
    m_languageGroup->addAction(m_systemLanguageAction);
    for (const QString& code : core::LanguageSwitcher::availableLanguages()) {
      // Each language in its own name, so it can be found whatever the current one is.
      QLocale locale(code);
      QString name = locale.nativeLanguageName();
      if (!name.isEmpty()) name[0] = name[0].toUpper();
      QAction* action = m_languageMenu->addAction(name);
      action->setData(code);
      m_languageGroup->addAction(action);
    }
    for (QAction* action : m_languageGroup->actions()) {
      action->setCheckable(true);
      action->setChecked(action->data().toString() == m_language->choice());
    }
    connect(m_languageGroup, &QActionGroup::triggered, this,
            [this](QAction* action) { m_language->apply(action->data().toString(), true); });
  }
  m_helpMenu = menuBar()->addMenu(QString());
  m_helpMenu->addAction(m_aboutAction);
}

void MainWindow::connectNodes() {
  if (!m_nodes) return;
  connect(m_nodes, &core::NodeManager::snapshotReceived, m_hostModel,
          &HostTableModel::applySnapshot);
  connect(m_nodes, &core::NodeManager::deltaReceived, m_hostModel, &HostTableModel::applyDelta);
  connect(m_nodes, &core::NodeManager::nodeChanged, this, [this](const QString& id) {
    if (const core::NodeInfo* info = m_nodes->node(id)) {
      m_hostModel->setNodeName(id, info->name);
      m_hostModel->setNodeInactivityGap(id, info->inactivityGapNs);
      // Figures exist only once the node has been connected; until then nothing is stale.
      m_hostModel->setNodeStale(
          id, info->state != core::NodeState::Connected && info->lastConnectedAt.isValid(),
          info->lastConnectedAt);
    }
    m_hostPage->scheduleCountUpdate();
  });
  connect(m_nodes, &core::NodeManager::nodeAdded, this, &MainWindow::updateStatus);
  connect(m_nodes, &core::NodeManager::nodeRemoved, this, [this](const QString& id) {
    m_hostModel->removeNode(id);
    m_globalPanel->removeNode(id);
    updateStatus();
  });
  connect(m_nodes, &core::NodeManager::globalReceived, this,
          [this](const QString& id, const protocol::GlobalStats& stats) {
            const core::NodeInfo* info = m_nodes->node(id);
            m_globalPanel->setNodeStats(id, info ? info->name : id, stats);
          });
}

void MainWindow::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslateUi();
  QMainWindow::changeEvent(event);
}

void MainWindow::retranslateUi() {
  setWindowTitle(tr("Netlens"));
  m_table->horizontalHeader()->setToolTip(tr("Right-click to choose the columns"));
  if (m_globalHistory) m_globalHistory->retitle(globalHistoryPanels());
  m_filter->setPlaceholderText(
      tr("IP address, MAC address or node name, or an expression such as (bytes > 10M)"));
  m_filter->setToolTip(
      tr("Plain text matches a part of the IP address, a MAC address or a node name.\n"
         "Text starting with ( is an expression, for example:\n"
         "  (bytes > 10M and ip in 10.0.0.0/8) or node == \"edge-1\"\n"
         "Operators: and, or, not, == != < <= > >=, contains, matches (regular expression), "
         "in (network).\n"
         "Units: k M G T (1000-based), Ki Mi Gi Ti (1024-based).\n"
         "Columns: %1")
          .arg(HostTableModel::filterColumns().keys().join(QStringLiteral(", "))));
  m_proxy->retranslate();
  m_separateAction->setText(tr("&Sent/received separately"));
  m_separateAction->setToolTip(tr("Show sent and received counters instead of totals"));
  m_splitAction->setText(tr("Split by &node"));
  m_splitAction->setToolTip(tr("One row per address and node instead of one per address"));
  m_exportAction->setText(tr("&Export CSV…"));
  m_exportAction->setToolTip(tr("Save the filtered and sorted table as CSV"));
  m_quitAction->setText(tr("&Quit"));
  m_addNodeAction->setText(tr("&Add node…"));
  m_consoleKeyAction->setText(tr("Console &key…"));
  m_aboutAction->setText(tr("&About Netlens"));
  m_fileMenu->setTitle(tr("&File"));
  m_viewMenu->setTitle(tr("&View"));
  m_nodesMenu->setTitle(tr("&Nodes"));
  m_helpMenu->setTitle(tr("&Help"));
  if (m_languageMenu) {
    m_languageMenu->setTitle(tr("&Language"));
    m_systemLanguageAction->setText(tr("System language"));
  }
  m_tabs->setTabText(m_tabs->indexOf(m_hostPage), tr("IP addresses"));
  m_tabs->setTabText(m_tabs->indexOf(m_connectionsView), tr("Connections"));
  m_tabs->setTabText(m_tabs->indexOf(m_groupsView), tr("IP groups"));
  m_tabs->setTabText(m_tabs->indexOf(m_globalHistory), tr("Global history"));
  m_tabs->setTabText(m_tabs->indexOf(m_searchView), tr("Search"));
  m_tabs->setTabText(m_tabs->indexOf(m_voipView), tr("VoIP"));
  m_tabs->setTabText(m_tabs->indexOf(m_capturesView), tr("Captures"));
  m_table->setToolTip(tr("Double-click an address for its detail page"));
  m_nodesDock->setWindowTitle(tr("Nodes"));
  m_globalDock->setWindowTitle(tr("Global statistics"));
  m_hostModel->retranslate();
  if (!m_standaloneProblem.isEmpty()) showStandaloneProblem(m_standaloneProblem);
  updateStatus();
}

bool MainWindow::isHostColumnWanted(int column) const {
  const QVariant choice = m_hostColumns.value(HostTableModel::columnKey(column));
  return choice.isValid() ? choice.toBool() : HostTableModel::isShownAtFirst(column);
}

void MainWindow::showHostColumnMenu(const QPoint& position) {
  QMenu menu(this);
  QHeaderView* header = m_table->horizontalHeader();
  const auto mode = m_hostModel->counterMode();
  for (int visual = 0; visual < header->count(); ++visual) {
    const int column = header->logicalIndex(visual);
    QAction* action = menu.addAction(HostTableModel::columnTitle(column));
    action->setCheckable(true);
    action->setChecked(isHostColumnWanted(column));
    // The address stays: without it a row says nothing.
    action->setEnabled(column != HostTableModel::Address);
    if (!HostTableModel::isColumnShown(column, mode))
      action->setText(tr("%1 (with the other counter mode)").arg(action->text()));
    connect(action, &QAction::toggled, this,
            [this, column](bool shown) { setHostColumnWanted(column, shown); });
  }
  menu.exec(header->viewport()->mapToGlobal(position));
}

void MainWindow::setHostColumnWanted(int column, bool wanted) {
  if (column <= HostTableModel::Address || column >= HostTableModel::ColumnCount) return;
  m_hostColumns.insert(HostTableModel::columnKey(column), wanted);
  QSettings().setValue(QStringLiteral("ui/hostColumns"), m_hostColumns);
  applyCounterMode();
  if (wanted && m_table->columnWidth(column) == 0) m_table->setColumnWidth(column, 110);
}

void MainWindow::applyCounterMode() {
  // The trend costs a pass over the rows each second: only while its column is wanted.
  m_hostModel->setTrendInterval(isHostColumnWanted(HostTableModel::Trend) ? 1000 : 0);
  const auto mode = m_hostModel->counterMode();
  for (int column = 0; column < HostTableModel::ColumnCount; ++column)
    m_table->setColumnHidden(
        column, !HostTableModel::isColumnShown(column, mode) || !isHostColumnWanted(column));
  // Sorted on a column that just went away: keep sorting by its counterpart.
  const int sorted = m_table->horizontalHeader()->sortIndicatorSection();
  if (sorted >= 0 && !HostTableModel::isColumnShown(sorted, mode)) {
    int replacement = sorted;
    switch (sorted) {
      case HostTableModel::Packets:
        replacement = HostTableModel::TxPackets;
        break;
      case HostTableModel::Bytes:
        replacement = HostTableModel::TxBytes;
        break;
      case HostTableModel::TxPackets:
      case HostTableModel::RxPackets:
        replacement = HostTableModel::Packets;
        break;
      case HostTableModel::TxBytes:
      case HostTableModel::RxBytes:
        replacement = HostTableModel::Bytes;
        break;
      default:
        break;
    }
    m_table->sortByColumn(replacement, m_table->horizontalHeader()->sortIndicatorOrder());
  }
}

void MainWindow::updateStatus() {
  m_hostPage->rowsLabel()->setText(tr("%1 of %2 addresses")
                                       .arg(QLocale().toString(m_proxy->rowCount()),
                                            QLocale().toString(m_hostModel->rowCount())));
  if (!m_nodes) return;
  int connected = 0;
  const QStringList ids = m_nodes->nodeIds();
  for (const QString& id : ids) {
    const core::NodeInfo* info = m_nodes->node(id);
    if (info && info->state == core::NodeState::Connected) ++connected;
  }
  statusBar()->showMessage(
      ids.isEmpty()
          ? tr("No node configured")
          : tr("%1 of %n node(s) connected", nullptr, static_cast<int>(ids.size())).arg(connected));
}

std::vector<int> MainWindow::visibleColumns() const {
  return m_hostPage->visibleColumns();
}

bool MainWindow::exportCsv(const QString& fileName) {
  if (!m_exportJob->start(*m_hostModel, *m_proxy, visibleColumns(), fileName)) return false;
  m_exportAction->setEnabled(false);
  statusBar()->showMessage(tr("Exporting to %1…").arg(QDir::toNativeSeparators(fileName)));
  return true;
}

void MainWindow::exportCsvInteractively() {
  if (m_stack->currentWidget() == m_tabs && m_tabs->currentWidget() == m_connectionsView)
    return m_connectionsView->exportCsvInteractively();
  if (m_stack->currentWidget() == m_tabs && m_tabs->currentWidget() == m_voipView)
    return m_voipView->exportCsvInteractively();
  m_hostPage->exportCsvInteractively(
      tr("Export IP table"), QStringLiteral("netlens-hosts"),
      [this](const QString& fileName) { return exportCsv(fileName); });
}

void MainWindow::showConsoleKey() {
  ConsoleKeyDialog dialog(m_identity, this);
  dialog.exec();
}

void MainWindow::showStandaloneProblem(const QString& reason) {
  m_standaloneProblem = reason;
  m_nodesPanel->setProblem(tr("Standalone mode could not start: %1").arg(reason));
}

void MainWindow::openIpDetailForRow(int row) {
  if (row < 0 || row >= m_proxy->rowCount()) return;
  const int sourceRow = m_proxy->mapToSource(m_proxy->index(row, 0)).row();
  const auto ip = m_hostModel->addressOf(sourceRow);
  openIpDetail(QString::fromStdString(ip.toString()));
}

IpDetailView* MainWindow::openIpDetail(const QString& address) {
  auto ip = net::IpAddress::parse(address.trimmed().toStdString());
  if (!ip) return nullptr;
  closeIpDetail();
  m_ipDetail = new IpDetailView(m_nodes, m_hostModel, *ip, m_stack);
  connect(m_ipDetail, &IpDetailView::pcapDownloadRequested, this, &MainWindow::downloadPcap);
  connect(m_ipDetail, &IpDetailView::liveCaptureRequested, this, &MainWindow::toggleLiveCapture);
  m_ipDetail->setLiveCaptureProbe(liveProbe());
  connect(m_ipDetail, &IpDetailView::backRequested, this, &MainWindow::closeIpDetail);
  m_stack->addWidget(m_ipDetail);
  m_stack->setCurrentWidget(m_ipDetail);
  return m_ipDetail;
}

void MainWindow::closeIpDetail() {
  if (!m_ipDetail) return;
  m_stack->setCurrentWidget(m_groupDetail ? static_cast<QWidget*>(m_groupDetail) : m_tabs);
  m_stack->removeWidget(m_ipDetail);
  // Later: this may run from the page's own Back button.
  m_ipDetail->deleteLater();
  m_ipDetail = nullptr;
}

GroupDetailView* MainWindow::openGroupDetail(const QString& name) {
  if (name.isEmpty()) return nullptr;
  closeIpDetail();
  closeGroupDetail();
  m_groupDetail = new GroupDetailView(m_nodes, name, m_stack);
  connect(m_groupDetail, &GroupDetailView::pcapDownloadRequested, this, &MainWindow::downloadPcap);
  connect(m_groupDetail, &GroupDetailView::liveCaptureRequested, this,
          &MainWindow::toggleLiveCapture);
  m_groupDetail->setLiveCaptureProbe(liveProbe());
  connect(m_groupDetail, &GroupDetailView::backRequested, this, &MainWindow::closeGroupDetail);
  connect(m_groupDetail, &GroupDetailView::ipRequested, this,
          [this](const QString& ip) { openIpDetail(ip); });
  m_stack->addWidget(m_groupDetail);
  m_stack->setCurrentWidget(m_groupDetail);
  return m_groupDetail;
}

void MainWindow::closeGroupDetail() {
  if (!m_groupDetail) return;
  closeIpDetail();
  m_stack->setCurrentWidget(m_tabs);
  m_stack->removeWidget(m_groupDetail);
  m_groupDetail->deleteLater();
  m_groupDetail = nullptr;
}

void MainWindow::downloadPcap(const models::CaptureQuery& query) {
  m_downloads->downloadInteractively(this, query);
}

std::function<bool(const QString&)> MainWindow::liveProbe() const {
  return [downloads = m_downloads](const QString& title) {
    return downloads->runningLive(title) != nullptr;
  };
}

void MainWindow::toggleLiveCapture(const models::CaptureQuery& query) {
  m_downloads->toggleLiveCapture(this, query);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  saveSettings();
  QMainWindow::closeEvent(event);
}

void MainWindow::restoreSettings() {
  QSettings settings;
  if (!restoreGeometry(settings.value(QStringLiteral("ui/geometry")).toByteArray())) {
    QSize size(1280, 800);
    if (const QScreen* screen = this->screen())
      size = size.boundedTo(screen->availableGeometry().size() * 0.9);
    resize(size);
  }
  restoreState(settings.value(QStringLiteral("ui/state")).toByteArray());
  m_table->horizontalHeader()->restoreState(
      settings.value(QStringLiteral("ui/hostHeader")).toByteArray());
  m_hostColumns = settings.value(QStringLiteral("ui/hostColumns")).toMap();
  m_separateAction->setChecked(settings.value(QStringLiteral("ui/separateCounters")).toBool());
  m_splitAction->setChecked(settings.value(QStringLiteral("ui/splitByNode")).toBool());
  m_tabs->setCurrentIndex(settings.value(QStringLiteral("ui/tab"), 0).toInt());
}

void MainWindow::saveSettings() const {
  QSettings settings;
  settings.setValue(QStringLiteral("ui/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("ui/state"), saveState());
  settings.setValue(QStringLiteral("ui/hostHeader"), m_table->horizontalHeader()->saveState());
  settings.setValue(QStringLiteral("ui/separateCounters"), m_separateAction->isChecked());
  settings.setValue(QStringLiteral("ui/splitByNode"), m_splitAction->isChecked());
  settings.setValue(QStringLiteral("ui/tab"), m_tabs->currentIndex());
}

}  // namespace netlens::app::views
