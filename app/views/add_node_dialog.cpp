// SPDX-License-Identifier: MIT
#include "app/views/add_node_dialog.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QFontDatabase>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "app/core/node_manager.h"

namespace netlens::app::views {

AddNodeDialog::AddNodeDialog(QWidget* parent) : QDialog(parent) {
  m_intro = new QLabel(this);
  m_intro->setWordWrap(true);
  m_edit = new QLineEdit(this);
  m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  m_edit->setMinimumWidth(520);
  m_edit->setClearButtonEnabled(true);
  m_error = new QLabel(this);
  m_error->setWordWrap(true);
  m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
  m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(m_intro);
  layout->addWidget(m_edit);
  layout->addWidget(m_error);
  layout->addWidget(m_buttons);

  connect(m_edit, &QLineEdit::textChanged, this, &AddNodeDialog::validate);
  connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  retranslateUi();
  validate();
}

QString AddNodeDialog::connectionString() const {
  return m_edit->text().trimmed();
}

void AddNodeDialog::setError(const QString& error) {
  m_error->setText(error);
}

void AddNodeDialog::validate() {
  QString text = connectionString();
  QString error = text.isEmpty() ? QString() : core::NodeManager::validate(text);
  m_error->setText(error);
  m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!text.isEmpty() && error.isEmpty());
}

void AddNodeDialog::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslateUi();
  QDialog::changeEvent(event);
}

void AddNodeDialog::retranslateUi() {
  setWindowTitle(tr("Add node"));
  m_intro->setText(
      tr("Paste the node's connection string. On the node, "
         "<code>netlens-node connection-string --state DIR</code> prints it."));
  m_edit->setPlaceholderText(tr("netlens://HOST:PORT?key=…"));
}

}  // namespace netlens::app::views
