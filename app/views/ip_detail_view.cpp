// SPDX-License-Identifier: MIT
#include "app/views/ip_detail_view.h"

#include <QChart>
#include <QChartView>
#include <QCoreApplication>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QFont>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QLocale>
#include <QMenu>
#include <QPieSeries>
#include <QPushButton>
#include <QStyle>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <map>

#include "app/core/node_manager.h"
#include "app/models/connection_table_model.h"
#include "app/models/host_table_model.h"
#include "app/views/bucket_chart.h"
#include "app/views/capture_menu.h"
#include "app/views/connections_view.h"
#include "app/views/history_chart.h"
#include "app/views/ip_detail_pages.h"
#include "app/views/ip_selection_history.h"
#include "app/views/ip_voip_pages.h"
#include "app/views/user_guide.h"

namespace netlens::app::views {
namespace {

using models::HostTableModel;

/// The user guide's section on this page (its heading's anchor).
constexpr const char* kHelpAnchor = "connections-and-ip-detail";

QString timeText(protocol::TimeNs t) {
  if (t == 0) return QStringLiteral("–");
  return QDateTime::fromMSecsSinceEpoch(t / 1'000'000)
      .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

/// Rate of a counter between two records `seconds` apart; 0 when it went backwards (a
/// node that restarted counts from 0 again).
double rate(std::uint64_t now, std::uint64_t before, double seconds) {
  return now >= before ? static_cast<double>(now - before) / seconds : 0.0;
}

const char* const kFieldKeys[] = {"nodes",     "names",       "group",      "country",
                                  "txPackets", "txBytes",     "rxPackets",  "rxBytes",
                                  "tcp",       "udp",         "tcpPayload", "tcpRetrans",
                                  "pps",       "bps",         "macs",       "vlans",
                                  "firstSeen", "firstRecent", "lastSeen",   "lastNewConnection"};

}  // namespace

IpDetailView::IpDetailView(core::NodeManager* nodes, const models::HostTableModel* hosts,
                           const net::IpAddress& ip, QWidget* parent)
    : QWidget(parent), m_nodes(nodes), m_ip(ip), m_ipText(QString::fromStdString(ip.toString())) {
  setObjectName(QStringLiteral("ipDetail"));
  if (hosts) {
    for (auto& [nodeId, record] : hosts->recordsOf(ip)) m_records.insert(nodeId, record);
  }

  m_back = new QPushButton(this);
  m_back->setObjectName(QStringLiteral("ipDetailBack"));
  m_back->setIcon(style()->standardIcon(QStyle::SP_ArrowBack));
  connect(m_back, &QPushButton::clicked, this, &IpDetailView::backRequested);
  m_help = new QPushButton(this);
  m_help->setObjectName(QStringLiteral("ipDetailHelp"));
  connect(m_help, &QPushButton::clicked, this, &IpDetailView::showHelp);
  m_title = new QLabel(m_ipText, this);
  m_title->setObjectName(QStringLiteral("ipDetailTitle"));
  m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
  QFont titleFont = m_title->font();
  titleFont.setBold(true);
  if (titleFont.pointSizeF() > 0) titleFont.setPointSizeF(titleFont.pointSizeF() * 1.5);
  m_title->setFont(titleFont);
  m_subtitle = new QLabel(this);
  m_subtitle->setObjectName(QStringLiteral("ipDetailSubtitle"));
  m_subtitle->setTextFormat(Qt::PlainText);
  m_subtitle->setWordWrap(true);

  auto* top = new QHBoxLayout;
  top->addWidget(m_back);
  auto* heading = new QVBoxLayout;
  heading->setSpacing(0);
  heading->addWidget(m_title);
  heading->addWidget(m_subtitle);
  top->addLayout(heading, 1);
  m_download = new QToolButton(this);
  m_download->setObjectName(QStringLiteral("ipDetailDownload"));
  m_download->setPopupMode(QToolButton::MenuButtonPopup);
  m_download->setMenu(new QMenu(m_download));
  connect(m_download->menu(), &QMenu::aboutToShow, this, &IpDetailView::fillDownloadMenu);
  connect(m_download, &QToolButton::clicked, this, [this] { requestPcap(); });
  top->addWidget(m_download, 0, Qt::AlignTop);
  m_live = new QToolButton(this);
  m_live->setObjectName(QStringLiteral("ipDetailLive"));
  connect(m_live, &QToolButton::clicked, this, [this] { emit liveCaptureRequested(liveQuery()); });
  top->addWidget(m_live, 0, Qt::AlignTop);
  top->addWidget(m_help, 0, Qt::AlignTop);

  m_tabs = new QTabWidget(this);
  m_tabs->setObjectName(QStringLiteral("ipDetailTabs"));
  m_overview = buildOverview();
  m_tabs->addTab(m_overview, QString());
  m_connections =
      new ConnectionsView(nodes, QStringLiteral("ui/ipConnectionsHeader"), m_ipText, m_tabs);
  m_tabs->addTab(m_connections, QString());
  m_history = new HistoryChart(nodes, m_ipText, HistoryChart::hostPanels(), m_tabs);
  m_tabs->insertTab(1, m_history, QString());
  // The derived tabs need the connections whether or not their tab is showing.
  m_connections->setPollingWhileHidden(true);
  m_pages = new IpDetailPages(m_tabs, nodes);
  m_pages->setHandshakeSeries({{"ip", m_ip.toString()}});
  m_pages->addProtocolPie(m_overviewPie);
  connect(m_pages, &IpDetailPages::lastNewConnectionChanged, this, [this](protocol::TimeNs t) {
    m_lastNewConnection = t;
    updateFigures();
  });
  m_pages->follow(m_connections->model(), [ip = m_ip](const net::IpAddress& a) { return a == ip; });
  m_selectionHistory = new IpSelectionHistory(nodes, m_ip, m_pages);
  connect(m_pages, &IpDetailPages::connectionsFilterRequested, this,
          [this](const QString& expression) {
            m_tabs->setCurrentWidget(m_connections);
            m_connections->filterEdit()->setText(expression);
          });
  connect(m_pages, &IpDetailPages::peerActivated, this, &IpDetailView::peerRequested);
  m_voip = new IpVoipPages(nodes, m_ip, m_tabs);
  connect(m_connections, &ConnectionsView::pcapDownloadRequested, this,
          &IpDetailView::pcapDownloadRequested);
  connect(m_connections, &ConnectionsView::liveCaptureRequested, this,
          &IpDetailView::liveCaptureRequested);
  m_pages->setCaptureActions(
      [this](const QString& table, const models::SummaryTableModel::Row& row) {
        return rowCaptureQuery(table, row);
      },
      [this](const QString& title) { return m_liveProbe && m_liveProbe(title); });
  connect(m_pages, &IpDetailPages::pcapDownloadRequested, this,
          &IpDetailView::pcapDownloadRequested);
  connect(m_pages, &IpDetailPages::liveCaptureRequested, this, &IpDetailView::liveCaptureRequested);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 0);
  layout->addLayout(top);
  layout->addWidget(m_tabs, 1);

  if (m_nodes) {
    connect(m_nodes, &core::NodeManager::snapshotReceived, this, &IpDetailView::applySnapshot);
    connect(m_nodes, &core::NodeManager::deltaReceived, this, &IpDetailView::applyDelta);
    connect(m_nodes, &core::NodeManager::nodeRemoved, this, [this](const QString& id) {
      m_records.remove(id);
      m_previous.remove(id);
      updateFigures();
    });
    connect(m_nodes, &core::NodeManager::nodeChanged, this, &IpDetailView::updateFigures);
  }
  retranslateUi();
}

IpDetailView::~IpDetailView() = default;

QStringList IpDetailView::tabNames() {
  return QStringList{QStringLiteral("overview"), QStringLiteral("history"),
                     QStringLiteral("connections")} +
         IpDetailPages::tabNames() + IpVoipPages::tabNames();
}

bool IpDetailView::showTab(const QString& name) {
  QWidget* page = m_pages->pageForTab(name);
  if (!page) page = m_voip->pageForTab(name);
  if (name == QLatin1String("overview")) {
    page = m_overview;
  } else if (name == QLatin1String("history")) {
    page = m_history;
  } else if (name == QLatin1String("connections")) {
    page = m_connections;
  }
  if (!page) return false;
  m_tabs->setCurrentWidget(page);
  return true;
}

QWidget* IpDetailView::buildOverview() {
  auto* page = new QWidget(this);
  page->setObjectName(QStringLiteral("ipDetailOverview"));
  auto* form = new QFormLayout;
  form->setLabelAlignment(Qt::AlignRight);
  for (const char* key : kFieldKeys) {
    auto* name = new QLabel(page);
    auto* value = new QLabel(page);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    value->setTextFormat(Qt::PlainText);
    value->setWordWrap(true);
    value->setObjectName(QStringLiteral("field_%1").arg(QLatin1String(key)));
    form->addRow(name, value);
    m_fieldNames.insert(QLatin1String(key), name);
    m_fieldValues.insert(QLatin1String(key), value);
  }
  m_packetChart = buildChart(m_txPackets, m_rxPackets, m_packetAxis, m_packetTimeAxis);
  m_packetChart->setObjectName(QStringLiteral("packetChart"));
  m_bitChart = buildChart(m_txBits, m_rxBits, m_bitAxis, m_bitTimeAxis);
  m_bitChart->setObjectName(QStringLiteral("bitChart"));
  m_chartNote = new QLabel(page);
  m_chartNote->setWordWrap(true);
  // The top DPI protocols by bytes, as on the Protocols tab (filled by IpDetailPages).
  auto* pieChart = new QChart;
  pieChart->legend()->setAlignment(Qt::AlignRight);
  pieChart->setMargins(QMargins(2, 2, 2, 2));
  m_overviewPie = new QPieSeries(pieChart);
  pieChart->addSeries(m_overviewPie);
  m_overviewPieView = new QChartView(pieChart, page);
  m_overviewPieView->setObjectName(QStringLiteral("overviewProtocolPie"));
  m_overviewPieView->setRenderHint(QPainter::Antialiasing);
  m_overviewPieView->setMinimumSize(380, 200);

  auto* charts = new QVBoxLayout;
  charts->addWidget(m_packetChart, 1);
  charts->addWidget(m_bitChart, 1);
  charts->addWidget(m_chartNote);
  auto* layout = new QHBoxLayout(page);
  auto* left = new QVBoxLayout;
  left->addLayout(form);
  left->addWidget(m_overviewPieView, 1);
  layout->addLayout(left);
  layout->addLayout(charts, 1);
  return page;
}

QChartView* IpDetailView::buildChart(QLineSeries*& sent, QLineSeries*& received, QValueAxis*& yAxis,
                                     QDateTimeAxis*& xAxis) {
  auto* chart = new QChart;
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->setMargins(QMargins(2, 2, 2, 2));
  sent = new QLineSeries(chart);
  received = new QLineSeries(chart);
  chart->addSeries(sent);
  chart->addSeries(received);
  xAxis = new QDateTimeAxis(chart);
  xAxis->setFormat(QStringLiteral("HH:mm:ss"));
  xAxis->setTickCount(6);
  yAxis = new QValueAxis(chart);
  yAxis->setLabelFormat(QStringLiteral("%.0f"));
  yAxis->setMin(0);
  chart->addAxis(xAxis, Qt::AlignBottom);
  chart->addAxis(yAxis, Qt::AlignLeft);
  for (QLineSeries* series : {sent, received}) {
    series->attachAxis(xAxis);
    series->attachAxis(yAxis);
    showValueOnHover(series, yAxis);
  }
  auto* view = new QChartView(chart, this);
  view->setRenderHint(QPainter::Antialiasing);
  view->setMinimumHeight(180);
  return view;
}

void IpDetailView::applySnapshot(const QString& nodeId, const protocol::HostsSnapshot& snapshot) {
  auto it = std::find_if(snapshot.hosts.begin(), snapshot.hosts.end(),
                         [this](const protocol::HostRecord& r) { return r.ip == m_ip; });
  if (it == snapshot.hosts.end())
    m_records.remove(nodeId);
  else
    m_records.insert(nodeId, *it);
  // Counters may have jumped (a reconnect, a restarted node): rates start again.
  m_previous.remove(nodeId);
  updateFigures();
}

void IpDetailView::applyDelta(const QString& nodeId, const protocol::HostsDelta& delta) {
  if (std::find(delta.removed.begin(), delta.removed.end(), m_ip) != delta.removed.end()) {
    m_records.remove(nodeId);
    m_previous.remove(nodeId);
  }
  auto changed = std::find_if(delta.changed.begin(), delta.changed.end(),
                              [this](const protocol::HostRecord& r) { return r.ip == m_ip; });
  if (changed != delta.changed.end()) m_records.insert(nodeId, *changed);
  auto record = m_records.constFind(nodeId);
  if (record == m_records.constEnd()) {
    if (changed != delta.changed.end()) updateFigures();
    return;
  }

  // A node lists only hosts that changed: not listed means silent for that second.
  auto previous = m_previous.constFind(nodeId);
  if (previous != m_previous.constEnd() && delta.packetTime > previous->packetTime) {
    const double seconds = static_cast<double>(delta.packetTime - previous->packetTime) / 1e9;
    const auto& now = *record;
    const auto& before = previous->record;
    Sample sample;
    // Nodes publish on the first packet past a second, so a delta's packet time sits just
    // before or after the boundary (…07.99 and …09.01): the nearest second keeps one
    // sample per delta where rounding down would put two in one second and skip the next.
    sample.second = (delta.packetTime + 500'000'000) / 1'000'000'000;
    sample.txPackets = rate(now.txPackets, before.txPackets, seconds);
    sample.rxPackets = rate(now.rxPackets, before.rxPackets, seconds);
    sample.txBits = 8 * rate(now.txBytes, before.txBytes, seconds);
    sample.rxBits = 8 * rate(now.rxBytes, before.rxBytes, seconds);
    addSample(sample);
  }
  m_previous.insert(nodeId, Previous{delta.packetTime, *record});
  if (changed != delta.changed.end()) updateFigures();
}

void IpDetailView::addSample(const Sample& sample) {
  // Nodes publish their own seconds: samples of the same second are added up.
  for (auto it = m_samples.rbegin(); it != m_samples.rend() && it - m_samples.rbegin() < 8; ++it) {
    if (it->second == sample.second) {
      it->txPackets += sample.txPackets;
      it->rxPackets += sample.rxPackets;
      it->txBits += sample.txBits;
      it->rxBits += sample.rxBits;
      updateCharts();
      return;
    }
  }
  auto position =
      std::upper_bound(m_samples.begin(), m_samples.end(), sample.second,
                       [](qint64 second, const Sample& s) { return second < s.second; });
  m_samples.insert(position, sample);
  while (m_samples.size() > static_cast<std::size_t>(kMaxSamples)) m_samples.pop_front();
  updateCharts();
}

void IpDetailView::updateCharts() {
  QList<QPointF> txPackets, rxPackets, txBits, rxBits;
  double maxPackets = 1, maxBits = 1;
  for (const Sample& s : m_samples) {
    const double x = static_cast<double>(s.second) * 1000.0;
    txPackets << QPointF(x, s.txPackets);
    rxPackets << QPointF(x, s.rxPackets);
    txBits << QPointF(x, s.txBits);
    rxBits << QPointF(x, s.rxBits);
    maxPackets = std::max({maxPackets, s.txPackets, s.rxPackets});
    maxBits = std::max({maxBits, s.txBits, s.rxBits});
  }
  m_txPackets->replace(txPackets);
  m_rxPackets->replace(rxPackets);
  // Bits in the unit the axis can label readably (5.2 Mbit/s, not 5213036).
  double unit = 1;
  QString unitName = tr("bit/s");
  if (maxBits >= 1e9) {
    unit = 1e9;
    unitName = tr("Gbit/s");
  } else if (maxBits >= 1e6) {
    unit = 1e6;
    unitName = tr("Mbit/s");
  } else if (maxBits >= 1e3) {
    unit = 1e3;
    unitName = tr("kbit/s");
  }
  for (QPointF& point : txBits) point.setY(point.y() / unit);
  for (QPointF& point : rxBits) point.setY(point.y() / unit);
  m_txBits->replace(txBits);
  m_rxBits->replace(rxBits);
  m_bitAxis->setTitleText(unitName);
  m_bitAxis->setLabelFormat(unit > 1 ? QStringLiteral("%.1f") : QStringLiteral("%.0f"));
  if (!m_samples.empty()) {
    const QDateTime first = QDateTime::fromSecsSinceEpoch(m_samples.front().second);
    QDateTime last = QDateTime::fromSecsSinceEpoch(m_samples.back().second);
    if (last <= first) last = first.addSecs(1);
    for (QDateTimeAxis* axis : {m_packetTimeAxis, m_bitTimeAxis}) axis->setRange(first, last);
  }
  m_packetAxis->setRange(0, maxPackets * 1.1);
  m_bitAxis->setRange(0, maxBits / unit * 1.1);
  m_chartNote->setVisible(m_samples.size() < 2);
}

protocol::HostRecord IpDetailView::merged() const {
  protocol::HostRecord total;
  total.ip = m_ip;
  std::map<net::MacAddress, std::string> vendors;  // from any node that knows the MAC's vendor
  bool first = true;
  for (const auto& r : m_records) {
    total.txPackets += r.txPackets;
    total.txBytes += r.txBytes;
    total.rxPackets += r.rxPackets;
    total.rxBytes += r.rxBytes;
    total.tcpPackets += r.tcpPackets;
    total.udpPackets += r.udpPackets;
    total.tcpPayloadBytes += r.tcpPayloadBytes;
    total.tcpRetransPackets += r.tcpRetransPackets;
    total.tcpRetransBytes += r.tcpRetransBytes;
    total.packetsPerSecond += r.packetsPerSecond;
    total.bitsPerSecond += r.bitsPerSecond;
    if (first || (r.firstSeen != 0 && r.firstSeen < total.firstSeen)) total.firstSeen = r.firstSeen;
    // The latest period start is the current activity period's, as far as any node knows.
    total.firstRecent = std::max(total.firstRecent, r.firstRecent);
    total.lastSeen = std::max(total.lastSeen, r.lastSeen);
    total.macs.insert(total.macs.end(), r.macs.begin(), r.macs.end());
    total.vlans.insert(total.vlans.end(), r.vlans.begin(), r.vlans.end());
    for (std::size_t i = 0; i < r.macs.size() && i < r.macVendors.size(); ++i)
      if (!r.macVendors[i].empty()) vendors[r.macs[i]] = r.macVendors[i];
    for (const auto& name : r.names)
      if (std::find(total.names.begin(), total.names.end(), name) == total.names.end())
        total.names.push_back(name);
    if (total.group.empty()) total.group = r.group;
    if (total.country.empty()) total.country = r.country;
    first = false;
  }
  std::sort(total.macs.begin(), total.macs.end());
  total.macs.erase(std::unique(total.macs.begin(), total.macs.end()), total.macs.end());
  for (const auto& mac : total.macs) total.macVendors.push_back(vendors[mac]);
  std::sort(total.vlans.begin(), total.vlans.end());
  total.vlans.erase(std::unique(total.vlans.begin(), total.vlans.end()), total.vlans.end());
  return total;
}

void IpDetailView::updateFigures() {
  const QLocale locale;
  const protocol::HostRecord r = merged();
  QStringList nodeNames;
  for (auto it = m_records.constBegin(); it != m_records.constEnd(); ++it) {
    const core::NodeInfo* info = m_nodes ? m_nodes->node(it.key()) : nullptr;
    nodeNames << (info ? info->name : it.key());
  }
  nodeNames.sort(Qt::CaseInsensitive);
  auto count = [&locale](std::uint64_t v) { return locale.toString(static_cast<qulonglong>(v)); };
  auto size = [&locale](std::uint64_t v) {
    return locale.formattedDataSize(static_cast<qint64>(v), 1, QLocale::DataSizeSIFormat);
  };
  auto set = [this](const char* key, const QString& text) {
    m_fieldValues.value(QLatin1String(key))->setText(text);
  };
  const QString none = QStringLiteral("–");
  set("nodes", nodeNames.isEmpty() ? tr("not seen by any connected node")
                                   : nodeNames.join(QStringLiteral(", ")));
  set("txPackets", count(r.txPackets));
  set("txBytes", size(r.txBytes));
  set("rxPackets", count(r.rxPackets));
  set("rxBytes", size(r.rxBytes));
  set("tcp", count(r.tcpPackets));
  set("udp", count(r.udpPackets));
  set("tcpPayload", size(r.tcpPayloadBytes));
  set("tcpRetrans", tr("%1 (%2)").arg(count(r.tcpRetransPackets), size(r.tcpRetransBytes)));
  set("pps", locale.toString(r.packetsPerSecond, 'f', 1));
  set("bps", HostTableModel::formatBitRate(locale, r.bitsPerSecond));
  QStringList names;
  for (const auto& name : r.names) names << QString::fromStdString(name);
  set("names", names.isEmpty() ? none : names.join(QStringLiteral(", ")));
  set("group", r.group.empty() ? none : QString::fromStdString(r.group));
  set("country", r.country.empty() ? none : QString::fromStdString(r.country));
  QStringList macs;
  for (std::size_t i = 0; i < r.macs.size(); ++i) {
    const QString mac = QString::fromStdString(r.macs[i].toString());
    const std::string& vendor = i < r.macVendors.size() ? r.macVendors[i] : std::string();
    macs << (vendor.empty() ? mac : tr("%1 (%2)").arg(mac, QString::fromStdString(vendor)));
  }
  set("macs", macs.isEmpty() ? none : macs.join(QStringLiteral(", ")));
  QStringList vlans;
  for (auto vlan : r.vlans) vlans << QString::number(vlan);
  set("vlans", vlans.isEmpty() ? none : vlans.join(QStringLiteral(", ")));
  set("firstSeen", timeText(r.firstSeen));
  set("firstRecent", timeText(r.firstRecent));
  set("lastSeen", timeText(r.lastSeen));
  set("lastNewConnection", timeText(m_lastNewConnection));

  m_subtitle->setText(
      tr("%1 · sent %2 packets (%3) · received %4 packets (%5) · %6")
          .arg(nodeNames.isEmpty() ? tr("no node") : nodeNames.join(QStringLiteral(", ")),
               count(r.txPackets), size(r.txBytes), count(r.rxPackets), size(r.rxBytes),
               HostTableModel::formatBitRate(locale, r.bitsPerSecond)));
}

models::CaptureQuery IpDetailView::pcapQuery(const QString& mac) const {
  const protocol::HostRecord r = merged();
  if (!mac.isEmpty()) {
    if (auto parsed = net::MacAddress::parse(mac.toStdString()))
      return models::CaptureQueries::forHostMac(m_ip, *parsed, r.firstSeen, r.lastSeen);
    return {};
  }
  return models::CaptureQueries::forHost(m_ip, r.firstSeen, r.lastSeen);
}

models::CaptureQuery IpDetailView::liveQuery() const {
  return models::CaptureQueries::forHost(m_ip);
}

models::CaptureQuery IpDetailView::rowCaptureQuery(
    const QString& table, const models::SummaryTableModel::Row& row) const {
  // Ports and QoS classes of this address: the port's or the class's packets to or from it.
  const protocol::HostRecord r = merged();
  if (table == QLatin1String("qosL3"))
    return models::CaptureQueries::forHostDscp(m_ip, row.values[0].toInt(), r.firstSeen,
                                               r.lastSeen);
  if (table == QLatin1String("qosL2")) {
    const auto field = row.key.startsWith(QLatin1String("pcp")) ? models::L2QosField::VlanPcp
                                                                : models::L2QosField::MplsTc;
    return models::CaptureQueries::forHostL2Qos(m_ip, field, row.values[1].toInt(), r.firstSeen,
                                                r.lastSeen);
  }
  if (table == QLatin1String("protocols")) {
    // The address's connections of that protocol, as the Connections tab holds them.
    const QString app = row.values[0].toString();
    return models::CaptureQueries::forConnections(
        tr("host %1, %2 connections").arg(m_ipText, app), m_ipText + QLatin1Char('-') + app,
        m_connections->model()->recordsOfApp(app.toStdString()));
  }
  if (table != QLatin1String("ports")) return {};
  models::CaptureQuery q =
      models::CaptureQueries::forPort(row.values[0].toInt(), QStringLiteral("tcp"),
                                      row.values[4].toLongLong(), row.values[5].toLongLong());
  q.params["host"] = m_ip.toString();
  q.title = tr("host %1, %2").arg(m_ipText, q.title);
  q.fileStem = models::CaptureQueries::safeStem(m_ipText) + QLatin1Char('-') + q.fileStem;
  return q;
}

void IpDetailView::setLiveCaptureProbe(std::function<bool(const QString&)> probe) {
  m_liveProbe = std::move(probe);
  m_connections->setLiveCaptureProbe(m_liveProbe);
  updateLiveButton();
}

void IpDetailView::updateLiveButton() {
  const bool running = m_liveProbe && m_liveProbe(liveQuery().title);
  m_live->setText(CaptureMenu::liveLabel(running));
  m_live->setToolTip(running ? tr("Stop this address's live capture and finish its file")
                             : tr("Save this address's packets as the nodes capture them, "
                                  "until stopped (progress in the Captures tab)"));
}

bool IpDetailView::requestPcap(const QString& mac) {
  models::CaptureQuery query = pcapQuery(mac);
  if (query.params.empty()) return false;
  emit pcapDownloadRequested(query);
  return true;
}

void IpDetailView::fillDownloadMenu() {
  QMenu* menu = m_download->menu();
  menu->clear();
  menu->addAction(tr("Packets of %1").arg(m_ipText), this, [this] { requestPcap(); });
  const protocol::HostRecord r = merged();
  for (const auto& mac : r.macs) {
    const QString text = QString::fromStdString(mac.toString());
    menu->addAction(tr("Packets of %1 with MAC %2").arg(m_ipText, text), this,
                    [this, text] { requestPcap(text); });
  }
}

void IpDetailView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslateUi();
  QWidget::changeEvent(event);
}

void IpDetailView::retranslateUi() {
  if (m_pages) m_pages->retranslate();
  if (m_voip) m_voip->retranslate();
  m_history->retitle(HistoryChart::hostPanels());
  m_selectionHistory->retranslate();
  m_back->setText(tr("&Back"));
  m_back->setToolTip(tr("Back to the tables"));
  m_help->setText(tr("&Help"));
  m_download->setText(tr("Download &PCAP…"));
  m_download->setToolTip(
      tr("Save this address's packets from the nodes' packet stores (the arrow: with one of "
         "its MAC addresses)"));
  m_help->setToolTip(tr("Open the user guide on this page"));
  updateLiveButton();
  m_tabs->setTabText(m_tabs->indexOf(m_overview), tr("Overview"));
  m_tabs->setTabText(m_tabs->indexOf(m_connections), tr("Connections"));
  m_tabs->setTabText(m_tabs->indexOf(m_history), tr("History"));
  const std::pair<const char*, QString> names[] = {
      {"nodes", tr("Nodes:")},
      {"names", tr("Names:")},
      {"group", tr("IP group:")},
      {"country", tr("Country:")},
      {"txPackets", tr("Sent packets:")},
      {"txBytes", tr("Sent bytes:")},
      {"rxPackets", tr("Received packets:")},
      {"rxBytes", tr("Received bytes:")},
      {"tcp", tr("TCP packets:")},
      {"udp", tr("UDP packets:")},
      {"tcpPayload", tr("TCP payload:")},
      {"tcpRetrans", tr("TCP retransmissions:")},
      {"pps", tr("Packets/s:")},
      {"bps", tr("Bits/s:")},
      {"macs", tr("MAC addresses:")},
      {"vlans", tr("VLANs:")},
      {"firstSeen", tr("First seen:")},
      {"firstRecent", tr("First recent:")},
      {"lastSeen", tr("Last seen:")},
      {"lastNewConnection", tr("Last new connection:")},
  };
  for (const auto& [key, text] : names) m_fieldNames.value(QLatin1String(key))->setText(text);
  m_packetChart->chart()->setTitle(tr("Packets/s"));
  m_packetAxis->setTitleText(tr("packets/s"));
  m_bitChart->chart()->setTitle(tr("Bits/s"));
  m_overviewPieView->chart()->setTitle(tr("Top protocols by bytes"));
  m_txPackets->setName(tr("Sent"));
  m_rxPackets->setName(tr("Received"));
  m_txBits->setName(tr("Sent"));
  m_rxBits->setName(tr("Received"));
  m_chartNote->setText(
      tr("The chart fills with each second of updates while this page is "
         "open (up to the last %n second(s)).",
         nullptr, kMaxSamples));
  updateFigures();
  updateCharts();
}

QUrl IpDetailView::helpUrl() {
  return userGuideUrl(QString::fromLatin1(kHelpAnchor));
}

void IpDetailView::showHelp() {
  openUserGuide(this, QString::fromLatin1(kHelpAnchor), tr("Connections and IP detail"));
}

}  // namespace netlens::app::views
