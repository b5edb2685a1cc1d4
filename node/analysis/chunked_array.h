// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#if defined(_WIN32)
#include <malloc.h>
#endif
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace netlens::node::analysis {

/// A growable array of `T` kept in fixed-size chunks, for tables of millions of small
/// elements. Elements never move: indices (and references) stay valid, and growing adds a
/// chunk instead of copying the array, so memory never briefly doubles. Every element of a
/// chunk is value-initialised when the chunk is allocated; none is ever destroyed (`T` must be
/// trivially destructible). Not thread-safe: owned by one worker.
template <typename T>
class ChunkedArray {
 public:
  T& operator[](std::uint32_t index) { return m_chunks[index / kChunkSize][index % kChunkSize]; }
  const T& operator[](std::uint32_t index) const {
    return m_chunks[index / kChunkSize][index % kChunkSize];
  }
  /// Elements created so far (indices 0 to size() - 1).
  std::size_t size() const { return m_count; }
  /// Creates one more element (value-initialised) and returns its index.
  std::uint32_t append() {
    if (m_count % kChunkSize == 0) m_chunks.push_back(makeChunk());
    return static_cast<std::uint32_t>(m_count++);
  }
  /// Bytes held by the chunks' elements, for memory reports.
  std::size_t memoryBytes() const { return m_chunks.size() * kChunkSize * sizeof(T); }

 private:
  static_assert(std::is_trivially_destructible_v<T>, "chunks are freed without destructors");
  /// A chunk fills one 2 MiB huge page where the system offers them (Linux transparent huge
  /// pages on request): a million-entry table then takes ~150 page faults instead of ~75 000,
  /// which otherwise cost more than a tenth of the analysis. Dividing by this constant
  /// compiles to a multiplication.
  static constexpr std::size_t kChunkBytes = std::size_t{2} << 20;
  static constexpr std::uint32_t kChunkSize =
      static_cast<std::uint32_t>(kChunkBytes / sizeof(T));  ///< elements per chunk

  struct ChunkFree {
    void operator()(T* p) const {
#if defined(_WIN32)
      _aligned_free(p);
#else
      std::free(p);
#endif
    }
  };
  using Chunk = std::unique_ptr<T[], ChunkFree>;

  static Chunk makeChunk() {
#if defined(_WIN32)
    void* raw = _aligned_malloc(kChunkBytes, kChunkBytes);
#else
    void* raw = std::aligned_alloc(kChunkBytes, kChunkBytes);
#endif
    if (raw == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    madvise(raw, kChunkBytes, MADV_HUGEPAGE);  // a hint; without it, ordinary pages
#endif
    T* elements = static_cast<T*>(raw);
    for (std::uint32_t i = 0; i < kChunkSize; ++i) new (elements + i) T{};
    return Chunk(elements);
  }

  std::vector<Chunk> m_chunks;
  std::size_t m_count = 0;  ///< elements created
};

}  // namespace netlens::node::analysis
