// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>
#include <string>
#include <vector>

#include "shared/protocol/codec.h"
#include "shared/protocol/messages.h"

class QThreadPool;

namespace netlens::app::core {
class NodeManager;
class SearchRunner;
}  // namespace netlens::app::core

namespace netlens::app::exporting {

/// Saves a search's packets: runs the search in mode "packets" on each chosen node and, once
/// every node answered, merges the answers into the one chosen file — in time order, the
/// copies of a packet several nodes saw written once (pcap::CaptureMerger) — as pcapng with
/// one interface per node, or classic pcap for a ".pcap" name (pcap::formatForFileName; for old
/// tools, the nodes' link types must then agree). The file is written under a temporary name and
/// renamed when complete, on a worker thread.
///
/// Thread: GUI thread; never waits for the network. The destructor waits for a file being
/// written. Does not own `nodes`.
class PcapSaveJob : public QObject {
  Q_OBJECT

 public:
  PcapSaveJob(core::NodeManager* nodes, QObject* parent = nullptr);
  ~PcapSaveJob() override;

  /// Starts saving (`params` as for "search"; the mode is set here). False when a save runs
  /// or there is no node.
  bool start(const QStringList& nodeIds, protocol::Params params, const QString& fileName);
  /// Drops what is still to come; files already complete stay.
  void stop();
  bool isRunning() const { return m_running; }

 signals:
  /// What is happening, for a status line ("Saving: 1 of 2 nodes done").
  void progressChanged(const QString& text);
  /// A node's packets are in the file (`packets` of its answer; copies another node also
  /// saw are in the file once).
  void nodeSaved(const QString& nodeId, const QString& fileName, quint64 packets, bool truncated);
  void nodeFailed(const QString& nodeId, const QString& reason);
  /// Every node answered and every file is written, or the save was stopped.
  void finished(bool stopped);

 private:
  void onAnswered(const QString& nodeId, const protocol::SearchReply& reply);
  void onNodeFailed(const QString& nodeId, const QString& reason);
  void settle();
  void writeMerged();
  QString nodeName(const QString& nodeId) const;

  struct Answer {
    QString nodeId;
    QString nodeName;
    std::uint32_t linkType = 0;
    quint64 packets = 0;
    bool truncated = false;
    std::string pcap;
  };

  core::NodeManager* m_nodes;
  core::SearchRunner* m_runner;
  QThreadPool* m_writers;
  bool m_running = false;
  int m_total = 0;
  int m_done = 0;
  int m_writing = 0;
  quint64 m_generation = 0;
  QString m_fileName;
  std::vector<Answer> m_answers;
};

}  // namespace netlens::app::exporting
