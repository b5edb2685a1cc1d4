// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <memory>

#include "app/core/connection_scope.h"
#include "app/core/node_state.h"
#include "app/core/protocol_metatypes.h"
#include "shared/protocol/codec.h"
#include "shared/transport/keys.h"

class QThread;

namespace zmq {
class context_t;
}

namespace netlens::app::core {

class NodeClient;

/// What the console shows about one node (GUI-side copy, updated from NodeClient signals).
struct NodeInfo {
  QString id;                ///< stable, made when the node is added
  QString connectionString;  ///< as validated: netlens://HOST:PORT?key=...
  QString address;           ///< HOST:PORT
  QString serverKey;
  QString fingerprint;     ///< of the server key
  bool persistent = true;  ///< false for the standalone local node (not saved)
  NodeState state = NodeState::Connecting;
  QString reason;
  QString name;  ///< from hello; the address until then
  QString role;
  QString version;
  protocol::TimeNs inactivityGapNs = protocol::kDefaultInactivityGapNs;  ///< from hello
  QStringList analysesOff;  ///< from hello: the analyses the node runs without
  /// When the console last heard from the node while connected (snapshot, delta or global
  /// figures): the age of its figures once it is not connected. Invalid until first heard.
  QDateTime lastConnectedAt;
  protocol::GlobalStats global;
};

/// The list of nodes the console talks to, persisted in QSettings ("nodes"). Each node has
/// its own NodeClient on its own I/O thread ("netlens-io-HOST:PORT") with its own ZeroMQ
/// context, so a node that hangs in a request delays nobody else, and never the GUI.
///
/// Removing a node, or destroying the manager, shuts the node's context down: any ZeroMQ
/// wait of its client returns at once (ETERM), so its thread ends without waiting for a
/// request timeout. A removed node's thread finishes in the background; the destructor
/// waits for all threads at most kShutdownGraceMs in total (they are no longer in network
/// waits by then, so that bound is only reached by a client busy decoding a huge table,
/// which is then left to finish on its own rather than delay the exit).
///
/// Thread: GUI thread; never waits for the network. Owns the threads, the contexts and
/// the clients (which live on their threads and are destroyed there). Relays the clients'
/// signals, already queued onto the GUI thread, with the node id.
class NodeManager : public QObject {
  Q_OBJECT

 public:
  /// Upper bound of the destructor's wait for the I/O threads, all together.
  static constexpr int kShutdownGraceMs = 3000;

  /// `clientKeys`: the console identity every client authenticates with.
  explicit NodeManager(transport::KeyPair clientKeys, QObject* parent = nullptr);
  ~NodeManager() override;

  /// Adds the saved nodes (QSettings group "nodes") and connects to them.
  void loadSettings();

  /// Checks a pasted connection string; empty when valid, else what is wrong.
  static QString validate(const QString& connectionString);

  /// Adds and connects a node. Returns its id, or an empty string with `error` set when the
  /// string is invalid or that node (HOST:PORT) is already in the list.
  QString addNode(const QString& connectionString, bool persistent = true,
                  QString* error = nullptr);
  /// Disconnects and forgets a node at once; its thread winds down in the background.
  void removeNode(const QString& id);

  /// Queues a "connections" request on the node's I/O thread (see
  /// NodeClient::requestConnections); the answer comes as connectionsReceived or
  /// connectionsFailed with the same `token`. Returns false (and nothing follows) for an
  /// unknown node. Never waits.
  bool requestConnections(const QString& id, quint64 token, const ConnectionScope& scope,
                          quint64 limit);
  /// Queues any other request (NodeClient::request) on the node's I/O thread; the answer
  /// comes as requestReplied or requestFailed with the same `token`. False for an unknown node.
  bool request(const QString& id, quint64 token, const std::string& operation,
               protocol::Params params);
  /// A token no other requester of this process uses. Thread: any.
  static quint64 nextRequestToken();

  QStringList nodeIds() const { return m_order; }
  const NodeInfo* node(const QString& id) const;
  bool isEmpty() const { return m_order.isEmpty(); }

 signals:
  void nodeAdded(const QString& id);
  void nodeRemoved(const QString& id);
  /// State, reason, name or global figures changed.
  void nodeChanged(const QString& id);
  void snapshotReceived(const QString& id, const netlens::protocol::HostsSnapshot& snapshot);
  void deltaReceived(const QString& id, const netlens::protocol::HostsDelta& delta);
  void globalReceived(const QString& id, const netlens::protocol::GlobalStats& stats);
  void connectionsReceived(const QString& id, quint64 token,
                           const netlens::protocol::ConnectionList& list);
  void connectionsFailed(const QString& id, quint64 token, const QString& reason);
  void requestReplied(const QString& id, quint64 token, const QByteArray& body);
  void requestFailed(const QString& id, quint64 token, const QString& reason);

 private:
  /// One node's client, the thread it runs on and its ZeroMQ context.
  struct Link {
    NodeClient* client = nullptr;
    QThread* thread = nullptr;
    std::shared_ptr<zmq::context_t> context;
  };

  /// Disconnects a link's client, wakes it out of any network wait and ends its thread; the
  /// thread object is deleted once it has finished.
  void retire(const Link& link);
  void noteContact(const QString& id);
  void saveSettings() const;
  void onStateChanged(const QString& id, NodeState state, const QString& reason);
  void onHello(const QString& id, const protocol::Hello& hello);
  void onGlobal(const QString& id, const protocol::GlobalStats& stats);

  transport::KeyPair m_keys;
  QStringList m_order;
  QHash<QString, NodeInfo> m_nodes;
  QHash<QString, Link> m_links;
  QSet<QThread*> m_retiring;  ///< threads of removed nodes, still finishing
};

}  // namespace netlens::app::core
