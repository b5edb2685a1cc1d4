// SPDX-License-Identifier: MIT
#include "shared/pcap/pcap_bytes.h"

#include "shared/pcap/pcap_writer.h"

namespace netlens::pcap {

namespace {

constexpr std::uint32_t kMagicMicrosecondsSwapped = 0xd4c3b2a1;
constexpr std::uint32_t kMagicNanosecondsSwapped = 0x4d3cb2a1;
// A record larger than this is not a packet but a corrupt length field.
constexpr std::uint32_t kMaxRecordLength = 16u << 20;

}  // namespace

PcapBytesReader::PcapBytesReader(std::string_view bytes) : m_bytes(bytes) {
  if (bytes.size() < kFileHeaderSize) {
    m_error = "not a pcap file: " + std::to_string(bytes.size()) + " bytes, shorter than a header";
    return;
  }
  const std::uint32_t magic = read32(0);
  if (magic == kMagicMicroseconds || magic == kMagicNanoseconds) {
    m_nanoseconds = magic == kMagicNanoseconds;
  } else if (magic == kMagicMicrosecondsSwapped || magic == kMagicNanosecondsSwapped) {
    m_swapped = true;
    m_nanoseconds = magic == kMagicNanosecondsSwapped;
  } else {
    m_error = "not a classic pcap file (unknown magic number)";
    return;
  }
  m_snapLength = read32(16);
  m_linkType = read32(20) & 0x0fffffffu;  // the top bits carry FCS information
  m_at = kFileHeaderSize;
}

std::uint32_t PcapBytesReader::read32(std::size_t at) const {
  const auto* p = reinterpret_cast<const std::uint8_t*>(m_bytes.data() + at);
  if (m_swapped) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           p[3];
  }
  return (std::uint32_t{p[3]} << 24) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) |
         p[0];
}

bool PcapBytesReader::next(PcapRecord* out) {
  if (!ok() || m_at == m_bytes.size()) return false;
  if (m_bytes.size() - m_at < kRecordHeaderSize) {
    m_error = "the pcap data ends inside a record header";
    return false;
  }
  const std::uint32_t seconds = read32(m_at);
  const std::uint32_t fraction = read32(m_at + 4);
  const std::uint32_t captured = read32(m_at + 8);
  const std::uint32_t original = read32(m_at + 12);
  if (captured > kMaxRecordLength) {
    m_error = "a pcap record claims " + std::to_string(captured) + " bytes: corrupt data";
    return false;
  }
  if (m_bytes.size() - m_at - kRecordHeaderSize < captured) {
    m_error = "the pcap data ends inside a packet";
    return false;
  }
  out->timestampNs = static_cast<std::int64_t>(seconds) * 1'000'000'000 +
                     static_cast<std::int64_t>(fraction) * (m_nanoseconds ? 1 : 1000);
  out->originalLength = original;
  out->data = {reinterpret_cast<const std::uint8_t*>(m_bytes.data() + m_at + kRecordHeaderSize),
               captured};
  m_at += kRecordHeaderSize + captured;
  return true;
}

}  // namespace netlens::pcap
