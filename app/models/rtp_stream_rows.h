// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

#include "app/models/summary_table_model.h"
#include "shared/protocol/messages.h"

namespace netlens::app::models {

/// The RTP stream table as the VoIP tab and the IP detail page show it, over a
/// SummaryTableModel: node, SSRC, source, destination, codec, packets, lost, loss, max and
/// mean jitter, MOS and start. Thread: GUI thread (headers are translated).
namespace rtp_stream_rows {

enum Column {
  Node,
  Ssrc,
  Source,
  Destination,
  Codec,
  Packets,
  Lost,
  LossPercent,
  MaxJitter,
  MeanJitter,
  Mos,
  Start,
  ColumnCount
};

QVector<SummaryTableModel::Kind> kinds();
QStringList headers();
/// The row key of a node's stream: node, SSRC and 5-tuple.
QString key(const QString& nodeId, const protocol::RtpStreamRecord& stream);
SummaryTableModel::Row row(const QString& nodeId, const QString& nodeName,
                           const protocol::RtpStreamRecord& stream);
/// "0x1a2b3c4d"
QString ssrcText(std::uint32_t ssrc);

}  // namespace rtp_stream_rows
}  // namespace netlens::app::models
