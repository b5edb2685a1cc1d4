// SPDX-License-Identifier: MIT
#include "app/models/call_filter_proxy.h"

namespace netlens::app::models {

CallFilterProxy::CallFilterProxy(QObject* parent)
    : TableFilterProxy(CallTableModel::RawRole, parent) {}

void CallFilterProxy::setSourceModel(QAbstractItemModel* model) {
  m_calls = qobject_cast<CallTableModel*>(model);
  TableFilterProxy::setSourceModel(model);
}

const FilterValueSource* CallFilterProxy::typedSource() const {
  return m_calls;
}

const FilterColumns& CallFilterProxy::typedColumns() const {
  return CallTableModel::filterColumns();
}

bool CallFilterProxy::typedRowMatches(int row, const QString& needle) const {
  return m_calls->rowMatches(row, needle);
}

bool CallFilterProxy::typedLessThan(int leftRow, int rightRow, int column) const {
  return m_calls->lessThan(leftRow, rightRow, column);
}

}  // namespace netlens::app::models
