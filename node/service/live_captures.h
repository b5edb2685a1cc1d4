// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "node/live/live_tap.h"
#include "shared/protocol/codec.h"
#include "shared/transport/authorized_keys.h"

namespace netlens::net {
class IpGroupSet;
}
namespace netlens::node::pipeline {
class Pipeline;
}

namespace netlens::node::service {

/// Who sent a request, as the ZAP handler admitted the connection.
struct ClientIdentity {
  std::string key;      ///< Z85 public key
  std::string comment;  ///< of its authorized_keys line
  transport::Role role = transport::Role::Viewer;
  /// The comment, else the first 8 characters of the key.
  std::string name() const { return comment.empty() ? key.substr(0, 8) : comment; }
};

/// The service's side of live captures: "live-start", "live-fetch", "live-stop" and
/// "live-list" (see protocol::OperationId::LiveStart), the owners, the idle timeout.
///
/// A capture belongs to the key that started it: only that key or an admin may fetch or
/// stop it. The packets flow through live::LiveTap on the capture threads; this class only
/// adds and removes captures there and swaps their buffers out.
///
/// Thread: the service thread only (the service is single-threaded, so nothing here ever
/// waits: a fetch returns what is buffered at once).
class LiveCaptures {
 public:
  /// `tap` may be null (a node without one refuses live-start); `idleTimeout`: how long a
  /// capture may go without a fetch.
  LiveCaptures(std::shared_ptr<live::LiveTap> tap, const pipeline::Pipeline& pipeline,
               std::chrono::steady_clock::duration idleTimeout);
  ~LiveCaptures();
  LiveCaptures(const LiveCaptures&) = delete;
  LiveCaptures& operator=(const LiveCaptures&) = delete;

  /// Answers one of the four live operations.
  protocol::Reply handle(const protocol::Request& request, const ClientIdentity& client,
                         const net::IpGroupSet& groups);
  /// Stops and removes captures not fetched within the idle timeout (their console is gone).
  void expireIdle();

 private:
  struct Entry {
    std::shared_ptr<live::LiveCaptureBuffer> buffer;
    ClientIdentity owner;
    protocol::LiveCapture info;
    protocol::TimeNs lastFetch = 0;  ///< wall clock
    std::chrono::steady_clock::time_point lastFetchSteady;
  };

  protocol::Reply start(const protocol::Request& request, const ClientIdentity& client,
                        const net::IpGroupSet& groups);
  protocol::Reply fetchOrStop(const protocol::Request& request, const ClientIdentity& client,
                              bool stop);
  protocol::Reply list(const protocol::Request& request) const;
  protocol::LiveChunk chunkOf(Entry& entry, std::uint64_t maxBytes, bool* more);
  void remove(std::uint64_t id);

  std::shared_ptr<live::LiveTap> m_tap;
  const pipeline::Pipeline& m_pipeline;
  std::chrono::steady_clock::duration m_idleTimeout;
  std::map<std::uint64_t, Entry> m_captures;  // by id: oldest first
  std::uint64_t m_nextId = 1;
};

}  // namespace netlens::node::service
