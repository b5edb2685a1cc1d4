// SPDX-License-Identifier: MIT
#include "app/views/summary_table_view.h"

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QTableView>
#include <QToolButton>

#include "app/export/csv_export_job.h"
#include "app/models/summary_filter_proxy.h"
#include "app/models/summary_table_model.h"

namespace netlens::app::views {
namespace {

models::SummaryFilterProxy* proxyOf(models::SummaryTableModel* model) {
  auto* proxy = new models::SummaryFilterProxy;
  proxy->setSourceModel(model);
  return proxy;
}

}  // namespace

SummaryTablePanel::SummaryTablePanel(models::SummaryTableModel* model, const QString& objectPrefix,
                                     const QString& csvBaseName, QWidget* parent)
    : SummaryTablePanel(model, proxyOf(model), new QToolButton, objectPrefix, csvBaseName, parent) {
}

SummaryTablePanel::SummaryTablePanel(models::SummaryTableModel* model,
                                     models::SummaryFilterProxy* proxy, QToolButton* exportButton,
                                     const QString& objectPrefix, const QString& csvBaseName,
                                     QWidget* parent)
    : TablePanel(proxy, objectPrefix, {exportButton}, parent),
      m_model(model),
      m_proxy(proxy),
      m_exportButton(exportButton),
      m_csvJob(new exporting::CsvExportJob(this)),
      m_csvBaseName(csvBaseName) {
  m_proxy->setParent(this);
  m_exportButton->setObjectName(objectPrefix + QStringLiteral("Export"));
  QTableView* view = table();
  view->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view->horizontalHeader()->setStretchLastSection(true);
  connect(m_exportButton, &QToolButton::clicked, this, [this] {
    exportCsvInteractively(tr("Export table"), m_csvBaseName,
                           [this](const QString& fileName) { return exportCsv(fileName); });
  });
  connect(
      m_csvJob, &exporting::CsvExportJob::finished, this,
      [this](bool ok, int rows, const QString& fileName, const QString& error) {
        m_exportButton->setEnabled(true);
        m_exportButton->setToolTip(ok ? tr("Exported %n row(s) to %1", nullptr, rows).arg(fileName)
                                      : tr("Export failed: %1").arg(error));
        emit exported(ok, rows, fileName, error);
      });
  connect(this, &TablePanel::countsChanged, this, &SummaryTablePanel::updateCount);
  connect(m_model, &QAbstractItemModel::headerDataChanged, this, &SummaryTablePanel::retranslate);
  retranslate();
  updateCount();
}

bool SummaryTablePanel::exportCsv(const QString& fileName) {
  if (!m_csvJob->start(*m_model, *m_proxy, visibleColumns(), fileName)) return false;
  m_exportButton->setEnabled(false);
  return true;
}

void SummaryTablePanel::changeEvent(QEvent* event) {
  TablePanel::changeEvent(event);
  if (event->type() == QEvent::LanguageChange) retranslate();
}

void SummaryTablePanel::retranslate() {
  m_exportButton->setText(tr("Export CSV…"));
  m_exportButton->setToolTip(tr("Save the filtered and sorted table as CSV"));
  // An example over this table's own columns: a number column if there is one.
  QString example;
  for (const models::FilterColumn& c : m_model->filterColumns().columns()) {
    if (c.type == models::FilterValueType::Number) {
      example = QStringLiteral("(%1 > 1000)").arg(c.key);
      break;
    }
    if (example.isEmpty() && c.type == models::FilterValueType::Text)
      example = QStringLiteral("(%1 contains \"x\")").arg(c.key);
  }
  filterEdit()->setPlaceholderText(tr("Text, or an expression such as %1").arg(example));
  filterEdit()->setToolTip(tr("Plain text matches a part of any cell.\n"
                              "Text starting with ( is an expression. Columns: %1")
                               .arg(m_model->filterColumns().keys().join(QStringLiteral(", "))));
  updateCount();
}

void SummaryTablePanel::updateCount() {
  const QLocale locale;
  rowsLabel()->setText(
      tr("%1 of %2 rows")
          .arg(locale.toString(m_proxy->rowCount()), locale.toString(m_model->rowCount())));
}

}  // namespace netlens::app::views
