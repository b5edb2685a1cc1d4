// SPDX-License-Identifier: MIT
// node/capture's pcapng reader on files built block by block here (both byte orders, every
// timestamp resolution kind, every packet block, damage of every kind), and PcapSource's
// per-link-type BPF filtering of such files.

#include <QByteArray>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <cstdint>
#include <string>
#include <vector>

#include "node/capture/pcap_source.h"
#include "node/capture/pcapng_reader.h"

using netlens::node::capture::PcapngReader;
using netlens::node::capture::PcapngRecord;
using netlens::node::capture::PcapSource;
using netlens::node::capture::RawPacket;
using netlens::node::capture::ReadStatus;

namespace {

/// Writes pcapng blocks in the byte order of the current section.
class PcapngBuilder {
 public:
  explicit PcapngBuilder(bool bigEndian) { section(bigEndian); }

  void section(bool bigEndian) {
    m_bigEndian = bigEndian;
    QByteArray body = u32(0x1A2B3C4D) + u16(1) + u16(0) + QByteArray(8, '\xff');
    block(0x0A0D0D0A, body);
  }
  void interface(std::uint16_t linkType, std::uint32_t snapLength, const QByteArray& options = {}) {
    block(1, u16(linkType) + u16(0) + u32(snapLength) + options);
  }
  void enhancedPacket(std::uint32_t interfaceId, std::uint64_t units, const QByteArray& data,
                      std::uint32_t wireLength) {
    block(6, u32(interfaceId) + u32(units >> 32) + u32(units & 0xffffffff) + u32(data.size()) +
                 u32(wireLength) + padded(data));
  }
  void obsoletePacket(std::uint16_t interfaceId, std::uint64_t units, const QByteArray& data) {
    block(2, u16(interfaceId) + u16(0) + u32(units >> 32) + u32(units & 0xffffffff) +
                 u32(data.size()) + u32(data.size()) + padded(data));
  }
  void simplePacket(const QByteArray& data, std::uint32_t wireLength) {
    block(3, u32(wireLength) + padded(data));
  }
  /// Any block; `length` overrides the length written at its start.
  void block(std::uint32_t type, const QByteArray& body, std::int64_t length = -1) {
    const std::uint32_t total = 12 + body.size();
    m_bytes += u32(type) + u32(length >= 0 ? std::uint32_t(length) : total) + body + u32(total);
  }
  QByteArray option(std::uint16_t code, const QByteArray& value) const {
    return u16(code) + u16(value.size()) + padded(value);
  }
  QByteArray endOfOptions() const { return u16(0) + u16(0); }
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
  QByteArray u64(std::uint64_t v) const {
    return m_bigEndian ? u32(v >> 32) + u32(v & 0xffffffff) : u32(v & 0xffffffff) + u32(v >> 32);
  }
  static QByteArray padded(QByteArray data) {
    while (data.size() % 4) data.append('\0');
    return data;
  }
  QByteArray& bytes() { return m_bytes; }

 private:
  bool m_bigEndian = false;
  QByteArray m_bytes;
};

/// An Ethernet frame (when `ethernet`) or a bare IPv4 packet, 192.168.0.1 → 192.168.0.2, of
/// IP protocol UDP or TCP followed by 8 bytes of UDP header (enough for the filters here).
QByteArray ipv4Packet(bool ethernet, bool udp) {
  QByteArray p;
  if (ethernet) p += QByteArray::fromHex("0000000000020000000000010800");
  p += QByteArray::fromHex("4500001c00000000");
  p += char(64);
  p += char(udp ? 17 : 6);
  p += QByteArray::fromHex("0000c0a80001c0a80002");
  p += QByteArray::fromHex("0035003500080000");
  return p;
}

struct Read {
  bool opened = false;
  QString openError;
  std::vector<PcapngRecord> records;
  std::vector<QByteArray> data;
  PcapngReader::Status last = PcapngReader::Status::End;
  QString error;
};

Read readAll(const QByteArray& file) {
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("t.pcapng"));
  QFile f(path);
  Read r;
  if (!f.open(QIODevice::WriteOnly) || f.write(file) != file.size()) return r;
  f.close();
  PcapngReader reader;
  std::string error;
  r.opened = reader.open(path.toStdString(), &error);
  r.openError = QString::fromStdString(error);
  if (!r.opened) return r;
  PcapngRecord record;
  while ((r.last = reader.next(record)) == PcapngReader::Status::Packet) {
    r.records.push_back(record);
    r.data.emplace_back(reinterpret_cast<const char*>(record.data), int(record.capturedLength));
  }
  r.error = QString::fromStdString(reader.error());
  return r;
}

constexpr std::int64_t kSecond = 1'000'000'000;

}  // namespace

class TestPcapngReader : public QObject {
  Q_OBJECT

 private slots:
  void timestampResolution_data() {
    QTest::addColumn<bool>("bigEndian");
    QTest::addColumn<int>("tsresol");  // -1: option absent
    QTest::addColumn<quint64>("units");
    QTest::addColumn<qint64>("expectedNs");
    for (const bool big : {false, true}) {
      const char* order = big ? "big-endian" : "little-endian";
      QTest::addRow("%s default microseconds", order)
          << big << -1 << quint64(1'500'000'123) << qint64(1'500'000'123'000);
      QTest::addRow("%s milliseconds", order)
          << big << 3 << quint64(1'500'001) << qint64(1'500'001'000'000);
      QTest::addRow("%s nanoseconds", order)
          << big << 9 << quint64(1'700'000'000'123'456'789) << qint64(1'700'000'000'123'456'789);
      QTest::addRow("%s picoseconds", order)
          << big << 12 << quint64(5'000'000'000'123'456) << qint64(5'000'000'000'123);
      QTest::addRow("%s 2^-10 s", order)
          << big << (0x80 | 10) << quint64(3 * 1024 + 512) << qint64(3 * kSecond + kSecond / 2);
      QTest::addRow("%s 2^-40 s", order)
          << big << (0x80 | 40) << quint64((7ULL << 40) | (1ULL << 38))
          << qint64(7 * kSecond + kSecond / 4);
    }
  }

  /// if_tsresol in powers of 10 and of 2, default microseconds, in both byte orders.
  void timestampResolution() {
    QFETCH(bool, bigEndian);
    QFETCH(int, tsresol);
    QFETCH(quint64, units);
    QFETCH(qint64, expectedNs);
    PcapngBuilder b(bigEndian);
    const QByteArray options =
        tsresol < 0 ? QByteArray() : b.option(9, QByteArray(1, char(tsresol))) + b.endOfOptions();
    b.interface(1, 0, options);
    b.enhancedPacket(0, units, ipv4Packet(true, true), 60);
    const Read r = readAll(b.bytes());
    QVERIFY2(r.opened, qPrintable(r.openError));
    QCOMPARE(r.last, PcapngReader::Status::End);
    QCOMPARE(r.records.size(), std::size_t{1});
    QCOMPARE(r.records[0].timestampNs, expectedNs);
    QCOMPARE(r.records[0].capturedLength, 42u);
    QCOMPARE(r.records[0].wireLength, 60u);
  }

  /// Per-interface link types, snapshot lengths and time offsets; every packet block kind;
  /// other blocks skipped; a new section (other byte order) restarts interface numbers.
  void interfacesBlocksAndSections() {
    PcapngBuilder b(false);
    b.block(0x00000BAD, QByteArray(8, 'x'));  // custom block before any interface
    b.interface(1, 0);
    b.interface(101, 16,
                b.option(14, b.u64(100)) + b.option(9, QByteArray(1, 0)) +
                    b.endOfOptions());  // raw IP, seconds, offset 100 s
    const QByteArray eth = ipv4Packet(true, true);
    const QByteArray raw = ipv4Packet(false, true);
    b.enhancedPacket(0, 2'000'000, eth, 1514);
    b.block(4, b.u16(0) + b.u16(0));  // name resolution block
    b.enhancedPacket(1, 5, raw, 28);
    b.block(5, b.u32(0) + b.u32(0) + b.u32(0));  // interface statistics block
    b.simplePacket(eth, 42);                     // interface 0, no timestamp
    b.obsoletePacket(1, 7, raw);
    b.section(true);
    b.interface(113, 0);
    b.enhancedPacket(0, 9'000'000, QByteArray(16, 'a'), 16);
    const Read r = readAll(b.bytes());
    QVERIFY2(r.opened, qPrintable(r.openError));
    QCOMPARE(r.last, PcapngReader::Status::End);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.records.size(), std::size_t{5});
    const int linkTypes[] = {1, 101, 1, 101, 113};
    const std::int64_t times[] = {2 * kSecond, 105 * kSecond, 105 * kSecond, 107 * kSecond,
                                  9 * kSecond};
    const std::uint32_t interfaces[] = {0, 1, 0, 1, 0};
    for (int i = 0; i < 5; ++i) {
      QCOMPARE(r.records[i].linkType, linkTypes[i]);
      QCOMPARE(r.records[i].timestampNs, times[i]);
      QCOMPARE(r.records[i].interfaceId, interfaces[i]);
    }
    QCOMPARE(r.data[0], eth);
    QCOMPARE(r.data[1], raw);
    QCOMPARE(r.data[2], eth);  // simple packet: captured = min(original, block data)
    QCOMPARE(r.records[2].wireLength, 42u);
    QCOMPARE(r.data[3], raw);
    QCOMPARE(r.data[4], QByteArray(16, 'a'));
  }

  void damage_data() {
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<int>("packetsBefore");
    QTest::addColumn<QString>("message");
    const QByteArray pkt = ipv4Packet(true, true);
    const auto start = [&] {
      PcapngBuilder b(false);
      b.interface(1, 0);
      b.enhancedPacket(0, 1, pkt, 42);
      return b;
    };
    {
      PcapngBuilder b = start();
      b.enhancedPacket(0, 2, pkt, 42);
      b.bytes().chop(10);
      QTest::newRow("last block cut short") << b.bytes() << 1 << QStringLiteral("cut short");
    }
    {
      PcapngBuilder b = start();
      b.bytes().append(QByteArray(5, 'x'));
      QTest::newRow("block header cut short") << b.bytes() << 1 << QStringLiteral("cut short");
    }
    {
      PcapngBuilder b = start();
      b.block(6, QByteArray(20, 0), 30);
      QTest::newRow("length not a multiple of 4")
          << b.bytes() << 1 << QStringLiteral("impossible length of 30");
    }
    {
      PcapngBuilder b = start();
      b.block(6, QByteArray(20, 0), 8);
      QTest::newRow("length below the minimum")
          << b.bytes() << 1 << QStringLiteral("impossible length of 8");
    }
    {
      PcapngBuilder b = start();
      b.block(6, QByteArray(20, 0), 0x7ffffff0);
      QTest::newRow("huge block") << b.bytes() << 1 << QStringLiteral("impossible length");
    }
    {
      PcapngBuilder b = start();
      b.block(6, b.u32(0) + b.u32(0) + b.u32(0) + b.u32(0) + b.u32(0) + QByteArray(4, 0), 28);
      QTest::newRow("lengths at start and end differ")
          << b.bytes() << 1 << QStringLiteral("length different from its start");
    }
    {
      PcapngBuilder b = start();
      b.block(6, b.u32(0) + b.u32(0) + b.u32(0) + b.u32(100) + b.u32(100) + QByteArray(8, 0));
      QTest::newRow("captured length beyond the block")
          << b.bytes() << 1 << QStringLiteral("more than it holds");
    }
    {
      PcapngBuilder b = start();
      b.enhancedPacket(3, 2, pkt, 42);
      QTest::newRow("unknown interface") << b.bytes() << 1 << QStringLiteral("interface 3");
    }
    {
      PcapngBuilder b = start();
      b.interface(1, 0, b.option(2, QByteArray(40, 'n')).left(20));
      QTest::newRow("option overrunning the block")
          << b.bytes() << 1 << QStringLiteral("overrunning");
    }
    {
      PcapngBuilder b = start();
      b.interface(1, 0, b.option(9, QByteArray(1, 20)) + b.endOfOptions());
      QTest::newRow("resolution 10^-20")
          << b.bytes() << 1 << QStringLiteral("unsupported timestamp resolution");
    }
    {
      PcapngBuilder b = start();
      b.enhancedPacket(0, 2, QByteArray(300000, 'x'), 300000);
      QTest::newRow("packet above 262144 bytes")
          << b.bytes() << 1 << QStringLiteral("bigger than the maximum");
    }
    {
      PcapngBuilder b = start();
      b.bytes() += QByteArray::fromHex("0a0d0d0a1c000000deadbeef");
      QTest::newRow("section with a bad magic") << b.bytes() << 1 << QStringLiteral("magic");
    }
  }

  /// Damage stops reading with an error saying what is wrong; the packets before it count,
  /// and reading does not go on after it.
  void damage() {
    QFETCH(QByteArray, file);
    QFETCH(int, packetsBefore);
    QFETCH(QString, message);
    const Read r = readAll(file);
    QVERIFY2(r.opened, qPrintable(r.openError));
    QCOMPARE(int(r.records.size()), packetsBefore);
    QCOMPARE(r.last, PcapngReader::Status::Error);
    QVERIFY2(r.error.contains(message), qPrintable(r.error));
  }

  void refusedAtOpen_data() {
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("message");
    PcapngBuilder noInterface(false);
    QTest::newRow("no interface") << noInterface.bytes() << QStringLiteral("no interface");
    PcapngBuilder packetFirst(false);
    packetFirst.simplePacket(QByteArray(8, 0), 8);
    packetFirst.interface(1, 0);
    QTest::newRow("packet before interface")
        << packetFirst.bytes() << QStringLiteral("before any interface");
    PcapngBuilder version(false);
    version.bytes()[12] = 2;
    version.interface(1, 0);
    QTest::newRow("version 2") << version.bytes() << QStringLiteral("version 2.0");
    QTest::newRow("classic pcap") << QByteArray::fromHex("d4c3b2a102000400")
                                  << QStringLiteral("not a pcapng file");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("empty");
  }

  void refusedAtOpen() {
    QFETCH(QByteArray, file);
    QFETCH(QString, message);
    const Read r = readAll(file);
    QVERIFY(!r.opened);
    QVERIFY2(r.openError.contains(message), qPrintable(r.openError));
  }

  void filterPerLinkType_data() {
    QTest::addColumn<QString>("filter");
    QTest::addColumn<int>("expected");  // -1: the filter cannot be compiled for raw IP
    QTest::newRow("none") << QString() << 4;
    QTest::newRow("udp") << QStringLiteral("udp") << 2;
    QTest::newRow("tcp") << QStringLiteral("ip proto 6") << 2;
    QTest::newRow("host on both link types") << QStringLiteral("host 192.168.0.2") << 4;
    QTest::newRow("ether host") << QStringLiteral("ether host 00:00:00:00:00:01") << -1;
  }

  /// PcapSource reads pcapng through the reader, sets each packet's DLT and compiles the
  /// filter once per link type (Ethernet, then raw IP: LINKTYPE_RAW 101 → DLT_RAW).
  void filterPerLinkType() {
    QFETCH(QString, filter);
    QFETCH(int, expected);
    PcapngBuilder b(false);
    b.interface(1, 0);
    b.interface(101, 0);
    b.enhancedPacket(0, 1, ipv4Packet(true, true), 42);
    b.enhancedPacket(0, 2, ipv4Packet(true, false), 42);
    b.enhancedPacket(1, 3, ipv4Packet(false, true), 28);
    b.enhancedPacket(1, 4, ipv4Packet(false, false), 28);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("mixed.pcapng"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(b.bytes());
    f.close();
    std::string error;
    auto source = PcapSource::openFile(path.toStdString(), &error);
    QVERIFY2(source, error.c_str());
    QCOMPARE(source->linkType(), 1);
    QVERIFY2(source->setFilter(filter.toStdString(), &error), error.c_str());
    RawPacket packet;
    int n = 0;
    ReadStatus status;
    std::vector<int> linkTypes;
    while ((status = source->next(packet)) == ReadStatus::Packet) {
      ++n;
      linkTypes.push_back(packet.linkType);
      QCOMPARE(packet.timestampNs % 1000, 0);
    }
    if (expected < 0) {
      QCOMPARE(status, ReadStatus::Error);
      QVERIFY2(source->error().find("link type 12") != std::string::npos, source->error().c_str());
      QCOMPARE(n, 2);  // both Ethernet packets come from that address
    } else {
      QCOMPARE(status, ReadStatus::End);
      QCOMPARE(n, expected);
      if (expected == 4) QCOMPARE(linkTypes, (std::vector<int>{1, 1, 12, 12}));
    }
  }

  void badFilterIsReported() {
    PcapngBuilder b(false);
    b.interface(1, 0);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("one.pcapng"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(b.bytes());
    f.close();
    std::string error;
    auto source = PcapSource::openFile(path.toStdString(), &error);
    QVERIFY2(source, error.c_str());
    QVERIFY(!source->setFilter("udp port banana", &error));
    QVERIFY2(error.rfind("bad filter \"udp port banana\": ", 0) == 0, error.c_str());
  }
};

QTEST_APPLESS_MAIN(TestPcapngReader)
#include "tst_pcapng_reader.moc"
