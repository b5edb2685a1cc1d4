// SPDX-License-Identifier: MIT
#pragma once

// CURVE key pairs (Curve25519, Z85 text) and their files.
//
// THREAT MODEL: a secret key file grants the identity of a node or console. It is created
// with mode 0600 from the first byte (open(O_CREAT|O_EXCL, 0600) on a temporary name, then
// fchmod and an atomic rename — never world-readable, not even briefly) in a folder made
// 0700. Loading refuses key-pair files that group or others may read, as ssh does. Public
// keys are not secret; a fingerprint of one is shown to users to compare out of band.
// Windows: permission bits are not checked (the console's per-user profile folder is
// relied upon).

#include <filesystem>
#include <string>
#include <string_view>

#include "shared/protocol/result.h"

namespace netlens::transport {

using protocol::Result;
using protocol::Status;

/// Length of a Z85-encoded CURVE key (32 bytes → 40 characters).
inline constexpr std::size_t kZ85KeyLength = 40;

/// A CURVE key pair in Z85 text. `secretKey` may be empty for a public-only identity.
struct KeyPair {
  std::string publicKey;
  std::string secretKey;
};

/// A fresh key pair from libzmq (zmq_curve_keypair). Fails only if libzmq lacks CURVE.
Result<KeyPair> generateKeyPair();

/// The public key belonging to a Z85 secret key (zmq_curve_public).
Result<std::string> publicKeyFromSecret(std::string_view secretKeyZ85);

/// Empty if `key` is a well-formed Z85 CURVE key (40 characters of the Z85 alphabet that
/// decode to 32 bytes); otherwise why not, e.g. "is 39 characters long, expected 40".
std::string checkZ85Key(std::string_view key);
inline bool isValidZ85Key(std::string_view key) {
  return checkZ85Key(key).empty();
}

/// A short fingerprint of a public key for display and out-of-band comparison:
/// the first 8 bytes of SHA-256 over the 32 raw key bytes, as "xxxx:xxxx:xxxx:xxxx" hex.
/// Returns "" for an invalid key.
std::string keyFingerprint(std::string_view publicKeyZ85);

/// Writes a key-pair file:
///   # Netlens CURVE key pair. Keep this file secret.
///   public <40 Z85 characters>
///   secret <40 Z85 characters>
/// Creates missing parent folders with mode 0700 (existing folders are left alone), writes
/// to a 0600 temporary file and renames it over `file`. Thread: any.
Status saveKeyPair(const std::filesystem::path& file, const KeyPair& keys);

/// Reads and validates a key-pair file (both keys well formed, public matches secret,
/// permissions not wider than 0600). Errors read
/// "key file <file>: not a Netlens key pair: <reason>" or
/// "key file <file>: permissions 0644 are too open; run chmod 600 <file>".
Result<KeyPair> loadKeyPair(const std::filesystem::path& file);

/// Loads `file`, or generates a key pair and saves it there when the file does not exist.
/// A file that exists but is invalid is an error (never silently replaced).
Result<KeyPair> loadOrCreateKeyPair(const std::filesystem::path& file);

/// Creates `folder` (and parents) if needed and sets it to 0700. Thread: any.
Status ensurePrivateFolder(const std::filesystem::path& folder);

/// Writes `contents` to `file` atomically with mode 0600 (temporary file created 0600 with
/// O_EXCL in the same folder, fsync, rename). Thread: any.
Status writePrivateFile(const std::filesystem::path& file, std::string_view contents);

}  // namespace netlens::transport
