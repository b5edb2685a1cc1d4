// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractTableModel>

namespace netlens::app::exporting {
class DownloadManager;
class PcapDownload;
}  // namespace netlens::app::exporting

namespace netlens::app::models {

/// The Captures table: one row per download of the DownloadManager, in start order. Display
/// strings are built when asked; RawRole carries the sortable value (numbers, state order).
/// The Action column says "Stop" on running rows (the view turns a click on it into stop()).
///
/// Thread: GUI thread. Does not own `downloads`, which must outlive it.
class DownloadTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    Name,
    Source,
    Nodes,
    File,
    State,
    Packets,
    Size,
    Rate,
    Progress,
    Action,
    ColumnCount
  };
  static constexpr int RawRole = Qt::UserRole + 1;

  explicit DownloadTableModel(exporting::DownloadManager* downloads, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  int columnCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  exporting::PcapDownload* download(int row) const;
  /// "1.5 MB", "12 kB/s": SI units as Wireshark shows sizes.
  static QString formatBytes(double bytes);

 private:
  exporting::DownloadManager* m_downloads;
  int m_rows = 0;  ///< rows announced to views (the manager's count once signals are handled)
};

}  // namespace netlens::app::models
