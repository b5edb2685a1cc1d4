// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QString>
#include <QWidget>

class QLabel;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace netlens::app::core {
class NodeManager;
struct NodeInfo;
}  // namespace netlens::app::core

namespace netlens::app::views {

/// The Nodes dock's contents: every node with its state, the reason when it is not
/// connected, its rates, role and key fingerprint; buttons to add a node (paste its
/// connection string), remove the selected one and show the console key.
///
/// Thread: GUI thread. Does not own `nodes`.
class NodesPanel : public QWidget {
  Q_OBJECT

 public:
  enum Column { Name, State, PacketRate, BitRate, Address, Role, Fingerprint, Details, Count };

  explicit NodesPanel(core::NodeManager* nodes, QWidget* parent = nullptr);

  /// A message above the list (e.g. why standalone mode did not start); empty hides it.
  void setProblem(const QString& text);
  QTreeWidget* tree() const { return m_tree; }
  QSize sizeHint() const override { return {640, 150}; }

 public slots:
  void addNodeInteractively();
  void removeSelected();

 signals:
  void consoleKeyRequested();

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void onNodeAdded(const QString& id);
  void onNodeRemoved(const QString& id);
  void onNodeChanged(const QString& id);
  void updateItem(QTreeWidgetItem* item, const core::NodeInfo& info);
  void updateButtons();
  void retranslateUi();

  core::NodeManager* m_nodes;
  QTreeWidget* m_tree = nullptr;
  QLabel* m_problem = nullptr;
  QPushButton* m_addButton = nullptr;
  QPushButton* m_removeButton = nullptr;
  QPushButton* m_keyButton = nullptr;
  QHash<QString, QTreeWidgetItem*> m_items;
};

}  // namespace netlens::app::views
