// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>
#include <QString>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace netlens::app::views {

/// Asks for a node's connection string (what `netlens-node connection-string` prints) and
/// checks it while it is typed or pasted: OK stays disabled and the reason is shown until
/// the string is valid.
///
/// Thread: GUI thread.
class AddNodeDialog : public QDialog {
  Q_OBJECT

 public:
  explicit AddNodeDialog(QWidget* parent = nullptr);

  QString connectionString() const;
  /// Shows an error found after OK (e.g. the node is already in the list).
  void setError(const QString& error);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void validate();
  void retranslateUi();

  QLabel* m_intro = nullptr;
  QLineEdit* m_edit = nullptr;
  QLabel* m_error = nullptr;
  QDialogButtonBox* m_buttons = nullptr;
};

}  // namespace netlens::app::views
