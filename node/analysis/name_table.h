// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "node/analysis/dhcp_names.h"
#include "node/analysis/dns_names.h"
#include "shared/net/ip_address.h"
#include "shared/protocol/messages.h"

namespace netlens::node::analysis {

/// Where a name was learned. Append only: the names are published.
enum class NameSource : std::uint8_t { Dns, Mdns, Llmnr, Dhcp };
/// "dns", "mdns", "llmnr", "dhcp".
std::string_view nameSourceName(NameSource source) noexcept;

/// Most names a table keeps per address or MAC (NameTableConfig::maxNamesPerKey is capped to it).
inline constexpr std::size_t kMaxNamesPerKey = 8;

struct NameTableConfig {
  /// Memory the table may use (entries, index and name text); the least recently updated
  /// address or MAC is evicted beyond it. Accounted generously (string capacities, index slots).
  std::size_t memoryBudgetBytes = std::size_t{16} << 20;
  /// Names kept per address or MAC, most recent first; the oldest one goes.
  std::size_t maxNamesPerKey = 4;
  /// Longer names are cut to this many bytes (at a UTF-8 character boundary).
  std::size_t maxNameLength = kMaxDnsNameLength;
};

/// One name of an address or MAC, copied out of the table.
struct LearnedName {
  std::string name;
  NameSource source = NameSource::Dns;
  protocol::TimeNs lastSeen = 0;  ///< packet time it was last seen for this key
};

/// What the table was fed, by parser status (index: the status value).
struct NameStats {
  std::array<std::uint64_t, kDnsStatusCount> dns{};
  std::array<std::uint64_t, kDhcpStatusCount> dhcp{};
  std::uint64_t namesLearned = 0;  ///< names that were new for their address or MAC
  std::uint64_t evictions = 0;     ///< addresses and MACs evicted under the memory budget

  std::uint64_t dnsMalformed() const;
  std::uint64_t dhcpMalformed() const;
};

/// The names of IP addresses and of MAC addresses, learned from DNS/mDNS/LLMNR answers and
/// DHCP messages: a few per key, most recent first, de-duplicated ignoring ASCII case, each
/// with its source and the packet time it was last seen. Bounded by a memory budget with
/// eviction of the least recently updated key.
///
/// DHCP: the host name (option 12) and client FQDN (option 81) go to the client's MAC, and to
/// the IP address DHCP ties to that MAC (DhcpMessage::boundAddress): directly when the same
/// message carries both, and across messages otherwise, in either order — a server's ACK gives
/// the address the names its client sent in DISCOVER/REQUEST; a name sent after a binding
/// (e.g. a RELEASE, then a DISCOVER) goes to the address last bound to that MAC.
///
/// Thread: single-threaded, owned by one worker. Allocates only while learning (a new name
/// longer than a string's inline buffer, the table growing towards its budget), i.e. per
/// DNS/DHCP message that teaches something, never per ordinary packet.
class NameTable {
 public:
  explicit NameTable(NameTableConfig config = {});

  /// Counts one parsed DNS packet by its status and learns every address record in `answers`
  /// (whatever the status: a TCP segment may hold complete messages before a damaged one).
  /// Not called for DnsStatus::NotDns.
  void learnDns(DnsStatus status, const DnsAnswers& answers, protocol::TimeNs ts);
  /// Counts one parsed DHCP packet by its status and, when Ok, learns its names. Not called
  /// for DhcpStatus::NotDhcp.
  void learnDhcp(DhcpStatus status, const DhcpMessage& message, protocol::TimeNs ts);

  /// Adds `name` as the most recent name of the key (moved to the front if known).
  void addName(const net::IpAddress& address, std::string_view name, NameSource source,
               protocol::TimeNs ts);
  void addName(const net::MacAddress& mac, std::string_view name, NameSource source,
               protocol::TimeNs ts);

  /// Appends copies of the names of `address` (most recent first) to `out`; returns how many.
  std::size_t namesOf(const net::IpAddress& address, std::vector<LearnedName>& out) const;
  std::size_t namesOf(const net::MacAddress& mac, std::vector<LearnedName>& out) const;

  /// Appends the addresses and MACs whose names changed since the previous call, evicted ones
  /// included (they have no names now), and resets the list. Cost: the changes, not the table.
  void collectChanges(std::vector<net::IpAddress>& addresses, std::vector<net::MacAddress>& macs);

  /// Addresses and MACs in the table.
  std::size_t size() const { return m_size; }
  /// Bytes used, as accounted against the budget.
  std::size_t memoryUsed() const;
  const NameStats& stats() const { return m_stats; }

 private:
  static constexpr std::uint32_t kNil = 0xffffffffu;
  static constexpr std::uint8_t kKindMac = 48;  ///< Key::kind of MACs; IPs use 4 and 6

  struct Key {
    std::array<std::uint8_t, 16> bytes{};
    std::uint8_t kind = 0;
    bool operator==(const Key&) const = default;
  };
  struct NameMeta {
    protocol::TimeNs lastSeen = 0;
    std::uint8_t length = 0;
    NameSource source = NameSource::Dns;
  };
  struct Entry {
    Key key;
    bool isAlive = false;
    bool isChanged = false;  ///< listed in m_changed
    std::uint8_t count = 0;
    std::uint32_t lruPrev = kNil;
    std::uint32_t lruNext = kNil;
    net::IpAddress boundAddress;  ///< MAC entries: the address DHCP last tied to the MAC
    std::array<NameMeta, kMaxNamesPerKey> names{};
    std::string text;  ///< the names back to back, most recent first
  };

  static Key keyOf(const net::IpAddress& address);
  static Key keyOf(const net::MacAddress& mac);
  static std::uint64_t hashOf(const Key& key);
  std::uint32_t find(const Key& key) const;
  std::uint32_t findOrInsert(const Key& key);
  void addName(std::uint32_t index, std::string_view name, NameSource source, protocol::TimeNs ts);
  void addNamesOfMac(const net::MacAddress& mac, const net::IpAddress& address,
                     protocol::TimeNs ts);
  std::size_t copyNames(std::uint32_t index, std::vector<LearnedName>& out) const;
  void markChanged(std::uint32_t index);
  void evictOldest();
  void enforceBudget(std::uint32_t keep);
  void erase(std::uint32_t index);
  void rehash(std::size_t slotCount);
  void lruUnlink(std::uint32_t index);
  void lruAppend(std::uint32_t index);

  NameTableConfig m_config;
  std::size_t m_maxEntries = 0;
  std::size_t m_textBudget = 0;  ///< the budget's share for name text
  std::vector<Entry> m_entries;  ///< indices stable while alive; free ones reused
  std::vector<std::uint32_t> m_free;
  std::vector<std::uint32_t> m_slots;  ///< entry index or kNil; power of two, load ≤ 1/2
  std::vector<std::uint32_t> m_changed;
  std::vector<Key> m_removed;  ///< evicted keys that had names, until collected
  std::size_t m_size = 0;
  std::size_t m_textBytes = 0;     ///< sum of the entries' string capacities
  std::uint32_t m_lruHead = kNil;  ///< least recently updated
  std::uint32_t m_lruTail = kNil;
  NameStats m_stats;
};

}  // namespace netlens::node::analysis
