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

std::string PayloadMatcher::regexHazard(std::string_view re) {
  // The C library's matcher backtracks (recursively) on back-references, and its compiler
  // copies a bounded repeat's operand once per repetition, so nested bounds grow
  // exponentially: a request could crash the node or hold the store for minutes. Refused
  // here, before compiling; what remains matches in time linear in the payload.
  if (re.size() > kMaxRegexBytes)
    return "it is longer than " + std::to_string(kMaxRegexBytes) + " bytes";
  std::uint64_t repeats = 1;
  for (std::size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    if (c == '\\' && i + 1 < re.size()) {
      if (re[i + 1] >= '0' && re[i + 1] <= '9')
        return "back-references such as \\" + std::string(1, re[i + 1]) +
               " are not supported (they make matching exponential)";
      ++i;  // an escaped character
    } else if (c == '[') {
      // A bracket expression: its characters are literal ("]" first is one of them).
      std::size_t j = i + 1;
      if (j < re.size() && re[j] == '^') ++j;
      if (j < re.size() && re[j] == ']') ++j;
      while (j < re.size() && re[j] != ']') ++j;
      i = j;
    } else if (c == '{') {
      std::size_t j = i + 1;
      std::uint64_t low = 0, high = 0;
      bool comma = false, digits = false, highDigits = false;
      for (; j < re.size() && re[j] != '}'; ++j) {
        if (re[j] == ',' && !comma) {
          comma = true;
        } else if (re[j] >= '0' && re[j] <= '9') {
          std::uint64_t& v = comma ? high : low;
          v = std::min<std::uint64_t>(v * 10 + static_cast<std::uint64_t>(re[j] - '0'), 100000);
          (comma ? highDigits : digits) = true;
        } else {
          break;
        }
      }
      if (j >= re.size() || re[j] != '}' || !digits) continue;  // not a bound: regcomp judges
      const std::uint64_t most = comma ? (highDigits ? high : low + 1) : low;
      if (most > kMaxRegexRepeat)
        return "a repeat bound above " + std::to_string(kMaxRegexRepeat) + " ({" +
               std::string(re.substr(i + 1, j - i - 1)) + "})";
      repeats *= std::max<std::uint64_t>(most, 1);
      if (repeats * re.size() > kMaxRegexCopies)
        return "its repeat bounds together make more than " + std::to_string(kMaxRegexCopies) +
               " copies of its parts (nested or many {m,n}); use + or * instead";
      i = j;
    }
  }
  return {};
}

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
    if (const std::string hazard = regexHazard(regex); !hazard.empty()) {
      *problem = "parameter payload-regex: \"" + regex + "\" is refused: " + hazard;
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
    // REG_STARTEND: the bytes end at `length`, not at a NUL. They are matched in a copy that
    // ends in a NUL all the same: some regexec wrappers (AddressSanitizer's) read the string up
    // to its NUL whatever the flags say, which would run past the packet's bytes.
    m_scratch.assign(begin, begin + length);
    m_scratch.push_back('\0');
    regmatch_t range[1];
    range[0].rm_so = 0;
    range[0].rm_eo = static_cast<regoff_t>(length);
    const CLocaleScope c;
    return regexec(&m_regex, m_scratch.data(), 1, range,
                   REG_STARTEND | (atStart ? 0 : REG_NOTBOL)) == 0;
  }
  const char* end = begin + length;
  return std::search(begin, end, m_bytes.begin(), m_bytes.end()) != end;
}

}  // namespace netlens::node::store
