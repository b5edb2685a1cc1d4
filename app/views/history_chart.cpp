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
#include <QPen>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <optional>

#include "app/core/node_manager.h"
#include "app/views/bucket_chart.h"
#include "shared/stats/history_merge.h"

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
      // Means and extremes leave buckets out: a lone point must still show.
      s->setPointsVisible(line.kind == Kind::Value || line.kind == Kind::Mean);
      if (line.color.isValid() || line.dashed) {
        QPen pen = s->pen();
        if (line.color.isValid()) pen.setColor(line.color);
        if (line.dashed) pen.setStyle(Qt::DashLine);
        s->setPen(pen);
      }
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

QVector<HistoryChart::Panel> HistoryChart::handshakePanels() {
  constexpr double kMs = 1e-6;
  // Client blue, server orange (as IP detail's other charts); extremes dashed.
  const QColor client(31, 119, 180);
  const QColor server(255, 127, 14);
  return {
      {tr("TCP handshake RTT (SYN → SYN/ACK → ACK)"),
       tr("ms"),
       {{"client_rtt_sum_ns", tr("mean as client"), kMs, Kind::Mean, "client_handshakes", client,
         false},
        {"client_rtt_min_ns", tr("min as client"), kMs, Kind::Value, {}, client.lighter(150), true},
        {"client_rtt_max_ns", tr("max as client"), kMs, Kind::Value, {}, client.darker(150), true},
        {"server_rtt_sum_ns", tr("mean as server"), kMs, Kind::Mean, "server_handshakes", server,
         false},
        {"server_rtt_min_ns", tr("min as server"), kMs, Kind::Value, {}, server.lighter(130), true},
        {"server_rtt_max_ns",
         tr("max as server"),
         kMs,
         Kind::Value,
         {},
         server.darker(150),
         true}}},
      {tr("TCP connections opened and rejected"),
       tr("per bucket"),
       {{"client_syns", tr("opened as client"), 1, Kind::Count, {}, client, false},
        {"client_rejected", tr("rejected as client"), 1, Kind::Count, {}, client, true},
        {"server_syns", tr("opened to it"), 1, Kind::Count, {}, server, false},
        {"server_rejected", tr("rejected by it"), 1, Kind::Count, {}, server, true}}}};
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
  for (const protocol::HistoryReply& reply : m_replies)
    incomplete = incomplete || (reply.resolutionNs == width && !reply.complete);
  for (int p = 0; p < m_panels.size(); ++p) {
    const Panel& panel = m_panels[p];
    const auto lineCount = static_cast<std::size_t>(panel.lines.size());
    std::vector<stats::HistoryCombine> combine;
    for (const Line& line : panel.lines) combine.push_back(stats::historyCombineOf(line.counter));
    // bucket start → per line its counter and divisor, combined over the nodes by name (a
    // node of another version may order or name its counters differently).
    std::map<protocol::TimeNs, std::vector<std::pair<std::uint64_t, std::uint64_t>>> cells;
    for (const protocol::HistoryReply& reply : m_replies) {
      if (reply.resolutionNs != width) continue;
      const auto indexOf = [&](const std::string& name) {
        const auto it = std::find(reply.names.begin(), reply.names.end(), name);
        return it == reply.names.end() ? std::size_t{SIZE_MAX}
                                       : static_cast<std::size_t>(it - reply.names.begin());
      };
      std::vector<std::pair<std::size_t, std::size_t>> index;
      for (const Line& line : panel.lines)
        index.emplace_back(indexOf(line.counter), indexOf(line.divisor));
      for (const auto& bucket : reply.buckets) {
        const auto valueAt = [&](std::size_t i) -> std::uint64_t {
          return i < bucket.values.size() ? bucket.values[i] : 0;
        };
        auto& row = cells[bucket.start];
        row.resize(lineCount);
        for (std::size_t l = 0; l < lineCount; ++l) {
          row[l].first =
              stats::combineHistoryValues(combine[l], row[l].first, valueAt(index[l].first));
          row[l].second += valueAt(index[l].second);
        }
      }
    }
    // The y of line `l` in a bucket, or nothing where the line has no point.
    const auto yOf =
        [&](std::size_t l,
            const std::pair<std::uint64_t, std::uint64_t>& cell) -> std::optional<double> {
      const Line& line = panel.lines[static_cast<int>(l)];
      const auto value = static_cast<double>(cell.first);
      switch (line.kind) {
        case Kind::Rate:
          return value / seconds * line.scale;
        case Kind::Count:
          return value * line.scale;
        case Kind::Value:
          if (cell.first == 0) return std::nullopt;
          return value * line.scale;
        case Kind::Mean:
          if (cell.second == 0) return std::nullopt;
          return value / static_cast<double>(cell.second) * line.scale;
      }
      return std::nullopt;
    };
    double top = 0;
    for (const auto& [start, row] : cells) {
      for (std::size_t l = 0; l < lineCount; ++l) top = std::max(top, yOf(l, row[l]).value_or(0));
    }
    // Large rates and counts read better in k, M or G (the axis title says which).
    const bool rates = std::all_of(panel.lines.begin(), panel.lines.end(), [](const Line& line) {
      return line.kind == Kind::Rate || line.kind == Kind::Count;
    });
    double factor = 1;
    QString prefix;
    for (const auto& [f, p] : {std::pair{1e9, "G"}, {1e6, "M"}, {1e3, "k"}}) {
      if (rates && top >= f) {
        factor = f;
        prefix = QString::fromLatin1(p);
        break;
      }
    }
    top /= factor;
    m_valueAxes[p]->setTitleText(prefix + panel.unit);
    // Whole numbers where the axis spans enough of them to tell its ticks apart.
    m_valueAxes[p]->setLabelFormat(factor > 1 || !rates || top < 10 ? QStringLiteral("%.1f")
                                                                    : QStringLiteral("%.0f"));
    for (std::size_t l = 0; l < lineCount; ++l) {
      QList<QPointF> points;
      points.reserve(static_cast<qsizetype>(cells.size()));
      for (const auto& [start, row] : cells) {
        if (const auto y = yOf(l, row[l]))
          points.append({static_cast<double>(start / 1'000'000), *y / factor});
      }
      m_lines[p][static_cast<int>(l)]->replace(points);
    }
    if (!cells.empty()) {
      m_timeAxes[p]->setRange(QDateTime::fromMSecsSinceEpoch(cells.begin()->first / 1'000'000),
                              QDateTime::fromMSecsSinceEpoch(cells.rbegin()->first / 1'000'000));
    }
    m_timeAxes[p]->setFormat(m_resolution == Resolution::Hour ? QStringLiteral("MM-dd HH:mm")
                                                              : QStringLiteral("HH:mm:ss"));
    const bool counts = std::all_of(panel.lines.begin(), panel.lines.end(),
                                    [](const Line& line) { return line.kind == Kind::Count; });
    if (counts && top < 10) {
      // A few events per bucket: whole numbers on whole ticks.
      const double ceiling = std::max(1.0, std::ceil(top));
      m_valueAxes[p]->setRange(0, ceiling);
      m_valueAxes[p]->setTickCount(static_cast<int>(ceiling) + 1);
      m_valueAxes[p]->setLabelFormat(QStringLiteral("%.0f"));
    } else {
      m_valueAxes[p]->setTickCount(5);
      m_valueAxes[p]->setRange(0, top > 0 ? top * 1.1 : 1);
    }
  }
  if (incomplete) {
    m_note->setText(tr("Part of this address's traffic came before its history began on a node."));
  } else if (!m_replies.isEmpty()) {
    m_note->clear();
  }
}

}  // namespace netlens::app::views
