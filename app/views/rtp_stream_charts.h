// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QVector>
#include <QWidget>

#include "shared/protocol/messages.h"

class QChartView;
class QLabel;
class QLineSeries;
class QValueAxis;

namespace netlens::app::views {

/// Charts of one RTP stream over its seconds (RtpStreamRecord::series), side by side: the highest
/// jitter of each second (ms), the packets lost in it, its MOS and its audio level (the
/// loudest G.711 sample in dBFS). The x axis is seconds since the stream's first second.
/// Seconds without a MOS (no packets, or a codec without E-model values) leave a gap in the
/// MOS line, seconds without G.711 audio one in the level line.
///
/// Thread: GUI thread.
class RtpStreamCharts : public QWidget {
  Q_OBJECT

 public:
  enum Chart { Jitter, Loss, Mos, Level, ChartCount };

  explicit RtpStreamCharts(QWidget* parent = nullptr);

  /// Shows `stream`'s series (null: empty charts and a hint).
  void setStream(const protocol::RtpStreamRecord* stream);
  QChartView* chartView(Chart chart) const { return m_views[chart]; }
  /// All points of a chart (its line segments together), for tests.
  int pointCount(Chart chart) const;

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void retranslateUi();

  QVector<QChartView*> m_views;
  QVector<QVector<QLineSeries*>> m_lines;  ///< per chart: its segments (MOS has gaps)
  QVector<QValueAxis*> m_xAxes;
  QVector<QValueAxis*> m_yAxes;
  QLabel* m_title = nullptr;
  QString m_streamName;
};

}  // namespace netlens::app::views
