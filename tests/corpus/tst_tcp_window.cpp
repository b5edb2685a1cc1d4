// SPDX-License-Identifier: MIT
// Receive-window events per connection direction against tshark, run on the same file:
// segments that filled the other side's window (tcp.analysis.window_full) and segments that
// announced a zero window (tcp.analysis.zero_window). The demo capture's window-limited
// upload has many of both; the corpus captures with TCP must agree too (none of them has a
// full window, so they check for false alarms). tshark is one of the packages the set-up
// installs, so a missing tshark fails the test instead of skipping it.

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>
#include <map>
#include <string>
#include <utility>

#include "node/demo/demo_traffic.h"
#include "node/pipeline/pipeline.h"
#include "tests/common/tshark_reference.h"

using netlens::node::pipeline::Pipeline;
using netlens::node::pipeline::PipelineConfig;
namespace ref = netlens::tests;

namespace {

/// "src_ip src_port dst_ip dst_port" of one direction → (window full, zero window) segments.
using WindowEvents = std::map<QString, std::pair<quint64, quint64>>;

QString directionKey(const QString& src, const QString& srcPort, const QString& dst,
                     const QString& dstPort) {
  return QStringList{src, srcPort, dst, dstPort}.join(QLatin1Char(' '));
}

/// The innermost value of a field tshark printed once per layer ("outer,inner").
QString innermost(const QString& field) {
  return field.section(QLatin1Char(','), -1);
}

/// Counts the frames matching `flag` per direction, as tshark sees them.
bool tsharkCount(const QString& capture, const QString& flag, bool second, WindowEvents& out,
                 QString& error) {
  const QString tshark = QStandardPaths::findExecutable(QStringLiteral("tshark"));
  if (tshark.isEmpty()) {
    error = QStringLiteral("tshark is not installed (installer/setup-deps.sh installs it)");
    return false;
  }
  QProcess p;
  p.start(tshark, {"-n",          "-r", capture,    "-Y", flag,         "-T", "fields",      "-E",
                   "separator=|", "-e", "ip.src",   "-e", "ipv6.src",   "-e", "tcp.srcport", "-e",
                   "ip.dst",      "-e", "ipv6.dst", "-e", "tcp.dstport"});
  if (!p.waitForFinished(120000)) {
    error = QStringLiteral("tshark did not finish on ") + capture;
    return false;
  }
  const QStringList lines =
      QString::fromUtf8(p.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
  for (const QString& line : lines) {
    const QStringList f = line.split(QLatin1Char('|'));
    if (f.size() != 6) continue;
    // In a tunnel the innermost header is the last one of either family.
    const QString src = innermost(f[1].isEmpty() ? f[0] : f[1]);
    const QString dst = innermost(f[4].isEmpty() ? f[3] : f[4]);
    auto& counts = out[directionKey(src, innermost(f[2]), dst, innermost(f[5]))];
    ++(second ? counts.second : counts.first);
  }
  return true;
}

WindowEvents ours(const QString& capture, QString& error) {
  PipelineConfig config;
  config.workers = 2;
  Pipeline pipeline(config);
  std::string message;
  if (!pipeline.addFile(capture.toStdString(), &message)) {
    error = QString::fromStdString(message);
    return {};
  }
  pipeline.start();
  pipeline.waitForFiles();
  const auto records = pipeline.connections();
  pipeline.stop();
  WindowEvents out;
  for (const auto& r : records) {
    if (r.protocol != 6) continue;
    const QString client = QString::fromStdString(r.clientIp.toString());
    const QString server = QString::fromStdString(r.serverIp.toString());
    const QString cPort = QString::number(r.clientPort);
    const QString sPort = QString::number(r.serverPort);
    const auto add = [&](const QString& key, const netlens::protocol::TcpDirectionStats& t) {
      if (t.windowFull == 0 && t.zeroWindow == 0) return;
      auto& counts = out[key];
      counts.first += t.windowFull;
      counts.second += t.zeroWindow;
    };
    add(directionKey(client, cPort, server, sPort), r.c2sTcp);
    add(directionKey(server, sPort, client, cPort), r.s2cTcp);
  }
  return out;
}

QString describe(const WindowEvents& events) {
  QStringList rows;
  for (const auto& [key, counts] : events) {
    rows << QStringLiteral("%1 full=%2 zero=%3").arg(key).arg(counts.first).arg(counts.second);
  }
  return rows.join(QStringLiteral("; "));
}

bool hasTcp(const QString& capture) {
  QFile f(ref::referenceDir() + QLatin1Char('/') + capture + QStringLiteral(".conv_exact.tsv"));
  return f.open(QIODevice::ReadOnly | QIODevice::Text) && f.readAll().contains("\ntcp\t");
}

}  // namespace

class TestTcpWindow : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    netlens::node::demo::DemoOptions options;
    std::string error;
    QVERIFY2(netlens::node::demo::writeDemoCapture(demoPath().toStdString(), options, &error),
             error.c_str());
  }

  void matchTshark_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("expectEvents");
    QTest::newRow("demo") << demoPath() << true;
    for (const QString& capture : ref::allCaptures()) {
      if (hasTcp(capture)) {
        QTest::newRow(qPrintable(capture)) << ref::capturePath(capture) << false;
      }
    }
  }

  void matchTshark() {
    QFETCH(QString, path);
    QFETCH(bool, expectEvents);
    QString error;
    WindowEvents expected;
    QVERIFY2(tsharkCount(path, QStringLiteral("tcp.analysis.window_full"), false, expected, error),
             qPrintable(error));
    QVERIFY2(tsharkCount(path, QStringLiteral("tcp.analysis.zero_window"), true, expected, error),
             qPrintable(error));
    const WindowEvents actual = ours(path, error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    if (expectEvents) QVERIFY2(!expected.empty(), "the capture should have window events");
    QVERIFY2(actual == expected,
             qPrintable(
                 QStringLiteral("ours: %1\ntshark: %2").arg(describe(actual), describe(expected))));
  }

 private:
  QString demoPath() const { return m_dir.filePath(QStringLiteral("demo.pcap")); }

  QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestTcpWindow)
#include "tst_tcp_window.moc"
