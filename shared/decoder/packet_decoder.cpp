// SPDX-License-Identifier: MIT
#include "shared/decoder/packet_decoder.h"

#include <algorithm>
#include <cstring>

namespace netlens::decoder {

namespace {

constexpr std::uint16_t kEtherIpv4 = 0x0800;
constexpr std::uint16_t kEtherIpv6 = 0x86dd;
constexpr std::uint16_t kEtherVlan = 0x8100;
constexpr std::uint16_t kEtherQinq = 0x88a8;
constexpr std::uint16_t kEtherQinqOld = 0x9100;
constexpr std::uint16_t kEtherMplsUnicast = 0x8847;
constexpr std::uint16_t kEtherMplsMulticast = 0x8848;
constexpr std::uint16_t kEtherPppoeSession = 0x8864;
constexpr std::uint16_t kEtherTeb = 0x6558;
constexpr std::uint16_t kEtherErspan2 = 0x88be;
constexpr std::uint16_t kEtherErspan3 = 0x22eb;
constexpr std::uint16_t kEtherPpp = 0x880b;

constexpr std::uint16_t kUdpPortVxlan = 4789;
constexpr std::uint16_t kUdpPortGeneve = 6081;

// Bounds the recursion through nested encapsulations; a packet deeper than this is reported
// as TooManyLayers rather than trusted.
constexpr int kMaxDepth = 24;
constexpr int kMaxVlanTagsParsed = 16;
constexpr int kMaxMplsLabelsParsed = 16;

inline std::uint16_t be16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
inline std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         p[3];
}

// The shift count of a TCP header's window scale option (kind 3), or -1. `tcp` holds the
// whole header (`headerLength` bytes, checked by the caller). RFC 7323 caps the shift at 14.
std::int8_t windowScaleOption(const std::uint8_t* tcp, std::uint32_t headerLength) {
  std::uint32_t i = 20;
  while (i < headerLength) {
    const std::uint8_t kind = tcp[i];
    if (kind == 0) break;  // end of option list
    if (kind == 1) {       // no-operation
      ++i;
      continue;
    }
    if (i + 1 >= headerLength) break;
    const std::uint8_t length = tcp[i + 1];
    if (length < 2 || i + length > headerLength) break;
    if (kind == 3 && length == 3) return static_cast<std::int8_t>(std::min<int>(tcp[i + 2], 14));
    i += length;
  }
  return -1;
}

// Offsets are relative to the frame start. `end` is the end of the current layer's data as
// the enclosing headers declare it (reported length, may exceed what was captured); reads are
// checked against min(end, captured length) through has().
class Walker {
 public:
  Walker(const std::uint8_t* data, std::uint32_t captured, DecodedPacket& out)
      : m_data(data), m_cap(captured), m_out(out) {}

  void linkLayer(int linkType, std::uint32_t end);

 private:
  bool has(std::uint32_t off, std::uint32_t end, std::uint32_t n) const {
    const std::uint64_t need = std::uint64_t{off} + n;
    return need <= end && need <= m_cap;
  }
  std::uint32_t capEnd(std::uint32_t end) const { return std::min(end, m_cap); }
  void fail(MalformedReason r) {
    // Inside a first fragment the datagram simply continues in the next fragment.
    if (m_quiet == 0 && m_out.malformed == MalformedReason::None) m_out.malformed = r;
  }
  bool enter() {
    if (++m_depth > kMaxDepth) {
      fail(MalformedReason::TooManyLayers);
      return false;
    }
    return true;
  }

  void ethernet(std::uint32_t off, std::uint32_t end);
  void etherType(std::uint16_t type, std::uint32_t off, std::uint32_t end);
  void mpls(std::uint32_t off, std::uint32_t end);
  void pppoe(std::uint32_t off, std::uint32_t end);
  void ppp(std::uint32_t off, std::uint32_t end);
  void linuxSll(std::uint32_t end);
  void linuxSll2(std::uint32_t end);
  void nullLoopback(std::uint32_t end, bool networkOrder);
  void ipByVersion(std::uint32_t off, std::uint32_t end, int wantVersion);
  void ipv4(std::uint32_t off, std::uint32_t end);
  void ipv6(std::uint32_t off, std::uint32_t end);
  /// The Jumbo Payload length (RFC 2675) among Hop-by-Hop options in [off, end), or 0.
  std::uint32_t jumboPayloadLength(std::uint32_t off, std::uint32_t end) const;
  IpLayer* pushIp();
  void ipPayload(std::uint8_t proto, std::uint32_t off, std::uint32_t end, int ipIndex);
  void tcp(std::uint32_t off, std::uint32_t end, int ipIndex);
  void udp(std::uint32_t off, std::uint32_t end, int ipIndex);
  void gre(std::uint32_t off, std::uint32_t end);
  void geneve(std::uint32_t off, std::uint32_t end);

  const std::uint8_t* m_data;
  std::uint32_t m_cap;
  DecodedPacket& m_out;
  int m_depth = 0;
  int m_quiet = 0;  // > 0 while decoding the payload of a first fragment
  // L2 segment that directly carries the next IP header; -1 after an IP header (IP-in-IP and
  // IP-in-GRE have no link layer of their own).
  std::int8_t m_segment = -1;
};

void Walker::linkLayer(int linkType, std::uint32_t end) {
  switch (linkType) {
    case linktype::kEthernet:
      ethernet(0, end);
      return;
    case linktype::kRaw:
    case linktype::kRawOpenBsd:
    case linktype::kRawLinktype:
      ipByVersion(0, end, 0);
      return;
    case linktype::kIpv4:
      // tshark hands LINKTYPE_IPV4 to its version-dispatching "ip" dissector.
      ipByVersion(0, end, 0);
      return;
    case linktype::kIpv6:
      ipByVersion(0, end, 6);
      return;
    case linktype::kLinuxSll:
      linuxSll(end);
      return;
    case linktype::kLinuxSll2:
      linuxSll2(end);
      return;
    case linktype::kNull:
      nullLoopback(end, false);
      return;
    case linktype::kLoop:
      nullLoopback(end, true);
      return;
    default:
      fail(MalformedReason::UnsupportedLinkType);
  }
}

void Walker::ethernet(std::uint32_t off, std::uint32_t end) {
  if (!enter()) return;
  if (!has(off, end, 14)) return fail(MalformedReason::TruncatedLinkLayer);
  if (m_out.l2Count == kMaxL2Segments) return fail(MalformedReason::TooManyLayers);
  L2Segment& seg = m_out.l2[m_out.l2Count];
  const std::uint8_t* p = m_data + off;
  std::memcpy(seg.dst.bytes.data(), p, 6);
  std::memcpy(seg.src.bytes.data(), p + 6, 6);
  seg.hasSrc = seg.hasDst = true;
  seg.vlanBegin = m_out.vlanCount;
  seg.vlanCount = 0;
  m_segment = static_cast<std::int8_t>(m_out.l2Count++);
  std::uint16_t type = be16(p + 12);
  off += 14;
  if (type <= 1500) {
    // IEEE 802.3 length field: only LLC/SNAP with an EtherType can carry IP.
    end = std::min(end, off + type);
    if (!has(off, end, 3)) return fail(MalformedReason::TruncatedLinkLayer);
    const std::uint8_t* llc = m_data + off;
    if (llc[0] != 0xaa || llc[1] != 0xaa || llc[2] != 0x03) return;
    if (!has(off, end, 8)) return fail(MalformedReason::TruncatedLinkLayer);
    if (llc[3] != 0 || llc[4] != 0 || llc[5] != 0) return;
    type = be16(llc + 6);
    off += 8;
  }
  etherType(type, off, end);
}

void Walker::etherType(std::uint16_t type, std::uint32_t off, std::uint32_t end) {
  for (int tags = 0;; ++tags) {
    switch (type) {
      case kEtherVlan:
      case kEtherQinq:
      case kEtherQinqOld: {
        if (tags == kMaxVlanTagsParsed) return fail(MalformedReason::TooManyLayers);
        if (!has(off, end, 4)) return fail(MalformedReason::TruncatedVlan);
        const std::uint8_t* p = m_data + off;
        m_out.encapsulations |= encap::kVlan;
        if (m_out.vlanCount < kMaxVlans) {
          m_out.vlanPcp[m_out.vlanCount] = static_cast<std::uint8_t>(be16(p) >> 13);
          m_out.vlans[m_out.vlanCount++] = be16(p) & 0x0fff;
          if (m_segment >= 0) ++m_out.l2[m_segment].vlanCount;
        }
        type = be16(p + 2);
        off += 4;
        continue;
      }
      case kEtherMplsUnicast:
      case kEtherMplsMulticast:
        return mpls(off, end);
      case kEtherPppoeSession:
        return pppoe(off, end);
      case kEtherIpv4:
        // tshark's "ip" dissector dispatches on the version nibble, so IPv6 behind 0x0800 is
        // still IPv6.
        return ipByVersion(off, end, 0);
      case kEtherIpv6:
        return ipByVersion(off, end, 6);
      default:
        return;  // not IP: nothing more to decode
    }
  }
}

void Walker::mpls(std::uint32_t off, std::uint32_t end) {
  if (!enter()) return;
  m_out.encapsulations |= encap::kMpls;
  for (int n = 0;; ++n) {
    if (n == kMaxMplsLabelsParsed) return fail(MalformedReason::TooManyLayers);
    if (!has(off, end, 4)) return fail(MalformedReason::TruncatedMpls);
    const std::uint32_t entry = be32(m_data + off);
    if (m_out.mplsCount < kMaxMplsLabels) {
      m_out.mplsTc[m_out.mplsCount] = static_cast<std::uint8_t>((entry >> 9) & 0x7);
      m_out.mplsLabels[m_out.mplsCount++] = entry >> 12;
    }
    off += 4;
    if (entry & 0x100) break;  // bottom of stack
  }
  if (!has(off, end, 1)) return fail(MalformedReason::TruncatedMpls);
  // No label tells what follows; guess from the first nibble as tshark does.
  switch (m_data[off] >> 4) {
    case 4:
      return ipByVersion(off, end, 4);
    case 6:
      return ipByVersion(off, end, 6);
    case 0:
      // Ethernet pseudowire with a control word (RFC 4448).
      if (!has(off, end, 4)) return fail(MalformedReason::TruncatedMpls);
      return ethernet(off + 4, end);
    default:
      return;
  }
}

void Walker::pppoe(std::uint32_t off, std::uint32_t end) {
  if (!enter()) return;
  if (!has(off, end, 8)) return fail(MalformedReason::TruncatedPppoe);
  m_out.encapsulations |= encap::kPppoe;
  const std::uint16_t length = be16(m_data + off + 4);
  end = std::min<std::uint32_t>(end, off + 6 + length);
  ppp(off + 6, end);
}

void Walker::ppp(std::uint32_t off, std::uint32_t end) {
  if (!has(off, end, 1)) return fail(MalformedReason::TruncatedPpp);
  if (m_data[off] == 0xff) {  // address and control fields
    if (!has(off, end, 2)) return fail(MalformedReason::TruncatedPpp);
    if (m_data[off + 1] == 0x03) off += 2;
  }
  if (!has(off, end, 1)) return fail(MalformedReason::TruncatedPpp);
  std::uint16_t proto;
  if (m_data[off] & 1) {  // protocol field compressed to one byte
    proto = m_data[off];
    off += 1;
  } else {
    if (!has(off, end, 2)) return fail(MalformedReason::TruncatedPpp);
    proto = be16(m_data + off);
    off += 2;
  }
  if (proto == 0x0021) return ipByVersion(off, end, 4);
  if (proto == 0x0057) return ipByVersion(off, end, 6);
}

void Walker::linuxSll(std::uint32_t end) {
  if (!has(0, end, 16)) return fail(MalformedReason::TruncatedLinkLayer);
  L2Segment& seg = m_out.l2[m_out.l2Count];
  const std::uint16_t addrLen = be16(m_data + 4);
  seg.hasSrc = addrLen == 6;
  seg.hasDst = false;
  if (seg.hasSrc) std::memcpy(seg.src.bytes.data(), m_data + 6, 6);
  seg.vlanBegin = 0;
  seg.vlanCount = 0;
  m_segment = static_cast<std::int8_t>(m_out.l2Count++);
  etherType(be16(m_data + 14), 16, end);
}

void Walker::linuxSll2(std::uint32_t end) {
  if (!has(0, end, 20)) return fail(MalformedReason::TruncatedLinkLayer);
  L2Segment& seg = m_out.l2[m_out.l2Count];
  seg.hasSrc = m_data[11] == 6;
  seg.hasDst = false;
  if (seg.hasSrc) std::memcpy(seg.src.bytes.data(), m_data + 12, 6);
  seg.vlanBegin = 0;
  seg.vlanCount = 0;
  m_segment = static_cast<std::int8_t>(m_out.l2Count++);
  etherType(be16(m_data), 20, end);
}

void Walker::nullLoopback(std::uint32_t end, bool networkOrder) {
  if (!has(0, end, 4)) return fail(MalformedReason::TruncatedLinkLayer);
  const std::uint8_t* p = m_data;
  std::uint32_t family = be32(p);
  if (!networkOrder) {
    // DLT_NULL holds the family in the capturing host's byte order. Like tshark, read it
    // little-endian and repair the usual misorderings: a 16-bit value in the upper half, or
    // a big-endian value. A result above 1500 is an EtherType, as some drivers write.
    family = std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
             (std::uint32_t{p[3]} << 24);
    if ((family & 0xffff0000u) != 0) {
      if ((family & 0xff000000u) == 0 && (family & 0x00ff0000u) < 0x00060000u) {
        family >>= 16;
      } else {
        family = be32(p);
      }
    } else if ((family & 0xff) == 0 && (family & 0xff00) < 0x0600) {
      family = ((family & 0xff) << 8) | ((family >> 8) & 0xff);
    }
    if (family > 1500) return etherType(static_cast<std::uint16_t>(family), 4, end);
  }
  switch (family) {
    case 2:  // AF_INET everywhere
      return ipByVersion(4, end, 4);
    case 24:  // AF_INET6: NetBSD, OpenBSD
    case 28:  // FreeBSD
    case 30:  // macOS
      return ipByVersion(4, end, 6);
    default:
      return;
  }
}

void Walker::ipByVersion(std::uint32_t off, std::uint32_t end, int wantVersion) {
  if (!has(off, end, 1)) {
    return fail(wantVersion == 6 ? MalformedReason::TruncatedIpv6 : MalformedReason::TruncatedIpv4);
  }
  const int version = m_data[off] >> 4;
  if ((version != 4 && version != 6) || (wantVersion != 0 && version != wantVersion)) {
    return fail(MalformedReason::BadIpVersion);
  }
  if (version == 4) {
    ipv4(off, end);
  } else {
    ipv6(off, end);
  }
}

IpLayer* Walker::pushIp() {
  if (m_out.ipCount == kMaxIpLayers) {
    fail(MalformedReason::TooManyLayers);
    return nullptr;
  }
  return &m_out.ip[m_out.ipCount++];
}

void Walker::ipv4(std::uint32_t off, std::uint32_t end) {
  if (!enter()) return;
  if (!has(off, end, 20)) return fail(MalformedReason::TruncatedIpv4);
  const std::uint8_t* p = m_data + off;
  const std::uint32_t headerLength = (p[0] & 0x0f) * 4u;
  if (headerLength < 20) return fail(MalformedReason::BadIpv4HeaderLength);
  if (!has(off, end, headerLength)) return fail(MalformedReason::TruncatedIpv4);
  std::uint32_t totalLength = be16(p + 2);
  // A zero total length is what TCP segmentation offload leaves behind: take the frame's.
  if (totalLength == 0) totalLength = end - off;
  if (totalLength < headerLength) return fail(MalformedReason::BadIpv4TotalLength);
  // Longer than the enclosing frame or tunnel: counted (tshark flags it too) but decoded
  // with what is there.
  if (totalLength > end - off) fail(MalformedReason::BadIpv4TotalLength);
  IpLayer* l = pushIp();
  if (l == nullptr) return;
  const int index = m_out.ipCount - 1;
  l->src = net::IpAddress::fromV4(p + 12);
  l->dst = net::IpAddress::fromV4(p + 16);
  l->offset = off;
  l->version = 4;
  l->protocol = p[9];
  l->dscp = p[1] >> 2;
  l->ecn = p[1] & 3;
  l->ttl = p[8];
  l->headerLength = static_cast<std::uint16_t>(headerLength);
  l->payloadLength = totalLength - headerLength;
  l->fragmentId = be16(p + 4);
  const std::uint16_t fragment = be16(p + 6);
  l->fragmentOffset = static_cast<std::uint16_t>((fragment & 0x1fff) * 8u);
  l->flags = 0;
  if (fragment & 0x4000) l->flags |= kIpDontFragment;
  if (fragment & 0x2000) l->flags |= kIpMoreFragments;
  l->fragmentDataLength = 0;
  if ((fragment & 0x3fff) != 0) {
    l->flags |= kIpFragment;
    l->fragmentDataLength = totalLength - headerLength;
    if (std::uint64_t{off} + totalLength <= m_cap) l->flags |= kIpFragmentCaptured;
  }
  l->l2Index = m_segment;
  m_segment = -1;
  m_out.transport = TransportLayer{};
  m_out.transport.protocol = l->protocol;
  if (l->fragmentOffset != 0) return;  // no transport header in a later fragment
  const std::uint32_t payloadEnd = std::min<std::uint32_t>(end, off + totalLength);
  const bool firstFragment = (l->flags & kIpFragment) != 0;
  m_quiet += firstFragment;
  ipPayload(l->protocol, off + headerLength, payloadEnd, index);
  m_quiet -= firstFragment;
}

std::uint32_t Walker::jumboPayloadLength(std::uint32_t off, std::uint32_t end) const {
  while (off < end) {
    const std::uint8_t type = m_data[off];
    if (type == 0) {  // Pad1
      ++off;
      continue;
    }
    if (off + 2 > end) return 0;
    const std::uint32_t len = m_data[off + 1];
    if (off + 2 + len > end) return 0;
    if (type == 0xc2 && len == 4) return be32(m_data + off + 2);
    off += 2 + len;
  }
  return 0;
}

void Walker::ipv6(std::uint32_t off, std::uint32_t end) {
  if (!enter()) return;
  if (!has(off, end, 40)) return fail(MalformedReason::TruncatedIpv6);
  const std::uint8_t* p = m_data + off;
  IpLayer* l = pushIp();
  if (l == nullptr) return;
  const int index = m_out.ipCount - 1;
  const std::uint8_t trafficClass = static_cast<std::uint8_t>(((p[0] & 0x0f) << 4) | (p[1] >> 4));
  const std::uint32_t payloadLength = be16(p + 4);
  l->src = net::IpAddress::fromV6(p + 8);
  l->dst = net::IpAddress::fromV6(p + 24);
  l->offset = off;
  l->version = 6;
  l->dscp = trafficClass >> 2;
  l->ecn = trafficClass & 3;
  l->ttl = p[7];
  l->flags = 0;
  l->fragmentId = 0;
  l->fragmentOffset = 0;
  l->fragmentDataLength = 0;
  l->l2Index = m_segment;
  m_segment = -1;
  if (payloadLength > end - off - 40) fail(MalformedReason::BadIpv6PayloadLength);
  // Payload length 0 means a jumbogram (RFC 2675: the length is in a Hop-by-Hop Jumbo Payload
  // option, checked below) or a bogus header: until then trust the enclosing length.
  std::uint32_t payloadEnd =
      payloadLength == 0 ? end : std::min<std::uint32_t>(end, off + 40 + payloadLength);
  std::uint8_t next = p[6];
  std::uint32_t cur = off + 40;
  bool walking = true;
  bool laterFragment = false;
  while (walking) {
    switch (next) {
      case 0:      // hop-by-hop options
      case 43:     // routing
      case 60:     // destination options
      case 135:    // mobility
      case 139:    // HIP
      case 140: {  // shim6
        if (!has(cur, payloadEnd, 2)) {
          walking = false;
          break;
        }
        const std::uint32_t len = (m_data[cur + 1] + 1u) * 8u;
        if (!has(cur, payloadEnd, len)) {
          walking = false;
          break;
        }
        if (next == 0 && payloadLength == 0 && cur == off + 40) {
          const std::uint32_t jumbo = jumboPayloadLength(cur + 2, cur + len);
          if (jumbo != 0) {
            if (jumbo > end - off - 40) fail(MalformedReason::BadIpv6PayloadLength);
            payloadEnd = static_cast<std::uint32_t>(
                std::min<std::uint64_t>(end, std::uint64_t{off} + 40 + jumbo));
          }
        }
        next = m_data[cur];
        cur += len;
        continue;
      }
      case 44: {  // fragment
        if (!has(cur, payloadEnd, 8)) {
          walking = false;
          break;
        }
        const std::uint8_t* f = m_data + cur;
        l->fragmentOffset = be16(f + 2) & 0xfff8;
        l->flags |= kIpFragment;
        if (f[3] & 1) l->flags |= kIpMoreFragments;
        l->fragmentId = be32(f + 4);
        next = f[0];
        cur += 8;
        l->fragmentDataLength = payloadEnd > cur ? payloadEnd - cur : 0;
        if (payloadLength != 0 && std::uint64_t{off} + 40 + payloadLength <= m_cap) {
          l->flags |= kIpFragmentCaptured;
        }
        laterFragment = l->fragmentOffset != 0;
        if (laterFragment) break;
        continue;
      }
      case ipproto::kAh: {
        if (!has(cur, payloadEnd, 2)) {
          walking = false;
          break;
        }
        const std::uint32_t len = (m_data[cur + 1] + 2u) * 4u;
        if (!has(cur, payloadEnd, len)) {
          walking = false;
          break;
        }
        next = m_data[cur];
        cur += len;
        continue;
      }
      default:
        break;
    }
    break;
  }
  l->protocol = next;
  l->headerLength = static_cast<std::uint16_t>(std::min<std::uint32_t>(cur - off, 0xffff));
  l->payloadLength = payloadEnd > cur ? payloadEnd - cur : 0;
  m_out.transport = TransportLayer{};
  m_out.transport.protocol = next;
  if (!walking) {
    // A header whose extension chain is cut short is not a usable IP header: tshark does
    // not count it either.
    --m_out.ipCount;
    m_out.transport = TransportLayer{};
    return fail(MalformedReason::TruncatedIpv6ExtensionHeader);
  }
  if (laterFragment) return;
  const bool firstFragment = (l->flags & kIpFragment) != 0;
  m_quiet += firstFragment;
  ipPayload(next, cur, payloadEnd, index);
  m_quiet -= firstFragment;
}

void Walker::ipPayload(std::uint8_t proto, std::uint32_t off, std::uint32_t end, int ipIndex) {
  TransportLayer& t = m_out.transport;
  switch (proto) {
    case ipproto::kTcp:
      return tcp(off, end, ipIndex);
    case ipproto::kUdp:
      return udp(off, end, ipIndex);
    case ipproto::kIcmp:
    case ipproto::kIcmpv6:
      if (!has(off, end, 4)) return fail(MalformedReason::TruncatedIcmp);
      t.ipIndex = static_cast<std::int8_t>(ipIndex);
      t.icmpType = m_data[off];
      t.icmpCode = m_data[off + 1];
      t.payload = m_data + off + 4;
      t.payloadLength = capEnd(end) - off - 4;
      return;
    case ipproto::kSctp:
      if (!has(off, end, 12)) return fail(MalformedReason::TruncatedSctp);
      t.ipIndex = static_cast<std::int8_t>(ipIndex);
      t.srcPort = be16(m_data + off);
      t.dstPort = be16(m_data + off + 2);
      t.payload = m_data + off + 12;
      t.payloadLength = capEnd(end) - off - 12;
      return;
    case ipproto::kGre:
      return gre(off, end);
    case ipproto::kIpv4:
      m_out.encapsulations |= encap::kIpInIp;
      // tshark hands protocol 4 to its version-dispatching "ip" dissector.
      return ipByVersion(off, end, 0);
    case ipproto::kIpv6:
      m_out.encapsulations |= encap::kIpInIp;
      return ipByVersion(off, end, 6);
    default:
      return;
  }
}

void Walker::tcp(std::uint32_t off, std::uint32_t end, int ipIndex) {
  // Like tshark, take what can be read of a damaged header: the ports from 4 bytes, the rest
  // of the fixed header from 20. Only a header with a valid length feeds sequence analysis.
  if (!has(off, end, 4)) return fail(MalformedReason::TruncatedTcp);
  const std::uint8_t* p = m_data + off;
  TransportLayer& t = m_out.transport;
  t.ipIndex = static_cast<std::int8_t>(ipIndex);
  t.srcPort = be16(p);
  t.dstPort = be16(p + 2);
  if (!has(off, end, 20)) return fail(MalformedReason::TruncatedTcp);
  t.tcpSeq = be32(p + 4);
  t.tcpAck = be32(p + 8);
  t.tcpFlags = p[13];
  t.tcpWindow = be16(p + 14);
  const std::uint32_t headerLength = (p[12] >> 4) * 4u;
  if (headerLength < 20) return fail(MalformedReason::BadTcpHeaderLength);
  t.tcpHeaderValid = true;
  t.segmentLength = end >= off + headerLength ? end - off - headerLength : 0;
  const std::uint32_t captured = std::min(headerLength, capEnd(end) - off);
  if ((t.tcpFlags & tcpflag::kSyn) != 0) t.tcpWindowScale = windowScaleOption(p, captured);
  if (!has(off, end, headerLength)) return fail(MalformedReason::TruncatedTcp);
  t.payload = p + headerLength;
  t.payloadLength = capEnd(end) - off - headerLength;
}

void Walker::udp(std::uint32_t off, std::uint32_t end, int ipIndex) {
  if (!has(off, end, 8)) return fail(MalformedReason::TruncatedUdp);
  const std::uint8_t* p = m_data + off;
  const std::uint32_t length = be16(p + 4);
  if (length >= 8) end = std::min(end, off + length);
  TransportLayer& t = m_out.transport;
  t.ipIndex = static_cast<std::int8_t>(ipIndex);
  t.srcPort = be16(p);
  t.dstPort = be16(p + 2);
  t.payload = p + 8;
  t.payloadLength = capEnd(end) > off + 8 ? capEnd(end) - off - 8 : 0;
  t.segmentLength = end - off - 8;
  off += 8;
  if (t.dstPort == kUdpPortVxlan || t.srcPort == kUdpPortVxlan) {
    if (!enter()) return;
    if (!has(off, end, 8)) return fail(MalformedReason::TruncatedVxlan);
    m_out.encapsulations |= encap::kVxlan;
    return ethernet(off + 8, end);
  }
  if (t.dstPort == kUdpPortGeneve || t.srcPort == kUdpPortGeneve) return geneve(off, end);
}

void Walker::geneve(std::uint32_t off, std::uint32_t end) {
  if (!enter()) return;
  if (!has(off, end, 8)) return fail(MalformedReason::TruncatedGeneve);
  const std::uint8_t* p = m_data + off;
  const std::uint32_t headerLength = 8 + (p[0] & 0x3f) * 4u;
  if (!has(off, end, headerLength)) return fail(MalformedReason::TruncatedGeneve);
  m_out.encapsulations |= encap::kGeneve;
  const std::uint16_t proto = be16(p + 2);
  if (proto == kEtherTeb) return ethernet(off + headerLength, end);
  etherType(proto, off + headerLength, end);
}

void Walker::gre(std::uint32_t off, std::uint32_t end) {
  if (!enter()) return;
  if (!has(off, end, 4)) return fail(MalformedReason::TruncatedGre);
  const std::uint8_t* p = m_data + off;
  const std::uint16_t flags = be16(p);
  const std::uint16_t proto = be16(p + 2);
  const int version = flags & 7;
  const bool hasSequence = (flags & 0x1000) != 0;
  std::uint32_t headerLength = 4;
  if (version == 0) {
    if (flags & 0xc000) headerLength += 4;  // checksum (+ offset)
    if (flags & 0x2000) headerLength += 4;  // key
    if (hasSequence) headerLength += 4;
  } else if (version == 1) {
    headerLength += 4;  // enhanced GRE (PPTP): payload length + call id
    if (hasSequence) headerLength += 4;
    if (flags & 0x0080) headerLength += 4;  // acknowledgement
  } else {
    return;
  }
  if (!has(off, end, headerLength)) return fail(MalformedReason::TruncatedGre);
  m_out.encapsulations |= encap::kGre;
  // Source-routing entries (RFC 1701 R bit) are obsolete: leave such payloads undecoded.
  if (version == 0 && (flags & 0x4000)) return;
  off += headerLength;
  switch (proto) {
    case kEtherTeb:
      m_out.encapsulations |= encap::kTeb;
      return ethernet(off, end);
    case kEtherErspan2:
      m_out.encapsulations |= encap::kErspan;
      if (!hasSequence) return ethernet(off, end);  // ERSPAN type I: no header
      if (!has(off, end, 8)) return fail(MalformedReason::TruncatedErspan);
      return ethernet(off + 8, end);
    case kEtherErspan3: {
      m_out.encapsulations |= encap::kErspan;
      if (!has(off, end, 12)) return fail(MalformedReason::TruncatedErspan);
      const std::uint16_t word = be16(m_data + off + 10);
      std::uint32_t length = 12;
      if (word & 1) length += 8;  // optional platform-specific sub-header
      if (!has(off, end, length)) return fail(MalformedReason::TruncatedErspan);
      const int frameType = (word >> 10) & 0x1f;
      if (frameType != 0) return;  // only Ethernet frames are mirrored in practice
      return ethernet(off + length, end);
    }
    case kEtherPpp:
      return ppp(off, end);
    default:
      m_segment = -1;
      return etherType(proto, off, end);
  }
}

}  // namespace

void PacketDecoder::decode(int linkType, const std::uint8_t* data, std::uint32_t capturedLength,
                           std::uint32_t wireLength, std::int64_t timestampNs,
                           DecodedPacket& out) noexcept {
  out.timestampNs = timestampNs;
  out.wireLength = wireLength;
  out.capturedLength = capturedLength;
  out.data = data;
  out.l2Count = 0;
  out.vlanCount = 0;
  out.mplsCount = 0;
  out.ipCount = 0;
  out.encapsulations = 0;
  out.malformed = MalformedReason::None;
  out.transport = TransportLayer{};
  if (data == nullptr) capturedLength = 0;
  Walker walker(data, capturedLength, out);
  walker.linkLayer(linkType, std::max(wireLength, capturedLength));
}

bool PacketDecoder::isSupportedLinkType(int linkType) noexcept {
  switch (linkType) {
    case linktype::kNull:
    case linktype::kEthernet:
    case linktype::kRaw:
    case linktype::kRawOpenBsd:
    case linktype::kRawLinktype:
    case linktype::kLoop:
    case linktype::kLinuxSll:
    case linktype::kIpv4:
    case linktype::kIpv6:
    case linktype::kLinuxSll2:
      return true;
    default:
      return false;
  }
}

}  // namespace netlens::decoder
