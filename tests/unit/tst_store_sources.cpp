// SPDX-License-Identifier: MIT
// The capture source of every stored packet: two sources interleaved within segments are told
// apart in the open segment and in closed ones (after reopening the store), through the index
// and without it, in paged answers; the search answer lists them (and its codec checks the
// indexes); a segment of an older version (index format 2, no source list) is still read, its
// packets from one unnamed source; a segment indexed again after a crash has lost which packet
// came from which source and names them all. Sessions of a list answer name their sources.
// First: the frame builder has a member named `emit`, a word Qt's headers define away.
#include "node/demo/frame_builder.h"

#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "node/store/index_codec.h"
#include "node/store/packet_store.h"
#include "node/store/search_request.h"
#include "node/store/segment_sources.h"

using namespace netlens;
namespace store = netlens::node::store;
namespace demo = netlens::node::demo;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kStart = 1'700'000'000'000'000'000;
constexpr int kPackets = 300;

demo::DemoHost host(const char* ip, std::uint8_t mac) {
  demo::DemoHost h;
  h.ip = *net::IpAddress::parse(ip);
  h.mac = net::MacAddress{{0x02, 0, 0, 0, 0, mac}};
  return h;
}

/// The source of packet i: runs of different lengths, so segment boundaries fall anywhere.
std::string sourceOf(int i) {
  return (i / 7) % 3 == 2 ? "eth1" : "eth0";
}

/// `index` as format 2 had it: every key posted per packet (sessions flattened), no session
/// table, no source keys.
std::string asFormatTwo(const store::SegmentIndex& index) {
  using store::KeyKind;
  store::SegmentIndex old;
  old.linkType = index.linkType;
  old.dataEnd = index.dataEnd;
  old.offsets = index.offsets;
  old.blockTimes = index.blockTimes;
  old.minTime = index.minTime;
  old.maxTime = index.maxTime;
  for (const auto& [key, list] : index.postings) {
    std::vector<KeyKind> kinds;
    switch (key.kind) {
      case KeyKind::SessionIp:
        kinds = {KeyKind::SrcIp, KeyKind::DstIp};
        break;
      case KeyKind::SessionPort:
        kinds = {KeyKind::SrcPort, KeyKind::DstPort};
        break;
      case KeyKind::SessionProtocol:
        kinds = {KeyKind::IpProtocol};
        break;
      case KeyKind::SessionMac:
        kinds = {KeyKind::SrcMac, KeyKind::DstMac};
        break;
      case KeyKind::Source:
        break;
      default:
        kinds = {key.kind};
    }
    for (const KeyKind kind : kinds) {
      store::IndexKey flat = key;
      flat.kind = kind;
      const auto packets = index.packetsWith(flat);
      if (!packets.empty()) old.postings[flat] = packets;
    }
  }
  std::string bytes = old.encode();
  bytes[8] = 2;
  const std::uint64_t sum = store::detail::checksum(bytes.data(), 88);
  std::memcpy(bytes.data() + 88, &sum, sizeof sum);  // little-endian, as the format
  return bytes;
}

/// Stores kPackets UDP datagrams (one client per source, so a host search selects one),
/// each from sourceOf(i), in segments of 4 KiB.
void fill(store::PacketStore& s) {
  const auto a = host("10.0.0.1", 1), b = host("10.0.0.2", 2), c = host("10.0.0.3", 3);
  demo::FrameBuilder builder;
  const std::uint8_t payload[40] = {};
  for (int i = 0; i < kPackets; ++i)
    builder.udp(kStart + i * 1'000'000, sourceOf(i) == "eth1" ? c : a, 4000, b, 53, payload);
  int i = 0;
  for (const auto& f : builder.takeFrames()) {
    s.setSource(sourceOf(i++));
    QVERIFY(s.append(f.timestampNs, f.bytes.data(), static_cast<std::uint32_t>(f.bytes.size()),
                     static_cast<std::uint32_t>(f.bytes.size()), 1));
  }
}

/// Every packet's source by its time, from a search.
std::map<std::int64_t, std::string> sources(store::PacketStore& s,
                                            const store::SearchCriteria& criteria = {}) {
  std::map<std::int64_t, std::string> out;
  auto st = s.search(criteria, [&](const store::StoredPacket& p) {
    out[p.timestampNs] = std::string(p.source);
    return true;
  });
  if (!st) qWarning("%s", st.error().c_str());
  return out;
}

bool allRight(const std::map<std::int64_t, std::string>& found, int expected) {
  if (static_cast<int>(found.size()) != expected) return false;
  for (const auto& [t, name] : found)
    if (name != sourceOf(static_cast<int>((t - kStart) / 1'000'000))) return false;
  return true;
}

store::StoreOptions options(const QTemporaryDir& dir) {
  store::StoreOptions o;
  o.folder = dir.filePath("store").toStdString();
  o.segmentBytes = 4096;
  return o;
}

}  // namespace

class TestStoreSources : public QObject {
  Q_OBJECT

 private slots:
  void everyPacketKeepsItsSource();
  void answerListsSources();
  void olderSegmentsAreRead();
  void reindexedSegmentNamesAll();
};

void TestStoreSources::everyPacketKeepsItsSource() {
  QTemporaryDir dir;
  {
    auto opened = store::PacketStore::open(options(dir));
    QVERIFY2(opened, opened.error().c_str());
    fill(**opened);
    QVERIFY((*opened)->retention().segments > 3);
    // Closed segments and the open one (its index in memory).
    QVERIFY(allRight(sources(**opened), kPackets));
  }
  // Reopened: every segment closed, read from its files.
  auto opened = store::PacketStore::open(options(dir));
  QVERIFY2(opened, opened.error().c_str());
  QVERIFY(allRight(sources(**opened), kPackets));
  // Through the index (a host of one source, then both hosts' packets of a time range).
  store::SearchCriteria c;
  c.hosts.push_back({*net::IpAddress::parse("10.0.0.3"), store::Side::Source});
  const auto eth1 = sources(**opened, c);
  QVERIFY(!eth1.empty());
  for (const auto& [t, name] : eth1) QCOMPARE(name, std::string("eth1"));
  c.hosts = {{*net::IpAddress::parse("10.0.0.2"), store::Side::Destination}};
  c.from = kStart + 50'000'000;
  c.to = kStart + 250'000'000;
  QVERIFY(allRight(sources(**opened, c), 201));
  // The source list of a segment file: a text file of the store, private.
  int lists = 0;
  for (const auto& e : fs::directory_iterator(options(dir).folder)) {
    if (e.path().extension() != ".src") continue;
    ++lists;
    QCOMPARE(e.status().permissions() & fs::perms::all,
             fs::perms::owner_read | fs::perms::owner_write);
  }
  QCOMPARE(static_cast<std::uint64_t>(lists), (*opened)->retention().segments);
}

void TestStoreSources::answerListsSources() {
  QTemporaryDir dir;
  auto opened = store::PacketStore::open(options(dir));
  QVERIFY2(opened, opened.error().c_str());
  fill(**opened);
  // Paged (small pages start and end inside segments), as a download asks.
  protocol::Params params{{"mode", "packets"}, {"chunk-bytes", "4096"}};
  std::vector<std::string> got;
  for (int pages = 0; pages < 100; ++pages) {
    store::SearchRequest request;
    std::string problem;
    QVERIFY2(store::parseSearchRequest(params, &request, &problem), problem.c_str());
    protocol::SearchReply page;
    QVERIFY2(store::runSearch(**opened, request, &page, &problem), problem.c_str());
    QCOMPARE(page.packetSources.size(), page.packets);
    QVERIFY(page.sources.size() <= 2);
    for (const auto& s : page.sources) QCOMPARE(s.linkType, std::uint32_t(1));
    for (std::uint32_t index : page.packetSources) got.push_back(page.sources.at(index).name);
    // The codec carries them.
    const std::string body = protocol::encodeBody(page);
    auto back = protocol::decodeBody<protocol::SearchReply>(body);
    QVERIFY2(back, back.error().c_str());
    QVERIFY(*back == page);
    if (page.resume.empty()) break;
    params["after"] = page.resume;
  }
  QCOMPARE(static_cast<int>(got.size()), kPackets);
  for (int i = 0; i < kPackets; ++i) QCOMPARE(got[static_cast<std::size_t>(i)], sourceOf(i));
  // A list answer carries no packets, so no packet sources; each session names the sources
  // of its packets, in the order met: one more datagram of the eth0 client, from eth2.
  {
    demo::FrameBuilder builder;
    const std::uint8_t payload[40] = {};
    builder.udp(kStart + kPackets * 1'000'000, host("10.0.0.1", 1), 4000, host("10.0.0.2", 2), 53,
                payload);
    const auto frame = builder.takeFrames().front();
    (*opened)->setSource("eth2");
    QVERIFY((*opened)->append(frame.timestampNs, frame.bytes.data(),
                              static_cast<std::uint32_t>(frame.bytes.size()),
                              static_cast<std::uint32_t>(frame.bytes.size()), 1));
  }
  store::SearchRequest request;
  std::string problem;
  QVERIFY(store::parseSearchRequest({{"mode", "list"}}, &request, &problem));
  protocol::SearchReply list;
  QVERIFY(store::runSearch(**opened, request, &list, &problem));
  QVERIFY(list.packetSources.empty());
  QCOMPARE(list.sessions.size(), std::size_t(2));
  std::map<std::string, std::vector<std::string>> sessionSources;
  for (const auto& session : list.sessions) {
    const net::IpAddress client =
        session.a == *net::IpAddress::parse("10.0.0.2") ? session.b : session.a;
    sessionSources[client.toString()] = session.sources;
  }
  QCOMPARE(sessionSources["10.0.0.1"], (std::vector<std::string>{"eth0", "eth2"}));
  QCOMPARE(sessionSources["10.0.0.3"], (std::vector<std::string>{"eth1"}));
  auto listBack = protocol::decodeBody<protocol::SearchReply>(protocol::encodeBody(list));
  QVERIFY2(listBack, listBack.error().c_str());
  QVERIFY(*listBack == list);
  // An index past the list is refused by the codec, with the reason.
  protocol::SearchReply bad;
  bad.sources = {{"eth0", 1}};
  bad.packetSources = {0, 1};
  auto decoded = protocol::decodeBody<protocol::SearchReply>(protocol::encodeBody(bad));
  QVERIFY(!decoded);
  QVERIFY2(decoded.error().find("names source 1 of 1") != std::string::npos,
           decoded.error().c_str());
}

void TestStoreSources::olderSegmentsAreRead() {
  QTemporaryDir dir;
  store::SearchCriteria byHost;
  byHost.hosts.push_back({*net::IpAddress::parse("10.0.0.3"), store::Side::Either});
  std::map<std::int64_t, std::string> hostPackets;
  {
    auto opened = store::PacketStore::open(options(dir));
    QVERIFY2(opened, opened.error().c_str());
    fill(**opened);
    QVERIFY((*opened)->closeSegment());
    hostPackets = sources(**opened, byHost);
    QVERIFY(!hostPackets.empty());
  }
  // Make every segment one of the previous version: index format 2, no source list.
  std::vector<std::string> indexes;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(options(dir).folder)) files.push_back(e.path());
  for (const auto& path : files) {
    if (path.extension() == ".src") fs::remove(path);
    if (path.extension() != ".idx") continue;
    auto index = store::SegmentIndex::load(path.string());
    QVERIFY2(index, index.error().c_str());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << asFormatTwo(*index);
    indexes.push_back(path.string());
  }
  QVERIFY(indexes.size() > 3);
  const auto before = fs::last_write_time(indexes.front());
  auto opened = store::PacketStore::open(options(dir));
  QVERIFY2(opened, opened.error().c_str());
  const auto found = sources(**opened);
  QCOMPARE(static_cast<int>(found.size()), kPackets);
  for (const auto& [t, name] : found) QCOMPARE(name, std::string());
  // The same packets of a host through the older index's per-packet keys.
  const auto found2 = sources(**opened, byHost);
  QCOMPARE(found2.size(), hostPackets.size());
  QVERIFY(std::equal(found2.begin(), found2.end(), hostPackets.begin(),
                     [](const auto& x, const auto& y) { return x.first == y.first; }));
  QCOMPARE(fs::last_write_time(indexes.front()), before);  // read as it is, not rebuilt
}

void TestStoreSources::reindexedSegmentNamesAll() {
  QTemporaryDir dir;
  {
    auto opened = store::PacketStore::open(options(dir));
    QVERIFY2(opened, opened.error().c_str());
    fill(**opened);
  }
  // The indexes are lost (as after a crash while writing): indexed again from the packets.
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(options(dir).folder)) files.push_back(e.path());
  for (const auto& path : files)
    if (path.extension() == ".idx") fs::remove(path);
  auto opened = store::PacketStore::open(options(dir));
  QVERIFY2(opened, opened.error().c_str());
  const auto found = sources(**opened);
  QCOMPARE(static_cast<int>(found.size()), kPackets);
  std::map<std::string, int> names;
  for (const auto& [t, name] : found) ++names[name];
  // Segments of one source keep its name; those of both name both, the first one first.
  for (const auto& [name, count] : names)
    QVERIFY2(name == "eth0" || name == "eth1" || name == "eth0+eth1" || name == "eth1+eth0",
             name.c_str());
  QVERIFY(names.count("eth0+eth1") + names.count("eth1+eth0") > 0);
}

QTEST_GUILESS_MAIN(TestStoreSources)
#include "tst_store_sources.moc"
