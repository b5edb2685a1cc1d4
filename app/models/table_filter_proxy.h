// SPDX-License-Identifier: MIT
#pragma once

#include <QSortFilterProxyModel>
#include <QString>

#include "app/models/filter_expression.h"

namespace netlens::app::models {

/// What HostFilterProxy and ConnectionFilterProxy share: sorting on a raw-value role and a
/// filter that is plain text (a case-insensitive substring; empty shows every row) or, when
/// it starts with `(`, a FilterExpression over the table's columns. With the table model it
/// is made for as its source, both run on the model's typed fast paths instead of building
/// QVariants for every row; with any other source plain text matches the first column and
/// every expression fails to parse (there are no typed cells to name).
///
/// Thread: GUI thread only. Does not own its source model.
class TableFilterProxy : public QSortFilterProxyModel {
  Q_OBJECT

 public:
  /// The text last given to setFilterText() (trimmed), whether or not it is in effect.
  QString filterText() const { return m_text; }
  /// Sets the filter. While an expression does not parse, the filter in effect stays and
  /// filterError() says why. Returns whether `text` is now in effect.
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
  /// Sorts on `sortRole` (the model's raw-value role), dynamically.
  TableFilterProxy(int sortRole, QObject* parent);

  /// The source as typed cells when it is the table model this proxy is made for, or null.
  virtual const FilterValueSource* typedSource() const = 0;
  /// The columns expressions may name when typedSource() is not null.
  virtual const FilterColumns& typedColumns() const = 0;
  /// The typed source's plain-text match of `row` (only called when typedSource() is set).
  virtual bool typedRowMatches(int row, const QString& needle) const = 0;
  /// The typed source's comparison on a column (only called when typedSource() is set).
  virtual bool typedLessThan(int leftRow, int rightRow, int column) const = 0;
  /// The comparison when the typed one does not apply; QSortFilterProxyModel's by default.
  virtual bool untypedLessThan(const QModelIndex& left, const QModelIndex& right) const;

  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
  bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

 private:
  void setError(const FilterParseError& error);
  const FilterColumns& columns() const;

  QString m_text;                 ///< as last given, trimmed
  QString m_rawText;              ///< as last given
  QString m_plainFilter;          ///< the substring in effect (when no expression is)
  FilterExpression m_expression;  ///< the expression in effect, if any
  FilterParseError m_error;
};

}  // namespace netlens::app::models
