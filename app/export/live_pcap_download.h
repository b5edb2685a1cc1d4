// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

#include "app/export/pcap_download.h"
#include "shared/protocol/codec.h"

class QThreadPool;
class QTimer;

namespace netlens::app::core {
class NodeManager;
}

namespace netlens::app::exporting {

/// A live download: the packets matching the query's criteria as the nodes capture them,
/// until stopped. Every chosen node gets a "live-start" with the criteria (the query's time
/// range and limit do not apply and are left out); each capture is then polled with
/// "live-fetch" about every kPollMs, one request per node at a time, so a slow node only
/// delays its own chunks. Chunks are decoded, merged in time order through pcap::CaptureMerger
/// (pcapng with one interface per node, classic pcap for a ".pcap" name) and written to
/// FILE.part on a worker thread of this download's own, in the order they arrive.
///
/// Stop sends "live-stop" to every node (its reply carries the last packets), writes them and
/// finishes the file under its final name: "stopped: N packets kept". A node that refuses or
/// fails fails the download with the node named; the other nodes' captures are stopped and what
/// arrived is kept (no file when nothing did).
///
/// Thread: GUI thread; never waits for the network. The destructor of a running download
/// asks the nodes to stop (without waiting for their answers) and waits for the worker to
/// finish the file. Does not own `nodes`.
class LivePcapDownload : public PcapDownload {
  Q_OBJECT

 public:
  /// Time between two fetches of one node, as the command line polls.
  static constexpr int kPollMs = 200;

  LivePcapDownload(core::NodeManager* nodes, models::CaptureQuery query, QStringList nodeIds,
                   QString fileName, QObject* parent = nullptr);
  ~LivePcapDownload() override;

  DownloadSource source() const override { return DownloadSource::Live; }
  void start() override;
  void stop() override;

  /// The node's packet time when its capture started (0 until it answered): every packet of
  /// that node in the file is at least as new.
  protocol::TimeNs startPacketTime(const QString& nodeId) const;
  /// The node's id of the capture (0 until it answered), for "live-list".
  quint64 captureId(const QString& nodeId) const;
  /// Packets the nodes matched so far (their counters, ahead of the file: the merge holds a
  /// few back to keep time order).
  quint64 nodePackets() const;
  /// True once every node's capture runs (and until the download ends).
  bool isCapturing() const;

  struct Writer;        ///< the worker's side: the merger (in the .cpp)
  struct ChunkOutcome;  ///< what the worker reports after a chunk (in the .cpp)

 private:
  enum class Phase { Starting, Running, Stopping, Stopped };
  struct Feed {
    QString id;
    QString name;
    Phase phase = Phase::Starting;
    quint64 token = 0;  ///< of the request in flight, 0 when none
    quint64 captureId = 0;
    protocol::TimeNs startPacketTime = 0;
    quint32 linkType = 0;
    quint64 packets = 0;  ///< matched on the node so far
    quint64 dropped = 0;  ///< refused by the node's full buffer
  };

  void send(Feed& feed, protocol::OperationId operation);
  void poll();
  void onReplied(const QString& nodeId, quint64 token, const QByteArray& body);
  void onFailed(const QString& nodeId, quint64 token, const QString& reason);
  void onStarted(Feed& feed, const QByteArray& body);
  void onChunk(int feed, bool last, const ChunkOutcome& outcome);
  void stopFeeds();
  void maybeFinish();
  void fail(const QString& reason);
  void close(DownloadState state, const QString& reason);
  int feedOf(const QString& nodeId, quint64 token) const;

  core::NodeManager* m_nodes;
  QThreadPool* m_worker;  ///< one thread: chunks are merged in the order they arrive; owned
  QTimer* m_poll;
  std::shared_ptr<Writer> m_writer;
  std::vector<Feed> m_feeds;
  protocol::Params m_params;
  bool m_stopping = false;  ///< stop asked: no more fetches, live-stop sent or to be sent
  bool m_closing = false;   ///< the file is being finished
  QString m_failure;        ///< the first failure, when failing
  quint64 m_written = 0;
  quint64 m_fileBytes = 0;
};

}  // namespace netlens::app::exporting
