// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netlens::node::cli {

/// Command-line arguments of one subcommand: `--name value` / `-x value` options (declared
/// up front, repeatable), `--flag` switches, and positional words (for run/analyze: the
/// BPF filter, as tcpdump takes it). Unknown options are an error naming the option.
class Arguments {
 public:
  Arguments(std::initializer_list<std::string_view> valueOptions,
            std::initializer_list<std::string_view> flags)
      : m_valueOptions(valueOptions), m_flags(flags) {}
  Arguments(std::vector<std::string_view> valueOptions, std::vector<std::string_view> flags)
      : m_valueOptions(std::move(valueOptions)), m_flags(std::move(flags)) {}

  /// Parses argv[first..]; false with `error` set on an unknown option or a missing value.
  bool parse(int argc, char** argv, int first, std::string* error);

  bool has(std::string_view name) const { return m_values.count(std::string(name)) != 0; }
  /// Last value of an option, or `fallback`.
  std::string value(std::string_view name, std::string fallback = {}) const;
  /// All values of a repeatable option, in order.
  std::vector<std::string> values(std::string_view name) const;
  const std::vector<std::string>& positional() const { return m_positional; }
  /// The positional words joined by spaces (a BPF filter).
  std::string joinedPositional() const;

 private:
  std::vector<std::string_view> m_valueOptions;
  std::vector<std::string_view> m_flags;
  std::map<std::string, std::vector<std::string>, std::less<>> m_values;
  std::vector<std::string> m_positional;
};

/// Prints "netlens-node: <message>" on stderr and returns exit code 1.
int fail(const std::string& message);

/// Parses a non-negative integer in [min, max]; false on anything else.
bool parseInteger(const std::string& text, long long min, long long max, long long* out);

/// `--max-groups N` (default kDefaultMaxGroups); false with `error` set on a bad value.
bool parseMaxGroups(const Arguments& args, std::uint32_t* out, std::string* error);

/// Splits "HOST:PORT", "[V6]:PORT" or ":PORT"; false with `error` set on bad input.
bool parseHostPort(const std::string& text, std::string* host, int* port, std::string* error);

}  // namespace netlens::node::cli
