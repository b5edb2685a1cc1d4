// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <zmq.hpp>

namespace netlens::transport {

/// Why a client socket has no working connection (or that it has one).
enum class LinkState {
  Connecting,         ///< no TCP connection yet (or refused / retrying)
  Handshaking,        ///< TCP connected, CURVE handshake not finished
  Ready,              ///< handshake succeeded
  NotAuthorised,      ///< the node's ZAP handler refused our key
  ServerKeyMismatch,  ///< connected, but the handshake failed or never completes
};

/// Watches a client socket through a libzmq socket monitor (a PAIR socket on a unique
/// inproc endpoint in the same context) and turns its events into a LinkState.
///
/// CURVE with a wrong server key fails silently on the client (sends just queue), so the
/// state is inferred: a handshake failure event, or repeated disconnects before any
/// handshake success, mean the key is wrong or the peer is not a Netlens node.
/// Thread: the thread that owns the watched socket; not thread-safe.
class HandshakeMonitor {
 public:
  /// Connections dropped mid-handshake (without a ZAP refusal) before we conclude that the
  /// server key is wrong. One drop can be a node restarting; several in a row cannot.
  static constexpr int kFailedHandshakesForMismatch = 2;

  /// Starts monitoring `socket` (which must outlive this object).
  HandshakeMonitor(zmq::context_t& context, zmq::socket_t& socket);
  ~HandshakeMonitor();
  HandshakeMonitor(const HandshakeMonitor&) = delete;
  HandshakeMonitor& operator=(const HandshakeMonitor&) = delete;

  /// Reads all pending events without blocking; returns the state afterwards.
  LinkState drain();
  LinkState state() const { return m_state; }
  /// For zmq::poll: the monitor's PAIR socket becomes readable when events arrive.
  zmq::socket_t& eventSocket() { return m_events; }

  bool hasEverConnected() const { return m_everConnected; }
  /// ZAP status code of the last auth failure (e.g. 400), 0 if none.
  int authStatus() const { return m_authStatus; }
  /// libzmq's error/protocol code of the last handshake failure, 0 if none.
  int handshakeError() const { return m_handshakeError; }
  /// Last errno from a failed connect attempt (ECONNREFUSED, ...), 0 if none.
  int connectError() const { return m_connectError; }
  /// Number of disconnects that happened before a handshake succeeded.
  int failedHandshakes() const { return m_failedHandshakes; }

 private:
  void handleEvent(std::uint16_t event, std::uint32_t value);

  zmq::socket_t& m_watched;
  zmq::socket_t m_events;
  LinkState m_state = LinkState::Connecting;
  bool m_everConnected = false;
  int m_authStatus = 0;
  int m_handshakeError = 0;
  int m_connectError = 0;
  int m_failedHandshakes = 0;
  bool m_tcpConnected = false;
  bool m_ready = false;
  bool m_authFailed = false;      // sticky until a handshake succeeds
  bool m_protocolFailed = false;  // sticky until a handshake succeeds
};

}  // namespace netlens::transport
