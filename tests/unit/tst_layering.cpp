// SPDX-License-Identifier: MIT
// The layering rules of STYLE.md, checked by scanning #include lines: a breach fails here
// with the file and the line, not later as a surprise dependency.
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

namespace {

const QString kRoot = QStringLiteral(NETLENS_SOURCE_ROOT);

struct Breach {
  QString file;
  int line;
  QString include;
};

/// Every include of files under `folder` (relative to the root) matching `forbidden`, except
/// in files whose relative path matches `allowedFiles`.
QList<Breach> scan(const QString& folder, const QRegularExpression& forbidden,
                   const QRegularExpression& allowedFiles = QRegularExpression()) {
  static const QRegularExpression include(R"(^\s*#\s*include\s*([<"][^>"]+[>"]))");
  QList<Breach> out;
  QDirIterator it(kRoot + "/" + folder, {"*.h", "*.cpp"}, QDir::Files,
                  QDirIterator::Subdirectories);
  while (it.hasNext()) {
    const QString path = it.next();
    const QString rel = path.mid(kRoot.size() + 1);
    if (allowedFiles.isValid() && !allowedFiles.pattern().isEmpty() &&
        allowedFiles.match(rel).hasMatch()) {
      continue;
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) continue;
    int n = 0;
    while (!f.atEnd()) {
      ++n;
      const QString line = QString::fromUtf8(f.readLine());
      const auto m = include.match(line);
      if (m.hasMatch() && forbidden.match(m.captured(1)).hasMatch()) {
        out.append({rel, n, m.captured(1)});
      }
    }
  }
  return out;
}

QByteArray describe(const QList<Breach>& breaches) {
  QStringList lines;
  for (const auto& b : breaches)
    lines << QStringLiteral("%1:%2 includes %3").arg(b.file).arg(b.line).arg(b.include);
  return lines.join('\n').toUtf8();
}

void addRules() {
  QTest::addColumn<QString>("folder");
  QTest::addColumn<QString>("forbidden");
  QTest::addColumn<QString>("allowedFiles");
  // Qt headers: <QFoo>, <QtCore/...>, <qfoo.h>.
  const QString qt = R"(^[<"](Q[A-Za-z]+|Qt[A-Za-z]*/.*|q[a-z]+\.h)[>"]$)";
  QTest::newRow("shared is Qt-free") << "shared" << qt << "";
  QTest::newRow("node is Qt-free") << "node" << qt << "";
  QTest::newRow("shared does not include node or app") << "shared"
                                                       << R"(^"(node|app)/)"
                                                       << "";
  QTest::newRow("node does not include app") << "node"
                                             << R"(^"app/)"
                                             << "";
  QTest::newRow("app does not include node") << "app"
                                             << R"(^"node/)"
                                             << "";
  QTest::newRow("only the protocol layer includes msgpack")
      << "."
      << R"(^<msgpack)"
      << R"(^shared/protocol/([^/]+\.cpp|codec_internal\.h)$)";
  QTest::newRow("only the codec includes its internal header")
      << "."
      << R"(^"shared/protocol/codec_internal\.h"$)"
      << R"(^shared/protocol/codec_[^/]+\.cpp$)";
  QTest::newRow("only shared/audio includes the codec libraries")
      << "."
      << R"(^<(spandsp|bcg729|lame)[./])"
      << R"(^shared/audio/)";
  QTest::newRow("only node/capture includes pcap.h in the node") << "node"
                                                                 << R"(^<pcap[./])"
                                                                 << R"(^node/capture/)";
  QTest::newRow("only the service layer includes zmq in the node") << "node"
                                                                   << R"(^<zmq)"
                                                                   << R"(^node/(service|cli)/)";
}

}  // namespace

class TestLayering : public QObject {
  Q_OBJECT
 private slots:
  void rules_data() { addRules(); }
  void rules() {
    QFETCH(QString, folder);
    QFETCH(QString, forbidden);
    QFETCH(QString, allowedFiles);
    QList<Breach> breaches;
    const QStringList folders =
        folder == "." ? QStringList{"shared", "node", "app"} : QStringList{folder};
    for (const auto& f : folders) {
      breaches += scan(f, QRegularExpression(forbidden), QRegularExpression(allowedFiles));
    }
    QVERIFY2(breaches.isEmpty(), describe(breaches).constData());
  }
  // A merge conflict left in a file can still compile (inside a string literal, say).
  void noConflictMarkers() {
    static const QRegularExpression marker(QStringLiteral("^(<{7}|>{7}|={7})( |$)"));
    QStringList found;
    for (const QString folder : {"shared", "node", "app", "tests"}) {
      QDirIterator it(kRoot + "/" + folder, {"*.h", "*.cpp", "*.txt", "*.sh"}, QDir::Files,
                      QDirIterator::Subdirectories);
      while (it.hasNext()) {
        QFile f(it.next());
        if (!f.open(QIODevice::ReadOnly)) continue;
        int n = 0;
        while (!f.atEnd()) {
          ++n;
          if (marker.match(QString::fromUtf8(f.readLine()).trimmed()).hasMatch())
            found << QStringLiteral("%1:%2").arg(f.fileName()).arg(n);
        }
      }
    }
    QVERIFY2(found.isEmpty(), qPrintable(found.join('\n')));
  }

  void scannerSeesFiles() {
    // Guard against a scan that silently finds nothing (wrong root): a known include exists.
    const auto hits = scan("node", QRegularExpression(R"(^<pcap/pcap\.h>$)"));
    QVERIFY(!hits.isEmpty());
  }
};

QTEST_GUILESS_MAIN(TestLayering)
#include "tst_layering.moc"
