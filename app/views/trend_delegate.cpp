// SPDX-License-Identifier: MIT
#include "app/views/trend_delegate.h"

#include <QApplication>
#include <QList>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace netlens::app::views {

TrendDelegate::TrendDelegate(int role, QObject* parent)
    : QStyledItemDelegate(parent), m_role(role) {}

void TrendDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                          const QModelIndex& index) const {
  // Background and selection as any cell (the text is empty).
  QStyledItemDelegate::paint(painter, option, index);
  const QList<float> values = index.data(m_role).value<QList<float>>();
  if (values.size() < 2) return;
  const float top = *std::max_element(values.begin(), values.end());
  if (top <= 0) return;
  const QRectF area = QRectF(option.rect).adjusted(3, 3, -3, -3);
  if (area.width() < 4 || area.height() < 4) return;
  const qreal step = area.width() / static_cast<qreal>(values.size() - 1);
  QPainterPath line;
  for (qsizetype i = 0; i < values.size(); ++i) {
    const QPointF point(area.left() + step * static_cast<qreal>(i),
                        area.bottom() - area.height() * static_cast<qreal>(values[i] / top));
    if (i == 0) {
      line.moveTo(point);
    } else {
      line.lineTo(point);
    }
  }
  const bool selected = (option.state & QStyle::State_Selected) != 0;
  const QPalette& palette = option.palette;
  painter->save();
  painter->setRenderHint(QPainter::Antialiasing);
  painter->setPen(QPen(selected ? palette.highlightedText().color() : palette.link().color(), 1.2));
  painter->drawPath(line);
  painter->restore();
}

QSize TrendDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
  QSize size = QStyledItemDelegate::sizeHint(option, index);
  size.setWidth(std::max(size.width(), 90));
  return size;
}

}  // namespace netlens::app::views
