// SPDX-License-Identifier: MIT
// Library level: the node's own pipeline (PcapSource → decoder → HostAnalyzer, one worker)
// against tshark's `-z endpoints,ip` and `-z endpoints,ipv6` reference tables for every
// capture of the shared corpus, and a no-crash / damaged-file run over every capture.
// tst_analyze_cli does the same through the real netlens-node binary.

#include <QDir>
#include <QFile>
#include <QString>
#include <QStringList>
#include <QTest>
#include <string>
#include <vector>

#include "tests/common/capture_run.h"
#include "tests/common/tshark_reference.h"

namespace ref = netlens::tests;

namespace {

/// Reads one capture with a one-worker pipeline, as `netlens-node analyze` does.
ref::CaptureRun analyseCapture(const QString& capture) {
  return ref::runCapture(capture, 1);
}

}  // namespace

class TestEndpoints : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QVERIFY2(QDir(ref::pcapDir()).exists(), qPrintable(ref::pcapDir()));
    QVERIFY(!ref::capturesWithEndpoints().isEmpty());
  }

  void endpointsMatchTshark_data() {
    QTest::addColumn<QString>("capture");
    for (const QString& c : ref::capturesWithEndpoints()) QTest::newRow(qPrintable(c)) << c;
  }

  /// Every per-IP figure equals tshark's, and both sides list the same addresses.
  void endpointsMatchTshark() {
    QFETCH(QString, capture);
    ref::EndpointTable expected;
    QString error, note;
    QVERIFY2(ref::expectedEndpoints(capture, expected, error, &note), qPrintable(error));
    if (!note.isEmpty()) qInfo("known reader difference: %s", qPrintable(note));

    const ref::CaptureRun run = analyseCapture(capture);
    QVERIFY2(run.opened, qPrintable(run.openError));
    ref::EndpointTable actual;
    for (const auto& h : run.hosts) {
      actual[h.ip.toString()] =
          ref::endpointFigures(h.txPackets, h.txBytes, h.rxPackets, h.rxBytes);
    }
    const QStringList mismatches = ref::compareEndpoints(expected, actual);
    if (!mismatches.isEmpty()) {
      QFAIL(qPrintable(QStringLiteral("%1 mismatching endpoint(s) in %2:\n  %3")
                           .arg(mismatches.size())
                           .arg(capture, mismatches.join(QStringLiteral("\n  ")))));
    }
  }

  void everyCaptureIsSafe_data() {
    QTest::addColumn<QString>("capture");
    for (const QString& f : ref::allCaptures()) QTest::newRow(qPrintable(f)) << f;
  }

  /// Every capture reads without crashing; a damaged file stops at its damaged record,
  /// reports it on the source and counts a capture error exactly when tshark reported a
  /// reading error for it.
  void everyCaptureIsSafe() {
    QFETCH(QString, capture);
    const ref::CaptureRun run = analyseCapture(capture);
    QVERIFY2(run.opened, qPrintable(run.openError));
    QCOMPARE(run.global.sources.size(), std::size_t{1});
    const netlens::protocol::SourceInfo& source = run.global.sources.front();
    QVERIFY(source.finished);
    const bool tsharkReportedError = ref::tsharkReportedReadError(capture);
    QCOMPARE(!source.error.empty(), tsharkReportedError);
    const auto it = run.global.malformed.find("capture-error");
    QCOMPARE(it != run.global.malformed.end(), tsharkReportedError);
    QStringList reasons;
    for (const auto& [name, count] : run.global.malformed) {
      reasons << QStringLiteral("%1=%2").arg(QString::fromStdString(name)).arg(count);
    }
    qInfo("%s: %llu packets (%s), malformed: %s%s%s", qPrintable(capture),
          static_cast<unsigned long long>(source.packets), source.linkTypeName.c_str(),
          qPrintable(reasons.isEmpty() ? QStringLiteral("none") : reasons.join(QLatin1Char(' '))),
          source.error.empty() ? "" : ", read error: ", source.error.c_str());
    QCOMPARE(run.global.packets, source.packets);
    QCOMPARE(run.global.ipv4Packets + run.global.ipv6Packets + run.global.nonIpPackets,
             run.global.packets);
  }
};

QTEST_APPLESS_MAIN(TestEndpoints)
#include "tst_endpoints.moc"
