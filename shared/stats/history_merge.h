// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/protocol/messages.h"

namespace netlens::stats {

/// How the values of one name of a history series combine, when a node adds up its workers'
/// parts and when the console adds up the nodes' replies: counters add up; a name with the
/// word "min" or "max" (e.g. "client_rtt_min_ns") is an extreme, where 0 means "no value in
/// this bucket" (so a minimum of two parts is the smaller of those that are not 0).
enum class HistoryCombine : std::uint8_t { Sum, Min, Max };

HistoryCombine historyCombineOf(std::string_view name);

/// `a` and `b` combined as `how` says (an extreme's 0 being "no value").
inline std::uint64_t combineHistoryValues(HistoryCombine how, std::uint64_t a, std::uint64_t b) {
  switch (how) {
    case HistoryCombine::Max:
      return a > b ? a : b;
    case HistoryCombine::Min:
      return a == 0 ? b : b == 0 ? a : a < b ? a : b;
    case HistoryCombine::Sum:
      break;
  }
  return a + b;
}

/// historyCombineOf() of each name.
std::vector<HistoryCombine> historyCombinesOf(const std::vector<std::string>& names);

/// Adds `part` to `sum`, bucket by bucket, value i as `combine[i]` says (historyCombinesOf()
/// of the series' names; Sum past its end). Both are contiguous, oldest first, buckets
/// `widthNs` wide; they are lined up by their start times (windows read at different moments
/// may end at different buckets), and a bucket that only one of them has counts as zeros in
/// the other.
void addHistoryBuckets(const std::vector<HistoryCombine>& combine,
                       std::vector<protocol::HistoryBucket>& sum,
                       std::vector<protocol::HistoryBucket> part, protocol::TimeNs widthNs);

}  // namespace netlens::stats
