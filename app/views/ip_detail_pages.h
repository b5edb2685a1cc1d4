// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QObject>
#include <QPieSeries>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <functional>

#include "app/models/capture_query.h"
#include "app/models/summary_table_model.h"
#include "shared/stats/ip_detail.h"

class QChartView;
class QLabel;
class QLocale;
class QTabWidget;
class QTableView;
class QTimer;
class QWidget;

namespace netlens::app::core {
class NodeManager;
}

namespace netlens::app::models {
class ConnectionTableModel;
}

namespace netlens::app::views {

class HistoryChart;
class NewConnectionsChart;

/// The IP detail tabs derived from the address's connections (stats::IpDetail, the code the
/// node's `analyze --json ip` uses): Protocols (table and pie chart of bytes), Peers, Open TCP
/// server ports, TCP statistics (the totals of the connections' handshakes, the nodes' kept
/// handshake series as a HistoryChart, new connections by start and answer), HTTP server, TLS
/// server, TLS infos (negotiated versions and ciphers), Layer 3 QoS (DSCP) and Layer 2 QoS (VLAN
/// PCP, MPLS TC). Every table sorts by its raw values. Activating (double-clicking) a protocol or a
/// QoS class asks for the connections filtered by it, a peer for that peer's detail. The ports,
/// Layer 3 QoS and Layer 2 QoS tables have a context menu with Download PCAP… and Live capture….
///
/// Thread: GUI thread. The pages belong to the tab widget they were added to.
class IpDetailPages : public QObject {
  Q_OBJECT

 public:
  /// The width of the new-connections chart's buckets for connections that started between
  /// `first` and `last`: the finest of 1 s, 10 s, 1 min, 10 min, 1 h and 1 day that needs at
  /// most 120 buckets, so the chart has points to show whatever the span.
  static protocol::TimeNs bucketFor(protocol::TimeNs first, protocol::TimeNs last);

  /// `nodes` (not owned; may be null in tests) are asked for the handshake series.
  explicit IpDetailPages(QTabWidget* tabs, core::NodeManager* nodes = nullptr);

  /// `bucketNs`: the bucket width `detail` was built with.
  void setDetail(const stats::IpDetail& detail, protocol::TimeNs bucketNs);
  /// Keeps the pages built from the rows of `model` (the connections of the addresses
  /// `isMember` accepts), rebuilt 200 ms after the rows change, as answers from several nodes
  /// arrive together. `model` must outlive the pages.
  void follow(const models::ConnectionTableModel* model,
              stats::IpDetailBuilder::Membership isMember);
  /// Rebuilds the pages from the followed model now.
  void rebuild();

  /// Names of the tabs these pages add, as the views' showTab() and the console's
  /// --ip-tab / --group-tab options take them: "protocols", "peers", "ports", "tcp", "http",
  /// "tls-server", "tls-infos", "qos-l3", "qos-l2".
  static QStringList tabNames();
  /// The page of a tab name above, or null.
  QWidget* pageForTab(const QString& name) const;
  void retranslate();

  /// The table models by name ("protocols", "peers", "ports", "httpHosts", "tlsServerNames",
  /// "tlsVersions", "tlsCiphers", "qosL3", "qosL2"), for tests.
  models::SummaryTableModel* model(const QString& name) const { return m_models.value(name); }
  QWidget* page(const QString& name) const { return m_pages.value(name); }
  QPieSeries* protocolPie() const { return m_pie; }
  /// Another pie of the protocols' bytes to keep up to date (the Overview's), as the
  /// Protocols tab's; not owned.
  void addProtocolPie(QPieSeries* pie) { m_extraPies.push_back(pie); }
  /// The TCP statistics tab's chart of the nodes' "handshake" series; setHandshakeSeries()
  /// names the address ({"ip", …}) or the group ({"name", …}).
  HistoryChart* handshakeHistory() const { return m_handshakeHistory; }
  void setHandshakeSeries(protocol::Params who);
  NewConnectionsChart* newConnectionsChart() const { return m_newConnections; }

  /// The filter expression of the connections table that shows the class of a QoS row.
  static QString qosFilter(const models::SummaryTableModel::Row& row, bool layer3);

  /// The packets of a row of the "ports" table (values: port, service, …, first, last
  /// connection), of the "qosL3" table (values: DSCP class, …) or of the "qosL2" table (key
  /// "pcpN" or "tcN"; values: field, value, …); empty params for none.
  using CaptureQueryBuilder = std::function<models::CaptureQuery(
      const QString& table, const models::SummaryTableModel::Row& row)>;
  /// Gives the ports, Layer 3 QoS and Layer 2 QoS tables a context menu with Download PCAP…
  /// and Live capture… of the row's query (none without a builder).
  void setCaptureActions(CaptureQueryBuilder builder,
                         std::function<bool(const QString& title)> liveProbe);

 signals:
  /// A connections-table filter expression to apply (a protocol or QoS class was activated).
  void connectionsFilterRequested(const QString& expression);
  void peerActivated(const QString& ip);
  /// The latest start of one of the address's connections (0 without any), after each update.
  void lastNewConnectionChanged(netlens::protocol::TimeNs time);
  /// Download PCAP… or Live capture… of a row of the Open TCP ports table or of a QoS table:
  /// the context menus (see setCaptureActions()).
  void pcapDownloadRequested(const netlens::app::models::CaptureQuery& query);
  void liveCaptureRequested(const netlens::app::models::CaptureQuery& query);

 private:
  /// "mean …, σ …, min …, max … (count)" of a series of durations, or "none measured".
  static QString durationText(const QLocale& locale, const protocol::ResponseTimeStats& s);
  QWidget* addTablePage(const QString& name, models::SummaryTableModel* model,
                        QWidget* above = nullptr);
  QWidget* buildTcpPage();
  QWidget* buildFiguresPage(const QString& name, const QStringList& keys,
                            models::SummaryTableModel* table);
  void setFigure(const QString& key, const QString& value);
  void updatePie(const stats::IpDetail& detail);

  QTabWidget* m_tabs;
  QHash<QString, models::SummaryTableModel*> m_models;
  QHash<QString, QWidget*> m_pages;
  QHash<QString, QLabel*> m_figureNames;
  QHash<QString, QLabel*> m_figureValues;
  QPieSeries* m_pie = nullptr;
  std::vector<QPointer<QPieSeries>> m_extraPies;
  core::NodeManager* m_nodes;
  HistoryChart* m_handshakeHistory = nullptr;
  QLabel* m_tcpNote = nullptr;
  NewConnectionsChart* m_newConnections = nullptr;
  const models::ConnectionTableModel* m_followed = nullptr;
  stats::IpDetailBuilder::Membership m_isMember;
  QTimer* m_rebuildTimer = nullptr;
  CaptureQueryBuilder m_captureQuery;
  std::function<bool(const QString& title)> m_liveProbe;
};

}  // namespace netlens::app::views
