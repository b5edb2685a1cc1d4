// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <utility>
#include <vector>

namespace netlens::app::models {

/// Sorts `rows` and groups them into runs of consecutive rows, [first, last] ascending: the
/// ranges a model announces to views in one begin/end call each.
inline std::vector<std::pair<int, int>> contiguousRanges(std::vector<int>& rows) {
  std::sort(rows.begin(), rows.end());
  std::vector<std::pair<int, int>> ranges;
  for (int row : rows) {
    if (!ranges.empty() && ranges.back().second + 1 == row) {
      ranges.back().second = row;
    } else {
      ranges.emplace_back(row, row);
    }
  }
  return ranges;
}

}  // namespace netlens::app::models
