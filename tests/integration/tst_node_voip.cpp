// SPDX-License-Identifier: MIT
// A real node serving a corpus VoIP capture on 127.0.0.1: `query URL rtp|sip|calls --json`
// prints exactly what `analyze --json rtp|sip|calls` prints for the same capture and options
// (MOS, its inputs and the per-second series included).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

#include "tests/integration/node_process.h"

using namespace netlens::tests;

class TestNodeVoip : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(kNode), "netlens-node is not built");
    m_clientKey = m_dir.filePath("client.key");
    auto k = runNode({"keygen", "--out", m_clientKey});
    QCOMPARE(k.exitCode, 0);
    m_node = std::make_unique<NodeProcess>();
    QVERIFY(m_node->start(m_dir.filePath("state"), m_file, QString::fromUtf8(k.out).trimmed(),
                          m_options));
    QVERIFY(waitFinished(m_node->url, m_clientKey));
  }

  void servedEqualsAnalyze_data() {
    QTest::addColumn<QString>("what");
    QTest::newRow("rtp") << "rtp";
    QTest::newRow("sip") << "sip";
    QTest::newRow("calls") << "calls";
  }
  void servedEqualsAnalyze() {
    QFETCH(QString, what);
    auto served = runNode({"query", m_node->url, what, "--json", "--key", m_clientKey});
    QVERIFY2(served.exitCode == 0, served.err.constData());
    auto offline = runNode(QStringList{"analyze", "-r", m_file, "--json", what} + m_options);
    QVERIFY2(offline.exitCode == 0, offline.err.constData());
    QVERIFY(!served.out.isEmpty());
    QCOMPARE(served.out, offline.out);
    const QJsonObject doc = QJsonDocument::fromJson(served.out).object();
    if (what == "rtp") {
      const QJsonArray streams = doc.value("rtp").toArray();
      QVERIFY(streams.size() >= 4);
      int withMos = 0;
      for (const auto& s : streams) {
        const QJsonObject o = s.toObject();
        if (o.value("mos").isDouble()) ++withMos;
        QVERIFY(o.value("series").toObject().value("packets").toArray().size() > 0);
      }
      QVERIFY(withMos >= 2);
    } else if (what == "calls") {
      const QJsonArray calls = doc.value("calls").toArray();
      QVERIFY(!calls.isEmpty());
      QVERIFY(!calls.first().toObject().value("directions").toArray().isEmpty());
    } else {
      QVERIFY(doc.value("sip").toObject().value("messages").toInt() > 0);
    }
  }

  void badJitterBufferRefused() {
    auto r = runNode({"analyze", "-r", m_file, "--json", "rtp", "--jitter-buffer", "fixed"});
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains("--jitter-buffer"), r.err.constData());
    r = runNode({"analyze", "-r", m_file, "--json", "rtp", "--network-delay", "-3"});
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains("--network-delay"), r.err.constData());
  }

 private:
  QTemporaryDir m_dir;
  QString m_clientKey;
  std::unique_ptr<NodeProcess> m_node;
  QString m_file = capture("sip_call_rtp_g711a_with_background.pcap");
  QStringList m_options{"--jitter-buffer", "adaptive:150", "--network-delay", "30"};
};

QTEST_GUILESS_MAIN(TestNodeVoip)
#include "tst_node_voip.moc"
