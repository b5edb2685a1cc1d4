// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

/// Byte-level helpers shared by the segment index writer and reader: little-endian fixed
/// integers, LEB128 varints, zigzag and the 64-bit FNV-1a checksum. Every read is
/// bounds-checked: an index file is input too.
namespace netlens::node::store::detail {

inline constexpr char kIndexMagic[8] = {'N', 'L', 'S', 'I', 'D', 'X', '\r', '\n'};
/// Version 1 was one varint stream decoded whole on open; version 2 is read in place.
/// Another version is not read: the segment is indexed again.
inline constexpr std::uint32_t kIndexVersion = 2;

inline void putVarint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

inline std::size_t varintSize(std::uint64_t v) {
  std::size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

template <typename T>
void putFixed(std::string& out, T v) {
  const auto u = static_cast<std::uint64_t>(v);
  for (std::size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<char>(u >> (8 * i)));
}

template <typename T>
T getFixed(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) v |= static_cast<std::uint64_t>(p[i]) << (8 * i);
  return static_cast<T>(v);
}

inline std::uint64_t fnv1a(const void* data, std::size_t size,
                           std::uint64_t h = 0xcbf29ce484222325ull) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  for (std::size_t i = 0; i < size; ++i) {
    h ^= p[i];
    h *= 0x100000001b3ull;
  }
  return h;
}

/// Reads varints and bytes from a span; every read fails cleanly at its end.
class ByteReader {
 public:
  ByteReader(const std::uint8_t* data, std::size_t size) : m_p(data), m_end(data + size) {}
  bool varint(std::uint64_t* out) {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (m_p == m_end) return false;
      const std::uint8_t byte = *m_p++;
      v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) {
        *out = v;
        return true;
      }
    }
    return false;
  }
  bool bytes(void* out, std::size_t n) {
    if (remaining() < n) return false;
    std::memcpy(out, m_p, n);
    m_p += n;
    return true;
  }
  /// The next `n` bytes in place (advancing past them), or null.
  const std::uint8_t* take(std::size_t n) {
    if (remaining() < n) return nullptr;
    const std::uint8_t* p = m_p;
    m_p += n;
    return p;
  }
  std::size_t remaining() const { return static_cast<std::size_t>(m_end - m_p); }
  bool atEnd() const { return m_p == m_end; }

 private:
  const std::uint8_t* m_p;
  const std::uint8_t* m_end;
};

}  // namespace netlens::node::store::detail
