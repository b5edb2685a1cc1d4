// SPDX-License-Identifier: MIT
// Live capture bodies: LiveCapture, LiveChunk and LiveCaptureList (layouts in codec.h).
#include "shared/protocol/codec.h"

#include <set>
#include <string>
#include <string_view>

#include "shared/protocol/codec_internal.h"

namespace netlens::protocol {

using namespace detail;

namespace {

constexpr std::uint32_t kLiveCaptureFields = 8;
constexpr std::uint32_t kLiveChunkFields = 8;
constexpr std::uint32_t kLiveInfoFields = 10;
constexpr std::uint32_t kLiveListFields = 1;
/// A classic pcap file header: a chunk's pcap is empty or at least this long.
constexpr std::size_t kPcapHeaderBytes = 24;

LiveCapture unpackLiveCapture(const msgpack::object& o) {
  const auto& a = asArray(o, "", kLiveCaptureFields);
  const msgpack::object* f = a.ptr;
  LiveCapture c;
  c.id = asUint(f[0], "id");
  c.filter = asString(f[1], "filter");
  c.startTime = asInt(f[2], "startTime");
  c.startPacketTime = asInt(f[3], "startPacketTime");
  c.linkType = asUnsigned<std::uint32_t>(f[4], "linkType");
  c.snapLength = asUnsigned<std::uint32_t>(f[5], "snapLength");
  c.maxBytes = asUint(f[6], "maxBytes");
  c.note = asString(f[7], "note");
  return c;
}

LiveChunk unpackLiveChunk(const msgpack::object& o) {
  const auto& a = asArray(o, "", kLiveChunkFields);
  const msgpack::object* f = a.ptr;
  LiveChunk c;
  c.id = asUint(f[0], "id");
  c.packets = asUint(f[1], "packets");
  c.bytes = asUint(f[2], "bytes");
  c.dropped = asUint(f[3], "dropped");
  c.running = asBool(f[4], "running");
  c.linkType = asUnsigned<std::uint32_t>(f[5], "linkType");
  if (f[6].type != msgpack::type::BIN) failType("pcap", "binary data", f[6]);
  c.pcap = asString(f[6], "pcap");
  if (!c.pcap.empty() && c.pcap.size() < kPcapHeaderBytes)
    fail("pcap", std::to_string(c.pcap.size()) + " bytes is shorter than a pcap file header");
  c.more = asBool(f[7], "more");
  return c;
}

LiveCaptureInfo unpackLiveInfo(const msgpack::object& o) {
  const auto& a = asArray(o, "", kLiveInfoFields);
  const msgpack::object* f = a.ptr;
  LiveCaptureInfo c;
  c.id = asUint(f[0], "id");
  c.owner = asString(f[1], "owner");
  c.role = asString(f[2], "role");
  if (c.role != "viewer" && c.role != "admin")
    fail("role", "expected \"viewer\" or \"admin\", got \"" + c.role + "\"");
  c.filter = asString(f[3], "filter");
  c.startTime = asInt(f[4], "startTime");
  c.packets = asUint(f[5], "packets");
  c.bytes = asUint(f[6], "bytes");
  c.dropped = asUint(f[7], "dropped");
  c.lastFetch = asInt(f[8], "lastFetch");
  c.bufferedBytes = asUint(f[9], "bufferedBytes");
  return c;
}

LiveCaptureList unpackLiveList(const msgpack::object& o) {
  const auto& a = asArray(o, "", kLiveListFields);
  LiveCaptureList list;
  list.captures = decodeList<LiveCaptureInfo>(a.ptr[0], "captures", unpackLiveInfo);
  std::set<std::uint64_t> ids;
  for (std::size_t i = 0; i < list.captures.size(); ++i) {
    if (!ids.insert(list.captures[i].id).second)
      fail("captures[" + std::to_string(i) + "].id",
           "capture " + std::to_string(list.captures[i].id) + " is listed twice");
  }
  return list;
}

void packLiveInfo(Packer& p, const LiveCaptureInfo& c) {
  p.pack_array(kLiveInfoFields);
  p.pack_uint64(c.id);
  packString(p, c.owner);
  packString(p, c.role);
  packString(p, c.filter);
  p.pack_int64(c.startTime);
  p.pack_uint64(c.packets);
  p.pack_uint64(c.bytes);
  p.pack_uint64(c.dropped);
  p.pack_int64(c.lastFetch);
  p.pack_uint64(c.bufferedBytes);
}

}  // namespace

std::string encodeBody(const LiveCapture& value) {
  return encodeWith(96 + value.filter.size() + value.note.size(), [&](Packer& p) {
    p.pack_array(kLiveCaptureFields);
    p.pack_uint64(value.id);
    packString(p, value.filter);
    p.pack_int64(value.startTime);
    p.pack_int64(value.startPacketTime);
    p.pack_uint32(value.linkType);
    p.pack_uint32(value.snapLength);
    p.pack_uint64(value.maxBytes);
    packString(p, value.note);
  });
}

std::string encodeBody(const LiveChunk& value) {
  return encodeWith(64 + value.pcap.size(), [&](Packer& p) {
    p.pack_array(kLiveChunkFields);
    p.pack_uint64(value.id);
    p.pack_uint64(value.packets);
    p.pack_uint64(value.bytes);
    p.pack_uint64(value.dropped);
    packBool(p, value.running);
    p.pack_uint32(value.linkType);
    packBin(p, value.pcap.data(), value.pcap.size());
    packBool(p, value.more);
  });
}

std::string encodeBody(const LiveCaptureList& value) {
  return encodeWith(16 + value.captures.size() * 128, [&](Packer& p) {
    p.pack_array(kLiveListFields);
    packList(p, value.captures, packLiveInfo);
  });
}

namespace detail {
template <>
inline constexpr BodyDecoder<LiveCapture> kBodyDecoder<LiveCapture>{"LiveCapture",
                                                                    unpackLiveCapture};
template <>
inline constexpr BodyDecoder<LiveChunk> kBodyDecoder<LiveChunk>{"LiveChunk", unpackLiveChunk};
template <>
inline constexpr BodyDecoder<LiveCaptureList> kBodyDecoder<LiveCaptureList>{"LiveCaptureList",
                                                                            unpackLiveList};
}  // namespace detail

template Result<LiveCapture> decodeBody<LiveCapture>(std::string_view);
template Result<LiveChunk> decodeBody<LiveChunk>(std::string_view);
template Result<LiveCaptureList> decodeBody<LiveCaptureList>(std::string_view);

}  // namespace netlens::protocol
