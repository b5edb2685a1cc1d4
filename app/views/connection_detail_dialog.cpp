// SPDX-License-Identifier: MIT
#include "app/views/connection_detail_dialog.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "app/models/connection_table_model.h"
#include "app/models/host_table_model.h"
#include "app/views/history_chart.h"
#include "shared/net/service_names.h"
#include "shared/net/tls_names.h"

namespace netlens::app::views {

using models::ConnectionTableModel;

namespace {

QString text(const std::string& s) {
  return QString::fromStdString(s);
}

QString timeText(protocol::TimeNs t) {
  if (t == 0) return {};
  return QDateTime::fromMSecsSinceEpoch(t / 1'000'000)
             .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")) +
         QString::number((t / 1000) % 1000).rightJustified(3, QLatin1Char('0'));
}

QString numberList(const std::vector<std::uint32_t>& values) {
  QStringList parts;
  for (auto v : values) parts << QString::number(v);
  return parts.join(QLatin1Char(','));
}

}  // namespace

protocol::Params ConnectionDetailDialog::historyParams(const protocol::ConnectionRecord& r) {
  protocol::Params p{
      {"series", "connection"},          {"proto", std::to_string(r.protocol)},
      {"client", r.clientIp.toString()}, {"client_port", std::to_string(r.clientPort)},
      {"server", r.serverIp.toString()}, {"server_port", std::to_string(r.serverPort)}};
  return p;
}

ConnectionDetailDialog::ConnectionDetailDialog(const protocol::ConnectionRecord& record,
                                               const QString& nodeName, QWidget* parent,
                                               core::NodeManager* nodes, const QString& nodeId)
    : QDialog(parent) {
  setObjectName(QStringLiteral("connectionDetail"));
  setWindowTitle(tr("Connection %1 %2:%3 → %4:%5")
                     .arg(ConnectionTableModel::protocolName(record.protocol),
                          text(record.clientIp.toString()), QString::number(record.clientPort),
                          text(record.serverIp.toString()), QString::number(record.serverPort)));
  m_tree = new QTreeWidget(this);
  m_tree->setColumnCount(3);
  m_tree->setHeaderLabels({QString(), tr("Client → server"), tr("Server → client")});
  m_tree->setAlternatingRowColors(true);
  m_tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  fill(record, nodeName);
  m_tree->expandAll();
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  QPushButton* download = buttons->addButton(tr("Download &PCAP…"), QDialogButtonBox::ActionRole);
  download->setObjectName(QStringLiteral("connectionDetailDownload"));
  download->setToolTip(tr("Save the packets of both directions of this connection"));
  connect(download, &QPushButton::clicked, this,
          [this, query = models::CaptureQueries::forConnection(record)] {
            emit pcapDownloadRequested(query);
          });
  auto* layout = new QVBoxLayout(this);
  if (nodes != nullptr && !nodeId.isEmpty()) {
    const QVector<HistoryChart::Panel> panels{
        {tr("Throughput"),
         tr("bits/s"),
         {{"c2s_bytes", tr("Client → server"), 8}, {"s2c_bytes", tr("Server → client"), 8}}},
        {tr("Packets"),
         tr("packets/s"),
         {{"c2s_packets", tr("Client → server"), 1}, {"s2c_packets", tr("Server → client"), 1}}},
    };
    m_chart = new HistoryChart(nodes, QStringLiteral("global"), panels, this);
    m_chart->setSeriesParams(historyParams(record), nodeId);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_chart);
    splitter->addWidget(m_tree);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);
    resize(760, 860);
  } else {
    layout->addWidget(m_tree, 1);
    resize(720, 640);
  }
  layout->addWidget(buttons);
}

QTreeWidgetItem* ConnectionDetailDialog::section(const QString& title) {
  auto* item = new QTreeWidgetItem(m_tree, {title});
  QFont bold = item->font(0);
  bold.setBold(true);
  item->setFont(0, bold);
  item->setFirstColumnSpanned(false);
  return item;
}

void ConnectionDetailDialog::add(QTreeWidgetItem* parent, const QString& label, const QString& c2s,
                                 const QString& s2c) {
  new QTreeWidgetItem(parent, {label, c2s, s2c});
}

QStringList ConnectionDetailDialog::row(const QString& sectionTitle, const QString& label) const {
  for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
    const QTreeWidgetItem* s = m_tree->topLevelItem(i);
    if (s->text(0) != sectionTitle) continue;
    for (int j = 0; j < s->childCount(); ++j) {
      if (s->child(j)->text(0) == label) return {s->child(j)->text(1), s->child(j)->text(2)};
    }
  }
  return {};
}

void ConnectionDetailDialog::fill(const protocol::ConnectionRecord& r, const QString& nodeName) {
  const QLocale locale;
  const auto n = [&](std::uint64_t v) { return locale.toString(static_cast<qulonglong>(v)); };
  const auto d = [&](protocol::TimeNs ns) {
    return ConnectionTableModel::formatDuration(locale, ns);
  };

  QTreeWidgetItem* s = section(tr("Connection"));
  add(s, tr("Node"), nodeName);
  add(s, tr("Protocol"), ConnectionTableModel::protocolName(r.protocol));
  add(s, tr("Client"),
      QStringLiteral("%1 port %2").arg(text(r.clientIp.toString())).arg(r.clientPort),
      text(r.clientCountry));
  const QString service =
      r.protocol == 6 ? text(std::string(net::tcpServiceName(r.serverPort))) : QString();
  add(s, tr("Server"),
      QStringLiteral("%1 port %2%3")
          .arg(text(r.serverIp.toString()))
          .arg(r.serverPort)
          .arg(service.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(service)),
      text(r.serverCountry));
  if (r.vlan >= 0) add(s, tr("VLAN"), QString::number(r.vlan));
  add(s, tr("Application"), text(r.app));
  if (!r.state.empty()) add(s, tr("TCP state"), text(r.state));
  add(s, tr("First packet"), timeText(r.firstSeen));
  add(s, tr("Last packet"), timeText(r.lastSeen));

  s = section(tr("Traffic"));
  add(s, tr("Packets"), n(r.c2sPackets), n(r.s2cPackets));
  add(s, tr("Bytes"), n(r.c2sBytes), n(r.s2cBytes));
  add(s, tr("Bits/s (last second)"),
      models::HostTableModel::formatBitRate(locale, r.c2sBitsPerSecond),
      models::HostTableModel::formatBitRate(locale, r.s2cBitsPerSecond));

  if (r.protocol == 6) {
    s = section(tr("TCP"));
    add(s, tr("Retransmissions"), n(r.c2sTcp.retransmissions), n(r.s2cTcp.retransmissions));
    add(s, tr("Fast retransmissions"), n(r.c2sTcp.fastRetransmissions),
        n(r.s2cTcp.fastRetransmissions));
    add(s, tr("Spurious retransmissions"), n(r.c2sTcp.spuriousRetransmissions),
        n(r.s2cTcp.spuriousRetransmissions));
    add(s, tr("Retransmitted bytes"), n(r.c2sTcp.retransmittedBytes),
        n(r.s2cTcp.retransmittedBytes));
    add(s, tr("Out of order"), n(r.c2sTcp.outOfOrder), n(r.s2cTcp.outOfOrder));
    add(s, tr("Largest window announced"), n(r.c2sTcp.maxWindow), n(r.s2cTcp.maxWindow));
    const auto scale = [](std::int32_t v) { return v < 0 ? QString() : QString::number(v); };
    add(s, tr("Window scale"), scale(r.c2sTcp.windowScale), scale(r.s2cTcp.windowScale));
    const auto limit = [&](const protocol::TcpDirectionStats& t) {
      return t.windowLimit() == 0 ? QString() : n(t.windowLimit());
    };
    add(s, tr("Window limit (the scale's largest)"), limit(r.c2sTcp), limit(r.s2cTcp));
    const auto usage = [&](const protocol::TcpDirectionStats& t) {
      const double pct = t.windowUsagePercent();
      return pct < 0 ? QString() : locale.toString(pct, 'f', 1) + QStringLiteral(" %");
    };
    add(s, tr("Window usage (largest of limit)"), usage(r.c2sTcp), usage(r.s2cTcp));
    add(s, tr("Window full (sender limited)"), n(r.c2sTcp.windowFull), n(r.s2cTcp.windowFull));
    add(s, tr("Zero window announced"), n(r.c2sTcp.zeroWindow), n(r.s2cTcp.zeroWindow));
    add(s, tr("Handshake SYN → SYN/ACK"), d(r.handshakeServerNs));
    add(s, tr("Handshake SYN/ACK → ACK"), d(r.handshakeClientNs));
    if (r.responseTime.count > 0) {
      add(s, tr("Response time (request → response)"),
          tr("mean %1, min %2, max %3 (%4)")
              .arg(d(static_cast<protocol::TimeNs>(r.responseTime.meanNs)), d(r.responseTime.minNs),
                   d(r.responseTime.maxNs), n(r.responseTime.count)));
    }
  }

  if (r.tls) {
    const protocol::TlsInfo& t = *r.tls;
    s = section(tr("TLS"));
    add(s, tr("Server name (SNI)"), text(t.serverName));
    add(s, tr("ALPN"), text(t.alpn));
    QStringList versions;
    for (auto v : t.offeredVersions) {
      if (!net::isGrease(v)) versions << text(net::tlsVersionLabel(v));
    }
    add(s, tr("Versions offered"), versions.join(QStringLiteral(", ")));
    add(s, tr("Cipher suites offered"), n(t.offeredCiphers.size()));
    if (t.version != 0) {
      add(s, tr("Negotiated version"), text(net::tlsVersionLabel(t.version)));
      add(s, tr("Negotiated cipher suite"), text(net::cipherSuiteLabel(t.cipher)));
    }
    add(s, tr("ClientHello → ServerHello"), d(t.helloNs));
    add(s, tr("ClientHello → first server data"), d(t.firstDataNs));
  }

  if (r.http) {
    const protocol::HttpInfo& h = *r.http;
    s = section(tr("HTTP"));
    add(s, tr("Requests"), n(h.requests));
    add(s, tr("Last request"), QStringLiteral("%1 %2").arg(text(h.method), text(h.url)));
    add(s, tr("Host"), text(h.host));
    add(s, tr("User-Agent"), text(h.userAgent));
    if (h.status != 0)
      add(s, tr("Last response"), QStringLiteral("%1 %2").arg(h.status).arg(text(h.contentType)));
    QStringList families;
    for (std::size_t i = 0; i < h.statusFamilies.size(); ++i) {
      if (h.statusFamilies[i] != 0)
        families << QStringLiteral("%1xx: %2").arg(i + 1).arg(n(h.statusFamilies[i]));
    }
    add(s, tr("Responses"), families.join(QStringLiteral(", ")));
    if (h.responseTime.count > 0) {
      add(s, tr("Response time"),
          tr("mean %1, min %2, max %3 (%4)")
              .arg(d(static_cast<protocol::TimeNs>(h.responseTime.meanNs)), d(h.responseTime.minNs),
                   d(h.responseTime.maxNs), n(h.responseTime.count)));
    }
  }

  if (r.c2sQos.dscp >= 0 || r.s2cQos.dscp >= 0) {
    s = section(tr("QoS"));
    const auto marking = [&](int value, bool changed, std::string_view name) {
      if (value < 0) return QStringLiteral("–");
      QString out = QString::number(value);
      if (!name.empty()) out += QStringLiteral(" (%1)").arg(text(std::string(name)));
      if (changed) out += QLatin1Char(' ') + tr("(changed)");
      return out;
    };
    const protocol::QosInfo& a = r.c2sQos;
    const protocol::QosInfo& b = r.s2cQos;
    add(s, tr("DSCP"), marking(a.dscp, a.dscpChanged, net::dscpName(a.dscp)),
        marking(b.dscp, b.dscpChanged, net::dscpName(b.dscp)));
    add(s, tr("VLAN PCP"), marking(a.vlanPcp, a.vlanPcpChanged, net::pcpName(a.vlanPcp)),
        marking(b.vlanPcp, b.vlanPcpChanged, net::pcpName(b.vlanPcp)));
    add(s, tr("MPLS TC"), marking(a.mplsTc, a.mplsTcChanged, {}),
        marking(b.mplsTc, b.mplsTcChanged, {}));
    if (!a.mplsLabels.empty() || !b.mplsLabels.empty()) {
      add(s, tr("MPLS labels"),
          numberList(a.mplsLabels) +
              (a.mplsLabelsChanged ? QLatin1Char(' ') + tr("(changed)") : QString()),
          numberList(b.mplsLabels) +
              (b.mplsLabelsChanged ? QLatin1Char(' ') + tr("(changed)") : QString()));
    }
  }
}

}  // namespace netlens::app::views
