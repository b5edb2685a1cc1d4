// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace netlens::node::pipeline {

/// Up to kMaxPackets raw packets copied out of the capture buffer, handed from a capture
/// thread to one worker. Packets are decoded by the worker, so pointers never cross threads.
struct PacketBatch {
  static constexpr std::size_t kMaxPackets = 512;
  static constexpr std::size_t kArenaBytes = 1 << 20;

  struct Entry {
    std::int64_t timestampNs;
    std::uint32_t capturedLength;
    std::uint32_t wireLength;
    std::uint32_t offset;  ///< into arena
    std::int32_t linkType;
  };

  PacketBatch() {
    entries.reserve(kMaxPackets);
    arena.reserve(kArenaBytes);
  }

  bool isFull() const { return entries.size() >= kMaxPackets || arena.size() >= kArenaBytes; }
  bool isEmpty() const { return entries.empty(); }
  void clear() {
    entries.clear();
    arena.clear();
  }
  void add(std::int64_t ts, std::uint32_t caplen, std::uint32_t wirelen, const std::uint8_t* data,
           int linkType) {
    const auto offset = static_cast<std::uint32_t>(arena.size());
    arena.resize(arena.size() + caplen);
    std::memcpy(arena.data() + offset, data, caplen);
    entries.push_back(Entry{ts, caplen, wirelen, offset, linkType});
  }
  const std::uint8_t* dataOf(const Entry& e) const { return arena.data() + e.offset; }

  std::vector<Entry> entries;
  std::vector<std::uint8_t> arena;
  /// The capture source of every packet of a batch for the packet store (one source per
  /// batch: an interface, or a file's name without its folder); kept across clear().
  std::string source;
};

using BatchPtr = std::unique_ptr<PacketBatch>;

/// A bounded queue of batches between capture threads (producers) and one worker
/// (consumer). Overflow policy is the producer's choice: files block (no loss, offline
/// replay must be exact), live captures drop the batch and count it. Locks once per batch,
/// never per packet.
class BatchQueue {
 public:
  explicit BatchQueue(std::size_t capacity) : m_capacity(capacity) {}

  /// Blocks while the queue holds `limit` batches or more (at most its capacity); false once
  /// closed.
  bool push(BatchPtr batch, std::size_t limit = SIZE_MAX) {
    const std::size_t bound = std::min(limit, m_capacity);
    std::unique_lock lock(m_mutex);
    m_notFull.wait(lock, [&] { return m_closed || m_items.size() < bound; });
    if (m_closed) return false;
    m_items.push_back(std::move(batch));
    m_notEmpty.notify_one();
    return true;
  }
  /// Never blocks; returns the batch back when full (so the caller can count and reuse it).
  BatchPtr tryPush(BatchPtr batch) {
    std::lock_guard lock(m_mutex);
    if (m_closed || m_items.size() >= m_capacity) return batch;
    m_items.push_back(std::move(batch));
    m_notEmpty.notify_one();
    return nullptr;
  }
  /// Blocks until a batch arrives; nullptr once closed and drained.
  BatchPtr pop() {
    std::unique_lock lock(m_mutex);
    m_notEmpty.wait(lock, [&] { return m_closed || !m_items.empty(); });
    if (m_items.empty()) return nullptr;
    BatchPtr b = std::move(m_items.front());
    m_items.pop_front();
    m_notFull.notify_one();
    return b;
  }
  /// As pop(), but gives up after `timeout`: nullptr with `*closed` false when nothing came.
  template <class Duration>
  BatchPtr popFor(Duration timeout, bool* closed) {
    std::unique_lock lock(m_mutex);
    m_notEmpty.wait_for(lock, timeout, [&] { return m_closed || !m_items.empty(); });
    *closed = m_closed && m_items.empty();
    if (m_items.empty()) return nullptr;
    BatchPtr b = std::move(m_items.front());
    m_items.pop_front();
    m_notFull.notify_one();
    return b;
  }
  void close() {
    std::lock_guard lock(m_mutex);
    m_closed = true;
    m_notEmpty.notify_all();
    m_notFull.notify_all();
  }

 private:
  std::mutex m_mutex;
  std::condition_variable m_notEmpty;
  std::condition_variable m_notFull;
  std::deque<BatchPtr> m_items;
  std::size_t m_capacity;
  bool m_closed = false;
};

/// Recycles batches so their 1 MiB arenas are not reallocated (and re-faulted) per batch.
class BatchPool {
 public:
  BatchPtr acquire() {
    {
      std::lock_guard lock(m_mutex);
      if (!m_free.empty()) {
        BatchPtr b = std::move(m_free.back());
        m_free.pop_back();
        return b;
      }
    }
    return std::make_unique<PacketBatch>();
  }
  void release(BatchPtr b) {
    b->clear();
    std::lock_guard lock(m_mutex);
    if (m_free.size() < kMaxFree) m_free.push_back(std::move(b));
  }

 private:
  static constexpr std::size_t kMaxFree = 256;  // several workers' queues in flight
  std::mutex m_mutex;
  std::vector<BatchPtr> m_free;
};

}  // namespace netlens::node::pipeline
