// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "node/analysis/spill_buffer.h"
#include "node/analysis/tcp_stream_cursor.h"

namespace netlens::node::analysis {

/// True for a request method HttpParser recognises (case-sensitive, as methods are): those
/// of RFC 9110 and PATCH; WebDAV (RFC 4918) with DeltaV (RFC 3253), ordering, search, ACL,
/// bindings and CalDAV; the SSDP/GENA methods (M-SEARCH, NOTIFY, SUBSCRIBE, UNSUBSCRIBE);
/// Microsoft's Exchange and RPC-over-HTTP methods (BCOPY..., POLL, RPC_IN_DATA...) and Cisco's
/// CCM_POST, all of which Wireshark counts as HTTP too.
bool isHttpMethod(std::string_view token);

/// A request header. Views are valid only during the listener call.
struct HttpRequest {
  std::int64_t startNs = 0;      ///< segment holding the first byte of the request line
  std::int64_t timestampNs = 0;  ///< segment that completed the header
  std::string_view method;
  /// The request target as sent (origin form "/a/b?q", absolute form "http://h/a",
  /// authority form for CONNECT, "*"); may be empty for a malformed request line.
  std::string_view uri;
  std::string_view version;  ///< "HTTP/1.1"; empty when the request line has none
  std::string_view host;     ///< Host header as sent, port included; empty when absent
  std::string_view userAgent;
  /// Last segment of the URI's path, without query or fragment, percent-decoded (at most
  /// kMaxDecoded bytes); empty when the path ends in '/' or the URI has no path.
  std::string_view fileName;
  /// User name of `Authorization: Basic` (or Proxy-Authorization), base64-decoded, the part
  /// before ':'; empty when absent. Decoded bytes as sent: escape before display.
  std::string_view user;
  std::string_view contentType;  ///< of a request body (POST), as sent
  bool headerTruncated = false;  ///< longer than HttpParser::kMaxHeaderBytes: cut there
};

/// A response header, with the request it answers when known.
struct HttpResponse {
  std::int64_t startNs = 0;      ///< segment holding the first byte of the status line
  std::int64_t timestampNs = 0;  ///< segment that completed the header
  int statusCode = 0;            ///< 100..999
  std::string_view version;      ///< "HTTP/1.1"
  std::string_view reason;
  std::string_view contentType;  ///< as sent ("text/html; charset=utf-8"); empty if absent
  bool headerTruncated = false;
  /// 1xx: an interim response (100 Continue, 103 Early Hints); the request stays open and
  /// its final response follows.
  bool informational() const { return statusCode >= 100 && statusCode < 200; }
  /// 1..9 for 1xx..9xx, for counts per status family.
  int statusFamily() const { return statusCode / 100; }
  /// Paired with the oldest open request of the connection (HTTP/1.x answers in order).
  bool paired = false;
  std::int64_t requestStartNs = 0;  ///< when paired: first byte of the request
  /// When paired: the segment completing the request (its header, or its body if it has
  /// one that was complete before this response began).
  std::int64_t requestEndNs = 0;
  /// Server response time: first byte of the response after the end of the request; -1
  /// when not paired.
  std::int64_t responseTimeNs() const {
    return paired ? (startNs > requestEndNs ? startNs - requestEndNs : 0) : -1;
  }
  /// Media type without parameters ("text/html"), trimmed.
  std::string_view mediaType() const;
};

/// Receives what HttpParser finds. Called synchronously from HttpParser's functions.
class HttpListener {
 public:
  virtual ~HttpListener() = default;
  virtual void onRequest(StreamDirection, const HttpRequest&) {}
  virtual void onResponse(StreamDirection, const HttpResponse&) {}
};

/// Incremental HTTP/1.x parser of a TCP connection's two byte streams, fed segment by segment
/// in sequence order (TcpStreamCursor): request and response headers, with bodies skipped by
/// their framing so that the next message of a persistent connection is found.
///
/// - Each direction's role comes from its content: a direction that starts with a request
///   line (known method, then space or end of line) carries requests, one that starts with
///   "HTTP/" responses. Pipelined requests are answered in order: responses are paired with
///   requests first in, first out (at most kMaxPending requests keep their times; beyond
///   that the responses are still paired, without times).
/// - Header names are matched case-insensitively; lines may end in CRLF or a bare LF.
///   Obsolete folded continuation lines are ignored.
/// - Bodies: Transfer-Encoding chunked (chunk extensions and trailers skipped), Content-
///   Length, none for requests without either, none for responses to HEAD, for 1xx, 204 and
///   304; otherwise a response body lasts until the connection closes (HTTP/1.0 style, ended
///   by endOfStream()). A 2xx answer to CONNECT and 101 Switching Protocols turn both
///   directions into an opaque tunnel.
/// - A header that lies whole in one segment is parsed in place; one that straddles segments
///   is gathered in a SpillBuffer (up to kMaxHeaderBytes; the rest of a longer header is
///   skipped and the message flagged truncated), freed when the header is complete.
/// - Anything that does not parse (a start line that is not HTTP, a bad chunk size, a gap in
///   the stream where framing matters) loses synchronisation for that direction: it resumes
///   at the first segment that starts with a request or status line, as Wireshark does.
///   A version other than HTTP/x ("SIP/2.0", "RTSP/1.0") is not HTTP.
///
/// Memory: about 300 bytes and no heap while no header straddles segments.
/// No allocation per packet. Not thread-safe: owned by the connection's worker.
class HttpParser {
 public:
  /// Largest header gathered across segments.
  static constexpr std::uint32_t kMaxHeaderBytes = 16 * 1024;
  /// Requests awaiting their responses whose times are kept.
  static constexpr std::size_t kMaxPending = 8;
  /// Longest decoded file name or user name handed to the listener.
  static constexpr std::size_t kMaxDecoded = 256;

  /// problems() bits.
  /// Out of step where a message should start, after a message was parsed in that direction
  /// (a stream that never was HTTP is not a problem).
  static constexpr std::uint8_t kLostSync = 0x01;
  static constexpr std::uint8_t kHeaderTruncated = 0x02;  ///< a header above kMaxHeaderBytes
  static constexpr std::uint8_t kBadFraming = 0x04;       ///< bad Content-Length or chunk size

  /// True when `data` starts with an HTTP request line or "HTTP/" (a status line): for
  /// callers choosing which connections to parse, and how a lost direction resumes.
  static bool looksLikeHttp(const std::uint8_t* data, std::size_t length);

  /// Parses one message header carried whole in a datagram (HTTP over UDP: SSDP) and
  /// reports it, unpaired. Returns false when it is not an HTTP message.
  static bool parseDatagram(StreamDirection direction, const std::uint8_t* data, std::size_t length,
                            std::int64_t timestampNs, HttpListener& listener);

  /// Bytes of one direction, in stream order, from a segment captured at `timestampNs`.
  void feed(StreamDirection direction, const std::uint8_t* data, std::size_t length,
            std::int64_t timestampNs, HttpListener& listener);
  /// `bytes` of the direction are missing (TcpStreamCursor gap) before the next feed. Inside
  /// a body of known length that is harmless; elsewhere the direction loses synchronisation.
  void gap(StreamDirection direction, std::uint64_t bytes);
  /// The direction was closed (FIN): ends a body delimited by the connection's close.
  void endOfStream(StreamDirection direction, std::int64_t timestampNs);

  /// A request or response was parsed on this connection.
  bool isHttp() const { return m_messages != 0; }
  std::uint32_t messageCount() const { return m_messages; }
  std::uint8_t problems() const { return m_problems; }
  /// Heap bytes held now (a header being gathered).
  std::size_t bufferedBytes() const {
    return m_sides[0].header.capacity() + m_sides[1].header.capacity();
  }

 private:
  enum class State : std::uint8_t {
    Start,         ///< before a message: leading CR/LF skipped
    Header,        ///< in a start line or header
    Body,          ///< `remaining` body bytes of known length
    ChunkSize,     ///< in a chunk-size line
    ChunkData,     ///< `remaining` bytes of chunk data
    ChunkDataEnd,  ///< the CRLF after chunk data
    Trailer,       ///< trailer fields after the last chunk
    UntilClose,    ///< a body delimited by the connection's close
    Tunnel,        ///< CONNECT / Upgrade: no more HTTP in this connection
    Lost,          ///< out of step: wait for a segment that starts a message
  };
  struct Side {
    SpillBuffer header;           ///< a header straddling segments
    std::uint64_t remaining = 0;  ///< body or chunk bytes left
    std::int64_t startNs = 0;     ///< first byte of the current message
    State state = State::Start;
    std::uint8_t headerEnd = 0;   ///< progress of the end-of-header matcher
    std::uint8_t chunkLine = 0;   ///< chunk-size line flags
    bool requestMessage = false;  ///< the current message is a request
    bool startChecked = false;    ///< the buffered start line was seen to be HTTP
    bool truncated = false;       ///< the buffered header hit kMaxHeaderBytes
    bool synced = false;          ///< a message was parsed in this direction
  };
  struct Pending {
    std::int64_t startNs = 0;
    std::int64_t endNs = 0;
    std::uint8_t flags = 0;  ///< kPendingHead, kPendingConnect, kPendingOpen
  };
  struct HeaderBlock;

  void feedSide(StreamDirection d, const std::uint8_t* p, std::size_t n, std::int64_t ts,
                HttpListener& listener);
  /// Consumes header bytes; returns how many.
  std::size_t headerBytes(StreamDirection d, const std::uint8_t* p, std::size_t n, std::int64_t ts,
                          HttpListener& listener);
  void completeHeader(StreamDirection d, const std::uint8_t* block, std::size_t length,
                      bool truncated, std::int64_t ts, HttpListener& listener);
  std::size_t chunkSizeBytes(Side& s, const std::uint8_t* p, std::size_t n);
  void endMessage(Side& s, std::int64_t ts);
  void loseSync(Side& s);
  void pushPending(const Pending& pending);
  bool popPending(Pending& out, bool& known);

  std::array<Side, 2> m_sides;
  std::array<Pending, kMaxPending> m_pending{};
  std::uint32_t m_overflow = 0;  ///< open requests beyond kMaxPending (no times kept)
  std::uint32_t m_messages = 0;
  std::uint8_t m_pendingHead = 0;
  std::uint8_t m_pendingCount = 0;
  std::uint8_t m_problems = 0;
};

}  // namespace netlens::node::analysis
