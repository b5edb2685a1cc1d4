// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>

namespace netlens::node::analysis {

/// The bytes of one protocol message that straddles TCP segments, held by the layer-7 parsers
/// only for as long as the message is incomplete. Unused, it is 16 bytes and owns no heap
/// memory; it grows geometrically up to the cap its user passes, and release() gives the
/// memory back (the parsers do so as soon as the message is complete).
/// Not thread-safe: belongs to one parser.
class SpillBuffer {
 public:
  bool empty() const { return m_size == 0; }
  std::uint32_t size() const { return m_size; }
  std::uint32_t capacity() const { return m_capacity; }
  const std::uint8_t* data() const { return m_data.get(); }

  /// Makes room for `total` bytes in all (callers that know the message length ask once).
  void reserve(std::uint32_t total) {
    if (total <= m_capacity) return;
    auto grown = std::make_unique<std::uint8_t[]>(total);
    if (m_size != 0) std::memcpy(grown.get(), m_data.get(), m_size);
    m_data = std::move(grown);
    m_capacity = total;
  }

  /// Appends as much of `length` bytes as fits under `cap` bytes in all; returns how many
  /// were stored.
  std::uint32_t append(const std::uint8_t* bytes, std::size_t length, std::uint32_t cap) {
    if (m_size >= cap || length == 0) return 0;
    const auto n = static_cast<std::uint32_t>(std::min<std::size_t>(length, cap - m_size));
    if (m_size + n > m_capacity) {
      const std::uint32_t doubled = m_capacity == 0 ? kFirstCapacity : m_capacity * 2;
      reserve(std::min(cap, std::max(doubled, m_size + n)));
    }
    std::memcpy(m_data.get() + m_size, bytes, n);
    m_size += n;
    return n;
  }

  /// Forgets the contents and frees the memory.
  void release() {
    m_data.reset();
    m_size = 0;
    m_capacity = 0;
  }

 private:
  static constexpr std::uint32_t kFirstCapacity = 512;
  std::unique_ptr<std::uint8_t[]> m_data;
  std::uint32_t m_size = 0;
  std::uint32_t m_capacity = 0;
};

}  // namespace netlens::node::analysis
