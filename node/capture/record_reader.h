// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>

namespace netlens::node::capture {

/// One packet record of a capture file. `data` points into the reader's buffer and is valid
/// until the next call to next() (or until the reader is destroyed).
struct FileRecord {
  std::int64_t timestampNs = 0;  ///< ns since the epoch
  std::uint32_t capturedLength = 0;
  std::uint32_t wireLength = 0;
  int linkType = 0;               ///< LINKTYPE_* value as written in the file (not a DLT)
  std::uint32_t interfaceId = 0;  ///< pcapng: index of the interface in its section; else 0
  const std::uint8_t* data = nullptr;
};

/// Our own readers of capture files (classic pcap, pcapng): sequential, streamed through a
/// reusable buffer, every length checked. Not thread-safe: one reading thread.
class RecordReader {
 public:
  enum class Status { Packet, End, Error };
  /// Largest packet record accepted (captured length), as libpcap and wiretap limit ordinary
  /// link types; a larger one is taken for damage.
  static constexpr std::uint32_t kMaxPacketLength = 262144;

  virtual ~RecordReader() = default;
  /// Next packet record. End at a clean end of file; Error (see error()) at the first
  /// damaged or truncated record — the records before it were delivered.
  virtual Status next(FileRecord& out) = 0;
  virtual const std::string& error() const = 0;
  /// Link type (LINKTYPE_*) of the file, or of its first interface.
  virtual int firstLinkType() const = 0;
};

}  // namespace netlens::node::capture
