// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

class QComboBox;
class QRadioButton;
class QLabel;

namespace netlens::app::views {

/// Save audio…: MP3 or WAV and, for a call, a stereo file (caller left, callee right) or one
/// file per stream. The file name is asked for afterwards (VoipView).
/// Thread: GUI thread.
class SaveAudioDialog : public QDialog {
  Q_OBJECT

 public:
  /// `isCall`: offer stereo or separate files; `what` names the call or stream in the text.
  SaveAudioDialog(bool isCall, const QString& what, QWidget* parent = nullptr);

  bool isMp3() const;
  bool isSeparate() const;
  /// "mp3" or "wav".
  QString extension() const { return isMp3() ? QStringLiteral("mp3") : QStringLiteral("wav"); }

 private:
  QComboBox* m_format = nullptr;
  QRadioButton* m_stereo = nullptr;
  QRadioButton* m_separate = nullptr;
};

}  // namespace netlens::app::views
