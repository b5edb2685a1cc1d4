// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractTableModel>
#include <QLocale>
#include <QString>

#include <optional>
#include <vector>

#include "app/models/filter_expression.h"
#include "shared/protocol/messages.h"

namespace netlens::app::models {

/// The VoIP calls of every node, one row per node and call (a call two nodes saw is two rows,
/// the node column says whose). A node's answer to "calls" (with its answer to "rtp" for the
/// figures of the call's streams) replaces that node's rows in place: rows whose Call-ID stays
/// are updated (dataChanged), vanished ones removed (a contiguous range at once), new ones
/// appended, so a view keeps its selection while the nodes are polled. When most rows
/// vanished, or in many separate ranges, the model is reset instead.
///
/// Per row: caller (From), callee (To), state, start, duration, the codecs of its streams,
/// the MOS of each direction (caller → callee is the direction whose sender is the address
/// that sent the first INVITE), the loss of its streams together (lost / expected) and their
/// highest jitter. `RawRole` gives sort values; the typed accessors serve filter expressions
/// (CallFilterProxy) and the CSV export.
///
/// Thread: GUI thread only.
class CallTableModel : public QAbstractTableModel, public FilterValueSource {
  Q_OBJECT

 public:
  enum Column {
    Node,
    From,
    To,
    State,
    Start,
    Duration,
    Codecs,
    MosForward,   ///< the caller's audio, as the callee receives it
    MosBackward,  ///< the callee's audio
    LossPercent,
    MaxJitter,
    Messages,
    ColumnCount
  };
  enum Role : int {
    RawRole = Qt::UserRole,  ///< unformatted value for sorting
  };

  /// One row; also what the CSV writer copies.
  struct Row {
    QString nodeId;
    QString nodeName;
    protocol::CallRecord call;
    QString codecs;  ///< "PCMA, telephone-event"
    std::optional<double> mosForward;
    std::optional<double> mosBackward;
    std::optional<double> lossPercent;  ///< null without streams
    std::optional<double> maxJitterMs;
  };

  explicit CallTableModel(QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  /// Replaces the rows of `nodeId` with its `calls`; `streams` is the node's "rtp" answer
  /// (the streams of each call are those whose SSRC the call lists and whose Call-ID is the
  /// call's).
  void setNodeCalls(const QString& nodeId, const QString& nodeName,
                    const std::vector<protocol::CallRecord>& calls,
                    const std::vector<protocol::RtpStreamRecord>& streams);
  void removeNode(const QString& nodeId);
  /// The row (precondition: 0 <= row < rowCount()).
  const Row& row(int row) const { return m_rows[static_cast<std::size_t>(row)]; }
  /// The row of that node's call, or -1.
  int findRow(const QString& nodeId, const std::string& callId) const;
  /// The streams of a call among a node's `streams`, in their order.
  static std::vector<protocol::RtpStreamRecord> streamsOf(
      const protocol::CallRecord& call, const std::vector<protocol::RtpStreamRecord>& streams);
  void retranslate();

  bool lessThan(int leftRow, int rightRow, int column) const;
  /// True when From, To, the state, the codecs, the Call-ID or the node name contains
  /// `needle` (case-insensitive).
  bool rowMatches(int row, const QString& needle) const;

  static const FilterColumns& filterColumns();
  double cellNumber(int row, int column, int index) const override;
  QString cellText(int row, int column, int index) const override;
  std::int64_t cellTime(int row, int column, int index) const override;

  std::vector<Row> exportRows(const std::vector<int>& rows) const;
  /// The CSV text of a cell: raw numbers, ISO 8601 UTC times. Thread: any (pure).
  static QString exportText(const Row& row, int column);
  /// A state as the table shows it, translated.
  static QString stateText(const std::string& state);

 private:
  /// Pointers into a node's "rtp" answer.
  using StreamPointers = std::vector<const protocol::RtpStreamRecord*>;
  /// Above this many separate ranges of vanished rows, setNodeCalls() resets the model.
  static constexpr std::size_t kMaxRemovalRanges = 32;

  /// The row of `call`; `sameCallId` are the node's streams with the call's Call-ID.
  static Row makeRow(const QString& nodeId, const QString& nodeName,
                     const protocol::CallRecord& call, const StreamPointers& sameCallId);
  QVariant displayValue(const Row& row, int column) const;
  static QVariant rawValue(const Row& row, int column);

  std::vector<Row> m_rows;
  QLocale m_locale;
};

}  // namespace netlens::app::models
