// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractProxyModel>
#include <QList>
#include <QPersistentModelIndex>
#include <QString>

#include <cstdint>
#include <vector>

#include "app/models/filter_expression.h"
#include "app/models/keyed_row_sort.h"

namespace netlens::app::models {

/// What HostFilterProxy and ConnectionFilterProxy share: a flat sorting and filtering proxy
/// that sorts on a raw-value role and keeps the rows whose filter is plain text (a
/// case-insensitive substring; empty shows every row) or, when it starts with `(`, a
/// FilterExpression over the table's columns. With the table model it is made for as its
/// source, both run on the model's typed fast paths instead of building QVariants for every
/// row; with any other source plain text matches the first column and every expression fails
/// to parse (there are no typed cells to name).
///
/// Why not QSortFilterProxyModel: it compares two QModelIndex through three virtual calls per
/// comparison and re-sorts everything on each bulk change, which for 10^6 rows takes seconds.
/// This proxy keeps the order as plain arrays (every source row in sort order, the proxy rows
/// and their inverse), sorts ints on the model's cached keys, and on a change of k rows takes
/// them out of the order and merges them back in (O(n + k log k)). Equal keys keep model
/// order, in either direction, so an incremental update gives exactly what a full sort gives.
/// Row moves reach views as layout changes with persistent indexes updated; rows that enter
/// or leave the filter as row insertions and removals at the end of the table.
///
/// Thread: GUI thread only. Does not own its source model.
class TableFilterProxy : public QAbstractProxyModel {
  Q_OBJECT

 public:
  ~TableFilterProxy() override;

  void setSourceModel(QAbstractItemModel* model) override;

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  QModelIndex sibling(int row, int column, const QModelIndex& idx) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  bool hasChildren(const QModelIndex& parent = {}) const override;
  QModelIndex mapToSource(const QModelIndex& proxyIndex) const override;
  QModelIndex mapFromSource(const QModelIndex& sourceIndex) const override;
  /// Sorts on `column` (model order when it is negative) and keeps that order through
  /// every later change of the source.
  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

  int sortColumn() const { return m_sortColumn; }
  Qt::SortOrder sortOrder() const { return m_sortOrder; }
  int sortRole() const { return m_sortRole; }

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
  /// Sorts on `sortRole` (the model's raw-value role).
  TableFilterProxy(int sortRole, QObject* parent);

  /// The source as typed cells when it is the table model this proxy is made for, or null.
  virtual const FilterValueSource* typedSource() const = 0;
  /// The columns expressions may name when typedSource() is not null.
  virtual const FilterColumns& typedColumns() const = 0;
  /// The typed source's plain-text match of `row` (only called when typedSource() is set).
  virtual bool typedRowMatches(int row, const QString& needle) const = 0;
  /// The typed source's comparison on a column (only called when typedSource() is set).
  virtual bool typedLessThan(int leftRow, int rightRow, int column) const = 0;
  /// The typed source's per-row sort keys of `column`, ordered like its values, or null when
  /// it has none. `*exact` says whether equal keys mean equal values; if not, rows with equal
  /// keys are compared with typedLessThan(). Only called when typedSource() is set.
  virtual const std::vector<std::uint64_t>* typedSortKeys(int column, bool* exact) const;
  /// For a column whose typedSortKeys() are not exact: how many further key levels
  /// typedSubKey() offers before rows with equal keys are compared with typedLessThan().
  virtual int typedSubKeyLevels(int column) const;
  /// The key of `row` at `level` (1 .. typedSubKeyLevels(column)): among rows whose keys of
  /// the lower levels are equal, ordered like their values. Returns false when the keys up to
  /// `level` hold the whole value, so that two such rows with equal keys have equal values.
  virtual bool typedSubKey(int row, int column, int level, std::uint64_t* key) const;
  /// The source rows (ascending) behind the whole-table dataChanged being emitted, when the
  /// typed source says which rows really changed; null if unknown (then every row counts).
  virtual const std::vector<int>* typedChangedRows() const;
  /// Whether the typed source is in the middle of an update that announces its changed rows
  /// once more at its end (KeyedTableModel::isSlicedUpdateOpen()): until then their changes
  /// are forwarded to views in place, and their filter and sort position are left as they
  /// were, to be settled once at the end instead of once per slice.
  virtual bool typedDefersOrder() const;
  /// The comparison when the typed one does not apply: the sort role's values as QVariants.
  virtual bool untypedLessThan(const QModelIndex& left, const QModelIndex& right) const;

 private:
  /// Whether source row `sourceRow` passes the filter in effect.
  bool acceptsRow(int sourceRow) const;
  /// Sorts `rows` (source rows) in the proxy's order: the sort column's value in the sort
  /// order, then model order.
  void sortRows(std::vector<int>& rows) const;
  /// sortRows() on the typed source's keys: a radix sort, then the rows whose keys are equal
  /// by their sub-keys (for prefix keys). `rows` ascending.
  void sortRowsOnKeys(std::vector<int>& rows, const std::vector<std::uint64_t>& keys,
                      bool exact) const;
  /// Orders items[0, count), whose keys of the levels below `level` are all equal.
  void settleTies(detail::KeyedRow* items, std::size_t count, int level) const;
  /// Merges m_sorted's two sorted runs [0, middle) and [middle, end) into one.
  void mergeSorted(std::size_t middle);
  /// Calls `fn` with the proxy's order as a strict weak (in fact total) "comes before" on
  /// source rows, picked once per sort instead of once per comparison.
  template <typename Fn>
  void withOrdering(const Fn& fn) const;
  /// Rebuilds every array from the source (inside a reset, or to compute a new order).
  void rebuildAll();
  /// Re-reads the filter and sort position of the (ascending, unique) source rows `changed`.
  void updateRows(const std::vector<int>& changed);
  /// m_sorted without the rows the filter hides.
  std::vector<int> visibleOrder() const;
  /// Shows `order` (source rows) instead of the current rows: rows gone are moved to the end
  /// and removed, new rows are inserted at the end, then one layout change sorts them all.
  void showOrder(std::vector<int> order);
  /// A layout change to `order`, which holds the same rows as the current one.
  void relayout(std::vector<int> order);
  /// Sets m_order to `order` and rebuilds its inverse.
  void setOrder(std::vector<int> order);
  void setError(const FilterParseError& error);
  const FilterColumns& columns() const;

  void onSourceDataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight,
                           const QList<int>& roles);
  void onSourceRowsAboutToBeRemoved(const QModelIndex& parent, int first, int last);
  void onSourceRowsRemoved(const QModelIndex& parent, int first, int last);
  void onSourceRowsInserted(const QModelIndex& parent, int first, int last);
  void onSourceLayoutAboutToBeChanged();
  void onSourceLayoutChanged();
  void onSourceHeaderDataChanged(Qt::Orientation orientation, int first, int last);

  int m_sortRole;
  int m_sortColumn = -1;
  Qt::SortOrder m_sortOrder = Qt::AscendingOrder;

  std::vector<int> m_sorted;         ///< every source row, in the proxy's order
  std::vector<std::uint8_t> m_pass;  ///< by source row: whether it passes the filter
  std::vector<int> m_order;          ///< by proxy row: its source row
  std::vector<int> m_rowOfSource;    ///< by source row: its proxy row, or -1 when hidden
  int m_columnCount = 0;
  /// Across a layout change of the source: the source indexes behind our persistent ones.
  QList<QPersistentModelIndex> m_layoutSources;
  QModelIndexList m_layoutProxies;
  QList<QMetaObject::Connection> m_connections;

  QString m_text;                 ///< as last given, trimmed
  QString m_rawText;              ///< as last given
  QString m_plainFilter;          ///< the substring in effect (when no expression is)
  FilterExpression m_expression;  ///< the expression in effect, if any
  FilterParseError m_error;
};

}  // namespace netlens::app::models
