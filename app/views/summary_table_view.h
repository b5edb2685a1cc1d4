// SPDX-License-Identifier: MIT
#pragma once

class QTableView;
class QWidget;

namespace netlens::app::models {
class SummaryTableModel;
}

namespace netlens::app::views {

/// A read-only, sortable table of a SummaryTableModel, as the IP detail tabs and the IP
/// groups tab show them: sorted on the raw values through a QSortFilterProxyModel that the
/// view owns, whole rows selected, no editing, no row numbers, the last column stretched.
/// The caller picks the initial sort. Thread: GUI thread.
QTableView* makeSummaryTable(models::SummaryTableModel* model, QWidget* parent);

}  // namespace netlens::app::views
