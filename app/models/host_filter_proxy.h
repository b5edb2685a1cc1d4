// SPDX-License-Identifier: MIT
#pragma once

#include <QSortFilterProxyModel>
#include <QString>

namespace netlens::app::models {

class HostTableModel;

/// Sorts HostTableModel rows on their raw values (HostTableModel::RawRole: 10 bytes before
/// 9 000 bytes, IPv4 before IPv6, addresses numerically) and keeps the rows whose address,
/// MAC or node name contains the filter text. With a HostTableModel source both run on the
/// model's typed fast paths instead of building QVariants for every comparison.
///
/// Thread: GUI thread only. Does not own its source model.
class HostFilterProxy : public QSortFilterProxyModel {
  Q_OBJECT

 public:
  explicit HostFilterProxy(QObject* parent = nullptr);

  void setSourceModel(QAbstractItemModel* model) override;

  QString filterText() const { return m_filterText; }
  /// Plain substring, case-insensitive; empty shows every row.
  void setFilterText(const QString& text);

 protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
  bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

 private:
  HostTableModel* m_hosts = nullptr;  ///< the source when it is a HostTableModel
  QString m_filterText;
};

}  // namespace netlens::app::models
