// SPDX-License-Identifier: MIT
#include "app/export/download_manager.h"

#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

#include <algorithm>

#include "app/core/node_manager.h"
#include "app/export/live_pcap_download.h"
#include "app/export/store_pcap_download.h"

namespace netlens::app::exporting {
namespace {

const char* const kFolderKey = "ui/pcapFolder";

QString chooseWithDialog(QWidget* parent, const QString& title, const QString& suggested) {
  return QFileDialog::getSaveFileName(
      parent, title, suggested,
      DownloadManager::tr("pcapng, one interface per node (*.pcapng);;"
                          "Classic pcap, for old tools (*.pcap);;"
                          "All files (*)"));
}

}  // namespace

DownloadManager::DownloadManager(core::NodeManager* nodes, QObject* parent)
    : QObject(parent), m_nodes(nodes), m_chooser(chooseWithDialog) {}

DownloadManager::~DownloadManager() {
  // Each download's destructor finishes its file; disconnect first so that nothing is
  // signalled about rows of a manager going away.
  for (auto& d : m_downloads) d->disconnect(this);
  m_downloads.clear();
}

void DownloadManager::setFileChooser(FileChooser chooser) {
  m_chooser = chooser ? std::move(chooser) : FileChooser(chooseWithDialog);
}

QString DownloadManager::suggestedFileName(const QString& stem) {
  QString folder = QSettings().value(QLatin1String(kFolderKey)).toString();
  if (folder.isEmpty())
    folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
  return QDir(folder).filePath(
      QStringLiteral("%1-%2.pcapng")
          .arg(stem.isEmpty() ? QStringLiteral("netlens") : stem,
               QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
}

StorePcapDownload* DownloadManager::download(const models::CaptureQuery& query, QStringList nodeIds,
                                             const QString& fileName) {
  if (nodeIds.isEmpty() && m_nodes) nodeIds = m_nodes->nodeIds();
  if (nodeIds.isEmpty() || fileName.isEmpty()) {
    emit statusMessage(tr("No node to download from."), 5000);
    return nullptr;
  }
  auto download = std::make_unique<StorePcapDownload>(m_nodes, query, nodeIds, fileName);
  if (m_pageBytes != 0) download->setPageBytes(m_pageBytes);
  auto* raw = download.get();
  add(std::move(download));
  return raw;
}

StorePcapDownload* DownloadManager::downloadInteractively(QWidget* parent,
                                                          const models::CaptureQuery& query,
                                                          const QStringList& nodeIds) {
  if ((nodeIds.isEmpty() && (!m_nodes || m_nodes->isEmpty())) || query.params.empty()) {
    emit statusMessage(tr("No node to download from."), 5000);
    return nullptr;
  }
  const QString fileName =
      chooseFile(parent, tr("Download PCAP: %1").arg(query.title), query.fileStem);
  if (fileName.isEmpty()) return nullptr;
  return download(query, nodeIds, fileName);
}

LivePcapDownload* DownloadManager::liveCapture(const models::CaptureQuery& query,
                                               QStringList nodeIds, const QString& fileName) {
  if (nodeIds.isEmpty() && m_nodes) nodeIds = m_nodes->nodeIds();
  if (nodeIds.isEmpty() || fileName.isEmpty()) {
    emit statusMessage(tr("No node to capture from."), 5000);
    return nullptr;
  }
  auto download = std::make_unique<LivePcapDownload>(m_nodes, query, nodeIds, fileName);
  auto* raw = download.get();
  add(std::move(download));
  return raw;
}

LivePcapDownload* DownloadManager::liveCaptureInteractively(QWidget* parent,
                                                            const models::CaptureQuery& query,
                                                            const QStringList& nodeIds) {
  if ((nodeIds.isEmpty() && (!m_nodes || m_nodes->isEmpty())) || query.params.empty()) {
    emit statusMessage(tr("No node to capture from."), 5000);
    return nullptr;
  }
  const QString fileName =
      chooseFile(parent, tr("Live capture: %1").arg(query.title), query.fileStem);
  if (fileName.isEmpty()) return nullptr;
  return liveCapture(query, nodeIds, fileName);
}

PcapDownload* DownloadManager::runningLive(const QString& title) const {
  for (const auto& d : m_downloads)
    if (d->source() == DownloadSource::Live && d->isRunning() && d->title() == title)
      return d.get();
  return nullptr;
}

void DownloadManager::toggleLiveCapture(QWidget* parent, const models::CaptureQuery& query) {
  if (PcapDownload* running = runningLive(query.title))
    running->stop();
  else
    liveCaptureInteractively(parent, query);
}

QString DownloadManager::chooseFile(QWidget* parent, const QString& title, const QString& stem) {
  const QString fileName = m_chooser(parent, title, suggestedFileName(stem));
  if (!fileName.isEmpty())
    QSettings().setValue(QLatin1String(kFolderKey), QFileInfo(fileName).absolutePath());
  return fileName;
}

PcapDownload* DownloadManager::add(std::unique_ptr<PcapDownload> download) {
  PcapDownload* raw = download.get();
  raw->setParent(nullptr);  // owned by the vector
  m_downloads.push_back(std::move(download));
  connect(raw, &PcapDownload::progressChanged, this, [this, raw] {
    if (const int row = indexOf(raw); row >= 0) emit downloadChanged(row);
  });
  connect(raw, &PcapDownload::finished, this, [this, raw](DownloadState state) {
    const int row = indexOf(raw);
    if (row < 0) return;
    emit downloadFinished(row);
    if (raw->source() == DownloadSource::Live) emit liveCapturesChanged();
    const QString file = QDir::toNativeSeparators(raw->fileName());
    switch (state) {
      case DownloadState::Done:
        emit statusMessage(
            tr("Downloaded %n packet(s) to %1", nullptr,
               static_cast<int>(std::min<quint64>(raw->progress().packets, INT32_MAX)))
                .arg(file),
            10000);
        break;
      case DownloadState::Stopped:
        emit statusMessage(tr("%1 — %2").arg(raw->title(), raw->progress().reason), 10000);
        break;
      case DownloadState::Failed:
        emit statusMessage(tr("%1 — failed: %2").arg(raw->title(), raw->progress().reason), 10000);
        break;
      case DownloadState::Running:
        break;
    }
  });
  const int row = count() - 1;
  emit downloadAdded(row);
  emit statusMessage(tr("Downloading %1 to %2… (progress in the Captures tab)")
                         .arg(raw->title(), QDir::toNativeSeparators(raw->fileName())),
                     5000);
  raw->start();
  if (raw->source() == DownloadSource::Live) emit liveCapturesChanged();
  return raw;
}

PcapDownload* DownloadManager::at(int row) const {
  return row >= 0 && row < count() ? m_downloads[static_cast<std::size_t>(row)].get() : nullptr;
}

int DownloadManager::indexOf(const PcapDownload* download) const {
  for (std::size_t i = 0; i < m_downloads.size(); ++i)
    if (m_downloads[i].get() == download) return static_cast<int>(i);
  return -1;
}

int DownloadManager::runningCount() const {
  return static_cast<int>(std::count_if(m_downloads.begin(), m_downloads.end(),
                                        [](const auto& d) { return d->isRunning(); }));
}

void DownloadManager::stop(int row) {
  if (PcapDownload* d = at(row)) d->stop();
}

void DownloadManager::stopAll() {
  for (auto& d : m_downloads) d->stop();
}

void DownloadManager::removeFinished() {
  // Rows go one contiguous run at a time, last first, so that the model's row numbers hold.
  for (int row = count() - 1; row >= 0;) {
    if (at(row)->isRunning()) {
      --row;
      continue;
    }
    int first = row;
    while (first > 0 && !at(first - 1)->isRunning()) --first;
    emit downloadsAboutToBeRemoved(first, row);
    m_downloads.erase(m_downloads.begin() + first, m_downloads.begin() + row + 1);
    emit downloadsRemoved();
    row = first - 1;
  }
}

}  // namespace netlens::app::exporting
