// SPDX-License-Identifier: MIT
#include "node/analysis/tls_parser.h"

#include <algorithm>
#include <cstring>

#include "shared/net/tls_names.h"

namespace netlens::node::analysis {

using net::isGrease;
using net::isTls13Family;

namespace {

constexpr std::uint8_t kChangeCipherSpec = 20;
constexpr std::uint8_t kHandshake = 22;
constexpr std::uint8_t kApplicationData = 23;
constexpr std::uint8_t kHeartbeat = 24;

constexpr std::uint8_t kClientHelloType = 1;
constexpr std::uint8_t kServerHelloType = 2;

constexpr std::uint16_t kExtServerName = 0;
constexpr std::uint16_t kExtAlpn = 16;
constexpr std::uint16_t kExtEarlyData = 42;
constexpr std::uint16_t kExtSupportedVersions = 43;

// RFC 8446 4.1.3: a HelloRetryRequest is a ServerHello whose random is SHA-256 of
// "HelloRetryRequest".
constexpr std::uint8_t kHelloRetryRandom[32] = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

/// Bounds-checked big-endian reader: once a read fails, every later read fails too and
/// returns zeros / nullptr, so a parse is written straight through and checked once.
class Reader {
 public:
  Reader() = default;
  Reader(const std::uint8_t* p, std::size_t n) : m_p(p), m_end(p + n), m_ok(p != nullptr) {}

  bool ok() const { return m_ok; }
  std::size_t remaining() const { return m_ok ? static_cast<std::size_t>(m_end - m_p) : 0; }

  std::uint8_t u8() { return need(1) ? *m_p++ : 0; }
  std::uint16_t u16() {
    if (!need(2)) return 0;
    const auto v = static_cast<std::uint16_t>((m_p[0] << 8) | m_p[1]);
    m_p += 2;
    return v;
  }
  const std::uint8_t* bytes(std::size_t n) {
    if (!need(n)) return nullptr;
    const std::uint8_t* at = m_p;
    m_p += n;
    return at;
  }
  /// The next `n` bytes as a reader of their own (a failed one if they are not there).
  Reader sub(std::size_t n) {
    const std::uint8_t* at = bytes(n);
    return at != nullptr ? Reader(at, n) : Reader();
  }

 private:
  bool need(std::size_t n) {
    if (!m_ok || static_cast<std::size_t>(m_end - m_p) < n) m_ok = false;
    return m_ok;
  }
  const std::uint8_t* m_p = nullptr;
  const std::uint8_t* m_end = nullptr;
  bool m_ok = false;
};

bool plausibleRecordHeader(const std::uint8_t* h) {
  const std::uint8_t type = h[0];
  const std::uint32_t length = (std::uint32_t{h[3]} << 8) | h[4];
  if (type < kChangeCipherSpec || type > kHeartbeat) return false;
  if (h[1] != 3 || h[2] > 4) return false;  // SSL 3.0 .. TLS 1.3 record versions
  if (length > TlsParser::kMaxRecordLength) return false;
  // RFC 8446 5.1 / RFC 5246 6.2.1: only application data may be empty.
  return length != 0 || type == kApplicationData;
}

/// An SSL 2.0 record header (two-byte form) and the start of a CLIENT-HELLO or SERVER-HELLO.
bool sslv2Hello(const std::uint8_t* h, Sslv2Hello& out) {
  if ((h[0] & 0x80) == 0) return false;
  const std::uint32_t length = ((std::uint32_t{h[0]} & 0x7F) << 8) | h[1];
  if (h[2] == 1) {
    // CLIENT-HELLO: version, cipher-specs length, session-id length, challenge length.
    const auto version = static_cast<std::uint16_t>((h[3] << 8) | h[4]);
    if (length < 9 || (version != 0x0002 && (version < 0x0300 || version > 0x0304))) {
      return false;
    }
    out.serverHello = false;
    out.version = version;
    return true;
  }
  if (h[2] == 4) {
    // SERVER-HELLO: session-id-hit (0/1), certificate type (1 = X.509), version, lengths.
    if (length < 11 || h[3] > 1 || h[4] != 1) return false;
    out.serverHello = true;
    out.version = 0x0002;
    return true;
  }
  return false;
}

}  // namespace

std::string_view AlpnListView::operator[](std::size_t i) const {
  std::size_t at = 0;
  for (std::size_t k = 0; at < m_bytes; ++k) {
    const std::size_t len = m_data[at];
    if (at + 1 + len > m_bytes) break;
    if (k == i) return {reinterpret_cast<const char*>(m_data + at + 1), len};
    at += 1 + len;
  }
  return {};
}

std::uint16_t TlsClientHello::highestVersion() const {
  // TLS 1.3 drafts (0x7Fxx) and Facebook's variants (0xFBxx) are above 0x0304 by value but
  // rank as TLS 1.3, and below the final version.
  const auto rank = [](std::uint16_t v) -> std::uint32_t {
    if (v == 0x0304) return 0x30400;
    return isTls13Family(v) ? 0x30300 + (v & 0xFF) : std::uint32_t{v} << 8;
  };
  std::uint16_t best = 0;
  for (std::size_t i = 0; i < supportedVersions.size(); ++i) {
    const std::uint16_t v = supportedVersions[i];
    if (!isGrease(v) && (best == 0 || rank(v) > rank(best))) best = v;
  }
  return best != 0 ? best : legacyVersion;
}

bool TlsParser::looksLikeTls(const std::uint8_t* data, std::size_t length) {
  if (data == nullptr || length < 5) return false;
  Sslv2Hello ignored;
  return plausibleRecordHeader(data) || sslv2Hello(data, ignored);
}

bool TlsParser::isDone() const {
  return std::all_of(m_sides.begin(), m_sides.end(), [](const Side& s) {
    return s.appDataReported || s.state == State::NotTls || s.state == State::Sslv2;
  });
}

void TlsParser::feed(StreamDirection direction, const std::uint8_t* data, std::size_t length,
                     std::int64_t timestampNs, TlsListener& listener) {
  if (data == nullptr || length == 0) return;
  feedSide(direction, data, length, timestampNs, listener);
}

void TlsParser::gap(StreamDirection direction, std::uint64_t bytes) {
  if (bytes == 0) return;
  Side& s = m_sides[directionIndex(direction)];
  switch (s.state) {
    case State::RecordBody:
      // A hole inside a record: the record layer keeps its footing when the hole ends within
      // the record, but a handshake message it cuts cannot be parsed any more.
      if (s.recordType == kHandshake && s.handshakeActive) stopHandshake(s);
      if (bytes <= s.recordRemaining) {
        s.recordRemaining -= static_cast<std::uint32_t>(bytes);
        if (s.recordRemaining == 0) s.state = State::RecordHeader;
        return;
      }
      loseSync(s);
      return;
    case State::Start:
    case State::RecordHeader:
      loseSync(s);
      return;
    case State::Lost:
    case State::NotTls:
    case State::Sslv2:
      return;
  }
}

void TlsParser::loseSync(Side& s) {
  s.state = State::Lost;
  s.headerFill = 0;
  s.messageHeaderFill = 0;
  s.collecting = false;
  s.message.release();
  if (s.synced) m_problems |= kLostSync;
}

void TlsParser::stopHandshake(Side& s) {
  s.handshakeActive = false;
  s.collecting = false;
  s.messageHeaderFill = 0;
  s.message.release();
}

void TlsParser::feedSide(StreamDirection d, const std::uint8_t* p, std::size_t n, std::int64_t ts,
                         TlsListener& listener) {
  Side& s = m_sides[directionIndex(d)];
  if (s.state == State::Lost) {
    // Resume only where a segment starts with a record header: the best guess of a boundary.
    if (n < 5 || !plausibleRecordHeader(p)) return;
    s.state = State::RecordHeader;
    s.headerFill = 0;
  }
  while (n > 0) {
    switch (s.state) {
      case State::Start:
      case State::RecordHeader: {
        const std::size_t take = std::min<std::size_t>(5 - s.headerFill, n);
        std::memcpy(s.header.data() + s.headerFill, p, take);
        s.headerFill = static_cast<std::uint8_t>(s.headerFill + take);
        p += take;
        n -= take;
        if (s.headerFill < 5) return;
        s.headerFill = 0;
        if (s.state == State::Start) {
          Sslv2Hello hello;
          if (sslv2Hello(s.header.data(), hello)) {
            s.state = State::Sslv2;
            hello.timestampNs = ts;
            listener.onSslv2Hello(d, hello);
            return;
          }
          if (!plausibleRecordHeader(s.header.data())) {
            s.state = State::NotTls;
            return;
          }
        } else if (!plausibleRecordHeader(s.header.data())) {
          loseSync(s);
          return;
        }
        beginRecord(d, ts, listener);
        break;
      }
      case State::RecordBody: {
        const std::size_t take = std::min<std::size_t>(s.recordRemaining, n);
        if (s.recordType == kHandshake && s.handshakeActive) {
          handshakeBytes(d, p, take, ts, listener);
        }
        p += take;
        n -= take;
        s.recordRemaining -= static_cast<std::uint32_t>(take);
        if (s.recordRemaining == 0) s.state = State::RecordHeader;
        break;
      }
      case State::Lost:
      case State::NotTls:
      case State::Sslv2:
        return;
    }
  }
}

void TlsParser::beginRecord(StreamDirection d, std::int64_t ts, TlsListener& listener) {
  Side& s = m_sides[directionIndex(d)];
  s.synced = true;
  s.recordType = s.header[0];
  s.recordRemaining = (std::uint32_t{s.header[3]} << 8) | s.header[4];
  s.state = s.recordRemaining != 0 ? State::RecordBody : State::RecordHeader;
  if (s.recordType == kChangeCipherSpec && s.handshakeActive) {
    // Up to TLS 1.2 the sender's next handshake message (Finished) is encrypted. TLS 1.3
    // middlebox-compatibility CCS records change nothing, and a second ClientHello may
    // follow one (after a HelloRetryRequest).
    const bool tls13 = m_version != 0
                           ? isTls13Family(m_version)
                           : (m_clientHelloSeen && d == m_clientSide && m_clientOffersTls13);
    if (!tls13) stopHandshake(s);
  } else if (s.recordType == kApplicationData) {
    applicationDataRecord(d, ts, listener);
  }
}

void TlsParser::applicationDataRecord(StreamDirection d, std::int64_t ts, TlsListener& listener) {
  Side& s = m_sides[directionIndex(d)];
  if (s.appDataReported) return;
  bool isData = true;
  if (m_serverHelloSeen && isTls13Family(m_version)) {
    if (d == m_clientSide) {
      // The client's first type-23 record after the ServerHello is its encrypted Finished.
      if (s.encryptedRecords < 2) ++s.encryptedRecords;
      isData = s.encryptedRecords >= 2;
    } else {
      // The server's encrypted handshake precedes the client's Finished.
      isData = m_sides[directionIndex(m_clientSide)].encryptedRecords >= 1;
    }
  }
  if (!isData) return;
  s.appDataReported = true;
  listener.onFirstApplicationData(d, ts);
}

void TlsParser::handshakeBytes(StreamDirection d, const std::uint8_t* p, std::size_t n,
                               std::int64_t ts, TlsListener& listener) {
  Side& s = m_sides[directionIndex(d)];
  while (n > 0 && s.handshakeActive) {
    if (s.messageHeaderFill < 4) {
      const std::size_t take = std::min<std::size_t>(4 - s.messageHeaderFill, n);
      std::memcpy(s.messageHeader.data() + s.messageHeaderFill, p, take);
      s.messageHeaderFill = static_cast<std::uint8_t>(s.messageHeaderFill + take);
      p += take;
      n -= take;
      if (s.messageHeaderFill < 4) return;
      const std::uint8_t type = s.messageHeader[0];
      s.messageRemaining = (std::uint32_t{s.messageHeader[1]} << 16) |
                           (std::uint32_t{s.messageHeader[2]} << 8) | s.messageHeader[3];
      s.collecting = type == kClientHelloType || type == kServerHelloType;
      if (s.collecting && s.messageRemaining > kMaxBufferedMessage) {
        s.collecting = false;
        m_problems |= kHelloTooLarge;
      }
      if (s.collecting && (s.messageRemaining == 0 || n >= s.messageRemaining)) {
        // The whole message is here: parse it in place.
        const std::size_t length = s.messageRemaining;
        s.collecting = false;
        s.messageRemaining = 0;
        s.messageHeaderFill = 0;
        handshakeMessage(d, type, p, length, ts, listener);
        p += length;
        n -= length;
        continue;
      }
      if (s.collecting) s.message.reserve(s.messageRemaining);
      if (s.messageRemaining == 0) {
        s.messageHeaderFill = 0;
        continue;
      }
    }
    const std::size_t take = std::min<std::size_t>(s.messageRemaining, n);
    if (s.collecting) s.message.append(p, take, kMaxBufferedMessage);
    p += take;
    n -= take;
    s.messageRemaining -= static_cast<std::uint32_t>(take);
    if (s.messageRemaining == 0) {
      s.messageHeaderFill = 0;
      if (s.collecting) {
        s.collecting = false;
        handshakeMessage(d, s.messageHeader[0], s.message.data(), s.message.size(), ts, listener);
        s.message.release();
      }
    }
  }
}

void TlsParser::handshakeMessage(StreamDirection d, std::uint8_t type, const std::uint8_t* body,
                                 std::size_t length, std::int64_t ts, TlsListener& listener) {
  if (type == kClientHelloType) {
    parseClientHello(d, body, length, ts, listener);
  } else if (type == kServerHelloType) {
    parseServerHello(d, body, length, ts, listener);
  }
}

void TlsParser::parseClientHello(StreamDirection d, const std::uint8_t* body, std::size_t length,
                                 std::int64_t ts, TlsListener& listener) {
  Reader r(body, length);
  TlsClientHello hello;
  hello.timestampNs = ts;
  hello.legacyVersion = r.u16();
  r.bytes(32);      // random
  r.bytes(r.u8());  // session id
  const std::uint16_t suitesLength = r.u16();
  const std::uint8_t* suites = r.bytes(suitesLength);
  r.bytes(r.u8());  // compression methods
  if (!r.ok() || suitesLength % 2 != 0) {
    m_problems |= kMalformedHello;
    return;
  }
  hello.cipherSuites = U16ListView(suites, suitesLength / 2);

  // Extensions are optional (SSL 3.0, old clients). A damaged extension block keeps what was
  // parsed before it and is reported as a problem.
  if (r.remaining() != 0) {
    Reader extensions = r.sub(r.u16());
    bool damaged = !extensions.ok();
    while (!damaged && extensions.remaining() != 0) {
      const std::uint16_t type = extensions.u16();
      Reader e = extensions.sub(extensions.u16());
      if (!extensions.ok()) {
        damaged = true;
        break;
      }
      if (type == kExtServerName) {
        if (e.remaining() == 0) continue;
        Reader list = e.sub(e.u16());
        while (list.ok() && list.remaining() != 0) {
          const std::uint8_t nameType = list.u8();
          const std::uint16_t nameLength = list.u16();
          const std::uint8_t* name = list.bytes(nameLength);
          if (name != nullptr && nameType == 0 && hello.serverName.empty()) {
            hello.serverName = {reinterpret_cast<const char*>(name), nameLength};
          }
        }
        damaged = !list.ok();
      } else if (type == kExtAlpn) {
        const std::uint16_t listLength = e.u16();
        Reader list = e.sub(listLength);
        const std::uint8_t* start = list.bytes(0);
        std::size_t count = 0;
        while (list.ok() && list.remaining() != 0) {
          const std::uint8_t nameLength = list.u8();
          if (nameLength == 0 || list.bytes(nameLength) == nullptr) break;  // RFC 7301: not empty
          ++count;
        }
        damaged = !list.ok() || list.remaining() != 0;
        if (!damaged) hello.alpn = AlpnListView(start, listLength, count);
      } else if (type == kExtSupportedVersions) {
        const std::uint8_t listLength = e.u8();
        const std::uint8_t* versions = e.bytes(listLength);
        damaged = versions == nullptr || listLength % 2 != 0;
        if (!damaged) hello.supportedVersions = U16ListView(versions, listLength / 2);
      } else if (type == kExtEarlyData) {
        hello.offersEarlyData = true;
      }
    }
    if (damaged) m_problems |= kMalformedHello;
  }

  m_clientHelloSeen = true;
  m_clientSide = d;
  m_clientOffersTls13 = isTls13Family(hello.highestVersion());
  listener.onClientHello(d, hello);
}

void TlsParser::parseServerHello(StreamDirection d, const std::uint8_t* body, std::size_t length,
                                 std::int64_t ts, TlsListener& listener) {
  Reader r(body, length);
  TlsServerHello hello;
  hello.timestampNs = ts;
  hello.legacyVersion = r.u16();
  const std::uint8_t* random = r.bytes(32);
  r.bytes(r.u8());  // session id
  hello.cipherSuite = r.u16();
  r.u8();  // compression method
  if (!r.ok()) {
    m_problems |= kMalformedHello;
    return;
  }
  hello.helloRetryRequest = std::memcmp(random, kHelloRetryRandom, 32) == 0;
  if (r.remaining() != 0) {
    Reader extensions = r.sub(r.u16());
    bool damaged = !extensions.ok();
    while (!damaged && extensions.remaining() != 0) {
      const std::uint16_t type = extensions.u16();
      Reader e = extensions.sub(extensions.u16());
      if (!extensions.ok()) {
        damaged = true;
        break;
      }
      if (type == kExtSupportedVersions) {
        hello.selectedVersion = e.u16();
        damaged = !e.ok();
      } else if (type == kExtAlpn) {
        Reader list = e.sub(e.u16());
        const std::uint8_t nameLength = list.u8();
        const std::uint8_t* name = list.bytes(nameLength);
        damaged = name == nullptr;
        if (!damaged) hello.alpn = {reinterpret_cast<const char*>(name), nameLength};
      }
    }
    if (damaged) m_problems |= kMalformedHello;
  }

  // The views in `hello` may point into this direction's buffer, which stopHandshake frees:
  // report first.
  listener.onServerHello(d, hello);
  m_version = hello.version();
  if (!hello.helloRetryRequest) {
    m_serverHelloSeen = true;
    m_clientSide = opposite(d);
    // Both hellos are known now; the rest of the handshake is of no interest (and mostly
    // encrypted), so neither direction gathers messages any more.
    stopHandshake(m_sides[0]);
    stopHandshake(m_sides[1]);
  }
}

}  // namespace netlens::node::analysis
