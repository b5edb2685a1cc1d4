// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string_view>

namespace netlens::voip {

/// The transmission-rating parameters of the ITU-T G.107 (06/2015) E-model, with the
/// Recommendation's default values (its Table 3). Delays in ms, levels in dB / dBm0 / dB(A).
struct EModelParameters {
  double sendLoudness = 8;               ///< SLR
  double receiveLoudness = 2;            ///< RLR
  double sidetoneMasking = 15;           ///< STMR
  double listenerSidetone = 18;          ///< LSTR
  double sendD = 3;                      ///< Ds, D-value of the telephone, send side
  double receiveD = 3;                   ///< Dr (used by the Recommendation only for wideband)
  double talkerEchoLoudness = 65;        ///< TELR
  double weightedEchoPathLoss = 110;     ///< WEPL
  double meanOneWayDelay = 0;            ///< T, of the echo path
  double roundTripDelay = 0;             ///< Tr, of the 4-wire loop
  double absoluteDelay = 0;              ///< Ta
  double qduCount = 1;                   ///< qdu
  double equipmentImpairment = 0;        ///< Ie
  double packetLossRobustness = 4.3;     ///< Bpl
  double packetLossPercent = 0;          ///< Ppl
  double burstRatio = 1;                 ///< BurstR
  double circuitNoise = -70;             ///< Nc, dBm0p
  double noiseFloor = -64;               ///< Nfor, dBmp
  double roomNoiseSend = 35;             ///< Ps, dB(A)
  double roomNoiseReceive = 35;          ///< Pr, dB(A)
  double advantage = 0;                  ///< A
  double delaySensitivity = 1;           ///< sT
  double minimumPerceivableDelay = 100;  ///< mT, ms
};

/// The terms of R = Ro − Is − Id − Ie,eff + A, each as the Recommendation defines it.
struct EModelResult {
  double noise = 0;  ///< No, the total noise power, dBm0p
  double ro = 0;     ///< basic signal-to-noise ratio
  double is = 0;     ///< simultaneous impairment (Iolr + Ist + Iq)
  double idte = 0;   ///< talker echo
  double idle = 0;   ///< listener echo
  double idd = 0;    ///< absolute delay
  double id() const { return idte + idle + idd; }
  double ieEff = 0;  ///< effective equipment impairment under packet loss
  double r = 0;
};

/// The E-model: every term from the parameters, by the formulas of G.107 (06/2015) clause 7.
/// Pure; thread-safe.
EModelResult computeEModel(const EModelParameters& p);

/// Idd, the impairment of the absolute delay Ta (ms): 0 up to mT, then G.107's formula (7-28).
double delayImpairmentIdd(double ta, double sT = 1, double mT = 100);

/// Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl / BurstR + Bpl), Ppl in percent.
double effectiveEquipmentImpairment(double ie, double bpl, double pplPercent, double burstRatio);

/// BurstR = 1 / (p + q) of the two-state Markov model, p the probability that a packet is lost
/// after a received one and q that one is received after a lost one, estimated from counts:
/// p = lossRuns / received, q = lossRuns / lost. 1 (random loss) when nothing or everything
/// was lost, which is where the estimate has no meaning.
double burstRatioFromRuns(double received, double lost, double lossRuns);

/// R → MOS (G.107 Annex B): 1 for R ≤ 0, 4.5 for R ≥ 100,
/// 1 + 0.035 R + R (R − 60) (100 − R) · 7·10⁻⁶ between.
double mosFromR(double r);

/// Ie and Bpl of a codec on the narrowband scale, from ITU-T G.113 Appendix I, by its RTP
/// encoding name (case-insensitive). See README (VoIP, MOS) for the choices: G.711 is rated
/// with packet-loss concealment (Bpl 25.1), G.729 as G.729A + VAD (Ie 11, Bpl 19), G.723.1 as
/// 6.3 kbit/s + VAD (Ie 15, Bpl 16.1), and G.722 as narrowband toll quality (G.711's values:
/// the narrowband scale cannot credit wideband). Empty for other codecs.
struct CodecImpairment {
  double ie = 0;
  double bpl = 0;
};
std::optional<CodecImpairment> codecImpairment(std::string_view encodingName);

}  // namespace netlens::voip
