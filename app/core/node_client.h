// SPDX-License-Identifier: MIT
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <cstdint>
#include <memory>

#include "app/core/connection_scope.h"
#include "app/core/node_state.h"
#include "app/core/protocol_metatypes.h"
#include "shared/protocol/codec.h"
#include "shared/transport/connection_string.h"
#include "shared/transport/keys.h"

class QTimer;

namespace zmq {
class context_t;
}

namespace netlens::protocol {
struct Reply;
}

namespace netlens::transport {
class ControlClient;
class Subscriber;
struct RequestFailure;
}  // namespace netlens::transport

namespace netlens::app::core {

/// The console's link to one node: control requests (hello, hosts, global; connections
/// when asked) and the hosts update stream, following ZeroMQ's Clone pattern — subscribe,
/// take a snapshot, apply deltas with a higher sequence number, take a new snapshot on a
/// gap. Reconnects by itself with exponential backoff (1 s doubling to 30 s) and reports why
/// it is not connected.
///
/// Thread: lives on its own I/O thread ("netlens-io-HOST:PORT", made by NodeManager;
/// moveToThread before start()); all its ZeroMQ sockets are created, used and destroyed
/// there, in a context of its own. Its signals carry copies of the shared structs and reach
/// the GUI thread through queued connections. Blocking waits are bounded by the request
/// timeouts below and delay only this node. Shutting the context down (from any thread)
/// ends a wait at once; the client then reports a failure and keeps failing quietly until
/// its thread ends. Owned by NodeManager, destroyed on its I/O thread.
class NodeClient : public QObject {
  Q_OBJECT

 public:
  NodeClient(QString nodeId, transport::ConnectionString server, transport::KeyPair clientKeys,
             std::shared_ptr<zmq::context_t> context);
  ~NodeClient() override;

  const QString& nodeId() const { return m_nodeId; }

 public slots:
  /// Starts connecting. Call on the I/O thread (NodeManager connects it to QThread::started).
  void start();
  /// Closes the sockets and stops all activity. Call on the I/O thread.
  void stop();
  /// Asks the node for its connections ("connections" operation): only those `scope`
  /// selects, at most `limit` (0: the node's default), most recently active first. Answers
  /// with connectionsReceived or connectionsFailed carrying `token`. Call on the I/O thread
  /// (NodeManager queues the call); the wait delays only this node.
  void requestConnections(quint64 token, const netlens::app::core::ConnectionScope& scope,
                          quint64 limit);

 public:
  /// Sends any other operation ("groups", "set-groups", "history") with `params` and hands
  /// the answer on undecoded: requestReplied with the body, or requestFailed with the reason
  /// (an error reply's message, translated framing). The caller decodes the body it asked
  /// for. Call on the I/O thread (NodeManager queues the call).
  void request(quint64 token, const std::string& operation, const protocol::Params& params);

  /// Decodes a "connections" reply into `list`; false with `error` (translated) when the
  /// node answered with an error or the body does not decode. Thread: any (pure).
  static bool parseConnectionsReply(const protocol::Reply& reply, protocol::ConnectionList& list,
                                    QString* error);

 signals:
  void stateChanged(const QString& nodeId, netlens::app::core::NodeState state,
                    const QString& reason);
  void helloReceived(const QString& nodeId, const netlens::protocol::Hello& hello);
  void snapshotReceived(const QString& nodeId, const netlens::protocol::HostsSnapshot& snapshot);
  void deltaReceived(const QString& nodeId, const netlens::protocol::HostsDelta& delta);
  void globalReceived(const QString& nodeId, const netlens::protocol::GlobalStats& stats);
  void connectionsReceived(const QString& nodeId, quint64 token,
                           const netlens::protocol::ConnectionList& list);
  void connectionsFailed(const QString& nodeId, quint64 token, const QString& reason);
  void requestReplied(const QString& nodeId, quint64 token, const QByteArray& body);
  void requestFailed(const QString& nodeId, quint64 token, const QString& reason);

 private:
  enum class Phase { Idle, WaitingReady, Streaming, Backoff };

  /// One step of the state machine (timer, every kTickMs); never lets an exception out.
  void tick();
  void step();
  void beginAttempt();
  void sayHello();
  bool takeSnapshot();
  void drainDeltas();
  void pollGlobal();
  void failWith(const transport::RequestFailure& failure);
  void fail(NodeState state, const QString& reason);
  void setState(NodeState state, const QString& reason);
  void tearDown();

  QString m_nodeId;
  transport::ConnectionString m_server;
  transport::KeyPair m_keys;
  std::shared_ptr<zmq::context_t> m_context;
  std::unique_ptr<transport::ControlClient> m_control;
  std::unique_ptr<transport::Subscriber> m_subscriber;
  QTimer* m_timer = nullptr;
  QElapsedTimer m_clock;
  Phase m_phase = Phase::Idle;
  NodeState m_state = NodeState::Connecting;
  QString m_reason;
  qint64 m_attemptStartedMs = 0;
  qint64 m_retryAtMs = 0;
  qint64 m_nextGlobalMs = 0;
  qint64 m_backoffMs = 0;
  std::uint64_t m_sequence = 0;
  std::uint64_t m_epoch = 0;  ///< of the last snapshot; a delta of another epoch re-snapshots
};

}  // namespace netlens::app::core
