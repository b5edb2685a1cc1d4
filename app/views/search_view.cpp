// SPDX-License-Identifier: MIT
#include "app/views/search_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDir>
#include <QEvent>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QThreadPool>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>

#include "app/core/node_manager.h"
#include "app/core/search_runner.h"
#include "app/export/csv_export_job.h"
#include "app/export/download_manager.h"
#include "app/export/store_pcap_download.h"
#include "app/models/packet_dissection.h"
#include "app/models/packet_list_model.h"
#include "app/models/search_session_filter_proxy.h"
#include "app/models/search_session_model.h"
#include "app/views/capture_menu.h"
#include "app/views/table_panel.h"

namespace netlens::app::views {
namespace {

using models::SearchSessionModel;

constexpr int kNodeIdRole = Qt::UserRole;
/// Node time per page of a sessions search: short enough that a node's store writer and its
/// other requests wait at most this long for it, long enough that a page's round trip is a
/// small part of the search.
constexpr int kSearchPageMs = 200;

}  // namespace

SearchView::SearchView(core::NodeManager* nodes, exporting::DownloadManager* downloads,
                       QWidget* parent)
    : QWidget(parent),
      m_nodes(nodes),
      m_runner(new core::SearchRunner(nodes, this)),
      m_packetRunner(new core::SearchRunner(nodes, this)),
      m_csvJob(new exporting::CsvExportJob(this)),
      m_downloads(downloads ? downloads : new exporting::DownloadManager(nodes, this)),
      m_builders(new QThreadPool(this)),
      m_sessions(new SearchSessionModel(this)),
      m_proxy(new models::SearchSessionFilterProxy(this)),
      m_packets(new models::PacketListModel(this)) {
  m_builders->setMaxThreadCount(1);
  m_runner->setObjectName(QStringLiteral("searchRunner"));
  m_proxy->setSourceModel(m_sessions);

  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->setObjectName(QStringLiteral("searchSplitter"));
  splitter->addWidget(buildForm());
  splitter->addWidget(buildResults());
  splitter->setStretchFactor(0, 0);
  splitter->setStretchFactor(1, 1);
  splitter->setSizes({m_formBox->sizeHint().height(), 10000});
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(splitter);

  // Sessions come in pages of a fifth of a second of each node's time (see SearchRunner).
  m_runner->setPageBudget(kSearchPageMs);
  // " (42 %)" of an estimate, never 100 % before the answer; "" without an estimate.
  const auto share = [](quint64 done, quint64 estimate) {
    if (estimate == 0) return QString();
    return QStringLiteral(" (") + tr("%1 %").arg(std::min<quint64>(99, done * 100 / estimate)) +
           QLatin1Char(')');
  };
  connect(
      m_runner, &core::SearchRunner::nodeProgress, this,
      [this, share](const QString& nodeId, quint64 packets, quint64 sessions, quint64 estimate) {
        setNodeResult(nodeId,
                      tr("searching… %n packet(s)", nullptr, static_cast<int>(packets)) +
                          QStringLiteral(", ") +
                          tr("%n session(s)", nullptr, static_cast<int>(sessions)) +
                          share(packets, estimate),
                      false);
      });
  connect(m_runner, &core::SearchRunner::nodeScanProgress, this,
          [this, share](const QString& nodeId, quint64 read, quint64 estimate) {
            setNodeResult(nodeId,
                          tr("finding sessions… %n packet(s) read", nullptr,
                             static_cast<int>(std::min<quint64>(read, INT_MAX))) +
                              share(read, estimate),
                          false);
          });
  connect(m_runner, &core::SearchRunner::nodeAnswered, this, &SearchView::onAnswered);
  connect(m_runner, &core::SearchRunner::nodeFailed, this, &SearchView::onFailed);
  connect(m_runner, &core::SearchRunner::nodeStopped, this, &SearchView::onStopped);
  connect(m_runner, &core::SearchRunner::finished, this, [this] {
    m_state->setText(
        tr("%n session(s), %1 packet(s) from %2 node(s).", nullptr, m_sessions->rowCount())
            .arg(QLocale().toString(m_totalPackets))
            .arg(m_answered));
    updateButtons();
    emit searchFinished();
  });
  connect(m_packetRunner, &core::SearchRunner::nodeAnswered, this, &SearchView::onPacketsAnswered);
  connect(m_packetRunner, &core::SearchRunner::nodeFailed, this,
          [this](const QString&, const QString& reason) {
            m_packetState->setText(tr("The packets could not be read: %1").arg(reason));
            updateButtons();
          });
  connect(m_csvJob, &exporting::CsvExportJob::finished, this,
          [this](bool ok, int rowCount, const QString& fileName, const QString& error) {
            m_exportButton->setEnabled(true);
            emit statusMessage(ok ? tr("Exported %n session(s) to %1", nullptr, rowCount)
                                        .arg(QDir::toNativeSeparators(fileName))
                                  : tr("Export failed: %1").arg(error),
                               10000);
          });
  if (m_nodes) {
    connect(m_nodes, &core::NodeManager::nodeAdded, this, &SearchView::refreshNodes);
    connect(m_nodes, &core::NodeManager::nodeRemoved, this, &SearchView::refreshNodes);
    connect(m_nodes, &core::NodeManager::nodeChanged, this, &SearchView::refreshNodes);
  }
  retranslateUi();
  refreshNodes();
  updateButtons();
}

SearchView::~SearchView() {
  ++m_packetGeneration;
  m_builders->waitForDone();
}

QWidget* SearchView::buildResults() {
  auto* results = new QSplitter(Qt::Vertical, this);
  m_exportButton = new QToolButton(this);
  m_exportButton->setObjectName(QStringLiteral("searchExportCsv"));
  connect(m_exportButton, &QToolButton::clicked, this, &SearchView::exportCsvInteractively);
  m_panel = new TablePanel(m_proxy, QStringLiteral("searchSession"), {m_exportButton}, results);
  QTableView* table = m_panel->table();
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->setSelectionMode(QAbstractItemView::SingleSelection);
  table->sortByColumn(SearchSessionModel::FirstSeen, Qt::AscendingOrder);
  QHeaderView* header = table->horizontalHeader();
  header->setDefaultSectionSize(90);
  header->resizeSection(SearchSessionModel::Node, 130);
  header->resizeSection(SearchSessionModel::A, 200);
  header->resizeSection(SearchSessionModel::B, 200);
  header->resizeSection(SearchSessionModel::FirstSeen, 175);
  header->resizeSection(SearchSessionModel::LastSeen, 175);
  header->resizeSection(SearchSessionModel::Protocol, 70);
  header->resizeSection(SearchSessionModel::APort, 65);
  header->resizeSection(SearchSessionModel::BPort, 65);
  m_panel->enableColumnChooser(QStringLiteral("ui/searchSessionsHeader"));
  connect(m_panel, &TablePanel::countsChanged, this, &SearchView::updateCount);
  connect(table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            if (current.isValid()) openSessionPackets(current.row());
          });
  table->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(table, &QWidget::customContextMenuRequested, this, [this, table](const QPoint& at) {
    const QModelIndex index = table->indexAt(at);
    if (!index.isValid()) return;
    QMenu menu(this);
    menu.setToolTipsVisible(true);
    // The menu runs its own event loop: results arriving meanwhile may re-sort the table, so
    // the actions find their row again when chosen.
    const QPersistentModelIndex session(index);
    menu.addAction(tr("Download &PCAP of this session…"), this, [this, session] {
      if (session.isValid()) downloadSession(session.row());
    });
    const bool running = m_downloads->runningLive(sessionLiveQuery(index.row()).title);
    QAction* live = menu.addAction(CaptureMenu::liveLabel(running), this, [this, session] {
      if (session.isValid()) toggleSessionLiveCapture(session.row());
    });
    live->setToolTip(
        running ? tr("Stop this session's live capture and finish its file")
                : tr("Save this session's packets (both directions of its addresses, protocol "
                     "and ports) as its node captures them, until stopped. The search's other "
                     "criteria are not applied: a live capture cannot match payload."));
    menu.exec(table->viewport()->mapToGlobal(at));
  });
  results->addWidget(m_panel);

  auto* packetsPane = new QWidget(results);
  auto* packetsLayout = new QVBoxLayout(packetsPane);
  packetsLayout->setContentsMargins(0, 0, 0, 0);
  m_packetState = new QLabel(packetsPane);
  m_packetState->setObjectName(QStringLiteral("searchPacketState"));
  m_packetState->setTextFormat(Qt::PlainText);
  packetsLayout->addWidget(m_packetState);
  auto* packetSplitter = new QSplitter(Qt::Horizontal, packetsPane);
  m_packetTable = new QTableView(packetSplitter);
  m_packetTable->setObjectName(QStringLiteral("searchPacketTable"));
  m_packetTable->setModel(m_packets);
  m_packetTable->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_packetTable->setSelectionMode(QAbstractItemView::SingleSelection);
  m_packetTable->verticalHeader()->hide();
  m_packetTable->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  m_packetTable->verticalHeader()->setDefaultSectionSize(m_packetTable->fontMetrics().height() + 6);
  m_packetTable->setWordWrap(false);
  m_packetTable->horizontalHeader()->setStretchLastSection(true);
  m_packetTable->horizontalHeader()->resizeSection(models::PacketListModel::Number, 55);
  m_packetTable->horizontalHeader()->resizeSection(models::PacketListModel::Time, 115);
  m_packetTable->horizontalHeader()->resizeSection(models::PacketListModel::Source, 110);
  m_packetTable->horizontalHeader()->resizeSection(models::PacketListModel::Destination, 110);
  m_packetTable->horizontalHeader()->resizeSection(models::PacketListModel::Protocol, 60);
  m_packetTable->horizontalHeader()->resizeSection(models::PacketListModel::Length, 55);
  connect(
      m_packetTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
      [this](const QModelIndex& current) { showPacket(current.isValid() ? current.row() : -1); });
  auto* detailSplitter = new QSplitter(Qt::Vertical, packetSplitter);
  m_detail = new QTreeWidget(detailSplitter);
  m_detail->setObjectName(QStringLiteral("searchPacketDetail"));
  m_detail->setColumnCount(2);
  m_detail->header()->resizeSection(0, 200);
  connect(m_detail, &QTreeWidget::currentItemChanged, this, &SearchView::highlightItem);
  m_hex = new QPlainTextEdit(detailSplitter);
  m_hex->setObjectName(QStringLiteral("searchPacketHex"));
  m_hex->setReadOnly(true);
  m_hex->setLineWrapMode(QPlainTextEdit::NoWrap);
  m_hex->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  packetSplitter->addWidget(m_packetTable);
  packetSplitter->addWidget(detailSplitter);
  packetSplitter->setStretchFactor(0, 3);
  packetSplitter->setStretchFactor(1, 2);
  packetSplitter->setSizes({800, 560});  // the hex view needs about 72 columns
  packetsLayout->addWidget(packetSplitter, 1);
  results->addWidget(packetsPane);
  results->setStretchFactor(0, 1);
  results->setStretchFactor(1, 1);
  return results;
}

QTableView* SearchView::sessionTable() const {
  return m_panel->table();
}

void SearchView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslateUi();
  QWidget::changeEvent(event);
}

void SearchView::retranslateUi() {
  retranslateForm();
  m_searchButton->setText(tr("&Search"));
  m_stopButton->setText(tr("S&top"));
  m_saveButton->setText(tr("Save as &PCAP…"));
  m_saveButton->setToolTip(
      tr("Save the matching packets of every checked node in one file, in time order"));
  updateLiveButton();
  m_nodesLabel->setText(tr("Nodes to search:"));
  m_nodeList->setHeaderLabels({tr("Node"), tr("Result")});
  m_exportButton->setText(tr("&Export CSV…"));
  m_exportButton->setToolTip(tr("Save the filtered and sorted sessions as CSV"));
  m_panel->filterEdit()->setPlaceholderText(
      tr("Address, protocol or node, or an expression such as (b_port == 443 and bytes > 1M)"));
  m_panel->filterEdit()->setToolTip(
      tr("Plain text matches a part of either address, the protocol or the node name.\n"
         "Text starting with ( is an expression. Columns: %1")
          .arg(SearchSessionModel::filterColumns().keys().join(QStringLiteral(", "))));
  m_detail->setHeaderLabels({tr("Field"), tr("Value")});
  if (m_packets->rowCount() == 0 && !m_packetRunner->isRunning())
    m_packetState->setText(tr("Select a session for its packets."));
  m_proxy->retranslate();
  m_sessions->retranslate();
  refreshNodes();
  updateCount();
}

void SearchView::refreshNodes() {
  if (!m_nodeList) return;
  const QStringList ids = m_nodes ? m_nodes->nodeIds() : QStringList();
  QSignalBlocker block(m_nodeList);
  // Drop items of removed nodes.
  for (int i = m_nodeList->topLevelItemCount() - 1; i >= 0; --i) {
    QTreeWidgetItem* item = m_nodeList->topLevelItem(i);
    if (!ids.contains(item->data(0, kNodeIdRole).toString())) delete item;
  }
  for (const QString& id : ids) {
    const core::NodeInfo* info = m_nodes->node(id);
    if (!info) continue;
    QTreeWidgetItem* item = nullptr;
    for (int i = 0; i < m_nodeList->topLevelItemCount() && !item; ++i)
      if (m_nodeList->topLevelItem(i)->data(0, kNodeIdRole).toString() == id)
        item = m_nodeList->topLevelItem(i);
    const bool hasStore = info->global.storeMaxBytes > 0;
    if (!item) {
      item = new QTreeWidgetItem(m_nodeList);
      item->setData(0, kNodeIdRole, id);
      item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
      item->setCheckState(0, Qt::Checked);
    }
    item->setText(0, info->name);
    const bool connected = info->state == core::NodeState::Connected;
    QString tip = info->address;
    if (!connected)
      tip += QLatin1Char('\n') + tr("Not connected: %1").arg(info->reason);
    else if (!hasStore && info->lastConnectedAt.isValid())
      tip += QLatin1Char('\n') + tr("This node keeps no packets (started without --store).");
    item->setToolTip(0, tip);
    item->setForeground(0, connected
                               ? m_nodeList->palette().text()
                               : m_nodeList->palette().brush(QPalette::Disabled, QPalette::Text));
  }
  updateButtons();
}

QStringList SearchView::checkedNodes() const {
  QStringList out;
  for (int i = 0; i < m_nodeList->topLevelItemCount(); ++i) {
    QTreeWidgetItem* item = m_nodeList->topLevelItem(i);
    if (item->checkState(0) == Qt::Checked) out << item->data(0, kNodeIdRole).toString();
  }
  return out;
}

bool SearchView::setNodeChecked(const QString& nodeId, bool checked) {
  for (int i = 0; i < m_nodeList->topLevelItemCount(); ++i) {
    QTreeWidgetItem* item = m_nodeList->topLevelItem(i);
    if (item->data(0, kNodeIdRole).toString() != nodeId) continue;
    item->setCheckState(0, checked ? Qt::Checked : Qt::Unchecked);
    return true;
  }
  return false;
}

void SearchView::setNodeResult(const QString& nodeId, const QString& text, bool isError) {
  for (int i = 0; i < m_nodeList->topLevelItemCount(); ++i) {
    QTreeWidgetItem* item = m_nodeList->topLevelItem(i);
    if (item->data(0, kNodeIdRole).toString() != nodeId) continue;
    QSignalBlocker block(m_nodeList);
    item->setText(1, text);
    item->setToolTip(1, text);
    item->setForeground(1,
                        isError ? QBrush(QColor(0xc6, 0x28, 0x28)) : m_nodeList->palette().text());
    return;
  }
}

void SearchView::setQuickRange(qint64 seconds) {
  if (seconds <= 0) {
    m_useTime->setChecked(false);
    return;
  }
  protocol::TimeNs newest = 0;
  if (m_nodes) {
    for (const QString& id : checkedNodes())
      if (const core::NodeInfo* info = m_nodes->node(id))
        newest = std::max(newest, info->global.storeNewest);
  }
  // The stored packets' time, not the clock: a node replaying an old capture holds old
  // packets, and "the last hour" means the last hour it has.
  const QDateTime end = newest > 0 ? QDateTime::fromMSecsSinceEpoch(newest / 1'000'000)
                                   : QDateTime::currentDateTime();
  m_to->setDateTime(end);
  m_from->setDateTime(end.addSecs(-seconds));
  m_useTime->setChecked(true);
}

bool SearchView::startSearch() {
  protocol::Params params;
  QStringList problems;
  const bool valid = models::SearchQuery::build(form(), &params, &problems);
  const QStringList nodes = checkedNodes();
  if (nodes.isEmpty()) problems << tr("Check at least one node to search.");
  if (!valid || nodes.isEmpty()) {
    m_formErrors->setText(problems.join(QLatin1Char('\n')));
    m_formErrors->show();
    return false;
  }
  m_formErrors->hide();
  stopSearch(false);
  m_sessions->clear();
  m_packets->setList(nullptr);
  m_detail->clear();
  m_hex->clear();
  m_packetState->setText(tr("Select a session for its packets."));
  for (int i = 0; i < m_nodeList->topLevelItemCount(); ++i) {
    QTreeWidgetItem* item = m_nodeList->topLevelItem(i);
    const bool asked = nodes.contains(item->data(0, kNodeIdRole).toString());
    setNodeResult(item->data(0, kNodeIdRole).toString(), asked ? tr("searching…") : QString(),
                  false);
  }
  m_lastParams = params;
  m_answered = 0;
  m_totalPackets = 0;
  m_state->setText(tr("Searching %n node(s)…", nullptr, static_cast<int>(nodes.size())));
  m_runner->start(nodes, params);
  updateButtons();
  return true;
}

void SearchView::stop() {
  stopSearch(true);
}

void SearchView::stopSearch(bool keepPages) {
  const bool wasRunning = m_runner->isRunning() || m_packetRunner->isRunning();
  for (const QString& id : m_runner->pendingNodes()) setNodeResult(id, tr("stopped"), false);
  if (keepPages)
    m_runner->stopKeepingPages();
  else
    m_runner->stop();
  m_packetRunner->stop();
  ++m_packetGeneration;
  if (isSaving()) m_saving->stop();
  if (wasRunning) m_state->setText(tr("Stopped."));
  updateButtons();
}

bool SearchView::isSearching() const {
  return m_runner->isRunning();
}

void SearchView::onAnswered(const QString& nodeId, const protocol::SearchReply& reply) {
  const core::NodeInfo* info = m_nodes ? m_nodes->node(nodeId) : nullptr;
  m_sessions->setNodeSessions(nodeId, info ? info->name : nodeId, reply.sessions);
  ++m_answered;
  m_totalPackets += reply.packets;
  QString text = tr("%n session(s)", nullptr, static_cast<int>(reply.sessions.size())) +
                 QStringLiteral(", ") +
                 tr("%n packet(s)", nullptr, static_cast<int>(reply.packets));
  if (reply.truncated) text += QStringLiteral(", ") + tr("limit reached");
  setNodeResult(nodeId, text, false);
  updateCount();
}

void SearchView::onStopped(const QString& nodeId, const protocol::SearchReply& partial) {
  const core::NodeInfo* info = m_nodes ? m_nodes->node(nodeId) : nullptr;
  m_sessions->setNodeSessions(nodeId, info ? info->name : nodeId, partial.sessions);
  m_totalPackets += partial.packets;
  setNodeResult(
      nodeId,
      tr("stopped after %n session(s)", nullptr, static_cast<int>(partial.sessions.size())) +
          QStringLiteral(", ") + tr("%n packet(s)", nullptr, static_cast<int>(partial.packets)),
      false);
  m_state->setText(
      tr("Stopped: %n session(s), %1 packet(s) so far.", nullptr, m_sessions->rowCount())
          .arg(QLocale().toString(m_totalPackets)));
  updateCount();
}

void SearchView::onFailed(const QString& nodeId, const QString& reason) {
  setNodeResult(nodeId, reason, true);
}

void SearchView::updateButtons() {
  if (!m_searchButton) return;
  const bool busy = m_runner->isRunning() || m_packetRunner->isRunning() || isSaving();
  m_stopButton->setEnabled(busy);
  const bool anyNode = !checkedNodes().isEmpty();
  m_searchButton->setEnabled(anyNode);
  m_saveButton->setEnabled(anyNode && !isSaving());
  m_liveButton->setEnabled(anyNode);
}

void SearchView::updateCount() {
  m_panel->rowsLabel()->setText(tr("%1 of %2 sessions")
                                    .arg(QLocale().toString(m_proxy->rowCount()),
                                         QLocale().toString(m_sessions->rowCount())));
}

bool SearchView::exportCsv(const QString& fileName) {
  if (!m_csvJob->start(*m_sessions, *m_proxy, m_panel->visibleColumns(), fileName)) return false;
  m_exportButton->setEnabled(false);
  emit statusMessage(tr("Exporting to %1…").arg(QDir::toNativeSeparators(fileName)), 0);
  return true;
}

void SearchView::exportCsvInteractively() {
  m_panel->exportCsvInteractively(tr("Export sessions"), QStringLiteral("netlens-sessions"),
                                  [this](const QString& fileName) { return exportCsv(fileName); });
}

}  // namespace netlens::app::views
