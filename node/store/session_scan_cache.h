// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "node/store/packet_store.h"

namespace netlens::node::store {

class PayloadMatcher;
class SessionScanner;

/// The first passes of recent session searches (payload per session, HTTP criteria), kept so
/// the next page of a paged search, or the same search again, goes on where the last one
/// stopped instead of reading the whole store again: the scanner keeps its followed TCP
/// directions and the sessions found, and only packets stored after `scannedTo` are fed.
/// Keyed by every criterion but the resume position. At most kMaxScans are kept (each up to
/// SessionScanner's bound); one unused for kIdle goes, then the least recently used.
/// Thread: as the PacketStore that owns it (under its searches' lock).
class SessionScanCache {
 public:
  static constexpr std::size_t kMaxScans = 4;
  static constexpr std::chrono::seconds kIdle{60};
  using Clock = std::chrono::steady_clock;

  struct Scan {
    Scan();
    ~Scan();
    Scan(Scan&&) noexcept;
    Scan& operator=(Scan&&) noexcept;
    std::unique_ptr<PayloadMatcher> matcher;  ///< null: no signature; outlives the scanner
    std::unique_ptr<SessionScanner> scanner;
    /// The last packet fed; nothing yet when empty.
    std::optional<SearchCriteria::Position> scannedTo;
  };

  /// The scan kept under `key`, or null; marks it used at `now`.
  Scan* find(const std::string& key, Clock::time_point now);
  /// Keeps `scan` under `key` (making room first) and returns it.
  Scan& insert(const std::string& key, Scan scan, Clock::time_point now);
  void erase(const std::string& key);
  std::size_t size() const { return m_entries.size(); }

  /// Every criterion except `after`, as one string.
  static std::string keyOf(const SearchCriteria& criteria);

 private:
  struct Entry {
    std::string key;
    Scan scan;
    Clock::time_point used;
  };
  std::vector<Entry> m_entries;
};

}  // namespace netlens::node::store
