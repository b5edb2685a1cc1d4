// SPDX-License-Identifier: MIT
// The multi-node capture merge: time order across and within inputs, copies of one packet
// seen by two inputs dropped (TTL, checksum and link header ignored), equal packets of one
// input kept, pcapng with one interface per input (read back by our reader and by tshark) or
// per input and capture source,
// classic pcap refused for mixed link types, partial files kept when abandoned.
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "node/capture/pcapng_reader.h"
#include "shared/pcap/capture_merge.h"
#include "shared/pcap/pcap_bytes.h"
#include "shared/pcap/pcap_writer.h"

using namespace netlens;

namespace {

/// An Ethernet + IPv4 + UDP frame; `id` makes packets distinct, `mac` and `ttl` differ between
/// the places a packet is captured.
std::vector<std::uint8_t> udpFrame(std::uint16_t id, std::uint8_t ttl, std::uint8_t mac) {
  std::vector<std::uint8_t> f(14 + 20 + 8 + 4, 0);
  for (int i = 0; i < 6; ++i) f[i] = f[6 + i] = mac;
  f[12] = 0x08;
  std::uint8_t* ip = f.data() + 14;
  ip[0] = 0x45;
  ip[3] = 20 + 8 + 4;
  ip[4] = static_cast<std::uint8_t>(id >> 8);
  ip[5] = static_cast<std::uint8_t>(id);
  ip[8] = ttl;
  ip[9] = 17;
  ip[10] = static_cast<std::uint8_t>(ttl * 7);  // a checksum that follows the TTL
  ip[11] = static_cast<std::uint8_t>(id);
  ip[12] = 10;
  ip[15] = 1;
  ip[16] = 10;
  ip[19] = 2;
  std::uint8_t* udp = ip + 20;
  udp[1] = 53;
  udp[3] = 53;
  udp[5] = 12;
  udp[8] = static_cast<std::uint8_t>(id);
  return f;
}

struct Read {
  std::int64_t time;
  std::uint32_t interfaceId;
  std::vector<std::uint8_t> bytes;
};

std::vector<Read> readPcapng(const QString& path) {
  node::capture::PcapngReader reader;
  std::string error;
  std::vector<Read> out;
  if (!reader.open(path.toStdString(), &error)) {
    qWarning("%s", error.c_str());
    return out;
  }
  node::capture::PcapngRecord r;
  while (reader.next(r) == node::capture::RecordReader::Status::Packet)
    out.push_back({r.timestampNs, r.interfaceId, {r.data, r.data + r.capturedLength}});
  return out;
}

constexpr std::int64_t kMs = 1'000'000;

}  // namespace

class TestCaptureMerge : public QObject {
  Q_OBJECT

 private slots:
  void identityIgnoresTtlChecksumAndLinkHeader();
  void mergesInTimeOrderAndDropsCopies();
  void equalPacketsOfOneInputAreKept();
  void reordersWithinTheWindow();
  void classicPcapNeedsOneLinkType();
  void abandonKeepsWhatArrived();
  void readsPcapBytes();
  void oneInterfacePerSource();
  void formatFromFileName();

 private:
  QTemporaryDir m_dir;
};

void TestCaptureMerge::identityIgnoresTtlChecksumAndLinkHeader() {
  const auto a = udpFrame(1, 64, 0xaa);
  const auto b = udpFrame(1, 63, 0xbb);  // one hop later, another link
  const auto c = udpFrame(2, 64, 0xaa);  // another packet
  QCOMPARE(pcap::packetIdentity(1, a, 46), pcap::packetIdentity(1, b, 46));
  QVERIFY(pcap::packetIdentity(1, a, 46) != pcap::packetIdentity(1, c, 46));
  // Not IP: the whole frame counts, so another MAC is another frame.
  auto arpA = a, arpB = b;
  arpA[12] = arpB[12] = 0x08;
  arpA[13] = arpB[13] = 0x06;
  QVERIFY(pcap::packetIdentity(1, arpA, 46) != pcap::packetIdentity(1, arpB, 46));
}

void TestCaptureMerge::mergesInTimeOrderAndDropsCopies() {
  const QString out = m_dir.filePath("merged.pcapng");
  pcap::CaptureMerger merger(out.toStdString(), {});
  std::string error;
  QVERIFY(
      merger.open({{"node-a/eth0", "first tap", 1, 65535}, {"node-b/eth1", "", 1, 65535}}, &error));
  // Node a sees packets 1..6 at 10 ms steps; node b sees 4..9, 200 µs later and one hop on.
  for (std::uint16_t id = 1; id <= 6; ++id)
    QVERIFY(merger.push(0, id * 10 * kMs, udpFrame(id, 64, 0xaa), 46, &error));
  for (std::uint16_t id = 4; id <= 9; ++id)
    QVERIFY(merger.push(1, id * 10 * kMs + 200'000, udpFrame(id, 63, 0xbb), 46, &error));
  QVERIFY(!QFile::exists(out));  // written under a temporary name until finished
  QVERIFY2(merger.finish(&error), error.c_str());
  QVERIFY(!QFile::exists(out + ".part"));
  namespace fs = std::filesystem;
  QCOMPARE(fs::status(out.toStdString()).permissions(),
           fs::perms::owner_read | fs::perms::owner_write);

  const auto& c = merger.counters();
  QCOMPARE(c.packetsIn, 12u);
  QCOMPARE(c.packetsWritten, 9u);
  QCOMPARE(c.duplicatesDropped, 3u);
  QCOMPARE(c.droppedPerInput[1], 3u);
  QCOMPARE(c.writtenOutOfOrder, 0u);

  const auto read = readPcapng(out);
  QCOMPARE(read.size(), std::size_t{9});
  for (std::size_t i = 0; i < read.size(); ++i) {
    const auto id = static_cast<std::uint16_t>(i + 1);
    QCOMPARE(read[i].interfaceId, id <= 6 ? 0u : 1u);
    QCOMPARE(read[i].bytes, udpFrame(id, id <= 6 ? 64 : 63, id <= 6 ? 0xaa : 0xbb));
    QCOMPARE(read[i].time, id * 10 * kMs + (id <= 6 ? 0 : 200'000));
  }
  // tshark reads it with both interfaces and their names.
  QProcess tshark;
  tshark.start("tshark", {"-r", out, "-T", "fields", "-e", "frame.interface_name"});
  QVERIFY(tshark.waitForFinished(60000));
  const QList<QByteArray> names = tshark.readAllStandardOutput().trimmed().split('\n');
  QCOMPARE(names.size(), 9);
  QCOMPARE(names.count("node-a/eth0"), 6);
  QCOMPARE(names.count("node-b/eth1"), 3);
}

void TestCaptureMerge::equalPacketsOfOneInputAreKept() {
  // A capture with a packet twice (a SPAN session copying both directions) stays as it is;
  // a second node with the same two copies adds nothing.
  const QString out = m_dir.filePath("twice.pcapng");
  pcap::CaptureMerger merger(out.toStdString(), {});
  std::string error;
  QVERIFY(merger.open({{"a", "", 1, 65535}, {"b", "", 1, 65535}}, &error));
  for (std::size_t input : {0u, 1u}) {
    QVERIFY(merger.push(input, 5 * kMs, udpFrame(7, 64, 0xaa), 46, &error));
    QVERIFY(merger.push(input, 5 * kMs + 1000, udpFrame(7, 64, 0xaa), 46, &error));
  }
  QVERIFY(merger.finish(&error));
  QCOMPARE(merger.counters().packetsWritten, 2u);
  QCOMPARE(merger.counters().duplicatesDropped, 2u);
  QCOMPARE(merger.counters().writtenPerInput[0], 2u);
  // Outside the window the same bytes are a new packet (a retransmission with the same id).
  const QString apart = m_dir.filePath("apart.pcapng");
  pcap::MergeOptions options;
  options.dedupWindowNs = 1 * kMs;
  pcap::CaptureMerger later(apart.toStdString(), options);
  QVERIFY(later.open({{"a", "", 1, 65535}, {"b", "", 1, 65535}}, &error));
  QVERIFY(later.push(0, 5 * kMs, udpFrame(7, 64, 0xaa), 46, &error));
  QVERIFY(later.push(1, 7 * kMs, udpFrame(7, 64, 0xaa), 46, &error));
  QVERIFY(later.finish(&error));
  QCOMPARE(later.counters().packetsWritten, 2u);
}

void TestCaptureMerge::reordersWithinTheWindow() {
  const QString out = m_dir.filePath("reorder.pcapng");
  pcap::MergeOptions options;
  options.reorderPackets = 4;
  options.dedupWindowNs = 0;
  pcap::CaptureMerger merger(out.toStdString(), options);
  std::string error;
  QVERIFY(merger.open({{"a", "", 1, 65535}}, &error));
  // Pairs swapped: 2 1 4 3 ... are within the window of 4 packets.
  for (std::uint16_t i = 0; i < 20; i += 2) {
    QVERIFY(merger.push(0, (i + 2) * kMs, udpFrame(i + 2, 64, 1), 46, &error));
    QVERIFY(merger.push(0, (i + 1) * kMs, udpFrame(i + 1, 64, 1), 46, &error));
  }
  QVERIFY(merger.finish(&error));
  const auto read = readPcapng(out);
  QCOMPARE(read.size(), std::size_t{20});
  for (std::size_t i = 0; i < read.size(); ++i) QCOMPARE(read[i].time, std::int64_t(i + 1) * kMs);
  QCOMPARE(merger.counters().writtenOutOfOrder, 0u);
}

void TestCaptureMerge::classicPcapNeedsOneLinkType() {
  pcap::MergeOptions options;
  options.format = pcap::CaptureFormat::Pcap;
  std::string error;
  pcap::CaptureMerger mixed(m_dir.filePath("mixed.pcap").toStdString(), options);
  QVERIFY(!mixed.open({{"a", "", 1, 65535}, {"b", "", 113, 65535}}, &error));
  QVERIFY2(error.find("pcapng") != std::string::npos, error.c_str());

  const QString out = m_dir.filePath("classic.pcap");
  pcap::CaptureMerger merger(out.toStdString(), options);
  QVERIFY(merger.open({{"a", "", 1, 65535}, {"b", "", 1, 65535}}, &error));
  QVERIFY(merger.push(1, 2 * kMs, udpFrame(2, 64, 1), 46, &error));
  QVERIFY(merger.push(0, 1 * kMs, udpFrame(1, 64, 1), 46, &error));
  QVERIFY(merger.finish(&error));
  QFile f(out);
  QVERIFY(f.open(QIODevice::ReadOnly));
  const QByteArray bytes = f.readAll();
  pcap::PcapBytesReader reader(std::string_view(bytes.constData(), bytes.size()));
  QVERIFY(reader.ok());
  QCOMPARE(reader.linkType(), 1u);
  pcap::PcapRecord r;
  QVERIFY(reader.next(&r));
  QCOMPARE(r.timestampNs, 1 * kMs);
  QVERIFY(reader.next(&r));
  QCOMPARE(r.timestampNs, 2 * kMs);
  QVERIFY(!reader.next(&r));
  QVERIFY(reader.ok());

  // An unwritable place says where and what to do.
  pcap::CaptureMerger nowhere("/proc/netlens-cannot-write/x.pcapng", {});
  QVERIFY(!nowhere.open({{"a", "", 1, 65535}}, &error));
  QVERIFY2(error.find("cannot create") != std::string::npos, error.c_str());
}

void TestCaptureMerge::abandonKeepsWhatArrived() {
  const QString out = m_dir.filePath("stopped.pcapng");
  pcap::CaptureMerger merger(out.toStdString(), {});
  std::string error;
  QVERIFY(merger.open({{"a", "", 1, 65535}, {"b", "", 1, 65535}}, &error));
  for (std::uint16_t id = 1; id <= 3; ++id)
    QVERIFY(merger.push(0, id * kMs, udpFrame(id, 64, 1), 46, &error));
  // Input b never answered; the user stops the download.
  QVERIFY(merger.abandon(&error));
  QCOMPARE(readPcapng(out).size(), std::size_t{3});
}

void TestCaptureMerge::readsPcapBytes() {
  // Two nodes' replies as classic pcap bytes, fed together.
  auto file = [](std::initializer_list<std::uint16_t> ids, std::int64_t offset) {
    std::string bytes;
    const auto h = pcap::PcapWriter::fileHeader(1, 65535);
    bytes.append(reinterpret_cast<const char*>(h.data()), h.size());
    for (auto id : ids) {
      const auto frame = udpFrame(id, 64, 1);
      const auto r = pcap::PcapWriter::recordHeader(id * kMs + offset, 46, 46);
      bytes.append(reinterpret_cast<const char*>(r.data()), r.size());
      bytes.append(reinterpret_cast<const char*>(frame.data()), frame.size());
    }
    return bytes;
  };
  const std::string a = file({1, 3, 5, 7}, 0), b = file({2, 3, 4, 6}, 10);
  const QString out = m_dir.filePath("replies.pcapng");
  pcap::CaptureMerger merger(out.toStdString(), {});
  std::string error;
  QVERIFY(merger.open({{"a", "", 1, 65535}, {"b", "", 1, 65535}}, &error));
  // Page by page, as a download asks: a node is asked again only while the merge waits
  // for it.
  QVERIFY(merger.wants(0) && merger.wants(1));
  QVERIFY2(merger.pushPcapBytes(0, a, &error), error.c_str());
  QVERIFY(merger.wants(1));
  QVERIFY2(merger.pushPcapBytes(1, b, &error), error.c_str());
  QVERIFY(merger.finishInput(0, &error) && merger.finishInput(1, &error));
  QVERIFY(!merger.wants(0));
  QVERIFY(merger.finish(&error));
  const auto read = readPcapng(out);
  QCOMPARE(read.size(), std::size_t{7});
  for (std::size_t i = 0; i < read.size(); ++i) QCOMPARE(read[i].bytes[14 + 28], i + 1);
  // Damaged bytes are refused with the reason.
  pcap::CaptureMerger bad(m_dir.filePath("bad.pcapng").toStdString(), {});
  QVERIFY(bad.open({{"a", "", 1, 65535}}, &error));
  const std::string cut = a.substr(0, a.size() - 3);
  QVERIFY(!bad.pushPcapBytes(0, cut, &error));
  QVERIFY2(error.find("ends inside a packet") != std::string::npos, error.c_str());
  pcap::CaptureMerger other(m_dir.filePath("other.pcapng").toStdString(), {});
  QVERIFY(other.open({{"sll", "", 113, 65535}}, &error));
  QVERIFY(!other.pushPcapBytes(0, a, &error));
  QVERIFY2(error.find("link type 1 ") != std::string::npos, error.c_str());
}

void TestCaptureMerge::formatFromFileName() {
  using pcap::CaptureFormat;
  QCOMPARE(pcap::formatForFileName("out.pcap"), CaptureFormat::Pcap);
  QCOMPARE(pcap::formatForFileName("dir/OUT.PCAP"), CaptureFormat::Pcap);
  QCOMPARE(pcap::formatForFileName("out.pcapng"), CaptureFormat::Pcapng);
  QCOMPARE(pcap::formatForFileName("out"), CaptureFormat::Pcapng);
  QCOMPARE(pcap::formatForFileName(".cap"), CaptureFormat::Pcapng);
}

// Inputs whose packets carry their capture source: one interface per node and source, named
// "node/source", declared as its first packet arrives; packets without a source, and inputs
// without sources, keep the node's own interface; a source index past the list is refused.
void TestCaptureMerge::oneInterfacePerSource() {
  const QString out = m_dir.filePath("sources.pcapng");
  pcap::CaptureMerger merger(out.toStdString(), {});
  std::string error;
  pcap::MergeInput a{"node-a", "store of a", 1, 65535, true};
  pcap::MergeInput b{"node-b", "", 1, 65535, true};
  pcap::MergeInput c{"node-c", "", 1, 65535};  // a node that names no sources
  QVERIFY(merger.open({a, b, c}, &error));
  // node-a: a page of 6 packets from eth0 and eth1 alternately (as a search answer gives
  // them: a pcap and each packet's index in the source list).
  std::string page;
  const auto header = pcap::PcapWriter::fileHeader(1, 65535);
  page.append(reinterpret_cast<const char*>(header.data()), header.size());
  for (std::uint16_t id = 1; id <= 6; ++id) {
    const auto frame = udpFrame(id, 64, 0xaa);
    const auto record = pcap::PcapWriter::recordHeader(id * 10 * kMs, 46, 46);
    page.append(reinterpret_cast<const char*>(record.data()), record.size());
    page.append(reinterpret_cast<const char*>(frame.data()), frame.size());
  }
  const std::vector<pcap::MergeSource> sources{{"eth0", 1}, {"eth1", 1}};
  // An index past the list is refused, before any of the page is taken.
  const std::vector<std::uint32_t> bad{0, 2, 0, 0, 0, 0};
  QVERIFY(!merger.pushPcapBytes(0, page, &error, sources, bad));
  QVERIFY2(error.find("names capture source 2 of 2") != std::string::npos, error.c_str());
  const std::vector<std::uint32_t> which{0, 1, 0, 1, 1, 0};
  QVERIFY2(merger.pushPcapBytes(0, page, &error, sources, which), error.c_str());
  // node-b: one source with a name, one packet without (an older segment: "").
  const pcap::MergeSource tap{"tap0", 1}, unnamed{"", 1};
  QVERIFY(merger.push(1, 65 * kMs, udpFrame(20, 64, 0xbb), 46, &error, &tap));
  QVERIFY(merger.push(1, 66 * kMs, udpFrame(21, 64, 0xbb), 46, &error, &unnamed));
  // node-c: a source given anyway is ignored (its interface was written up front).
  QVERIFY(merger.push(2, 67 * kMs, udpFrame(30, 64, 0xcc), 46, &error, &tap));
  QVERIFY2(merger.finish(&error), error.c_str());
  QCOMPARE(merger.counters().packetsWritten, 9u);

  QProcess tshark;
  tshark.start("tshark", {"-r", out, "-T", "fields", "-e", "frame.interface_name", "-e",
                          "frame.interface_description"});
  QVERIFY(tshark.waitForFinished(60000));
  QList<QByteArray> lines = tshark.readAllStandardOutput().trimmed().split('\n');
  for (auto& line : lines) line = line.trimmed();  // an empty description leaves a tab
  const QList<QByteArray> expected{"node-a/eth0\tstore of a, capture source eth0",
                                   "node-a/eth1\tstore of a, capture source eth1",
                                   "node-a/eth0\tstore of a, capture source eth0",
                                   "node-a/eth1\tstore of a, capture source eth1",
                                   "node-a/eth1\tstore of a, capture source eth1",
                                   "node-a/eth0\tstore of a, capture source eth0",
                                   "node-b/tap0\tcapture source tap0",
                                   "node-b",
                                   "node-c"};
  QCOMPARE(lines, expected);
  // Interfaces as declared: node-c's up front (0), then each as its first packet arrives.
  const auto read = readPcapng(out);
  QCOMPARE(read.size(), std::size_t{9});
  const std::vector<std::uint32_t> ids{1, 2, 1, 2, 2, 1, 3, 4, 0};
  for (std::size_t i = 0; i < read.size(); ++i) QCOMPARE(read[i].interfaceId, ids[i]);
}

QTEST_GUILESS_MAIN(TestCaptureMerge)
#include "tst_capture_merge.moc"
