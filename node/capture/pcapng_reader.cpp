// SPDX-License-Identifier: MIT
#include "node/capture/pcapng_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace netlens::node::capture {
namespace {

// Block types (pcapng specification, section "Block Types").
constexpr std::uint32_t kSectionHeaderBlock = 0x0A0D0D0A;
constexpr std::uint32_t kInterfaceBlock = 0x00000001;
constexpr std::uint32_t kObsoletePacketBlock = 0x00000002;
constexpr std::uint32_t kSimplePacketBlock = 0x00000003;
constexpr std::uint32_t kEnhancedPacketBlock = 0x00000006;

constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr std::uint32_t kByteOrderMagicSwapped = 0x4D3C2B1A;
constexpr std::uint16_t kMajorVersion = 1;

// Interface Description Block options.
constexpr std::uint16_t kOptEndOfOptions = 0;
constexpr std::uint16_t kOptTsResolution = 9;
constexpr std::uint16_t kOptTsOffset = 14;

// Fixed sizes, in bytes, of whole blocks without their variable parts.
constexpr std::uint32_t kBlockOverhead = 12;  // type, length, trailing length
constexpr std::uint32_t kMinSectionHeader = 28;
constexpr std::uint32_t kMinInterface = 20;
constexpr std::uint32_t kMinPacket = 32;  // enhanced and obsolete packet blocks
constexpr std::uint32_t kMinSimplePacket = 16;

constexpr std::uint64_t kNsPerSecond = 1'000'000'000;
constexpr int kMaxDecimalExponent = 19;  // 10^19 is the largest power of ten in 64 bits
constexpr int kMaxBinaryExponent = 63;

constexpr std::uint64_t pow10(int e) {
  std::uint64_t v = 1;
  for (int i = 0; i < e; ++i) v *= 10;
  return v;
}

bool isSectionHeader(const std::uint8_t* type) {
  // The type reads the same in both byte orders, which is why it can precede the magic.
  return type[0] == 0x0A && type[1] == 0x0D && type[2] == 0x0D && type[3] == 0x0A;
}

std::string offsetText(std::uint64_t offset) {
  return "at offset " + std::to_string(offset);
}

}  // namespace

PcapngReader::PcapngReader() = default;
PcapngReader::~PcapngReader() = default;

bool PcapngReader::looksLikePcapng(const std::string& path) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) return false;
  std::uint8_t type[4] = {};
  return std::fread(type, 1, sizeof type, file.get()) == sizeof type && isSectionHeader(type);
}

bool PcapngReader::open(const std::string& path, std::string* error) {
  m_file.reset(std::fopen(path.c_str(), "rb"));
  if (!m_file) {
    *error = std::string("cannot read the file: ") + std::strerror(errno);
    return false;
  }
  // Blocks are read in small pieces; a large stdio buffer keeps that to few system calls.
  std::setvbuf(m_file.get(), nullptr, _IOFBF, 256 * 1024);
  const auto openFailed = [&](const std::string& message) {
    *error = message.empty() ? m_error : message;
    m_file.reset();
    return false;
  };
  switch (readBlock()) {
    case BlockStatus::End:
      return openFailed("the file is empty");
    case BlockStatus::Error:
      return openFailed({});
    case BlockStatus::Block:
      break;
  }
  if (!parseSectionHeader()) return openFailed({});
  // Like libpcap: the first interface must come before the first packet, so the source's
  // link type is known when it is opened.
  for (;;) {
    switch (readBlock()) {
      case BlockStatus::End:
        return openFailed("the file has no interface description block");
      case BlockStatus::Error:
        return openFailed({});
      case BlockStatus::Block:
        break;
    }
    switch (m_blockType) {
      case kSectionHeaderBlock:
        if (!parseSectionHeader()) return openFailed({});
        break;
      case kInterfaceBlock:
        if (!parseInterface()) return openFailed({});
        m_firstLinkType = m_interfaces.front().linkType;
        return true;
      case kEnhancedPacketBlock:
      case kSimplePacketBlock:
      case kObsoletePacketBlock:
        return openFailed("a packet block " + offsetText(m_blockOffset) +
                          " comes before any interface description block");
      default:
        break;  // name resolution, statistics, custom blocks...: not needed
    }
  }
}

PcapngReader::Status PcapngReader::next(PcapngRecord& out) {
  if (!m_error.empty() || !m_file) return Status::Error;
  for (;;) {
    switch (readBlock()) {
      case BlockStatus::End:
        return Status::End;
      case BlockStatus::Error:
        return Status::Error;
      case BlockStatus::Block:
        break;
    }
    switch (m_blockType) {
      case kSectionHeaderBlock:
        if (!parseSectionHeader()) return Status::Error;
        break;
      case kInterfaceBlock:
        if (!parseInterface()) return Status::Error;
        break;
      case kEnhancedPacketBlock:
      case kSimplePacketBlock:
      case kObsoletePacketBlock:
        return parsePacket(m_blockType, out) ? Status::Packet : Status::Error;
      default:
        break;
    }
  }
}

bool PcapngReader::fail(const std::string& message) {
  m_error = message;
  return false;
}

bool PcapngReader::readExactly(std::uint8_t* into, std::size_t length, std::size_t alreadyInBlock) {
  const std::size_t got = std::fread(into, 1, length, m_file.get());
  m_offset += got;
  if (got == length) return true;
  if (std::ferror(m_file.get())) {
    return fail("read error " + offsetText(m_offset) + ": " + std::strerror(errno));
  }
  return fail("the file is cut short in the middle of the block " + offsetText(m_blockOffset) +
              " (" + std::to_string(alreadyInBlock + got) + " of " +
              std::to_string(alreadyInBlock + length) + " bytes present)");
}

PcapngReader::BlockStatus PcapngReader::readBlock() {
  m_blockOffset = m_offset;
  std::uint8_t header[12] = {};
  const std::size_t got = std::fread(header, 1, 8, m_file.get());
  m_offset += got;
  if (got == 0 && std::feof(m_file.get())) return BlockStatus::End;
  if (got < 8) {
    if (std::ferror(m_file.get())) {
      fail("read error " + offsetText(m_offset) + ": " + std::strerror(errno));
    } else {
      fail("the file is cut short in the middle of the block header " + offsetText(m_blockOffset) +
           " (" + std::to_string(got) + " of 8 bytes present)");
    }
    return BlockStatus::Error;
  }
  std::size_t headerLength = 8;
  if (isSectionHeader(header)) {
    // A section chooses its byte order with the magic that follows the block length.
    if (!readExactly(header + 8, 4, 8)) return BlockStatus::Error;
    headerLength = 12;
    const std::uint32_t magic = std::uint32_t{header[8]} | std::uint32_t{header[9]} << 8 |
                                std::uint32_t{header[10]} << 16 | std::uint32_t{header[11]} << 24;
    if (magic == kByteOrderMagic) {
      m_bigEndian = false;
    } else if (magic == kByteOrderMagicSwapped) {
      m_bigEndian = true;
    } else {
      fail("the section header " + offsetText(m_blockOffset) + " has no valid byte-order magic");
      return BlockStatus::Error;
    }
    m_haveSection = true;
  } else if (!m_haveSection) {
    fail("not a pcapng file: it does not start with a section header block");
    return BlockStatus::Error;
  }
  const auto decode32 = [&](const std::uint8_t* p) {
    return m_bigEndian ? (std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 |
                          std::uint32_t{p[2]} << 8 | std::uint32_t{p[3]})
                       : (std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 |
                          std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24);
  };
  const std::uint32_t type = decode32(header);
  const std::uint32_t length = decode32(header + 4);
  const std::uint32_t minimum = type == kSectionHeaderBlock ? kMinSectionHeader : kBlockOverhead;
  const auto damaged = [&](const char* what) {
    char typeHex[9] = {};
    std::snprintf(typeHex, sizeof typeHex, "%X", type);
    fail("the block " + offsetText(m_blockOffset) + " (type 0x" + typeHex + ") " + what +
         ": the file is damaged");
    return BlockStatus::Error;
  };
  if (length < minimum || length % 4 != 0 || length > kMaxBlockLength) {
    return damaged(("has an impossible length of " + std::to_string(length) + " bytes").c_str());
  }
  m_block.resize(length);  // keeps its capacity: one allocation for the largest block
  std::memcpy(m_block.data(), header, headerLength);
  if (!readExactly(m_block.data() + headerLength, length - headerLength, headerLength)) {
    return BlockStatus::Error;
  }
  if (u32(length - 4) != length) return damaged("ends with a length different from its start");
  m_blockType = type;
  return BlockStatus::Block;
}

std::uint16_t PcapngReader::u16(std::size_t at) const {
  const std::uint8_t* p = m_block.data() + at;
  return static_cast<std::uint16_t>(m_bigEndian ? (p[0] << 8 | p[1]) : (p[0] | p[1] << 8));
}

std::uint32_t PcapngReader::u32(std::size_t at) const {
  const std::uint8_t* p = m_block.data() + at;
  return m_bigEndian ? (std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 |
                        std::uint32_t{p[2]} << 8 | std::uint32_t{p[3]})
                     : (std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 |
                        std::uint32_t{p[3]} << 24);
}

bool PcapngReader::parseSectionHeader() {
  const std::uint16_t major = u16(12);
  const std::uint16_t minor = u16(14);
  // Minor versions are compatible by definition; 1.2 was written by some old tools.
  if (major != kMajorVersion) {
    return fail("the section " + offsetText(m_blockOffset) + " has pcapng version " +
                std::to_string(major) + "." + std::to_string(minor) + ", only 1.x is supported");
  }
  // Interface numbers restart in every section.
  m_interfaces.clear();
  return true;
}

bool PcapngReader::parseInterface() {
  const std::size_t length = m_block.size();
  const auto where = [&] { return "the interface description " + offsetText(m_blockOffset); };
  if (length < kMinInterface) return fail(where() + " is too short: the file is damaged");
  Interface iface;
  iface.linkType = u16(8);
  iface.snapLength = u32(12);
  const std::size_t end = length - 4;
  for (std::size_t at = 16; at + 4 <= end;) {
    const std::uint16_t code = u16(at);
    const std::uint16_t optionLength = u16(at + 2);
    if (code == kOptEndOfOptions) break;
    const std::size_t value = at + 4;
    const std::size_t padded = (std::size_t{optionLength} + 3) & ~std::size_t{3};
    if (value + padded > end) return fail(where() + " has an option overrunning the block");
    if (code == kOptTsResolution && optionLength == 1) {
      const std::uint8_t r = m_block[value];
      iface.binaryResolution = (r & 0x80) != 0;
      iface.resolutionExponent = r & 0x7F;
      const int limit = iface.binaryResolution ? kMaxBinaryExponent : kMaxDecimalExponent;
      if (iface.resolutionExponent > limit) {
        return fail(where() + " has an unsupported timestamp resolution of " +
                    (iface.binaryResolution ? "2^-" : "10^-") +
                    std::to_string(iface.resolutionExponent) + " s");
      }
    } else if (code == kOptTsOffset && optionLength == 8) {
      const std::uint64_t high = u32(value);
      const std::uint64_t low = u32(value + 4);
      // The spec stores it as one 64-bit integer in section byte order.
      iface.offsetSeconds =
          static_cast<std::int64_t>(m_bigEndian ? (high << 32 | low) : (low << 32 | high));
    }
    at = value + padded;
  }
  m_interfaces.push_back(iface);
  return true;
}

std::int64_t PcapngReader::toNanoseconds(const Interface& iface, std::uint64_t units) const {
  std::uint64_t seconds = 0;
  std::uint64_t fractionNs = 0;
  const int e = iface.resolutionExponent;
  if (iface.binaryResolution) {
    seconds = e == 0 ? units : units >> e;
    std::uint64_t fraction = e == 0 ? 0 : units & ((std::uint64_t{1} << e) - 1);
    int shift = e;
    // fraction < 2^shift; keep fraction × 10^9 within 64 bits (finer than 1 ns is lost).
    if (shift > 32) {
      fraction >>= shift - 32;
      shift = 32;
    }
    fractionNs = (fraction * kNsPerSecond) >> shift;
  } else {
    const std::uint64_t divisor = pow10(e);
    seconds = units / divisor;
    const std::uint64_t fraction = units % divisor;
    fractionNs = e <= 9 ? fraction * pow10(9 - e) : fraction / pow10(e - 9);
  }
  // Unsigned arithmetic: a nonsense timestamp wraps instead of being undefined behaviour.
  const std::uint64_t ns = seconds * kNsPerSecond + fractionNs +
                           static_cast<std::uint64_t>(iface.offsetSeconds) * kNsPerSecond;
  return static_cast<std::int64_t>(ns);
}

bool PcapngReader::parsePacket(std::uint32_t type, PcapngRecord& out) {
  const std::size_t length = m_block.size();
  const auto where = [&] { return "the packet block " + offsetText(m_blockOffset); };
  std::uint32_t interfaceId = 0;
  std::uint32_t capturedLength = 0;
  std::uint32_t wireLength = 0;
  std::size_t dataAt = 0;
  bool hasTimestamp = true;
  std::uint64_t units = 0;
  if (type == kSimplePacketBlock) {
    if (length < kMinSimplePacket) return fail(where() + " is too short: the file is damaged");
    hasTimestamp = false;
    wireLength = u32(8);
    dataAt = 12;
    // The block holds min(original length, snapshot length) bytes, padded to 32 bits.
    capturedLength = std::min<std::uint32_t>(wireLength, static_cast<std::uint32_t>(length - 16));
    if (!m_interfaces.empty() && m_interfaces.front().snapLength != 0) {
      capturedLength = std::min(capturedLength, m_interfaces.front().snapLength);
    }
  } else {
    if (length < kMinPacket) return fail(where() + " is too short: the file is damaged");
    // The obsolete Packet Block has a 16-bit interface id followed by a drop counter.
    interfaceId = type == kObsoletePacketBlock ? u16(8) : u32(8);
    units = std::uint64_t{u32(12)} << 32 | u32(16);
    capturedLength = u32(20);
    wireLength = u32(24);
    dataAt = 28;
    if (capturedLength > length - kMinPacket) {
      return fail(where() + " claims " + std::to_string(capturedLength) +
                  " captured bytes, more than it holds: the file is damaged");
    }
  }
  if (interfaceId >= m_interfaces.size()) {
    return fail(where() + " refers to interface " + std::to_string(interfaceId) +
                ", but the section" + " describes " + std::to_string(m_interfaces.size()) +
                ": the file is damaged");
  }
  if (capturedLength > kMaxPacketLength) {
    return fail(where() + " holds a " + std::to_string(capturedLength) +
                "-byte packet, bigger than the maximum of " + std::to_string(kMaxPacketLength));
  }
  const Interface& iface = m_interfaces[interfaceId];
  // A simple packet block carries no time: it keeps the previous packet's, so packet time
  // (which drives the analysers' clocks) never jumps back to 1970.
  if (hasTimestamp) m_lastTimestampNs = toNanoseconds(iface, units);
  out.timestampNs = m_lastTimestampNs;
  out.capturedLength = capturedLength;
  out.wireLength = wireLength;
  out.linkType = iface.linkType;
  out.interfaceId = interfaceId;
  out.data = m_block.data() + dataAt;
  return true;
}

}  // namespace netlens::node::capture
