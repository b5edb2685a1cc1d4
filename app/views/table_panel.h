// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>
#include <QWidget>

#include <functional>
#include <vector>

class QGridLayout;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;
class QVBoxLayout;

namespace netlens::app::models {
class TableFilterProxy;
}

namespace netlens::app::views {

/// A sortable table over a TableFilterProxy with the bar above it: the filter box (text or
/// expression, applied once typing pauses; a parse error shows in red under it), the
/// owner's buttons and a row count label. Rows have a fixed height (the view never
/// measures them, which keeps 10^5+ rows smooth); columns can be moved. Optionally the
/// header's context menu chooses the columns, remembered in QSettings.
///
/// The owner fills in the texts that name its rows (placeholder, tooltip, row count) and
/// sets the sort column and section widths on table().
///
/// Thread: GUI thread. Does not own `proxy`; owns its widgets.
class TablePanel : public QWidget {
  Q_OBJECT

 public:
  /// Object names: `objectPrefix` + "Table", "Filter" and "FilterError". `barWidgets` go
  /// between the filter box and the row count, in order.
  TablePanel(models::TableFilterProxy* proxy, const QString& objectPrefix,
             const QList<QWidget*>& barWidgets, QWidget* parent = nullptr);
  ~TablePanel() override;

  QTableView* table() const { return m_table; }
  QLineEdit* filterEdit() const { return m_filter; }
  QLabel* filterError() const { return m_filterError; }
  QLabel* rowsLabel() const { return m_rowsLabel; }
  /// Adds `widget` under the table.
  void addBelowTable(QWidget* widget);

  /// Lets the header's context menu show and hide columns, and keeps hidden columns, order
  /// and widths under `settingsKey` (restored now, saved on every change).
  void enableColumnChooser(const QString& settingsKey);
  /// Shows or hides a column (as the column chooser does) and remembers it; at least one
  /// column stays.
  void setColumnVisible(int column, bool visible);
  /// The columns an export writes: visible ones in their visual order.
  std::vector<int> visibleColumns() const;

  /// Asks for a CSV file name (suggesting `baseName`-date-time.csv in the folder of the
  /// last export) and passes it to `start`, which returns false while an export runs.
  void exportCsvInteractively(const QString& dialogTitle, const QString& baseName,
                              const std::function<bool(const QString&)>& start);

 public slots:
  /// Emits countsChanged() soon, once for any number of calls in a short while.
  void scheduleCountUpdate();

 signals:
  /// Rows came, went or moved in the proxy (or scheduleCountUpdate() was called): time to
  /// update the row count. Sent at most once every 250 ms.
  void countsChanged();

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void retranslateUi();
  void showColumnMenu(const QPoint& position);
  void saveHeader() const;

  models::TableFilterProxy* m_proxy;
  QString m_settingsKey;  ///< where the column chooser keeps the header; empty without one
  QTableView* m_table = nullptr;
  QLabel* m_filterLabel = nullptr;
  QLineEdit* m_filter = nullptr;
  QLabel* m_filterError = nullptr;
  QLabel* m_rowsLabel = nullptr;
  QVBoxLayout* m_layout = nullptr;
  QTimer* m_filterDelay = nullptr;
  QTimer* m_countDelay = nullptr;
};

}  // namespace netlens::app::views
