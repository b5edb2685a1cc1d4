// SPDX-License-Identifier: MIT
#include "app/models/connection_table_model.h"

#include <QDateTime>

#include <algorithm>

#include "app/models/host_table_model.h"

namespace netlens::app::models {

struct detail::ConnectionRow {
  ConnectionKey key;
  protocol::ConnectionRecord record;
  QString clientText;  ///< cached: built once, used by display, filter and export
  QString serverText;
  std::uint64_t generation = 0;  ///< of the last answer that listed this row
  int row = 0;                   ///< position in the model (renumbered after removals)
};

namespace {

using Model = ConnectionTableModel;

/// Filter-only columns, beyond the table's own: conditions on either endpoint and on the
/// sum of both directions' retransmissions.
enum PseudoColumn : int {
  AnyAddress = Model::ColumnCount + 1,
  AnyPort,
  RetransmissionsTotal,
};

std::uint64_t retransmissions(const protocol::TcpDirectionStats& s) {
  return s.retransmissions + s.fastRetransmissions + s.spuriousRetransmissions;
}

bool isCounterColumn(int column) {
  switch (column) {
    case Model::ClientPort:
    case Model::ServerPort:
    case Model::C2sPackets:
    case Model::C2sBytes:
    case Model::S2cPackets:
    case Model::S2cBytes:
    case Model::Packets:
    case Model::Bytes:
    case Model::C2sRetransmissions:
    case Model::S2cRetransmissions:
    case Model::OutOfOrder:
    case Model::C2sMaxWindow:
    case Model::S2cMaxWindow:
    case RetransmissionsTotal:
      return true;
    default:
      return false;
  }
}

std::uint64_t counter(const protocol::ConnectionRecord& r, int column) {
  switch (column) {
    case Model::ClientPort:
      return r.clientPort;
    case Model::ServerPort:
      return r.serverPort;
    case Model::C2sPackets:
      return r.c2sPackets;
    case Model::C2sBytes:
      return r.c2sBytes;
    case Model::S2cPackets:
      return r.s2cPackets;
    case Model::S2cBytes:
      return r.s2cBytes;
    case Model::Packets:
      return r.c2sPackets + r.s2cPackets;
    case Model::Bytes:
      return r.c2sBytes + r.s2cBytes;
    case Model::C2sRetransmissions:
      return retransmissions(r.c2sTcp);
    case Model::S2cRetransmissions:
      return retransmissions(r.s2cTcp);
    case RetransmissionsTotal:
      return retransmissions(r.c2sTcp) + retransmissions(r.s2cTcp);
    case Model::OutOfOrder:
      return r.c2sTcp.outOfOrder + r.s2cTcp.outOfOrder;
    case Model::C2sMaxWindow:
      return r.c2sTcp.maxWindow;
    case Model::S2cMaxWindow:
      return r.s2cTcp.maxWindow;
    default:
      return 0;
  }
}

bool isByteColumn(int column) {
  return column == Model::C2sBytes || column == Model::S2cBytes || column == Model::Bytes;
}

bool isHandshakeColumn(int column) {
  return column >= Model::HandshakeServer && column <= Model::HandshakeTotal;
}

/// A handshake leg or their sum in ns; -1 when unknown.
protocol::TimeNs handshake(const protocol::ConnectionRecord& r, int column) {
  switch (column) {
    case Model::HandshakeServer:
      return r.handshakeServerNs;
    case Model::HandshakeClient:
      return r.handshakeClientNs;
    case Model::HandshakeTotal:
      if (r.handshakeServerNs < 0 || r.handshakeClientNs < 0) return -1;
      return r.handshakeServerNs + r.handshakeClientNs;
    default:
      return -1;
  }
}

protocol::TimeNs timeOf(const protocol::ConnectionRecord& r, int column) {
  return column == Model::FirstSeen ? r.firstSeen : column == Model::LastSeen ? r.lastSeen : 0;
}

/// Window scales as one sortable number: client's shift, then server's (-1 first).
int windowScaleKey(const protocol::ConnectionRecord& r) {
  return (r.c2sTcp.windowScale + 1) * 64 + (r.s2cTcp.windowScale + 1);
}

QString windowScaleText(const protocol::ConnectionRecord& r) {
  if (r.c2sTcp.windowScale < 0 && r.s2cTcp.windowScale < 0) return {};
  auto one = [](std::int32_t v) { return v < 0 ? QStringLiteral("–") : QString::number(v); };
  return one(r.c2sTcp.windowScale) + QStringLiteral(" / ") + one(r.s2cTcp.windowScale);
}

bool hasPorts(std::uint8_t protocol) {
  return protocol == 6 || protocol == 17 || protocol == 132 || protocol == 33;
}

QByteArray rawAddress(const net::IpAddress& ip) {
  // Family first: every IPv4 address sorts before every IPv6 address, then numerically.
  QByteArray raw(17, '\0');
  raw[0] = static_cast<char>(ip.family);
  std::copy(ip.bytes.begin(), ip.bytes.end(), raw.begin() + 1);
  return raw;
}

QString isoTime(protocol::TimeNs t) {
  if (t == 0) return {};
  return QDateTime::fromMSecsSinceEpoch(t / 1'000'000, Qt::UTC).toString(Qt::ISODateWithMs);
}

}  // namespace

std::size_t detail::ConnectionKeyHash::operator()(const ConnectionKey& k) const noexcept {
  std::size_t h = net::IpAddressHash{}(k.clientIp);
  h = h * 31 + net::IpAddressHash{}(k.serverIp);
  h ^= (static_cast<std::size_t>(k.clientPort) << 16 | k.serverPort) * 0x9E3779B97F4A7C15ull;
  h ^= static_cast<std::size_t>(k.firstSeen) * 0xBF58476D1CE4E5B9ull;
  h ^= (static_cast<std::size_t>(k.slot) << 40) ^ (static_cast<std::size_t>(k.protocol) << 32) ^
       static_cast<std::size_t>(static_cast<std::uint32_t>(k.vlan));
  return h;
}

ConnectionTableModel::ConnectionTableModel(QObject* parent)
    : KeyedTableModel(ColumnCount, parent) {}

ConnectionTableModel::~ConnectionTableModel() = default;

const protocol::ConnectionRecord& ConnectionTableModel::record(int row) const {
  return rowAt(row).record;
}

std::vector<protocol::ConnectionRecord> ConnectionTableModel::recordsOfApp(
    const std::string& app) const {
  std::vector<protocol::ConnectionRecord> out;
  for (const auto& row : rows()) {
    if (row->record.app == app) out.push_back(row->record);
  }
  return out;
}

QString ConnectionTableModel::nodeIdOf(int row) const {
  auto it = m_nodes.find(rowAt(row).key.slot);
  return it == m_nodes.end() ? QString() : it->second.id;
}

QVariant ConnectionTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const Row& row = rowAt(index.row());
  const int column = index.column();
  switch (role) {
    case Qt::DisplayRole:
      return displayValue(row, column);
    case RawRole:
      return rawValue(row, column);
    case ExportRole:
      return exportText(ExportRow{row.record, nodeName(row.key.slot)}, column);
    case Qt::TextAlignmentRole:
      if (isCounterColumn(column) || isHandshakeColumn(column) || column == Vlan ||
          column == BitRate || (isExtraColumn(column) && extraIsNumeric(column)))
        return int(Qt::AlignRight | Qt::AlignVCenter);
      return {};
    case Qt::ToolTipRole: {
      const auto& r = row.record;
      if (isByteColumn(column))
        return tr("%1 bytes").arg(m_locale.toString(static_cast<qulonglong>(counter(r, column))));
      if (column == C2sRetransmissions || column == S2cRetransmissions) {
        const auto& s = column == C2sRetransmissions ? r.c2sTcp : r.s2cTcp;
        return tr("Retransmissions: %1\nFast retransmissions: %2\nSpurious retransmissions: "
                  "%3\nRetransmitted bytes: %4")
            .arg(m_locale.toString(static_cast<qulonglong>(s.retransmissions)),
                 m_locale.toString(static_cast<qulonglong>(s.fastRetransmissions)),
                 m_locale.toString(static_cast<qulonglong>(s.spuriousRetransmissions)),
                 m_locale.toString(static_cast<qulonglong>(s.retransmittedBytes)));
      }
      if (column == OutOfOrder)
        return tr("Client to server: %1\nServer to client: %2")
            .arg(m_locale.toString(static_cast<qulonglong>(r.c2sTcp.outOfOrder)),
                 m_locale.toString(static_cast<qulonglong>(r.s2cTcp.outOfOrder)));
      return {};
    }
    default:
      return {};
  }
}

QVariant ConnectionTableModel::displayValue(const Row& row, int column) const {
  const auto& r = row.record;
  if (isExtraColumn(column)) return extraText(r, column);
  switch (column) {
    case Node:
      return nodeName(row.key.slot);
    case Protocol:
      return protocolName(r.protocol);
    case Client:
      return row.clientText;
    case Server:
      return row.serverText;
    case ClientPort:
    case ServerPort:
      if (!hasPorts(r.protocol) && counter(r, column) == 0) return QString();
      return QString::number(counter(r, column));
    case Vlan:
      return r.vlan < 0 ? QString() : QString::number(r.vlan);
    case App:
      return QString::fromStdString(r.app);
    case State:
      return QString::fromStdString(r.state);
    case FirstSeen:
    case LastSeen: {
      protocol::TimeNs t = timeOf(r, column);
      if (t == 0) return QString();
      return QDateTime::fromMSecsSinceEpoch(t / 1'000'000)
          .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    }
    case C2sBytes:
    case S2cBytes:
    case Bytes:
      return m_locale.formattedDataSize(static_cast<qint64>(counter(r, column)), 1,
                                        QLocale::DataSizeSIFormat);
    case BitRate:
      return HostTableModel::formatBitRate(m_locale, r.c2sBitsPerSecond + r.s2cBitsPerSecond);
    case HandshakeServer:
    case HandshakeClient:
    case HandshakeTotal:
      return formatDuration(m_locale, handshake(r, column));
    case C2sMaxWindow:
    case S2cMaxWindow:
      if (r.protocol != 6) return QString();
      return m_locale.toString(static_cast<qulonglong>(counter(r, column)));
    case WindowScale:
      return windowScaleText(r);
    default:
      break;
  }
  if (isCounterColumn(column))
    return m_locale.toString(static_cast<qulonglong>(counter(r, column)));
  return {};
}

QVariant ConnectionTableModel::rawValue(const Row& row, int column) const {
  const auto& r = row.record;
  if (isExtraColumn(column)) return extraRaw(r, column);
  switch (column) {
    case Node:
      return nodeName(row.key.slot);
    case Protocol:
      return protocolName(r.protocol);
    case Client:
      return rawAddress(r.clientIp);
    case Server:
      return rawAddress(r.serverIp);
    case Vlan:
      return r.vlan;
    case App:
      return QString::fromStdString(r.app);
    case State:
      return QString::fromStdString(r.state);
    case FirstSeen:
    case LastSeen:
      return static_cast<qlonglong>(timeOf(r, column));
    case BitRate:
      return r.c2sBitsPerSecond + r.s2cBitsPerSecond;
    case HandshakeServer:
    case HandshakeClient:
    case HandshakeTotal:
      return static_cast<qlonglong>(handshake(r, column));
    case WindowScale:
      return windowScaleKey(r);
    default:
      break;
  }
  if (isCounterColumn(column)) return static_cast<qulonglong>(counter(r, column));
  return {};
}

QVariant ConnectionTableModel::headerData(int section, Qt::Orientation orientation,
                                          int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount) return {};
  if (role == Qt::DisplayRole) return columnTitle(section);
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case C2sRetransmissions:
      case S2cRetransmissions:
        return tr("Retransmissions, fast and spurious retransmissions together");
      case OutOfOrder:
        return tr("Out-of-order segments of both directions");
      case HandshakeServer:
        return tr("TCP handshake: from the SYN to the SYN/ACK (network and server)");
      case HandshakeClient:
        return tr("TCP handshake: from the SYN/ACK to the ACK (network and client)");
      case HandshakeTotal:
        return tr("TCP handshake: from the SYN to the ACK");
      case BitRate:
        return tr("Bits per second of both directions over the last complete second");
      case WindowScale:
        return tr("Window scale shift of the client / of the server");
      case C2sMaxWindow:
        return tr("Largest receive window the client announced (scaled)");
      case S2cMaxWindow:
        return tr("Largest receive window the server announced (scaled)");
      default:
        return extraToolTip(section);
    }
  }
  return {};
}

QString ConnectionTableModel::columnTitle(int column) {
  switch (column) {
    case Node:
      return tr("Node");
    case Protocol:
      return tr("Protocol");
    case Client:
      return tr("Client");
    case ClientPort:
      return tr("Client port");
    case Server:
      return tr("Server");
    case ServerPort:
      return tr("Server port");
    case Vlan:
      return tr("VLAN");
    case App:
      return tr("Application");
    case State:
      return tr("State");
    case FirstSeen:
      return tr("First seen");
    case LastSeen:
      return tr("Last seen");
    case C2sPackets:
      return tr("Packets C→S");
    case C2sBytes:
      return tr("Bytes C→S");
    case S2cPackets:
      return tr("Packets S→C");
    case S2cBytes:
      return tr("Bytes S→C");
    case Packets:
      return tr("Packets");
    case Bytes:
      return tr("Bytes");
    case BitRate:
      return tr("Bits/s");
    case C2sRetransmissions:
      return tr("Retrans. C→S");
    case S2cRetransmissions:
      return tr("Retrans. S→C");
    case OutOfOrder:
      return tr("Out of order");
    case HandshakeServer:
      return tr("Handshake server");
    case HandshakeClient:
      return tr("Handshake client");
    case HandshakeTotal:
      return tr("Handshake RTT");
    case C2sMaxWindow:
      return tr("Max. window C");
    case S2cMaxWindow:
      return tr("Max. window S");
    case WindowScale:
      return tr("Window scale");
    default:
      return extraTitle(column);
  }
}

QString ConnectionTableModel::protocolName(std::uint8_t protocol) {
  switch (protocol) {
    case 1:
      return QStringLiteral("ICMP");
    case 2:
      return QStringLiteral("IGMP");
    case 6:
      return QStringLiteral("TCP");
    case 17:
      return QStringLiteral("UDP");
    case 33:
      return QStringLiteral("DCCP");
    case 47:
      return QStringLiteral("GRE");
    case 50:
      return QStringLiteral("ESP");
    case 58:
      return QStringLiteral("ICMPv6");
    case 132:
      return QStringLiteral("SCTP");
    default:
      return QString::number(protocol);
  }
}

QString ConnectionTableModel::formatDuration(const QLocale& locale, protocol::TimeNs ns) {
  if (ns < 0) return {};
  if (ns < 1'000'000) return tr("%1 µs").arg(locale.toString(ns / 1000));
  if (ns < 1'000'000'000) return tr("%1 ms").arg(locale.toString(ns / 1e6, 'f', 1));
  return tr("%1 s").arg(locale.toString(ns / 1e9, 'f', 2));
}

QString ConnectionTableModel::exportText(const ExportRow& row, int column) {
  const auto& r = row.record;
  if (column == ResponseTime) {
    return r.responseTime.count == 0 ? QString()
                                     : QString::number(r.responseTime.meanNs / 1e3, 'f', 3);
  }
  if (isExtraColumn(column)) return extraExportText(r, column);
  switch (column) {
    case Node:
      return row.node;
    case Protocol:
      return protocolName(r.protocol);
    case Client:
      return QString::fromStdString(r.clientIp.toString());
    case Server:
      return QString::fromStdString(r.serverIp.toString());
    case Vlan:
      return r.vlan < 0 ? QString() : QString::number(r.vlan);
    case App:
      return QString::fromStdString(r.app);
    case State:
      return QString::fromStdString(r.state);
    case FirstSeen:
    case LastSeen:
      return isoTime(timeOf(r, column));
    case BitRate:
      return QString::number(r.c2sBitsPerSecond + r.s2cBitsPerSecond, 'f', 0);
    case HandshakeServer:
    case HandshakeClient:
    case HandshakeTotal: {
      protocol::TimeNs ns = handshake(r, column);
      return ns < 0 ? QString() : QString::number(ns / 1e3, 'f', 3);
    }
    case WindowScale:
      return windowScaleText(r).remove(QLatin1Char(' '));
    default:
      break;
  }
  if (isCounterColumn(column)) return QString::number(counter(r, column));
  return {};
}

void ConnectionTableModel::retranslate() {
  m_locale = QLocale();
  emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
  emitColumnsChanged(0, ColumnCount - 1, {Qt::DisplayRole});
}

bool ConnectionTableModel::lessThan(int leftRow, int rightRow, int column) const {
  const Row& a = rowAt(leftRow);
  const Row& b = rowAt(rightRow);
  const auto& ra = a.record;
  const auto& rb = b.record;
  if (isExtraColumn(column)) return extraLess(ra, rb, column);
  switch (column) {
    case Node:
      return nodeName(a.key.slot).compare(nodeName(b.key.slot), Qt::CaseInsensitive) < 0;
    case Protocol:
      return protocolName(ra.protocol).compare(protocolName(rb.protocol), Qt::CaseInsensitive) < 0;
    case Client:
      return ra.clientIp < rb.clientIp;
    case Server:
      return ra.serverIp < rb.serverIp;
    case Vlan:
      return ra.vlan < rb.vlan;
    case App:
      return QString::fromStdString(ra.app).compare(QString::fromStdString(rb.app),
                                                    Qt::CaseInsensitive) < 0;
    case State:
      return ra.state < rb.state;
    case FirstSeen:
    case LastSeen:
      return timeOf(ra, column) < timeOf(rb, column);
    case BitRate:
      return ra.c2sBitsPerSecond + ra.s2cBitsPerSecond < rb.c2sBitsPerSecond + rb.s2cBitsPerSecond;
    case HandshakeServer:
    case HandshakeClient:
    case HandshakeTotal:
      return handshake(ra, column) < handshake(rb, column);
    case WindowScale:
      return windowScaleKey(ra) < windowScaleKey(rb);
    default:
      break;
  }
  if (isCounterColumn(column)) return counter(ra, column) < counter(rb, column);
  return false;
}

bool ConnectionTableModel::rowMatches(int row, const QString& needle) const {
  if (needle.isEmpty()) return true;
  const Row& r = rowAt(row);
  return r.clientText.contains(needle, Qt::CaseInsensitive) ||
         r.serverText.contains(needle, Qt::CaseInsensitive) ||
         QString::fromStdString(r.record.app).contains(needle, Qt::CaseInsensitive) ||
         QString::fromStdString(r.record.state).contains(needle, Qt::CaseInsensitive) ||
         QString::fromStdString(r.record.clientGroup).contains(needle, Qt::CaseInsensitive) ||
         QString::fromStdString(r.record.serverGroup).contains(needle, Qt::CaseInsensitive) ||
         nodeName(r.key.slot).contains(needle, Qt::CaseInsensitive);
}

const FilterColumns& ConnectionTableModel::filterColumns() {
  using Type = FilterValueType;
  auto list = [](QString key, QStringList aliases, int column, Type type) {
    return FilterColumn{std::move(key), std::move(aliases), column, type, true};
  };
  // Keys are what users type, so they stay stable once released; add aliases, never rename.
  static const FilterColumns columns = [&] {
    std::vector<FilterColumn> all({
        {QStringLiteral("node"), {QStringLiteral("nodes")}, Node, Type::Text},
        {QStringLiteral("proto"), {QStringLiteral("protocol")}, Protocol, Type::Text},
        {QStringLiteral("client_ip"), {QStringLiteral("client")}, Client, Type::Address},
        {QStringLiteral("client_port"), {QStringLiteral("cport")}, ClientPort, Type::Number},
        {QStringLiteral("server_ip"), {QStringLiteral("server")}, Server, Type::Address},
        {QStringLiteral("server_port"), {QStringLiteral("sport")}, ServerPort, Type::Number},
        list(QStringLiteral("ip"), {QStringLiteral("address"), QStringLiteral("host")}, AnyAddress,
             Type::Address),
        list(QStringLiteral("port"), {}, AnyPort, Type::Number),
        list(QStringLiteral("vlan"), {}, Vlan, Type::Number),
        {QStringLiteral("app"), {QStringLiteral("application")}, App, Type::Text},
        {QStringLiteral("state"), {}, State, Type::Text},
        {QStringLiteral("first_seen"), {}, FirstSeen, Type::Time},
        {QStringLiteral("last_seen"), {}, LastSeen, Type::Time},
        {QStringLiteral("c2s_packets"), {QStringLiteral("c2s_pkts")}, C2sPackets, Type::Number},
        {QStringLiteral("c2s_bytes"), {}, C2sBytes, Type::Number},
        {QStringLiteral("s2c_packets"), {QStringLiteral("s2c_pkts")}, S2cPackets, Type::Number},
        {QStringLiteral("s2c_bytes"), {}, S2cBytes, Type::Number},
        {QStringLiteral("packets"), {QStringLiteral("pkts")}, Packets, Type::Number},
        {QStringLiteral("bytes"), {}, Bytes, Type::Number},
        {QStringLiteral("bps"),
         {QStringLiteral("bit_rate"), QStringLiteral("bits_per_second")},
         BitRate,
         Type::Number},
        {QStringLiteral("retrans"),
         {QStringLiteral("retransmissions")},
         RetransmissionsTotal,
         Type::Number},
        {QStringLiteral("c2s_retrans"), {}, C2sRetransmissions, Type::Number},
        {QStringLiteral("s2c_retrans"), {}, S2cRetransmissions, Type::Number},
        {QStringLiteral("out_of_order"), {QStringLiteral("ooo")}, OutOfOrder, Type::Number},
        list(QStringLiteral("rtt"), {QStringLiteral("handshake")}, HandshakeTotal, Type::Number),
        list(QStringLiteral("rtt_server"), {}, HandshakeServer, Type::Number),
        list(QStringLiteral("rtt_client"), {}, HandshakeClient, Type::Number),
        {QStringLiteral("c2s_window"), {}, C2sMaxWindow, Type::Number},
        {QStringLiteral("s2c_window"), {}, S2cMaxWindow, Type::Number},
    });
    addExtraFilterColumns(all);
    return FilterColumns(std::move(all));
  }();
  return columns;
}

int ConnectionTableModel::cellValueCount(int row, int column) const {
  const auto& r = rowAt(row).record;
  if (isExtraColumn(column)) return extraValueCount(r, column);
  switch (column) {
    case AnyAddress:
    case AnyPort:
      return 2;
    case Vlan:
      return r.vlan < 0 ? 0 : 1;
    case HandshakeServer:
    case HandshakeClient:
    case HandshakeTotal:
      // No handshake: no value, so neither `rtt < 5` nor `rtt > 5` holds.
      return handshake(r, column) < 0 ? 0 : 1;
    default:
      return 1;
  }
}

double ConnectionTableModel::cellNumber(int row, int column, int index) const {
  const auto& r = rowAt(row).record;
  if (isExtraColumn(column)) return extraNumber(r, column, index);
  switch (column) {
    case AnyPort:
      return index == 0 ? r.clientPort : r.serverPort;
    case Vlan:
      return r.vlan;
    case BitRate:
      return r.c2sBitsPerSecond + r.s2cBitsPerSecond;
    case HandshakeServer:
    case HandshakeClient:
    case HandshakeTotal:
      return static_cast<double>(handshake(r, column)) / 1e6;  // milliseconds
    default:
      return static_cast<double>(counter(r, column));
  }
}

QString ConnectionTableModel::cellText(int row, int column, int index) const {
  const Row& r = rowAt(row);
  if (isExtraColumn(column)) return extraValueText(r.record, column, index);
  switch (column) {
    case Node:
      return nodeName(r.key.slot);
    case Protocol:
      return protocolName(r.record.protocol);
    case Client:
      return r.clientText;
    case Server:
      return r.serverText;
    case AnyAddress:
      return index == 0 ? r.clientText : r.serverText;
    case App:
      return QString::fromStdString(r.record.app);
    case State:
      return QString::fromStdString(r.record.state);
    default:
      return {};
  }
}

net::IpAddress ConnectionTableModel::cellAddress(int row, int column, int index) const {
  const auto& r = rowAt(row).record;
  if (column == Client || (column == AnyAddress && index == 0)) return r.clientIp;
  if (column == Server || column == AnyAddress) return r.serverIp;
  return {};
}

std::int64_t ConnectionTableModel::cellTime(int row, int column, int) const {
  return timeOf(rowAt(row).record, column);
}

std::vector<ConnectionTableModel::ExportRow> ConnectionTableModel::exportRows(
    const std::vector<int>& rows) const {
  std::vector<ExportRow> out;
  out.reserve(rows.size());
  for (int row : rows) {
    const Row& r = rowAt(row);
    out.push_back({r.record, nodeName(r.key.slot)});
  }
  return out;
}

int ConnectionTableModel::slotFor(const QString& nodeId) {
  auto it = m_slotOfNode.constFind(nodeId);
  if (it != m_slotOfNode.constEnd()) return *it;
  int slot = m_nextSlot++;
  m_slotOfNode.insert(nodeId, slot);
  m_nodes[slot] = NodeEntry{nodeId, nodeId, 0};
  return slot;
}

QString ConnectionTableModel::nodeName(int slot) const {
  auto it = m_nodes.find(slot);
  return it == m_nodes.end() ? QString() : it->second.name;
}

void ConnectionTableModel::setNodeName(const QString& nodeId, const QString& name) {
  NodeEntry& node = m_nodes[slotFor(nodeId)];
  if (node.name == name) return;
  node.name = name;
  emitColumnsChanged(Node, Node);
}

std::uint64_t ConnectionTableModel::nodeTotal(const QString& nodeId) const {
  auto slot = m_slotOfNode.constFind(nodeId);
  if (slot == m_slotOfNode.constEnd()) return 0;
  auto it = m_nodes.find(*slot);
  return it == m_nodes.end() ? 0 : it->second.total;
}

void ConnectionTableModel::applyConnections(const QString& nodeId,
                                            const protocol::ConnectionList& list) {
  const int slot = slotFor(nodeId);
  m_nodes[slot].total = list.total;
  const std::uint64_t generation = ++m_generation;
  std::vector<Row*> changed;
  std::vector<std::unique_ptr<Row>> added;
  for (const auto& record : list.connections) {
    Key key{slot,
            record.protocol,
            record.clientIp,
            record.clientPort,
            record.serverIp,
            record.serverPort,
            record.vlan,
            record.firstSeen};
    if (Row* row = findRow(key)) {
      if (row->generation == generation) continue;  // listed twice: the first one counts
      row->generation = generation;
      if (row->record == record) continue;
      row->record = record;
      changed.push_back(row);
      continue;
    }
    auto row = std::make_unique<Row>();
    row->key = key;
    row->record = record;
    row->clientText = QString::fromStdString(record.clientIp.toString());
    row->serverText = QString::fromStdString(record.serverIp.toString());
    row->generation = generation;
    registerKey(*row);
    added.push_back(std::move(row));
  }

  std::vector<int> vanished;
  for (const auto& row : rows()) {
    if (row->key.slot == slot && row->generation != generation) vanished.push_back(row->row);
  }
  removeRowList(vanished);

  // Row numbers are final only after the removals.
  std::vector<int> changedRows;
  changedRows.reserve(changed.size());
  for (Row* row : changed) changedRows.push_back(row->row);
  emitRowsChanged(changedRows, 0, ColumnCount - 1);
  appendRows(added);
}

void ConnectionTableModel::removeNode(const QString& nodeId) {
  auto slot = m_slotOfNode.constFind(nodeId);
  if (slot == m_slotOfNode.constEnd()) return;
  std::vector<int> nodeRows;
  for (const auto& row : rows())
    if (row->key.slot == *slot) nodeRows.push_back(row->row);
  removeRowList(nodeRows);
  m_nodes.erase(*slot);
  m_slotOfNode.erase(slot);
}

}  // namespace netlens::app::models
