// SPDX-License-Identifier: MIT
#include "node/analysis/sip_datagram_reassembly.h"

#include <algorithm>
#include <cstring>

#include "shared/voip/sip_message.h"

namespace netlens::node::analysis {
namespace {

constexpr std::uint32_t kUdpHeader = 8;
constexpr std::uint32_t kMaxDatagramBytes = 65535;

}  // namespace

const decoder::IpLayer* SipDatagramReassembly::fragmentOf(const decoder::DecodedPacket& p) {
  for (std::uint8_t i = 0; i < p.ipCount; ++i) {
    const decoder::IpLayer& ip = p.ip[i];
    if (ip.isFragment()) return ip.protocol == decoder::ipproto::kUdp ? &ip : nullptr;
  }
  return nullptr;
}

SipDatagramReassembly::Datagram* SipDatagramReassembly::find(const decoder::IpLayer& ip) {
  for (Datagram& d : m_datagrams) {
    if (d.inUse && d.id == ip.fragmentId && d.src == ip.src && d.dst == ip.dst) return &d;
  }
  return nullptr;
}

void SipDatagramReassembly::add(const decoder::DecodedPacket& p) {
  const decoder::IpLayer* ip = fragmentOf(p);
  if (ip == nullptr || p.data == nullptr) return;
  const std::uint32_t start = ip->offset + ip->headerLength;
  const std::uint32_t captured = p.capturedLength > start ? p.capturedLength - start : 0;
  const std::uint8_t* data = p.data + start;
  const std::uint32_t length = ip->fragmentDataLength;
  const std::uint32_t at = ip->fragmentOffset;
  Datagram* d = find(*ip);
  if (d == nullptr) {
    // Only a first fragment whose UDP payload starts like SIP opens a datagram.
    if (at != 0 || length > captured || length <= kUdpHeader ||
        !voip::startsLikeSip(data + kUdpHeader, length - kUdpHeader))
      return;
    // A free slot, else one idle too long, else the least recently updated.
    Datagram* slot = &m_datagrams[0];
    for (Datagram& candidate : m_datagrams) {
      if (!candidate.inUse) {
        slot = &candidate;
        break;
      }
      if (candidate.lastSeen < slot->lastSeen) slot = &candidate;
    }
    d = slot;
    d->src = ip->src;
    d->dst = ip->dst;
    d->id = ip->fragmentId;
    d->inUse = true;
    d->hasLast = false;
    d->total = 0;
    d->kept = 0;
    d->bytes.clear();
    d->covered.clear();
  }
  d->lastSeen = p.timestampNs;
  const bool usable = length <= captured && at + length <= kMaxDatagramBytes &&
                      (d->kept != 0 || at == 0) && !(d->hasLast && at + length > d->total);
  if (!usable) {
    d->inUse = false;
    return;
  }
  if (d->bytes.size() < at + length) {
    d->bytes.resize(at + length);
    d->covered.resize(at + length, false);
  }
  // A byte seen again must be the same (a mirror port's duplicate, a retransmission): a
  // conflicting overlap makes the datagram unusable, as nobody can tell which is right.
  for (std::uint32_t i = 0; i < length; ++i) {
    if (!d->covered[at + i]) {
      d->covered[at + i] = true;
      d->bytes[at + i] = data[i];
      ++d->kept;
    } else if (d->bytes[at + i] != data[i]) {
      d->inUse = false;
      return;
    }
  }
  if ((ip->flags & decoder::kIpMoreFragments) == 0) {
    d->hasLast = true;
    d->total = at + length;
  }
  // Bytes past the end the last fragment set: not one datagram.
  if (d->hasLast && d->bytes.size() > d->total) d->inUse = false;
  // Drop what went idle.
  for (Datagram& other : m_datagrams) {
    if (other.inUse && p.timestampNs - other.lastSeen > kIdleNs) other.inUse = false;
  }
}

bool SipDatagramReassembly::complete(const decoder::DecodedPacket& p, FlowSegment& s) {
  if (s.payload != nullptr || s.protocol != decoder::ipproto::kUdp) return false;
  const decoder::IpLayer* ip = fragmentOf(p);
  if (ip == nullptr) return false;
  Datagram* d = find(*ip);
  if (d == nullptr || !d->hasLast || d->kept != d->total) return false;
  d->inUse = false;
  if (d->total <= kUdpHeader) return false;
  // The UDP header's length bounds the payload (the IP datagram may carry padding).
  const std::uint32_t udpLength = (std::uint32_t{d->bytes[4]} << 8) | d->bytes[5];
  if (udpLength < kUdpHeader || udpLength > d->total) return false;
  m_done.assign(d->bytes.begin() + kUdpHeader, d->bytes.begin() + udpLength);
  s.payload = m_done.data();
  s.payloadLength = static_cast<std::uint32_t>(m_done.size());
  ++m_reassembled;
  return true;
}

}  // namespace netlens::node::analysis
