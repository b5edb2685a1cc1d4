// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "node/capture/bpf_filter.h"

namespace netlens::node::live {

/// The programs a live capture runs on the packets of one source: a packet is kept when it
/// passes both (a null program passes everything). Each source has its own copies, since a
/// compiled program may run on one thread at a time.
struct SourceFilters {
  std::unique_ptr<capture::BpfFilter> expression;
  std::unique_ptr<capture::BpfFilter> bytecode;
  bool tapped = false;  ///< false: a source of another link type, never tapped
};

/// Counters of one live capture.
struct LiveCounters {
  std::uint64_t packets = 0;  ///< matched and buffered
  std::uint64_t bytes = 0;    ///< their wire lengths
  std::uint64_t dropped = 0;  ///< matched, but the buffer was full
  std::uint64_t bufferedBytes = 0;
};

/// The packets of one live capture between two fetches: pcap records (16-byte header and
/// the bytes, cut to the snapshot length) in arrival order, at most `maxBytes` of them.
/// A full buffer refuses further packets and counts them as dropped: capture never waits
/// for a console.
///
/// Threads: offer() from capture threads (each source from one thread, so each per-source
/// filter runs on one thread at a time, as BpfFilter requires); take(), counters() and
/// close() from the service thread. One short mutex guards the records and counters: the
/// service thread holds it only to swap a buffer out or read counters, never while encoding
/// or sending.
class LiveCaptureBuffer {
 public:
  /// `filters[i]` are the programs of the source with tap index i (Pipeline::tapLinkTypes);
  /// only packets of `linkType` are kept (a pcapng source may mix link types).
  LiveCaptureBuffer(std::uint64_t id, int linkType, std::vector<SourceFilters> filters,
                    std::uint32_t snapLength, std::uint64_t maxBytes);

  std::uint64_t id() const { return m_id; }
  /// Capture thread: copies the packet in when it matches source `tapIndex`'s filter.
  void offer(std::size_t tapIndex, int linkType, std::int64_t timestampNs, const std::uint8_t* data,
             std::uint32_t capturedLength, std::uint32_t wireLength);
  /// Service thread: the buffered records, at most `maxBytes` of them (whole records; at
  /// least one when any is buffered); `*more` says whether taken records were left behind
  /// (the next take serves them first). Holds the capture threads' lock for a swap only, so
  /// a capture keeps at most twice its buffer size: the records taken but not yet served,
  /// and the new ones.
  std::string take(std::uint64_t maxBytes, bool* more);
  /// Service thread.
  LiveCounters counters() const;
  /// Service thread: refuses further packets and frees the buffer.
  void close();

 private:
  const std::uint64_t m_id;
  const int m_linkType;
  const std::vector<SourceFilters> m_filters;
  const std::uint32_t m_snapLength;
  const std::uint64_t m_maxBytes;
  mutable std::mutex m_mutex;
  std::string m_records;
  LiveCounters m_counters;
  // Service thread only: records taken from m_records, served from m_pendingAt on.
  std::string m_pending;
  std::size_t m_pendingAt = 0;
  bool m_closed = false;
};

/// The node's set of live captures as the capture threads see it.
///
/// Cost without a live capture: one relaxed atomic load per packet (isActive()). With
/// captures, a capture thread keeps a Cursor: a copy of the current set (copy-on-write),
/// refreshed only when the set's generation changed, so the mutex guarding the set is taken
/// once per change, not per packet, and only ever for a pointer copy.
///
/// Threads: add() and remove() from the service thread; isActive() and offer() from capture
/// threads, each with its own Cursor.
class LiveTap {
 public:
  using Set = std::vector<std::shared_ptr<LiveCaptureBuffer>>;
  /// A capture thread's view of the set.
  struct Cursor {
    std::uint64_t generation = 0;
    std::shared_ptr<const Set> captures;
  };

  bool isActive() const { return m_count.load(std::memory_order_relaxed) != 0; }
  void offer(Cursor& cursor, std::size_t tapIndex, int linkType, std::int64_t timestampNs,
             const std::uint8_t* data, std::uint32_t capturedLength, std::uint32_t wireLength);

  void add(std::shared_ptr<LiveCaptureBuffer> capture);
  /// Removes (and closes) the capture with `id`; false when there is none.
  bool remove(std::uint64_t id);

 private:
  std::atomic<std::size_t> m_count{0};
  std::atomic<std::uint64_t> m_generation{1};
  mutable std::mutex m_mutex;  // guards m_set
  std::shared_ptr<const Set> m_set = std::make_shared<const Set>();
};

}  // namespace netlens::node::live
