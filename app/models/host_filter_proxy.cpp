// SPDX-License-Identifier: MIT
#include "app/models/host_filter_proxy.h"

#include "app/models/host_table_model.h"

namespace netlens::app::models {

HostFilterProxy::HostFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
  setSortRole(HostTableModel::RawRole);
  setDynamicSortFilter(true);
}

void HostFilterProxy::setSourceModel(QAbstractItemModel* model) {
  m_hosts = qobject_cast<HostTableModel*>(model);
  QSortFilterProxyModel::setSourceModel(model);
}

bool HostFilterProxy::setFilterText(const QString& text) {
  const QString trimmed = text.trimmed();
  if (trimmed == m_text) return !m_error.isError();
  m_text = trimmed;
  m_rawText = text;
  if (!trimmed.startsWith(QLatin1Char('('))) {
    m_expression = {};
    m_plainFilter = trimmed;
  } else {
    // Expressions need typed cells; other sources offer no columns, so every name fails.
    FilterParseError error;
    // The untrimmed text, so that error positions count from the start of the filter box.
    FilterExpression expression = FilterExpression::parse(
        text, m_hosts ? HostTableModel::filterColumns() : FilterColumns(), &error);
    if (!expression.isValid()) {
      // Keep showing what the last good filter showed while the user is still typing.
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

void HostFilterProxy::retranslate() {
  if (!m_error.isError()) return;
  FilterParseError error;
  FilterExpression::parse(m_rawText, m_hosts ? HostTableModel::filterColumns() : FilterColumns(),
                          &error);
  setError(error);
}

void HostFilterProxy::setError(const FilterParseError& error) {
  if (error.message == m_error.message && error.position == m_error.position) return;
  m_error = error;
  emit filterErrorChanged(m_error.message);
}

bool HostFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
  if (m_expression.isValid()) return m_hosts && m_expression.matches(*m_hosts, sourceRow);
  if (m_plainFilter.isEmpty()) return true;
  if (m_hosts) return m_hosts->rowMatches(sourceRow, m_plainFilter);
  QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
  return index.data().toString().contains(m_plainFilter, Qt::CaseInsensitive);
}

bool HostFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
  if (m_hosts && left.column() == right.column())
    return m_hosts->lessThan(left.row(), right.row(), left.column());
  QVariant a = left.data(sortRole());
  QVariant b = right.data(sortRole());
  if (a.typeId() == QMetaType::QByteArray && b.typeId() == QMetaType::QByteArray)
    return a.toByteArray() < b.toByteArray();
  return QSortFilterProxyModel::lessThan(left, right);
}

}  // namespace netlens::app::models
