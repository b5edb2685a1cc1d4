// SPDX-License-Identifier: MIT
#include "node/cli/arguments.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "shared/protocol/messages.h"

namespace netlens::node::cli {

bool Arguments::parse(int argc, char** argv, int first, std::string* error) {
  bool onlyPositional = false;
  for (int i = first; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (onlyPositional || arg.size() < 2 || arg[0] != '-') {
      m_positional.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      onlyPositional = true;
      continue;
    }
    std::string name(arg);
    std::string inlineValue;
    bool hasInline = false;
    if (auto eq = name.find('='); eq != std::string::npos && name.rfind("--", 0) == 0) {
      inlineValue = name.substr(eq + 1);
      name.resize(eq);
      hasInline = true;
    }
    if (std::find(m_flags.begin(), m_flags.end(), name) != m_flags.end()) {
      m_values[name].push_back("1");
      continue;
    }
    if (std::find(m_valueOptions.begin(), m_valueOptions.end(), name) == m_valueOptions.end()) {
      *error = "unknown option " + name;
      return false;
    }
    if (hasInline) {
      m_values[name].push_back(inlineValue);
    } else if (i + 1 < argc) {
      m_values[name].push_back(argv[++i]);
    } else {
      *error = "option " + name + " needs a value";
      return false;
    }
  }
  return true;
}

std::string Arguments::value(std::string_view name, std::string fallback) const {
  auto it = m_values.find(name);
  return it == m_values.end() || it->second.empty() ? fallback : it->second.back();
}

std::vector<std::string> Arguments::values(std::string_view name) const {
  auto it = m_values.find(name);
  return it == m_values.end() ? std::vector<std::string>{} : it->second;
}

std::string Arguments::joinedPositional() const {
  std::string out;
  for (const auto& w : m_positional) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

int fail(const std::string& message) {
  std::fprintf(stderr, "netlens-node: %s\n", message.c_str());
  return 1;
}

bool parseInteger(const std::string& text, long long min, long long max, long long* out) {
  long long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < min || v > max) return false;
  *out = v;
  return true;
}

bool parseMaxGroups(const Arguments& args, std::uint32_t* out, std::string* error) {
  *out = protocol::kDefaultMaxGroups;
  if (!args.has("--max-groups")) return true;
  long long n = 0;
  if (!parseInteger(args.value("--max-groups"), 1, protocol::kMaxGroupsLimit, &n)) {
    *error = "--max-groups takes a number from 1 to " + std::to_string(protocol::kMaxGroupsLimit);
    return false;
  }
  *out = static_cast<std::uint32_t>(n);
  return true;
}

bool parseHostPort(const std::string& text, std::string* host, int* port, std::string* error) {
  std::string h, p;
  if (!text.empty() && text[0] == '[') {
    auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      *error = "bad address \"" + text + "\": write [IPv6]:PORT";
      return false;
    }
    h = text.substr(1, close - 1);
    p = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string::npos) {
      *error = "bad address \"" + text + "\": write HOST:PORT, e.g. 0.0.0.0:7400";
      return false;
    }
    h = text.substr(0, colon);
    p = text.substr(colon + 1);
  }
  long long n = 0;
  if (!parseInteger(p, 0, 65534, &n)) {
    *error = "bad port in \"" + text + "\": use 1-65534 (the publisher takes PORT+1), or 0";
    return false;
  }
  *host = h.empty() ? "0.0.0.0" : h;
  *port = static_cast<int>(n);
  return true;
}

}  // namespace netlens::node::cli
