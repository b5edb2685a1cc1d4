// SPDX-License-Identifier: MIT
#include "app/views/group_detail_view.h"

#include <QEvent>
#include <QFont>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <map>
#include <set>

#include "app/core/node_manager.h"
#include "app/models/connection_table_model.h"
#include "app/models/host_table_model.h"
#include "app/models/summary_table_model.h"
#include "app/views/capture_menu.h"
#include "app/views/connections_view.h"
#include "app/views/history_chart.h"
#include "app/views/ip_detail_pages.h"
#include "app/views/summary_table_view.h"
#include "app/views/user_guide.h"
#include "shared/net/ip_groups.h"
#include "shared/stats/ip_detail.h"

namespace netlens::app::views {

using models::SummaryTableModel;

GroupDetailView::GroupDetailView(core::NodeManager* nodes, QString name, QWidget* parent)
    : QWidget(parent), m_nodes(nodes), m_name(std::move(name)) {
  setObjectName(QStringLiteral("groupDetail"));
  m_back = new QPushButton(this);
  m_back->setObjectName(QStringLiteral("groupDetailBack"));
  m_back->setIcon(style()->standardIcon(QStyle::SP_ArrowBack));
  connect(m_back, &QPushButton::clicked, this, &GroupDetailView::backRequested);
  m_title = new QLabel(this);
  m_title->setObjectName(QStringLiteral("groupDetailTitle"));
  m_title->setTextFormat(Qt::PlainText);
  m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
  QFont titleFont = m_title->font();
  titleFont.setBold(true);
  if (titleFont.pointSizeF() > 0) titleFont.setPointSizeF(titleFont.pointSizeF() * 1.5);
  m_title->setFont(titleFont);
  m_subtitle = new QLabel(this);
  m_subtitle->setObjectName(QStringLiteral("groupDetailSubtitle"));
  m_subtitle->setTextFormat(Qt::PlainText);
  m_subtitle->setWordWrap(true);
  auto* top = new QHBoxLayout;
  top->addWidget(m_back, 0, Qt::AlignTop);
  auto* heading = new QVBoxLayout;
  heading->setSpacing(0);
  heading->addWidget(m_title);
  heading->addWidget(m_subtitle);
  top->addLayout(heading, 1);
  m_download = new QPushButton(this);
  m_download->setObjectName(QStringLiteral("groupDetailDownload"));
  m_download->setEnabled(false);
  connect(m_download, &QPushButton::clicked, this, &GroupDetailView::requestPcap);
  top->addWidget(m_download, 0, Qt::AlignTop);
  m_live = new QPushButton(this);
  m_live->setObjectName(QStringLiteral("groupDetailLive"));
  m_live->setEnabled(false);
  connect(m_live, &QPushButton::clicked, this,
          [this] { emit liveCaptureRequested(CaptureMenu::live(pcapQuery())); });
  top->addWidget(m_live, 0, Qt::AlignTop);
  m_help = new QPushButton(this);
  m_help->setObjectName(QStringLiteral("groupDetailHelp"));
  connect(m_help, &QPushButton::clicked, this,
          [this] { openUserGuide(this, QStringLiteral("ip-groups"), tr("IP groups")); });
  top->addWidget(m_help, 0, Qt::AlignTop);

  m_tabs = new QTabWidget(this);
  m_tabs->setObjectName(QStringLiteral("groupDetailTabs"));
  m_history = new HistoryChart(nodes, m_name, HistoryChart::hostPanels(), m_tabs);
  m_history->setGroupSeries(m_name);
  m_tabs->addTab(m_history, QString());

  m_members =
      new SummaryTableModel({SummaryTableModel::Kind::Text, SummaryTableModel::Kind::Text}, this);
  auto* membersPanel = new SummaryTablePanel(m_members, QStringLiteral("groupDetailMembers"),
                                             QStringLiteral("netlens-group-members"), m_tabs);
  m_membersTable = membersPanel->table();
  m_membersTable->setObjectName(QStringLiteral("groupDetailMembers"));
  m_membersTable->sortByColumn(0, Qt::AscendingOrder);
  connect(m_membersTable, &QTableView::activated, this, [this](const QModelIndex& index) {
    emit ipRequested(index.siblingAtColumn(0).data(SummaryTableModel::KeyRole).toString());
  });
  m_membersPage = membersPanel;
  m_tabs->addTab(m_membersPage, QString());

  m_connections = new ConnectionsView(nodes, QStringLiteral("ui/groupConnectionsHeader"),
                                      core::ConnectionScope::group(m_name), m_tabs);
  // The derived tabs need the connections whether or not their tab is showing.
  m_connections->setPollingWhileHidden(true);
  m_tabs->addTab(m_connections, QString());
  m_pages = new IpDetailPages(m_tabs, nodes);
  m_pages->setHandshakeSeries({{"name", m_name.toStdString()}});
  connect(m_pages, &IpDetailPages::connectionsFilterRequested, this,
          [this](const QString& expression) {
            m_tabs->setCurrentWidget(m_connections);
            m_connections->filterEdit()->setText(expression);
          });
  connect(m_pages, &IpDetailPages::peerActivated, this, &GroupDetailView::ipRequested);
  connect(m_connections, &ConnectionsView::pcapDownloadRequested, this,
          &GroupDetailView::pcapDownloadRequested);
  connect(m_connections, &ConnectionsView::liveCaptureRequested, this,
          &GroupDetailView::liveCaptureRequested);
  m_pages->setCaptureActions(
      [this](const QString& table, const models::SummaryTableModel::Row& row) {
        return rowCaptureQuery(table, row);
      },
      [this](const QString& title) { return m_liveProbe && m_liveProbe(title); });
  connect(m_pages, &IpDetailPages::pcapDownloadRequested, this,
          &GroupDetailView::pcapDownloadRequested);
  connect(m_pages, &IpDetailPages::liveCaptureRequested, this,
          &GroupDetailView::liveCaptureRequested);
  m_pages->follow(m_connections->model(),
                  [this](const net::IpAddress& ip) { return isMember(ip); });

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 0);
  layout->addLayout(top);
  layout->addWidget(m_tabs, 1);

  m_pollTimer = new QTimer(this);
  m_pollTimer->setInterval(kPollIntervalMs);
  connect(m_pollTimer, &QTimer::timeout, this, &GroupDetailView::poll);
  if (m_nodes) {
    connect(m_nodes, &core::NodeManager::requestReplied, this, &GroupDetailView::onReplied);
    connect(m_nodes, &core::NodeManager::requestFailed, this, &GroupDetailView::onFailed);
    connect(m_nodes, &core::NodeManager::nodeRemoved, this, &GroupDetailView::removeNode);
    m_pollTimer->start();
    poll();
  }
  retranslateUi();
}

GroupDetailView::~GroupDetailView() = default;

QStringList GroupDetailView::tabNames() {
  return QStringList{QStringLiteral("history"), QStringLiteral("members"),
                     QStringLiteral("connections")} +
         IpDetailPages::tabNames();
}

bool GroupDetailView::showTab(const QString& name) {
  QWidget* page = m_pages->pageForTab(name);
  if (name == QLatin1String("history")) {
    page = m_history;
  } else if (name == QLatin1String("members")) {
    page = m_membersPage;
  } else if (name == QLatin1String("connections")) {
    page = m_connections;
  }
  if (!page) return false;
  m_tabs->setCurrentWidget(page);
  return true;
}

bool GroupDetailView::isMember(const net::IpAddress& ip) const {
  return m_membership && m_membership->contains(0, ip);
}

void GroupDetailView::poll() {
  if (!m_nodes) return;
  for (const QString& id : m_nodes->nodeIds()) {
    const core::NodeInfo* info = m_nodes->node(id);
    if (!info || info->state != core::NodeState::Connected || m_polls.contains(id)) continue;
    const quint64 token = core::NodeManager::nextRequestToken();
    if (m_nodes->request(id, token, "groups", {{"name", m_name.toStdString()}}))
      m_polls.insert(id, token);
  }
}

void GroupDetailView::onReplied(const QString& nodeId, quint64 token, const QByteArray& body) {
  if (m_polls.value(nodeId) != token) return;
  m_polls.remove(nodeId);
  auto list = protocol::decodeBody<protocol::GroupList>(
      std::string_view(body.constData(), static_cast<std::size_t>(body.size())));
  if (list) applyGroups(nodeId, *list);
}

void GroupDetailView::onFailed(const QString& nodeId, quint64 token, const QString& reason) {
  if (m_polls.value(nodeId) != token) return;
  m_polls.remove(nodeId);
  // Most likely the node has no such group (any more): it no longer counts in the sums.
  const core::NodeInfo* info = m_nodes ? m_nodes->node(nodeId) : nullptr;
  const QString problem = QStringLiteral("%1: %2").arg(info ? info->name : nodeId, reason);
  const bool changed = m_records.remove(nodeId) > 0 || !m_problems.contains(problem);
  if (!m_problems.contains(problem)) m_problems << problem;
  if (changed) rebuild();
}

void GroupDetailView::applyGroups(const QString& nodeId, const protocol::GroupList& list) {
  const std::string name = m_name.toStdString();
  auto it = std::find_if(list.groups.begin(), list.groups.end(),
                         [&](const protocol::GroupRecord& g) { return g.name == name; });
  if (it == list.groups.end()) {
    m_records.remove(nodeId);
  } else {
    m_records.insert(nodeId, *it);
  }
  m_problems.clear();
  rebuild();
}

void GroupDetailView::removeNode(const QString& nodeId) {
  m_polls.remove(nodeId);
  if (m_records.remove(nodeId) > 0) rebuild();
}

void GroupDetailView::rebuild() {
  protocol::GroupRecord sum;
  std::set<std::string> prefixes;
  std::map<net::IpAddress, QStringList> members;
  QStringList nodeNames;
  QStringList ids = m_records.keys();
  std::sort(ids.begin(), ids.end());
  for (const QString& id : ids) {
    const protocol::GroupRecord& g = m_records[id];
    const core::NodeInfo* info = m_nodes ? m_nodes->node(id) : nullptr;
    const QString nodeName = info ? info->name : id;
    nodeNames << nodeName;
    prefixes.insert(g.prefixes.begin(), g.prefixes.end());
    if (g.firstSeen != 0 && (sum.firstSeen == 0 || g.firstSeen < sum.firstSeen))
      sum.firstSeen = g.firstSeen;
    sum.lastSeen = std::max(sum.lastSeen, g.lastSeen);
    sum.txPackets += g.txPackets;
    sum.txBytes += g.txBytes;
    sum.rxPackets += g.rxPackets;
    sum.rxBytes += g.rxBytes;
    sum.bitsPerSecond += g.bitsPerSecond;
    for (const auto& ip : g.members) members[ip] << nodeName;
  }

  // The networks as one group; kept as it was when the union is not a valid group (more
  // prefixes than one group may have), as that can only come from nodes defining it apart.
  // Made again only when the networks change: the answers come every 2 s and rebuilding
  // the derived tabs means reading every connection.
  const std::vector<std::string> networks(prefixes.begin(), prefixes.end());
  if (networks != m_networks) {
    auto created =
        net::IpGroupSet::create({{m_name.toStdString(), networks}}, protocol::kMaxGroupsLimit);
    if (created) {
      m_membership = std::make_unique<net::IpGroupSet>(std::move(*created));
      m_networks = networks;
      m_pages->rebuild();  // the members' side of each connection may have changed
    }
  }

  m_firstSeen = sum.firstSeen;
  m_lastSeen = sum.lastSeen;
  m_download->setEnabled(!m_networks.empty());
  updateLiveButton();

  QVector<SummaryTableModel::Row> rows;
  rows.reserve(static_cast<int>(members.size()));
  for (const auto& [ip, onNodes] : members) {
    const QString text = QString::fromStdString(ip.toString());
    rows.push_back({text, {text, onNodes.join(QStringLiteral(", "))}});
  }
  m_members->setRows(std::move(rows));

  const QLocale locale;
  QStringList networkTexts;
  for (const auto& p : networks) networkTexts << QString::fromStdString(p);
  QString text =
      tr("%1 · %n IP address(es) · sent %2 · received %3 · %4", nullptr,
         static_cast<int>(members.size()))
          .arg(networkTexts.isEmpty() ? tr("no networks yet") : networkTexts.join(QLatin1Char(' ')),
               SummaryTableModel::format(locale, SummaryTableModel::Kind::Bytes,
                                         QVariant::fromValue<qulonglong>(sum.txBytes)),
               SummaryTableModel::format(locale, SummaryTableModel::Kind::Bytes,
                                         QVariant::fromValue<qulonglong>(sum.rxBytes)),
               models::HostTableModel::formatBitRate(locale, sum.bitsPerSecond));
  text += QStringLiteral(" · ") + (nodeNames.isEmpty() ? tr("no node has this group")
                                                       : nodeNames.join(QStringLiteral(", ")));
  if (!m_problems.isEmpty()) text += QStringLiteral("\n") + m_problems.join(QStringLiteral("; "));
  m_subtitle->setText(text);
}

void GroupDetailView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslateUi();
  QWidget::changeEvent(event);
}

models::CaptureQuery GroupDetailView::pcapQuery() const {
  return models::CaptureQueries::forGroup(m_name, m_networks, m_firstSeen, m_lastSeen);
}

models::CaptureQuery GroupDetailView::rowCaptureQuery(
    const QString& table, const models::SummaryTableModel::Row& row) const {
  if (table == QLatin1String("qosL3")) {
    return models::CaptureQueries::forGroupDscp(m_name, m_networks, row.values[0].toInt(),
                                                m_firstSeen, m_lastSeen);
  }
  if (table == QLatin1String("qosL2")) {
    const auto field = row.key.startsWith(QLatin1String("pcp")) ? models::L2QosField::VlanPcp
                                                                : models::L2QosField::MplsTc;
    return models::CaptureQueries::forGroupL2Qos(m_name, m_networks, field, row.values[1].toInt(),
                                                 m_firstSeen, m_lastSeen);
  }
  if (table == QLatin1String("protocols")) {
    // The group's connections of that protocol, as the Connections tab holds them.
    const QString app = row.values[0].toString();
    return models::CaptureQueries::forConnections(
        tr("group %1, %2 connections").arg(m_name, app), m_name + QLatin1Char('-') + app,
        m_connections->model()->recordsOfApp(app.toStdString()));
  }
  if (table != QLatin1String("ports")) return {};
  return models::CaptureQueries::forGroupPort(m_name, m_networks, row.values[0].toInt(),
                                              row.values[4].toLongLong(),
                                              row.values[5].toLongLong());
}

void GroupDetailView::setLiveCaptureProbe(std::function<bool(const QString&)> probe) {
  m_liveProbe = std::move(probe);
  m_connections->setLiveCaptureProbe(m_liveProbe);
  updateLiveButton();
}

void GroupDetailView::updateLiveButton() {
  const models::CaptureQuery query = CaptureMenu::live(pcapQuery());
  const bool running = CaptureMenu::liveRunning(m_liveProbe, query);
  m_live->setEnabled(!query.params.empty());
  m_live->setText(CaptureMenu::liveLabel(running));
  m_live->setToolTip(running ? tr("Stop this group's live capture and finish its file")
                             : tr("Save the packets of the group's networks as the nodes capture "
                                  "them, until stopped (progress in the Captures tab)"));
}

bool GroupDetailView::requestPcap() {
  const models::CaptureQuery query = pcapQuery();
  if (query.params.empty()) return false;
  emit pcapDownloadRequested(query);
  return true;
}

void GroupDetailView::retranslateUi() {
  if (m_pages) m_pages->retranslate();
  m_history->retitle(HistoryChart::hostPanels());
  m_title->setText(tr("IP group %1").arg(m_name));
  m_back->setText(tr("&Back"));
  m_back->setToolTip(tr("Back to the tables"));
  m_help->setText(tr("&Help"));
  m_help->setToolTip(tr("Open the user guide on IP groups"));
  m_download->setText(tr("Download &PCAP…"));
  m_download->setToolTip(
      tr("Save every packet to or from the group's networks from the nodes' packet stores"));
  updateLiveButton();
  m_tabs->setTabText(m_tabs->indexOf(m_history), tr("History"));
  m_tabs->setTabText(m_tabs->indexOf(m_membersPage), tr("List of IPs"));
  m_tabs->setTabText(m_tabs->indexOf(m_connections), tr("Connections"));
  m_members->setHeaders({tr("IP address"), tr("Nodes")});
  rebuild();
}

}  // namespace netlens::app::views
