// SPDX-License-Identifier: MIT
#pragma once

#include <QPointer>

#include "app/models/connection_table_model.h"
#include "app/models/table_filter_proxy.h"

namespace netlens::app::models {

/// Sorts ConnectionTableModel rows on their raw values (counters as numbers, addresses
/// numerically with IPv4 first, handshake times with "none" first) and keeps the rows that
/// pass the filter (see TableFilterProxy): plain text matches a part of either address, the
/// application, the state or the node name; text starting with `(` is a FilterExpression
/// over ConnectionTableModel::filterColumns().
///
/// Thread: GUI thread only. Does not own its source model.
class ConnectionFilterProxy : public TableFilterProxy {
  Q_OBJECT

 public:
  explicit ConnectionFilterProxy(QObject* parent = nullptr);

  void setSourceModel(QAbstractItemModel* model) override;

 protected:
  const FilterValueSource* typedSource() const override;
  const FilterColumns& typedColumns() const override;
  bool typedRowMatches(int row, const QString& needle) const override;
  bool typedLessThan(int leftRow, int rightRow, int column) const override;
  const std::vector<int>* typedChangedRows() const override;

 private:
  QPointer<ConnectionTableModel> m_connections;  ///< the source when it is one
};

}  // namespace netlens::app::models
