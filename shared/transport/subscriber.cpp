// SPDX-License-Identifier: MIT
#include "shared/transport/subscriber.h"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "shared/transport/control_client.h"
#include "shared/transport/frames.h"

namespace netlens::transport {

Subscriber::Subscriber(zmq::context_t& context, const ConnectionString& server,
                       std::uint16_t publisherPort, const KeyPair& clientKeys) {
  m_socket = std::make_unique<zmq::socket_t>(context, zmq::socket_type::sub);
  if (protocol::Status s = configureCurveClient(*m_socket, server.serverKey, clientKeys); !s)
    throw std::invalid_argument(s.error());
  m_monitor = std::make_unique<HandshakeMonitor>(context, *m_socket);  // before connect
  m_socket->connect(server.endpoint(publisherPort));
}

Subscriber::~Subscriber() {
  m_monitor.reset();
  m_socket.reset();
}

void Subscriber::subscribe(std::string_view topic) {
  if (std::find(m_topics.begin(), m_topics.end(), topic) != m_topics.end()) return;
  m_topics.emplace_back(topic);
  m_socket->set(zmq::sockopt::subscribe, topic);
}

void Subscriber::unsubscribe(std::string_view topic) {
  const auto it = std::find(m_topics.begin(), m_topics.end(), topic);
  if (it == m_topics.end()) return;
  m_topics.erase(it);
  m_socket->set(zmq::sockopt::unsubscribe, topic);
}

LinkState Subscriber::linkState() {
  return m_monitor->drain();
}

std::optional<Publication> Subscriber::receive(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  try {
    for (;;) {
      std::vector<zmq::message_t> frames = receiveFrames(*m_socket);
      if (frames.size() == 2) {
        Publication p{frames[0].to_string(), frames[1].to_string()};
        // ZeroMQ filters by prefix ("hosts" would also match "hostsX"); we want exact topics.
        if (std::find(m_topics.begin(), m_topics.end(), p.topic) != m_topics.end()) return p;
      }
      if (!frames.empty()) continue;  // skipped a malformed or foreign publication
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      zmq::pollitem_t items[] = {{m_socket->handle(), 0, ZMQ_POLLIN, 0},
                                 {m_monitor->eventSocket().handle(), 0, ZMQ_POLLIN, 0}};
      zmq::poll(items, 2, left);
      m_monitor->drain();
    }
  } catch (const zmq::error_t&) {
    return std::nullopt;  // context shutting down
  }
}

}  // namespace netlens::transport
