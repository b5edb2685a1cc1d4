// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace netlens::app::exporting {
class DownloadManager;
}

namespace netlens::app::models {
class DownloadTableModel;
}

namespace netlens::app::views {

/// The Captures tab: every PCAP download of the session (from the packet rings, later live
/// ones too) with its nodes, file, state, packets, size, rate and a progress bar; running rows
/// have a Stop button in their last column. Stop stops the selected downloads; Clear
/// finished forgets the ended ones (their files stay).
///
/// Thread: GUI thread. Does not own `downloads`.
class CapturesView : public QWidget {
  Q_OBJECT

 public:
  explicit CapturesView(exporting::DownloadManager* downloads, QWidget* parent = nullptr);

  models::DownloadTableModel* model() const { return m_model; }
  QTableView* table() const { return m_table; }
  /// Stops the downloads of the selected rows.
  void stopSelected();

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void retranslateUi();
  void updateButtons();

  exporting::DownloadManager* m_downloads;
  models::DownloadTableModel* m_model;
  QTableView* m_table = nullptr;
  QLabel* m_summary = nullptr;
  QPushButton* m_stop = nullptr;
  QPushButton* m_stopAll = nullptr;
  QPushButton* m_clear = nullptr;
};

}  // namespace netlens::app::views
