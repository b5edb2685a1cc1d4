// SPDX-License-Identifier: MIT
// A real node with a packet store serving a corpus SIP call on 127.0.0.1: `query URL audio`
// fetches the call's RTP payloads page by page (operation "audio") and writes exactly the
// files the offline `audio` command writes from the capture; a node without a store, and
// unknown calls, are refused with messages that say what to do.
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

#include "tests/integration/node_process.h"

using namespace netlens::tests;

namespace {
const char* const kCallId = "9c5ee7de-ca85-e211-9639-5cac4c9de28b@MartinNTB2";

QByteArray contents(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
}  // namespace

class TestNodeAudio : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(kNode), "netlens-node is not built");
    m_clientKey = m_dir.filePath("client.key");
    auto k = runNode({"keygen", "--out", m_clientKey});
    QCOMPARE(k.exitCode, 0);
    const QString key = QString::fromUtf8(k.out).trimmed();
    m_node = std::make_unique<NodeProcess>();
    QVERIFY(
        m_node->start(m_dir.filePath("state"), m_file, key, {"--store", m_dir.filePath("store")}));
    QVERIFY(waitFinished(m_node->url, m_clientKey));
    m_plain = std::make_unique<NodeProcess>();
    QVERIFY(m_plain->start(m_dir.filePath("plain"), m_file, key));
    QVERIFY(waitFinished(m_plain->url, m_clientKey));
  }

  void sameAsOffline_data() {
    QTest::addColumn<QStringList>("select");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QStringList>("files");  // written, relative to the output stem
    QTest::newRow("call stereo mp3")
        << QStringList{"--call", kCallId} << "--mp3" << QStringList{"out.mp3"};
    QTest::newRow("call separate wav") << QStringList{"--call", kCallId, "--separate"} << "--wav"
                                       << QStringList{"out-0x0f4bfe34.wav", "out-0x7df5fe10.wav"};
    QTest::newRow("stream wav") << QStringList{"--ssrc", "0x7df5fe10"} << "--wav"
                                << QStringList{"out.wav"};
  }
  void sameAsOffline() {
    QFETCH(QStringList, select);
    QFETCH(QString, format);
    QFETCH(QStringList, files);
    const QString ext = format == "--mp3" ? ".mp3" : ".wav";
    QTemporaryDir served;
    QTemporaryDir offline;
    // Small pages: the answer must come in many pages and still be whole.
    auto r = runNode(QStringList{"query", m_node->url, "audio"} + select +
                     QStringList{format, served.filePath("out" + ext), "--key", m_clientKey,
                                 "--page-size", "4K"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.err.contains(" pages") && !r.err.contains(" in 1 pages"), r.err.constData());
    auto o = runNode(QStringList{"audio", "-r", m_file} + select +
                     QStringList{format, offline.filePath("out" + ext)});
    QVERIFY2(o.exitCode == 0, o.err.constData());
    for (const QString& f : files) {
      const QByteArray a = contents(served.filePath(f));
      QVERIFY2(a.size() > 1000, qPrintable(f));
      QVERIFY2(a == contents(offline.filePath(f)), qPrintable(f + " differs"));
    }
    QVERIFY(!QFile::exists(served.filePath("out" + ext + ".part")));
  }

  void errors_data() {
    QTest::addColumn<bool>("withStore");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no store") << false << QStringList{"--call", kCallId, "--mp3", "x.mp3"}
                              << "keeps no packet store; start it with --store";
    QTest::newRow("unknown call") << true << QStringList{"--call", "nope", "--mp3", "x.mp3"}
                                  << "no call with Call-ID \"nope\"";
    QTest::newRow("unknown ssrc") << true << QStringList{"--ssrc", "0x1", "--wav", "x.wav"}
                                  << "0x7df5fe10";
    QTest::newRow("no output") << true << QStringList{"--call", kCallId}
                               << "--mp3 OUT.mp3 or --wav OUT.wav";
    QTest::newRow("separate with ssrc")
        << true << QStringList{"--ssrc", "0x7df5fe10", "--separate", "--wav", "x.wav"}
        << "--separate goes with --call";
  }
  void errors() {
    QFETCH(bool, withStore);
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QTemporaryDir out;
    for (QString& a : args) {
      if (a.startsWith("x.")) a = out.filePath(a);
    }
    auto r = runNode(QStringList{"query", (withStore ? m_node : m_plain)->url, "audio"} + args +
                     QStringList{"--key", m_clientKey});
    QVERIFY(r.exitCode != 0 && r.exitCode != -1);
    QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
    QVERIFY(QDir(out.path()).entryList(QDir::Files).isEmpty());
  }

 private:
  QTemporaryDir m_dir;
  QString m_clientKey;
  std::unique_ptr<NodeProcess> m_node;
  std::unique_ptr<NodeProcess> m_plain;
  QString m_file = capture("sip_rtp_pcmu_call.pcap");
};

QTEST_GUILESS_MAIN(TestNodeAudio)
#include "tst_node_audio.moc"
