// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "node/demo/demo_random.h"

namespace netlens::node::demo {

/// TLS versions the demo speaks. Tls12 handshakes are abbreviated (session resumption:
/// ServerHello, ChangeCipherSpec, Finished), so no certificate has to be made up.
enum class TlsVersion { Tls12, Tls13 };

/// A TLS session's handshake bytes. Each vector holds whole TLS records as one flight.
/// Encrypted parts are random bytes of realistic length; the cleartext parts
/// (ClientHello with SNI, ALPN, key share; ServerHello) are complete and well formed.
struct TlsHandshake {
  std::vector<std::uint8_t> clientHello;
  std::vector<std::uint8_t> serverFlight;  // ServerHello, CCS, encrypted handshake
  std::vector<std::uint8_t> clientFinish;  // CCS, encrypted Finished
};

/// The handshake of a browser-like client contacting `serverName`; `alpn` is the protocol
/// the server picks ("h2" or "http/1.1").
TlsHandshake tlsHandshake(TlsVersion version, std::string_view serverName, std::string_view alpn,
                          DemoRandom& random);

/// `plaintextBytes` of application data as encrypted records (type 23, at most 16 KiB of
/// plaintext each, plus the AEAD overhead of the version).
std::vector<std::uint8_t> tlsApplicationData(TlsVersion version, std::size_t plaintextBytes,
                                             DemoRandom& random);

/// An encrypted close_notify alert record.
std::vector<std::uint8_t> tlsCloseNotify(TlsVersion version, DemoRandom& random);

}  // namespace netlens::node::demo
