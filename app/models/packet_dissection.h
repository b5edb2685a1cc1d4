// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <cstdint>
#include <vector>

#include "shared/decoder/decoded_packet.h"

namespace netlens::app::models {

/// One record of a classic pcap file held in memory.
struct PcapRecord {
  std::int64_t timestampNs = 0;
  std::uint32_t capturedLength = 0;
  std::uint32_t wireLength = 0;
  qsizetype offset = 0;  ///< of the packet's data in the file's bytes
};

/// A line of the decoded detail tree: a layer (children are its fields) or a field. `offset`
/// and `length` name its bytes in the frame (-1 when the decoder does not say).
struct PacketField {
  QString name;
  QString value;
  int offset = -1;
  int length = 0;
  std::vector<PacketField> children;
};

/// Turns decoded packets (shared/decoder) into what the Search tab shows: a tcpdump-like
/// summary line, the source, destination and protocol columns, and a detail tree with one
/// node per layer the decoder knows. Also reads the classic pcap a search answer carries.
///
/// Thread: any (pure); the texts are translated with the current language.
class PacketDissection {
  Q_DECLARE_TR_FUNCTIONS(PacketDissection)

 public:
  /// Reads a classic pcap file (either byte order, micro- or nanosecond timestamps) into its
  /// records. Every length is checked against the bytes present and the snapshot length (at
  /// most 256 KiB per packet); a damaged file gives the records before the damage and
  /// `*error` saying what is wrong. Returns false when the file header is not pcap.
  static bool readPcap(const QByteArray& file, std::uint32_t* linkType,
                       std::vector<PcapRecord>* records, QString* error);

  /// "TCP 10.0.0.1.443 > 10.0.0.2.51234 [S.] seq 1 ack 2 win 65535 len 0", "UDP ... len 12",
  /// "ICMP 10.0.0.1 > 10.0.0.2 echo request, id 1, seq 2", "IPv4 ... frag id 7 offset 1480",
  /// "ARP", ... as tcpdump writes them (without its link-layer part).
  static QString summary(const decoder::DecodedPacket& packet);
  /// The innermost IP source and destination (the outer MAC addresses for a frame without IP).
  static QString source(const decoder::DecodedPacket& packet);
  static QString destination(const decoder::DecodedPacket& packet);
  /// The innermost protocol's name: "TCP", "UDP", "ICMPv6", "IPv4", "ARP", "Ethernet".
  static QString protocol(const decoder::DecodedPacket& packet);
  /// The detail tree: "Frame", then each layer outer to inner with its fields.
  static std::vector<PacketField> tree(int linkType, const decoder::DecodedPacket& packet);
  /// TCP flags as tcpdump writes them: "S", "S.", "P.", "F.", "R", "." ...
  static QString tcpFlags(std::uint8_t flags);
};

}  // namespace netlens::app::models
