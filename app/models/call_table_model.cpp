// SPDX-License-Identifier: MIT
#include "app/models/call_table_model.h"

#include <QDateTime>
#include <QHash>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "app/models/csv_time.h"

namespace netlens::app::models {
namespace {

QString text(const std::string& s) {
  return QString::fromStdString(s);
}

/// The value of a number column; null when the row has none (sorted before every number).
std::optional<double> numberOf(const CallTableModel::Row& r, int column) {
  switch (column) {
    case CallTableModel::Duration:
      if (!r.call.durationNs) return std::nullopt;
      return static_cast<double>(*r.call.durationNs) / 1e9;
    case CallTableModel::MosForward:
      return r.mosForward;
    case CallTableModel::MosBackward:
      return r.mosBackward;
    case CallTableModel::LossPercent:
      return r.lossPercent;
    case CallTableModel::MaxJitter:
      return r.maxJitterMs;
    case CallTableModel::Messages:
      return static_cast<double>(r.call.counters.messages);
    default:
      return std::nullopt;
  }
}

QString textOf(const CallTableModel::Row& r, int column) {
  switch (column) {
    case CallTableModel::Node:
      return r.nodeName;
    case CallTableModel::From:
      return text(r.call.from);
    case CallTableModel::To:
      return text(r.call.to);
    case CallTableModel::State:
      return text(r.call.state);
    case CallTableModel::Codecs:
      return r.codecs;
    default:
      return {};
  }
}

/// True when the call lists the stream's SSRC (its Call-ID is checked by the caller).
bool hasSsrc(const protocol::CallRecord& call, const protocol::RtpStreamRecord& s) {
  return std::find(call.ssrcs.begin(), call.ssrcs.end(), s.ssrc) != call.ssrcs.end();
}

/// True when an update leaves the row as it is (no dataChanged).
bool sameFigures(const CallTableModel::Row& l, const CallTableModel::Row& r) {
  return l.call == r.call && l.codecs == r.codecs && l.mosForward == r.mosForward &&
         l.mosBackward == r.mosBackward && l.lossPercent == r.lossPercent &&
         l.maxJitterMs == r.maxJitterMs && l.nodeName == r.nodeName;
}

QString durationText(std::int64_t ns) {
  const qint64 seconds = ns / 1'000'000'000;
  return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

}  // namespace

CallTableModel::CallTableModel(QObject* parent) : QAbstractTableModel(parent) {}

int CallTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int CallTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QString CallTableModel::stateText(const std::string& state) {
  if (state == "trying") return tr("trying");
  if (state == "ringing") return tr("ringing");
  if (state == "answered") return tr("answered");
  if (state == "ended") return tr("ended");
  if (state == "failed") return tr("failed");
  if (state == "cancelled") return tr("cancelled");
  return text(state);
}

QVariant CallTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const Row& r = m_rows[static_cast<std::size_t>(index.row())];
  switch (role) {
    case Qt::DisplayRole:
      return displayValue(r, index.column());
    case RawRole:
      return rawValue(r, index.column());
    case Qt::TextAlignmentRole:
      if (index.column() >= Duration && index.column() != Codecs)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
      return {};
    case Qt::ToolTipRole:
      if (index.column() == From || index.column() == To || index.column() == Node)
        return tr("Call-ID %1").arg(text(r.call.callId));
      if (index.column() == Start) return exportText(r, Start);
      return {};
    default:
      return {};
  }
}

QVariant CallTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount) return {};
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case MosForward:
        return tr("MOS of the caller's audio (ITU-T G.107 E-model), the worst of its streams");
      case MosBackward:
        return tr("MOS of the callee's audio, the worst of its streams");
      case LossPercent:
        return tr("Packets lost in the call's RTP streams, of those expected");
      case MaxJitter:
        return tr("Highest RFC 3550 jitter of the call's RTP streams");
      case Duration:
        return tr("From the answer to the BYE (or the last message)");
      default:
        return {};
    }
  }
  if (role != Qt::DisplayRole) return {};
  switch (section) {
    case Node:
      return tr("Node");
    case From:
      return tr("From");
    case To:
      return tr("To");
    case State:
      return tr("State");
    case Start:
      return tr("Start");
    case Duration:
      return tr("Duration");
    case Codecs:
      return tr("Codecs");
    case MosForward:
      return tr("MOS →");
    case MosBackward:
      return tr("MOS ←");
    case LossPercent:
      return tr("Loss");
    case MaxJitter:
      return tr("Max jitter");
    case Messages:
      return tr("Messages");
    default:
      return {};
  }
}

QVariant CallTableModel::displayValue(const Row& r, int column) const {
  switch (column) {
    case State:
      return stateText(r.call.state);
    case Start:
      if (r.call.start == 0) return QString();
      return QDateTime::fromMSecsSinceEpoch(r.call.start / 1'000'000)
          .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case Duration:
      return r.call.durationNs ? durationText(*r.call.durationNs) : QString();
    case MosForward:
    case MosBackward:
    case LossPercent:
    case MaxJitter: {
      const auto v = numberOf(r, column);
      if (!v) return QString();
      if (column == LossPercent) return tr("%1 %").arg(m_locale.toString(*v, 'f', 2));
      if (column == MaxJitter) return tr("%1 ms").arg(m_locale.toString(*v, 'f', 2));
      return m_locale.toString(*v, 'f', 2);
    }
    case Messages:
      return m_locale.toString(static_cast<qulonglong>(r.call.counters.messages));
    default:
      return textOf(r, column);
  }
}

QVariant CallTableModel::rawValue(const Row& r, int column) {
  switch (column) {
    case Start:
      return static_cast<qlonglong>(r.call.start);
    case Duration:
    case MosForward:
    case MosBackward:
    case LossPercent:
    case MaxJitter:
    case Messages:
      return numberOf(r, column).value_or(-std::numeric_limits<double>::infinity());
    default:
      return textOf(r, column);
  }
}

std::vector<protocol::RtpStreamRecord> CallTableModel::streamsOf(
    const protocol::CallRecord& call, const std::vector<protocol::RtpStreamRecord>& streams) {
  std::vector<protocol::RtpStreamRecord> out;
  for (const auto& s : streams)
    if (s.callId == call.callId && hasSsrc(call, s)) out.push_back(s);
  return out;
}

CallTableModel::Row CallTableModel::makeRow(const QString& nodeId, const QString& nodeName,
                                            const protocol::CallRecord& call,
                                            const StreamPointers& sameCallId) {
  Row r{nodeId, nodeName, call, {}, {}, {}, {}, {}};
  QStringList codecs;
  std::int64_t expected = 0;
  std::int64_t lost = 0;
  bool anyStream = false;
  for (const protocol::RtpStreamRecord* s : sameCallId) {
    if (!hasSsrc(call, *s)) continue;
    anyStream = true;
    const QString codec = s->codec.empty() ? QString::number(s->payloadType) : text(s->codec);
    if (!codecs.contains(codec)) codecs << codec;
    expected += s->expected;
    lost += s->lost;
    r.maxJitterMs = std::max(r.maxJitterMs.value_or(0), s->maxJitterMs);
  }
  if (anyStream && expected > 0)
    r.lossPercent =
        std::max(0.0, 100.0 * static_cast<double>(lost) / static_cast<double>(expected));
  if (codecs.isEmpty()) {
    // No stream yet: what the SDP offered first.
    for (const auto& m : call.media)
      if (!m.codecs.empty() && !codecs.contains(text(m.codecs.front().encoding)))
        codecs << text(m.codecs.front().encoding);
  }
  r.codecs = codecs.join(QStringLiteral(", "));
  // The caller is the sender of the first INVITE; without the message list (an older node),
  // the first direction counts as the caller's.
  std::string caller;
  for (const auto& m : call.messages) {
    if (m.isRequest && m.method == "INVITE") {
      caller = m.srcIp.toString();
      break;
    }
  }
  for (std::size_t i = 0; i < call.directions.size(); ++i) {
    const auto& d = call.directions[i];
    const bool forward = caller.empty() ? i == 0 : d.srcIp == caller;
    (forward ? r.mosForward : r.mosBackward) = d.mos;
  }
  return r;
}

void CallTableModel::setNodeCalls(const QString& nodeId, const QString& nodeName,
                                  const std::vector<protocol::CallRecord>& calls,
                                  const std::vector<protocol::RtpStreamRecord>& streams) {
  QHash<QString, std::size_t> incoming;
  for (std::size_t i = 0; i < calls.size(); ++i) incoming.insert(text(calls[i].callId), i);
  // The streams by Call-ID, once per answer: each row then looks at its own streams only.
  std::unordered_map<std::string_view, StreamPointers> byCallId;
  for (const auto& s : streams) byCallId[s.callId].push_back(&s);
  const auto rowOf = [&](std::size_t call) {
    static const StreamPointers kNone;
    const auto it = byCallId.find(calls[call].callId);
    return makeRow(nodeId, nodeName, calls[call], it == byCallId.end() ? kNone : it->second);
  };

  // What becomes of each row: another node's, vanished, or updated from that call. Highest
  // first, so a Call-ID held twice keeps its last row.
  constexpr std::size_t kOtherNode = std::numeric_limits<std::size_t>::max();
  constexpr std::size_t kVanished = kOtherNode - 1;
  std::vector<std::size_t> source(m_rows.size(), kOtherNode);
  std::vector<bool> placed(calls.size(), false);
  std::size_t vanished = 0;
  std::size_t ranges = 0;
  for (std::size_t i = m_rows.size(); i-- > 0;) {
    const Row& r = m_rows[i];
    if (r.nodeId != nodeId) continue;
    const auto it = incoming.constFind(text(r.call.callId));
    if (it == incoming.constEnd() || placed[*it]) {
      source[i] = kVanished;
      ++vanished;
      if (i + 1 == m_rows.size() || source[i + 1] != kVanished) ++ranges;
      continue;
    }
    placed[*it] = true;
    source[i] = *it;
  }
  std::vector<Row> added;
  for (std::size_t i = 0; i < calls.size(); ++i)
    if (!placed[i]) added.push_back(rowOf(i));

  if (vanished > 0 && (2 * vanished > m_rows.size() || ranges > kMaxRemovalRanges)) {
    // Most rows gone, or gaps all over: one reset beats many removals that each move the rest.
    beginResetModel();
    std::vector<Row> rows;
    rows.reserve(m_rows.size() - vanished + added.size());
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
      if (source[i] == kOtherNode)
        rows.push_back(std::move(m_rows[i]));
      else if (source[i] != kVanished)
        rows.push_back(rowOf(source[i]));
    }
    for (auto& r : added) rows.push_back(std::move(r));
    m_rows = std::move(rows);
    endResetModel();
    return;
  }

  // Rows kept: updated in place, before any row moves.
  for (std::size_t i = 0; i < m_rows.size(); ++i) {
    if (source[i] >= kVanished) continue;
    Row updated = rowOf(source[i]);
    Row& r = m_rows[i];
    if (sameFigures(updated, r)) continue;
    r = std::move(updated);
    const int row = static_cast<int>(i);
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
  }
  // Vanished rows: each contiguous range at once, highest first so lower rows stay put.
  for (std::size_t end = m_rows.size(); end > 0;) {
    if (source[end - 1] != kVanished) {
      --end;
      continue;
    }
    std::size_t first = end - 1;
    while (first > 0 && source[first - 1] == kVanished) --first;
    beginRemoveRows({}, static_cast<int>(first), static_cast<int>(end - 1));
    m_rows.erase(m_rows.begin() + static_cast<std::ptrdiff_t>(first),
                 m_rows.begin() + static_cast<std::ptrdiff_t>(end));
    endRemoveRows();
    end = first;
  }
  if (added.empty()) return;
  const int first = static_cast<int>(m_rows.size());
  beginInsertRows({}, first, first + static_cast<int>(added.size()) - 1);
  for (auto& r : added) m_rows.push_back(std::move(r));
  endInsertRows();
}

void CallTableModel::removeNode(const QString& nodeId) {
  setNodeCalls(nodeId, QString(), {}, {});
}

int CallTableModel::findRow(const QString& nodeId, const std::string& callId) const {
  for (std::size_t i = 0; i < m_rows.size(); ++i)
    if (m_rows[i].nodeId == nodeId && m_rows[i].call.callId == callId) return static_cast<int>(i);
  return -1;
}

void CallTableModel::retranslate() {
  m_locale = QLocale();
  emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
  if (!m_rows.empty()) emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

bool CallTableModel::lessThan(int leftRow, int rightRow, int column) const {
  const Row& l = m_rows[static_cast<std::size_t>(leftRow)];
  const Row& r = m_rows[static_cast<std::size_t>(rightRow)];
  if (column == Start) return l.call.start < r.call.start;
  if (column >= Duration && column != Codecs) {
    const double inf = -std::numeric_limits<double>::infinity();
    return numberOf(l, column).value_or(inf) < numberOf(r, column).value_or(inf);
  }
  return textOf(l, column).compare(textOf(r, column), Qt::CaseInsensitive) < 0;
}

bool CallTableModel::rowMatches(int row, const QString& needle) const {
  const Row& r = m_rows[static_cast<std::size_t>(row)];
  for (int column : {Node, From, To, State, Codecs})
    if (textOf(r, column).contains(needle, Qt::CaseInsensitive)) return true;
  return text(r.call.callId).contains(needle, Qt::CaseInsensitive);
}

const FilterColumns& CallTableModel::filterColumns() {
  using Type = FilterValueType;
  static const FilterColumns columns({
      {QStringLiteral("node"), {}, Node, Type::Text},
      {QStringLiteral("from"), {QStringLiteral("caller")}, From, Type::Text},
      {QStringLiteral("to"), {QStringLiteral("callee")}, To, Type::Text},
      {QStringLiteral("state"), {}, State, Type::Text},
      {QStringLiteral("start"), {}, Start, Type::Time},
      {QStringLiteral("duration"), {}, Duration, Type::Number},
      {QStringLiteral("codecs"), {QStringLiteral("codec")}, Codecs, Type::Text},
      {QStringLiteral("mos_forward"), {QStringLiteral("mos_caller")}, MosForward, Type::Number},
      {QStringLiteral("mos_backward"), {QStringLiteral("mos_callee")}, MosBackward, Type::Number},
      {QStringLiteral("loss"), {QStringLiteral("loss_percent")}, LossPercent, Type::Number},
      {QStringLiteral("jitter"), {QStringLiteral("max_jitter")}, MaxJitter, Type::Number},
      {QStringLiteral("messages"), {}, Messages, Type::Number},
  });
  return columns;
}

double CallTableModel::cellNumber(int row, int column, int) const {
  // A missing figure compares false with every number (NaN): "mos < 3" skips unrated calls.
  return numberOf(m_rows[static_cast<std::size_t>(row)], column)
      .value_or(std::numeric_limits<double>::quiet_NaN());
}

QString CallTableModel::cellText(int row, int column, int) const {
  return textOf(m_rows[static_cast<std::size_t>(row)], column);
}

std::int64_t CallTableModel::cellTime(int row, int, int) const {
  return m_rows[static_cast<std::size_t>(row)].call.start;
}

std::vector<CallTableModel::Row> CallTableModel::exportRows(const std::vector<int>& rows) const {
  std::vector<Row> out;
  out.reserve(rows.size());
  for (int row : rows) out.push_back(m_rows[static_cast<std::size_t>(row)]);
  return out;
}

QString CallTableModel::exportText(const Row& row, int column) {
  switch (column) {
    case Start:
      return csvTime(row.call.start);
    case Duration:
    case MosForward:
    case MosBackward:
    case LossPercent:
    case MaxJitter:
    case Messages: {
      const auto v = numberOf(row, column);
      return v ? QString::number(*v, 'g', 12) : QString();
    }
    default:
      return textOf(row, column);
  }
}

}  // namespace netlens::app::models
