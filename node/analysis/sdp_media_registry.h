// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "shared/net/ip_address.h"
#include "shared/protocol/messages.h"

namespace netlens::node::analysis {

/// A payload type an SDP rtpmap named, copied out of the SIP message.
using MediaCodec = protocol::MediaCodec;

/// What an SDP offer or answer said about one media address and port.
struct MediaEndpoint {
  std::string callId;
  std::string mediaType;  ///< "audio", "video", "image"
  std::vector<MediaCodec> codecs;
  std::int64_t announced = 0;  ///< packet time of the SIP message carrying the SDP
};

/// The media endpoints (address, port) that SDP bodies of SIP messages announced, node-wide:
/// SIP and the RTP it sets up travel on different 5-tuples, which the pipeline shards to
/// different workers, so the worker that reads the SDP publishes here and the workers that
/// see RTP look here (when a stream starts or changes payload type, never per packet) and
/// when reports are built. A later announcement of the same endpoint replaces the earlier.
///
/// Bounded: at most kMaxEndpoints entries, the oldest announcement dropped first.
/// Thread-safe: every member locks an internal mutex.
class SdpMediaRegistry {
 public:
  static constexpr std::size_t kMaxEndpoints = 65536;

  void announce(const net::IpAddress& address, std::uint16_t port, MediaEndpoint endpoint);
  /// False when no SDP named (address, port).
  bool find(const net::IpAddress& address, std::uint16_t port, MediaEndpoint* out) const;
  /// Lock-free: true once anything was announced (lets RTP skip the lookup on SIP-less links).
  bool isEmpty() const { return m_count.load(std::memory_order_relaxed) == 0; }

 private:
  using Key = std::pair<net::IpAddress, std::uint16_t>;
  mutable std::mutex m_mutex;
  std::map<Key, MediaEndpoint> m_endpoints;
  std::atomic<std::size_t> m_count{0};
};

}  // namespace netlens::node::analysis
