// SPDX-License-Identifier: MIT
#include "shared/transport/authorized_keys.h"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <system_error>

#include "shared/transport/keys.h"

namespace netlens::transport {

namespace {

using protocol::Result;
using protocol::Status;

/// Far more than any real file (≈100 bytes per console); guards against reading a wrong,
/// huge file into memory.
constexpr std::uintmax_t kMaxFileSize = std::uintmax_t{4} * 1024 * 1024;

std::string_view trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

/// Next whitespace-separated word of `rest`, which is advanced past it.
std::string_view nextWord(std::string_view& rest) {
  rest = trim(rest);
  const auto end = rest.find_first_of(" \t");
  const std::string_view word = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view{} : trim(rest.substr(end));
  return word;
}

}  // namespace

std::string_view roleName(Role role) {
  return role == Role::Admin ? "admin" : "viewer";
}

std::optional<Role> parseRole(std::string_view name) {
  if (name == "viewer") return Role::Viewer;
  if (name == "admin") return Role::Admin;
  return std::nullopt;
}

Result<AuthorizedKeys> AuthorizedKeys::parse(std::string_view text, std::string_view sourceName) {
  AuthorizedKeys keys;
  int lineNumber = 0;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    std::string_view raw = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    ++lineNumber;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    const std::string where = std::string(sourceName) + ":" + std::to_string(lineNumber) + ": ";
    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') {
      keys.m_lines.push_back(Line{std::string(raw), std::nullopt});
      continue;
    }
    std::string_view rest = line;
    const std::string_view key = nextWord(rest);
    const std::string_view role = nextWord(rest);
    if (std::string why = checkZ85Key(key); !why.empty())
      return Result<AuthorizedKeys>::failure(where + "the public key " + why +
                                             " (expected \"<Z85 public key> <viewer|admin> "
                                             "<comment>\")");
    if (role.empty())
      return Result<AuthorizedKeys>::failure(where +
                                             "missing role after the key: add viewer "
                                             "or admin");
    const std::optional<Role> parsedRole = parseRole(role);
    if (!parsedRole)
      return Result<AuthorizedKeys>::failure(where + "unknown role \"" + std::string(role) +
                                             "\": use viewer or admin");
    if (keys.find(key))
      return Result<AuthorizedKeys>::failure(where +
                                             "this key is already listed above; keep "
                                             "one line per key");
    keys.m_lines.push_back(
        Line{{}, AuthorizedKey{std::string(key), *parsedRole, std::string(rest)}});
  }
  return keys;
}

Result<AuthorizedKeys> AuthorizedKeys::load(const std::filesystem::path& file) {
  const std::string name = file.string();
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) return Result<AuthorizedKeys>::failure(name + ": cannot read it: " + ec.message());
  if (size > kMaxFileSize)
    return Result<AuthorizedKeys>::failure(name + ": " + std::to_string(size) +
                                           " bytes is too large for an authorized_keys file");
#ifndef _WIN32
  // Like sshd's StrictModes: a file others may write would let them admit any key.
  struct stat st {};
  if (::stat(file.c_str(), &st) == 0 && (st.st_mode & 0022) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Result<AuthorizedKeys>::failure(name + ": writable by other users (mode " + mode +
                                           "); run chmod 600 " + name);
  }
#endif
  std::ifstream in(file, std::ios::binary);
  if (!in) return Result<AuthorizedKeys>::failure(name + ": cannot open it");
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), name);
}

Status AuthorizedKeys::save(const std::filesystem::path& file) const {
  return writePrivateFile(file, toText());
}

std::string AuthorizedKeys::toText() const {
  std::string out;
  for (const Line& line : m_lines) {
    if (line.key) {
      out += line.key->publicKey;
      out += ' ';
      out += roleName(line.key->role);
      if (!line.key->comment.empty()) {
        out += ' ';
        // A comment must stay on its line.
        for (char c : line.key->comment) out += (c == '\n' || c == '\r') ? ' ' : c;
      }
    } else {
      out += line.comment;
    }
    out += '\n';
  }
  return out;
}

bool AuthorizedKeys::add(const AuthorizedKey& key) {
  if (!isValidZ85Key(key.publicKey)) return false;
  for (Line& line : m_lines) {
    if (line.key && line.key->publicKey == key.publicKey) {
      line.key->role = key.role;
      line.key->comment = key.comment;
      return true;
    }
  }
  m_lines.push_back(Line{{}, key});
  return true;
}

bool AuthorizedKeys::remove(std::string_view publicKey) {
  for (auto it = m_lines.begin(); it != m_lines.end(); ++it) {
    if (it->key && it->key->publicKey == publicKey) {
      m_lines.erase(it);
      return true;
    }
  }
  return false;
}

std::optional<AuthorizedKey> AuthorizedKeys::find(std::string_view publicKey) const {
  for (const Line& line : m_lines)
    if (line.key && line.key->publicKey == publicKey) return line.key;
  return std::nullopt;
}

std::vector<AuthorizedKey> AuthorizedKeys::entries() const {
  std::vector<AuthorizedKey> out;
  for (const Line& line : m_lines)
    if (line.key) out.push_back(*line.key);
  return out;
}

std::size_t AuthorizedKeys::size() const {
  std::size_t n = 0;
  for (const Line& line : m_lines) n += line.key ? 1 : 0;
  return n;
}

}  // namespace netlens::transport
