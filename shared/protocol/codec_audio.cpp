// SPDX-License-Identifier: MIT
// "audio" bodies: AudioChunk with its AudioStream and AudioPacket records (layouts in codec.h).
#include <string>
#include <string_view>

#include "shared/protocol/codec.h"
#include "shared/protocol/codec_internal.h"

namespace netlens::protocol {

using namespace detail;

namespace {

constexpr std::uint32_t kAudioStreamFields = 12;
constexpr std::uint32_t kAudioPacketFields = 7;
constexpr std::uint32_t kAudioChunkFields = 7;
/// RTP payload types are 7 bits.
constexpr std::uint64_t kMaxPayloadType = 127;

std::uint8_t asPayloadType(const msgpack::object& o, const char* field) {
  const std::uint64_t v = asUint(o, field);
  if (v > kMaxPayloadType)
    fail(field, std::to_string(v) + " is not an RTP payload type (0 to 127)");
  return static_cast<std::uint8_t>(v);
}

AudioStream unpackStream(const msgpack::object& o) {
  const auto& a = asArray(o, "", kAudioStreamFields);
  const msgpack::object* f = a.ptr;
  AudioStream s;
  s.ssrc = asUnsigned<std::uint32_t>(f[0], "ssrc");
  s.srcIp = asIp(f[1], "srcIp");
  s.srcPort = asUnsigned<std::uint16_t>(f[2], "srcPort");
  s.dstIp = asIp(f[3], "dstIp");
  s.dstPort = asUnsigned<std::uint16_t>(f[4], "dstPort");
  s.payloadType = asPayloadType(f[5], "payloadType");
  const std::string_view types = asBytes(f[6], "payloadTypes");
  for (const char c : types) {
    if (static_cast<std::uint8_t>(c) > kMaxPayloadType)
      fail("payloadTypes", "holds " + std::to_string(static_cast<std::uint8_t>(c)) +
                               ", not an RTP payload type (0 to 127)");
    s.payloadTypes.push_back(static_cast<std::uint8_t>(c));
  }
  s.codec = asString(f[7], "codec");
  s.clockRate = asUnsigned<std::uint32_t>(f[8], "clockRate");
  s.packets = asUint(f[9], "packets");
  s.firstSeen = asInt(f[10], "firstSeen");
  s.lastSeen = asInt(f[11], "lastSeen");
  return s;
}

AudioPacket unpackPacket(const msgpack::object& o) {
  const auto& a = asArray(o, "", kAudioPacketFields);
  const msgpack::object* f = a.ptr;
  AudioPacket p;
  p.stream = asUnsigned<std::uint32_t>(f[0], "stream");
  p.arrival = asInt(f[1], "arrival");
  p.sequence = asUnsigned<std::uint16_t>(f[2], "sequence");
  p.timestamp = asUnsigned<std::uint32_t>(f[3], "timestamp");
  p.payloadType = asPayloadType(f[4], "payloadType");
  p.marker = asBool(f[5], "marker");
  if (f[6].type != msgpack::type::BIN) failType("payload", "binary data", f[6]);
  p.payload = asString(f[6], "payload");
  return p;
}

AudioChunk unpackChunk(const msgpack::object& o) {
  const auto& a = asArray(o, "", kAudioChunkFields);
  const msgpack::object* f = a.ptr;
  AudioChunk c;
  c.callId = asString(f[0], "callId");
  c.streams = decodeList<AudioStream>(f[1], "streams", unpackStream);
  c.callerMediaAddress = asString(f[2], "callerMediaAddress");
  c.callerMediaPort = asUnsigned<std::uint16_t>(f[3], "callerMediaPort");
  c.packets = decodeList<AudioPacket>(f[4], "packets", unpackPacket);
  for (std::size_t i = 0; i < c.packets.size(); ++i) {
    // A packet must name a stream of this page: the client indexes streams with it.
    if (c.packets[i].stream >= c.streams.size())
      fail("packets[" + std::to_string(i) + "].stream", std::to_string(c.packets[i].stream) +
                                                            " names no stream (the page lists " +
                                                            std::to_string(c.streams.size()) + ")");
  }
  c.resume = asString(f[5], "resume");
  c.estimatedPackets = asUint(f[6], "estimatedPackets");
  return c;
}

void packStream(Packer& p, const AudioStream& s) {
  p.pack_array(kAudioStreamFields);
  packRtpStreamHead(p, s);
  p.pack_int64(s.firstSeen);
  p.pack_int64(s.lastSeen);
}

void packPacket(Packer& p, const AudioPacket& a) {
  p.pack_array(kAudioPacketFields);
  p.pack_uint32(a.stream);
  p.pack_int64(a.arrival);
  p.pack_uint16(a.sequence);
  p.pack_uint32(a.timestamp);
  p.pack_uint8(a.payloadType);
  packBool(p, a.marker);
  packBin(p, a.payload.data(), a.payload.size());
}

}  // namespace

std::string encodeBody(const AudioChunk& value) {
  std::size_t reserve = 64 + value.callId.size() + value.streams.size() * 96;
  for (const auto& packet : value.packets) reserve += 32 + packet.payload.size();
  return encodeWith(reserve, [&](Packer& p) {
    p.pack_array(kAudioChunkFields);
    packString(p, value.callId);
    packList(p, value.streams, packStream);
    packString(p, value.callerMediaAddress);
    p.pack_uint16(value.callerMediaPort);
    packList(p, value.packets, packPacket);
    packString(p, value.resume);
    p.pack_uint64(value.estimatedPackets);
  });
}

namespace detail {
template <>
inline constexpr BodyDecoder<AudioChunk> kBodyDecoder<AudioChunk>{"AudioChunk", unpackChunk};
}  // namespace detail

template Result<AudioChunk> decodeBody<AudioChunk>(std::string_view);

}  // namespace netlens::protocol
