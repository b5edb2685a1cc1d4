// SPDX-License-Identifier: MIT
#include "app/core/node_manager.h"

#include <QDeadlineTimer>
#include <QSettings>
#include <QThread>
#include <QUuid>

#include <atomic>

#include <zmq.hpp>

#include "app/core/node_client.h"
#include "shared/transport/connection_string.h"

namespace netlens::app::core {

NodeManager::NodeManager(transport::KeyPair clientKeys, QObject* parent)
    : QObject(parent), m_keys(std::move(clientKeys)) {
  registerProtocolMetaTypes();
}

NodeManager::~NodeManager() {
  for (const Link& link : std::as_const(m_links)) retire(link);
  m_links.clear();
  QDeadlineTimer deadline(kShutdownGraceMs);
  for (QThread* thread : std::as_const(m_retiring)) {
    if (thread->wait(deadline)) continue;
    // Not in a network wait (its context is shut down) but still busy, e.g. decoding a
    // huge snapshot: deleting a running QThread aborts, so leave it to finish on its own.
    qWarning("%s is still busy; not waiting for it", qPrintable(thread->objectName()));
    thread->setParent(nullptr);
  }
  // Finished threads are children of this object and go with it.
}

void NodeManager::retire(const Link& link) {
  disconnect(link.client, nullptr, this, nullptr);
  m_retiring.insert(link.thread);
  connect(link.thread, &QThread::finished, this, [this, thread = link.thread] {
    m_retiring.remove(thread);
    thread->deleteLater();
  });
  // Thread-safe by contract (zmq_ctx_shutdown): the client's current wait, if any, ends with
  // ETERM, which it reports as a failure; the thread then leaves its event loop.
  link.context->shutdown();
  link.thread->quit();
}

QString NodeManager::validate(const QString& connectionString) {
  auto parsed = transport::ConnectionString::parse(connectionString.toStdString());
  return parsed ? QString() : QString::fromStdString(parsed.error());
}

void NodeManager::loadSettings() {
  QSettings settings;
  int count = settings.beginReadArray(QStringLiteral("nodes"));
  QStringList strings;
  for (int i = 0; i < count; ++i) {
    settings.setArrayIndex(i);
    strings << settings.value(QStringLiteral("connection")).toString();
  }
  settings.endArray();
  for (const QString& text : std::as_const(strings)) {
    QString error;
    if (addNode(text, true, &error).isEmpty())
      qWarning("ignoring a saved node: %s", qPrintable(error));
  }
}

void NodeManager::saveSettings() const {
  QSettings settings;
  settings.beginWriteArray(QStringLiteral("nodes"));
  int i = 0;
  for (const QString& id : m_order) {
    const NodeInfo& info = m_nodes[id];
    if (!info.persistent) continue;
    settings.setArrayIndex(i++);
    settings.setValue(QStringLiteral("connection"), info.connectionString);
  }
  settings.endArray();
}

QString NodeManager::addNode(const QString& connectionString, bool persistent, QString* error) {
  auto parsed = transport::ConnectionString::parse(connectionString.toStdString());
  if (!parsed) {
    if (error) *error = QString::fromStdString(parsed.error());
    return {};
  }
  NodeInfo info;
  info.connectionString = QString::fromStdString(parsed->toString());
  QString host = QString::fromStdString(parsed->host);
  if (parsed->isIpv6()) host = QLatin1Char('[') + host + QLatin1Char(']');
  info.address = QStringLiteral("%1:%2").arg(host).arg(parsed->port);
  for (const NodeInfo& other : std::as_const(m_nodes)) {
    if (other.address == info.address) {
      if (error) *error = tr("The node %1 is already in the list.").arg(info.address);
      return {};
    }
  }
  info.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
  info.serverKey = QString::fromStdString(parsed->serverKey);
  info.fingerprint = QString::fromStdString(transport::keyFingerprint(parsed->serverKey));
  info.persistent = persistent;
  info.name = info.address;
  info.reason = tr("Connecting to %1").arg(info.address);
  m_nodes.insert(info.id, info);
  m_order << info.id;

  Link link;
  link.context = std::make_shared<zmq::context_t>();
  link.thread = new QThread(this);
  link.thread->setObjectName(QStringLiteral("netlens-io-%1").arg(info.address));
  link.client = new NodeClient(info.id, *parsed, m_keys, link.context);
  link.client->moveToThread(link.thread);
  // Both run on the I/O thread: start() once it runs; the client is deleted there (closing
  // its sockets on their own thread) when the thread's event loop has ended.
  connect(link.thread, &QThread::started, link.client, &NodeClient::start);
  connect(link.thread, &QThread::finished, link.client, &QObject::deleteLater);
  NodeClient* client = link.client;
  connect(client, &NodeClient::stateChanged, this, &NodeManager::onStateChanged);
  connect(client, &NodeClient::helloReceived, this, &NodeManager::onHello);
  connect(client, &NodeClient::globalReceived, this, &NodeManager::onGlobal);
  // Relayed only while the node is still listed: a removed node's late signals are dropped.
  connect(client, &NodeClient::snapshotReceived, this,
          [this](const QString& id, const protocol::HostsSnapshot& snapshot) {
            if (!m_links.contains(id)) return;
            noteContact(id);
            emit snapshotReceived(id, snapshot);
          });
  connect(client, &NodeClient::deltaReceived, this,
          [this](const QString& id, const protocol::HostsDelta& delta) {
            if (!m_links.contains(id)) return;
            noteContact(id);
            emit deltaReceived(id, delta);
          });
  connect(client, &NodeClient::connectionsReceived, this,
          [this](const QString& id, quint64 token, const protocol::ConnectionList& list) {
            if (!m_links.contains(id)) return;
            noteContact(id);
            emit connectionsReceived(id, token, list);
          });
  connect(client, &NodeClient::connectionsFailed, this,
          [this](const QString& id, quint64 token, const QString& reason) {
            if (m_links.contains(id)) emit connectionsFailed(id, token, reason);
          });
  connect(client, &NodeClient::requestReplied, this,
          [this](const QString& id, quint64 token, const QByteArray& body) {
            if (!m_links.contains(id)) return;
            noteContact(id);
            emit requestReplied(id, token, body);
          });
  connect(client, &NodeClient::requestFailed, this,
          [this](const QString& id, quint64 token, const QString& reason) {
            if (m_links.contains(id)) emit requestFailed(id, token, reason);
          });
  m_links.insert(info.id, link);
  link.thread->start();

  if (persistent) saveSettings();
  emit nodeAdded(info.id);
  return info.id;
}

void NodeManager::removeNode(const QString& id) {
  auto link = m_links.constFind(id);
  if (link == m_links.constEnd()) return;
  retire(*link);
  m_links.erase(link);
  bool persistent = m_nodes[id].persistent;
  m_nodes.remove(id);
  m_order.removeAll(id);
  if (persistent) saveSettings();
  emit nodeRemoved(id);
}

bool NodeManager::requestConnections(const QString& id, quint64 token, const ConnectionScope& scope,
                                     quint64 limit) {
  auto link = m_links.constFind(id);
  if (link == m_links.constEnd()) return false;
  // Queued: the client lives on its I/O thread and may be in a request right now.
  QMetaObject::invokeMethod(
      link->client,
      [client = link->client, token, scope, limit] {
        client->requestConnections(token, scope, limit);
      },
      Qt::QueuedConnection);
  return true;
}

bool NodeManager::request(const QString& id, quint64 token, const std::string& operation,
                          protocol::Params params) {
  auto link = m_links.constFind(id);
  if (link == m_links.constEnd()) return false;
  QMetaObject::invokeMethod(
      link->client,
      [client = link->client, token, operation, params = std::move(params)] {
        client->request(token, operation, params);
      },
      Qt::QueuedConnection);
  return true;
}

quint64 NodeManager::nextRequestToken() {
  static std::atomic<quint64> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

const NodeInfo* NodeManager::node(const QString& id) const {
  auto it = m_nodes.constFind(id);
  return it == m_nodes.constEnd() ? nullptr : &*it;
}

void NodeManager::onStateChanged(const QString& id, NodeState state, const QString& reason) {
  auto it = m_nodes.find(id);
  if (it == m_nodes.end()) return;
  it->state = state;
  it->reason = reason;
  if (state == NodeState::Connected) it->lastConnectedAt = QDateTime::currentDateTime();
  if (state != NodeState::Connected) {
    it->global.packetsPerSecond = 0;
    it->global.bitsPerSecond = 0;
  }
  emit nodeChanged(id);
}

void NodeManager::onHello(const QString& id, const protocol::Hello& hello) {
  auto it = m_nodes.find(id);
  if (it == m_nodes.end()) return;
  if (!hello.nodeName.empty()) it->name = QString::fromStdString(hello.nodeName);
  it->role = QString::fromStdString(hello.role);
  it->version = QString::fromStdString(hello.version);
  it->inactivityGapNs = hello.inactivityGapNs;
  it->analysesOff.clear();
  for (const std::string& name : hello.analysesOff) it->analysesOff << QString::fromStdString(name);
  emit nodeChanged(id);
}

void NodeManager::onGlobal(const QString& id, const protocol::GlobalStats& stats) {
  auto it = m_nodes.find(id);
  if (it == m_nodes.end()) return;
  it->global = stats;
  it->lastConnectedAt = QDateTime::currentDateTime();
  emit nodeChanged(id);
  emit globalReceived(id, stats);
}

void NodeManager::noteContact(const QString& id) {
  auto it = m_nodes.find(id);
  if (it != m_nodes.end()) it->lastConnectedAt = QDateTime::currentDateTime();
}

}  // namespace netlens::app::core
