// SPDX-License-Identifier: MIT
#include "node/store/batch_reader.h"

#include <linux/io_uring.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace netlens::node::store {

namespace {

// The system calls themselves (the C library has no wrappers, and liburing is not needed for
// this much: one kind of request, one batch at a time).
int ioUringSetup(unsigned entries, io_uring_params* params) {
  return static_cast<int>(::syscall(__NR_io_uring_setup, entries, params));
}

int ioUringEnter(int fd, unsigned toSubmit, unsigned minComplete) {
  return static_cast<int>(::syscall(__NR_io_uring_enter, fd, toSubmit, minComplete,
                                    IORING_ENTER_GETEVENTS, nullptr, 0));
}

/// The ring's indexes are shared with the kernel: the head it advances is read with acquire,
/// the tail we advance is written with release (the entries before it are then visible).
unsigned loadAcquire(unsigned* p) {
  return std::atomic_ref<unsigned>(*p).load(std::memory_order_acquire);
}

void storeRelease(unsigned* p, unsigned value) {
  std::atomic_ref<unsigned>(*p).store(value, std::memory_order_release);
}

template <typename T>
T* at(void* base, std::uint32_t offset) {
  return reinterpret_cast<T*>(static_cast<char*>(base) + offset);
}

void readOne(BatchReader::Request& r) {
  std::uint32_t done = 0;
  while (done < r.length) {
    const ssize_t got =
        ::pread(r.fd, r.into + done, r.length - done, static_cast<off_t>(r.offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      r.result = -errno;
      return;
    }
    if (got == 0) break;
    done += static_cast<std::uint32_t>(got);
  }
  r.result = done;
}

}  // namespace

BatchReader::BatchReader(bool useRing) : m_wantRing(useRing) {}

BatchReader::~BatchReader() {
  tearDown();
}

bool BatchReader::setUp() {
  io_uring_params params{};
  const int fd = ioUringSetup(kRingEntries, &params);
  if (fd < 0) return false;
  m_ringFd = fd;
  m_sqRingSize = params.sq_off.array + params.sq_entries * sizeof(unsigned);
  m_cqRingSize = params.cq_off.cqes + params.cq_entries * sizeof(io_uring_cqe);
  const bool single = (params.features & IORING_FEAT_SINGLE_MMAP) != 0;
  if (single) m_sqRingSize = m_cqRingSize = std::max(m_sqRingSize, m_cqRingSize);
  // Populated at once: a page touched later would cost a fault each time (dear here too).
  constexpr int kFlags = MAP_SHARED | MAP_POPULATE;
  m_sqRing = ::mmap(nullptr, m_sqRingSize, PROT_READ | PROT_WRITE, kFlags, fd, IORING_OFF_SQ_RING);
  if (m_sqRing == MAP_FAILED) {
    m_sqRing = nullptr;
    tearDown();
    return false;
  }
  if (single) {
    m_cqRing = m_sqRing;
  } else {
    m_cqRing =
        ::mmap(nullptr, m_cqRingSize, PROT_READ | PROT_WRITE, kFlags, fd, IORING_OFF_CQ_RING);
    if (m_cqRing == MAP_FAILED) {
      m_cqRing = nullptr;
      tearDown();
      return false;
    }
  }
  m_sqesSize = params.sq_entries * sizeof(io_uring_sqe);
  m_sqes = ::mmap(nullptr, m_sqesSize, PROT_READ | PROT_WRITE, kFlags, fd, IORING_OFF_SQES);
  if (m_sqes == MAP_FAILED) {
    m_sqes = nullptr;
    tearDown();
    return false;
  }
  m_sqHead = at<unsigned>(m_sqRing, params.sq_off.head);
  m_sqTail = at<unsigned>(m_sqRing, params.sq_off.tail);
  m_sqMask = *at<unsigned>(m_sqRing, params.sq_off.ring_mask);
  m_sqArray = at<unsigned>(m_sqRing, params.sq_off.array);
  m_cqHead = at<unsigned>(m_cqRing, params.cq_off.head);
  m_cqTail = at<unsigned>(m_cqRing, params.cq_off.tail);
  m_cqMask = *at<unsigned>(m_cqRing, params.cq_off.ring_mask);
  m_cqes = at<io_uring_cqe>(m_cqRing, params.cq_off.cqes);
  return true;
}

void BatchReader::tearDown() {
  if (m_sqes) ::munmap(m_sqes, m_sqesSize);
  if (m_cqRing && m_cqRing != m_sqRing) ::munmap(m_cqRing, m_cqRingSize);
  if (m_sqRing) ::munmap(m_sqRing, m_sqRingSize);
  if (m_ringFd >= 0) ::close(m_ringFd);
  m_sqes = m_cqRing = m_sqRing = nullptr;
  m_ringFd = -1;
}

void BatchReader::read(std::span<Request> requests) {
  if (!m_tried) {
    m_tried = true;
    if (m_wantRing && !setUp()) m_wantRing = false;
  }
  std::size_t i = 0;
  while (m_ringFd >= 0 && i < requests.size()) {
    const std::size_t n = std::min<std::size_t>(kRingEntries, requests.size() - i);
    const std::span<Request> batch = requests.subspan(i, n);
    if (!readRing(batch)) {
      // Nothing of this batch was queued: read it (and all later ones) the plain way.
      tearDown();
      break;
    }
    if (std::all_of(batch.begin(), batch.end(),
                    [](const Request& r) { return r.result == -EINVAL; })) {
      // A kernel with io_uring but without its read operation (5.1 to 5.5) refuses every
      // read: read this batch and all later ones the plain way instead of twice each.
      tearDown();
      break;
    }
    i += n;
  }
  for (; i < requests.size(); ++i) readOne(requests[i]);
}

bool BatchReader::readRing(std::span<Request> requests) {
  const auto n = static_cast<unsigned>(requests.size());
  const unsigned tail = *m_sqTail;  // only this thread writes it
  auto* sqes = static_cast<io_uring_sqe*>(m_sqes);
  for (unsigned j = 0; j < n; ++j) {
    const unsigned slot = (tail + j) & m_sqMask;
    io_uring_sqe& e = sqes[slot];
    std::memset(&e, 0, sizeof e);
    e.opcode = IORING_OP_READ;
    e.fd = requests[j].fd;
    e.off = requests[j].offset;
    e.addr = reinterpret_cast<std::uint64_t>(requests[j].into);
    e.len = requests[j].length;
    e.user_data = j;
    m_sqArray[slot] = slot;
  }
  storeRelease(m_sqTail, tail + n);
  unsigned completed = 0;
  while (completed < n) {
    const unsigned queued = loadAcquire(m_sqHead) - tail;  // taken by the kernel so far
    const int r = ioUringEnter(m_ringFd, n - queued, n - completed);
    if (r < 0 && (errno == EAGAIN || errno == EBUSY)) std::this_thread::yield();
    if (r < 0 && errno != EINTR && errno != EAGAIN && errno != EBUSY) {
      if (loadAcquire(m_sqHead) == tail && completed == 0) {
        storeRelease(m_sqTail, tail);  // take them back: none was queued
        return false;
      }
      // Reads in flight would still write into the caller's buffers: never seen (the kernel
      // fails io_uring_enter before it queues anything), and not survivable.
      std::fprintf(stderr, "netlens-node: io_uring_enter failed with reads in flight: %s\n",
                   std::strerror(errno));
      std::abort();
    }
    unsigned head = *m_cqHead;
    const unsigned cqTail = loadAcquire(m_cqTail);
    auto* cqes = static_cast<io_uring_cqe*>(m_cqes);
    for (; head != cqTail; ++head) {
      const io_uring_cqe& c = cqes[head & m_cqMask];
      if (c.user_data < n) {
        requests[c.user_data].result = c.res;
        ++completed;
      }
    }
    storeRelease(m_cqHead, head);
  }
  return true;
}

}  // namespace netlens::node::store
