// SPDX-License-Identifier: MIT
// Helpers of the integration tests: real netlens-node processes and their JSON answers.
#pragma once

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>
#include <map>

#include "shared/net/ip_address.h"

namespace netlens::tests {

inline const QString kNode = QStringLiteral(NETLENS_NODE_BINARY);

inline QString capture(const char* name) {
  return QStringLiteral(NETLENS_SHARED_DATA "/pcaps/") + QString::fromLatin1(name);
}

struct CommandResult {
  int exitCode = -1;
  QByteArray out;
  QByteArray err;
  qint64 elapsedMs = 0;
};

inline CommandResult runNode(const QStringList& args, int timeoutMs = 30000) {
  QProcess p;
  QElapsedTimer timer;
  timer.start();
  p.start(kNode, args);
  CommandResult r;
  if (!p.waitForFinished(timeoutMs)) {
    p.kill();
    p.waitForFinished();
    r.err = "timed out";
    return r;
  }
  r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  r.out = p.readAllStandardOutput();
  r.err = p.readAllStandardError();
  r.elapsedMs = timer.elapsed();
  return r;
}

/// A node process serving one capture on an ephemeral loopback port.
struct NodeProcess {
  QString state;
  QProcess process;
  QString url;

  bool start(const QString& stateDir, const QString& file, const QString& consoleKey,
             const QStringList& extra = {}) {
    state = stateDir;
    if (runNode({"authorize", consoleKey, "--role", "viewer", "--state", state}).exitCode != 0) {
      return false;
    }
    QFile::remove(state + "/listen");  // a restarted node writes it again
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(kNode, QStringList{"run", "-r", file, "--state", state, "--listen", "127.0.0.1:0",
                                     "--name", QFileInfo(file).fileName()} +
                             extra);
    if (!process.waitForStarted()) return false;
    // The node writes the port it bound to into its state folder.
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 10000) {
      if (QFile::exists(state + "/listen")) {
        auto r = runNode({"connection-string", "--state", state, "--host", "127.0.0.1"});
        url = QString::fromUtf8(r.out).trimmed();
        if (r.exitCode == 0 && url.startsWith("netlens://")) return true;
      }
      QTest::qWait(50);
    }
    return false;
  }
  ~NodeProcess() {
    if (process.state() != QProcess::NotRunning) {
      process.terminate();
      if (!process.waitForFinished(5000)) process.kill();
      process.waitForFinished();
    }
  }
};

inline bool writeFile(const QString& path, const QByteArray& text) {
  QFile f(path);
  return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
}

inline std::map<QString, QJsonObject> byName(const QByteArray& json) {
  std::map<QString, QJsonObject> out;
  const auto groups = QJsonDocument::fromJson(json).object().value("groups").toArray();
  for (const auto& g : groups) out[g.toObject().value("name").toString()] = g.toObject();
  return out;
}

/// Test-side membership, bit by bit, sharing no code with the node's lookup.
inline bool inPrefix(const QString& address, const QString& prefix) {
  const auto a = net::IpAddress::parse(address.toStdString());
  const auto slash = prefix.indexOf('/');
  const auto n = net::IpAddress::parse(prefix.left(slash).toStdString());
  const int length = prefix.mid(slash + 1).toInt();
  if (!a || !n || a->family != n->family) return false;
  for (int bit = 0; bit < length; ++bit) {
    const int mask = 0x80 >> (bit % 8);
    if ((a->bytes[bit / 8] & mask) != (n->bytes[bit / 8] & mask)) return false;
  }
  return true;
}

inline std::map<QString, QJsonObject> byIp(const QByteArray& json) {
  std::map<QString, QJsonObject> out;
  const auto hosts = QJsonDocument::fromJson(json).object().value("hosts").toArray();
  for (const auto& h : hosts) out[h.toObject().value("ip").toString()] = h.toObject();
  return out;
}

/// Waits until the node at `url` has read its file to the end (asked with `clientKey`).
inline bool waitFinished(const QString& url, const QString& clientKey) {
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < 20000) {
    auto r = runNode({"query", url, "global", "--json", "--key", clientKey});
    const auto sources =
        QJsonDocument::fromJson(r.out).object().value("global").toObject().value("sources");
    const auto arr = sources.toArray();
    if (!arr.isEmpty() && arr.first().toObject().value("finished").toBool()) return true;
    QTest::qWait(100);
  }
  return false;
}

}  // namespace netlens::tests
