// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QLocale>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include "app/models/filter_expression.h"
#include "app/models/keyed_table_model.h"
#include "shared/net/ip_address.h"
#include "shared/protocol/messages.h"

namespace netlens::app::models {

namespace detail {
struct HostRow;
/// A row of HostTableModel: an address, with its node's slot in split mode.
struct HostRowKey {
  net::IpAddress ip;
  int slot = -1;  ///< the node's slot in split mode, -1 for a merged row
  friend bool operator==(const HostRowKey&, const HostRowKey&) = default;
};
struct HostRowKeyHash {
  std::size_t operator()(const HostRowKey& k) const noexcept {
    return net::IpAddressHash{}(k.ip) ^ (static_cast<std::size_t>(k.slot + 1) * 0x9E37u);
  }
};
}  // namespace detail

/// The IP addresses table: one row per IP merged over all nodes, or one row per (IP, node)
/// when split by node. Fed with the Clone-pattern snapshots and deltas of each node.
///
/// Updates are incremental: only changed rows get dataChanged (one signal per contiguous
/// range, or a single whole-table range when more than half the rows changed), new rows
/// are appended with one insert per update, evicted rows are removed range by range.
/// Display strings are built lazily in data(); `RawRole` returns the unformatted value that
/// HostFilterProxy sorts on (numbers as numbers, IPs as family + bytes).
///
/// A node that is not connected keeps its figures in the table, marked stale: its rows are
/// greyed (Qt::ForegroundRole) — a merged row only when all its nodes are stale — and their
/// tooltip says when each stale node was last connected.
///
/// It is also the FilterValueSource of filter expressions over its columns (filterColumns()),
/// answering from the rows' typed records without formatting anything.
///
/// Thread: GUI thread only (a plain model; the network layer hands structs over by queued
/// signals). The model owns copies of every node's records.
class HostTableModel
    : public KeyedTableModel<detail::HostRow, detail::HostRowKey, detail::HostRowKeyHash>,
      public FilterValueSource {
  Q_OBJECT

 public:
  enum Column : int {
    Address,
    Nodes,
    Packets,
    Bytes,
    TxPackets,
    TxBytes,
    RxPackets,
    RxBytes,
    TcpPackets,
    UdpPackets,
    PacketRate,
    BitRate,
    FirstSeen,
    FirstRecent,
    LastSeen,
    Macs,
    Vlans,
    Names,
    Group,    ///< the IP group of the address (its longest matching prefix)
    Country,  ///< ISO 3166 code from the node's GeoIP database
    Vendors,  ///< NIC vendors of its MAC addresses (OUI lists)
    // Appended after Vendors, so that header states saved before them stay aligned.
    TcpPayloadBytes,    ///< TCP segment data sent and received
    TcpRetransPackets,  ///< TCP retransmissions (all classes) sent and received
    TcpRetransBytes,
    Trend,  ///< the bit rate over the last kTrendSamples samples, drawn (TrendRole); sorts by
            ///< their mean
    ColumnCount
  };

  enum Role : int {
    RawRole = Qt::UserRole,  ///< unformatted value for sorting
    ExportRole,              ///< the text written to CSV
    TrendRole,               ///< Trend: QList<float> of bits/s, oldest first (empty: none)
  };

  /// Samples of the Trend column: one per sampleTrends() call, once a second by default.
  static constexpr int kTrendSamples = 60;

  /// Whether the counters show totals (packets, bytes) or sent/received separately.
  enum class CounterMode { Combined, Separate };

  /// One table row as handed to the CSV writer (a copy, safe to use on another thread).
  struct ExportRow {
    protocol::HostRecord record;
    QString nodes;
    QList<float> trend;  ///< as TrendRole
  };

  explicit HostTableModel(QObject* parent = nullptr);
  ~HostTableModel() override;

  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  /// Replaces everything known from `nodeId` (a Clone snapshot).
  void applySnapshot(const QString& nodeId, const protocol::HostsSnapshot& snapshot);
  /// Applies one delta of `nodeId` (the caller has already checked its sequence number).
  /// With nothing pending, a delta of at most sliceHosts() hosts is applied at once. A larger
  /// one is queued and applied from the event loop in slices (applyPendingSlice()), so that
  /// the GUI keeps responding: its hosts are stored and their rows updated slice by slice
  /// inside a sliced update (KeyedTableModel::isSlicedUpdateOpen()), then the changed rows
  /// are announced once for re-sorting, then rows are removed and appended. Deltas arriving
  /// meanwhile queue behind it and are applied one after the other in arrival order; every
  /// other change (snapshot, node removal, names, staleness, gaps, split mode) first applies
  /// everything queued at once. The rows, their order and the proxies' order end up exactly
  /// as if every delta had been applied at once when it arrived.
  void applyDelta(const QString& nodeId, const protocol::HostsDelta& delta);
  /// Whether queued deltas are still waiting or being applied.
  bool hasPendingUpdates() const;
  /// Runs one slice of the queued work: at most sliceHosts() hosts and about the slice time.
  /// Returns whether work remains. Called by the model's own zero-time timer; tests and
  /// benchmarks may call it to step through an update.
  bool applyPendingSlice();
  /// Applies everything queued now, in one go (tests, or a caller that needs the final rows).
  void finishPendingUpdates();
  int sliceHosts() const;
  int sliceMilliseconds() const;
  /// Sets how many hosts one slice handles at most (and the largest delta applied at once)
  /// and after how many milliseconds a slice stops early. Defaults: 4096 hosts, 15 ms.
  void setSliceLimits(int hosts, int milliseconds);
  /// Appends every row's current bit rate to its trend (the Trend column), the oldest sample
  /// dropping out after kTrendSamples; a stale row (its nodes not connected) samples 0, and a
  /// row whose samples are all zero keeps none. The model's own timer calls it every
  /// `setTrendInterval` ms; emits trendsSampled().
  void sampleTrends();
  /// Runs the trend timer every `milliseconds` (0 stops it). No timer runs until this is called:
  /// the main window calls it with 1000 while its Trend column is shown.
  void setTrendInterval(int milliseconds);
  /// Forgets a node and its records.
  void removeNode(const QString& nodeId);
  /// The name shown in the node(s) column for `nodeId` (the node id until set).
  void setNodeName(const QString& nodeId, const QString& name);
  /// Marks the figures of `nodeId` stale (the node is not connected; `lastConnected` is
  /// when it last was, shown in the tooltip) or live again (`lastConnected` unused).
  void setNodeStale(const QString& nodeId, bool stale, const QDateTime& lastConnected = {});
  bool isNodeStale(const QString& nodeId) const;
  /// The inactivity gap `nodeId` announced in its Hello (protocol::kDefaultInactivityGapNs
  /// until set). Merged rows chain two nodes' activity periods ("first recent") with the gap
  /// of the node whose period ends later, the gap that decided that period's start.
  void setNodeInactivityGap(const QString& nodeId, protocol::TimeNs gapNs);

  bool isSplitByNode() const { return m_splitByNode; }
  /// One row per IP and node instead of one per IP. Resets the model.
  void setSplitByNode(bool split);

  CounterMode counterMode() const { return m_counterMode; }
  /// Only changes which columns views show (see isColumnShown); emits counterModeChanged.
  void setCounterMode(CounterMode mode);
  /// False for the sent/received columns in Combined mode and the totals in Separate mode.
  static bool isColumnShown(int column, CounterMode mode);
  /// Whether a view shows `column` before the user chooses (TCP payload and retransmitted
  /// bytes wait in the column chooser).
  static bool isShownAtFirst(int column);
  /// A name of `column` that does not change with the language or the column order, for
  /// saving choices: its filter key ("tcp_packets"), "trend" for the Trend column.
  static QString columnKey(int column);

  /// Re-reads the header texts after a language change.
  void retranslate();

  /// Fast comparison of two rows on a column's raw value (what RawRole returns).
  bool lessThan(int leftRow, int rightRow, int column) const;
  /// Every row's sort key of `column` (by model row), ordered like the column's raw values;
  /// where isPrefixKey(column), equal keys need lessThan() to order the rows. Built on first
  /// use and kept up to date by updates until the sort column changes; the reference stays
  /// valid until the next call with another column or the next update.
  const std::vector<std::uint64_t>& sortKeys(int column) const;
  /// Whether the sort key of `column` holds only a prefix of the value (equal keys say
  /// nothing) rather than the whole value.
  static bool isPrefixKey(int column);
  /// How many levels of sortSubKey() `column` has (0 for exact keys and for MAC and VLAN
  /// lists, whose equal keys go straight to lessThan()).
  static int sortSubKeyLevels(int column);
  /// The sort key of `row` at `level` (1 .. sortSubKeyLevels(column)): the next 8 bytes of the
  /// value after those of the lower levels, ordered like the values among rows whose lower
  /// keys are equal. Returns false when the keys up to `level` hold the whole value. Call
  /// after sortKeys(column).
  bool sortSubKey(int row, int column, int level, std::uint64_t* key) const;
  /// True when the row's address, MACs or node names contain `needle` (case-insensitive).
  bool rowMatches(int row, const QString& needle) const;

  /// The names filter expressions use for this table's columns (keys and aliases).
  static const FilterColumns& filterColumns();
  int cellValueCount(int row, int column) const override;
  double cellNumber(int row, int column, int index) const override;
  QString cellText(int row, int column, int index) const override;
  net::IpAddress cellAddress(int row, int column, int index) const override;
  std::int64_t cellTime(int row, int column, int index) const override;

  /// The address a row shows (precondition: 0 <= row < rowCount()).
  net::IpAddress addressOf(int row) const;
  /// Each node's own record of `ip` (node id, record), in node order; empty if none has it.
  /// Includes what queued deltas bring, even before their slices have stored it: a caller
  /// that follows the host's deltas from now on misses none.
  std::vector<std::pair<QString, protocol::HostRecord>> recordsOf(const net::IpAddress& ip) const;

  /// Copies of the given rows, for writing off the GUI thread.
  std::vector<ExportRow> exportRows(const std::vector<int>& rows) const;
  /// The CSV cell text of `column` (raw numbers, ISO 8601 UTC times). Thread: any (pure).
  static QString exportText(const ExportRow& row, int column);
  /// Column title (translated). Thread: GUI.
  static QString columnTitle(int column);
  /// "1.25 Mbit/s" and the like, in `locale`.
  static QString formatBitRate(const QLocale& locale, double bitsPerSecond);

 signals:
  void counterModeChanged(netlens::app::models::HostTableModel::CounterMode mode);
  void splitByNodeChanged(bool split);
  /// The queued deltas have all been applied (emitted after the last slice).
  void pendingUpdatesApplied();
  /// sampleTrends() ran: the Trend column's drawings changed. Not a dataChanged (which would
  /// have proxies re-filter every row each second); a view showing the column repaints.
  void trendsSampled();

 private:
  using Row = detail::HostRow;
  using RowKey = detail::HostRowKey;
  /// A node's record of an address, with the row showing it (null until the first sync).
  /// The pointer saves a row-map lookup per changed host. It cannot dangle: a row is removed
  /// only once no node holds its key's address (and node), and rebuildRows() sets them all.
  struct NodeHost {
    protocol::HostRecord record;
    Row* row = nullptr;
  };
  using HostMap = std::unordered_map<net::IpAddress, NodeHost, net::IpAddressHash>;
  /// An address whose record in one node changed: its entry there, or null once removed.
  struct HostChange {
    net::IpAddress ip;
    NodeHost* host;
  };
  struct Node {
    QString id;
    QString name;
    HostMap hosts;
    bool stale = false;
    QDateTime lastConnected;
    protocol::TimeNs inactivityGapNs = protocol::kDefaultInactivityGapNs;
  };

  /// One application of changes of one node to the rows, run at once or in slices
  /// (host_table_model_sync.cpp).
  struct SyncJob;
  /// Limits of one slice of a SyncJob.
  class SliceBudget;
  /// The queued SyncJobs of deltas, the one being applied and the timer that drives them.
  struct PendingUpdates;

  int slotFor(const QString& nodeId);
  /// Brings the rows of the changed addresses up to date after node `slot` changed; of an
  /// address listed more than once, the last listing counts. At once, in one step.
  void syncIps(int slot, std::vector<HostChange> hostChanges);
  /// Advances `job` within `budget`; true when it is done. A job with `sliced` set announces
  /// its row changes slice by slice in a sliced update.
  bool runJob(SyncJob& job, SliceBudget& budget);
  /// Stores the job's delta records in its node's map, as far as the budget allows.
  bool storeRecords(SyncJob& job, SliceBudget& budget);
  /// Updates the rows of the job's addresses, as far as the budget allows.
  bool syncRows(SyncJob& job, SliceBudget& budget);
  /// Runs one slice of the pending work within `budget`; returns whether work remains.
  bool runSlice(SliceBudget& budget);
  void rebuildRows();
  /// The merged record of `ip` over all nodes; `nodeSlots` receives the nodes holding it.
  protocol::HostRecord mergedRecord(const net::IpAddress& ip, std::vector<int>& nodeSlots) const;
  /// Model rows showing records of node `slot`.
  std::vector<int> rowsOfNode(int slot) const;
  QString nodeNames(const Row& row) const;
  bool isStale(const Row& row) const;
  QString staleText(const Row& row) const;
  QVariant displayValue(const Row& row, int column) const;
  QVariant rawValue(const Row& row, int column) const;
  /// An unsigned key ordered like the column's raw value, or like a prefix of it.
  std::uint64_t sortKey(const Row& row, int column) const;
  /// Makes m_sortKeys hold the keys of `column` for every row.
  void ensureSortKeys(int column) const;
  /// Whether every row from `firstRow` on has a node list ranked in m_nodeRanks.
  bool hasNodeRanks(std::size_t firstRow) const;
  /// Forgets the cached keys: row numbers are about to change or just did.
  void dropSortKeys();

  /// Bit rates of one row, a ring of kTrendSamples with `next` the oldest.
  struct TrendRing {
    std::array<float, kTrendSamples> values{};
    int next = 0;
  };
  QList<float> trendOf(const RowKey& key) const;
  /// The mean of a row's trend samples (0 without a trend): what the Trend column sorts by.
  double trendMean(const RowKey& key) const;

  std::unique_ptr<PendingUpdates> m_pending;
  /// Trends of rows that had traffic in the last kTrendSamples samples, by row key.
  std::unordered_map<RowKey, TrendRing, detail::HostRowKeyHash> m_trends;
  std::unique_ptr<QTimer> m_trendTimer;
  std::map<int, Node> m_nodes;  ///< by slot; slots are never reused
  QHash<QString, int> m_slotOfNode;
  int m_nextSlot = 0;
  bool m_splitByNode = false;
  CounterMode m_counterMode = CounterMode::Combined;
  QLocale m_locale;
  /// Sort keys of one column by model row, built by the first comparison on that column and
  /// kept up to date by updates. A sort compares ~20 M pairs of 1 M rows; reading keys from
  /// one array instead of two scattered records makes it several times faster.
  mutable std::vector<std::uint64_t> m_sortKeys;
  mutable int m_sortKeyColumn = -1;
  /// With keys of the Nodes column: each node list's rank in the order of its names.
  mutable std::map<std::vector<int>, std::uint64_t> m_nodeRanks;
};

}  // namespace netlens::app::models
