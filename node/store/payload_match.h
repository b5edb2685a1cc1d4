// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace netlens::node::store {

/// A payload signature of a search: bytes that must occur in a packet's transport payload,
/// given as text or hex. Matched per packet, on the innermost transport's captured payload
/// (SessionPayloadScanner matches it across the packets of a TCP session).
/// (Regular expressions are not offered yet: the standard library's matcher recurses per
/// input byte and could exhaust the stack on a large payload.)
class PayloadMatcher {
 public:
  /// From the "payload" (text) and "payload-hex" parameters (exactly one non-empty). Null
  /// with `*problem` naming the parameter and what is wrong.
  static std::unique_ptr<PayloadMatcher> make(const std::string& text, const std::string& hex,
                                              std::string* problem);

  bool matches(const std::uint8_t* data, std::uint32_t length) const;
  /// Bytes in the signature.
  std::size_t length() const { return m_bytes.size(); }

 private:
  std::string m_bytes;
};

}  // namespace netlens::node::store
