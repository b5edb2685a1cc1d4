// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include "shared/transport/keys.h"

namespace netlens::app::core {

/// The console's CURVE key pair: what nodes authorise (`netlens-node authorize <public key>`).
/// Made on first run in the console's config folder (QStandardPaths::AppConfigLocation),
/// in a 0600 file written by the shared keys API; loaded from there afterwards.
///
/// Thread: GUI thread (load once at start-up; the file is tiny). A plain value otherwise;
/// NodeManager copies the key pair to each node client.
class ConsoleIdentity {
 public:
  /// `keyFile` empty: "<AppConfigLocation>/console.key".
  explicit ConsoleIdentity(QString keyFile = {});

  /// Loads the key pair, creating it when the file does not exist. False with `error` set
  /// when the file exists but cannot be used (never silently replaced).
  bool load(QString* error = nullptr);

  bool isLoaded() const { return !m_keys.publicKey.empty(); }
  const transport::KeyPair& keyPair() const { return m_keys; }
  QString publicKey() const { return QString::fromStdString(m_keys.publicKey); }
  /// "xxxx:xxxx:xxxx:xxxx", for comparing out of band.
  QString fingerprint() const;
  QString keyFile() const { return m_keyFile; }

  /// The command a node's administrator runs to let this console in; an empty `stateDir`
  /// reads "<node state dir>".
  QString authorizeCommand(const QString& role, const QString& stateDir) const;

  /// Converts a Qt path to a filesystem path (UTF-8 on POSIX, UTF-16 on Windows).
  static std::filesystem::path toFsPath(const QString& path);

 private:
  QString m_keyFile;
  transport::KeyPair m_keys;
};

}  // namespace netlens::app::core
