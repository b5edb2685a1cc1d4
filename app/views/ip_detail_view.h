// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QWidget>

#include <deque>
#include <functional>

#include "app/core/protocol_metatypes.h"
#include "app/models/capture_query.h"
#include "app/models/summary_table_model.h"
#include "shared/net/ip_address.h"

class QChart;
class QChartView;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QPieSeries;
class QPushButton;
class QTabWidget;
class QTimer;
class QToolButton;
class QValueAxis;

namespace netlens::app::core {
class NodeManager;
}

namespace netlens::app::models {
class HostTableModel;
}

namespace netlens::app::views {

class ConnectionsView;
class IpDetailPages;
class IpVoipPages;
class HistoryChart;
class IpSelectionHistory;

/// The detail page of one IP address: a header (address, nodes, counters), a Back and a
/// Help button, and the tabs Overview (counters, rates, MACs, VLANs, activity times and a
/// chart of packets/s and bits/s sent and received) and Connections (the connections of
/// this address, fetched from the nodes with ip=<address> while the tab is visible).
///
/// The chart is built here from the per-second host deltas the console already receives:
/// for each node, the counter differences between two deltas divided by their packet-time
/// distance; a delta that does not list the address means it was silent that second. The
/// last kMaxSamples seconds are kept, and only while the page exists (the main window
/// makes it when the page is opened and deletes it on Back).
///
/// Thread: GUI thread. Does not own `nodes` or `hosts`; both must outlive it (`nodes` may
/// be null in tests, which then call applyDelta themselves).
class IpDetailView : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kMaxSamples = 600;

  /// One second of the chart: rates summed over the nodes.
  struct Sample {
    qint64 second = 0;  ///< packet time, whole seconds since the epoch (UTC)
    double txPackets = 0;
    double rxPackets = 0;
    double txBits = 0;
    double rxBits = 0;
  };

  IpDetailView(core::NodeManager* nodes, const models::HostTableModel* hosts,
               const net::IpAddress& ip, QWidget* parent = nullptr);
  ~IpDetailView() override;

  const net::IpAddress& address() const { return m_ip; }
  QTabWidget* tabs() const { return m_tabs; }
  ConnectionsView* connectionsView() const { return m_connections; }
  IpDetailPages* pages() const { return m_pages; }
  /// The charts of the selected peer and QoS class.
  IpSelectionHistory* selectionHistory() const { return m_selectionHistory; }
  IpVoipPages* voipPages() const { return m_voip; }
  HistoryChart* history() const { return m_history; }
  QChartView* packetChart() const { return m_packetChart; }
  QChartView* bitChart() const { return m_bitChart; }
  /// The Overview's pie of the top DPI protocols by bytes (the Protocols tab has the same).
  QPieSeries* overviewPie() const { return m_overviewPie; }
  const std::deque<Sample>& samples() const { return m_samples; }
  /// The local user guide section on this page, or an empty URL when the README is not
  /// installed beside the program.
  static QUrl helpUrl();
  /// The names showTab() takes (also for the console's --ip-tab option): "overview",
  /// "history", "connections", "protocols", "peers", "ports", "tcp", "http", "tls-server",
  /// "tls-infos", "qos-l3", "qos-l2", "sip", "rtp".
  static QStringList tabNames();
  /// Shows the tab of that name; false for an unknown name.
  bool showTab(const QString& name);
  /// The Download PCAP… button (its menu adds one entry per known MAC address).
  QToolButton* downloadButton() const { return m_download; }
  /// The Live capture… button: "Stop live capture" while this address's capture runs.
  QToolButton* liveButton() const { return m_live; }
  /// The packets of this address from now on, for a live capture.
  models::CaptureQuery liveQuery() const;
  /// Tells whether a live capture titled so runs (for the Live capture… button and the
  /// connections' context menu); by default none does. Call updateLiveButton() on change.
  void setLiveCaptureProbe(std::function<bool(const QString& title)> probe);
  /// The packets of this address — with `mac`, only those that also carry that MAC — over
  /// its first..last activity as the nodes reported it (open ends when unknown).
  models::CaptureQuery pcapQuery(const QString& mac = QString()) const;
  /// Emits pcapDownloadRequested(pcapQuery(mac)); false for a MAC that does not parse.
  bool requestPcap(const QString& mac = QString());
  /// The packets of this address in a row of the Open TCP ports ("ports"), Layer 3 QoS
  /// ("qosL3") or Layer 2 QoS ("qosL2": VLAN PCP or MPLS TC) table, over the row's (or the
  /// address's) activity; empty for other tables.
  models::CaptureQuery rowCaptureQuery(const QString& table,
                                       const models::SummaryTableModel::Row& row) const;

 public slots:
  void applySnapshot(const QString& nodeId, const netlens::protocol::HostsSnapshot& snapshot);
  void applyDelta(const QString& nodeId, const netlens::protocol::HostsDelta& delta);
  void showHelp();
  /// Live capture… or Stop live capture, as the probe says now.
  void updateLiveButton();

 signals:
  void backRequested();
  /// A peer's detail was asked for (double-click in the Peers tab).
  void peerRequested(const QString& ip);
  /// Download PCAP…: of this address (with a MAC), of one of its connections, ports, DSCP
  /// classes or Layer 2 QoS classes. The main window hands it to the download manager.
  void pcapDownloadRequested(const netlens::app::models::CaptureQuery& query);
  /// Live capture… or Stop live capture of this address or one of its connections: the main
  /// window toggles it.
  void liveCaptureRequested(const netlens::app::models::CaptureQuery& query);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  /// The counters of the previous delta of a node, to turn counters into rates.
  struct Previous {
    protocol::TimeNs packetTime = 0;
    protocol::HostRecord record;
  };

  QWidget* buildOverview();
  QChartView* buildChart(QLineSeries*& sent, QLineSeries*& received, QValueAxis*& yAxis,
                         QDateTimeAxis*& xAxis);
  void addSample(const Sample& sample);
  void updateCharts();
  void updateFigures();
  void retranslateUi();
  void fillDownloadMenu();
  protocol::HostRecord merged() const;

  core::NodeManager* m_nodes;
  net::IpAddress m_ip;
  QString m_ipText;
  QHash<QString, protocol::HostRecord> m_records;  ///< node id → its record of this address
  QHash<QString, Previous> m_previous;
  std::deque<Sample> m_samples;

  QLabel* m_title = nullptr;
  QLabel* m_subtitle = nullptr;
  QPushButton* m_back = nullptr;
  QPushButton* m_help = nullptr;
  QToolButton* m_download = nullptr;
  QToolButton* m_live = nullptr;
  std::function<bool(const QString&)> m_liveProbe;
  QTabWidget* m_tabs = nullptr;
  QWidget* m_overview = nullptr;
  ConnectionsView* m_connections = nullptr;
  IpDetailPages* m_pages = nullptr;
  IpSelectionHistory* m_selectionHistory = nullptr;
  IpVoipPages* m_voip = nullptr;
  HistoryChart* m_history = nullptr;
  QHash<QString, QLabel*> m_fieldNames;   ///< field key → its caption label
  QHash<QString, QLabel*> m_fieldValues;  ///< field key → its value label
  QLabel* m_chartNote = nullptr;
  QChartView* m_packetChart = nullptr;
  QChartView* m_bitChart = nullptr;
  QPieSeries* m_overviewPie = nullptr;
  QChartView* m_overviewPieView = nullptr;
  protocol::TimeNs m_lastNewConnection = 0;
  QLineSeries* m_txPackets = nullptr;
  QLineSeries* m_rxPackets = nullptr;
  QLineSeries* m_txBits = nullptr;
  QLineSeries* m_rxBits = nullptr;
  QValueAxis* m_packetAxis = nullptr;
  QValueAxis* m_bitAxis = nullptr;
  QDateTimeAxis* m_packetTimeAxis = nullptr;
  QDateTimeAxis* m_bitTimeAxis = nullptr;
};

}  // namespace netlens::app::views
