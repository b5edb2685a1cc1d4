// SPDX-License-Identifier: MIT
#include "app/views/global_stats_panel.h"

#include <QDateTime>
#include <QEvent>
#include <QHeaderView>
#include <QLocale>
#include <QMenu>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <tuple>

#include "app/models/host_table_model.h"
#include "app/views/capture_menu.h"
#include "shared/stats/host_merge.h"

namespace netlens::app::views {
namespace {

enum Column { Name, Packets, Bytes, Share, Count };

constexpr int kRefreshDelayMs = 200;

QString percent(const QLocale& locale, std::uint64_t part, std::uint64_t total) {
  if (total == 0) return {};
  return locale.toString(100.0 * double(part) / double(total), 'f', 1) + QLatin1String(" %");
}

}  // namespace

GlobalStatsPanel::GlobalStatsPanel(QWidget* parent) : QWidget(parent) {
  m_tree = new QTreeWidget(this);
  m_tree->setColumnCount(Count);
  m_tree->setUniformRowHeights(true);
  m_tree->setAlternatingRowColors(true);
  m_tree->header()->setStretchLastSection(false);
  m_tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  m_tree->header()->setSectionResizeMode(Name, QHeaderView::Stretch);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(m_tree);

  m_traffic = addSection();
  m_total = addRow(m_traffic);
  m_rate = addRow(m_traffic);
  m_hosts = addRow(m_traffic);
  m_coverage = addRow(m_traffic);
  m_network = addSection();
  m_ipv4 = addRow(m_network);
  m_ipv6 = addRow(m_network);
  m_nonIp = addRow(m_network);
  m_fragments = addRow(m_network);
  m_transport = addSection();
  m_tcp = addRow(m_transport);
  m_udp = addRow(m_transport);
  m_icmp = addRow(m_transport);
  m_sctp = addRow(m_transport);
  m_gre = addRow(m_transport);
  m_other = addRow(m_transport);
  m_malformed = addSection();
  m_sources = addSection();
  m_stores = addSection();
  m_tree->expandAll();
  m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(m_tree, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
    const QString protocol = protocolOf(m_tree->itemAt(at));
    if (protocol.isEmpty()) return;
    QMenu menu(this);
    CaptureMenu::addActions(
        menu, this, models::CaptureQueries::forProtocol(protocol), m_liveProbe,
        [this](const models::CaptureQuery& q) { emit pcapDownloadRequested(q); },
        [this](const models::CaptureQuery& q) { emit liveCaptureRequested(q); });
    menu.exec(m_tree->viewport()->mapToGlobal(at));
  });
  retranslateUi();
}

QString GlobalStatsPanel::protocolOf(const QTreeWidgetItem* item) const {
  if (item == nullptr) return {};
  if (item == m_tcp) return QStringLiteral("tcp");
  if (item == m_udp) return QStringLiteral("udp");
  if (item == m_icmp) return QStringLiteral("icmp,icmp6");
  if (item == m_sctp) return QStringLiteral("sctp");
  if (item == m_gre) return QStringLiteral("gre");
  return {};
}

QTreeWidgetItem* GlobalStatsPanel::addSection() {
  auto* item = new QTreeWidgetItem(m_tree);
  QFont bold = item->font(Name);
  bold.setBold(true);
  item->setFont(Name, bold);
  item->setFirstColumnSpanned(false);
  return item;
}

QTreeWidgetItem* GlobalStatsPanel::addRow(QTreeWidgetItem* section) {
  auto* item = new QTreeWidgetItem(section);
  for (int column = Packets; column < Count; ++column)
    item->setTextAlignment(column, Qt::AlignRight | Qt::AlignVCenter);
  return item;
}

void GlobalStatsPanel::setNodeStats(const QString& nodeId, const QString& nodeName,
                                    const protocol::GlobalStats& stats) {
  m_stats[nodeId] = NodeStats{nodeName, stats};
  scheduleRefresh();
}

void GlobalStatsPanel::removeNode(const QString& nodeId) {
  if (m_stats.remove(nodeId) > 0) scheduleRefresh();
}

void GlobalStatsPanel::scheduleRefresh() {
  // Many nodes report every second: one redraw for all of them.
  if (m_refreshPending) return;
  m_refreshPending = true;
  QTimer::singleShot(kRefreshDelayMs, this, [this] {
    m_refreshPending = false;
    refresh();
  });
}

void GlobalStatsPanel::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslateUi();
  QWidget::changeEvent(event);
}

void GlobalStatsPanel::retranslateUi() {
  m_tree->setHeaderLabels({tr("Figure"), tr("Packets"), tr("Bytes"), tr("Share")});
  m_traffic->setText(Name, tr("Traffic"));
  m_network->setText(Name, tr("Network layer"));
  m_transport->setText(Name, tr("Transport layer"));
  m_malformed->setText(Name, tr("Malformed packets"));
  refresh();
}

void GlobalStatsPanel::setRow(QTreeWidgetItem* item, const QString& name, std::uint64_t packets,
                              std::uint64_t total, std::uint64_t bytes, bool hasBytes) {
  QLocale locale;
  item->setText(Name, name);
  item->setText(Packets, locale.toString(static_cast<qulonglong>(packets)));
  item->setText(Bytes, hasBytes ? locale.formattedDataSize(static_cast<qint64>(bytes), 1,
                                                           QLocale::DataSizeSIFormat)
                                : QString());
  item->setText(Share, percent(locale, packets, total));
}

void GlobalStatsPanel::refresh() {
  QLocale locale;
  protocol::GlobalStats sum;
  std::vector<std::pair<QString, protocol::SourceInfo>> sources;
  for (const NodeStats& node : std::as_const(m_stats)) {
    stats::mergeGlobalStats(sum, node.stats);
    for (const auto& source : node.stats.sources) sources.emplace_back(node.name, source);
  }
  std::sort(sources.begin(), sources.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first, a.second.name) < std::tie(b.first, b.second.name);
  });

  setRow(m_total, tr("All packets"), sum.packets, 0, sum.bytes, true);
  m_rate->setText(Name, tr("Rate"));
  m_rate->setText(Packets, tr("%1/s").arg(locale.toString(sum.packetsPerSecond, 'f', 1)));
  m_rate->setText(Bytes, models::HostTableModel::formatBitRate(locale, sum.bitsPerSecond));
  m_hosts->setText(Name, tr("IP addresses"));
  m_hosts->setText(Packets, locale.toString(static_cast<qulonglong>(sum.hostCount)));
  m_hosts->setToolTip(Name, tr("Summed over nodes: an address seen by two nodes counts twice"));
  // What the nodes' tables still cover: everything, or only activity after the latest last
  // activity of an entry the budget or the idle timeout pushed out.
  m_coverage->setText(Name, tr("Tables cover"));
  const protocol::TimeNs evictedUpTo = std::max(sum.hostsEvictedUpTo, sum.connectionsEvictedUpTo);
  if (sum.hostsEvicted == 0 && sum.connectionsEvicted == 0) {
    m_coverage->setText(Packets, tr("everything seen"));
  } else {
    m_coverage->setText(Packets, tr("activity after %1")
                                     .arg(QDateTime::fromMSecsSinceEpoch(evictedUpTo / 1'000'000)
                                              .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))));
  }
  m_coverage->setToolTip(
      Packets, tr("Evicted by the budget or the idle timeout: %1 addresses, %2 connections")
                   .arg(locale.toString(static_cast<qulonglong>(sum.hostsEvicted)),
                        locale.toString(static_cast<qulonglong>(sum.connectionsEvicted))));

  setRow(m_ipv4, tr("IPv4"), sum.ipv4Packets, sum.packets, sum.ipv4Bytes, true);
  setRow(m_ipv6, tr("IPv6"), sum.ipv6Packets, sum.packets, sum.ipv6Bytes, true);
  setRow(m_nonIp, tr("Not IP"), sum.nonIpPackets, sum.packets, sum.nonIpBytes, true);
  setRow(m_fragments, tr("IPv4 fragments"), sum.ipv4Fragments, sum.ipv4Packets);

  const std::uint64_t ipPackets = sum.ipv4Packets + sum.ipv6Packets;
  setRow(m_tcp, tr("TCP"), sum.tcpPackets, ipPackets);
  setRow(m_udp, tr("UDP"), sum.udpPackets, ipPackets);
  setRow(m_icmp, tr("ICMP and ICMPv6"), sum.icmpPackets, ipPackets);
  setRow(m_sctp, tr("SCTP"), sum.sctpPackets, ipPackets);
  setRow(m_gre, tr("GRE"), sum.grePackets, ipPackets);
  setRow(m_other, tr("Other"), sum.otherPackets, ipPackets);

  std::uint64_t malformed = 0;
  for (const auto& [reason, count] : sum.malformed) malformed += count;
  m_malformed->setText(Packets, locale.toString(static_cast<qulonglong>(malformed)));
  m_malformed->setTextAlignment(Packets, Qt::AlignRight | Qt::AlignVCenter);
  while (m_malformed->childCount() > static_cast<int>(sum.malformed.size()))
    delete m_malformed->takeChild(m_malformed->childCount() - 1);
  int index = 0;
  for (const auto& [reason, count] : sum.malformed) {
    QTreeWidgetItem* item =
        index < m_malformed->childCount() ? m_malformed->child(index) : addRow(m_malformed);
    setRow(item, QString::fromStdString(reason), count, sum.packets);
    ++index;
  }

  while (m_sources->childCount() > static_cast<int>(sources.size()))
    delete m_sources->takeChild(m_sources->childCount() - 1);
  index = 0;
  for (const auto& [node, source] : sources) {
    QTreeWidgetItem* item =
        index < m_sources->childCount() ? m_sources->child(index) : addRow(m_sources);
    ++index;
    const std::uint64_t drops = source.captureDrops + source.queueDrops;
    QString name = tr("%1: %2").arg(node, QString::fromStdString(source.name));
    if (source.finished) name = tr("%1 (finished)").arg(name);
    item->setText(Name, name);
    item->setText(Packets, locale.toString(static_cast<qulonglong>(source.packets)));
    item->setText(Bytes, QString());
    item->setText(Share,
                  drops > 0 ? tr("%n dropped", nullptr, static_cast<int>(drops)) : QString());
    QString tip =
        tr("%1, link type %2\nDropped by the capture: %3\nDropped by full queues: %4")
            .arg(QString::fromStdString(source.kind), QString::fromStdString(source.linkTypeName))
            .arg(source.captureDrops)
            .arg(source.queueDrops);
    if (!source.error.empty()) tip += QLatin1Char('\n') + QString::fromStdString(source.error);
    for (int column = Name; column < Count; ++column) {
      item->setToolTip(column, tip);
      item->setForeground(
          column, drops > 0 || !source.error.empty() ? QBrush(QColor(0xb0, 0x00, 0x20)) : QBrush());
    }
  }
  m_sources->setText(Name, tr("Capture sources (%1)").arg(sources.size()));
  refreshStores(locale);
}

void GlobalStatsPanel::refreshStores(const QLocale& locale) {
  // Each node's packet ring: what it holds, how full it is, how far back it reaches.
  std::vector<std::pair<QString, const protocol::GlobalStats*>> stores;
  for (const NodeStats& node : std::as_const(m_stats))
    if (node.stats.storeMaxBytes != 0) stores.emplace_back(node.name, &node.stats);
  std::sort(stores.begin(), stores.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  while (m_stores->childCount() > static_cast<int>(stores.size()))
    delete m_stores->takeChild(m_stores->childCount() - 1);
  const auto time = [](protocol::TimeNs t) {
    return t == 0 ? QStringLiteral("–")
                  : QDateTime::fromMSecsSinceEpoch(t / 1'000'000)
                        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
  };
  int index = 0;
  for (const auto& [node, s] : stores) {
    QTreeWidgetItem* item =
        index < m_stores->childCount() ? m_stores->child(index) : addRow(m_stores);
    ++index;
    item->setText(Name, tr("%1: from %2").arg(node, time(s->storeOldest)));
    item->setText(Packets, locale.toString(static_cast<qulonglong>(s->storePackets)));
    item->setText(Bytes, tr("%1 of %2")
                             .arg(locale.formattedDataSize(static_cast<qint64>(s->storeBytes), 1,
                                                           QLocale::DataSizeSIFormat),
                                  locale.formattedDataSize(static_cast<qint64>(s->storeMaxBytes), 1,
                                                           QLocale::DataSizeSIFormat)));
    item->setText(Share, s->storeDrops > 0
                             ? tr("%n dropped", nullptr, static_cast<int>(s->storeDrops))
                             : percent(locale, s->storeBytes, s->storeMaxBytes));
    const QString tip = tr("Oldest packet %1, newest %2\nFilled %3\nDropped (disk too slow): %4")
                            .arg(time(s->storeOldest), time(s->storeNewest),
                                 percent(locale, s->storeBytes, s->storeMaxBytes))
                            .arg(s->storeDrops);
    for (int column = Name; column < Count; ++column) {
      item->setToolTip(column, tip);
      item->setForeground(column, s->storeDrops > 0 ? QBrush(QColor(0xb0, 0x00, 0x20)) : QBrush());
    }
  }
  m_stores->setText(Name, tr("Packet stores (%1)").arg(stores.size()));
  m_stores->setHidden(stores.empty());
}

}  // namespace netlens::app::views
