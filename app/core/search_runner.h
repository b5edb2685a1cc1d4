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

/// Runs one "search" request on several nodes at once and hands on each node's answer.
/// The requests go through NodeManager::request (each on its node's I/O thread); the
/// answer's body, which in mode "packets" carries up to the node's maximum of packets, is
/// decoded on a thread pool of its own, never on the GUI thread. stop() or a new start()
/// drops every answer still to come.
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
  /// Drops the answers still to come; nothing more is emitted for this search.
  void stop();
  bool isRunning() const { return !m_pending.isEmpty(); }
  /// Nodes whose answer is still to come.
  QStringList pendingNodes() const { return m_pending.keys(); }

 signals:
  void nodeAnswered(const QString& nodeId, const netlens::protocol::SearchReply& reply);
  /// The node failed or refused (its error message, translated framing).
  void nodeFailed(const QString& nodeId, const QString& reason);
  /// Every node of the search answered or failed (not sent after stop()).
  void finished();

 private:
  void onReplied(const QString& nodeId, quint64 token, const QByteArray& body);
  void onFailed(const QString& nodeId, quint64 token, const QString& reason);

  NodeManager* m_nodes;
  QThreadPool* m_decoders;            ///< decodes answers off the GUI thread; owned
  QHash<QString, quint64> m_pending;  ///< node id → token of its outstanding request
  quint64 m_generation = 0;           ///< of the current search; decoded answers of older ones drop
};

}  // namespace netlens::app::core
