// SPDX-License-Identifier: MIT
// The packet store against libpcap: corpus captures are ingested into a ring of small
// segments; searches by host (either side, source, destination), port, protocol, BPF and time
// range return exactly the packets that libpcap's own filter (as `tcpdump -r FILE FILTER`)
// or the time range selects from the original file — same count, same bytes, same order.
// The captures are plain Ethernet, IP-in-nothing ones, where "host X" means the same to
// both (the store also indexes the inner headers of tunnels and tagged frames, which a plain
// BPF "host" does not look into; see README "Packet store"). Also: a segment left without
// its index and with a torn last record is indexed again on open and loses only that record;
// the ring deletes its oldest segments beyond its size. An index damaged where opening does
// not look (a search reads it in place) is indexed again when a search finds the damage, with
// the same answer. A search by connections (tunnelled, tagged, IPv6) returns exactly the
// packets the node's analysis counts for them. Two captures are searched again with each
// candidate read by a system call of its own instead of in batches (io_uring), with the same
// answers.

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include "node/capture/pcap_source.h"
#include "node/store/packet_store.h"
#include "node/store/search_request.h"
#include "shared/decoder/packet_decoder.h"
#include "shared/protocol/param_text.h"
#include "tests/common/capture_packets.h"
#include "tests/common/capture_run.h"
#include "tests/common/tshark_reference.h"

using namespace netlens;
using netlens::node::capture::PcapSource;
using netlens::node::capture::RawPacket;
using netlens::node::capture::ReadStatus;
namespace store = netlens::node::store;
namespace ref = netlens::tests;

namespace {

using Packet = ref::CapturePacket;

/// The packets of `file` that libpcap's filter `expression` passes ("" for all).
QVector<Packet> reference(const QString& file, const std::string& expression) {
  return ref::capturePackets(file, expression);
}

QVector<Packet> search(store::PacketStore& s, const store::SearchCriteria& c) {
  QVector<Packet> out;
  auto st = s.search(c, [&](const store::StoredPacket& p) {
    out.push_back({p.timestampNs, p.wireLength, p.linkType,
                   QByteArray(reinterpret_cast<const char*>(p.data), int(p.capturedLength))});
    return true;
  });
  if (!st) qWarning("%s", st.error().c_str());
  return out;
}

std::unique_ptr<store::PacketStore> ingest(const QString& file, const QString& folder,
                                           std::uint64_t segmentBytes, std::uint64_t maxBytes,
                                           bool batchReads = true) {
  store::StoreOptions options;
  options.folder = folder.toStdString();
  options.segmentBytes = segmentBytes;
  options.maxBytes = maxBytes;
  options.batchReads = batchReads;
  auto opened = store::PacketStore::open(options);
  if (!opened) {
    qWarning("%s", opened.error().c_str());
    return nullptr;
  }
  std::string error;
  auto source = PcapSource::openFile(file.toStdString(), &error);
  if (!source) return nullptr;
  RawPacket p;
  while (source->next(p) == ReadStatus::Packet) {
    auto st = (*opened)->append(p.timestampNs, p.data, p.capturedLength, p.wireLength,
                                static_cast<std::uint32_t>(p.linkType));
    if (!st) return nullptr;
  }
  return std::move(*opened);
}

}  // namespace

class TestStoreCorpus : public QObject {
  Q_OBJECT

 private slots:
  void searchesEqualLibpcap_data();
  void searchesEqualLibpcap();
  void tornSegmentIsIndexedAgain();
  void damagedIndexFoundBySearch();
  void ringDeletesOldestSegments();
  void pagesAddUpToOneAnswer();
  void timeBudgetPagesAddUpToOneAnswer();
  void httpCriteriaSelectSessions_data();
  void httpCriteriaSelectSessions();
  void connectionsSelectTheirPackets_data();
  void connectionsSelectTheirPackets();
};

void TestStoreCorpus::searchesEqualLibpcap_data() {
  QTest::addColumn<QString>("capture");
  QTest::addColumn<bool>("batchReads");
  for (const char* c : {"http_browsing_bro_org.pcap", "mixed_http_dns_dhcp_tls_retrans.pcap",
                        "tcp_fast_retransmit.pcap", "dns_many_queries_txt_mx_cname.pcap",
                        "tls_many_sites_sni_tls12_tls13.pcapng", "sip_rtp_pcmu_call.pcap",
                        "dhcp_dora.pcap", "http_methods.pcap"})
    QTest::newRow(c) << QString::fromLatin1(c) << true;
  // Candidates read one system call each (where io_uring is not available).
  for (const char* c : {"http_browsing_bro_org.pcap", "dns_many_queries_txt_mx_cname.pcap"})
    QTest::newRow((std::string(c) + " pread").c_str()) << QString::fromLatin1(c) << false;
}

void TestStoreCorpus::searchesEqualLibpcap() {
  QFETCH(QString, capture);
  QFETCH(bool, batchReads);
  const QString file = ref::capturePath(capture);
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  // Small segments, so that answers span several closed segments and the open one.
  auto s = ingest(file, dir.filePath("store"), 4096, 1ull << 30, batchReads);
  QVERIFY(s);
  const QVector<Packet> all = reference(file, "");
  QVERIFY(!all.isEmpty());
  QCOMPARE(search(*s, {}), all);
  if (QFileInfo(file).size() > 3 * 4096) QVERIFY(s->retention().segments > 1);

  // Addresses and ports of the capture, from its own packets.
  std::set<net::IpAddress> hosts;
  std::set<std::uint16_t> ports;
  decoder::DecodedPacket d;
  for (const auto& p : all) {
    decoder::PacketDecoder::decode(int(p.linkType),
                                   reinterpret_cast<const std::uint8_t*>(p.bytes.data()),
                                   std::uint32_t(p.bytes.size()), p.wireLength, p.ts, d);
    for (std::uint8_t i = 0; i < d.ipCount; ++i) hosts.insert(d.ip[i].src);
    if (d.transport.hasPorts()) ports.insert(d.transport.dstPort);
  }
  QVERIFY(!hosts.empty());
  int checked = 0;
  for (const auto& ip : hosts) {
    if (checked++ == 6) break;
    // "ip host", not "host": a plain BPF "host" also matches ARP, which has no IP header.
    const std::string text = std::string(ip.isV4() ? "ip " : "ip6 ") + "%1host " + ip.toString();
    for (auto [side, word] :
         {std::pair{store::Side::Either, ""}, std::pair{store::Side::Source, "src "},
          std::pair{store::Side::Destination, "dst "}}) {
      store::SearchCriteria c;
      c.hosts.push_back({ip, side});
      const std::string bpf = QString::fromStdString(text).arg(word).toStdString();
      QVERIFY2(search(*s, c) == reference(file, bpf), bpf.c_str());
    }
  }
  checked = 0;
  for (std::uint16_t port : ports) {
    if (checked++ == 4) break;
    store::SearchCriteria c;
    c.ports.push_back({port, store::Side::Either});
    const std::string bpf = "port " + std::to_string(port);
    QVERIFY2(search(*s, c) == reference(file, bpf), bpf.c_str());
    // Combined: a host and a port, both must hold.
    c.hosts.push_back({*hosts.begin(), store::Side::Either});
    const std::string both = bpf + " and " + (hosts.begin()->isV4() ? "ip" : "ip6") + " host " +
                             hosts.begin()->toString();
    QVERIFY2(search(*s, c) == reference(file, both), both.c_str());
  }
  for (auto [proto, bpf] : {std::pair{std::uint8_t{6}, "ip proto 6 or ip6 proto 6"},
                            std::pair{std::uint8_t{17}, "ip proto 17 or ip6 proto 17"}}) {
    store::SearchCriteria c;
    c.protocols.push_back(proto);
    QVERIFY2(search(*s, c) == reference(file, bpf), bpf);
  }
  // BPF: compiled per segment link type and run on the stored packets.
  store::SearchCriteria bpf;
  bpf.bpf = "tcp[tcpflags] & tcp-syn != 0 or udp";
  QCOMPARE(search(*s, bpf), reference(file, bpf.bpf));
  bpf.bpf = "no such filter (";
  QVERIFY(!s->search(bpf, [](const store::StoredPacket&) { return true; }));
  // Time range: exactly the packets inside it, inclusive.
  std::vector<std::int64_t> times;
  for (const auto& p : all) times.push_back(p.ts);
  std::sort(times.begin(), times.end());
  store::SearchCriteria range;
  range.from = times[times.size() / 3];
  range.to = times[2 * times.size() / 3];
  QVector<Packet> inRange;
  for (const auto& p : all)
    if (p.ts >= *range.from && p.ts <= *range.to) inRange.push_back(p);
  QCOMPARE(search(*s, range), inRange);
}

void TestStoreCorpus::tornSegmentIsIndexedAgain() {
  const QString file = ref::capturePath("http_browsing_bro_org.pcap");
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QString folder = dir.filePath("store");
  const QVector<Packet> all = reference(file, "");
  {
    auto s = ingest(file, folder, 64 * 1024, 1ull << 30);
    QVERIFY(s);
    QVERIFY(s->flush());
    // As after `kill -9`: the open segment has no index and its last record is cut short.
    const QString copy = dir.filePath("copy");
    QVERIFY(QDir().mkpath(copy));
    QVERIFY(QFile::setPermissions(
        copy, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
    QDir source(folder);
    for (const QString& name : source.entryList(QDir::Files))
      QVERIFY(QFile::copy(source.filePath(name), copy + "/" + name));
    QDir copied(copy);
    const QStringList indexes = copied.entryList({"*.idx"});
    const QStringList pcaps = copied.entryList({"*.pcap"}, QDir::Files, QDir::Name);
    QVERIFY(pcaps.size() > 2);
    QCOMPARE(indexes.size(), pcaps.size() - 1);  // the open segment has none yet
    const QString last = copied.filePath(pcaps.last());
    QVERIFY(QFile::resize(last, QFileInfo(last).size() - 5));
    store::StoreOptions options;
    options.folder = copy.toStdString();
    auto reopened = store::PacketStore::open(options);
    QVERIFY2(reopened, reopened.error().c_str());
    const QVector<Packet> found = search(**reopened, {});
    QCOMPARE(found.size(), all.size() - 1);
    QCOMPARE(found, all.mid(0, all.size() - 1));
    QVERIFY(QFile::exists(copy + "/" + QFileInfo(last).completeBaseName() + ".idx"));
    // A damaged index is not trusted: the segment is indexed again.
    const QString firstIndex = copied.filePath(indexes.first());
    QFile damaged(firstIndex);
    QVERIFY(damaged.open(QIODevice::ReadWrite));
    damaged.seek(20);
    damaged.write("xx");
    damaged.close();
    reopened->reset();
    reopened = store::PacketStore::open(options);
    QVERIFY(reopened);
    QCOMPARE(search(**reopened, {}).size(), all.size() - 1);
  }
  // Closing writes every index; reopening finds everything.
  store::StoreOptions options;
  options.folder = folder.toStdString();
  auto reopened = store::PacketStore::open(options);
  QVERIFY(reopened);
  QCOMPARE(search(**reopened, {}), all);
  const auto mode = std::filesystem::status(folder.toStdString()).permissions();
  QCOMPARE(mode & std::filesystem::perms::all, std::filesystem::perms::owner_all);
}

void TestStoreCorpus::damagedIndexFoundBySearch() {
  const QString file = ref::capturePath("mixed_http_dns_dhcp_tls_retrans.pcap");
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QString folder = dir.filePath("store");
  ingest(file, folder, 64 * 1024, 1ull << 30).reset();  // closes every segment
  const QStringList indexes = QDir(folder).entryList({"*.idx"}, QDir::Files, QDir::Name);
  QVERIFY(indexes.size() >= 2);
  const QVector<Packet> all = reference(file, "");
  const QVector<Packet> dns = reference(file, "port 53");
  QVERIFY(!dns.isEmpty());
  // The first byte of the body (the block table) of the first index, the last byte (a key
  // run) of the second: past the header and the checksum tables (96 bytes, then one
  // checksum per 64 pages, then one per page).
  const auto damage = [&](const QString& name, bool first) {
    QFile f(QDir(folder).filePath(name));
    if (!f.open(QIODevice::ReadWrite)) return false;
    const QByteArray bytes = f.readAll();
    const auto pages = qFromLittleEndian<quint32>(bytes.constData() + 52);
    const qint64 chunks = (qint64(pages) + 63) / 64;
    const qint64 at = first ? 96 + 8 * chunks + 8 * qint64(pages) : bytes.size() - 1;
    f.seek(at);
    f.write(QByteArray(1, char(bytes[at] ^ 0x40)));
    return true;
  };
  QVERIFY(damage(indexes[0], true));
  QVERIFY(damage(indexes[1], false));
  store::StoreOptions options;
  options.folder = folder.toStdString();
  auto reopened = store::PacketStore::open(options);
  QVERIFY2(reopened, reopened.error().c_str());
  store::SearchCriteria c;
  c.ports.push_back({53, store::Side::Either});
  QCOMPARE(search(**reopened, c), dns);
  QCOMPARE(search(**reopened, {}), all);
  // Keys after every stored one of their kind: the lookup reads the last run of the section,
  // whichever kind comes last in the file.
  store::SearchCriteria none;
  none.protocols.push_back(255);
  QVERIFY(search(**reopened, none).isEmpty());
  none = {};
  none.vlans.push_back(4095);
  QVERIFY(search(**reopened, none).isEmpty());
  // Written again, whole: a full read of each index passes every check.
  for (const QString& name : indexes) {
    auto index = store::SegmentIndex::load(QDir(folder).filePath(name).toStdString());
    QVERIFY2(index, index.error().c_str());
  }
}

void TestStoreCorpus::ringDeletesOldestSegments() {
  const QString file = ref::capturePath("http_browsing_bro_org.pcap");
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  auto s = ingest(file, dir.filePath("store"), 32 * 1024, 128 * 1024);
  QVERIFY(s);
  QVERIFY(s->closeSegment());
  const store::Retention r = s->retention();
  QVERIFY(r.bytes <= r.maxBytes);
  QVERIFY(r.segments >= 3);
  const QVector<Packet> all = reference(file, "");
  // What is left is the newest part of the capture, in order, and nothing else.
  const QVector<Packet> kept = search(*s, {});
  QCOMPARE(std::uint64_t(kept.size()), r.packets);
  QVERIFY(kept.size() < all.size());
  QCOMPARE(kept, all.mid(all.size() - kept.size()));
  QCOMPARE(r.oldestPacket, kept.first().ts);
}

// A paged search (chunk-bytes, resumed with each page's token) delivers exactly the packets of
// one answer, in order, none twice, across segment boundaries and with the open segment; the
// estimate is an upper bound, exact when the index decides alone.
void TestStoreCorpus::pagesAddUpToOneAnswer() {
  const QString file = ref::capturePath("mixed_http_dns_dhcp_tls_retrans.pcap");
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  auto s = ingest(file, dir.filePath("store"), 64 * 1024, 1ull << 30);  // the last stays open
  QVERIFY(s);
  struct Case {
    protocol::Params params;
    bool exactEstimate;
  };
  const std::vector<Case> cases{{{{"mode", "packets"}}, true},
                                {{{"mode", "packets"}, {"proto", "tcp"}}, true},
                                {{{"mode", "packets"}, {"bpf", "udp"}}, false},
                                {{{"mode", "packets"}, {"port", "443"}}, true}};
  for (const auto& c : cases) {
    store::SearchRequest one;
    std::string problem;
    QVERIFY2(store::parseSearchRequest(c.params, &one, &problem), problem.c_str());
    protocol::SearchReply whole;
    QVERIFY2(store::runSearch(*s, one, &whole, &problem), problem.c_str());
    QVERIFY(whole.packets > 0);
    QVERIFY(whole.resume.empty());

    protocol::Params paged = c.params;
    paged["chunk-bytes"] = "4096";
    if (c.params.count("port") != 0) paged["limit"] = "7";  // in a paged answer, per page
    std::string joined;
    std::uint64_t packets = 0;
    int pages = 0;
    std::uint64_t firstEstimate = 0;
    for (;;) {
      store::SearchRequest request;
      QVERIFY2(store::parseSearchRequest(paged, &request, &problem), problem.c_str());
      protocol::SearchReply page;
      QVERIFY2(store::runSearch(*s, request, &page, &problem), problem.c_str());
      if (pages++ == 0) firstEstimate = page.estimatedPackets;
      QVERIFY(!page.truncated);
      // Every page is a whole pcap file; joined without their headers they are the answer.
      joined +=
          pages == 1 ? page.pcap : page.pcap.substr(std::min<std::size_t>(24, page.pcap.size()));
      packets += page.packets;
      QVERIFY(page.estimatedPackets >= page.packets);
      if (page.resume.empty()) break;
      // A page stops at the first packet past 4 KiB (or at the page limit).
      QVERIFY(page.pcap.size() >= 4096 || page.packets == request.limit);
      paged["after"] = page.resume;
      QVERIFY(pages < 10000);
    }
    QVERIFY2(pages > 2, qPrintable(QString::number(pages)));
    QCOMPARE(packets, whole.packets);
    QVERIFY(joined == whole.pcap);
    QVERIFY(firstEstimate >= whole.packets);
    if (c.exactEstimate) QCOMPARE(firstEstimate, whole.packets);
  }
  // A token that names no position is refused with what it takes.
  store::SearchRequest bad;
  std::string problem;
  QVERIFY(!store::parseSearchRequest({{"after", "12"}}, &bad, &problem));
  QVERIFY2(problem.find("resume token") != std::string::npos, problem.c_str());
  QVERIFY(!store::parseSearchRequest({{"chunk-bytes", "10"}}, &bad, &problem));
  QVERIFY2(problem.find("4096") != std::string::npos, problem.c_str());
}

namespace {

using Position = std::pair<std::uint64_t, std::uint64_t>;

/// Runs `criteria` on `s`, appending where each delivered packet is to `into`.
bool searchInto(store::PacketStore& s, const store::SearchCriteria& criteria,
                std::vector<Position>* into, store::SearchStats* stats = nullptr) {
  return s
      .search(
          criteria,
          [into](const store::StoredPacket& p) {
            into->emplace_back(p.segment, p.offset);
            return true;
          },
          stats)
      .ok();
}

}  // namespace

void TestStoreCorpus::timeBudgetPagesAddUpToOneAnswer() {
  const QString file = ref::capturePath("mixed_http_dns_dhcp_tls_retrans.pcap");
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  auto s = ingest(file, dir.filePath("store"), 64 * 1024, 1ull << 30);  // the last stays open
  QVERIFY(s);
  for (const char* bpf : {"", "udp", "tcp port 443"}) {
    store::SearchCriteria criteria;
    criteria.bpf = bpf;
    std::vector<Position> whole;
    store::SearchStats all;
    QVERIFY(searchInto(*s, criteria, &whole, &all));
    QVERIFY(!all.outOfTime);
    QVERIFY(!whole.empty());
    // A deadline already past: every page reads at least one candidate and at most one
    // clock look's worth (a batch of 64 reads), stops at the candidate it is at, and the pages
    // resumed after it add up to the one answer, also where a page matched nothing.
    criteria.deadline = std::chrono::steady_clock::time_point::min();
    std::vector<Position> paged;
    std::uint64_t candidates = 0;
    int pages = 0;
    int emptyPages = 0;
    for (;;) {
      store::SearchStats stats;
      const std::size_t before = paged.size();
      QVERIFY(searchInto(*s, criteria, &paged, &stats));
      ++pages;
      candidates += stats.candidates;
      emptyPages += paged.size() == before ? 1 : 0;
      if (!stats.outOfTime) break;
      QVERIFY(stats.candidates >= 1);
      QVERIFY(stats.candidates <= 64);
      criteria.after = store::SearchCriteria::Position{stats.reached.segment, stats.reached.offset};
      QVERIFY(pages < 100000);
    }
    QCOMPARE(paged, whole);
    QCOMPARE(candidates, all.candidates);
    QVERIFY2(pages > 2, qPrintable(QString::number(pages)));
    if (std::string(bpf) == "tcp port 443") QVERIFY(emptyPages > 0);
  }

  // Searches selecting sessions: pages out of time in the first pass end without packets and
  // resume where they began (the kept scan goes on); the packets add up all the same. The one
  // answer comes from a store of its own, so that it cannot reuse the paged search's scan.
  QTemporaryDir other;
  QVERIFY(other.isValid());
  auto fresh = ingest(file, other.filePath("store"), 64 * 1024, 1ull << 30);
  QVERIFY(fresh);
  for (const bool http : {false, true}) {
    store::SearchCriteria criteria;
    if (http) {
      criteria.http.host = "analytics.rayjump.com";
    } else {
      criteria.payload = "HTTP/1.1 200";
      criteria.payloadPerSession = true;
    }
    std::vector<Position> whole;
    QVERIFY(searchInto(*fresh, criteria, &whole));
    QVERIFY2(!whole.empty(), http ? "http" : "payload");
    criteria.deadline = std::chrono::steady_clock::time_point::min();
    std::vector<Position> paged;
    int pages = 0;
    int firstPassPages = 0;
    for (;;) {
      store::SearchStats stats;
      const std::size_t before = paged.size();
      QVERIFY(searchInto(*s, criteria, &paged, &stats));
      ++pages;
      if (!stats.outOfTime) break;
      const store::SearchCriteria::Position at =
          criteria.after.value_or(store::SearchCriteria::Position{});
      if (stats.reached.segment == at.segment && stats.reached.offset == at.offset) {
        ++firstPassPages;
        QCOMPARE(paged.size(), before);
      }
      criteria.after = store::SearchCriteria::Position{stats.reached.segment, stats.reached.offset};
      QVERIFY(pages < 100000);
    }
    QVERIFY2(firstPassPages > 2, qPrintable(QString::number(firstPassPages)));
    QCOMPARE(paged, whole);
  }
  {
    // A page whose kept scan was pushed out of the cache (more session searches at once than
    // it keeps) starts its first pass again under the deadline, and the restarted scan is then
    // kept ahead of the others: five more searches do not push it out again.
    store::SearchCriteria criteria;
    criteria.payload = "HTTP/1.1";  // a search of its own (the one above left its scan kept)
    criteria.payloadPerSession = true;
    criteria.deadline = std::chrono::steady_clock::time_point::min();
    store::SearchStats first;
    QVERIFY(s->search(
        criteria, [](const store::StoredPacket&) { return true; }, &first));
    QVERIFY(first.outOfTime && first.inFirstPass);
    const auto others = [&](int from) {  // five other session searches fill the cache of four
      for (int i = from; i < from + 5; ++i) {
        store::SearchCriteria other;
        other.http.userAgent = "agent " + std::to_string(i);
        QVERIFY(s->search(other, [](const store::StoredPacket&) { return true; }));
      }
    };
    others(0);
    criteria.after = store::SearchCriteria::Position{first.reached.segment, first.reached.offset};
    store::SearchStats next;
    QVERIFY(s->search(
        criteria, [](const store::StoredPacket&) { return true; }, &next));
    QVERIFY(next.outOfTime && next.inFirstPass);  // one page of the pass again, not all of it
    QCOMPARE(next.scanRead, first.scanRead);      // from its start again
    others(5);
    store::SearchStats third;
    QVERIFY(s->search(
        criteria, [](const store::StoredPacket&) { return true; }, &third));
    QVERIFY(third.outOfTime && third.inFirstPass);  // kept: a second loss would read it whole
    QVERIFY(third.scanRead > next.scanRead);
  }

  // Through the request: "budget-ms" pages in list mode; their sessions, summed by key,
  // are the one answer's (however the node's clock cuts them).
  protocol::Params params{{"proto", "tcp"}};
  store::SearchRequest one;
  std::string problem;
  QVERIFY2(store::parseSearchRequest(params, &one, &problem), problem.c_str());
  protocol::SearchReply whole;
  QVERIFY2(store::runSearch(*s, one, &whole, &problem), problem.c_str());
  params["budget-ms"] = "1";
  std::map<std::tuple<int, std::string, int, std::string, int>, protocol::SearchSession> merged;
  std::uint64_t packets = 0;
  for (int pages = 0;; ++pages) {
    store::SearchRequest request;
    QVERIFY2(store::parseSearchRequest(params, &request, &problem), problem.c_str());
    QCOMPARE(request.budgetMs, 1u);
    protocol::SearchReply page;
    QVERIFY2(store::runSearch(*s, request, &page, &problem), problem.c_str());
    packets += page.packets;
    for (const auto& x : page.sessions) {
      auto& m = merged[{x.protocol, x.a.toString(), x.aPort, x.b.toString(), x.bPort}];
      if (m.packets == 0) {
        m = x;
      } else {
        m.packets += x.packets;
        m.bytes += x.bytes;
        m.firstSeen = std::min(m.firstSeen, x.firstSeen);
        m.lastSeen = std::max(m.lastSeen, x.lastSeen);
      }
    }
    if (page.resume.empty()) break;
    QVERIFY(page.estimatedPackets >= page.packets);
    params["after"] = page.resume;
    QVERIFY(pages < 100000);
  }
  QCOMPARE(packets, whole.packets);
  std::vector<protocol::SearchSession> sessions;
  for (const auto& [key, x] : merged) sessions.push_back(x);
  QCOMPARE(sessions.size(), whole.sessions.size());
  for (const auto& x : whole.sessions) {
    const auto it = merged.find({x.protocol, x.a.toString(), x.aPort, x.b.toString(), x.bPort});
    QVERIFY(it != merged.end());
    QVERIFY(it->second == x);
  }
  // Budgets out of range are refused with what they take.
  store::SearchRequest bad;
  for (const char* value : {"0", "60001", "soon"}) {
    QVERIFY(!store::parseSearchRequest({{"budget-ms", value}}, &bad, &problem));
    QVERIFY2(problem.find("1 to 60000") != std::string::npos, problem.c_str());
  }
}

void TestStoreCorpus::httpCriteriaSelectSessions_data() {
  QTest::addColumn<QString>("name");
  for (const char* name :
       {"http_browsing_bro_org.pcap", "many_protocols_vlan_http_dns_tls.pcap",
        "mixed_http_dns_dhcp_tls_retrans.pcap", "http_ipv6_rawip_four_streams.pcap"})
    QTest::newRow(name) << QString::fromLatin1(name);
}

namespace {

/// tshark's lines of `fields` for the frames matching `filter`.
QStringList tsharkLines(const QString& file, const QString& filter, const QStringList& fields) {
  QProcess p;
  QStringList args{"-r", file, "-Y", filter, "-T", "fields"};
  for (const auto& f : fields) args << "-e" << f;
  p.start("tshark", args);
  p.waitForFinished(120000);
  return QString::fromUtf8(p.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
}

/// Packets of the TCP connections in which a request matches `requestFilter`, per tshark.
std::uint64_t tsharkSessionPackets(const QString& file, const QString& requestFilter) {
  QStringList streams = tsharkLines(file, "tcp && (" + requestFilter + ")", {"tcp.stream"});
  streams.removeDuplicates();
  if (streams.isEmpty()) return 0;
  // Packets quoted inside ICMP errors carry tcp.stream too; they are not the session's.
  return std::uint64_t(tsharkLines(file,
                                   "!icmp && !icmpv6 && tcp.stream in {" + streams.join(',') + "}",
                                   {"frame.number"})
                           .size());
}

}  // namespace

// HTTP criteria select the TCP sessions carrying a matching request: every packet of them,
// the same packets as tshark's connections (tcp.stream) with such a request, for each host
// name of each capture, a user agent part and a URL part.
void TestStoreCorpus::httpCriteriaSelectSessions() {
  QFETCH(QString, name);
  const QString file = ref::capturePath(name.toLatin1().constData());
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  auto s = ingest(file, dir.filePath("store"), 64 * 1024, 1ull << 30);
  QVERIFY(s);
  auto ours = [&](const protocol::Params& params) {
    store::SearchRequest request;
    std::string problem;
    if (!store::parseSearchRequest(params, &request, &problem)) qWarning("%s", problem.c_str());
    protocol::SearchReply reply;
    if (!store::runSearch(*s, request, &reply, &problem)) qWarning("%s", problem.c_str());
    return reply.packets;
  };
  QStringList hosts = tsharkLines(file, "tcp && http.request", {"http.host"});
  hosts.removeDuplicates();
  int checked = 0;
  for (const QString& host : hosts) {
    if (host.contains(':') || host.isEmpty()) continue;  // tshark compares the port too
    const std::uint64_t want = tsharkSessionPackets(file, "http.host == \"" + host + "\"");
    QVERIFY(want > 0);
    QCOMPARE(ours({{"http-host", host.toUpper().toStdString()}}), want);
    if (++checked == 6) break;
  }
  QVERIFY(checked > 0);
  const QStringList agents = tsharkLines(file, "tcp && http.user_agent", {"http.user_agent"});
  if (!agents.isEmpty()) {
    const QString part = agents.first().mid(0, 12);
    QCOMPARE(ours({{"http-user-agent", part.toStdString()}}),
             tsharkSessionPackets(file, "http.user_agent contains \"" + part + "\""));
  }
  const QStringList uris = tsharkLines(file, "tcp && http.request", {"http.request.uri"});
  const QString part = uris.last().mid(0, 6);
  QVERIFY(!part.isEmpty());
  QCOMPARE(ours({{"http-url", part.toStdString()}}),
           tsharkSessionPackets(file, "http.request.uri contains \"" + part + "\""));
  QCOMPARE(ours({{"http-host", "no-such-host.invalid"}}), std::uint64_t(0));
}

namespace {

/// A flow's text with its lower end first (protocol::formatConnectionText), so that both
/// directions of a flow read the same.
std::string canonicalFlow(const protocol::ConnectionText& c) {
  return protocol::formatConnectionText(protocol::lowerEndFirst(c));
}

}  // namespace

void TestStoreCorpus::connectionsSelectTheirPackets_data() {
  QTest::addColumn<QString>("capture");
  // Tunnels (GRE, GRE in GRE, IP in IP, VXLAN), tags (802.1Q, QinQ, MPLS), IPv6, ICMP.
  for (const char* c :
       {"gre_sample.pcap", "gre_within_gre.pcap", "sip_in_ipip_tunnel.pcap", "vxlan_http.pcap",
        "vxlan_outer_vlan_tls_dns.pcap", "vlan_qinq_http_pcp5.pcap", "mpls_in_vlan.pcap",
        "many_protocols_vlan_http_dns_tls.pcap", "mixed_http_dns_dhcp_tls_retrans.pcap"})
    QTest::newRow(c) << QString::fromLatin1(c);
}

void TestStoreCorpus::connectionsSelectTheirPackets() {
  QFETCH(QString, capture);
  const QString file = ref::capturePath(capture);
  const ref::CaptureRun run = ref::runCapture(capture, 1);
  QVERIFY2(run.opened, qPrintable(run.openError));
  // The records of one 5-tuple (another VLAN, a port reused) are one flow to a search.
  std::map<std::string, std::pair<protocol::ConnectionText, quint64>> flows;
  for (const auto& r : run.connections) {
    const protocol::ConnectionText c{r.protocol, r.clientIp, r.clientPort, r.serverIp,
                                     r.serverPort};
    auto& flow = flows[canonicalFlow(c)];
    flow.first = c;
    flow.second += r.c2sPackets + r.s2cPackets;
  }
  QVERIFY(!flows.empty());
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  auto s = ingest(file, dir.filePath("store"), 4096, 1ull << 30);
  QVERIFY(s);
  // Every other flow (the one of a capture with one), some named from the other end: the rest
  // must stay out.
  store::SearchCriteria criteria;
  std::set<std::string> chosen;
  quint64 counted = 0;
  int i = 0;
  for (const auto& [key, flow] : flows) {
    if (i++ % 2 != 0) continue;
    protocol::ConnectionText c = flow.first;
    if (i % 4 == 1) {
      std::swap(c.a, c.b);
      std::swap(c.aPort, c.bPort);
    }
    criteria.connections.push_back(c);
    chosen.insert(key);
    counted += flow.second;
  }
  const QVector<Packet> found = search(*s, criteria);
  // As many packets as the analysis counted for those connections...
  QCOMPARE(quint64(found.size()), counted);
  // ...and they are the file's packets whose innermost IP header belongs to one, in order.
  QVector<Packet> expected;
  decoder::DecodedPacket d;
  for (const auto& p : reference(file, "")) {
    decoder::PacketDecoder::decode(int(p.linkType),
                                   reinterpret_cast<const std::uint8_t*>(p.bytes.data()),
                                   std::uint32_t(p.bytes.size()), p.wireLength, p.ts, d);
    if (!d.hasIp()) continue;
    const auto& ip = d.innermostIp();
    const bool ports = d.transport.hasPorts();
    const protocol::ConnectionText c{ip.protocol, ip.src,
                                     ports ? d.transport.srcPort : std::uint16_t{0}, ip.dst,
                                     ports ? d.transport.dstPort : std::uint16_t{0}};
    if (chosen.count(canonicalFlow(c)) != 0) expected.push_back(p);
  }
  QCOMPARE(found, expected);
  // The same through the request's text, as a node reads it.
  std::string list;
  for (const auto& c : criteria.connections)
    list += (list.empty() ? "" : ",") + protocol::formatConnectionText(c);
  store::SearchRequest request;
  std::string problem;
  QVERIFY2(store::parseSearchRequest({{"connection", list}}, &request, &problem), problem.c_str());
  QCOMPARE(search(*s, request.criteria), found);
  // A flow of the capture with one end elsewhere: nothing.
  store::SearchCriteria elsewhere;
  elsewhere.connections.push_back(flows.begin()->second.first);
  elsewhere.connections.back().b = *net::IpAddress::parse("192.0.2.254");
  QVERIFY(search(*s, elsewhere).isEmpty());
}

QTEST_GUILESS_MAIN(TestStoreCorpus)
#include "tst_store_corpus.moc"
