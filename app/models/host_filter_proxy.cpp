// SPDX-License-Identifier: MIT
#include "app/models/host_filter_proxy.h"

#include "app/models/host_table_model.h"

namespace netlens::app::models {

HostFilterProxy::HostFilterProxy(QObject* parent)
    : TableFilterProxy(HostTableModel::RawRole, parent) {}

void HostFilterProxy::setSourceModel(QAbstractItemModel* model) {
  m_hosts = qobject_cast<HostTableModel*>(model);
  TableFilterProxy::setSourceModel(model);
}

const FilterValueSource* HostFilterProxy::typedSource() const {
  return m_hosts;
}

const FilterColumns& HostFilterProxy::typedColumns() const {
  return HostTableModel::filterColumns();
}

bool HostFilterProxy::typedRowMatches(int row, const QString& needle) const {
  return m_hosts->rowMatches(row, needle);
}

bool HostFilterProxy::typedLessThan(int leftRow, int rightRow, int column) const {
  return m_hosts->lessThan(leftRow, rightRow, column);
}

const std::vector<std::uint64_t>* HostFilterProxy::typedSortKeys(int column, bool* exact) const {
  *exact = !HostTableModel::isPrefixKey(column);
  return &m_hosts->sortKeys(column);
}

int HostFilterProxy::typedSubKeyLevels(int column) const {
  return HostTableModel::sortSubKeyLevels(column);
}

bool HostFilterProxy::typedSubKey(int row, int column, int level, std::uint64_t* key) const {
  return m_hosts->sortSubKey(row, column, level, key);
}

const std::vector<int>* HostFilterProxy::typedChangedRows() const {
  return m_hosts->changedRowsHint();
}

bool HostFilterProxy::typedDefersOrder() const {
  return m_hosts->isSlicedUpdateOpen();
}

bool HostFilterProxy::untypedLessThan(const QModelIndex& left, const QModelIndex& right) const {
  QVariant a = left.data(sortRole());
  QVariant b = right.data(sortRole());
  if (a.typeId() == QMetaType::QByteArray && b.typeId() == QMetaType::QByteArray)
    return a.toByteArray() < b.toByteArray();
  return TableFilterProxy::untypedLessThan(left, right);
}

}  // namespace netlens::app::models
