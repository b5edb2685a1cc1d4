// SPDX-License-Identifier: MIT
// HostTableModel's comparisons for sorting, on cached per-row keys.
#include <algorithm>
#include <bit>

#include "app/models/host_row.h"
#include "app/models/host_table_model.h"

namespace netlens::app::models {

namespace {

using detail::columnCounter;
using detail::columnTime;
using detail::isTimeColumn;

/// The bits of `v` as an unsigned number in the order of the doubles.
std::uint64_t orderedBits(double v) {
  if (v == 0) v = 0;  // -0.0 and 0.0 are equal, so their keys must be too
  const auto bits = std::bit_cast<std::uint64_t>(v);
  return (bits >> 63) != 0 ? ~bits : bits | (1ull << 63);
}

/// Any text sorts after none (null, key 0), then by its first seven bytes, compared unsigned
/// as std::string does; equal keys are settled by the values themselves (lessThan).
std::uint64_t textKey(const std::string* text) {
  if (text == nullptr) return 0;
  std::uint64_t key = 1ull << 63;
  for (std::size_t i = 0; i < 7 && i < text->size(); ++i)
    key |= static_cast<std::uint64_t>(static_cast<unsigned char>((*text)[i])) << (48 - 8 * i);
  return key;
}

/// The bytes [offset, offset + 8) of `text` as a big-endian number, zeros past its end.
std::uint64_t textBytesKey(const std::string& text, std::size_t offset) {
  std::uint64_t key = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    const std::size_t at = offset + i;
    if (at < text.size())
      key |= static_cast<std::uint64_t>(static_cast<unsigned char>(text[at])) << (56 - 8 * i);
  }
  return key;
}

/// Levels of sub-keys of a text column: 7 + 4 × 8 = 39 bytes before the values decide.
constexpr int kTextSubKeyLevels = 4;

/// textKey()'s continuation at `level`; false when the keys up to it hold all of `text`.
/// Zeros past the end order a text before its longer continuations; a text holding a zero
/// byte is never held whole, so that equal keys always mean equal texts.
bool textSubKey(const std::string& text, int level, bool moreAfter, std::uint64_t* key) {
  const std::size_t offset = 7 + 8 * static_cast<std::size_t>(level - 1);
  *key = textBytesKey(text, offset);
  return moreAfter || text.size() > offset + 8 || text.find('\0') != std::string::npos;
}

}  // namespace

int HostTableModel::sortSubKeyLevels(int column) {
  switch (column) {
    case Address:
      return 2;
    case Names:
    case Group:
    case Country:
    case Vendors:
      return kTextSubKeyLevels;
    default:
      return 0;
  }
}

bool HostTableModel::sortSubKey(int row, int column, int level, std::uint64_t* key) const {
  *key = 0;
  // Key 0 is the empty text or list: nothing more to read.
  if (m_sortKeyColumn == column && m_sortKeys[static_cast<std::size_t>(row)] == 0) return false;
  const Row& r = rowAt(row);
  switch (column) {
    case Address: {
      // Level 0 holds the family and bytes 0..6; level 1 bytes 7..14, level 2 byte 15.
      const auto& bytes = r.key.ip.bytes;
      if (level == 1) {
        for (std::size_t i = 0; i < 8; ++i)
          *key |= static_cast<std::uint64_t>(bytes[7 + i]) << (56 - 8 * i);
        return true;
      }
      *key = static_cast<std::uint64_t>(bytes[15]) << 56;
      return false;
    }
    case Names:
      if (r.record.names.empty()) return false;
      return textSubKey(r.record.names.front(), level, r.record.names.size() > 1, key);
    case Group:
      return textSubKey(r.record.group, level, false, key);
    case Country:
      return textSubKey(r.record.country, level, false, key);
    case Vendors:
      if (r.record.macVendors.empty()) return false;
      return textSubKey(r.record.macVendors.front(), level, r.record.macVendors.size() > 1, key);
    default:
      return false;
  }
}

bool HostTableModel::lessThan(int leftRow, int rightRow, int column) const {
  ensureSortKeys(column);
  const std::uint64_t a = m_sortKeys[static_cast<std::size_t>(leftRow)];
  const std::uint64_t b = m_sortKeys[static_cast<std::size_t>(rightRow)];
  // Keys of numbers, times and node lists are exact; keys of addresses and of the other
  // lists hold a prefix ordered like the whole value, so only equal keys need the rows
  // themselves, except 0, which in a list column is the empty list.
  if (a != b || a == 0 || !isPrefixKey(column)) return a < b;
  const Row& l = rowAt(leftRow);
  const Row& r = rowAt(rightRow);
  switch (column) {
    case Address:
      return l.key.ip < r.key.ip;
    case Macs:
      return l.record.macs < r.record.macs;
    case Vlans:
      return l.record.vlans < r.record.vlans;
    case Names:
      return l.record.names < r.record.names;
    case Group:
      return l.record.group < r.record.group;
    case Country:
      return l.record.country < r.record.country;
    case Vendors:
      return l.record.macVendors < r.record.macVendors;
    default:
      return false;
  }
}

const std::vector<std::uint64_t>& HostTableModel::sortKeys(int column) const {
  ensureSortKeys(column);
  return m_sortKeys;
}

bool HostTableModel::isPrefixKey(int column) {
  return column == Address || column == Macs || column == Vlans || column == Names ||
         column == Group || column == Country || column == Vendors;
}

std::uint64_t HostTableModel::sortKey(const Row& row, int column) const {
  const auto& r = row.record;
  switch (column) {
    case Address: {
      const net::IpAddress& ip = row.key.ip;
      std::uint64_t key = static_cast<std::uint64_t>(ip.family) << 56;
      for (int i = 0; i < 7; ++i)
        key |= static_cast<std::uint64_t>(ip.bytes[static_cast<std::size_t>(i)]) << (48 - 8 * i);
      return key;
    }
    case Nodes: {
      // The rank of the row's node names among all of them (see ensureSortKeys).
      auto rank = m_nodeRanks.find(row.nodeSlots);
      return rank != m_nodeRanks.end() ? rank->second : 0;
    }
    case Macs: {
      // Any list sorts after the empty one, then by its first MAC.
      if (r.macs.empty()) return 0;
      std::uint64_t key = 1ull << 48;
      for (int i = 0; i < 6; ++i)
        key |= static_cast<std::uint64_t>(r.macs.front().bytes[static_cast<std::size_t>(i)])
               << (40 - 8 * i);
      return key;
    }
    case Vlans:
      return r.vlans.empty() ? 0 : 1 + static_cast<std::uint64_t>(r.vlans.front());
    case Names:
      return textKey(r.names.empty() ? nullptr : &r.names.front());
    case Group:
      return textKey(r.group.empty() ? nullptr : &r.group);
    case Country:
      return textKey(r.country.empty() ? nullptr : &r.country);
    case Vendors:
      return textKey(r.macVendors.empty() ? nullptr : &r.macVendors.front());
    case PacketRate:
      return orderedBits(r.packetsPerSecond);
    case BitRate:
      return orderedBits(r.bitsPerSecond);
    case Trend:
      return orderedBits(trendMean(row.key));
    default:
      break;
  }
  if (isTimeColumn(column)) return static_cast<std::uint64_t>(columnTime(r, column)) ^ (1ull << 63);
  return columnCounter(r, column);
}

void HostTableModel::ensureSortKeys(int column) const {
  const std::size_t count = rows().size();
  if (column != m_sortKeyColumn || m_sortKeys.size() > count) {
    m_sortKeys.clear();
    m_sortKeyColumn = column;
  }
  if (m_sortKeys.size() == count) return;
  if (column == Nodes && (m_sortKeys.empty() || !hasNodeRanks(m_sortKeys.size()))) {
    // Node names are few and long: rank each distinct list once, so that comparing rows
    // compares two integers instead of building and case-folding two strings.
    m_sortKeys.clear();
    m_nodeRanks.clear();
    for (const auto& row : rows()) m_nodeRanks.emplace(row->nodeSlots, 0);
    std::vector<std::pair<QString, const std::vector<int>*>> names;
    names.reserve(m_nodeRanks.size());
    for (const auto& [nodeList, unranked] : m_nodeRanks) {
      Row probe;
      probe.nodeSlots = nodeList;
      names.emplace_back(nodeNames(probe), &nodeList);
    }
    std::sort(names.begin(), names.end(), [](const auto& a, const auto& b) {
      return a.first.compare(b.first, Qt::CaseInsensitive) < 0;
    });
    std::uint64_t rank = 0;
    for (std::size_t i = 0; i < names.size(); ++i) {
      // Names that compare equal share a rank, so that the sort keeps them stable.
      if (i > 0 && names[i - 1].first.compare(names[i].first, Qt::CaseInsensitive) != 0) ++rank;
      m_nodeRanks[*names[i].second] = rank;
    }
  }
  // Rows are only ever appended between drops, so new rows extend the keys at the end.
  m_sortKeys.reserve(count);
  for (std::size_t i = m_sortKeys.size(); i < count; ++i)
    m_sortKeys.push_back(sortKey(*rows()[i], column));
}

bool HostTableModel::hasNodeRanks(std::size_t firstRow) const {
  for (std::size_t i = firstRow; i < rows().size(); ++i) {
    if (!m_nodeRanks.contains(rows()[i]->nodeSlots)) return false;
  }
  return true;
}

void HostTableModel::dropSortKeys() {
  m_nodeRanks.clear();
  m_sortKeys.clear();
  m_sortKeys.shrink_to_fit();
  m_sortKeyColumn = -1;
}

}  // namespace netlens::app::models
