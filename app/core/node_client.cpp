// SPDX-License-Identifier: MIT
#include "app/core/node_client.h"

#include <QTimer>

#include <algorithm>
#include <chrono>

#include <zmq.hpp>

#include "shared/protocol/codec.h"
#include "shared/protocol/operation.h"
#include "shared/transport/control_client.h"
#include "shared/transport/subscriber.h"

namespace netlens::app::core {
namespace {

using namespace std::chrono_literals;

constexpr int kTickMs = 100;
constexpr qint64 kConnectTimeoutMs = 5000;
constexpr qint64 kGlobalIntervalMs = 1000;
constexpr qint64 kFirstBackoffMs = 1000;
constexpr qint64 kMaxBackoffMs = 30000;
constexpr auto kHelloTimeout = 3000ms;
constexpr auto kGlobalTimeout = 3000ms;
/// Up to 100 000 connection records: encoding and transfer take the node a moment.
constexpr auto kConnectionsTimeout = 10000ms;
/// A snapshot of a few hundred thousand hosts takes the node a moment to encode.
constexpr auto kSnapshotTimeout = 15000ms;
/// A search reads up to 100 000 packets from the node's ring (and in mode "packets" sends
/// them): it may take the node far longer than a table. The wait delays only this node.
constexpr auto kSearchTimeout = 60000ms;
/// Deltas handled per tick, so a busy node's global figures are still polled on time.
constexpr int kMaxDeltasPerTick = 32;

QString fromStd(const std::string& text) {
  return QString::fromStdString(text);
}

NodeState stateFor(transport::FailureKind kind) {
  switch (kind) {
    case transport::FailureKind::NotAuthorised:
      return NodeState::NotAuthorised;
    case transport::FailureKind::ServerKeyMismatch:
      return NodeState::ServerKeyMismatch;
    case transport::FailureKind::Unreachable:
    case transport::FailureKind::Timeout:
      return NodeState::Unreachable;
    case transport::FailureKind::BadReply:
      return NodeState::Failed;
  }
  return NodeState::Failed;
}

}  // namespace

NodeClient::NodeClient(QString nodeId, transport::ConnectionString server,
                       transport::KeyPair clientKeys, std::shared_ptr<zmq::context_t> context)
    : m_nodeId(std::move(nodeId)),
      m_server(std::move(server)),
      m_keys(std::move(clientKeys)),
      m_context(std::move(context)),
      m_timer(new QTimer(this)) {
  m_timer->setInterval(kTickMs);
  connect(m_timer, &QTimer::timeout, this, &NodeClient::tick);
}

NodeClient::~NodeClient() {
  tearDown();
}

void NodeClient::start() {
  m_clock.start();
  m_backoffMs = kFirstBackoffMs;
  setState(NodeState::Connecting, tr("Connecting to %1").arg(fromStd(m_server.endpoint())));
  beginAttempt();
  m_timer->start();
}

void NodeClient::stop() {
  m_timer->stop();
  tearDown();
  m_phase = Phase::Idle;
}

void NodeClient::tearDown() {
  // Subscriber first: both share the context, and the order keeps monitor sockets tidy.
  m_subscriber.reset();
  m_control.reset();
}

void NodeClient::beginAttempt() {
  tearDown();
  try {
    m_control = std::make_unique<transport::ControlClient>(*m_context, m_server, m_keys);
  } catch (const std::exception& e) {
    fail(NodeState::Failed,
         tr("Cannot create the connection: %1").arg(QString::fromUtf8(e.what())));
    return;
  }
  m_attemptStartedMs = m_clock.elapsed();
  m_phase = Phase::WaitingReady;
}

void NodeClient::tick() {
  try {
    step();
  } catch (const std::exception& e) {
    // Transport calls report failures as values; what still throws is libzmq refusing
    // to work at all, e.g. ETERM after NodeManager shut this node's context down.
    fail(NodeState::Failed, tr("Connection error: %1").arg(QString::fromUtf8(e.what())));
  }
}

void NodeClient::step() {
  const qint64 now = m_clock.elapsed();
  switch (m_phase) {
    case Phase::Idle:
      return;
    case Phase::Backoff:
      if (now >= m_retryAtMs) beginAttempt();
      return;
    case Phase::WaitingReady: {
      transport::LinkState link = m_control->linkState();
      if (link == transport::LinkState::Ready) {
        sayHello();
      } else if (link == transport::LinkState::NotAuthorised ||
                 link == transport::LinkState::ServerKeyMismatch ||
                 now - m_attemptStartedMs >= kConnectTimeoutMs) {
        if (auto failure = m_control->waitUntilReady(1ms))
          failWith(*failure);
        else
          sayHello();
      }
      return;
    }
    case Phase::Streaming:
      drainDeltas();
      if (m_phase == Phase::Streaming && now >= m_nextGlobalMs) pollGlobal();
      return;
  }
}

void NodeClient::sayHello() {
  auto result =
      m_control->request(protocol::operationName(protocol::OperationId::Hello), {}, kHelloTimeout);
  if (!result) return failWith(result.failure());
  const protocol::Reply& reply = result.reply();
  if (reply.isError()) {
    NodeState state = reply.error->code == protocol::ErrorCode::NotAuthorised
                          ? NodeState::NotAuthorised
                          : NodeState::Failed;
    return fail(state, fromStd(reply.error->message));
  }
  auto hello = protocol::decodeBody<protocol::Hello>(reply.body);
  if (!hello) return fail(NodeState::Failed, fromStd(hello.error()));
  if (hello->protocolVersion != protocol::kProtocolVersion) {
    return fail(NodeState::Failed, tr("The node speaks protocol version %1, this console %2.")
                                       .arg(hello->protocolVersion)
                                       .arg(protocol::kProtocolVersion));
  }
  emit helloReceived(m_nodeId, *hello);

  // Clone pattern: subscribe before the snapshot so no delta falls between the two.
  try {
    m_subscriber =
        std::make_unique<transport::Subscriber>(*m_context, m_server, hello->publisherPort, m_keys);
    m_subscriber->subscribe(protocol::kHostsTopic);
  } catch (const std::exception& e) {
    return fail(NodeState::Failed,
                tr("Cannot subscribe to updates: %1").arg(QString::fromUtf8(e.what())));
  }
  if (!takeSnapshot()) return;
  m_phase = Phase::Streaming;
  m_backoffMs = kFirstBackoffMs;
  m_nextGlobalMs = 0;
  setState(NodeState::Connected,
           tr("%1 as %2").arg(fromStd(m_server.endpoint()), fromStd(hello->role)));
}

bool NodeClient::takeSnapshot() {
  auto result = m_control->request(protocol::operationName(protocol::OperationId::Hosts), {},
                                   kSnapshotTimeout);
  if (!result) {
    failWith(result.failure());
    return false;
  }
  if (result.reply().isError()) {
    fail(NodeState::Failed, fromStd(result.reply().error->message));
    return false;
  }
  auto snapshot = protocol::decodeBody<protocol::HostsSnapshot>(result.reply().body);
  if (!snapshot) {
    fail(NodeState::Failed, fromStd(snapshot.error()));
    return false;
  }
  m_sequence = snapshot->sequence;
  m_epoch = snapshot->epoch;
  emit snapshotReceived(m_nodeId, *snapshot);
  return true;
}

void NodeClient::drainDeltas() {
  for (int i = 0; i < kMaxDeltasPerTick; ++i) {
    auto publication = m_subscriber->receive(0ms);
    if (!publication) return;
    if (publication->topic != protocol::kHostsTopic) continue;
    auto delta = protocol::decodeBody<protocol::HostsDelta>(publication->body);
    if (!delta) {
      qWarning("node %s: dropping a malformed delta: %s", qPrintable(m_nodeId),
               delta.error().c_str());
      continue;
    }
    if (delta->epoch != m_epoch) {
      // The node restarted (its sequence began again): only a new snapshot is consistent.
      takeSnapshot();
      return;
    }
    if (delta->sequence <= m_sequence) continue;  // already in the snapshot
    if (delta->sequence != m_sequence + 1) {
      // A gap (slow joiner, dropped publication): the snapshot is the only way back.
      takeSnapshot();
      return;
    }
    m_sequence = delta->sequence;
    emit deltaReceived(m_nodeId, *delta);
  }
}

void NodeClient::pollGlobal() {
  m_nextGlobalMs = m_clock.elapsed() + kGlobalIntervalMs;
  auto result = m_control->request(protocol::operationName(protocol::OperationId::Global), {},
                                   kGlobalTimeout);
  if (!result) return failWith(result.failure());
  if (result.reply().isError()) return;  // an answer all the same: the link is alive
  auto stats = protocol::decodeBody<protocol::GlobalStats>(result.reply().body);
  if (stats) emit globalReceived(m_nodeId, *stats);
}

void NodeClient::requestConnections(quint64 token, const ConnectionScope& scope, quint64 limit) {
  if (m_phase != Phase::Streaming || !m_control) {
    emit connectionsFailed(m_nodeId, token, tr("The node is not connected."));
    return;
  }
  protocol::Params params;
  if (!scope.isAll()) params[scope.param.toStdString()] = scope.value.toStdString();
  if (limit > 0) params["limit"] = std::to_string(limit);
  try {
    auto result = m_control->request(protocol::operationName(protocol::OperationId::Connections),
                                     params, kConnectionsTimeout);
    if (!result) {
      emit connectionsFailed(m_nodeId, token, fromStd(result.failure().message));
      // A slow answer to a big list says nothing about the link (a late reply is dropped by
      // its request id); anything else does.
      if (result.failure().kind != transport::FailureKind::Timeout) failWith(result.failure());
      return;
    }
    protocol::ConnectionList list;
    QString error;
    if (!parseConnectionsReply(result.reply(), list, &error))
      emit connectionsFailed(m_nodeId, token, error);
    else
      emit connectionsReceived(m_nodeId, token, list);
  } catch (const std::exception& e) {
    fail(NodeState::Failed, tr("Connection error: %1").arg(QString::fromUtf8(e.what())));
    emit connectionsFailed(m_nodeId, token, QString::fromUtf8(e.what()));
  }
}

void NodeClient::request(quint64 token, const std::string& operation,
                         const protocol::Params& params) {
  if (m_phase != Phase::Streaming || !m_control) {
    emit requestFailed(m_nodeId, token, tr("The node is not connected."));
    return;
  }
  try {
    const bool search = operation == protocol::operationName(protocol::OperationId::Search);
    auto result =
        m_control->request(operation, params, search ? kSearchTimeout : kConnectionsTimeout);
    if (!result) {
      emit requestFailed(m_nodeId, token, fromStd(result.failure().message));
      if (result.failure().kind != transport::FailureKind::Timeout) failWith(result.failure());
      return;
    }
    const protocol::Reply& reply = result.reply();
    if (reply.isError()) {
      emit requestFailed(m_nodeId, token,
                         tr("The node refused the request: %1").arg(fromStd(reply.error->message)));
      return;
    }
    emit requestReplied(m_nodeId, token,
                        QByteArray(reply.body.data(), static_cast<qsizetype>(reply.body.size())));
  } catch (const std::exception& e) {
    fail(NodeState::Failed, tr("Connection error: %1").arg(QString::fromUtf8(e.what())));
    emit requestFailed(m_nodeId, token, QString::fromUtf8(e.what()));
  }
}

bool NodeClient::parseConnectionsReply(const protocol::Reply& reply, protocol::ConnectionList& list,
                                       QString* error) {
  if (reply.isError()) {
    if (error) *error = tr("The node refused the request: %1").arg(fromStd(reply.error->message));
    return false;
  }
  auto decoded = protocol::decodeBody<protocol::ConnectionList>(reply.body);
  if (!decoded) {
    if (error) *error = tr("The node sent a bad connection list: %1").arg(fromStd(decoded.error()));
    return false;
  }
  list = std::move(*decoded);
  return true;
}

void NodeClient::failWith(const transport::RequestFailure& failure) {
  fail(stateFor(failure.kind), fromStd(failure.message));
}

void NodeClient::fail(NodeState state, const QString& reason) {
  tearDown();
  m_phase = Phase::Backoff;
  m_retryAtMs = m_clock.elapsed() + m_backoffMs;
  QString text = tr("%1 (next attempt in %n s)", nullptr, int(m_backoffMs / 1000)).arg(reason);
  m_backoffMs = std::min(m_backoffMs * 2, kMaxBackoffMs);
  setState(state, text);
}

void NodeClient::setState(NodeState state, const QString& reason) {
  if (state == m_state && reason == m_reason) return;
  m_state = state;
  m_reason = reason;
  emit stateChanged(m_nodeId, state, reason);
}

}  // namespace netlens::app::core
