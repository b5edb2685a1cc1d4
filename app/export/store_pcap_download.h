// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>
#include <string>
#include <vector>

#include "app/export/pcap_download.h"
#include "shared/protocol/codec.h"

class QThreadPool;

namespace netlens::app::core {
class NodeManager;
}

namespace netlens::app::exporting {

/// A download from the nodes' packet rings: a paged "search" per node (mode "packets",
/// "chunk-bytes" per page, "after" = the previous page's resume token), merged into one file
/// in time order with the copies several nodes saw written once (pcap::CaptureMerger): pcapng
/// with one interface per node, or classic pcap for a ".pcap" name (the nodes' link types
/// must then agree).
///
/// Flow control as in the command line's download: every node is asked for its first page
/// (the file's interfaces need each node's link type); after that a node is asked for its
/// next page only while the merge waits for that node's packets, one request per node at a
/// time, so memory stays at about a page per node whatever the size of the answer. Decoding,
/// merging and writing run on a worker thread of this download's own, in order.
///
/// A "limit" in the query's parameters caps the whole download (not a page). Progress is the
/// packets written against the nodes' estimates (each page's `estimatedPackets`).
///
/// Stop: no further page is asked for, a page in flight is dropped, and the file is finished
/// under its final name with what was merged so far: "stopped: N packets kept". A node that
/// fails (refusal, lost connection, a bad page) fails the whole download the same way: what
/// arrived is kept, and the reason says which node and why.
///
/// Thread: GUI thread; never waits for the network. The destructor stops a running download
/// and waits for the worker to finish the file. Does not own `nodes`.
class StorePcapDownload : public PcapDownload {
  Q_OBJECT

 public:
  /// Default page size ("chunk-bytes"): big enough for few requests, small enough for memory.
  static constexpr quint64 kDefaultPageBytes = 4u << 20;

  StorePcapDownload(core::NodeManager* nodes, models::CaptureQuery query, QStringList nodeIds,
                    QString fileName, QObject* parent = nullptr);
  ~StorePcapDownload() override;

  DownloadSource source() const override { return DownloadSource::Store; }
  void start() override;
  void stop() override;

  /// Page size asked of the nodes (clamped to what the protocol takes). Before start().
  void setPageBytes(quint64 bytes);
  /// Packets node `nodeId` has sent so far (before copies are dropped).
  quint64 nodePackets(const QString& nodeId) const;
  /// Pages received over all nodes.
  int pagesReceived() const { return m_pages; }
  /// Copies of a packet seen by several nodes, left out of the file.
  quint64 duplicatesDropped() const { return m_duplicates; }
  /// The query's limit stopped the download before every matching packet was fetched.
  bool limitReached() const { return m_limitReached; }

  struct Writer;       ///< the worker's side: merger and first pages (in the .cpp)
  struct PageOutcome;  ///< what the worker reports after a page (in the .cpp)

 private:
  struct Feed {
    QString id;
    QString name;
    quint64 token = 0;      ///< of the request in flight, 0 when none
    quint64 pageLimit = 0;  ///< packets the request in flight may bring
    std::string after;      ///< resume token of the next page
    bool answered = false;
    bool done = false;
    quint64 packets = 0;
    quint64 estimated = 0;  ///< packets of this node's whole answer, an upper bound
  };

  void ask(int feed);
  void onReplied(const QString& nodeId, quint64 token, const QByteArray& body);
  void onFailed(const QString& nodeId, quint64 token, const QString& reason);
  void onPage(int feed, const PageOutcome& outcome);
  void pump();
  void close(DownloadState state, const QString& reason);
  int feedOf(const QString& nodeId, quint64 token) const;
  quint64 expected() const;
  quint64 received() const;

  core::NodeManager* m_nodes;
  QThreadPool* m_worker;  ///< one thread: pages are merged in the order they arrive; owned
  std::shared_ptr<Writer> m_writer;
  std::vector<Feed> m_feeds;
  std::vector<bool> m_wants;  ///< per feed: the merge waits for it (last worker report)
  protocol::Params m_params;
  quint64 m_pageBytes = kDefaultPageBytes;
  quint64 m_limit = 0;  ///< packets over all nodes; 0 for no limit
  bool m_closing = false;
  bool m_limitReached = false;
  int m_pages = 0;
  quint64 m_written = 0;
  quint64 m_fileBytes = 0;
  quint64 m_duplicates = 0;
};

}  // namespace netlens::app::exporting
