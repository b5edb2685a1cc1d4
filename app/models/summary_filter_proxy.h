// SPDX-License-Identifier: MIT
#pragma once

#include <QPointer>

#include "app/models/summary_table_model.h"
#include "app/models/table_filter_proxy.h"

namespace netlens::app::models {

/// The TableFilterProxy of a SummaryTableModel: sorts on the raw values and filters with the
/// model's plain-text match or an expression over its columns (named after its headers; see
/// SummaryTableModel). Its columns are the model's own, so one proxy class serves every
/// summary table (IP detail tabs, groups, VoIP streams).
///
/// Thread: GUI thread only. Does not own its source model.
class SummaryFilterProxy : public TableFilterProxy {
 public:
  explicit SummaryFilterProxy(QObject* parent = nullptr)
      : TableFilterProxy(SummaryTableModel::RawRole, parent) {}

  void setSourceModel(QAbstractItemModel* model) override {
    m_model = qobject_cast<SummaryTableModel*>(model);
    TableFilterProxy::setSourceModel(model);
  }

 protected:
  const FilterValueSource* typedSource() const override { return m_model; }
  const FilterColumns& typedColumns() const override {
    static const FilterColumns kNone;
    return m_model ? m_model->filterColumns() : kNone;
  }
  bool typedRowMatches(int row, const QString& needle) const override {
    return m_model->rowMatches(row, needle);
  }
  bool typedLessThan(int leftRow, int rightRow, int column) const override {
    return m_model->lessThan(leftRow, rightRow, column);
  }

 private:
  QPointer<SummaryTableModel> m_model;
};

}  // namespace netlens::app::models
