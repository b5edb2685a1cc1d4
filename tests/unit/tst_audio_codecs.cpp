// SPDX-License-Identifier: MIT
// The audio decoders of shared/audio:
// - G.711 A-law and µ-law decode every one of the 256 codes exactly as ITU-T G.711 says. The
//   reference here is the Recommendation's own description (tables 1 and 2: sign, 3-bit
//   segment, 4-bit quantisation step; A-law with its even bits inverted, µ-law with all bits
//   inverted), written out independently of spandsp's bit tricks, scaled to 16 bits
//   (A-law's 13-bit and µ-law's 14-bit values shifted left by 3 and 2);
// - the payload sizes each codec accepts (G.729: 10-byte frames and one 2-byte SID frame);
// - G.722 and G.729 give the samples promised, and G.722 runs at 16 kHz on an 8 kHz RTP clock;
// - codec names as SDP writes them.
#include <QTest>
#include <cmath>
#include <numbers>
#include <vector>

#include "node/demo/mulaw_tone.h"
#include "shared/audio/audio_decoder.h"

using netlens::audio::AudioDecoder;
using netlens::audio::Codec;

namespace {

/// G.711 A-law expansion: the decoder output value of table 1a, in 13-bit units (±4032),
/// times 8. Bit 7 of the transmitted code is the sign (1: positive); the even bits are
/// inverted on the line.
int referenceAlaw(std::uint8_t code) {
  const int c = code ^ 0x55;
  const int segment = (c >> 4) & 0x07;
  const int step = c & 0x0f;
  // Segments 0 and 1 share one step size; from segment 2 on, each doubles it.
  const int magnitude = segment == 0 ? 2 * step + 1 : (2 * step + 33) << (segment - 1);
  return ((c & 0x80) != 0 ? magnitude : -magnitude) * 8;
}

/// G.711 µ-law expansion: table 2a's decoder output value, in 14-bit units (±8031), times
/// 4. The code is inverted on the line; bit 7 of the inverted code set means negative.
int referenceUlaw(std::uint8_t code) {
  const int c = static_cast<std::uint8_t>(~code);
  const int segment = (c >> 4) & 0x07;
  const int step = c & 0x0f;
  const int magnitude = ((2 * step + 33) << segment) - 33;
  return ((c & 0x80) != 0 ? -magnitude : magnitude) * 4;
}

}  // namespace

class TestAudioCodecs : public QObject {
  Q_OBJECT
 private slots:
  void g711_data() {
    QTest::addColumn<int>("codec");
    QTest::newRow("A-law") << static_cast<int>(Codec::Pcma);
    QTest::newRow("mu-law") << static_cast<int>(Codec::Pcmu);
  }
  void g711() {
    QFETCH(int, codec);
    auto decoder = AudioDecoder::create(static_cast<Codec>(codec));
    QCOMPARE(decoder->sampleRate(), 8000u);
    QCOMPARE(decoder->samplesPerTick(), 1u);
    std::vector<std::uint8_t> codes(256);
    for (int i = 0; i < 256; ++i) codes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(i);
    std::vector<std::int16_t> pcm(256, 12345);
    QCOMPARE(decoder->decode(codes.data(), codes.size(), pcm.data()), std::size_t{256});
    for (int i = 0; i < 256; ++i) {
      const int expected = static_cast<Codec>(codec) == Codec::Pcma
                               ? referenceAlaw(static_cast<std::uint8_t>(i))
                               : referenceUlaw(static_cast<std::uint8_t>(i));
      QVERIFY2(pcm[static_cast<std::size_t>(i)] == expected,
               qPrintable(QStringLiteral("code 0x%1: %2, G.711 says %3")
                              .arg(i, 2, 16, QLatin1Char('0'))
                              .arg(pcm[static_cast<std::size_t>(i)])
                              .arg(expected)));
    }
  }
  // Known points of the tables, so that the reference itself is pinned.
  void g711ReferencePoints() {
    QCOMPARE(referenceAlaw(0xd5), 8);  // smallest positive A-law value
    QCOMPARE(referenceAlaw(0x55), -8);
    QCOMPARE(referenceAlaw(0xaa), 32256);  // largest: 4032 × 8
    QCOMPARE(referenceUlaw(0xff), 0);      // µ-law has a zero
    QCOMPARE(referenceUlaw(0x80), 32124);  // largest: 8031 × 4
    QCOMPARE(referenceUlaw(0x00), -32124);
  }

  // Levels: the peak of the expanded samples, in dBFS; silence is the 16-bit floor.
  void levels() {
    const std::vector<std::uint8_t> loud{0xd5, 0xaa, 0x55};  // A-law 8, 32256, -8
    QCOMPARE(netlens::audio::g711Peak(loud.data(), loud.size(), true), 32256u);
    const std::vector<std::uint8_t> quiet{0xff, 0x7f};  // µ-law 0 and -0
    QCOMPARE(netlens::audio::g711Peak(quiet.data(), quiet.size(), false), 0u);
    QCOMPARE(netlens::audio::levelDbfs(0), -96.0);
    QCOMPARE(netlens::audio::levelDbfs(32768), 0.0);
    QVERIFY(std::abs(netlens::audio::levelDbfs(16384) - 20 * std::log10(0.5)) < 1e-12);
    // The smallest step is -90.3 dBFS, above the floor.
    QVERIFY(std::abs(netlens::audio::levelDbfs(1) - 20 * std::log10(1.0 / 32768)) < 1e-12);
    QVERIFY(std::abs(netlens::audio::levelDbfs(2) - 20 * std::log10(2.0 / 32768)) < 1e-12);
    // A µ-law sine at -12 dBFS peaks within the law's step of -12 dBFS.
    std::vector<std::uint8_t> tone;
    for (int i = 0; i < 160; ++i) {
      const double v =
          32767.0 * std::pow(10.0, -12.0 / 20) * std::sin(2 * std::numbers::pi * 440 * i / 8000.0);
      tone.push_back(
          netlens::node::demo::MulawTone::encode(static_cast<std::int16_t>(std::lround(v))));
    }
    const double level =
        netlens::audio::levelDbfs(netlens::audio::g711Peak(tone.data(), tone.size(), false));
    QVERIFY2(std::abs(level + 12) < 0.3, qPrintable(QString::number(level)));
  }

  void payloadSizes_data() {
    QTest::addColumn<int>("codec");
    QTest::addColumn<int>("bytes");
    QTest::addColumn<int>("samples");
    QTest::newRow("PCMU 20 ms") << static_cast<int>(Codec::Pcmu) << 160 << 160;
    QTest::newRow("PCMA empty") << static_cast<int>(Codec::Pcma) << 0 << 0;
    QTest::newRow("G722 20 ms") << static_cast<int>(Codec::G722) << 160 << 320;
    QTest::newRow("G729 one frame") << static_cast<int>(Codec::G729) << 10 << 80;
    QTest::newRow("G729 20 ms") << static_cast<int>(Codec::G729) << 20 << 160;
    QTest::newRow("G729 SID") << static_cast<int>(Codec::G729) << 2 << 80;
    QTest::newRow("G729 frames + SID") << static_cast<int>(Codec::G729) << 22 << 240;
    QTest::newRow("G729 broken") << static_cast<int>(Codec::G729) << 7 << 0;
    QTest::newRow("G729 broken 2") << static_cast<int>(Codec::G729) << 25 << 0;
    QTest::newRow("PCMU too large") << static_cast<int>(Codec::Pcmu) << 65537 << 0;
  }
  void payloadSizes() {
    QFETCH(int, codec);
    QFETCH(int, bytes);
    QFETCH(int, samples);
    auto decoder = AudioDecoder::create(static_cast<Codec>(codec));
    QCOMPARE(decoder->samplesFor(static_cast<std::size_t>(bytes)),
             static_cast<std::size_t>(samples));
    std::vector<std::uint8_t> payload(static_cast<std::size_t>(bytes), 0x5a);
    std::vector<std::int16_t> pcm(static_cast<std::size_t>(samples) + 1, 777);
    QCOMPARE(decoder->decode(payload.data(), payload.size(), pcm.data()),
             static_cast<std::size_t>(samples));
    QCOMPARE(pcm.back(), std::int16_t{777});  // nothing written past the promise
  }

  void rates() {
    auto g722 = AudioDecoder::create(Codec::G722);
    QCOMPARE(g722->sampleRate(), 16000u);
    QCOMPARE(g722->samplesPerTick(), 2u);
    auto g729 = AudioDecoder::create(Codec::G729);
    QCOMPARE(g729->sampleRate(), 8000u);
    QCOMPARE(g729->samplesPerTick(), 1u);
  }

  void names_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("codec");  // -1: unsupported
    QTest::newRow("PCMU") << "PCMU" << static_cast<int>(Codec::Pcmu);
    QTest::newRow("pcma") << "pcma" << static_cast<int>(Codec::Pcma);
    QTest::newRow("G722") << "G722" << static_cast<int>(Codec::G722);
    QTest::newRow("G729") << "G729" << static_cast<int>(Codec::G729);
    QTest::newRow("G729a") << "G729a" << static_cast<int>(Codec::G729);
    QTest::newRow("GSM") << "GSM" << -1;
    QTest::newRow("opus") << "opus" << -1;
    QTest::newRow("empty") << "" << -1;
  }
  void names() {
    QFETCH(QString, name);
    QFETCH(int, codec);
    Codec c{};
    const bool known = netlens::audio::codecFromName(name.toStdString(), &c);
    QCOMPARE(known, codec >= 0);
    if (known) {
      QCOMPARE(static_cast<int>(c), codec);
      Codec back{};
      QVERIFY(netlens::audio::codecFromName(netlens::audio::codecName(c), &back));
      QCOMPARE(back, c);
    }
  }
};

QTEST_APPLESS_MAIN(TestAudioCodecs)
#include "tst_audio_codecs.moc"
