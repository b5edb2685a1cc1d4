// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <zmq.hpp>

#include "shared/protocol/codec.h"
#include "shared/transport/connection_string.h"
#include "shared/transport/handshake_monitor.h"
#include "shared/transport/keys.h"

namespace netlens::transport {

/// Why a request got no usable reply.
enum class FailureKind {
  NotAuthorised,      ///< the node refused our key (ZAP "400")
  ServerKeyMismatch,  ///< TCP connects, but the CURVE handshake fails or never completes
  Unreachable,        ///< no TCP connection could be made before the timeout
  Timeout,            ///< connected and authenticated, but no reply before the timeout
  BadReply,           ///< a reply arrived but is not a valid envelope for our request
};

/// A classified failure with a message for people and scripts. The messages contain, by
/// contract (scripts grep for them): "not authorised" (NotAuthorised), "server key"
/// (ServerKeyMismatch), "unreachable" (Unreachable), "timed out" (Timeout), "bad reply"
/// (BadReply).
struct RequestFailure {
  FailureKind kind = FailureKind::Timeout;
  std::string message;
};

/// Either the decoded reply envelope (which may itself be an error reply from the node:
/// check reply().isError()) or a RequestFailure.
class RequestResult {
 public:
  RequestResult(protocol::Reply reply) : m_reply(std::move(reply)) {}       // NOLINT
  RequestResult(RequestFailure failure) : m_failure(std::move(failure)) {}  // NOLINT
  bool ok() const { return m_reply.has_value(); }
  explicit operator bool() const { return ok(); }
  const protocol::Reply& reply() const& { return *m_reply; }  ///< precondition: ok()
  protocol::Reply&& reply() && { return std::move(*m_reply); }
  const RequestFailure& failure() const { return m_failure; }  ///< meaningful if !ok()

 private:
  std::optional<protocol::Reply> m_reply;
  RequestFailure m_failure;
};

/// The console's (and `netlens-node query`'s) control connection to one node: a DEALER
/// socket with CURVE client options, connected on construction and reconnected by libzmq.
/// Requests are one frame (a request envelope); replies are matched by request id and
/// stale replies of earlier timed-out requests are dropped.
///
/// Every call returns within its timeout (plus a few milliseconds): all waits are
/// zmq::poll with the remaining time. Requests are not retried: a request sent before a
/// timeout may still be executed by the node later (all current operations are reads).
///
/// SECURITY: the connection string's key pins the node's identity — a node without the
/// matching secret key cannot complete the handshake (reported as ServerKeyMismatch).
/// `clientKeys.secretKey` stays in this process.
///
/// Threads: not thread-safe. Construct, use and destroy on one thread (the console's
/// per-node worker thread); the context may be shared.
class ControlClient {
 public:
  /// Connects (asynchronously) at once. Throws std::invalid_argument if a key is not valid
  /// Z85 (keys from loadKeyPair / ConnectionString::parse always are).
  ControlClient(zmq::context_t& context, ConnectionString server, const KeyPair& clientKeys);
  ~ControlClient();
  ControlClient(const ControlClient&) = delete;
  ControlClient& operator=(const ControlClient&) = delete;

  /// Sends `operation` with `params` and waits up to `timeout` for the reply.
  RequestResult request(std::string_view operation, const protocol::Params& params,
                        std::chrono::milliseconds timeout);

  /// Waits up to `timeout` for a working (authenticated) connection; nullopt when ready,
  /// otherwise the classified failure. request() does this itself.
  std::optional<RequestFailure> waitUntilReady(std::chrono::milliseconds timeout);

  /// Current link state (reads pending monitor events first).
  LinkState linkState();
  const ConnectionString& server() const { return m_server; }

 private:
  using Clock = std::chrono::steady_clock;
  std::optional<RequestFailure> waitUntilReadyBy(Clock::time_point deadline,
                                                 std::chrono::milliseconds timeout);
  RequestFailure failure(FailureKind kind, std::string_view detail = {}) const;
  RequestFailure classifyNotReady(std::chrono::milliseconds timeout) const;

  ConnectionString m_server;
  std::string m_clientPublicKey;
  std::unique_ptr<zmq::socket_t> m_socket;
  std::unique_ptr<HandshakeMonitor> m_monitor;
  std::uint64_t m_nextRequestId = 1;
};

/// Sets the CURVE client options (server key, our key pair) and sane reconnect, linger,
/// heartbeat and IPv6 options on a client socket. Call before connect. Used by
/// ControlClient and Subscriber; exposed for tests and special clients.
protocol::Status configureCurveClient(zmq::socket_t& socket, std::string_view serverKey,
                                      const KeyPair& clientKeys);

}  // namespace netlens::transport
