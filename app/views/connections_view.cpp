// SPDX-License-Identifier: MIT
#include "app/views/connections_view.h"

#include <QAction>
#include <QColor>
#include <QDateTime>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFont>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPalette>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "app/core/connection_poller.h"
#include "app/core/node_manager.h"
#include "app/export/csv_export_job.h"
#include "app/models/connection_filter_proxy.h"
#include "app/models/connection_table_model.h"

namespace netlens::app::views {
namespace {

using models::ConnectionTableModel;

constexpr int kFilterDelayMs = 200;
constexpr int kCountDelayMs = 250;

}  // namespace

ConnectionsView::ConnectionsView(core::NodeManager* nodes, QString settingsKey, QString ip,
                                 QWidget* parent)
    : QWidget(parent), m_nodes(nodes), m_settingsKey(std::move(settingsKey)), m_ip(std::move(ip)) {
  m_model = new ConnectionTableModel(this);
  m_proxy = new models::ConnectionFilterProxy(this);
  m_proxy->setSourceModel(m_model);
  m_exportJob = new exporting::CsvExportJob(this);
  m_poller = new core::ConnectionPoller(nodes, m_ip, 0, this);

  m_table = new QTableView(this);
  m_table->setObjectName(QStringLiteral("connectionTable"));
  m_table->setModel(m_proxy);
  m_table->setSortingEnabled(true);
  m_table->sortByColumn(ConnectionTableModel::Bytes, Qt::DescendingOrder);
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setAlternatingRowColors(true);
  m_table->setWordWrap(false);
  m_table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
  // Uniform row heights: the view never measures rows, which keeps 10^5 rows smooth.
  QHeaderView* rows = m_table->verticalHeader();
  rows->setSectionResizeMode(QHeaderView::Fixed);
  rows->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
  rows->hide();
  QHeaderView* header = m_table->horizontalHeader();
  header->setSectionsMovable(true);
  header->setHighlightSections(false);
  header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
  header->setDefaultSectionSize(95);
  header->resizeSection(ConnectionTableModel::Client, 200);
  header->resizeSection(ConnectionTableModel::Server, 200);
  header->resizeSection(ConnectionTableModel::FirstSeen, 150);
  header->resizeSection(ConnectionTableModel::LastSeen, 150);
  for (int column : {ConnectionTableModel::Protocol, ConnectionTableModel::ClientPort,
                     ConnectionTableModel::ServerPort, ConnectionTableModel::Vlan})
    header->resizeSection(column, 70);
  // Less common columns start hidden; the header's context menu shows them.
  for (int column : {ConnectionTableModel::C2sPackets, ConnectionTableModel::S2cPackets,
                     ConnectionTableModel::HandshakeServer, ConnectionTableModel::HandshakeClient,
                     ConnectionTableModel::C2sMaxWindow, ConnectionTableModel::S2cMaxWindow,
                     ConnectionTableModel::WindowScale})
    m_table->setColumnHidden(column, true);
  header->restoreState(QSettings().value(m_settingsKey).toByteArray());
  header->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(header, &QHeaderView::customContextMenuRequested, this, &ConnectionsView::showColumnMenu);
  connect(header, &QHeaderView::sectionMoved, this, &ConnectionsView::saveHeader);

  m_filterLabel = new QLabel(this);
  m_filter = new QLineEdit(this);
  m_filter->setObjectName(QStringLiteral("connectionFilter"));
  m_filter->setClearButtonEnabled(true);
  m_filter->setMinimumWidth(220);
  m_filterLabel->setBuddy(m_filter);
  m_filterDelay = new QTimer(this);
  m_filterDelay->setSingleShot(true);
  m_filterDelay->setInterval(kFilterDelayMs);
  connect(m_filter, &QLineEdit::textChanged, m_filterDelay, qOverload<>(&QTimer::start));
  connect(m_filterDelay, &QTimer::timeout, this,
          [this] { m_proxy->setFilterText(m_filter->text()); });
  m_filterError = new QLabel(this);
  m_filterError->setObjectName(QStringLiteral("connectionFilterError"));
  m_filterError->setTextFormat(Qt::PlainText);
  m_filterError->setWordWrap(true);
  m_filterError->setTextInteractionFlags(Qt::TextSelectableByMouse);
  QPalette errorPalette = m_filterError->palette();
  errorPalette.setColor(QPalette::WindowText, QColor(0xd3, 0x2f, 0x2f));
  m_filterError->setPalette(errorPalette);
  m_filterError->hide();
  connect(m_proxy, &models::ConnectionFilterProxy::filterErrorChanged, this,
          [this](const QString& message) {
            m_filterError->setText(message);
            m_filterError->setVisible(!message.isEmpty());
          });

  auto* exportAction = new QAction(this);
  connect(exportAction, &QAction::triggered, this, &ConnectionsView::exportCsvInteractively);
  m_exportButton = new QToolButton(this);
  m_exportButton->setDefaultAction(exportAction);
  m_rowsLabel = new QLabel(this);
  m_problemLabel = new QLabel(this);
  m_problemLabel->setTextFormat(Qt::PlainText);
  m_problemLabel->hide();

  auto* bar = new QGridLayout;
  bar->setVerticalSpacing(1);
  bar->addWidget(m_filterLabel, 0, 0);
  bar->addWidget(m_filter, 0, 1);
  bar->addWidget(m_exportButton, 0, 2);
  bar->addWidget(m_rowsLabel, 0, 3);
  bar->addWidget(m_filterError, 1, 1, 1, 3);
  bar->setColumnStretch(1, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 0);
  layout->addLayout(bar);
  layout->addWidget(m_table, 1);
  layout->addWidget(m_problemLabel);

  m_countDelay = new QTimer(this);
  m_countDelay->setSingleShot(true);
  m_countDelay->setInterval(kCountDelayMs);
  connect(m_countDelay, &QTimer::timeout, this, &ConnectionsView::updateCount);
  auto schedule = [this] {
    if (!m_countDelay->isActive()) m_countDelay->start();
  };
  connect(m_proxy, &QAbstractItemModel::rowsInserted, this, schedule);
  connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, schedule);
  connect(m_proxy, &QAbstractItemModel::modelReset, this, schedule);
  connect(m_proxy, &QAbstractItemModel::layoutChanged, this, schedule);

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

ConnectionsView::~ConnectionsView() {
  saveHeader();
}

void ConnectionsView::saveHeader() const {
  QSettings().setValue(m_settingsKey, m_table->horizontalHeader()->saveState());
}

void ConnectionsView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  m_poller->setActive(m_nodes != nullptr);
}

void ConnectionsView::hideEvent(QHideEvent* event) {
  m_poller->setActive(false);
  QWidget::hideEvent(event);
}

void ConnectionsView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslateUi();
  QWidget::changeEvent(event);
}

void ConnectionsView::retranslateUi() {
  m_filterLabel->setText(tr("&Filter:"));
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
  m_table->horizontalHeader()->setToolTip(tr("Right-click to choose the columns"));
  m_model->retranslate();
  updateCount();
}

void ConnectionsView::updateCount() {
  m_rowsLabel->setText(
      tr("%1 of %2 connections")
          .arg(QLocale().toString(m_proxy->rowCount()), QLocale().toString(m_model->rowCount())));
}

void ConnectionsView::showColumnMenu(const QPoint& position) {
  QMenu menu(this);
  QHeaderView* header = m_table->horizontalHeader();
  for (int visual = 0; visual < header->count(); ++visual) {
    const int column = header->logicalIndex(visual);
    QAction* action = menu.addAction(ConnectionTableModel::columnTitle(column));
    action->setCheckable(true);
    action->setChecked(!header->isSectionHidden(column));
    connect(action, &QAction::toggled, this,
            [this, column](bool shown) { setColumnVisible(column, shown); });
  }
  menu.exec(header->viewport()->mapToGlobal(position));
}

void ConnectionsView::setColumnVisible(int column, bool visible) {
  // At least one column stays, or the header (and with it this menu) would be gone.
  if (!visible && visibleColumns().size() <= 1) return;
  m_table->setColumnHidden(column, !visible);
  if (visible && m_table->columnWidth(column) == 0) m_table->setColumnWidth(column, 95);
  saveHeader();
}

std::vector<int> ConnectionsView::visibleColumns() const {
  std::vector<int> columns;
  const QHeaderView* header = m_table->horizontalHeader();
  for (int visual = 0; visual < header->count(); ++visual) {
    int logical = header->logicalIndex(visual);
    if (!header->isSectionHidden(logical)) columns.push_back(logical);
  }
  return columns;
}

bool ConnectionsView::exportCsv(const QString& fileName) {
  if (!m_exportJob->start(*m_model, *m_proxy, visibleColumns(), fileName)) return false;
  m_exportButton->defaultAction()->setEnabled(false);
  emit statusMessage(tr("Exporting to %1…").arg(QDir::toNativeSeparators(fileName)), 0);
  return true;
}

void ConnectionsView::exportCsvInteractively() {
  QString folder = QSettings().value(QStringLiteral("ui/exportFolder")).toString();
  if (folder.isEmpty())
    folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
  QString suggested = QDir(folder).filePath(
      QStringLiteral("netlens-connections-%1.csv")
          .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
  QString fileName = QFileDialog::getSaveFileName(this, tr("Export connections"), suggested,
                                                  tr("CSV files (*.csv);;All files (*)"));
  if (fileName.isEmpty()) return;
  QSettings().setValue(QStringLiteral("ui/exportFolder"), QFileInfo(fileName).absolutePath());
  if (!exportCsv(fileName))
    QMessageBox::information(this, tr("Export"), tr("An export is still running."));
}

}  // namespace netlens::app::views
