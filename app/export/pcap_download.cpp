// SPDX-License-Identifier: MIT
#include "app/export/pcap_download.h"

#include <algorithm>

namespace netlens::app::exporting {

PcapDownload::PcapDownload(models::CaptureQuery query, QStringList nodeIds, QString fileName,
                           QObject* parent)
    : QObject(parent),
      m_query(std::move(query)),
      m_nodeIds(std::move(nodeIds)),
      m_nodeNames(m_nodeIds),
      m_fileName(std::move(fileName)) {}

int PcapDownload::percent() const {
  if (m_progress.state == DownloadState::Done) return 100;
  if (m_progress.expectedPackets == 0) return -1;
  const double share =
      static_cast<double>(m_progress.packets) / static_cast<double>(m_progress.expectedPackets);
  return std::clamp(static_cast<int>(share * 100.0), 0, 100);
}

void PcapDownload::updateRate() {
  if (!m_clock.isValid()) return;
  const qint64 ms = m_clock.elapsed();
  // While running, under a tenth of a second a rate says little (a first page would look
  // huge); at the end it is what the download achieved.
  if (ms >= 100 || (!isRunning() && m_progress.bytes != 0)) {
    m_progress.bytesPerSecond = static_cast<double>(m_progress.bytes) * 1000.0 /
                                static_cast<double>(std::max<qint64>(ms, 1));
  }
}

void PcapDownload::report(quint64 packets, quint64 bytes, quint64 expectedPackets) {
  if (!isRunning()) return;
  m_progress.packets = packets;
  m_progress.bytes = bytes;
  m_progress.expectedPackets = std::max(expectedPackets, packets);
  updateRate();
  emit progressChanged();
}

void PcapDownload::end(DownloadState state, const QString& reason, quint64 packets, quint64 bytes) {
  if (!isRunning()) return;
  m_progress.state = state;
  m_progress.reason = reason;
  m_progress.packets = packets;
  m_progress.bytes = bytes;
  if (state == DownloadState::Done) m_progress.expectedPackets = packets;
  updateRate();
  emit progressChanged();
  emit finished(state);
}

}  // namespace netlens::app::exporting
