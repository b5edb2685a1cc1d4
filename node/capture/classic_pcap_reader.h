// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "node/capture/record_reader.h"

namespace netlens::node::capture {

/// Reader of classic pcap files (magic 0xa1b2c3d4 µs or 0xa1b23c4d ns, either byte order,
/// versions 2.0 to 2.4). It exists for speed: libpcap reads savefiles with two stdio fread()
/// calls per record, which cost more than our whole per-packet analysis; this reader parses
/// records in place in a 256 KiB buffer filled by plain read() calls.
///
/// It reads exactly what libpcap 1.10 reads, so figures do not depend on the reader: a
/// record longer than the link type's maximum (262144 for most) is damage and ends the file
/// with an error; one longer than the file's snapshot length keeps its first snapshot-length
/// bytes; a record cut short by the end of the file is an error ("truncated dump file").
/// Files with other magics (the "modified" variants) or versions are left to libpcap:
/// looksLikeClassicPcap() says so.
///
/// Not thread-safe: one reading thread.
class ClassicPcapReader final : public RecordReader {
 public:
  ClassicPcapReader();
  ~ClassicPcapReader() override;
  ClassicPcapReader(const ClassicPcapReader&) = delete;
  ClassicPcapReader& operator=(const ClassicPcapReader&) = delete;

  /// True when the file starts with one of the four standard classic pcap magics and a
  /// version from 2.0 to 2.4.
  static bool looksLikeClassicPcap(const std::string& path);

  /// Opens and reads the file header; false with `error` set when the file cannot be read or
  /// its header is damaged.
  bool open(const std::string& path, std::string* error);

  Status next(FileRecord& out) override;
  const std::string& error() const override { return m_error; }
  int firstLinkType() const override { return m_linkType; }
  std::uint32_t snapLength() const { return m_snapLength; }

 private:
  /// Makes `n` bytes available at m_data + m_pos; false at end of file (fewer remain:
  /// m_len - m_pos tells how many).
  bool ensure(std::size_t n);
  Status fail(std::string message);
  std::uint32_t u32(const std::uint8_t* p) const;
  /// A record's seconds or fraction field as libpcap 1.10 reads it.
  std::int64_t timeField(const std::uint8_t* p) const;

  int m_fd = -1;
  std::vector<std::uint8_t> m_buffer;
  std::size_t m_pos = 0;  ///< next unread byte in m_buffer
  std::size_t m_len = 0;  ///< bytes valid in m_buffer
  bool m_eof = false;
  bool m_swapped = false;
  bool m_nanosecond = false;
  bool m_swappedLengths = false;       ///< before version 2.3: wire length first
  bool m_maybeSwappedLengths = false;  ///< version 2.3: either order
  int m_linkType = 0;
  std::uint32_t m_snapLength = 0;  ///< effective: the header's, or the link type's maximum
  std::uint32_t m_maxLength = kMaxPacketLength;
  std::string m_path;
  std::string m_error;
};

}  // namespace netlens::node::capture
