// SPDX-License-Identifier: MIT
#include "app/models/search_session_filter_proxy.h"

namespace netlens::app::models {

SearchSessionFilterProxy::SearchSessionFilterProxy(QObject* parent)
    : TableFilterProxy(SearchSessionModel::RawRole, parent) {}

void SearchSessionFilterProxy::setSourceModel(QAbstractItemModel* model) {
  m_sessions = qobject_cast<SearchSessionModel*>(model);
  TableFilterProxy::setSourceModel(model);
}

const FilterValueSource* SearchSessionFilterProxy::typedSource() const {
  return m_sessions;
}

const FilterColumns& SearchSessionFilterProxy::typedColumns() const {
  return SearchSessionModel::filterColumns();
}

bool SearchSessionFilterProxy::typedRowMatches(int row, const QString& needle) const {
  return m_sessions->rowMatches(row, needle);
}

bool SearchSessionFilterProxy::typedLessThan(int leftRow, int rightRow, int column) const {
  return m_sessions->lessThan(leftRow, rightRow, column);
}

}  // namespace netlens::app::models
