// SPDX-License-Identifier: MIT
// SearchView, the packets of a session: fetched from their node, listed, decoded into a
// layer tree and shown in hex with the selected layer's bytes highlighted.
#include <QLabel>
#include <QPlainTextEdit>
#include <QTableView>
#include <QTextBlock>
#include <QThreadPool>
#include <QTreeWidget>

#include <algorithm>

#include "app/core/search_runner.h"
#include "app/models/packet_dissection.h"
#include "app/models/packet_list_model.h"
#include "app/models/search_session_filter_proxy.h"
#include "app/models/search_session_model.h"
#include "app/views/search_view.h"

namespace netlens::app::views {
namespace {

using models::SearchSessionModel;

constexpr int kOffsetRole = Qt::UserRole;
constexpr int kLengthRole = Qt::UserRole + 1;
constexpr int kHexBytesPerLine = 16;
/// "0000  " then "xx " per byte, a space, the ASCII column.
constexpr int kHexColumn = 6;
constexpr int kAsciiColumn = kHexColumn + 3 * kHexBytesPerLine + 1;

QString hexDump(const QByteArray& bytes) {
  QString out;
  out.reserve(static_cast<int>(bytes.size() / kHexBytesPerLine + 1) * (kAsciiColumn + 18));
  for (qsizetype line = 0; line < bytes.size(); line += kHexBytesPerLine) {
    if (line) out += QLatin1Char('\n');
    out += QStringLiteral("%1  ").arg(line, 4, 16, QLatin1Char('0'));
    QString ascii;
    for (int i = 0; i < kHexBytesPerLine; ++i) {
      if (line + i < bytes.size()) {
        const auto b = static_cast<unsigned char>(bytes[line + i]);
        out += QStringLiteral("%1 ").arg(b, 2, 16, QLatin1Char('0'));
        ascii += b >= 0x20 && b < 0x7f ? QLatin1Char(static_cast<char>(b)) : QLatin1Char('.');
      } else {
        out += QStringLiteral("   ");
      }
    }
    out += QLatin1Char(' ') + ascii;
  }
  return out;
}

/// The fields as items under `parent` (the tree itself, or an item), with their byte ranges.
template <class Parent>
void addFields(Parent* parent, const std::vector<models::PacketField>& fields) {
  for (const auto& f : fields) {
    auto* item = new QTreeWidgetItem(parent, {f.name, f.value});
    item->setData(0, kOffsetRole, f.offset);
    item->setData(0, kLengthRole, f.length);
    item->setToolTip(1, f.value);
    addFields(item, f.children);
  }
}

}  // namespace

bool SearchView::openSessionPackets(int proxyRow) {
  if (proxyRow < 0 || proxyRow >= m_proxy->rowCount()) return false;
  const int row = m_proxy->mapToSource(m_proxy->index(proxyRow, 0)).row();
  const SearchSessionModel::Row& r = m_sessions->row(row);
  m_packetRunner->stop();
  ++m_packetGeneration;
  m_openSession.clear();
  m_openSession.insert(r.nodeId, r.session);
  m_packets->setList(nullptr);
  m_detail->clear();
  m_hex->clear();
  m_packetState->setText(tr("Reading the session's packets from %1…").arg(r.nodeName));
  m_packetRunner->start({r.nodeId}, models::SearchQuery::forSession(m_lastParams, r.session));
  updateButtons();
  return true;
}

void SearchView::onPacketsAnswered(const QString& nodeId, const protocol::SearchReply& reply) {
  if (!m_openSession.contains(nodeId)) return;
  const protocol::SearchSession session = m_openSession.value(nodeId);
  const quint64 generation = m_packetGeneration;
  const bool truncated = reply.truncated;
  QByteArray pcap(reply.pcap.data(), static_cast<qsizetype>(reply.pcap.size()));
  // Reading and picking the session's packets decodes each once: off the GUI thread.
  m_builders->start([this, pcap = std::move(pcap), session, generation, truncated]() mutable {
    auto list = models::PacketList::build(std::move(pcap), &session);
    QMetaObject::invokeMethod(
        this,
        [this, list, generation, truncated, session] {
          if (generation != m_packetGeneration) return;
          showPackets(list);
          QString text =
              tr("%n packet(s) of the session", nullptr, static_cast<int>(list->records.size()));
          if (static_cast<quint64>(list->records.size()) != session.packets)
            text += QStringLiteral(" ") + tr("(the search counted %1)").arg(session.packets);
          if (truncated) text += QStringLiteral(" — ") + tr("the node's limit was reached");
          if (!list->problem.isEmpty()) text += QStringLiteral(" — ") + list->problem;
          m_packetState->setText(text);
          updateButtons();
          emit packetsShown();
        },
        Qt::QueuedConnection);
  });
}

void SearchView::showPackets(std::shared_ptr<const models::PacketList> list) {
  m_packets->setList(std::move(list));
  if (m_packets->rowCount() > 0) m_packetTable->selectRow(0);
}

void SearchView::showPacket(int row) {
  m_detail->clear();
  m_hex->clear();
  m_highlight = {-1, 0};
  const auto& list = m_packets->list();
  if (!list || row < 0 || row >= static_cast<int>(list->records.size())) return;
  decoder::DecodedPacket decoded;
  list->decode(static_cast<std::size_t>(row), decoded);
  const auto layers = models::PacketDissection::tree(static_cast<int>(list->linkType), decoded);
  addFields(m_detail, layers);
  m_hex->setPlainText(hexDump(list->bytes(static_cast<std::size_t>(row))));
}

void SearchView::highlight(int offset, int length) {
  m_highlight = {offset, offset < 0 ? 0 : length};
  QList<QTextEdit::ExtraSelection> selections;
  if (offset >= 0 && length > 0) {
    QTextCharFormat format;
    format.setBackground(m_hex->palette().highlight());
    format.setForeground(m_hex->palette().highlightedText());
    QTextDocument* doc = m_hex->document();
    const int end = offset + length;
    for (int line = offset / kHexBytesPerLine; line * kHexBytesPerLine < end; ++line) {
      const QTextBlock block = doc->findBlockByNumber(line);
      if (!block.isValid()) break;
      const int first = std::max(offset, line * kHexBytesPerLine) - line * kHexBytesPerLine;
      const int last = std::min(end, (line + 1) * kHexBytesPerLine) - line * kHexBytesPerLine;
      QTextEdit::ExtraSelection hex;
      hex.format = format;
      hex.cursor = QTextCursor(block);
      hex.cursor.setPosition(block.position() + kHexColumn + 3 * first);
      hex.cursor.setPosition(block.position() + kHexColumn + 3 * last - 1, QTextCursor::KeepAnchor);
      selections << hex;
      QTextEdit::ExtraSelection ascii;
      ascii.format = format;
      ascii.cursor = QTextCursor(block);
      ascii.cursor.setPosition(
          std::min(block.position() + kAsciiColumn + first, block.position() + block.length() - 1));
      ascii.cursor.setPosition(
          std::min(block.position() + kAsciiColumn + last, block.position() + block.length() - 1),
          QTextCursor::KeepAnchor);
      selections << ascii;
    }
  }
  m_hex->setExtraSelections(selections);
}

void SearchView::highlightItem(QTreeWidgetItem* item) {
  if (!item) return highlight(-1, 0);
  highlight(item->data(0, kOffsetRole).toInt(), item->data(0, kLengthRole).toInt());
}

}  // namespace netlens::app::views
