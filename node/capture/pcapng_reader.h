// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "node/capture/record_reader.h"

namespace netlens::node::capture {

/// Kept for readability at pcapng call sites.
using PcapngRecord = FileRecord;

/// A streaming reader of the pcapng format (IETF draft-ietf-opsawg-pcapng), used for every
/// pcapng file instead of libpcap: libpcap 1.10 requires every interface of a
/// file to share one link type and snapshot length, and stops at the first interface that
/// differs — possibly after it has handed out packets — while tshark (whose figures ours must
/// equal) reads each interface with its own link type.
///
/// Reads block by block into one reusable buffer (never the whole file). Knows the Section
/// Header Block (either byte order; a later section may switch it and starts a new interface
/// list), the Interface Description Block (link type, snapshot length, `if_tsresol` in powers
/// of 10 or 2 — default microseconds — and `if_tsoffset`), the Enhanced, Simple and obsolete
/// Packet Blocks; every other block is skipped. Every length is checked against its block and
/// the block against the file: a damaged or cut-short block ends reading with an error that
/// says what is wrong and at which offset, like libpcap and wiretap do.
///
/// Not thread-safe: one thread reads it.
class PcapngReader final : public RecordReader {
 public:
  /// Largest block accepted (any type): bounds the buffer a damaged length could claim.
  static constexpr std::uint32_t kMaxBlockLength = 16 * 1024 * 1024;

  PcapngReader();
  ~PcapngReader();
  PcapngReader(const PcapngReader&) = delete;
  PcapngReader& operator=(const PcapngReader&) = delete;

  /// True when the first four bytes are those of a pcapng Section Header Block. Reads them
  /// only; false for an unreadable or short file.
  static bool looksLikePcapng(const std::string& path);

  /// Opens `path` and reads up to and including the first Interface Description Block, as
  /// libpcap does, so firstLinkType() is known before the first packet. False with a
  /// message in `error` when the file cannot be read, is not pcapng, is damaged before its
  /// first interface, or has none.
  bool open(const std::string& path, std::string* error);

  /// Next packet record. End at a clean end of file; Error (see error()) at the first
  /// damaged or truncated block — the records before it were delivered.
  Status next(PcapngRecord& out) override;
  const std::string& error() const override { return m_error; }

  /// Link type (LINKTYPE_*) of the first interface of the file.
  int firstLinkType() const override { return m_firstLinkType; }

 private:
  struct Interface {
    int linkType = 0;
    std::uint32_t snapLength = 0;  ///< 0 = no limit
    bool binaryResolution = false;
    int resolutionExponent = 6;  ///< units are 10^-e s (or 2^-e s when binary)
    std::int64_t offsetSeconds = 0;
  };
  enum class BlockStatus { Block, End, Error };

  BlockStatus readBlock();
  bool readExactly(std::uint8_t* into, std::size_t length, std::size_t alreadyInBlock);
  bool parseSectionHeader();
  bool parseInterface();
  bool parsePacket(std::uint32_t type, PcapngRecord& out);
  bool fail(const std::string& message);
  std::uint16_t u16(std::size_t at) const;
  std::uint32_t u32(std::size_t at) const;
  std::int64_t toNanoseconds(const Interface& iface, std::uint64_t units) const;

  struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, FileCloser> m_file;
  std::vector<std::uint8_t> m_block;  ///< the current block, header and trailer included
  std::uint32_t m_blockType = 0;
  std::uint64_t m_blockOffset = 0;  ///< file offset of the current block
  std::uint64_t m_offset = 0;       ///< file offset after the bytes read so far
  bool m_bigEndian = false;         ///< byte order of the current section
  bool m_haveSection = false;
  std::vector<Interface> m_interfaces;  ///< of the current section
  int m_firstLinkType = -1;
  std::int64_t m_lastTimestampNs = 0;
  std::string m_error;
};

}  // namespace netlens::node::capture
