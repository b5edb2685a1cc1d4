// SPDX-License-Identifier: MIT
// node/capture's classic pcap reader on files built record by record here (both byte orders,
// µs and ns, old versions, snapshot lengths, damage of every kind, records across the reader's
// buffer). Every file is also read by libpcap (nanosecond precision), which must return the
// same records and the same outcome: the reader's contract is to read what libpcap 1.10 reads.

#include <pcap/pcap.h>

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "node/capture/classic_pcap_reader.h"
#include "node/capture/pcap_source.h"

using netlens::node::capture::ClassicPcapReader;
using netlens::node::capture::FileRecord;
using netlens::node::capture::PcapSource;
using Status = ClassicPcapReader::Status;

namespace {

constexpr std::uint32_t kMagicMicro = 0xa1b2c3d4;
constexpr std::uint32_t kMagicNano = 0xa1b23c4d;
constexpr std::uint32_t kMagicModified = 0xa1b2cd34;  // Kuznetzov's: 24-byte record headers
constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::uint32_t kMaxLength = 262144;  // libpcap's maximum for ordinary link types
/// The reader's internal buffer (kBufferSize in classic_pcap_reader.cpp): its first read()
/// ends at this file offset.
constexpr int kReaderBuffer = 256 << 10;

struct FileHeader {
  bool bigEndian = false;
  std::uint32_t magic = kMagicMicro;
  std::uint16_t major = 2;
  std::uint16_t minor = 4;
  std::uint32_t snapLength = 65535;
  std::uint32_t linkType = 1;  ///< LINKTYPE_ETHERNET, whose DLT has the same number
};

/// Writes a classic pcap file in the byte order of its header.
class PcapBuilder {
 public:
  explicit PcapBuilder(const FileHeader& h) : m_bigEndian(h.bigEndian) {
    m_bytes = u32(h.magic) + u16(h.major) + u16(h.minor) + u32(0) + u32(0) + u32(h.snapLength) +
              u32(h.linkType);
  }
  /// A record whose captured length is data.size().
  void record(std::uint32_t seconds, std::uint32_t fraction, const QByteArray& data,
              std::uint32_t wireLength) {
    recordHeader(seconds, fraction, data.size(), wireLength);
    m_bytes += data;
  }
  /// A record header alone, with any values in its two length fields (captured length at
  /// offset 8, wire length at offset 12 in versions from 2.3 on).
  void recordHeader(std::uint32_t seconds, std::uint32_t fraction, std::uint32_t first,
                    std::uint32_t second) {
    m_bytes += u32(seconds) + u32(fraction) + u32(first) + u32(second);
  }
  QByteArray u16(std::uint16_t v) const {
    QByteArray b(2, 0);
    b[m_bigEndian ? 0 : 1] = char(v >> 8);
    b[m_bigEndian ? 1 : 0] = char(v);
    return b;
  }
  QByteArray u32(std::uint32_t v) const {
    QByteArray b(4, 0);
    for (int i = 0; i < 4; ++i) b[m_bigEndian ? 3 - i : i] = char(v >> (8 * i));
    return b;
  }
  QByteArray& bytes() { return m_bytes; }

 private:
  bool m_bigEndian = false;
  QByteArray m_bytes;
};

/// `size` bytes that differ from record to record and along a record, so a shifted or
/// misplaced byte shows.
QByteArray payload(int index, int size) {
  QByteArray b(size, Qt::Uninitialized);
  for (int j = 0; j < size; ++j) b[j] = char(index * 131 + j * 7 + (j >> 8));
  return b;
}

/// One record as a reader delivered it (or as a test expects it).
struct Record {
  qint64 timestampNs = 0;
  quint32 capturedLength = 0;
  quint32 wireLength = 0;
  QByteArray data;
};
using Records = QList<Record>;

/// What a reader made of a file.
struct Read {
  bool opened = false;
  QString openError;
  int linkType = -1;
  Records records;
  Status last = Status::End;
  QString error;
};

Read readWithOurs(const QString& path) {
  Read r;
  ClassicPcapReader reader;
  std::string error;
  r.opened = reader.open(path.toStdString(), &error);
  r.openError = QString::fromStdString(error);
  if (!r.opened) return r;
  r.linkType = reader.firstLinkType();
  FileRecord record;
  while ((r.last = reader.next(record)) == Status::Packet) {
    r.records.append(
        {record.timestampNs, record.capturedLength, record.wireLength,
         QByteArray(reinterpret_cast<const char*>(record.data), qsizetype(record.capturedLength))});
    // Every record carries the file's link type; classic pcap has one interface.
    if (record.linkType != r.linkType || record.interfaceId != 0) {
      r.error = QStringLiteral("record %1: link type %2, interface %3")
                    .arg(r.records.size())
                    .arg(record.linkType)
                    .arg(record.interfaceId);
      r.last = Status::Error;
      return r;
    }
  }
  r.error = QString::fromStdString(reader.error());
  // The end, clean or not, is final.
  if (reader.next(record) != r.last) {
    r.error = QStringLiteral("next() after the last record changed its answer");
    r.last = Status::Packet;
  }
  return r;
}

Read readWithLibpcap(const QString& path) {
  Read r;
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  pcap_t* p = pcap_open_offline_with_tstamp_precision(QFile::encodeName(path).constData(),
                                                      PCAP_TSTAMP_PRECISION_NANO, errbuf);
  if (p == nullptr) {
    r.openError = QString::fromLocal8Bit(errbuf);
    return r;
  }
  r.opened = true;
  r.linkType = pcap_datalink(p);
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  int rc;
  while ((rc = pcap_next_ex(p, &header, &data)) == 1) {
    r.records.append({qint64(header->ts.tv_sec) * kSecond + qint64(header->ts.tv_usec),
                      header->caplen, header->len,
                      QByteArray(reinterpret_cast<const char*>(data), qsizetype(header->caplen))});
  }
  r.last = rc == PCAP_ERROR_BREAK ? Status::End : Status::Error;
  if (rc == PCAP_ERROR) r.error = QString::fromLocal8Bit(pcap_geterr(p));
  pcap_close(p);
  return r;
}

QString describe(const Record& r) {
  return QStringLiteral("%1 ns, %2 of %3 bytes")
      .arg(r.timestampNs)
      .arg(r.capturedLength)
      .arg(r.wireLength);
}

/// The first difference between two lists of records, or an empty string.
QString firstDifference(const Records& actual, const Records& expected) {
  for (qsizetype i = 0; i < qMin(actual.size(), expected.size()); ++i) {
    const Record& a = actual[i];
    const Record& e = expected[i];
    if (a.timestampNs != e.timestampNs || a.capturedLength != e.capturedLength ||
        a.wireLength != e.wireLength) {
      return QStringLiteral("record %1: %2 instead of %3").arg(i).arg(describe(a), describe(e));
    }
    if (a.data != e.data) {
      qsizetype at = 0;
      while (at < a.data.size() && a.data[at] == e.data[at]) ++at;
      return QStringLiteral("record %1 (%2): bytes differ from offset %3")
          .arg(i)
          .arg(describe(a))
          .arg(at);
    }
  }
  if (actual.size() != expected.size()) {
    return QStringLiteral("%1 records instead of %2").arg(actual.size()).arg(expected.size());
  }
  return {};
}

/// Where our reading of a file differs from libpcap's, or an empty string.
QString differenceFromLibpcap(const Read& ours, const Read& libpcap) {
  if (ours.opened != libpcap.opened) {
    return QStringLiteral("ours %1 the file (%2), libpcap %3 it (%4)")
        .arg(ours.opened ? "opened" : "refused", ours.openError,
             libpcap.opened ? "opened" : "refused", libpcap.openError);
  }
  if (!ours.opened) return {};
  if (ours.linkType != libpcap.linkType) {
    return QStringLiteral("link type %1, libpcap's %2").arg(ours.linkType).arg(libpcap.linkType);
  }
  const QString records = firstDifference(ours.records, libpcap.records);
  if (!records.isEmpty()) return QStringLiteral("against libpcap: ") + records;
  if (ours.last != libpcap.last) {
    return QStringLiteral("ours ended with %1 (%2), libpcap with %3 (%4)")
        .arg(ours.last == Status::Error ? "an error" : "a clean end", ours.error,
             libpcap.last == Status::Error ? "an error" : "a clean end", libpcap.error);
  }
  return {};
}

/// A record header split by the reader's buffer boundary after `k` of its 16 bytes (16: its
/// data starts exactly at the boundary), then records of every size class on both sides.
QByteArray fileSplittingAtBoundary(int k, Records* expected) {
  PcapBuilder b({.snapLength = 0});
  const int first = kReaderBuffer - 24 - 16 - k;
  const QByteArray filler = payload(0, first);
  b.record(1, 0, filler, first);
  expected->append({1 * kSecond, quint32(first), quint32(first), filler});
  const int sizes[] = {0, 1, 15, 16, 17, 1500, 65535, kMaxLength, 3};
  int index = 1;
  for (const int size : sizes) {
    const QByteArray data = payload(index, size);
    b.record(2, index, data, size + 4);
    expected->append({2 * kSecond + index * 1000, quint32(size), quint32(size + 4), data});
    ++index;
  }
  return b.bytes();
}

}  // namespace

Q_DECLARE_METATYPE(Records)

class TestClassicPcapReader : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { QVERIFY(m_dir.isValid()); }

  void reads_data() {
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<int>("linkType");
    QTest::addColumn<Records>("expected");
    QTest::addColumn<QString>("error");  // empty: a clean end

    const QByteArray a = payload(1, 60);
    const QByteArray big = payload(2, 1514);
    for (const bool bigEndian : {false, true}) {
      const char* order = bigEndian ? "big-endian" : "little-endian";
      {
        PcapBuilder b({.bigEndian = bigEndian, .magic = kMagicMicro});
        b.record(1'700'000'000, 123'456, a, 60);
        b.record(1'700'000'001, 999'999, big, 1514);
        b.record(0, 0, {}, 0);
        QTest::addRow("microseconds %s", order)
            << b.bytes() << 1
            << Records{{1'700'000'000 * kSecond + 123'456'000, 60, 60, a},
                       {1'700'000'001 * kSecond + 999'999'000, 1514, 1514, big},
                       {0, 0, 0, {}}}
            << QString();
      }
      {
        PcapBuilder b({.bigEndian = bigEndian, .magic = kMagicNano});
        b.record(1'700'000'000, 999'999'999, a, 64);
        b.record(1'700'000'002, 1, big, 9000);
        QTest::addRow("nanoseconds %s", order)
            << b.bytes() << 1
            << Records{{1'700'000'000 * kSecond + 999'999'999, 60, 64, a},
                       {1'700'000'002 * kSecond + 1, 1514, 9000, big}}
            << QString();
      }
    }
    {
      // FCS length 4 with its "present" bit (0x04000000) above LINKTYPE_ETHERNET.
      PcapBuilder b({.bigEndian = true, .linkType = 0x44000001});
      b.record(5, 6, a, 64);
      QTest::newRow("link type with FCS bits")
          << b.bytes() << 1 << Records{{5 * kSecond + 6000, 60, 64, a}} << QString();
    }
    {
      PcapBuilder b({.snapLength = 100});
      const QByteArray longer = payload(3, 300);
      b.record(1, 0, longer, 300);
      b.record(2, 0, a, 60);
      QTest::newRow("record longer than the snapshot length")
          << b.bytes() << 1
          << Records{{1 * kSecond, 100, 300, longer.left(100)}, {2 * kSecond, 60, 60, a}}
          << QString();
    }
    {
      PcapBuilder b({.snapLength = 0});
      const QByteArray largest = payload(4, kMaxLength);
      b.record(1, 0, largest, kMaxLength);
      b.record(2, 0, a, 60);
      QTest::newRow("snapshot length 0: the largest record")
          << b.bytes() << 1
          << Records{{1 * kSecond, kMaxLength, kMaxLength, largest}, {2 * kSecond, 60, 60, a}}
          << QString();
    }
    {
      PcapBuilder b({.snapLength = kMaxLength});
      b.record(1, 0, a, 60);
      b.record(2, 0, payload(5, kMaxLength + 1), kMaxLength + 1);
      b.record(3, 0, a, 60);
      QTest::newRow("captured length above 262144")
          << b.bytes() << 1 << Records{{1 * kSecond, 60, 60, a}}
          << QStringLiteral("invalid packet capture length");
    }
    {
      PcapBuilder b({.snapLength = 0});
      b.record(1, 0, a, 60);
      b.recordHeader(2, 0, 0xfffffff0, 60);
      QTest::newRow("huge captured length") << b.bytes() << 1 << Records{{1 * kSecond, 60, 60, a}}
                                            << QStringLiteral("invalid packet capture length");
    }
    {
      PcapBuilder b({.bigEndian = true});
      b.record(1, 0, a, 60);
      b.record(2, 0, big, 1514);
      b.bytes() += b.u32(3) + b.u32(0) + QByteArray(2, 0);
      QTest::newRow("cut inside a record header")
          << b.bytes() << 1 << Records{{1 * kSecond, 60, 60, a}, {2 * kSecond, 1514, 1514, big}}
          << QStringLiteral("truncated dump file");
    }
    {
      PcapBuilder b(FileHeader{});
      b.record(1, 0, a, 60);
      b.record(2, 0, big, 1514);
      b.record(3, 0, payload(6, 100), 100);
      b.bytes().chop(60);
      QTest::newRow("cut inside packet data")
          << b.bytes() << 1 << Records{{1 * kSecond, 60, 60, a}, {2 * kSecond, 1514, 1514, big}}
          << QStringLiteral("truncated dump file");
    }
    for (const int kept : {60, 150}) {
      PcapBuilder b({.snapLength = 100});
      b.record(1, 0, a, 60);
      b.recordHeader(2, 0, 300, 300);
      b.bytes() += payload(7, kept);
      QTest::addRow("record longer than the snapshot length cut after %d bytes", kept)
          << b.bytes() << 1 << Records{{1 * kSecond, 60, 60, a}}
          << QStringLiteral("truncated dump file");
    }
    QTest::newRow("no records") << PcapBuilder({.magic = kMagicNano}).bytes() << 1 << Records{}
                                << QString();

    // Up to version 2.2 the wire length came first: libpcap always exchanges the two fields.
    // Version 2.3 files were written both ways: libpcap exchanges them when the first is larger.
    {
      PcapBuilder b({.minor = 3});
      b.record(1, 0, a, 1514);         // (captured, wire)
      b.recordHeader(2, 0, 1514, 60);  // (wire, captured)
      b.bytes() += a;
      QTest::newRow("version 2.3, lengths written both ways")
          << b.bytes() << 1 << Records{{1 * kSecond, 60, 1514, a}, {2 * kSecond, 60, 1514, a}}
          << QString();
    }
    for (const std::uint16_t minor : {0, 2}) {
      PcapBuilder b({.minor = minor});
      b.recordHeader(1, 0, 1514, 60);  // pre-2.3 order: wire length, then captured length
      b.bytes() += a;
      b.recordHeader(2, 0, 60, 1514);  // the other way round: still exchanged
      b.bytes() += big;
      b.recordHeader(3, 0, 60, 60);
      b.bytes() += a;
      QTest::addRow("version 2.%d, lengths always exchanged", minor)
          << b.bytes() << 1
          << Records{{1 * kSecond, 60, 1514, a},
                     {2 * kSecond, 1514, 60, big},
                     {3 * kSecond, 60, 60, a}}
          << QString();
    }
    {
      PcapBuilder b(FileHeader{});
      b.record(1, 0, a, 10);  // captured longer than on the wire: kept as written from 2.4 on
      QTest::newRow("version 2.4, lengths never exchanged")
          << b.bytes() << 1 << Records{{1 * kSecond, 60, 10, a}} << QString();
    }
    // libpcap 1.10 reads both timestamp fields into signed 32-bit numbers, except that its
    // byte swapping makes them unsigned in a file of the other byte order.
    for (const bool bigEndian : {false, true}) {
      const bool native = bigEndian == (QSysInfo::ByteOrder == QSysInfo::BigEndian);
      const char* order = bigEndian ? "big-endian" : "little-endian";
      PcapBuilder us({.bigEndian = bigEndian, .magic = kMagicMicro});
      us.record(0x80000000, 0xffffffff, a, 60);
      us.record(0x7fffffff, 0x80000000, a, 60);
      PcapBuilder ns({.bigEndian = bigEndian, .magic = kMagicNano});
      ns.record(0xf0000000, 0xffffffff, a, 60);
      ns.record(0x7fffffff, 0x80000000, a, 60);
      const qint64 s1 = native ? -2147483648LL : 2147483648LL;
      const qint64 s2 = native ? -268435456LL : 4026531840LL;
      const qint64 f1 = native ? -1 : 4294967295LL;
      const qint64 f2 = native ? -2147483648LL : 2147483648LL;
      QTest::addRow("microseconds %s, top bits set", order)
          << us.bytes() << 1
          << Records{{s1 * kSecond + f1 * 1000, 60, 60, a},
                     {2147483647LL * kSecond + f2 * 1000, 60, 60, a}}
          << QString();
      QTest::addRow("nanoseconds %s, top bits set", order)
          << ns.bytes() << 1
          << Records{{s2 * kSecond + f1, 60, 60, a}, {2147483647LL * kSecond + f2, 60, 60, a}}
          << QString();
    }
    for (int k = 0; k <= 16; ++k) {
      Records expected;
      const QByteArray file = fileSplittingAtBoundary(k, &expected);
      QTest::addRow("record header split after %d bytes by the reader's buffer", k)
          << file << 1 << expected << QString();
    }
  }

  /// What the reader delivers, record by record and byte by byte, and how it ends; libpcap
  /// reads the same file the same way.
  void reads() {
    QFETCH(QByteArray, file);
    QFETCH(int, linkType);
    QFETCH(Records, expected);
    QFETCH(QString, error);
    const QString path = write(file);
    QVERIFY(!path.isEmpty());
    QVERIFY(ClassicPcapReader::looksLikeClassicPcap(path.toStdString()));
    const Read ours = readWithOurs(path);
    QVERIFY2(ours.opened, qPrintable(ours.openError));
    QCOMPARE(ours.linkType, linkType);
    const QString difference = firstDifference(ours.records, expected);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
    QCOMPARE(ours.last, error.isEmpty() ? Status::End : Status::Error);
    QVERIFY2(ours.error.contains(error), qPrintable(ours.error));

    const Read libpcap = readWithLibpcap(path);
    const QString fromLibpcap = differenceFromLibpcap(ours, libpcap);
    QVERIFY2(fromLibpcap.isEmpty(), qPrintable(fromLibpcap));
    QVERIFY2(libpcap.error.contains(error), qPrintable(libpcap.error));
  }

  void manyRecords_data() {
    QTest::addColumn<bool>("bigEndian");
    QTest::addColumn<bool>("nanoseconds");
    QTest::newRow("microseconds little-endian") << false << false;
    QTest::newRow("nanoseconds big-endian") << true << true;
  }

  /// 3000 records of sizes from 0 to 65535 (tens of MiB, so every record position relative to
  /// the reader's 256 KiB buffer occurs): every length, timestamp and byte arrives intact.
  void manyRecords() {
    QFETCH(bool, bigEndian);
    QFETCH(bool, nanoseconds);
    PcapBuilder b({.bigEndian = bigEndian, .magic = nanoseconds ? kMagicNano : kMagicMicro});
    std::mt19937 random(20261123);  // fixed: the same file on every run
    Records expected;
    for (int i = 0; i < 3000; ++i) {
      // A third each of small, medium and large records, and the extremes.
      const int size = i == 7   ? 65535
                       : i == 8 ? 0
                                : int(random() % (i % 3 == 0   ? 128
                                                  : i % 3 == 1 ? 2048
                                                               : 65536));
      const std::uint32_t wire = std::uint32_t(size) + random() % 64;
      const std::uint32_t seconds = 1'600'000'000 + i;
      const auto fraction = std::uint32_t(random() % (nanoseconds ? 1'000'000'000 : 1'000'000));
      const QByteArray data = payload(i, size);
      b.record(seconds, fraction, data, wire);
      expected.append({seconds * kSecond + fraction * (nanoseconds ? 1 : 1000), std::uint32_t(size),
                       wire, data});
    }
    const QString path = write(b.bytes());
    QVERIFY(!path.isEmpty());
    const Read ours = readWithOurs(path);
    QVERIFY2(ours.opened, qPrintable(ours.openError));
    const QString difference = firstDifference(ours.records, expected);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
    QCOMPARE(ours.last, Status::End);
    QVERIFY2(ours.error.isEmpty(), qPrintable(ours.error));
    const QString fromLibpcap = differenceFromLibpcap(ours, readWithLibpcap(path));
    QVERIFY2(fromLibpcap.isEmpty(), qPrintable(fromLibpcap));
  }

  void recognition_data() {
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<bool>("classic");
    QTest::addColumn<bool>("libpcapOpens");
    const QByteArray a = payload(1, 60);
    for (const bool bigEndian : {false, true}) {
      for (const std::uint32_t magic : {kMagicMicro, kMagicNano}) {
        PcapBuilder b({.bigEndian = bigEndian, .magic = magic});
        b.record(1, 0, a, 60);
        QTest::addRow("%s %s", magic == kMagicNano ? "nanoseconds" : "microseconds",
                      bigEndian ? "big-endian" : "little-endian")
            << b.bytes() << true << true;
      }
      PcapBuilder modified({.bigEndian = bigEndian, .magic = kMagicModified});
      modified.record(1, 0, a, 60);
      modified.bytes().insert(24 + 16, QByteArray(8, 0));  // ifindex, protocol, pkt_type, pad
      QTest::addRow("modified magic, %s", bigEndian ? "big-endian" : "little-endian")
          << modified.bytes() << false << true;
    }
    QTest::newRow("version 2.5") << PcapBuilder({.minor = 5}).bytes() << false << false;
    QTest::newRow("version 1.4") << PcapBuilder({.major = 1}).bytes() << false << false;
    QTest::newRow("header cut after the version")
        << PcapBuilder(FileHeader{}).bytes().left(8) << true << false;
    QTest::newRow("7 bytes") << PcapBuilder(FileHeader{}).bytes().left(7) << false << false;
    QTest::newRow("empty") << QByteArray() << false << false;
    QTest::newRow("text") << QByteArray("not a capture file, only some text\n") << false << false;
    // A pcapng section header block and an Ethernet interface description block.
    QTest::newRow("pcapng") << QByteArray::fromHex(
                                   "0a0d0d0a1c0000004d3c2b1a01000000ffffffffffffffff1c000000"
                                   "0100000014000000010000000000000014000000")
                            << false << true;
  }

  /// looksLikeClassicPcap() takes exactly the standard files; the reader opens what libpcap
  /// opens among them; the rest is left to libpcap and our pcapng reader through PcapSource,
  /// which opens a file when libpcap does.
  void recognition() {
    QFETCH(QByteArray, file);
    QFETCH(bool, classic);
    QFETCH(bool, libpcapOpens);
    const QString path = write(file);
    QVERIFY(!path.isEmpty());
    QCOMPARE(ClassicPcapReader::looksLikeClassicPcap(path.toStdString()), classic);
    const Read libpcap = readWithLibpcap(path);
    QCOMPARE(libpcap.opened, libpcapOpens);
    if (classic) {
      const QString fromLibpcap = differenceFromLibpcap(readWithOurs(path), libpcap);
      QVERIFY2(fromLibpcap.isEmpty(), qPrintable(fromLibpcap));
    }
    std::string error;
    const auto source = PcapSource::openFile(path.toStdString(), &error);
    QVERIFY2(bool(source) == libpcapOpens, error.c_str());
  }

 private:
  /// Writes `bytes` to a file of the temporary folder (replacing the previous one).
  QString write(const QByteArray& bytes) {
    const QString path = m_dir.filePath(QStringLiteral("t.pcap"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size()) {
      return {};
    }
    return path;
  }

  QTemporaryDir m_dir;
};

QTEST_APPLESS_MAIN(TestClassicPcapReader)
#include "tst_classic_pcap_reader.moc"
