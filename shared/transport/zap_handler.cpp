// SPDX-License-Identifier: MIT
#include "shared/transport/zap_handler.h"

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include <zmq.h>

#include "shared/transport/frames.h"
#include "shared/transport/keys.h"

namespace netlens::transport {

namespace {

constexpr const char* kZapEndpoint = "inproc://zeromq.zap.01";
constexpr auto kPollInterval = std::chrono::milliseconds(100);
constexpr auto kFileCheckInterval = std::chrono::milliseconds(500);

/// Denials are logged, but a peer hammering the port must not flood the log: at most this
/// many lines per window, then one summary line.
constexpr int kMaxDenialLinesPerWindow = 20;
constexpr auto kDenialWindow = std::chrono::seconds(10);

std::string frameText(const zmq::message_t& m) {
  return std::string(m.data<char>(), m.size());
}

/// ZAP metadata (RFC 27, ZMTP property encoding): per property a one-byte name length, the
/// name, a four-byte big-endian value length and the value. libzmq attaches the properties to
/// every message of the connection.
std::string zapMetadata(const std::vector<std::pair<std::string, std::string>>& properties) {
  std::string out;
  for (const auto& [name, value] : properties) {
    out.push_back(static_cast<char>(name.size()));
    out += name;
    const auto n = static_cast<std::uint32_t>(value.size());
    for (int shift = 24; shift >= 0; shift -= 8)
      out.push_back(static_cast<char>((n >> shift) & 0xff));
    out += value;
  }
  return out;
}

}  // namespace

ZapHandler::ZapHandler(zmq::context_t& context, std::filesystem::path authorizedKeysFile,
                       Logger logger)
    : m_context(context), m_file(std::move(authorizedKeysFile)), m_logger(std::move(logger)) {
  m_keysValid = false;  // until the first load succeeds
}

ZapHandler::ZapHandler(zmq::context_t& context, AuthorizedKeys keys, Logger logger)
    : m_context(context), m_logger(std::move(logger)), m_keys(std::move(keys)) {}

ZapHandler::~ZapHandler() {
  stop();
}

protocol::Status ZapHandler::start() {
  if (m_thread.joinable()) return {};
  try {
    m_socket.emplace(m_context, zmq::socket_type::rep);
    m_socket->set(zmq::sockopt::linger, 0);
    m_socket->bind(kZapEndpoint);
  } catch (const zmq::error_t& e) {
    m_socket.reset();
    return protocol::Status::failure(
        std::string("cannot start the authentication (ZAP) handler: ") + e.what() +
        (e.num() == EADDRINUSE ? " (another ZAP handler already runs in this context)" : ""));
  }
  m_stop = false;
  reloadIfChanged(true);  // on the owner thread: the first request already sees the keys
  m_thread = std::thread([this] { run(); });
  return {};
}

void ZapHandler::stop() {
  if (!m_thread.joinable()) return;
  m_stop = true;
  m_thread.join();
  m_socket.reset();  // the handler thread has finished with it; join is the barrier
}

void ZapHandler::reload() {
  m_reloadRequested = true;
}

void ZapHandler::setAuthorizedKeys(AuthorizedKeys keys) {
  std::lock_guard lock(m_mutex);
  m_keys = std::move(keys);
  m_keysValid = true;
}

void ZapHandler::log(const std::string& line) const {
  if (m_logger) m_logger(line);
}

void ZapHandler::reloadIfChanged(bool force) {
  if (!m_file) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - m_lastCheck < kFileCheckInterval) return;
  m_lastCheck = now;

  std::error_code ec;
  const auto time = std::filesystem::last_write_time(*m_file, ec);
  const auto size = ec ? 0 : std::filesystem::file_size(*m_file, ec);
  if (ec) {
    if (m_fileSeen || force) {
      log("authorized_keys " + m_file->string() + ": " + ec.message() +
          "; every console is refused until it exists");
      std::lock_guard lock(m_mutex);
      m_keys = {};
      m_keysValid = false;
    }
    m_fileSeen = false;
    return;
  }
  if (!force && m_fileSeen && time == m_fileTime && size == m_fileSize) return;
  m_fileSeen = true;
  m_fileTime = time;
  m_fileSize = size;

  protocol::Result<AuthorizedKeys> loaded = AuthorizedKeys::load(*m_file);
  std::lock_guard lock(m_mutex);
  if (loaded) {
    m_keys = std::move(loaded).value();
    m_keysValid = true;
    log("authorized_keys " + m_file->string() + ": " + std::to_string(m_keys.size()) +
        " console key(s) loaded");
  } else {
    // Fail closed: a file we cannot fully understand authorises nobody.
    m_keys = {};
    m_keysValid = false;
    log("authorized_keys: " + loaded.error() + "; every console is refused until it is fixed");
  }
}

void ZapHandler::run() {
  try {
    while (!m_stop) {
      reloadIfChanged(m_reloadRequested.exchange(false));
      zmq::pollitem_t items[] = {{m_socket->handle(), 0, ZMQ_POLLIN, 0}};
      zmq::poll(items, 1, kPollInterval);
      if (items[0].revents & ZMQ_POLLIN) {
        reloadIfChanged(m_reloadRequested.exchange(false));
        handleRequest();
      }
    }
  } catch (const zmq::error_t& e) {
    // ETERM: the context is being shut down under us; nothing more to authenticate.
    if (e.num() != ETERM) log(std::string("ZAP handler stopped: ") + e.what());
  }
}

void ZapHandler::handleRequest() {
  std::vector<zmq::message_t> frames = receiveFrames(*m_socket);
  if (frames.empty()) return;

  // RFC 27 request: version, request id, domain, address, routing id, mechanism,
  // credentials...
  const std::string requestId = frames.size() > 1 ? frameText(frames[1]) : std::string();
  const std::string address = frames.size() > 3 ? frameText(frames[3]) : std::string("?");
  const std::string mechanism = frames.size() > 5 ? frameText(frames[5]) : std::string();

  std::string status = "400";
  std::string statusText = "not authorised";
  std::string userId;
  std::string metadata;
  std::string reason;
  std::string fingerprint;

  if (frames.size() < 6 || frameText(frames[0]) != "1.0") {
    reason = "malformed ZAP request";
  } else if (mechanism != "CURVE") {
    reason = "mechanism " + (mechanism.empty() ? std::string("?") : mechanism) +
             " is not allowed (CURVE only)";
  } else if (frames.size() != 7 || frames[6].size() != 32) {
    reason = "malformed CURVE credentials";
  } else {
    std::array<char, kZ85KeyLength + 1> z85{};
    zmq_z85_encode(z85.data(), frames[6].data<std::uint8_t>(), 32);
    const std::string key(z85.data(), kZ85KeyLength);
    fingerprint = keyFingerprint(key);
    std::optional<AuthorizedKey> entry;
    bool valid = false;
    {
      std::lock_guard lock(m_mutex);
      valid = m_keysValid;
      if (valid) entry = m_keys.find(key);
    }
    if (entry) {
      status = "200";
      statusText = "OK";
      // "ROLE KEY": the User-Id is set by this handler alone (a client's own metadata cannot
      // stand in for it), so the key that owns a request is taken from it. A Z85 key has no
      // space. The comment is for display only.
      userId = std::string(roleName(entry->role)) + ' ' + key;
      metadata = zapMetadata({{std::string(kClientCommentProperty), entry->comment}});
    } else {
      reason = valid ? "key " + key + " is not in authorized_keys"
                     : "key " + key + " refused: authorized_keys is missing or invalid";
    }
  }

  if (status == "200") {
    ++m_admissions;
  } else {
    ++m_denials;
    const auto now = std::chrono::steady_clock::now();
    if (now - m_denialWindowStart > kDenialWindow) {
      if (m_suppressedDenials > 0)
        log("ZAP: " + std::to_string(m_suppressedDenials) + " more denial(s) not logged");
      m_denialWindowStart = now;
      m_denialLines = 0;
      m_suppressedDenials = 0;
    }
    if (m_denialLines++ < kMaxDenialLinesPerWindow)
      log("ZAP: denied " + address + (fingerprint.empty() ? "" : " (" + fingerprint + ")") + ": " +
          reason);
    else
      ++m_suppressedDenials;
  }

  // Reply: version, request id, status code, status text, user id, metadata.
  const std::array<std::string, 6> reply{"1.0", requestId, status, statusText, userId, metadata};
  for (std::size_t i = 0; i < reply.size(); ++i)
    m_socket->send(zmq::buffer(reply[i]),
                   i + 1 < reply.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
}

}  // namespace netlens::transport
