// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace netlens::app::core {
class ConsoleIdentity;
}

namespace netlens::app::views {

/// Shows the console's public key and fingerprint with Copy buttons, and the exact
/// `netlens-node authorize <KEY> --role viewer --state <node state dir>` line a node's
/// administrator runs to let this console in (role and state folder editable).
///
/// Thread: GUI thread. Does not own `identity`.
class ConsoleKeyDialog : public QDialog {
  Q_OBJECT

 public:
  explicit ConsoleKeyDialog(const core::ConsoleIdentity* identity, QWidget* parent = nullptr);

  /// The command as currently shown.
  QString command() const;

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void updateCommand();
  void retranslateUi();

  const core::ConsoleIdentity* m_identity;
  QLabel* m_intro = nullptr;
  QLabel* m_keyLabel = nullptr;
  QLineEdit* m_key = nullptr;
  QPushButton* m_copyKey = nullptr;
  QLabel* m_fingerprintLabel = nullptr;
  QLabel* m_fingerprint = nullptr;
  QLabel* m_roleLabel = nullptr;
  QComboBox* m_role = nullptr;
  QLabel* m_stateLabel = nullptr;
  QLineEdit* m_stateDir = nullptr;
  QLabel* m_commandLabel = nullptr;
  QLineEdit* m_command = nullptr;
  QPushButton* m_copyCommand = nullptr;
  QLabel* m_fileLabel = nullptr;
  QPushButton* m_close = nullptr;
};

}  // namespace netlens::app::views
