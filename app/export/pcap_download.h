// SPDX-License-Identifier: MIT
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QStringList>

#include "app/models/capture_query.h"

namespace netlens::app::exporting {

/// Where a download's packets come from. A new kind adds a PcapDownload subclass and a
/// value here; the manager, the Captures model and view treat every kind alike.
enum class DownloadSource {
  Store,  ///< the nodes' packet rings, through paged "search" requests (StorePcapDownload)
  /// Packets as they are captured, through "live-start", "live-fetch" and "live-stop"
  /// (LivePcapDownload).
  Live,
  /// A call's or a stream's audio (MP3 or WAV), through paged "audio" requests
  /// (AudioDownload); its "packets" are RTP packets and its "bytes" their payloads.
  Audio,
};

enum class DownloadState { Running, Done, Stopped, Failed };

/// A download's figures as the Captures view shows them.
struct DownloadProgress {
  DownloadState state = DownloadState::Running;
  /// Failed: why. Done or Stopped: a note for the user ("2 copies left out"); may be empty.
  QString reason;
  quint64 packets = 0;  ///< in the file so far
  quint64 bytes = 0;    ///< size of the file so far
  /// Packets the whole download is expected to hold (an upper bound), 0 when unknown (live).
  quint64 expectedPackets = 0;
  double bytesPerSecond = 0;  ///< average since the start, frozen at the end
  /// Live: packets that matched but that the nodes' full buffers refused, over all nodes.
  quint64 dropped = 0;
};

/// One PCAP download into one local file: the common face of every source kind. The subclass
/// fetches and writes; this keeps the figures and tells the manager.
///
/// Files are written under PATH.part and renamed to PATH when complete; a stopped download
/// keeps what arrived under PATH (and says so); a failed one keeps what arrived when anything
/// did, else leaves no file.
///
/// Thread: GUI thread. Owned by the DownloadManager.
class PcapDownload : public QObject {
  Q_OBJECT

 public:
  PcapDownload(models::CaptureQuery query, QStringList nodeIds, QString fileName,
               QObject* parent = nullptr);

  virtual DownloadSource source() const = 0;
  /// Starts fetching. Called once, by the manager.
  virtual void start() = 0;
  /// Stops fetching and finishes the file with what arrived (state Stopped). No effect
  /// unless running.
  virtual void stop() = 0;

  const models::CaptureQuery& query() const { return m_query; }
  QString title() const { return m_query.title; }
  QStringList nodeIds() const { return m_nodeIds; }
  /// The nodes' names for display (set by the subclass as it learns them).
  QStringList nodeNames() const { return m_nodeNames; }
  QString fileName() const { return m_fileName; }
  const DownloadProgress& progress() const { return m_progress; }
  bool isRunning() const { return m_progress.state == DownloadState::Running; }
  /// 0..100, or -1 when unknown.
  int percent() const;

 signals:
  /// Figures changed (throttled by the subclass to a few times a second at most).
  void progressChanged();
  /// The download ended: done, stopped or failed. Sent once.
  void finished(netlens::app::exporting::DownloadState state);

 protected:
  void setNodeNames(QStringList names) { m_nodeNames = std::move(names); }
  /// New figures while running; the rate is computed here.
  void report(quint64 packets, quint64 bytes, quint64 expectedPackets);
  /// The end: state, note or reason, and final figures.
  void end(DownloadState state, const QString& reason, quint64 packets, quint64 bytes);
  void startClock() { m_clock.start(); }
  /// Live: the nodes' drop counters (shown with the next report()).
  void setDropped(quint64 dropped) { m_progress.dropped = dropped; }

 private:
  void updateRate();

  models::CaptureQuery m_query;
  QStringList m_nodeIds;
  QStringList m_nodeNames;
  QString m_fileName;
  DownloadProgress m_progress;
  QElapsedTimer m_clock;
};

}  // namespace netlens::app::exporting
