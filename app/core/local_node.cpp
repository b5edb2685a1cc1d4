// SPDX-License-Identifier: MIT
#include "app/core/local_node.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTimer>

#ifdef Q_OS_LINUX
#include <signal.h>
#include <sys/prctl.h>
#endif

namespace netlens::app::core {
namespace {

constexpr int kMaxPortAttempts = 5;
constexpr int kMaxQueryAttempts = 40;
constexpr int kQueryIntervalMs = 250;
constexpr int kKeptOutputLines = 20;
constexpr int kStoreMegabytes = 256;

QString nodeExecutableName() {
#ifdef Q_OS_WIN
  return QStringLiteral("netlens-node.exe");
#else
  return QStringLiteral("netlens-node");
#endif
}

}  // namespace

LocalNode::LocalNode(QString consolePublicKey, QString stateDir, QObject* parent)
    : QObject(parent), m_publicKey(std::move(consolePublicKey)), m_stateDir(std::move(stateDir)) {
  if (m_stateDir.isEmpty()) {
    m_stateDir = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                     .filePath(QStringLiteral("standalone-node"));
  }
}

LocalNode::~LocalNode() {
  if (m_run) {
    m_stopping = true;
    m_run->disconnect(this);
    // QProcess's destructor kills and reaps a process still running.
  }
}

QString LocalNode::findNodeBinary() {
  const QString name = nodeExecutableName();
  const QDir appDir(QCoreApplication::applicationDirPath());
  for (const QString& candidate :
       {appDir.filePath(name), appDir.filePath(QStringLiteral("../node/") + name)}) {
    QFileInfo info(candidate);
    if (info.isFile() && info.isExecutable()) return info.canonicalFilePath();
  }
  return QStandardPaths::findExecutable(name);
}

bool LocalNode::isRunning() const {
  return m_run && m_run->state() != QProcess::NotRunning;
}

void LocalNode::start() {
  m_binary = findNodeBinary();
  if (m_binary.isEmpty()) {
    fail(tr("The local node program %1 was not found next to the console or on the PATH.")
             .arg(nodeExecutableName()));
    return;
  }
  // The node keeps its secret key here and refuses a folder others can open: make it 0700.
  if (!QDir().mkpath(m_stateDir) ||
      !QFile::setPermissions(
          m_stateDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner)) {
    fail(tr("Cannot create the folder %1.").arg(QDir::toNativeSeparators(m_stateDir)));
    return;
  }
  authorize();
}

QProcess* LocalNode::makeTool(const QStringList& arguments) {
  auto* process = new QProcess(this);
  process->setProgram(m_binary);
  process->setArguments(arguments);
  process->setProcessChannelMode(QProcess::MergedChannels);
  connect(process, &QProcess::finished, process, &QObject::deleteLater);
  return process;
}

void LocalNode::authorize() {
  // The key goes after "--": a Z85 key may start with '-'.
  QProcess* tool =
      makeTool({QStringLiteral("authorize"), QStringLiteral("--role"), QStringLiteral("admin"),
                QStringLiteral("--comment"), QStringLiteral("console (standalone mode)"),
                QStringLiteral("--state"), m_stateDir, QStringLiteral("--"), m_publicKey});
  connect(tool, &QProcess::errorOccurred, this, [this, tool](QProcess::ProcessError error) {
    if (error == QProcess::FailedToStart)
      fail(tr("Cannot start %1: %2").arg(m_binary, tool->errorString()));
  });
  connect(tool, &QProcess::finished, this, [this, tool](int code, QProcess::ExitStatus status) {
    if (status != QProcess::NormalExit || code != 0) {
      fail(tr("Authorising the console on the local node failed: %1")
               .arg(QString::fromLocal8Bit(tool->readAll()).trimmed()));
      return;
    }
    startRun();
  });
  tool->start();
}

int LocalNode::pickPortPair() {
  // The node takes PORT for control and PORT+1 for updates: both must be free. Another
  // program may still take them before the node binds; run failures retry with new ports.
  for (int attempt = 0; attempt < 50; ++attempt) {
    auto port = static_cast<quint16>(QRandomGenerator::global()->bounded(20000, 60000));
    QTcpServer control;
    QTcpServer publisher;
    if (control.listen(QHostAddress::LocalHost, port) &&
        publisher.listen(QHostAddress::LocalHost, static_cast<quint16>(port + 1)))
      return port;
  }
  return 0;
}

void LocalNode::startRun() {
  m_port = pickPortPair();
  if (m_port == 0) {
    fail(tr("No free pair of loopback ports was found for the local node."));
    return;
  }
  ++m_portAttempts;
  m_runOutput.clear();
  m_run = new QProcess(this);
  m_run->setProgram(m_binary);
  // A packet ring beside the node's keys, so that search and PCAP downloads work at once; small,
  // as the demo is small and this runs on the user's own disk.
  m_run->setArguments(
      {QStringLiteral("run"), QStringLiteral("--demo"), QStringLiteral("--pace"),
       QStringLiteral("realtime"), QStringLiteral("--state"), m_stateDir,
       QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(m_port),
       QStringLiteral("--name"), QStringLiteral("local-demo"), QStringLiteral("--store"),
       QDir(m_stateDir).filePath(QStringLiteral("store")), QStringLiteral("--store-size"),
       QString::number(kStoreMegabytes) + QLatin1Char('M'), QStringLiteral("--segment-size"),
       QStringLiteral("32M")});
  m_run->setProcessChannelMode(QProcess::MergedChannels);
#ifdef Q_OS_LINUX
  // Runs in the child between fork and exec: if the console dies without stop() (crash,
  // SIGKILL), the kernel sends the node SIGTERM instead of leaving it running.
  m_run->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
  connect(m_run, &QProcess::readyRead, this, [this] {
    while (m_run->canReadLine()) {
      m_runOutput << QString::fromLocal8Bit(m_run->readLine()).trimmed();
      if (m_runOutput.size() > kKeptOutputLines) m_runOutput.removeFirst();
    }
  });
  connect(m_run, &QProcess::finished, this, &LocalNode::onRunFinished);
  connect(m_run, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
    if (error == QProcess::FailedToStart)
      fail(tr("Cannot start %1: %2").arg(m_binary, m_run->errorString()));
  });
  connect(m_run, &QProcess::started, this, [this] {
    m_queryAttempts = 0;
    QTimer::singleShot(kQueryIntervalMs, this, &LocalNode::queryConnectionString);
  });
  m_run->start();
}

void LocalNode::onRunFinished() {
  QProcess* run = m_run;
  m_run = nullptr;
  run->deleteLater();
  if (m_stopping) return;
  QString output = m_runOutput.join(QLatin1Char('\n'));
  if (!m_ready && m_portAttempts < kMaxPortAttempts &&
      output.contains(QLatin1String("in use"), Qt::CaseInsensitive)) {
    startRun();  // lost the port race: try another pair
    return;
  }
  fail(tr("The local node stopped (exit code %1).\n%2").arg(run->exitCode()).arg(output));
}

void LocalNode::queryConnectionString() {
  if (!isRunning() || m_ready) return;
  QProcess* tool = makeTool({QStringLiteral("connection-string"), QStringLiteral("--state"),
                             m_stateDir, QStringLiteral("--host"), QStringLiteral("127.0.0.1"),
                             QStringLiteral("--port"), QString::number(m_port)});
  connect(tool, &QProcess::finished, this, [this, tool](int code, QProcess::ExitStatus status) {
    QString out = QString::fromLocal8Bit(tool->readAll()).trimmed();
    // The running node writes its key pair on first start: until then this fails.
    int at = out.indexOf(QLatin1String("netlens://"));
    if (status == QProcess::NormalExit && code == 0 && at >= 0) {
      m_ready = true;
      emit ready(out.mid(at).section(QLatin1Char('\n'), 0, 0).trimmed());
      return;
    }
    if (++m_queryAttempts >= kMaxQueryAttempts) {
      fail(tr("The local node did not report its connection string: %1").arg(out));
      return;
    }
    QTimer::singleShot(kQueryIntervalMs, this, &LocalNode::queryConnectionString);
  });
  tool->start();
}

void LocalNode::stop(int graceMs) {
  m_stopping = true;
  if (!isRunning()) return;
  QEventLoop loop;
  connect(m_run, &QProcess::finished, &loop, &QEventLoop::quit);
  QTimer::singleShot(graceMs, &loop, &QEventLoop::quit);
  m_run->terminate();
  loop.exec(QEventLoop::ExcludeUserInputEvents);
  if (isRunning()) m_run->kill();
}

void LocalNode::fail(const QString& reason) {
  if (m_stopping) return;
  if (m_run && m_run->state() != QProcess::NotRunning) {
    m_stopping = true;
    m_run->kill();
  }
  emit failed(reason);
}

}  // namespace netlens::app::core
