// SPDX-License-Identifier: MIT
#include "shared/voip/e_model.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace netlens::voip {

namespace {

double dbSum(double a) {
  return std::pow(10.0, a / 10.0);
}

bool sameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

double delayImpairmentIdd(double ta, double sT, double mT) {
  if (!(ta > mT)) return 0;
  const double x = std::log10(ta / mT) / std::log10(2.0);
  const double e = 6 * sT;
  return 25 *
         (std::pow(1 + std::pow(x, e), 1 / e) - 3 * std::pow(1 + std::pow(x / 3, e), 1 / e) + 2);
}

double effectiveEquipmentImpairment(double ie, double bpl, double pplPercent, double burstRatio) {
  if (pplPercent <= 0) return ie;
  if (burstRatio <= 0) burstRatio = 1;
  return ie + (95 - ie) * pplPercent / (pplPercent / burstRatio + bpl);
}

double burstRatioFromRuns(double received, double lost, double lossRuns) {
  if (received <= 0 || lost <= 0 || lossRuns <= 0) return 1;
  const double p = lossRuns / received;
  const double q = lossRuns / lost;
  return 1 / (p + q);
}

double mosFromR(double r) {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  // The cubic dips below 1 for R under about 6.5 (0.989 at R = 3.2): a MOS is never below 1.
  return std::max(1.0, 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6);
}

EModelResult computeEModel(const EModelParameters& p) {
  EModelResult out;
  const double slr = p.sendLoudness;
  const double rlr = p.receiveLoudness;
  const double olr = slr + rlr;
  const double t = p.meanOneWayDelay;

  // Noise (7.2): circuit noise, room noise at both sides and the receive-side noise floor.
  const double nos =
      p.roomNoiseSend - slr - p.sendD - 100 +
      0.004 * (p.roomNoiseSend - olr - p.sendD - 14) * (p.roomNoiseSend - olr - p.sendD - 14);
  const double pre = p.roomNoiseReceive + 10 * std::log10(1 + dbSum(10 - p.listenerSidetone));
  const double nor = rlr - 121 + pre + 0.008 * (pre - 35) * (pre - 35);
  const double nfo = p.noiseFloor + rlr;
  out.noise = 10 * std::log10(dbSum(p.circuitNoise) + dbSum(nos) + dbSum(nor) + dbSum(nfo));
  out.ro = 15 - 1.5 * (slr + out.noise);

  // Simultaneous impairments (7.3).
  const double xolr = olr + 0.2 * (64 + out.noise - rlr);
  const double iolr = 20 * (std::pow(1 + std::pow(xolr / 8, 8), 1.0 / 8) - xolr / 8);
  const double stmro =
      -10 * std::log10(dbSum(-p.sidetoneMasking) + std::exp(-t / 4) * dbSum(-p.talkerEchoLoudness));
  const double ist = 12 * std::pow(1 + std::pow((stmro - 13) / 6, 8), 1.0 / 8) -
                     28 * std::pow(1 + std::pow((stmro + 1) / 19.4, 35), 1.0 / 35) -
                     13 * std::pow(1 + std::pow((stmro - 3) / 33, 13), 1.0 / 13) + 29;
  const double q = 37 - 15 * std::log10(p.qduCount);
  const double g = 1.07 + 0.258 * q + 0.0602 * q * q;
  const double z = 46.0 / 30 - g / 40;
  const double y = (out.ro - 100) / 15 + 46 / 8.4 - g / 9;
  const double iq = 15 * std::log10(1 + std::pow(10, y) + std::pow(10, z));
  out.is = iolr + ist + iq;

  // Delay impairments (7.4): talker echo, listener echo, absolute delay.
  const double roe = -1.5 * (out.noise - rlr);
  double terv = p.talkerEchoLoudness - 40 * std::log10((1 + t / 10) / (1 + t / 150)) +
                6 * std::exp(-0.3 * t * t);
  if (p.sidetoneMasking < 9) terv += ist / 2;
  const double re = 80 + 2.5 * (terv - 14);
  out.idte =
      ((roe - re) / 2 + std::sqrt((roe - re) * (roe - re) / 4 + 100) - 1) * (1 - std::exp(-t));
  const double rle = 10.5 * (p.weightedEchoPathLoss + 7) * std::pow(p.roundTripDelay + 1, -0.25);
  out.idle = (out.ro - rle) / 2 + std::sqrt((out.ro - rle) * (out.ro - rle) / 4 + 169);
  out.idd = delayImpairmentIdd(p.absoluteDelay, p.delaySensitivity, p.minimumPerceivableDelay);

  out.ieEff = effectiveEquipmentImpairment(p.equipmentImpairment, p.packetLossRobustness,
                                           p.packetLossPercent, p.burstRatio);
  out.r = out.ro - out.is - out.id() - out.ieEff + p.advantage;
  return out;
}

std::optional<CodecImpairment> codecImpairment(std::string_view name) {
  if (sameName(name, "PCMU") || sameName(name, "PCMA")) return CodecImpairment{0, 25.1};
  if (sameName(name, "G722")) return CodecImpairment{0, 25.1};
  if (sameName(name, "G729") || sameName(name, "G729A")) return CodecImpairment{11, 19};
  if (sameName(name, "G723")) return CodecImpairment{15, 16.1};
  return std::nullopt;
}

}  // namespace netlens::voip
