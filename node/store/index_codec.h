// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>

/// Byte-level helpers shared by the segment index writer and reader: little-endian fixed
/// integers, LEB128 varints, zigzag and the 64-bit FNV-1a checksum. Every read is
/// bounds-checked: an index file is input too.
namespace netlens::node::store::detail {

inline constexpr char kIndexMagic[8] = {'N', 'L', 'S', 'I', 'D', 'X', '\r', '\n'};
/// Version 1 was one varint stream decoded whole on open; version 2 is read in place;
/// version 3 adds the Source key kind (same layout: version 2 is still read, its packets all
/// from the segment's first source). Another version is not read: the segment is indexed
/// again. Version 4 adds the session table (IndexSession) and posts the address, port and
/// protocol keys of a packet with one IP header through its session; older versions post
/// every packet's keys, which a version 4 reader still reads as they are. Version 5 adds the
/// sessions' MACs (KeyKind::SessionMac), times and bytes, codes the common protocols in a
/// record's flags and puts a fence before every 8 records instead of 16.
inline constexpr std::uint32_t kIndexVersion = 5;
inline constexpr std::uint32_t kOldestIndexVersion = 2;

inline void putVarint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

/// A signed number as an unsigned one, small either side of zero: 0, -1, 1, -2 → 0, 1, 2, 3.
inline std::uint64_t zigzag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}

inline std::int64_t unzigzag(std::uint64_t v) {
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
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

/// Keys of at most 8 bytes are coded as numbers (their bytes big-endian), so that a sorted
/// run of them is a run of small deltas.
inline constexpr std::size_t kNumericKeyBytes = 8;

inline std::uint64_t bigEndian(const std::uint8_t* p, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = v << 8 | p[i];
  return v;
}

inline void putBigEndian(std::uint8_t* p, std::size_t n, std::uint64_t v) {
  for (std::size_t i = n; i-- > 0; v >>= 8) p[i] = static_cast<std::uint8_t>(v);
}

/// 64-bit FNV-1a over little-endian 64-bit words (the last 0-7 bytes one by one), eight
/// times faster than byte by byte. Every step is a bijection of the state, so a change of any
/// one word or byte always changes the result.
inline std::uint64_t checksum(const void* data, std::size_t size) {
  constexpr std::uint64_t kPrime = 0x100000001b3ull;
  std::uint64_t h = 0xcbf29ce484222325ull;
  const auto* p = static_cast<const std::uint8_t*>(data);
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    h ^= getFixed<std::uint64_t>(p + i);
    h *= kPrime;
  }
  for (; i < size; ++i) {
    h ^= p[i];
    h *= kPrime;
  }
  return h;
}

/// How a posting list of two or more packets is coded (the low two bits of its head).
enum class ListCoding : std::uint8_t {
  Varints = 0,  ///< first packet number, then the differences, as varints
  Bitmap = 1,   ///< one bit per packet of the segment
  Golomb = 2,   ///< Exp-Golomb bit codes of the gaps, parameter from the list's density
  Gamma = 3,    ///< Exp-Golomb with parameter 0 (Elias gamma: lists in bursts)
};

/// The Exp-Golomb parameter of a list of `count` packets among `packets`: about the log of
/// its mean gap, less one.
inline unsigned golombParameter(std::uint64_t count, std::uint64_t packets) {
  const std::uint64_t mean = packets / (count ? count : 1);
  unsigned k = 0;
  while ((mean >> (k + 2)) != 0) ++k;
  return k;
}

/// Bits of the Exp-Golomb code with parameter `k` for `v`.
inline std::uint64_t golombBits(std::uint64_t v, unsigned k) {
  const auto n = static_cast<unsigned>(std::bit_width(v + (std::uint64_t{1} << k))) - 1;
  return 2 * n - k + 1;
}

/// Writes bit codes, most significant bit first, into whole bytes.
class BitWriter {
 public:
  explicit BitWriter(std::string& out) : m_out(out) {}
  ~BitWriter() { flush(); }
  /// The low `n` bits of `value` (n ≤ 64), the highest first; as many at once as the byte
  /// being filled takes.
  void bits(std::uint64_t value, unsigned n) {
    while (n > 0) {
      const unsigned take = std::min(n, 8 - m_used);
      n -= take;
      const auto chunk = static_cast<unsigned>((value >> n) & ((1u << take) - 1));
      m_byte = static_cast<std::uint8_t>(m_byte << take | chunk);
      m_used += take;
      if (m_used == 8) flush();
    }
  }
  /// The Exp-Golomb code of `v` with parameter `k`.
  void golomb(std::uint64_t v, unsigned k) {
    const std::uint64_t x = v + (std::uint64_t{1} << k);
    const auto n = static_cast<unsigned>(std::bit_width(x)) - 1;
    bits(0, n - k);
    bits(x, n + 1);
  }
  void flush() {
    if (m_used == 0) return;
    m_out.push_back(static_cast<char>(m_byte << (8 - m_used)));
    m_byte = 0;
    m_used = 0;
  }

 private:
  std::string& m_out;
  std::uint8_t m_byte = 0;
  unsigned m_used = 0;
};

/// Reads what BitWriter wrote, failing cleanly at the end of its span.
class BitReader {
 public:
  BitReader(const std::uint8_t* data, std::size_t size) : m_data(data), m_bits(size * 8) {}
  bool bit(unsigned* out) {
    if (m_at == m_bits) return false;
    *out = (m_data[m_at / 8] >> (7 - m_at % 8)) & 1;
    ++m_at;
    return true;
  }
  bool golomb(unsigned k, std::uint64_t* out) {
    unsigned zeros = 0;
    unsigned b = 0;
    for (;;) {
      if (!bit(&b)) return false;
      if (b) break;
      if (++zeros > 40) return false;
    }
    std::uint64_t x = 1;
    for (unsigned i = 0; i < zeros + k; ++i) {
      if (!bit(&b)) return false;
      x = x << 1 | b;
    }
    *out = x - (std::uint64_t{1} << k);
    return true;
  }
  /// Whole bytes read so far.
  std::size_t bytesUsed() const { return (m_at + 7) / 8; }

 private:
  const std::uint8_t* m_data;
  std::size_t m_bits;
  std::size_t m_at = 0;
};

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
  const std::uint8_t* position() const { return m_p; }
  std::size_t remaining() const { return static_cast<std::size_t>(m_end - m_p); }
  bool atEnd() const { return m_p == m_end; }

 private:
  const std::uint8_t* m_p;
  const std::uint8_t* m_end;
};

}  // namespace netlens::node::store::detail
