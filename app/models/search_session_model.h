// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractTableModel>
#include <QLocale>
#include <QString>

#include <vector>

#include "app/models/filter_expression.h"
#include "shared/protocol/messages.h"

namespace netlens::app::models {

/// The sessions a search found, all nodes' answers merged, one row per node and session
/// (the same 5-tuple seen by two nodes is two rows: the node column says where each is).
/// A node's answer replaces its rows. Display strings are built when asked; `RawRole`
/// gives the value sorted on (numbers, addresses in numeric order with IPv4 first, times in
/// nanoseconds), and the typed accessors serve filter expressions (SearchSessionFilterProxy).
///
/// Thread: GUI thread only.
class SearchSessionModel : public QAbstractTableModel, public FilterValueSource {
  Q_OBJECT

 public:
  enum Column {
    Node,
    Protocol,
    A,
    APort,
    B,
    BPort,
    Packets,
    Bytes,
    FirstSeen,
    LastSeen,
    Sources,  ///< the capture sources of its packets on that node
    ColumnCount
  };
  enum Role : int {
    RawRole = Qt::UserRole,  ///< unformatted value for sorting
  };

  /// One row; also what the CSV writer copies.
  struct Row {
    QString nodeId;
    QString nodeName;
    protocol::SearchSession session;
  };

  explicit SearchSessionModel(QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  /// Replaces the rows of `nodeId` with `sessions` (the node's whole answer).
  void setNodeSessions(const QString& nodeId, const QString& nodeName,
                       const std::vector<protocol::SearchSession>& sessions);
  /// Removes every row.
  void clear();
  /// The row (precondition: 0 <= row < rowCount()).
  const Row& row(int row) const { return m_rows[static_cast<std::size_t>(row)]; }
  /// Re-reads header texts and number formats after a language change.
  void retranslate();

  /// Comparison of two rows on a column's raw value (what RawRole returns).
  bool lessThan(int leftRow, int rightRow, int column) const;
  /// True when an address, the protocol or the node name of the row contains `needle`
  /// (case-insensitive).
  bool rowMatches(int row, const QString& needle) const;

  /// The names filter expressions use for this table's columns.
  static const FilterColumns& filterColumns();
  double cellNumber(int row, int column, int index) const override;
  QString cellText(int row, int column, int index) const override;
  net::IpAddress cellAddress(int row, int column, int index) const override;
  std::int64_t cellTime(int row, int column, int index) const override;

  /// Copies of the given rows, for writing off the GUI thread.
  std::vector<Row> exportRows(const std::vector<int>& rows) const;
  /// The CSV text of a cell: raw numbers, ISO 8601 UTC times. Thread: any (pure).
  static QString exportText(const Row& row, int column);

 private:
  QVariant displayValue(const Row& row, int column) const;
  QVariant rawValue(const Row& row, int column) const;

  std::vector<Row> m_rows;
  QLocale m_locale;
};

}  // namespace netlens::app::models
