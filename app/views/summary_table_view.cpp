// SPDX-License-Identifier: MIT
#include "app/views/summary_table_view.h"

#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QTableView>

#include "app/models/summary_table_model.h"

namespace netlens::app::views {

QTableView* makeSummaryTable(models::SummaryTableModel* model, QWidget* parent) {
  auto* table = new QTableView(parent);
  auto* proxy = new QSortFilterProxyModel(table);
  proxy->setSourceModel(model);
  proxy->setSortRole(models::SummaryTableModel::RawRole);
  table->setModel(proxy);
  table->setSortingEnabled(true);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->verticalHeader()->hide();
  table->horizontalHeader()->setStretchLastSection(true);
  return table;
}

}  // namespace netlens::app::views
