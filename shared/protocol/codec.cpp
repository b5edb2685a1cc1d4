// SPDX-License-Identifier: MIT
#include "shared/protocol/codec.h"

#include <algorithm>
#include <exception>
#include <limits>
#include <type_traits>
#include <utility>

// The only translation unit that sees msgpack (keeps Qt code and lupdate away from Boost).
#include <msgpack/object.hpp>
#include <msgpack/pack.hpp>
#include <msgpack/unpack.hpp>

namespace netlens::protocol {

namespace {

// ---- encoding ------------------------------------------------------------------------------

/// msgpack::packer stream appending to a std::string.
class StringWriter {
 public:
  explicit StringWriter(std::string& out) : m_out(out) {}
  void write(const char* data, std::size_t size) { m_out.append(data, size); }

 private:
  std::string& m_out;
};

using Packer = msgpack::packer<StringWriter>;

void packString(Packer& p, std::string_view s) {
  p.pack_str(static_cast<std::uint32_t>(s.size()));
  p.pack_str_body(s.data(), static_cast<std::uint32_t>(s.size()));
}

void packBin(Packer& p, const void* data, std::size_t size) {
  p.pack_bin(static_cast<std::uint32_t>(size));
  p.pack_bin_body(static_cast<const char*>(data), static_cast<std::uint32_t>(size));
}

void packIp(Packer& p, const net::IpAddress& ip) {
  const std::size_t size = ip.isV4() ? 4 : ip.isV6() ? 16 : 0;
  packBin(p, ip.bytes.data(), size);
}

constexpr std::uint32_t kHostRecordFields = 16;
/// A HostRecord from before `group` was appended: still accepted (append-only rule).
constexpr std::uint32_t kHostRecordMinFields = 14;
constexpr std::uint32_t kSourceInfoFields = 9;
constexpr std::uint32_t kGlobalStatsFields = 20;
constexpr std::uint32_t kHelloFields = 7;
/// A Hello from before inactivityGapNs was appended: still accepted (append-only rule).
constexpr std::uint32_t kHelloMinFields = 6;

void packHost(Packer& p, const HostRecord& h) {
  p.pack_array(kHostRecordFields);
  packIp(p, h.ip);
  p.pack_uint64(h.txPackets);
  p.pack_uint64(h.txBytes);
  p.pack_uint64(h.rxPackets);
  p.pack_uint64(h.rxBytes);
  p.pack_uint64(h.tcpPackets);
  p.pack_uint64(h.udpPackets);
  p.pack_int64(h.firstSeen);
  p.pack_int64(h.firstRecent);
  p.pack_int64(h.lastSeen);
  p.pack_double(h.packetsPerSecond);
  p.pack_double(h.bitsPerSecond);
  // MACs are 6-byte values with no padding, so a std::array<uint8_t,6> vector is contiguous
  // bytes; copy explicitly anyway rather than rely on layout.
  p.pack_bin(static_cast<std::uint32_t>(h.macs.size() * 6));
  for (const auto& mac : h.macs)
    p.pack_bin_body(reinterpret_cast<const char*>(mac.bytes.data()), 6);
  p.pack_array(static_cast<std::uint32_t>(h.vlans.size()));
  for (std::uint16_t vlan : h.vlans) p.pack_uint16(vlan);
  packString(p, h.group);
  p.pack_array(static_cast<std::uint32_t>(h.names.size()));
  for (const auto& n : h.names) packString(p, n);
}

void packSource(Packer& p, const SourceInfo& s) {
  p.pack_array(kSourceInfoFields);
  packString(p, s.name);
  packString(p, s.kind);
  p.pack_int32(s.linkType);
  packString(p, s.linkTypeName);
  p.pack_uint64(s.packets);
  p.pack_uint64(s.captureDrops);
  p.pack_uint64(s.queueDrops);
  if (s.finished)
    p.pack_true();
  else
    p.pack_false();
  packString(p, s.error);
}

void packSources(Packer& p, const std::vector<SourceInfo>& sources) {
  p.pack_array(static_cast<std::uint32_t>(sources.size()));
  for (const auto& s : sources) packSource(p, s);
}

void packGlobal(Packer& p, const GlobalStats& g) {
  p.pack_array(kGlobalStatsFields);
  for (std::uint64_t v :
       {g.packets, g.bytes, g.ipv4Packets, g.ipv4Bytes, g.ipv6Packets, g.ipv6Bytes, g.nonIpPackets,
        g.nonIpBytes, g.tcpPackets, g.udpPackets, g.icmpPackets, g.otherPackets, g.ipv4Fragments})
    p.pack_uint64(v);
  p.pack_map(static_cast<std::uint32_t>(g.malformed.size()));
  for (const auto& [reason, count] : g.malformed) {
    packString(p, reason);
    p.pack_uint64(count);
  }
  packSources(p, g.sources);
  p.pack_int64(g.firstPacket);
  p.pack_int64(g.lastPacket);
  p.pack_double(g.packetsPerSecond);
  p.pack_double(g.bitsPerSecond);
  p.pack_uint64(g.hostCount);
}

void packHello(Packer& p, const Hello& h) {
  p.pack_array(kHelloFields);
  packString(p, h.nodeName);
  packString(p, h.version);
  p.pack_uint32(h.protocolVersion);
  packString(p, h.role);
  p.pack_uint16(h.publisherPort);
  packSources(p, h.sources);
  p.pack_int64(h.inactivityGapNs);
}

constexpr std::uint32_t kTcpDirectionFields = 7;
constexpr std::uint32_t kConnectionRecordFields = 23;

void packTcpDirection(Packer& p, const TcpDirectionStats& t) {
  p.pack_array(kTcpDirectionFields);
  for (std::uint64_t v : {t.retransmissions, t.fastRetransmissions, t.spuriousRetransmissions,
                          t.outOfOrder, t.retransmittedBytes})
    p.pack_uint64(v);
  p.pack_uint32(t.maxWindow);
  p.pack_int32(t.windowScale);
}

void packResponseTimes(Packer& p, const ResponseTimeStats& r) {
  p.pack_array(5);
  p.pack_uint64(r.count);
  p.pack_int64(r.minNs);
  p.pack_int64(r.maxNs);
  p.pack_double(r.meanNs);
  p.pack_double(r.stddevNs);
}

void packU16List(Packer& p, const std::vector<std::uint16_t>& list) {
  p.pack_array(static_cast<std::uint32_t>(list.size()));
  for (std::uint16_t v : list) p.pack_uint16(v);
}

void packTls(Packer& p, const TlsInfo& t) {
  p.pack_array(8);
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
  p.pack_array(9);
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

void packConnection(Packer& p, const ConnectionRecord& c) {
  p.pack_array(kConnectionRecordFields);
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
}

constexpr std::uint32_t kGroupRecordFields = 14;

void packStrings(Packer& p, const std::vector<std::string>& list) {
  p.pack_array(static_cast<std::uint32_t>(list.size()));
  for (const auto& s : list) packString(p, s);
}

void packGroupDefinition(Packer& p, const GroupDefinition& g) {
  p.pack_array(2);
  packString(p, g.name);
  packStrings(p, g.prefixes);
}

void packGroupRecord(Packer& p, const GroupRecord& g) {
  p.pack_array(kGroupRecordFields);
  packString(p, g.name);
  packStrings(p, g.prefixes);
  for (std::uint64_t v :
       {g.memberCount, g.txPackets, g.txBytes, g.rxPackets, g.rxBytes, g.tcpPackets, g.udpPackets})
    p.pack_uint64(v);
  p.pack_int64(g.firstSeen);
  p.pack_int64(g.lastSeen);
  p.pack_double(g.packetsPerSecond);
  p.pack_double(g.bitsPerSecond);
  p.pack_array(static_cast<std::uint32_t>(g.members.size()));
  for (const auto& ip : g.members) packIp(p, ip);
}

constexpr std::uint32_t kHistoryReplyFields = 6;

void packHistory(Packer& p, const HistoryReply& h) {
  p.pack_array(kHistoryReplyFields);
  packString(p, h.series);
  p.pack_int64(h.resolutionNs);
  p.pack_array(static_cast<std::uint32_t>(h.names.size()));
  for (const auto& n : h.names) packString(p, n);
  p.pack_array(static_cast<std::uint32_t>(h.buckets.size()));
  for (const auto& b : h.buckets) {
    p.pack_array(2);
    p.pack_int64(b.start);
    p.pack_array(static_cast<std::uint32_t>(b.values.size()));
    for (std::uint64_t v : b.values) p.pack_uint64(v);
  }
  p.pack_int64(h.packetTime);
  if (h.complete)
    p.pack_true();
  else
    p.pack_false();
}

void packHosts(Packer& p, const std::vector<HostRecord>& hosts) {
  p.pack_array(static_cast<std::uint32_t>(hosts.size()));
  for (const auto& h : hosts) packHost(p, h);
}

// A HostRecord encodes to roughly 60–90 bytes; reserving avoids repeated regrowth of a
// 50 MB buffer for big tables.
constexpr std::size_t kHostRecordSizeHint = 96;

template <class Fn>
std::string encodeWith(std::size_t reserve, Fn&& fn) {
  std::string out;
  out.reserve(reserve);
  StringWriter writer(out);
  Packer packer(writer);
  fn(packer);
  return out;
}

// ---- decoding ------------------------------------------------------------------------------

/// Thrown inside this file only; every public entry point catches it (and msgpack's own
/// exceptions) and turns it into a Result error.
struct DecodeError {
  std::string path;  // e.g. "hosts[3].ip"
  std::string what;
};

[[noreturn]] void fail(std::string path, std::string what) {
  throw DecodeError{std::move(path), std::move(what)};
}

void prefixPath(DecodeError& e, std::string_view prefix) {
  if (e.path.empty())
    e.path = std::string(prefix);
  else if (e.path.front() == '[')
    e.path = std::string(prefix) + e.path;
  else
    e.path = std::string(prefix) + "." + e.path;
}

std::string_view typeName(msgpack::type::object_type t) {
  switch (t) {
    case msgpack::type::NIL:
      return "nil";
    case msgpack::type::BOOLEAN:
      return "a boolean";
    case msgpack::type::POSITIVE_INTEGER:
      return "an unsigned integer";
    case msgpack::type::NEGATIVE_INTEGER:
      return "a negative integer";
    case msgpack::type::FLOAT32:
    case msgpack::type::FLOAT64:
      return "a float";
    case msgpack::type::STR:
      return "a string";
    case msgpack::type::BIN:
      return "binary data";
    case msgpack::type::ARRAY:
      return "an array";
    case msgpack::type::MAP:
      return "a map";
    case msgpack::type::EXT:
      return "an extension value";
  }
  return "an unknown type";
}

[[noreturn]] void failType(const char* field, std::string_view expected, const msgpack::object& o) {
  fail(field, "expected " + std::string(expected) + ", got " + std::string(typeName(o.type)));
}

const msgpack::object_array& asArray(const msgpack::object& o, const char* field,
                                     std::uint32_t minSize = 0) {
  if (o.type != msgpack::type::ARRAY) failType(field, "an array", o);
  if (o.via.array.size < minSize)
    fail(field, "expected at least " + std::to_string(minSize) + " elements, got " +
                    std::to_string(o.via.array.size));
  return o.via.array;
}

std::uint64_t asUint(const msgpack::object& o, const char* field) {
  if (o.type != msgpack::type::POSITIVE_INTEGER) failType(field, "an unsigned integer", o);
  return o.via.u64;
}

template <class T>
T asUnsigned(const msgpack::object& o, const char* field) {
  const std::uint64_t v = asUint(o, field);
  if (v > std::numeric_limits<T>::max())
    fail(field, std::to_string(v) + " is out of range (maximum " +
                    std::to_string(std::numeric_limits<T>::max()) + ")");
  return static_cast<T>(v);
}

std::int64_t asInt(const msgpack::object& o, const char* field) {
  if (o.type == msgpack::type::NEGATIVE_INTEGER) return o.via.i64;
  if (o.type != msgpack::type::POSITIVE_INTEGER) failType(field, "an integer", o);
  if (o.via.u64 > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    fail(field, std::to_string(o.via.u64) + " is out of range for a signed 64-bit integer");
  return static_cast<std::int64_t>(o.via.u64);
}

int asInt32(const msgpack::object& o, const char* field) {
  const std::int64_t v = asInt(o, field);
  if (v < std::numeric_limits<std::int32_t>::min() || v > std::numeric_limits<std::int32_t>::max())
    fail(field, std::to_string(v) + " is out of range for a 32-bit integer");
  return static_cast<int>(v);
}

double asDouble(const msgpack::object& o, const char* field) {
  switch (o.type) {
    case msgpack::type::FLOAT32:
    case msgpack::type::FLOAT64:
      return o.via.f64;
    case msgpack::type::POSITIVE_INTEGER:
      return static_cast<double>(o.via.u64);
    case msgpack::type::NEGATIVE_INTEGER:
      return static_cast<double>(o.via.i64);
    default:
      failType(field, "a number", o);
  }
}

bool asBool(const msgpack::object& o, const char* field) {
  if (o.type != msgpack::type::BOOLEAN) failType(field, "a boolean", o);
  return o.via.boolean;
}

/// STR or BIN, as raw bytes (msgpack-cxx does not validate UTF-8; neither do we: text is
/// displayed, never interpreted).
std::string_view asBytes(const msgpack::object& o, const char* field) {
  if (o.type == msgpack::type::STR) return {o.via.str.ptr, o.via.str.size};
  if (o.type == msgpack::type::BIN) return {o.via.bin.ptr, o.via.bin.size};
  failType(field, "a string", o);
}

std::string asString(const msgpack::object& o, const char* field) {
  return std::string(asBytes(o, field));
}

net::IpAddress asIp(const msgpack::object& o, const char* field) {
  if (o.type != msgpack::type::BIN) failType(field, "binary data (4 or 16 bytes)", o);
  const auto* p = reinterpret_cast<const std::uint8_t*>(o.via.bin.ptr);
  switch (o.via.bin.size) {
    case 0:
      return {};
    case 4:
      return net::IpAddress::fromV4(p);
    case 16:
      return net::IpAddress::fromV6(p);
    default:
      fail(field, "expected 4 or 16 bytes, got " + std::to_string(o.via.bin.size));
  }
}

/// Decodes each element of an array with `fn(element)`, adding "[i]" to error paths.
template <class T, class Fn>
std::vector<T> decodeList(const msgpack::object& o, const char* field, Fn&& fn) {
  const auto& a = asArray(o, field);
  std::vector<T> out;
  out.reserve(a.size);
  for (std::uint32_t i = 0; i < a.size; ++i) {
    try {
      out.push_back(fn(a.ptr[i]));
    } catch (DecodeError& e) {
      prefixPath(e, "[" + std::to_string(i) + "]");
      prefixPath(e, field);
      throw;
    }
  }
  return out;
}

/// Runs `fn` and prefixes the path of any error with `field` (for nested structs).
template <class Fn>
auto nested(const char* field, Fn&& fn) {
  try {
    return fn();
  } catch (DecodeError& e) {
    prefixPath(e, field);
    throw;
  }
}

HostRecord unpackHost(const msgpack::object& o) {
  const auto& a = asArray(o, "", kHostRecordMinFields);
  const msgpack::object* f = a.ptr;
  HostRecord h;
  h.ip = asIp(f[0], "ip");
  h.txPackets = asUint(f[1], "txPackets");
  h.txBytes = asUint(f[2], "txBytes");
  h.rxPackets = asUint(f[3], "rxPackets");
  h.rxBytes = asUint(f[4], "rxBytes");
  h.tcpPackets = asUint(f[5], "tcpPackets");
  h.udpPackets = asUint(f[6], "udpPackets");
  h.firstSeen = asInt(f[7], "firstSeen");
  h.firstRecent = asInt(f[8], "firstRecent");
  h.lastSeen = asInt(f[9], "lastSeen");
  h.packetsPerSecond = asDouble(f[10], "packetsPerSecond");
  h.bitsPerSecond = asDouble(f[11], "bitsPerSecond");
  if (f[12].type != msgpack::type::BIN) failType("macs", "binary data (6 bytes per MAC)", f[12]);
  const auto& macs = f[12].via.bin;
  if (macs.size % 6 != 0)
    fail("macs", "expected a multiple of 6 bytes, got " + std::to_string(macs.size));
  h.macs.resize(macs.size / 6);
  for (std::size_t i = 0; i < h.macs.size(); ++i)
    std::copy_n(macs.ptr + i * 6, 6, reinterpret_cast<char*>(h.macs[i].bytes.data()));
  h.vlans = decodeList<std::uint16_t>(f[13], "vlans", [](const msgpack::object& v) {
    const auto id = asUnsigned<std::uint16_t>(v, "");
    if (id > 4095) fail("", "VLAN id " + std::to_string(id) + " is out of range (0-4095)");
    return id;
  });
  if (a.size > 14) {
    h.group = asString(f[14], "group");
    if (h.group.size() > kMaxGroupNameLength)
      fail("group", "longer than " + std::to_string(kMaxGroupNameLength) + " bytes");
  }
  if (a.size > 15) {
    if (asArray(f[15], "names").size > kMaxHostNames)
      fail("names", "more than " + std::to_string(kMaxHostNames) + " names");
    h.names = decodeList<std::string>(f[15], "names", [](const msgpack::object& v) {
      std::string n = asString(v, "");
      if (n.size() > kMaxHostNameLength)
        fail("", "longer than " + std::to_string(kMaxHostNameLength) + " bytes");
      return n;
    });
  }
  return h;
}

SourceInfo unpackSource(const msgpack::object& o) {
  const auto& a = asArray(o, "", kSourceInfoFields);
  const msgpack::object* f = a.ptr;
  SourceInfo s;
  s.name = asString(f[0], "name");
  s.kind = asString(f[1], "kind");
  s.linkType = asInt32(f[2], "linkType");
  s.linkTypeName = asString(f[3], "linkTypeName");
  s.packets = asUint(f[4], "packets");
  s.captureDrops = asUint(f[5], "captureDrops");
  s.queueDrops = asUint(f[6], "queueDrops");
  s.finished = asBool(f[7], "finished");
  s.error = asString(f[8], "error");
  return s;
}

GlobalStats unpackGlobal(const msgpack::object& o) {
  const auto& a = asArray(o, "", kGlobalStatsFields);
  const msgpack::object* f = a.ptr;
  GlobalStats g;
  std::uint64_t* counters[] = {&g.packets,      &g.bytes,      &g.ipv4Packets,  &g.ipv4Bytes,
                               &g.ipv6Packets,  &g.ipv6Bytes,  &g.nonIpPackets, &g.nonIpBytes,
                               &g.tcpPackets,   &g.udpPackets, &g.icmpPackets,  &g.otherPackets,
                               &g.ipv4Fragments};
  static constexpr const char* kCounterNames[] = {
      "packets",     "bytes",        "ipv4Packets",  "ipv4Bytes",  "ipv6Packets",
      "ipv6Bytes",   "nonIpPackets", "nonIpBytes",   "tcpPackets", "udpPackets",
      "icmpPackets", "otherPackets", "ipv4Fragments"};
  for (std::size_t i = 0; i < std::size(counters); ++i)
    *counters[i] = asUint(f[i], kCounterNames[i]);
  if (f[13].type != msgpack::type::MAP) failType("malformed", "a map", f[13]);
  const auto& m = f[13].via.map;
  for (std::uint32_t i = 0; i < m.size; ++i) {
    std::string reason = asString(m.ptr[i].key, "malformed");
    const std::uint64_t count =
        nested(("malformed." + reason).c_str(), [&] { return asUint(m.ptr[i].val, ""); });
    if (!g.malformed.emplace(std::move(reason), count).second)
      fail("malformed", "duplicate reason");
  }
  g.sources = decodeList<SourceInfo>(f[14], "sources", unpackSource);
  g.firstPacket = asInt(f[15], "firstPacket");
  g.lastPacket = asInt(f[16], "lastPacket");
  g.packetsPerSecond = asDouble(f[17], "packetsPerSecond");
  g.bitsPerSecond = asDouble(f[18], "bitsPerSecond");
  g.hostCount = asUint(f[19], "hostCount");
  return g;
}

Hello unpackHello(const msgpack::object& o) {
  const auto& a = asArray(o, "", kHelloMinFields);
  const msgpack::object* f = a.ptr;
  Hello h;
  h.nodeName = asString(f[0], "nodeName");
  h.version = asString(f[1], "version");
  h.protocolVersion = asUnsigned<std::uint32_t>(f[2], "protocolVersion");
  h.role = asString(f[3], "role");
  h.publisherPort = asUnsigned<std::uint16_t>(f[4], "publisherPort");
  h.sources = decodeList<SourceInfo>(f[5], "sources", unpackSource);
  if (a.size > 6) {
    h.inactivityGapNs = asInt(f[6], "inactivityGapNs");
    // A zero, negative or huge gap would make merging meaningless or overflow.
    if (h.inactivityGapNs <= 0 || h.inactivityGapNs > kMaxInactivityGapNs)
      fail("inactivityGapNs", std::to_string(h.inactivityGapNs) + " is out of range (1 to " +
                                  std::to_string(kMaxInactivityGapNs) + " ns)");
  }
  return h;
}

HostsSnapshot unpackSnapshot(const msgpack::object& o) {
  const auto& a = asArray(o, "", 2);
  HostsSnapshot s;
  s.sequence = asUint(a.ptr[0], "sequence");
  s.hosts = decodeList<HostRecord>(a.ptr[1], "hosts", unpackHost);
  if (a.size > 2) s.epoch = asUint(a.ptr[2], "epoch");
  return s;
}

HostsDelta unpackDelta(const msgpack::object& o) {
  const auto& a = asArray(o, "", 5);
  HostsDelta d;
  d.sequence = asUint(a.ptr[0], "sequence");
  d.packetTime = asInt(a.ptr[1], "packetTime");
  d.changed = decodeList<HostRecord>(a.ptr[2], "changed", unpackHost);
  d.removed = decodeList<net::IpAddress>(a.ptr[3], "removed",
                                         [](const msgpack::object& v) { return asIp(v, ""); });
  d.global = nested("global", [&] { return unpackGlobal(a.ptr[4]); });
  if (a.size > 5) d.epoch = asUint(a.ptr[5], "epoch");
  return d;
}

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
  return t;
}

ResponseTimeStats unpackResponseTimes(const msgpack::object& o) {
  const auto& a = asArray(o, "", 5);
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
  const auto& a = asArray(o, "", 8);
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
  const auto& a = asArray(o, "", 9);
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

ConnectionRecord unpackConnection(const msgpack::object& o) {
  const auto& a = asArray(o, "", kConnectionRecordFields);
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

/// A group name: 1 to kMaxGroupNameLength bytes (the node checks the rest).
std::string asGroupName(const msgpack::object& o, const char* field) {
  std::string name = asString(o, field);
  if (name.empty() || name.size() > kMaxGroupNameLength)
    fail(field, "must be 1 to " + std::to_string(kMaxGroupNameLength) + " bytes long, got " +
                    std::to_string(name.size()));
  return name;
}

/// A list of prefix texts, at most kMaxPrefixesPerGroup (each at most 64 bytes: the longest
/// IPv6 text with "/128" is 43).
std::vector<std::string> asPrefixes(const msgpack::object& o, const char* field) {
  if (asArray(o, field).size > kMaxPrefixesPerGroup)
    fail(field, "more than " + std::to_string(kMaxPrefixesPerGroup) + " prefixes");
  return decodeList<std::string>(o, field, [](const msgpack::object& v) {
    std::string text = asString(v, "");
    if (text.empty() || text.size() > 64) fail("", "not a prefix (1 to 64 characters)");
    return text;
  });
}

void checkGroupCount(const msgpack::object& o, const char* field) {
  if (asArray(o, field).size > kMaxGroupsLimit)
    fail(field, "more than " + std::to_string(kMaxGroupsLimit) + " groups");
}

GroupDefinition unpackGroupDefinition(const msgpack::object& o) {
  const auto& a = asArray(o, "", 2);
  GroupDefinition g;
  g.name = asGroupName(a.ptr[0], "name");
  g.prefixes = asPrefixes(a.ptr[1], "prefixes");
  return g;
}

GroupDefinitions unpackGroupDefinitions(const msgpack::object& o) {
  const auto& a = asArray(o, "", 1);
  GroupDefinitions d;
  checkGroupCount(a.ptr[0], "groups");
  d.groups = decodeList<GroupDefinition>(a.ptr[0], "groups", unpackGroupDefinition);
  return d;
}

GroupRecord unpackGroupRecord(const msgpack::object& o) {
  const auto& a = asArray(o, "", kGroupRecordFields);
  const msgpack::object* f = a.ptr;
  GroupRecord g;
  g.name = asGroupName(f[0], "name");
  g.prefixes = asPrefixes(f[1], "prefixes");
  g.memberCount = asUint(f[2], "memberCount");
  g.txPackets = asUint(f[3], "txPackets");
  g.txBytes = asUint(f[4], "txBytes");
  g.rxPackets = asUint(f[5], "rxPackets");
  g.rxBytes = asUint(f[6], "rxBytes");
  g.tcpPackets = asUint(f[7], "tcpPackets");
  g.udpPackets = asUint(f[8], "udpPackets");
  g.firstSeen = asInt(f[9], "firstSeen");
  g.lastSeen = asInt(f[10], "lastSeen");
  g.packetsPerSecond = asDouble(f[11], "packetsPerSecond");
  g.bitsPerSecond = asDouble(f[12], "bitsPerSecond");
  g.members = decodeList<net::IpAddress>(f[13], "members", [](const msgpack::object& v) {
    net::IpAddress ip = asIp(v, "");
    if (!ip.isValid()) fail("", "expected 4 or 16 bytes, got 0");
    return ip;
  });
  if (g.members.size() > g.memberCount)
    fail("members", std::to_string(g.members.size()) + " addresses for a member count of " +
                        std::to_string(g.memberCount));
  return g;
}

GroupList unpackGroupList(const msgpack::object& o) {
  const auto& a = asArray(o, "", 3);
  GroupList l;
  l.packetTime = asInt(a.ptr[0], "packetTime");
  l.maxGroups = asUnsigned<std::uint32_t>(a.ptr[1], "maxGroups");
  if (l.maxGroups < 1 || l.maxGroups > kMaxGroupsLimit)
    fail("maxGroups", std::to_string(l.maxGroups) + " is out of range (1 to " +
                          std::to_string(kMaxGroupsLimit) + ")");
  checkGroupCount(a.ptr[2], "groups");
  l.groups = decodeList<GroupRecord>(a.ptr[2], "groups", unpackGroupRecord);
  return l;
}

/// Longest series a reply may name: far more than any series has, small enough that a
/// hostile reply cannot make the console allocate per-bucket vectors of absurd width.
constexpr std::uint32_t kMaxHistoryNames = 256;

HistoryReply unpackHistory(const msgpack::object& o) {
  const auto& a = asArray(o, "", kHistoryReplyFields);
  const msgpack::object* f = a.ptr;
  HistoryReply h;
  h.series = asString(f[0], "series");
  h.resolutionNs = asInt(f[1], "resolutionNs");
  if (h.resolutionNs <= 0) fail("resolutionNs", "must be positive");
  h.names = decodeList<std::string>(f[2], "names",
                                    [](const msgpack::object& v) { return asString(v, ""); });
  if (h.names.empty() || h.names.size() > kMaxHistoryNames)
    fail("names", "expected 1 to " + std::to_string(kMaxHistoryNames) + " names, got " +
                      std::to_string(h.names.size()));
  const std::size_t width = h.names.size();
  h.buckets = decodeList<HistoryBucket>(f[3], "buckets", [&](const msgpack::object& v) {
    const auto& b = asArray(v, "", 2);
    HistoryBucket bucket;
    bucket.start = asInt(b.ptr[0], "start");
    const auto& values = asArray(b.ptr[1], "values");
    if (values.size != width)
      fail("values", "expected " + std::to_string(width) + " values (one per name), got " +
                         std::to_string(values.size));
    bucket.values.reserve(width);
    for (std::uint32_t i = 0; i < values.size; ++i)
      bucket.values.push_back(asUint(values.ptr[i], "values"));
    return bucket;
  });
  for (std::size_t i = 1; i < h.buckets.size(); ++i) {
    if (h.buckets[i].start <= h.buckets[i - 1].start)
      fail("buckets[" + std::to_string(i) + "].start", "buckets must be in increasing time order");
  }
  h.packetTime = asInt(f[4], "packetTime");
  h.complete = asBool(f[5], "complete");
  return h;
}

ErrorReply unpackError(const msgpack::object& o) {
  const auto& a = asArray(o, "", 2);
  ErrorReply e;
  e.code = static_cast<ErrorCode>(asUnsigned<std::uint16_t>(a.ptr[0], "code"));
  e.message = asString(a.ptr[1], "message");
  return e;
}

/// Strings and binary data reference the caller's buffer instead of being copied into the
/// zone: the object tree never outlives the decode call.
bool referenceStrings(msgpack::type::object_type, std::size_t, void*) {
  return true;
}

/// Parses exactly one msgpack object covering all of `bytes` and hands it to `fn`; every
/// failure — truncation, trailing bytes, limits, type errors — becomes a Result error whose
/// text starts with `what`.
template <class T, class Fn>
Result<T> decodeWhole(std::string_view bytes, std::string_view what, Fn&& fn) {
  if (bytes.empty()) return Result<T>::failure(std::string(what) + ": empty message");
  try {
    // Every array element takes at least one byte and every map entry two, so limits derived
    // from the buffer size reject length claims that cannot be true before memory is
    // reserved for them (a 10-byte message cannot claim a 4-billion-element array).
    const std::size_t n = bytes.size();
    const msgpack::unpack_limit limits(n, n / 2, n, n, n, 64);
    std::size_t offset = 0;
    msgpack::object_handle handle =
        msgpack::unpack(bytes.data(), n, offset, referenceStrings, nullptr, limits);
    if (offset != n)
      return Result<T>::failure(std::string(what) + ": " + std::to_string(n - offset) +
                                " unexpected bytes after the message");
    return Result<T>(fn(handle.get()));
  } catch (const DecodeError& e) {
    std::string text(what);
    if (!e.path.empty()) text += (e.path.front() == '[' ? "" : ".") + e.path;
    return Result<T>::failure(text + ": " + e.what);
  } catch (const msgpack::insufficient_bytes&) {
    return Result<T>::failure(std::string(what) + ": truncated message (" +
                              std::to_string(bytes.size()) + " bytes)");
  } catch (const msgpack::depth_size_overflow&) {
    return Result<T>::failure(std::string(what) + ": nested too deeply");
  } catch (const msgpack::size_overflow&) {
    return Result<T>::failure(std::string(what) +
                              ": a length field is larger than the message itself");
  } catch (const msgpack::parse_error&) {
    return Result<T>::failure(std::string(what) + ": not valid msgpack");
  } catch (const std::bad_alloc&) {
    return Result<T>::failure(std::string(what) + ": too large to decode");
  } catch (const std::exception& e) {
    return Result<T>::failure(std::string(what) + ": not valid msgpack (" + e.what() + ")");
  }
}

// ---- envelope ------------------------------------------------------------------------------

/// Envelope keys. WIRE STABILITY: never rename; add new optional keys only.
constexpr std::string_view kKeyVersion = "v";
constexpr std::string_view kKeyId = "id";
constexpr std::string_view kKeyOperation = "op";
constexpr std::string_view kKeyParams = "p";
constexpr std::string_view kKeyBody = "body";
constexpr std::string_view kKeyError = "err";

/// The envelope map's fields we know, each found at most once.
struct EnvelopeFields {
  const msgpack::object* version = nullptr;
  const msgpack::object* id = nullptr;
  const msgpack::object* operation = nullptr;
  const msgpack::object* params = nullptr;
  const msgpack::object* body = nullptr;
  const msgpack::object* error = nullptr;
};

EnvelopeFields readEnvelope(const msgpack::object& o) {
  if (o.type != msgpack::type::MAP) failType("", "a map", o);
  EnvelopeFields f;
  const auto& m = o.via.map;
  for (std::uint32_t i = 0; i < m.size; ++i) {
    const std::string_view key = nested("key", [&] { return asBytes(m.ptr[i].key, ""); });
    const msgpack::object** slot = key == kKeyVersion     ? &f.version
                                   : key == kKeyId        ? &f.id
                                   : key == kKeyOperation ? &f.operation
                                   : key == kKeyParams    ? &f.params
                                   : key == kKeyBody      ? &f.body
                                   : key == kKeyError     ? &f.error
                                                          : nullptr;
    if (!slot) continue;  // unknown keys: added by a newer peer, ignored
    if (*slot) fail(std::string(key), "appears twice");
    *slot = &m.ptr[i].val;
  }
  return f;
}

void packEnvelopeHead(Packer& p, std::uint32_t entries, std::uint32_t version, std::uint64_t id,
                      std::string_view operation) {
  p.pack_map(entries);
  packString(p, kKeyVersion);
  p.pack_uint32(version);
  packString(p, kKeyId);
  p.pack_uint64(id);
  packString(p, kKeyOperation);
  packString(p, operation);
}

std::string versionMismatchText(std::uint32_t theirs) {
  return "protocol version " + std::to_string(theirs) + " is not supported (this side speaks " +
         std::to_string(kProtocolVersion) + "); install the same Netlens version on node and " +
         "console";
}

}  // namespace

// ---- public: envelope --------------------------------------------------------------------------

std::string encodeRequest(const Request& request) {
  return encodeWith(64 + request.operation.size(), [&](Packer& p) {
    packEnvelopeHead(p, 4, request.version, request.requestId, request.operation);
    packString(p, kKeyParams);
    p.pack_map(static_cast<std::uint32_t>(request.params.size()));
    for (const auto& [name, value] : request.params) {
      packString(p, name);
      packString(p, value);
    }
  });
}

Result<Request> decodeRequest(std::string_view bytes, ErrorCode* errorCodeOut,
                              std::uint64_t* requestIdOut) {
  ErrorCode code = ErrorCode::BadRequest;
  auto result = decodeWhole<Request>(bytes, "request", [&](const msgpack::object& o) {
    const EnvelopeFields f = readEnvelope(o);
    Request r;
    if (f.id) {
      r.requestId = asUint(*f.id, "id");
      if (requestIdOut) *requestIdOut = r.requestId;
    }
    if (!f.version) fail("v", "missing (protocol version)");
    r.version = asUnsigned<std::uint32_t>(*f.version, "v");
    if (r.version != kProtocolVersion) {
      code = ErrorCode::UnsupportedVersion;
      fail("", versionMismatchText(r.version));
    }
    if (!f.id) fail("id", "missing (request id)");
    if (!f.operation) fail("op", "missing (operation name)");
    r.operation = asString(*f.operation, "op");
    const OperationInfo* info = findOperation(r.operation);
    if (!info || info->sinceVersion > r.version) {
      code = ErrorCode::UnknownOperation;
      fail("", "unknown operation \"" + r.operation + "\"");
    }
    if (f.params) {
      if (f.params->type != msgpack::type::MAP) failType("p", "a map", *f.params);
      const auto& m = f.params->via.map;
      for (std::uint32_t i = 0; i < m.size; ++i) {
        std::string name = asString(m.ptr[i].key, "p");
        std::string value =
            nested(("p." + name).c_str(), [&] { return asString(m.ptr[i].val, ""); });
        if (!r.params.emplace(name, std::move(value)).second) fail("p." + name, "appears twice");
      }
    }
    return r;
  });
  if (!result.ok() && errorCodeOut) *errorCodeOut = code;
  return result;
}

std::string encodeReply(const Reply& reply) {
  return encodeWith(64 + reply.operation.size() + reply.body.size() +
                        (reply.error ? reply.error->message.size() : 0),
                    [&](Packer& p) {
                      packEnvelopeHead(p, 4, reply.version, reply.requestId, reply.operation);
                      if (reply.error) {
                        packString(p, kKeyError);
                        p.pack_array(2);
                        p.pack_uint16(static_cast<std::uint16_t>(reply.error->code));
                        packString(p, reply.error->message);
                      } else {
                        packString(p, kKeyBody);
                        packBin(p, reply.body.data(), reply.body.size());
                      }
                    });
}

Result<Reply> decodeReply(std::string_view bytes) {
  return decodeWhole<Reply>(bytes, "reply", [&](const msgpack::object& o) {
    const EnvelopeFields f = readEnvelope(o);
    Reply r;
    if (!f.version) fail("v", "missing (protocol version)");
    r.version = asUnsigned<std::uint32_t>(*f.version, "v");
    if (r.version != kProtocolVersion) fail("", versionMismatchText(r.version));
    if (!f.id) fail("id", "missing (request id)");
    r.requestId = asUint(*f.id, "id");
    if (!f.operation) fail("op", "missing (operation name)");
    r.operation = asString(*f.operation, "op");
    if (f.body && f.error) fail("", "has both a body and an error");
    if (f.error) {
      r.error = nested("err", [&] { return unpackError(*f.error); });
    } else if (f.body) {
      if (f.body->type != msgpack::type::BIN) failType("body", "binary data", *f.body);
      r.body.assign(f.body->via.bin.ptr, f.body->via.bin.size);
    } else {
      fail("", "has neither a body nor an error");
    }
    return r;
  });
}

Reply makeReply(const Request& request, std::string body) {
  Reply r;
  r.requestId = request.requestId;
  r.operation = request.operation;
  r.body = std::move(body);
  return r;
}

Reply makeErrorReply(std::uint64_t requestId, std::string_view operation, ErrorCode code,
                     std::string message) {
  Reply r;
  r.requestId = requestId;
  r.operation = std::string(operation);
  r.error = ErrorReply{code, std::move(message)};
  return r;
}

std::string_view errorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::BadRequest:
      return "bad request";
    case ErrorCode::UnknownOperation:
      return "unknown operation";
    case ErrorCode::UnsupportedVersion:
      return "unsupported protocol version";
    case ErrorCode::NotAuthorised:
      return "not authorised";
    case ErrorCode::Internal:
      return "internal error";
    case ErrorCode::InvalidArgument:
      return "invalid argument";
  }
  return "unknown error";
}

// ---- public: bodies ----------------------------------------------------------------------------

std::string encodeBody(const HostRecord& value) {
  return encodeWith(kHostRecordSizeHint + value.macs.size() * 6 + value.vlans.size() * 3,
                    [&](Packer& p) { packHost(p, value); });
}

std::string encodeBody(const SourceInfo& value) {
  return encodeWith(64 + value.name.size() + value.error.size(),
                    [&](Packer& p) { packSource(p, value); });
}

std::string encodeBody(const GlobalStats& value) {
  return encodeWith(256, [&](Packer& p) { packGlobal(p, value); });
}

std::string encodeBody(const Hello& value) {
  return encodeWith(128, [&](Packer& p) { packHello(p, value); });
}

std::string encodeBody(const HostsSnapshot& value) {
  return encodeWith(16 + value.hosts.size() * kHostRecordSizeHint, [&](Packer& p) {
    p.pack_array(3);
    p.pack_uint64(value.sequence);
    packHosts(p, value.hosts);
    p.pack_uint64(value.epoch);
  });
}

std::string encodeBody(const HostsDelta& value) {
  return encodeWith(512 + value.changed.size() * kHostRecordSizeHint + value.removed.size() * 18,
                    [&](Packer& p) {
                      p.pack_array(6);
                      p.pack_uint64(value.sequence);
                      p.pack_int64(value.packetTime);
                      packHosts(p, value.changed);
                      p.pack_array(static_cast<std::uint32_t>(value.removed.size()));
                      for (const auto& ip : value.removed) packIp(p, ip);
                      packGlobal(p, value.global);
                      p.pack_uint64(value.epoch);
                    });
}

std::string encodeBody(const ErrorReply& value) {
  return encodeWith(16 + value.message.size(), [&](Packer& p) {
    p.pack_array(2);
    p.pack_uint16(static_cast<std::uint16_t>(value.code));
    packString(p, value.message);
  });
}

std::string encodeBody(const ConnectionList& value) {
  return encodeWith(32 + value.connections.size() * 160, [&](Packer& p) {
    p.pack_array(3);
    p.pack_int64(value.packetTime);
    p.pack_uint64(value.total);
    p.pack_array(static_cast<std::uint32_t>(value.connections.size()));
    for (const auto& c : value.connections) packConnection(p, c);
  });
}

std::string encodeBody(const GroupDefinitions& value) {
  return encodeWith(16 + value.groups.size() * 64, [&](Packer& p) {
    p.pack_array(1);
    p.pack_array(static_cast<std::uint32_t>(value.groups.size()));
    for (const auto& g : value.groups) packGroupDefinition(p, g);
  });
}

std::string encodeBody(const GroupList& value) {
  std::size_t members = 0;
  for (const auto& g : value.groups) members += g.members.size();
  return encodeWith(32 + value.groups.size() * 160 + members * 18, [&](Packer& p) {
    p.pack_array(3);
    p.pack_int64(value.packetTime);
    p.pack_uint32(value.maxGroups);
    p.pack_array(static_cast<std::uint32_t>(value.groups.size()));
    for (const auto& g : value.groups) packGroupRecord(p, g);
  });
}

std::string encodeBody(const HistoryReply& value) {
  return encodeWith(
      64 + value.names.size() * 24 + value.buckets.size() * (12 + value.names.size() * 9),
      [&](Packer& p) { packHistory(p, value); });
}

namespace {
template <class T>
struct BodyTraits;
template <>
struct BodyTraits<HostRecord> {
  static constexpr std::string_view kName = "HostRecord";
  static HostRecord unpack(const msgpack::object& o) { return unpackHost(o); }
};
template <>
struct BodyTraits<SourceInfo> {
  static constexpr std::string_view kName = "SourceInfo";
  static SourceInfo unpack(const msgpack::object& o) { return unpackSource(o); }
};
template <>
struct BodyTraits<GlobalStats> {
  static constexpr std::string_view kName = "GlobalStats";
  static GlobalStats unpack(const msgpack::object& o) { return unpackGlobal(o); }
};
template <>
struct BodyTraits<Hello> {
  static constexpr std::string_view kName = "Hello";
  static Hello unpack(const msgpack::object& o) { return unpackHello(o); }
};
template <>
struct BodyTraits<HostsSnapshot> {
  static constexpr std::string_view kName = "HostsSnapshot";
  static HostsSnapshot unpack(const msgpack::object& o) { return unpackSnapshot(o); }
};
template <>
struct BodyTraits<HostsDelta> {
  static constexpr std::string_view kName = "HostsDelta";
  static HostsDelta unpack(const msgpack::object& o) { return unpackDelta(o); }
};
template <>
struct BodyTraits<ErrorReply> {
  static constexpr std::string_view kName = "ErrorReply";
  static ErrorReply unpack(const msgpack::object& o) { return unpackError(o); }
};
template <>
struct BodyTraits<ConnectionList> {
  static constexpr std::string_view kName = "ConnectionList";
  static ConnectionList unpack(const msgpack::object& o) { return unpackConnectionList(o); }
};
template <>
struct BodyTraits<GroupDefinitions> {
  static constexpr std::string_view kName = "GroupDefinitions";
  static GroupDefinitions unpack(const msgpack::object& o) { return unpackGroupDefinitions(o); }
};
template <>
struct BodyTraits<GroupList> {
  static constexpr std::string_view kName = "GroupList";
  static GroupList unpack(const msgpack::object& o) { return unpackGroupList(o); }
};
template <>
struct BodyTraits<HistoryReply> {
  static constexpr std::string_view kName = "HistoryReply";
  static HistoryReply unpack(const msgpack::object& o) { return unpackHistory(o); }
};
}  // namespace

template <class T>
Result<T> decodeBody(std::string_view bytes) {
  return decodeWhole<T>(bytes, BodyTraits<T>::kName,
                        [](const msgpack::object& o) { return BodyTraits<T>::unpack(o); });
}

template Result<HostRecord> decodeBody<HostRecord>(std::string_view);
template Result<SourceInfo> decodeBody<SourceInfo>(std::string_view);
template Result<GlobalStats> decodeBody<GlobalStats>(std::string_view);
template Result<Hello> decodeBody<Hello>(std::string_view);
template Result<HostsSnapshot> decodeBody<HostsSnapshot>(std::string_view);
template Result<HostsDelta> decodeBody<HostsDelta>(std::string_view);
template Result<ErrorReply> decodeBody<ErrorReply>(std::string_view);
template Result<ConnectionList> decodeBody<ConnectionList>(std::string_view);
template Result<GroupDefinitions> decodeBody<GroupDefinitions>(std::string_view);
template Result<GroupList> decodeBody<GroupList>(std::string_view);
template Result<HistoryReply> decodeBody<HistoryReply>(std::string_view);

}  // namespace netlens::protocol
