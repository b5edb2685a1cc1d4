// SPDX-License-Identifier: MIT
// Save audio… and Download call PCAP… in the VoIP tab, against a real node with a packet
// store serving a corpus SIP call (G.711 µ-law): the call's MP3 decodes (mpg123) to the
// stream's duration within 1 % at 8 kHz and equals what the offline `audio` command writes;
// its WAV files (one per stream) are not silence; a stream's audio saves too; the downloads
// are listed in the Captures tab; the call's PCAP holds exactly the SIP messages and RTP
// packets of the call that tshark finds in the original capture; and a node without a store
// gives a clear reason and no file.
#include <QAbstractItemModelTester>
#include <QFile>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>
#include <cmath>
#include <map>
#include <memory>

#include "app/core/console_identity.h"
#include "app/core/node_manager.h"
#include "app/export/audio_download.h"
#include "app/export/download_manager.h"
#include "app/export/store_pcap_download.h"
#include "app/models/call_table_model.h"
#include "app/models/download_table_model.h"
#include "app/models/summary_table_model.h"
#include "app/views/captures_view.h"
#include "app/views/main_window.h"
#include "app/views/voip_view.h"
#include "tests/integration/node_process.h"

using namespace netlens;
using namespace netlens::app;
using netlens::tests::NodeProcess;

namespace {

const char* kCapture = "sip_rtp_pcmu_call.pcap";
const char* kCallId = "9c5ee7de-ca85-e211-9639-5cac4c9de28b@MartinNTB2";

bool waitFinished(exporting::PcapDownload* download, int timeoutMs = 60000) {
  if (!download) return false;
  if (!download->isRunning()) return true;
  QSignalSpy finished(download, &exporting::PcapDownload::finished);
  return finished.wait(timeoutMs) || !download->isRunning();
}

bool succeeds(const QString& program, const QStringList& args) {
  QProcess p;
  p.start(program, args);
  return p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

QByteArray run(const QString& program, const QStringList& args) {
  QProcess p;
  p.start(program, args);
  if (!p.waitForFinished(60000) || p.exitCode() != 0) return {};
  return p.readAllStandardOutput();
}

int tsharkCount(const QString& file, const QString& filter) {
  const QByteArray out =
      run("tshark", {"-r", file, "-Y", filter, "-T", "fields", "-e", "frame.number"});
  return static_cast<int>(QString::fromUtf8(out).split('\n', Qt::SkipEmptyParts).size());
}

/// 16-bit PCM WAV: rate, channels and samples.
struct Wav {
  int rate = 0;
  int channels = 0;
  std::vector<qint16> samples;
};

bool readWav(const QString& path, Wav* out) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return false;
  const QByteArray d = f.readAll();
  if (d.size() < 44 || !d.startsWith("RIFF") || d.mid(8, 4) != "WAVE") return false;
  int pos = 12;
  while (pos + 8 <= d.size()) {
    const QByteArray id = d.mid(pos, 4);
    const quint32 size = qFromLittleEndian<quint32>(d.constData() + pos + 4);
    if (id == "fmt ") {
      out->channels = qFromLittleEndian<quint16>(d.constData() + pos + 10);
      out->rate = static_cast<int>(qFromLittleEndian<quint32>(d.constData() + pos + 12));
    } else if (id == "data") {
      const qsizetype n = std::min<qsizetype>(size, d.size() - pos - 8) / 2;
      out->samples.resize(static_cast<std::size_t>(n));
      for (qsizetype i = 0; i < n; ++i)
        out->samples[static_cast<std::size_t>(i)] =
            qFromLittleEndian<qint16>(d.constData() + pos + 8 + 2 * i);
      return out->rate > 0 && out->channels > 0;
    }
    pos += 8 + static_cast<int>(size) + static_cast<int>(size & 1);
  }
  return false;
}

/// The call's expected length in seconds, from tshark alone: per SSRC the RTP timestamp
/// span plus one packet (160 samples at 8 kHz) from its first packet's capture time; the
/// stereo file runs from the earliest start to the latest end.
double expectedSeconds(const QString& file) {
  const QByteArray out = run("tshark", {"-r", file, "-Y", "rtp", "-T", "fields", "-e", "rtp.ssrc",
                                        "-e", "rtp.timestamp", "-e", "frame.time_epoch"});
  struct Span {
    double start = -1;
    qint64 minTs = -1;
    qint64 maxTs = -1;
  };
  std::map<QString, Span> spans;
  for (const QString& line : QString::fromUtf8(out).split('\n', Qt::SkipEmptyParts)) {
    const QStringList f = line.split('\t');
    if (f.size() != 3) return -1;
    Span& s = spans[f[0]];
    const qint64 ts = f[1].toLongLong();
    if (s.start < 0) s.start = f[2].toDouble();
    s.minTs = s.minTs < 0 ? ts : std::min(s.minTs, ts);
    s.maxTs = std::max(s.maxTs, ts);
  }
  double first = 1e300;
  double last = 0;
  for (const auto& [ssrc, s] : spans) {
    first = std::min(first, s.start);
    last = std::max(last, s.start + static_cast<double>(s.maxTs - s.minTs + 160) / 8000.0);
  }
  return spans.empty() ? -1 : last - first;
}

}  // namespace

class TestVoipAudio : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void cleanupTestCase();
  void callMp3();
  void callWavSeparate();
  void streamAudio();
  void callPcapEqualsTshark();
  void nodeWithoutStore();
  void stopKeepsWhatArrived();

 private:
  int rowOf(const QString& nodeId) const;
  QString file(const QString& name) const { return m_dir.filePath(name); }

  QTemporaryDir m_dir;
  std::unique_ptr<core::ConsoleIdentity> m_identity;
  std::unique_ptr<core::NodeManager> m_nodes;
  std::unique_ptr<NodeProcess> m_node;
  std::unique_ptr<NodeProcess> m_plain;
  std::unique_ptr<views::MainWindow> m_window;
  std::unique_ptr<QAbstractItemModelTester> m_tester;
  QString m_nodeId;
  QString m_plainId;
  QString m_source;
};

int TestVoipAudio::rowOf(const QString& nodeId) const {
  const auto* model = m_window->voipView()->model();
  for (int i = 0; i < model->rowCount(); ++i) {
    const auto& r = model->row(i);
    if (r.nodeId == nodeId && r.call.callId == kCallId) return i;
  }
  return -1;
}

void TestVoipAudio::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName("NetlensTest");
  QCoreApplication::setApplicationName("netlens-voip-audio-test");
  QSettings().clear();
  QVERIFY(m_dir.isValid());
  m_source = tests::capture(kCapture);
  m_identity = std::make_unique<core::ConsoleIdentity>(m_dir.filePath("console.key"));
  QString error;
  QVERIFY2(m_identity->load(&error), qPrintable(error));
  m_nodes = std::make_unique<core::NodeManager>(m_identity->keyPair());
  m_node = std::make_unique<NodeProcess>();
  QVERIFY(m_node->start(m_dir.filePath("state"), m_source, m_identity->publicKey(),
                        {"--store", m_dir.filePath("store")}));
  m_plain = std::make_unique<NodeProcess>();
  QVERIFY(m_plain->start(m_dir.filePath("plain"), m_source, m_identity->publicKey()));
  m_nodeId = m_nodes->addNode(m_node->url, false, &error);
  QVERIFY2(!m_nodeId.isEmpty(), qPrintable(error));
  m_plainId = m_nodes->addNode(m_plain->url, false, &error);
  QVERIFY2(!m_plainId.isEmpty(), qPrintable(error));
  QTRY_VERIFY_WITH_TIMEOUT(
      [&] {
        for (const QString& id : {m_nodeId, m_plainId}) {
          const core::NodeInfo* info = m_nodes->node(id);
          if (!info || info->state != core::NodeState::Connected || info->global.sources.empty() ||
              !info->global.sources.front().finished || info->global.packets == 0)
            return false;
        }
        return m_nodes->node(m_nodeId)->global.storePackets ==
               m_nodes->node(m_nodeId)->global.packets;
      }(),
      30000);
  m_window = std::make_unique<views::MainWindow>(m_nodes.get(), m_identity.get());
  m_window->downloads()->setFileChooser([](QWidget*, const QString&, const QString&) {
    return QString();  // every download here names its file
  });
  m_tester = std::make_unique<QAbstractItemModelTester>(
      m_window->capturesView()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
  m_window->voipView()->poll();
  QTRY_VERIFY_WITH_TIMEOUT(rowOf(m_nodeId) >= 0 && rowOf(m_plainId) >= 0, 20000);
  // The streams arrive with "rtp": the call's row knows both directions.
  QTRY_VERIFY_WITH_TIMEOUT(
      [&] {
        m_window->voipView()->poll();
        m_window->voipView()->showCall(rowOf(m_nodeId));
        return m_window->voipView()->streamModel()->rowCount() == 2;
      }(),
      20000);
}

void TestVoipAudio::cleanupTestCase() {
  m_tester.reset();
  m_window.reset();
  m_nodes.reset();
  m_node.reset();
  m_plain.reset();
  QSettings().clear();
}

void TestVoipAudio::callMp3() {
  if (QStandardPaths::findExecutable("mpg123").isEmpty()) QSKIP("mpg123 is not installed");
  const int before = m_window->capturesView()->model()->rowCount();
  m_window->voipView()->setAudioPageBytes(4096);  // many pages
  auto* d = m_window->voipView()->saveCallAudio(rowOf(m_nodeId), {file("call.mp3"), true, false});
  QVERIFY(d);
  m_window->voipView()->setAudioPageBytes(0);
  QVERIFY(waitFinished(d));
  QVERIFY2(d->progress().state == exporting::DownloadState::Done, qPrintable(d->progress().reason));
  QVERIFY(d->pagesReceived() > 1);
  QCOMPARE(d->progress().packets, quint64(791));  // 401 + 390 RTP packets
  QCOMPARE(m_window->capturesView()->model()->rowCount(), before + 1);
  QVERIFY(!QFile::exists(file("call.mp3.part")));

  // Decoded by mpg123 (it honours the LAME tag): 8 kHz stereo of the call's length.
  QVERIFY(succeeds("mpg123", {"-q", "-w", file("call-decoded.wav"), file("call.mp3")}));
  Wav decoded;
  QVERIFY(readWav(file("call-decoded.wav"), &decoded));
  QCOMPARE(decoded.rate, 8000);
  QCOMPARE(decoded.channels, 2);
  const double seconds = static_cast<double>(decoded.samples.size()) / 2 / decoded.rate;
  const double expected = expectedSeconds(m_source);
  QVERIFY(expected > 7);
  QVERIFY2(std::abs(seconds - expected) <= 0.01 * expected,
           qPrintable(QString("%1 s decoded, %2 s expected").arg(seconds).arg(expected)));

  // The same file the command line writes from the capture itself.
  auto offline =
      tests::runNode({"audio", "-r", m_source, "--call", kCallId, "--mp3", file("offline.mp3")});
  QVERIFY2(offline.exitCode == 0, offline.err.constData());
  QFile a(file("call.mp3"));
  QFile b(file("offline.mp3"));
  QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
  QVERIFY(a.readAll() == b.readAll());
}

void TestVoipAudio::callWavSeparate() {
  auto* d = m_window->voipView()->saveCallAudio(rowOf(m_nodeId), {file("call.wav"), false, true});
  QVERIFY(waitFinished(d));
  QVERIFY2(d->progress().state == exporting::DownloadState::Done, qPrintable(d->progress().reason));
  QCOMPARE(d->writtenFiles().size(), 2);
  // Not silence: most samples of each direction are sound, and the callee's (0x7df5fe10)
  // is loud speech; the caller's is quiet (its G.711 levels stay below -40 dBFS).
  int loudest = 0;
  for (const char* name : {"call-0x0f4bfe34.wav", "call-0x7df5fe10.wav"}) {
    Wav w;
    QVERIFY2(readWav(file(name), &w), name);
    QCOMPARE(w.rate, 8000);
    QCOMPARE(w.channels, 1);
    QVERIFY(w.samples.size() > 8000 * 7);
    int peak = 0;
    qint64 sound = 0;
    for (const qint16 s : w.samples) {
      peak = std::max(peak, std::abs(static_cast<int>(s)));
      sound += s != 0 ? 1 : 0;
    }
    QVERIFY2(
        peak > 0 && sound > static_cast<qint64>(w.samples.size() / 2),
        qPrintable(QString("%1: peak %2, %3 non-zero samples").arg(name).arg(peak).arg(sound)));
    loudest = std::max(loudest, peak);
  }
  QVERIFY2(loudest > 2000, qPrintable(QString("peak %1").arg(loudest)));
  QVERIFY(!QFile::exists(file("call.wav")));  // separate files only
}

void TestVoipAudio::streamAudio() {
  views::VoipView* voip = m_window->voipView();
  voip->showCall(rowOf(m_nodeId));
  QCOMPARE(voip->streamModel()->rowCount(), 2);
  QVERIFY(voip->saveStreamAudioAction()->isEnabled());
  auto* d = voip->saveStreamAudio(0, {file("stream.wav"), false, false});
  QVERIFY(waitFinished(d));
  QVERIFY2(d->progress().state == exporting::DownloadState::Done, qPrintable(d->progress().reason));
  Wav w;
  QVERIFY(readWav(file("stream.wav"), &w));
  QCOMPARE(w.channels, 1);
  QVERIFY(d->progress().packets == 401 || d->progress().packets == 390);
  QCOMPARE(static_cast<quint64>(w.samples.size()) / 160, d->progress().packets);
}

void TestVoipAudio::callPcapEqualsTshark() {
  if (QStandardPaths::findExecutable("tshark").isEmpty()) QSKIP("tshark is not installed");
  const int before = m_window->capturesView()->model()->rowCount();
  auto* d = m_window->voipView()->downloadCallPcap(rowOf(m_nodeId), file("call.pcap"));
  QVERIFY(d);
  QVERIFY(waitFinished(d));
  QVERIFY2(d->progress().state == exporting::DownloadState::Done, qPrintable(d->progress().reason));
  QCOMPARE(m_window->capturesView()->model()->rowCount(), before + 1);
  const QString callFilter = QStringLiteral("sip.Call-ID == \"%1\"").arg(kCallId);
  const int sip = tsharkCount(m_source, callFilter);
  const int rtp = tsharkCount(m_source, "rtp.ssrc == 0x7df5fe10 || rtp.ssrc == 0x0f4bfe34");
  QVERIFY(sip >= 5);
  QCOMPARE(rtp, 791);
  QCOMPARE(tsharkCount(file("call.pcap"), callFilter), sip);
  QCOMPARE(tsharkCount(file("call.pcap"), "sip"), sip);  // nothing of other calls
  QCOMPARE(tsharkCount(file("call.pcap"), "rtp"), rtp);
}

void TestVoipAudio::nodeWithoutStore() {
  auto* d = m_window->voipView()->saveCallAudio(rowOf(m_plainId), {file("none.mp3"), true, false});
  QVERIFY(waitFinished(d));
  QCOMPARE(d->progress().state, exporting::DownloadState::Failed);
  QVERIFY2(d->progress().reason.contains("keeps no packet store") &&
               d->progress().reason.contains("--store"),
           qPrintable(d->progress().reason));
  QVERIFY(!QFile::exists(file("none.mp3")));
  QVERIFY(!QFile::exists(file("none.mp3.part")));
}

void TestVoipAudio::stopKeepsWhatArrived() {
  views::VoipView* voip = m_window->voipView();
  voip->setAudioPageBytes(4096);  // about 20 packets a page
  auto* d = voip->saveCallAudio(rowOf(m_nodeId), {file("stopped.wav"), false, false});
  voip->setAudioPageBytes(0);
  QVERIFY(d);
  QTRY_VERIFY_WITH_TIMEOUT(d->progress().packets > 0 || !d->isRunning(), 20000);
  QVERIFY(d->isRunning());
  d->stop();
  QVERIFY(waitFinished(d));
  QCOMPARE(d->progress().state, exporting::DownloadState::Stopped);
  QVERIFY2(d->progress().reason.contains("stopped"), qPrintable(d->progress().reason));
  QVERIFY(d->progress().packets > 0 && d->progress().packets < 791);
  Wav w;
  QVERIFY(readWav(file("stopped.wav"), &w));
  QVERIFY(!w.samples.empty());
  QVERIFY(!QFile::exists(file("stopped.wav.part")));
}

QTEST_MAIN(TestVoipAudio)
#include "tst_voip_audio.moc"
