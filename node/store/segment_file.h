// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "node/store/batch_reader.h"

namespace netlens::node::store {

/// A packet record read back from a segment file; `data` is valid until the next read.
struct SegmentRecord {
  std::int64_t timestampNs = 0;
  std::uint32_t capturedLength = 0;
  std::uint32_t wireLength = 0;
  const std::uint8_t* data = nullptr;
};

/// A segment file read from the start, record after record (indexing a segment again).
///
/// Thread: one user at a time.
class SegmentReader {
 public:
  explicit SegmentReader(const std::string& path);
  ~SegmentReader();
  SegmentReader(const SegmentReader&) = delete;
  SegmentReader& operator=(const SegmentReader&) = delete;
  bool isOpen() const { return m_file != nullptr; }

  /// The link type of the file header; false when there is no complete header of ours.
  bool header(std::uint32_t* linkType);
  /// Reads the record at `offset`; false when it is not complete.
  bool record(std::uint64_t offset, SegmentRecord* out);

 private:
  std::FILE* m_file;
  std::vector<std::uint8_t> m_buffer;
};

/// A segment file read at the records a search chose: one read for a record and its
/// neighbours that fit in the buffer (a mapping costs a page fault per record instead, and
/// the system call is the cheaper of the two).
///
/// Thread: one user at a time.
class SegmentFile {
 public:
  /// Reads at most the first `size` bytes of `path` (the part the index covers).
  SegmentFile(const std::string& path, std::uint64_t size);
  ~SegmentFile();
  SegmentFile(const SegmentFile&) = delete;
  SegmentFile& operator=(const SegmentFile&) = delete;
  bool isOpen() const { return m_fd >= 0; }

  /// The record at `offset`; false when it is not complete. With `end` (where the record
  /// ends, from the index), it is read in one system call of exactly its size, or none when
  /// readAhead() read it.
  bool record(std::uint64_t offset, SegmentRecord* out, std::uint64_t end = 0);
  /// Reads the records at `offsets` (ascending) that end at `ends` (0: not known; those are
  /// left to record()) together through `reader`, for the next calls of record(), which must
  /// ask for them in this order.
  void readAhead(BatchReader& reader, std::span<const std::uint64_t> offsets,
                 std::span<const std::uint64_t> ends);

 private:
  /// At most this many bytes are read ahead at once (a batch of the largest records would
  /// take 16 MiB); the records beyond are read by record().
  static constexpr std::size_t kAheadBytes = 1 << 20;
  /// A record read ahead: `request` in m_requests, or -1 when left to record().
  struct Ahead {
    std::uint64_t offset = 0;
    int request = -1;
  };

  /// Two thirds of the packets of a typical capture fit in this (larger ones take a second
  /// read).
  static constexpr std::size_t kReadSize = 512;

  /// `n` bytes at `at`, from the buffer or read into it (at least `want` bytes from `at`
  /// when it reads); null past the end.
  const std::uint8_t* bytes(std::uint64_t at, std::size_t n, std::size_t want = kReadSize);

  int m_fd;
  std::uint64_t m_size;
  std::vector<std::uint8_t> m_buffer;
  std::uint64_t m_bufferAt = 0;
  std::vector<Ahead> m_ahead;
  std::size_t m_aheadNext = 0;  ///< the entry of m_ahead that record() is expected to ask for
  std::vector<BatchReader::Request> m_requests;
  std::vector<std::uint8_t> m_aheadBytes;
};

}  // namespace netlens::node::store
