// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QLocale>
#include <QString>

#include <cstdint>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

#include "app/models/filter_expression.h"
#include "app/models/keyed_table_model.h"
#include "shared/net/ip_address.h"
#include "shared/protocol/messages.h"

namespace netlens::app::models {

namespace detail {
struct ConnectionRow;
/// A row of ConnectionTableModel: what identifies a connection of one node.
struct ConnectionKey {
  int slot = -1;
  std::uint8_t protocol = 0;
  net::IpAddress clientIp;
  std::uint16_t clientPort = 0;
  net::IpAddress serverIp;
  std::uint16_t serverPort = 0;
  std::int32_t vlan = -1;
  protocol::TimeNs firstSeen = 0;
  friend bool operator==(const ConnectionKey&, const ConnectionKey&) = default;
};
struct ConnectionKeyHash {
  std::size_t operator()(const ConnectionKey& k) const noexcept;
};
}  // namespace detail

/// The connections table: one row per connection of every node, with the node in a column.
/// Fed with each node's complete "connections" answer (applyConnections), which replaces
/// what that node had: a row is identified by node, protocol, client and server endpoints,
/// VLAN and first-seen time, so a connection keeps its row while its figures change.
///
/// Updates are incremental, as in HostTableModel: only changed rows get dataChanged (one
/// signal per contiguous range, or one range when more than half the rows changed), new
/// rows are appended with one insert, vanished rows are removed range by range (a reset
/// past many ranges). Display strings are built lazily; `RawRole` gives the value sorted on.
///
/// It is the FilterValueSource of filter expressions over filterColumns().
///
/// Thread: GUI thread only. Owns copies of the records.
class ConnectionTableModel : public KeyedTableModel<detail::ConnectionRow, detail::ConnectionKey,
                                                    detail::ConnectionKeyHash>,
                             public FilterValueSource {
  Q_OBJECT

 public:
  enum Column : int {
    Node,
    Protocol,
    Client,
    ClientPort,
    Server,
    ServerPort,
    Vlan,
    App,
    State,
    FirstSeen,
    LastSeen,
    C2sPackets,
    C2sBytes,
    S2cPackets,
    S2cBytes,
    Packets,
    Bytes,
    BitRate,
    C2sRetransmissions,
    S2cRetransmissions,
    OutOfOrder,
    HandshakeServer,
    HandshakeClient,
    HandshakeTotal,
    C2sMaxWindow,
    S2cMaxWindow,
    WindowScale,
    // Countries, QoS and layer 7 (connection_table_columns.cpp). Appended: column keys of
    // saved header states stay valid.
    ClientCountry,
    ServerCountry,
    Dscp,
    VlanPcp,
    MplsTc,
    MplsLabels,
    TlsServerName,
    TlsVersion,
    TlsCipher,
    HttpHost,
    HttpUrl,
    HttpStatus,
    ResponseTime,
    // Receive window (appended later): usage of the scale's limit and window-full segments.
    WindowUsage,
    WindowFull,
    // The ends' IP groups (appended later).
    ClientGroup,
    ServerGroup,
    // What the detail dialog showed alone (appended later): retransmitted bytes, the last
    // HTTP transaction's method, user agent and content type, HTTP counts, TLS ALPN and times.
    RetransBytes,
    HttpMethod,
    HttpUserAgent,
    HttpContentType,
    HttpRequests,
    HttpErrors,
    TlsAlpn,
    TlsHello,
    TlsFirstData,
    ColumnCount
  };

  enum Role : int {
    RawRole = Qt::UserRole,  ///< unformatted value for sorting
    ExportRole,              ///< the text written to CSV
  };

  /// One row as handed to the CSV writer (a copy, safe to use on another thread).
  struct ExportRow {
    protocol::ConnectionRecord record;
    QString node;
  };

  explicit ConnectionTableModel(QObject* parent = nullptr);
  ~ConnectionTableModel() override;

  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  /// Replaces the connections of `nodeId` with `list` (the node's complete answer).
  void applyConnections(const QString& nodeId, const protocol::ConnectionList& list);
  /// Forgets a node and its rows.
  void removeNode(const QString& nodeId);
  /// The name shown in the node column for `nodeId` (the node id until set).
  void setNodeName(const QString& nodeId, const QString& name);
  /// Connections that matched on `nodeId` before its limit was applied (0 if unknown).
  std::uint64_t nodeTotal(const QString& nodeId) const;

  /// The record and node id of a row (precondition: 0 <= row < rowCount()).
  const protocol::ConnectionRecord& record(int row) const;
  /// Copies of the records whose application protocol is `app` (a DPI protocol's row).
  std::vector<protocol::ConnectionRecord> recordsOfApp(const std::string& app) const;
  QString nodeIdOf(int row) const;

  /// Re-reads header texts and number formats after a language change.
  void retranslate();

  /// Fast comparison of two rows on a column's raw value (what RawRole returns).
  bool lessThan(int leftRow, int rightRow, int column) const;
  /// True when an address, the application, the state or the node name of the row
  /// contains `needle` (case-insensitive).
  bool rowMatches(int row, const QString& needle) const;

  /// The names filter expressions use for this table's columns (keys and aliases).
  static const FilterColumns& filterColumns();
  int cellValueCount(int row, int column) const override;
  double cellNumber(int row, int column, int index) const override;
  QString cellText(int row, int column, int index) const override;
  net::IpAddress cellAddress(int row, int column, int index) const override;
  std::int64_t cellTime(int row, int column, int index) const override;

  /// Copies of the given rows, for writing off the GUI thread.
  std::vector<ExportRow> exportRows(const std::vector<int>& rows) const;
  /// The CSV cell text of `column` (raw numbers, ISO 8601 UTC times, durations in
  /// microseconds). Thread: any (pure).
  static QString exportText(const ExportRow& row, int column);
  /// Column title (translated). Thread: GUI.
  static QString columnTitle(int column);
  /// "TCP", "UDP", "ICMPv6", ... or the protocol number. Thread: any.
  static QString protocolName(std::uint8_t protocol);
  /// A handshake time: "850 µs", "12.3 ms", "1.25 s"; empty for a negative (unknown) one.
  static QString formatDuration(const QLocale& locale, protocol::TimeNs ns);

 private:
  using Row = detail::ConnectionRow;
  using Key = detail::ConnectionKey;
  struct NodeEntry {
    QString id;
    QString name;
    std::uint64_t total = 0;
  };

  int slotFor(const QString& nodeId);
  QString nodeName(int slot) const;
  QVariant displayValue(const Row& row, int column) const;
  QVariant rawValue(const Row& row, int column) const;

  // The columns from ClientCountry on (connection_table_columns.cpp). Thread: any (pure),
  // except extraTitle (GUI, translated).
  static bool isExtraColumn(int column) { return column >= ClientCountry && column < ColumnCount; }
  static QString extraTitle(int column);
  static QString extraToolTip(int column);
  static QString extraText(const protocol::ConnectionRecord& r, int column);
  /// The CSV text of an extra column: extraText(), but times in microseconds.
  static QString extraExportText(const protocol::ConnectionRecord& r, int column);
  static QVariant extraRaw(const protocol::ConnectionRecord& r, int column);
  static bool extraIsNumeric(int column);
  static bool extraLess(const protocol::ConnectionRecord& a, const protocol::ConnectionRecord& b,
                        int column);
  static int extraValueCount(const protocol::ConnectionRecord& r, int column);
  static double extraNumber(const protocol::ConnectionRecord& r, int column, int index);
  static QString extraValueText(const protocol::ConnectionRecord& r, int column, int index);
  static void addExtraFilterColumns(std::vector<FilterColumn>& columns);

  std::map<int, NodeEntry> m_nodes;  ///< by slot; slots are never reused
  QHash<QString, int> m_slotOfNode;
  int m_nextSlot = 0;
  std::uint64_t m_generation = 0;  ///< of the last applyConnections, to find vanished rows
  QLocale m_locale;
};

}  // namespace netlens::app::models
