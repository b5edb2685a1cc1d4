// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

class QThreadPool;

#include "app/core/protocol_metatypes.h"
#include "shared/protocol/codec.h"

namespace netlens::app::core {

class NodeManager;

/// Runs one "search" on several nodes at once and hands on each node's answer. The requests
/// go through NodeManager::request (each on its node's I/O thread); the answer's body, which
/// in mode "packets" carries up to the node's maximum of packets, is decoded on a thread pool
/// of its own, never on the GUI thread. stop() or a new start() drops every answer still to
/// come.
///
/// Paged by time (setPageBudget): each request asks the node to stop after that many
/// milliseconds of searching and to say where it got to; the runner asks for the next page
/// at once, adds the pages' sessions up (by protocol, addresses and ports) off the GUI
/// thread, reports progress per page and hands on one answer at the end. A page that ends
/// at the search's limit with the node out of time is followed by pages of one packet, not
/// kept, until the node finds one more match or the end of the range, so that `truncated`
/// says only what is true. A long search then
/// never holds a node's store (and its other requests) for longer than a page, and stop()
/// ends it after the page in flight.
///
/// Thread: GUI thread; never waits. Does not own `nodes`, which must outlive it.
class SearchRunner : public QObject {
  Q_OBJECT

 public:
  explicit SearchRunner(NodeManager* nodes, QObject* parent = nullptr);
  /// Waits for an answer being decoded (its result is dropped).
  ~SearchRunner() override;

  /// Sends `params` to every node of `nodeIds` (a running search is dropped first). Nodes
  /// the manager does not know fail at once with nodeFailed.
  void start(const QStringList& nodeIds, const protocol::Params& params);
  /// Milliseconds of node time per page (parameter "budget-ms"; 0, the default, asks each
  /// node once). For sessions-only searches ("mode" list): the packets of a paged answer are
  /// not joined.
  void setPageBudget(int milliseconds) { m_pageBudgetMs = milliseconds; }
  /// Drops the answers still to come; nothing more is emitted for this search.
  void stop();
  /// Ends the search as the user's Stop does: the answers still to come are dropped, and
  /// each paged node that had sent pages hands on what they held (nodeStopped, after any
  /// page already being decoded; nodeAnswered when its last page was in). Nodes asked once,
  /// or without a page yet, hand on nothing. finished() is not sent.
  void stopKeepingPages();
  bool isRunning() const { return !m_pending.isEmpty(); }
  /// Nodes whose answer is still to come.
  QStringList pendingNodes() const { return m_pending.keys(); }

 signals:
  void nodeAnswered(const QString& nodeId, const netlens::protocol::SearchReply& reply);
  /// A page of a paged search arrived and the next one is asked for: the packets and
  /// sessions found so far, and the node's estimate of the whole answer's packets.
  void nodeProgress(const QString& nodeId, quint64 packets, quint64 sessions,
                    quint64 estimatedPackets);
  /// A page of a search selecting whole sessions (payload per session, HTTP fields) ended
  /// while the node was still finding the sessions: the packets that pass has read so far
  /// and its estimate of all it reads.
  void nodeScanProgress(const QString& nodeId, quint64 packetsRead, quint64 estimatedPackets);
  /// The search was stopped (stopKeepingPages) after this node's pages so far: their
  /// sessions and counters, as in nodeAnswered but incomplete.
  void nodeStopped(const QString& nodeId, const netlens::protocol::SearchReply& partial);
  /// The node failed or refused (its error message, translated framing).
  void nodeFailed(const QString& nodeId, const QString& reason);
  /// Every node of the search answered or failed (not sent after stop()).
  void finished();

 private:
  void onReplied(const QString& nodeId, quint64 token, const QByteArray& body);
  void onFailed(const QString& nodeId, quint64 token, const QString& reason);
  struct Pages;  // one node's paged answer so far (touched by the decoding task only)
  /// Sends the request for `nodeId`'s next page (or its only one); false when the manager
  /// does not know the node.
  bool send(const QString& nodeId, const protocol::Params& params);

  NodeManager* m_nodes;
  QThreadPool* m_decoders;            ///< decodes answers off the GUI thread; owned
  QHash<QString, quint64> m_pending;  ///< node id → token of its outstanding request
  quint64 m_generation = 0;           ///< of the current search; decoded answers of older ones drop
  int m_pageBudgetMs = 0;
  protocol::Params m_params;                       ///< of the current search
  QHash<QString, std::shared_ptr<Pages>> m_pages;  ///< per node, while paged
};

}  // namespace netlens::app::core
