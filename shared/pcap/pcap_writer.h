// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>

namespace netlens::pcap {

/// Magic number of a classic pcap file whose record timestamps are in nanoseconds.
inline constexpr std::uint32_t kMagicNanoseconds = 0xa1b23c4d;
/// Magic number of a classic pcap file whose record timestamps are in microseconds.
inline constexpr std::uint32_t kMagicMicroseconds = 0xa1b2c3d4;
/// Link-layer header types (LINKTYPE_* of the tcpdump.org registry) used by Netlens.
inline constexpr std::uint32_t kLinkTypeEthernet = 1;
inline constexpr std::uint32_t kLinkTypeRaw = 101;
inline constexpr std::uint32_t kLinkTypeLinuxSll = 113;
inline constexpr std::uint32_t kLinkTypeLinuxSll2 = 276;
/// Snapshot length written by default: what libpcap and tshark use for "whole packets".
inline constexpr std::uint32_t kDefaultSnapLength = 262144;
inline constexpr std::size_t kFileHeaderSize = 24;
inline constexpr std::size_t kRecordHeaderSize = 16;

/// Writes a classic pcap file (version 2.4, nanosecond timestamps, one link type).
///
/// All header fields are written little-endian whatever the host, so the same packets give a
/// bit-identical file on every platform (readers detect the byte order from the magic).
/// Records are written as given: the writer neither sorts nor checks timestamps.
/// The writer owns its FILE handle; it is movable, not copyable, and not thread-safe (one
/// thread at a time). The destructor closes the file but cannot report errors: call close().
class PcapWriter {
 public:
  PcapWriter() = default;
  ~PcapWriter();
  PcapWriter(PcapWriter&& other) noexcept;
  PcapWriter& operator=(PcapWriter&& other) noexcept;
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  /// Creates (truncates) `path` and writes the file header. On failure returns false, sets
  /// `*error` (if given) and leaves the writer closed.
  bool open(const std::string& path, std::uint32_t linkType, std::uint32_t snapLength,
            std::string* error);
  /// Same with Ethernet link type and the default snapshot length.
  bool open(const std::string& path, std::string* error) {
    return open(path, kLinkTypeEthernet, kDefaultSnapLength, error);
  }

  /// Appends one record. `timestampNs` is nanoseconds since the Unix epoch (must be >= 0);
  /// `data` is the captured bytes, cut to the snapshot length if longer; `originalLength`
  /// is the length on the wire (0 means data.size()). Returns false on an I/O error.
  bool writePacket(std::int64_t timestampNs, std::span<const std::uint8_t> data,
                   std::uint32_t originalLength = 0, std::string* error = nullptr);

  /// Hands what is buffered to the operating system; false (with `*error`) on an I/O error.
  bool flush(std::string* error = nullptr);

  /// Flushes and closes; returns false (with `*error`) if any write or the close failed.
  /// Closing a closed writer succeeds.
  bool close(std::string* error = nullptr);

  bool isOpen() const { return m_file != nullptr; }
  std::uint32_t linkType() const { return m_linkType; }
  std::uint32_t snapLength() const { return m_snapLength; }
  std::uint64_t packetsWritten() const { return m_packets; }
  /// Bytes written so far, headers included (the file size once closed).
  std::uint64_t bytesWritten() const { return m_bytes; }

  /// The 24-byte file header, for callers that assemble pcap bytes in memory (streams).
  static std::array<std::uint8_t, kFileHeaderSize> fileHeader(std::uint32_t linkType,
                                                              std::uint32_t snapLength);
  /// The 16-byte record header for a record of `capturedLength` bytes.
  static std::array<std::uint8_t, kRecordHeaderSize> recordHeader(std::int64_t timestampNs,
                                                                  std::uint32_t capturedLength,
                                                                  std::uint32_t originalLength);

 private:
  bool fail(const std::string& what, std::string* error);

  std::FILE* m_file = nullptr;
  std::unique_ptr<char[]> m_buffer;  // stdio buffer: libc's 4 KiB default costs syscalls
  std::string m_path;
  std::uint32_t m_linkType = kLinkTypeEthernet;
  std::uint32_t m_snapLength = kDefaultSnapLength;
  std::uint64_t m_packets = 0;
  std::uint64_t m_bytes = 0;
  bool m_failed = false;
};

}  // namespace netlens::pcap
