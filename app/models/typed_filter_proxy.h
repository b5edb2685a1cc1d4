// SPDX-License-Identifier: MIT
#pragma once

#include <QPointer>

#include "app/models/table_filter_proxy.h"

namespace netlens::app::models {

/// A TableFilterProxy over one kind of table model: sorts its rows on their raw values
/// (Model::RawRole) and filters them with Model::rowMatches() for plain text and a
/// FilterExpression over Model::filterColumns() for text starting with `(`. Model is a
/// QAbstractItemModel and a FilterValueSource with those members and lessThan(row, row,
/// column). Another source model is filtered by the base class's generic rules.
///
/// Thread: GUI thread only. Does not own its source model.
template <class Model>
class TypedFilterProxy : public TableFilterProxy {
 public:
  explicit TypedFilterProxy(QObject* parent = nullptr) : TableFilterProxy(Model::RawRole, parent) {}

  void setSourceModel(QAbstractItemModel* model) override {
    m_model = qobject_cast<Model*>(model);
    TableFilterProxy::setSourceModel(model);
  }

 protected:
  const FilterValueSource* typedSource() const override { return m_model; }
  const FilterColumns& typedColumns() const override { return Model::filterColumns(); }
  bool typedRowMatches(int row, const QString& needle) const override {
    return m_model->rowMatches(row, needle);
  }
  bool typedLessThan(int leftRow, int rightRow, int column) const override {
    return m_model->lessThan(leftRow, rightRow, column);
  }

 private:
  QPointer<Model> m_model;  ///< the source when it is one
};

}  // namespace netlens::app::models
