// SPDX-License-Identifier: MIT
#include "app/models/table_filter_proxy.h"

namespace netlens::app::models {

TableFilterProxy::TableFilterProxy(int sortRole, QObject* parent) : QSortFilterProxyModel(parent) {
  setSortRole(sortRole);
  setDynamicSortFilter(true);
}

const FilterColumns& TableFilterProxy::columns() const {
  static const FilterColumns none;
  // Expressions need typed cells; other sources offer no columns, so every name fails.
  return typedSource() ? typedColumns() : none;
}

bool TableFilterProxy::setFilterText(const QString& text) {
  const QString trimmed = text.trimmed();
  if (trimmed == m_text) return !m_error.isError();
  m_text = trimmed;
  m_rawText = text;
  if (!trimmed.startsWith(QLatin1Char('('))) {
    m_expression = {};
    m_plainFilter = trimmed;
  } else {
    FilterParseError error;
    // The untrimmed text, so that error positions count from the start of the filter box.
    FilterExpression expression = FilterExpression::parse(text, columns(), &error);
    if (!expression.isValid()) {
      // Keep showing what the last good filter showed while the user is still typing.
      setError(error);
      return false;
    }
    m_expression = std::move(expression);
    m_plainFilter.clear();
  }
  setError({});
  // A full rebuild (filter every row, sort once) rather than invalidateRowsFilter(): that one
  // moves the rows that appear or disappear range by range, each range costing a pass over
  // the proxy's whole mapping, which for a filter change on 10^6 rows means minutes.
  invalidate();
  return true;
}

void TableFilterProxy::retranslate() {
  if (!m_error.isError()) return;
  FilterParseError error;
  FilterExpression::parse(m_rawText, columns(), &error);
  setError(error);
}

void TableFilterProxy::setError(const FilterParseError& error) {
  if (error.message == m_error.message && error.position == m_error.position) return;
  m_error = error;
  emit filterErrorChanged(m_error.message);
}

bool TableFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
  const FilterValueSource* typed = typedSource();
  if (m_expression.isValid()) return typed && m_expression.matches(*typed, sourceRow);
  if (m_plainFilter.isEmpty()) return true;
  if (typed) return typedRowMatches(sourceRow, m_plainFilter);
  QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
  return index.data().toString().contains(m_plainFilter, Qt::CaseInsensitive);
}

bool TableFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
  if (typedSource() && left.column() == right.column())
    return typedLessThan(left.row(), right.row(), left.column());
  return untypedLessThan(left, right);
}

bool TableFilterProxy::untypedLessThan(const QModelIndex& left, const QModelIndex& right) const {
  return QSortFilterProxyModel::lessThan(left, right);
}

}  // namespace netlens::app::models
