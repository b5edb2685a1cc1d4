// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>
#include <QHash>
#include <QString>
#include <QVector>
#include <QWidget>

#include <map>
#include <string>
#include <vector>

#include "app/core/protocol_metatypes.h"
#include "shared/protocol/codec.h"

class QButtonGroup;
class QChartView;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QTimer;
class QValueAxis;

namespace netlens::app::core {
class NodeManager;
}

namespace netlens::app::views {

/// Charts of a node history series ("history" operation, packet time) summed over every
/// connected node, with 1 s / 1 min / 1 h buttons: 10 minutes of seconds, 3 hours of minutes
/// or a week of hours, as the nodes keep them. Each panel is one chart; each line plots one
/// counter of the series as a rate (the bucket's count divided by its length, times `scale`,
/// e.g. 8 to turn bytes into bits), or as a value or mean (Kind). Buckets of the nodes are
/// combined by their start (all nodes align buckets to the epoch): counts add up, minima and
/// maxima (stats::historyCombineOf) stay extremes. While visible it asks the nodes again every 2 s
/// (1 s resolution), 15 s (1 min) or 60 s (1 h); hovering a line shows its value at that time.
///
/// Thread: GUI thread; never waits. Does not own `nodes` (may be null in tests, which call
/// applyHistory themselves).
class HistoryChart : public QWidget {
  Q_OBJECT

 public:
  enum class Resolution { Second, Minute, Hour };
  /// How a line plots its counter: as a rate (the bucket's count per second), as the count
  /// itself, as a value (an extreme such as a minimum; buckets without one are left out), or
  /// as a mean (the counter divided by counter `divisor` of the same bucket; left out where
  /// that is 0).
  enum class Kind { Rate, Count, Value, Mean };
  struct Line {
    std::string counter;  ///< name in HistoryReply::names
    QString label;
    double scale = 1;
    Kind kind = Kind::Rate;
    std::string divisor;  ///< of a Mean
    QColor color = {};    ///< the chart's own choice when invalid
    bool dashed = false;
  };
  struct Panel {
    QString title;
    QString unit;  ///< of the y axis, e.g. "packets/s"
    QVector<Line> lines;
  };

  /// `series`: "global", or an IP address for that address's series (setGroupSeries() for a
  /// group's).
  HistoryChart(core::NodeManager* nodes, QString series, QVector<Panel> panels,
               QWidget* parent = nullptr);

  /// The panels of an address's or a group's series: packets and throughput, sent and
  /// received (in the current language).
  static QVector<Panel> hostPanels();
  /// The panels of a "handshake" series: handshake RTT as client and as server (mean, min,
  /// max per bucket, ms) and new TCP connections per bucket (SYNs and rejections).
  static QVector<Panel> handshakePanels();
  /// Puts the titles, units and line labels of `panels` (the same panels and lines as
  /// given to the constructor, e.g. after a language change) on the charts.
  void retitle(const QVector<Panel>& panels);
  /// Shows IP group `name`'s series (the sum of its members' series on each node) instead.
  void setGroupSeries(const QString& name);
  /// Shows the series the "history" parameters `params` name instead (e.g. a connection's),
  /// asked only of node `onlyNode` when not empty.
  void setSeriesParams(protocol::Params params, const QString& onlyNode = QString());
  Resolution resolution() const { return m_resolution; }
  void setResolution(Resolution resolution);
  /// A node's answer for the current resolution; replaces what that node had.
  void applyHistory(const QString& nodeId, const protocol::HistoryReply& reply);
  void removeNode(const QString& nodeId);
  /// Panels' line series in panel order, lines in order (for tests).
  QLineSeries* lineSeries(int panel, int line) const;
  QChartView* chartView(int panel) const;
  /// Asks the connected nodes now (also done by the timer while visible).
  void poll();

 protected:
  void showEvent(QShowEvent* event) override;
  void hideEvent(QHideEvent* event) override;

 private:
  static protocol::TimeNs resolutionNs(Resolution r);
  static const char* resolutionParam(Resolution r);
  void rebuild();
  void onReplied(const QString& nodeId, quint64 token, const QByteArray& body);
  void onFailed(const QString& nodeId, quint64 token, const QString& reason);

  core::NodeManager* m_nodes;
  protocol::Params m_seriesParams;  ///< what "history" is asked, but for the resolution
  QString m_onlyNode;               ///< ask only this node ("" every connected one)
  QVector<Panel> m_panels;
  Resolution m_resolution = Resolution::Second;
  QVector<QChartView*> m_views;
  QVector<QVector<QLineSeries*>> m_lines;
  QVector<QValueAxis*> m_valueAxes;
  QVector<QDateTimeAxis*> m_timeAxes;
  QButtonGroup* m_buttons = nullptr;
  QLabel* m_note = nullptr;
  QTimer* m_timer = nullptr;
  QHash<QString, protocol::HistoryReply> m_replies;  ///< node id → its last answer
  QHash<QString, quint64> m_inFlight;                ///< node id → token
};

}  // namespace netlens::app::views
