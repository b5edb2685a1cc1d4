// SPDX-License-Identifier: MIT
#include "node/analysis/analysis_switches.h"

#include <algorithm>

namespace netlens::node::analysis {

const std::vector<std::string_view>& AnalysisSwitches::names() {
  static const std::vector<std::string_view> kNames{"connections", "layer7", "peer-history", "qos",
                                                    "tls-details"};
  return kNames;
}

bool* AnalysisSwitches::byName(std::string_view name) {
  bool* const switches[] = {&connections, &layer7, &peerHistory, &qos, &tlsDetails};
  for (std::size_t i = 0; i < names().size(); ++i) {
    if (names()[i] == name) return switches[i];
  }
  return nullptr;
}

bool AnalysisSwitches::disable(std::string_view list, std::string* problem) {
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    const std::string_view word = list.substr(start, comma - start);
    bool* flag = byName(word);
    if (flag == nullptr) {
      std::string known;
      for (std::string_view n : names()) known += (known.empty() ? "" : ", ") + std::string(n);
      *problem = word.empty() ? "--disable-analysis takes names separated by commas, without "
                                "empty ones (" +
                                    known + ")"
                              : "--disable-analysis: \"" + std::string(word) +
                                    "\" is not an analysis that can be turned off (" + known +
                                    "; several separated by commas)";
      return false;
    }
    *flag = false;
    start = comma + 1;
  }
  return true;
}

std::vector<std::string> AnalysisSwitches::offNames() const {
  AnalysisSwitches copy = *this;
  std::vector<std::string> out;
  for (std::string_view n : names()) {
    if (!*copy.byName(n)) out.emplace_back(n);
  }
  return out;
}

}  // namespace netlens::node::analysis
