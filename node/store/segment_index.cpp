// SPDX-License-Identifier: MIT
#include "node/store/segment_index.h"

#include <algorithm>
#include <iterator>

#include "node/store/index_codec.h"
#include "node/store/segment_index_reader.h"
#include "shared/transport/keys.h"

namespace netlens::node::store {

namespace {

using detail::checksum;
using detail::putFixed;
using detail::putVarint;
using detail::varintSize;

/// Appends one posting list: its head (count << 2 | coding), then the one packet as a
/// varint, or the list in the smallest of the codings (detail::ListCoding).
void putList(std::string& out, const std::vector<std::uint32_t>& list, std::size_t packets) {
  using detail::ListCoding;
  if (list.size() == 1) {
    putVarint(out, std::uint64_t{1} << 2 | static_cast<unsigned>(ListCoding::Varints));
    putVarint(out, list.front());
    return;
  }
  const unsigned k = detail::golombParameter(list.size(), packets);
  std::size_t varintBytes = 0;
  std::uint64_t golombBits = 0;
  std::uint64_t gammaBits = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::uint32_t gap = i == 0 ? list[i] : list[i] - list[i - 1];
    varintBytes += varintSize(gap);
    const std::uint32_t v = i == 0 ? gap : gap - 1;
    golombBits += detail::golombBits(v, k);
    gammaBits += detail::golombBits(v, 0);
  }
  const std::size_t sizes[] = {varintBytes, (packets + 7) / 8, (golombBits + 7) / 8,
                               (gammaBits + 7) / 8};
  const auto coding =
      static_cast<ListCoding>(std::min_element(std::begin(sizes), std::end(sizes)) - sizes);
  putVarint(out, std::uint64_t{list.size()} << 2 | static_cast<unsigned>(coding));
  if (coding == ListCoding::Bitmap) {
    std::string bits(sizes[1], '\0');
    for (std::uint32_t n : list) bits[n / 8] = static_cast<char>(bits[n / 8] | 1 << (n % 8));
    out += bits;
  } else if (coding == ListCoding::Varints) {
    for (std::size_t i = 0; i < list.size(); ++i)
      putVarint(out, i == 0 ? list[i] : list[i] - list[i - 1]);
  } else {
    detail::BitWriter w(out);
    const unsigned parameter = coding == ListCoding::Golomb ? k : 0;
    for (std::size_t i = 0; i < list.size(); ++i)
      w.golomb(i == 0 ? list[i] : list[i] - list[i - 1] - 1, parameter);
  }
}

/// Appends `key` to a run after `previous` (the run's first key is its fence entry alone):
/// a key of up to 8 bytes as the varint difference of the two as numbers, a longer one as
/// the count of leading bytes it shares with `previous` and the rest.
void putKey(std::string& out, const IndexKey& key, const IndexKey& previous) {
  if (key.length <= detail::kNumericKeyBytes) {
    putVarint(out, detail::bigEndian(key.value.data(), key.length) -
                       detail::bigEndian(previous.value.data(), key.length));
    return;
  }
  std::uint8_t shared = 0;
  while (shared < key.length && previous.value[shared] == key.value[shared]) ++shared;
  out.push_back(static_cast<char>(shared));
  out.append(reinterpret_cast<const char*>(key.value.data()) + shared, key.length - shared);
}

}  // namespace

void SegmentIndex::add(std::uint64_t offset, const decoder::DecodedPacket& packet) {
  const auto number = static_cast<std::uint32_t>(offsets.size());
  if (offsets.empty() || packet.timestampNs < minTime) minTime = packet.timestampNs;
  if (offsets.empty() || packet.timestampNs > maxTime) maxTime = packet.timestampNs;
  if (number % kBlockPackets == 0) blockTimes.push_back({packet.timestampNs, packet.timestampNs});
  TimeRange& block = blockTimes.back();
  block.first = std::min(block.first, packet.timestampNs);
  block.last = std::max(block.last, packet.timestampNs);
  offsets.push_back(offset);
  // A key met twice in one packet (e.g. the same address in two IP headers) is posted once.
  const auto post = [&](const IndexKey& key) {
    auto& list = postings[key];
    if (list.empty() || list.back() != number) list.push_back(number);
  };
  const bool inSession = packet.ipCount == 1 && number < kMaxSessionPacket;
  // One Ethernet header's MACs go with the session; any other number of them per packet.
  const bool macsInSession =
      inSession && packet.l2Count == 1 && packet.l2[0].hasSrc && packet.l2[0].hasDst;
  if (!macsInSession) {
    for (std::uint8_t i = 0; i < packet.l2Count; ++i) {
      const decoder::L2Segment& l2 = packet.l2[i];
      if (l2.hasSrc) post(IndexKey::mac(KeyKind::SrcMac, l2.src));
      if (l2.hasDst) post(IndexKey::mac(KeyKind::DstMac, l2.dst));
    }
  }
  for (std::uint8_t i = 0; i < packet.vlanCount; ++i)
    post(IndexKey::number(KeyKind::Vlan, packet.vlans[i], 2));
  const bool hasPorts = packet.transport.hasPorts();
  if (inSession) {
    const decoder::IpLayer& ip = packet.ip[0];
    const SessionTable::Hit hit = sessions.add(
        number, packet.timestampNs, packet.wireLength, ip.protocol, ip.src, ip.dst, hasPorts,
        packet.transport.srcPort, packet.transport.dstPort,
        macsInSession ? &packet.l2[0].src : nullptr, macsInSession ? &packet.l2[0].dst : nullptr);
    if (!hit.added) return;
    // A new session: its ends and protocol posted once, each key once.
    const IndexSession& s = sessions.sessions()[hit.number];
    const auto postSession = [&](const IndexKey& key, std::uint32_t value) {
      auto& list = postings[key];
      if (list.empty() || list.back() != value) list.push_back(value);
    };
    postSession(IndexKey::ip(KeyKind::SessionIp, s.a), hit.number);
    postSession(IndexKey::ip(KeyKind::SessionIp, s.b), hit.number);
    postSession(IndexKey::number(KeyKind::SessionProtocol, s.protocol, 1), hit.number);
    if (s.hasPorts) {
      postSession(IndexKey::number(KeyKind::SessionPort, s.aPort, 2), hit.number);
      postSession(IndexKey::number(KeyKind::SessionPort, s.bPort, 2), hit.number);
    }
    if (s.hasMacs) {
      postSession(IndexKey::mac(KeyKind::SessionMac, s.aMac), hit.number << 1);
      postSession(IndexKey::mac(KeyKind::SessionMac, s.bMac), hit.number << 1 | 1);
    }
    return;
  }
  for (std::uint8_t i = 0; i < packet.ipCount; ++i) {
    const decoder::IpLayer& ip = packet.ip[i];
    post(IndexKey::ip(KeyKind::SrcIp, ip.src));
    post(IndexKey::ip(KeyKind::DstIp, ip.dst));
    post(IndexKey::number(KeyKind::IpProtocol, ip.protocol, 1));
  }
  if (hasPorts) {
    post(IndexKey::number(KeyKind::SrcPort, packet.transport.srcPort, 2));
    post(IndexKey::number(KeyKind::DstPort, packet.transport.dstPort, 2));
  }
}

std::string SegmentIndex::encode() const {
  // The record-size stream and the block table that points into it.
  std::string stream;
  std::string blocks;
  for (std::size_t b = 0; b < blockTimes.size(); ++b) {
    const std::size_t first = b * kBlockPackets;
    const std::size_t end = std::min(offsets.size(), first + kBlockPackets);
    putFixed<std::uint64_t>(blocks, offsets[first]);
    putFixed<std::int64_t>(blocks, blockTimes[b].first);
    putFixed<std::int64_t>(blocks, blockTimes[b].last);
    putFixed<std::uint32_t>(blocks, static_cast<std::uint32_t>(stream.size()));
    for (std::size_t i = first + 1; i < end; ++i) putVarint(stream, offsets[i] - offsets[i - 1]);
  }
  // One section per key kind and length (sorted keys come that way): fences, then runs.
  struct Section {
    KeyKind kind;
    std::uint8_t length;
    std::uint32_t keys = 0;
    std::string fences;
    std::string runs;
  };
  std::vector<Section> sections;
  const IndexKey* previous = nullptr;
  for (const PostingTable::Entry* entry : postings.sorted()) {
    const IndexKey& key = entry->first;
    const std::vector<std::uint32_t>& list = entry->second;
    if (sections.empty() || sections.back().kind != key.kind ||
        sections.back().length != key.length) {
      sections.push_back(Section{key.kind, key.length});
      previous = nullptr;
    }
    Section& section = sections.back();
    if (section.keys % kKeysPerRun == 0) {
      section.fences.append(reinterpret_cast<const char*>(key.value.data()), key.length);
      putFixed<std::uint32_t>(section.fences, static_cast<std::uint32_t>(section.runs.size()));
    } else {
      putKey(section.runs, key, *previous);
    }
    putList(section.runs, list, postingUniverse(key.kind, offsets.size()));
    ++section.keys;
    previous = &key;
  }
  // The session table: a fence per kSessionsPerFence records, then the records.
  if (sessions.size() > 0) {
    Section table{static_cast<KeyKind>(kSessionTableKind), 0};
    table.keys = static_cast<std::uint32_t>(sessions.size());
    encodeSessionTable(sessions.sessions(), minTime, &table.fences, &table.runs);
    sections.push_back(std::move(table));
  }
  constexpr std::size_t kBlockEntry = 28;
  constexpr std::size_t kSectionEntry = 40;
  const std::uint64_t streamAt = blocks.size() + sections.size() * kSectionEntry;
  std::string body = blocks;
  std::uint64_t at = streamAt + stream.size();
  for (const Section& section : sections) {
    body.push_back(static_cast<char>(section.kind));
    body.push_back(static_cast<char>(section.length));
    putFixed<std::uint16_t>(body, 0);
    putFixed<std::uint32_t>(body, section.keys);
    // Runs, or the session table's fences.
    const std::uint32_t perRun =
        section.kind == static_cast<KeyKind>(kSessionTableKind) ? kSessionsPerFence : kKeysPerRun;
    putFixed<std::uint32_t>(body, (section.keys + perRun - 1) / perRun);
    putFixed<std::uint32_t>(body, 0);
    putFixed<std::uint64_t>(body, at);
    putFixed<std::uint64_t>(body, at + section.fences.size());
    at += section.fences.size() + section.runs.size();
    putFixed<std::uint64_t>(body, at);
  }
  static_assert(kBlockEntry == 8 + 8 + 8 + 4);
  body += stream;
  for (const Section& section : sections) body += section.fences + section.runs;

  std::string pageTable;
  const std::size_t pages = (body.size() + kPageSize - 1) / kPageSize;
  for (std::size_t p = 0; p < pages; ++p)
    putFixed<std::uint64_t>(pageTable, checksum(body.data() + p * kPageSize,
                                                std::min(kPageSize, body.size() - p * kPageSize)));
  // The page table's own checksums, per kChunkPages entries: opening checks only these.
  std::string chunkTable;
  for (std::size_t at = 0; at < pageTable.size(); at += 8 * kChunkPages)
    putFixed<std::uint64_t>(chunkTable, checksum(pageTable.data() + at,
                                                 std::min(8 * kChunkPages, pageTable.size() - at)));
  std::string out(detail::kIndexMagic, sizeof detail::kIndexMagic);
  putFixed<std::uint32_t>(out, detail::kIndexVersion);
  putFixed<std::uint32_t>(out, linkType);
  putFixed<std::uint64_t>(out, dataEnd);
  putFixed<std::uint32_t>(out, static_cast<std::uint32_t>(offsets.size()));
  putFixed<std::uint32_t>(out, static_cast<std::uint32_t>(blockTimes.size()));
  putFixed<std::int64_t>(out, minTime);
  putFixed<std::int64_t>(out, maxTime);
  putFixed<std::uint32_t>(out, static_cast<std::uint32_t>(sections.size()));
  putFixed<std::uint32_t>(out, static_cast<std::uint32_t>(pages));
  putFixed<std::uint64_t>(out, body.size());
  putFixed<std::uint64_t>(out, streamAt);
  putFixed<std::uint64_t>(out, streamAt + stream.size());
  putFixed<std::uint64_t>(out, checksum(chunkTable.data(), chunkTable.size()));
  putFixed<std::uint64_t>(out, checksum(out.data(), out.size()));
  return out + chunkTable + pageTable + body;
}

protocol::Result<SegmentIndex> SegmentIndex::decode(const std::string& bytes) {
  auto reader = SegmentIndexReader::fromBytes(bytes);
  if (!reader) return protocol::Result<SegmentIndex>::failure(reader.error());
  return (*reader)->readAll();
}

protocol::Status SegmentIndex::save(const std::string& path) const {
  return transport::writePrivateFile(path, encode());
}

protocol::Result<SegmentIndex> SegmentIndex::load(const std::string& path) {
  auto reader = SegmentIndexReader::open(path);
  if (!reader) return protocol::Result<SegmentIndex>::failure(reader.error());
  return (*reader)->readAll();
}

void SegmentIndex::addSource(std::uint16_t source) {
  if (source == 0 || offsets.empty()) return;
  postings[IndexKey::number(KeyKind::Source, source, 2)].push_back(
      static_cast<std::uint32_t>(offsets.size() - 1));
}

std::vector<std::uint32_t> SegmentIndex::packetsWith(const IndexKey& key) const {
  std::vector<std::uint32_t> out;
  if (const auto* list = postings.find(key)) out = *list;
  const KeyKind kind = sessionKindOf(key.kind);
  if (kind == key.kind) return out;
  IndexKey sessionKey = key;
  sessionKey.kind = kind;
  const auto* numbers = postings.find(sessionKey);
  if (!numbers) return out;
  const std::size_t perPacket = out.size();
  for (const std::uint32_t value : *numbers) {
    const std::uint32_t n = IndexSession::sessionPosted(kind, value);
    if (n >= sessions.size()) break;  // only a damaged index read back names more
    sessions.sessions()[n].appendPacketsPosted(key, value, &out);
  }
  mergeAppended(&out, perPacket);
  return out;
}

}  // namespace netlens::node::store
