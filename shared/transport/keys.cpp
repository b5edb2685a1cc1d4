// SPDX-License-Identifier: MIT
#include "shared/transport/keys.h"

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <system_error>

#include <openssl/evp.h>
#include <zmq.h>

#ifndef _WIN32
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace netlens::transport {

namespace {

constexpr std::string_view kZ85Alphabet =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

/// Key files are tiny; anything bigger is not one (and is not read into memory).
constexpr std::uintmax_t kMaxKeyFileSize = std::uintmax_t{64} * 1024;

std::string errnoText(int error) {
  return std::generic_category().message(error);
}

std::string quoted(const std::filesystem::path& p) {
  return p.string();
}

Result<std::string> readSmallFile(const std::filesystem::path& file, std::uintmax_t maxSize) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) return Result<std::string>::failure(ec.message());
  if (size > maxSize)
    return Result<std::string>::failure("file is " + std::to_string(size) +
                                        " bytes, larger than expected");
  std::ifstream in(file, std::ios::binary);
  if (!in) return Result<std::string>::failure("cannot open it: " + errnoText(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Splits "word rest" at the first run of spaces/tabs.
std::pair<std::string_view, std::string_view> splitWord(std::string_view line) {
  const auto end = line.find_first_of(" \t");
  if (end == std::string_view::npos) return {line, {}};
  std::string_view rest = line.substr(end);
  rest.remove_prefix(std::min(rest.find_first_not_of(" \t"), rest.size()));
  return {line.substr(0, end), rest};
}

std::string_view trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

#ifndef _WIN32
/// mkdir -p where every folder this call creates gets mode 0700.
Status makeFoldersPrivate(const std::filesystem::path& folder) {
  std::filesystem::path current;
  for (const auto& part : folder) {
    current /= part;
    if (current.empty() || current == current.root_path()) continue;
    if (::mkdir(current.c_str(), 0700) == 0) {
      // umask can only remove bits, but be explicit about what we require.
      if (::chmod(current.c_str(), 0700) != 0)
        return Status::failure("cannot set mode 0700 on folder " + quoted(current) + ": " +
                               errnoText(errno));
    } else if (errno != EEXIST) {
      return Status::failure("cannot create folder " + quoted(current) + ": " + errnoText(errno));
    }
  }
  return {};
}
#endif

}  // namespace

Result<KeyPair> generateKeyPair() {
  std::array<char, kZ85KeyLength + 1> pub{};
  std::array<char, kZ85KeyLength + 1> sec{};
  if (zmq_curve_keypair(pub.data(), sec.data()) != 0)
    return Result<KeyPair>::failure(
        "cannot generate a CURVE key pair: this libzmq was built without CURVE support (" +
        std::string(zmq_strerror(zmq_errno())) + ")");
  return KeyPair{std::string(pub.data(), kZ85KeyLength), std::string(sec.data(), kZ85KeyLength)};
}

Result<std::string> publicKeyFromSecret(std::string_view secretKeyZ85) {
  if (std::string why = checkZ85Key(secretKeyZ85); !why.empty())
    return Result<std::string>::failure("secret key " + why);
  const std::string secret(secretKeyZ85);
  std::array<char, kZ85KeyLength + 1> pub{};
  if (zmq_curve_public(pub.data(), secret.c_str()) != 0)
    return Result<std::string>::failure("cannot derive the public key: " +
                                        std::string(zmq_strerror(zmq_errno())));
  return std::string(pub.data(), kZ85KeyLength);
}

std::string checkZ85Key(std::string_view key) {
  if (key.size() != kZ85KeyLength)
    return "is " + std::to_string(key.size()) + " characters long, expected " +
           std::to_string(kZ85KeyLength);
  for (std::size_t i = 0; i < key.size(); i += 5) {
    std::uint64_t value = 0;
    for (std::size_t j = i; j < i + 5; ++j) {
      const auto digit = kZ85Alphabet.find(key[j]);
      if (digit == std::string_view::npos) {
        const auto c = static_cast<unsigned char>(key[j]);
        if (c < 0x21 || c > 0x7e)
          return "contains the byte 0x" + std::string(1, "0123456789abcdef"[c >> 4]) +
                 std::string(1, "0123456789abcdef"[c & 15]) + ", which is not a Z85 character";
        return "contains '" + std::string(1, key[j]) + "', which is not a Z85 character";
      }
      value = value * 85 + digit;
    }
    if (value > 0xFFFFFFFFull) return "is not valid Z85 (a 5-character group overflows)";
  }
  return {};
}

std::string keyFingerprint(std::string_view publicKeyZ85) {
  if (!isValidZ85Key(publicKeyZ85)) return {};
  const std::string key(publicKeyZ85);
  std::array<std::uint8_t, 32> raw{};
  if (!zmq_z85_decode(raw.data(), key.c_str())) return {};
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digestSize = 0;
  if (EVP_Digest(raw.data(), raw.size(), digest.data(), &digestSize, EVP_sha256(), nullptr) != 1)
    return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i > 0 && i % 2 == 0) out += ':';
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

Status ensurePrivateFolder(const std::filesystem::path& folder) {
#ifdef _WIN32
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) return Status::failure("cannot create folder " + quoted(folder) + ": " + ec.message());
  return {};
#else
  // An existing folder is never re-moded (think `--state /tmp` run as root): it must already
  // be private. A folder created here is made 0700.
  struct stat st {};
  if (::stat(folder.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) return Status::failure(quoted(folder) + " is not a folder");
    if ((st.st_mode & 0077) != 0) {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
      return Status::failure("folder " + quoted(folder) + " is open to other users (mode " + mode +
                             "); make it private with `chmod 700 " + folder.string() +
                             "` or choose another folder");
    }
    return {};
  }
  if (Status s = makeFoldersPrivate(folder); !s) return s;
  if (::chmod(folder.c_str(), 0700) != 0)
    return Status::failure("cannot set mode 0700 on folder " + quoted(folder) + ": " +
                           errnoText(errno));
  return {};
#endif
}

Status writePrivateFile(const std::filesystem::path& file, std::string_view contents) {
  std::filesystem::path folder = file.parent_path();
  if (folder.empty()) folder = ".";
#ifdef _WIN32
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  if (!out) return Status::failure("cannot write " + quoted(file));
  return {};
#else
  if (Status s = makeFoldersPrivate(folder); !s) return s;
  // A unique temporary name in the same folder, created 0600 with O_EXCL (never an existing
  // file or a planted symlink), then renamed over the target: readers see old or new.
  std::random_device random;
  const std::filesystem::path temporary =
      folder / ("." + file.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                std::to_string(random()));
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                        S_IRUSR | S_IWUSR);
  if (fd < 0)
    return Status::failure("cannot create " + quoted(temporary) + ": " + errnoText(errno));
  auto abandon = [&](const std::string& what) {
    const int error = errno;
    ::close(fd);
    ::unlink(temporary.c_str());
    return Status::failure("cannot write " + quoted(file) + ": " + what + ": " + errnoText(error));
  };
  if (::fchmod(fd, S_IRUSR | S_IWUSR) != 0) return abandon("fchmod");
  const char* p = contents.data();
  std::size_t left = contents.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return abandon("write");
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) return abandon("fsync");
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    return Status::failure("cannot write " + quoted(file) + ": close: " + errnoText(error));
  }
  if (::rename(temporary.c_str(), file.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    return Status::failure("cannot replace " + quoted(file) + ": " + errnoText(error));
  }
  return {};
#endif
}

Status saveKeyPair(const std::filesystem::path& file, const KeyPair& keys) {
  if (std::string why = checkZ85Key(keys.publicKey); !why.empty())
    return Status::failure("key file " + quoted(file) + ": public key " + why);
  if (std::string why = checkZ85Key(keys.secretKey); !why.empty())
    return Status::failure("key file " + quoted(file) + ": secret key " + why);
  const std::string text =
      "# Netlens CURVE key pair. Keep this file secret: the secret key is this machine's\n"
      "# identity. Share only the public key (or the connection string).\n"
      "public " +
      keys.publicKey + "\nsecret " + keys.secretKey + "\n";
  return writePrivateFile(file, text);
}

Result<KeyPair> loadKeyPair(const std::filesystem::path& file) {
  const std::string prefix = "key file " + quoted(file) + ": ";
  auto notKeyPair = [&](const std::string& why) {
    return Result<KeyPair>::failure(prefix + "not a Netlens key pair: " + why);
  };
#ifndef _WIN32
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0)
    return Result<KeyPair>::failure(prefix + "cannot read it: " + errnoText(errno));
  if (!S_ISREG(info.st_mode)) return notKeyPair("not a regular file");
  if ((info.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
    return Result<KeyPair>::failure(prefix + "permissions " + mode +
                                    " are too open (the secret key must be private); run "
                                    "chmod 600 " +
                                    quoted(file));
  }
#endif
  Result<std::string> text = readSmallFile(file, kMaxKeyFileSize);
  if (!text) return Result<KeyPair>::failure(prefix + "cannot read it: " + text.error());
  KeyPair keys;
  std::string_view rest = *text;
  int lineNumber = 0;
  while (!rest.empty()) {
    const auto newline = rest.find('\n');
    const std::string_view raw = rest.substr(0, newline);
    rest = newline == std::string_view::npos ? std::string_view{} : rest.substr(newline + 1);
    ++lineNumber;
    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    const auto [word, value] = splitWord(line);
    const std::string where = "line " + std::to_string(lineNumber) + ": ";
    std::string* slot = word == "public"   ? &keys.publicKey
                        : word == "secret" ? &keys.secretKey
                                           : nullptr;
    if (!slot) return notKeyPair(where + "expected \"public <key>\" or \"secret <key>\"");
    if (!slot->empty()) return notKeyPair(where + "a second " + std::string(word) + " key");
    if (std::string why = checkZ85Key(value); !why.empty())
      return notKeyPair(where + std::string(word) + " key " + why);
    *slot = std::string(value);
  }
  if (keys.secretKey.empty()) return notKeyPair("no \"secret <key>\" line");
  if (keys.publicKey.empty()) return notKeyPair("no \"public <key>\" line");
  Result<std::string> derived = publicKeyFromSecret(keys.secretKey);
  if (!derived) return notKeyPair(derived.error());
  if (*derived != keys.publicKey)
    return notKeyPair("the public key does not belong to the secret key");
  return keys;
}

Result<KeyPair> loadOrCreateKeyPair(const std::filesystem::path& file) {
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::symlink_status(file, ec))) return loadKeyPair(file);
  Result<KeyPair> keys = generateKeyPair();
  if (!keys) return keys;
  if (Status s = saveKeyPair(file, *keys); !s)
    return Result<KeyPair>::failure("key file " + quoted(file) + ": " + s.error());
  return keys;
}

}  // namespace netlens::transport
