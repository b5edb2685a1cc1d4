// SPDX-License-Identifier: MIT
#include "shared/net/ip_groups.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

namespace netlens::net {

using protocol::Result;

namespace {

std::uint32_t v4Value(const net::IpAddress& ip) {
  return (std::uint32_t{ip.bytes[0]} << 24) | (std::uint32_t{ip.bytes[1]} << 16) |
         (std::uint32_t{ip.bytes[2]} << 8) | std::uint32_t{ip.bytes[3]};
}

std::uint32_t v4Mask(unsigned length) {
  return length == 0 ? 0 : ~std::uint32_t{0} << (32 - length);
}

std::uint64_t half(const net::IpAddress& ip, int offset) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | ip.bytes[offset + i];
  return v;
}

std::uint64_t mask64(unsigned length) {  // length 0..64
  return length == 0 ? 0 : ~std::uint64_t{0} << (64 - length);
}

/// The address with every bit after `length` cleared.
net::IpAddress masked(const net::IpAddress& ip, unsigned length) {
  net::IpAddress out = ip;
  const unsigned bits = ip.isV4() ? 32 : 128;
  for (unsigned bit = length; bit < bits; ++bit) {
    out.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
  }
  return out;
}

bool isValidNameByte(unsigned char c) {
  return c > 0x20 && c != 0x7f;
}

std::string checkName(std::string_view name) {
  if (name.empty()) return "a group needs a name";
  if (name.size() > protocol::kMaxGroupNameLength)
    return "group name \"" + std::string(name) + "\" is longer than " +
           std::to_string(protocol::kMaxGroupNameLength) + " bytes";
  if (name.front() == '#') return "group name \"" + std::string(name) + "\" begins with '#'";
  for (unsigned char c : name) {
    if (!isValidNameByte(c))
      return "group name \"" + std::string(name) + "\" contains white space or a control character";
  }
  return {};
}

}  // namespace

// ---- IpPrefix --------------------------------------------------------------------------------

Result<IpPrefix> IpPrefix::parse(std::string_view text) {
  const auto slash = text.find('/');
  const std::string_view addressText = text.substr(0, slash);
  auto address = net::IpAddress::parse(addressText);
  if (!address)
    return Result<IpPrefix>::failure("\"" + std::string(text) +
                                     "\" is not an IPv4 or IPv6 network (write 10.0.0.0/8 or "
                                     "2001:db8::/32)");
  const unsigned bits = address->isV4() ? 32 : 128;
  unsigned length = bits;
  if (slash != std::string_view::npos) {
    const std::string_view lengthText = text.substr(slash + 1);
    const auto [end, ec] =
        std::from_chars(lengthText.data(), lengthText.data() + lengthText.size(), length);
    if (lengthText.empty() || lengthText.size() > 3 || ec != std::errc() ||
        end != lengthText.data() + lengthText.size() || length > bits) {
      return Result<IpPrefix>::failure("\"" + std::string(text) +
                                       "\" has a bad prefix length (0 to " + std::to_string(bits) +
                                       " for " + (bits == 32 ? "IPv4" : "IPv6") + ")");
    }
  }
  IpPrefix p;
  p.address = masked(*address, length);
  p.length = static_cast<std::uint8_t>(length);
  if (!(p.address == *address)) {
    return Result<IpPrefix>::failure("\"" + std::string(text) +
                                     "\" has host bits set (the network is " + p.toString() + ")");
  }
  return p;
}

std::string IpPrefix::toString() const {
  return address.toString() + "/" + std::to_string(length);
}

bool IpPrefix::contains(const net::IpAddress& ip) const {
  return ip.family == address.family && masked(ip, length) == address;
}

// ---- IpGroupSet: construction -----------------------------------------------------------------

Result<IpGroupSet> IpGroupSet::create(const std::vector<protocol::GroupDefinition>& groups,
                                      std::uint32_t maxGroups) {
  using R = Result<IpGroupSet>;
  if (maxGroups < 1 || maxGroups > protocol::kMaxGroupsLimit)
    return R::failure("the group limit must be 1 to " + std::to_string(protocol::kMaxGroupsLimit));
  if (groups.size() > maxGroups)
    return R::failure(std::to_string(groups.size()) +
                      " groups are more than this node's limit of " + std::to_string(maxGroups) +
                      " (netlens-node run --max-groups N, at most " +
                      std::to_string(protocol::kMaxGroupsLimit) + ")");
  IpGroupSet set;
  set.m_maxGroups = maxGroups;
  std::set<std::string_view> names;
  std::size_t total = 0;
  for (std::uint32_t g = 0; g < groups.size(); ++g) {
    const auto& def = groups[g];
    if (auto problem = checkName(def.name); !problem.empty()) return R::failure(problem);
    if (!names.insert(def.name).second)
      return R::failure("group \"" + def.name + "\" is defined twice");
    const std::string where = "group \"" + def.name + "\"";
    if (def.prefixes.empty()) return R::failure(where + " has no prefixes");
    if (def.prefixes.size() > protocol::kMaxPrefixesPerGroup)
      return R::failure(where + " has " + std::to_string(def.prefixes.size()) +
                        " prefixes; at most " + std::to_string(protocol::kMaxPrefixesPerGroup) +
                        " are allowed");
    total += def.prefixes.size();
    if (total > protocol::kMaxGroupPrefixesTotal)
      return R::failure("more than " + std::to_string(protocol::kMaxGroupPrefixesTotal) +
                        " prefixes in all groups together (at " + where + ")");
    protocol::GroupDefinition canonical;
    canonical.name = def.name;
    std::vector<IpPrefix> parsed;
    for (const auto& text : def.prefixes) {
      auto prefix = IpPrefix::parse(text);
      if (!prefix) return R::failure(where + ": prefix " + prefix.error());
      if (std::find(parsed.begin(), parsed.end(), *prefix) != parsed.end())
        return R::failure(where + ": prefix \"" + text + "\" is listed twice");
      parsed.push_back(*prefix);
      canonical.prefixes.push_back(prefix->toString());
    }
    for (const auto& p : parsed) set.insert(p, g);
    set.m_definitions.push_back(std::move(canonical));
  }
  std::sort(set.m_v4.begin(), set.m_v4.end(),
            [](const V4Level& a, const V4Level& b) { return a.length > b.length; });
  std::sort(set.m_v6.begin(), set.m_v6.end(),
            [](const V6Level& a, const V6Level& b) { return a.length > b.length; });
  return set;
}

void IpGroupSet::insert(const IpPrefix& prefix, std::uint32_t group) {
  // Groups are inserted in definition order, so each list stays ascending.
  if (prefix.address.isV4()) {
    auto it = std::find_if(m_v4.begin(), m_v4.end(),
                           [&](const V4Level& l) { return l.length == prefix.length; });
    if (it == m_v4.end()) it = m_v4.insert(m_v4.end(), V4Level{prefix.length, {}});
    it->networks[v4Value(prefix.address)].push_back(group);
  } else {
    auto it = std::find_if(m_v6.begin(), m_v6.end(),
                           [&](const V6Level& l) { return l.length == prefix.length; });
    if (it == m_v6.end()) it = m_v6.insert(m_v6.end(), V6Level{prefix.length, {}});
    it->networks[V6Key{half(prefix.address, 0), half(prefix.address, 8)}].push_back(group);
  }
}

Result<std::vector<protocol::GroupDefinition>> IpGroupSet::parseText(std::string_view text,
                                                                     std::string_view sourceName) {
  using R = Result<std::vector<protocol::GroupDefinition>>;
  std::vector<protocol::GroupDefinition> out;
  std::size_t lineNumber = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const auto eol = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    pos = eol == std::string_view::npos ? text.size() + 1 : eol + 1;
    ++lineNumber;
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    std::vector<std::string> fields;
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
      std::size_t start = i;
      while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
      if (i > start) fields.emplace_back(line.substr(start, i - start));
    }
    if (fields.empty()) continue;
    const std::string where = std::string(sourceName) + ":" + std::to_string(lineNumber) + ": ";
    if (auto problem = checkName(fields[0]); !problem.empty()) return R::failure(where + problem);
    if (fields.size() < 2)
      return R::failure(where + "group \"" + fields[0] +
                        "\" has no prefixes (write: name prefix [prefix...])");
    for (std::size_t f = 1; f < fields.size(); ++f) {
      if (auto prefix = IpPrefix::parse(fields[f]); !prefix)
        return R::failure(where + "group \"" + fields[0] + "\": prefix " + prefix.error());
    }
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const protocol::GroupDefinition& d) { return d.name == fields[0]; });
    if (it == out.end()) it = out.insert(out.end(), protocol::GroupDefinition{fields[0], {}});
    it->prefixes.insert(it->prefixes.end(), std::make_move_iterator(fields.begin() + 1),
                        std::make_move_iterator(fields.end()));
  }
  return out;
}

Result<IpGroupSet> IpGroupSet::load(const std::string& file, std::uint32_t maxGroups) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Result<IpGroupSet>::failure("cannot read groups file " + file);
  std::ostringstream text;
  text << in.rdbuf();
  auto definitions = parseText(text.str(), file);
  if (!definitions) return Result<IpGroupSet>::failure(definitions.error());
  auto set = create(*definitions, maxGroups);
  if (!set) return Result<IpGroupSet>::failure(file + ": " + set.error());
  return set;
}

std::string IpGroupSet::toText() const {
  std::string out = "# IP groups: name prefix [prefix...]\n";
  for (const auto& d : m_definitions) {
    out += d.name;
    for (const auto& p : d.prefixes) out += " " + p;
    out += '\n';
  }
  return out;
}

std::optional<std::size_t> IpGroupSet::indexOf(std::string_view name) const {
  for (std::size_t i = 0; i < m_definitions.size(); ++i)
    if (m_definitions[i].name == name) return i;
  return std::nullopt;
}

// ---- IpGroupSet: lookup ------------------------------------------------------------------------

template <class Fn>
void IpGroupSet::forEachMatch(const net::IpAddress& ip, Fn&& fn) const {
  if (ip.isV4()) {
    const std::uint32_t value = v4Value(ip);
    for (const auto& level : m_v4) {
      auto it = level.networks.find(value & v4Mask(level.length));
      if (it != level.networks.end() && !fn(it->second)) return;
    }
  } else if (ip.isV6()) {
    const std::uint64_t hi = half(ip, 0), lo = half(ip, 8);
    for (const auto& level : m_v6) {
      const V6Key key = level.length <= 64 ? V6Key{hi & mask64(level.length), 0}
                                           : V6Key{hi, lo & mask64(level.length - 64u)};
      auto it = level.networks.find(key);
      if (it != level.networks.end() && !fn(it->second)) return;
    }
  }
}

int IpGroupSet::mostSpecific(const net::IpAddress& ip) const {
  int found = -1;
  // Longest first: the first hit is the answer; its list is in definition order.
  forEachMatch(ip, [&](const GroupIndices& groups) {
    found = static_cast<int>(groups.front());
    return false;
  });
  return found;
}

void IpGroupSet::allContaining(const net::IpAddress& ip, std::vector<std::uint32_t>& out) const {
  const std::size_t first = out.size();
  forEachMatch(ip, [&](const GroupIndices& groups) {
    out.insert(out.end(), groups.begin(), groups.end());
    return true;
  });
  std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
  out.erase(std::unique(out.begin() + static_cast<std::ptrdiff_t>(first), out.end()), out.end());
}

bool IpGroupSet::contains(std::size_t group, const net::IpAddress& ip) const {
  bool found = false;
  forEachMatch(ip, [&](const GroupIndices& groups) {
    found = std::find(groups.begin(), groups.end(), group) != groups.end();
    return !found;
  });
  return found;
}

std::string IpGroupSet::groupNameOf(const net::IpAddress& ip) const {
  const int g = mostSpecific(ip);
  return g < 0 ? std::string() : m_definitions[static_cast<std::size_t>(g)].name;
}

void IpGroupSet::annotate(std::vector<protocol::HostRecord>& hosts) const {
  for (auto& h : hosts) h.group = groupNameOf(h.ip);
}

void IpGroupSet::annotate(std::vector<protocol::ConnectionRecord>& connections) const {
  for (auto& c : connections) {
    c.clientGroup = groupNameOf(c.clientIp);
    c.serverGroup = groupNameOf(c.serverIp);
  }
}

std::vector<protocol::GroupRecord> IpGroupSet::statistics(
    const std::vector<protocol::HostRecord>& hosts, bool withMembers,
    std::optional<std::size_t> onlyGroup) const {
  std::vector<protocol::GroupRecord> records(m_definitions.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    records[i].name = m_definitions[i].name;
    records[i].prefixes = m_definitions[i].prefixes;
  }
  std::vector<std::uint32_t> groups;
  for (const auto& h : hosts) {
    groups.clear();
    allContaining(h.ip, groups);
    for (std::uint32_t g : groups) {
      if (onlyGroup && g != *onlyGroup) continue;
      auto& r = records[g];
      ++r.memberCount;
      r.txPackets += h.txPackets;
      r.txBytes += h.txBytes;
      r.rxPackets += h.rxPackets;
      r.rxBytes += h.rxBytes;
      r.tcpPackets += h.tcpPackets;
      r.udpPackets += h.udpPackets;
      r.tcpPayloadBytes += h.tcpPayloadBytes;
      r.tcpRetransPackets += h.tcpRetransPackets;
      r.tcpRetransBytes += h.tcpRetransBytes;
      if (h.firstSeen != 0 && (r.firstSeen == 0 || h.firstSeen < r.firstSeen))
        r.firstSeen = h.firstSeen;
      r.lastSeen = std::max(r.lastSeen, h.lastSeen);
      r.packetsPerSecond += h.packetsPerSecond;
      r.bitsPerSecond += h.bitsPerSecond;
      if (withMembers) r.members.push_back(h.ip);
    }
  }
  for (auto& r : records) std::sort(r.members.begin(), r.members.end());
  if (onlyGroup) return {std::move(records[*onlyGroup])};
  return records;
}

}  // namespace netlens::net
