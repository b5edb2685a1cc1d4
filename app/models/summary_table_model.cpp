// SPDX-License-Identifier: MIT
#include "app/models/summary_table_model.h"

#include <QDateTime>

#include "app/models/connection_table_model.h"
#include "app/models/csv_time.h"
#include "app/models/host_table_model.h"

namespace netlens::app::models {

SummaryTableModel::SummaryTableModel(QVector<Kind> kinds, QObject* parent)
    : QAbstractTableModel(parent), m_kinds(std::move(kinds)) {}

void SummaryTableModel::setHeaders(const QStringList& headers) {
  m_headers = headers;
  std::vector<FilterColumn> columns;
  QStringList used;
  for (int c = 0; c < m_kinds.size() && c < headers.size(); ++c) {
    QString key;
    for (const QChar ch : headers[c].toLower()) {
      if (ch.isLetterOrNumber()) {
        key += ch;
      } else if (!key.isEmpty() && !key.endsWith(QLatin1Char('_'))) {
        key += QLatin1Char('_');
      }
    }
    while (key.endsWith(QLatin1Char('_'))) key.chop(1);
    if (key.isEmpty()) key = QStringLiteral("column");
    const QString base = key;
    for (int n = 2; used.contains(key); ++n) key = base + QLatin1Char('_') + QString::number(n);
    used << key;
    const Kind kind = m_kinds[c];
    // Numbers and times may be absent (an empty cell): list columns of 0 or 1 value, so that
    // an empty cell matches neither `< x` nor `> x`, as in the connections table.
    const FilterValueType type = kind == Kind::Text   ? FilterValueType::Text
                                 : kind == Kind::Time ? FilterValueType::Time
                                                      : FilterValueType::Number;
    columns.push_back({key, {}, c, type, kind != Kind::Text});
  }
  m_filterColumns = FilterColumns(std::move(columns));
  if (!m_kinds.isEmpty()) emit headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
}

void SummaryTableModel::setRows(QVector<Row> rows) {
  QHash<QString, int> incoming;
  for (int i = 0; i < rows.size(); ++i) incoming.insert(rows[i].key, i);
  // Remove vanished rows, from the bottom so the indexes above stay valid.
  for (int row = m_rows.size() - 1; row >= 0; --row) {
    if (incoming.contains(m_rows[row].key)) continue;
    beginRemoveRows(QModelIndex(), row, row);
    m_rows.removeAt(row);
    endRemoveRows();
  }
  m_index.clear();
  for (int row = 0; row < m_rows.size(); ++row) m_index.insert(m_rows[row].key, row);
  // Update kept rows in place, one dataChanged per changed row.
  QVector<Row> added;
  for (Row& r : rows) {
    const auto it = m_index.constFind(r.key);
    if (it == m_index.constEnd()) {
      added.push_back(std::move(r));
      continue;
    }
    Row& mine = m_rows[*it];
    if (mine.values == r.values) continue;
    r.values.resize(m_kinds.size());
    mine.values = std::move(r.values);
    emit dataChanged(index(*it, 0), index(*it, columnCount() - 1));
  }
  if (!added.isEmpty()) {
    beginInsertRows(QModelIndex(), m_rows.size(), m_rows.size() + added.size() - 1);
    for (Row& r : added) {
      r.values.resize(m_kinds.size());
      m_index.insert(r.key, m_rows.size());
      m_rows.push_back(std::move(r));
    }
    endInsertRows();
  }
}

int SummaryTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int SummaryTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_kinds.size());
}

QVariant SummaryTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= m_rows.size() || index.column() >= m_kinds.size())
    return {};
  const Row& r = m_rows[index.row()];
  const QVariant& value = r.values[index.column()];
  switch (role) {
    case Qt::DisplayRole:
      return format(m_locale, m_kinds[index.column()], value);
    case Qt::ToolTipRole:
      if (m_kinds[index.column()] == Kind::Bytes)
        return tr("%1 bytes").arg(m_locale.toString(value.toULongLong()));
      return {};
    case Qt::TextAlignmentRole:
      return m_kinds[index.column()] == Kind::Text ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                                   : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case RawRole:
      return value;
    case KeyRole:
      return r.key;
    default:
      return {};
  }
}

QVariant SummaryTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 ||
      section >= m_headers.size())
    return QAbstractTableModel::headerData(section, orientation, role);
  return m_headers[section];
}

bool SummaryTableModel::rowMatches(int row, const QString& needle) const {
  if (row < 0 || row >= m_rows.size()) return false;
  const Row& r = m_rows[row];
  for (int c = 0; c < m_kinds.size(); ++c)
    if (format(m_locale, m_kinds[c], r.values[c]).contains(needle, Qt::CaseInsensitive))
      return true;
  return false;
}

bool SummaryTableModel::lessThan(int leftRow, int rightRow, int column) const {
  const QVariant& a = m_rows[leftRow].values[column];
  const QVariant& b = m_rows[rightRow].values[column];
  switch (m_kinds[column]) {
    case Kind::Text:
      return a.toString().compare(b.toString(), Qt::CaseInsensitive) < 0;
    case Kind::Count:
      return a.toULongLong() < b.toULongLong();
    case Kind::Time:
    case Kind::Duration:
    case Kind::Bytes:
      return a.toLongLong() < b.toLongLong();
    case Kind::BitRate:
    case Kind::Percent:
      return a.toDouble() < b.toDouble();
  }
  return false;
}

int SummaryTableModel::cellValueCount(int row, int column) const {
  const QVariant& v = m_rows[row].values[column];
  if (!v.isValid() || v.isNull()) return 0;
  const Kind kind = m_kinds[column];
  if (kind == Kind::Time && v.toLongLong() == 0) return 0;     // never
  if (kind == Kind::Duration && v.toLongLong() < 0) return 0;  // not measured
  return 1;
}

double SummaryTableModel::cellNumber(int row, int column, int) const {
  return m_rows[row].values[column].toDouble();
}

QString SummaryTableModel::cellText(int row, int column, int) const {
  return m_rows[row].values[column].toString();
}

std::int64_t SummaryTableModel::cellTime(int row, int column, int) const {
  return m_rows[row].values[column].toLongLong();
}

QString SummaryTableModel::exportText(Kind kind, const QVariant& value) {
  if (kind == Kind::Text) return value.toString();
  if (!value.isValid() || value.isNull()) return {};
  if (kind == Kind::Time) return csvTime(value.toLongLong());
  if (kind == Kind::BitRate || kind == Kind::Percent)
    return QString::number(value.toDouble(), 'g', 12);
  return value.toString();
}

QString SummaryTableModel::format(const QLocale& locale, Kind kind, const QVariant& value) {
  if (kind == Kind::Text) {
    // An empty name (no DPI result, no country) reads as a dash, not as a blank cell.
    const QString text = value.toString();
    return text.isEmpty() ? QStringLiteral("–") : text;
  }
  if (!value.isValid() || value.isNull()) return {};
  switch (kind) {
    case Kind::Text:
      break;
    case Kind::Count:
      return locale.toString(value.toULongLong());
    case Kind::Bytes:
      return locale.formattedDataSize(value.toLongLong(), 1, QLocale::DataSizeSIFormat);
    case Kind::BitRate:
      return HostTableModel::formatBitRate(locale, value.toDouble());
    case Kind::Time: {
      const qint64 ns = value.toLongLong();
      if (ns == 0) return {};
      return QDateTime::fromMSecsSinceEpoch(ns / 1'000'000)
          .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    }
    case Kind::Duration:
      return ConnectionTableModel::formatDuration(locale, value.toLongLong());
    case Kind::Percent:
      return locale.toString(value.toDouble(), 'f', 1) + QLatin1Char('%');
  }
  return {};
}

}  // namespace netlens::app::models
