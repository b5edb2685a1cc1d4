// SPDX-License-Identifier: MIT
#pragma once
// A capture's packets as libpcap reads them (and filters them, as `tcpdump -r FILE FILTER`
// would), for the tests that compare the packet store with the original file.

#include <QByteArray>
#include <QString>
#include <QVector>
#include <QtGlobal>
#include <cstdint>
#include <string>

#include "node/capture/pcap_source.h"

namespace netlens::tests {

struct CapturePacket {
  std::int64_t ts = 0;
  std::uint32_t wireLength = 0;
  std::uint32_t linkType = 0;
  QByteArray bytes;
  friend bool operator==(const CapturePacket&, const CapturePacket&) = default;
};

/// The packets of `file` that libpcap's filter `expression` passes ("" for all).
inline QVector<CapturePacket> capturePackets(const QString& file, const std::string& expression) {
  using node::capture::PcapSource;
  QVector<CapturePacket> out;
  std::string error;
  auto source = PcapSource::openFile(file.toStdString(), &error);
  if (!source || !source->setFilter(expression, &error)) {
    qWarning("%s", error.c_str());
    return out;
  }
  node::capture::RawPacket p;
  while (source->next(p) == node::capture::ReadStatus::Packet) {
    out.push_back({p.timestampNs, p.wireLength, static_cast<std::uint32_t>(p.linkType),
                   QByteArray(reinterpret_cast<const char*>(p.data), int(p.capturedLength))});
  }
  return out;
}

}  // namespace netlens::tests
