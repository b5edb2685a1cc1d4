// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QString>
#include <QWidget>

#include <functional>

#include "app/models/capture_query.h"
#include "shared/protocol/messages.h"

class QLocale;
class QTreeWidget;
class QTreeWidgetItem;

namespace netlens::app::views {

/// The Global statistics dock's contents, summed over all nodes: IPv4 / IPv6 / non-IP,
/// TCP / UDP / ICMP / other, IPv4 fragments, malformed packets by reason, and every capture
/// source with its packets and drops (sources with drops stand out).
///
/// The TCP, UDP and ICMP rows have a context menu with Download PCAP… (that protocol's
/// packets from every node) and Live capture….
///
/// Thread: GUI thread. Keeps a copy of each node's latest figures.
class GlobalStatsPanel : public QWidget {
  Q_OBJECT

 public:
  explicit GlobalStatsPanel(QWidget* parent = nullptr);

  /// Replaces the figures of one node (shown summed with the others, soon after).
  void setNodeStats(const QString& nodeId, const QString& nodeName,
                    const protocol::GlobalStats& stats);
  void removeNode(const QString& nodeId);
  QTreeWidget* tree() const { return m_tree; }
  /// The protocols ("tcp", "udp", "icmp,icmp6") whose rows offer Download PCAP…, and the
  /// query a row's action asks for ("" for a row without one).
  QString protocolOf(const QTreeWidgetItem* item) const;
  /// Tells the context menu whether a protocol's live capture runs (Stop live capture).
  void setLiveCaptureProbe(std::function<bool(const QString& title)> probe) {
    m_liveProbe = std::move(probe);
  }

 signals:
  void pcapDownloadRequested(const netlens::app::models::CaptureQuery& query);
  void liveCaptureRequested(const netlens::app::models::CaptureQuery& query);

 public:
  QSize sizeHint() const override { return {360, 420}; }

 protected:
  void changeEvent(QEvent* event) override;

 private:
  struct NodeStats {
    QString name;
    protocol::GlobalStats stats;
  };

  void scheduleRefresh();
  void refresh();
  /// The Packet stores section: one row per node that keeps a packet ring.
  void refreshStores(const QLocale& locale);
  void retranslateUi();
  QTreeWidgetItem* addSection();
  QTreeWidgetItem* addRow(QTreeWidgetItem* section);
  void setRow(QTreeWidgetItem* item, const QString& name, std::uint64_t packets,
              std::uint64_t total, std::uint64_t bytes = 0, bool hasBytes = false);

  QTreeWidget* m_tree = nullptr;
  QHash<QString, NodeStats> m_stats;
  bool m_refreshPending = false;
  std::function<bool(const QString& title)> m_liveProbe;

  QTreeWidgetItem* m_traffic = nullptr;
  QTreeWidgetItem* m_total = nullptr;
  QTreeWidgetItem* m_rate = nullptr;
  QTreeWidgetItem* m_hosts = nullptr;
  QTreeWidgetItem* m_coverage = nullptr;
  QTreeWidgetItem* m_stores = nullptr;  ///< one row per node with a packet store
  QTreeWidgetItem* m_network = nullptr;
  QTreeWidgetItem* m_ipv4 = nullptr;
  QTreeWidgetItem* m_ipv6 = nullptr;
  QTreeWidgetItem* m_nonIp = nullptr;
  QTreeWidgetItem* m_fragments = nullptr;
  QTreeWidgetItem* m_transport = nullptr;
  QTreeWidgetItem* m_tcp = nullptr;
  QTreeWidgetItem* m_udp = nullptr;
  QTreeWidgetItem* m_icmp = nullptr;
  QTreeWidgetItem* m_sctp = nullptr;
  QTreeWidgetItem* m_gre = nullptr;
  QTreeWidgetItem* m_other = nullptr;
  QTreeWidgetItem* m_malformed = nullptr;
  QTreeWidgetItem* m_sources = nullptr;
};

}  // namespace netlens::app::views
