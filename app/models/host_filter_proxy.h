// SPDX-License-Identifier: MIT
#pragma once

#include <QSortFilterProxyModel>
#include <QString>

#include "app/models/filter_expression.h"

namespace netlens::app::models {

class HostTableModel;

/// Sorts HostTableModel rows on their raw values (HostTableModel::RawRole: 10 bytes before
/// 9 000 bytes, IPv4 before IPv6, addresses numerically) and keeps the rows that pass the
/// filter: plain text matches a substring of the address, a MAC or a node name; text
/// starting with `(` is a FilterExpression over HostTableModel::filterColumns(). With a
/// HostTableModel source both run on the model's typed fast paths instead of building
/// QVariants for every comparison.
///
/// Thread: GUI thread only. Does not own its source model.
class HostFilterProxy : public QSortFilterProxyModel {
  Q_OBJECT

 public:
  explicit HostFilterProxy(QObject* parent = nullptr);

  void setSourceModel(QAbstractItemModel* model) override;

  /// The text last given to setFilterText() (trimmed), whether or not it is in effect.
  QString filterText() const { return m_text; }
  /// Plain text: a case-insensitive substring; empty shows every row. Text starting with
  /// `(` is parsed as an expression; while it does not parse, the filter in effect stays
  /// and filterError() says why. Returns whether `text` is now in effect.
  bool setFilterText(const QString& text);
  /// Why the last text did not parse (translated); empty when it is in effect.
  FilterParseError filterError() const { return m_error; }
  /// Parses a failing expression again, so that its message follows a language change.
  void retranslate();

 signals:
  /// The parse error of the filter text changed; an empty message means the text is in
  /// effect.
  void filterErrorChanged(const QString& message);

 protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
  bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

 private:
  void setError(const FilterParseError& error);

  HostTableModel* m_hosts = nullptr;  ///< the source when it is a HostTableModel
  QString m_text;                     ///< as last given, trimmed
  QString m_rawText;                  ///< as last given
  QString m_plainFilter;              ///< the substring in effect (when no expression is)
  FilterExpression m_expression;      ///< the expression in effect, if any
  FilterParseError m_error;
};

}  // namespace netlens::app::models
