// SPDX-License-Identifier: MIT
#pragma once

#include <regex.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace netlens::node::store {

/// A payload signature of a search: bytes that must occur in a packet's transport payload,
/// given as text or hex, or a POSIX extended regular expression that must match somewhere in
/// it. Matched per packet, on the innermost transport's captured payload
/// (SessionPayloadScanner matches it across the packets of a TCP session).
///
/// Regular expressions are the C library's (regcomp with REG_EXTENDED | REG_NOSUB), compiled
/// once in make() with the "C" locale, so every byte is one character (bytes of 0x80 and
/// above too) whatever the node's locale; regexec runs with REG_STARTEND over exactly the
/// payload's bytes, so a NUL byte does not end a payload (POSIX's "." matches any byte but NUL;
/// a bracket expression such as [^a] or [[:cntrl:]] matches NUL too). (The standard
/// library's std::regex recurses per input byte and can exhaust the stack on a large payload;
/// the C library's matcher does not, as long as the expression has no back-reference, which
/// regexHazard() refuses with the other constructs that make it slow.)
/// Thread: matches() from one thread at a time (regexec may be called concurrently, but the
/// locale switch is per thread; one matcher serves one search).
class PayloadMatcher {
 public:
  /// History a session scan keeps per TCP direction for a regular expression: a match that
  /// ends in a segment and starts at most this many bytes before it is found.
  static constexpr std::size_t kRegexWindow = 512;
  /// Limits on a regular expression (see regexHazard()).
  static constexpr std::size_t kMaxRegexBytes = 512;
  static constexpr std::uint64_t kMaxRegexRepeat = 1024;
  /// The product of the bounds times the expression's length: about the copies of its parts
  /// the compiler makes.
  static constexpr std::uint64_t kMaxRegexCopies = 65536;

  /// Why `regex` could make the C library's matcher crash, backtrack without end or compile
  /// for long (back-references; bounds {m,n} above kMaxRegexRepeat, or whose product across
  /// the expression times its length passes kMaxRegexCopies; more than kMaxRegexBytes), or ""
  /// when none.
  static std::string regexHazard(std::string_view regex);

  /// From the "payload" (text), "payload-hex" and "payload-regex" parameters (exactly one
  /// non-empty). Null with `*problem` naming the parameter, what is wrong and how to fix it.
  static std::unique_ptr<PayloadMatcher> make(const std::string& text, const std::string& hex,
                                              const std::string& regex, std::string* problem);
  ~PayloadMatcher();
  PayloadMatcher(const PayloadMatcher&) = delete;
  PayloadMatcher& operator=(const PayloadMatcher&) = delete;

  /// Whether the signature occurs in the `length` bytes at `data`. With `atStart` false the
  /// bytes do not begin a payload or stream (a window of a TCP stream): `^` does not match at
  /// their first byte.
  bool matches(const std::uint8_t* data, std::uint32_t length, bool atStart = true) const;
  bool isRegex() const { return m_isRegex; }
  /// Bytes of a stream a session scan keeps to find a match that spans segments: one less
  /// than the signature's length, kRegexWindow for a regular expression.
  std::size_t history() const;

 private:
  PayloadMatcher() = default;

  std::string m_bytes;
  bool m_isRegex = false;
  regex_t m_regex{};
  mutable std::vector<char> m_scratch;  ///< the bytes regexec reads, NUL-terminated
};

}  // namespace netlens::node::store
