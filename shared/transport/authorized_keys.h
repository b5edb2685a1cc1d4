// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/protocol/result.h"

namespace netlens::transport {

/// What an authenticated console may do on a node. The ZAP handler hands the role name to
/// the server as the ZeroMQ User-Id of every message of that connection.
enum class Role { Viewer, Admin };

/// "viewer" / "admin".
std::string_view roleName(Role role);
/// Parses "viewer" / "admin" (exact, lower case).
std::optional<Role> parseRole(std::string_view name);

/// One authorised console key.
struct AuthorizedKey {
  std::string publicKey;  ///< Z85, 40 characters
  Role role = Role::Viewer;
  std::string comment;  ///< free text after the role, e.g. "alice@laptop"
  friend bool operator==(const AuthorizedKey&, const AuthorizedKey&) = default;
};

/// The node's `authorized_keys` file: one console public key per line,
///   <Z85 public key> <viewer|admin> <comment...>
/// Blank lines and lines starting with '#' are comments and are kept on save. A key may
/// appear once; a repeated key is an error (which role would win is ambiguous).
///
/// SECURITY: this file decides who may read traffic statistics and packets. It is written
/// 0600 atomically (see writePrivateFile) so a concurrent reader (the ZAP handler) sees the
/// old or the new file, never half of one. A file that fails to parse authorises nobody.
/// Thread: a value type; not synchronised.
class AuthorizedKeys {
 public:
  AuthorizedKeys() = default;

  /// Parses file text. `sourceName` prefixes errors: "<sourceName>:<line>: <problem>".
  static protocol::Result<AuthorizedKeys> parse(std::string_view text, std::string_view sourceName);
  /// Reads and parses a file (errors name the file and the line).
  static protocol::Result<AuthorizedKeys> load(const std::filesystem::path& file);

  /// Writes the file atomically with mode 0600 (parent folder created 0700 if missing).
  protocol::Status save(const std::filesystem::path& file) const;
  /// The file text, comments kept in place, one entry per line.
  std::string toText() const;

  /// Adds a key, or replaces the role and comment of an existing one (position kept).
  /// Returns false (changing nothing) if the key is not a valid Z85 key.
  bool add(const AuthorizedKey& key);
  /// Removes a key; false if it was not present.
  bool remove(std::string_view publicKey);
  /// The entry for a key, if authorised.
  std::optional<AuthorizedKey> find(std::string_view publicKey) const;
  /// All entries in file order.
  std::vector<AuthorizedKey> entries() const;
  std::size_t size() const;
  bool isEmpty() const { return size() == 0; }

 private:
  struct Line {
    std::string comment;  ///< the raw text for comment/blank lines
    std::optional<AuthorizedKey> key;
  };
  std::vector<Line> m_lines;
};

}  // namespace netlens::transport
