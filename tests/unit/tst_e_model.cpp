// SPDX-License-Identifier: MIT
// The ITU-T G.107 (06/2015) E-model of shared/voip/e_model: the default parameter set
// (R = 93.2, MOS 4.41), the delay impairment Id against values of an independent
// implementation of the Recommendation's formulas (T = Ta, Tr = 2·Ta), packet loss with the
// G.113 Appendix I codec values, the burst ratio from a loss pattern, and R → MOS.

#include <QTest>
#include <cmath>
#include <vector>

#include "shared/voip/e_model.h"

using namespace netlens::voip;

namespace {

EModelParameters withDelay(double ta) {
  EModelParameters p;
  p.absoluteDelay = ta;
  p.meanOneWayDelay = ta;
  p.roundTripDelay = 2 * ta;
  return p;
}

}  // namespace

class TestEModel : public QObject {
  Q_OBJECT

 private slots:
  void defaults() {
    const EModelResult r = computeEModel(EModelParameters{});
    // G.107 clause 7.7: the default values give R = 93.2; Ro = 94.77 and Is = 1.41 are the
    // figures of the terms the Recommendation's formulas give for them.
    QCOMPARE(std::round(r.r * 10) / 10, 93.2);
    QVERIFY(std::fabs(r.ro - 94.77) < 0.005);
    QVERIFY(std::fabs(r.is - 1.41) < 0.005);
    QVERIFY(std::fabs(r.noise - (-61.18)) < 0.005);
    QCOMPARE(r.idd, 0.0);
    QCOMPARE(r.idte, 0.0);  // T = 0: no talker echo
    QCOMPARE(r.ieEff, 0.0);
    QVERIFY(std::fabs(mosFromR(r.r) - 4.41) < 0.005);
  }

  void delay_data() {
    QTest::addColumn<double>("ta");
    QTest::addColumn<double>("idd");
    QTest::addColumn<double>("id");
    QTest::addColumn<double>("r");
    // From a separate implementation of G.107 (06/2015) clause 7 with the default parameters
    // and T = Ta, Tr = 2·Ta; Idd is 0 up to mT = 100 ms.
    QTest::newRow("50 ms") << 50.0 << 0.0 << 1.599 << 91.756;
    QTest::newRow("100 ms") << 100.0 << 0.0 << 2.692 << 90.664;
    QTest::newRow("150 ms") << 150.0 << 0.164 << 3.816 << 89.539;
    QTest::newRow("250 ms") << 250.0 << 8.917 << 14.178 << 79.177;
    QTest::newRow("400 ms") << 400.0 << 24.070 << 31.108 << 62.247;
    QTest::newRow("500 ms") << 500.0 << 30.636 << 38.552 << 54.803;
  }
  void delay() {
    QFETCH(double, ta);
    QFETCH(double, idd);
    QFETCH(double, id);
    QFETCH(double, r);
    const EModelResult e = computeEModel(withDelay(ta));
    QVERIFY2(std::fabs(e.idd - idd) < 0.001, qPrintable(QString::number(e.idd)));
    QVERIFY2(std::fabs(e.id() - id) < 0.001, qPrintable(QString::number(e.id())));
    QVERIFY2(std::fabs(e.r - r) < 0.001, qPrintable(QString::number(e.r)));
    QCOMPARE(delayImpairmentIdd(ta), e.idd);
  }

  void iddShape() {
    // At Ta = 2·mT, X = 1: Idd = 25·(2^(1/6) − 3·(1 + 3^-6)^(1/6) + 2).
    const double x1 =
        25 * (std::exp(std::log(2.0) / 6) - 3 * std::exp(std::log(1 + 1 / 729.0) / 6) + 2);
    QVERIFY(std::fabs(delayImpairmentIdd(200) - x1) < 1e-9);
    QCOMPARE(delayImpairmentIdd(100), 0.0);
    QVERIFY(delayImpairmentIdd(101) > 0);
    // Monotonic over the range a call can have.
    double last = 0;
    for (double ta = 100; ta <= 2000; ta += 25) {
      const double v = delayImpairmentIdd(ta);
      QVERIFY(v >= last);
      last = v;
    }
  }

  void loss_data() {
    QTest::addColumn<QString>("codec");
    QTest::addColumn<double>("ppl");
    QTest::addColumn<double>("burstR");
    QTest::addColumn<double>("ie");
    QTest::addColumn<double>("bpl");
    QTest::newRow("G.711 1% random") << "PCMU" << 1.0 << 1.0 << 0.0 << 25.1;
    QTest::newRow("G.711 5% bursty") << "pcma" << 5.0 << 2.0 << 0.0 << 25.1;
    QTest::newRow("G.729A 2% random") << "G729" << 2.0 << 1.0 << 11.0 << 19.0;
    QTest::newRow("G.729A 10% burst 3") << "G729" << 10.0 << 3.0 << 11.0 << 19.0;
    QTest::newRow("G.722 as toll quality") << "G722" << 3.0 << 1.5 << 0.0 << 25.1;
    QTest::newRow("G.723.1 6.3k") << "G723" << 1.0 << 1.0 << 15.0 << 16.1;
  }
  void loss() {
    QFETCH(QString, codec);
    QFETCH(double, ppl);
    QFETCH(double, burstR);
    QFETCH(double, ie);
    QFETCH(double, bpl);
    const auto c = codecImpairment(codec.toStdString());
    QVERIFY(c.has_value());
    QCOMPARE(c->ie, ie);
    QCOMPARE(c->bpl, bpl);
    // Ie,eff rearranged: Ie + (95 − Ie)·Ppl·BurstR / (Ppl + Bpl·BurstR).
    const double expected = ie + (95 - ie) * ppl * burstR / (ppl + bpl * burstR);
    EModelParameters p;
    p.equipmentImpairment = c->ie;
    p.packetLossRobustness = c->bpl;
    p.packetLossPercent = ppl;
    p.burstRatio = burstR;
    const EModelResult e = computeEModel(p);
    QVERIFY(std::fabs(e.ieEff - expected) < 1e-9);
    const EModelResult clean = computeEModel(EModelParameters{});
    QVERIFY(std::fabs((clean.r - e.r) - expected) < 1e-9);
  }

  void g113Example() {
    // G.113 Appendix I: G.729A + VAD at 2 % random loss, Ie,eff = 11 + 84·2/(2 + 19) = 19.
    QVERIFY(std::fabs(effectiveEquipmentImpairment(11, 19, 2, 1) - 19) < 1e-12);
    QCOMPARE(effectiveEquipmentImpairment(11, 19, 0, 1), 11.0);
    // Total loss approaches 95.
    QVERIFY(effectiveEquipmentImpairment(0, 25.1, 100, 1) > 75);
    QVERIFY(!codecImpairment("opus").has_value());
    QVERIFY(!codecImpairment("").has_value());
  }

  void burstRatio_data() {
    QTest::addColumn<int>("seed");
    QTest::addColumn<double>("p");
    QTest::addColumn<double>("q");
    QTest::newRow("random 5%") << 1 << 0.05 << 0.95;
    QTest::newRow("bursty") << 2 << 0.02 << 0.3;
    QTest::newRow("very bursty") << 3 << 0.01 << 0.1;
  }
  void burstRatio() {
    QFETCH(int, seed);
    QFETCH(double, p);
    QFETCH(double, q);
    // A Gilbert loss pattern from a simple generator; the transitions are counted on the
    // sequence itself and compared with the estimate from counts of runs.
    std::uint64_t state = 0x9e3779b97f4a7c15ULL * static_cast<unsigned>(seed);
    const auto uniform = [&state] {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      return static_cast<double>(state >> 11) / 9007199254740992.0;
    };
    std::vector<bool> lost;
    bool inLoss = false;
    for (int i = 0; i < 200000; ++i) {
      inLoss = inLoss ? uniform() >= q : uniform() < p;
      lost.push_back(inLoss);
    }
    double received = 0, losses = 0, runs = 0, r2l = 0, l2r = 0, fromR = 0, fromL = 0;
    for (std::size_t i = 0; i < lost.size(); ++i) {
      if (lost[i]) {
        ++losses;
        if (i == 0 || !lost[i - 1]) ++runs;
      } else {
        ++received;
      }
      if (i + 1 < lost.size()) {
        if (lost[i]) {
          ++fromL;
          if (!lost[i + 1]) ++l2r;
        } else {
          ++fromR;
          if (lost[i + 1]) ++r2l;
        }
      }
    }
    const double direct = 1 / (r2l / fromR + l2r / fromL);
    const double estimate = burstRatioFromRuns(received, losses, runs);
    QVERIFY2(std::fabs(estimate - direct) / direct < 0.002,
             qPrintable(QString("%1 vs %2").arg(estimate).arg(direct)));
    // And both near the generator's 1/(p+q).
    QVERIFY(std::fabs(direct - 1 / (p + q)) / (1 / (p + q)) < 0.1);
    QCOMPARE(burstRatioFromRuns(100, 0, 0), 1.0);
    QCOMPARE(burstRatioFromRuns(0, 10, 1), 1.0);
  }

  void mos_data() {
    QTest::addColumn<double>("r");
    QTest::addColumn<double>("mos");
    QTest::newRow("negative") << -5.0 << 1.0;
    QTest::newRow("zero") << 0.0 << 1.0;
    // The cubic alone gives 0.989 here; a MOS is never below 1 (the wire format refuses it).
    QTest::newRow("3.2") << 3.2 << 1.0;
    QTest::newRow("7") << 7.0 << 1 + 0.035 * 7 + 7 * -53 * 93 * 7e-6;
    QTest::newRow("50") << 50.0 << 1 + 1.75 + 50 * -10 * 50 * 7e-6;
    QTest::newRow("80") << 80.0 << 1 + 2.8 + 80 * 20 * 20 * 7e-6;
    QTest::newRow("93.2") << 93.2 << 1 + 0.035 * 93.2 + 93.2 * 33.2 * 6.8 * 7e-6;
    QTest::newRow("100") << 100.0 << 4.5;
    QTest::newRow("120") << 120.0 << 4.5;
  }
  void mos() {
    QFETCH(double, r);
    QFETCH(double, mos);
    QVERIFY(std::fabs(mosFromR(r) - mos) < 1e-12);
  }
  void mosStaysInRange() {
    for (double r = -10; r <= 110; r += 0.05) {
      const double m = mosFromR(r);
      QVERIFY2(m >= 1 && m <= 4.5, qPrintable(QString::number(r)));
    }
  }
};

QTEST_APPLESS_MAIN(TestEModel)
#include "tst_e_model.moc"
