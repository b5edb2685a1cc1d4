// SPDX-License-Identifier: MIT
#include "app/views/console_key_dialog.h"

#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "app/core/console_identity.h"

namespace netlens::app::views {

ConsoleKeyDialog::ConsoleKeyDialog(const core::ConsoleIdentity* identity, QWidget* parent)
    : QDialog(parent), m_identity(identity) {
  const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  m_intro = new QLabel(this);
  m_intro->setWordWrap(true);
  m_keyLabel = new QLabel(this);
  m_key = new QLineEdit(identity ? identity->publicKey() : QString(), this);
  m_key->setReadOnly(true);
  m_key->setFont(fixed);
  m_copyKey = new QPushButton(this);
  m_fingerprintLabel = new QLabel(this);
  m_fingerprint = new QLabel(identity ? identity->fingerprint() : QString(), this);
  m_fingerprint->setFont(fixed);
  m_fingerprint->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_roleLabel = new QLabel(this);
  m_role = new QComboBox(this);
  m_role->addItem(QStringLiteral("viewer"));
  m_role->addItem(QStringLiteral("admin"));
  m_stateLabel = new QLabel(this);
  m_stateDir = new QLineEdit(this);
  m_stateDir->setPlaceholderText(QStringLiteral("<node state dir>"));
  m_stateDir->setFont(fixed);
  m_commandLabel = new QLabel(this);
  m_command = new QLineEdit(this);
  m_command->setReadOnly(true);
  m_command->setFont(fixed);
  m_command->setMinimumWidth(720);
  m_copyCommand = new QPushButton(this);
  m_fileLabel = new QLabel(this);
  m_fileLabel->setWordWrap(true);
  m_fileLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_close = new QPushButton(this);

  auto* grid = new QGridLayout;
  grid->addWidget(m_keyLabel, 0, 0);
  grid->addWidget(m_key, 0, 1);
  grid->addWidget(m_copyKey, 0, 2);
  grid->addWidget(m_fingerprintLabel, 1, 0);
  grid->addWidget(m_fingerprint, 1, 1, 1, 2);
  grid->addWidget(m_roleLabel, 2, 0);
  grid->addWidget(m_role, 2, 1, Qt::AlignLeft);
  grid->addWidget(m_stateLabel, 3, 0);
  grid->addWidget(m_stateDir, 3, 1, 1, 2);
  grid->addWidget(m_commandLabel, 4, 0);
  grid->addWidget(m_command, 4, 1);
  grid->addWidget(m_copyCommand, 4, 2);
  auto* bottom = new QHBoxLayout;
  bottom->addStretch(1);
  bottom->addWidget(m_close);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(m_intro);
  layout->addLayout(grid);
  layout->addWidget(m_fileLabel);
  layout->addLayout(bottom);

  connect(m_copyKey, &QPushButton::clicked, this,
          [this] { QGuiApplication::clipboard()->setText(m_key->text()); });
  connect(m_copyCommand, &QPushButton::clicked, this,
          [this] { QGuiApplication::clipboard()->setText(m_command->text()); });
  connect(m_role, &QComboBox::currentIndexChanged, this, &ConsoleKeyDialog::updateCommand);
  connect(m_stateDir, &QLineEdit::textChanged, this, &ConsoleKeyDialog::updateCommand);
  connect(m_close, &QPushButton::clicked, this, &QDialog::accept);
  retranslateUi();
  updateCommand();
}

QString ConsoleKeyDialog::command() const {
  return m_command->text();
}

void ConsoleKeyDialog::updateCommand() {
  if (!m_identity) return;
  m_command->setText(m_identity->authorizeCommand(m_role->currentText(), m_stateDir->text()));
  m_command->setCursorPosition(0);
}

void ConsoleKeyDialog::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslateUi();
  QDialog::changeEvent(event);
}

void ConsoleKeyDialog::retranslateUi() {
  setWindowTitle(tr("Console key"));
  m_intro->setText(
      tr("A node lets this console in only after its administrator has authorised "
         "the console's public key. Run this on the node:"));
  m_keyLabel->setText(tr("Public key:"));
  m_copyKey->setText(tr("&Copy"));
  m_fingerprintLabel->setText(tr("Fingerprint:"));
  m_roleLabel->setText(tr("Role:"));
  m_stateLabel->setText(tr("Node state folder:"));
  m_stateDir->setToolTip(tr("The --state folder the node runs with"));
  m_commandLabel->setText(tr("Command:"));
  m_copyCommand->setText(tr("Copy co&mmand"));
  m_close->setText(tr("Close"));
  if (m_identity) {
    m_fileLabel->setText(tr("The key pair is stored in %1 (keep it private).")
                             .arg(QDir::toNativeSeparators(m_identity->keyFile())));
  }
}

}  // namespace netlens::app::views
