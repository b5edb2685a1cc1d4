// SPDX-License-Identifier: MIT
#include "shared/transport/server_socket.h"
#include "shared/transport/frames.h"
#include "shared/transport/zap_handler.h"

#include <cerrno>
#include <vector>

#include <zmq.h>

namespace netlens::transport {

namespace {

/// libzmq's ZMQ_ZAP_ENFORCE_DOMAIN: a draft option missing from Debian's headers. Set when
/// the library accepts it (then a missing ZAP handler refuses clients instead of admitting
/// them); ignored otherwise — ZapHandler being bound first is the real guarantee.
constexpr int kZapEnforceDomainOption = 93;

/// Control requests are small; a bigger message from a peer is a bug or an attack and is
/// refused by libzmq (the connection is dropped) before it is buffered.
constexpr std::int64_t kMaxRequestSize = std::int64_t{16} * 1024 * 1024;

constexpr int kHeartbeatIntervalMs = 5000;
constexpr int kHeartbeatTimeoutMs = 15000;
constexpr int kHandshakeTimeoutMs = 10000;

}  // namespace

protocol::Status configureCurveServer(zmq::socket_t& socket, const KeyPair& serverKeys) {
  if (std::string why = checkZ85Key(serverKeys.secretKey); !why.empty())
    return protocol::Status::failure("server secret key " + why);
  try {
    socket.set(zmq::sockopt::linger, 0);
    socket.set(zmq::sockopt::ipv6, 1);
    socket.set(zmq::sockopt::curve_server, 1);
    socket.set(zmq::sockopt::curve_secretkey, serverKeys.secretKey);
    socket.set(zmq::sockopt::zap_domain, std::string(kZapDomain));
    socket.set(zmq::sockopt::maxmsgsize, kMaxRequestSize);
    socket.set(zmq::sockopt::heartbeat_ivl, kHeartbeatIntervalMs);
    socket.set(zmq::sockopt::heartbeat_timeout, kHeartbeatTimeoutMs);
    socket.set(zmq::sockopt::handshake_ivl, kHandshakeTimeoutMs);
  } catch (const zmq::error_t& e) {
    return protocol::Status::failure(std::string("cannot configure the CURVE server socket: ") +
                                     e.what());
  }
  const int enforce = 1;
  (void)zmq_setsockopt(socket.handle(), kZapEnforceDomainOption, &enforce, sizeof enforce);
  return {};
}

protocol::Result<std::uint16_t> bindTcp(zmq::socket_t& socket, std::string_view host,
                                        std::uint16_t port) {
  const std::string h(host);
  const bool v6 = h.find(':') != std::string::npos;
  const std::string shownHost = v6 ? "[" + h + "]" : h;
  const std::string endpoint =
      "tcp://" + shownHost + ":" + (port == 0 ? std::string("*") : std::to_string(port));
  const std::string where = shownHost + ":" + std::to_string(port);
  try {
    socket.bind(endpoint);
  } catch (const zmq::error_t& e) {
    switch (e.num()) {
      case EADDRINUSE:
        return protocol::Result<std::uint16_t>::failure(
            "port " + std::to_string(port) + " on " + h +
            " is already in use (another netlens-node running?); choose another with --listen "
            "HOST:PORT");
      case EADDRNOTAVAIL:
        return protocol::Result<std::uint16_t>::failure("cannot bind to " + where +
                                                        ": address not available on this host");
      case EACCES:
        return protocol::Result<std::uint16_t>::failure(
            "cannot bind to " + where +
            ": permission denied (ports below 1024 need privileges; choose a higher port with "
            "--listen)");
      case EINVAL:
      case ENODEV:
        return protocol::Result<std::uint16_t>::failure(
            "cannot bind to " + where + ": not a valid local address or interface name");
      default:
        return protocol::Result<std::uint16_t>::failure("cannot bind to " + where + ": " +
                                                        e.what());
    }
  }
  const std::string last = socket.get(zmq::sockopt::last_endpoint);
  const auto colon = last.rfind(':');
  try {
    const unsigned long bound = std::stoul(last.substr(colon + 1));
    return static_cast<std::uint16_t>(bound);
  } catch (const std::exception&) {
    return protocol::Result<std::uint16_t>::failure("bound to " + last +
                                                    " but cannot read its port");
  }
}

std::optional<Role> peerRole(const zmq::message_t& message) {
  // zmq_msg_gets takes a non-const message but does not modify it.
  const char* userId = zmq_msg_gets(const_cast<zmq_msg_t*>(message.handle()), "User-Id");
  if (!userId) return std::nullopt;
  const std::string_view text(userId);
  return parseRole(text.substr(0, text.find(' ')));
}

std::optional<IncomingRequest> receiveRequest(zmq::socket_t& router) {
  std::vector<zmq::message_t> frames = receiveFrames(router);
  if (frames.size() != 2) return std::nullopt;
  IncomingRequest request;
  request.routingId = frames[0].to_string();
  request.envelope = frames[1].to_string();
  request.role = peerRole(frames[1]);
  auto* handle = const_cast<zmq_msg_t*>(frames[1].handle());
  // The key from the User-Id the ZAP handler set ("ROLE KEY"), never from client metadata.
  if (const char* userId = zmq_msg_gets(handle, "User-Id")) {
    const std::string_view text(userId);
    if (const auto space = text.find(' '); space != std::string_view::npos)
      request.clientKey = std::string(text.substr(space + 1));
  }
  if (const char* comment = zmq_msg_gets(handle, kClientCommentProperty.data()))
    request.clientComment = comment;
  return request;
}

bool sendReply(zmq::socket_t& router, std::string_view routingId, std::string_view envelope) {
  try {
    if (!router.send(zmq::buffer(routingId), zmq::send_flags::sndmore | zmq::send_flags::dontwait))
      return false;
    return router.send(zmq::buffer(envelope), zmq::send_flags::dontwait).has_value();
  } catch (const zmq::error_t&) {
    return false;  // EHOSTUNREACH with ZMQ_ROUTER_MANDATORY: the console went away
  }
}

bool publish(zmq::socket_t& pub, std::string_view topic, std::string_view body) {
  try {
    if (!pub.send(zmq::buffer(topic), zmq::send_flags::sndmore | zmq::send_flags::dontwait))
      return false;
    return pub.send(zmq::buffer(body), zmq::send_flags::dontwait).has_value();
  } catch (const zmq::error_t&) {
    return false;
  }
}

}  // namespace netlens::transport
