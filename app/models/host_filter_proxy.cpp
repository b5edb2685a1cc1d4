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

void HostFilterProxy::setFilterText(const QString& text) {
  QString trimmed = text.trimmed();
  if (trimmed == m_filterText) return;
  m_filterText = trimmed;
  invalidateRowsFilter();
}

bool HostFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
  if (m_filterText.isEmpty()) return true;
  if (m_hosts) return m_hosts->rowMatches(sourceRow, m_filterText);
  QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
  return index.data().toString().contains(m_filterText, Qt::CaseInsensitive);
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
