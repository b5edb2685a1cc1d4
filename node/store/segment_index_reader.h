// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "node/store/segment_index.h"
#include "shared/protocol/result.h"

namespace netlens::node::store {

namespace detail {
class ByteReader;
}

/// Reads one segment index file (format in SegmentIndex) in place: the file is mapped, and a
/// lookup reads the section directory, a binary search over one fence table and one run of
/// keys; a packet's offset reads its block's entry and record sizes.
/// Every page of the body is checked against its checksum the first time it is touched, so a
/// damaged index is noticed by whatever reads the damage (a false return: the caller indexes
/// the segment again), while opening checks only the header and the chunk table.
///
/// Thread: one user at a time; the reader owns its mapping (or its bytes).
class SegmentIndexReader {
 public:
  /// The header of the index at `path` (one read of kHeaderSize bytes), checked against its
  /// checksum, its version and the size of the file.
  static protocol::Result<IndexHeader> readHeader(const std::string& path);
  /// Maps the index at `path` and checks its header, chunk table and section directory.
  static protocol::Result<std::unique_ptr<SegmentIndexReader>> open(const std::string& path);
  /// The same over bytes in memory (tests, decode()).
  static protocol::Result<std::unique_ptr<SegmentIndexReader>> fromBytes(std::string bytes);
  ~SegmentIndexReader();
  SegmentIndexReader(const SegmentIndexReader&) = delete;
  SegmentIndexReader& operator=(const SegmentIndexReader&) = delete;

  const IndexHeader& header() const { return m_header; }

  /// The postings of `key` into `*out` (left empty when the key is absent); false when what
  /// it reads is damaged.
  bool find(const IndexKey& key, std::vector<std::uint32_t>* out);
  /// From now on, until called with null, find() also appends every session it reads, with
  /// its number, to `*sink` (a session may come more than once).
  void collectSessions(std::vector<std::pair<std::uint32_t, IndexSession>>* sink) {
    m_sessionSink = sink;
  }
  /// The file offset of packet `number`'s record (reads only the record sizes before it in
  /// its block) and, with `end`, where the record ends (the next record's offset, or the end
  /// of the data); false when damaged or out of range.
  bool offsetOf(std::uint32_t number, std::uint64_t* out, std::uint64_t* end = nullptr);
  /// The file offsets of the records of block `block`, in packet order; false when damaged
  /// or out of range.
  bool blockOffsets(std::uint32_t block, std::vector<std::uint64_t>* out);
  /// The time range of the segment's packets (false without any).
  bool timeRange(TimeRange* out) const {
    *out = {m_header.minTime, m_header.maxTime};
    return m_header.packetCount > 0;
  }
  /// The time range of block `block` (packets block * kBlockPackets onwards).
  bool blockTime(std::uint32_t block, TimeRange* out);
  /// Everything, every page and structure checked (what SegmentIndex::decode() returns).
  protocol::Result<SegmentIndex> readAll();

 private:
  struct Section {
    KeyKind kind = KeyKind::SrcIp;
    std::uint8_t length = 0;
    std::uint32_t keys = 0;
    std::uint32_t runs = 0;
    std::uint64_t fenceAt = 0;
    std::uint64_t runsAt = 0;
    std::uint64_t runsEnd = 0;
  };
  /// One key entry of a run as read: the key in `key`, its postings in place.
  struct Entry {
    IndexKey key;
    std::uint64_t count = 0;
    std::uint32_t single = 0;    ///< the packet when count == 1
    std::uint8_t coding = 0;     ///< a detail::ListCoding
    std::uint64_t universe = 0;  ///< what its values are below (postingUniverse)
    const std::uint8_t* list = nullptr;
    std::size_t listBytes = 0;
  };

  SegmentIndexReader() = default;
  protocol::Status init(const std::uint8_t* data, std::size_t size);
  /// `size` bytes of the body at `at`, their pages checked; null when damaged or outside.
  const std::uint8_t* body(std::uint64_t at, std::uint64_t size);
  /// The bytes of run `run` of `section`, or null; `*first` gets the run's first key.
  const std::uint8_t* run(const Section& section, std::uint32_t run, std::size_t* size,
                          IndexKey* first);
  /// Reads the next entry of a run into `*entry`, whose key is the previous one (the first
  /// entry of a run has none of its own: it is the fence key).
  bool readEntry(detail::ByteReader& r, const Section& section, bool first, Entry* entry) const;
  bool decodeList(const Entry& entry, std::vector<std::uint32_t>* out) const;
  /// The postings of `key` as stored (session numbers for the session kinds).
  bool findList(const IndexKey& key, std::vector<std::uint32_t>* out);
  /// Where reading the session table got to: sessions asked for in ascending order are read
  /// on from there, not from their fence again.
  struct SessionCursor {
    const std::uint8_t* data = nullptr;  ///< the current fence's records
    std::size_t size = 0;
    std::size_t at = 0;  ///< the next record's offset in them
    std::uint32_t fence = 0;
    std::uint32_t next = 0;     ///< the next record's session number
    SessionCursorState record;  ///< where the record before it left off
  };
  /// Reads the session table's address table (once); false when damaged.
  bool readSessionAddresses();
  /// Session `number` into `*out`; false when damaged or out of range.
  bool readSession(std::uint32_t number, SessionCursor* cursor, IndexSession* out);
  /// Walks the list of `entry` starting at `data` (at most `size` bytes), checking every
  /// packet number; sets entry->listBytes and, with `out`, collects the numbers.
  bool walkList(const std::uint8_t* data, std::size_t size, Entry* entry,
                std::vector<std::uint32_t>* out) const;

  std::string m_bytes;    ///< owned bytes (fromBytes), or empty
  void* m_map = nullptr;  ///< the mapping (open), or null
  std::size_t m_mapSize = 0;
  const std::uint8_t* m_chunkTable = nullptr;
  const std::uint8_t* m_pageTable = nullptr;
  std::uint64_t m_chunks = 0;
  const std::uint8_t* m_body = nullptr;
  IndexHeader m_header;
  std::vector<Section> m_sections;      ///< the key sections
  Section m_sessionTable;               ///< the session table (keys == 0: none)
  SessionAddresses m_sessionAddresses;  ///< its address table, once read
  bool m_sessionAddressesRead = false;
  std::vector<std::pair<std::uint32_t, IndexSession>>* m_sessionSink = nullptr;
  std::vector<bool> m_checked;       ///< pages already checked
  std::vector<bool> m_chunkChecked;  ///< page-table chunks already checked
};

}  // namespace netlens::node::store
