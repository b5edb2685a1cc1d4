// SPDX-License-Identifier: MIT
#include "app/views/ip_detail_pages.h"

#include <QAbstractProxyModel>
#include <QChart>
#include <QChartView>
#include <QFormLayout>
#include <QLabel>
#include <QMenu>
#include <QPieSeries>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <map>

#include "app/models/connection_table_model.h"
#include "app/views/capture_menu.h"
#include "app/views/history_chart.h"
#include "app/views/new_connections_chart.h"
#include "app/views/summary_table_view.h"
#include "shared/net/service_names.h"
#include "shared/net/tls_names.h"
#include "shared/protocol/operation.h"

namespace netlens::app::views {

using models::SummaryTableModel;
using Kind = SummaryTableModel::Kind;
using Row = SummaryTableModel::Row;

namespace {

constexpr int kPieSlices = 8;  ///< protocols shown in the pie; the rest is one "other" slice

QVariant count(std::uint64_t v) {
  return QVariant::fromValue<qulonglong>(v);
}
QVariant time(protocol::TimeNs t) {
  return QVariant::fromValue<qlonglong>(t);
}
QString text(const std::string& s) {
  return QString::fromStdString(s);
}

/// The columns every traffic table shares after its own: connections, bytes and packets each
/// way, first and last activity.
const QVector<Kind> kTrafficKinds{Kind::Count, Kind::Bytes, Kind::Bytes, Kind::Count,
                                  Kind::Count, Kind::Time,  Kind::Time};

QVector<QVariant> trafficValues(const stats::Traffic& t) {
  return {count(t.connections), count(t.txBytes),  count(t.rxBytes), count(t.txPackets),
          count(t.rxPackets),   time(t.firstSeen), time(t.lastSeen)};
}

QVector<Kind> withTraffic(QVector<Kind> own) {
  return own + kTrafficKinds;
}

}  // namespace

QString IpDetailPages::durationText(const QLocale& locale, const protocol::ResponseTimeStats& s) {
  if (s.count == 0) return tr("none measured");
  const auto d = [&](double ns) {
    return models::ConnectionTableModel::formatDuration(locale, static_cast<protocol::TimeNs>(ns));
  };
  return tr("mean %1, σ %2, min %3, max %4 (%5)")
      .arg(d(s.meanNs), d(s.stddevNs), d(static_cast<double>(s.minNs)),
           d(static_cast<double>(s.maxNs)), locale.toString(static_cast<qulonglong>(s.count)));
}

IpDetailPages::IpDetailPages(QTabWidget* tabs, core::NodeManager* nodes)
    : QObject(tabs), m_tabs(tabs), m_nodes(nodes) {
  const auto make = [this](const QString& name, QVector<Kind> kinds) {
    auto* m = new SummaryTableModel(std::move(kinds), this);
    m->setObjectName(name);
    m_models.insert(name, m);
    return m;
  };
  make(QStringLiteral("protocols"), withTraffic({Kind::Text}));
  make(QStringLiteral("peers"), withTraffic({Kind::Text, Kind::Text, Kind::Text}));
  make(QStringLiteral("ports"),
       {Kind::Count, Kind::Text, Kind::Count, Kind::Count, Kind::Time, Kind::Time});
  make(QStringLiteral("httpHosts"), {Kind::Text, Kind::Count});
  make(QStringLiteral("tlsServerNames"), {Kind::Text, Kind::Count, Kind::Count});
  make(QStringLiteral("tlsVersions"), {Kind::Text, Kind::Count, Kind::Count});
  make(QStringLiteral("tlsCiphers"), {Kind::Text, Kind::Count, Kind::Count});
  make(QStringLiteral("qosL3"), withTraffic({Kind::Count, Kind::Text, Kind::Count}));
  make(QStringLiteral("qosL2"), withTraffic({Kind::Text, Kind::Count, Kind::Text, Kind::Count}));

  // Protocols: the table with the pie chart of bytes above it.
  auto* pieChart = new QChart;
  pieChart->legend()->setAlignment(Qt::AlignRight);
  pieChart->setMargins(QMargins(2, 2, 2, 2));
  m_pie = new QPieSeries(pieChart);
  pieChart->addSeries(m_pie);
  auto* pieView = new QChartView(pieChart);
  pieView->setObjectName(QStringLiteral("protocolPie"));
  pieView->setRenderHint(QPainter::Antialiasing);
  pieView->setMinimumHeight(200);
  addTablePage(QStringLiteral("protocols"), m_models[QStringLiteral("protocols")], pieView);
  addTablePage(QStringLiteral("peers"), m_models[QStringLiteral("peers")]);
  addTablePage(QStringLiteral("ports"), m_models[QStringLiteral("ports")]);
  m_tabs->addTab(buildTcpPage(), QString());
  buildFiguresPage(QStringLiteral("http"),
                   {"httpConnections", "httpRequests", "http1xx", "http2xx", "http3xx", "http4xx",
                    "http5xx", "httpResponseTime", "httpLastHost", "httpLastUrl"},
                   m_models[QStringLiteral("httpHosts")]);
  buildFiguresPage(QStringLiteral("tlsServer"),
                   {"tlsHandshakes", "tlsHelloTime", "tlsFirstDataTime", "tlsClientHandshakes"},
                   m_models[QStringLiteral("tlsServerNames")]);
  // TLS infos: negotiated versions above ciphers.
  auto* splitter = new QSplitter(Qt::Vertical);
  splitter->setObjectName(QStringLiteral("tlsInfos"));
  for (const char* name : {"tlsVersions", "tlsCiphers"}) {
    auto* page = addTablePage(QString::fromLatin1(name), m_models[QString::fromLatin1(name)]);
    m_tabs->removeTab(m_tabs->indexOf(page));
    splitter->addWidget(page);
  }
  m_pages.insert(QStringLiteral("tlsInfos"), splitter);
  m_tabs->addTab(splitter, QString());
  addTablePage(QStringLiteral("qosL3"), m_models[QStringLiteral("qosL3")]);
  addTablePage(QStringLiteral("qosL2"), m_models[QStringLiteral("qosL2")]);
  retranslate();
}

QWidget* IpDetailPages::addTablePage(const QString& name, SummaryTableModel* model,
                                     QWidget* above) {
  auto* page = new QWidget;
  page->setObjectName(QStringLiteral("ipPage_%1").arg(name));
  auto* layout = new QVBoxLayout(page);
  layout->setContentsMargins(2, 2, 2, 2);
  if (above) layout->addWidget(above);
  auto* panel = new SummaryTablePanel(model, QStringLiteral("ipPage_%1_").arg(name),
                                      QStringLiteral("netlens-%1").arg(name), page);
  QTableView* table = panel->table();
  table->setObjectName(QStringLiteral("table_%1").arg(name));
  auto* proxy = qobject_cast<QAbstractProxyModel*>(table->model());
  // Sort as most readers expect: traffic tables by bytes sent, the others by their first column.
  const bool traffic = model->columnCount() > 6;
  table->sortByColumn(traffic ? model->columnCount() - 6 : 0,
                      traffic ? Qt::DescendingOrder : Qt::AscendingOrder);
  layout->addWidget(panel, 1);
  connect(table, &QTableView::activated, this, [this, name, proxy, model](const QModelIndex& i) {
    const int row = proxy->mapToSource(i).row();
    if (row < 0 || row >= model->rows().size()) return;
    const Row& r = model->rows()[row];
    if (name == QLatin1String("protocols")) {
      emit connectionsFilterRequested(
          QStringLiteral("(app == \"%1\")").arg(r.values[0].toString()));
    } else if (name == QLatin1String("qosL3") || name == QLatin1String("qosL2")) {
      emit connectionsFilterRequested(qosFilter(r, name == QLatin1String("qosL3")));
    } else if (name == QLatin1String("peers")) {
      emit peerActivated(r.values[0].toString());
    }
  });
  if (name == QLatin1String("ports") || name == QLatin1String("qosL3") ||
      name == QLatin1String("qosL2") || name == QLatin1String("protocols")) {
    table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(table, &QWidget::customContextMenuRequested, this,
            [this, name, proxy, model, table](const QPoint& at) {
              const int row = proxy->mapToSource(table->indexAt(at)).row();
              if (row < 0 || row >= model->rows().size()) return;
              if (!m_captureQuery) return;
              QMenu menu(table);
              CaptureMenu::addActions(
                  menu, this, m_captureQuery(name, model->rows()[row]), m_liveProbe,
                  [this](const models::CaptureQuery& q) { emit pcapDownloadRequested(q); },
                  [this](const models::CaptureQuery& q) { emit liveCaptureRequested(q); });
              if (menu.isEmpty() && name == QLatin1String("protocols")) {
                // forConnections() names each flow, up to what one search takes.
                menu.addAction(tr("More than %1 connections: download them from the "
                                  "Connections tab")
                                   .arg(protocol::kMaxSearchConnections))
                    ->setEnabled(false);
              }
              if (!menu.isEmpty()) menu.exec(table->viewport()->mapToGlobal(at));
            });
  }
  m_pages.insert(name, page);
  m_tabs->addTab(page, QString());
  return page;
}

void IpDetailPages::setCaptureActions(CaptureQueryBuilder builder,
                                      std::function<bool(const QString&)> liveProbe) {
  m_captureQuery = std::move(builder);
  m_liveProbe = std::move(liveProbe);
}

QString IpDetailPages::qosFilter(const Row& row, bool layer3) {
  if (layer3) return QStringLiteral("(dscp == %1)").arg(row.values[0].toInt());
  const bool pcp = row.key.startsWith(QLatin1String("pcp"));
  return QStringLiteral("(%1 == %2)")
      .arg(pcp ? QStringLiteral("vlan_pcp") : QStringLiteral("mpls_tc"))
      .arg(row.values[1].toInt());
}

QWidget* IpDetailPages::buildTcpPage() {
  auto* page = new QWidget;
  page->setObjectName(QStringLiteral("ipPage_tcp"));
  m_tcpNote = new QLabel(page);
  m_tcpNote->setWordWrap(true);
  m_tcpNote->setTextInteractionFlags(Qt::TextSelectableByMouse);
  // The views name the address or group with setHandshakeSeries() right away.
  m_handshakeHistory =
      new HistoryChart(m_nodes, QStringLiteral("global"), HistoryChart::handshakePanels(), page);
  m_handshakeHistory->setObjectName(QStringLiteral("handshakeHistory"));
  m_newConnections = new NewConnectionsChart(page);
  // Three charts need more height than a tab has on a laptop: they scroll, each tall enough
  // to read its axis.
  m_handshakeHistory->setMinimumHeight(2 * 230 + 40);
  m_newConnections->setMinimumHeight(230);
  auto* charts = new QWidget;
  auto* chartLayout = new QVBoxLayout(charts);
  chartLayout->setContentsMargins(0, 0, 0, 0);
  chartLayout->addWidget(m_handshakeHistory, 2);
  chartLayout->addWidget(m_newConnections, 1);
  auto* scroll = new QScrollArea(page);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setWidget(charts);
  auto* layout = new QVBoxLayout(page);
  layout->addWidget(m_tcpNote);
  layout->addWidget(scroll, 1);
  m_pages.insert(QStringLiteral("tcp"), page);
  return page;
}

void IpDetailPages::setHandshakeSeries(protocol::Params who) {
  who["series"] = "handshake";
  m_handshakeHistory->setSeriesParams(std::move(who));
}

QWidget* IpDetailPages::buildFiguresPage(const QString& name, const QStringList& keys,
                                         SummaryTableModel* table) {
  auto* figures = new QWidget;
  auto* form = new QFormLayout(figures);
  form->setLabelAlignment(Qt::AlignRight);
  for (const QString& key : keys) {
    auto* label = new QLabel(figures);
    auto* value = new QLabel(figures);
    value->setObjectName(QStringLiteral("figure_%1").arg(key));
    value->setTextFormat(Qt::PlainText);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    value->setWordWrap(true);
    form->addRow(label, value);
    m_figureNames.insert(key, label);
    m_figureValues.insert(key, value);
  }
  QWidget* page = addTablePage(table->objectName(), table, figures);
  m_pages.remove(table->objectName());
  m_pages.insert(name, page);
  page->setObjectName(QStringLiteral("ipPage_%1").arg(name));
  return page;
}

void IpDetailPages::setFigure(const QString& key, const QString& value) {
  if (QLabel* label = m_figureValues.value(key)) label->setText(value);
}

protocol::TimeNs IpDetailPages::bucketFor(protocol::TimeNs first, protocol::TimeNs last) {
  constexpr protocol::TimeNs kSecond = 1'000'000'000;
  for (protocol::TimeNs width :
       {kSecond, 10 * kSecond, 60 * kSecond, 600 * kSecond, 3600 * kSecond}) {
    if ((last - first) / width < 120) return width;
  }
  return 86400 * kSecond;
}

void IpDetailPages::setDetail(const stats::IpDetail& d, protocol::TimeNs bucketNs) {
  const QLocale locale;
  QVector<Row> rows;
  for (const auto& p : d.protocols) {
    const QString app = text(p.app);
    rows.push_back({app, QVector<QVariant>{app} + trafficValues(p.traffic)});
  }
  m_models[QStringLiteral("protocols")]->setRows(std::move(rows));
  rows.clear();
  for (const auto& p : d.peers) {
    const QString ip = text(p.ip.toString());
    rows.push_back(
        {ip, QVector<QVariant>{ip, text(p.country), text(p.group)} + trafficValues(p.traffic)});
  }
  m_models[QStringLiteral("peers")]->setRows(std::move(rows));
  rows.clear();
  for (const auto& p : d.serverPorts) {
    rows.push_back({QString::number(p.port),
                    {count(p.port), text(p.service), count(p.connections), count(p.clients),
                     time(p.firstSeen), time(p.lastSeen)}});
  }
  m_models[QStringLiteral("ports")]->setRows(std::move(rows));
  rows.clear();
  for (const auto& [host, requests] : d.httpServer.hosts)
    rows.push_back({text(host), {text(host), count(requests)}});
  m_models[QStringLiteral("httpHosts")]->setRows(std::move(rows));

  // TLS tables: one row per name, as server and as client side by side.
  const auto sides = [this](const QString& name, const auto& server, const auto& client,
                            auto label) {
    std::map<QString, std::pair<std::uint64_t, std::uint64_t>> merged;
    for (const auto& [k, n] : server) merged[label(k)].first += n;
    for (const auto& [k, n] : client) merged[label(k)].second += n;
    QVector<Row> out;
    for (const auto& [k, n] : merged) out.push_back({k, {k, count(n.first), count(n.second)}});
    m_models[name]->setRows(std::move(out));
  };
  sides(QStringLiteral("tlsServerNames"), d.tlsAsServer.serverNames, d.tlsAsClient.serverNames,
        [](const std::string& s) { return text(s); });
  sides(QStringLiteral("tlsVersions"), d.tlsAsServer.versions, d.tlsAsClient.versions,
        [](std::uint16_t v) { return text(net::tlsVersionLabel(v)); });
  sides(QStringLiteral("tlsCiphers"), d.tlsAsServer.ciphers, d.tlsAsClient.ciphers,
        [](std::uint16_t c) { return text(net::cipherSuiteLabel(c)); });

  QVector<Row> l3;
  QVector<Row> l2;
  for (const auto& q : d.qos) {
    if (q.kind == stats::QosKind::Dscp) {
      l3.push_back({QStringLiteral("dscp%1").arg(q.value),
                    QVector<QVariant>{q.value, text(std::string(net::dscpName(q.value))),
                                      count(q.changedConnections)} +
                        trafficValues(q.traffic)});
    } else {
      const bool pcp = q.kind == stats::QosKind::VlanPcp;
      l2.push_back({QStringLiteral("%1%2").arg(pcp ? "pcp" : "tc").arg(q.value),
                    QVector<QVariant>{pcp ? tr("VLAN PCP") : tr("MPLS TC"), q.value,
                                      pcp ? text(std::string(net::pcpName(q.value))) : QString(),
                                      count(q.changedConnections)} +
                        trafficValues(q.traffic)});
    }
  }
  m_models[QStringLiteral("qosL3")]->setRows(std::move(l3));
  m_models[QStringLiteral("qosL2")]->setRows(std::move(l2));

  const stats::HttpServerDetail& h = d.httpServer;
  const auto n = [&](std::uint64_t v) { return locale.toString(static_cast<qulonglong>(v)); };
  setFigure(QStringLiteral("httpConnections"), n(h.connections));
  setFigure(QStringLiteral("httpRequests"), n(h.requests));
  for (int i = 0; i < 5; ++i)
    setFigure(QStringLiteral("http%1xx").arg(i + 1),
              n(h.statusFamilies[static_cast<std::size_t>(i)]));
  setFigure(QStringLiteral("httpResponseTime"), durationText(locale, h.responseTime));
  setFigure(QStringLiteral("httpLastHost"), text(h.lastHost));
  setFigure(QStringLiteral("httpLastUrl"), text(h.lastUrl));
  setFigure(QStringLiteral("tlsHandshakes"), n(d.tlsAsServer.handshakes));
  setFigure(QStringLiteral("tlsHelloTime"), durationText(locale, d.tlsAsServer.helloTime));
  setFigure(QStringLiteral("tlsFirstDataTime"), durationText(locale, d.tlsAsServer.firstDataTime));
  setFigure(QStringLiteral("tlsClientHandshakes"), n(d.tlsAsClient.handshakes));
  m_tcpNote->setText(tr("Handshake RTT (SYN → SYN/ACK → ACK, as tshark's initial RTT) of the "
                        "connections the nodes hold.\nAs client: %1\nAs server: %2\nThe "
                        "charts show what the nodes keep per address over time; the last one "
                        "counts the connections held by their start, in buckets of %3.")
                         .arg(durationText(locale, d.handshakeAsClient),
                              durationText(locale, d.handshakeAsServer),
                              models::ConnectionTableModel::formatDuration(locale, bucketNs)));
  m_newConnections->setBuckets(d.newConnections, bucketNs);
  updatePie(d);
  emit lastNewConnectionChanged(d.lastNewConnection);
}

void IpDetailPages::updatePie(const stats::IpDetail& d) {
  std::vector<std::pair<QString, std::uint64_t>> slices;
  std::uint64_t other = 0;
  for (const auto& p : d.protocols) {  // already by bytes, most first
    if (slices.size() < kPieSlices) {
      slices.emplace_back(p.app.empty() ? tr("unknown") : text(p.app), p.traffic.bytes());
    } else {
      other += p.traffic.bytes();
    }
  }
  if (other > 0) slices.emplace_back(tr("other"), other);
  m_pie->clear();
  for (const auto& [label, bytes] : slices) m_pie->append(label, static_cast<qreal>(bytes));
  for (QPieSeries* pie : m_extraPies) {
    if (!pie) continue;
    pie->clear();
    for (const auto& [label, bytes] : slices) pie->append(label, static_cast<qreal>(bytes));
  }
}

void IpDetailPages::retranslate() {
  if (m_newConnections) m_newConnections->retranslate();
  if (m_handshakeHistory) m_handshakeHistory->retitle(HistoryChart::handshakePanels());
  const QStringList traffic{tr("Connections"),  tr("Bytes sent"),       tr("Bytes received"),
                            tr("Packets sent"), tr("Packets received"), tr("First activity"),
                            tr("Last activity")};
  m_models[QStringLiteral("protocols")]->setHeaders(QStringList{tr("Protocol")} + traffic);
  m_models[QStringLiteral("peers")]->setHeaders(
      QStringList{tr("Peer"), tr("Country"), tr("Group")} + traffic);
  m_models[QStringLiteral("ports")]->setHeaders({tr("Port"), tr("Service"), tr("Connections"),
                                                 tr("Clients"), tr("First connection"),
                                                 tr("Last activity")});
  m_models[QStringLiteral("httpHosts")]->setHeaders({tr("Host"), tr("Requests")});
  m_models[QStringLiteral("tlsServerNames")]->setHeaders(
      {tr("Server name (SNI)"), tr("As server"), tr("As client")});
  m_models[QStringLiteral("tlsVersions")]->setHeaders(
      {tr("Negotiated version"), tr("As server"), tr("As client")});
  m_models[QStringLiteral("tlsCiphers")]->setHeaders(
      {tr("Negotiated cipher suite"), tr("As server"), tr("As client")});
  m_models[QStringLiteral("qosL3")]->setHeaders(
      QStringList{tr("DSCP"), tr("Class"), tr("Marking changed")} + traffic);
  m_models[QStringLiteral("qosL2")]->setHeaders(
      QStringList{tr("Field"), tr("Value"), tr("Class"), tr("Marking changed")} + traffic);

  const std::pair<const char*, QString> pages[] = {
      {"protocols", tr("Protocols")}, {"peers", tr("Peers")},       {"ports", tr("Open TCP ports")},
      {"tcp", tr("TCP statistics")},  {"http", tr("HTTP server")},  {"tlsServer", tr("TLS server")},
      {"tlsInfos", tr("TLS infos")},  {"qosL3", tr("Layer 3 QoS")}, {"qosL2", tr("Layer 2 QoS")}};
  for (const auto& [key, title] : pages) {
    if (QWidget* w = m_pages.value(QLatin1String(key)))
      m_tabs->setTabText(m_tabs->indexOf(w), title);
  }
  const std::pair<const char*, QString> figures[] = {
      {"httpConnections", tr("Connections")},
      {"httpRequests", tr("Requests")},
      {"http1xx", tr("1xx responses")},
      {"http2xx", tr("2xx responses")},
      {"http3xx", tr("3xx responses")},
      {"http4xx", tr("4xx responses")},
      {"http5xx", tr("5xx responses")},
      {"httpResponseTime", tr("Response time")},
      {"httpLastHost", tr("Last host")},
      {"httpLastUrl", tr("Last URL")},
      {"tlsHandshakes", tr("Handshakes as server")},
      {"tlsHelloTime", tr("ClientHello → ServerHello")},
      {"tlsFirstDataTime", tr("ClientHello → first data")},
      {"tlsClientHandshakes", tr("Handshakes as client")}};
  for (const auto& [key, caption] : figures) {
    if (QLabel* l = m_figureNames.value(QLatin1String(key))) l->setText(caption + QLatin1Char(':'));
  }
}

void IpDetailPages::follow(const models::ConnectionTableModel* model,
                           stats::IpDetailBuilder::Membership isMember) {
  m_followed = model;
  m_isMember = std::move(isMember);
  if (!m_rebuildTimer) {
    m_rebuildTimer = new QTimer(this);
    m_rebuildTimer->setSingleShot(true);
    m_rebuildTimer->setInterval(200);
    connect(m_rebuildTimer, &QTimer::timeout, this, &IpDetailPages::rebuild);
  }
  const auto later = [this] { m_rebuildTimer->start(); };
  connect(model, &QAbstractItemModel::modelReset, this, later);
  connect(model, &QAbstractItemModel::layoutChanged, this, later);
  connect(model, &QAbstractItemModel::rowsInserted, this, later);
  connect(model, &QAbstractItemModel::rowsRemoved, this, later);
  connect(model, &QAbstractItemModel::dataChanged, this, later);
}

void IpDetailPages::rebuild() {
  if (!m_followed) return;
  protocol::TimeNs first = 0;
  protocol::TimeNs last = 0;
  const int rows = m_followed->rowCount();
  for (int row = 0; row < rows; ++row) {
    const protocol::TimeNs start = m_followed->record(row).firstSeen;
    first = row == 0 ? start : std::min(first, start);
    last = std::max(last, start);
  }
  const protocol::TimeNs bucketNs = bucketFor(first, last);
  stats::IpDetailBuilder builder(m_isMember, bucketNs);
  for (int row = 0; row < rows; ++row) builder.add(m_followed->record(row));
  setDetail(builder.finish(), bucketNs);
}

QStringList IpDetailPages::tabNames() {
  return {QStringLiteral("protocols"), QStringLiteral("peers"),  QStringLiteral("ports"),
          QStringLiteral("tcp"),       QStringLiteral("http"),   QStringLiteral("tls-server"),
          QStringLiteral("tls-infos"), QStringLiteral("qos-l3"), QStringLiteral("qos-l2")};
}

QWidget* IpDetailPages::pageForTab(const QString& name) const {
  static const QHash<QString, QString> kPageNames{
      {QStringLiteral("tls-server"), QStringLiteral("tlsServer")},
      {QStringLiteral("tls-infos"), QStringLiteral("tlsInfos")},
      {QStringLiteral("qos-l3"), QStringLiteral("qosL3")},
      {QStringLiteral("qos-l2"), QStringLiteral("qosL2")}};
  if (!tabNames().contains(name)) return nullptr;
  return page(kPageNames.value(name, name));
}

}  // namespace netlens::app::views
