// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "node/analysis/history.h"

namespace netlens::node::analysis {

/// The per-IP histories of one analyser: at most `capacity` slots, each a History of
/// kHostHistoryWidth counters (tx packets, tx bytes, rx packets, rx bytes), so per-IP
/// history has a fixed memory ceiling whatever the number of hosts (about 30 KB per slot
/// with the default geometry; see README).
///
/// Who gets a slot: a host when it first appears, while slots are free; when all are taken,
/// a host takes the slot whose owner has been quiet longest, but only if that owner has
/// been quiet for at least `reclaimIdleNs` of packet time. So the most recently active
/// hosts keep their history and a scan of a /16 cannot wipe out the charts of busy hosts.
/// A host that got no slot asks again (at most once per second of packet time, see
/// HostAnalyzer); its history then begins later than its counters (`startedWithHost`).
///
/// Owners are host-table indices, given and taken back by HostAnalyzer. Slot memory is
/// allocated when a slot is first used, never on a packet of a host that has one.
/// Thread: owned by one analyser, like the host table.
class HostHistoryPool {
 public:
  static constexpr std::uint32_t kNone = UINT32_MAX;
  static constexpr std::size_t kHostHistoryWidth = 4;

  /// Slots of `width` counters (a host's four by default) with `extremes` (History).
  HostHistoryPool(std::size_t capacity, HistoryGeometry geometry, protocol::TimeNs reclaimIdleNs,
                  std::size_t width = kHostHistoryWidth, ExtremeColumns extremes = {});

  /// A slot for host `owner` at packet time `ts`, or kNone. `fromFirstPacket`: the host is
  /// new, so its history will hold all of its traffic. When the slot was taken from another
  /// host, `*previousOwner` names it (else kNone): that host has no history any more.
  std::uint32_t acquire(std::uint32_t owner, protocol::TimeNs ts, bool fromFirstPacket,
                        std::uint32_t* previousOwner);
  /// Gives a slot back (its host left the table).
  void release(std::uint32_t slot);
  /// Marks the slot used at `ts` (call at most once per second of a host: it re-links a list).
  void touch(std::uint32_t slot, protocol::TimeNs ts);

  History& history(std::uint32_t slot) { return m_slots[slot].history; }
  const History& history(std::uint32_t slot) const { return m_slots[slot].history; }
  bool startedWithHost(std::uint32_t slot) const { return m_slots[slot].startedWithHost; }

  std::size_t size() const { return m_used; }
  std::size_t capacity() const { return m_capacity; }
  /// Bytes held by all slots allocated so far.
  std::size_t memoryBytes() const;
  /// Bytes one slot of `width` counters costs (counters plus bookkeeping).
  static std::size_t bytesPerSlot(const HistoryGeometry& geometry,
                                  std::size_t width = kHostHistoryWidth);

 private:
  struct Slot {
    Slot(const HistoryGeometry& g, std::size_t width, ExtremeColumns extremes)
        : history(width, g, extremes) {}
    History history;
    protocol::TimeNs lastUsed = 0;
    std::uint32_t owner = kNone;
    std::uint32_t prev = kNone;  ///< LRU list by lastUsed: head = quiet longest
    std::uint32_t next = kNone;
    bool startedWithHost = false;
  };
  void unlink(std::uint32_t slot);
  void append(std::uint32_t slot);

  std::size_t m_capacity;
  HistoryGeometry m_geometry;
  protocol::TimeNs m_reclaimIdleNs;
  std::size_t m_width;
  ExtremeColumns m_extremes;
  std::vector<Slot> m_slots;
  std::vector<std::uint32_t> m_free;
  std::size_t m_used = 0;
  std::uint32_t m_head = kNone;
  std::uint32_t m_tail = kNone;
};

}  // namespace netlens::node::analysis
