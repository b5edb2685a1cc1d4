// SPDX-License-Identifier: MIT
#include "app/core/console_identity.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>

namespace netlens::app::core {

ConsoleIdentity::ConsoleIdentity(QString keyFile) : m_keyFile(std::move(keyFile)) {
  if (m_keyFile.isEmpty()) {
    m_keyFile = QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
                    .filePath(QStringLiteral("console.key"));
  }
}

std::filesystem::path ConsoleIdentity::toFsPath(const QString& path) {
#ifdef Q_OS_WIN
  return std::filesystem::path(path.toStdWString());
#else
  return std::filesystem::path(QFile::encodeName(path).toStdString());
#endif
}

bool ConsoleIdentity::load(QString* error) {
  auto keys = transport::loadOrCreateKeyPair(toFsPath(m_keyFile));
  if (!keys) {
    if (error) *error = QString::fromStdString(keys.error());
    return false;
  }
  m_keys = *keys;
  return true;
}

QString ConsoleIdentity::fingerprint() const {
  return QString::fromStdString(transport::keyFingerprint(m_keys.publicKey));
}

QString ConsoleIdentity::authorizeCommand(const QString& role, const QString& stateDir) const {
  QString dir = stateDir.trimmed();
  if (dir.isEmpty())
    dir = QStringLiteral("<node state dir>");  // for the administrator to fill in
  else if (dir.contains(QLatin1Char(' ')))
    dir = QLatin1Char('"') + dir + QLatin1Char('"');
  // Z85 keys may contain shell metacharacters ('&', '$', '*', ...): quote the key. One key in
  // 85 starts with '-', which the node would read as an option: then "--" ends the options.
  const QString key = QLatin1Char('\'') + publicKey() + QLatin1Char('\'');
  if (publicKey().startsWith(QLatin1Char('-')))
    return QStringLiteral("netlens-node authorize --role %1 --state %2 -- %3").arg(role, dir, key);
  return QStringLiteral("netlens-node authorize %1 --role %2 --state %3").arg(key, role, dir);
}

}  // namespace netlens::app::core
