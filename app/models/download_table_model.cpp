// SPDX-License-Identifier: MIT
#include "app/models/download_table_model.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>

#include <algorithm>

#include "app/export/download_manager.h"
#include "app/export/pcap_download.h"

namespace netlens::app::models {
namespace {

using exporting::DownloadState;

QString stateText(const exporting::PcapDownload& d) {
  const auto& p = d.progress();
  switch (p.state) {
    case DownloadState::Running:
      if (p.dropped != 0) {
        return DownloadTableModel::tr("running; %n packet(s) dropped by the nodes", nullptr,
                                      static_cast<int>(std::min<quint64>(p.dropped, INT32_MAX)));
      }
      return DownloadTableModel::tr("running");
    case DownloadState::Done:
      return p.reason.isEmpty() ? DownloadTableModel::tr("done")
                                : DownloadTableModel::tr("done (%1)").arg(p.reason);
    case DownloadState::Stopped:
      return p.reason.isEmpty() ? DownloadTableModel::tr("stopped") : p.reason;
    case DownloadState::Failed:
      return DownloadTableModel::tr("failed: %1").arg(p.reason);
  }
  return QString();
}

}  // namespace

DownloadTableModel::DownloadTableModel(exporting::DownloadManager* downloads, QObject* parent)
    : QAbstractTableModel(parent),
      m_downloads(downloads),
      m_rows(downloads ? downloads->count() : 0) {
  if (!m_downloads) return;
  connect(m_downloads, &exporting::DownloadManager::downloadAdded, this, [this](int row) {
    beginInsertRows(QModelIndex(), row, row);
    m_rows = m_downloads->count();
    endInsertRows();
  });
  connect(m_downloads, &exporting::DownloadManager::downloadChanged, this, [this](int row) {
    if (row < m_rows) emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
  });
  connect(m_downloads, &exporting::DownloadManager::downloadFinished, this, [this](int row) {
    if (row < m_rows) emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
  });
  connect(m_downloads, &exporting::DownloadManager::downloadsAboutToBeRemoved, this,
          [this](int first, int last) {
            beginRemoveRows(QModelIndex(), first, last);
            m_rows -= last - first + 1;
          });
  connect(m_downloads, &exporting::DownloadManager::downloadsRemoved, this,
          [this] { endRemoveRows(); });
}

int DownloadTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : m_rows;
}

int DownloadTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

exporting::PcapDownload* DownloadTableModel::download(int row) const {
  return row >= 0 && row < m_rows && m_downloads ? m_downloads->at(row) : nullptr;
}

QString DownloadTableModel::formatBytes(double bytes) {
  const QLocale locale;
  if (bytes < 1000) return tr("%1 B").arg(locale.toString(static_cast<qlonglong>(bytes)));
  if (bytes < 1e6) return tr("%1 kB").arg(locale.toString(bytes / 1e3, 'f', 1));
  if (bytes < 1e9) return tr("%1 MB").arg(locale.toString(bytes / 1e6, 'f', 1));
  return tr("%1 GB").arg(locale.toString(bytes / 1e9, 'f', 2));
}

QVariant DownloadTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const exporting::PcapDownload* d = download(index.row());
  if (!d) return {};
  const auto& p = d->progress();
  const bool live = d->source() == exporting::DownloadSource::Live;
  if (role == RawRole) {
    switch (index.column()) {
      case State:
        return static_cast<int>(p.state);
      case Packets:
        return p.packets;
      case Size:
        return p.bytes;
      case Rate:
        return p.bytesPerSecond;
      case Progress:
        return d->percent();
      default:
        return data(index, Qt::DisplayRole);
    }
  }
  if (role == Qt::TextAlignmentRole) {
    switch (index.column()) {
      case Packets:
      case Size:
      case Rate:
      case Progress:
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
      case Action:
        return Qt::AlignCenter;
      default:
        return {};
    }
  }
  if (role == Qt::ToolTipRole) {
    if (index.column() == File) return QDir::toNativeSeparators(d->fileName());
    if (index.column() == State) return stateText(*d);
    if (index.column() == Action && d->isRunning())
      return tr("Stop this download, keeping what arrived");
    return {};
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case Name:
      return d->title();
    case Source:
      return live ? tr("live") : tr("packet store");
    case Nodes:
      return d->nodeNames().join(QStringLiteral(", "));
    case File:
      return QFileInfo(d->fileName()).fileName();
    case State:
      return stateText(*d);
    case Packets:
      return QLocale().toString(p.packets);
    case Size:
      return formatBytes(static_cast<double>(p.bytes));
    case Rate:
      return p.bytesPerSecond > 0 ? tr("%1/s").arg(formatBytes(p.bytesPerSecond)) : QString();
    case Progress: {
      const int percent = d->percent();
      return percent < 0 ? QString() : tr("%1 %").arg(percent);
    }
    case Action:
      return d->isRunning() ? tr("Stop") : QString();
    default:
      return {};
  }
}

QVariant DownloadTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Name:
      return tr("Download");
    case Source:
      return tr("Source");
    case Nodes:
      return tr("Nodes");
    case File:
      return tr("File");
    case State:
      return tr("State");
    case Packets:
      return tr("Packets");
    case Size:
      return tr("Size");
    case Rate:
      return tr("Rate");
    case Progress:
      return tr("Progress");
    case Action:
      return QString();
    default:
      return {};
  }
}

}  // namespace netlens::app::models
