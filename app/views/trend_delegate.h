// SPDX-License-Identifier: MIT
#pragma once

#include <QStyledItemDelegate>

namespace netlens::app::views {

/// Draws a cell's series (a QList<float> under `role`, oldest first) as a small line graph
/// scaled to the series' own largest value, like the sparklines of a monitoring table: the
/// shape of the traffic, not its size, which the rate columns beside it give.
class TrendDelegate : public QStyledItemDelegate {
 public:
  explicit TrendDelegate(int role, QObject* parent = nullptr);

  void paint(QPainter* painter, const QStyleOptionViewItem& option,
             const QModelIndex& index) const override;
  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

 private:
  int m_role;
};

}  // namespace netlens::app::views
