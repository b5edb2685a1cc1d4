// SPDX-License-Identifier: MIT
// `netlens-node audio` (the real binary) on the shared capture corpus:
// - every G.722 and G.729 stream (G.729, G.729A, G.729 Annex B with SID frames) decodes to
//   audio as long as the stream, to within 1 % — the length worked out here from the RTP
//   timestamps of the capture (first to last, plus the last packet's own length) — and the
//   audio is not silence;
// - WAV files: header fields (RIFF size, PCM format, rate, channels, byte rate, block align,
//   data size) agree with each other and with the length of the file;
// - MP3 files decode with LAME's own decoder (hip_decode) to the stream's sample rate and
//   length (±1 %, after the encoder delay and padding the LAME tag states), mono and stereo;
// - a call in stereo: the channel of the stream that started first is that stream's mono
//   audio sample for sample; --separate writes one file per stream, named OUT-0x<ssrc>;
// - errors: an unknown SSRC names the streams there are, an unknown Call-ID the calls, an
//   unsupported codec its name, an unwritable path the reason; nothing is left behind.
#include <lame/lame.h>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <map>
#include <vector>

#include "node/capture/pcap_source.h"
#include "shared/decoder/packet_decoder.h"
#include "shared/pcap/pcap_writer.h"
#include "shared/voip/rtp_header.h"
#include "tests/common/tshark_reference.h"

namespace ref = netlens::tests;

namespace {

const QString kNode = QStringLiteral(NETLENS_NODE_BINARY);

struct Run {
  int exitCode = -1;
  QString err;
};

Run runNode(const QStringList& args) {
  QProcess p;
  p.start(kNode, args);
  Run r;
  if (!p.waitForFinished(120000)) {
    p.kill();
    p.waitForFinished();
    r.err = QStringLiteral("timed out");
    return r;
  }
  r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  r.err = QString::fromUtf8(p.readAllStandardError());
  return r;
}

std::uint32_t le32(const QByteArray& b, int at) {
  return static_cast<std::uint8_t>(b[at]) | static_cast<std::uint8_t>(b[at + 1]) << 8 |
         static_cast<std::uint8_t>(b[at + 2]) << 16 |
         static_cast<std::uint32_t>(static_cast<std::uint8_t>(b[at + 3])) << 24;
}
std::uint16_t le16(const QByteArray& b, int at) {
  return static_cast<std::uint16_t>(static_cast<std::uint8_t>(b[at]) |
                                    static_cast<std::uint8_t>(b[at + 1]) << 8);
}

struct Wav {
  std::uint32_t rate = 0;
  int channels = 0;
  std::vector<std::int16_t> samples;  ///< interleaved
};

/// Reads a WAV file as our writer makes it, checking every header field.
bool readWav(const QString& path, Wav& out, QString& error) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) {
    error = QStringLiteral("cannot open ") + path;
    return false;
  }
  const QByteArray b = f.readAll();
  if (b.size() < 44 || b.left(4) != "RIFF" || b.mid(8, 8) != "WAVEfmt " || b.mid(36, 4) != "data") {
    error = QStringLiteral("not a canonical WAV header");
    return false;
  }
  const std::uint32_t dataBytes = le32(b, 40);
  out.channels = le16(b, 22);
  out.rate = le32(b, 24);
  const bool ok = le32(b, 4) == static_cast<std::uint32_t>(b.size() - 8) && le32(b, 16) == 16 &&
                  le16(b, 20) == 1 && (out.channels == 1 || out.channels == 2) &&
                  le32(b, 28) == out.rate * 2u * static_cast<std::uint32_t>(out.channels) &&
                  le16(b, 32) == 2 * out.channels && le16(b, 34) == 16 &&
                  dataBytes == static_cast<std::uint32_t>(b.size() - 44) && dataBytes % 2 == 0;
  if (!ok) {
    error = QStringLiteral("inconsistent WAV header in ") + path;
    return false;
  }
  out.samples.resize(dataBytes / 2);
  for (std::size_t i = 0; i < out.samples.size(); ++i) {
    out.samples[i] = static_cast<std::int16_t>(le16(b, 44 + static_cast<int>(i) * 2));
  }
  return true;
}

struct Level {
  double rms = 0;
  int peak = 0;
};

Level levelOf(const std::vector<std::int16_t>& s) {
  Level l;
  double sum = 0;
  for (const std::int16_t v : s) {
    sum += static_cast<double>(v) * v;
    l.peak = std::max(l.peak, std::abs(static_cast<int>(v)));
  }
  l.rms = s.empty() ? 0 : std::sqrt(sum / static_cast<double>(s.size()));
  return l;
}

/// A stream's length in output samples from the capture's RTP timestamps: first to last
/// timestamp plus the last packet's samples. `samplesOf` gives a payload's samples;
/// `perTick` output samples per RTP tick.
qint64 referenceSamples(const QString& capture, quint32 ssrc, int perTick,
                        qint64 (*samplesOf)(quint32)) {
  std::string error;
  auto source = netlens::node::capture::PcapSource::openFile(capture.toStdString(), &error);
  if (!source) return -1;
  netlens::node::capture::RawPacket raw;
  netlens::decoder::DecodedPacket packet;
  netlens::voip::RtpHeader rtp;
  bool any = false;
  std::uint32_t first = 0, last = 0;
  qint64 lastSamples = 0;
  while (source->next(raw) == netlens::node::capture::ReadStatus::Packet) {
    netlens::decoder::PacketDecoder::decode(raw.linkType, raw.data, raw.capturedLength,
                                            raw.wireLength, raw.timestampNs, packet);
    const auto& t = packet.transport;
    if (t.protocol != netlens::decoder::ipproto::kUdp || t.payload == nullptr) continue;
    if (netlens::voip::parseRtpHeader(t.payload, t.payloadLength, rtp) !=
            netlens::voip::RtpParseStatus::Ok ||
        rtp.ssrc != ssrc || rtp.payloadType >= 72) {
      continue;
    }
    if (!any || rtp.timestamp < first) first = rtp.timestamp;
    if (!any || rtp.timestamp >= last) {
      last = rtp.timestamp;
      lastSamples = samplesOf(rtp.payloadLength);
    }
    any = true;
  }
  return any ? static_cast<qint64>(last - first) * perTick + lastSamples : -1;
}

qint64 g722Samples(quint32 bytes) {
  return 2 * static_cast<qint64>(bytes);
}
qint64 g729Samples(quint32 bytes) {
  return (bytes / 10 + (bytes % 10 == 2 ? 1 : 0)) * 80;
}
qint64 g711Samples(quint32 bytes) {
  return bytes;
}

struct Mp3Decoded {
  int rate = 0;
  int channels = 0;
  qint64 samples = 0;  ///< per channel, as decoded
  int delay = -1;
  int padding = -1;
  Level level;
};

/// Decodes a whole MP3 file with LAME's decoder.
bool decodeMp3(const QString& path, Mp3Decoded& out, QString& error) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) {
    error = QStringLiteral("cannot open ") + path;
    return false;
  }
  QByteArray data = f.readAll();
  hip_t hip = hip_decode_init();
  std::vector<short> left(8192), right(8192);
  std::vector<std::int16_t> all;
  mp3data_struct info{};
  int pos = 0;
  bool ok = true;
  while (pos < data.size() && ok) {
    const int n = std::min<int>(1024, static_cast<int>(data.size()) - pos);
    int got = hip_decode1_headersB(hip, reinterpret_cast<unsigned char*>(data.data()) + pos,
                                   static_cast<std::size_t>(n), left.data(), right.data(), &info,
                                   &out.delay, &out.padding);
    pos += n;
    while (got > 0) {
      out.samples += got;
      all.insert(all.end(), left.begin(), left.begin() + got);
      got = hip_decode1_headersB(hip, nullptr, 0, left.data(), right.data(), &info, &out.delay,
                                 &out.padding);
    }
    if (got < 0) {
      ok = false;
      error = QStringLiteral("hip_decode failed at byte %1").arg(pos);
    }
  }
  hip_decode_exit(hip);
  out.rate = info.samplerate;
  out.channels = info.stereo;
  out.level = levelOf(all);
  return ok && info.header_parsed == 1;
}

/// A capture of one RTP stream of payload type `pt` (a GSM stream for the unsupported-codec
/// case), 8 packets of 33 bytes.
void writeRtpCapture(const QString& path, std::uint8_t pt) {
  netlens::pcap::PcapWriter w;
  std::string error;
  QVERIFY2(w.open(path.toStdString(), &error), error.c_str());
  for (int i = 0; i < 8; ++i) {
    std::vector<std::uint8_t> f = {0x00, 0x11, 0x22, 0x33,
                                   0x44, 0x55, 0x00, 0x66,
                                   0x77, 0x88, 0x99, 0xaa,
                                   0x08, 0x00,  // Ethernet
                                   0x45, 0x00, 0x00, 73,
                                   0x00, 0x01, 0x00, 0x00,
                                   64,   17,   0x00, 0x00,
                                   10,   0,    0,    1,
                                   10,   0,    0,    2,  // IPv4
                                   0x40, 0x00, 0x50, 0x00,
                                   0x00, 53,   0x00, 0x00,                          // UDP
                                   0x80, pt,   0x00, static_cast<std::uint8_t>(i),  // RTP
                                   0x00, 0x00, 0x00, static_cast<std::uint8_t>(160 * i),
                                   0x11, 0x22, 0x33, 0x44};
    f[48] = static_cast<std::uint8_t>((160 * i) >> 8);
    f.resize(f.size() + 33, 0xd5);
    QVERIFY(w.writePacket(1'700'000'000'000'000'000 + i * 20'000'000LL, f));
  }
  QVERIFY(w.close(&error));
}

const char* const kPcmuCall = "sip_rtp_pcmu_call.pcap";
const char* const kPcmuCallId = "9c5ee7de-ca85-e211-9639-5cac4c9de28b@MartinNTB2";

}  // namespace

class TestAudioCorpus : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;

  QString out(const QString& name) const { return m_dir.filePath(name); }

 private slots:
  void initTestCase() { QVERIFY(m_dir.isValid()); }

  void codecStreams_data() {
    QTest::addColumn<QString>("capture");
    QTest::addColumn<quint32>("ssrc");
    QTest::addColumn<QString>("codec");
    const auto row = [](const char* capture, quint32 ssrc, const char* codec) {
      QTest::addRow("%s 0x%08x", capture, ssrc) << capture << ssrc << codec;
    };
    row("rtp_g722_music_only.pcap", 0x2D374E76, "G722");
    row("sip_rtp_g722_call.pcap", 0x802EBB93, "G722");
    row("sip_rtp_g722_call.pcap", 0x307B5CE8, "G722");
    row("sip_rtp_g729_call.pcap", 0x22D90002, "G729");
    row("sip_rtp_g729_call.pcap", 0x21110001, "G729");
    row("sip_rtp_g729a_short.pcap", 0x044559A1, "G729");
    row("sip_rtp_g729b_vad_call.pcap", 0x06840002, "G729");
    row("sip_rtp_g729b_vad_call.pcap", 0x059D0001, "G729");
  }
  void codecStreams() {
    QFETCH(QString, capture);
    QFETCH(quint32, ssrc);
    QFETCH(QString, codec);
    const QString path = ref::capturePath(capture);
    const QString wav = out(QStringLiteral("%1-%2.wav").arg(capture).arg(ssrc, 0, 16));
    const Run r =
        runNode({"audio", "-r", path, "--ssrc",
                 QStringLiteral("0x%1").arg(ssrc, 8, 16, QLatin1Char('0')), "--wav", wav});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(codec), qPrintable(r.err));
    Wav w;
    QString error;
    QVERIFY2(readWav(wav, w, error), qPrintable(error));
    const bool g722 = codec == QLatin1String("G722");
    QCOMPARE(w.rate, g722 ? 16000u : 8000u);
    QCOMPARE(w.channels, 1);
    const qint64 expected =
        referenceSamples(path, ssrc, g722 ? 2 : 1, g722 ? g722Samples : g729Samples);
    QVERIFY(expected > 0);
    const auto got = static_cast<qint64>(w.samples.size());
    QVERIFY2(std::abs(got - expected) <= expected / 100,
             qPrintable(QStringLiteral("%1 samples, the stream lasts %2").arg(got).arg(expected)));
    // Not silence: well above the decoders' idle noise (about -66 dBFS RMS, -46 dBFS peak).
    const Level level = levelOf(w.samples);
    QVERIFY2(level.rms > 16 && level.peak > 160,
             qPrintable(QStringLiteral("RMS %1, peak %2").arg(level.rms).arg(level.peak)));
  }

  void mp3Mono() {
    const QString mp3 = out("mono.mp3");
    const QString path = ref::capturePath(kPcmuCall);
    const Run r = runNode({"audio", "-r", path, "--ssrc", "0x7df5fe10", "--mp3", mp3});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    Mp3Decoded d;
    QString error;
    QVERIFY2(decodeMp3(mp3, d, error), qPrintable(error));
    QCOMPARE(d.rate, 8000);
    QCOMPARE(d.channels, 1);
    QVERIFY2(d.delay >= 0 && d.padding >= 0, "no LAME tag with encoder delay and padding");
    const qint64 expected = referenceSamples(path, 0x7df5fe10, 1, g711Samples);
    const qint64 got = d.samples - d.delay - d.padding;
    QVERIFY2(std::abs(got - expected) <= expected / 100,
             qPrintable(QStringLiteral("%1 samples decoded (delay %2, padding %3), the stream "
                                       "lasts %4")
                            .arg(d.samples)
                            .arg(d.delay)
                            .arg(d.padding)
                            .arg(expected)));
    QVERIFY2(d.level.peak > 3000, qPrintable(QString::number(d.level.peak)));
    QVERIFY(QDir(m_dir.path()).entryList({"*.part*"}, QDir::Files).isEmpty());
  }

  void mp3StereoCall() {
    const QString mp3 = out("call.mp3");
    const Run r =
        runNode({"audio", "-r", ref::capturePath(kPcmuCall), "--call", kPcmuCallId, "--mp3", mp3});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains("left 0x0f4bfe34") && r.err.contains("right 0x7df5fe10"),
             qPrintable(r.err));
    Mp3Decoded d;
    QString error;
    QVERIFY2(decodeMp3(mp3, d, error), qPrintable(error));
    QCOMPARE(d.rate, 8000);
    QCOMPARE(d.channels, 2);
    // From the first stream's start (13.521311) to the end of the last (21.653517 + 20 ms).
    const qint64 expected = std::llround((21.653517 + 0.020 - 13.521311) * 8000);
    const qint64 got = d.samples - d.delay - d.padding;
    QVERIFY2(std::abs(got - expected) <= expected / 100,
             qPrintable(QStringLiteral("%1 samples, expected %2").arg(got).arg(expected)));
  }

  void wavStereoMatchesMono() {
    const QString path = ref::capturePath(kPcmuCall);
    const QString stereo = out("call.wav");
    const QString mono = out("right.wav");
    Run r = runNode({"audio", "-r", path, "--call", kPcmuCallId, "--wav", stereo});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    r = runNode({"audio", "-r", path, "--ssrc", "0x7df5fe10", "--wav", mono});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    Wav s, m;
    QString error;
    QVERIFY2(readWav(stereo, s, error), qPrintable(error));
    QVERIFY2(readWav(mono, m, error), qPrintable(error));
    QCOMPARE(s.channels, 2);
    QCOMPARE(m.channels, 1);
    QCOMPARE(m.samples.size(), std::size_t{401 * 160});  // 401 packets, none lost
    QVERIFY(s.samples.size() / 2 >= m.samples.size());
    // The callee's stream began first: the right channel is its audio from frame 0.
    for (std::size_t i = 0; i < m.samples.size(); ++i) {
      if (s.samples[2 * i + 1] != m.samples[i]) {
        QFAIL(qPrintable(QStringLiteral("frame %1 differs").arg(i)));
      }
    }
    // The caller's stream began 347 ms later: the left channel is silent until then.
    const std::size_t lead = (13.868628 - 13.521311) * 8000;
    for (std::size_t i = 0; i + 8 < lead; ++i) QCOMPARE(s.samples[2 * i], std::int16_t{0});
  }

  void separateFiles() {
    const Run r = runNode({"audio", "-r", ref::capturePath(kPcmuCall), "--call", kPcmuCallId,
                           "--wav", out("sep.wav"), "--separate"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    for (const char* name : {"sep-0x0f4bfe34.wav", "sep-0x7df5fe10.wav"}) {
      Wav w;
      QString error;
      QVERIFY2(readWav(out(name), w, error), qPrintable(error));
      QCOMPARE(w.channels, 1);
    }
    QVERIFY(!QFile::exists(out("sep.wav")));
  }

  void errors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("messages");  // each must appear on stderr
    const QString pcmu = ref::capturePath(kPcmuCall);
    QTest::newRow("unknown SSRC") << QStringList{"audio",      "-r",    pcmu,   "--ssrc",
                                                 "0x12345678", "--mp3", "x.mp3"}
                                  << QStringList{"no RTP stream with SSRC 0x12345678", "0x7df5fe10",
                                                 "0x0f4bfe34"};
    QTest::newRow("unknown call") << QStringList{"audio", "-r",    pcmu,   "--call",
                                                 "nope",  "--mp3", "x.mp3"}
                                  << QStringList{"no call with Call-ID \"nope\"", kPcmuCallId};
    QTest::newRow("bad SSRC text")
        << QStringList{"audio", "-r", pcmu, "--ssrc", "0xZZ", "--mp3", "x.mp3"}
        << QStringList{"--ssrc takes a 32-bit SSRC"};
    QTest::newRow("no output") << QStringList{"audio", "-r", pcmu, "--ssrc", "0x7df5fe10"}
                               << QStringList{"--mp3 OUT.mp3 or --wav OUT.wav"};
    QTest::newRow("both selections")
        << QStringList{"audio", "-r", pcmu, "--ssrc", "1", "--call", "x", "--wav", "x.wav"}
        << QStringList{"either --ssrc"};
    QTest::newRow("separate without call")
        << QStringList{"audio", "-r", pcmu, "--ssrc", "0x7df5fe10", "--wav", "x.wav", "--separate"}
        << QStringList{"--separate goes with --call"};
    QTest::newRow("unwritable path")
        << QStringList{"audio",
                       "-r",
                       pcmu,
                       "--ssrc",
                       "0x7df5fe10",
                       "--mp3",
                       "/nonexistent-folder/x.mp3"}
        << QStringList{"cannot write /nonexistent-folder/x.mp3", "No such file or directory"};
    QTest::newRow("missing capture")
        << QStringList{"audio", "-r", "/nonexistent-folder/a.pcap", "--ssrc", "1", "--wav", "x.wav"}
        << QStringList{"/nonexistent-folder/a.pcap"};
  }
  void errors() {
    QFETCH(QStringList, args);
    QFETCH(QStringList, messages);
    const QString cwd = QDir::currentPath();
    QDir::setCurrent(m_dir.path());  // relative output names land in the temporary folder
    const Run r = runNode(args);
    QDir::setCurrent(cwd);
    QVERIFY2(r.exitCode != 0 && r.exitCode != -1, qPrintable(QString::number(r.exitCode) + r.err));
    for (const QString& m : messages) QVERIFY2(r.err.contains(m), qPrintable(r.err));
    QVERIFY(!QFile::exists(out("x.mp3")) && !QFile::exists(out("x.wav")));
  }

  void unsupportedCodec() {
    const QString capture = out("gsm.pcap");
    writeRtpCapture(capture, 3);
    const Run r =
        runNode({"audio", "-r", capture, "--ssrc", "0x11223344", "--wav", out("gsm.wav")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("the codec GSM") && r.err.contains("PCMU, PCMA, G722 and G729"),
             qPrintable(r.err));
    QVERIFY(!QFile::exists(out("gsm.wav")));
  }
};

QTEST_GUILESS_MAIN(TestAudioCorpus)
#include "tst_audio_corpus.moc"
