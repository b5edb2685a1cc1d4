// SPDX-License-Identifier: MIT
// Host and node state bodies: HostRecord, SourceInfo, GlobalStats, Hello (it carries the same
// SourceInfo list as GlobalStats), HostsSnapshot, HostsDelta and the HistoryReply of a host
// or of the global counters (layouts in codec.h).
#include "shared/protocol/codec.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "shared/protocol/codec_internal.h"

namespace netlens::protocol {

using namespace detail;

namespace {

// ---- encoding ------------------------------------------------------------------------------

constexpr std::uint32_t kHostRecordFields = 21;
/// Longest organisation name of a MAC vendor accepted (the IEEE lists' longest is ~100 bytes).
constexpr std::size_t kMaxVendorLength = 255;
/// A HostRecord from before `group` was appended: still accepted (append-only rule).
constexpr std::uint32_t kHostRecordMinFields = 14;
constexpr std::uint32_t kSourceInfoFields = 9;
constexpr std::uint32_t kGlobalStatsFields = 32;
/// GlobalStats from before the store fields were appended: still accepted (append-only rule).
constexpr std::uint32_t kGlobalStatsMinFields = 20;
/// ... and from before the eviction fields were.
constexpr std::uint32_t kGlobalStatsStoreFields = 26;
/// ... and from before sctpPackets and grePackets were.
constexpr std::uint32_t kGlobalStatsEvictionFields = 30;
constexpr std::uint32_t kHelloFields = 8;
/// A Hello from before inactivityGapNs was appended: still accepted (append-only rule).
constexpr std::uint32_t kHelloMinFields = 6;
constexpr std::uint32_t kHistoryReplyFields = 6;

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
  packU16List(p, h.vlans);
  packString(p, h.group);
  packStrings(p, h.names);
  packString(p, h.country);
  packStrings(p, h.macVendors);
  p.pack_uint64(h.tcpPayloadBytes);
  p.pack_uint64(h.tcpRetransPackets);
  p.pack_uint64(h.tcpRetransBytes);
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
  packBool(p, s.finished);
  packString(p, s.error);
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
  packList(p, g.sources, packSource);
  p.pack_int64(g.firstPacket);
  p.pack_int64(g.lastPacket);
  p.pack_double(g.packetsPerSecond);
  p.pack_double(g.bitsPerSecond);
  p.pack_uint64(g.hostCount);
  for (std::uint64_t v : {g.storeBytes, g.storeMaxBytes, g.storePackets, g.storeDrops})
    p.pack_uint64(v);
  p.pack_int64(g.storeOldest);
  p.pack_int64(g.storeNewest);
  p.pack_uint64(g.hostsEvicted);
  p.pack_int64(g.hostsEvictedUpTo);
  p.pack_uint64(g.connectionsEvicted);
  p.pack_int64(g.connectionsEvictedUpTo);
  p.pack_uint64(g.sctpPackets);
  p.pack_uint64(g.grePackets);
}

void packHello(Packer& p, const Hello& h) {
  p.pack_array(kHelloFields);
  packString(p, h.nodeName);
  packString(p, h.version);
  p.pack_uint32(h.protocolVersion);
  packString(p, h.role);
  p.pack_uint16(h.publisherPort);
  packList(p, h.sources, packSource);
  p.pack_int64(h.inactivityGapNs);
  packStrings(p, h.analysesOff);
}

void packHistory(Packer& p, const HistoryReply& h) {
  p.pack_array(kHistoryReplyFields);
  packString(p, h.series);
  p.pack_int64(h.resolutionNs);
  packStrings(p, h.names);
  packList(p, h.buckets, [](Packer& out, const HistoryBucket& b) {
    out.pack_array(2);
    out.pack_int64(b.start);
    packList(out, b.values, [](Packer& o, std::uint64_t v) { o.pack_uint64(v); });
  });
  p.pack_int64(h.packetTime);
  packBool(p, h.complete);
}

// A HostRecord encodes to roughly 60–90 bytes; reserving avoids repeated regrowth of a
// 50 MB buffer for big tables.
constexpr std::size_t kHostRecordSizeHint = 96;

// ---- decoding ------------------------------------------------------------------------------

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
  if (a.size > 16) {
    h.country = asString(f[16], "country");
    if (h.country.size() > 2) fail("country", "expected an ISO 3166 code of 2 letters or none");
  }
  if (a.size > 17) {
    h.macVendors = decodeList<std::string>(f[17], "macVendors", [](const msgpack::object& v) {
      std::string n = asString(v, "");
      if (n.size() > kMaxVendorLength)
        fail("", "longer than " + std::to_string(kMaxVendorLength) + " bytes");
      return n;
    });
    if (!h.macVendors.empty() && h.macVendors.size() != h.macs.size())
      fail("macVendors", "expected one per MAC (" + std::to_string(h.macs.size()) + "), got " +
                             std::to_string(h.macVendors.size()));
  }
  if (a.size > 20) {
    h.tcpPayloadBytes = asUint(f[18], "tcpPayloadBytes");
    h.tcpRetransPackets = asUint(f[19], "tcpRetransPackets");
    h.tcpRetransBytes = asUint(f[20], "tcpRetransBytes");
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
  const auto& a = asArray(o, "", kGlobalStatsMinFields);
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
  if (a.size >= kGlobalStatsStoreFields) {
    g.storeBytes = asUint(f[20], "storeBytes");
    g.storeMaxBytes = asUint(f[21], "storeMaxBytes");
    g.storePackets = asUint(f[22], "storePackets");
    g.storeDrops = asUint(f[23], "storeDrops");
    g.storeOldest = asInt(f[24], "storeOldest");
    g.storeNewest = asInt(f[25], "storeNewest");
  }
  if (a.size >= kGlobalStatsEvictionFields) {
    g.hostsEvicted = asUint(f[26], "hostsEvicted");
    g.hostsEvictedUpTo = asInt(f[27], "hostsEvictedUpTo");
    g.connectionsEvicted = asUint(f[28], "connectionsEvicted");
    g.connectionsEvictedUpTo = asInt(f[29], "connectionsEvictedUpTo");
  }
  if (a.size >= kGlobalStatsFields) {
    g.sctpPackets = asUint(f[30], "sctpPackets");
    g.grePackets = asUint(f[31], "grePackets");
  }
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
  if (a.size > 7) h.analysesOff = asStrings(f[7], "analysesOff");
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

}  // namespace

// ---- public ------------------------------------------------------------------------------------

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
    packList(p, value.hosts, packHost);
    p.pack_uint64(value.epoch);
  });
}

std::string encodeBody(const HostsDelta& value) {
  return encodeWith(512 + value.changed.size() * kHostRecordSizeHint + value.removed.size() * 18,
                    [&](Packer& p) {
                      p.pack_array(6);
                      p.pack_uint64(value.sequence);
                      p.pack_int64(value.packetTime);
                      packList(p, value.changed, packHost);
                      packList(p, value.removed, packIp);
                      packGlobal(p, value.global);
                      p.pack_uint64(value.epoch);
                    });
}

std::string encodeBody(const HistoryReply& value) {
  return encodeWith(
      64 + value.names.size() * 24 + value.buckets.size() * (12 + value.names.size() * 9),
      [&](Packer& p) { packHistory(p, value); });
}

namespace detail {
template <>
inline constexpr BodyDecoder<HostRecord> kBodyDecoder<HostRecord>{"HostRecord", unpackHost};
template <>
inline constexpr BodyDecoder<SourceInfo> kBodyDecoder<SourceInfo>{"SourceInfo", unpackSource};
template <>
inline constexpr BodyDecoder<GlobalStats> kBodyDecoder<GlobalStats>{"GlobalStats", unpackGlobal};
template <>
inline constexpr BodyDecoder<Hello> kBodyDecoder<Hello>{"Hello", unpackHello};
template <>
inline constexpr BodyDecoder<HostsSnapshot> kBodyDecoder<HostsSnapshot>{"HostsSnapshot",
                                                                        unpackSnapshot};
template <>
inline constexpr BodyDecoder<HostsDelta> kBodyDecoder<HostsDelta>{"HostsDelta", unpackDelta};
template <>
inline constexpr BodyDecoder<HistoryReply> kBodyDecoder<HistoryReply>{"HistoryReply",
                                                                      unpackHistory};
}  // namespace detail

template Result<HostRecord> decodeBody<HostRecord>(std::string_view);
template Result<SourceInfo> decodeBody<SourceInfo>(std::string_view);
template Result<GlobalStats> decodeBody<GlobalStats>(std::string_view);
template Result<Hello> decodeBody<Hello>(std::string_view);
template Result<HostsSnapshot> decodeBody<HostsSnapshot>(std::string_view);
template Result<HostsDelta> decodeBody<HostsDelta>(std::string_view);
template Result<HistoryReply> decodeBody<HistoryReply>(std::string_view);

}  // namespace netlens::protocol
