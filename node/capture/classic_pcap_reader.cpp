// SPDX-License-Identifier: MIT
#include "node/capture/classic_pcap_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace netlens::node::capture {
namespace {

constexpr std::size_t kBufferSize = 256 << 10;  // stays in L2 between read() and parsing
constexpr std::size_t kFileHeaderSize = 24;
constexpr std::size_t kRecordHeaderSize = 16;

constexpr std::uint32_t kMagicMicro = 0xa1b2c3d4;
constexpr std::uint32_t kMagicNano = 0xa1b23c4d;

std::uint32_t swap32(std::uint32_t v) {
  return __builtin_bswap32(v);
}

/// What libpcap accepts as the largest record of a link type (max_snaplen_for_dlt()).
std::uint32_t maxLengthFor(int linkType) {
  switch (linkType) {
    case 231:  // LINKTYPE_DBUS
      return 128 * 1024 * 1024;
    case 279:  // LINKTYPE_EBHSCR
      return 8 * 1024 * 1024;
    case 249:  // LINKTYPE_USBPCAP
      return 1024 * 1024;
    default:
      return RecordReader::kMaxPacketLength;
  }
}

/// Reads the magic and version; false if this is not a standard classic pcap file of a version
/// libpcap 1.10 reads (2.0 to 2.4; it refuses later ones).
bool parseMagic(const std::uint8_t* h, bool* swapped, bool* nano) {
  std::uint32_t magic;
  std::memcpy(&magic, h, 4);
  if (magic == kMagicMicro || magic == kMagicNano) {
    *swapped = false;
  } else if (swap32(magic) == kMagicMicro || swap32(magic) == kMagicNano) {
    *swapped = true;
    magic = swap32(magic);
  } else {
    return false;
  }
  *nano = magic == kMagicNano;
  std::uint16_t major;
  std::uint16_t minor;
  std::memcpy(&major, h + 4, 2);
  std::memcpy(&minor, h + 6, 2);
  if (*swapped) {
    major = static_cast<std::uint16_t>(major << 8 | major >> 8);
    minor = static_cast<std::uint16_t>(minor << 8 | minor >> 8);
  }
  return major == 2 && minor <= 4;
}

}  // namespace

ClassicPcapReader::ClassicPcapReader() = default;

ClassicPcapReader::~ClassicPcapReader() {
  if (m_fd >= 0) ::close(m_fd);
}

bool ClassicPcapReader::looksLikeClassicPcap(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  std::uint8_t h[8];
  const bool ok = ::read(fd, h, sizeof h) == static_cast<ssize_t>(sizeof h);
  ::close(fd);
  bool swapped = false, nano = false;
  return ok && parseMagic(h, &swapped, &nano);
}

bool ClassicPcapReader::open(const std::string& path, std::string* error) {
  m_path = path;
  m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (m_fd < 0) {
    *error = "cannot read " + path + ": " + std::strerror(errno) +
             " (check the file name and its permissions)";
    return false;
  }
  ::posix_fadvise(m_fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  m_buffer.resize(kBufferSize);
  if (!ensure(kFileHeaderSize)) {
    *error =
        path + ": truncated pcap file header (" + std::to_string(m_len - m_pos) + " of 24 bytes)";
    return false;
  }
  const std::uint8_t* h = m_buffer.data() + m_pos;
  if (!parseMagic(h, &m_swapped, &m_nanosecond)) {
    *error = path + ": not a classic pcap file";
    return false;
  }
  // As libpcap: the link-type field's upper bits carry FCS information.
  m_linkType = static_cast<int>(u32(h + 20) & 0x03ffffff);
  m_maxLength = maxLengthFor(m_linkType);
  std::uint16_t minor;
  std::memcpy(&minor, h + 6, 2);
  if (m_swapped) minor = static_cast<std::uint16_t>(minor << 8 | minor >> 8);
  // As libpcap: before version 2.3 the wire length came first; version 2.3 files were written
  // both ways, so there the lengths are exchanged only when the "captured" one is larger.
  m_swappedLengths = minor < 3;
  m_maybeSwappedLengths = minor == 3;
  m_snapLength = u32(h + 16);
  if (m_snapLength == 0 || m_snapLength > m_maxLength) m_snapLength = m_maxLength;
  m_pos += kFileHeaderSize;
  return true;
}

std::uint32_t ClassicPcapReader::u32(const std::uint8_t* p) const {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return m_swapped ? swap32(v) : v;
}

std::int64_t ClassicPcapReader::timeField(const std::uint8_t* p) const {
  // libpcap 1.10 reads both fields into a struct of signed 32-bit numbers (pcap_timeval),
  // but its SWAPLONG() yields unsigned ones: a file in this machine's byte order has signed
  // timestamps (after 2038 they fall before 1970), one in the other order unsigned ones.
  const std::uint32_t v = u32(p);
  return m_swapped ? std::int64_t{v} : std::int64_t{static_cast<std::int32_t>(v)};
}

bool ClassicPcapReader::ensure(std::size_t n) {
  while (m_len - m_pos < n) {
    if (m_eof) return false;
    if (m_pos > 0) {
      std::memmove(m_buffer.data(), m_buffer.data() + m_pos, m_len - m_pos);
      m_len -= m_pos;
      m_pos = 0;
    }
    if (n > m_buffer.size()) m_buffer.resize(n);
    const ssize_t got = ::read(m_fd, m_buffer.data() + m_len, m_buffer.size() - m_len);
    if (got < 0) {
      if (errno == EINTR) continue;
      m_eof = true;
      return false;
    }
    if (got == 0) m_eof = true;
    m_len += static_cast<std::size_t>(got);
  }
  return true;
}

RecordReader::Status ClassicPcapReader::fail(std::string message) {
  m_error = std::move(message);
  m_eof = true;
  m_pos = m_len;
  return Status::Error;
}

RecordReader::Status ClassicPcapReader::next(FileRecord& out) {
  if (!m_error.empty()) return Status::Error;
  if (!ensure(kRecordHeaderSize)) {
    const std::size_t left = m_len - m_pos;
    if (left == 0) return Status::End;
    return fail("truncated dump file; tried to read 16 header bytes, only got " +
                std::to_string(left));
  }
  const std::uint8_t* h = m_buffer.data() + m_pos;
  const std::int64_t seconds = timeField(h);
  const std::int64_t fraction = timeField(h + 4);
  std::uint32_t caplen = u32(h + 8);
  std::uint32_t len = u32(h + 12);
  if (m_swappedLengths || (m_maybeSwappedLengths && caplen > len)) std::swap(caplen, len);
  if (caplen > m_maxLength) {
    return fail("invalid packet capture length " + std::to_string(caplen) +
                ", bigger than maximum of " + std::to_string(m_maxLength));
  }
  // Longer than the file's snapshot length: libpcap keeps the first snapshot-length bytes
  // and skips the rest.
  const std::uint32_t stored = caplen;
  if (caplen > m_snapLength) caplen = m_snapLength;
  m_pos += kRecordHeaderSize;
  if (!ensure(stored)) {
    return fail("truncated dump file; tried to read " + std::to_string(stored) +
                " captured bytes, only got " + std::to_string(m_len - m_pos));
  }
  out.data = m_buffer.data() + m_pos;
  out.capturedLength = caplen;
  out.wireLength = len;
  out.linkType = m_linkType;
  out.interfaceId = 0;
  // As libpcap with nanosecond precision: microseconds are scaled, nothing is validated.
  out.timestampNs = seconds * 1'000'000'000 + fraction * (m_nanosecond ? 1 : 1000);
  m_pos += stored;
  return Status::Packet;
}

}  // namespace netlens::node::capture
