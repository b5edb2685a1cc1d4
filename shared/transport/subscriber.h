// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <zmq.hpp>

#include "shared/protocol/result.h"
#include "shared/transport/connection_string.h"
#include "shared/transport/handshake_monitor.h"
#include "shared/transport/keys.h"

namespace netlens::transport {

/// One publication: [topic, body] (see protocol::kHostsTopic).
struct Publication {
  std::string topic;
  std::string body;  ///< decode with protocol::decodeBody<HostsDelta> etc.
};

/// The console's update stream from one node (Clone pattern): a CURVE SUB socket connected
/// to the node's PUB port. Typical use: subscribe(kHostsTopic), then request "hosts" over
/// the ControlClient (snapshot at sequence S), then apply deltas with sequence > S; a gap
/// means "request a new snapshot". Subscribing before the snapshot guarantees no delta
/// between them is missed.
///
/// SECURITY: same as ControlClient (the server key is pinned; the ZAP handler authorises).
/// Threads: not thread-safe; one owner thread.
class Subscriber {
 public:
  /// Connects to `server.host` at `publisherPort` (from Hello) with `server.serverKey`.
  /// Throws std::invalid_argument if a key is not valid Z85.
  Subscriber(zmq::context_t& context, const ConnectionString& server, std::uint16_t publisherPort,
             const KeyPair& clientKeys);
  ~Subscriber();
  Subscriber(const Subscriber&) = delete;
  Subscriber& operator=(const Subscriber&) = delete;

  /// Subscribes to an exact topic (ZeroMQ matches prefixes; receive() filters exact).
  void subscribe(std::string_view topic);
  void unsubscribe(std::string_view topic);

  /// The next publication, waiting up to `timeout`; nullopt on timeout. Malformed
  /// publications (not two frames) are skipped.
  std::optional<Publication> receive(std::chrono::milliseconds timeout);

  /// Link state, e.g. to show "not authorised" when no delta ever arrives.
  LinkState linkState();

 private:
  std::unique_ptr<zmq::socket_t> m_socket;
  std::unique_ptr<HandshakeMonitor> m_monitor;
  std::vector<std::string> m_topics;
};

}  // namespace netlens::transport
