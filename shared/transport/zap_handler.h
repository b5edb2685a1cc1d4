// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include <zmq.hpp>

#include "shared/protocol/result.h"
#include "shared/transport/authorized_keys.h"

namespace netlens::transport {

/// What the ZapHandler attaches to every admitted connection (read per message with
/// zmq_msg_gets): the "User-Id" "ROLE KEY" (the granted role and the client's public key in
/// Z85, which owns what the connection starts, e.g. live captures; only ZAP sets a User-Id,
/// so a client cannot claim another key), and as ZAP metadata the comment of its
/// authorized_keys line, for display only.
inline constexpr std::string_view kClientCommentProperty = "X-Netlens-Comment";

/// ZeroMQ authentication (ZAP, RFC 27) for a node: admits CURVE clients whose public key is
/// in authorized_keys and tells the server their role.
///
/// THREAT MODEL: CURVE proves that a client holds the secret key of the public key it
/// presents; this handler decides whether that key may talk to the node. It answers every
/// ZAP request of every socket in the context: mechanism CURVE with a listed key → "200",
/// user id = role name ("viewer"/"admin"), which libzmq attaches to each message of that
/// connection as the "User-Id" property (read it with peerRole()). Anything else — NULL or
/// PLAIN mechanism, unknown key, unreadable or malformed authorized_keys — gets "400" and a
/// log line with the peer address and key fingerprint. libzmq admits every CURVE client
/// when no handler is bound to inproc://zeromq.zap.01 (Debian's libzmq lacks the draft
/// ZMQ_ZAP_ENFORCE_DOMAIN), so start() MUST succeed before any server socket binds, and
/// stop() must come after those sockets are closed.
///
/// Threads: construct, start, stop and destroy on one owner thread; reload(),
/// setAuthorizedKeys(), denials() and admissions() from any thread. The handler owns its
/// REP socket (created in start(), then used only by its own thread).
class ZapHandler {
 public:
  /// Receives one English log line per denial, reload or file error (from the handler's
  /// thread). May be empty.
  using Logger = std::function<void(std::string_view line)>;

  /// Keys come from `authorizedKeysFile`, re-read when its modification time or size
  /// changes (checked at most every 500 ms and on reload()).
  ZapHandler(zmq::context_t& context, std::filesystem::path authorizedKeysFile, Logger logger = {});
  /// Keys given in memory (tests, standalone mode); no file is watched.
  ZapHandler(zmq::context_t& context, AuthorizedKeys keys, Logger logger = {});
  ~ZapHandler();  ///< stop()s
  ZapHandler(const ZapHandler&) = delete;
  ZapHandler& operator=(const ZapHandler&) = delete;

  /// Binds inproc://zeromq.zap.01 (synchronously: when this returns ok, server sockets may
  /// bind) and starts the thread. Fails if another handler is bound in this context. With a
  /// file, an initial load failure is logged, not fatal (everybody is denied until fixed).
  protocol::Status start();
  /// Stops the thread and closes the socket; returns within ~250 ms. Idempotent.
  void stop();
  bool isRunning() const { return m_thread.joinable(); }

  /// Re-reads the file before the next request is answered.
  void reload();
  /// Replaces the keys (file watching, if any, continues and may replace them again).
  void setAuthorizedKeys(AuthorizedKeys keys);

  std::uint64_t admissions() const { return m_admissions.load(); }
  std::uint64_t denials() const { return m_denials.load(); }

 private:
  void run();
  void handleRequest();
  void reloadIfChanged(bool force);
  void log(const std::string& line) const;

  zmq::context_t& m_context;
  std::optional<std::filesystem::path> m_file;
  Logger m_logger;
  std::optional<zmq::socket_t> m_socket;
  std::thread m_thread;
  std::atomic<bool> m_stop{false};
  std::atomic<bool> m_reloadRequested{false};
  std::atomic<std::uint64_t> m_admissions{0};
  std::atomic<std::uint64_t> m_denials{0};

  mutable std::mutex m_mutex;  // guards m_keys and m_keysValid
  AuthorizedKeys m_keys;
  bool m_keysValid = true;
  // handler-thread only
  std::filesystem::file_time_type m_fileTime{};
  std::uintmax_t m_fileSize = 0;
  bool m_fileSeen = false;
  std::chrono::steady_clock::time_point m_lastCheck{};
  std::chrono::steady_clock::time_point m_denialWindowStart{};
  int m_denialLines = 0;
  std::uint64_t m_suppressedDenials = 0;
};

}  // namespace netlens::transport
