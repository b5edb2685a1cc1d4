// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "node/store/index_key.h"
#include "node/store/index_sessions.h"
#include "node/store/posting_table.h"
#include "shared/decoder/decoded_packet.h"
#include "shared/protocol/result.h"

namespace netlens::node::store {

/// First and last packet time of a run of packets, ns since the epoch.
struct TimeRange {
  std::int64_t first = 0;
  std::int64_t last = 0;
  friend bool operator==(const TimeRange&, const TimeRange&) = default;
};

/// What the fixed-size header of an index file says about its segment (all a store keeps
/// in memory per closed segment).
struct IndexHeader {
  std::uint32_t version = 0;  ///< the index format
  std::uint32_t linkType = 0;
  std::uint64_t dataEnd = 0;  ///< bytes of the pcap file covered (header included)
  std::uint32_t packetCount = 0;
  std::uint32_t blockCount = 0;
  std::int64_t minTime = 0;  ///< earliest and latest packet time (0 without packets)
  std::int64_t maxTime = 0;
  std::uint32_t sectionCount = 0;
  std::uint32_t pageCount = 0;
  std::uint64_t bodySize = 0;
  std::uint64_t streamAt = 0;   ///< body offset of the record-size stream
  std::uint64_t streamEnd = 0;  ///< and where it ends (the key sections start)
  std::uint64_t chunkTableChecksum = 0;
};

/// The index of one segment file, as built in memory while the segment is written (and as
/// decode() reads a whole file back): where each packet record starts, the time range of
/// each block of kBlockPackets packets, and for each key the numbers of the packets that
/// carry it (ascending). Every IP header of a packet counts (outer and inner, as the host
/// figures), every Ethernet segment's MACs and every VLAN tag; ports are those of the
/// innermost transport header. The address, port and protocol keys of a packet with one IP
/// header are posted through its session (IndexSession, format 4 on), and so are its MACs
/// when it has one Ethernet header (format 5 on); packetsWith() and SegmentIndexReader::find()
/// answer for both ways alike. Packet times themselves are not kept (a search reads them from
/// the records it reads anyway), only each session's earliest and latest (format 5 on).
///
/// On disk (`NNNNNNNNNN.idx` beside `NNNNNNNNNN.pcap`), laid out so that a search reads it in
/// place (SegmentIndexReader) and opening a store reads only the 96-byte header:
/// - header: magic, format version, link type, covered pcap size, packet and block counts,
///   time range, section count, layout, the checksum of the chunk table and its own checksum
///   (64-bit FNV-1a over 8-byte words, as every checksum here);
/// - chunk table and page table: a checksum for each kPageSize bytes of the body, and one for
///   each kChunkPages of those; opening checks the chunk table only, and a reader checks
///   exactly the pages it touches (and the page-table chunks that hold their checksums), so
///   opening and a lookup cost the same in a segment of any size;
/// - body: the block table (per block: file offset of its first packet, its time range, where
///   its record sizes start in the stream), the section directory (one section per key kind
///   and key length), the stream of record sizes (varints), then each section: a fence table
///   (first key of every run of kKeysPerRun keys and where the run starts; binary searched)
///   and the runs themselves. In a run, every key but the first (its fence key) is coded
///   after the one before it: keys of up to 8 bytes as the varint difference of the two as
///   numbers, longer ones as the length of the shared prefix and the rest. Each key is
///   followed by its posting list: a varint head (count << 2 | coding), then a single packet
///   number as a varint, or the list in the smallest of: delta varints, a bitmap over every
///   packet, Exp-Golomb codes of the gaps with a parameter from the list's density, or with
///   parameter 0 (lists in bursts). The session keys' lists hold session numbers, coded
///   alike; the session table (IndexSession) is the last section.
/// A file that is cut short, has another magic or version, or a wrong checksum is not an
/// index (the segment is indexed again from its packets).
struct SegmentIndex {
  static constexpr std::uint32_t kBlockPackets = 128;
  static constexpr std::uint32_t kKeysPerRun = 16;
  static constexpr std::size_t kPageSize = 512;
  static constexpr std::size_t kChunkPages = 64;  ///< page checksums per chunk checksum
  static constexpr std::size_t kHeaderSize = 96;

  std::uint32_t linkType = 0;
  std::uint64_t dataEnd = 0;           ///< bytes of the pcap file covered (header included)
  std::vector<std::uint64_t> offsets;  ///< file offset of each packet's record header
  std::vector<TimeRange> blockTimes;   ///< time range of each block of kBlockPackets
  PostingTable postings;
  SessionTable sessions;

  std::int64_t minTime = 0;  ///< earliest and latest packet time (0 without packets); files
  std::int64_t maxTime = 0;  ///< need not be in time order

  std::size_t packetCount() const { return offsets.size(); }

  /// Adds packet number packetCount() at `offset`, with the keys of `packet` as stored (its
  /// capturedLength is what the record holds).
  void add(std::uint64_t offset, const decoder::DecodedPacket& packet);
  /// The packet added last came from source `source` of the segment (0, the segment's
  /// first source, is not posted: a packet in no Source list came from it).
  void addSource(std::uint16_t source);

  std::string encode() const;
  /// Reads a whole index, checking every checksum and every structure in it.
  static protocol::Result<SegmentIndex> decode(const std::string& bytes);
  /// Writes the index to `path` through a temporary file renamed into place (mode 0600).
  protocol::Status save(const std::string& path) const;
  static protocol::Result<SegmentIndex> load(const std::string& path);
  /// The packets that carry `key`, ascending: its postings and, for an address, port or
  /// protocol, those of its sessions' packets that carry it.
  std::vector<std::uint32_t> packetsWith(const IndexKey& key) const;
};

}  // namespace netlens::node::store
