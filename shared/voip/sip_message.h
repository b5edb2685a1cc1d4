// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string_view>

namespace netlens::voip {

/// What parseSipMessage made of some bytes.
enum class SipParseStatus : std::uint8_t {
  Ok,
  NotSip,      ///< the first line is neither a SIP request line nor a SIP status line
  Incomplete,  ///< a SIP start line, but the header block (or, with Content-Length, the
               ///< body) does not end within the bytes given
  Malformed,   ///< a SIP start line with a header block that cannot be trusted (a header
               ///< line without a colon, a bad Content-Length or status code)
};

/// One SIP message (RFC 3261 section 7). A view: every string_view points into the buffer
/// given to parseSipMessage and is valid while that buffer is. Header values are trimmed of
/// surrounding white space; a folded header keeps only its first line. Absent headers are
/// empty.
struct SipMessage {
  bool isRequest = false;
  std::string_view method;      ///< requests: "INVITE", "BYE"... as sent (case kept)
  std::string_view requestUri;  ///< requests
  int statusCode = 0;           ///< responses: 100..699
  std::string_view reason;      ///< responses
  std::string_view callId;      ///< Call-ID or its compact form "i"
  std::string_view from;        ///< From / "f"
  std::string_view to;          ///< To / "t"
  std::string_view cseq;        ///< the whole CSeq value
  std::uint32_t cseqNumber = 0;
  std::string_view cseqMethod;
  std::string_view contentType;  ///< Content-Type / "c"
  /// Content-Length / "l"; -1 when absent.
  std::int64_t contentLength = -1;
  std::string_view body;
  /// Bytes of this message from its first byte through its body: where the next message of
  /// a stream begins.
  std::uint32_t length = 0;
};

/// How the body of a message is delimited: a datagram holds one message, whose body is the
/// rest of the datagram when Content-Length is absent (RFC 3261 section 18.3); on a stream,
/// Content-Length is required and a missing one means an empty body.
enum class SipFraming : std::uint8_t { Datagram, Stream };

/// Parses the SIP message at the start of [data, data + length). Never reads outside that
/// range; stops at the end of the body. Thread-safe (no state).
SipParseStatus parseSipMessage(const std::uint8_t* data, std::uint32_t length, SipFraming framing,
                               SipMessage& out);

/// True when the bytes begin with a SIP request line or status line (what "detected by
/// content" means: port numbers play no part).
bool startsLikeSip(const std::uint8_t* data, std::uint32_t length);

/// The URI of a From/To/Contact value: what is between < and >, else the value up to the
/// first ';' (RFC 3261 section 20.10), trimmed.
std::string_view headerUri(std::string_view value);
/// The "tag" parameter of a From/To value (after the URI), or empty.
std::string_view headerTag(std::string_view value);

/// Case-insensitive ASCII comparison.
bool equalsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace netlens::voip
