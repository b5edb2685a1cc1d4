// SPDX-License-Identifier: MIT
#include "app/models/connection_filter_proxy.h"

#include "app/models/connection_table_model.h"

namespace netlens::app::models {

ConnectionFilterProxy::ConnectionFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
  setSortRole(ConnectionTableModel::RawRole);
  setDynamicSortFilter(true);
}

void ConnectionFilterProxy::setSourceModel(QAbstractItemModel* model) {
  m_connections = qobject_cast<ConnectionTableModel*>(model);
  QSortFilterProxyModel::setSourceModel(model);
}

const FilterColumns& ConnectionFilterProxy::columns() const {
  static const FilterColumns none;
  // Expressions need typed cells; other sources offer no columns, so every name fails.
  return m_connections ? ConnectionTableModel::filterColumns() : none;
}

bool ConnectionFilterProxy::setFilterText(const QString& text) {
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
      setError(error);
      return false;
    }
    m_expression = std::move(expression);
    m_plainFilter.clear();
  }
  setError({});
  invalidateRowsFilter();
  return true;
}

void ConnectionFilterProxy::retranslate() {
  if (!m_error.isError()) return;
  FilterParseError error;
  FilterExpression::parse(m_rawText, columns(), &error);
  setError(error);
}

void ConnectionFilterProxy::setError(const FilterParseError& error) {
  if (error.message == m_error.message && error.position == m_error.position) return;
  m_error = error;
  emit filterErrorChanged(m_error.message);
}

bool ConnectionFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
  if (m_expression.isValid())
    return m_connections && m_expression.matches(*m_connections, sourceRow);
  if (m_plainFilter.isEmpty()) return true;
  if (m_connections) return m_connections->rowMatches(sourceRow, m_plainFilter);
  QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
  return index.data().toString().contains(m_plainFilter, Qt::CaseInsensitive);
}

bool ConnectionFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
  if (m_connections && left.column() == right.column())
    return m_connections->lessThan(left.row(), right.row(), left.column());
  return QSortFilterProxyModel::lessThan(left, right);
}

}  // namespace netlens::app::models
