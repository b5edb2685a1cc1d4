// SPDX-License-Identifier: MIT
#include "app/views/save_audio_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QRadioButton>
#include <QVBoxLayout>

namespace netlens::app::views {

SaveAudioDialog::SaveAudioDialog(bool isCall, const QString& what, QWidget* parent)
    : QDialog(parent) {
  setObjectName(QStringLiteral("saveAudioDialog"));
  setWindowTitle(tr("Save audio"));
  auto* layout = new QVBoxLayout(this);
  auto* text = new QLabel(tr("Save the audio of %1 from the node's packet store. G.711 A-law "
                             "and µ-law, G.722 and G.729 are decoded; lost packets are silence.")
                              .arg(what),
                          this);
  text->setWordWrap(true);
  layout->addWidget(text);
  auto* form = new QFormLayout;
  m_format = new QComboBox(this);
  m_format->setObjectName(QStringLiteral("audioFormat"));
  m_format->addItem(tr("MP3 (compact)"));
  m_format->addItem(tr("WAV (16-bit PCM)"));
  form->addRow(tr("Format:"), m_format);
  if (isCall) {
    m_stereo =
        new QRadioButton(tr("One stereo file: caller → callee left, callee → caller right"), this);
    m_separate = new QRadioButton(tr("One file per RTP stream"), this);
    m_stereo->setChecked(true);
    form->addRow(tr("Channels:"), m_stereo);
    form->addRow(QString(), m_separate);
  }
  layout->addLayout(form);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);
}

bool SaveAudioDialog::isMp3() const {
  return m_format->currentIndex() == 0;
}

bool SaveAudioDialog::isSeparate() const {
  return m_separate && m_separate->isChecked();
}

}  // namespace netlens::app::views
