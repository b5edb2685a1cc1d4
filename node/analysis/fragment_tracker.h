// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "node/analysis/flow_segment.h"
#include "shared/decoder/decoded_packet.h"
#include "shared/protocol/messages.h"

namespace netlens::node::analysis {

/// An IP header found inside a fragmented datagram whose counting waits for reassembly,
/// reduced to what host counting needs.
struct DeferredHeader {
  net::IpAddress src;
  net::IpAddress dst;
  net::MacAddress srcMac;
  net::MacAddress dstMac;
  bool hasSrcMac = false;
  bool hasDstMac = false;
  bool hasVlan = false;
  std::uint16_t vlan = 0;
  std::uint8_t protocol = 0;
};

/// Follows IPv4/IPv6 fragments the way tshark's reassembly does, so that IP headers inside a
/// fragmented datagram (a tunnel's inner headers) are counted once, on the frame that
/// completes the datagram, and not on the first fragment that carries them.
///
/// A datagram is identified by (version, source, destination, id, protocol of the fragmented
/// header). It completes when the last fragment (more-fragments clear) has been seen and the
/// fragments cover every byte from 0 to its end. A fragment whose payload was not captured in
/// full is not added, as tshark does not reassemble it either. At most kMaxDatagrams
/// datagrams are followed; beyond that the oldest is forgotten, as is any datagram idle for
/// longer than the timeout (packet time). Datagrams live in a fixed open-addressed array
/// probed over kProbe slots; when all are busy the least recently updated one is replaced.
/// Fixed memory, no allocation after construction.
/// Not thread-safe: owned by one worker.
class FragmentTracker {
 public:
  static constexpr std::size_t kMaxDatagrams = 512;  ///< a power of two
  static constexpr std::size_t kProbe = 8;
  static constexpr std::size_t kMaxPieces = 16;  ///< disjoint byte ranges per datagram
  static constexpr std::size_t kMaxDeferred = decoder::kMaxIpLayers;

  explicit FragmentTracker(protocol::TimeNs timeoutNs);

  enum class Result {
    NotTracked,  ///< not reassembled (payload not fully captured or empty): tshark then
                 ///< dissects a first fragment's payload at once, so count its headers now
    Pending,     ///< stored; the datagram is not complete yet
    Completed,   ///< this fragment completed the datagram: `completed` holds the headers
                 ///< stored from its first fragment (none if that was never seen)
  };

  /// Adds the fragment `ip` (isFragment()) seen at packet time `now`. `deferred` lists the
  /// headers that follow it in this frame (only a first fragment has any). `segment`, when
  /// not null, is the innermost transport segment of a first fragment (its payload pointer is
  /// not kept); it is handed back in `completedSegment` (when not null) on completion, with
  /// its length extended to the whole datagram, and `hasCompletedSegment` says whether it was.
  Result add(const decoder::IpLayer& ip, protocol::TimeNs now, const DeferredHeader* deferred,
             std::size_t deferredCount, std::array<DeferredHeader, kMaxDeferred>& completed,
             std::size_t& completedCount, const FlowSegment* segment = nullptr,
             FlowSegment* completedSegment = nullptr, bool* hasCompletedSegment = nullptr);

  std::size_t pending() const { return m_used; }

 private:
  struct Datagram {
    net::IpAddress src;
    net::IpAddress dst;
    std::uint32_t id = 0;
    std::uint8_t protocol = 0;
    bool inUse = false;
    bool hasLast = false;
    bool hasFirst = false;
    std::uint8_t pieceCount = 0;
    std::uint8_t deferredCount = 0;
    bool hasSegment = false;
    std::uint32_t firstLength = 0;  ///< payload bytes of the first fragment
    std::uint32_t totalLength = 0;  ///< payload bytes, known once the last fragment is seen
    protocol::TimeNs lastUpdate = 0;
    std::array<std::uint32_t, kMaxPieces * 2> pieces{};  ///< sorted [begin, end) pairs
    std::array<DeferredHeader, kMaxDeferred> deferred{};
    FlowSegment segment;
  };

  Datagram* lookup(const decoder::IpLayer& ip, protocol::TimeNs now);
  static bool addPiece(Datagram& d, std::uint32_t begin, std::uint32_t end);

  protocol::TimeNs m_timeoutNs;
  std::vector<Datagram> m_datagrams;  // sized once
  std::size_t m_used = 0;
};

}  // namespace netlens::node::analysis
