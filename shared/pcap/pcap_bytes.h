// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace netlens::pcap {

/// One record of a classic pcap file held in memory.
struct PcapRecord {
  std::int64_t timestampNs = 0;
  std::uint32_t originalLength = 0;
  std::span<const std::uint8_t> data;  ///< into the buffer given to PcapBytesReader
};

/// Reads a classic pcap file held in memory (a node's search reply): either byte order,
/// microsecond or nanosecond timestamps. Zero-copy: records point into the buffer, which must
/// outlive the reader. A record cut short by the end of the buffer ends the reading with an
/// error rather than being returned.
/// Thread: one thread at a time.
class PcapBytesReader {
 public:
  /// Checks the file header. On failure error() says why and next() returns false.
  explicit PcapBytesReader(std::string_view bytes);

  bool ok() const { return m_error.empty(); }
  const std::string& error() const { return m_error; }
  std::uint32_t linkType() const { return m_linkType; }
  std::uint32_t snapLength() const { return m_snapLength; }

  /// The next record; false at the end or on an error (then error() is set).
  bool next(PcapRecord* out);

 private:
  std::uint32_t read32(std::size_t at) const;

  std::string_view m_bytes;
  std::size_t m_at = 0;
  std::string m_error;
  std::uint32_t m_linkType = 0;
  std::uint32_t m_snapLength = 0;
  bool m_swapped = false;
  bool m_nanoseconds = false;
};

}  // namespace netlens::pcap
