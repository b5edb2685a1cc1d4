// SPDX-License-Identifier: MIT
#include "app/views/connections_view.h"

#include <QAction>
#include <QDir>
#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include "app/core/connection_poller.h"
#include "app/core/node_manager.h"
#include "app/export/csv_export_job.h"
#include "app/models/connection_filter_proxy.h"
#include "app/models/connection_table_model.h"
#include "app/views/capture_menu.h"
#include "app/views/connection_detail_dialog.h"
#include "app/views/table_panel.h"

namespace netlens::app::views {
namespace {

using models::ConnectionTableModel;

}  // namespace

ConnectionsView::ConnectionsView(core::NodeManager* nodes, QString settingsKey, QString ip,
                                 QWidget* parent)
    : ConnectionsView(nodes, std::move(settingsKey), core::ConnectionScope::address(ip), parent) {}

ConnectionsView::ConnectionsView(core::NodeManager* nodes, QString settingsKey,
                                 core::ConnectionScope scope, QWidget* parent)
    : QWidget(parent), m_nodes(nodes), m_settingsKey(std::move(settingsKey)) {
  m_model = new ConnectionTableModel(this);
  m_proxy = new models::ConnectionFilterProxy(this);
  m_proxy->setSourceModel(m_model);
  m_exportJob = new exporting::CsvExportJob(this);
  m_poller = new core::ConnectionPoller(nodes, std::move(scope), 0, this);

  auto* exportAction = new QAction(this);
  connect(exportAction, &QAction::triggered, this, &ConnectionsView::exportCsvInteractively);
  m_exportButton = new QToolButton(this);
  m_exportButton->setDefaultAction(exportAction);
  m_panel = new TablePanel(m_proxy, QStringLiteral("connection"), {m_exportButton}, this);
  m_table = m_panel->table();
  m_filter = m_panel->filterEdit();
  m_table->sortByColumn(ConnectionTableModel::Bytes, Qt::DescendingOrder);
  QHeaderView* header = m_table->horizontalHeader();
  header->setDefaultSectionSize(95);
  header->resizeSection(ConnectionTableModel::Client, 200);
  header->resizeSection(ConnectionTableModel::Server, 200);
  header->resizeSection(ConnectionTableModel::FirstSeen, 150);
  header->resizeSection(ConnectionTableModel::LastSeen, 150);
  for (int column : {ConnectionTableModel::Protocol, ConnectionTableModel::ClientPort,
                     ConnectionTableModel::ServerPort, ConnectionTableModel::Vlan})
    header->resizeSection(column, 70);
  // Less common columns start hidden; the header's context menu shows them.
  for (int column : {ConnectionTableModel::C2sPackets,      ConnectionTableModel::S2cPackets,
                     ConnectionTableModel::HandshakeServer, ConnectionTableModel::HandshakeClient,
                     ConnectionTableModel::C2sMaxWindow,    ConnectionTableModel::S2cMaxWindow,
                     ConnectionTableModel::WindowScale,     ConnectionTableModel::ClientCountry,
                     ConnectionTableModel::VlanPcp,         ConnectionTableModel::MplsTc,
                     ConnectionTableModel::MplsLabels,      ConnectionTableModel::TlsCipher,
                     ConnectionTableModel::HttpUrl,         ConnectionTableModel::ResponseTime,
                     ConnectionTableModel::RetransBytes,    ConnectionTableModel::HttpMethod,
                     ConnectionTableModel::HttpUserAgent,   ConnectionTableModel::HttpContentType,
                     ConnectionTableModel::HttpRequests,    ConnectionTableModel::HttpErrors,
                     ConnectionTableModel::TlsAlpn,         ConnectionTableModel::TlsHello,
                     ConnectionTableModel::TlsFirstData})
    m_table->setColumnHidden(column, true);
  m_table->setToolTip(tr("Double-click a connection for all its details"));
  connect(m_table, &QTableView::doubleClicked, this,
          [this](const QModelIndex& index) { openDetail(index.row()); });
  m_panel->enableColumnChooser(m_settingsKey);
  m_table->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
    const QModelIndex index = m_table->indexAt(at);
    if (!index.isValid()) return;
    QMenu menu(this);
    menu.addAction(tr("&Details…"), this, [this, row = index.row()] { openDetail(row); });
    CaptureMenu::addActions(
        menu, this, pcapQuery(index.row()), m_liveProbe,
        [this](const models::CaptureQuery& q) { emit pcapDownloadRequested(q); },
        [this](const models::CaptureQuery& q) { emit liveCaptureRequested(q); });
    menu.exec(m_table->viewport()->mapToGlobal(at));
  });

  m_problemLabel = new QLabel(this);
  m_problemLabel->setTextFormat(Qt::PlainText);
  m_problemLabel->hide();
  m_panel->addBelowTable(m_problemLabel);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_panel);
  connect(m_panel, &TablePanel::countsChanged, this, &ConnectionsView::updateCount);

  connect(m_poller, &core::ConnectionPoller::connectionsReceived, this,
          [this](const QString& nodeId, const protocol::ConnectionList& list) {
            m_model->applyConnections(nodeId, list);
            m_problemLabel->hide();
          });
  connect(
      m_poller, &core::ConnectionPoller::connectionsFailed, this,
      [this](const QString& nodeId, const QString& reason) {
        const core::NodeInfo* info = m_nodes ? m_nodes->node(nodeId) : nullptr;
        m_problemLabel->setText(
            tr("Connections of %1 could not be read: %2").arg(info ? info->name : nodeId, reason));
        m_problemLabel->show();
      });
  if (m_nodes) {
    auto nameNode = [this](const QString& id) {
      if (const core::NodeInfo* info = m_nodes->node(id)) m_model->setNodeName(id, info->name);
    };
    connect(m_nodes, &core::NodeManager::nodeChanged, this, nameNode);
    for (const QString& id : m_nodes->nodeIds()) nameNode(id);
    connect(m_nodes, &core::NodeManager::nodeRemoved, m_model, &ConnectionTableModel::removeNode);
  }

  connect(
      m_exportJob, &exporting::CsvExportJob::finished, this,
      [this, exportAction](bool ok, int rowCount, const QString& fileName, const QString& error) {
        exportAction->setEnabled(true);
        emit statusMessage(ok ? tr("Exported %n connection(s) to %1", nullptr, rowCount)
                                    .arg(QDir::toNativeSeparators(fileName))
                              : tr("Export failed: %1").arg(error),
                           10000);
        emit exportFinished(ok, fileName, error);
      });
  retranslateUi();
}

ConnectionsView::~ConnectionsView() = default;

void ConnectionsView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  m_poller->setActive(m_nodes != nullptr);
}

ConnectionDetailDialog* ConnectionsView::openDetail(int proxyRow) {
  if (proxyRow < 0 || proxyRow >= m_proxy->rowCount()) return nullptr;
  const int row = m_proxy->mapToSource(m_proxy->index(proxyRow, 0)).row();
  const QString nodeId = m_model->nodeIdOf(row);
  const core::NodeInfo* info = m_nodes ? m_nodes->node(nodeId) : nullptr;
  auto* dialog = new ConnectionDetailDialog(m_model->record(row), info ? info->name : nodeId, this,
                                            m_nodes, nodeId);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &ConnectionDetailDialog::pcapDownloadRequested, this,
          &ConnectionsView::pcapDownloadRequested);
  dialog->show();
  return dialog;
}

models::CaptureQuery ConnectionsView::pcapQuery(int proxyRow) const {
  if (proxyRow < 0 || proxyRow >= m_proxy->rowCount()) return {};
  const int row = m_proxy->mapToSource(m_proxy->index(proxyRow, 0)).row();
  return models::CaptureQueries::forConnection(m_model->record(row));
}

models::CaptureQuery ConnectionsView::liveQuery(int proxyRow) const {
  return CaptureMenu::live(pcapQuery(proxyRow));
}

void ConnectionsView::setLiveCaptureProbe(std::function<bool(const QString&)> probe) {
  m_liveProbe = std::move(probe);
}

bool ConnectionsView::requestPcap(int proxyRow) {
  const models::CaptureQuery query = pcapQuery(proxyRow);
  if (query.params.empty()) return false;
  emit pcapDownloadRequested(query);
  return true;
}

void ConnectionsView::setPollingWhileHidden(bool on) {
  m_pollWhileHidden = on;
  m_poller->setActive(m_nodes != nullptr && (on || isVisible()));
}

void ConnectionsView::hideEvent(QHideEvent* event) {
  if (!m_pollWhileHidden) m_poller->setActive(false);
  QWidget::hideEvent(event);
}

void ConnectionsView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslateUi();
  QWidget::changeEvent(event);
}

void ConnectionsView::retranslateUi() {
  m_filter->setPlaceholderText(
      tr("Address, application or state, or an expression such as (port == 443 and rtt > 20)"));
  m_filter->setToolTip(
      tr("Plain text matches a part of either address, the application, the state or the node "
         "name.\nText starting with ( is an expression, for example:\n"
         "  (proto == \"TCP\" and server_port == 443 and retrans > 0)\n"
         "  (ip in 10.0.0.0/8 and bytes > 1M) or app contains \"dns\"\n"
         "rtt, rtt_server and rtt_client are in milliseconds; port and ip match either side.\n"
         "Columns: %1")
          .arg(ConnectionTableModel::filterColumns().keys().join(QStringLiteral(", "))));
  m_proxy->retranslate();
  m_exportButton->defaultAction()->setText(tr("&Export CSV…"));
  m_exportButton->defaultAction()->setToolTip(
      tr("Save the filtered and sorted connections as CSV"));
  m_model->retranslate();
  updateCount();
}

void ConnectionsView::updateCount() {
  m_panel->rowsLabel()->setText(
      tr("%1 of %2 connections")
          .arg(QLocale().toString(m_proxy->rowCount()), QLocale().toString(m_model->rowCount())));
}

void ConnectionsView::setColumnVisible(int column, bool visible) {
  m_panel->setColumnVisible(column, visible);
}

std::vector<int> ConnectionsView::visibleColumns() const {
  return m_panel->visibleColumns();
}

bool ConnectionsView::exportCsv(const QString& fileName) {
  if (!m_exportJob->start(*m_model, *m_proxy, visibleColumns(), fileName)) return false;
  m_exportButton->defaultAction()->setEnabled(false);
  emit statusMessage(tr("Exporting to %1…").arg(QDir::toNativeSeparators(fileName)), 0);
  return true;
}

void ConnectionsView::exportCsvInteractively() {
  m_panel->exportCsvInteractively(tr("Export connections"), QStringLiteral("netlens-connections"),
                                  [this](const QString& fileName) { return exportCsv(fileName); });
}

}  // namespace netlens::app::views
