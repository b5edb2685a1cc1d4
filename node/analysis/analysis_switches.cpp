// SPDX-License-Identifier: MIT
#include "node/analysis/analysis_switches.h"

#include <algorithm>
#include <iterator>

#include "shared/protocol/param_text.h"

namespace netlens::node::analysis {

namespace {

/// Every switch: its name and its member, in the order of names().
struct Switch {
  std::string_view name;
  bool AnalysisSwitches::*member;
};
constexpr Switch kSwitches[] = {{"connections", &AnalysisSwitches::connections},
                                {"layer7", &AnalysisSwitches::layer7},
                                {"peer-history", &AnalysisSwitches::peerHistory},
                                {"qos", &AnalysisSwitches::qos},
                                {"tls-details", &AnalysisSwitches::tlsDetails}};

}  // namespace

const std::vector<std::string_view>& AnalysisSwitches::names() {
  static const std::vector<std::string_view> kNames = [] {
    std::vector<std::string_view> out;
    for (const Switch& s : kSwitches) out.push_back(s.name);
    return out;
  }();
  return kNames;
}

bool AnalysisSwitches::disable(std::string_view list, std::string* problem) {
  std::string known;
  for (std::string_view n : names()) known += (known.empty() ? "" : ", ") + std::string(n);
  const std::vector<std::string> words = protocol::splitCommas(std::string(list));
  // splitCommas leaves empty names out: one word fewer than commas + 1 means there was one.
  if (words.size() != static_cast<std::size_t>(std::count(list.begin(), list.end(), ',')) + 1) {
    *problem =
        "--disable-analysis takes names separated by commas, without empty ones (" + known + ")";
    return false;
  }
  for (const std::string& word : words) {
    const auto* s = std::find_if(std::begin(kSwitches), std::end(kSwitches),
                                 [&](const Switch& x) { return x.name == word; });
    if (s == std::end(kSwitches)) {
      *problem = "--disable-analysis: \"" + word +
                 "\" is not an analysis that can be turned off (" + known +
                 "; several separated by commas)";
      return false;
    }
    this->*(s->member) = false;
  }
  return true;
}

std::vector<std::string> AnalysisSwitches::offNames() const {
  std::vector<std::string> out;
  for (const Switch& s : kSwitches) {
    if (!(this->*(s.member))) out.emplace_back(s.name);
  }
  return out;
}

}  // namespace netlens::node::analysis
