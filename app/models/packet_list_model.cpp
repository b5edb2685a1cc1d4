// SPDX-License-Identifier: MIT
#include "app/models/packet_list_model.h"

#include <QDateTime>

#include "app/models/search_query.h"
#include "shared/decoder/packet_decoder.h"

namespace netlens::app::models {

std::shared_ptr<const PacketList> PacketList::build(QByteArray pcap,
                                                    const protocol::SearchSession* session) {
  auto list = std::make_shared<PacketList>();
  list->pcap = std::move(pcap);
  std::vector<PcapRecord> all;
  if (!PacketDissection::readPcap(list->pcap, &list->linkType, &all, &list->problem)) return list;
  if (!session) {
    list->records = std::move(all);
    return list;
  }
  decoder::DecodedPacket decoded;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const PcapRecord& r = all[i];
    decoder::PacketDecoder::decode(
        static_cast<int>(list->linkType),
        reinterpret_cast<const std::uint8_t*>(list->pcap.constData() + r.offset), r.capturedLength,
        r.wireLength, r.timestampNs, decoded);
    if (SearchQuery::inSession(decoded, *session)) list->records.push_back(r);
  }
  return list;
}

void PacketList::decode(std::size_t i, decoder::DecodedPacket& out) const {
  const PcapRecord& r = records[i];
  decoder::PacketDecoder::decode(static_cast<int>(linkType),
                                 reinterpret_cast<const std::uint8_t*>(pcap.constData() + r.offset),
                                 r.capturedLength, r.wireLength, r.timestampNs, out);
}

QByteArray PacketList::bytes(std::size_t i) const {
  const PcapRecord& r = records[i];
  return pcap.mid(r.offset, r.capturedLength);
}

PacketListModel::PacketListModel(QObject* parent) : QAbstractTableModel(parent) {}

int PacketListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || !m_list ? 0 : static_cast<int>(m_list->records.size());
}

int PacketListModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant PacketListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  if (role == Qt::TextAlignmentRole)
    return index.column() == Number || index.column() == Length
               ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
               : QVariant();
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
  if (role == Qt::ToolTipRole && index.column() != Time && index.column() != Info) return {};
  const auto row = static_cast<std::size_t>(index.row());
  const PcapRecord& r = m_list->records[row];
  switch (index.column()) {
    case Number:
      return index.row() + 1;
    case Time: {
      // The time of day in the list (the date in the tooltip): a session rarely spans days.
      const QDateTime t = QDateTime::fromMSecsSinceEpoch(r.timestampNs / 1'000'000);
      return t.toString(role == Qt::ToolTipRole ? QStringLiteral("yyyy-MM-dd HH:mm:ss.")
                                                : QStringLiteral("HH:mm:ss.")) +
             QStringLiteral("%1").arg(r.timestampNs % 1'000'000'000 / 1000, 6, 10,
                                      QLatin1Char('0'));
    }
    case Length:
      return r.wireLength;
    default:
      break;
  }
  decoder::DecodedPacket decoded;
  m_list->decode(row, decoded);
  switch (index.column()) {
    case Source:
      return PacketDissection::source(decoded);
    case Destination:
      return PacketDissection::destination(decoded);
    case Protocol:
      return PacketDissection::protocol(decoded);
    case Info:
      return PacketDissection::summary(decoded);
    default:
      return {};
  }
}

QVariant PacketListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Number:
      return tr("No.");
    case Time:
      return tr("Time");
    case Source:
      return tr("Source");
    case Destination:
      return tr("Destination");
    case Protocol:
      return tr("Protocol");
    case Length:
      return tr("Length");
    case Info:
      return tr("Summary");
    default:
      return {};
  }
}

void PacketListModel::setList(std::shared_ptr<const PacketList> list) {
  beginResetModel();
  m_list = std::move(list);
  endResetModel();
}

}  // namespace netlens::app::models
