// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <span>

namespace netlens::node::store {

/// Reads many ranges of files (the candidate records of a search, here and there in a
/// segment) with few system calls: they are queued to the kernel's io_uring and read in one
/// `io_uring_enter` per batch, the kernel copying each from its page cache as `pread` would,
/// without a system call of its own (entering the kernel is the dear part of a small read in
/// a virtual machine). Where io_uring cannot be set up (an old kernel, a sandbox that forbids
/// it, `kernel.io_uring_disabled`), or asked not to, each range is read with `pread`.
///
/// Thread: one user at a time; the reader owns its ring (set up once, on the first read).
class BatchReader {
 public:
  /// One range to read: `length` bytes of `fd` at `offset` into `into`; `result` is then the
  /// number of bytes read (fewer at the end of the file) or a negative errno.
  struct Request {
    int fd = -1;
    std::uint64_t offset = 0;
    std::uint32_t length = 0;
    std::uint8_t* into = nullptr;
    std::int64_t result = 0;
  };

  /// Requests queued per system call (and the most a ring holds).
  static constexpr unsigned kRingEntries = 64;

  explicit BatchReader(bool useRing = true);
  ~BatchReader();
  BatchReader(const BatchReader&) = delete;
  BatchReader& operator=(const BatchReader&) = delete;

  /// Reads every request (any number) and sets its result.
  void read(std::span<Request> requests);
  /// Whether reads go through io_uring (known after the first read()).
  bool usesRing() const { return m_ringFd >= 0; }

 private:
  bool setUp();
  /// Reads up to kRingEntries requests through the ring; false when the ring failed before
  /// it queued any of them (they are then still to read).
  bool readRing(std::span<Request> requests);
  void tearDown();

  bool m_wantRing;
  bool m_tried = false;
  int m_ringFd = -1;
  void* m_sqRing = nullptr;
  std::size_t m_sqRingSize = 0;
  void* m_cqRing = nullptr;  ///< the same mapping as m_sqRing when the kernel shares them
  std::size_t m_cqRingSize = 0;
  void* m_sqes = nullptr;
  std::size_t m_sqesSize = 0;
  unsigned* m_sqHead = nullptr;
  unsigned* m_sqTail = nullptr;
  unsigned m_sqMask = 0;
  unsigned* m_sqArray = nullptr;
  unsigned* m_cqHead = nullptr;
  unsigned* m_cqTail = nullptr;
  unsigned m_cqMask = 0;
  void* m_cqes = nullptr;
};

}  // namespace netlens::node::store
