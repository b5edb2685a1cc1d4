// SPDX-License-Identifier: MIT
#include "node/demo/tls_messages.h"

#include <algorithm>
#include <initializer_list>

namespace netlens::node::demo {

namespace {

constexpr std::uint8_t kContentChangeCipherSpec = 20;
constexpr std::uint8_t kContentAlert = 21;
constexpr std::uint8_t kContentHandshake = 22;
constexpr std::uint8_t kContentApplicationData = 23;
constexpr std::size_t kMaxPlaintext = 16384;

/// Appends bytes built by callers into `v` and patches length prefixes afterwards.
class Writer {
 public:
  explicit Writer(std::vector<std::uint8_t>& v) : m_v(v) {}
  void u8(std::uint8_t x) { m_v.push_back(x); }
  void u16(std::uint16_t x) {
    u8(static_cast<std::uint8_t>(x >> 8));
    u8(static_cast<std::uint8_t>(x));
  }
  void bytes(std::string_view s) { m_v.insert(m_v.end(), s.begin(), s.end()); }
  void random(std::size_t n, DemoRandom& r) {
    for (std::size_t i = 0; i < n; ++i) u8(static_cast<std::uint8_t>(r.next()));
  }
  void list16(std::initializer_list<std::uint16_t> values) {
    for (auto x : values) u16(x);
  }
  /// A length field reserved by open(); finish() fills in the bytes written after it.
  struct Mark {
    std::size_t end;
    std::size_t width;
  };
  Mark open(std::size_t width) {
    m_v.insert(m_v.end(), width, 0);
    return {m_v.size(), width};
  }
  void finish(Mark mark) {
    std::size_t length = m_v.size() - mark.end;
    for (std::size_t i = 0; i < mark.width; ++i, length >>= 8) {
      m_v[mark.end - 1 - i] = static_cast<std::uint8_t>(length);
    }
  }

 private:
  std::vector<std::uint8_t>& m_v;
};

void extension(Writer& w, std::uint16_t type, auto&& body) {
  w.u16(type);
  const auto mark = w.open(2);
  body();
  w.finish(mark);
}

void recordOf(std::vector<std::uint8_t>& v, std::uint8_t type, std::uint16_t version,
              std::size_t randomBytes, DemoRandom& random) {
  Writer w(v);
  w.u8(type);
  w.u16(version);
  w.u16(static_cast<std::uint16_t>(randomBytes));
  w.random(randomBytes, random);
}

std::vector<std::uint8_t> clientHello(TlsVersion version, std::string_view serverName,
                                      const std::vector<std::uint8_t>& sessionId,
                                      DemoRandom& random) {
  const bool tls13 = version == TlsVersion::Tls13;
  std::vector<std::uint8_t> v;
  Writer w(v);
  w.u8(kContentHandshake);
  w.u16(0x0301);  // the record version clients use for compatibility
  const auto record = w.open(2);
  w.u8(1);  // client_hello
  const auto hello = w.open(3);
  w.u16(0x0303);
  w.random(32, random);
  w.u8(static_cast<std::uint8_t>(sessionId.size()));
  v.insert(v.end(), sessionId.begin(), sessionId.end());
  const auto suites = w.open(2);
  if (tls13) w.list16({0x1301, 0x1302, 0x1303});
  w.list16({0xc02b, 0xc02f, 0xcca9, 0xcca8, 0xc02c, 0xc030, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f,
            0x0035});
  w.finish(suites);
  w.u8(1);  // compression methods: null only
  w.u8(0);
  const auto extensions = w.open(2);
  extension(w, 0x0000, [&] {  // server_name
    const auto list = w.open(2);
    w.u8(0);  // host_name
    w.u16(static_cast<std::uint16_t>(serverName.size()));
    w.bytes(serverName);
    w.finish(list);
  });
  extension(w, 0x0017, [] {});             // extended_master_secret
  extension(w, 0xff01, [&] { w.u8(0); });  // renegotiation_info
  extension(w, 0x000a, [&] {               // supported_groups
    w.u16(6);
    w.list16({0x001d, 0x0017, 0x0018});
  });
  extension(w, 0x000b, [&] {  // ec_point_formats: uncompressed
    w.u8(1);
    w.u8(0);
  });
  extension(w, 0x0023, [] {});  // session_ticket
  extension(w, 0x0010, [&] {    // ALPN
    const auto list = w.open(2);
    w.u8(2);
    w.bytes("h2");
    w.u8(8);
    w.bytes("http/1.1");
    w.finish(list);
  });
  extension(w, 0x0005, [&] {  // status_request: OCSP
    w.u8(1);
    w.u16(0);
    w.u16(0);
  });
  extension(w, 0x000d, [&] {  // signature_algorithms
    w.u16(16);
    w.list16({0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601});
  });
  if (tls13) {
    extension(w, 0x0033, [&] {  // key_share: one x25519 share
      w.u16(36);
      w.u16(0x001d);
      w.u16(32);
      w.random(32, random);
    });
    extension(w, 0x002b, [&] {  // supported_versions
      w.u8(4);
      w.list16({0x0304, 0x0303});
    });
    extension(w, 0x002d, [&] {  // psk_key_exchange_modes: psk_dhe_ke
      w.u8(1);
      w.u8(1);
    });
  }
  w.finish(extensions);
  w.finish(hello);
  w.finish(record);
  return v;
}

void serverHello(std::vector<std::uint8_t>& v, TlsVersion version, std::string_view alpn,
                 const std::vector<std::uint8_t>& sessionId, DemoRandom& random) {
  const bool tls13 = version == TlsVersion::Tls13;
  Writer w(v);
  w.u8(kContentHandshake);
  w.u16(0x0303);
  const auto record = w.open(2);
  w.u8(2);  // server_hello
  const auto hello = w.open(3);
  w.u16(0x0303);
  w.random(32, random);
  w.u8(static_cast<std::uint8_t>(sessionId.size()));
  v.insert(v.end(), sessionId.begin(), sessionId.end());
  w.u16(tls13 ? 0x1301 : 0xc02f);  // TLS_AES_128_GCM_SHA256 / ECDHE-RSA-AES128-GCM-SHA256
  w.u8(0);
  const auto extensions = w.open(2);
  if (tls13) {
    extension(w, 0x002b, [&] { w.u16(0x0304); });
    extension(w, 0x0033, [&] {
      w.u16(0x001d);
      w.u16(32);
      w.random(32, random);
    });
  } else {
    extension(w, 0xff01, [&] { w.u8(0); });
    extension(w, 0x0017, [] {});
    extension(w, 0x000b, [&] {
      w.u8(1);
      w.u8(0);
    });
    extension(w, 0x0010, [&] {
      const auto list = w.open(2);
      w.u8(static_cast<std::uint8_t>(alpn.size()));
      w.bytes(alpn);
      w.finish(list);
    });
  }
  w.finish(extensions);
  w.finish(hello);
  w.finish(record);
}

void changeCipherSpec(std::vector<std::uint8_t>& v) {
  v.insert(v.end(), {kContentChangeCipherSpec, 0x03, 0x03, 0x00, 0x01, 0x01});
}

}  // namespace

TlsHandshake tlsHandshake(TlsVersion version, std::string_view serverName, std::string_view alpn,
                          DemoRandom& random) {
  TlsHandshake h;
  std::vector<std::uint8_t> sessionId(32);
  for (auto& b : sessionId) b = static_cast<std::uint8_t>(random.next());
  h.clientHello = clientHello(version, serverName, sessionId, random);
  serverHello(h.serverFlight, version, alpn, sessionId, random);
  changeCipherSpec(h.serverFlight);
  changeCipherSpec(h.clientFinish);
  if (version == TlsVersion::Tls13) {
    // EncryptedExtensions, Certificate, CertificateVerify, Finished: one wrapped record.
    const auto size = static_cast<std::size_t>(random.between(2400, 4600));
    recordOf(h.serverFlight, kContentApplicationData, 0x0303, size, random);
    recordOf(h.clientFinish, kContentApplicationData, 0x0303, 53, random);
  } else {
    // Resumption: the server's Finished follows its CCS at once (12 bytes + GCM overhead).
    recordOf(h.serverFlight, kContentHandshake, 0x0303, 40, random);
    recordOf(h.clientFinish, kContentHandshake, 0x0303, 40, random);
  }
  return h;
}

std::vector<std::uint8_t> tlsApplicationData(TlsVersion version, std::size_t plaintextBytes,
                                             DemoRandom& random) {
  // TLS 1.3: inner content type + 16-byte tag; TLS 1.2 GCM: 8-byte explicit nonce + tag.
  const std::size_t overhead = version == TlsVersion::Tls13 ? 17 : 24;
  std::vector<std::uint8_t> v;
  v.reserve(plaintextBytes + (plaintextBytes / kMaxPlaintext + 1) * (overhead + 5));
  while (plaintextBytes > 0) {
    const std::size_t chunk = std::min(plaintextBytes, kMaxPlaintext);
    recordOf(v, kContentApplicationData, 0x0303, chunk + overhead, random);
    plaintextBytes -= chunk;
  }
  return v;
}

std::vector<std::uint8_t> tlsCloseNotify(TlsVersion version, DemoRandom& random) {
  std::vector<std::uint8_t> v;
  if (version == TlsVersion::Tls13) {
    recordOf(v, kContentApplicationData, 0x0303, 19, random);
  } else {
    recordOf(v, kContentAlert, 0x0303, 26, random);
  }
  return v;
}

}  // namespace netlens::node::demo
