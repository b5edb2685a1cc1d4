// SPDX-License-Identifier: MIT
#include "node/analysis/name_table.h"

#include <algorithm>
#include <cstring>

namespace netlens::node::analysis {

namespace {

/// Text bytes assumed per entry when the budget is turned into an entry count.
constexpr std::size_t kAssumedTextBytes = 64;

/// Heap bytes of a string: nothing while its text fits the inline buffer.
std::size_t heapBytes(const std::string& s) {
  static const std::size_t inlineCapacity = std::string().capacity();
  return s.capacity() > inlineCapacity ? s.capacity() : 0;
}

bool equalsIgnoringCase(const char* a, std::string_view b) {
  for (std::size_t i = 0; i < b.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + ('a' - 'A'));
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + ('a' - 'A'));
    if (x != y) return false;
  }
  return true;
}

/// `name` cut to `max` bytes without splitting a UTF-8 character.
std::string_view cut(std::string_view name, std::size_t max) {
  if (name.size() <= max) return name;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(name[n]) & 0xc0) == 0x80) --n;
  return name.substr(0, n);
}

}  // namespace

std::string_view nameSourceName(NameSource source) noexcept {
  switch (source) {
    case NameSource::Dns:
      return "dns";
    case NameSource::Mdns:
      return "mdns";
    case NameSource::Llmnr:
      return "llmnr";
    case NameSource::Dhcp:
      return "dhcp";
  }
  return "unknown";
}

std::uint64_t NameStats::dnsMalformed() const {
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < dns.size(); ++i) {
    if (isMalformed(static_cast<DnsStatus>(i))) n += dns[i];
  }
  return n;
}

std::uint64_t NameStats::dhcpMalformed() const {
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < dhcp.size(); ++i) {
    if (isMalformed(static_cast<DhcpStatus>(i))) n += dhcp[i];
  }
  return n;
}

NameTable::NameTable(NameTableConfig config) : m_config(config) {
  m_config.maxNamesPerKey = std::clamp<std::size_t>(config.maxNamesPerKey, 1, kMaxNamesPerKey);
  // NameMeta::length is one octet.
  m_config.maxNameLength = std::clamp<std::size_t>(config.maxNameLength, 1, 255);
  // An entry costs itself, up to four index slots (the load stays between 1/4 and 1/2), its
  // share of the bookkeeping lists (at most twice their size in capacity) and its text. The
  // text part of the budget is what the fixed parts of a full table leave over.
  constexpr std::size_t kBookkeeping =
      2 * (2 * sizeof(std::uint32_t) + sizeof(Key) + sizeof(std::uint32_t));
  constexpr std::size_t kFixedPerEntry = sizeof(Entry) + 4 * sizeof(std::uint32_t) + kBookkeeping;
  constexpr std::size_t kConstantPart = 4096;  // minimum index size, list headroom
  const std::size_t usable = m_config.memoryBudgetBytes > 2 * kConstantPart
                                 ? m_config.memoryBudgetBytes - kConstantPart
                                 : m_config.memoryBudgetBytes / 2;
  m_maxEntries = std::max<std::size_t>(1, usable / (kFixedPerEntry + kAssumedTextBytes));
  m_textBudget =
      usable > m_maxEntries * kFixedPerEntry ? usable - m_maxEntries * kFixedPerEntry : 0;
  rehash(64);
}

NameTable::Key NameTable::keyOf(const net::IpAddress& address) {
  Key k;
  k.bytes = address.bytes;
  k.kind = address.family;
  return k;
}

NameTable::Key NameTable::keyOf(const net::MacAddress& mac) {
  Key k;
  std::memcpy(k.bytes.data(), mac.bytes.data(), mac.bytes.size());
  k.kind = kKindMac;
  return k;
}

std::uint64_t NameTable::hashOf(const Key& key) {
  std::uint64_t lo = 0;
  std::uint64_t hi = 0;
  std::memcpy(&lo, key.bytes.data(), 8);
  std::memcpy(&hi, key.bytes.data() + 8, 8);
  // A full finaliser: with one multiply and one shift, addresses that differ only in their
  // upper bytes (2001:db8:0:N::1) all fell into one slot and the table degenerated into a list.
  std::uint64_t h = (lo ^ (hi * 0x9E3779B97F4A7C15ull) ^ key.kind) * 0xBF58476D1CE4E5B9ull;
  h ^= h >> 29;
  h *= 0x94D049BB133111EBull;
  return h ^ (h >> 32);
}

std::uint32_t NameTable::find(const Key& key) const {
  const std::size_t mask = m_slots.size() - 1;
  for (std::size_t i = hashOf(key) & mask; m_slots[i] != kNil; i = (i + 1) & mask) {
    if (m_entries[m_slots[i]].key == key) return m_slots[i];
  }
  return kNil;
}

std::uint32_t NameTable::findOrInsert(const Key& key) {
  const std::uint32_t found = find(key);
  if (found != kNil) {
    lruUnlink(found);
    lruAppend(found);
    return found;
  }
  while (m_size >= m_maxEntries) evictOldest();
  if ((m_size + 1) * 2 > m_slots.size()) rehash(m_slots.size() * 2);
  std::uint32_t index = kNil;
  if (!m_free.empty()) {
    index = m_free.back();
    m_free.pop_back();
  } else {
    if (m_entries.size() == m_entries.capacity()) {
      m_entries.reserve(std::min(m_maxEntries, std::max<std::size_t>(64, m_entries.size() * 2)));
    }
    m_entries.emplace_back();
    index = static_cast<std::uint32_t>(m_entries.size() - 1);
  }
  Entry& e = m_entries[index];
  e.key = key;
  e.isAlive = true;
  e.isChanged = false;
  e.count = 0;
  e.boundAddress = net::IpAddress{};
  const std::size_t mask = m_slots.size() - 1;
  std::size_t i = hashOf(key) & mask;
  while (m_slots[i] != kNil) i = (i + 1) & mask;
  m_slots[i] = index;
  lruAppend(index);
  ++m_size;
  return index;
}

void NameTable::erase(std::uint32_t index) {
  Entry& e = m_entries[index];
  const std::size_t mask = m_slots.size() - 1;
  std::size_t i = hashOf(e.key) & mask;
  while (m_slots[i] != index) i = (i + 1) & mask;
  m_slots[i] = kNil;
  // Backward-shift deletion: move later members of the probe run into the hole unless their
  // home slot lies cyclically in (hole, their slot].
  for (std::size_t j = (i + 1) & mask; m_slots[j] != kNil; j = (j + 1) & mask) {
    const std::size_t home = hashOf(m_entries[m_slots[j]].key) & mask;
    const bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
    if (!stays) {
      m_slots[i] = m_slots[j];
      m_slots[j] = kNil;
      i = j;
    }
  }
  lruUnlink(index);
  if ((e.count != 0 || e.isChanged) && m_removed.size() < m_maxEntries) m_removed.push_back(e.key);
  m_textBytes -= heapBytes(e.text);
  std::string().swap(e.text);  // give the memory back: the budget counts it
  e.isAlive = false;
  e.isChanged = false;
  e.count = 0;
  m_free.push_back(index);
  --m_size;
}

void NameTable::evictOldest() {
  if (m_lruHead == kNil) return;
  erase(m_lruHead);
  ++m_stats.evictions;
}

void NameTable::enforceBudget(std::uint32_t keep) {
  // `keep` was just updated, so it is the newest entry and the last one to go.
  while (m_textBytes > m_textBudget && m_size > 1 && m_lruHead != keep) evictOldest();
}

void NameTable::rehash(std::size_t slotCount) {
  m_slots.assign(slotCount, kNil);
  const std::size_t mask = slotCount - 1;
  for (std::uint32_t index = 0; index < m_entries.size(); ++index) {
    if (!m_entries[index].isAlive) continue;
    std::size_t i = hashOf(m_entries[index].key) & mask;
    while (m_slots[i] != kNil) i = (i + 1) & mask;
    m_slots[i] = index;
  }
}

void NameTable::lruUnlink(std::uint32_t index) {
  Entry& e = m_entries[index];
  if (e.lruPrev != kNil) {
    m_entries[e.lruPrev].lruNext = e.lruNext;
  } else {
    m_lruHead = e.lruNext;
  }
  if (e.lruNext != kNil) {
    m_entries[e.lruNext].lruPrev = e.lruPrev;
  } else {
    m_lruTail = e.lruPrev;
  }
  e.lruPrev = e.lruNext = kNil;
}

void NameTable::lruAppend(std::uint32_t index) {
  Entry& e = m_entries[index];
  e.lruPrev = m_lruTail;
  e.lruNext = kNil;
  if (m_lruTail != kNil) {
    m_entries[m_lruTail].lruNext = index;
  } else {
    m_lruHead = index;
  }
  m_lruTail = index;
}

void NameTable::markChanged(std::uint32_t index) {
  Entry& e = m_entries[index];
  if (e.isChanged) return;
  e.isChanged = true;
  if (m_changed.size() >= 2 * m_maxEntries + 64) {
    // Nobody collects, and evicted entries' indices were reused: list each changed one once.
    m_changed.clear();
    for (std::uint32_t i = 0; i < m_entries.size(); ++i) {
      if (m_entries[i].isAlive && m_entries[i].isChanged && i != index) m_changed.push_back(i);
    }
  }
  m_changed.push_back(index);
}

void NameTable::addName(std::uint32_t index, std::string_view name, NameSource source,
                        protocol::TimeNs ts) {
  Entry& e = m_entries[index];
  std::size_t offset = 0;
  int found = -1;
  for (std::size_t i = 0; i < e.count; ++i) {
    if (e.names[i].length == name.size() && equalsIgnoringCase(e.text.data() + offset, name)) {
      found = static_cast<int>(i);
      break;
    }
    offset += e.names[i].length;
  }
  if (found == 0 && std::memcmp(e.text.data(), name.data(), name.size()) == 0) {
    // Already the newest name, spelled alike: only refreshed.
    NameMeta& m = e.names[0];
    m.lastSeen = std::max(m.lastSeen, ts);
    if (m.source != source) {
      m.source = source;
      markChanged(index);
    }
    return;
  }
  const std::size_t heapBefore = heapBytes(e.text);
  protocol::TimeNs lastSeen = ts;
  if (found >= 0) {
    lastSeen = std::max(lastSeen, e.names[found].lastSeen);
    e.text.erase(offset, e.names[found].length);
    for (std::size_t i = found; i + 1 < e.count; ++i) e.names[i] = e.names[i + 1];
    --e.count;
  } else {
    ++m_stats.namesLearned;
    if (e.count == m_config.maxNamesPerKey) {
      // Full: the name seen longest ago (packet time; on a tie the one later in the
      // alphabet) makes room, or the new one is dropped if it is older still. Deciding by
      // packet time keeps the outcome independent of which worker learned a name first.
      std::size_t victim = 0;
      std::size_t victimOffset = 0;
      std::string_view victimName;
      std::size_t at = 0;
      for (std::size_t i = 0; i < e.count; ++i) {
        const std::string_view n(e.text.data() + at, e.names[i].length);
        if (i == 0 || e.names[i].lastSeen < e.names[victim].lastSeen ||
            (e.names[i].lastSeen == e.names[victim].lastSeen && n > victimName)) {
          victim = i;
          victimOffset = at;
          victimName = n;
        }
        at += e.names[i].length;
      }
      if (ts < e.names[victim].lastSeen || (ts == e.names[victim].lastSeen && name > victimName)) {
        return;  // older than everything kept
      }
      e.text.erase(victimOffset, e.names[victim].length);
      for (std::size_t i = victim; i + 1 < e.count; ++i) e.names[i] = e.names[i + 1];
      --e.count;
    }
  }
  e.text.insert(0, name);
  for (std::size_t i = e.count; i > 0; --i) e.names[i] = e.names[i - 1];
  e.names[0] = {lastSeen, static_cast<std::uint8_t>(name.size()), source};
  ++e.count;
  m_textBytes = m_textBytes - heapBefore + heapBytes(e.text);
  markChanged(index);
  enforceBudget(index);
}

void NameTable::addName(const net::IpAddress& address, std::string_view name, NameSource source,
                        protocol::TimeNs ts) {
  name = cut(name, m_config.maxNameLength);
  if (name.empty() || !address.isValid()) return;
  addName(findOrInsert(keyOf(address)), name, source, ts);
}

void NameTable::addName(const net::MacAddress& mac, std::string_view name, NameSource source,
                        protocol::TimeNs ts) {
  name = cut(name, m_config.maxNameLength);
  if (name.empty()) return;
  addName(findOrInsert(keyOf(mac)), name, source, ts);
}

void NameTable::addNamesOfMac(const net::MacAddress& mac, const net::IpAddress& address,
                              protocol::TimeNs ts) {
  const std::uint32_t index = find(keyOf(mac));
  if (index == kNil || m_entries[index].count == 0) return;
  // Copied out first: adding to the address may evict the MAC's entry.
  struct Copy {
    std::array<char, 255> text;
    std::size_t length;
    NameSource source;
  };
  std::array<Copy, kMaxNamesPerKey> copies;
  const Entry& e = m_entries[index];
  std::size_t offset = 0;
  for (std::size_t i = 0; i < e.count; ++i) {
    copies[i].length = e.names[i].length;
    copies[i].source = e.names[i].source;
    std::memcpy(copies[i].text.data(), e.text.data() + offset, e.names[i].length);
    offset += e.names[i].length;
  }
  // Oldest first, so that the address ends up with the MAC's order.
  for (std::size_t i = e.count; i-- > 0;) {
    addName(address, {copies[i].text.data(), copies[i].length}, copies[i].source, ts);
  }
}

void NameTable::learnDns(DnsStatus status, const DnsAnswers& answers, protocol::TimeNs ts) {
  ++m_stats.dns[static_cast<std::size_t>(status)];
  NameSource source = NameSource::Dns;
  if (answers.protocol() == DnsProtocol::Mdns) source = NameSource::Mdns;
  if (answers.protocol() == DnsProtocol::Llmnr) source = NameSource::Llmnr;
  for (std::size_t i = 0; i < answers.size(); ++i) {
    const DnsAddressRecord r = answers[i];
    addName(r.address, r.name, source, ts);
    // Added last, so that the name that was asked for comes first.
    if (!r.queriedName.empty()) addName(r.address, r.queriedName, source, ts);
  }
}

void NameTable::learnDhcp(DhcpStatus status, const DhcpMessage& message, protocol::TimeNs ts) {
  ++m_stats.dhcp[static_cast<std::size_t>(status)];
  if (status != DhcpStatus::Ok) return;
  // The FQDN first, so that the host name (option 12) ends up as the most recent name.
  std::array<std::string_view, 2> names;
  std::size_t count = 0;
  if (message.fqdnLength != 0) names[count++] = message.fqdnView();
  if (message.hostNameLength != 0) names[count++] = message.hostNameView();

  if (message.hasClientMac) {
    for (std::size_t i = 0; i < count; ++i) {
      addName(message.clientMac, names[i], NameSource::Dhcp, ts);
    }
  }
  const net::IpAddress bound = message.boundAddress();
  if (bound.isValid()) {
    if (count != 0) {
      for (std::size_t i = 0; i < count; ++i) addName(bound, names[i], NameSource::Dhcp, ts);
    } else if (message.hasClientMac) {
      addNamesOfMac(message.clientMac, bound, ts);
    }
    // Remembered for a name that comes later in another message of this client.
    if (message.hasClientMac)
      m_entries[findOrInsert(keyOf(message.clientMac))].boundAddress = bound;
  } else if (count != 0 && message.hasClientMac) {
    const std::uint32_t index = find(keyOf(message.clientMac));
    if (index != kNil && m_entries[index].boundAddress.isValid()) {
      const net::IpAddress earlier = m_entries[index].boundAddress;
      for (std::size_t i = 0; i < count; ++i) addName(earlier, names[i], NameSource::Dhcp, ts);
    }
  }
}

std::size_t NameTable::copyNames(std::uint32_t index, std::vector<LearnedName>& out) const {
  if (index == kNil) return 0;
  const Entry& e = m_entries[index];
  std::size_t offset = 0;
  for (std::size_t i = 0; i < e.count; ++i) {
    out.push_back(
        {e.text.substr(offset, e.names[i].length), e.names[i].source, e.names[i].lastSeen});
    offset += e.names[i].length;
  }
  return e.count;
}

std::size_t NameTable::namesOf(const net::IpAddress& address, std::vector<LearnedName>& out) const {
  return copyNames(find(keyOf(address)), out);
}

std::size_t NameTable::namesOf(const net::MacAddress& mac, std::vector<LearnedName>& out) const {
  return copyNames(find(keyOf(mac)), out);
}

void NameTable::collectChanges(std::vector<net::IpAddress>& addresses,
                               std::vector<net::MacAddress>& macs) {
  auto emit = [&](const Key& k) {
    if (k.kind == kKindMac) {
      net::MacAddress mac;
      std::memcpy(mac.bytes.data(), k.bytes.data(), mac.bytes.size());
      macs.push_back(mac);
    } else {
      net::IpAddress a;
      a.bytes = k.bytes;
      a.family = k.kind;
      addresses.push_back(a);
    }
  };
  for (const std::uint32_t index : m_changed) {
    Entry& e = m_entries[index];
    if (!e.isAlive || !e.isChanged) continue;  // evicted (listed in m_removed) or listed twice
    e.isChanged = false;
    emit(e.key);
  }
  for (const Key& k : m_removed) emit(k);
  m_changed.clear();
  m_removed.clear();
}

std::size_t NameTable::memoryUsed() const {
  return m_entries.capacity() * sizeof(Entry) + m_slots.capacity() * sizeof(std::uint32_t) +
         m_free.capacity() * sizeof(std::uint32_t) + m_changed.capacity() * sizeof(std::uint32_t) +
         m_removed.capacity() * sizeof(Key) + m_textBytes;
}

}  // namespace netlens::node::analysis
