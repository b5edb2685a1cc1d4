// SPDX-License-Identifier: MIT
// Connection bodies: ConnectionList with its ConnectionRecords and their parts — per-direction
// TCP statistics, response times, TLS and HTTP details (layouts in codec.h).
#include "shared/protocol/codec.h"

#include <string>
#include <string_view>

#include "shared/protocol/codec_internal.h"

namespace netlens::protocol {

using namespace detail;

namespace {

constexpr std::uint32_t kTcpDirectionFields = 7;  // what every version sends
constexpr std::uint32_t kTcpDirectionFieldsWithWindowEvents = 10;
constexpr std::uint32_t kResponseTimeFields = 5;
constexpr std::uint32_t kTlsInfoFields = 8;
constexpr std::uint32_t kHttpInfoFields = 9;
constexpr std::uint32_t kConnectionRecordFields = 27;
/// With the ends' IP groups, appended later; records of 23 and 27 fields still decode.
constexpr std::uint32_t kConnectionRecordFieldsWithGroups = 29;
/// A ConnectionRecord from before the countries and QoS were appended (append-only rule).
constexpr std::uint32_t kConnectionRecordMinFields = 23;
constexpr std::uint32_t kQosInfoFields = 5;
/// QosInfo "changed" flags, packed as one number.
constexpr std::uint8_t kDscpChangedBit = 0x01;
constexpr std::uint8_t kPcpChangedBit = 0x02;
constexpr std::uint8_t kTcChangedBit = 0x04;
constexpr std::uint8_t kLabelsChangedBit = 0x08;

// ---- encoding ------------------------------------------------------------------------------

void packTcpDirection(Packer& p, const TcpDirectionStats& t) {
  p.pack_array(kTcpDirectionFieldsWithWindowEvents);
  for (std::uint64_t v : {t.retransmissions, t.fastRetransmissions, t.spuriousRetransmissions,
                          t.outOfOrder, t.retransmittedBytes})
    p.pack_uint64(v);
  p.pack_uint32(t.maxWindow);
  // -2 travels as -1 plus the appended "negotiated" flag, which older readers ignore.
  p.pack_int32(t.windowScale == -2 ? -1 : t.windowScale);
  p.pack_uint64(t.windowFull);
  p.pack_uint64(t.zeroWindow);
  packBool(p, t.windowScale != -1);
}

void packResponseTimes(Packer& p, const ResponseTimeStats& r) {
  p.pack_array(kResponseTimeFields);
  p.pack_uint64(r.count);
  p.pack_int64(r.minNs);
  p.pack_int64(r.maxNs);
  p.pack_double(r.meanNs);
  p.pack_double(r.stddevNs);
}

void packTls(Packer& p, const TlsInfo& t) {
  p.pack_array(kTlsInfoFields);
  packString(p, t.serverName);
  packString(p, t.alpn);
  packU16List(p, t.offeredVersions);
  packU16List(p, t.offeredCiphers);
  p.pack_uint16(t.version);
  p.pack_uint16(t.cipher);
  p.pack_int64(t.helloNs);
  p.pack_int64(t.firstDataNs);
}

void packHttp(Packer& p, const HttpInfo& h) {
  p.pack_array(kHttpInfoFields);
  packString(p, h.method);
  packString(p, h.host);
  packString(p, h.url);
  packString(p, h.userAgent);
  p.pack_int32(h.status);
  packString(p, h.contentType);
  p.pack_uint64(h.requests);
  p.pack_array(5);
  for (std::uint64_t v : h.statusFamilies) p.pack_uint64(v);
  packResponseTimes(p, h.responseTime);
}

void packQos(Packer& p, const QosInfo& q) {
  p.pack_array(kQosInfoFields);
  p.pack_int16(q.dscp);
  p.pack_int8(q.vlanPcp);
  p.pack_int8(q.mplsTc);
  p.pack_uint8((q.dscpChanged ? kDscpChangedBit : 0) | (q.vlanPcpChanged ? kPcpChangedBit : 0) |
               (q.mplsTcChanged ? kTcChangedBit : 0) |
               (q.mplsLabelsChanged ? kLabelsChangedBit : 0));
  packList(p, q.mplsLabels, [](Packer& pk, std::uint32_t label) { pk.pack_uint32(label); });
}

void packConnection(Packer& p, const ConnectionRecord& c) {
  p.pack_array(kConnectionRecordFieldsWithGroups);
  p.pack_uint8(c.protocol);
  packIp(p, c.clientIp);
  p.pack_uint16(c.clientPort);
  packIp(p, c.serverIp);
  p.pack_uint16(c.serverPort);
  p.pack_int32(c.vlan);
  p.pack_int64(c.firstSeen);
  p.pack_int64(c.lastSeen);
  for (std::uint64_t v : {c.c2sPackets, c.c2sBytes, c.s2cPackets, c.s2cBytes}) p.pack_uint64(v);
  p.pack_double(c.c2sBitsPerSecond);
  p.pack_double(c.s2cBitsPerSecond);
  packTcpDirection(p, c.c2sTcp);
  packTcpDirection(p, c.s2cTcp);
  p.pack_int64(c.handshakeServerNs);
  p.pack_int64(c.handshakeClientNs);
  packString(p, c.state);
  packString(p, c.app);
  packResponseTimes(p, c.responseTime);
  if (c.tls) {
    packTls(p, *c.tls);
  } else {
    p.pack_nil();
  }
  if (c.http) {
    packHttp(p, *c.http);
  } else {
    p.pack_nil();
  }
  packString(p, c.clientCountry);
  packString(p, c.serverCountry);
  packQos(p, c.c2sQos);
  packQos(p, c.s2cQos);
  packString(p, c.clientGroup);
  packString(p, c.serverGroup);
}

// ---- decoding ------------------------------------------------------------------------------

TcpDirectionStats unpackTcpDirection(const msgpack::object& o) {
  const auto& a = asArray(o, "", kTcpDirectionFields);
  const msgpack::object* f = a.ptr;
  TcpDirectionStats t;
  t.retransmissions = asUint(f[0], "retransmissions");
  t.fastRetransmissions = asUint(f[1], "fastRetransmissions");
  t.spuriousRetransmissions = asUint(f[2], "spuriousRetransmissions");
  t.outOfOrder = asUint(f[3], "outOfOrder");
  t.retransmittedBytes = asUint(f[4], "retransmittedBytes");
  t.maxWindow = asUnsigned<std::uint32_t>(f[5], "maxWindow");
  t.windowScale = asInt32(f[6], "windowScale");
  if (t.windowScale < -1 || t.windowScale > 14) fail("windowScale", "must be -1 to 14");
  if (a.size >= kTcpDirectionFieldsWithWindowEvents) {
    t.windowFull = asUint(f[7], "windowFull");
    t.zeroWindow = asUint(f[8], "zeroWindow");
    if (asBool(f[9], "scaleNegotiated") && t.windowScale == -1) t.windowScale = -2;
  }
  return t;
}

ResponseTimeStats unpackResponseTimes(const msgpack::object& o) {
  const auto& a = asArray(o, "", kResponseTimeFields);
  ResponseTimeStats r;
  r.count = asUint(a.ptr[0], "count");
  r.minNs = asInt(a.ptr[1], "minNs");
  r.maxNs = asInt(a.ptr[2], "maxNs");
  r.meanNs = asDouble(a.ptr[3], "meanNs");
  r.stddevNs = asDouble(a.ptr[4], "stddevNs");
  return r;
}

std::vector<std::uint16_t> unpackU16List(const msgpack::object& o, const char* field) {
  return decodeList<std::uint16_t>(
      o, field, [](const msgpack::object& v) { return asUnsigned<std::uint16_t>(v, ""); });
}

TlsInfo unpackTls(const msgpack::object& o) {
  const auto& a = asArray(o, "", kTlsInfoFields);
  const msgpack::object* f = a.ptr;
  TlsInfo t;
  t.serverName = asString(f[0], "serverName");
  t.alpn = asString(f[1], "alpn");
  t.offeredVersions = unpackU16List(f[2], "offeredVersions");
  t.offeredCiphers = unpackU16List(f[3], "offeredCiphers");
  t.version = asUnsigned<std::uint16_t>(f[4], "version");
  t.cipher = asUnsigned<std::uint16_t>(f[5], "cipher");
  t.helloNs = asInt(f[6], "helloNs");
  t.firstDataNs = asInt(f[7], "firstDataNs");
  return t;
}

HttpInfo unpackHttp(const msgpack::object& o) {
  const auto& a = asArray(o, "", kHttpInfoFields);
  const msgpack::object* f = a.ptr;
  HttpInfo h;
  h.method = asString(f[0], "method");
  h.host = asString(f[1], "host");
  h.url = asString(f[2], "url");
  h.userAgent = asString(f[3], "userAgent");
  h.status = asInt32(f[4], "status");
  h.contentType = asString(f[5], "contentType");
  h.requests = asUint(f[6], "requests");
  const auto& families = asArray(f[7], "statusFamilies", 5);
  for (std::size_t i = 0; i < 5; ++i)
    h.statusFamilies[i] = asUint(families.ptr[i], "statusFamilies");
  h.responseTime = nested("responseTime", [&] { return unpackResponseTimes(f[8]); });
  return h;
}

QosInfo unpackQos(const msgpack::object& o) {
  const auto& a = asArray(o, "", kQosInfoFields);
  const msgpack::object* f = a.ptr;
  QosInfo q;
  const auto ranged = [](const msgpack::object& v, const char* field, int max) {
    const int n = asInt32(v, field);
    if (n < -1 || n > max) fail(field, "must be -1 (none) or 0 to " + std::to_string(max));
    return n;
  };
  q.dscp = static_cast<std::int16_t>(ranged(f[0], "dscp", 63));
  q.vlanPcp = static_cast<std::int8_t>(ranged(f[1], "vlanPcp", 7));
  q.mplsTc = static_cast<std::int8_t>(ranged(f[2], "mplsTc", 7));
  const auto changed = asUnsigned<std::uint8_t>(f[3], "changed");
  q.dscpChanged = (changed & kDscpChangedBit) != 0;
  q.vlanPcpChanged = (changed & kPcpChangedBit) != 0;
  q.mplsTcChanged = (changed & kTcChangedBit) != 0;
  q.mplsLabelsChanged = (changed & kLabelsChangedBit) != 0;
  if (asArray(f[4], "mplsLabels").size > kMaxMplsStack)
    fail("mplsLabels", "more than " + std::to_string(kMaxMplsStack) + " labels");
  q.mplsLabels = decodeList<std::uint32_t>(f[4], "mplsLabels", [](const msgpack::object& v) {
    const auto label = asUnsigned<std::uint32_t>(v, "");
    if (label > 0xfffff) fail("", "label " + std::to_string(label) + " is over 20 bits");
    return label;
  });
  return q;
}

ConnectionRecord unpackConnection(const msgpack::object& o) {
  const auto& a = asArray(o, "", kConnectionRecordMinFields);
  const msgpack::object* f = a.ptr;
  ConnectionRecord c;
  c.protocol = asUnsigned<std::uint8_t>(f[0], "protocol");
  c.clientIp = asIp(f[1], "clientIp");
  c.clientPort = asUnsigned<std::uint16_t>(f[2], "clientPort");
  c.serverIp = asIp(f[3], "serverIp");
  c.serverPort = asUnsigned<std::uint16_t>(f[4], "serverPort");
  c.vlan = asInt32(f[5], "vlan");
  if (c.vlan < -1 || c.vlan > 4095) fail("vlan", "must be -1 (none) or 0 to 4095");
  c.firstSeen = asInt(f[6], "firstSeen");
  c.lastSeen = asInt(f[7], "lastSeen");
  c.c2sPackets = asUint(f[8], "c2sPackets");
  c.c2sBytes = asUint(f[9], "c2sBytes");
  c.s2cPackets = asUint(f[10], "s2cPackets");
  c.s2cBytes = asUint(f[11], "s2cBytes");
  c.c2sBitsPerSecond = asDouble(f[12], "c2sBitsPerSecond");
  c.s2cBitsPerSecond = asDouble(f[13], "s2cBitsPerSecond");
  c.c2sTcp = nested("c2sTcp", [&] { return unpackTcpDirection(f[14]); });
  c.s2cTcp = nested("s2cTcp", [&] { return unpackTcpDirection(f[15]); });
  c.handshakeServerNs = asInt(f[16], "handshakeServerNs");
  c.handshakeClientNs = asInt(f[17], "handshakeClientNs");
  c.state = asString(f[18], "state");
  c.app = asString(f[19], "app");
  c.responseTime = nested("responseTime", [&] { return unpackResponseTimes(f[20]); });
  if (f[21].type != msgpack::type::NIL) c.tls = nested("tls", [&] { return unpackTls(f[21]); });
  if (f[22].type != msgpack::type::NIL) c.http = nested("http", [&] { return unpackHttp(f[22]); });
  if (a.size >= kConnectionRecordFields) {
    c.clientCountry = asString(f[23], "clientCountry");
    c.serverCountry = asString(f[24], "serverCountry");
    if (c.clientCountry.size() > 2 || c.serverCountry.size() > 2)
      fail("country", "expected an ISO 3166 code of 2 letters or none");
    c.c2sQos = nested("c2sQos", [&] { return unpackQos(f[25]); });
    c.s2cQos = nested("s2cQos", [&] { return unpackQos(f[26]); });
  }
  if (a.size >= kConnectionRecordFieldsWithGroups) {
    c.clientGroup = asString(f[27], "clientGroup");
    c.serverGroup = asString(f[28], "serverGroup");
  }
  return c;
}

ConnectionList unpackConnectionList(const msgpack::object& o) {
  const auto& a = asArray(o, "", 3);
  ConnectionList l;
  l.packetTime = asInt(a.ptr[0], "packetTime");
  l.total = asUint(a.ptr[1], "total");
  l.connections = decodeList<ConnectionRecord>(a.ptr[2], "connections", unpackConnection);
  return l;
}

}  // namespace

// ---- public ------------------------------------------------------------------------------------

std::string encodeBody(const ConnectionList& value) {
  return encodeWith(32 + value.connections.size() * 160, [&](Packer& p) {
    p.pack_array(3);
    p.pack_int64(value.packetTime);
    p.pack_uint64(value.total);
    packList(p, value.connections, packConnection);
  });
}

namespace detail {
template <>
inline constexpr BodyDecoder<ConnectionList> kBodyDecoder<ConnectionList>{"ConnectionList",
                                                                          unpackConnectionList};
}  // namespace detail

template Result<ConnectionList> decodeBody<ConnectionList>(std::string_view);

}  // namespace netlens::protocol
