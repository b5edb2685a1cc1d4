// SPDX-License-Identifier: MIT
#include "node/store/payload_match.h"

#include <locale.h>

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

/// The "C" locale, made once: one byte is one character, whatever LANG the node runs with.
locale_t cLocale() {
  static const locale_t locale = newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(0));
  return locale;
}

/// Switches the calling thread to the "C" locale for its lifetime.
class CLocaleScope {
 public:
  CLocaleScope() : m_previous(cLocale() != static_cast<locale_t>(0) ? uselocale(cLocale()) : 0) {}
  ~CLocaleScope() {
    if (m_previous != static_cast<locale_t>(0)) uselocale(m_previous);
  }
  CLocaleScope(const CLocaleScope&) = delete;
  CLocaleScope& operator=(const CLocaleScope&) = delete;

 private:
  locale_t m_previous;
};

}  // namespace

std::unique_ptr<PayloadMatcher> PayloadMatcher::make(const std::string& text,
                                                     const std::string& hex,
                                                     const std::string& regex,
                                                     std::string* problem) {
  const int given = int{!text.empty()} + int{!hex.empty()} + int{!regex.empty()};
  if (given != 1) {
    *problem = given == 0 ? "give a payload signature: payload (text), payload-hex or payload-regex"
                          : "give one payload signature: payload (text), payload-hex or "
                            "payload-regex, not several";
    return nullptr;
  }
  auto m = std::unique_ptr<PayloadMatcher>(new PayloadMatcher);
  if (!regex.empty()) {
    if (regex.find('\0') != std::string::npos) {
      *problem =
          "parameter payload-regex: the expression holds a NUL byte; write it as "
          "[[:cntrl:]] or use payload-hex";
      return nullptr;
    }
    const CLocaleScope c;
    const int rc = regcomp(&m->m_regex, regex.c_str(), REG_EXTENDED | REG_NOSUB);
    if (rc != 0) {
      char message[256];
      regerror(rc, &m->m_regex, message, sizeof message);
      regfree(&m->m_regex);
      *problem = "parameter payload-regex: \"" + regex +
                 "\" is not a valid regular expression: " + message +
                 " (POSIX extended syntax, as grep -E takes it; put a backslash before ( ) [ ] "
                 "{ } . * + ? | ^ $ \\ to match the character itself)";
      return nullptr;
    }
    m->m_isRegex = true;
  } else if (!text.empty()) {
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

PayloadMatcher::~PayloadMatcher() {
  if (m_isRegex) regfree(&m_regex);
}

std::size_t PayloadMatcher::history() const {
  if (m_isRegex) return kRegexWindow;
  return m_bytes.empty() ? 0 : m_bytes.size() - 1;
}

bool PayloadMatcher::matches(const std::uint8_t* data, std::uint32_t length, bool atStart) const {
  // A packet without payload holds no signature (not even one that matches nothing, "x*").
  if (data == nullptr || length == 0) return false;
  const char* begin = reinterpret_cast<const char*>(data);
  if (m_isRegex) {
    // REG_STARTEND: the bytes end at `length`, not at a NUL.
    regmatch_t range[1];
    range[0].rm_so = 0;
    range[0].rm_eo = static_cast<regoff_t>(length);
    const CLocaleScope c;
    return regexec(&m_regex, begin, 1, range, REG_STARTEND | (atStart ? 0 : REG_NOTBOL)) == 0;
  }
  const char* end = begin + length;
  return std::search(begin, end, m_bytes.begin(), m_bytes.end()) != end;
}

}  // namespace netlens::node::store
