// SPDX-License-Identifier: MIT
#include "node/store/store_writer.h"

#include <chrono>
#include <cstdio>

namespace netlens::node::store {

StoreWriter::StoreWriter(std::unique_ptr<PacketStore> store)
    : m_store(std::move(store)), m_retention(m_store->retention()) {}

StoreWriter::~StoreWriter() {
  stop();
}

void StoreWriter::start() {
  if (!m_thread.joinable()) m_thread = std::thread([this] { run(); });
}

void StoreWriter::stop() {
  m_queue.close();
  if (m_thread.joinable()) m_thread.join();
  std::lock_guard storeLock(m_storeMutex);
  if (auto st = m_store->closeSegment(); !st) {
    std::lock_guard lock(m_mutex);
    if (m_error.empty()) m_error = st.error();
  }
  std::lock_guard lock(m_mutex);
  m_retention = m_store->retention();
}

pipeline::BatchPtr StoreWriter::offer(pipeline::BatchPtr batch, bool wait) {
  if (!batch || batch->isEmpty()) return batch;
  const std::size_t n = batch->entries.size();
  if (wait) {
    if (m_queue.push(std::move(batch))) return nullptr;
    m_drops.fetch_add(n, std::memory_order_relaxed);  // stopped meanwhile
    return nullptr;
  }
  if (pipeline::BatchPtr rejected = m_queue.tryPush(std::move(batch))) {
    m_drops.fetch_add(n, std::memory_order_relaxed);
    rejected->clear();
    return rejected;
  }
  return nullptr;
}

void StoreWriter::run() {
  using Clock = std::chrono::steady_clock;
  auto lastFlush = Clock::now();
  bool failed = false;
  bool dirty = false;
  const auto fail = [&](const std::string& error) {
    std::fprintf(stderr, "netlens-node: store: %s; no more packets are stored\n", error.c_str());
    std::lock_guard lock(m_mutex);
    m_error = error;
    failed = true;
  };
  bool closed = false;
  while (!closed) {
    pipeline::BatchPtr batch = m_queue.popFor(std::chrono::milliseconds(250), &closed);
    std::lock_guard storeLock(m_storeMutex);
    if (batch) {
      std::size_t stored = 0;
      m_store->setSource(batch->source);
      for (const auto& e : batch->entries) {
        if (failed) break;
        auto st = m_store->append(e.timestampNs, batch->dataOf(e), e.capturedLength, e.wireLength,
                                  static_cast<std::uint32_t>(e.linkType));
        if (!st) {
          fail(st.error());
          break;
        }
        ++stored;
        dirty = true;
      }
      m_drops.fetch_add(batch->entries.size() - stored, std::memory_order_relaxed);
      m_pool.release(std::move(batch));
    }
    if (!failed && dirty && Clock::now() - lastFlush >= std::chrono::seconds(1)) {
      if (auto st = m_store->flush(); !st) fail(st.error());
      lastFlush = Clock::now();
      dirty = false;
    }
    std::lock_guard lock(m_mutex);
    m_retention = m_store->retention();
  }
}

bool StoreWriter::search(const SearchRequest& request, protocol::SearchReply* reply,
                         std::string* problem) {
  std::lock_guard storeLock(m_storeMutex);
  return runSearch(*m_store, request, reply, problem);
}

Retention StoreWriter::retention() const {
  std::lock_guard lock(m_mutex);
  return m_retention;
}

std::string StoreWriter::error() const {
  std::lock_guard lock(m_mutex);
  return m_error;
}

}  // namespace netlens::node::store
