// SPDX-License-Identifier: MIT
#include "shared/pcap/pcap_writer.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace netlens::pcap {

namespace {

constexpr std::size_t kStdioBufferSize = 1 << 20;
constexpr std::int64_t kNanosecondsPerSecond = 1'000'000'000;

void putLe16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v);
  p[1] = static_cast<std::uint8_t>(v >> 8);
}

void putLe32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

}  // namespace

PcapWriter::~PcapWriter() {
  close(nullptr);
}

PcapWriter::PcapWriter(PcapWriter&& other) noexcept {
  *this = std::move(other);
}

PcapWriter& PcapWriter::operator=(PcapWriter&& other) noexcept {
  if (this != &other) {
    close(nullptr);
    m_file = std::exchange(other.m_file, nullptr);
    m_buffer = std::move(other.m_buffer);
    m_path = std::move(other.m_path);
    m_linkType = other.m_linkType;
    m_snapLength = other.m_snapLength;
    m_packets = std::exchange(other.m_packets, 0);
    m_bytes = std::exchange(other.m_bytes, 0);
    m_failed = std::exchange(other.m_failed, false);
  }
  return *this;
}

std::array<std::uint8_t, kFileHeaderSize> PcapWriter::fileHeader(std::uint32_t linkType,
                                                                 std::uint32_t snapLength) {
  std::array<std::uint8_t, kFileHeaderSize> h{};
  putLe32(&h[0], kMagicNanoseconds);
  putLe16(&h[4], 2);  // version 2.4
  putLe16(&h[6], 4);
  // h[8..15]: thiszone and sigfigs, always 0.
  putLe32(&h[16], snapLength);
  putLe32(&h[20], linkType);
  return h;
}

std::array<std::uint8_t, kRecordHeaderSize> PcapWriter::recordHeader(std::int64_t timestampNs,
                                                                     std::uint32_t capturedLength,
                                                                     std::uint32_t originalLength) {
  std::array<std::uint8_t, kRecordHeaderSize> h{};
  const std::int64_t ts = std::max<std::int64_t>(timestampNs, 0);
  // Seconds are an unsigned 32-bit field: valid until 2106.
  putLe32(&h[0], static_cast<std::uint32_t>(ts / kNanosecondsPerSecond));
  putLe32(&h[4], static_cast<std::uint32_t>(ts % kNanosecondsPerSecond));
  putLe32(&h[8], capturedLength);
  putLe32(&h[12], originalLength);
  return h;
}

bool PcapWriter::open(const std::string& path, std::uint32_t linkType, std::uint32_t snapLength,
                      std::string* error) {
  close(nullptr);
  m_path = path;
  m_linkType = linkType;
  m_snapLength = snapLength == 0 ? kDefaultSnapLength : snapLength;
  m_packets = 0;
  m_bytes = 0;
  m_failed = false;
  m_file = std::fopen(path.c_str(), "wb");
  if (m_file == nullptr) return fail("cannot create", error);
  m_buffer = std::make_unique<char[]>(kStdioBufferSize);
  std::setvbuf(m_file, m_buffer.get(), _IOFBF, kStdioBufferSize);
  const auto header = fileHeader(m_linkType, m_snapLength);
  if (std::fwrite(header.data(), 1, header.size(), m_file) != header.size()) {
    fail("cannot write the header of", error);
    std::fclose(m_file);
    m_file = nullptr;
    return false;
  }
  m_bytes = header.size();
  return true;
}

bool PcapWriter::flush(std::string* error) {
  if (m_file == nullptr) return true;
  if (std::fflush(m_file) != 0) return fail("cannot write to", error);
  return true;
}

bool PcapWriter::writePacket(std::int64_t timestampNs, std::span<const std::uint8_t> data,
                             std::uint32_t originalLength, std::string* error) {
  if (m_file == nullptr) {
    if (error != nullptr) *error = "pcap writer is not open";
    return false;
  }
  const auto captured =
      static_cast<std::uint32_t>(std::min<std::size_t>(data.size(), m_snapLength));
  if (originalLength == 0) originalLength = static_cast<std::uint32_t>(data.size());
  const auto header = recordHeader(timestampNs, captured, originalLength);
  // Most records fit a small buffer: one call to stdio (which locks the file each time)
  // instead of two.
  std::array<std::uint8_t, kRecordHeaderSize + 2048> record;
  if (captured <= record.size() - kRecordHeaderSize) {
    std::memcpy(record.data(), header.data(), header.size());
    if (captured != 0) std::memcpy(record.data() + header.size(), data.data(), captured);
    const std::size_t size = header.size() + captured;
    if (std::fwrite(record.data(), 1, size, m_file) != size) {
      m_failed = true;
      return fail("cannot write to", error);
    }
  } else if (std::fwrite(header.data(), 1, header.size(), m_file) != header.size() ||
             std::fwrite(data.data(), 1, captured, m_file) != captured) {
    m_failed = true;
    return fail("cannot write to", error);
  }
  ++m_packets;
  m_bytes += header.size() + captured;
  return true;
}

bool PcapWriter::close(std::string* error) {
  if (m_file == nullptr) return true;
  const bool flushed = std::fflush(m_file) == 0;
  const int savedErrno = errno;
  const bool closed = std::fclose(m_file) == 0;
  m_file = nullptr;
  m_buffer.reset();
  if (!flushed || !closed || m_failed) {
    if (!flushed) errno = savedErrno;
    return fail("cannot finish writing", error);
  }
  return true;
}

bool PcapWriter::fail(const std::string& what, std::string* error) {
  if (error != nullptr) *error = what + " " + m_path + ": " + std::strerror(errno);
  return false;
}

}  // namespace netlens::pcap
