// SPDX-License-Identifier: MIT
// Search bodies: the SearchReply of a packet-store search (layout in codec.h).
#include "shared/protocol/codec.h"

#include <string>
#include <string_view>

#include "shared/protocol/codec_internal.h"

namespace netlens::protocol {

using namespace detail;

namespace {

constexpr std::uint32_t kSessionFields = 9;  // the fields of the first version
constexpr std::uint32_t kSessionFieldsNow = 10;
constexpr std::uint32_t kSearchReplyFields = 6;  // the fields of the first version
constexpr std::uint32_t kSearchReplyFieldsNow = 12;
constexpr std::uint32_t kSourceFields = 2;

void packSession(Packer& p, const SearchSession& s) {
  p.pack_array(kSessionFieldsNow);
  p.pack_uint8(s.protocol);
  packIp(p, s.a);
  p.pack_uint16(s.aPort);
  packIp(p, s.b);
  p.pack_uint16(s.bPort);
  p.pack_uint64(s.packets);
  p.pack_uint64(s.bytes);
  p.pack_int64(s.firstSeen);
  p.pack_int64(s.lastSeen);
  packStrings(p, s.sources);
}

SearchSession unpackSession(const msgpack::object& o) {
  const auto& a = asArray(o, "", kSessionFields);
  const msgpack::object* f = a.ptr;
  SearchSession s;
  s.protocol = asUnsigned<std::uint8_t>(f[0], "protocol");
  s.a = asIp(f[1], "a");
  s.aPort = asUnsigned<std::uint16_t>(f[2], "aPort");
  s.b = asIp(f[3], "b");
  s.bPort = asUnsigned<std::uint16_t>(f[4], "bPort");
  s.packets = asUint(f[5], "packets");
  s.bytes = asUint(f[6], "bytes");
  s.firstSeen = asInt(f[7], "firstSeen");
  s.lastSeen = asInt(f[8], "lastSeen");
  if (a.size > 9) s.sources = asStrings(f[9], "sources");
  return s;
}

SearchSource unpackSource(const msgpack::object& o) {
  const auto& a = asArray(o, "", kSourceFields);
  SearchSource s;
  s.name = asString(a.ptr[0], "name");
  s.linkType = asUnsigned<std::uint32_t>(a.ptr[1], "linkType");
  return s;
}

SearchReply unpackSearchReply(const msgpack::object& o) {
  const auto& a = asArray(o, "", kSearchReplyFields);
  const msgpack::object* f = a.ptr;
  SearchReply r;
  r.packets = asUint(f[0], "packets");
  r.packetsRead = asUint(f[1], "packetsRead");
  r.truncated = asBool(f[2], "truncated");
  r.sessions = decodeList<SearchSession>(f[3], "sessions", unpackSession);
  r.linkType = asUnsigned<std::uint32_t>(f[4], "linkType");
  r.pcap = asString(f[5], "pcap");
  if (a.size > 6) r.resume = asString(f[6], "resume");
  if (a.size > 7) r.estimatedPackets = asUint(f[7], "estimatedPackets");
  if (a.size > 9) {
    r.sources = decodeList<SearchSource>(f[8], "sources", unpackSource);
    const std::uint32_t count = static_cast<std::uint32_t>(r.sources.size());
    r.packetSources = decodeList<std::uint32_t>(f[9], "packetSources", [&](const auto& v) {
      const auto index = asUnsigned<std::uint32_t>(v, "");
      if (index >= count)
        fail("", "names source " + std::to_string(index) + " of " + std::to_string(count));
      return index;
    });
  }
  if (a.size > 11) {
    r.sessionScanRead = asUint(f[10], "sessionScanRead");
    r.sessionScanEstimate = asUint(f[11], "sessionScanEstimate");
  }
  return r;
}

}  // namespace

std::string encodeBody(const SearchReply& value) {
  return encodeWith(64 + value.sessions.size() * 64 + value.pcap.size(), [&](Packer& p) {
    p.pack_array(kSearchReplyFieldsNow);
    p.pack_uint64(value.packets);
    p.pack_uint64(value.packetsRead);
    packBool(p, value.truncated);
    packList(p, value.sessions, packSession);
    p.pack_uint32(value.linkType);
    packBin(p, value.pcap.data(), value.pcap.size());
    packString(p, value.resume);
    p.pack_uint64(value.estimatedPackets);
    packList(p, value.sources, [](Packer& out, const SearchSource& s) {
      out.pack_array(kSourceFields);
      packString(out, s.name);
      out.pack_uint32(s.linkType);
    });
    packList(p, value.packetSources, [](Packer& out, std::uint32_t v) { out.pack_uint32(v); });
    p.pack_uint64(value.sessionScanRead);
    p.pack_uint64(value.sessionScanEstimate);
  });
}

namespace detail {
template <>
inline constexpr BodyDecoder<SearchReply> kBodyDecoder<SearchReply>{"SearchReply",
                                                                    unpackSearchReply};
}  // namespace detail

template Result<SearchReply> decodeBody<SearchReply>(std::string_view);

}  // namespace netlens::protocol
