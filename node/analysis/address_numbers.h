// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>

#include "node/analysis/host_table.h"
#include "node/analysis/lru_table.h"
#include "shared/net/ip_address.h"

namespace netlens::node::analysis {

/// 32-bit numbers for the addresses that do not fit a connection key's 4-byte address fields
/// (IPv6), so that the key of every connection takes 16 bytes instead of 42 (see
/// ConnectionKey). A number is counted by the connections holding it and given back when
/// the last one lets go; an address without connections has none.
///
/// Thread: not thread-safe; owned by one ConnectionAnalyzer (worker thread).
class AddressNumbers {
 public:
  static constexpr std::uint32_t kNone = 0xffffffffu;

  /// The number of `address`, giving it one (held by nothing yet: hold() it, or it stays
  /// until the next release() of its number) when it has none.
  std::uint32_t numberOf(const net::IpAddress& address) {
    bool inserted = false;
    return m_table.findOrInsert(address, inserted);
  }
  /// The number of `address`, or kNone.
  std::uint32_t find(const net::IpAddress& address) const {
    const std::uint32_t n = m_table.find(address);
    return n == Table::kNil ? kNone : n;
  }
  const net::IpAddress& address(std::uint32_t number) const { return m_table[number].address; }

  void hold(std::uint32_t number) { ++m_table[number].holders; }
  /// One holder fewer; the number is freed (and may name another address) at zero. A number
  /// already freed is left alone.
  void release(std::uint32_t number) {
    Entry& e = m_table[number];
    if (!e.isAlive) return;
    if (e.holders > 1) {
      --e.holders;
      return;
    }
    m_table.erase(number);
  }

  std::size_t size() const { return m_table.size(); }
  /// Bytes held by the table, for memory reports.
  std::size_t memoryBytes() const { return m_table.memoryBytes(); }

 private:
  struct Entry {
    net::IpAddress address;
    bool isAlive = false;
    bool isDirty = false;
    std::uint32_t lruPrev = 0;
    std::uint32_t lruNext = 0;
    std::uint32_t holders = 0;
  };
  struct Traits {
    using Key = net::IpAddress;
    static const Key& keyOf(const Entry& e) { return e.address; }
    static void setKey(Entry& e, const Key& k) { e.address = k; }
    static std::uint64_t hash(const Key& k) { return net::IpAddressHash{}(k); }
    static bool equal(const Key& x, const Key& y) { return isSameAddress(x, y); }
  };
  using Table = LruTable<Entry, Traits>;
  static_assert(Table::kNil == kNone);

  Table m_table{64};
};

}  // namespace netlens::node::analysis
