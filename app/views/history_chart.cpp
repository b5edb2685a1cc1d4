// SPDX-License-Identifier: MIT
#include "app/views/history_chart.h"

#include <QButtonGroup>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>

#include "app/core/node_manager.h"
#include "app/views/bucket_chart.h"

namespace netlens::app::views {

namespace {

constexpr protocol::TimeNs kSecondNs = 1'000'000'000;

int pollIntervalMs(HistoryChart::Resolution r) {
  switch (r) {
    case HistoryChart::Resolution::Second:
      return 2'000;
    case HistoryChart::Resolution::Minute:
      return 15'000;
    case HistoryChart::Resolution::Hour:
      return 60'000;
  }
  return 2'000;
}

}  // namespace

HistoryChart::HistoryChart(core::NodeManager* nodes, QString series, QVector<Panel> panels,
                           QWidget* parent)
    : QWidget(parent),
      m_nodes(nodes),
      m_seriesParams(series == QLatin1String("global")
                         ? protocol::Params{{"series", "global"}}
                         : protocol::Params{{"series", "ip"}, {"ip", series.toStdString()}}),
      m_panels(std::move(panels)) {
  setObjectName(QStringLiteral("historyChart"));
  auto* bar = new QHBoxLayout;
  m_buttons = new QButtonGroup(this);
  const std::pair<Resolution, QString> choices[] = {{Resolution::Second, tr("1 s")},
                                                    {Resolution::Minute, tr("1 min")},
                                                    {Resolution::Hour, tr("1 h")}};
  for (const auto& [r, text] : choices) {
    auto* button = new QPushButton(text, this);
    button->setCheckable(true);
    button->setChecked(r == m_resolution);
    button->setObjectName(QStringLiteral("resolution_%1").arg(resolutionParam(r)));
    m_buttons->addButton(button, static_cast<int>(r));
    bar->addWidget(button);
  }
  connect(m_buttons, &QButtonGroup::idClicked, this,
          [this](int id) { setResolution(static_cast<Resolution>(id)); });
  m_note = new QLabel(this);
  bar->addWidget(m_note, 1);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->addLayout(bar);
  for (const Panel& panel : m_panels) {
    auto* chart = new QChart;
    chart->setTitle(panel.title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(2, 2, 2, 2));
    auto* time = new QDateTimeAxis(chart);
    time->setTickCount(6);
    auto* value = new QValueAxis(chart);
    value->setTitleText(panel.unit);
    value->setLabelFormat(QStringLiteral("%.0f"));
    value->setMin(0);
    chart->addAxis(time, Qt::AlignBottom);
    chart->addAxis(value, Qt::AlignLeft);
    QVector<QLineSeries*> lines;
    for (const Line& line : panel.lines) {
      auto* s = new QLineSeries(chart);
      s->setName(line.label);
      chart->addSeries(s);
      s->attachAxis(time);
      s->attachAxis(value);
      showValueOnHover(s, value);
      lines.push_back(s);
    }
    auto* view = new QChartView(chart, this);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(160);
    layout->addWidget(view, 1);
    m_views.push_back(view);
    m_lines.push_back(lines);
    m_valueAxes.push_back(value);
    m_timeAxes.push_back(time);
  }
  m_timer = new QTimer(this);
  m_timer->setInterval(pollIntervalMs(m_resolution));
  connect(m_timer, &QTimer::timeout, this, &HistoryChart::poll);
  if (m_nodes) {
    connect(m_nodes, &core::NodeManager::requestReplied, this, &HistoryChart::onReplied);
    connect(m_nodes, &core::NodeManager::requestFailed, this, &HistoryChart::onFailed);
    connect(m_nodes, &core::NodeManager::nodeRemoved, this, &HistoryChart::removeNode);
  }
}

protocol::TimeNs HistoryChart::resolutionNs(Resolution r) {
  switch (r) {
    case Resolution::Second:
      return kSecondNs;
    case Resolution::Minute:
      return 60 * kSecondNs;
    case Resolution::Hour:
      return 3600 * kSecondNs;
  }
  return kSecondNs;
}

const char* HistoryChart::resolutionParam(Resolution r) {
  switch (r) {
    case Resolution::Second:
      return "1s";
    case Resolution::Minute:
      return "1m";
    case Resolution::Hour:
      return "1h";
  }
  return "1s";
}

void HistoryChart::setResolution(Resolution resolution) {
  if (auto* b = m_buttons->button(static_cast<int>(resolution))) b->setChecked(true);
  if (resolution == m_resolution) return;
  m_resolution = resolution;
  m_replies.clear();  // answers of another resolution do not add up with the new ones
  m_inFlight.clear();
  m_timer->setInterval(pollIntervalMs(resolution));
  rebuild();
  poll();
}

QVector<HistoryChart::Panel> HistoryChart::hostPanels() {
  return {{tr("Packets"),
           tr("packets/s"),
           {{"tx_packets", tr("sent"), 1}, {"rx_packets", tr("received"), 1}}},
          {tr("Throughput"),
           tr("bits/s"),
           {{"tx_bytes", tr("sent"), 8}, {"rx_bytes", tr("received"), 8}}}};
}

void HistoryChart::retitle(const QVector<Panel>& panels) {
  for (int p = 0; p < std::min(panels.size(), m_panels.size()); ++p) {
    m_panels[p].title = panels[p].title;
    m_panels[p].unit = panels[p].unit;
    m_views[p]->chart()->setTitle(panels[p].title);
    for (int i = 0; i < std::min(panels[p].lines.size(), m_panels[p].lines.size()); ++i) {
      m_panels[p].lines[i].label = panels[p].lines[i].label;
      m_lines[p][i]->setName(panels[p].lines[i].label);
    }
  }
  rebuild();  // the value axes' titles carry the unit
}

void HistoryChart::setGroupSeries(const QString& name) {
  setSeriesParams({{"series", "group"}, {"name", name.toStdString()}});
}

void HistoryChart::setSeriesParams(protocol::Params params, const QString& onlyNode) {
  m_seriesParams = std::move(params);
  m_onlyNode = onlyNode;
  m_replies.clear();
  m_inFlight.clear();
  rebuild();
}

void HistoryChart::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (!m_nodes) return;
  poll();
  m_timer->start();
}

void HistoryChart::hideEvent(QHideEvent* event) {
  m_timer->stop();
  QWidget::hideEvent(event);
}

void HistoryChart::poll() {
  if (!m_nodes) return;
  protocol::Params params = m_seriesParams;
  params["resolution"] = resolutionParam(m_resolution);
  for (const QString& id : m_nodes->nodeIds()) {
    if (!m_onlyNode.isEmpty() && id != m_onlyNode) continue;
    const core::NodeInfo* info = m_nodes->node(id);
    if (!info || info->state != core::NodeState::Connected || m_inFlight.contains(id)) continue;
    const quint64 token = core::NodeManager::nextRequestToken();
    if (m_nodes->request(id, token, "history", params)) m_inFlight.insert(id, token);
  }
}

void HistoryChart::onReplied(const QString& nodeId, quint64 token, const QByteArray& body) {
  if (m_inFlight.value(nodeId) != token) return;
  m_inFlight.remove(nodeId);
  auto reply = protocol::decodeBody<protocol::HistoryReply>(
      std::string_view(body.constData(), static_cast<std::size_t>(body.size())));
  if (reply && reply->resolutionNs == resolutionNs(m_resolution)) applyHistory(nodeId, *reply);
}

void HistoryChart::onFailed(const QString& nodeId, quint64 token, const QString& reason) {
  if (m_inFlight.value(nodeId) != token) return;
  m_inFlight.remove(nodeId);
  // An address without a per-IP history on that node is normal (its budget is limited).
  m_note->setText(reason);
}

void HistoryChart::applyHistory(const QString& nodeId, const protocol::HistoryReply& reply) {
  m_replies.insert(nodeId, reply);
  rebuild();
}

void HistoryChart::removeNode(const QString& nodeId) {
  m_replies.remove(nodeId);
  m_inFlight.remove(nodeId);
  rebuild();
}

QLineSeries* HistoryChart::lineSeries(int panel, int line) const {
  return m_lines.value(panel).value(line, nullptr);
}

QChartView* HistoryChart::chartView(int panel) const {
  return m_views.value(panel, nullptr);
}

void HistoryChart::rebuild() {
  const protocol::TimeNs width = resolutionNs(m_resolution);
  const double seconds = static_cast<double>(width) / kSecondNs;
  bool incomplete = false;
  for (int p = 0; p < m_panels.size(); ++p) {
    const Panel& panel = m_panels[p];
    // bucket start → one sum per line
    std::map<protocol::TimeNs, std::vector<double>> sums;
    for (const protocol::HistoryReply& reply : m_replies) {
      if (reply.resolutionNs != width) continue;
      incomplete = incomplete || !reply.complete;
      std::vector<int> index;
      for (const Line& line : panel.lines) {
        const auto it = std::find(reply.names.begin(), reply.names.end(), line.counter);
        index.push_back(it == reply.names.end() ? -1 : int(it - reply.names.begin()));
      }
      for (const auto& bucket : reply.buckets) {
        auto& row = sums[bucket.start];
        row.resize(static_cast<std::size_t>(panel.lines.size()));
        for (int l = 0; l < panel.lines.size(); ++l) {
          const int i = index[static_cast<std::size_t>(l)];
          if (i >= 0 && static_cast<std::size_t>(i) < bucket.values.size())
            row[static_cast<std::size_t>(l)] += static_cast<double>(bucket.values[i]);
        }
      }
    }
    double top = 0;
    for (const auto& [start, row] : sums) {
      for (int l = 0; l < panel.lines.size(); ++l)
        top = std::max(top, row[static_cast<std::size_t>(l)] / seconds * panel.lines[l].scale);
    }
    // Large rates read better in k, M or G (the axis title says which).
    double factor = 1;
    QString prefix;
    for (const auto& [f, p] : {std::pair{1e9, "G"}, {1e6, "M"}, {1e3, "k"}}) {
      if (top >= f) {
        factor = f;
        prefix = QString::fromLatin1(p);
        break;
      }
    }
    top /= factor;
    m_valueAxes[p]->setTitleText(prefix + panel.unit);
    m_valueAxes[p]->setLabelFormat(factor > 1 ? QStringLiteral("%.1f") : QStringLiteral("%.0f"));
    for (int l = 0; l < panel.lines.size(); ++l) {
      QList<QPointF> points;
      points.reserve(static_cast<qsizetype>(sums.size()));
      for (const auto& [start, row] : sums) {
        const double y = row[static_cast<std::size_t>(l)] / seconds * panel.lines[l].scale / factor;
        points.append({static_cast<double>(start / 1'000'000), y});
      }
      m_lines[p][l]->replace(points);
    }
    if (!sums.empty()) {
      m_timeAxes[p]->setRange(QDateTime::fromMSecsSinceEpoch(sums.begin()->first / 1'000'000),
                              QDateTime::fromMSecsSinceEpoch(sums.rbegin()->first / 1'000'000));
    }
    m_timeAxes[p]->setFormat(m_resolution == Resolution::Hour ? QStringLiteral("MM-dd HH:mm")
                                                              : QStringLiteral("HH:mm:ss"));
    m_valueAxes[p]->setRange(0, top > 0 ? top * 1.1 : 1);
  }
  if (incomplete) {
    m_note->setText(tr("Part of this address's traffic came before its history began on a node."));
  } else if (!m_replies.isEmpty()) {
    m_note->clear();
  }
}

}  // namespace netlens::app::views
