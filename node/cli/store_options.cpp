// SPDX-License-Identifier: MIT
#include "node/cli/store_options.h"

#include <cctype>

namespace netlens::node::cli {

bool parseSize(const std::string& text, std::uint64_t* out) {
  if (text.empty()) return false;
  std::uint64_t unit = 1;
  std::string digits = text;
  switch (std::toupper(static_cast<unsigned char>(text.back()))) {
    case 'K':
      unit = 1ull << 10;
      break;
    case 'M':
      unit = 1ull << 20;
      break;
    case 'G':
      unit = 1ull << 30;
      break;
    case 'T':
      unit = 1ull << 40;
      break;
    default:
      break;
  }
  if (unit != 1) digits.pop_back();
  long long n = 0;
  if (!parseInteger(digits, 1, (1ll << 62) / static_cast<long long>(unit), &n)) return false;
  *out = static_cast<std::uint64_t>(n) * unit;
  return true;
}

bool storeOptionsFrom(const Arguments& args, store::StoreOptions* options) {
  options->folder = args.value("--store");
  if (options->folder.empty()) {
    fail("give the store folder: --store DIR");
    return false;
  }
  if (args.has("--store-size") && !parseSize(args.value("--store-size"), &options->maxBytes)) {
    fail("--store-size takes a size such as 500M, 20G or 1T");
    return false;
  }
  options->filter = args.value("--store-filter");
  if (args.has("--segment-size") &&
      !parseSize(args.value("--segment-size"), &options->segmentBytes)) {
    fail("--segment-size takes a size such as 64M");
    return false;
  }
  return true;
}

std::vector<std::string_view> withSearchCriteria(std::initializer_list<std::string_view> others) {
  std::vector<std::string_view> options(others);
  options.insert(options.end(), kSearchCriteriaOptions.begin(), kSearchCriteriaOptions.end());
  return options;
}

protocol::Params searchParamsFrom(const Arguments& args) {
  protocol::Params params;
  std::vector<std::string_view> options(kSearchCriteriaOptions.begin(),
                                        kSearchCriteriaOptions.end());
  options.insert(options.end(), {"--limit", "--after"});
  for (const std::string_view option : options) {
    std::string joined;
    for (const auto& v : args.values(option)) joined += (joined.empty() ? "" : ",") + v;
    // Expressions, programs and signatures are taken whole (they may contain commas).
    const std::string name(option);
    const bool whole = name == "--bpf" || name == "--bpf-code" || name == "--payload" ||
                       name == "--payload-hex" || name == "--payload-regex" ||
                       name.starts_with("--http-");
    if (args.has(option)) params[name.substr(2)] = whole ? args.value(option) : joined;
  }
  if (args.has("--per-session")) params["payload-scope"] = "session";
  return params;
}

}  // namespace netlens::node::cli
