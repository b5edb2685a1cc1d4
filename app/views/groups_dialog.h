// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

#include <cstdint>
#include <vector>

#include "shared/protocol/messages.h"

class QDialogButtonBox;
class QLabel;
class QTableWidget;

namespace netlens::app::views {

/// Edits the IP groups of the nodes: one row per group, its name and its prefixes (IPv4 and
/// IPv6 networks, separated by spaces or commas; a bare address is a /32 or /128). Every edit
/// is checked with the node's own rules (net::IpGroupSet::create: names, duplicate names,
/// host bits set, the group limit); the first problem shows under the table in red and OK
/// stays disabled until the set is valid. Add and Remove change rows; order matters (on
/// equally specific prefixes the earlier group is an address's group).
///
/// Thread: GUI thread.
class GroupsDialog : public QDialog {
  Q_OBJECT

 public:
  GroupsDialog(const std::vector<protocol::GroupDefinition>& groups, std::uint32_t maxGroups,
               QWidget* parent = nullptr);

  /// The groups as edited (rows with neither a name nor prefixes are left out).
  std::vector<protocol::GroupDefinition> groups() const;
  /// The first problem of the current rows, "" when they are valid.
  QString problem() const { return m_problem; }
  QTableWidget* table() const { return m_table; }

 public slots:
  void addGroup();
  void removeSelected();

 private:
  void validate();

  std::uint32_t m_maxGroups;
  QTableWidget* m_table = nullptr;
  QLabel* m_error = nullptr;
  QDialogButtonBox* m_buttons = nullptr;
  QString m_problem;
};

}  // namespace netlens::app::views
