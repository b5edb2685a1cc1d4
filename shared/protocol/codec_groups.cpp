// SPDX-License-Identifier: MIT
// Group bodies: the GroupDefinitions a client sets and the GroupList of per-group statistics
// the node serves (layouts in codec.h).
#include "shared/protocol/codec.h"

#include <string>
#include <string_view>

#include "shared/protocol/codec_internal.h"

namespace netlens::protocol {

using namespace detail;

namespace {

constexpr std::uint32_t kGroupDefinitionFields = 2;
constexpr std::uint32_t kGroupRecordFields = 17;
/// A GroupRecord from before the TCP payload and retransmission sums: still accepted.
constexpr std::uint32_t kGroupRecordMinFields = 14;

// ---- encoding ------------------------------------------------------------------------------

void packGroupDefinition(Packer& p, const GroupDefinition& g) {
  p.pack_array(kGroupDefinitionFields);
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
  packList(p, g.members, packIp);
  for (std::uint64_t v : {g.tcpPayloadBytes, g.tcpRetransPackets, g.tcpRetransBytes})
    p.pack_uint64(v);
}

// ---- decoding ------------------------------------------------------------------------------

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
  const auto& a = asArray(o, "", kGroupDefinitionFields);
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
  const auto& a = asArray(o, "", kGroupRecordMinFields);
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
  if (a.size >= kGroupRecordFields) {
    g.tcpPayloadBytes = asUint(f[14], "tcpPayloadBytes");
    g.tcpRetransPackets = asUint(f[15], "tcpRetransPackets");
    g.tcpRetransBytes = asUint(f[16], "tcpRetransBytes");
  }
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

}  // namespace

// ---- public ------------------------------------------------------------------------------------

std::string encodeBody(const GroupDefinitions& value) {
  return encodeWith(16 + value.groups.size() * 64, [&](Packer& p) {
    p.pack_array(1);
    packList(p, value.groups, packGroupDefinition);
  });
}

std::string encodeBody(const GroupList& value) {
  std::size_t members = 0;
  for (const auto& g : value.groups) members += g.members.size();
  return encodeWith(32 + value.groups.size() * 160 + members * 18, [&](Packer& p) {
    p.pack_array(3);
    p.pack_int64(value.packetTime);
    p.pack_uint32(value.maxGroups);
    packList(p, value.groups, packGroupRecord);
  });
}

namespace detail {
template <>
inline constexpr BodyDecoder<GroupDefinitions> kBodyDecoder<GroupDefinitions>{
    "GroupDefinitions", unpackGroupDefinitions};
template <>
inline constexpr BodyDecoder<GroupList> kBodyDecoder<GroupList>{"GroupList", unpackGroupList};
}  // namespace detail

template Result<GroupDefinitions> decodeBody<GroupDefinitions>(std::string_view);
template Result<GroupList> decodeBody<GroupList>(std::string_view);

}  // namespace netlens::protocol
