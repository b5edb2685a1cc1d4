// SPDX-License-Identifier: MIT
// HostTableModel's updates: snapshots, deltas and node changes brought into the rows.
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <deque>
#include <optional>

#include "app/models/host_row.h"
#include "app/models/host_table_model.h"
#include "shared/stats/host_merge.h"

namespace netlens::app::models {

namespace {

/// What stats::mergeHostRecord() skips as a record without any activity.
bool isIdle(const protocol::HostRecord& r) {
  return r.firstSeen == 0 && r.lastSeen == 0 && r.txPackets == 0 && r.rxPackets == 0;
}

/// Default slice limits: a slice of 4096 hosts takes 10-25 ms on a 2-core machine, and the time
/// limit stops it early when the machine is busy.
constexpr std::size_t kDefaultSliceHosts = 4096;
constexpr int kDefaultSliceMs = 15;
/// Storing a delta's record in the node's map costs a fraction of bringing its row up to date,
/// so one slice stores this many records per host it may sync.
constexpr std::size_t kStoresPerHost = 4;

/// Puts `changes` in address order, keeping only the last listing of each address (an
/// earlier one may point at an erased entry): what a stable sort by address followed by
/// keeping the last of each run gives. Sorts compact keys (the address as three integers and
/// the listing's position) instead of comparing 17-byte addresses bytewise: for 50 000
/// changes that is several times faster.
template <typename Change>
void deduplicate(std::vector<Change>& changes) {
  struct Key {
    std::uint64_t high;  ///< family, bytes 0..6
    std::uint64_t low;   ///< bytes 7..14
    std::uint32_t last;  ///< byte 15
    std::uint32_t position;
    auto operator<=>(const Key&) const = default;
  };
  std::vector<Key> keys(changes.size());
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const net::IpAddress& ip = changes[i].ip;
    Key& key = keys[i];
    key.high = static_cast<std::uint64_t>(ip.family) << 56;
    for (std::size_t b = 0; b < 7; ++b)
      key.high |= static_cast<std::uint64_t>(ip.bytes[b]) << (48 - 8 * b);
    key.low = 0;
    for (std::size_t b = 0; b < 8; ++b)
      key.low |= static_cast<std::uint64_t>(ip.bytes[7 + b]) << (56 - 8 * b);
    key.last = ip.bytes[15];
    key.position = static_cast<std::uint32_t>(i);
  }
  std::sort(keys.begin(), keys.end());
  std::vector<Change> kept;
  kept.reserve(changes.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const Key& key = keys[i];
    if (i + 1 < keys.size() && keys[i + 1].high == key.high && keys[i + 1].low == key.low &&
        keys[i + 1].last == key.last)
      continue;
    kept.push_back(changes[key.position]);
  }
  changes.swap(kept);
}

}  // namespace

struct HostTableModel::SyncJob {
  int slot = -1;
  /// Applied in slices inside a sliced update (a queued delta); otherwise at once.
  bool sliced = false;
  /// A queued delta's records, stored in the node's map first (changes, then removals).
  std::vector<protocol::HostRecord> changed;
  std::vector<net::IpAddress> removed;
  std::size_t storedChanges = 0;
  std::size_t storedRemovals = 0;
  /// The addresses whose rows to bring up to date, each listed once after deduplication.
  std::vector<HostChange> hostChanges;
  bool deduplicated = false;
  std::size_t synced = 0;
  /// Sliced: every row changed so far, announced again at the end for re-sorting.
  std::vector<int> changedRows;
  bool announced = false;
  std::vector<int> removedRows;
  std::vector<std::unique_ptr<Row>> added;
};

class HostTableModel::SliceBudget {
 public:
  /// No limit.
  SliceBudget() = default;
  SliceBudget(std::size_t hosts, int milliseconds)
      : m_hosts(hosts), m_ns(static_cast<qint64>(milliseconds) * 1'000'000), m_limited(true) {
    m_timer.start();
  }
  /// Counts `units` of work (a host synced, or kStoresPerHost records stored count one).
  void take(std::size_t units) { m_used += units; }
  bool isSpent() const {
    return m_limited && (m_used >= m_hosts || m_timer.nsecsElapsed() >= m_ns);
  }
  /// Ends the slice: the next step is one that must not share it (a whole-table one).
  void spend() { m_used = m_hosts; }
  bool hasUsed() const { return m_used > 0; }
  bool isLimited() const { return m_limited; }

 private:
  std::size_t m_hosts = 0;
  std::size_t m_used = 0;
  qint64 m_ns = 0;
  bool m_limited = false;
  QElapsedTimer m_timer;
};

struct HostTableModel::PendingUpdates {
  std::unique_ptr<SyncJob> current;
  std::deque<std::unique_ptr<SyncJob>> waiting;  ///< in arrival order
  QTimer timer;
  std::size_t sliceHosts = kDefaultSliceHosts;
  int sliceMs = kDefaultSliceMs;
};

HostTableModel::HostTableModel(QObject* parent)
    : KeyedTableModel(ColumnCount, parent), m_pending(std::make_unique<PendingUpdates>()) {
  // A zero-time timer: input and paint events are handled between two slices.
  m_pending->timer.setSingleShot(true);
  m_pending->timer.setInterval(0);
  connect(&m_pending->timer, &QTimer::timeout, this, [this] {
    if (applyPendingSlice()) m_pending->timer.start();
  });
}

HostTableModel::~HostTableModel() = default;

bool HostTableModel::hasPendingUpdates() const {
  return m_pending->current || !m_pending->waiting.empty();
}

int HostTableModel::sliceHosts() const {
  return static_cast<int>(m_pending->sliceHosts);
}

int HostTableModel::sliceMilliseconds() const {
  return m_pending->sliceMs;
}

void HostTableModel::setSliceLimits(int hosts, int milliseconds) {
  m_pending->sliceHosts = static_cast<std::size_t>(std::max(1, hosts));
  m_pending->sliceMs = std::max(1, milliseconds);
}

std::vector<std::pair<QString, protocol::HostRecord>> HostTableModel::recordsOf(
    const net::IpAddress& ip) const {
  std::vector<std::pair<QString, protocol::HostRecord>> out;
  for (const auto& [slot, node] : m_nodes) {
    std::optional<protocol::HostRecord> record;
    if (auto it = node.hosts.find(ip); it != node.hosts.end()) record = it->second.record;
    // What the jobs have not stored yet, in the order storeRecords() will store it.
    const auto follow = [&, slot = slot](const SyncJob& job) {
      if (job.slot != slot) return;
      for (std::size_t i = job.storedChanges; i < job.changed.size(); ++i) {
        if (job.changed[i].ip == ip) record = job.changed[i];
      }
      for (std::size_t i = job.storedRemovals; i < job.removed.size(); ++i) {
        if (job.removed[i] == ip) record.reset();
      }
    };
    if (m_pending->current) follow(*m_pending->current);
    for (const auto& job : m_pending->waiting) follow(*job);
    if (record) out.emplace_back(node.id, std::move(*record));
  }
  return out;
}

bool HostTableModel::applyPendingSlice() {
  SliceBudget budget(m_pending->sliceHosts, m_pending->sliceMs);
  return runSlice(budget);
}

void HostTableModel::finishPendingUpdates() {
  SliceBudget unlimited;
  while (runSlice(unlimited)) {
  }
}

bool HostTableModel::runSlice(SliceBudget& budget) {
  PendingUpdates& pending = *m_pending;
  if (!pending.current) {
    if (pending.waiting.empty()) return false;
    pending.current = std::move(pending.waiting.front());
    pending.waiting.pop_front();
  }
  if (runJob(*pending.current, budget)) pending.current.reset();
  if (hasPendingUpdates()) return true;
  pending.timer.stop();
  emit pendingUpdatesApplied();
  return false;
}

void HostTableModel::setNodeInactivityGap(const QString& nodeId, protocol::TimeNs gapNs) {
  int slot = slotFor(nodeId);
  Node& node = m_nodes[slot];
  if (node.inactivityGapNs == gapNs) return;
  finishPendingUpdates();
  node.inactivityGapNs = gapNs;
  if (m_splitByNode) return;  // split rows show each node's own record, nothing is merged
  std::vector<HostChange> changes;
  changes.reserve(node.hosts.size());
  for (auto& [ip, host] : node.hosts) changes.push_back(HostChange{ip, &host});
  syncIps(slot, std::move(changes));
}

std::vector<int> HostTableModel::rowsOfNode(int slot) const {
  std::vector<int> rows;
  auto node = m_nodes.find(slot);
  if (node == m_nodes.end()) return rows;
  rows.reserve(node->second.hosts.size());
  for (const auto& [ip, host] : node->second.hosts) {
    const Row* row = host.row ? host.row : findRow(RowKey{ip, m_splitByNode ? slot : -1});
    if (row) rows.push_back(row->row);
  }
  return rows;
}

protocol::HostRecord HostTableModel::mergedRecord(const net::IpAddress& ip,
                                                  std::vector<int>& nodeSlots) const {
  protocol::HostRecord record;
  record.ip = ip;
  // The gap of the node whose period is the current (later-ending) one so far; the same
  // choice of "later" as mergeHostRecord makes.
  protocol::TimeNs currentGapNs = protocol::kDefaultInactivityGapNs;
  for (const auto& [slot, node] : m_nodes) {
    auto host = node.hosts.find(ip);
    if (host == node.hosts.end()) continue;
    const bool later = nodeSlots.empty() || host->second.record.lastSeen > record.lastSeen;
    if (later) currentGapNs = node.inactivityGapNs;
    stats::mergeHostRecord(record, host->second.record, currentGapNs);
    nodeSlots.push_back(slot);
  }
  return record;
}

void HostTableModel::applySnapshot(const QString& nodeId, const protocol::HostsSnapshot& snapshot) {
  finishPendingUpdates();
  int slot = slotFor(nodeId);
  Node& node = m_nodes[slot];
  HostMap fresh;
  fresh.reserve(snapshot.hosts.size());
  // The old addresses first, as removed: the new record of an address, listed later, wins.
  // Entries keep their addresses through the swap and the map's rehashing.
  std::vector<HostChange> changes;
  changes.reserve(node.hosts.size() + snapshot.hosts.size());
  for (const auto& [ip, host] : node.hosts) changes.push_back(HostChange{ip, nullptr});
  for (const auto& record : snapshot.hosts) {
    if (!record.ip.isValid()) continue;
    NodeHost& host = fresh[record.ip];
    host.record = record;
    changes.push_back(HostChange{record.ip, &host});
  }
  node.hosts.swap(fresh);
  syncIps(slot, std::move(changes));
}

void HostTableModel::applyDelta(const QString& nodeId, const protocol::HostsDelta& delta) {
  int slot = slotFor(nodeId);
  if (hasPendingUpdates() || delta.changed.size() + delta.removed.size() > m_pending->sliceHosts) {
    // Copied: the delta is the caller's. Applied in arrival order after what is queued.
    auto job = std::make_unique<SyncJob>();
    job->slot = slot;
    job->sliced = true;
    job->changed = delta.changed;
    job->removed = delta.removed;
    m_pending->waiting.push_back(std::move(job));
    if (!m_pending->timer.isActive()) m_pending->timer.start();
    return;
  }
  Node& node = m_nodes[slot];
  std::vector<HostChange> changes;
  changes.reserve(delta.changed.size() + delta.removed.size());
  for (const auto& record : delta.changed) {
    if (!record.ip.isValid()) continue;
    NodeHost& host = node.hosts[record.ip];
    host.record = record;  // assigned in place: the lists keep their storage
    changes.push_back(HostChange{record.ip, &host});
  }
  // Listed after the changes, so that a removal wins over a change of the same address (whose
  // entry it erases).
  for (const auto& ip : delta.removed) {
    if (node.hosts.erase(ip) > 0) changes.push_back(HostChange{ip, nullptr});
  }
  syncIps(slot, std::move(changes));
}

void HostTableModel::removeNode(const QString& nodeId) {
  finishPendingUpdates();
  auto it = m_slotOfNode.constFind(nodeId);
  if (it == m_slotOfNode.constEnd()) return;
  int slot = *it;
  std::vector<HostChange> changes;
  changes.reserve(m_nodes[slot].hosts.size());
  for (const auto& [ip, host] : m_nodes[slot].hosts) changes.push_back(HostChange{ip, nullptr});
  m_nodes.erase(slot);
  m_slotOfNode.remove(nodeId);
  syncIps(slot, std::move(changes));
}

void HostTableModel::syncIps(int slot, std::vector<HostChange> hostChanges) {
  SyncJob job;
  job.slot = slot;
  job.hostChanges = std::move(hostChanges);
  SliceBudget unlimited;
  runJob(job, unlimited);
}

bool HostTableModel::runJob(SyncJob& job, SliceBudget& budget) {
  if (!storeRecords(job, budget)) return false;
  // Sorting the addresses cannot be split: in a sliced job it starts a slice of its own.
  const auto ownSlice = [&] { return !job.sliced || !budget.isLimited() || !budget.hasUsed(); };
  if (!job.deduplicated) {
    if (!ownSlice()) return false;
    deduplicate(job.hostChanges);
    job.deduplicated = true;
    budget.take(job.hostChanges.size() / kStoresPerHost);
  }
  if (!syncRows(job, budget)) return false;

  // What follows are whole-table steps for views and proxies: in a sliced job each gets a
  // slice of its own, row numbers staying valid until the removal.
  if (job.sliced && !job.announced) {
    if (!ownSlice()) return false;
    // One announcement of every changed row, for proxies that deferred re-sorting them.
    setSlicedUpdateOpen(false);
    job.announced = true;
    if (!job.changedRows.empty()) {
      std::sort(job.changedRows.begin(), job.changedRows.end());
      emitTableChanged(job.changedRows, 0, ColumnCount - 1);
      budget.spend();
    }
  }
  if (!job.removedRows.empty()) {
    if (!ownSlice()) return false;
    dropSortKeys();
    removeRowList(job.removedRows);
    dropSortKeys();  // in case a comparison during the removal cached keys of a partial table
    job.removedRows.clear();
    budget.spend();
  }
  if (!job.added.empty()) {
    if (!ownSlice()) return false;
    appendRows(job.added);
    job.added.clear();
  }
  return true;
}

bool HostTableModel::storeRecords(SyncJob& job, SliceBudget& budget) {
  if (job.storedChanges == job.changed.size() && job.storedRemovals == job.removed.size())
    return true;
  Node& node = m_nodes[job.slot];
  job.hostChanges.reserve(job.changed.size() + job.removed.size());
  std::size_t stored = 0;
  const auto count = [&] {
    if (++stored % kStoresPerHost == 0) budget.take(1);
  };
  for (; job.storedChanges < job.changed.size(); ++job.storedChanges, count()) {
    if (budget.isSpent()) return false;
    protocol::HostRecord& record = job.changed[job.storedChanges];
    if (!record.ip.isValid()) continue;
    const net::IpAddress ip = record.ip;
    NodeHost& host = node.hosts[ip];
    host.record = std::move(record);  // the job's own copy
    job.hostChanges.push_back(HostChange{ip, &host});
  }
  // After the changes, so that a removal wins over a change of the same address (whose entry
  // it erases).
  for (; job.storedRemovals < job.removed.size(); ++job.storedRemovals, count()) {
    if (budget.isSpent()) return false;
    const net::IpAddress& ip = job.removed[job.storedRemovals];
    if (node.hosts.erase(ip) > 0) job.hostChanges.push_back(HostChange{ip, nullptr});
  }
  job.changed = {};
  job.removed = {};
  job.storedChanges = 0;
  job.storedRemovals = 0;
  return true;
}

bool HostTableModel::syncRows(SyncJob& job, SliceBudget& budget) {
  const int slot = job.slot;
  // Only node `slot` can hold the addresses: its entries answer without a lookup elsewhere.
  const bool onlyThisNode =
      m_splitByNode || m_nodes.empty() || (m_nodes.size() == 1 && m_nodes.begin()->first == slot);

  // A change of a row held by one node points at that node's record instead of copying it:
  // a per-second delta changes tens of thousands of rows, and every copy of a record
  // allocates its lists. The nodes' records do not move until this function returns.
  struct Change {
    Row* row;
    const protocol::HostRecord* sole;  ///< the only record of the IP, or null: then `merged`
    int soleSlot;
    protocol::HostRecord merged;
    std::vector<int> nodeSlots;
  };
  std::vector<Change> changes;
  std::vector<int> changed;
  for (; job.synced < job.hostChanges.size(); ++job.synced, budget.take(1)) {
    if (budget.isSpent()) break;
    const auto& [ip, own] = job.hostChanges[job.synced];
    RowKey key{ip, m_splitByNode ? slot : -1};
    const protocol::HostRecord* sole = nullptr;
    int soleSlot = -1;
    int holders = 0;
    if (onlyThisNode) {
      if (own) {
        sole = &own->record;
        soleSlot = slot;
        holders = 1;
      }
    } else {
      for (const auto& [nodeSlot, node] : m_nodes) {
        const protocol::HostRecord* record = nullptr;
        if (nodeSlot == slot) {
          if (own) record = &own->record;
        } else if (auto host = node.hosts.find(ip); host != node.hosts.end()) {
          record = &host->second.record;
        }
        if (!record) continue;
        if (++holders == 1) {
          sole = record;
          soleSlot = nodeSlot;
        }
      }
    }
    if (!m_splitByNode) {
      // One node's record merged alone is that record, unless it has no activity at all
      // (then the merge leaves the empty record of the address).
      if (holders != 1 || isIdle(*sole)) sole = nullptr;
    }

    Row* existing = own && own->row ? own->row : findRow(key);
    if (own) own->row = existing;
    if (holders == 0) {
      if (existing) job.removedRows.push_back(existing->row);
      continue;
    }
    protocol::HostRecord merged;
    std::vector<int> nodeSlots;
    if (!sole) merged = mergedRecord(ip, nodeSlots);
    if (existing) {
      Row& row = *existing;
      // Every field, descriptive ones too: a delta may change only a name or the group.
      const bool same = sole ? row.record == *sole && row.nodeSlots.size() == 1 &&
                                   row.nodeSlots.front() == soleSlot
                             : row.record == merged && row.nodeSlots == nodeSlots;
      if (!same) {
        changes.push_back(Change{&row, sole, soleSlot, std::move(merged), std::move(nodeSlots)});
        changed.push_back(row.row);
      }
      continue;
    }
    auto row = std::make_unique<Row>();
    row->key = key;
    if (sole) {
      row->record = *sole;
      row->nodeSlots.push_back(soleSlot);
    } else {
      row->record = std::move(merged);
      row->nodeSlots = std::move(nodeSlots);
    }
    row->addressText = QString::fromStdString(ip.toString());
    if (own) own->row = row.get();
    job.added.push_back(std::move(row));
  }

  const auto assign = [this](Change& change) {
    Row& row = *change.row;
    if (change.sole) {
      row.record = *change.sole;  // assigned in place: the lists keep their storage
      row.nodeSlots.assign(1, change.soleSlot);
    } else {
      row.record = std::move(change.merged);
      row.nodeSlots = std::move(change.nodeSlots);
    }
    // Before dataChanged: a sorting proxy compares the changed rows right away.
    if (static_cast<std::size_t>(row.row) >= m_sortKeys.size()) return;
    if (m_sortKeyColumn == Nodes && !m_nodeRanks.contains(row.nodeSlots)) {
      dropSortKeys();  // a new list of nodes: rank them all again
    } else {
      m_sortKeys[static_cast<std::size_t>(row.row)] = sortKey(row, m_sortKeyColumn);
    }
  };
  if (job.sliced) {
    // Inside the sliced update: proxies forward these changes and re-sort the rows when the
    // job announces them all at its end, so every row may take its new values now.
    if (!changes.empty()) {
      setSlicedUpdateOpen(true);
      for (Change& change : changes) assign(change);
      job.changedRows.insert(job.changedRows.end(), changed.begin(), changed.end());
      emitRowsChanged(changed, 0, ColumnCount - 1);
    }
  } else {
    std::sort(changes.begin(), changes.end(),
              [](const Change& a, const Change& b) { return a.row->row < b.row->row; });
    auto next = changes.begin();
    emitRowsChanged(changed, 0, ColumnCount - 1, {}, [&](int, int last) {
      for (; next != changes.end() && next->row->row <= last; ++next) assign(*next);
    });
  }
  return job.synced == job.hostChanges.size();
}

void HostTableModel::setSplitByNode(bool split) {
  if (split == m_splitByNode) return;
  finishPendingUpdates();
  m_splitByNode = split;
  rebuildRows();
  emit headerDataChanged(Qt::Horizontal, Nodes, Nodes);
  emit splitByNodeChanged(split);
}

void HostTableModel::rebuildRows() {
  beginResetModel();
  dropSortKeys();
  clearRowsInReset();
  for (auto& [slot, node] : m_nodes) {
    for (auto& [ip, host] : node.hosts) {
      RowKey key{ip, m_splitByNode ? slot : -1};
      if (Row* merged = findRow(key)) {  // merged row, built with an earlier node
        host.row = merged;
        continue;
      }
      auto row = std::make_unique<Row>();
      row->key = key;
      host.row = row.get();
      if (m_splitByNode) {
        row->record = host.record;
        row->nodeSlots.push_back(slot);
      } else {
        row->record = mergedRecord(ip, row->nodeSlots);
      }
      row->addressText = QString::fromStdString(ip.toString());
      appendRowInReset(std::move(row));
    }
  }
  endResetModel();
}

}  // namespace netlens::app::models
