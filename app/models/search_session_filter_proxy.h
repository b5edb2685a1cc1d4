// SPDX-License-Identifier: MIT
#pragma once

#include <QPointer>

#include "app/models/search_session_model.h"
#include "app/models/table_filter_proxy.h"

namespace netlens::app::models {

/// Sorts SearchSessionModel rows on their raw values and keeps the rows that pass the filter
/// (see TableFilterProxy): plain text matches a part of either address, the protocol or the
/// node name; text starting with `(` is a FilterExpression over
/// SearchSessionModel::filterColumns().
///
/// Thread: GUI thread only. Does not own its source model.
class SearchSessionFilterProxy : public TableFilterProxy {
  Q_OBJECT

 public:
  explicit SearchSessionFilterProxy(QObject* parent = nullptr);

  void setSourceModel(QAbstractItemModel* model) override;

 protected:
  const FilterValueSource* typedSource() const override;
  const FilterColumns& typedColumns() const override;
  bool typedRowMatches(int row, const QString& needle) const override;
  bool typedLessThan(int leftRow, int rightRow, int column) const override;

 private:
  QPointer<SearchSessionModel> m_sessions;  ///< the source when it is one
};

}  // namespace netlens::app::models
