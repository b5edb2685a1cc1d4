// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "shared/net/ip_address.h"
#include "shared/protocol/messages.h"
#include "shared/protocol/result.h"

namespace netlens::net {

/// An IPv4 or IPv6 network: the address with every bit after `length` zero.
struct IpPrefix {
  net::IpAddress address;
  std::uint8_t length = 0;

  /// Parses "10.0.0.0/8", "2001:db8::/32", or a bare address (a /32 or /128). A prefix with
  /// bits set after its length ("10.0.0.1/8") is refused, not normalised: it is usually a
  /// typing mistake (10.1.0.0/8 meant as /16), and silently widening it would put the wrong
  /// hosts in a group. The error says what was probably meant.
  static protocol::Result<IpPrefix> parse(std::string_view text);
  /// Canonical text: "10.0.0.0/8", "2001:db8::/32" (RFC 5952 address, always with "/len").
  std::string toString() const;
  /// True when `ip` lies in this network. IPv4 prefixes contain only IPv4 addresses: an
  /// IPv4-mapped IPv6 address (::ffff:10.0.0.1) is IPv6, as the host table counts it.
  bool contains(const net::IpAddress& ip) const;
  friend bool operator==(const IpPrefix&, const IpPrefix&) = default;
};

/// A validated, immutable set of named IP groups with a longest-prefix lookup.
///
/// Rules (README "IP groups"): names 1–64 bytes, no white space or control characters, not
/// beginning with '#', unique; each group 1 to kMaxPrefixesPerGroup prefixes, none listed
/// twice in one group; at most `maxGroups` groups (default 32, at most 65535) and
/// kMaxGroupPrefixesTotal prefixes in all. Groups may overlap, and two groups may even list
/// the same prefix: an address belongs to **every** group with a prefix containing it, and
/// its *group* (the one shown next to it) is the group of the longest matching prefix; on
/// equally long matches the group defined first wins.
///
/// Lookup: one hash table per prefix length present, per family; an address is masked to
/// each present length, longest first, and looked up — at most 33 (IPv4) or 129 (IPv6)
/// probes, usually a handful. Thread: immutable after construction, so any number of
/// threads may look up at once; share it as std::shared_ptr<const IpGroupSet>.
class IpGroupSet {
 public:
  /// No groups.
  IpGroupSet() = default;

  /// Validates definitions (prefix texts parsed with IpPrefix::parse). Errors name the group
  /// and the prefix at fault: `group "lab": prefix "10.0.0.1/8" has host bits set ...`.
  static protocol::Result<IpGroupSet> create(const std::vector<protocol::GroupDefinition>& groups,
                                             std::uint32_t maxGroups = protocol::kDefaultMaxGroups);

  /// Parses the groups file format: one group per line, `name prefix [prefix...]`, fields
  /// separated by spaces or tabs; '#' starts a comment (whole line or after a field); blank
  /// lines are ignored; a name given on several lines collects the prefixes of all of them.
  /// Errors: "<sourceName>:<line>: <problem>".
  static protocol::Result<std::vector<protocol::GroupDefinition>> parseText(
      std::string_view text, std::string_view sourceName);
  /// Reads and parses a groups file, then validates it (create()).
  static protocol::Result<IpGroupSet> load(const std::string& file,
                                           std::uint32_t maxGroups = protocol::kDefaultMaxGroups);

  /// The definitions in file format (what load() reads back), with a header comment.
  std::string toText() const;

  const std::vector<protocol::GroupDefinition>& definitions() const { return m_definitions; }
  std::size_t size() const { return m_definitions.size(); }
  bool isEmpty() const { return m_definitions.empty(); }
  std::uint32_t maxGroups() const { return m_maxGroups; }
  /// Index of the group with this name, or nullopt.
  std::optional<std::size_t> indexOf(std::string_view name) const;

  /// Index of the most specific group containing `ip`, or -1 when none does.
  int mostSpecific(const net::IpAddress& ip) const;
  /// The name of that group, or "" when none contains `ip`.
  std::string groupNameOf(const net::IpAddress& ip) const;
  /// Appends the indices of every group containing `ip`, ascending and without duplicates.
  void allContaining(const net::IpAddress& ip, std::vector<std::uint32_t>& out) const;

  /// True when group `group` (an index) has a prefix containing `ip`.
  bool contains(std::size_t group, const net::IpAddress& ip) const;
  /// Sets HostRecord::group of every record (cleared when no group contains it).
  void annotate(std::vector<protocol::HostRecord>& hosts) const;
  /// Sets each connection's clientGroup and serverGroup the same way.
  void annotate(std::vector<protocol::ConnectionRecord>& connections) const;

  /// Per-group sums over `hosts` (normally the node's whole merged table), in definition
  /// order. `withMembers` fills GroupRecord::members. When `onlyGroup` is given only that
  /// group is returned (precondition: a valid index).
  std::vector<protocol::GroupRecord> statistics(const std::vector<protocol::HostRecord>& hosts,
                                                bool withMembers,
                                                std::optional<std::size_t> onlyGroup = {}) const;

 private:
  struct V6Key {
    std::uint64_t hi = 0;
    std::uint64_t lo = 0;
    friend bool operator==(const V6Key&, const V6Key&) = default;
  };
  struct V6KeyHash {
    std::size_t operator()(const V6Key& k) const noexcept {
      const std::uint64_t h = (k.hi ^ (k.lo * 0x9E3779B97F4A7C15ull)) * 0xBF58476D1CE4E5B9ull;
      return static_cast<std::size_t>(h ^ (h >> 31));
    }
  };
  /// Groups listing one prefix, in definition order (several when groups share a prefix).
  using GroupIndices = std::vector<std::uint32_t>;
  struct V4Level {
    std::uint8_t length = 0;
    std::unordered_map<std::uint32_t, GroupIndices> networks;
  };
  struct V6Level {
    std::uint8_t length = 0;
    std::unordered_map<V6Key, GroupIndices, V6KeyHash> networks;
  };

  void insert(const IpPrefix& prefix, std::uint32_t group);
  /// Calls fn(const GroupIndices&) for each matching prefix, longest first.
  template <class Fn>
  void forEachMatch(const net::IpAddress& ip, Fn&& fn) const;

  std::vector<protocol::GroupDefinition> m_definitions;  ///< canonical prefix texts
  std::uint32_t m_maxGroups = protocol::kDefaultMaxGroups;
  std::vector<V4Level> m_v4;  ///< longest length first
  std::vector<V6Level> m_v6;  ///< longest length first
};

}  // namespace netlens::net
