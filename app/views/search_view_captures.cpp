// SPDX-License-Identifier: MIT
// SearchView, the form's captures: Save as PCAP (a paged download of the search from the
// checked nodes), the Live capture… button (the form's criteria from now on) and a session's
// Download PCAP… and Live capture….
#include <QDir>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>

#include "app/export/download_manager.h"
#include "app/export/live_pcap_download.h"
#include "app/export/store_pcap_download.h"
#include "app/models/capture_query.h"
#include "app/models/search_session_filter_proxy.h"
#include "app/models/search_session_model.h"
#include "app/views/capture_menu.h"
#include "app/views/search_view.h"

namespace netlens::app::views {

bool SearchView::savePcap(const QString& fileName) {
  protocol::Params params;
  QStringList problems;
  const QStringList nodes = checkedNodes();
  if (!models::SearchQuery::build(form(), &params, &problems) || nodes.isEmpty()) {
    if (nodes.isEmpty()) problems << tr("Check at least one node to search.");
    m_formErrors->setText(problems.join(QLatin1Char('\n')));
    m_formErrors->show();
    return false;
  }
  m_formErrors->hide();
  if (isSaving()) return false;
  QStringList criteria;
  for (const auto& [key, value] : params) {
    if (key != "mode")
      criteria << QStringLiteral("%1=%2").arg(QString::fromStdString(key),
                                              QString::fromStdString(value));
  }
  const models::CaptureQuery query{
      criteria.isEmpty() ? tr("search: everything") : tr("search: %1").arg(criteria.join(' ')),
      QStringLiteral("netlens-search"), params};
  m_saving = m_downloads->download(query, nodes, fileName);
  if (!m_saving) return false;
  connect(m_saving, &exporting::PcapDownload::progressChanged, this, [this] {
    if (!isSaving()) return;
    const auto& p = m_saving->progress();
    m_state->setText(tr("Saving: %1 packet(s), %2")
                         .arg(QLocale().toString(p.packets),
                              QLocale().formattedDataSize(static_cast<qint64>(p.bytes))));
  });
  connect(m_saving, &exporting::PcapDownload::finished, this, &SearchView::onSaveFinished);
  for (const QString& id : nodes) setNodeResult(id, tr("saving…"), false);
  m_state->setText(tr("Saving: asking %n node(s)…", nullptr, static_cast<int>(nodes.size())));
  updateButtons();
  return true;
}

bool SearchView::liveQuery(models::CaptureQuery* query, QStringList* problems) const {
  protocol::Params params;
  if (!models::SearchQuery::build(form(), &params, problems)) return false;
  if (checkedNodes().isEmpty()) {
    *problems << tr("Check at least one node to capture from.");
    return false;
  }
  // A live capture runs from now on and filters in the capture path (BPF): no time range, no
  // paging, no payload signature.
  for (const char* key : {"mode", "limit", "from", "to"}) params.erase(key);
  params.erase("payload-scope");  // only with a payload signature, refused below
  if (params.count("payload") || params.count("payload-hex") || params.count("payload-regex")) {
    *problems << tr(
        "A live capture cannot match payload: clear Payload, or use Search to find "
        "stored packets by payload.");
    return false;
  }
  if (params.count("http-host") || params.count("http-url") || params.count("http-user-agent") ||
      params.count("http-file") || params.count("http-user")) {
    *problems << tr(
        "A live capture cannot match HTTP fields: clear the HTTP criteria, or use Search to "
        "find stored sessions by them.");
    return false;
  }
  QStringList criteria;
  for (const auto& [key, value] : params)
    criteria << QStringLiteral("%1=%2").arg(QString::fromStdString(key),
                                            QString::fromStdString(value));
  query->title =
      criteria.isEmpty() ? tr("live: everything") : tr("live: %1").arg(criteria.join(' '));
  query->fileStem = QStringLiteral("netlens-live");
  query->params = std::move(params);
  return true;
}

bool SearchView::toggleLiveCapture(const QString& fileName) {
  models::CaptureQuery query;
  QStringList problems;
  if (!liveQuery(&query, &problems)) return false;
  if (exporting::PcapDownload* running = m_downloads->runningLive(query.title)) {
    running->stop();
    return true;
  }
  return m_downloads->liveCapture(query, checkedNodes(), fileName) != nullptr;
}

void SearchView::updateLiveButton() {
  if (!m_liveButton) return;
  models::CaptureQuery query;
  QStringList problems;
  const bool running = liveQuery(&query, &problems) && m_downloads->runningLive(query.title);
  m_liveButton->setText(CaptureMenu::liveLabel(running));
  m_liveButton->setToolTip(
      running ? tr("Stop the live capture of these criteria and finish its file")
              : tr("Save the packets matching these criteria (without the time range) as the "
                   "checked nodes capture them, until stopped (progress in the Captures tab)"));
}

bool SearchView::isSaving() const {
  return m_saving && m_saving->isRunning();
}

void SearchView::onSaveFinished() {
  exporting::StorePcapDownload* d = m_saving;
  if (!d) return;
  const auto& p = d->progress();
  const QString file = QDir::toNativeSeparators(d->fileName());
  for (const QString& id : d->nodeIds()) {
    const int packets = static_cast<int>(std::min<quint64>(d->nodePackets(id), INT32_MAX));
    switch (p.state) {
      case exporting::DownloadState::Done:
        setNodeResult(
            id,
            d->limitReached()
                ? tr("saved the first %n packet(s) to %1 (limit reached)", nullptr, packets)
                      .arg(file)
                : tr("saved %n packet(s) to %1", nullptr, packets).arg(file),
            false);
        break;
      case exporting::DownloadState::Stopped:
        setNodeResult(id, tr("stopped"), false);
        break;
      default:
        setNodeResult(id, p.reason, true);
        break;
    }
  }
  switch (p.state) {
    case exporting::DownloadState::Done:
      m_state->setText(tr("Saved %n packet(s) to %1", nullptr,
                          static_cast<int>(std::min<quint64>(p.packets, INT32_MAX)))
                           .arg(file) +
                       (p.reason.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(p.reason)));
      break;
    case exporting::DownloadState::Stopped:
      m_state->setText(tr("Saving %1").arg(p.reason));
      break;
    default:
      m_state->setText(tr("Saving failed: %1").arg(p.reason));
      break;
  }
  updateButtons();
  emit saveFinished(p.state == exporting::DownloadState::Stopped);
}

namespace {

/// A session is a connection as the store groups packets: both directions of its 5-tuple.
protocol::ConnectionRecord sessionConnection(const protocol::SearchSession& session) {
  protocol::ConnectionRecord c;
  c.protocol = session.protocol;
  c.clientIp = session.a;
  c.clientPort = session.aPort;
  c.serverIp = session.b;
  c.serverPort = session.bPort;
  c.firstSeen = session.firstSeen;
  c.lastSeen = session.lastSeen;
  return c;
}

}  // namespace

exporting::StorePcapDownload* SearchView::downloadSession(int proxyRow) {
  if (proxyRow < 0 || proxyRow >= m_proxy->rowCount()) return nullptr;
  const auto& row = m_sessions->row(m_proxy->mapToSource(m_proxy->index(proxyRow, 0)).row());
  return m_downloads->downloadInteractively(
      this, models::CaptureQueries::forConnection(sessionConnection(row.session)), {row.nodeId});
}

models::CaptureQuery SearchView::sessionLiveQuery(int proxyRow) const {
  if (proxyRow < 0 || proxyRow >= m_proxy->rowCount()) return {};
  const auto& row = m_sessions->row(m_proxy->mapToSource(m_proxy->index(proxyRow, 0)).row());
  // No VLAN id: the node's criteria without one also match behind one 802.1Q tag.
  models::CaptureQuery query =
      CaptureMenu::live(models::CaptureQueries::forConnection(sessionConnection(row.session)));
  // The title names the node: two nodes that found the same session have a capture each, and
  // a row's Stop stops its own (running captures are found by title).
  query.title = tr("%1 on %2").arg(query.title, row.nodeName);
  return query;
}

exporting::LivePcapDownload* SearchView::toggleSessionLiveCapture(int proxyRow) {
  const models::CaptureQuery query = sessionLiveQuery(proxyRow);
  if (query.params.empty()) return nullptr;
  if (exporting::PcapDownload* running = m_downloads->runningLive(query.title)) {
    running->stop();
    return nullptr;
  }
  const auto& row = m_sessions->row(m_proxy->mapToSource(m_proxy->index(proxyRow, 0)).row());
  exporting::LivePcapDownload* live =
      m_downloads->liveCaptureInteractively(this, query, {row.nodeId});
  if (live) {
    m_state->setText(tr("Live capture of %1 started (its addresses, protocol and ports only: a "
                        "live capture does not match payload; progress in the Captures tab)")
                         .arg(query.title));
  }
  return live;
}

void SearchView::savePcapInteractively() {
  // The manager's file chooser (tests replace it); it remembers the folder.
  const QString fileName =
      m_downloads->chooseFile(this, tr("Save as PCAP"), QStringLiteral("netlens-search"));
  if (!fileName.isEmpty()) savePcap(fileName);
}

}  // namespace netlens::app::views
