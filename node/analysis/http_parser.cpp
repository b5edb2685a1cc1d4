// SPDX-License-Identifier: MIT
#include "node/analysis/http_parser.h"

#include <algorithm>
#include <cstring>

namespace netlens::node::analysis {

namespace {

constexpr std::uint8_t kPendingHead = 0x01;
constexpr std::uint8_t kPendingConnect = 0x02;
constexpr std::uint8_t kPendingOpen = 0x04;  ///< the request's body is still arriving

constexpr std::uint8_t kChunkDigit = 0x01;      ///< a hex digit of the size was seen
constexpr std::uint8_t kChunkExtension = 0x02;  ///< past the size: extension or whitespace

/// Largest chunk size accepted (a terabyte): more is taken for garbage.
constexpr std::uint64_t kMaxChunkSize = std::uint64_t{1} << 40;

constexpr std::string_view kMethods[] = {
    // RFC 9110, RFC 5789
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
    // WebDAV (RFC 4918), DeltaV (RFC 3253), ordering (3648), ACL (3744), search (5323),
    // bindings (5842), CalDAV (4791), redirect references (4437)
    "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "VERSION-CONTROL", "REPORT",
    "CHECKOUT", "CHECKIN", "UNCHECKOUT", "MKWORKSPACE", "UPDATE", "LABEL", "MERGE",
    "BASELINE-CONTROL", "MKACTIVITY", "ORDERPATCH", "ACL", "SEARCH", "BIND", "UNBIND", "REBIND",
    "MKCALENDAR", "MKREDIRECTREF", "UPDATEREDIRECTREF",
    // SSDP / GENA (UPnP)
    "M-SEARCH", "NOTIFY", "SUBSCRIBE", "UNSUBSCRIBE",
    // Microsoft Exchange WebDAV extensions, RPC over HTTP; Cisco CallManager
    "BCOPY", "BDELETE", "BMOVE", "BPROPFIND", "BPROPPATCH", "POLL", "RPC_IN_DATA", "RPC_OUT_DATA",
    "RPC_CONNECT", "CCM_POST"};

constexpr std::size_t longestMethod() {
  std::size_t n = 0;
  for (std::string_view m : kMethods) n = std::max(n, m.size());
  return n;
}
constexpr std::size_t kLongestMethod = longestMethod();

std::string_view view(const std::uint8_t* p, std::size_t n) {
  return {reinterpret_cast<const char*>(p), n};
}

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equalsNoCase(std::string_view a, std::string_view lowerB) {
  if (a.size() != lowerB.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lowerB[i]) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

enum class Start { Yes, No, NeedMore };

/// Does `p` begin a request line (a known method followed by a space or the end of the line)
/// or a status line ("HTTP/")?
Start checkStart(const std::uint8_t* p, std::size_t n) {
  static constexpr std::string_view kHttp = "HTTP/";
  const std::size_t prefix = std::min(n, kHttp.size());
  const bool httpPrefix = view(p, prefix) == kHttp.substr(0, prefix);
  if (httpPrefix && n >= kHttp.size()) return Start::Yes;
  const std::size_t window = std::min(n, kLongestMethod + 1);
  for (std::size_t i = 0; i < window; ++i) {
    if (p[i] == ' ' || p[i] == '\r' || p[i] == '\n') {
      return isHttpMethod(view(p, i)) ? Start::Yes : Start::No;
    }
  }
  if (httpPrefix) return Start::NeedMore;
  // Wait for more only while the bytes so far can still become a method: other streams
  // (TLS, binary protocols) are refused at their first byte.
  const std::string_view sofar = view(p, n);
  for (std::string_view m : kMethods) {
    if (m.size() >= n && m.substr(0, n) == sofar) return Start::NeedMore;
  }
  return Start::No;
}

/// Advances the end-of-header matcher over `p`: state 0 inside a line, 1 just after a LF,
/// 2 after LF CR. Returns true at the LF ending the empty line; `used` counts the bytes
/// consumed (through that LF, or all of them).
bool scanHeaderEnd(std::uint8_t& state, const std::uint8_t* p, std::size_t n, std::size_t& used) {
  std::size_t i = 0;
  while (i < n) {
    if (state == 0) {
      const void* lf = std::memchr(p + i, '\n', n - i);
      if (lf == nullptr) break;
      i = static_cast<std::size_t>(static_cast<const std::uint8_t*>(lf) - p) + 1;
      state = 1;
      continue;
    }
    const std::uint8_t c = p[i++];
    if (c == '\n') {
      state = 0;
      used = i;
      return true;
    }
    state = (c == '\r' && state == 1) ? 2 : 0;
  }
  used = n;
  return false;
}

int hexValue(std::uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Last path segment of a request target, without query and fragment, percent-decoded
/// into `out` (at most HttpParser::kMaxDecoded bytes).
std::string_view fileNameOf(std::string_view uri, char* out) {
  if (uri.empty()) return {};
  std::string_view path;
  if (uri.front() == '/') {
    path = uri;
  } else {
    const std::size_t scheme = uri.find("://");
    if (scheme == std::string_view::npos) return {};  // "*", authority form, garbage
    const std::size_t slash = uri.find('/', scheme + 3);
    if (slash == std::string_view::npos) return {};
    path = uri.substr(slash);
  }
  path = path.substr(0, path.find_first_of("?#"));
  const std::string_view segment = path.substr(path.rfind('/') + 1);
  std::size_t n = 0;
  for (std::size_t i = 0; i < segment.size() && n < HttpParser::kMaxDecoded; ++i) {
    const auto c = static_cast<std::uint8_t>(segment[i]);
    if (c == '%' && i + 2 < segment.size() && hexValue(segment[i + 1]) >= 0 &&
        hexValue(segment[i + 2]) >= 0) {
      out[n++] = static_cast<char>(hexValue(segment[i + 1]) * 16 + hexValue(segment[i + 2]));
      i += 2;
    } else {
      out[n++] = static_cast<char>(c);
    }
  }
  return {out, n};
}

int base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

/// The user of "Basic <base64(user:password)>" (RFC 7617), decoded into `out`.
std::string_view basicAuthUser(std::string_view credentials, char* out) {
  credentials = trim(credentials);
  const std::size_t space = credentials.find(' ');
  if (space == std::string_view::npos || !equalsNoCase(credentials.substr(0, space), "basic")) {
    return {};
  }
  const std::string_view encoded = trim(credentials.substr(space + 1));
  std::size_t n = 0;
  std::uint32_t bits = 0;
  int count = 0;
  for (char c : encoded) {
    const int v = base64Value(c);
    if (v < 0) break;  // '=' padding or garbage ends the data
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      const auto byte = static_cast<char>((bits >> count) & 0xFF);
      if (byte == ':') return {out, n};
      if (n == HttpParser::kMaxDecoded) return {out, n};
      out[n++] = byte;
    }
  }
  return {out, n};
}

}  // namespace

/// What a header block says, as views into it.
struct HttpParser::HeaderBlock {
  bool request = false;
  std::string_view method, uri, version, reason;
  int status = 0;
  std::string_view host, userAgent, authorization, contentType;
  std::uint64_t contentLength = 0;
  bool hasContentLength = false;
  bool hasTransferEncoding = false;
  bool chunked = false;
  bool badFraming = false;

  /// Parses a start line and header fields up to the empty line. Without `lastLineEnds`,
  /// a final line with no LF (a header cut at the buffer cap) is ignored.
  bool parse(std::string_view block, bool lastLineEnds) {
    std::size_t at = 0;
    bool first = true;
    while (at < block.size()) {
      const std::size_t lf = block.find('\n', at);
      if (lf == std::string_view::npos && !lastLineEnds) break;
      const std::size_t end = lf == std::string_view::npos ? block.size() : lf;
      std::string_view line = block.substr(at, end - at);
      at = end + 1;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (first) {
        if (!parseStartLine(line)) return false;
        first = false;
        continue;
      }
      if (line.empty()) break;
      if (line.front() == ' ' || line.front() == '\t') continue;  // obsolete line folding
      const std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      field(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
    }
    return !first;
  }

  bool parseStartLine(std::string_view line) {
    if (line.substr(0, 5) == "HTTP/") {
      const std::size_t space = line.find(' ');
      if (space == std::string_view::npos || line.size() < space + 4) return false;
      version = line.substr(0, space);
      int code = 0;
      for (std::size_t i = space + 1; i < space + 4; ++i) {
        if (line[i] < '0' || line[i] > '9') return false;
        code = code * 10 + (line[i] - '0');
      }
      if (code < 100 || (line.size() > space + 4 && line[space + 4] != ' ')) return false;
      status = code;
      reason = line.size() > space + 5 ? trim(line.substr(space + 5)) : std::string_view{};
      request = false;
      return true;
    }
    // As Wireshark: the method runs to the first space or the end of the line, the target to
    // the next space; the version is optional.
    const std::size_t space = line.find(' ');
    method = line.substr(0, space);
    if (!isHttpMethod(method)) return false;
    if (space != std::string_view::npos) {
      const std::string_view rest = line.substr(space + 1);
      const std::size_t next = rest.find(' ');
      uri = rest.substr(0, next);
      if (next != std::string_view::npos) version = trim(rest.substr(next + 1));
    }
    if (!version.empty() && version.substr(0, 5) != "HTTP/") return false;  // SIP, RTSP
    request = true;
    return true;
  }

  void field(std::string_view name, std::string_view value) {
    switch (name.size()) {
      case 4:
        if (host.empty() && equalsNoCase(name, "host")) host = value;
        break;
      case 10:
        if (userAgent.empty() && equalsNoCase(name, "user-agent")) userAgent = value;
        break;
      case 12:
        if (contentType.empty() && equalsNoCase(name, "content-type")) contentType = value;
        break;
      case 13:
        if (equalsNoCase(name, "authorization")) authorization = value;
        break;
      case 14:
        if (equalsNoCase(name, "content-length")) setContentLength(value);
        break;
      case 17:
        if (equalsNoCase(name, "transfer-encoding")) {
          hasTransferEncoding = true;
          // Chunked only when it is the last coding applied.
          const std::size_t comma = value.rfind(',');
          const std::string_view last =
              trim(comma == std::string_view::npos ? value : value.substr(comma + 1));
          chunked = equalsNoCase(last, "chunked");
        }
        break;
      case 19:
        if (authorization.empty() && equalsNoCase(name, "proxy-authorization")) {
          authorization = value;
        }
        break;
      default:
        break;
    }
  }

  void setContentLength(std::string_view value) {
    std::uint64_t v = 0;
    if (value.empty()) badFraming = true;
    for (char c : value) {
      if (c < '0' || c > '9' || v > (std::uint64_t{1} << 56)) {
        badFraming = true;
        return;
      }
      v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (hasContentLength && v != contentLength) badFraming = true;  // RFC 9112 6.3 item 5
    contentLength = v;
    hasContentLength = true;
  }
};

bool isHttpMethod(std::string_view token) {
  if (token.empty() || token.size() > kLongestMethod) return false;
  return std::find(std::begin(kMethods), std::end(kMethods), token) != std::end(kMethods);
}

std::string_view HttpResponse::mediaType() const {
  return trim(contentType.substr(0, contentType.find(';')));
}

bool HttpParser::looksLikeHttp(const std::uint8_t* data, std::size_t length) {
  return data != nullptr && checkStart(data, length) == Start::Yes;
}

bool HttpParser::parseDatagram(StreamDirection direction, const std::uint8_t* data,
                               std::size_t length, std::int64_t timestampNs,
                               HttpListener& listener) {
  if (data == nullptr) return false;
  HeaderBlock h;
  if (!h.parse(view(data, length), true)) return false;
  char fileBuffer[kMaxDecoded];
  char userBuffer[kMaxDecoded];
  if (h.request) {
    HttpRequest r;
    r.startNs = r.timestampNs = timestampNs;
    r.method = h.method;
    r.uri = h.uri;
    r.version = h.version;
    r.host = h.host;
    r.userAgent = h.userAgent;
    r.fileName = fileNameOf(h.uri, fileBuffer);
    r.user = basicAuthUser(h.authorization, userBuffer);
    r.contentType = h.contentType;
    listener.onRequest(direction, r);
  } else {
    HttpResponse r;
    r.startNs = r.timestampNs = timestampNs;
    r.statusCode = h.status;
    r.version = h.version;
    r.reason = h.reason;
    r.contentType = h.contentType;
    listener.onResponse(direction, r);
  }
  return true;
}

void HttpParser::feed(StreamDirection direction, const std::uint8_t* data, std::size_t length,
                      std::int64_t timestampNs, HttpListener& listener) {
  if (data == nullptr || length == 0) return;
  feedSide(direction, data, length, timestampNs, listener);
}

void HttpParser::gap(StreamDirection direction, std::uint64_t bytes) {
  if (bytes == 0) return;
  Side& s = m_sides[directionIndex(direction)];
  switch (s.state) {
    case State::Body:
    case State::ChunkData:
      if (bytes <= s.remaining) {
        s.remaining -= bytes;
        // The body ended in the hole: its end time stays that of the header.
        if (s.remaining == 0) s.state = s.state == State::Body ? State::Start : State::ChunkDataEnd;
        return;
      }
      loseSync(s);
      return;
    case State::UntilClose:
    case State::Tunnel:
    case State::Lost:
      return;
    default:
      loseSync(s);
      return;
  }
}

void HttpParser::endOfStream(StreamDirection direction, std::int64_t timestampNs) {
  Side& s = m_sides[directionIndex(direction)];
  if (s.state == State::UntilClose) endMessage(s, timestampNs);
}

void HttpParser::loseSync(Side& s) {
  s.state = State::Lost;
  s.header.release();
  s.truncated = false;
  s.startChecked = false;
  if (s.synced) m_problems |= kLostSync;
}

void HttpParser::endMessage(Side& s, std::int64_t ts) {
  if (s.requestMessage && m_pendingCount != 0) {
    Pending& tail = m_pending[(m_pendingHead + m_pendingCount - 1) % kMaxPending];
    if ((tail.flags & kPendingOpen) != 0) {
      tail.endNs = ts;
      tail.flags &= static_cast<std::uint8_t>(~kPendingOpen);
    }
  }
  s.state = State::Start;
}

void HttpParser::pushPending(const Pending& pending) {
  if (m_pendingCount == kMaxPending) {
    ++m_overflow;
    return;
  }
  m_pending[(m_pendingHead + m_pendingCount) % kMaxPending] = pending;
  ++m_pendingCount;
}

bool HttpParser::popPending(Pending& out, bool& known) {
  if (m_pendingCount != 0) {
    out = m_pending[m_pendingHead];
    m_pendingHead = static_cast<std::uint8_t>((m_pendingHead + 1) % kMaxPending);
    --m_pendingCount;
    known = true;
    return true;
  }
  known = false;
  if (m_overflow != 0) {
    --m_overflow;
    return true;
  }
  return false;
}

void HttpParser::feedSide(StreamDirection d, const std::uint8_t* p, std::size_t n, std::int64_t ts,
                          HttpListener& listener) {
  Side& s = m_sides[directionIndex(d)];
  if (s.state == State::Lost) {
    if (checkStart(p, n) != Start::Yes) return;
    s.state = State::Start;
  }
  while (n > 0) {
    switch (s.state) {
      case State::Start: {
        while (n > 0 && (*p == '\r' || *p == '\n')) {
          ++p;
          --n;
        }
        if (n == 0) return;
        s.state = State::Header;
        s.startNs = ts;
        s.headerEnd = 0;
        s.startChecked = false;
        s.truncated = false;
        break;
      }
      case State::Header: {
        const std::size_t used = headerBytes(d, p, n, ts, listener);
        p += used;
        n -= used;
        break;
      }
      case State::Body:
      case State::ChunkData: {
        const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(s.remaining, n));
        p += take;
        n -= take;
        s.remaining -= take;
        if (s.remaining == 0) {
          if (s.state == State::Body) {
            endMessage(s, ts);
          } else {
            s.state = State::ChunkDataEnd;
          }
        }
        break;
      }
      case State::ChunkSize: {
        const std::size_t used = chunkSizeBytes(s, p, n);
        p += used;
        n -= used;
        break;
      }
      case State::ChunkDataEnd: {
        // The CRLF after chunk data; anything else means the framing is not what we think.
        const std::uint8_t c = *p++;
        --n;
        if (c == '\n') {
          s.state = State::ChunkSize;
          s.chunkLine = 0;
        } else if (c != '\r') {
          m_problems |= kBadFraming;
          loseSync(s);
          return;
        }
        break;
      }
      case State::Trailer: {
        std::size_t used = 0;
        const bool end = scanHeaderEnd(s.headerEnd, p, n, used);
        p += used;
        n -= used;
        if (end) endMessage(s, ts);
        break;
      }
      case State::UntilClose:
      case State::Tunnel:
      case State::Lost:
        return;
    }
  }
}

std::size_t HttpParser::headerBytes(StreamDirection d, const std::uint8_t* p, std::size_t n,
                                    std::int64_t ts, HttpListener& listener) {
  Side& s = m_sides[directionIndex(d)];
  std::size_t used = 0;
  const bool end = scanHeaderEnd(s.headerEnd, p, n, used);
  if (end && s.header.empty()) {
    completeHeader(d, p, used, false, ts, listener);  // the whole header is here: in place
    return used;
  }
  if (s.header.append(p, used, kMaxHeaderBytes) < used) s.truncated = true;
  if (!end) {
    if (!s.startChecked) {
      const Start start = checkStart(s.header.data(), s.header.size());
      if (start == Start::No) {
        loseSync(s);
        return n;
      }
      s.startChecked = start == Start::Yes;
    }
    return used;
  }
  completeHeader(d, s.header.data(), s.header.size(), s.truncated, ts, listener);
  s.header.release();
  return used;
}

void HttpParser::completeHeader(StreamDirection d, const std::uint8_t* block, std::size_t length,
                                bool truncated, std::int64_t ts, HttpListener& listener) {
  Side& s = m_sides[directionIndex(d)];
  HeaderBlock h;
  if (!h.parse(view(block, length), !truncated)) {
    loseSync(s);
    return;
  }
  ++m_messages;
  s.synced = true;
  if (truncated) m_problems |= kHeaderTruncated;
  s.requestMessage = h.request;
  s.state = State::Start;
  // A request with a coding other than chunked is answered with 400 (RFC 9112 6.3 item 4).
  const bool badFraming = h.badFraming || (h.request && h.hasTransferEncoding && !h.chunked);
  bool lose = false;  // the body cannot be delimited: resynchronise after it

  if (h.request) {
    if (badFraming) {
      lose = true;
    } else {
      if (h.chunked) {
        s.state = State::ChunkSize;
        s.chunkLine = 0;
      } else if (h.contentLength != 0) {
        s.state = State::Body;
        s.remaining = h.contentLength;
      }
    }
    Pending pending;
    pending.startNs = s.startNs;
    pending.endNs = ts;
    if (h.method == "HEAD") pending.flags |= kPendingHead;
    if (h.method == "CONNECT") pending.flags |= kPendingConnect;
    if (s.state != State::Start) pending.flags |= kPendingOpen;
    pushPending(pending);

    char fileBuffer[kMaxDecoded];
    char userBuffer[kMaxDecoded];
    HttpRequest r;
    r.startNs = s.startNs;
    r.timestampNs = ts;
    r.method = h.method;
    r.uri = h.uri;
    r.version = h.version;
    r.host = h.host;
    r.userAgent = h.userAgent;
    r.fileName = fileNameOf(h.uri, fileBuffer);
    r.user = basicAuthUser(h.authorization, userBuffer);
    r.contentType = h.contentType;
    r.headerTruncated = truncated;
    listener.onRequest(d, r);
  } else {
    HttpResponse r;
    r.startNs = s.startNs;
    r.timestampNs = ts;
    r.statusCode = h.status;
    r.version = h.version;
    r.reason = h.reason;
    r.contentType = h.contentType;
    r.headerTruncated = truncated;
    Pending request;
    bool known = false;
    // An interim response leaves the request open, except 101, which ends HTTP here.
    if ((!r.informational() || h.status == 101) && popPending(request, known)) {
      r.paired = known;
      if (known) {
        r.requestStartNs = request.startNs;
        r.requestEndNs = request.endNs;
      }
    }
    const bool tunnel =
        h.status == 101 || ((request.flags & kPendingConnect) != 0 && h.status / 100 == 2);
    if (tunnel) {
      // This header may still be in this side's buffer (the views in `r` point there): the
      // caller frees it after this function.
      Side& other = m_sides[directionIndex(opposite(d))];
      other.state = State::Tunnel;
      other.header.release();
      s.state = State::Tunnel;
    } else if (r.informational() || h.status == 204 || h.status == 304 ||
               (request.flags & kPendingHead) != 0) {
      // no body (RFC 9112 6.3 items 1-2)
    } else if (badFraming) {
      lose = true;
    } else if (h.chunked) {
      s.state = State::ChunkSize;
      s.chunkLine = 0;
    } else if (h.hasContentLength) {
      if (h.contentLength != 0) {
        s.state = State::Body;
        s.remaining = h.contentLength;
      }
    } else {
      s.state = State::UntilClose;
    }
    listener.onResponse(d, r);
  }
  if (lose) {
    m_problems |= kBadFraming;
    loseSync(s);
  }
}

std::size_t HttpParser::chunkSizeBytes(Side& s, const std::uint8_t* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t c = p[i];
    if (c == '\n') {
      if ((s.chunkLine & kChunkDigit) == 0) {
        s.chunkLine = 0;  // tolerate a stray empty line
        continue;
      }
      if (s.remaining == 0) {
        s.state = State::Trailer;
        s.headerEnd = 1;  // at the start of a line: an empty one ends the message
      } else {
        s.state = State::ChunkData;
      }
      return i + 1;
    }
    if ((s.chunkLine & kChunkExtension) != 0 || c == '\r') continue;
    const int v = hexValue(c);
    if (v >= 0) {
      if ((s.chunkLine & kChunkDigit) == 0) s.remaining = 0;
      s.remaining = s.remaining * 16 + static_cast<std::uint64_t>(v);
      s.chunkLine |= kChunkDigit;
      if (s.remaining <= kMaxChunkSize) continue;
    } else if (c == ';' || c == ' ' || c == '\t') {
      if ((s.chunkLine & kChunkDigit) != 0) s.chunkLine |= kChunkExtension;
      continue;
    }
    // Not a chunk size: the framing is not what we think.
    m_problems |= kBadFraming;
    loseSync(s);
    return n;
  }
  return n;
}

}  // namespace netlens::node::analysis
