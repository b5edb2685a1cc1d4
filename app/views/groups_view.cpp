// SPDX-License-Identifier: MIT
#include "app/views/groups_view.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <map>
#include <set>

#include "app/core/node_manager.h"
#include "app/models/summary_table_model.h"
#include "app/views/capture_menu.h"
#include "app/views/groups_dialog.h"
#include "app/views/summary_table_view.h"

namespace netlens::app::views {

using models::SummaryTableModel;
using Kind = SummaryTableModel::Kind;

namespace {

SummaryTablePanel* makePanel(SummaryTableModel* model, const QString& name, QWidget* parent) {
  auto* panel = new SummaryTablePanel(model, name, QStringLiteral("netlens-%1").arg(name), parent);
  QTableView* table = panel->table();
  table->sortByColumn(0, Qt::AscendingOrder);
  table->setSelectionMode(QAbstractItemView::SingleSelection);
  table->setObjectName(name + QStringLiteral("Table"));
  return panel;
}

QVariant count(std::uint64_t v) {
  return QVariant::fromValue<qulonglong>(v);
}

}  // namespace

GroupsView::GroupsView(core::NodeManager* nodes, QWidget* parent)
    : QWidget(parent), m_nodes(nodes) {
  setObjectName(QStringLiteral("groupsView"));
  m_model = new SummaryTableModel(
      {Kind::Text, Kind::Text, Kind::Text, Kind::Count, Kind::Count, Kind::Bytes, Kind::Count,
       Kind::Bytes, Kind::Count, Kind::Count, Kind::Count, Kind::BitRate, Kind::Time, Kind::Time,
       Kind::Bytes, Kind::Count, Kind::Bytes},
      this);
  m_members = new SummaryTableModel({Kind::Text, Kind::Text}, this);
  SummaryTablePanel* groupsPanel = makePanel(m_model, QStringLiteral("groups"), this);
  m_table = groupsPanel->table();
  SummaryTablePanel* membersPanel = makePanel(m_members, QStringLiteral("groupMembers"), this);
  m_membersTable = membersPanel->table();
  m_configure = new QPushButton(this);
  m_configure->setObjectName(QStringLiteral("configureGroups"));
  connect(m_configure, &QPushButton::clicked, this, &GroupsView::configure);
  m_status = new QLabel(this);
  m_status->setWordWrap(true);
  m_membersTitle = new QLabel(this);

  connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            selectGroup(current.isValid()
                            ? current.siblingAtColumn(0).data(SummaryTableModel::KeyRole).toString()
                            : QString());
          });
  m_table->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
    const QModelIndex index = m_table->indexAt(at);
    if (!index.isValid()) return;
    QMenu menu(this);
    menu.addAction(tr("&Open"), this, [this, index] {
      emit groupActivated(index.siblingAtColumn(0).data(SummaryTableModel::KeyRole).toString());
    });
    CaptureMenu::addActions(
        menu, this, pcapQuery(index.row()), m_liveProbe,
        [this](const models::CaptureQuery& q) { emit pcapDownloadRequested(q); },
        [this](const models::CaptureQuery& q) { emit liveCaptureRequested(q); });
    menu.exec(m_table->viewport()->mapToGlobal(at));
  });
  connect(m_table, &QTableView::activated, this, [this](const QModelIndex& index) {
    emit groupActivated(index.siblingAtColumn(0).data(SummaryTableModel::KeyRole).toString());
  });
  connect(m_membersTable, &QTableView::activated, this, [this](const QModelIndex& index) {
    emit ipActivated(index.siblingAtColumn(0).data(SummaryTableModel::KeyRole).toString());
  });

  auto* top = new QHBoxLayout;
  top->addWidget(m_configure);
  top->addWidget(m_status, 1);
  auto* lower = new QWidget(this);
  auto* lowerLayout = new QVBoxLayout(lower);
  lowerLayout->setContentsMargins(0, 0, 0, 0);
  lowerLayout->addWidget(m_membersTitle);
  lowerLayout->addWidget(membersPanel, 1);
  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->addWidget(groupsPanel);
  splitter->addWidget(lower);
  splitter->setStretchFactor(0, 2);
  splitter->setStretchFactor(1, 1);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(splitter, 1);

  m_timer = new QTimer(this);
  m_timer->setInterval(kPollIntervalMs);
  connect(m_timer, &QTimer::timeout, this, &GroupsView::poll);
  if (m_nodes) {
    connect(m_nodes, &core::NodeManager::requestReplied, this, &GroupsView::onReplied);
    connect(m_nodes, &core::NodeManager::requestFailed, this, &GroupsView::onFailed);
    connect(m_nodes, &core::NodeManager::nodeRemoved, this, &GroupsView::removeNode);
    connect(m_nodes, &core::NodeManager::nodeChanged, this, &GroupsView::updateConfigureButton);
  }
  retranslateUi();
}

void GroupsView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (!m_nodes) return;
  poll();
  m_timer->start();
}

void GroupsView::hideEvent(QHideEvent* event) {
  m_timer->stop();
  QWidget::hideEvent(event);
}

void GroupsView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslateUi();
  QWidget::changeEvent(event);
}

void GroupsView::poll() {
  if (!m_nodes) return;
  for (const QString& id : m_nodes->nodeIds()) {
    const core::NodeInfo* info = m_nodes->node(id);
    if (!info || info->state != core::NodeState::Connected || m_polls.contains(id)) continue;
    protocol::Params params;
    if (!m_selected.isEmpty()) params.emplace("members", "1");
    const quint64 token = core::NodeManager::nextRequestToken();
    if (m_nodes->request(id, token, "groups", params)) m_polls.insert(id, token);
  }
}

void GroupsView::onReplied(const QString& nodeId, quint64 token, const QByteArray& body) {
  if (m_polls.value(nodeId) == token) {
    m_polls.remove(nodeId);
    auto list = protocol::decodeBody<protocol::GroupList>(
        std::string_view(body.constData(), static_cast<std::size_t>(body.size())));
    if (list) applyGroups(nodeId, *list);
    return;
  }
  if (m_updates.remove(token) == 0) return;
  ++m_updatesOk;
  if (m_updates.isEmpty()) updateConfigureButton();
  poll();
}

void GroupsView::onFailed(const QString& nodeId, quint64 token, const QString& reason) {
  if (m_polls.value(nodeId) == token) {
    m_polls.remove(nodeId);
    return;
  }
  if (m_updates.remove(token) == 0) return;
  const core::NodeInfo* info = m_nodes ? m_nodes->node(nodeId) : nullptr;
  m_updateErrors << QStringLiteral("%1: %2").arg(info ? info->name : nodeId, reason);
  if (m_updates.isEmpty()) updateConfigureButton();
}

void GroupsView::applyGroups(const QString& nodeId, const protocol::GroupList& list) {
  m_lists.insert(nodeId, list);
  rebuild();
}

void GroupsView::removeNode(const QString& nodeId) {
  m_lists.remove(nodeId);
  m_polls.remove(nodeId);
  rebuild();
}

bool GroupsView::requestPcap(int row) {
  const models::CaptureQuery query = pcapQuery(row);
  if (query.params.empty()) return false;
  emit pcapDownloadRequested(query);
  return true;
}

void GroupsView::setLiveCaptureProbe(std::function<bool(const QString&)> probe) {
  m_liveProbe = std::move(probe);
}

models::CaptureQuery GroupsView::pcapQuery(int row) const {
  const QModelIndex index = m_table->model()->index(row, 0);
  if (!index.isValid()) return {};
  const auto raw = [&](int column) {
    return index.siblingAtColumn(column).data(SummaryTableModel::RawRole);
  };
  std::vector<std::string> prefixes;
  for (const QString& p : raw(1).toString().split(QLatin1Char(' '), Qt::SkipEmptyParts))
    prefixes.push_back(p.toStdString());
  return models::CaptureQueries::forGroup(index.data(SummaryTableModel::KeyRole).toString(),
                                          prefixes, raw(12).toLongLong(), raw(13).toLongLong());
}

std::vector<protocol::GroupDefinition> GroupsView::definitions() const {
  std::vector<protocol::GroupDefinition> out;
  std::set<std::string> seen;
  QStringList ids = m_lists.keys();
  std::sort(ids.begin(), ids.end());
  for (const QString& id : ids) {
    for (const auto& g : m_lists[id].groups) {
      if (seen.insert(g.name).second) out.push_back({g.name, g.prefixes});
    }
  }
  return out;
}

void GroupsView::rebuild() {
  struct Merged {
    protocol::GroupRecord sum;
    QStringList nodes;
    std::set<net::IpAddress> members;
    std::map<net::IpAddress, QStringList> memberNodes;
  };
  std::map<std::string, Merged> merged;
  QStringList ids = m_lists.keys();
  std::sort(ids.begin(), ids.end());
  for (const QString& id : ids) {
    const core::NodeInfo* info = m_nodes ? m_nodes->node(id) : nullptr;
    const QString nodeName = info ? info->name : id;
    for (const auto& g : m_lists[id].groups) {
      Merged& m = merged[g.name];
      protocol::GroupRecord& s = m.sum;
      if (m.nodes.isEmpty()) {
        s.name = g.name;
        s.prefixes = g.prefixes;
        s.firstSeen = g.firstSeen;
      } else if (g.firstSeen != 0) {
        s.firstSeen = s.firstSeen == 0 ? g.firstSeen : std::min(s.firstSeen, g.firstSeen);
      }
      m.nodes << nodeName;
      s.memberCount += g.memberCount;
      s.txPackets += g.txPackets;
      s.txBytes += g.txBytes;
      s.rxPackets += g.rxPackets;
      s.rxBytes += g.rxBytes;
      s.tcpPackets += g.tcpPackets;
      s.udpPackets += g.udpPackets;
      s.tcpPayloadBytes += g.tcpPayloadBytes;
      s.tcpRetransPackets += g.tcpRetransPackets;
      s.tcpRetransBytes += g.tcpRetransBytes;
      s.lastSeen = std::max(s.lastSeen, g.lastSeen);
      s.packetsPerSecond += g.packetsPerSecond;
      s.bitsPerSecond += g.bitsPerSecond;
      for (const auto& ip : g.members) m.memberNodes[ip] << nodeName;
    }
  }
  QVector<SummaryTableModel::Row> rows;
  for (const auto& [name, m] : merged) {
    const protocol::GroupRecord& s = m.sum;
    QStringList prefixes;
    for (const auto& p : s.prefixes) prefixes << QString::fromStdString(p);
    const QString key = QString::fromStdString(name);
    rows.push_back(
        {key,
         {key, prefixes.join(QLatin1Char(' ')), m.nodes.join(QStringLiteral(", ")),
          count(s.memberCount), count(s.txPackets), count(s.txBytes), count(s.rxPackets),
          count(s.rxBytes), count(s.tcpPackets), count(s.udpPackets),
          count(static_cast<std::uint64_t>(s.packetsPerSecond + 0.5)), s.bitsPerSecond,
          QVariant::fromValue<qlonglong>(s.firstSeen), QVariant::fromValue<qlonglong>(s.lastSeen),
          count(s.tcpPayloadBytes), count(s.tcpRetransPackets), count(s.tcpRetransBytes)}});
  }
  m_model->setRows(std::move(rows));

  QVector<SummaryTableModel::Row> members;
  if (auto it = merged.find(m_selected.toStdString()); it != merged.end()) {
    for (const auto& [ip, nodes] : it->second.memberNodes) {
      const QString text = QString::fromStdString(ip.toString());
      members.push_back({text, {text, nodes.join(QStringLiteral(", "))}});
    }
  }
  m_members->setRows(std::move(members));
  updateConfigureButton();
}

void GroupsView::selectGroup(const QString& name) {
  if (name == m_selected) return;
  m_selected = name;
  m_membersTitle->setText(name.isEmpty() ? tr("Select a group to list its IP addresses.")
                                         : tr("IP addresses of %1").arg(name));
  rebuild();
  poll();  // with the member lists now
}

int GroupsView::sendDefinitions(const std::vector<protocol::GroupDefinition>& groups) {
  if (!m_nodes) return 0;
  const std::string body = protocol::encodeBody(protocol::GroupDefinitions{groups});
  m_updateErrors.clear();
  m_updatesOk = 0;
  int asked = 0;
  for (const QString& id : m_nodes->nodeIds()) {
    const core::NodeInfo* info = m_nodes->node(id);
    if (!info || info->state != core::NodeState::Connected || info->role != QLatin1String("admin"))
      continue;
    const quint64 token = core::NodeManager::nextRequestToken();
    if (m_nodes->request(id, token, "set-groups", {{"groups", body}})) {
      m_updates.insert(token, id);
      ++asked;
    }
  }
  updateConfigureButton();
  return asked;
}

void GroupsView::configure() {
  std::uint32_t maxGroups = protocol::kMaxGroupsLimit;
  for (const auto& list : m_lists) maxGroups = std::min(maxGroups, list.maxGroups);
  if (m_lists.isEmpty()) maxGroups = protocol::kDefaultMaxGroups;
  GroupsDialog dialog(definitions(), maxGroups, this);
  if (dialog.exec() != QDialog::Accepted) return;
  sendDefinitions(dialog.groups());
}

void GroupsView::updateConfigureButton() {
  int connected = 0;
  int admins = 0;
  if (m_nodes) {
    for (const QString& id : m_nodes->nodeIds()) {
      const core::NodeInfo* info = m_nodes->node(id);
      if (!info || info->state != core::NodeState::Connected) continue;
      ++connected;
      if (info->role == QLatin1String("admin")) ++admins;
    }
  }
  m_configure->setEnabled(admins > 0 && m_updates.isEmpty());
  QString status;
  if (!m_updates.isEmpty()) {
    status = tr("Sending the groups to %n node(s)…", nullptr, int(m_updates.size()));
  } else if (m_updatesOk > 0 || !m_updateErrors.isEmpty()) {
    status = tr("Groups applied on %n node(s).", nullptr, m_updatesOk);
    if (!m_updateErrors.isEmpty())
      status += QLatin1Char(' ') + tr("Refused: %1").arg(m_updateErrors.join(QStringLiteral("; ")));
  } else if (connected > 0 && admins == 0) {
    status =
        tr("Changing groups needs the admin role on a node; this console is a viewer "
           "(authorise its key with --role admin on the node).");
  }
  m_status->setText(status);
}

void GroupsView::retranslateUi() {
  m_configure->setText(tr("&Configure groups…"));
  m_model->setHeaders({tr("Group"), tr("Networks"), tr("Nodes"), tr("IP addresses"),
                       tr("Sent packets"), tr("Sent bytes"), tr("Received packets"),
                       tr("Received bytes"), tr("TCP packets"), tr("UDP packets"), tr("Packets/s"),
                       tr("Bits/s"), tr("First seen"), tr("Last seen"), tr("TCP payload"),
                       tr("TCP retransmissions"), tr("TCP retransmitted bytes")});
  m_members->setHeaders({tr("IP address"), tr("Nodes")});
  m_membersTitle->setText(m_selected.isEmpty() ? tr("Select a group to list its IP addresses.")
                                               : tr("IP addresses of %1").arg(m_selected));
  updateConfigureButton();
}

}  // namespace netlens::app::views
