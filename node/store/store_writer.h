// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "node/pipeline/packet_batch.h"
#include "node/store/packet_store.h"
#include "node/store/search_request.h"

namespace netlens::node::store {

/// The store writer thread: takes batches of packets copied by the capture threads and
/// appends them to a PacketStore, flushing at least once a second, so a live capture never
/// waits for the disk. Its queue is bounded: a live source whose batch does not fit counts
/// the packets as store drops (the analysis still sees them); files wait instead, so that an
/// offline run stores every packet. What was written is handed to the operating system at
/// least once a second, also when no more packets come.
///
/// Thread: offer() from capture threads (any number); retention(), drops() and search() from
/// any thread.
class StoreWriter {
 public:
  static constexpr std::size_t kQueueBatches = 64;

  explicit StoreWriter(std::unique_ptr<PacketStore> store);
  ~StoreWriter();
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  void start();
  /// Stores what is queued, closes the open segment (writing its index) and ends the thread.
  void stop();

  /// Hands a batch over; with `wait` false a full queue refuses it (returned, with its
  /// packets counted as drops), else the call waits for room. Returns the batch to reuse, or
  /// null when it was taken.
  pipeline::BatchPtr offer(pipeline::BatchPtr batch, bool wait);

  /// An empty batch to fill (recycled from the ones already stored).
  pipeline::BatchPtr acquire() { return m_pool.acquire(); }

  Retention retention() const;
  std::uint64_t drops() const { return m_drops.load(std::memory_order_relaxed); }
  /// The first write error, if any ("" while all is well). Writing stops after it.
  std::string error() const;
  /// Searches the ring while it is written (the writer waits meanwhile, at most for the
  /// length of one search: keep searches selective or limited).
  bool search(const SearchRequest& request, protocol::SearchReply* reply, std::string* problem);

 private:
  void run();

  std::unique_ptr<PacketStore> m_store;
  pipeline::BatchQueue m_queue{kQueueBatches};
  pipeline::BatchPool m_pool;
  std::thread m_thread;
  std::atomic<std::uint64_t> m_drops{0};
  std::mutex m_storeMutex;     ///< guards m_store (writer thread and searches)
  mutable std::mutex m_mutex;  ///< guards m_retention and m_error
  Retention m_retention;
  std::string m_error;
};

}  // namespace netlens::node::store
