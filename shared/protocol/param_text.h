// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace netlens::protocol {

/// The items of a request parameter's comma-separated list, each trimmed of white space;
/// empty items are left out.
std::vector<std::string> splitCommas(const std::string& text);

/// `text` as a whole decimal number from 0 to `max`; false (and `*out` untouched) otherwise.
bool parseNumber(const std::string& text, std::uint64_t max, std::uint64_t* out);

}  // namespace netlens::protocol
