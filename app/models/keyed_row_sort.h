// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>

namespace netlens::app::models::detail {

/// A row with the 64-bit key it is sorted on.
struct KeyedRow {
  std::uint64_t key;
  int row;
};

/// Sorts `items[0, count)` by key, then by row: the order of a stable sort on the key when `items`
/// comes in ascending row order. Large inputs go through a least-significant-digit radix sort
/// (byte digits, skipping the bytes that all keys share), which costs a few sequential passes
/// instead of ~20 random-access comparisons per item. Thread: any; `items` is the caller's.
void sortKeyedRows(KeyedRow* items, std::size_t count);

}  // namespace netlens::app::models::detail
