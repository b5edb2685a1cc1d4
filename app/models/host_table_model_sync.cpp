// SPDX-License-Identifier: MIT
// HostTableModel's updates: snapshots, deltas and node changes brought into the rows.
#include <algorithm>

#include "app/models/host_row.h"
#include "app/models/host_table_model.h"
#include "shared/stats/host_merge.h"

namespace netlens::app::models {

namespace {

/// What stats::mergeHostRecord() skips as a record without any activity.
bool isIdle(const protocol::HostRecord& r) {
  return r.firstSeen == 0 && r.lastSeen == 0 && r.txPackets == 0 && r.rxPackets == 0;
}

}  // namespace

void HostTableModel::setNodeInactivityGap(const QString& nodeId, protocol::TimeNs gapNs) {
  int slot = slotFor(nodeId);
  Node& node = m_nodes[slot];
  if (node.inactivityGapNs == gapNs) return;
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
  std::stable_sort(hostChanges.begin(), hostChanges.end(),
                   [](const HostChange& a, const HostChange& b) { return a.ip < b.ip; });
  // Keep the last listing of each address; an earlier one may point at an erased entry.
  auto kept = hostChanges.begin();
  for (auto it = hostChanges.begin(); it != hostChanges.end(); ++it) {
    if (std::next(it) != hostChanges.end() && std::next(it)->ip == it->ip) continue;
    *kept++ = *it;
  }
  hostChanges.erase(kept, hostChanges.end());
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
  std::vector<int> removed;
  std::vector<std::unique_ptr<Row>> added;
  for (const auto& [ip, own] : hostChanges) {
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
      if (existing) removed.push_back(existing->row);
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
    added.push_back(std::move(row));
  }

  std::sort(changes.begin(), changes.end(),
            [](const Change& a, const Change& b) { return a.row->row < b.row->row; });
  auto next = changes.begin();
  emitRowsChanged(changed, 0, ColumnCount - 1, {}, [&](int, int last) {
    for (; next != changes.end() && next->row->row <= last; ++next) {
      Row& row = *next->row;
      if (next->sole) {
        row.record = *next->sole;  // assigned in place: the lists keep their storage
        row.nodeSlots.assign(1, next->soleSlot);
      } else {
        row.record = std::move(next->merged);
        row.nodeSlots = std::move(next->nodeSlots);
      }
      // Before dataChanged: a sorting proxy compares the changed rows right away.
      if (static_cast<std::size_t>(row.row) >= m_sortKeys.size()) continue;
      if (m_sortKeyColumn == Nodes && !m_nodeRanks.contains(row.nodeSlots)) {
        dropSortKeys();  // a new list of nodes: rank them all again
      } else {
        m_sortKeys[static_cast<std::size_t>(row.row)] = sortKey(row, m_sortKeyColumn);
      }
    }
  });
  if (!removed.empty()) {
    dropSortKeys();
    removeRowList(removed);
    dropSortKeys();  // in case a comparison during the removal cached keys of a partial table
  }
  appendRows(added);
}

void HostTableModel::setSplitByNode(bool split) {
  if (split == m_splitByNode) return;
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
