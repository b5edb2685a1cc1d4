// SPDX-License-Identifier: MIT
#include "app/core/connection_poller.h"

#include <QTimer>

#include "app/core/node_manager.h"

namespace netlens::app::core {

ConnectionPoller::ConnectionPoller(NodeManager* nodes, ConnectionScope scope, quint64 limit,
                                   QObject* parent)
    : QObject(parent),
      m_nodes(nodes),
      m_scope(std::move(scope)),
      m_limit(limit),
      m_timer(new QTimer(this)) {
  m_timer->setInterval(m_intervalMs);
  connect(m_timer, &QTimer::timeout, this, &ConnectionPoller::poll);
  if (m_nodes) {
    connect(m_nodes, &NodeManager::connectionsReceived, this, &ConnectionPoller::onReceived);
    connect(m_nodes, &NodeManager::connectionsFailed, this, &ConnectionPoller::onFailed);
    connect(m_nodes, &NodeManager::nodeRemoved, this,
            [this](const QString& id) { m_inFlight.remove(id); });
    // A node that just connected need not wait for the next round.
    connect(m_nodes, &NodeManager::nodeChanged, this, [this](const QString& id) {
      const NodeInfo* info = m_nodes->node(id);
      if (m_active && info && info->state == NodeState::Connected && !m_inFlight.contains(id))
        poll();
    });
  }
}

void ConnectionPoller::setIntervalMs(int ms) {
  m_intervalMs = ms;
  m_timer->setInterval(ms);
}

void ConnectionPoller::setActive(bool active) {
  if (active == m_active) return;
  m_active = active;
  if (!active) {
    m_timer->stop();
    m_inFlight.clear();
    return;
  }
  m_timer->start();
  poll();
}

void ConnectionPoller::poll() {
  if (!m_active || !m_nodes) return;
  const QStringList ids = m_nodes->nodeIds();
  for (const QString& id : ids) {
    if (m_inFlight.contains(id)) continue;
    const NodeInfo* info = m_nodes->node(id);
    if (!info || info->state != NodeState::Connected) continue;
    const quint64 token = NodeManager::nextRequestToken();
    if (m_nodes->requestConnections(id, token, m_scope, m_limit)) m_inFlight.insert(id, token);
  }
}

void ConnectionPoller::onReceived(const QString& nodeId, quint64 token,
                                  const protocol::ConnectionList& list) {
  auto it = m_inFlight.constFind(nodeId);
  if (it == m_inFlight.constEnd() || *it != token) return;  // someone else's, or stopped
  m_inFlight.erase(it);
  emit connectionsReceived(nodeId, list);
}

void ConnectionPoller::onFailed(const QString& nodeId, quint64 token, const QString& reason) {
  auto it = m_inFlight.constFind(nodeId);
  if (it == m_inFlight.constEnd() || *it != token) return;
  m_inFlight.erase(it);
  emit connectionsFailed(nodeId, reason);
}

}  // namespace netlens::app::core
