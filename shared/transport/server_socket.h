// SPDX-License-Identifier: MIT
#pragma once

// Helpers for the node's server sockets (ROUTER for control, PUB for updates).
//
// Typical set-up on the service thread:
//   ZapHandler zap(ctx, stateDir / "authorized_keys", log);   zap.start();  // FIRST
//   zmq::socket_t router(ctx, zmq::socket_type::router);
//   configureCurveServer(router, nodeKeys);
//   auto port = bindTcp(router, "0.0.0.0", 7300);
//   ... receiveRequest(router) / sendReply(router, ...)
//   publish(pub, protocol::kHostsTopic, protocol::encodeBody(delta));
//
// SECURITY: every server socket must be a CURVE server with ZMQ_ZAP_DOMAIN set, so that the
// ZapHandler is consulted for every connection; never bind a server socket without it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <zmq.hpp>

#include "shared/protocol/result.h"
#include "shared/transport/authorized_keys.h"
#include "shared/transport/keys.h"

namespace netlens::transport {

/// ZAP domain set on every Netlens server socket.
inline constexpr std::string_view kZapDomain = "netlens";

/// Makes `socket` a CURVE server with the node's secret key and kZapDomain; also sets
/// linger 0, IPv6 on, and TCP keep-alive/heartbeats so dead consoles are noticed. Call
/// before bind. Fails on an invalid key.
protocol::Status configureCurveServer(zmq::socket_t& socket, const KeyPair& serverKeys);

/// Binds tcp://host:port ("0.0.0.0", "::" for all, "127.0.0.1", a host name, an IPv6
/// literal without brackets; port 0 = ephemeral) and returns the port actually bound.
/// Errors: "port 7300 on 0.0.0.0 is already in use (another netlens-node running?); choose
/// another with --listen HOST:PORT", "cannot bind to 10.9.9.9:7300: address not available on this
/// host", etc.
protocol::Result<std::uint16_t> bindTcp(zmq::socket_t& socket, std::string_view host,
                                        std::uint16_t port);

/// The role the ZapHandler granted the connection a message came from (its "User-Id"
/// property); nullopt if absent or unknown — treat as unauthorised.
std::optional<Role> peerRole(const zmq::message_t& message);

/// A control request as received on the ROUTER socket: [routing id, envelope].
struct IncomingRequest {
  std::string routingId;  ///< opaque; pass back to sendReply
  std::string envelope;   ///< bytes for protocol::decodeRequest
  std::optional<Role> role;
  /// The client's public key (Z85) and the comment of its authorized_keys line, as the ZAP
  /// handler admitted it; empty when the connection carries none.
  std::string clientKey;
  std::string clientComment;
};

/// Reads one request without blocking; nullopt if none is waiting. Malformed framings
/// (other than exactly two frames) are drained and dropped. Thread: the socket's thread.
std::optional<IncomingRequest> receiveRequest(zmq::socket_t& router);

/// Sends [routingId, envelope] without blocking; false if the peer is gone or its queue is
/// full (ROUTER drops to unknown peers; ZMQ_ROUTER_MANDATORY is not required).
bool sendReply(zmq::socket_t& router, std::string_view routingId, std::string_view envelope);

/// Publishes [topic, body] on a PUB socket without blocking (PUB drops for slow
/// subscribers, by design: they detect the sequence gap and re-snapshot).
bool publish(zmq::socket_t& pub, std::string_view topic, std::string_view body);

}  // namespace netlens::transport
