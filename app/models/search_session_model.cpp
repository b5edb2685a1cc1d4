// SPDX-License-Identifier: MIT
#include "app/models/search_session_model.h"

#include <QDateTime>
#include <QStringList>

#include <algorithm>

#include "app/models/connection_table_model.h"
#include "app/models/csv_time.h"

namespace netlens::app::models {
namespace {

QByteArray rawAddress(const net::IpAddress& ip) {
  // Family first: every IPv4 address sorts before every IPv6 address, then numerically.
  QByteArray raw(17, '\0');
  raw[0] = static_cast<char>(ip.family);
  std::copy(ip.bytes.begin(), ip.bytes.end(), raw.begin() + 1);
  return raw;
}

QString addressText(const net::IpAddress& ip) {
  return ip.isValid() ? QString::fromStdString(ip.toString()) : QString();
}

bool hasPorts(std::uint8_t protocol) {
  return protocol == 6 || protocol == 17 || protocol == 132;
}

protocol::TimeNs timeOf(const protocol::SearchSession& s, int column) {
  return column == SearchSessionModel::FirstSeen ? s.firstSeen : s.lastSeen;
}

std::uint64_t numberOf(const protocol::SearchSession& s, int column) {
  switch (column) {
    case SearchSessionModel::APort:
      return s.aPort;
    case SearchSessionModel::BPort:
      return s.bPort;
    case SearchSessionModel::Packets:
      return s.packets;
    case SearchSessionModel::Bytes:
      return s.bytes;
    default:
      return 0;
  }
}

QString sourcesText(const protocol::SearchSession& s) {
  QStringList names;
  for (const std::string& name : s.sources) names << QString::fromStdString(name);
  return names.join(QStringLiteral(", "));
}

QString protocolText(std::uint8_t protocol) {
  return protocol == 0 ? QString() : ConnectionTableModel::protocolName(protocol);
}

}  // namespace

SearchSessionModel::SearchSessionModel(QObject* parent) : QAbstractTableModel(parent) {}

int SearchSessionModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int SearchSessionModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant SearchSessionModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const Row& r = m_rows[static_cast<std::size_t>(index.row())];
  switch (role) {
    case Qt::DisplayRole:
      return displayValue(r, index.column());
    case RawRole:
      return rawValue(r, index.column());
    case Qt::TextAlignmentRole:
      if (index.column() == APort || index.column() == BPort || index.column() == Packets ||
          index.column() == Bytes)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
      return {};
    case Qt::ToolTipRole:
      if (index.column() == FirstSeen || index.column() == LastSeen)
        return exportText(r, index.column());
      if (index.column() == Bytes)
        return m_locale.toString(static_cast<qulonglong>(r.session.bytes));
      return {};
    default:
      return {};
  }
}

QVariant SearchSessionModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount) return {};
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case A:
        return tr("The lower address of the session (sessions hold both directions)");
      case B:
        return tr("The higher address of the session");
      case Bytes:
        return tr("Frame bytes of the matching packets, both directions");
      case Packets:
        return tr("Matching packets, both directions");
      case Sources:
        return tr("The capture sources (interfaces, files) the node stored its packets from");
      default:
        return {};
    }
  }
  if (role != Qt::DisplayRole) return {};
  switch (section) {
    case Node:
      return tr("Node");
    case Protocol:
      return tr("Protocol");
    case A:
      return tr("Address A");
    case APort:
      return tr("Port A");
    case B:
      return tr("Address B");
    case BPort:
      return tr("Port B");
    case Packets:
      return tr("Packets");
    case Bytes:
      return tr("Bytes");
    case FirstSeen:
      return tr("First packet");
    case LastSeen:
      return tr("Last packet");
    case Sources:
      return tr("Sources");
    default:
      return {};
  }
}

QVariant SearchSessionModel::displayValue(const Row& row, int column) const {
  const protocol::SearchSession& s = row.session;
  switch (column) {
    case Node:
      return row.nodeName;
    case Protocol:
      return s.protocol == 0 ? tr("not IP") : protocolText(s.protocol);
    case A:
      return addressText(s.a);
    case B:
      return addressText(s.b);
    case APort:
    case BPort:
      if (!hasPorts(s.protocol)) return QString();
      return QString::number(numberOf(s, column));
    case Packets:
      return m_locale.toString(static_cast<qulonglong>(s.packets));
    case Bytes:
      return m_locale.formattedDataSize(static_cast<qint64>(s.bytes), 1, QLocale::DataSizeSIFormat);
    case FirstSeen:
    case LastSeen: {
      const protocol::TimeNs t = timeOf(s, column);
      if (t == 0) return QString();
      return QDateTime::fromMSecsSinceEpoch(t / 1'000'000)
          .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    }
    case Sources:
      return sourcesText(s);
    default:
      return {};
  }
}

QVariant SearchSessionModel::rawValue(const Row& row, int column) const {
  const protocol::SearchSession& s = row.session;
  switch (column) {
    case Node:
      return row.nodeName;
    case Protocol:
      return static_cast<uint>(s.protocol);
    case A:
      return rawAddress(s.a);
    case B:
      return rawAddress(s.b);
    case FirstSeen:
    case LastSeen:
      return static_cast<qlonglong>(timeOf(s, column));
    case Sources:
      return sourcesText(s);
    default:
      return static_cast<qulonglong>(numberOf(s, column));
  }
}

void SearchSessionModel::setNodeSessions(const QString& nodeId, const QString& nodeName,
                                         const std::vector<protocol::SearchSession>& sessions) {
  // The node's old rows go first (in one block if they are one), then the new ones are
  // appended: a node answers once per search, so this is rare and simple beats clever.
  for (int i = static_cast<int>(m_rows.size()) - 1; i >= 0;) {
    if (m_rows[static_cast<std::size_t>(i)].nodeId != nodeId) {
      --i;
      continue;
    }
    int first = i;
    while (first > 0 && m_rows[static_cast<std::size_t>(first - 1)].nodeId == nodeId) --first;
    beginRemoveRows({}, first, i);
    m_rows.erase(m_rows.begin() + first, m_rows.begin() + i + 1);
    endRemoveRows();
    i = first - 1;
  }
  if (sessions.empty()) return;
  const int first = static_cast<int>(m_rows.size());
  beginInsertRows({}, first, first + static_cast<int>(sessions.size()) - 1);
  m_rows.reserve(m_rows.size() + sessions.size());
  for (const auto& s : sessions) m_rows.push_back(Row{nodeId, nodeName, s});
  endInsertRows();
}

void SearchSessionModel::clear() {
  if (m_rows.empty()) return;
  beginResetModel();
  m_rows.clear();
  endResetModel();
}

void SearchSessionModel::retranslate() {
  m_locale = QLocale();
  emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
  if (!m_rows.empty()) emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

bool SearchSessionModel::lessThan(int leftRow, int rightRow, int column) const {
  const Row& l = m_rows[static_cast<std::size_t>(leftRow)];
  const Row& r = m_rows[static_cast<std::size_t>(rightRow)];
  switch (column) {
    case Node:
      return l.nodeName.compare(r.nodeName, Qt::CaseInsensitive) < 0;
    case Protocol:
      return l.session.protocol < r.session.protocol;
    case A:
      return l.session.a < r.session.a;
    case B:
      return l.session.b < r.session.b;
    case FirstSeen:
    case LastSeen:
      return timeOf(l.session, column) < timeOf(r.session, column);
    case Sources:
      return sourcesText(l.session).compare(sourcesText(r.session), Qt::CaseInsensitive) < 0;
    default:
      return numberOf(l.session, column) < numberOf(r.session, column);
  }
}

bool SearchSessionModel::rowMatches(int row, const QString& needle) const {
  const Row& r = m_rows[static_cast<std::size_t>(row)];
  return addressText(r.session.a).contains(needle, Qt::CaseInsensitive) ||
         addressText(r.session.b).contains(needle, Qt::CaseInsensitive) ||
         protocolText(r.session.protocol).contains(needle, Qt::CaseInsensitive) ||
         r.nodeName.contains(needle, Qt::CaseInsensitive) ||
         sourcesText(r.session).contains(needle, Qt::CaseInsensitive);
}

const FilterColumns& SearchSessionModel::filterColumns() {
  using Type = FilterValueType;
  static const FilterColumns columns({
      {QStringLiteral("node"), {}, Node, Type::Text},
      {QStringLiteral("proto"), {QStringLiteral("protocol")}, Protocol, Type::Text},
      {QStringLiteral("a"), {QStringLiteral("a_ip")}, A, Type::Address},
      {QStringLiteral("a_port"), {}, APort, Type::Number},
      {QStringLiteral("b"), {QStringLiteral("b_ip")}, B, Type::Address},
      {QStringLiteral("b_port"), {}, BPort, Type::Number},
      {QStringLiteral("packets"), {}, Packets, Type::Number},
      {QStringLiteral("bytes"), {}, Bytes, Type::Number},
      {QStringLiteral("first_seen"), {QStringLiteral("first")}, FirstSeen, Type::Time},
      {QStringLiteral("last_seen"), {QStringLiteral("last")}, LastSeen, Type::Time},
      {QStringLiteral("sources"), {QStringLiteral("source")}, Sources, Type::Text},
  });
  return columns;
}

double SearchSessionModel::cellNumber(int row, int column, int) const {
  return static_cast<double>(numberOf(m_rows[static_cast<std::size_t>(row)].session, column));
}

QString SearchSessionModel::cellText(int row, int column, int) const {
  const Row& r = m_rows[static_cast<std::size_t>(row)];
  switch (column) {
    case Node:
      return r.nodeName;
    case Protocol:
      return protocolText(r.session.protocol);
    case A:
      return addressText(r.session.a);
    case B:
      return addressText(r.session.b);
    case Sources:
      return sourcesText(r.session);
    default:
      return {};
  }
}

net::IpAddress SearchSessionModel::cellAddress(int row, int column, int) const {
  const Row& r = m_rows[static_cast<std::size_t>(row)];
  return column == A ? r.session.a : r.session.b;
}

std::int64_t SearchSessionModel::cellTime(int row, int column, int) const {
  return timeOf(m_rows[static_cast<std::size_t>(row)].session, column);
}

std::vector<SearchSessionModel::Row> SearchSessionModel::exportRows(
    const std::vector<int>& rows) const {
  std::vector<Row> out;
  out.reserve(rows.size());
  for (int row : rows) out.push_back(m_rows[static_cast<std::size_t>(row)]);
  return out;
}

QString SearchSessionModel::exportText(const Row& row, int column) {
  const protocol::SearchSession& s = row.session;
  switch (column) {
    case Node:
      return row.nodeName;
    case Protocol:
      return protocolText(s.protocol);
    case A:
      return addressText(s.a);
    case B:
      return addressText(s.b);
    case APort:
    case BPort:
      return hasPorts(s.protocol) ? QString::number(numberOf(s, column)) : QString();
    case Packets:
    case Bytes:
      return QString::number(numberOf(s, column));
    case FirstSeen:
    case LastSeen:
      // Nanoseconds kept: sessions of one second are told apart by their fractions.
      return csvTime(timeOf(s, column));
    case Sources:
      return sourcesText(s);
    default:
      return {};
  }
}

}  // namespace netlens::app::models
