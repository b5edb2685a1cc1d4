// SPDX-License-Identifier: MIT
#include "node/analysis/dns_names.h"

#include <cstring>

namespace netlens::node::analysis {

namespace {

constexpr std::size_t kHeaderLength = 12;
constexpr std::size_t kMinQuestionLength = 5;  // root name + type + class
constexpr std::size_t kMinRecordLength = 11;   // root name + type, class, TTL, RDLENGTH
constexpr std::size_t kMaxCnames = 16;         // CNAME records followed per response

constexpr std::uint16_t kTypeA = 1;
constexpr std::uint16_t kTypeCname = 5;
constexpr std::uint16_t kTypeAaaa = 28;
constexpr std::uint16_t kClassIn = 1;
constexpr std::uint16_t kFlagResponse = 0x8000;

std::uint16_t be16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}

/// Decodes one UTF-8 sequence at `p` (at most `n` bytes); its length, or 0 when invalid
/// (overlong forms, surrogates and code points beyond U+10FFFF included).
std::size_t utf8Sequence(const unsigned char* p, std::size_t n, std::uint32_t& cp) {
  const unsigned char c = p[0];
  std::size_t len = 0;
  std::uint32_t min = 0;
  if (c < 0x80) {
    cp = c;
    return 1;
  } else if ((c & 0xe0) == 0xc0) {
    len = 2;
    cp = c & 0x1f;
    min = 0x80;
  } else if ((c & 0xf0) == 0xe0) {
    len = 3;
    cp = c & 0x0f;
    min = 0x800;
  } else if ((c & 0xf8) == 0xf0) {
    len = 4;
    cp = c & 0x07;
    min = 0x10000;
  } else {
    return 0;
  }
  if (len > n) return 0;
  for (std::size_t i = 1; i < len; ++i) {
    if ((p[i] & 0xc0) != 0x80) return 0;
    cp = cp << 6 | (p[i] & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return len;
}

/// Index of `name` among the names of `names`, or kNoName.
std::uint8_t findName(const std::array<DnsName, DnsAnswers::kMaxNames>& names, std::size_t count,
                      const DnsName& name, std::uint8_t noName) {
  for (std::size_t i = 0; i < count; ++i) {
    if (names[i].length == name.length &&
        std::memcmp(names[i].text.data(), name.text.data(), name.length) == 0) {
      return static_cast<std::uint8_t>(i);
    }
  }
  return noName;
}

}  // namespace

std::string_view dnsStatusName(DnsStatus status) noexcept {
  switch (status) {
    case DnsStatus::Ok:
      return "ok";
    case DnsStatus::NotResponse:
      return "not-response";
    case DnsStatus::NotDns:
      return "not-dns";
    case DnsStatus::Incomplete:
      return "incomplete";
    case DnsStatus::Truncated:
      return "truncated";
    case DnsStatus::BadLabel:
      return "bad-label";
    case DnsStatus::NameTooLong:
      return "name-too-long";
    case DnsStatus::BadPointer:
      return "bad-pointer";
    case DnsStatus::BadRecord:
      return "bad-record";
    case DnsStatus::BadTcpLength:
      return "bad-tcp-length";
    case DnsStatus::Count:
      break;
  }
  return "unknown";
}

bool isDisplayableText(std::string_view text) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t i = 0;
  while (i < text.size()) {
    std::uint32_t cp = 0;
    const std::size_t len = utf8Sequence(p + i, text.size() - i, cp);
    if (len == 0 || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return false;
    i += len;
  }
  return true;
}

DnsStatus DnsNameParser::readName(const std::uint8_t* message, std::size_t length,
                                  std::size_t offset, bool allowPointers, DnsName& out,
                                  std::size_t& next) noexcept {
  out.length = 0;
  out.isDisplayable = true;
  bool hasHighBytes = false;
  bool jumped = false;
  int hops = 0;
  std::size_t pos = offset;
  // A pointer must point before the label sequence it ends. Every jump therefore lowers this
  // limit, so no chain of pointers can come back to where it was: loops are impossible.
  std::size_t limit = offset;
  std::size_t wire = 0;  // octets of the name on the wire, root label excluded
  for (;;) {
    if (pos >= length) return DnsStatus::Truncated;
    const std::uint8_t c = message[pos];
    if ((c & 0xc0) == 0xc0) {
      if (!allowPointers) return DnsStatus::BadPointer;
      if (pos + 1 >= length) return DnsStatus::Truncated;
      const std::size_t target = static_cast<std::size_t>(c & 0x3f) << 8 | message[pos + 1];
      if (target >= limit || ++hops > kMaxPointerHops) return DnsStatus::BadPointer;
      if (!jumped) {
        next = pos + 2;
        jumped = true;
      }
      pos = limit = target;
      continue;
    }
    if ((c & 0xc0) != 0) return DnsStatus::BadLabel;  // 0x40 extended, 0x80 reserved
    if (c == 0) {
      if (!jumped) next = pos + 1;
      break;
    }
    if (c > length - pos - 1) return DnsStatus::Truncated;
    wire += 1u + c;
    if (wire + 1 > kMaxDnsWireNameLength) return DnsStatus::NameTooLong;
    // wire ≤ 254 keeps the text (labels and the dots between them) within 253 characters.
    if (out.length != 0) out.text[out.length++] = '.';
    for (std::size_t i = 0; i < c; ++i) {
      auto b = static_cast<unsigned char>(message[pos + 1 + i]);
      if (b >= 'A' && b <= 'Z') b = static_cast<unsigned char>(b + ('a' - 'A'));
      if (b <= 0x20 || b == 0x7f || b == '.') out.isDisplayable = false;
      if (b >= 0x80) hasHighBytes = true;
      out.text[out.length++] = static_cast<char>(b);
    }
    pos += 1u + c;
  }
  if (out.length == 0) {
    out.isDisplayable = false;  // the root: nothing to show
  } else if (hasHighBytes && out.isDisplayable) {
    out.isDisplayable = isDisplayableText(out.view());
  }
  return DnsStatus::Ok;
}

DnsStatus DnsNameParser::parseMessage(const std::uint8_t* m, std::size_t length,
                                      DnsProtocol protocol, DnsAnswers& out) noexcept {
  if (length < kHeaderLength) return DnsStatus::Truncated;
  const std::uint16_t flags = be16(m + 2);
  if ((flags & kFlagResponse) == 0) return DnsStatus::NotResponse;
  if (((flags >> 11) & 0x0f) != 0) return DnsStatus::NotResponse;  // opcode other than QUERY
  const std::size_t questions = be16(m + 4);
  const std::size_t answers = be16(m + 6);
  const std::size_t authority = be16(m + 8);
  const std::size_t additional = be16(m + 10);
  const bool isMdns = protocol == DnsProtocol::Mdns;
  // Refuse counts the message cannot hold before any loop runs on them.
  std::size_t minimum = kHeaderLength + questions * kMinQuestionLength + answers * kMinRecordLength;
  if (isMdns) minimum += (authority + additional) * kMinRecordLength;
  if (minimum > length) return DnsStatus::Truncated;

  // Names are interned into `out` as they are met; on failure the counts are put back, which
  // leaves `out` as it was.
  const std::size_t namesBefore = out.m_nameCount;
  std::size_t pending = out.m_recordCount;
  std::size_t dropped = 0;
  DnsName overflow;  // decoding target once the name buffer is full
  auto slot = [&]() -> DnsName& {
    return out.m_nameCount < DnsAnswers::kMaxNames ? out.m_names[out.m_nameCount] : overflow;
  };
  // Keeps the name just decoded into slot() and returns its index (kNoName if it cannot be
  // kept); an equal name already kept is reused.
  auto intern = [&](const DnsName& name) -> std::uint8_t {
    const std::uint8_t found = findName(out.m_names, out.m_nameCount, name, DnsAnswers::kNoName);
    if (found != DnsAnswers::kNoName || &name == &overflow) return found;
    return static_cast<std::uint8_t>(out.m_nameCount++);
  };
  auto fail = [&](DnsStatus s) {
    out.m_nameCount = namesBefore;
    return s;
  };

  std::size_t off = kHeaderLength;
  std::size_t next = 0;
  std::uint8_t queried = DnsAnswers::kNoName;
  for (std::size_t i = 0; i < questions; ++i) {
    DnsName& name = slot();
    const DnsStatus s = readName(m, length, off, true, name, next);
    if (s != DnsStatus::Ok) return fail(s);
    if (next + 4 > length) return fail(DnsStatus::Truncated);
    if (i == 0 && name.isDisplayable) queried = intern(name);
    off = next + 4;
  }

  struct Cname {
    std::uint8_t from;
    std::uint8_t to;
  };
  std::array<Cname, kMaxCnames> cnames{};
  std::size_t cnameCount = 0;
  const std::size_t sections[3] = {answers, isMdns ? authority : 0, isMdns ? additional : 0};
  for (int section = 0; section < 3; ++section) {
    const bool readsAddresses = section == 0 || section == 2;
    for (std::size_t i = 0; i < sections[section]; ++i) {
      DnsName& owner = slot();
      DnsStatus s = readName(m, length, off, true, owner, next);
      if (s != DnsStatus::Ok) return fail(s);
      if (next + 10 > length) return fail(DnsStatus::Truncated);
      const std::uint16_t type = be16(m + next);
      std::uint16_t rrClass = be16(m + next + 2);
      if (isMdns) rrClass &= 0x7fff;  // cache-flush bit (RFC 6762 §10.2)
      const std::size_t dataLength = be16(m + next + 8);
      const std::size_t data = next + 10;
      if (dataLength > length - data) return fail(DnsStatus::Truncated);
      off = data + dataLength;
      if (!readsAddresses || rrClass != kClassIn) continue;

      if (type == kTypeA || type == kTypeAaaa) {
        const std::size_t size = type == kTypeA ? 4 : 16;
        if (dataLength != size) return fail(DnsStatus::BadRecord);
        const std::uint8_t index = owner.isDisplayable ? intern(owner) : DnsAnswers::kNoName;
        if (index == DnsAnswers::kNoName || pending == DnsAnswers::kMaxRecords) {
          ++dropped;
          continue;
        }
        DnsAnswers::Record& r = out.m_records[pending++];
        r.address =
            type == kTypeA ? net::IpAddress::fromV4(m + data) : net::IpAddress::fromV6(m + data);
        r.name = index;
        r.queried = DnsAnswers::kNoName;
      } else if (type == kTypeCname) {
        const std::uint8_t from = owner.isDisplayable ? intern(owner) : DnsAnswers::kNoName;
        DnsName& target = slot();
        s = readName(m, length, data, true, target, next);
        if (s != DnsStatus::Ok) return fail(s);
        if (next != off) return fail(DnsStatus::BadRecord);
        const std::uint8_t to = target.isDisplayable ? intern(target) : DnsAnswers::kNoName;
        if (from != DnsAnswers::kNoName && to != DnsAnswers::kNoName && cnameCount < kMaxCnames) {
          cnames[cnameCount++] = {from, to};
        }
      }
    }
  }

  if (queried != DnsAnswers::kNoName) {
    // The names reachable from the question through CNAMEs, as a bit set over name indices.
    static_assert(DnsAnswers::kMaxNames <= 32);
    std::uint32_t chain = 0;
    std::uint8_t at = queried;
    for (std::size_t hop = 0; hop <= kMaxCnames && (chain >> at & 1u) == 0; ++hop) {
      chain |= 1u << at;
      std::size_t c = 0;
      while (c < cnameCount && cnames[c].from != at) ++c;
      if (c == cnameCount) break;
      at = cnames[c].to;
    }
    for (std::size_t i = out.m_recordCount; i < pending; ++i) {
      DnsAnswers::Record& r = out.m_records[i];
      if (r.name != queried && (chain >> r.name & 1u) != 0) r.queried = queried;
    }
  }
  out.m_recordCount = pending;
  out.m_droppedRecords += dropped;
  ++out.m_responses;
  out.m_protocol = protocol;
  return DnsStatus::Ok;
}

DnsStatus DnsNameParser::parseTcpPayload(const std::uint8_t* data, std::size_t length,
                                         DnsProtocol protocol, DnsAnswers& out) noexcept {
  bool anyResponse = false;
  std::size_t off = 0;
  while (off < length) {
    if (length - off < 2) return DnsStatus::Incomplete;
    const std::size_t messageLength = be16(data + off);
    if (messageLength < kHeaderLength) return DnsStatus::BadTcpLength;
    if (messageLength > length - off - 2) return DnsStatus::Incomplete;
    const DnsStatus s = parseMessage(data + off + 2, messageLength, protocol, out);
    if (s == DnsStatus::Ok) {
      anyResponse = true;
    } else if (s != DnsStatus::NotResponse) {
      return s;
    }
    off += 2 + messageLength;
  }
  return anyResponse ? DnsStatus::Ok : DnsStatus::NotResponse;
}

DnsStatus DnsNameParser::parsePacket(const decoder::DecodedPacket& packet,
                                     DnsAnswers& out) noexcept {
  out.clear();
  const decoder::TransportLayer& t = packet.transport;
  if (t.ipIndex < 0 || t.payload == nullptr || t.payloadLength == 0) return DnsStatus::NotDns;
  const bool isUdp = t.protocol == decoder::ipproto::kUdp;
  const bool isTcp = t.protocol == decoder::ipproto::kTcp;
  if (!isUdp && !isTcp) return DnsStatus::NotDns;
  DnsProtocol protocol = DnsProtocol::Dns;
  switch (t.srcPort) {
    case dnsport::kDns:
      protocol = DnsProtocol::Dns;
      break;
    case dnsport::kMdns:
      if (!isUdp) return DnsStatus::NotDns;
      protocol = DnsProtocol::Mdns;
      break;
    case dnsport::kLlmnr:
      protocol = DnsProtocol::Llmnr;
      break;
    default:
      return DnsStatus::NotDns;
  }
  out.m_protocol = protocol;
  // The decoder hands out the captured part of a first fragment only; the rest of the
  // message is in other packets.
  if (packet.ip[t.ipIndex].isFragment()) return DnsStatus::Incomplete;
  if (isTcp) return parseTcpPayload(t.payload, t.payloadLength, protocol, out);
  // The UDP header sits right before the payload; its length tells a message the capture
  // cut short (snapshot length) from a damaged one.
  const std::size_t udpLength = be16(t.payload - 4);
  if (udpLength >= 8 && t.payloadLength < udpLength - 8) return DnsStatus::Incomplete;
  return parseMessage(t.payload, t.payloadLength, protocol, out);
}

}  // namespace netlens::node::analysis
