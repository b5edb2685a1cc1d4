// SPDX-License-Identifier: MIT
#include "app/views/nodes_panel.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "app/core/node_manager.h"
#include "app/models/host_table_model.h"
#include "app/views/add_node_dialog.h"

namespace netlens::app::views {

NodesPanel::NodesPanel(core::NodeManager* nodes, QWidget* parent)
    : QWidget(parent), m_nodes(nodes) {
  m_tree = new QTreeWidget(this);
  m_tree->setColumnCount(Count);
  m_tree->setRootIsDecorated(false);
  m_tree->setUniformRowHeights(true);
  m_tree->setAlternatingRowColors(true);
  m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
  // Details (the reason a node is not connected) last, taking the room that is left.
  m_tree->header()->setStretchLastSection(true);
  m_tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  m_tree->header()->setSectionResizeMode(Details, QHeaderView::Stretch);

  m_problem = new QLabel(this);
  m_problem->setWordWrap(true);
  m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_problem->setStyleSheet(QStringLiteral("color: #b00020;"));
  m_problem->hide();

  m_addButton = new QPushButton(this);
  m_removeButton = new QPushButton(this);
  m_keyButton = new QPushButton(this);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_addButton);
  buttons->addWidget(m_removeButton);
  buttons->addStretch(1);
  buttons->addWidget(m_keyButton);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(m_problem);
  layout->addWidget(m_tree, 1);
  layout->addLayout(buttons);

  connect(m_addButton, &QPushButton::clicked, this, &NodesPanel::addNodeInteractively);
  connect(m_removeButton, &QPushButton::clicked, this, &NodesPanel::removeSelected);
  connect(m_keyButton, &QPushButton::clicked, this, &NodesPanel::consoleKeyRequested);
  connect(m_tree, &QTreeWidget::itemSelectionChanged, this, &NodesPanel::updateButtons);
  if (m_nodes) {
    connect(m_nodes, &core::NodeManager::nodeAdded, this, &NodesPanel::onNodeAdded);
    connect(m_nodes, &core::NodeManager::nodeRemoved, this, &NodesPanel::onNodeRemoved);
    connect(m_nodes, &core::NodeManager::nodeChanged, this, &NodesPanel::onNodeChanged);
    for (const QString& id : m_nodes->nodeIds()) onNodeAdded(id);
  }
  retranslateUi();
  updateButtons();
}

void NodesPanel::setProblem(const QString& text) {
  m_problem->setText(text);
  m_problem->setVisible(!text.isEmpty());
}

void NodesPanel::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslateUi();
  QWidget::changeEvent(event);
}

void NodesPanel::retranslateUi() {
  m_tree->setHeaderLabels({tr("Node"), tr("State"), tr("Packets/s"), tr("Bits/s"), tr("Address"),
                           tr("Role"), tr("Key fingerprint"), tr("Details")});
  m_addButton->setText(tr("&Add node…"));
  m_addButton->setToolTip(tr("Paste a node's connection string (netlens://HOST:PORT?key=…)"));
  m_removeButton->setText(tr("&Remove"));
  m_keyButton->setText(tr("Console &key…"));
  m_keyButton->setToolTip(tr("The key a node must authorise before it lets this console in"));
  if (m_nodes) {
    for (auto it = m_items.constBegin(); it != m_items.constEnd(); ++it) {
      if (const core::NodeInfo* info = m_nodes->node(it.key())) updateItem(it.value(), *info);
    }
  }
}

void NodesPanel::onNodeAdded(const QString& id) {
  const core::NodeInfo* info = m_nodes->node(id);
  if (!info || m_items.contains(id)) return;
  auto* item = new QTreeWidgetItem(m_tree);
  item->setData(Name, Qt::UserRole, id);
  item->setTextAlignment(PacketRate, Qt::AlignRight | Qt::AlignVCenter);
  item->setTextAlignment(BitRate, Qt::AlignRight | Qt::AlignVCenter);
  m_items.insert(id, item);
  updateItem(item, *info);
  updateButtons();
}

void NodesPanel::onNodeRemoved(const QString& id) {
  delete m_items.take(id);
  updateButtons();
}

void NodesPanel::onNodeChanged(const QString& id) {
  QTreeWidgetItem* item = m_items.value(id);
  const core::NodeInfo* info = m_nodes->node(id);
  if (item && info) updateItem(item, *info);
}

void NodesPanel::updateItem(QTreeWidgetItem* item, const core::NodeInfo& info) {
  QLocale locale;
  const bool connected = info.state == core::NodeState::Connected;
  item->setText(Name, info.persistent ? info.name : tr("%1 (standalone)").arg(info.name));
  item->setText(State, core::nodeStateText(info.state));
  // A connected node that runs without some analyses says which, after how it is reached.
  QStringList parts;
  if (!info.reason.isEmpty()) parts << info.reason;
  if (connected && !info.analysesOff.isEmpty()) parts << core::analysesOffText(info.analysesOff);
  const QString details = parts.join(QStringLiteral("; "));
  item->setText(Details, details);
  item->setToolTip(Details, details);
  item->setText(PacketRate,
                connected ? locale.toString(info.global.packetsPerSecond, 'f', 1) : QString());
  item->setText(BitRate,
                connected ? models::HostTableModel::formatBitRate(locale, info.global.bitsPerSecond)
                          : QString());
  item->setText(Address, info.address);
  item->setText(Role, info.role);
  item->setText(Fingerprint, info.fingerprint);
  item->setToolTip(Fingerprint, tr("Server key %1").arg(info.serverKey));
  QColor color;
  switch (info.state) {
    case core::NodeState::Connected:
      color = QColor(0x1b, 0x7f, 0x3b);
      break;
    case core::NodeState::Connecting:
      color = QColor(0x80, 0x80, 0x80);
      break;
    default:
      color = QColor(0xb0, 0x00, 0x20);
      break;
  }
  item->setForeground(State, color);
}

void NodesPanel::updateButtons() {
  m_removeButton->setEnabled(m_nodes && !m_tree->selectedItems().isEmpty());
  m_addButton->setEnabled(m_nodes != nullptr);
}

void NodesPanel::addNodeInteractively() {
  if (!m_nodes) return;
  AddNodeDialog dialog(this);
  while (dialog.exec() == QDialog::Accepted) {
    QString error;
    if (!m_nodes->addNode(dialog.connectionString(), true, &error).isEmpty()) return;
    dialog.setError(error);  // e.g. already in the list: let the user correct it
  }
}

void NodesPanel::removeSelected() {
  const auto selected = m_tree->selectedItems();
  if (selected.isEmpty() || !m_nodes) return;
  QString id = selected.first()->data(Name, Qt::UserRole).toString();
  const core::NodeInfo* info = m_nodes->node(id);
  if (!info) return;
  auto answer = QMessageBox::question(
      this, tr("Remove node"),
      tr("Remove the node %1 (%2) from the console? Its figures disappear from the tables.")
          .arg(info->name, info->address));
  if (answer == QMessageBox::Yes) m_nodes->removeNode(id);
}

}  // namespace netlens::app::views
