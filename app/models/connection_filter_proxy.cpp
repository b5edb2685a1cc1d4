// SPDX-License-Identifier: MIT
#include "app/models/connection_filter_proxy.h"

#include "app/models/connection_table_model.h"

namespace netlens::app::models {

ConnectionFilterProxy::ConnectionFilterProxy(QObject* parent)
    : TableFilterProxy(ConnectionTableModel::RawRole, parent) {}

void ConnectionFilterProxy::setSourceModel(QAbstractItemModel* model) {
  m_connections = qobject_cast<ConnectionTableModel*>(model);
  TableFilterProxy::setSourceModel(model);
}

const FilterValueSource* ConnectionFilterProxy::typedSource() const {
  return m_connections;
}

const FilterColumns& ConnectionFilterProxy::typedColumns() const {
  return ConnectionTableModel::filterColumns();
}

bool ConnectionFilterProxy::typedRowMatches(int row, const QString& needle) const {
  return m_connections->rowMatches(row, needle);
}

bool ConnectionFilterProxy::typedLessThan(int leftRow, int rightRow, int column) const {
  return m_connections->lessThan(leftRow, rightRow, column);
}

const std::vector<int>* ConnectionFilterProxy::typedChangedRows() const {
  return m_connections->changedRowsHint();
}

}  // namespace netlens::app::models
