// SPDX-License-Identifier: MIT
#include "app/views/new_connections_chart.h"

#include <QChart>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QValueAxis>
#include <algorithm>

#include "app/views/bucket_chart.h"
#include "shared/stats/ip_detail.h"

namespace netlens::app::views {

NewConnectionsChart::NewConnectionsChart(QWidget* parent) : QChartView(parent) {
  setObjectName(QStringLiteral("newConnectionsChart"));
  setRenderHint(QPainter::Antialiasing);
  QChart* chart = makeBucketChart(&m_timeAxis, &m_countAxis, QStringLiteral("%d"));
  // Client blue, server orange (as the handshake chart); invalid dashed.
  const QColor colours[2] = {QColor(31, 119, 180), QColor(255, 127, 14)};
  for (int i = 0; i < 4; ++i) {
    auto* s = new QLineSeries(chart);
    QPen pen(colours[i / 2]);
    pen.setWidth(2);
    if (i % 2 == 1) pen.setStyle(Qt::DashLine);
    s->setPen(pen);
    s->setPointsVisible(true);
    s->setMarkerSize(6);
    chart->addSeries(s);
    s->attachAxis(m_timeAxis);
    s->attachAxis(m_countAxis);
    showValueOnHover(s, m_countAxis, 0);
    m_series[i] = s;
  }
  setChart(chart);
  retranslate();
}

void NewConnectionsChart::retranslate() {
  chart()->setTitle(tr("New TCP connections"));
  m_series[0]->setName(tr("Valid as client"));
  m_series[1]->setName(tr("Invalid as client"));
  m_series[2]->setName(tr("Valid as server"));
  m_series[3]->setName(tr("Invalid as server"));
}

void NewConnectionsChart::setBuckets(const std::vector<stats::NewConnectionBucket>& buckets,
                                     protocol::TimeNs bucketNs) {
  QList<QPointF> points[4];
  std::uint64_t top = 0;
  for (const auto& b : buckets) {
    const double x = static_cast<double>((b.start + bucketNs / 2) / 1'000'000);
    const std::uint64_t values[4] = {
        b.asClient.answered, b.asClient.unanswered + b.asClient.rejected, b.asServer.answered,
        b.asServer.unanswered + b.asServer.rejected};
    for (int i = 0; i < 4; ++i) {
      points[i].append({x, static_cast<double>(values[i])});
      top = std::max(top, values[i]);
    }
  }
  for (int i = 0; i < 4; ++i) m_series[i]->replace(points[i]);
  if (!buckets.empty())
    showBucketRange(m_timeAxis, buckets.front().start, buckets.back().start, bucketNs);
  m_countAxis->setRange(0, top > 0 ? static_cast<double>(top) * 1.1 : 1);
}

}  // namespace netlens::app::views
