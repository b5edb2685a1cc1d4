// SPDX-License-Identifier: MIT
#include "app/models/host_table_model.h"

#include <QDateTime>
#include <QPalette>

#include <algorithm>
#include <optional>

#include "app/models/host_row.h"

namespace netlens::app::models {

namespace {

using detail::columnCounter;
using detail::columnTime;
using detail::isCounterColumn;
using detail::isTimeColumn;

QString macsText(const std::vector<net::MacAddress>& macs, QLatin1String separator) {
  QStringList parts;
  parts.reserve(static_cast<qsizetype>(macs.size()));
  for (const auto& mac : macs) parts << QString::fromStdString(mac.toString());
  return parts.join(separator);
}

QString vlansText(const std::vector<std::uint16_t>& vlans, QLatin1String separator) {
  QStringList parts;
  parts.reserve(static_cast<qsizetype>(vlans.size()));
  for (auto vlan : vlans) parts << QString::number(vlan);
  return parts.join(separator);
}

QString namesText(const std::vector<std::string>& names, QLatin1String separator) {
  QStringList parts;
  parts.reserve(static_cast<qsizetype>(names.size()));
  for (const auto& name : names) parts << QString::fromStdString(name);
  return parts.join(separator);
}

/// The text of a column holding names or lists (Macs .. Vendors), nullopt for other columns.
/// `separator` joins list items, except vendor names: those may hold commas and spaces
/// ("Cisco Systems, Inc"), so their list is always joined by "; ".
std::optional<QString> textColumn(const protocol::HostRecord& r, int column,
                                  QLatin1String separator) {
  switch (column) {
    case HostTableModel::Macs:
      return macsText(r.macs, separator);
    case HostTableModel::Vlans:
      return vlansText(r.vlans, separator);
    case HostTableModel::Names:
      return namesText(r.names, separator);
    case HostTableModel::Group:
      return QString::fromStdString(r.group);
    case HostTableModel::Country:
      return QString::fromStdString(r.country);
    case HostTableModel::Vendors:
      return namesText(r.macVendors, QLatin1String("; "));
    default:
      return std::nullopt;
  }
}

bool isByteColumn(int column) {
  return column == HostTableModel::Bytes || column == HostTableModel::TxBytes ||
         column == HostTableModel::RxBytes || column == HostTableModel::TcpPayloadBytes ||
         column == HostTableModel::TcpRetransBytes;
}

QByteArray rawAddress(const net::IpAddress& ip) {
  // Family first: every IPv4 address sorts before every IPv6 address, then numerically.
  QByteArray raw(17, '\0');
  raw[0] = static_cast<char>(ip.family);
  std::copy(ip.bytes.begin(), ip.bytes.end(), raw.begin() + 1);
  return raw;
}

}  // namespace

QVariant HostTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const Row& row = rowAt(index.row());
  switch (role) {
    case Qt::DisplayRole:
      return displayValue(row, index.column());
    case RawRole:
      return rawValue(row, index.column());
    case ExportRole:
      return exportText(ExportRow{row.record, nodeNames(row),
                                  index.column() == Trend ? trendOf(row.key) : QList<float>()},
                        index.column());
    case TrendRole:
      return index.column() == Trend ? QVariant::fromValue(trendOf(row.key)) : QVariant();
    case Qt::TextAlignmentRole:
      if (isCounterColumn(index.column()) || index.column() == PacketRate ||
          index.column() == BitRate)
        return int(Qt::AlignRight | Qt::AlignVCenter);
      return {};
    case Qt::ForegroundRole:
      // The palette's disabled text: greyed in light and dark themes alike.
      if (isStale(row)) return QPalette().brush(QPalette::Disabled, QPalette::Text);
      return {};
    case Qt::ToolTipRole: {
      QString tip = staleText(row);
      if (isByteColumn(index.column())) {
        if (!tip.isEmpty()) tip += QLatin1Char('\n');
        tip += tr("%1 bytes")
                   .arg(m_locale.toString(
                       static_cast<qulonglong>(columnCounter(row.record, index.column()))));
      }
      return tip.isEmpty() ? QVariant() : QVariant(tip);
    }
    default:
      return {};
  }
}

QVariant HostTableModel::displayValue(const Row& row, int column) const {
  const auto& r = row.record;
  if (auto text = textColumn(r, column, QLatin1String(", "))) return *text;
  switch (column) {
    case Address:
      return row.addressText;
    case Nodes:
      return nodeNames(row);
    case Bytes:
    case TxBytes:
    case RxBytes:
    case TcpPayloadBytes:
    case TcpRetransBytes:
      return m_locale.formattedDataSize(static_cast<qint64>(columnCounter(r, column)), 1,
                                        QLocale::DataSizeSIFormat);
    case PacketRate:
      return m_locale.toString(r.packetsPerSecond, 'f', 1);
    case BitRate:
      return formatBitRate(m_locale, r.bitsPerSecond);
    default:
      break;
  }
  if (isCounterColumn(column))
    return m_locale.toString(static_cast<qulonglong>(columnCounter(r, column)));
  if (isTimeColumn(column)) {
    protocol::TimeNs t = columnTime(r, column);
    if (t == 0) return QString();
    return QDateTime::fromMSecsSinceEpoch(t / 1'000'000)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
  }
  return {};
}

QVariant HostTableModel::rawValue(const Row& row, int column) const {
  const auto& r = row.record;
  if (auto text = textColumn(r, column, QLatin1String(" "))) return *text;
  switch (column) {
    case Address:
      return rawAddress(row.key.ip);
    case Nodes:
      return nodeNames(row);
    case PacketRate:
      return r.packetsPerSecond;
    case BitRate:
      return r.bitsPerSecond;
    default:
      break;
  }
  if (isCounterColumn(column)) return static_cast<qulonglong>(columnCounter(r, column));
  if (isTimeColumn(column)) return static_cast<qlonglong>(columnTime(r, column));
  return {};
}

QVariant HostTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount) return {};
  if (role == Qt::DisplayRole) {
    if (section == Nodes && m_splitByNode) return tr("Node");
    return columnTitle(section);
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case FirstRecent:
        return tr("Start of the current activity period of this address");
      case PacketRate:
        return tr("Packets per second over the last complete second");
      case BitRate:
        return tr("Bits per second over the last complete second");
      case Macs:
        return tr("MAC addresses seen beside this IP address");
      case Vlans:
        return tr("Outermost VLAN IDs of its packets");
      case Names:
        return tr("Names learned from DNS answers and DHCP, most recent first");
      case Group:
        return tr("The IP group of the address: the group of its longest matching network");
      case Country:
        return tr("Country of the address (ISO 3166 code) from the node's GeoIP database");
      case Vendors:
        return tr("NIC vendors of its MAC addresses, from the IEEE OUI lists");
      case TcpPayloadBytes:
        return tr("TCP segment data sent and received (Wireshark's tcp.len)");
      case TcpRetransPackets:
        return tr(
            "TCP segments sent or received that were retransmissions (ordinary, fast "
            "or spurious, as Wireshark classes them)");
      case TcpRetransBytes:
        return tr("Segment data of those retransmissions");
      case Trend:
        return tr(
            "Bit rate over the last %n second(s), sampled by the console once a second "
            "since it connected",
            nullptr, kTrendSamples);
      default:
        return {};
    }
  }
  return {};
}

QString HostTableModel::columnTitle(int column) {
  switch (column) {
    case Address:
      return tr("IP address");
    case Nodes:
      return tr("Nodes");
    case Packets:
      return tr("Packets");
    case Bytes:
      return tr("Bytes");
    case TxPackets:
      return tr("Sent packets");
    case TxBytes:
      return tr("Sent bytes");
    case RxPackets:
      return tr("Received packets");
    case RxBytes:
      return tr("Received bytes");
    case TcpPackets:
      return tr("TCP packets");
    case UdpPackets:
      return tr("UDP packets");
    case PacketRate:
      return tr("Packets/s");
    case BitRate:
      return tr("Bits/s");
    case FirstSeen:
      return tr("First seen");
    case FirstRecent:
      return tr("First recent");
    case LastSeen:
      return tr("Last seen");
    case Macs:
      return tr("MAC addresses");
    case Vlans:
      return tr("VLANs");
    case Names:
      return tr("Names");
    case Group:
      return tr("Group");
    case Country:
      return tr("Country");
    case Vendors:
      return tr("NIC vendors");
    case TcpPayloadBytes:
      return tr("TCP payload");
    case TcpRetransPackets:
      return tr("TCP retransmissions");
    case TcpRetransBytes:
      return tr("TCP retransmitted bytes");
    case Trend:
      return tr("Trend");
    default:
      return {};
  }
}

QString HostTableModel::formatBitRate(const QLocale& locale, double v) {
  if (v >= 1e9) return tr("%1 Gbit/s").arg(locale.toString(v / 1e9, 'f', 2));
  if (v >= 1e6) return tr("%1 Mbit/s").arg(locale.toString(v / 1e6, 'f', 2));
  if (v >= 1e3) return tr("%1 kbit/s").arg(locale.toString(v / 1e3, 'f', 1));
  return tr("%1 bit/s").arg(locale.toString(v, 'f', 0));
}

QString HostTableModel::exportText(const ExportRow& row, int column) {
  const auto& r = row.record;
  if (auto text = textColumn(r, column, QLatin1String(" "))) return *text;
  switch (column) {
    case Address:
      return QString::fromStdString(r.ip.toString());
    case Nodes:
      return row.nodes;
    case PacketRate:
      return QString::number(r.packetsPerSecond, 'f', 1);
    case BitRate:
      return QString::number(r.bitsPerSecond, 'f', 0);
    case Trend: {
      // The samples, oldest first, in bit/s.
      QStringList samples;
      samples.reserve(row.trend.size());
      for (float v : row.trend) samples << QString::number(static_cast<double>(v), 'f', 0);
      return samples.join(QLatin1Char(' '));
    }
    default:
      break;
  }
  if (isCounterColumn(column)) return QString::number(columnCounter(r, column));
  if (isTimeColumn(column)) {
    protocol::TimeNs t = columnTime(r, column);
    if (t == 0) return QString();
    return QDateTime::fromMSecsSinceEpoch(t / 1'000'000, Qt::UTC).toString(Qt::ISODateWithMs);
  }
  return {};
}

bool HostTableModel::isColumnShown(int column, CounterMode mode) {
  switch (column) {
    case Packets:
    case Bytes:
      return mode == CounterMode::Combined;
    case TxPackets:
    case TxBytes:
    case RxPackets:
    case RxBytes:
      return mode == CounterMode::Separate;
    default:
      return column >= 0 && column < ColumnCount;
  }
}

bool HostTableModel::isShownAtFirst(int column) {
  return column != TcpPayloadBytes && column != TcpRetransBytes;
}

QString HostTableModel::columnKey(int column) {
  if (column == Trend) return QStringLiteral("trend");
  for (const auto& c : filterColumns().columns())
    if (c.column == column) return c.key;
  return QString::number(column);
}

void HostTableModel::setCounterMode(CounterMode mode) {
  if (mode == m_counterMode) return;
  m_counterMode = mode;
  emit counterModeChanged(mode);
}

void HostTableModel::retranslate() {
  m_locale = QLocale();
  emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
  emitColumnsChanged(0, ColumnCount - 1, {Qt::DisplayRole});
}

bool HostTableModel::rowMatches(int row, const QString& needle) const {
  if (needle.isEmpty()) return true;
  const Row& r = rowAt(row);
  if (r.addressText.contains(needle, Qt::CaseInsensitive)) return true;
  for (int slot : r.nodeSlots) {
    auto it = m_nodes.find(slot);
    if (it != m_nodes.end() && it->second.name.contains(needle, Qt::CaseInsensitive)) return true;
  }
  for (const auto& mac : r.record.macs) {
    if (QString::fromStdString(mac.toString()).contains(needle, Qt::CaseInsensitive)) return true;
  }
  if (QString::fromStdString(r.record.group).contains(needle, Qt::CaseInsensitive)) return true;
  for (const auto& name : r.record.names) {
    if (QString::fromStdString(name).contains(needle, Qt::CaseInsensitive)) return true;
  }
  return false;
}

const FilterColumns& HostTableModel::filterColumns() {
  using Type = FilterValueType;
  // Keys are what users type, so they stay stable once released; add aliases, never rename.
  static const FilterColumns columns({
      {QStringLiteral("ip"),
       {QStringLiteral("address"), QStringLiteral("addr"), QStringLiteral("host")},
       Address,
       Type::Address},
      {QStringLiteral("node"), {QStringLiteral("nodes")}, Nodes, Type::Text, true},
      {QStringLiteral("packets"), {QStringLiteral("pkts")}, Packets, Type::Number},
      {QStringLiteral("bytes"), {}, Bytes, Type::Number},
      {QStringLiteral("tx_packets"),
       {QStringLiteral("tx_pkts"), QStringLiteral("sent_packets")},
       TxPackets,
       Type::Number},
      {QStringLiteral("tx_bytes"), {QStringLiteral("sent_bytes")}, TxBytes, Type::Number},
      {QStringLiteral("rx_packets"),
       {QStringLiteral("rx_pkts"), QStringLiteral("received_packets")},
       RxPackets,
       Type::Number},
      {QStringLiteral("rx_bytes"), {QStringLiteral("received_bytes")}, RxBytes, Type::Number},
      {QStringLiteral("tcp_packets"), {QStringLiteral("tcp")}, TcpPackets, Type::Number},
      {QStringLiteral("udp_packets"), {QStringLiteral("udp")}, UdpPackets, Type::Number},
      {QStringLiteral("pps"),
       {QStringLiteral("packet_rate"), QStringLiteral("packets_per_second")},
       PacketRate,
       Type::Number},
      {QStringLiteral("bps"),
       {QStringLiteral("bit_rate"), QStringLiteral("bits_per_second")},
       BitRate,
       Type::Number},
      {QStringLiteral("first_seen"), {}, FirstSeen, Type::Time},
      {QStringLiteral("first_recent"), {}, FirstRecent, Type::Time},
      {QStringLiteral("last_seen"), {}, LastSeen, Type::Time},
      {QStringLiteral("macs"), {QStringLiteral("mac")}, Macs, Type::Text, true},
      {QStringLiteral("vlans"), {QStringLiteral("vlan")}, Vlans, Type::Number, true},
      {QStringLiteral("names"), {QStringLiteral("name")}, Names, Type::Text, true},
      {QStringLiteral("group"), {}, Group, Type::Text},
      {QStringLiteral("country"), {}, Country, Type::Text},
      {QStringLiteral("vendors"), {QStringLiteral("vendor")}, Vendors, Type::Text, true},
      {QStringLiteral("tcp_payload_bytes"),
       {QStringLiteral("tcp_payload"), QStringLiteral("payload")},
       TcpPayloadBytes,
       Type::Number},
      {QStringLiteral("tcp_retrans_packets"),
       {QStringLiteral("retrans"), QStringLiteral("retransmissions"),
        QStringLiteral("tcp_retransmissions")},
       TcpRetransPackets,
       Type::Number},
      {QStringLiteral("tcp_retrans_bytes"),
       {QStringLiteral("retrans_bytes")},
       TcpRetransBytes,
       Type::Number},
  });
  return columns;
}

int HostTableModel::cellValueCount(int row, int column) const {
  const Row& r = rowAt(row);
  switch (column) {
    case Nodes:
      return static_cast<int>(r.nodeSlots.size());
    case Macs:
      return static_cast<int>(r.record.macs.size());
    case Vlans:
      return static_cast<int>(r.record.vlans.size());
    case Names:
      return static_cast<int>(r.record.names.size());
    case Vendors:
      return static_cast<int>(r.record.macVendors.size());
    default:
      return 1;
  }
}

double HostTableModel::cellNumber(int row, int column, int index) const {
  const Row& r = rowAt(row);
  switch (column) {
    case PacketRate:
      return r.record.packetsPerSecond;
    case BitRate:
      return r.record.bitsPerSecond;
    case Vlans:
      return r.record.vlans[static_cast<std::size_t>(index)];
    default:
      return static_cast<double>(columnCounter(r.record, column));
  }
}

QString HostTableModel::cellText(int row, int column, int index) const {
  const Row& r = rowAt(row);
  switch (column) {
    case Address:
      return r.addressText;
    case Nodes: {
      auto node = m_nodes.find(r.nodeSlots[static_cast<std::size_t>(index)]);
      return node != m_nodes.end() ? node->second.name : QString();
    }
    case Macs:
      return QString::fromStdString(r.record.macs[static_cast<std::size_t>(index)].toString());
    case Names:
      return QString::fromStdString(r.record.names[static_cast<std::size_t>(index)]);
    case Group:
      return QString::fromStdString(r.record.group);
    case Country:
      return QString::fromStdString(r.record.country);
    case Vendors:
      return QString::fromStdString(r.record.macVendors[static_cast<std::size_t>(index)]);
    default:
      return {};
  }
}

net::IpAddress HostTableModel::cellAddress(int row, int column, int) const {
  return column == Address ? rowAt(row).key.ip : net::IpAddress{};
}

std::int64_t HostTableModel::cellTime(int row, int column, int) const {
  return columnTime(rowAt(row).record, column);
}

net::IpAddress HostTableModel::addressOf(int row) const {
  return rowAt(row).key.ip;
}

std::vector<HostTableModel::ExportRow> HostTableModel::exportRows(
    const std::vector<int>& rows) const {
  std::vector<ExportRow> out;
  out.reserve(rows.size());
  for (int row : rows) {
    if (row < 0 || row >= rowCount()) continue;
    const Row& r = rowAt(row);
    out.push_back(ExportRow{r.record, nodeNames(r), trendOf(r.key)});
  }
  return out;
}

QString HostTableModel::nodeNames(const Row& row) const {
  if (row.nodeSlots.size() == 1) {
    auto it = m_nodes.find(row.nodeSlots.front());
    return it != m_nodes.end() ? it->second.name : QString();
  }
  QStringList names;
  for (int slot : row.nodeSlots) {
    auto it = m_nodes.find(slot);
    if (it != m_nodes.end()) names << it->second.name;
  }
  return names.join(QLatin1String(", "));
}

bool HostTableModel::isStale(const Row& row) const {
  if (row.nodeSlots.empty()) return false;
  return std::all_of(row.nodeSlots.begin(), row.nodeSlots.end(), [this](int slot) {
    auto it = m_nodes.find(slot);
    return it != m_nodes.end() && it->second.stale;
  });
}

QString HostTableModel::staleText(const Row& row) const {
  QStringList lines;
  for (int slot : row.nodeSlots) {
    auto it = m_nodes.find(slot);
    if (it == m_nodes.end() || !it->second.stale) continue;
    const Node& node = it->second;
    if (node.lastConnected.isValid()) {
      lines << tr("The figures of %1 are from %2, when it was last connected.")
                   .arg(node.name,
                        node.lastConnected.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    } else {
      lines << tr("%1 is not connected; its figures may be out of date.").arg(node.name);
    }
  }
  return lines.join(QLatin1Char('\n'));
}

int HostTableModel::slotFor(const QString& nodeId) {
  auto it = m_slotOfNode.constFind(nodeId);
  if (it != m_slotOfNode.constEnd()) return *it;
  int slot = m_nextSlot++;
  m_slotOfNode.insert(nodeId, slot);
  m_nodes[slot] = Node{nodeId, nodeId, {}};
  return slot;
}

void HostTableModel::setNodeName(const QString& nodeId, const QString& name) {
  int slot = slotFor(nodeId);
  Node& node = m_nodes[slot];
  if (node.name == name) return;
  finishPendingUpdates();  // queued deltas come first, as they came first
  node.name = name;
  if (m_sortKeyColumn == Nodes) dropSortKeys();
  emitColumnsChanged(Nodes, Nodes);
}

void HostTableModel::setNodeStale(const QString& nodeId, bool stale,
                                  const QDateTime& lastConnected) {
  int slot = slotFor(nodeId);
  Node& node = m_nodes[slot];
  if (node.stale == stale && (!stale || node.lastConnected == lastConnected)) return;
  finishPendingUpdates();
  node.stale = stale;
  node.lastConnected = stale ? lastConnected : QDateTime();
  std::vector<int> rows = rowsOfNode(slot);
  emitRowsChanged(rows, 0, ColumnCount - 1, {Qt::ForegroundRole, Qt::ToolTipRole});
}

bool HostTableModel::isNodeStale(const QString& nodeId) const {
  auto slot = m_slotOfNode.constFind(nodeId);
  if (slot == m_slotOfNode.constEnd()) return false;
  auto node = m_nodes.find(*slot);
  return node != m_nodes.end() && node->second.stale;
}

}  // namespace netlens::app::models
