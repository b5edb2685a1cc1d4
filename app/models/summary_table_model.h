// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QLocale>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVector>

#include "app/models/filter_expression.h"

namespace netlens::app::models {

/// A read-only table of summary rows, as the IP detail tabs show them (peers, protocols,
/// open ports, QoS classes, HTTP hosts, TLS versions...). Each column has a kind that says
/// how its raw value is shown: text, a count, bytes, bits per second, a packet time (ns since the
/// epoch) or a duration (ns). Rows have a key; setRows() replaces the content but keeps rows whose
/// key stays (dataChanged for the changed ones only), removes vanished rows and appends new ones,
/// so a view keeps its selection, sort and scroll position across updates.
///
/// Filtering (SummaryFilterProxy): plain text matches a part of any cell as shown; an
/// expression names the columns by their headers as shown, in lower case with `_` for spaces
/// and punctuation ("Bytes sent" is `bytes_sent`), so the names follow the language. Text
/// columns compare as text, times as times and the rest as numbers (the raw values: bytes,
/// not "1.2 MB"); an empty number or time cell has no value (neither `< x` nor `> x` holds).
///
/// Thread: GUI thread.
class SummaryTableModel : public QAbstractTableModel, public FilterValueSource {
  Q_OBJECT

 public:
  enum class Kind { Text, Count, Bytes, BitRate, Time, Duration, Percent };
  enum Role : int {
    RawRole = Qt::UserRole,  ///< the raw value, for sorting and filtering
    KeyRole,                 ///< the row's key
  };
  struct Row {
    QString key;
    QVector<QVariant> values;  ///< raw values, one per column
    friend bool operator==(const Row&, const Row&) = default;
  };

  explicit SummaryTableModel(QVector<Kind> kinds, QObject* parent = nullptr);

  /// Header texts (translated by the owner, which calls this again on a language change).
  void setHeaders(const QStringList& headers);
  void setRows(QVector<Row> rows);
  const QVector<Row>& rows() const { return m_rows; }

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  int columnCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  /// How `value` of a column of `kind` reads in `locale` ("" for an absent time or duration).
  static QString format(const QLocale& locale, Kind kind, const QVariant& value);
  /// `value` of a column of `kind` in a CSV file: text as is, numbers raw, times in ISO 8601
  /// UTC with nanoseconds ("" when absent).
  static QString exportText(Kind kind, const QVariant& value);

  const QVector<Kind>& kinds() const { return m_kinds; }
  /// The columns expressions may name, from the current headers.
  const FilterColumns& filterColumns() const { return m_filterColumns; }
  /// Whether any cell of `row`, as shown, contains `needle` (ignoring case).
  bool rowMatches(int row, const QString& needle) const;
  /// The order of two rows on `column`'s raw values.
  bool lessThan(int leftRow, int rightRow, int column) const;

  int cellValueCount(int row, int column) const override;
  double cellNumber(int row, int column, int index) const override;
  QString cellText(int row, int column, int index) const override;
  std::int64_t cellTime(int row, int column, int index) const override;

 private:
  QVector<Kind> m_kinds;
  QStringList m_headers;
  QVector<Row> m_rows;
  QHash<QString, int> m_index;  ///< key → row
  FilterColumns m_filterColumns;
  QLocale m_locale;
};

}  // namespace netlens::app::models
