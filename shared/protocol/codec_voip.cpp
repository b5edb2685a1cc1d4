// SPDX-License-Identifier: MIT
// VoIP bodies: RtpStreamList, SipStatistics and CallList with their parts (layouts in codec.h).
#include <cmath>
#include <string>
#include <string_view>

#include "shared/protocol/codec.h"
#include "shared/protocol/codec_internal.h"

namespace netlens::protocol {

using namespace detail;

namespace {

constexpr std::uint32_t kMediaCodecFields = 3;
constexpr std::uint32_t kCallMediaFields = 4;
/// Fields of an RtpSecond before its audio peak was appended, and now.
constexpr std::uint32_t kRtpSecondMinFields = 5;
constexpr std::uint32_t kRtpSecondFields = 6;
/// Fields of an RtpStreamRecord before the RTCP round trip was appended, and now.
constexpr std::uint32_t kRtpStreamMinFields = 35;
constexpr std::uint32_t kRtpStreamRtcpFields = 38;
constexpr std::uint32_t kRtpStreamFields = 40;
constexpr std::uint32_t kSipIpFields = 5;
constexpr std::uint32_t kSipCountersFields = 6;
constexpr std::uint32_t kSipTransactionFields = 7;
constexpr std::uint32_t kCallDirectionFields = 3;
constexpr std::uint32_t kCallRecordFields = 15;
/// With the appended message list and its omitted count (absent from older nodes).
constexpr std::uint32_t kCallRecordFieldsWithMessages = 17;
constexpr std::uint32_t kSipMessageFields = 15;
/// A stream's series holds at most this many seconds (the node keeps 3 600).
constexpr std::size_t kMaxSeriesSeconds = 86'400;

// ---- encoding ------------------------------------------------------------------------------

void packOptionalDouble(Packer& p, const std::optional<double>& v) {
  if (v) {
    p.pack_double(*v);
  } else {
    p.pack_nil();
  }
}

void packMediaCodec(Packer& p, const MediaCodec& c) {
  p.pack_array(kMediaCodecFields);
  p.pack_uint8(c.payloadType);
  packString(p, c.encoding);
  p.pack_uint32(c.clockRate);
}

void packCallMedia(Packer& p, const CallMedia& m) {
  p.pack_array(kCallMediaFields);
  packString(p, m.type);
  packString(p, m.address);
  p.pack_uint16(m.port);
  packList(p, m.codecs, packMediaCodec);
}

void packSecond(Packer& p, const RtpSecond& s) {
  p.pack_array(kRtpSecondFields);
  p.pack_uint32(s.packets);
  p.pack_uint32(s.lost);
  p.pack_uint32(s.discards);
  p.pack_double(s.maxJitterMs);
  packOptionalDouble(p, s.mos);
  p.pack_int32(s.peak);
}

void packStream(Packer& p, const RtpStreamRecord& s) {
  p.pack_array(kRtpStreamFields);
  packRtpStreamHead(p, s);
  p.pack_int64(s.expected);
  p.pack_int64(s.lost);
  p.pack_uint64(s.sequenceErrors);
  p.pack_uint64(s.duplicates);
  p.pack_double(s.maxDeltaMs);
  p.pack_double(s.maxJitterMs);
  p.pack_double(s.meanJitterMs);
  p.pack_int64(s.firstSeen);
  p.pack_int64(s.lastSeen);
  packBool(p, s.announced);
  packString(p, s.callId);
  packOptionalDouble(p, s.mos);
  packOptionalDouble(p, s.rFactor);
  packOptionalDouble(p, s.ieEff);
  p.pack_double(s.burstRatio);
  p.pack_double(s.effectiveLossPercent);
  p.pack_uint64(s.jitterBufferDiscards);
  p.pack_double(s.jitterBufferDelayMs);
  p.pack_double(s.delayMs);
  p.pack_uint64(s.captureLost);
  p.pack_double(s.packetMs);
  p.pack_uint64(s.lossRuns);
  p.pack_uint64(s.runLost);
  p.pack_int64(s.seriesStart);
  packList(p, s.series, packSecond);
  packOptionalDouble(p, s.rtcpRttMs);
  p.pack_double(s.rtcpRttMaxMs);
  p.pack_uint64(s.rtcpRttSamples);
  packOptionalDouble(p, s.minLevelDbfs);
  packOptionalDouble(p, s.maxLevelDbfs);
}

template <class K, class Fn>
void packCounts(Packer& p, const std::map<K, std::uint64_t>& m, Fn&& packKey) {
  p.pack_array(static_cast<std::uint32_t>(m.size()));
  for (const auto& [k, n] : m) {
    p.pack_array(2);
    packKey(p, k);
    p.pack_uint64(n);
  }
}

void packMethodCounts(Packer& p, const std::map<std::string, std::uint64_t>& m) {
  packCounts(p, m, [](Packer& out, const std::string& k) { packString(out, k); });
}

void packCodeCounts(Packer& p, const std::map<int, std::uint64_t>& m) {
  packCounts(p, m, [](Packer& out, int k) { out.pack_int32(k); });
}

void packSipCounters(Packer& p, const SipCounters& c) {
  p.pack_array(kSipCountersFields);
  p.pack_uint64(c.messages);
  p.pack_uint64(c.malformed);
  packMethodCounts(p, c.methods);
  packCodeCounts(p, c.responses);
  p.pack_array(static_cast<std::uint32_t>(c.perIp.size()));
  for (const auto& [ip, x] : c.perIp) {
    p.pack_array(kSipIpFields);
    packIp(p, ip);
    packMethodCounts(p, x.sentMethods);
    packMethodCounts(p, x.receivedMethods);
    packCodeCounts(p, x.sentResponses);
    packCodeCounts(p, x.receivedResponses);
  }
  p.pack_uint64(c.perIpDropped);
}

void packTransaction(Packer& p, const SipTransaction& t) {
  p.pack_array(kSipTransactionFields);
  packString(p, t.method);
  p.pack_uint32(t.cseq);
  p.pack_int64(t.requestTime);
  p.pack_int32(t.finalCode);
  p.pack_int64(t.finalTime);
  p.pack_int64(t.firstResponseNs);
  p.pack_uint32(t.retransmissions);
}

void packSsrcs(Packer& p, const std::vector<std::uint32_t>& ssrcs) {
  packList(p, ssrcs, [](Packer& out, std::uint32_t v) { out.pack_uint32(v); });
}

void packDirection(Packer& p, const CallDirectionQuality& d) {
  p.pack_array(kCallDirectionFields);
  packString(p, d.srcIp);
  packSsrcs(p, d.ssrcs);
  packOptionalDouble(p, d.mos);
}

void packOptionalInt(Packer& p, const std::optional<std::int64_t>& v) {
  if (v) {
    p.pack_int64(*v);
  } else {
    p.pack_nil();
  }
}

void packSipMessage(Packer& p, const SipMessageRecord& m) {
  p.pack_array(kSipMessageFields);
  p.pack_int64(m.time);
  packIp(p, m.srcIp);
  p.pack_uint16(m.srcPort);
  packIp(p, m.dstIp);
  p.pack_uint16(m.dstPort);
  p.pack_uint8(m.transport);
  packBool(p, m.isRequest);
  packString(p, m.method);
  packString(p, m.requestUri);
  p.pack_int32(m.statusCode);
  packString(p, m.reason);
  p.pack_uint32(m.cseq);
  packString(p, m.cseqMethod);
  packString(p, m.sdp);
  p.pack_uint32(m.sdpOmittedBytes);
}

void packCall(Packer& p, const CallRecord& c) {
  p.pack_array(kCallRecordFieldsWithMessages);
  packString(p, c.callId);
  packString(p, c.from);
  packString(p, c.to);
  packString(p, c.state);
  p.pack_int64(c.start);
  p.pack_int64(c.answered);
  p.pack_int64(c.ended);
  p.pack_int64(c.lastSeen);
  packOptionalInt(p, c.setupNs);
  packOptionalInt(p, c.durationNs);
  packSipCounters(p, c.counters);
  packList(p, c.transactions, packTransaction);
  packList(p, c.media, packCallMedia);
  packSsrcs(p, c.ssrcs);
  packList(p, c.directions, packDirection);
  packList(p, c.messages, packSipMessage);
  p.pack_uint64(c.messagesOmitted);
}

// ---- decoding ------------------------------------------------------------------------------

std::optional<double> asOptionalDouble(const msgpack::object& o, const char* field) {
  if (o.type == msgpack::type::NIL) return std::nullopt;
  return asDouble(o, field);
}

/// A finite number within [min, max].
double asRanged(const msgpack::object& o, const char* field, double min, double max) {
  const double v = asDouble(o, field);
  if (!std::isfinite(v) || v < min || v > max)
    fail(field, "must be a number from " + std::to_string(min) + " to " + std::to_string(max));
  return v;
}

std::optional<double> asMos(const msgpack::object& o, const char* field) {
  if (o.type == msgpack::type::NIL) return std::nullopt;
  return asRanged(o, field, 1, 4.5);
}

MediaCodec unpackMediaCodec(const msgpack::object& o) {
  const auto& a = asArray(o, "", kMediaCodecFields);
  MediaCodec c;
  c.payloadType = asUnsigned<std::uint8_t>(a.ptr[0], "payloadType");
  if (c.payloadType > 127) fail("payloadType", "must be 0 to 127");
  c.encoding = asString(a.ptr[1], "encoding");
  c.clockRate = asUnsigned<std::uint32_t>(a.ptr[2], "clockRate");
  return c;
}

CallMedia unpackCallMedia(const msgpack::object& o) {
  const auto& a = asArray(o, "", kCallMediaFields);
  CallMedia m;
  m.type = asString(a.ptr[0], "type");
  m.address = asString(a.ptr[1], "address");
  m.port = asUnsigned<std::uint16_t>(a.ptr[2], "port");
  m.codecs = decodeList<MediaCodec>(a.ptr[3], "codecs", unpackMediaCodec);
  return m;
}

RtpSecond unpackSecond(const msgpack::object& o) {
  const auto& a = asArray(o, "", kRtpSecondMinFields);
  RtpSecond s;
  s.packets = asUnsigned<std::uint32_t>(a.ptr[0], "packets");
  s.lost = asUnsigned<std::uint32_t>(a.ptr[1], "lost");
  s.discards = asUnsigned<std::uint32_t>(a.ptr[2], "discards");
  if (s.discards > s.packets) fail("discards", "more than the packets");
  s.maxJitterMs = asRanged(a.ptr[3], "maxJitterMs", 0, 1e12);
  s.mos = asMos(a.ptr[4], "mos");
  if (a.size >= kRtpSecondFields) {
    const std::int64_t peak = asInt(a.ptr[5], "peak");
    if (peak < -1 || peak > 32768) fail("peak", "not a G.711 sample magnitude (-1 to 32768)");
    s.peak = static_cast<std::int32_t>(peak);
  }
  return s;
}

RtpStreamRecord unpackStream(const msgpack::object& o) {
  const auto& a = asArray(o, "", kRtpStreamMinFields);
  const msgpack::object* f = a.ptr;
  RtpStreamRecord s;
  s.ssrc = asUnsigned<std::uint32_t>(f[0], "ssrc");
  s.srcIp = asIp(f[1], "srcIp");
  s.srcPort = asUnsigned<std::uint16_t>(f[2], "srcPort");
  s.dstIp = asIp(f[3], "dstIp");
  s.dstPort = asUnsigned<std::uint16_t>(f[4], "dstPort");
  s.payloadType = asUnsigned<std::uint8_t>(f[5], "payloadType");
  const std::string_view types = asBytes(f[6], "payloadTypes");
  if (types.size() > 128) fail("payloadTypes", "more than 128 payload types");
  s.payloadTypes.assign(types.begin(), types.end());
  for (auto pt : s.payloadTypes)
    if (pt > 127) fail("payloadTypes", "a payload type over 127");
  if (s.payloadType > 127) fail("payloadType", "must be 0 to 127");
  s.codec = asString(f[7], "codec");
  s.clockRate = asUnsigned<std::uint32_t>(f[8], "clockRate");
  s.packets = asUint(f[9], "packets");
  s.expected = asInt(f[10], "expected");
  s.lost = asInt(f[11], "lost");
  s.sequenceErrors = asUint(f[12], "sequenceErrors");
  s.duplicates = asUint(f[13], "duplicates");
  s.maxDeltaMs = asDouble(f[14], "maxDeltaMs");
  s.maxJitterMs = asDouble(f[15], "maxJitterMs");
  s.meanJitterMs = asDouble(f[16], "meanJitterMs");
  s.firstSeen = asInt(f[17], "firstSeen");
  s.lastSeen = asInt(f[18], "lastSeen");
  s.announced = asBool(f[19], "announced");
  s.callId = asString(f[20], "callId");
  s.mos = asMos(f[21], "mos");
  s.rFactor = asOptionalDouble(f[22], "rFactor");
  s.ieEff = asOptionalDouble(f[23], "ieEff");
  s.burstRatio = asRanged(f[24], "burstRatio", 1, 1e12);
  s.effectiveLossPercent = asRanged(f[25], "effectiveLossPercent", 0, 100);
  s.jitterBufferDiscards = asUint(f[26], "jitterBufferDiscards");
  if (s.jitterBufferDiscards > s.packets) fail("jitterBufferDiscards", "more than the packets");
  s.jitterBufferDelayMs = asRanged(f[27], "jitterBufferDelayMs", 0, 1e9);
  s.delayMs = asRanged(f[28], "delayMs", 0, 1e9);
  s.captureLost = asUint(f[29], "captureLost");
  s.packetMs = asRanged(f[30], "packetMs", 0, 1e9);
  s.lossRuns = asUint(f[31], "lossRuns");
  s.runLost = asUint(f[32], "runLost");
  s.seriesStart = asInt(f[33], "seriesStart");
  if (asArray(f[34], "series").size > kMaxSeriesSeconds)
    fail("series", "more than " + std::to_string(kMaxSeriesSeconds) + " seconds");
  s.series = decodeList<RtpSecond>(f[34], "series", unpackSecond);
  if (a.size >= kRtpStreamRtcpFields) {
    s.rtcpRttMs = asOptionalDouble(f[35], "rtcpRttMs");
    if (s.rtcpRttMs && !(*s.rtcpRttMs >= 0 && *s.rtcpRttMs <= 1e9))
      fail("rtcpRttMs", "must be 0 to 1e9 ms");
    s.rtcpRttMaxMs = asRanged(f[36], "rtcpRttMaxMs", 0, 1e9);
    s.rtcpRttSamples = asUint(f[37], "rtcpRttSamples");
  }
  if (a.size >= kRtpStreamFields) {
    s.minLevelDbfs = asOptionalDouble(f[38], "minLevelDbfs");
    s.maxLevelDbfs = asOptionalDouble(f[39], "maxLevelDbfs");
    for (const auto& level : {s.minLevelDbfs, s.maxLevelDbfs})
      if (level && !(*level >= -96 && *level <= 0)) fail("level", "must be -96 to 0 dBFS");
  }
  return s;
}

RtpStreamList unpackStreamList(const msgpack::object& o) {
  const auto& a = asArray(o, "", 2);
  RtpStreamList l;
  l.packetTime = asInt(a.ptr[0], "packetTime");
  l.streams = decodeList<RtpStreamRecord>(a.ptr[1], "streams", unpackStream);
  return l;
}

template <class K, class Fn>
std::map<K, std::uint64_t> unpackCounts(const msgpack::object& o, const char* field, Fn&& readKey) {
  const auto& a = asArray(o, field);
  std::map<K, std::uint64_t> out;
  for (std::uint32_t i = 0; i < a.size; ++i) {
    const auto& pair = asArray(a.ptr[i], field, 2);
    K key = readKey(pair.ptr[0]);
    const std::uint64_t n = asUint(pair.ptr[1], field);
    if (!out.emplace(std::move(key), n).second) fail(field, "a key twice");
  }
  return out;
}

std::map<std::string, std::uint64_t> unpackMethodCounts(const msgpack::object& o,
                                                        const char* field) {
  return unpackCounts<std::string>(o, field,
                                   [&](const msgpack::object& k) { return asString(k, field); });
}

std::map<int, std::uint64_t> unpackCodeCounts(const msgpack::object& o, const char* field) {
  return unpackCounts<int>(o, field, [&](const msgpack::object& k) {
    const int code = asInt32(k, field);
    if (code < 100 || code > 699) fail(field, "a status code outside 100 to 699");
    return code;
  });
}

SipCounters unpackSipCounters(const msgpack::object& o) {
  const auto& a = asArray(o, "", kSipCountersFields);
  const msgpack::object* f = a.ptr;
  SipCounters c;
  c.messages = asUint(f[0], "messages");
  c.malformed = asUint(f[1], "malformed");
  c.methods = unpackMethodCounts(f[2], "methods");
  c.responses = unpackCodeCounts(f[3], "responses");
  const auto& perIp = asArray(f[4], "perIp");
  for (std::uint32_t i = 0; i < perIp.size; ++i) {
    nested("perIp", [&] {
      const auto& x = asArray(perIp.ptr[i], "", kSipIpFields);
      const net::IpAddress ip = asIp(x.ptr[0], "ip");
      SipIpCounters counts;
      counts.sentMethods = unpackMethodCounts(x.ptr[1], "sentMethods");
      counts.receivedMethods = unpackMethodCounts(x.ptr[2], "receivedMethods");
      counts.sentResponses = unpackCodeCounts(x.ptr[3], "sentResponses");
      counts.receivedResponses = unpackCodeCounts(x.ptr[4], "receivedResponses");
      if (!c.perIp.emplace(ip, std::move(counts)).second) fail("ip", "an address twice");
      return 0;
    });
  }
  c.perIpDropped = asUint(f[5], "perIpDropped");
  return c;
}

SipStatistics unpackSipStatistics(const msgpack::object& o) {
  const auto& a = asArray(o, "", 2);
  SipStatistics s;
  s.packetTime = asInt(a.ptr[0], "packetTime");
  s.counters = nested("counters", [&] { return unpackSipCounters(a.ptr[1]); });
  return s;
}

SipTransaction unpackTransaction(const msgpack::object& o) {
  const auto& a = asArray(o, "", kSipTransactionFields);
  const msgpack::object* f = a.ptr;
  SipTransaction t;
  t.method = asString(f[0], "method");
  t.cseq = asUnsigned<std::uint32_t>(f[1], "cseq");
  t.requestTime = asInt(f[2], "requestTime");
  t.finalCode = asInt32(f[3], "finalCode");
  if (t.finalCode != 0 && (t.finalCode < 100 || t.finalCode > 699))
    fail("finalCode", "must be 0 (none) or 100 to 699");
  t.finalTime = asInt(f[4], "finalTime");
  t.firstResponseNs = asInt(f[5], "firstResponseNs");
  t.retransmissions = asUnsigned<std::uint32_t>(f[6], "retransmissions");
  return t;
}

std::vector<std::uint32_t> unpackSsrcs(const msgpack::object& o, const char* field) {
  return decodeList<std::uint32_t>(
      o, field, [](const msgpack::object& v) { return asUnsigned<std::uint32_t>(v, ""); });
}

CallDirectionQuality unpackDirection(const msgpack::object& o) {
  const auto& a = asArray(o, "", kCallDirectionFields);
  CallDirectionQuality d;
  d.srcIp = asString(a.ptr[0], "srcIp");
  d.ssrcs = unpackSsrcs(a.ptr[1], "ssrcs");
  d.mos = asMos(a.ptr[2], "mos");
  return d;
}

std::optional<std::int64_t> asOptionalInt(const msgpack::object& o, const char* field) {
  if (o.type == msgpack::type::NIL) return std::nullopt;
  return asInt(o, field);
}

SipMessageRecord unpackSipMessage(const msgpack::object& o) {
  const auto& a = asArray(o, "", kSipMessageFields);
  const msgpack::object* f = a.ptr;
  SipMessageRecord m;
  m.time = asInt(f[0], "time");
  m.srcIp = asIp(f[1], "srcIp");
  m.srcPort = asUnsigned<std::uint16_t>(f[2], "srcPort");
  m.dstIp = asIp(f[3], "dstIp");
  m.dstPort = asUnsigned<std::uint16_t>(f[4], "dstPort");
  m.transport = asUnsigned<std::uint8_t>(f[5], "transport");
  m.isRequest = asBool(f[6], "isRequest");
  m.method = asString(f[7], "method");
  m.requestUri = asString(f[8], "requestUri");
  m.statusCode = asInt32(f[9], "statusCode");
  if (m.isRequest ? m.statusCode != 0 : (m.statusCode < 100 || m.statusCode > 699))
    fail("statusCode", "must be 0 for a request, 100 to 699 for a response");
  m.reason = asString(f[10], "reason");
  m.cseq = asUnsigned<std::uint32_t>(f[11], "cseq");
  m.cseqMethod = asString(f[12], "cseqMethod");
  m.sdp = asString(f[13], "sdp");
  if (m.sdp.size() > SipMessageRecord::kMaxSdpBytes)
    fail("sdp", "more than " + std::to_string(SipMessageRecord::kMaxSdpBytes) + " bytes");
  m.sdpOmittedBytes = asUnsigned<std::uint32_t>(f[14], "sdpOmittedBytes");
  return m;
}

CallRecord unpackCall(const msgpack::object& o) {
  const auto& a = asArray(o, "", kCallRecordFields);
  const msgpack::object* f = a.ptr;
  CallRecord c;
  c.callId = asString(f[0], "callId");
  c.from = asString(f[1], "from");
  c.to = asString(f[2], "to");
  c.state = asString(f[3], "state");
  c.start = asInt(f[4], "start");
  c.answered = asInt(f[5], "answered");
  c.ended = asInt(f[6], "ended");
  c.lastSeen = asInt(f[7], "lastSeen");
  c.setupNs = asOptionalInt(f[8], "setupNs");
  c.durationNs = asOptionalInt(f[9], "durationNs");
  c.counters = nested("counters", [&] { return unpackSipCounters(f[10]); });
  c.transactions = decodeList<SipTransaction>(f[11], "transactions", unpackTransaction);
  c.media = decodeList<CallMedia>(f[12], "media", unpackCallMedia);
  c.ssrcs = unpackSsrcs(f[13], "ssrcs");
  c.directions = decodeList<CallDirectionQuality>(f[14], "directions", unpackDirection);
  if (a.size >= kCallRecordFieldsWithMessages) {
    if (asArray(f[15], "messages").size > SipMessageRecord::kMaxPerCall)
      fail("messages", "more than " + std::to_string(SipMessageRecord::kMaxPerCall));
    c.messages = decodeList<SipMessageRecord>(f[15], "messages", unpackSipMessage);
    c.messagesOmitted = asUint(f[16], "messagesOmitted");
  }
  return c;
}

CallList unpackCallList(const msgpack::object& o) {
  const auto& a = asArray(o, "", 2);
  CallList l;
  l.packetTime = asInt(a.ptr[0], "packetTime");
  l.calls = decodeList<CallRecord>(a.ptr[1], "calls", unpackCall);
  return l;
}

}  // namespace

// ---- public ------------------------------------------------------------------------------------

std::string encodeBody(const RtpStreamList& value) {
  return encodeWith(32 + value.streams.size() * 400, [&](Packer& p) {
    p.pack_array(2);
    p.pack_int64(value.packetTime);
    packList(p, value.streams, packStream);
  });
}

std::string encodeBody(const SipStatistics& value) {
  return encodeWith(256, [&](Packer& p) {
    p.pack_array(2);
    p.pack_int64(value.packetTime);
    packSipCounters(p, value.counters);
  });
}

std::string encodeBody(const CallList& value) {
  return encodeWith(32 + value.calls.size() * 600, [&](Packer& p) {
    p.pack_array(2);
    p.pack_int64(value.packetTime);
    packList(p, value.calls, packCall);
  });
}

namespace detail {
template <>
inline constexpr BodyDecoder<RtpStreamList> kBodyDecoder<RtpStreamList>{"RtpStreamList",
                                                                        unpackStreamList};
template <>
inline constexpr BodyDecoder<SipStatistics> kBodyDecoder<SipStatistics>{"SipStatistics",
                                                                        unpackSipStatistics};
template <>
inline constexpr BodyDecoder<CallList> kBodyDecoder<CallList>{"CallList", unpackCallList};
}  // namespace detail

template Result<RtpStreamList> decodeBody<RtpStreamList>(std::string_view);
template Result<SipStatistics> decodeBody<SipStatistics>(std::string_view);
template Result<CallList> decodeBody<CallList>(std::string_view);

}  // namespace netlens::protocol
