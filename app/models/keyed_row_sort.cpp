// SPDX-License-Identifier: MIT
#include "app/models/keyed_row_sort.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>
#include <vector>

namespace netlens::app::models::detail {

namespace {

/// Below this size a comparison sort beats the radix sort's fixed cost (its counters).
constexpr std::size_t kRadixThreshold = 4096;

bool keyedRowLess(const KeyedRow& a, const KeyedRow& b) {
  return a.key != b.key ? a.key < b.key : a.row < b.row;
}

}  // namespace

void sortKeyedRows(KeyedRow* items, std::size_t count) {
  if (count < 2) return;
  if (count < kRadixThreshold ||
      !std::is_sorted(items, items + count,
                      [](const KeyedRow& a, const KeyedRow& b) { return a.row < b.row; })) {
    // The radix sort is stable, so it needs the rows ascending to order ties by row.
    std::sort(items, items + count, keyedRowLess);
    return;
  }
  // One pass counts all eight digits; a digit that every key shares (the high bytes of
  // counters, the sign and century of times) needs no pass of its own.
  std::array<std::array<std::size_t, 256>, 8> counts{};
  for (const KeyedRow& item : std::span(items, count)) {
    for (std::size_t digit = 0; digit < 8; ++digit)
      ++counts[digit][(item.key >> (8 * digit)) & 0xff];
  }
  std::vector<KeyedRow> buffer(count);
  KeyedRow* from = items;
  KeyedRow* to = buffer.data();
  for (std::size_t digit = 0; digit < 8; ++digit) {
    std::array<std::size_t, 256>& bucket = counts[digit];
    if (std::any_of(bucket.begin(), bucket.end(), [&](std::size_t n) { return n == count; }))
      continue;
    std::size_t offset = 0;
    for (std::size_t& n : bucket) {
      const std::size_t size = n;
      n = offset;
      offset += size;
    }
    const unsigned shift = static_cast<unsigned>(8 * digit);
    for (std::size_t i = 0; i < count; ++i) to[bucket[(from[i].key >> shift) & 0xff]++] = from[i];
    std::swap(from, to);
  }
  if (from != items) std::copy(from, from + count, items);
}

}  // namespace netlens::app::models::detail
