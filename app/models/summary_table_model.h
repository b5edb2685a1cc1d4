// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QLocale>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVector>

namespace netlens::app::models {

/// A read-only table of summary rows, as the IP detail tabs show them (peers, protocols,
/// open ports, QoS classes, HTTP hosts, TLS versions...). Each column has a kind that says
/// how its raw value is shown: text, a count, bytes, bits per second, a packet time (ns since the
/// epoch) or a duration (ns). Rows have a key; setRows() replaces the content but keeps rows whose
/// key stays (dataChanged for the changed ones only), removes vanished rows and appends new ones,
/// so a view keeps its selection, sort and scroll position across updates.
///
/// Thread: GUI thread.
class SummaryTableModel : public QAbstractTableModel {
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

 private:
  QVector<Kind> m_kinds;
  QStringList m_headers;
  QVector<Row> m_rows;
  QHash<QString, int> m_index;  ///< key → row
  QLocale m_locale;
};

}  // namespace netlens::app::models
