// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

#include "app/core/node_state.h"
#include "app/core/protocol_metatypes.h"
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
  protocol::GlobalStats global;
};

/// The list of nodes the console talks to, persisted in QSettings ("nodes"), and the one
/// named I/O thread ("netlens-io") on which all their NodeClients run.
///
/// Thread: GUI thread. Owns the I/O thread, the ZeroMQ context and the clients (which live
/// on the I/O thread and are destroyed there). Relays the clients' signals, already
/// queued onto the GUI thread, with the node id.
class NodeManager : public QObject {
  Q_OBJECT

 public:
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
  /// Disconnects and forgets a node.
  void removeNode(const QString& id);

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

 private:
  void saveSettings() const;
  void onStateChanged(const QString& id, NodeState state, const QString& reason);
  void onHello(const QString& id, const protocol::Hello& hello);
  void onGlobal(const QString& id, const protocol::GlobalStats& stats);

  transport::KeyPair m_keys;
  std::shared_ptr<zmq::context_t> m_context;
  QThread* m_thread = nullptr;
  QStringList m_order;
  QHash<QString, NodeInfo> m_nodes;
  QHash<QString, NodeClient*> m_clients;
};

}  // namespace netlens::app::core
