// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "node/analysis/spill_buffer.h"
#include "node/analysis/tcp_stream_cursor.h"

namespace netlens::node::analysis {

/// Big-endian 16-bit values inside a message (cipher suites, versions), viewed in place.
class U16ListView {
 public:
  U16ListView() = default;
  U16ListView(const std::uint8_t* data, std::size_t count) : m_data(data), m_count(count) {}
  std::size_t size() const { return m_count; }
  bool empty() const { return m_count == 0; }
  std::uint16_t operator[](std::size_t i) const {
    return static_cast<std::uint16_t>((m_data[2 * i] << 8) | m_data[2 * i + 1]);
  }
  bool contains(std::uint16_t value) const {
    for (std::size_t i = 0; i < m_count; ++i) {
      if ((*this)[i] == value) return true;
    }
    return false;
  }

 private:
  const std::uint8_t* m_data = nullptr;
  std::size_t m_count = 0;
};

/// The protocol names of an ALPN extension (RFC 7301), viewed in place: a length byte and
/// the name each, already validated by the parser.
class AlpnListView {
 public:
  AlpnListView() = default;
  AlpnListView(const std::uint8_t* data, std::size_t bytes, std::size_t count)
      : m_data(data), m_bytes(bytes), m_count(count) {}
  std::size_t size() const { return m_count; }
  bool empty() const { return m_count == 0; }
  /// The i-th name (walks the list; lists are a few entries long).
  std::string_view operator[](std::size_t i) const;

 private:
  const std::uint8_t* m_data = nullptr;
  std::size_t m_bytes = 0;
  std::size_t m_count = 0;
};

/// A ClientHello. Views point into the message and are valid only during the listener call.
struct TlsClientHello {
  std::int64_t timestampNs = 0;     ///< of the segment that completed the message
  std::uint16_t legacyVersion = 0;  ///< the client_version field (0x0303 for TLS 1.2 and 1.3)
  U16ListView cipherSuites;         ///< in the client's order, GREASE values included
  U16ListView supportedVersions;    ///< supported_versions extension; empty when absent
  /// First host_name of the server_name extension (SNI), bytes as sent: not validated,
  /// escape before display. Empty when absent.
  std::string_view serverName;
  AlpnListView alpn;             ///< application protocols offered (ALPN), empty when absent
  bool offersEarlyData = false;  ///< early_data extension (TLS 1.3 0-RTT)

  /// The highest version offered: the largest non-GREASE supported_versions entry, else
  /// legacyVersion.
  std::uint16_t highestVersion() const;
};

/// A ServerHello (or a TLS 1.3 HelloRetryRequest, which has the same format).
struct TlsServerHello {
  std::int64_t timestampNs = 0;       ///< of the segment that completed the message
  std::uint16_t legacyVersion = 0;    ///< the server_version field
  std::uint16_t selectedVersion = 0;  ///< supported_versions extension; 0 when absent
  std::uint16_t cipherSuite = 0;
  std::string_view alpn;  ///< protocol the server selected (ALPN), empty when absent
  /// A HelloRetryRequest: the server asks for another ClientHello; the handshake goes on.
  bool helloRetryRequest = false;

  /// The negotiated version: selectedVersion (TLS 1.3 negotiates there), else legacyVersion.
  std::uint16_t version() const { return selectedVersion != 0 ? selectedVersion : legacyVersion; }
};

/// An SSL 2.0 record at the start of a stream: an SSLv2 CLIENT-HELLO (also the SSLv2-
/// compatible hello of old SSLv3/TLS clients) or SERVER-HELLO. Nothing more is parsed there.
struct Sslv2Hello {
  std::int64_t timestampNs = 0;
  bool serverHello = false;  ///< SERVER-HELLO; else CLIENT-HELLO
  /// Version announced: 0x0002 for SSL 2.0, or the SSLv3/TLS version of a compatible hello.
  std::uint16_t version = 0;
};

/// Receives what TlsParser finds. Called synchronously from TlsParser::feed().
class TlsListener {
 public:
  virtual ~TlsListener() = default;
  virtual void onClientHello(StreamDirection, const TlsClientHello&) {}
  virtual void onServerHello(StreamDirection, const TlsServerHello&) {}
  virtual void onSslv2Hello(StreamDirection, const Sslv2Hello&) {}
  /// The first application-data record of a direction; `timestampNs` is that of the segment
  /// holding its record header. For TLS 1.3 see TlsParser on which record that is.
  virtual void onFirstApplicationData(StreamDirection, std::int64_t /*timestampNs*/) {}
};

/// Incremental parser of the TLS record layer of a TCP connection's two byte streams, fed
/// segment by segment in sequence order (TcpStreamCursor), for the handshake facts the
/// analysers need: both hellos and the moment of the first application data per direction.
///
/// Records and handshake messages may be split anywhere: a record header is gathered in a
/// 5-byte field; a hello that straddles records or segments is gathered in a SpillBuffer of
/// exactly its length, at most kMaxBufferedMessage bytes (a larger one is skipped); a hello
/// that lies whole in one segment is parsed in place. Other handshake messages (certificates)
/// and all other records are skipped by their lengths, never buffered. Every length is
/// checked; a bad hello is skipped (problems() says so) and a bad record header loses
/// synchronisation: the direction is then resumed at the first segment that starts with a
/// plausible record header. A direction whose first bytes are not TLS is ignored for good.
///
/// Which direction is the client is learnt from the ClientHello. Handshake parsing stops in
/// a direction after its ChangeCipherSpec (TLS up to 1.2: what follows is encrypted) and in
/// both once the ServerHello is seen; HelloRetryRequests are followed.
///
/// First application data: the first record of content type 23 in a direction. In TLS 1.3
/// the handshake after the ServerHello is encrypted too and travels in type-23 records, so
/// there: the client's first type-23 record after the ServerHello is its Finished, the next
/// one its first data (a type-23 record before the ServerHello is 0-RTT early data and
/// counts); the server's first data is its first type-23 record after the client's Finished.
/// Without keys this is a heuristic: client authentication (more encrypted handshake records)
/// and NewSessionTicket messages (sent after the client's Finished) are taken for data.
///
/// Memory: about a hundred bytes and no heap while no hello straddles segments; the buffer is
/// freed as soon as the hello is complete. Once hellosDone() the caller may drop the parser
/// (or keep it until isDone() for the application-data moments, which need no buffer).
/// No allocation per packet. Not thread-safe: owned by the connection's worker.
class TlsParser {
 public:
  /// Largest hello gathered across segments (16 KiB: real ClientHellos with post-quantum key
  /// shares are under 2 KiB).
  static constexpr std::uint32_t kMaxBufferedMessage = 16 * 1024;
  /// Largest record length accepted: TLSCiphertext, 2^14 + 2048 (RFC 5246 6.2.3).
  static constexpr std::uint32_t kMaxRecordLength = 16384 + 2048;

  /// problems() bits.
  static constexpr std::uint8_t kMalformedHello = 0x01;  ///< a hello failed a bounds check
  static constexpr std::uint8_t kHelloTooLarge = 0x02;   ///< longer than kMaxBufferedMessage
  /// A bad record header or a gap in a direction that was TLS (a stream that never was TLS
  /// is not a problem).
  static constexpr std::uint8_t kLostSync = 0x04;

  /// True when `data` starts like a TLS stream (a plausible record header) or with an SSLv2
  /// hello; needs 5 bytes. For callers choosing which connections to parse.
  static bool looksLikeTls(const std::uint8_t* data, std::size_t length);

  /// Bytes of one direction, in stream order, from a segment captured at `timestampNs`.
  void feed(StreamDirection direction, const std::uint8_t* data, std::size_t length,
            std::int64_t timestampNs, TlsListener& listener);
  /// `bytes` of the direction are missing (TcpStreamCursor gap) before the next feed.
  void gap(StreamDirection direction, std::uint64_t bytes);

  bool hasClientHello() const { return m_clientHelloSeen; }
  /// A ServerHello that is not a HelloRetryRequest was seen.
  bool hasServerHello() const { return m_serverHelloSeen; }
  /// Both hellos are seen: nothing but application-data moments is left to find.
  bool hellosDone() const { return m_clientHelloSeen && m_serverHelloSeen; }
  /// Nothing more can be reported: each direction has reported its first application data
  /// or is not TLS.
  bool isDone() const;
  /// Negotiated version (ServerHello), 0 before.
  std::uint16_t version() const { return m_version; }
  std::uint8_t problems() const { return m_problems; }
  /// Heap bytes held now (a hello being gathered).
  std::size_t bufferedBytes() const {
    return m_sides[0].message.capacity() + m_sides[1].message.capacity();
  }

 private:
  enum class State : std::uint8_t { Start, RecordHeader, RecordBody, Lost, NotTls, Sslv2 };
  struct Side {
    SpillBuffer message;                 ///< a hello straddling segments
    std::uint32_t recordRemaining = 0;   ///< body bytes left in the current record
    std::uint32_t messageRemaining = 0;  ///< body bytes left in the current handshake message
    State state = State::Start;
    std::uint8_t recordType = 0;
    std::uint8_t headerFill = 0;
    std::array<std::uint8_t, 5> header{};  ///< record header being gathered
    std::uint8_t messageHeaderFill = 0;
    std::array<std::uint8_t, 4> messageHeader{};  ///< handshake message header being gathered
    bool handshakeActive = true;                  ///< handshake records are still parsed
    bool collecting = false;                      ///< the current message is a hello being gathered
    bool appDataReported = false;                 ///< onFirstApplicationData was called
    bool synced = false;                          ///< a valid record header was seen
    std::uint8_t encryptedRecords = 0;            ///< type-23 records after a TLS 1.3 ServerHello
  };

  void feedSide(StreamDirection d, const std::uint8_t* p, std::size_t n, std::int64_t ts,
                TlsListener& listener);
  void beginRecord(StreamDirection d, std::int64_t ts, TlsListener& listener);
  void handshakeBytes(StreamDirection d, const std::uint8_t* p, std::size_t n, std::int64_t ts,
                      TlsListener& listener);
  void handshakeMessage(StreamDirection d, std::uint8_t type, const std::uint8_t* body,
                        std::size_t length, std::int64_t ts, TlsListener& listener);
  void parseClientHello(StreamDirection d, const std::uint8_t* body, std::size_t length,
                        std::int64_t ts, TlsListener& listener);
  void parseServerHello(StreamDirection d, const std::uint8_t* body, std::size_t length,
                        std::int64_t ts, TlsListener& listener);
  void applicationDataRecord(StreamDirection d, std::int64_t ts, TlsListener& listener);
  void stopHandshake(Side& side);
  void loseSync(Side& side);

  std::array<Side, 2> m_sides;
  std::uint16_t m_version = 0;  ///< negotiated (or asked for by a HelloRetryRequest)
  StreamDirection m_clientSide = StreamDirection::Forward;
  bool m_clientHelloSeen = false;
  bool m_serverHelloSeen = false;
  bool m_clientOffersTls13 = false;
  std::uint8_t m_problems = 0;
};

}  // namespace netlens::node::analysis
