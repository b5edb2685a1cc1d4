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
/// SessionScanner's bound); one unused for kIdle goes, then the least recently used. A
/// paged search that found its scan gone starts it again, paged, as a *restarted* scan: those
/// are passed over when room is made, up to kMaxRestarted more than kMaxScans, so that more
/// searches at once than kMaxScans each get through their first pass a page at a time. A
/// search that loses even a restarted scan reads its first pass whole (restartedBefore()).
/// Thread: as the PacketStore that owns it (under its searches' lock).
class SessionScanCache {
 public:
  static constexpr std::size_t kMaxScans = 4;
  static constexpr std::size_t kMaxRestarted = 4;
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
    /// Candidates read so far, and the estimate of all the pass will read (0 until the pass
    /// first runs out of time, or when it could not be counted; for progress).
    std::uint64_t read = 0;
    std::uint64_t estimate = 0;
  };

  /// The scan kept under `key`, or null; marks it used at `now`.
  Scan* find(const std::string& key, Clock::time_point now);
  /// Keeps `scan` under `key` (making room first) and returns it. `restarted`: the search
  /// had lost its scan (remembered for restartedBefore()).
  Scan& insert(const std::string& key, Scan scan, Clock::time_point now, bool restarted = false);
  /// A scan under `key` was started again after it had been lost (among the last
  /// kRememberedRestarts such keys).
  bool restartedBefore(const std::string& key) const;
  /// The scan under `key` got through its first pass: losing it later starts it again paged.
  void forgetRestart(const std::string& key);
  void erase(const std::string& key);
  std::size_t size() const { return m_entries.size(); }

  /// Every criterion except `after`, as one string.
  static std::string keyOf(const SearchCriteria& criteria);

 private:
  static constexpr std::size_t kRememberedRestarts = 64;
  struct Entry {
    std::string key;
    Scan scan;
    Clock::time_point used;
    bool restarted = false;
  };
  std::vector<Entry> m_entries;
  std::vector<std::string> m_restartedKeys;  ///< oldest first
};

}  // namespace netlens::node::store
