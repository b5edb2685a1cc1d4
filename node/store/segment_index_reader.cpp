// SPDX-License-Identifier: MIT
#include "node/store/segment_index_reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>

#include "node/store/index_codec.h"

namespace netlens::node::store {

using detail::BitReader;
using detail::ByteReader;
using detail::checksum;
using detail::getFixed;
using detail::ListCoding;
using protocol::Result;
using protocol::Status;

namespace {

constexpr std::size_t kBlockEntry = 28;
constexpr std::size_t kSectionEntry = 40;
constexpr std::size_t kHeaderSize = SegmentIndex::kHeaderSize;
constexpr std::size_t kPageSize = SegmentIndex::kPageSize;

std::uint64_t chunksOf(std::uint64_t pages) {
  return (pages + SegmentIndex::kChunkPages - 1) / SegmentIndex::kChunkPages;
}

/// Reads and checks a header; `fileSize` is the size of the whole index file.
Result<IndexHeader> parseHeader(const std::uint8_t* p, std::uint64_t fileSize) {
  using R = Result<IndexHeader>;
  if (fileSize < kHeaderSize ||
      std::memcmp(p, detail::kIndexMagic, sizeof detail::kIndexMagic) != 0)
    return R::failure("not a Netlens segment index");
  const auto version = getFixed<std::uint32_t>(p + 8);
  if (version < detail::kOldestIndexVersion || version > detail::kIndexVersion)
    return R::failure("index format version " + std::to_string(version) + " is not supported");
  if (getFixed<std::uint64_t>(p + 88) != checksum(p, 88))
    return R::failure("index checksum mismatch");
  IndexHeader h;
  h.version = version;
  h.linkType = getFixed<std::uint32_t>(p + 12);
  h.dataEnd = getFixed<std::uint64_t>(p + 16);
  h.packetCount = getFixed<std::uint32_t>(p + 24);
  h.blockCount = getFixed<std::uint32_t>(p + 28);
  h.minTime = getFixed<std::int64_t>(p + 32);
  h.maxTime = getFixed<std::int64_t>(p + 40);
  h.sectionCount = getFixed<std::uint32_t>(p + 48);
  h.pageCount = getFixed<std::uint32_t>(p + 52);
  h.bodySize = getFixed<std::uint64_t>(p + 56);
  h.streamAt = getFixed<std::uint64_t>(p + 64);
  h.streamEnd = getFixed<std::uint64_t>(p + 72);
  h.chunkTableChecksum = getFixed<std::uint64_t>(p + 80);
  const std::uint64_t blocks = (std::uint64_t{h.packetCount} + SegmentIndex::kBlockPackets - 1) /
                               SegmentIndex::kBlockPackets;
  if (h.bodySize > fileSize || h.pageCount != (h.bodySize + kPageSize - 1) / kPageSize ||
      fileSize != kHeaderSize + 8 * chunksOf(h.pageCount) + 8ull * h.pageCount + h.bodySize ||
      h.blockCount != blocks ||
      h.streamAt != h.blockCount * kBlockEntry + std::uint64_t{h.sectionCount} * kSectionEntry ||
      h.streamAt > h.streamEnd || h.streamEnd > h.bodySize)
    return R::failure("index layout is damaged");
  return h;
}

}  // namespace

Result<IndexHeader> SegmentIndexReader::readHeader(const std::string& path) {
  using R = Result<IndexHeader>;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return R::failure("cannot read " + path + ": " + std::strerror(errno));
  struct stat st {};
  std::uint8_t h[kHeaderSize];
  const bool ok = ::fstat(fd, &st) == 0 && ::pread(fd, h, sizeof h, 0) == sizeof h;
  ::close(fd);
  if (!ok) return R::failure("not a Netlens segment index");
  return parseHeader(h, static_cast<std::uint64_t>(st.st_size));
}

Result<std::unique_ptr<SegmentIndexReader>> SegmentIndexReader::open(const std::string& path) {
  using R = Result<std::unique_ptr<SegmentIndexReader>>;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return R::failure("cannot read " + path + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size < static_cast<off_t>(kHeaderSize)) {
    ::close(fd);
    return R::failure("not a Netlens segment index");
  }
  auto reader = std::unique_ptr<SegmentIndexReader>(new SegmentIndexReader);
  reader->m_mapSize = static_cast<std::size_t>(st.st_size);
  void* map = ::mmap(nullptr, reader->m_mapSize, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return R::failure("cannot map " + path + ": " + std::strerror(errno));
  reader->m_map = map;
  if (auto s = reader->init(static_cast<const std::uint8_t*>(map), reader->m_mapSize); !s)
    return R::failure(s.error());
  return reader;
}

Result<std::unique_ptr<SegmentIndexReader>> SegmentIndexReader::fromBytes(std::string bytes) {
  using R = Result<std::unique_ptr<SegmentIndexReader>>;
  auto reader = std::unique_ptr<SegmentIndexReader>(new SegmentIndexReader);
  reader->m_bytes = std::move(bytes);
  const auto* data = reinterpret_cast<const std::uint8_t*>(reader->m_bytes.data());
  if (auto s = reader->init(data, reader->m_bytes.size()); !s) return R::failure(s.error());
  return reader;
}

SegmentIndexReader::~SegmentIndexReader() {
  if (m_map) ::munmap(m_map, m_mapSize);
}

Status SegmentIndexReader::init(const std::uint8_t* data, std::size_t size) {
  auto header = parseHeader(data, size);
  if (!header) return Status::failure(header.error());
  m_header = *header;
  m_chunks = chunksOf(m_header.pageCount);
  m_chunkTable = data + kHeaderSize;
  m_pageTable = m_chunkTable + 8 * m_chunks;
  m_body = m_pageTable + 8ull * m_header.pageCount;
  if (checksum(m_chunkTable, 8 * m_chunks) != m_header.chunkTableChecksum)
    return Status::failure("index chunk table checksum mismatch");
  m_checked.assign(m_header.pageCount, false);
  m_chunkChecked.assign(m_chunks, false);
  const std::uint64_t dirAt = std::uint64_t{m_header.blockCount} * kBlockEntry;
  const std::uint8_t* dir = body(dirAt, m_header.streamAt - dirAt);
  if (!dir && m_header.sectionCount > 0) return Status::failure("index checksum mismatch");
  std::uint64_t expectedAt = m_header.streamEnd;
  for (std::uint32_t i = 0; i < m_header.sectionCount; ++i) {
    const std::uint8_t* p = dir + i * kSectionEntry;
    Section s;
    s.kind = static_cast<KeyKind>(p[0]);
    s.length = p[1];
    s.keys = getFixed<std::uint32_t>(p + 4);
    s.runs = getFixed<std::uint32_t>(p + 8);
    s.fenceAt = getFixed<std::uint64_t>(p + 16);
    s.runsAt = getFixed<std::uint64_t>(p + 24);
    s.runsEnd = getFixed<std::uint64_t>(p + 32);
    const bool ordered = m_sections.empty() || m_sections.back().kind < s.kind ||
                         (m_sections.back().kind == s.kind && m_sections.back().length < s.length);
    // The session table's "keys" are its records; its fences are offsets alone (length 0).
    const bool sessionTable = p[0] == kSessionTableKind;
    const KeyKind lastKind = m_header.version >= kSessionCountersVersion ? KeyKind::SessionMac
                                                                         : KeyKind::SessionProtocol;
    const bool knownKind =
        sessionTable || (p[0] >= 1 && p[0] <= static_cast<std::uint8_t>(lastKind));
    // Keys per run, or the session table's records per fence.
    const std::uint32_t perRun =
        sessionTable ? sessionsPerFence(m_header.version) : SegmentIndex::kKeysPerRun;
    if (!knownKind ||
        (sessionTable ? s.length != 0 || i + 1 != m_header.sectionCount : s.length < 1) ||
        s.length > IndexKey{}.value.size() || !ordered || s.keys == 0 ||
        s.runs != (s.keys + perRun - 1) / perRun || s.fenceAt != expectedAt ||
        s.runsAt != s.fenceAt + std::uint64_t{s.runs} * (s.length + 4u) || s.runsEnd < s.runsAt ||
        s.runsEnd > m_header.bodySize)
      return Status::failure("index sections are damaged");
    expectedAt = s.runsEnd;
    if (sessionTable) {
      m_sessionTable = s;
    } else {
      m_sections.push_back(s);
    }
  }
  if (expectedAt != m_header.bodySize) return Status::failure("index sections are damaged");
  // Session keys come with the table they name.
  if (m_sessionTable.keys == 0 &&
      std::any_of(m_sections.begin(), m_sections.end(),
                  [](const Section& s) { return isSessionKind(s.kind); }))
    return Status::failure("index sections are damaged");
  return {};
}

const std::uint8_t* SegmentIndexReader::body(std::uint64_t at, std::uint64_t size) {
  if (at > m_header.bodySize || size > m_header.bodySize - at) return nullptr;
  if (size == 0) return m_body + at;
  for (std::uint64_t page = at / kPageSize; page <= (at + size - 1) / kPageSize; ++page) {
    if (m_checked[page]) continue;
    const std::uint64_t chunk = page / SegmentIndex::kChunkPages;
    if (!m_chunkChecked[chunk]) {
      const std::uint64_t first = chunk * SegmentIndex::kChunkPages;
      const std::uint64_t n =
          std::min<std::uint64_t>(SegmentIndex::kChunkPages, m_header.pageCount - first);
      if (checksum(m_pageTable + 8 * first, 8 * n) !=
          getFixed<std::uint64_t>(m_chunkTable + 8 * chunk))
        return nullptr;
      m_chunkChecked[chunk] = true;
    }
    const std::uint64_t start = page * kPageSize;
    const std::size_t n = std::min<std::uint64_t>(kPageSize, m_header.bodySize - start);
    if (checksum(m_body + start, n) != getFixed<std::uint64_t>(m_pageTable + 8 * page))
      return nullptr;
    m_checked[page] = true;
  }
  return m_body + at;
}

const std::uint8_t* SegmentIndexReader::run(const Section& s, std::uint32_t run, std::size_t* size,
                                            IndexKey* first) {
  const std::size_t fence = s.length + 4u;
  const std::uint8_t* f = body(s.fenceAt + std::uint64_t{run} * fence, fence);
  if (!f) return nullptr;
  *first = IndexKey{};
  first->kind = s.kind;
  first->length = s.length;
  std::memcpy(first->value.data(), f, s.length);
  const std::uint64_t start = s.runsAt + getFixed<std::uint32_t>(f + s.length);
  std::uint64_t end = s.runsEnd;
  if (run + 1 < s.runs) {
    const std::uint8_t* next = body(s.fenceAt + std::uint64_t{run + 1} * fence, fence);
    if (!next) return nullptr;
    end = s.runsAt + getFixed<std::uint32_t>(next + s.length);
  }
  if (end < start || end > s.runsEnd) return nullptr;
  *size = end - start;
  return body(start, end - start);
}

bool SegmentIndexReader::readEntry(ByteReader& r, const Section& section, bool first,
                                   Entry* e) const {
  const std::uint8_t length = section.length;
  e->universe = postingUniverse(section.kind, m_header.packetCount);
  if (!first && length <= detail::kNumericKeyBytes) {
    const std::uint64_t max = length == 8 ? ~0ull : (1ull << (8 * length)) - 1;
    const std::uint64_t previous = detail::bigEndian(e->key.value.data(), length);
    std::uint64_t delta = 0;
    if (!r.varint(&delta) || delta == 0 || delta > max - previous) return false;
    detail::putBigEndian(e->key.value.data(), length, previous + delta);
  } else if (!first) {
    std::uint8_t shared = 0;
    if (!r.bytes(&shared, 1) || shared >= length ||
        !r.bytes(e->key.value.data() + shared, length - shared))
      return false;
  }
  std::uint64_t head = 0;
  if (!r.varint(&head)) return false;
  e->count = head >> 2;
  e->coding = static_cast<std::uint8_t>(head & 3);
  if (e->count == 0 || e->count > e->universe) return false;
  if (e->count == 1) {
    std::uint64_t n = 0;
    if (e->coding != static_cast<std::uint8_t>(ListCoding::Varints) || !r.varint(&n) ||
        n >= e->universe || n > UINT32_MAX)
      return false;
    e->single = static_cast<std::uint32_t>(n);
    return true;
  }
  e->list = r.position();
  return walkList(e->list, r.remaining(), e, nullptr) && r.take(e->listBytes);
}

bool SegmentIndexReader::walkList(const std::uint8_t* data, std::size_t size, Entry* e,
                                  std::vector<std::uint32_t>* out) const {
  const std::uint64_t packets = e->universe;
  std::uint64_t seen = 0;
  std::uint64_t number = 0;
  // Each packet number must be after the one before and inside the segment.
  const auto add = [&](std::uint64_t n) {
    if ((seen > 0 && n <= number) || n >= packets || n > UINT32_MAX) return false;
    number = n;
    ++seen;
    if (out) out->push_back(static_cast<std::uint32_t>(n));
    return true;
  };
  switch (static_cast<ListCoding>(e->coding)) {
    case ListCoding::Bitmap: {
      e->listBytes = (packets + 7) / 8;
      if (size < e->listBytes) return false;
      for (std::size_t i = 0; i < e->listBytes; ++i) {
        for (unsigned bits = data[i]; bits != 0; bits &= bits - 1)
          if (!add(i * 8 + static_cast<unsigned>(std::countr_zero(bits)))) return false;
      }
      return seen == e->count;
    }
    case ListCoding::Varints: {
      ByteReader r(data, size);
      for (std::uint64_t i = 0; i < e->count; ++i) {
        std::uint64_t d = 0;
        if (!r.varint(&d) || d > packets || !add(i == 0 ? d : number + d)) return false;
      }
      e->listBytes = size - r.remaining();
      return true;
    }
    case ListCoding::Golomb:
    case ListCoding::Gamma: {
      const unsigned k = static_cast<ListCoding>(e->coding) == ListCoding::Golomb
                             ? detail::golombParameter(e->count, packets)
                             : 0;
      BitReader r(data, size);
      for (std::uint64_t i = 0; i < e->count; ++i) {
        std::uint64_t v = 0;
        if (!r.golomb(k, &v) || v > packets || !add(i == 0 ? v : number + v + 1)) return false;
      }
      e->listBytes = r.bytesUsed();
      return true;
    }
  }
  return false;
}

bool SegmentIndexReader::decodeList(const Entry& e, std::vector<std::uint32_t>* out) const {
  out->clear();
  if (e.count == 1) {
    out->push_back(e.single);
    return true;
  }
  out->reserve(e.count);
  Entry copy = e;
  return walkList(e.list, e.listBytes, &copy, out) && copy.listBytes == e.listBytes;
}

bool SegmentIndexReader::find(const IndexKey& key, std::vector<std::uint32_t>* out) {
  if (!findList(key, out)) return false;
  const KeyKind kind = sessionKindOf(key.kind);
  if (kind == key.kind || m_sessionTable.keys == 0) return true;
  IndexKey sessionKey = key;
  sessionKey.kind = kind;
  std::vector<std::uint32_t> numbers;
  if (!findList(sessionKey, &numbers)) return false;
  const std::size_t perPacket = out->size();
  SessionCursor cursor;
  IndexSession session;
  for (const std::uint32_t value : numbers) {
    const std::uint32_t number = IndexSession::sessionPosted(kind, value);
    if (!readSession(number, &cursor, &session)) return false;
    if (m_sessionSink) m_sessionSink->push_back({number, session});
    session.appendPacketsPosted(key, value, out);
  }
  mergeAppended(out, perPacket);
  // A packet is in one session or posted itself, never both.
  return std::adjacent_find(out->begin(), out->end()) == out->end();
}

bool SegmentIndexReader::readSession(std::uint32_t number, SessionCursor* cursor,
                                     IndexSession* out) {
  const Section& s = m_sessionTable;
  if (number >= s.keys || !readSessionAddresses()) return false;
  const std::uint32_t perFence = sessionsPerFence(m_header.version);
  const std::uint32_t fence = number / perFence;
  if (!cursor->data || cursor->fence != fence || cursor->next > number) {
    const std::uint8_t* f = body(s.fenceAt + std::uint64_t{fence} * 4, 4);
    if (!f) return false;
    const std::uint64_t start = s.runsAt + getFixed<std::uint32_t>(f);
    std::uint64_t end = s.runsEnd;
    if (fence + 1 < s.runs) {
      const std::uint8_t* next = body(s.fenceAt + std::uint64_t{fence + 1} * 4, 4);
      if (!next) return false;
      end = s.runsAt + getFixed<std::uint32_t>(next);
    }
    if (end < start || end > s.runsEnd) return false;
    cursor->data = body(start, end - start);
    if (!cursor->data) return false;
    cursor->size = end - start;
    cursor->at = 0;
    cursor->fence = fence;
    cursor->next = fence * perFence;
    cursor->record = {};
  }
  const SessionContext context{&m_sessionAddresses, m_header.packetCount, m_header.minTime,
                               m_header.maxTime, m_header.version};
  ByteReader r(cursor->data + cursor->at, cursor->size - cursor->at);
  for (; cursor->next <= number; ++cursor->next) {
    const bool firstOfFence = cursor->next % perFence == 0;
    // Records before the one asked for are only got past.
    if (!decodeSession(r, context, firstOfFence, &cursor->record, out, cursor->next == number))
      return false;
  }
  cursor->at = cursor->size - r.remaining();
  return true;
}

bool SegmentIndexReader::readSessionAddresses() {
  if (m_sessionAddressesRead) return true;
  const Section& s = m_sessionTable;
  const std::uint8_t* f = body(s.fenceAt, 4);
  if (!f) return false;
  // The address table lies between the fence table and the first record.
  const std::uint64_t size = getFixed<std::uint32_t>(f);
  if (size > s.runsEnd - s.runsAt) return false;
  const std::uint8_t* table = body(s.runsAt, size);
  if (!table) return false;
  ByteReader r(table, size);
  if (!m_sessionAddresses.read(r, m_header.version) || !r.atEnd()) return false;
  m_sessionAddressesRead = true;
  return true;
}

bool SegmentIndexReader::findList(const IndexKey& key, std::vector<std::uint32_t>* out) {
  out->clear();
  const auto s = std::find_if(m_sections.begin(), m_sections.end(), [&](const Section& s) {
    return s.kind == key.kind && s.length == key.length;
  });
  if (s == m_sections.end()) return true;
  // The last run whose first key is not after `key`.
  const std::size_t fence = s->length + 4u;
  std::uint32_t lo = 0, hi = s->runs;  // answer in [lo, hi)
  while (hi - lo > 1) {
    const std::uint32_t mid = lo + (hi - lo) / 2;
    const std::uint8_t* f = body(s->fenceAt + std::uint64_t{mid} * fence, fence);
    if (!f) return false;
    if (std::memcmp(f, key.value.data(), s->length) <= 0) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  std::size_t size = 0;
  Entry e;
  const std::uint8_t* bytes = run(*s, lo, &size, &e.key);
  if (!bytes) return false;
  ByteReader r(bytes, size);
  const std::uint32_t keys =
      std::min(SegmentIndex::kKeysPerRun, s->keys - lo * SegmentIndex::kKeysPerRun);
  for (std::uint32_t i = 0; i < keys; ++i) {
    if (!readEntry(r, *s, i == 0, &e)) return false;
    const int order = std::memcmp(e.key.value.data(), key.value.data(), s->length);
    if (order == 0) return decodeList(e, out);
    if (order > 0) return true;
  }
  return true;
}

bool SegmentIndexReader::blockOffsets(std::uint32_t block, std::vector<std::uint64_t>* out) {
  out->clear();
  if (block >= m_header.blockCount) return false;
  const std::uint8_t* b = body(std::uint64_t{block} * kBlockEntry, kBlockEntry);
  if (!b) return false;
  std::uint64_t offset = getFixed<std::uint64_t>(b);
  const std::uint64_t start = m_header.streamAt + getFixed<std::uint32_t>(b + 24);
  std::uint64_t end = m_header.streamEnd;
  if (block + 1 < m_header.blockCount) {
    const std::uint8_t* next = body(std::uint64_t{block + 1} * kBlockEntry, kBlockEntry);
    if (!next) return false;
    end = m_header.streamAt + getFixed<std::uint32_t>(next + 24);
  }
  if (end < start || end > m_header.streamEnd) return false;
  const std::uint8_t* stream = body(start, end - start);
  if (!stream) return false;
  ByteReader r(stream, end - start);
  const std::uint32_t first = block * SegmentIndex::kBlockPackets;
  const std::uint32_t count = std::min(SegmentIndex::kBlockPackets, m_header.packetCount - first);
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint64_t d = 0;
    if (i > 0 && (!r.varint(&d) || d == 0)) return false;
    offset += d;
    if (offset >= m_header.dataEnd) return false;
    out->push_back(offset);
  }
  return r.atEnd();
}

bool SegmentIndexReader::offsetOf(std::uint32_t number, std::uint64_t* out, std::uint64_t* end) {
  if (number >= m_header.packetCount) return false;
  const std::uint32_t block = number / SegmentIndex::kBlockPackets;
  const std::uint8_t* b = body(std::uint64_t{block} * kBlockEntry, kBlockEntry);
  if (!b) return false;
  std::uint64_t offset = getFixed<std::uint64_t>(b);
  const std::uint64_t start = m_header.streamAt + getFixed<std::uint32_t>(b + 24);
  const std::uint32_t skip = number % SegmentIndex::kBlockPackets;
  // The next record in the same block has its size in the stream too.
  const bool nextInBlock =
      end && skip + 1 < SegmentIndex::kBlockPackets && number + 1 < m_header.packetCount;
  const std::uint32_t sizes = skip + (nextInBlock ? 1 : 0);
  // A record size takes at most 5 bytes; only the pages those could reach are checked.
  const std::uint64_t stop = std::min<std::uint64_t>(m_header.streamEnd, start + 5ull * sizes);
  if (start > stop) return false;
  const std::uint8_t* stream = body(start, stop - start);
  if (!stream) return false;
  ByteReader r(stream, stop - start);
  for (std::uint32_t i = 0; i < skip; ++i) {
    std::uint64_t d = 0;
    if (!r.varint(&d) || d == 0) return false;
    offset += d;
  }
  if (offset >= m_header.dataEnd) return false;
  *out = offset;
  if (end) {
    std::uint64_t next = m_header.dataEnd;
    std::uint64_t d = 0;
    if (nextInBlock) {
      if (!r.varint(&d) || d == 0) return false;
      next = offset + d;
    } else if (number + 1 < m_header.packetCount) {
      const std::uint8_t* n = body(std::uint64_t{block + 1} * kBlockEntry, kBlockEntry);
      if (!n) return false;
      next = getFixed<std::uint64_t>(n);
    }
    if (next <= offset || next > m_header.dataEnd) return false;
    *end = next;
  }
  return true;
}

bool SegmentIndexReader::blockTime(std::uint32_t block, TimeRange* out) {
  if (block >= m_header.blockCount) return false;
  const std::uint8_t* b = body(std::uint64_t{block} * kBlockEntry, kBlockEntry);
  if (!b) return false;
  out->first = getFixed<std::int64_t>(b + 8);
  out->last = getFixed<std::int64_t>(b + 16);
  return out->first <= out->last;
}

Result<SegmentIndex> SegmentIndexReader::readAll() {
  using R = Result<SegmentIndex>;
  if (!body(0, m_header.bodySize)) return R::failure("index checksum mismatch");
  SegmentIndex index;
  index.linkType = m_header.linkType;
  index.dataEnd = m_header.dataEnd;
  index.minTime = m_header.minTime;
  index.maxTime = m_header.maxTime;
  std::vector<std::uint64_t> offsets;
  for (std::uint32_t block = 0; block < m_header.blockCount; ++block) {
    TimeRange t;
    if (!blockTime(block, &t) || !blockOffsets(block, &offsets))
      return R::failure("index packets are damaged");
    // Blocks' record sizes follow each other with nothing between or after them.
    const std::uint64_t next =
        block + 1 < m_header.blockCount
            ? getFixed<std::uint32_t>(m_body + (block + 1) * kBlockEntry + 24)
            : m_header.streamEnd - m_header.streamAt;
    if (block == 0 && getFixed<std::uint32_t>(m_body + 24) != 0)
      return R::failure("index packets are damaged");
    if (next < getFixed<std::uint32_t>(m_body + std::uint64_t{block} * kBlockEntry + 24))
      return R::failure("index packets are damaged");
    index.blockTimes.push_back(t);
    index.offsets.insert(index.offsets.end(), offsets.begin(), offsets.end());
  }
  if (m_header.blockCount == 0 && m_header.streamEnd != m_header.streamAt)
    return R::failure("index packets are damaged");
  TimeRange all{m_header.minTime, m_header.maxTime};
  if (!index.blockTimes.empty()) {
    all = index.blockTimes.front();
    for (const TimeRange& t : index.blockTimes) {
      all.first = std::min(all.first, t.first);
      all.last = std::max(all.last, t.last);
    }
  } else if (all.first != 0 || all.last != 0) {
    return R::failure("index time range is damaged");
  }
  if (all.first != m_header.minTime || all.last != m_header.maxTime)
    return R::failure("index time range is damaged");
  // Grown as records are read (a damaged count must not size it); a record takes 5 bytes at
  // least.
  std::vector<IndexSession> sessions;
  if (m_sessionTable.keys > 0) {
    if (m_sessionTable.keys > (m_sessionTable.runsEnd - m_sessionTable.runsAt) / 5)
      return R::failure("index sessions are damaged");
    SessionCursor cursor;
    for (std::uint32_t n = 0; n < m_sessionTable.keys; ++n) {
      // Each fence's records end where the next fence's begin.
      const bool fenceEnds =
          n + 1 == m_sessionTable.keys || (n + 1) % sessionsPerFence(m_header.version) == 0;
      sessions.emplace_back();
      if (!readSession(n, &cursor, &sessions.back()) || (fenceEnds && cursor.at != cursor.size))
        return R::failure("index sessions are damaged");
    }
  }
  // Each session's MACs, from their postings: both or neither.
  std::vector<std::uint8_t> macSides(sessions.size(), 0);
  for (const Section& s : m_sections) {
    std::uint32_t seen = 0;
    IndexKey previous;
    for (std::uint32_t run = 0; run < s.runs; ++run) {
      std::size_t size = 0;
      Entry e;
      const std::uint8_t* bytes = this->run(s, run, &size, &e.key);
      if (!bytes) return R::failure("index keys are damaged");
      ByteReader r(bytes, size);
      const std::uint32_t keys = std::min(SegmentIndex::kKeysPerRun, s.keys - seen);
      for (std::uint32_t i = 0; i < keys; ++i, ++seen) {
        if (!readEntry(r, s, i == 0, &e) || (seen > 0 && !(previous < e.key)))
          return R::failure("index keys are damaged");
        std::vector<std::uint32_t> list;
        if (!decodeList(e, &list)) return R::failure("index postings are damaged");
        // Session keys name sessions of the table.
        if (isSessionKind(e.key.kind) &&
            list.back() >= postingUniverse(e.key.kind, m_sessionTable.keys))
          return R::failure("index postings are damaged");
        if (e.key.kind == KeyKind::SessionMac) {
          net::MacAddress mac;
          std::copy_n(e.key.value.begin(), mac.bytes.size(), mac.bytes.begin());
          for (const std::uint32_t value : list) {
            IndexSession& session = sessions[value >> 1];
            session.hasMacs = true;
            ((value & 1) != 0 ? session.bMac : session.aMac) = mac;
            macSides[value >> 1] |= static_cast<std::uint8_t>(1u << (value & 1));
          }
        }
        index.postings.emplace(e.key, std::move(list));
        previous = e.key;
      }
      if (!r.atEnd()) return R::failure("index keys are damaged");
    }
  }
  if (std::any_of(macSides.begin(), macSides.end(),
                  [](std::uint8_t m) { return m == 1 || m == 2; }))
    return R::failure("index postings are damaged");
  index.sessions.assign(std::move(sessions));
  return index;
}

}  // namespace netlens::node::store
