// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QObject>
#include <QString>

#include "app/core/connection_scope.h"
#include "app/core/protocol_metatypes.h"

class QTimer;

namespace netlens::app::core {

class NodeManager;

/// Keeps asking every connected node for its connections ("connections" operation) while
/// it is active: at once, then every intervalMs(); a node whose previous answer has not
/// come yet is skipped in that round, so a slow node is never asked twice at a time. The requests
/// run on each node's I/O thread (NodeManager::requestConnections); answers arrive here by queued
/// signals and are handed on with the node id.
///
/// Thread: GUI thread; never waits. Does not own `nodes`, which must outlive it.
class ConnectionPoller : public QObject {
  Q_OBJECT

 public:
  static constexpr int kDefaultIntervalMs = 2000;

  /// `scope`: which connections (default all). `limit`: 0 for the node default.
  ConnectionPoller(NodeManager* nodes, ConnectionScope scope = {}, quint64 limit = 0,
                   QObject* parent = nullptr);

  const ConnectionScope& scope() const { return m_scope; }
  /// The address the poller is limited to; empty when it asks for all or for a group.
  QString ip() const { return m_scope.param == QLatin1String("ip") ? m_scope.value : QString(); }
  bool isActive() const { return m_active; }
  /// Starts (with an immediate round) or stops polling. Answers to requests already sent
  /// after stopping are dropped.
  void setActive(bool active);
  int intervalMs() const { return m_intervalMs; }
  void setIntervalMs(int ms);

 signals:
  /// The complete current list of node `nodeId` (up to the limit).
  void connectionsReceived(const QString& nodeId, const netlens::protocol::ConnectionList& list);
  /// A request failed; the previous list of that node stays valid.
  void connectionsFailed(const QString& nodeId, const QString& reason);

 private:
  void poll();
  void onReceived(const QString& nodeId, quint64 token,
                  const netlens::protocol::ConnectionList& list);
  void onFailed(const QString& nodeId, quint64 token, const QString& reason);

  NodeManager* m_nodes;
  ConnectionScope m_scope;
  quint64 m_limit = 0;
  int m_intervalMs = kDefaultIntervalMs;
  bool m_active = false;
  QTimer* m_timer = nullptr;
  QHash<QString, quint64> m_inFlight;  ///< node id → token of its outstanding request
};

}  // namespace netlens::app::core
