// SPDX-License-Identifier: MIT
#include "shared/transport/control_client.h"
#include "shared/transport/frames.h"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include <zmq.h>

namespace netlens::transport {

namespace {

using Clock = std::chrono::steady_clock;

// Reconnect quickly (a node restarting should be back within a second) but back off to
// 1 s so that many consoles do not hammer a node that is down.
constexpr int kReconnectIntervalMs = 100;
constexpr int kReconnectIntervalMaxMs = 1000;
constexpr int kHeartbeatIntervalMs = 5000;
constexpr int kHeartbeatTimeoutMs = 15000;
constexpr int kHandshakeTimeoutMs = 5000;

std::chrono::milliseconds remaining(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return std::max(left, std::chrono::milliseconds(0));
}

std::string hostPort(const ConnectionString& server) {
  return (server.isIpv6() ? "[" + server.host + "]" : server.host) + ":" +
         std::to_string(server.port);
}

}  // namespace

protocol::Status configureCurveClient(zmq::socket_t& socket, std::string_view serverKey,
                                      const KeyPair& clientKeys) {
  if (std::string why = checkZ85Key(serverKey); !why.empty())
    return protocol::Status::failure("server key " + why);
  if (std::string why = checkZ85Key(clientKeys.publicKey); !why.empty())
    return protocol::Status::failure("client public key " + why);
  if (std::string why = checkZ85Key(clientKeys.secretKey); !why.empty())
    return protocol::Status::failure("client secret key " + why);
  try {
    socket.set(zmq::sockopt::linger, 0);
    socket.set(zmq::sockopt::ipv6, 1);
    socket.set(zmq::sockopt::curve_serverkey, std::string(serverKey));
    socket.set(zmq::sockopt::curve_publickey, clientKeys.publicKey);
    socket.set(zmq::sockopt::curve_secretkey, clientKeys.secretKey);
    socket.set(zmq::sockopt::reconnect_ivl, kReconnectIntervalMs);
    socket.set(zmq::sockopt::reconnect_ivl_max, kReconnectIntervalMaxMs);
    socket.set(zmq::sockopt::heartbeat_ivl, kHeartbeatIntervalMs);
    socket.set(zmq::sockopt::heartbeat_timeout, kHeartbeatTimeoutMs);
    socket.set(zmq::sockopt::handshake_ivl, kHandshakeTimeoutMs);
  } catch (const zmq::error_t& e) {
    return protocol::Status::failure(std::string("cannot configure the CURVE client socket: ") +
                                     e.what());
  }
  return {};
}

ControlClient::ControlClient(zmq::context_t& context, ConnectionString server,
                             const KeyPair& clientKeys)
    : m_server(std::move(server)), m_clientPublicKey(clientKeys.publicKey) {
  m_socket = std::make_unique<zmq::socket_t>(context, zmq::socket_type::dealer);
  if (protocol::Status s = configureCurveClient(*m_socket, m_server.serverKey, clientKeys); !s)
    throw std::invalid_argument(s.error());
  // Only hand messages to connections whose handshake completed: a request never waits in
  // a queue for a node that may turn out to be the wrong one.
  m_socket->set(zmq::sockopt::immediate, 1);
  m_monitor = std::make_unique<HandshakeMonitor>(context, *m_socket);  // before connect
  m_socket->connect(m_server.endpoint());
}

ControlClient::~ControlClient() {
  m_monitor.reset();  // stops monitoring while the socket still exists
  m_socket.reset();
}

LinkState ControlClient::linkState() {
  return m_monitor->drain();
}

RequestFailure ControlClient::failure(FailureKind kind, std::string_view detail) const {
  const std::string where = hostPort(m_server);
  switch (kind) {
    case FailureKind::NotAuthorised:
      return {kind, "not authorised: node " + where +
                        " refused this console's key; ask its administrator to add the public "
                        "key " +
                        m_clientPublicKey + " (fingerprint " + keyFingerprint(m_clientPublicKey) +
                        ") to the node's authorized_keys"};
    case FailureKind::ServerKeyMismatch:
      return {kind, "secure handshake with " + where +
                        " failed: the server key in the connection string does not match the "
                        "node's key, or the service on that port is not a Netlens node; copy "
                        "the connection string the node printed again"};
    case FailureKind::Unreachable:
      return {kind, "node " + where + " is unreachable: " + std::string(detail)};
    case FailureKind::Timeout:
      return {kind, "request to " + where + " timed out: " + std::string(detail)};
    case FailureKind::BadReply:
      return {kind, "bad reply from " + where + ": " + std::string(detail)};
  }
  return {kind, std::string(detail)};
}

RequestFailure ControlClient::classifyNotReady(std::chrono::milliseconds timeout) const {
  switch (m_monitor->state()) {
    case LinkState::NotAuthorised:
      return failure(FailureKind::NotAuthorised);
    case LinkState::ServerKeyMismatch:
    case LinkState::Handshaking:
      // TCP works but the CURVE handshake never completes: with CURVE that means the node
      // cannot decrypt our HELLO, i.e. it does not hold the secret of the key we pinned.
      return failure(FailureKind::ServerKeyMismatch);
    case LinkState::Connecting:
      if (m_monitor->failedHandshakes() > 0) return failure(FailureKind::ServerKeyMismatch);
      return failure(FailureKind::Unreachable,
                     "no connection within " + std::to_string(timeout.count()) +
                         " ms (is netlens-node running there, and is its port open in "
                         "firewalls?)");
    case LinkState::Ready:
      break;
  }
  return failure(FailureKind::Timeout, "no reply within " + std::to_string(timeout.count()) +
                                           " ms (connected and authenticated)");
}

std::optional<RequestFailure> ControlClient::waitUntilReady(std::chrono::milliseconds timeout) {
  return waitUntilReadyBy(Clock::now() + timeout, timeout);
}

std::optional<RequestFailure> ControlClient::waitUntilReadyBy(Clock::time_point deadline,
                                                              std::chrono::milliseconds timeout) {
  for (;;) {
    switch (m_monitor->drain()) {
      case LinkState::Ready:
        return std::nullopt;
      case LinkState::NotAuthorised:
      case LinkState::ServerKeyMismatch:
        return classifyNotReady(timeout);
      default:
        break;
    }
    const auto left = remaining(deadline);
    if (left.count() == 0) return classifyNotReady(timeout);
    zmq::pollitem_t items[] = {{m_monitor->eventSocket().handle(), 0, ZMQ_POLLIN, 0}};
    zmq::poll(items, 1, left);
  }
}

RequestResult ControlClient::request(std::string_view operation, const protocol::Params& params,
                                     std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  try {
    if (auto notReady = waitUntilReadyBy(deadline, timeout)) return *notReady;

    protocol::Request request;
    request.requestId = m_nextRequestId++;
    request.operation = std::string(operation);
    request.params = params;
    const std::string bytes = protocol::encodeRequest(request);

    // Send: with ZMQ_IMMEDIATE the pipe may attach a moment after the handshake event.
    for (;;) {
      if (m_socket->send(zmq::buffer(bytes), zmq::send_flags::dontwait)) break;
      if (remaining(deadline).count() == 0) {
        m_monitor->drain();
        return classifyNotReady(timeout);
      }
      zmq::pollitem_t items[] = {{m_socket->handle(), 0, ZMQ_POLLOUT, 0},
                                 {m_monitor->eventSocket().handle(), 0, ZMQ_POLLIN, 0}};
      zmq::poll(items, 2, std::min(remaining(deadline), std::chrono::milliseconds(50)));
      const LinkState state = m_monitor->drain();
      if (state == LinkState::NotAuthorised || state == LinkState::ServerKeyMismatch)
        return classifyNotReady(timeout);
    }

    // Receive the reply with our id; replies to earlier, timed-out requests are dropped.
    for (;;) {
      std::vector<zmq::message_t> frames = receiveFrames(*m_socket);
      if (!frames.empty()) {
        if (frames.size() != 1)
          return failure(FailureKind::BadReply,
                         "expected one frame, got " + std::to_string(frames.size()));
        protocol::Result<protocol::Reply> reply =
            protocol::decodeReply(std::string_view(frames[0].data<char>(), frames[0].size()));
        if (!reply) return failure(FailureKind::BadReply, reply.error());
        if (reply->requestId == request.requestId) {
          if (reply->operation != request.operation)
            return failure(FailureKind::BadReply, "reply to \"" + request.operation +
                                                      "\" names operation \"" + reply->operation +
                                                      "\"");
          return std::move(reply).value();
        }
        continue;  // stale
      }
      const auto left = remaining(deadline);
      if (left.count() == 0) break;
      zmq::pollitem_t items[] = {{m_socket->handle(), 0, ZMQ_POLLIN, 0},
                                 {m_monitor->eventSocket().handle(), 0, ZMQ_POLLIN, 0}};
      zmq::poll(items, 2, left);
      if (m_monitor->drain() == LinkState::NotAuthorised) return classifyNotReady(timeout);
    }
    m_monitor->drain();
    if (m_monitor->state() == LinkState::Ready)
      return failure(FailureKind::Timeout, "no reply to \"" + request.operation + "\" within " +
                                               std::to_string(timeout.count()) +
                                               " ms (connected and authenticated)");
    return classifyNotReady(timeout);
  } catch (const zmq::error_t& e) {
    // ETERM (context shutting down) or a libzmq failure: report, never throw to the caller.
    return failure(FailureKind::Unreachable, std::string("socket error: ") + e.what());
  }
}

}  // namespace netlens::transport
