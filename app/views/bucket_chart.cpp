// SPDX-License-Identifier: MIT
#include "app/views/bucket_chart.h"

#include <QChart>
#include <QCursor>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLocale>
#include <QToolTip>
#include <QValueAxis>
#include <QXYSeries>

namespace netlens::app::views {

void showValueOnHover(QXYSeries* series, QValueAxis* axis, int decimals) {
  QObject::connect(
      series, &QXYSeries::hovered, series,
      [series, axis, decimals](const QPointF& point, bool state) {
        if (!state) return QToolTip::hideText();
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(point.x()));
        QToolTip::showText(QCursor::pos(),
                           QStringLiteral("%1\n%2: %3 %4")
                               .arg(at.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                                    series->name(), QLocale().toString(point.y(), 'f', decimals),
                                    axis ? axis->titleText() : QString())
                               .trimmed());
      });
}

QChart* makeBucketChart(QDateTimeAxis** time, QValueAxis** values, const QString& valueFormat) {
  auto* chart = new QChart;
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->setMargins(QMargins(2, 2, 2, 2));
  *time = new QDateTimeAxis(chart);
  (*time)->setFormat(QStringLiteral("MM-dd HH:mm"));
  (*time)->setTickCount(6);
  *values = new QValueAxis(chart);
  (*values)->setLabelFormat(valueFormat);
  (*values)->setMin(0);
  chart->addAxis(*time, Qt::AlignBottom);
  chart->addAxis(*values, Qt::AlignLeft);
  return chart;
}

void showBucketRange(QDateTimeAxis* axis, protocol::TimeNs firstStart, protocol::TimeNs lastStart,
                     protocol::TimeNs bucketNs) {
  axis->setRange(QDateTime::fromMSecsSinceEpoch(firstStart / 1'000'000),
                 QDateTime::fromMSecsSinceEpoch((lastStart + bucketNs) / 1'000'000));
  axis->setFormat(bucketNs < 60'000'000'000 ? QStringLiteral("HH:mm:ss")
                                            : QStringLiteral("MM-dd HH:mm"));
}

}  // namespace netlens::app::views
