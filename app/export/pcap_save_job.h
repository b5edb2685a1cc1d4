// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

#include "shared/protocol/codec.h"
#include "shared/protocol/messages.h"

class QThreadPool;

namespace netlens::app::core {
class NodeManager;
class SearchRunner;
}  // namespace netlens::app::core

namespace netlens::app::exporting {

/// Saves a search's packets as pcap: runs the search in mode "packets" on each chosen node
/// and writes each node's answer to a file of its own — with one node the chosen file, with
/// several NAME-NODE.pcap beside it. Each file is written under a temporary name and renamed
/// when complete (QSaveFile), on a worker thread; a stopped save leaves no partial file.
/// This is the one place that turns answers into files, so that a merge of all nodes into
/// one pcapng can replace it.
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

  /// The file for one node's packets: `chosen` itself when one node is saved, else
  /// `chosen` with "-NODE" before its suffix (characters unsafe in file names replaced).
  static QString fileNameFor(const QString& chosen, const QString& nodeName, int nodeCount);

 signals:
  /// What is happening, for a status line ("Saving: 1 of 2 nodes done").
  void progressChanged(const QString& text);
  void nodeSaved(const QString& nodeId, const QString& fileName, quint64 packets, bool truncated);
  void nodeFailed(const QString& nodeId, const QString& reason);
  /// Every node answered and every file is written, or the save was stopped.
  void finished(bool stopped);

 private:
  void onAnswered(const QString& nodeId, const protocol::SearchReply& reply);
  void onNodeFailed(const QString& nodeId, const QString& reason);
  void settle();
  QString nodeName(const QString& nodeId) const;

  core::NodeManager* m_nodes;
  core::SearchRunner* m_runner;
  QThreadPool* m_writers;
  bool m_running = false;
  int m_total = 0;
  int m_done = 0;
  int m_writing = 0;
  quint64 m_generation = 0;
  QString m_fileName;
};

}  // namespace netlens::app::exporting
