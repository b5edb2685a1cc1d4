// SPDX-License-Identifier: MIT
#pragma once

#include <QSortFilterProxyModel>
#include <QString>

#include "app/models/filter_expression.h"

namespace netlens::app::models {

class ConnectionTableModel;

/// Sorts ConnectionTableModel rows on their raw values (counters as numbers, addresses
/// numerically with IPv4 first, handshake times with "none" first) and keeps the rows that
/// pass the filter: plain text matches a part of either address, the application, the
/// state or the node name; text starting with `(` is a FilterExpression over
/// ConnectionTableModel::filterColumns(). Works like HostFilterProxy.
///
/// Thread: GUI thread only. Does not own its source model.
class ConnectionFilterProxy : public QSortFilterProxyModel {
  Q_OBJECT

 public:
  explicit ConnectionFilterProxy(QObject* parent = nullptr);

  void setSourceModel(QAbstractItemModel* model) override;

  /// The text last given to setFilterText() (trimmed), whether or not it is in effect.
  QString filterText() const { return m_text; }
  /// As HostFilterProxy::setFilterText: returns whether `text` is now in effect; a failing
  /// expression leaves the previous filter in effect and sets filterError().
  bool setFilterText(const QString& text);
  FilterParseError filterError() const { return m_error; }
  /// Parses a failing expression again, so that its message follows a language change.
  void retranslate();

 signals:
  /// The parse error changed; an empty message means the text is in effect.
  void filterErrorChanged(const QString& message);

 protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
  bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

 private:
  void setError(const FilterParseError& error);
  const FilterColumns& columns() const;

  ConnectionTableModel* m_connections = nullptr;  ///< the source when it is one
  QString m_text;
  QString m_rawText;
  QString m_plainFilter;
  FilterExpression m_expression;
  FilterParseError m_error;
};

}  // namespace netlens::app::models
