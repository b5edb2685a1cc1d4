// SPDX-License-Identifier: MIT
#include "node/analysis/fragment_tracker.h"

#include "node/analysis/host_table.h"

#include <algorithm>
#include <cstring>

namespace netlens::node::analysis {

namespace {
std::uint64_t keyHash(const decoder::IpLayer& ip) {
  std::uint64_t a;
  std::uint64_t b;
  std::uint64_t c;
  std::uint64_t d;
  std::memcpy(&a, ip.src.bytes.data(), 8);
  std::memcpy(&b, ip.src.bytes.data() + 8, 8);
  std::memcpy(&c, ip.dst.bytes.data(), 8);
  std::memcpy(&d, ip.dst.bytes.data() + 8, 8);
  std::uint64_t h = (a * 0x9E3779B97F4A7C15ULL) ^ (b + 0x632BE59BD9B4E019ULL) ^
                    (c * 0xC2B2AE3D27D4EB4FULL) ^ d ^ (std::uint64_t{ip.fragmentId} << 8) ^
                    ip.protocol;
  h ^= h >> 31;
  h *= 0xBF58476D1CE4E5B9ULL;
  return h ^ (h >> 29);
}
}  // namespace

FragmentTracker::FragmentTracker(protocol::TimeNs timeoutNs)
    : m_timeoutNs(timeoutNs), m_datagrams(kMaxDatagrams) {}

FragmentTracker::Datagram* FragmentTracker::lookup(const decoder::IpLayer& ip,
                                                   protocol::TimeNs now) {
  const std::size_t home = keyHash(ip) & (kMaxDatagrams - 1);
  Datagram* free = nullptr;
  Datagram* oldest = nullptr;
  for (std::size_t k = 0; k < kProbe; ++k) {
    Datagram& d = m_datagrams[(home + k) & (kMaxDatagrams - 1)];
    if (d.inUse && now - d.lastUpdate > m_timeoutNs) {
      d.inUse = false;  // expired
      --m_used;
    }
    if (!d.inUse) {
      if (free == nullptr) free = &d;
      continue;
    }
    if (d.id == ip.fragmentId && d.protocol == ip.protocol && isSameAddress(d.src, ip.src) &&
        isSameAddress(d.dst, ip.dst)) {
      return &d;
    }
    if (oldest == nullptr || d.lastUpdate < oldest->lastUpdate) oldest = &d;
  }
  Datagram* d = free != nullptr ? free : oldest;
  if (!d->inUse) ++m_used;
  *d = Datagram{};
  d->inUse = true;
  d->src = ip.src;
  d->dst = ip.dst;
  d->id = ip.fragmentId;
  d->protocol = ip.protocol;
  return d;
}

bool FragmentTracker::addPiece(Datagram& d, std::uint32_t begin, std::uint32_t end) {
  // Pieces stay sorted and disjoint; a new one is merged with every piece it touches.
  std::array<std::uint32_t, kMaxPieces * 2> merged{};
  std::size_t n = 0;
  bool placed = false;
  for (std::size_t i = 0; i < d.pieceCount; ++i) {
    const std::uint32_t b = d.pieces[2 * i];
    const std::uint32_t e = d.pieces[2 * i + 1];
    if (e < begin) {
      merged[n++] = b;
      merged[n++] = e;
    } else if (b > end) {
      if (!placed) {
        if (n == merged.size()) return false;
        merged[n++] = begin;
        merged[n++] = end;
        placed = true;
      }
      if (n == merged.size()) return false;
      merged[n++] = b;
      merged[n++] = e;
    } else {
      begin = std::min(begin, b);
      end = std::max(end, e);
    }
  }
  if (!placed) {
    if (n == merged.size()) return false;
    merged[n++] = begin;
    merged[n++] = end;
  }
  d.pieces = merged;
  d.pieceCount = static_cast<std::uint8_t>(n / 2);
  return true;
}

FragmentTracker::Result FragmentTracker::add(
    const decoder::IpLayer& ip, protocol::TimeNs now, const DeferredHeader* deferred,
    std::size_t deferredCount, std::array<DeferredHeader, kMaxDeferred>& completed,
    std::size_t& completedCount, const FlowSegment* segment, FlowSegment* completedSegment,
    bool* hasCompletedSegment) {
  completedCount = 0;
  if (hasCompletedSegment != nullptr) *hasCompletedSegment = false;
  if ((ip.flags & decoder::kIpFragmentCaptured) == 0 || ip.fragmentDataLength == 0) {
    return Result::NotTracked;
  }
  Datagram& d = *lookup(ip, now);
  d.lastUpdate = now;
  const std::uint32_t begin = ip.fragmentOffset;
  const std::uint32_t end = begin + ip.fragmentDataLength;
  if ((ip.flags & decoder::kIpMoreFragments) == 0) {
    d.hasLast = true;
    d.totalLength = end;
  }
  if (begin == 0 && !d.hasFirst) {
    d.hasFirst = true;
    d.deferredCount = static_cast<std::uint8_t>(std::min(deferredCount, kMaxDeferred));
    std::copy_n(deferred, d.deferredCount, d.deferred.begin());
    d.firstLength = ip.fragmentDataLength;
    if (segment != nullptr) {
      d.hasSegment = true;
      d.segment = *segment;
      d.segment.payload = nullptr;
      d.segment.payloadLength = 0;
      d.segment.ipHeader = nullptr;
      d.segment.ipCapturedLength = 0;
    }
  }
  if (!addPiece(d, begin, end)) {
    d.inUse = false;  // too scattered to follow: give up on this datagram
    --m_used;
    return Result::Pending;
  }
  if (!d.hasLast || d.pieceCount != 1 || d.pieces[0] != 0 || d.pieces[1] < d.totalLength) {
    return Result::Pending;
  }
  completedCount = d.deferredCount;
  std::copy_n(d.deferred.begin(), completedCount, completed.begin());
  if (d.hasSegment && completedSegment != nullptr) {
    *completedSegment = d.segment;
    // The first fragment carried only part of the transport payload; the datagram has it all.
    completedSegment->segmentLength += d.totalLength - d.firstLength;
    if (hasCompletedSegment != nullptr) *hasCompletedSegment = true;
  }
  d.inUse = false;
  --m_used;
  return Result::Completed;
}

}  // namespace netlens::node::analysis
