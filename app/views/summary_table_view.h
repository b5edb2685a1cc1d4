// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include "app/views/table_panel.h"

class QToolButton;

namespace netlens::app::models {
class SummaryFilterProxy;
class SummaryTableModel;
}  // namespace netlens::app::models

namespace netlens::app::exporting {
class CsvExportJob;
}

namespace netlens::app::views {

/// A read-only summary table (IP detail tabs, IP groups, VoIP streams) in a TablePanel: the
/// filter box (text or an expression over the columns as their headers name them, see
/// SummaryTableModel), an Export CSV… button (the whole filtered, sorted table, visible
/// columns in their order) and the row count; sorted on the raw values, whole rows selected,
/// no editing, the last column stretched. The caller picks the initial sort on table() and
/// may rename it (tests find tables by name). Thread: GUI thread.
class SummaryTablePanel : public TablePanel {
  Q_OBJECT

 public:
  /// Object names as TablePanel's: `objectPrefix` + "Table", "Filter", ...; the export
  /// button is `objectPrefix` + "Export". `csvBaseName` starts the suggested file name.
  SummaryTablePanel(models::SummaryTableModel* model, const QString& objectPrefix,
                    const QString& csvBaseName, QWidget* parent = nullptr);

  models::SummaryFilterProxy* proxy() const { return m_proxy; }
  /// Writes the table as CSV to `fileName` in the background; false while an export runs.
  bool exportCsv(const QString& fileName);

 signals:
  /// An export ended: `rows` written, or `ok` false with `error` saying why.
  void exported(bool ok, int rows, const QString& fileName, const QString& error);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  SummaryTablePanel(models::SummaryTableModel* model, models::SummaryFilterProxy* proxy,
                    QToolButton* exportButton, const QString& objectPrefix,
                    const QString& csvBaseName, QWidget* parent);
  void retranslate();
  void updateCount();

  models::SummaryTableModel* m_model;
  models::SummaryFilterProxy* m_proxy;
  QToolButton* m_exportButton;
  exporting::CsvExportJob* m_csvJob;
  QString m_csvBaseName;
};

}  // namespace netlens::app::views
