// SPDX-License-Identifier: MIT
// The RTP stream assembler and the channel mixer of shared/audio, on made-up packets whose
// payload is one G.711 µ-law code repeated, so every output sample tells which packet it
// came from (0 is silence): placement by timestamp, loss as silence of the right length,
// sequence and timestamp wrap-around, duplicates, reordering, timestamp jumps (segments),
// other payload types, overlaps, the length limit, G.722's two samples per tick, and
// stereo alignment by capture time.
#include <QTest>
#include <vector>

#include "shared/audio/channel_mixer.h"
#include "shared/audio/stream_assembler.h"

using netlens::audio::AssemblerLimits;
using netlens::audio::AudioDecoder;
using netlens::audio::ChannelMixer;
using netlens::audio::Codec;
using netlens::audio::RtpAudioPacket;
using netlens::audio::StreamAssembler;

namespace {

constexpr std::uint8_t kPcmu = 0;
constexpr std::int64_t kMs = 1'000'000;

/// A packet of `samples` µ-law bytes of `code`.
struct Packet {
  std::uint16_t seq;
  std::uint32_t ts;
  std::uint8_t code;
  std::int64_t captureNs = 0;
  std::uint8_t pt = kPcmu;
  std::size_t samples = 160;
};

std::int16_t pcmOf(std::uint8_t code) {
  std::int16_t v = 0;
  AudioDecoder::create(Codec::Pcmu)->decode(&code, 1, &v);
  return v;
}

std::vector<std::int16_t> assemble(const std::vector<Packet>& packets, StreamAssembler& a) {
  for (const Packet& p : packets) {
    const std::vector<std::uint8_t> payload(p.samples, p.code);
    RtpAudioPacket r;
    r.captureNs = p.captureNs;
    r.sequence = p.seq;
    r.timestamp = p.ts;
    r.payloadType = p.pt;
    r.payload = payload.data();
    r.payloadLength = static_cast<std::uint32_t>(payload.size());
    a.add(r);
  }
  a.finish();
  std::vector<std::int16_t> out(a.totalSamples() + 100, 1);
  // Read in odd-sized pieces so that chunk boundaries fall everywhere.
  std::size_t got = 0;
  while (const std::size_t n = a.read(out.data() + got, 97)) got += n;
  out.resize(got);
  return out;
}

std::vector<std::int16_t> assemble(const std::vector<Packet>& packets,
                                   AssemblerLimits limits = {}) {
  StreamAssembler a(AudioDecoder::create(Codec::Pcmu), kPcmu, limits);
  return assemble(packets, a);
}

/// The output as runs: (value, length) pairs.
std::vector<std::pair<int, int>> runs(const std::vector<std::int16_t>& pcm) {
  std::vector<std::pair<int, int>> out;
  for (const std::int16_t v : pcm) {
    if (out.empty() || out.back().first != v) {
      out.emplace_back(v, 1);
    } else {
      ++out.back().second;
    }
  }
  return out;
}

using Runs = std::vector<std::pair<int, int>>;

}  // namespace

class TestStreamAssembler : public QObject {
  Q_OBJECT
 private slots:
  void inOrder() {
    const auto pcm = assemble({{1, 0, 0x10}, {2, 160, 0x20}, {3, 320, 0x30}});
    QCOMPARE(runs(pcm), (Runs{{pcmOf(0x10), 160}, {pcmOf(0x20), 160}, {pcmOf(0x30), 160}}));
  }

  void lossIsSilenceOfItsLength() {
    StreamAssembler a(AudioDecoder::create(Codec::Pcmu), kPcmu);
    const auto pcm = assemble({{1, 1000, 0x10}, {2, 1160, 0x20}, {5, 1640, 0x50}}, a);
    QCOMPARE(runs(pcm),
             (Runs{{pcmOf(0x10), 160}, {pcmOf(0x20), 160}, {0, 320}, {pcmOf(0x50), 160}}));
    QCOMPARE(a.silenceSamples(), 320u);
    QCOMPARE(a.totalSamples(), 800u);
    QCOMPARE(a.segments(), 1u);
  }

  void sequenceWrapWithReordering() {
    // Arrival order 65535, 65534, 1, 0: played 65534, 65535, 0, 1.
    const auto pcm =
        assemble({{65535, 160, 0x20}, {65534, 0, 0x10}, {1, 480, 0x40}, {0, 320, 0x30}});
    QCOMPARE(
        runs(pcm),
        (Runs{{pcmOf(0x10), 160}, {pcmOf(0x20), 160}, {pcmOf(0x30), 160}, {pcmOf(0x40), 160}}));
  }

  void timestampWrap() {
    const auto pcm = assemble({{7, 0xffffff60u, 0x10}, {8, 0, 0x20}, {10, 320, 0x40}});
    QCOMPARE(runs(pcm),
             (Runs{{pcmOf(0x10), 160}, {pcmOf(0x20), 160}, {0, 160}, {pcmOf(0x40), 160}}));
  }

  void duplicatesDropped() {
    StreamAssembler a(AudioDecoder::create(Codec::Pcmu), kPcmu);
    const auto pcm =
        assemble({{1, 0, 0x10}, {2, 160, 0x20}, {2, 160, 0x21}, {3, 320, 0x30}, {1, 0, 0x11}}, a);
    // The first copy in capture order stays.
    QCOMPARE(runs(pcm), (Runs{{pcmOf(0x10), 160}, {pcmOf(0x20), 160}, {pcmOf(0x30), 160}}));
    QCOMPARE(a.duplicates(), 2u);
    QCOMPARE(a.audioPackets(), 3u);
  }

  void reordering() {
    const auto pcm =
        assemble({{1, 0, 0x10}, {3, 320, 0x30}, {2, 160, 0x20}, {5, 640, 0x50}, {4, 480, 0x40}});
    QCOMPARE(runs(pcm), (Runs{{pcmOf(0x10), 160},
                              {pcmOf(0x20), 160},
                              {pcmOf(0x30), 160},
                              {pcmOf(0x40), 160},
                              {pcmOf(0x50), 160}}));
  }

  void gapWithinLimitIsSilence() {
    // 5 s of silence suppression: kept as 5 s.
    const auto pcm = assemble({{1, 0, 0x10}, {2, 160 + 5 * 8000, 0x20}});
    QCOMPARE(runs(pcm), (Runs{{pcmOf(0x10), 160}, {0, 40000}, {pcmOf(0x20), 160}}));
  }

  void jumpForwardStartsSegment() {
    // The timestamp leaps an hour; capture time says 1 s passed: 1 s of silence between.
    StreamAssembler a(AudioDecoder::create(Codec::Pcmu), kPcmu);
    const auto pcm = assemble({{1, 0, 0x10, 0},
                               {2, 160, 0x20, 20 * kMs},
                               {3, 320 + 3600 * 8000, 0x30, 1020 * kMs},
                               {4, 480 + 3600 * 8000, 0x40, 1040 * kMs}},
                              a);
    QCOMPARE(a.segments(), 2u);
    QCOMPARE(runs(pcm), (Runs{{pcmOf(0x10), 160},
                              {pcmOf(0x20), 160},
                              {0, 7840},
                              {pcmOf(0x30), 160},
                              {pcmOf(0x40), 160}}));
  }

  void jumpSilenceIsCapped() {
    // Capture time shows a minute between the segments: at most maxGapSeconds (10 s).
    StreamAssembler a(AudioDecoder::create(Codec::Pcmu), kPcmu);
    const auto pcm = assemble({{1, 0, 0x10, 0}, {2, 900'000'000, 0x20, 60'000 * kMs}}, a);
    QCOMPARE(a.segments(), 2u);
    QCOMPARE(runs(pcm), (Runs{{pcmOf(0x10), 160}, {0, 80000}, {pcmOf(0x20), 160}}));
  }

  void backwardsStartsSegment() {
    StreamAssembler a(AudioDecoder::create(Codec::Pcmu), kPcmu);
    const auto pcm = assemble({{1, 16000, 0x10, 0},
                               {2, 16160, 0x20, 20 * kMs},
                               {3, 0, 0x30, 40 * kMs},
                               {4, 160, 0x40, 60 * kMs}},
                              a);
    QCOMPARE(a.segments(), 2u);
    QCOMPARE(
        runs(pcm),
        (Runs{{pcmOf(0x10), 160}, {pcmOf(0x20), 160}, {pcmOf(0x30), 160}, {pcmOf(0x40), 160}}));
  }

  void otherPayloadTypesAreSilence() {
    // Comfort noise (13) and an RFC 4733 event (101) between audio: their time is silence.
    StreamAssembler a(AudioDecoder::create(Codec::Pcmu), kPcmu);
    const auto pcm = assemble({{1, 0, 0x10},
                               {2, 160, 0x77, 0, 13, 1},
                               {3, 320, 0x05, 0, 101, 4},
                               {4, 320, 0x05, 0, 101, 4},
                               {5, 640, 0x50}},
                              a);
    QCOMPARE(runs(pcm), (Runs{{pcmOf(0x10), 160}, {0, 480}, {pcmOf(0x50), 160}}));
    QCOMPARE(a.otherPackets(), 3u);
  }

  void overlapIsCut() {
    const auto pcm = assemble({{1, 0, 0x10}, {2, 80, 0x20}});
    QCOMPARE(runs(pcm), (Runs{{pcmOf(0x10), 160}, {pcmOf(0x20), 80}}));
  }

  void lengthLimit() {
    AssemblerLimits limits;
    limits.maxSeconds = 1;
    StreamAssembler a(AudioDecoder::create(Codec::Pcmu), kPcmu, limits);
    std::vector<Packet> packets;
    for (std::uint16_t i = 0; i < 200; ++i) {  // 4 s
      packets.push_back({i, static_cast<std::uint32_t>(i) * 160u, 0x10});
    }
    const auto pcm = assemble(packets, a);
    QVERIFY(a.truncated());
    QCOMPARE(pcm.size(), std::size_t{8000});
    QCOMPARE(a.totalSamples(), 8000u);
  }

  void emptyAndUndecodable() {
    StreamAssembler a(AudioDecoder::create(Codec::G729), 18);
    const auto pcm = assemble({{1, 0, 0x10, 0, 18, 7}, {2, 80, 0x10, 0, 18, 0}}, a);
    QVERIFY(pcm.empty());
    QCOMPARE(a.undecodable(), 2u);
    QCOMPARE(a.audioPackets(), 0u);
    QCOMPARE(a.segments(), 0u);
  }

  void g722TwoSamplesPerTick() {
    // 20 ms packets (160 bytes, 160 ticks of the 8 kHz RTP clock, 320 samples at 16 kHz)
    // with one lost: 320 samples of silence.
    StreamAssembler a(AudioDecoder::create(Codec::G722), 9);
    const auto pcm = assemble(
        {{1, 0, 0x10, 0, 9, 160}, {2, 160, 0x10, 0, 9, 160}, {4, 480, 0x10, 0, 9, 160}}, a);
    QCOMPARE(a.sampleRate(), 16000u);
    QCOMPARE(pcm.size(), std::size_t{4 * 320});
    QCOMPARE(a.silenceSamples(), 320u);
    for (std::size_t i = 640; i < 960; ++i) QCOMPARE(pcm[i], std::int16_t{0});
  }

  void stereoAlignedByCaptureTime() {
    // Right starts 100 ms after left and runs at 16 kHz: left is brought up to 16 kHz.
    StreamAssembler l2(AudioDecoder::create(Codec::Pcmu), kPcmu);
    StreamAssembler r2(AudioDecoder::create(Codec::G722), 9);
    for (auto* a : {&l2, &r2}) {
      const bool isLeft = a == &l2;
      const std::vector<std::uint8_t> payload(160, 0x10);
      for (int i = 0; i < (isLeft ? 2 : 1); ++i) {
        RtpAudioPacket p;
        p.captureNs = (isLeft ? 1000 + 20 * i : 1100) * kMs;
        p.sequence = static_cast<std::uint16_t>(i);
        p.timestamp = static_cast<std::uint32_t>(160 * i);
        p.payloadType = isLeft ? kPcmu : 9;
        p.payload = payload.data();
        p.payloadLength = 160;
        a->add(p);
      }
      a->finish();
    }
    ChannelMixer mixer;
    std::string error;
    QVERIFY2(mixer.open({{&l2, l2.startCaptureNs()}, {&r2, r2.startCaptureNs()}}, &error),
             error.c_str());
    QCOMPARE(mixer.channels(), 2);
    QCOMPARE(mixer.sampleRate(), 16000u);
    // Left: 320 samples at 8 kHz = 640 frames; right: 1600 frames of lead + 320.
    QCOMPARE(mixer.totalFrames(), 1920u);
    std::vector<std::int16_t> frames(2 * 2000, 1);
    QCOMPARE(mixer.read(frames.data(), 2000), std::size_t{1920});
    const std::int16_t v = pcmOf(0x10);
    QCOMPARE(frames[0], v);        // left starts at once (held at its first value)
    QCOMPARE(frames[2 * 639], v);  // ... and runs 640 frames
    QCOMPARE(frames[2 * 640], std::int16_t{0});
    for (std::size_t f = 0; f < 1600; ++f) QCOMPARE(frames[2 * f + 1], std::int16_t{0});
    bool rightSounds = false;
    for (std::size_t f = 1600; f < 1920; ++f) rightSounds |= frames[2 * f + 1] != 0;
    QVERIFY(rightSounds);
    QCOMPARE(mixer.read(frames.data(), 10), std::size_t{0});
  }

  void leadSilenceIsBounded() {
    // Two streams a day apart: the later one starts after at most maxLeadSeconds.
    StreamAssembler a2(AudioDecoder::create(Codec::Pcmu), kPcmu);
    StreamAssembler b2(AudioDecoder::create(Codec::Pcmu), kPcmu);
    const std::vector<std::uint8_t> payload(160, 0x10);
    for (auto* x : {&a2, &b2}) {
      RtpAudioPacket p;
      p.captureNs = x == &a2 ? 0 : 86'400'000 * kMs;
      p.payload = payload.data();
      p.payloadLength = 160;
      x->add(p);
      x->finish();
    }
    ChannelMixer mixer;
    std::string error;
    QVERIFY(mixer.open({{&a2, a2.startCaptureNs()}, {&b2, b2.startCaptureNs()}}, &error, 1));
    QCOMPARE(mixer.totalFrames(), 8000u + 160u);
  }

  void mixerRefusesBadInputs() {
    ChannelMixer mixer;
    std::string error;
    QVERIFY(!mixer.open({}, &error));
    QVERIFY(!error.empty());
  }
};

QTEST_APPLESS_MAIN(TestStreamAssembler)
#include "tst_stream_assembler.moc"
