// SPDX-License-Identifier: MIT
#include "app/views/voip_view.h"

#include <QAbstractProxyModel>
#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "app/core/background_decode.h"
#include "app/core/node_manager.h"
#include "app/export/csv_export_job.h"
#include "app/export/download_manager.h"
#include "app/export/store_pcap_download.h"
#include "app/models/call_capture_query.h"
#include "app/models/call_filter_proxy.h"
#include "app/models/call_table_model.h"
#include "app/models/rtp_stream_rows.h"
#include "app/models/summary_table_model.h"
#include "app/views/rtp_stream_charts.h"
#include "app/views/save_audio_dialog.h"
#include "app/views/sip_ladder_widget.h"
#include "app/views/summary_table_view.h"
#include "app/views/table_panel.h"

namespace netlens::app::views {

using models::CallTableModel;

namespace {

QString endpointText(const net::IpAddress& ip, std::uint16_t port) {
  const QString address = QString::fromStdString(ip.toString());
  return ip.isV6() ? QStringLiteral("[%1]:%2").arg(address).arg(port)
                   : QStringLiteral("%1:%2").arg(address).arg(port);
}

}  // namespace

VoipView::VoipView(core::NodeManager* nodes, QWidget* parent) : QWidget(parent), m_nodes(nodes) {
  setObjectName(QStringLiteral("voipView"));
  m_model = new CallTableModel(this);
  m_proxy = new models::CallFilterProxy(this);
  m_proxy->setSourceModel(m_model);
  m_exportJob = new exporting::CsvExportJob(this);
  m_exportAction = new QAction(this);
  connect(m_exportAction, &QAction::triggered, this, &VoipView::exportCsvInteractively);
  m_exportButton = new QToolButton(this);
  m_exportButton->setDefaultAction(m_exportAction);
  m_panel = new TablePanel(m_proxy, QStringLiteral("calls"), {m_exportButton}, this);
  QTableView* calls = m_panel->table();
  calls->setSelectionMode(QAbstractItemView::SingleSelection);
  calls->sortByColumn(CallTableModel::Start, Qt::DescendingOrder);
  QHeaderView* header = calls->horizontalHeader();
  header->setDefaultSectionSize(90);
  header->resizeSection(CallTableModel::From, 220);
  header->resizeSection(CallTableModel::To, 220);
  header->resizeSection(CallTableModel::Start, 150);
  header->resizeSection(CallTableModel::Codecs, 130);
  m_panel->enableColumnChooser(QStringLiteral("ui/callsHeader"));
  m_saveCallAudioAction = new QAction(this);
  m_saveCallAudioAction->setObjectName(QStringLiteral("saveCallAudio"));
  connect(m_saveCallAudioAction, &QAction::triggered, this, &VoipView::saveCallAudioInteractively);
  m_callPcapAction = new QAction(this);
  m_callPcapAction->setObjectName(QStringLiteral("downloadCallPcap"));
  connect(m_callPcapAction, &QAction::triggered, this, &VoipView::downloadCallPcapInteractively);
  m_saveStreamAudioAction = new QAction(this);
  m_saveStreamAudioAction->setObjectName(QStringLiteral("saveStreamAudio"));
  connect(m_saveStreamAudioAction, &QAction::triggered, this,
          &VoipView::saveStreamAudioInteractively);
  // The context menu acts on the row under the mouse: it becomes the shown call first.
  calls->addAction(m_saveCallAudioAction);
  calls->addAction(m_callPcapAction);
  calls->setContextMenuPolicy(Qt::ActionsContextMenu);
  connect(m_panel, &TablePanel::countsChanged, this, [this] {
    m_panel->rowsLabel()->setText(
        tr("%1 of %2 calls")
            .arg(QLocale().toString(m_proxy->rowCount()), QLocale().toString(m_model->rowCount())));
  });
  connect(calls->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            const int row = current.isValid() ? m_proxy->mapToSource(current).row() : -1;
            // The shown call selected again (after a reset of the table): nothing changes,
            // and the ladder keeps its selected message.
            if (row >= 0 && row == m_model->findRow(m_shownNode, m_shownCall)) return;
            showCall(row);
          });
  // A reset (most rows gone at once) clears the table's selection without a signal: the
  // shown call, when it is still there, is selected again.
  connect(m_model, &QAbstractItemModel::modelReset, this, [this, calls] {
    const int row = m_shownCall.empty() ? -1 : m_model->findRow(m_shownNode, m_shownCall);
    if (row < 0) return;
    const QModelIndex at = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!at.isValid()) return;  // filtered out
    calls->selectionModel()->setCurrentIndex(
        at, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  });
  // A row whose call changed (a BYE arrived, new streams): its detail follows.
  connect(m_model, &QAbstractItemModel::dataChanged, this, [this] { refreshDetail(); });
  connect(m_exportJob, &exporting::CsvExportJob::finished, this,
          [this](bool ok, int rows, const QString& fileName, const QString& error) {
            m_exportAction->setEnabled(true);
            emit statusMessage(ok ? tr("Exported %n call(s) to %1", nullptr, rows)
                                        .arg(QDir::toNativeSeparators(fileName))
                                  : tr("Export failed: %1").arg(error),
                               10000);
          });

  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->setObjectName(QStringLiteral("voipSplitter"));
  splitter->addWidget(m_panel);
  splitter->addWidget(buildDetail());
  splitter->setStretchFactor(0, 1);
  splitter->setStretchFactor(1, 3);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(splitter);

  m_timer = new QTimer(this);
  m_timer->setInterval(kPollIntervalMs);
  connect(m_timer, &QTimer::timeout, this, &VoipView::poll);
  if (m_nodes) {
    connect(m_nodes, &core::NodeManager::requestReplied, this, &VoipView::onReplied);
    connect(m_nodes, &core::NodeManager::requestFailed, this, &VoipView::onFailed);
    connect(m_nodes, &core::NodeManager::nodeRemoved, this, &VoipView::removeNode);
  }
  retranslateUi();
}

VoipView::~VoipView() = default;

QWidget* VoipView::buildDetail() {
  auto* detail = new QWidget(this);
  auto* layout = new QVBoxLayout(detail);
  layout->setContentsMargins(4, 4, 4, 4);
  m_callTitle = new QLabel(detail);
  m_callTitle->setObjectName(QStringLiteral("callTitle"));
  m_callTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* titleRow = new QHBoxLayout;
  titleRow->addWidget(m_callTitle, 1);
  m_saveCallAudioButton = new QToolButton(detail);
  m_saveCallAudioButton->setDefaultAction(m_saveCallAudioAction);
  m_callPcapButton = new QToolButton(detail);
  m_callPcapButton->setDefaultAction(m_callPcapAction);
  titleRow->addWidget(m_saveCallAudioButton);
  titleRow->addWidget(m_callPcapButton);
  layout->addLayout(titleRow);

  m_ladder = new SipLadderWidget;
  m_ladderArea = new QScrollArea(detail);
  m_ladderArea->setWidget(m_ladder);
  m_ladderArea->setWidgetResizable(false);
  m_ladderArea->setBackgroundRole(QPalette::Base);
  m_messageDetail = new QPlainTextEdit(detail);
  m_messageDetail->setObjectName(QStringLiteral("sipMessageDetail"));
  m_messageDetail->setReadOnly(true);
  m_messageDetail->setLineWrapMode(QPlainTextEdit::WidgetWidth);
  QFont mono(QStringLiteral("monospace"));
  mono.setStyleHint(QFont::TypeWriter);
  m_messageDetail->setFont(mono);
  connect(m_ladder, &SipLadderWidget::messageSelected, this, &VoipView::showMessage);
  auto* top = new QSplitter(Qt::Horizontal, detail);
  top->addWidget(m_ladderArea);
  top->addWidget(m_messageDetail);
  top->setStretchFactor(0, 3);
  top->setStretchFactor(1, 2);

  auto* streams = new QWidget(detail);
  auto* streamsLayout = new QVBoxLayout(streams);
  streamsLayout->setContentsMargins(0, 0, 0, 0);
  m_streamsTitle = new QLabel(streams);
  streamsLayout->addWidget(m_streamsTitle);
  m_streamModel = new models::SummaryTableModel(models::rtp_stream_rows::kinds(), this);
  auto* streamPanel = new SummaryTablePanel(m_streamModel, QStringLiteral("callStreams"),
                                            QStringLiteral("netlens-call-streams"), streams);
  m_streamTable = streamPanel->table();
  m_streamTable->setObjectName(QStringLiteral("callStreams"));
  m_streamTable->setSelectionMode(QAbstractItemView::SingleSelection);
  m_streamTable->addAction(m_saveStreamAudioAction);
  m_streamTable->setContextMenuPolicy(Qt::ActionsContextMenu);
  m_streamTable->setColumnHidden(models::rtp_stream_rows::Node, true);
  m_streamTable->horizontalHeader()->setDefaultSectionSize(95);
  m_streamTable->horizontalHeader()->resizeSection(models::rtp_stream_rows::Source, 170);
  m_streamTable->horizontalHeader()->resizeSection(models::rtp_stream_rows::Destination, 170);
  m_streamTable->setMaximumHeight(m_streamTable->verticalHeader()->defaultSectionSize() * 5 +
                                  m_streamTable->horizontalHeader()->sizeHint().height() + 4);
  streamsLayout->addWidget(streamPanel);
  m_charts = new RtpStreamCharts(streams);
  streamsLayout->addWidget(m_charts, 1);
  auto* streamProxy = qobject_cast<QAbstractProxyModel*>(m_streamTable->model());
  connect(m_streamTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this, streamProxy](const QModelIndex& current) {
            showStream(current.isValid() ? streamProxy->mapToSource(current).row() : -1);
          });

  auto* split = new QSplitter(Qt::Vertical, detail);
  split->addWidget(top);
  split->addWidget(streams);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 1);
  layout->addWidget(split, 1);
  return detail;
}

QTableView* VoipView::table() const {
  return m_panel->table();
}

void VoipView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (!m_nodes) return;
  poll();
  m_timer->start();
}

void VoipView::hideEvent(QHideEvent* event) {
  m_timer->stop();
  QWidget::hideEvent(event);
}

void VoipView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslateUi();
  QWidget::changeEvent(event);
}

void VoipView::retranslateUi() {
  m_exportAction->setText(tr("&Export CSV…"));
  m_exportAction->setToolTip(tr("Save the filtered and sorted calls as CSV"));
  m_saveCallAudioAction->setText(tr("Save &audio…"));
  m_saveCallAudioAction->setToolTip(
      tr("Save the call's audio as MP3 or WAV from the node's packet store"));
  m_callPcapAction->setText(tr("Download call &PCAP…"));
  m_callPcapAction->setToolTip(tr("Download the call's SIP messages and RTP packets"));
  m_saveStreamAudioAction->setText(tr("Save stream &audio…"));
  m_saveStreamAudioAction->setToolTip(
      tr("Save this RTP stream's audio as MP3 or WAV from the node's packet store"));
  QLineEdit* filter = m_panel->filterEdit();
  filter->setPlaceholderText(
      tr("Caller, callee, state, codec or Call-ID, or an expression such as (mos_forward < 3.5)"));
  filter->setToolTip(
      tr("Plain text matches a part of From, To, the state, the codecs, the Call-ID or the node.\n"
         "Text starting with ( is an expression. Columns: %1")
          .arg(CallTableModel::filterColumns().keys().join(QStringLiteral(", "))));
  m_proxy->retranslate();
  m_model->retranslate();
  m_streamModel->setHeaders(models::rtp_stream_rows::headers());
  m_streamsTitle->setText(tr("RTP streams of the call (select one for its charts)"));
  m_ladder->setToolTip(tr("Click a message for its details and SDP"));
  refreshDetail();
  m_panel->scheduleCountUpdate();
}

QString VoipView::nodeName(const QString& nodeId) const {
  const core::NodeInfo* info = m_nodes ? m_nodes->node(nodeId) : nullptr;
  return info ? info->name : nodeId;
}

void VoipView::poll() {
  if (!m_nodes) return;
  for (const QString& id : m_nodes->nodeIds()) {
    const core::NodeInfo* info = m_nodes->node(id);
    if (!info || info->state != core::NodeState::Connected) continue;
    Pending& p = m_pending[id];
    if (p.calls != 0 || p.rtp != 0) continue;
    const quint64 calls = core::NodeManager::nextRequestToken();
    const quint64 rtp = core::NodeManager::nextRequestToken();
    if (m_nodes->request(id, calls, "calls", {})) p.calls = calls;
    if (m_nodes->request(id, rtp, "rtp", {})) p.rtp = rtp;
  }
}

void VoipView::onReplied(const QString& nodeId, quint64 token, const QByteArray& body) {
  auto it = m_pending.find(nodeId);
  if (it == m_pending.end()) return;
  if (it->calls == token) {
    it->calls = 0;
    const quint64 generation = answerArrived(nodeId, CallsAnswer);
    core::decodeInBackground<protocol::CallList>(
        this, body, [this, nodeId, generation](const protocol::CallList& list) {
          applyCallsAnswer(nodeId, generation, list);
        });
  } else if (it->rtp == token) {
    it->rtp = 0;
    const quint64 generation = answerArrived(nodeId, StreamsAnswer);
    core::decodeInBackground<protocol::RtpStreamList>(
        this, body, [this, nodeId, generation](const protocol::RtpStreamList& list) {
          applyStreamsAnswer(nodeId, generation, list);
        });
  }
}

quint64 VoipView::answerArrived(const QString& nodeId, AnswerKind kind) {
  return m_answers.next(nodeId, kind);
}

void VoipView::applyCallsAnswer(const QString& nodeId, quint64 generation,
                                const protocol::CallList& list) {
  if (m_answers.isLatest(nodeId, CallsAnswer, generation)) applyCalls(nodeId, list);
}

void VoipView::applyStreamsAnswer(const QString& nodeId, quint64 generation,
                                  const protocol::RtpStreamList& list) {
  if (m_answers.isLatest(nodeId, StreamsAnswer, generation)) applyStreams(nodeId, list);
}

void VoipView::onFailed(const QString& nodeId, quint64 token, const QString& reason) {
  auto it = m_pending.find(nodeId);
  if (it == m_pending.end()) return;
  if (it->calls != token && it->rtp != token) return;
  (it->calls == token ? it->calls : it->rtp) = 0;
  emit statusMessage(tr("VoIP figures of %1: %2").arg(nodeName(nodeId), reason), 5000);
}

void VoipView::applyCalls(const QString& nodeId, const protocol::CallList& list) {
  m_calls.insert(nodeId, list);
  refreshNode(nodeId);
}

void VoipView::applyStreams(const QString& nodeId, const protocol::RtpStreamList& list) {
  m_streams.insert(nodeId, list);
  refreshNode(nodeId);
}

void VoipView::refreshNode(const QString& nodeId) {
  const auto calls = m_calls.constFind(nodeId);
  if (calls == m_calls.constEnd()) return;
  const auto streams = m_streams.constFind(nodeId);
  static const std::vector<protocol::RtpStreamRecord> kNone;
  m_model->setNodeCalls(nodeId, nodeName(nodeId), calls->calls,
                        streams == m_streams.constEnd() ? kNone : streams->streams);
}

void VoipView::removeNode(const QString& nodeId) {
  m_calls.remove(nodeId);
  m_streams.remove(nodeId);
  m_pending.remove(nodeId);
  m_answers.remove(nodeId);  // a decode still running for it is stale
  m_model->removeNode(nodeId);
  if (m_shownNode == nodeId) showCall(-1);
}

void VoipView::showCall(int modelRow) {
  if (modelRow < 0 || modelRow >= m_model->rowCount()) {
    m_shownNode.clear();
    m_shownCall.clear();
  } else {
    const CallTableModel::Row& r = m_model->row(modelRow);
    m_shownNode = r.nodeId;
    m_shownCall = r.call.callId;
  }
  // A new call: the ladder starts without a selection.
  m_ladder->setMessages({});
  m_messageDetail->clear();
  refreshDetail();
}

void VoipView::refreshDetail() {
  const int row = m_shownCall.empty() ? -1 : m_model->findRow(m_shownNode, m_shownCall);
  if (row < 0) {
    m_callTitle->setText(tr("Select a call to see its SIP ladder and RTP streams"));
    if (!m_ladder->messages().empty()) m_ladder->setMessages({});
    m_messageDetail->clear();
    m_shownStreams.clear();
    m_streamModel->setRows({});
    m_charts->setStream(nullptr);
    updateActions();
    return;
  }
  const CallTableModel::Row& r = m_model->row(row);
  QString title =
      tr("%1 → %2, %3, %n message(s)", nullptr, static_cast<int>(r.call.counters.messages))
          .arg(QString::fromStdString(r.call.from), QString::fromStdString(r.call.to),
               CallTableModel::stateText(r.call.state));
  if (r.call.messagesOmitted > 0)
    title += tr(" (the ladder shows the first %1)").arg(r.call.messages.size());
  m_callTitle->setText(title);
  if (m_ladder->messages() != r.call.messages) {
    const int selected = m_ladder->selectedMessage();
    m_ladder->setMessages(r.call.messages);
    m_ladder->adjustSize();
    if (selected >= 0) m_ladder->setSelectedMessage(selected);
  }
  const auto streams = m_streams.constFind(m_shownNode);
  m_shownStreams = streams == m_streams.constEnd()
                       ? std::vector<protocol::RtpStreamRecord>()
                       : CallTableModel::streamsOf(r.call, streams->streams);
  QVector<models::SummaryTableModel::Row> rows;
  for (const auto& s : m_shownStreams)
    rows << models::rtp_stream_rows::row(r.nodeId, r.nodeName, s);
  m_streamModel->setRows(rows);
  updateActions();
  // Keep the charts on the selected stream (its figures may have grown), else the first.
  const QModelIndex current = m_streamTable->selectionModel()->currentIndex();
  if (!current.isValid() && !rows.isEmpty()) {
    m_streamTable->selectRow(0);
  } else {
    auto* proxy = qobject_cast<QAbstractProxyModel*>(m_streamTable->model());
    showStream(current.isValid() ? proxy->mapToSource(current).row() : -1);
  }
}

void VoipView::showStream(int streamRow) {
  if (streamRow < 0 || streamRow >= m_streamModel->rowCount()) {
    m_charts->setStream(nullptr);
    return;
  }
  const QString key = m_streamModel->rows()[streamRow].key;
  for (const auto& s : m_shownStreams) {
    if (models::rtp_stream_rows::key(m_shownNode, s) == key) return m_charts->setStream(&s);
  }
  m_charts->setStream(nullptr);
}

void VoipView::showMessage(int message) {
  const auto& messages = m_ladder->messages();
  if (message < 0 || message >= static_cast<int>(messages.size())) {
    m_messageDetail->clear();
    return;
  }
  const protocol::SipMessageRecord& m = messages[static_cast<std::size_t>(message)];
  QStringList lines;
  const QDateTime when = QDateTime::fromMSecsSinceEpoch(m.time / 1'000'000);
  lines << tr("Time: %1").arg(when.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")));
  lines << tr("From %1 to %2 over %3")
               .arg(endpointText(m.srcIp, m.srcPort), endpointText(m.dstIp, m.dstPort),
                    m.transport == 6 ? QStringLiteral("TCP") : QStringLiteral("UDP"));
  lines << (m.isRequest
                ? QStringLiteral("%1 %2 SIP/2.0")
                      .arg(QString::fromStdString(m.method), QString::fromStdString(m.requestUri))
                : QStringLiteral("SIP/2.0 %1 %2")
                      .arg(m.statusCode)
                      .arg(QString::fromStdString(m.reason)));
  lines << QStringLiteral("CSeq: %1 %2").arg(m.cseq).arg(QString::fromStdString(m.cseqMethod));
  lines << QString();
  if (m.sdp.empty() && m.sdpOmittedBytes == 0) {
    lines << tr("No SDP body");
  } else {
    lines << tr("SDP:");
    lines << QString::fromStdString(m.sdp).replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    if (m.sdpOmittedBytes > 0)
      lines << tr("… %n more byte(s) not kept by the node", nullptr,
                  static_cast<int>(m.sdpOmittedBytes));
  }
  m_messageDetail->setPlainText(lines.join(QLatin1Char('\n')));
}

bool VoipView::exportCsv(const QString& fileName) {
  if (!m_exportJob->start(*m_model, *m_proxy, m_panel->visibleColumns(), fileName)) return false;
  m_exportAction->setEnabled(false);
  emit statusMessage(tr("Exporting to %1…").arg(QDir::toNativeSeparators(fileName)), 0);
  return true;
}

void VoipView::exportCsvInteractively() {
  m_panel->exportCsvInteractively(tr("Export calls"), QStringLiteral("netlens-calls"),
                                  [this](const QString& fileName) { return exportCsv(fileName); });
}

void VoipView::setDownloads(exporting::DownloadManager* downloads) {
  m_downloads = downloads;
  updateActions();
}

void VoipView::updateActions() {
  const bool call =
      m_downloads && !m_shownCall.empty() && m_model->findRow(m_shownNode, m_shownCall) >= 0;
  m_saveCallAudioAction->setEnabled(call);
  m_callPcapAction->setEnabled(call);
  m_saveStreamAudioAction->setEnabled(call && !m_shownStreams.empty());
}

exporting::AudioDownload* VoipView::startAudio(const QString& nodeId, models::CaptureQuery query,
                                               const exporting::AudioChoice& choice) {
  if (!m_downloads || choice.fileName.isEmpty()) return nullptr;
  auto download =
      std::make_unique<exporting::AudioDownload>(m_nodes, std::move(query), nodeId, choice);
  auto* raw = download.get();
  if (m_audioPageBytes != 0) raw->setPageBytes(m_audioPageBytes);
  connect(raw, &exporting::PcapDownload::finished, this,
          [this, raw](exporting::DownloadState state) {
            const QString file = QDir::toNativeSeparators(raw->fileName());
            if (state == exporting::DownloadState::Failed) {
              emit statusMessage(
                  tr("Saving audio to %1 failed: %2").arg(file, raw->progress().reason), 15000);
            } else {
              emit statusMessage(
                  tr("Audio saved: %1").arg(raw->writtenFiles().join(QStringLiteral(", "))), 10000);
            }
          });
  m_downloads->add(std::move(download));
  return raw;
}

exporting::AudioDownload* VoipView::saveCallAudio(int modelRow,
                                                  const exporting::AudioChoice& choice) {
  if (modelRow < 0 || modelRow >= m_model->rowCount()) return nullptr;
  const CallTableModel::Row& r = m_model->row(modelRow);
  return startAudio(r.nodeId, models::CallQueries::audioOfCall(r.call), choice);
}

exporting::AudioDownload* VoipView::saveStreamAudio(int streamRow,
                                                    const exporting::AudioChoice& choice) {
  if (streamRow < 0 || streamRow >= m_streamModel->rowCount()) return nullptr;
  const QString key = m_streamModel->rows()[streamRow].key;
  for (const auto& s : m_shownStreams) {
    if (models::rtp_stream_rows::key(m_shownNode, s) == key)
      return startAudio(m_shownNode, models::CallQueries::audioOfStream(s), choice);
  }
  return nullptr;
}

exporting::StorePcapDownload* VoipView::downloadCallPcap(int modelRow, const QString& fileName) {
  if (!m_downloads || modelRow < 0 || modelRow >= m_model->rowCount()) return nullptr;
  const CallTableModel::Row& r = m_model->row(modelRow);
  const auto streams = m_streams.constFind(r.nodeId);
  const models::CaptureQuery query = models::CallQueries::pcapOf(
      r.call, streams == m_streams.constEnd()
                  ? std::vector<protocol::RtpStreamRecord>()
                  : CallTableModel::streamsOf(r.call, streams->streams));
  if (query.params.empty()) {
    emit statusMessage(tr("The call has no SIP message or RTP stream to download."), 5000);
    return nullptr;
  }
  return m_downloads->download(query, {r.nodeId}, fileName);
}

namespace {

std::optional<exporting::AudioChoice> askAudio(QWidget* parent, bool isCall, const QString& what,
                                               const QString& stem) {
  SaveAudioDialog dialog(isCall, what, parent);
  if (dialog.exec() != QDialog::Accepted) return std::nullopt;
  const QString ext = dialog.extension();
  const QString suggested = QFileInfo(exporting::DownloadManager::suggestedFileName(stem))
                                .dir()
                                .filePath(stem + QLatin1Char('.') + ext);
  const QString file =
      QFileDialog::getSaveFileName(parent, VoipView::tr("Save audio"), suggested,
                                   ext == QLatin1String("mp3") ? VoipView::tr("MP3 audio (*.mp3)")
                                                               : VoipView::tr("WAV audio (*.wav)"));
  if (file.isEmpty()) return std::nullopt;
  return exporting::AudioChoice{file, dialog.isMp3(), dialog.isSeparate()};
}

}  // namespace

void VoipView::saveCallAudioInteractively() {
  const int row = m_shownCall.empty() ? -1 : m_model->findRow(m_shownNode, m_shownCall);
  if (row < 0 || !m_downloads) return;
  const auto query = models::CallQueries::audioOfCall(m_model->row(row).call);
  const auto node = m_shownNode;
  const auto call = m_shownCall;
  const auto choice = (m_audioChooser ? m_audioChooser : AudioChooser(askAudio))(
      this, true, tr("call %1").arg(QString::fromStdString(call)), query.fileStem);
  // The dialog ran an event loop: updates may have moved or removed the row since.
  const int now = choice ? m_model->findRow(node, call) : -1;
  if (now >= 0) saveCallAudio(now, *choice);
}

void VoipView::saveStreamAudioInteractively() {
  const QModelIndex current = m_streamTable->selectionModel()->currentIndex();
  if (!current.isValid() || !m_downloads) return;
  auto* proxy = qobject_cast<QAbstractProxyModel*>(m_streamTable->model());
  const int row = proxy->mapToSource(current).row();
  const QString key = m_streamModel->rows()[row].key;
  for (const auto& s : m_shownStreams) {
    if (models::rtp_stream_rows::key(m_shownNode, s) != key) continue;
    const auto query = models::CallQueries::audioOfStream(s);
    const auto choice = (m_audioChooser ? m_audioChooser : AudioChooser(askAudio))(
        this, false, query.title, query.fileStem);
    if (!choice) return;
    // The dialog ran an event loop: updates may have moved or removed the row since.
    const auto& rows = m_streamModel->rows();
    for (int now = 0; now < static_cast<int>(rows.size()); ++now) {
      if (rows[now].key == key) {
        saveStreamAudio(now, *choice);
        return;
      }
    }
    return;
  }
}

void VoipView::downloadCallPcapInteractively() {
  const int row = m_shownCall.empty() ? -1 : m_model->findRow(m_shownNode, m_shownCall);
  if (row < 0 || !m_downloads) return;
  const auto query = models::CallQueries::pcapOf(m_model->row(row).call, m_shownStreams);
  const auto node = m_shownNode;
  const auto call = m_shownCall;
  const QString file =
      m_downloads->chooseFile(this, tr("Download PCAP: %1").arg(query.title), query.fileStem);
  // The dialog ran an event loop: updates may have moved or removed the row since.
  const int now = file.isEmpty() ? -1 : m_model->findRow(node, call);
  if (now >= 0) downloadCallPcap(now, file);
}

}  // namespace netlens::app::views
