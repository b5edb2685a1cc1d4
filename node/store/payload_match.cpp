// SPDX-License-Identifier: MIT
#include "node/store/payload_match.h"

#include <algorithm>
#include <string_view>

namespace netlens::node::store {

namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::unique_ptr<PayloadMatcher> PayloadMatcher::make(const std::string& text,
                                                     const std::string& hex, std::string* problem) {
  if (text.empty() == hex.empty()) {
    *problem = "give one payload signature: payload (text) or payload-hex";
    return nullptr;
  }
  auto m = std::unique_ptr<PayloadMatcher>(new PayloadMatcher);
  if (!text.empty()) {
    m->m_bytes = text;
  } else {
    // "474554", "47 45 54" and "47:45:54" all name the bytes G E T.
    std::string digits;
    for (char c : hex) {
      if (c == ' ' || c == ':') continue;
      if (hexValue(c) < 0) {
        *problem = "parameter payload-hex: \"" + hex + "\" is not hex bytes (e.g. 474554)";
        return nullptr;
      }
      digits += c;
    }
    if (digits.empty() || digits.size() % 2 != 0) {
      *problem = "parameter payload-hex: \"" + hex + "\" is not whole bytes (two hex digits each)";
      return nullptr;
    }
    for (std::size_t i = 0; i < digits.size(); i += 2)
      m->m_bytes += static_cast<char>(hexValue(digits[i]) * 16 + hexValue(digits[i + 1]));
  }
  return m;
}

bool PayloadMatcher::matches(const std::uint8_t* data, std::uint32_t length) const {
  if (data == nullptr || length == 0) return false;
  const char* begin = reinterpret_cast<const char*>(data);
  const char* end = begin + length;
  return std::search(begin, end, m_bytes.begin(), m_bytes.end()) != end;
}

}  // namespace netlens::node::store
