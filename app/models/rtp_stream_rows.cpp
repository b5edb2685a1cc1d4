// SPDX-License-Identifier: MIT
#include "app/models/rtp_stream_rows.h"

#include <QCoreApplication>

#include <algorithm>

namespace netlens::app::models::rtp_stream_rows {
namespace {

QString endpoint(const net::IpAddress& ip, std::uint16_t port) {
  const QString address = QString::fromStdString(ip.toString());
  return ip.isV6() ? QStringLiteral("[%1]:%2").arg(address).arg(port)
                   : QStringLiteral("%1:%2").arg(address).arg(port);
}

QString tr(const char* text) {
  return QCoreApplication::translate("RtpStreamRows", text);
}

qlonglong msToNs(double ms) {
  return static_cast<qlonglong>(ms * 1e6);
}

}  // namespace

QVector<SummaryTableModel::Kind> kinds() {
  using K = SummaryTableModel::Kind;
  return {K::Text,  K::Text,    K::Text,     K::Text,     K::Text, K::Count,
          K::Count, K::Percent, K::Duration, K::Duration, K::Text, K::Time};
}

QStringList headers() {
  return {tr("Node"), tr("SSRC"), tr("Source"),     tr("Destination"), tr("Codec"), tr("Packets"),
          tr("Lost"), tr("Loss"), tr("Max jitter"), tr("Mean jitter"), tr("MOS"),   tr("Start")};
}

QString ssrcText(std::uint32_t ssrc) {
  return QStringLiteral("0x%1").arg(ssrc, 8, 16, QLatin1Char('0'));
}

QString key(const QString& nodeId, const protocol::RtpStreamRecord& s) {
  return QStringLiteral("%1|%2|%3>%4")
      .arg(nodeId, ssrcText(s.ssrc), endpoint(s.srcIp, s.srcPort), endpoint(s.dstIp, s.dstPort));
}

SummaryTableModel::Row row(const QString& nodeId, const QString& nodeName,
                           const protocol::RtpStreamRecord& s) {
  SummaryTableModel::Row r;
  r.key = key(nodeId, s);
  const QString codec =
      s.codec.empty() ? QString::number(s.payloadType) : QString::fromStdString(s.codec);
  r.values = {nodeName, ssrcText(s.ssrc), endpoint(s.srcIp, s.srcPort),
              endpoint(s.dstIp, s.dstPort), codec, static_cast<qulonglong>(s.packets),
              // Negative (duplicates) reads as none lost here; the JSON keeps the sign.
              static_cast<qulonglong>(std::max<std::int64_t>(0, s.lost)), s.lostPercent(),
              msToNs(s.maxJitterMs), msToNs(s.meanJitterMs),
              s.mos ? QString::number(*s.mos, 'f', 2) : QString(),
              static_cast<qlonglong>(s.firstSeen)};
  return r;
}

}  // namespace netlens::app::models::rtp_stream_rows
