// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractTableModel>
#include <QList>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include "app/models/row_ranges.h"

namespace netlens::app::models {

/// The row bookkeeping of a flat table model whose rows are identified by a key: rows in
/// insertion order, each knowing its own row number, found by key in O(1), and the batched
/// announcements of a live table — changed rows as few dataChanged ranges as possible (one
/// whole-table range when more than half changed or the changes are scattered over more than
/// kMaxChangeRanges ranges), appended rows as one insert, removed
/// rows range by range (a reset past kMaxRemoveRanges ranges).
///
/// `Row` needs a `Key key` member and an `int row` member (its position in rows(), kept up
/// to date here). `Row` may be incomplete where this header is included, as long as the
/// derived model's constructor and destructor are defined where it is complete.
///
/// Thread: GUI thread only, like any model. Owns its rows.
template <typename Row, typename Key, typename KeyHash>
class KeyedTableModel : public QAbstractTableModel {
 public:
  int rowCount(const QModelIndex& parent = {}) const override {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
  }
  int columnCount(const QModelIndex& parent = {}) const override {
    return parent.isValid() ? 0 : m_columnCount;
  }

  /// While the whole-table dataChanged of a many-row update is being emitted: the rows that
  /// really changed (ascending); null otherwise. A sorting proxy moves only those rows
  /// instead of re-sorting the table.
  const std::vector<int>* changedRowsHint() const { return m_changedRowsHint; }

  /// While a sliced update is open, rows change slice by slice, each slice announced by
  /// dataChanged as usual, but no row is inserted or removed, and the update ends with one
  /// whole-table dataChanged whose changedRowsHint() names every row it changed. A sorting or
  /// filtering proxy may then forward the slices' changes without moving any row and re-sort
  /// (and re-filter) once, at the end.
  bool isSlicedUpdateOpen() const { return m_slicedUpdateOpen; }

 protected:
  /// Beyond this many separate removal ranges in one update, a reset is cheaper for views
  /// than thousands of rowsRemoved signals.
  static constexpr std::size_t kMaxRemoveRanges = 2000;
  /// Beyond this many separate changed ranges in one update, one whole-table range (with
  /// changedRowsHint() naming the rows) is cheaper: a sorting proxy handles each range with a
  /// pass over its whole order, so k scattered ranges would cost it k passes over the table,
  /// while one hinted range costs a single pass.
  static constexpr std::size_t kMaxChangeRanges = 64;

  KeyedTableModel(int columnCount, QObject* parent)
      : QAbstractTableModel(parent), m_columnCount(columnCount) {}

  /// Precondition: 0 <= row < rowCount().
  const Row& rowAt(int row) const { return *m_rows[static_cast<std::size_t>(row)]; }
  /// The row with `key`, or null.
  Row* findRow(const Key& key) const {
    auto it = m_rowOfKey.find(key);
    return it == m_rowOfKey.end() ? nullptr : it->second;
  }
  const std::vector<std::unique_ptr<Row>>& rows() const { return m_rows; }

  /// Makes `row` findable by its key before it is appended (a key listed twice in one
  /// update then finds the row of its first listing). No-op if the key is known.
  void registerKey(Row& row) { m_rowOfKey.emplace(row.key, &row); }

  /// Announces changes of `rows` (model row numbers, any order; sorted here) in
  /// [firstColumn, lastColumn]. If given, `applyRange(first, last)` is called just before
  /// the announcement of rows first..last (ascending, each row once) to give them their new
  /// values: a sorting proxy re-sorts only the rows of the announced range and takes all
  /// others for unchanged, so rows of later ranges must not change before their turn.
  void emitRowsChanged(std::vector<int>& rows, int firstColumn, int lastColumn,
                       const QList<int>& roles = {},
                       const std::function<void(int, int)>& applyRange = {}) {
    if (rows.empty()) return;
    const auto apply = [&](int first, int last) {
      if (applyRange) applyRange(first, last);
    };
    // qBittorrent's rule: past half the table, one range is cheaper than many.
    if (rows.size() * 2 > m_rows.size()) {
      std::sort(rows.begin(), rows.end());
      apply(0, rowCount() - 1);
      return emitTableChanged(rows, firstColumn, lastColumn, roles);
    }
    const std::vector<std::pair<int, int>> ranges = contiguousRanges(rows);
    if (ranges.size() > kMaxChangeRanges) {
      apply(0, rowCount() - 1);
      return emitTableChanged(rows, firstColumn, lastColumn, roles);
    }
    for (const auto& [first, last] : ranges) {
      apply(first, last);
      emit dataChanged(index(first, firstColumn), index(last, lastColumn), roles);
    }
  }

  /// Opens or closes a sliced update (see isSlicedUpdateOpen()); announces nothing.
  void setSlicedUpdateOpen(bool open) { m_slicedUpdateOpen = open; }

  /// Announces that `rows` (ascending) changed in [firstColumn, lastColumn]: one whole-table
  /// range, during which changedRowsHint() returns `rows`.
  void emitTableChanged(const std::vector<int>& rows, int firstColumn, int lastColumn,
                        const QList<int>& roles = {}) {
    if (m_rows.empty()) return;
    m_changedRowsHint = &rows;
    emit dataChanged(index(0, firstColumn), index(rowCount() - 1, lastColumn), roles);
    m_changedRowsHint = nullptr;
  }

  /// Announces a change of `roles` in the columns [firstColumn, lastColumn] of every row.
  void emitColumnsChanged(int firstColumn, int lastColumn, const QList<int>& roles = {}) {
    if (!m_rows.empty())
      emit dataChanged(index(0, firstColumn), index(rowCount() - 1, lastColumn), roles);
  }

  /// Appends `added` with one insert and makes each findable by its key.
  void appendRows(std::vector<std::unique_ptr<Row>>& added) {
    if (added.empty()) return;
    const int first = rowCount();
    beginInsertRows({}, first, first + static_cast<int>(added.size()) - 1);
    m_rows.reserve(m_rows.size() + added.size());
    for (auto& row : added) {
      row->row = static_cast<int>(m_rows.size());
      registerKey(*row);
      m_rows.push_back(std::move(row));
    }
    endInsertRows();
  }

  /// Removes `rows` (model row numbers, unique, any order; sorted here).
  void removeRowList(std::vector<int>& rows) {
    if (rows.empty()) return;
    const std::vector<std::pair<int, int>> ranges = contiguousRanges(rows);
    if (ranges.size() > kMaxRemoveRanges) {
      beginResetModel();
      for (int row : rows) {
        m_rowOfKey.erase(m_rows[static_cast<std::size_t>(row)]->key);
        m_rows[static_cast<std::size_t>(row)].reset();
      }
      m_rows.erase(std::remove(m_rows.begin(), m_rows.end(), nullptr), m_rows.end());
      renumberFrom(0);
      endResetModel();
      return;
    }
    // Highest range first, so the lower row numbers stay valid while we go.
    for (auto it = ranges.rbegin(); it != ranges.rend(); ++it) {
      beginRemoveRows({}, it->first, it->second);
      for (int row = it->first; row <= it->second; ++row)
        m_rowOfKey.erase(m_rows[static_cast<std::size_t>(row)]->key);
      m_rows.erase(m_rows.begin() + it->first, m_rows.begin() + it->second + 1);
      endRemoveRows();
    }
    renumberFrom(ranges.front().first);
  }

  /// For rebuilding the table between beginResetModel() and endResetModel(): forgets every
  /// row without announcing anything.
  void clearRowsInReset() {
    m_rows.clear();
    m_rowOfKey.clear();
  }
  /// For rebuilding the table between beginResetModel() and endResetModel(): appends `row`
  /// without announcing it.
  void appendRowInReset(std::unique_ptr<Row> row) {
    row->row = static_cast<int>(m_rows.size());
    registerKey(*row);
    m_rows.push_back(std::move(row));
  }

 private:
  void renumberFrom(int row) {
    for (std::size_t i = static_cast<std::size_t>(row); i < m_rows.size(); ++i)
      m_rows[i]->row = static_cast<int>(i);
  }

  int m_columnCount;
  std::vector<std::unique_ptr<Row>> m_rows;  ///< model row order (insertion order)
  std::unordered_map<Key, Row*, KeyHash> m_rowOfKey;
  const std::vector<int>* m_changedRowsHint = nullptr;
  bool m_slicedUpdateOpen = false;
};

}  // namespace netlens::app::models
