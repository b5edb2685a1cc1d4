// SPDX-License-Identifier: MIT
#include "node/store/segment_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include "shared/pcap/pcap_writer.h"

namespace netlens::node::store {

namespace {

std::uint32_t le32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 |
         std::uint32_t{p[3]} << 24;
}

/// The fields of a record header into `out`; false when the record is larger than any we
/// write.
bool readRecordHeader(const std::uint8_t* h, SegmentRecord* out) {
  const std::uint32_t captured = le32(h + 8);
  if (captured > pcap::kDefaultSnapLength) return false;
  out->timestampNs = std::int64_t{le32(h)} * 1'000'000'000 + le32(h + 4);
  out->capturedLength = captured;
  out->wireLength = le32(h + 12);
  return true;
}

}  // namespace

SegmentReader::SegmentReader(const std::string& path) : m_file(std::fopen(path.c_str(), "rb")) {}

SegmentReader::~SegmentReader() {
  if (m_file) std::fclose(m_file);
}

bool SegmentReader::header(std::uint32_t* linkType) {
  std::uint8_t h[pcap::kFileHeaderSize];
  if (std::fseek(m_file, 0, SEEK_SET) != 0 || std::fread(h, 1, sizeof h, m_file) != sizeof h)
    return false;
  if (le32(h) != pcap::kMagicNanoseconds) return false;
  *linkType = le32(h + 20);
  return true;
}

bool SegmentReader::record(std::uint64_t offset, SegmentRecord* out) {
  std::uint8_t h[pcap::kRecordHeaderSize];
  if (std::fseek(m_file, static_cast<long>(offset), SEEK_SET) != 0 ||
      std::fread(h, 1, sizeof h, m_file) != sizeof h || !readRecordHeader(h, out))
    return false;
  m_buffer.resize(out->capturedLength);
  if (std::fread(m_buffer.data(), 1, out->capturedLength, m_file) != out->capturedLength)
    return false;
  out->data = m_buffer.data();
  return true;
}

SegmentFile::SegmentFile(const std::string& path, std::uint64_t size)
    : m_fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)), m_size(size) {}

SegmentFile::~SegmentFile() {
  if (m_fd >= 0) ::close(m_fd);
}

void SegmentFile::readAhead(BatchReader& reader, std::span<const std::uint64_t> offsets,
                            std::span<const std::uint64_t> ends) {
  m_ahead.clear();
  m_aheadNext = 0;
  m_requests.clear();
  std::size_t total = 0;
  for (std::size_t i = 0; i < offsets.size(); ++i) {
    const std::uint64_t offset = offsets[i];
    const std::uint64_t end = i < ends.size() ? ends[i] : 0;
    Ahead a{offset, -1};
    if (m_fd >= 0 && end > offset && end <= m_size &&
        end - offset <= pcap::kRecordHeaderSize + pcap::kDefaultSnapLength &&
        total + (end - offset) <= kAheadBytes) {
      a.request = static_cast<int>(m_requests.size());
      m_requests.push_back({m_fd, offset, static_cast<std::uint32_t>(end - offset), nullptr, 0});
      total += end - offset;
    }
    m_ahead.push_back(a);
  }
  if (m_requests.empty()) return;
  m_aheadBytes.resize(total);
  std::size_t at = 0;
  for (auto& r : m_requests) {
    r.into = m_aheadBytes.data() + at;
    at += r.length;
  }
  reader.read(m_requests);
}

bool SegmentFile::record(std::uint64_t offset, SegmentRecord* out, std::uint64_t end) {
  if (m_aheadNext < m_ahead.size() && m_ahead[m_aheadNext].offset == offset) {
    const Ahead& a = m_ahead[m_aheadNext++];
    if (a.request >= 0) {
      const BatchReader::Request& r = m_requests[static_cast<std::size_t>(a.request)];
      if (r.result >= static_cast<std::int64_t>(pcap::kRecordHeaderSize) &&
          readRecordHeader(r.into, out) &&
          pcap::kRecordHeaderSize + out->capturedLength <= static_cast<std::uint64_t>(r.result)) {
        out->data = r.into + pcap::kRecordHeaderSize;
        return true;
      }
    }
    // Not read ahead, or not what the index said (cut short, damaged): the plain way, which
    // tells what is there.
  }
  // The whole record in one read where the index says where it ends, and never less than
  // kReadSize: small neighbours (the ACKs of a busy host) then come with the same read.
  const std::size_t want =
      end > offset && end - offset <= pcap::kRecordHeaderSize + pcap::kDefaultSnapLength
          ? std::max(kReadSize, static_cast<std::size_t>(end - offset))
          : kReadSize;
  const std::uint8_t* h = bytes(offset, pcap::kRecordHeaderSize, want);
  if (!h || !readRecordHeader(h, out)) return false;
  out->data = bytes(offset + pcap::kRecordHeaderSize, out->capturedLength);
  return out->data != nullptr || out->capturedLength == 0;
}

const std::uint8_t* SegmentFile::bytes(std::uint64_t at, std::size_t n, std::size_t want) {
  if (at > m_size || m_size - at < n) return nullptr;
  if (at >= m_bufferAt && at + n <= m_bufferAt + m_buffer.size())
    return m_buffer.data() + (at - m_bufferAt);
  m_buffer.resize(std::max<std::uint64_t>(n, std::min<std::uint64_t>(want, m_size - at)));
  const ssize_t got = ::pread(m_fd, m_buffer.data(), m_buffer.size(), static_cast<off_t>(at));
  if (got < static_cast<ssize_t>(n)) {
    m_buffer.clear();
    return nullptr;
  }
  m_buffer.resize(static_cast<std::size_t>(got));
  m_bufferAt = at;
  return m_buffer.data();
}

}  // namespace netlens::node::store
