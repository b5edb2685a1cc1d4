// SPDX-License-Identifier: MIT
#include "app/views/groups_dialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QTableWidget>
#include <QVBoxLayout>

#include "shared/net/ip_groups.h"

namespace netlens::app::views {

GroupsDialog::GroupsDialog(const std::vector<protocol::GroupDefinition>& groups,
                           std::uint32_t maxGroups, QWidget* parent)
    : QDialog(parent), m_maxGroups(maxGroups) {
  setObjectName(QStringLiteral("groupsDialog"));
  setWindowTitle(tr("IP groups"));
  auto* intro = new QLabel(
      tr("One group per row: a name and its networks, separated by spaces or commas "
         "(10.0.0.0/8 2001:db8::/32; a bare address is one host). Groups may overlap; an "
         "address's group is the one with its longest matching network, the upper row on a tie. "
         "At most %1 groups.")
          .arg(maxGroups),
      this);
  intro->setWordWrap(true);
  m_table = new QTableWidget(0, 2, this);
  m_table->setHorizontalHeaderLabels({tr("Name"), tr("Networks")});
  m_table->horizontalHeader()->setStretchLastSection(true);
  m_table->verticalHeader()->hide();
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  for (const auto& g : groups) {
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(g.name)));
    QStringList prefixes;
    for (const auto& p : g.prefixes) prefixes << QString::fromStdString(p);
    m_table->setItem(row, 1, new QTableWidgetItem(prefixes.join(QLatin1Char(' '))));
  }
  m_table->resizeColumnToContents(0);
  auto* add = new QPushButton(tr("&Add group"), this);
  add->setObjectName(QStringLiteral("addGroup"));
  auto* remove = new QPushButton(tr("&Remove"), this);
  remove->setObjectName(QStringLiteral("removeGroup"));
  connect(add, &QPushButton::clicked, this, &GroupsDialog::addGroup);
  connect(remove, &QPushButton::clicked, this, &GroupsDialog::removeSelected);
  m_error = new QLabel(this);
  m_error->setObjectName(QStringLiteral("groupsError"));
  m_error->setWordWrap(true);
  m_error->setStyleSheet(QStringLiteral("color: #b00020"));
  m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

  auto* rowButtons = new QHBoxLayout;
  rowButtons->addWidget(add);
  rowButtons->addWidget(remove);
  rowButtons->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addWidget(m_table, 1);
  layout->addLayout(rowButtons);
  layout->addWidget(m_error);
  layout->addWidget(m_buttons);
  resize(640, 420);
  connect(m_table, &QTableWidget::itemChanged, this, &GroupsDialog::validate);
  validate();
}

std::vector<protocol::GroupDefinition> GroupsDialog::groups() const {
  static const QRegularExpression kSeparators(QStringLiteral("[\\s,;]+"));
  std::vector<protocol::GroupDefinition> out;
  for (int row = 0; row < m_table->rowCount(); ++row) {
    const QTableWidgetItem* name = m_table->item(row, 0);
    const QTableWidgetItem* nets = m_table->item(row, 1);
    protocol::GroupDefinition g;
    g.name = name ? name->text().trimmed().toStdString() : std::string();
    if (nets) {
      for (const QString& p : nets->text().split(kSeparators, Qt::SkipEmptyParts))
        g.prefixes.push_back(p.toStdString());
    }
    if (g.name.empty() && g.prefixes.empty()) continue;
    out.push_back(std::move(g));
  }
  return out;
}

void GroupsDialog::addGroup() {
  const int row = m_table->rowCount();
  m_table->insertRow(row);
  m_table->setItem(row, 0, new QTableWidgetItem);
  m_table->setItem(row, 1, new QTableWidgetItem);
  m_table->setCurrentCell(row, 0);
  m_table->editItem(m_table->item(row, 0));
  validate();
}

void GroupsDialog::removeSelected() {
  QList<int> rows;
  for (const QModelIndex& i : m_table->selectionModel()->selectedRows()) rows << i.row();
  std::sort(rows.begin(), rows.end(), std::greater<>());
  for (int row : rows) m_table->removeRow(row);
  validate();
}

void GroupsDialog::validate() {
  const auto defs = groups();
  m_problem.clear();
  for (const auto& g : defs) {
    if (g.name.empty()) {
      m_problem = tr("Every group needs a name.");
      break;
    }
  }
  if (m_problem.isEmpty()) {
    auto created = net::IpGroupSet::create(defs, m_maxGroups);
    if (!created) m_problem = QString::fromStdString(created.error());
  }
  m_error->setText(m_problem);
  m_error->setVisible(!m_problem.isEmpty());
  m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_problem.isEmpty());
}

}  // namespace netlens::app::views
