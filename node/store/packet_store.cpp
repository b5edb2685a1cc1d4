// SPDX-License-Identifier: MIT
#include "node/store/packet_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <span>
#include <system_error>

#include "node/capture/bpf_filter.h"
#include "node/store/batch_reader.h"
#include "node/store/connection_match.h"
#include "node/store/payload_match.h"
#include "node/store/segment_file.h"
#include "node/store/segment_index_reader.h"
#include "node/store/segment_sources.h"
#include "node/store/session_scan_cache.h"
#include "shared/decoder/packet_decoder.h"
#include "shared/transport/keys.h"

namespace netlens::node::store {

namespace fs = std::filesystem;
using protocol::Result;
using protocol::Status;

namespace {

/// The open segment's index in memory, read like an index file (SegmentIndexReader).
class MemoryIndexView {
 public:
  explicit MemoryIndexView(const SegmentIndex& index) : m_index(index) {}
  bool find(const IndexKey& key, std::vector<std::uint32_t>* out) const {
    *out = m_index.packetsWith(key);
    return true;
  }
  bool blockTime(std::uint32_t block, TimeRange* out) const {
    *out = m_index.blockTimes.at(block);
    return true;
  }
  bool timeRange(TimeRange* out) const {
    *out = {m_index.minTime, m_index.maxTime};
    return m_index.packetCount() > 0;
  }
  bool offsetOf(std::uint32_t number, std::uint64_t* out, std::uint64_t* end = nullptr) const {
    *out = m_index.offsets.at(number);
    // The open segment's last record ends where the writer is: unknown here (0).
    if (end) *end = number + 1 < m_index.offsets.size() ? m_index.offsets[number + 1] : 0;
    return true;
  }
  bool blockOffsets(std::uint32_t block, std::vector<std::uint64_t>* out) const {
    const std::size_t first = std::size_t{block} * SegmentIndex::kBlockPackets;
    const std::size_t end = std::min(m_index.offsets.size(), first + SegmentIndex::kBlockPackets);
    out->assign(m_index.offsets.begin() + first, m_index.offsets.begin() + end);
    return true;
  }

 private:
  const SegmentIndex& m_index;
};

/// Indexes a segment from its packets; a record cut short at the end is cut off the file.
Result<SegmentIndex> reindex(const std::string& path) {
  using R = Result<SegmentIndex>;
  SegmentIndex index;
  std::uint64_t end = pcap::kFileHeaderSize;
  {
    SegmentReader reader(path);
    if (!reader.isOpen()) return R::failure("cannot read " + path + ": " + std::strerror(errno));
    if (!reader.header(&index.linkType))
      return R::failure(path + " has no complete pcap header of a Netlens store");
    SegmentRecord packet;
    decoder::DecodedPacket decoded;
    while (reader.record(end, &packet)) {
      decoder::PacketDecoder::decode(static_cast<int>(index.linkType), packet.data,
                                     packet.capturedLength, packet.wireLength, packet.timestampNs,
                                     decoded);
      index.add(end, decoded);
      end += pcap::kRecordHeaderSize + packet.capturedLength;
    }
  }
  std::error_code ec;
  if (fs::file_size(path, ec) != end && !ec) fs::resize_file(path, end, ec);
  if (ec) return R::failure("cannot cut the torn end off " + path + ": " + ec.message());
  index.dataEnd = end;
  return index;
}

/// Up to this many keys, anyOf() merges each key's packets into the result.
constexpr std::size_t kMergedKeys = 8;

/// Packet numbers of `index` having any of `keys`, ascending; false when the index is damaged.
template <typename Index>
bool anyOf(Index& index, const std::vector<IndexKey>& keys, std::vector<std::uint32_t>* out) {
  out->clear();
  std::vector<std::uint32_t> list;
  std::vector<std::uint32_t> merged;
  if (keys.size() > kMergedKeys) {
    // Many keys (a search's connections): one sort instead of a merge per key.
    for (const IndexKey& key : keys) {
      if (!index.find(key, &list)) return false;
      out->insert(out->end(), list.begin(), list.end());
    }
    std::sort(out->begin(), out->end());
    out->erase(std::unique(out->begin(), out->end()), out->end());
    return true;
  }
  for (const IndexKey& key : keys) {
    if (!index.find(key, &list)) return false;
    if (list.empty()) continue;
    merged.clear();
    merged.reserve(out->size() + list.size());
    std::set_union(out->begin(), out->end(), list.begin(), list.end(), std::back_inserter(merged));
    out->swap(merged);
  }
  return true;
}

/// The file offsets of the records a search must read in one segment, ascending: the packets
/// the indexed criteria allow (every packet without one) in blocks whose time range meets
/// [from, to]. Everything is read from the index before any packet, so damage found here
/// leaves nothing half reported. With `ends`, also where each of those records ends (0: not
/// known; a full scan reads neighbours together anyway). Without `withOffsets`, only their
/// packet numbers, and in `offsets` the last one's offset alone (where a page answered from
/// the index ends). False when the index is damaged.
template <typename Index>
bool plan(Index& index, std::uint32_t packets, const SearchCriteria& c,
          const PacketStore::KeyClauses& clauses, std::int64_t from, std::int64_t to,
          std::vector<std::uint64_t>* offsets, std::vector<std::uint32_t>* numbers,
          std::vector<std::uint64_t>* ends, bool withOffsets) {
  offsets->clear();
  numbers->clear();
  ends->clear();
  const std::uint32_t blocks =
      (packets + SegmentIndex::kBlockPackets - 1) / SegmentIndex::kBlockPackets;
  std::vector<std::uint64_t> blockOffsets;
  TimeRange t;
  if (!c.usesIndex()) {
    for (std::uint32_t b = 0; b < blocks; ++b) {
      if (!index.blockTime(b, &t)) return false;
      if (t.last < from || t.first > to) continue;
      if (!index.blockOffsets(b, &blockOffsets)) return false;
      offsets->insert(offsets->end(), blockOffsets.begin(), blockOffsets.end());
      for (std::size_t i = 0; i < blockOffsets.size(); ++i)
        numbers->push_back(b * SegmentIndex::kBlockPackets + static_cast<std::uint32_t>(i));
    }
    ends->assign(offsets->size(), 0);
    return true;
  }
  std::vector<std::uint32_t> result;
  std::vector<std::uint32_t> these;
  std::vector<std::uint32_t> both;
  bool first = true;
  for (const auto& keys : clauses) {
    if (!anyOf(index, keys, &these)) return false;
    if (first) {
      result.swap(these);
      first = false;
    } else {
      both.clear();
      std::set_intersection(result.begin(), result.end(), these.begin(), these.end(),
                            std::back_inserter(both));
      result.swap(both);
    }
    if (result.empty()) return true;
  }
  std::uint32_t loaded = UINT32_MAX;
  bool overlaps = false;
  // A range that holds the whole segment needs no block's times.
  TimeRange all;
  const bool whole = index.timeRange(&all) && all.first >= from && all.last <= to;
  for (std::uint32_t n : result) {
    const std::uint32_t b = n / SegmentIndex::kBlockPackets;
    if (whole) {
      overlaps = true;
    } else if (b != loaded) {
      loaded = b;
      if (!index.blockTime(b, &t)) return false;
      overlaps = t.last >= from && t.first <= to;
    }
    std::uint64_t offset = 0;
    std::uint64_t end = 0;
    if (!overlaps) continue;
    if (!withOffsets) {
      numbers->push_back(n);
      continue;
    }
    if (!index.offsetOf(n, &offset, &end)) return false;
    offsets->push_back(offset);
    numbers->push_back(n);
    ends->push_back(end);
  }
  if (!withOffsets && !numbers->empty()) {
    std::uint64_t last = 0;
    if (!index.offsetOf(numbers->back(), &last)) return false;
    offsets->push_back(last);
  }
  return true;
}

}  // namespace

PacketStore::PacketStore(StoreOptions options)
    : m_options(std::move(options)),
      m_sessionScanCache(std::make_unique<SessionScanCache>()),
      m_reader(std::make_unique<BatchReader>(m_options.batchReads)) {}

PacketStore::~PacketStore() {
  closeSegment();
}

Result<std::unique_ptr<PacketStore>> PacketStore::open(const StoreOptions& options) {
  using R = Result<std::unique_ptr<PacketStore>>;
  if (options.folder.empty()) return R::failure("the store needs a folder (--store DIR)");
  if (options.segmentBytes < 4096)
    return R::failure("the segment size (" + std::to_string(options.segmentBytes) +
                      " bytes) must be at least 4096 bytes (--segment-size 4K or more)");
  if (options.maxBytes < options.segmentBytes)
    return R::failure("the store size (" + std::to_string(options.maxBytes) +
                      " bytes) must be at least one segment (" +
                      std::to_string(options.segmentBytes) + " bytes)");
  if (!options.filter.empty()) {
    // Checked once for Ethernet so that a typo is refused at start, not at the first packet.
    std::string error;
    if (!capture::BpfFilter::compile(options.filter, 1, &error))
      return R::failure("store filter: " + error + " (--store-filter takes a BPF expression)");
  }
  if (auto st = transport::ensurePrivateFolder(options.folder); !st)
    return R::failure("cannot use store folder " + options.folder + ": " + st.error());
  auto store = std::unique_ptr<PacketStore>(new PacketStore(options));
  if (auto st = store->scan(); !st) return R::failure(st.error());
  store->enforceSize();
  return store;
}

std::string PacketStore::pathOf(std::uint64_t number, const char* extension) const {
  char name[32];
  std::snprintf(name, sizeof name, "%010llu.%s", static_cast<unsigned long long>(number),
                extension);
  return (fs::path(m_options.folder) / name).string();
}

Status PacketStore::scan() {
  std::map<std::uint64_t, fs::path> pcaps;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(m_options.folder, ec)) {
    const fs::path& p = entry.path();
    if (p.extension() != ".pcap" || p.stem().string().size() != 10) continue;
    const std::string stem = p.stem().string();
    if (!std::all_of(stem.begin(), stem.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    pcaps[std::stoull(stem)] = p;
  }
  if (ec)
    return Status::failure("cannot list store folder " + m_options.folder + ": " + ec.message());
  for (const auto& [number, path] : pcaps) {
    Segment s;
    s.number = number;
    s.pcapPath = path.string();
    s.indexPath = pathOf(number, "idx");
    m_nextNumber = std::max(m_nextNumber, number + 1);
    auto header = SegmentIndexReader::readHeader(s.indexPath);
    const std::uint64_t size = fs::file_size(path, ec);
    if (header && !ec && header->dataEnd == size) {
      s.header = *header;
      s.bytes = header->dataEnd;
    } else if (auto st = rebuildIndex(s); !st) {
      // Not even its packets are readable.
      std::fprintf(stderr, "netlens-node: store: dropping segment %s: %s\n", s.pcapPath.c_str(),
                   st.error().c_str());
      fs::remove(s.pcapPath, ec);
      fs::remove(s.indexPath, ec);
      fs::remove(SegmentSources::pathFor(s.pcapPath), ec);
      continue;
    }
    m_segments.push_back(std::move(s));
  }
  return {};
}

Status PacketStore::rebuildIndex(Segment& segment) {
  // Not closed properly, damaged or of an older format: index again (and cut a torn last
  // record off).
  segment.index.reset();
  auto index = reindex(segment.pcapPath);
  if (!index) return Status::failure(index.error());
  if (auto st = index->save(segment.indexPath); !st) return st;
  auto header = SegmentIndexReader::readHeader(segment.indexPath);
  if (!header) return Status::failure(segment.indexPath + ": " + header.error());
  segment.header = *header;
  segment.bytes = header->dataEnd;
  // Which packet came from which source was in the lost index: with several sources, the
  // segment's packets are now from one source named after all of them ("eth0+eth1").
  const std::string sourcesPath = SegmentSources::pathFor(segment.pcapPath);
  segment.sources = SegmentSources::load(sourcesPath);
  segment.sourcesLoaded = true;
  if (segment.sources.size() > 1) {
    std::string joined;
    for (const auto& name : segment.sources) joined += (joined.empty() ? "" : "+") + name;
    segment.sources = {SegmentSources::cleanName(joined)};
    if (auto st = SegmentSources::save(sourcesPath, segment.sources); !st) return st;
  }
  return {};
}

Status PacketStore::startSegment(std::uint32_t linkType, std::int64_t firstTime) {
  m_current = Segment{};
  m_current.number = m_nextNumber++;
  m_current.pcapPath = pathOf(m_current.number, "pcap");
  m_current.indexPath = pathOf(m_current.number, "idx");
  // Created 0600 before the writer opens (and truncates) it, so it is never readable by others.
  const int fd = ::open(m_current.pcapPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0)
    return Status::failure("cannot create " + m_current.pcapPath + ": " + std::strerror(errno));
  ::close(fd);
  std::string error;
  if (!m_writer.open(m_current.pcapPath, linkType, pcap::kDefaultSnapLength, &error))
    return Status::failure(error);
  m_openIndex = SegmentIndex{};
  m_openIndex.linkType = linkType;
  m_openIndex.postings.reserve(m_lastSegmentKeys);
  m_openFirstTime = firstTime;
  m_current.sourcesLoaded = true;
  m_openSource = -1;
  m_open = true;
  return {};
}

void PacketStore::setSource(std::string_view name) {
  std::string clean = SegmentSources::cleanName(name);
  if (clean == m_sourceName) return;
  m_sourceName = std::move(clean);
  m_openSource = -1;
}

Status PacketStore::openSourceNumber(std::uint16_t* number) {
  if (m_openSource < 0) {
    auto& names = m_current.sources;
    const auto it = std::find(names.begin(), names.end(), m_sourceName);
    if (it != names.end()) {
      m_openSource = static_cast<int>(it - names.begin());
    } else if (names.size() >= SegmentSources::kMaxSources) {
      m_openSource = 0;  // beyond what a key holds: counted under the first
    } else {
      names.push_back(m_sourceName);
      if (auto st = SegmentSources::save(SegmentSources::pathFor(m_current.pcapPath), names); !st)
        return st;
      m_openSource = static_cast<int>(names.size() - 1);
    }
  }
  *number = static_cast<std::uint16_t>(m_openSource);
  return {};
}

Status PacketStore::sourcesOf(Segment& seg, bool isOpen, const std::vector<std::uint32_t>& numbers,
                              std::vector<std::uint16_t>* sources) {
  sources->clear();
  if (!seg.sourcesLoaded) {
    seg.sources = SegmentSources::load(SegmentSources::pathFor(seg.pcapPath));
    seg.sourcesLoaded = true;
  }
  if (seg.sources.size() <= 1 || numbers.empty()) return {};
  if (isOpen) {
    MemoryIndexView view(m_openIndex);
    SegmentSources::numbersOf(view, seg.sources.size(), numbers, sources);
    return {};
  }
  std::string error;
  SegmentIndexReader* reader = indexOf(seg, &error);
  const bool read =
      reader && SegmentSources::numbersOf(*reader, seg.sources.size(), numbers, sources);
  releaseIndex(seg);
  if (!read)
    return Status::failure(seg.indexPath + ": cannot read the packets' sources: " +
                           (reader ? std::string("damaged index") : error));
  return {};
}

SegmentIndexReader* PacketStore::indexOf(Segment& seg, std::string* error) {
  struct stat st {};
  const bool known = ::stat(seg.indexPath.c_str(), &st) == 0;
  if (seg.index && known && static_cast<std::uint64_t>(st.st_ino) == seg.indexInode &&
      static_cast<std::uint64_t>(st.st_size) == seg.indexSize)
    return seg.index.get();
  seg.index.reset();
  auto reader = SegmentIndexReader::open(seg.indexPath);
  if (!reader) {
    *error = reader.error();
    return nullptr;
  }
  seg.index = std::move(*reader);
  seg.indexInode = known ? static_cast<std::uint64_t>(st.st_ino) : 0;
  seg.indexSize = known ? static_cast<std::uint64_t>(st.st_size) : 0;
  if (m_options.keepIndexesOpen) {
    m_mappedOrder.push_back(seg.number);
    while (m_mappedOrder.size() > kMaxMappedIndexes) {
      const std::uint64_t oldest = m_mappedOrder.front();
      m_mappedOrder.pop_front();
      if (oldest == seg.number) continue;  // mapped twice (its file changed): keep the new one
      const auto it = std::lower_bound(
          m_segments.begin(), m_segments.end(), oldest,
          [](const Segment& s, std::uint64_t number) { return s.number < number; });
      if (it != m_segments.end() && it->number == oldest) it->index.reset();
    }
  }
  return seg.index.get();
}

void PacketStore::releaseIndex(Segment& seg) {
  if (!m_options.keepIndexesOpen) seg.index.reset();
}

Status PacketStore::append(std::int64_t timestampNs, const std::uint8_t* data,
                           std::uint32_t capturedLength, std::uint32_t wireLength,
                           std::uint32_t linkType) {
  if (!m_options.filter.empty()) {
    auto [it, isNew] = m_filters.try_emplace(linkType);
    if (isNew) {
      std::string error;
      it->second =
          capture::BpfFilter::compile(m_options.filter, static_cast<int>(linkType), &error);
      if (!it->second)
        return Status::failure("store filter for link type " + std::to_string(linkType) + ": " +
                               error);
    }
    if (!it->second->matches(data, capturedLength, wireLength)) {
      ++m_filteredOut;
      return {};
    }
  }
  if (m_open &&
      (linkType != m_openIndex.linkType || m_writer.bytesWritten() >= m_options.segmentBytes ||
       timestampNs - m_openFirstTime >= m_options.segmentNs)) {
    if (auto st = closeSegment(); !st) return st;
  }
  if (!m_open) {
    if (auto st = startSegment(linkType, timestampNs); !st) return st;
  }
  std::uint16_t source = 0;
  if (auto st = openSourceNumber(&source); !st) return st;
  // Indexed as stored (as indexing the segment again would): a frame longer than the
  // snapshot length is cut.
  const std::uint32_t stored = std::min<std::uint32_t>(capturedLength, pcap::kDefaultSnapLength);
  decoder::PacketDecoder::decode(static_cast<int>(linkType), data, stored, wireLength, timestampNs,
                                 m_decoded);
  const std::uint64_t offset = m_writer.bytesWritten();
  std::string error;
  if (!m_writer.writePacket(timestampNs, {data, stored}, wireLength, &error))
    return Status::failure(error);
  m_openIndex.add(offset, m_decoded);
  m_openIndex.addSource(source);
  return {};
}

Status PacketStore::flush() {
  std::string error;
  if (m_open && !m_writer.flush(&error)) return Status::failure(error);
  return {};
}

Status PacketStore::closeSegment() {
  if (!m_open) return {};
  m_open = false;
  std::string error;
  if (!m_writer.close(&error)) return Status::failure(error);
  m_openIndex.dataEnd = m_writer.bytesWritten();
  m_lastSegmentKeys = m_openIndex.postings.size();
  if (auto st = m_openIndex.save(m_current.indexPath); !st) return st;
  m_current.bytes = m_openIndex.dataEnd;
  auto header = SegmentIndexReader::readHeader(m_current.indexPath);
  if (!header) return Status::failure(m_current.indexPath + ": " + header.error());
  m_current.header = *header;
  m_openIndex = SegmentIndex{};
  m_segments.push_back(std::move(m_current));
  enforceSize();
  return {};
}

void PacketStore::enforceSize() {
  std::uint64_t total = m_open ? m_writer.bytesWritten() : 0;
  for (const auto& s : m_segments) total += s.bytes;
  std::error_code ec;
  while (total > m_options.maxBytes && !m_segments.empty()) {
    total -= m_segments.front().bytes;
    fs::remove(m_segments.front().indexPath, ec);
    fs::remove(m_segments.front().pcapPath, ec);
    fs::remove(SegmentSources::pathFor(m_segments.front().pcapPath), ec);
    m_segments.erase(m_segments.begin());
  }
}

Status PacketStore::search(const SearchCriteria& criteria,
                           const std::function<bool(const StoredPacket&)>& onPacket,
                           SearchStats* stats, const IndexedSink* onIndexed) {
  if (criteria.selectsSessions()) return searchSessions(criteria, onPacket, stats);
  SearchStats local;
  SearchStats& s = stats ? *stats : local;
  if (m_open) {
    if (auto st = flush(); !st) return st;
  }
  const std::int64_t from = criteria.from.value_or(INT64_MIN);
  const std::int64_t to = criteria.to.value_or(INT64_MAX);
  std::map<std::uint32_t, std::unique_ptr<capture::BpfFilter>> filters;
  std::unique_ptr<capture::BpfFilter> code;
  if (!criteria.bpfCode.empty()) {
    std::string error;
    code = capture::BpfFilter::fromBytecode(criteria.bpfCode, &error);
    if (!code) return Status::failure(error);
  }
  std::unique_ptr<PayloadMatcher> payload;
  if (criteria.hasPayload()) {
    std::string error;
    payload =
        PayloadMatcher::make(criteria.payload, criteria.payloadHex, criteria.payloadRegex, &error);
    if (!payload) return Status::failure(error);
  }
  std::unique_ptr<ConnectionMatcher> connections;
  if (!criteria.connections.empty())
    connections = std::make_unique<ConnectionMatcher>(criteria.connections);
  decoder::DecodedPacket decoded;
  std::vector<std::uint64_t> offsets;
  std::vector<std::uint64_t> ends;
  std::vector<std::uint32_t> numbers;
  std::vector<std::uint16_t> sources;
  // Segments the index answers alone (see onIndexed): criteria the session table covers.
  const bool indexAnswers = onIndexed != nullptr && criteria.bpf.empty() &&
                            criteria.bpfCode.empty() && !criteria.hasPayload() &&
                            criteria.connections.empty() &&
                            (!criteria.hosts.empty() || !criteria.ports.empty() ||
                             !criteria.macs.empty() || !criteria.protocols.empty());
  IndexedAnswer answer;
  IndexSessions sessions;
  const KeyClauses clauses = keyClauses(criteria);
  // The deadline is looked at before each batch of candidates is read (and between
  // segments), never before one candidate was read or a segment answered: each page makes
  // progress.
  std::uint64_t progress = 0;  // candidates read and segments answered
  const auto outOfTime = [&] {
    return criteria.deadline && progress > 0 &&
           std::chrono::steady_clock::now() >= *criteria.deadline;
  };
  const std::size_t count = m_segments.size() + (m_open ? 1 : 0);
  for (std::size_t i = 0; i < count; ++i) {
    if (outOfTime()) {
      s.outOfTime = true;
      return {};
    }
    const bool isOpen = i == m_segments.size();
    Segment& seg = isOpen ? m_current : m_segments[i];
    ++s.segments;
    std::uint32_t linkType = 0;
    bool skipped = false;
    // A closed segment of format 5 inside the time range, not where a page resumes, may be
    // answered from its index: its candidates' numbers first, their offsets only if not.
    const bool tryIndex = indexAnswers && !isOpen &&
                          seg.header.version >= kSessionCountersVersion &&
                          seg.header.minTime >= from && seg.header.maxTime <= to &&
                          !(criteria.after && criteria.after->segment == seg.number);
    if (auto st = planSegment(seg, isOpen, criteria, clauses, &offsets, &linkType, &skipped,
                              &numbers, &ends, tryIndex ? &sessions : nullptr);
        !st)
      return st;
    if (skipped) {
      ++s.segmentsSkipped;
      continue;
    }
    if (numbers.empty()) continue;
    if (tryIndex) {
      if (auto st = sourcesOf(seg, isOpen, numbers, &sources); !st) return st;
      if (answerFromIndex(seg, numbers, offsets.back(), sessions, sources, &answer) &&
          (*onIndexed)(answer)) {
        s.matched += answer.packets;
        s.reached = answer.last;
        ++progress;
        continue;
      }
      // Read instead.
      if (auto st = planSegment(seg, isOpen, criteria, clauses, &offsets, &linkType, &skipped,
                                &numbers, &ends);
          !st)
        return st;
      if (offsets.empty()) continue;
    }
    capture::BpfFilter* bpf = nullptr;
    if (!criteria.bpf.empty()) {
      auto& f = filters[linkType];
      if (!f) {
        std::string error;
        f = capture::BpfFilter::compile(criteria.bpf, static_cast<int>(linkType), &error);
        if (!f) return Status::failure(error);
      }
      bpf = f.get();
    }
    if (auto st = sourcesOf(seg, isOpen, numbers, &sources); !st) return st;
    SegmentFile file(seg.pcapPath, isOpen ? m_writer.bytesWritten() : seg.bytes);
    if (!file.isOpen()) continue;  // deleted by the ring meanwhile
    StoredPacket packet;
    packet.linkType = linkType;
    packet.segment = seg.number;
    if (!seg.sources.empty()) packet.source = seg.sources.front();
    for (std::size_t i = 0; i < offsets.size(); ++i) {
      const std::uint64_t offset = offsets[i];
      if (i % BatchReader::kRingEntries == 0) {
        if (outOfTime()) {  // before the next batch is read
          s.outOfTime = true;
          return {};
        }
        const std::size_t n = std::min<std::size_t>(BatchReader::kRingEntries, offsets.size() - i);
        file.readAhead(*m_reader, std::span(offsets).subspan(i, n), std::span(ends).subspan(i, n));
      }
      if (!sources.empty()) packet.source = seg.sources[sources[i]];
      ++s.candidates;
      ++progress;
      s.reached = {seg.number, offset};
      SegmentRecord record;
      if (!file.record(offset, &record, ends[i])) break;
      packet.timestampNs = record.timestampNs;
      packet.capturedLength = record.capturedLength;
      packet.wireLength = record.wireLength;
      packet.data = record.data;
      packet.offset = offset;
      if (packet.timestampNs < from || packet.timestampNs > to) continue;
      if (bpf && !bpf->matches(packet.data, packet.capturedLength, packet.wireLength)) continue;
      if (code && !code->matches(packet.data, packet.capturedLength, packet.wireLength)) continue;
      if (payload || connections) {
        decoder::PacketDecoder::decode(static_cast<int>(packet.linkType), packet.data,
                                       packet.capturedLength, packet.wireLength, packet.timestampNs,
                                       decoded);
        if (connections && !connections->matches(decoded)) continue;
        if (payload &&
            !payload->matches(decoded.transport.payload, decoded.transport.payloadLength))
          continue;
      }
      ++s.matched;
      if (!onPacket(packet)) return {};
    }
  }
  return {};
}

Status PacketStore::planSegment(Segment& seg, bool isOpen, const SearchCriteria& criteria,
                                const KeyClauses& clauses, std::vector<std::uint64_t>* offsets,
                                std::uint32_t* linkType, bool* skipped,
                                std::vector<std::uint32_t>* numbers,
                                std::vector<std::uint64_t>* ends, IndexSessions* sessions) {
  std::vector<std::uint32_t> unused;
  if (numbers == nullptr) numbers = &unused;
  std::vector<std::uint64_t> unusedEnds;
  if (ends == nullptr) ends = &unusedEnds;
  offsets->clear();
  numbers->clear();
  ends->clear();
  *skipped = false;
  const std::int64_t from = criteria.from.value_or(INT64_MIN);
  const std::int64_t to = criteria.to.value_or(INT64_MAX);
  IndexHeader header = seg.header;
  if (isOpen) {
    header.linkType = m_openIndex.linkType;
    header.packetCount = static_cast<std::uint32_t>(m_openIndex.packetCount());
    header.minTime = m_openIndex.minTime;
    header.maxTime = m_openIndex.maxTime;
  }
  *linkType = header.linkType;
  if (header.packetCount == 0 || header.maxTime < from || header.minTime > to ||
      (criteria.after && seg.number < criteria.after->segment)) {
    *skipped = true;
    return {};
  }
  const bool withOffsets = sessions == nullptr;
  if (isOpen) {
    MemoryIndexView view(m_openIndex);
    plan(view, header.packetCount, criteria, clauses, from, to, offsets, numbers, ends,
         withOffsets);
  } else {
    // The plan from a closed segment's index, with the sessions its lookups read.
    const auto planFrom = [&](SegmentIndexReader& reader, std::uint32_t packets) {
      if (sessions) {
        sessions->clear();
        reader.collectSessions(sessions);
      }
      const bool planned =
          plan(reader, packets, criteria, clauses, from, to, offsets, numbers, ends, withOffsets);
      reader.collectSessions(nullptr);
      return planned;
    };
    std::string error;
    SegmentIndexReader* reader = indexOf(seg, &error);
    if (!reader || !planFrom(*reader, header.packetCount)) {
      seg.index.reset();
      if (!std::filesystem::exists(seg.pcapPath)) {  // deleted meanwhile
        offsets->clear();
        numbers->clear();
        ends->clear();
        return {};
      }
      std::fprintf(stderr, "netlens-node: store: indexing %s again: %s\n", seg.pcapPath.c_str(),
                   reader ? "damaged index" : error.c_str());
      if (auto st = rebuildIndex(seg); !st) return st;
      reader = indexOf(seg, &error);
      if (!reader) return Status::failure(seg.indexPath + ": " + error);
      if (!planFrom(*reader, seg.header.packetCount))
        return Status::failure(seg.indexPath + ": index damaged again");
    }
    releaseIndex(seg);
  }
  if (criteria.after && seg.number == criteria.after->segment) {
    // Offsets are in file order: drop those up to the resume position.
    const auto first = std::upper_bound(offsets->begin(), offsets->end(), criteria.after->offset);
    numbers->erase(numbers->begin(), numbers->begin() + (first - offsets->begin()));
    ends->erase(ends->begin(), ends->begin() + (first - offsets->begin()));
    offsets->erase(offsets->begin(), first);
  }
  return {};
}

protocol::Result<std::uint64_t> PacketStore::countCandidates(const SearchCriteria& criteria) {
  std::vector<std::uint64_t> offsets;
  std::uint64_t total = 0;
  const KeyClauses clauses = keyClauses(criteria);
  const std::size_t count = m_segments.size() + (m_open ? 1 : 0);
  for (std::size_t i = 0; i < count; ++i) {
    const bool isOpen = i == m_segments.size();
    std::uint32_t linkType = 0;
    bool skipped = false;
    if (auto st = planSegment(isOpen ? m_current : m_segments[i], isOpen, criteria, clauses,
                              &offsets, &linkType, &skipped);
        !st)
      return protocol::Result<std::uint64_t>::failure(st.error());
    total += offsets.size();
  }
  return total;
}

Retention PacketStore::retention() const {
  Retention r;
  r.maxBytes = m_options.maxBytes;
  const auto add = [&r](std::uint64_t packets, std::int64_t minTime, std::int64_t maxTime,
                        std::uint64_t bytes) {
    r.bytes += bytes;
    ++r.segments;
    if (packets == 0) return;
    r.packets += packets;
    r.oldestPacket = r.oldestPacket == 0 ? minTime : std::min(r.oldestPacket, minTime);
    r.newestPacket = std::max(r.newestPacket, maxTime);
  };
  for (const auto& s : m_segments)
    add(s.header.packetCount, s.header.minTime, s.header.maxTime, s.bytes);
  if (m_open)
    add(m_openIndex.packetCount(), m_openIndex.minTime, m_openIndex.maxTime,
        m_writer.bytesWritten());
  return r;
}

}  // namespace netlens::node::store
