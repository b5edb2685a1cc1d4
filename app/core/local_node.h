// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

class QProcess;

namespace netlens::app::core {

/// Standalone mode: a `netlens-node` process on this machine replaying the built-in demo
/// traffic in real time, so a first run shows data at once. Steps, all asynchronous:
///   1. `netlens-node authorize --role admin --state DIR -- <console key>`
///   2. `netlens-node run --demo --pace realtime --state DIR --listen 127.0.0.1:PORT
///      --store DIR/store --store-size 256M --segment-size 32M` (a free loopback port whose
///      successor, the publisher port, is free too; the packet ring makes search and PCAP
///      downloads work out of the box)
///   3. `netlens-node connection-string --state DIR --host 127.0.0.1 --port PORT`
///      (retried until the running node has written its key pair) → ready(string)
/// DIR is "<AppDataLocation>/standalone-node". The binary is looked for next to the console,
/// then in ../node/ (the build tree), then on PATH.
///
/// Thread: GUI thread; never blocks it except in stop() at shutdown. Owns its processes.
class LocalNode : public QObject {
  Q_OBJECT

 public:
  explicit LocalNode(QString consolePublicKey, QString stateDir = {}, QObject* parent = nullptr);
  ~LocalNode() override;

  /// The node executable, or an empty string when none is found.
  static QString findNodeBinary();

  QString stateDir() const { return m_stateDir; }
  bool isRunning() const;

  /// Starts the sequence above; ends with ready() or failed().
  void start();
  /// Asks the node to exit (SIGTERM), waits up to `graceMs` in a local event loop, then kills
  /// it. For shutdown, after the main event loop has returned.
  void stop(int graceMs = 3000);

 signals:
  void ready(const QString& connectionString);
  void failed(const QString& reason);

 private:
  void authorize();
  void startRun();
  void queryConnectionString();
  void onRunFinished();
  void fail(const QString& reason);
  QProcess* makeTool(const QStringList& arguments);
  static int pickPortPair();

  QString m_publicKey;
  QString m_stateDir;
  QString m_binary;
  QProcess* m_run = nullptr;
  int m_port = 0;
  int m_portAttempts = 0;
  int m_queryAttempts = 0;
  bool m_ready = false;
  bool m_stopping = false;
  QStringList m_runOutput;  ///< the node's last stderr lines, for error messages
};

}  // namespace netlens::app::core
