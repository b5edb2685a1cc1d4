// SPDX-License-Identifier: MIT
#include "shared/transport/handshake_monitor.h"

#include <atomic>
#include <cstring>

#include <zmq.h>

namespace netlens::transport {

namespace {

std::string uniqueMonitorEndpoint() {
  static std::atomic<std::uint64_t> counter{0};
  return "inproc://netlens-monitor-" + std::to_string(++counter);
}

}  // namespace

HandshakeMonitor::HandshakeMonitor(zmq::context_t& context, zmq::socket_t& socket)
    : m_watched(socket), m_events(context, zmq::socket_type::pair) {
  const std::string endpoint = uniqueMonitorEndpoint();
  // The monitor's own PAIR socket is bound by libzmq; ours must connect after that call.
  if (zmq_socket_monitor(m_watched.handle(), endpoint.c_str(), ZMQ_EVENT_ALL) != 0)
    throw zmq::error_t();
  m_events.set(zmq::sockopt::linger, 0);
  m_events.connect(endpoint);
}

HandshakeMonitor::~HandshakeMonitor() {
  (void)zmq_socket_monitor(m_watched.handle(), nullptr, 0);
}

LinkState HandshakeMonitor::drain() {
  for (;;) {
    zmq::message_t header;
    zmq::recv_result_t got;
    try {
      got = m_events.recv(header, zmq::recv_flags::dontwait);
    } catch (const zmq::error_t&) {
      break;  // context terminating
    }
    if (!got) break;
    // Event message: frame 1 = uint16 event + uint32 value (host order), frame 2 = endpoint.
    while (header.more()) {
      zmq::message_t rest;
      if (!m_events.recv(rest, zmq::recv_flags::dontwait) || !rest.more()) break;
    }
    if (header.size() < 6) continue;
    std::uint16_t event = 0;
    std::uint32_t value = 0;
    std::memcpy(&event, header.data(), 2);
    std::memcpy(&value, static_cast<const char*>(header.data()) + 2, 4);
    handleEvent(event, value);
  }
  return m_state;
}

void HandshakeMonitor::handleEvent(std::uint16_t event, std::uint32_t value) {
  switch (event) {
    case ZMQ_EVENT_CONNECTED:
      m_everConnected = true;
      m_tcpConnected = true;
      m_ready = false;
      break;
    case ZMQ_EVENT_CONNECT_DELAYED:
    case ZMQ_EVENT_CONNECT_RETRIED:
      if (event == ZMQ_EVENT_CONNECT_DELAYED && value != 0)
        m_connectError = static_cast<int>(value);
      break;
    case ZMQ_EVENT_HANDSHAKE_SUCCEEDED:
      m_ready = true;
      m_authFailed = false;
      m_protocolFailed = false;
      m_failedHandshakes = 0;
      break;
    case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH:
      m_authFailed = true;
      m_authStatus = static_cast<int>(value);
      break;
    case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL:
    case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL:
      m_protocolFailed = true;
      m_handshakeError = static_cast<int>(value);
      break;
    case ZMQ_EVENT_DISCONNECTED:
    case ZMQ_EVENT_CLOSED:
      if (m_tcpConnected && !m_ready) ++m_failedHandshakes;
      m_tcpConnected = false;
      m_ready = false;
      break;
    default:
      break;
  }
  // Precedence: an explicit refusal by the node beats every inference.
  if (m_ready)
    m_state = LinkState::Ready;
  else if (m_authFailed)
    m_state = LinkState::NotAuthorised;
  else if (m_protocolFailed || m_failedHandshakes >= kFailedHandshakesForMismatch)
    m_state = LinkState::ServerKeyMismatch;
  else if (m_tcpConnected)
    m_state = LinkState::Handshaking;
  else
    m_state = LinkState::Connecting;
}

}  // namespace netlens::transport
