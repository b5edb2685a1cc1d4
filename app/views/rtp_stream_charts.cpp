// SPDX-License-Identifier: MIT
#include "app/views/rtp_stream_charts.h"

#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>

#include "app/models/rtp_stream_rows.h"
#include "shared/audio/audio_decoder.h"

namespace netlens::app::views {

RtpStreamCharts::RtpStreamCharts(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("rtpStreamCharts"));
  auto* layout = new QGridLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  m_title = new QLabel(this);
  layout->addWidget(m_title, 0, 0, 1, ChartCount);
  for (int c = 0; c < ChartCount; ++c) {
    auto* chart = new QChart;
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 4, 4, 4));
    auto* x = new QValueAxis(chart);
    auto* y = new QValueAxis(chart);
    x->setLabelFormat(QStringLiteral("%d"));
    y->setLabelFormat(c == Mos ? QStringLiteral("%.1f") : QStringLiteral("%.0f"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    auto* view = new QChartView(chart, this);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(220, 180);
    view->setObjectName(QStringLiteral("rtpChart%1").arg(c));
    layout->addWidget(view, 1, c);
    m_views << view;
    m_xAxes << x;
    m_yAxes << y;
    m_lines << QVector<QLineSeries*>();
  }
  retranslateUi();
  setStream(nullptr);
}

void RtpStreamCharts::setStream(const protocol::RtpStreamRecord* stream) {
  for (int c = 0; c < ChartCount; ++c) {
    QChart* chart = m_views[c]->chart();
    for (QLineSeries* line : std::as_const(m_lines[c])) {
      chart->removeSeries(line);
      delete line;
    }
    m_lines[c].clear();
  }
  m_streamName = stream ? QStringLiteral("%1  %2:%3 → %4:%5")
                              .arg(models::rtp_stream_rows::ssrcText(stream->ssrc),
                                   QString::fromStdString(stream->srcIp.toString()))
                              .arg(stream->srcPort)
                              .arg(QString::fromStdString(stream->dstIp.toString()))
                              .arg(stream->dstPort)
                        : QString();
  retranslateUi();
  const int seconds = stream ? static_cast<int>(stream->series.size()) : 0;
  double maxJitter = 1;
  double maxLoss = 1;
  const auto newLine = [this](int c) {
    auto* line = new QLineSeries;
    QChart* chart = m_views[c]->chart();
    chart->addSeries(line);
    line->attachAxis(m_xAxes[c]);
    line->attachAxis(m_yAxes[c]);
    static const QColor kColors[ChartCount] = {QColor(0x1f, 0x5f, 0xbf), QColor(0xc0, 0x25, 0x25),
                                               QColor(0x1b, 0x8a, 0x2e), QColor(0x7b, 0x3f, 0xa0)};
    QPen pen(kColors[c]);
    pen.setWidthF(1.8);
    line->setPen(pen);
    m_lines[c] << line;
    return line;
  };
  if (stream && seconds > 0) {
    QLineSeries* jitter = newLine(Jitter);
    QLineSeries* loss = newLine(Loss);
    QLineSeries* mos = nullptr;
    QLineSeries* level = nullptr;
    for (int i = 0; i < seconds; ++i) {
      const auto& s = stream->series[static_cast<std::size_t>(i)];
      jitter->append(i, s.maxJitterMs);
      loss->append(i, s.lost);
      maxJitter = std::max(maxJitter, s.maxJitterMs);
      maxLoss = std::max(maxLoss, static_cast<double>(s.lost));
      if (s.peak < 0) {
        level = nullptr;  // no G.711 audio this second: a gap
      } else {
        if (!level) level = newLine(Level);
        level->append(i, audio::levelDbfs(static_cast<std::uint32_t>(s.peak)));
      }
      if (!s.mos) {
        mos = nullptr;  // a gap: the next rated second starts a new segment
        continue;
      }
      if (!mos) mos = newLine(Mos);
      mos->append(i, *s.mos);
    }
  }
  for (int c = 0; c < ChartCount; ++c) m_xAxes[c]->setRange(0, std::max(1, seconds - 1));
  // Whole, evenly spaced ticks: losses are counts, and a clean stream still gets 0..4.
  m_yAxes[Jitter]->setRange(0, maxJitter * 1.15);
  m_yAxes[Jitter]->applyNiceNumbers();
  m_yAxes[Loss]->setRange(0, std::max(4.0, maxLoss * 1.15));
  m_yAxes[Loss]->applyNiceNumbers();
  m_yAxes[Mos]->setRange(1, 5);
  m_yAxes[Mos]->setTickCount(5);     // whole points: finer ticks do not fit a small chart
  m_yAxes[Level]->setRange(-96, 0);  // silence is -96 dBFS, full scale 0
  m_yAxes[Level]->setTickCount(5);
}

int RtpStreamCharts::pointCount(Chart chart) const {
  int n = 0;
  for (const QLineSeries* line : m_lines[chart]) n += static_cast<int>(line->count());
  return n;
}

void RtpStreamCharts::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslateUi();
  QWidget::changeEvent(event);
}

void RtpStreamCharts::retranslateUi() {
  m_title->setText(m_streamName.isEmpty() ? tr("Select a stream to see its charts")
                                          : tr("Stream %1").arg(m_streamName));
  const QString titles[ChartCount] = {tr("Jitter (max per second)"), tr("Packets lost per second"),
                                      tr("MOS per second"), tr("Audio level (peak per second)")};
  const QString units[ChartCount] = {tr("ms"), tr("packets"), tr("MOS"), tr("dBFS")};
  for (int c = 0; c < ChartCount; ++c) {
    m_views[c]->chart()->setTitle(titles[c]);
    m_yAxes[c]->setTitleText(units[c]);
    m_xAxes[c]->setTitleText(tr("seconds"));
  }
}

}  // namespace netlens::app::views
