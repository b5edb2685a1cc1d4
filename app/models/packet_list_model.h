// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractTableModel>
#include <QByteArray>
#include <QString>

#include <memory>
#include <vector>

#include "app/models/packet_dissection.h"
#include "shared/decoder/decoded_packet.h"
#include "shared/protocol/messages.h"

namespace netlens::app::models {

/// The packets of one search answer, as the packet list shows them: the answer's pcap bytes
/// and the records picked from it. Built off the GUI thread (build()), then handed to the
/// model whole. Immutable once built.
struct PacketList {
  QByteArray pcap;
  std::uint32_t linkType = 0;
  std::vector<PcapRecord> records;
  QString problem;  ///< why the pcap could not be read (in full), empty when it could

  /// Reads `pcap` and keeps the packets of `session` (all when `session` is null). Thread:
  /// any (pure); decodes every packet once, so call it off the GUI thread.
  static std::shared_ptr<const PacketList> build(QByteArray pcap,
                                                 const protocol::SearchSession* session);
  /// Decodes record `i` into `out` (pointers into `pcap`, valid while this list is).
  void decode(std::size_t i, decoder::DecodedPacket& out) const;
  /// The bytes of record `i`.
  QByteArray bytes(std::size_t i) const;
};

/// A packet list in the manner of tcpdump and Wireshark: number, time, source,
/// destination, protocol, length and a one-line summary (PacketDissection). Rows are decoded
/// when a view asks for them (only visible rows are), never all at once on the GUI thread.
///
/// Thread: GUI thread only.
class PacketListModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { Number, Time, Source, Destination, Protocol, Length, Info, ColumnCount };

  explicit PacketListModel(QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  /// Shows `list` (null: nothing).
  void setList(std::shared_ptr<const PacketList> list);
  const std::shared_ptr<const PacketList>& list() const { return m_list; }

 private:
  std::shared_ptr<const PacketList> m_list;
};

}  // namespace netlens::app::models
