// SPDX-License-Identifier: MIT
#pragma once

#include <QPointer>

#include "app/models/call_table_model.h"
#include "app/models/table_filter_proxy.h"

namespace netlens::app::models {

/// Sorts CallTableModel rows on their raw values and keeps the rows that pass the filter
/// (see TableFilterProxy): plain text matches a part of From, To, the state, the codecs, the
/// Call-ID or the node name; text starting with `(` is a FilterExpression over
/// CallTableModel::filterColumns().
///
/// Thread: GUI thread only. Does not own its source model.
class CallFilterProxy : public TableFilterProxy {
  Q_OBJECT

 public:
  explicit CallFilterProxy(QObject* parent = nullptr);

  void setSourceModel(QAbstractItemModel* model) override;

 protected:
  const FilterValueSource* typedSource() const override;
  const FilterColumns& typedColumns() const override;
  bool typedRowMatches(int row, const QString& needle) const override;
  bool typedLessThan(int leftRow, int rightRow, int column) const override;

 private:
  QPointer<CallTableModel> m_calls;  ///< the source when it is one
};

}  // namespace netlens::app::models
