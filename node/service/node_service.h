// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "shared/protocol/operation.h"
#include "shared/protocol/result.h"
#include "shared/transport/keys.h"

namespace netlens::node::pipeline {
class Pipeline;
}
namespace netlens::net {
class IpGroupSet;
}

namespace netlens::node::store {
class StoreWriter;
}
namespace netlens::node::live {
class LiveTap;
}

namespace netlens::node::service {

struct ServiceConfig {
  std::string nodeName;
  std::string listenHost = "0.0.0.0";
  std::uint16_t controlPort = 7400;  ///< the publisher binds controlPort + 1
  std::filesystem::path authorizedKeysFile;
  transport::KeyPair serverKeys;
  int publishIntervalMs = 1000;
  std::int64_t inactivityGapNs = 300'000'000'000;  ///< the analyser's, announced in Hello
  /// The IP groups at start (null: none) and their limit (--max-groups).
  std::shared_ptr<const net::IpGroupSet> groups;
  std::uint32_t maxGroups = 32;
  /// Where "set-groups" persists a new group set (0600); empty: not persisted.
  std::filesystem::path groupsFile;
  /// The packet ring "search" looks in; null when the node keeps no packets.
  std::shared_ptr<store::StoreWriter> store;
  /// The pipeline's live tap (PipelineConfig::liveTap); null: "live-start" is refused.
  std::shared_ptr<live::LiveTap> liveTap;
  /// A live capture not fetched for this long is stopped (its console is gone).
  std::chrono::seconds liveIdleTimeout{protocol::kLiveIdleTimeoutSeconds};
};

/// The node's network face: a CURVE ROUTER for requests (kOperations: "hello", "hosts",
/// "global", "connections", "history", "groups", "search", "rtp", "sip", "calls", the live
/// captures (LiveCaptures) and the admin-only "set-groups") and a
/// CURVE PUB publishing per-second host deltas with sequence numbers (ZeroMQ's Clone
/// pattern: a console subscribes, asks for a snapshot carrying the last sequence it
/// contains, then applies newer deltas; a gap makes it ask again).
///
/// SECURITY: the ZAP handler is bound before either socket, so no connection is ever
/// admitted without a key listed in authorized_keys; there is no plaintext fallback.
/// Every request is decoded defensively; a bad one gets an error reply and changes nothing.
///
/// IP groups are owned by the service thread (queries, set-groups and publishing all run
/// there), so changing them needs no lock; a new set takes effect for the next request and
/// the next delta carries every host again with its new group.
///
/// Threads: start()/stop() from the owner; all ZeroMQ work on the service's own thread.
class NodeService {
 public:
  NodeService(ServiceConfig config, pipeline::Pipeline& pipeline);
  ~NodeService();
  NodeService(const NodeService&) = delete;
  NodeService& operator=(const NodeService&) = delete;

  /// Binds both sockets (errors: port in use, bad address, bad key) and starts serving.
  protocol::Status start();
  void stop();
  std::uint16_t controlPort() const { return m_controlPort; }
  std::uint16_t publisherPort() const { return m_publisherPort; }

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
  std::uint16_t m_controlPort = 0;
  std::uint16_t m_publisherPort = 0;
};

}  // namespace netlens::node::service
