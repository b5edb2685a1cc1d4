// SPDX-License-Identifier: MIT
#include "app/views/sip_ladder_widget.h"

#include <QEvent>
#include <QFontMetrics>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <numeric>

namespace netlens::app::views {
namespace {

QString endpoint(const net::IpAddress& ip, std::uint16_t port) {
  const QString address = QString::fromStdString(ip.toString());
  return ip.isV6() ? QStringLiteral("[%1]:%2").arg(address).arg(port)
                   : QStringLiteral("%1:%2").arg(address).arg(port);
}

constexpr int kMargin = 12;
constexpr int kArrowHead = 7;

}  // namespace

SipLadderLayout layoutLadder(const std::vector<protocol::SipMessageRecord>& messages) {
  SipLadderLayout layout;
  std::vector<int> order(messages.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return messages[static_cast<std::size_t>(a)].time < messages[static_cast<std::size_t>(b)].time;
  });
  const auto columnOf = [&](const QString& name) {
    const auto at = layout.participants.indexOf(name);
    if (at >= 0) return static_cast<int>(at);
    layout.participants << name;
    return static_cast<int>(layout.participants.size() - 1);
  };
  const protocol::TimeNs first =
      order.empty() ? 0 : messages[static_cast<std::size_t>(order[0])].time;
  for (int i : order) {
    const auto& m = messages[static_cast<std::size_t>(i)];
    SipLadderLayout::Arrow arrow;
    arrow.message = i;
    arrow.from = columnOf(endpoint(m.srcIp, m.srcPort));
    arrow.to = columnOf(endpoint(m.dstIp, m.dstPort));
    arrow.offsetNs = m.time - first;
    layout.arrows.push_back(arrow);
  }
  return layout;
}

QString ladderLabel(const protocol::SipMessageRecord& m) {
  QString label =
      m.isRequest ? QString::fromStdString(m.method)
                  : QStringLiteral("%1 %2").arg(m.statusCode).arg(QString::fromStdString(m.reason));
  if (!m.sdp.empty() || m.sdpOmittedBytes > 0) label += QStringLiteral(" (SDP)");
  return label;
}

SipLadderWidget::SipLadderWidget(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("sipLadder"));
  setFocusPolicy(Qt::StrongFocus);
  setBackgroundRole(QPalette::Base);
  setAutoFillBackground(true);
  relayout();
}

void SipLadderWidget::relayout() {
  const QFontMetrics metrics(font());
  m_rowHeight = metrics.height() * 2 + 6;
  m_headerHeight = metrics.height() * 2 + 8;
  m_timeWidth = metrics.horizontalAdvance(QStringLiteral("+000.000 s")) + kMargin;
  // Wide enough for a participant's address and a usual label between two lifelines.
  int widest = metrics.horizontalAdvance(QStringLiteral("[2001:db8::1234]:5060"));
  for (const QString& p : std::as_const(m_layout.participants))
    widest = std::max(widest, metrics.horizontalAdvance(p));
  for (const auto& m : m_messages)
    widest = std::max(widest, metrics.horizontalAdvance(ladderLabel(m)));
  m_columnWidth = widest + 2 * kMargin;
  updateGeometry();
  update();
}

void SipLadderWidget::setMessages(std::vector<protocol::SipMessageRecord> messages) {
  m_messages = std::move(messages);
  m_layout = layoutLadder(m_messages);
  m_selected = -1;
  relayout();
}

void SipLadderWidget::setSelectedMessage(int message) {
  if (message < -1 || message >= static_cast<int>(m_messages.size())) message = -1;
  if (message == m_selected) return;
  m_selected = message;
  update();
  emit messageSelected(message);
}

int SipLadderWidget::columnX(int column) const {
  return m_timeWidth + m_columnWidth / 2 + column * m_columnWidth;
}

int SipLadderWidget::arrowY(int arrow) const {
  return m_headerHeight + (arrow + 1) * m_rowHeight;
}

int SipLadderWidget::arrowAt(const QPoint& position) const {
  for (int i = 0; i < static_cast<int>(m_layout.arrows.size()); ++i) {
    // The label sits above the arrow: the row is the band from the label's top to a little
    // under the line.
    const int y = arrowY(i);
    if (position.y() > y - m_rowHeight + 4 && position.y() <= y + 4) return i;
  }
  return -1;
}

int SipLadderWidget::rowOfMessage(int message) const {
  for (int i = 0; i < static_cast<int>(m_layout.arrows.size()); ++i)
    if (m_layout.arrows[static_cast<std::size_t>(i)].message == message) return i;
  return -1;
}

QColor SipLadderWidget::colorOf(const protocol::SipMessageRecord& m) {
  if (m.isRequest) return QColor(0x1f, 0x5f, 0xbf);
  if (m.statusCode < 200) return QColor(0x70, 0x70, 0x70);
  if (m.statusCode < 300) return QColor(0x1b, 0x8a, 0x2e);
  return QColor(0xc0, 0x25, 0x25);
}

QSize SipLadderWidget::sizeHint() const {
  const int columns = std::max<int>(2, static_cast<int>(m_layout.participants.size()));
  const int rows = static_cast<int>(m_layout.arrows.size());
  return {m_timeWidth + columns * m_columnWidth + kMargin,
          m_headerHeight + (rows + 1) * m_rowHeight};
}

QSize SipLadderWidget::minimumSizeHint() const {
  return sizeHint();
}

void SipLadderWidget::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const QFontMetrics metrics(font());
  const QPalette& pal = palette();
  const int bottom = arrowY(static_cast<int>(m_layout.arrows.size()));

  // Participants and lifelines.
  QFont bold = font();
  bold.setBold(true);
  for (int c = 0; c < static_cast<int>(m_layout.participants.size()); ++c) {
    const int x = columnX(c);
    const QRect box(x - m_columnWidth / 2 + 4, 4, m_columnWidth - 8, m_headerHeight - 8);
    p.setPen(pal.color(QPalette::Mid));
    p.setBrush(pal.color(QPalette::AlternateBase));
    p.drawRoundedRect(box, 4, 4);
    p.setFont(bold);
    p.setPen(pal.color(QPalette::Text));
    p.drawText(box, Qt::AlignCenter, m_layout.participants[c]);
    p.setFont(font());
    p.setPen(QPen(pal.color(QPalette::Mid), 1, Qt::DashLine));
    p.drawLine(x, m_headerHeight, x, bottom);
  }

  for (int i = 0; i < static_cast<int>(m_layout.arrows.size()); ++i) {
    const auto& a = m_layout.arrows[static_cast<std::size_t>(i)];
    const auto& m = m_messages[static_cast<std::size_t>(a.message)];
    const int y = arrowY(i);
    if (a.message == m_selected) {
      p.setPen(Qt::NoPen);
      p.setBrush(pal.color(QPalette::Highlight).lighter(170));
      p.drawRect(QRect(0, y - m_rowHeight + 4, width(), m_rowHeight));
    }
    // Time since the first message, left of the diagram.
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRect(2, y - metrics.height(), m_timeWidth - 8, metrics.height()),
               Qt::AlignRight | Qt::AlignVCenter,
               QStringLiteral("+%1 s").arg(static_cast<double>(a.offsetNs) / 1e9, 0, 'f', 3));
    const QColor color = colorOf(m);
    p.setPen(QPen(color, a.message == m_selected ? 2.5 : 1.5));
    p.setBrush(color);
    const int x1 = columnX(a.from);
    const int x2 = columnX(a.to);
    QString label = ladderLabel(m);
    if (x1 == x2) {
      // To itself: a small loop on the right of the lifeline.
      QPainterPath loop;
      loop.moveTo(x1, y - 10);
      loop.lineTo(x1 + 24, y - 10);
      loop.lineTo(x1 + 24, y);
      loop.lineTo(x1 + kArrowHead, y);
      p.setBrush(Qt::NoBrush);
      p.drawPath(loop);
      p.setBrush(color);
      p.drawPolygon(QPolygon(
          {QPoint(x1, y), QPoint(x1 + kArrowHead, y - 4), QPoint(x1 + kArrowHead, y + 4)}));
      p.drawText(QPoint(x1 + 30, y - 4), label);
      continue;
    }
    const int dir = x2 > x1 ? 1 : -1;
    p.drawLine(x1, y, x2 - dir * kArrowHead, y);
    p.drawPolygon(QPolygon({QPoint(x2, y), QPoint(x2 - dir * kArrowHead, y - 4),
                            QPoint(x2 - dir * kArrowHead, y + 4)}));
    const QRect labelRect(std::min(x1, x2), y - metrics.height() - 3, std::abs(x2 - x1),
                          metrics.height());
    label = metrics.elidedText(label, Qt::ElideRight, labelRect.width());
    p.drawText(labelRect, Qt::AlignCenter, label);
  }
}

void SipLadderWidget::mousePressEvent(QMouseEvent* event) {
  setFocus(Qt::MouseFocusReason);
  const int row = arrowAt(event->position().toPoint());
  setSelectedMessage(row < 0 ? -1 : m_layout.arrows[static_cast<std::size_t>(row)].message);
}

void SipLadderWidget::keyPressEvent(QKeyEvent* event) {
  const int rows = static_cast<int>(m_layout.arrows.size());
  if (rows == 0 || (event->key() != Qt::Key_Up && event->key() != Qt::Key_Down))
    return QWidget::keyPressEvent(event);
  int row = rowOfMessage(m_selected);
  row = event->key() == Qt::Key_Up ? std::max(0, row - 1) : std::min(rows - 1, row + 1);
  setSelectedMessage(m_layout.arrows[static_cast<std::size_t>(row)].message);
}

void SipLadderWidget::changeEvent(QEvent* event) {
  if (event->type() == QEvent::FontChange) relayout();
  QWidget::changeEvent(event);
}

}  // namespace netlens::app::views
