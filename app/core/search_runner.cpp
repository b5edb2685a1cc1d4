// SPDX-License-Identifier: MIT
#include "app/core/search_runner.h"

#include <QThreadPool>

#include "app/core/node_manager.h"
#include "shared/protocol/operation.h"

namespace netlens::app::core {

SearchRunner::SearchRunner(NodeManager* nodes, QObject* parent)
    : QObject(parent), m_nodes(nodes), m_decoders(new QThreadPool(this)) {
  registerProtocolMetaTypes();
  m_decoders->setMaxThreadCount(1);
  if (m_nodes) {
    connect(m_nodes, &NodeManager::requestReplied, this, &SearchRunner::onReplied);
    connect(m_nodes, &NodeManager::requestFailed, this, &SearchRunner::onFailed);
    connect(m_nodes, &NodeManager::nodeRemoved, this, [this](const QString& id) {
      if (m_pending.contains(id)) onFailed(id, m_pending.value(id), tr("The node was removed."));
    });
  }
}

SearchRunner::~SearchRunner() {
  ++m_generation;
  m_decoders->waitForDone();
}

void SearchRunner::start(const QStringList& nodeIds, const protocol::Params& params) {
  stop();
  const std::string operation(protocol::operationName(protocol::OperationId::Search));
  QStringList refused;
  for (const QString& id : nodeIds) {
    const quint64 token = NodeManager::nextRequestToken();
    m_pending.insert(id, token);
    if (!m_nodes || !m_nodes->request(id, token, operation, params)) refused << id;
  }
  for (const QString& id : refused) onFailed(id, m_pending.value(id), tr("Unknown node."));
}

void SearchRunner::stop() {
  m_pending.clear();
  ++m_generation;
}

void SearchRunner::onReplied(const QString& nodeId, quint64 token, const QByteArray& body) {
  auto it = m_pending.constFind(nodeId);
  if (it == m_pending.constEnd() || *it != token) return;  // someone else's, or dropped
  // Stays pending until decoded, so that stop() meanwhile drops it too.
  const quint64 generation = m_generation;
  m_decoders->start([this, nodeId, body, generation] {
    auto decoded = protocol::decodeBody<protocol::SearchReply>(
        std::string_view(body.constData(), static_cast<std::size_t>(body.size())));
    auto reply = std::make_shared<protocol::SearchReply>();
    QString error;
    if (decoded)
      *reply = std::move(*decoded);
    else
      error =
          tr("The node sent a bad search answer: %1").arg(QString::fromStdString(decoded.error()));
    // The destructor waits for this task, so `this` is alive here; a queued call still
    // pending when the runner is deleted is discarded with it.
    QMetaObject::invokeMethod(
        this,
        [this, nodeId, reply, error, generation] {
          if (m_generation != generation || !m_pending.contains(nodeId)) return;
          m_pending.remove(nodeId);
          if (error.isEmpty())
            emit nodeAnswered(nodeId, *reply);
          else
            emit nodeFailed(nodeId, error);
          if (m_pending.isEmpty()) emit finished();
        },
        Qt::QueuedConnection);
  });
}

void SearchRunner::onFailed(const QString& nodeId, quint64 token, const QString& reason) {
  auto it = m_pending.constFind(nodeId);
  if (it == m_pending.constEnd() || *it != token) return;
  m_pending.erase(it);
  emit nodeFailed(nodeId, reason);
  if (m_pending.isEmpty()) emit finished();
}

}  // namespace netlens::app::core
