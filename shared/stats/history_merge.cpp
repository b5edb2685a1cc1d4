// SPDX-License-Identifier: MIT
#include "shared/stats/history_merge.h"

namespace netlens::stats {

HistoryCombine historyCombineOf(std::string_view name) {
  const auto hasWord = [&](std::string_view word) {
    for (std::size_t at = name.find(word); at != std::string_view::npos;
         at = name.find(word, at + 1)) {
      const bool startsWord = at == 0 || name[at - 1] == '_';
      const std::size_t end = at + word.size();
      const bool endsWord = end == name.size() || name[end] == '_';
      if (startsWord && endsWord) return true;
    }
    return false;
  };
  if (hasWord("min")) return HistoryCombine::Min;
  if (hasWord("max")) return HistoryCombine::Max;
  return HistoryCombine::Sum;
}

std::vector<HistoryCombine> historyCombinesOf(const std::vector<std::string>& names) {
  std::vector<HistoryCombine> out;
  out.reserve(names.size());
  for (const std::string& name : names) out.push_back(historyCombineOf(name));
  return out;
}

void addHistoryBuckets(const std::vector<HistoryCombine>& combine,
                       std::vector<protocol::HistoryBucket>& sum,
                       std::vector<protocol::HistoryBucket> part, protocol::TimeNs widthNs) {
  if (part.empty()) return;
  if (sum.empty()) {
    sum = std::move(part);
    return;
  }
  const std::size_t values = sum.front().values.size();
  std::vector<protocol::HistoryBucket> before;
  for (protocol::TimeNs t = part.front().start; t < sum.front().start; t += widthNs)
    before.push_back({t, std::vector<std::uint64_t>(values, 0)});
  if (!before.empty()) sum.insert(sum.begin(), before.begin(), before.end());
  while (sum.back().start < part.back().start)
    sum.push_back({sum.back().start + widthNs, std::vector<std::uint64_t>(values, 0)});
  const std::size_t offset =
      static_cast<std::size_t>((part.front().start - sum.front().start) / widthNs);
  for (std::size_t i = 0; i < part.size(); ++i) {
    auto& into = sum[offset + i].values;
    const auto& from = part[i].values;
    for (std::size_t k = 0; k < into.size() && k < from.size(); ++k) {
      const HistoryCombine how = k < combine.size() ? combine[k] : HistoryCombine::Sum;
      into[k] = combineHistoryValues(how, into[k], from[k]);
    }
  }
}

}  // namespace netlens::stats
