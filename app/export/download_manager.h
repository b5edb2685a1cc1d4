// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

#include "app/export/pcap_download.h"
#include "app/models/capture_query.h"

class QWidget;

namespace netlens::app::core {
class NodeManager;
}

namespace netlens::app::exporting {

class LivePcapDownload;
class StorePcapDownload;

/// Owns every PCAP download of the console session — running, finished, stopped or failed —
/// in the order they were started, for the Captures view. Views ask for downloads through
/// it (download(), downloadInteractively()); another source kind (live capture) plugs in with
/// add().
///
/// The file chooser is a function so that tests never open a modal dialog; the default one
/// suggests "<stem>-<time>.pcapng" in the last folder used, with a classic ".pcap" choice.
///
/// Thread: GUI thread. Does not own `nodes`; destroying the manager stops the running
/// downloads (keeping what arrived) and waits for their files to be finished.
class DownloadManager : public QObject {
  Q_OBJECT

 public:
  /// (parent widget, dialog title, suggested path) → chosen path, empty when cancelled.
  using FileChooser = std::function<QString(QWidget*, const QString&, const QString&)>;

  explicit DownloadManager(core::NodeManager* nodes, QObject* parent = nullptr);
  ~DownloadManager() override;

  void setFileChooser(FileChooser chooser);
  /// Page size of the ring downloads started from now on (tests use small pages).
  void setPageBytes(quint64 bytes) { m_pageBytes = bytes; }

  /// Starts a download of `query` from the packet rings of `nodeIds` (empty: every node the
  /// console knows) into `fileName`. Null when there is no node or no file name.
  StorePcapDownload* download(const models::CaptureQuery& query, QStringList nodeIds,
                              const QString& fileName);
  /// Asks the file chooser for a file, suggesting suggestedFileName(stem); remembers its
  /// folder. Empty when cancelled.
  QString chooseFile(QWidget* parent, const QString& title, const QString& stem);
  /// Asks for a file name (chooseFile()), then download(). Null when cancelled.
  StorePcapDownload* downloadInteractively(QWidget* parent, const models::CaptureQuery& query,
                                           const QStringList& nodeIds = {});
  /// Starts a live download of `query`'s criteria from `nodeIds` (empty: every node the
  /// console knows) into `fileName`, until stopped. Null when there is no node or no file name.
  LivePcapDownload* liveCapture(const models::CaptureQuery& query, QStringList nodeIds,
                                const QString& fileName);
  /// Asks for a file name (chooseFile()), then liveCapture(). Null when cancelled.
  LivePcapDownload* liveCaptureInteractively(QWidget* parent, const models::CaptureQuery& query,
                                             const QStringList& nodeIds = {});
  /// The running live download titled `title` (one per item: its action toggles), or null.
  PcapDownload* runningLive(const QString& title) const;
  /// Stops the running live download titled `title`, else starts one interactively.
  void toggleLiveCapture(QWidget* parent, const models::CaptureQuery& query);
  /// Adopts and starts a download of any source kind.
  PcapDownload* add(std::unique_ptr<PcapDownload> download);

  int count() const { return static_cast<int>(m_downloads.size()); }
  /// The download at `row` (start order), or null.
  PcapDownload* at(int row) const;
  int indexOf(const PcapDownload* download) const;
  int runningCount() const;
  /// Stops the download at `row` if it runs.
  void stop(int row);
  void stopAll();
  /// Forgets the downloads that ended (their files stay).
  void removeFinished();

  /// "<stem>-yyyyMMdd-HHmmss.pcapng" in the folder last used (Documents at first).
  static QString suggestedFileName(const QString& stem);

 signals:
  void downloadAdded(int row);
  void downloadChanged(int row);
  void downloadFinished(int row);
  /// A live download started or ended: actions that toggle to "Stop live capture" update.
  void liveCapturesChanged();
  /// Rows [first, last] are about to go (removeFinished), and went.
  void downloadsAboutToBeRemoved(int first, int last);
  void downloadsRemoved();
  /// A one-line status for the status bar.
  void statusMessage(const QString& text, int timeoutMs);

 private:
  core::NodeManager* m_nodes;
  FileChooser m_chooser;
  quint64 m_pageBytes = 0;  ///< 0: the download's default
  std::vector<std::unique_ptr<PcapDownload>> m_downloads;
};

}  // namespace netlens::app::exporting
