// SPDX-License-Identifier: MIT
#pragma once

#include <QPointer>

#include "app/models/host_table_model.h"
#include "app/models/table_filter_proxy.h"

namespace netlens::app::models {

/// Sorts HostTableModel rows on their raw values (HostTableModel::RawRole: 10 bytes before
/// 9 000 bytes, IPv4 before IPv6, addresses numerically) and keeps the rows that pass the
/// filter (see TableFilterProxy): plain text matches a substring of the address, a MAC or a
/// node name; text starting with `(` is a FilterExpression over
/// HostTableModel::filterColumns().
///
/// Thread: GUI thread only. Does not own its source model.
class HostFilterProxy : public TableFilterProxy {
  Q_OBJECT

 public:
  explicit HostFilterProxy(QObject* parent = nullptr);

  void setSourceModel(QAbstractItemModel* model) override;

 protected:
  const FilterValueSource* typedSource() const override;
  const FilterColumns& typedColumns() const override;
  bool typedRowMatches(int row, const QString& needle) const override;
  bool typedLessThan(int leftRow, int rightRow, int column) const override;
  const std::vector<std::uint64_t>* typedSortKeys(int column, bool* exact) const override;
  int typedSubKeyLevels(int column) const override;
  bool typedSubKey(int row, int column, int level, std::uint64_t* key) const override;
  const std::vector<int>* typedChangedRows() const override;
  bool typedDefersOrder() const override;
  /// Raw addresses (byte arrays) compare bytewise, not as text.
  bool untypedLessThan(const QModelIndex& left, const QModelIndex& right) const override;

 private:
  QPointer<HostTableModel> m_hosts;  ///< the source when it is a HostTableModel
};

}  // namespace netlens::app::models
