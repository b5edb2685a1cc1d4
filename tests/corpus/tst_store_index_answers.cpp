// SPDX-License-Identifier: MIT
// Sessions-only searches answered from the segments' indexes: a search without packets takes
// a closed segment's sessions from its session table where that is exact, and must give
// exactly the sessions and counts of the same search with packets (every match read) — for
// whole sessions, one side's packets, MACs of either side, protocols, VLANs, a time range
// that cuts segments, tunnels, frames cut by a snapshot length, two capture sources or none,
// a search cut by its limit and one resumed in the middle of its answer.

#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "node/store/packet_store.h"
#include "node/store/search_request.h"
#include "shared/decoder/packet_decoder.h"
#include "tests/common/capture_packets.h"
#include "tests/common/tshark_reference.h"

using namespace netlens;
namespace store = netlens::node::store;
namespace ref = netlens::tests;

class TestStoreIndexAnswers : public QObject {
  Q_OBJECT

 private slots:
  void indexAnswersEqualReadAnswers_data();
  void indexAnswersEqualReadAnswers();
};

void TestStoreIndexAnswers::indexAnswersEqualReadAnswers_data() {
  QTest::addColumn<QString>("capture");
  QTest::addColumn<bool>("indexAnswers");  // some searches answered without reading
  QTest::addColumn<bool>("twoSources");    // else no source named at all
  QTest::newRow("plain") << QString("http_browsing_bro_org.pcap") << true << true;
  QTest::newRow("mixed") << QString("mixed_http_dns_dhcp_tls_retrans.pcap") << true << true;
  QTest::newRow("vlans") << QString("vlan_pcp_dei.pcapng") << true << false;
  QTest::newRow("tunnels") << QString("gre_sample.pcap") << false << true;
  // Every frame cut at 68 bytes: the session table counts their wire lengths.
  QTest::newRow("snapshot length")
      << QString("malformed_tcp_truncated_header.pcap") << true << false;
}

void TestStoreIndexAnswers::indexAnswersEqualReadAnswers() {
  QFETCH(QString, capture);
  QFETCH(bool, indexAnswers);
  QFETCH(bool, twoSources);
  const QString file = ref::capturePath(capture);
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  store::StoreOptions options;
  options.folder = dir.filePath("store").toStdString();
  const QVector<ref::CapturePacket> all = ref::capturePackets(file, "");
  QVERIFY(all.size() > 5);
  // Up to ten segments (at least 4 KiB each), all closed: only closed ones are answered from
  // their indexes.
  std::uint64_t bytes = 0;
  for (const auto& p : all) bytes += 16 + std::uint64_t(p.bytes.size());
  options.segmentBytes = std::max<std::uint64_t>(4096, bytes / 10);
  auto opened = store::PacketStore::open(options);
  QVERIFY2(opened, opened.error().c_str());
  store::PacketStore& s = **opened;
  // Two sources: the second half of the packets from another.
  std::set<net::IpAddress> hosts;
  std::set<std::uint16_t> ports;
  std::set<net::MacAddress> macs;
  std::set<std::uint16_t> vlans;
  decoder::DecodedPacket d;
  for (int i = 0; i < all.size(); ++i) {
    const ref::CapturePacket& p = all[i];
    if (twoSources) s.setSource(i < all.size() / 2 ? "first" : "second");
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(p.bytes.data());
    QVERIFY(s.append(p.ts, bytes, std::uint32_t(p.bytes.size()), p.wireLength, p.linkType));
    decoder::PacketDecoder::decode(int(p.linkType), bytes, std::uint32_t(p.bytes.size()),
                                   p.wireLength, p.ts, d);
    for (std::uint8_t i = 0; i < d.ipCount; ++i) hosts.insert(d.ip[i].src);
    if (d.transport.hasPorts()) ports.insert(d.transport.dstPort);
    if (d.l2Count > 0 && d.l2[0].hasSrc) macs.insert(d.l2[0].src);
    for (std::uint8_t i = 0; i < d.vlanCount; ++i) vlans.insert(d.vlans[i]);
  }
  QVERIFY(s.closeSegment());
  if (bytes > 20 * 4096) QVERIFY(s.retention().segments > 5);
  std::vector<store::SearchCriteria> searches;
  int n = 0;
  for (const auto& ip : hosts) {
    if (n++ == 6) break;
    for (auto side : {store::Side::Either, store::Side::Source, store::Side::Destination}) {
      store::SearchCriteria c;
      c.hosts.push_back({ip, side});
      searches.push_back(c);
    }
  }
  n = 0;
  for (std::uint16_t port : ports) {
    if (n++ == 4) break;
    store::SearchCriteria c;
    c.ports.push_back({port, store::Side::Either});
    searches.push_back(c);
  }
  n = 0;
  for (const auto& mac : macs) {
    if (n++ == 3) break;
    for (auto side : {store::Side::Either, store::Side::Source}) {
      store::SearchCriteria c;
      c.macs.push_back({mac, side});
      searches.push_back(c);
    }
  }
  for (std::uint8_t proto : {std::uint8_t{6}, std::uint8_t{17}, std::uint8_t{47}}) {
    store::SearchCriteria c;
    c.protocols.push_back(proto);
    searches.push_back(c);
  }
  if (!vlans.empty()) {
    store::SearchCriteria c;
    c.protocols.push_back(17);
    c.vlans.push_back(*vlans.begin());
    searches.push_back(c);
  }
  // A time range that cuts segments, around the middle third.
  store::SearchCriteria range;
  range.hosts.push_back({*hosts.begin(), store::Side::Either});
  range.from = all[all.size() / 3].ts;
  range.to = all[2 * all.size() / 3].ts;
  searches.push_back(range);
  int answeredFromIndex = 0;
  // Both ways give the same reply but for the packets read; false (with the difference
  // logged) when not.
  const auto same = [&](const store::SearchRequest& request, bool* fromIndex) {
    store::SearchRequest withPackets = request;
    withPackets.withPackets = true;
    protocol::SearchReply fast;
    protocol::SearchReply read;
    std::string error;
    if (!store::runSearch(s, request, &fast, &error) ||
        !store::runSearch(s, withPackets, &read, &error)) {
      qWarning("%s", error.c_str());
      return false;
    }
    *fromIndex = fast.packetsRead < read.packetsRead;
    if (fast.packets != read.packets || fast.truncated != read.truncated ||
        fast.sessions != read.sessions) {
      qWarning("%llu / %llu packets, %zu / %zu sessions", (unsigned long long)fast.packets,
               (unsigned long long)read.packets, fast.sessions.size(), read.sessions.size());
      return false;
    }
    return true;
  };
  for (const auto& c : searches) {
    store::SearchRequest request;
    request.criteria = c;
    bool fromIndex = false;
    QVERIFY(same(request, &fromIndex));
    if (fromIndex) ++answeredFromIndex;
    // Cut by a limit, and resumed after a packet in the middle of the answer.
    std::vector<store::SearchCriteria::Position> positions;
    QVERIFY(s.search(c, [&](const store::StoredPacket& p) {
      positions.push_back({p.segment, p.offset});
      return true;
    }));
    if (positions.size() < 2) continue;
    store::SearchRequest limited = request;
    limited.limit = positions.size() / 2;
    QVERIFY(same(limited, &fromIndex));
    store::SearchRequest resumed = request;
    resumed.criteria.after = positions[positions.size() / 3];
    QVERIFY(same(resumed, &fromIndex));
  }
  QCOMPARE(answeredFromIndex > 0, indexAnswers);
}

QTEST_GUILESS_MAIN(TestStoreIndexAnswers)
#include "tst_store_index_answers.moc"
