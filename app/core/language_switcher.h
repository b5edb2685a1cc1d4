// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

class QTranslator;

namespace netlens::app::core {

/// Installs the console's translation (embedded .qm files under ":/i18n") and Qt's own for
/// a language code ("de", "en"), or for the system language when the code is empty. The
/// choice is kept in QSettings ("ui/language"). Installing a translator sends
/// QEvent::LanguageChange to every widget, which retranslates itself.
///
/// Thread: GUI thread. Owns its translators.
class LanguageSwitcher : public QObject {
  Q_OBJECT

 public:
  explicit LanguageSwitcher(QObject* parent = nullptr);
  ~LanguageSwitcher() override;

  /// Languages with a translation, English (the source language) first.
  static QStringList availableLanguages();
  /// The saved choice; empty means "system language".
  static QString savedLanguage();

  /// Applies `code` (empty: system) and, if `save`, remembers it.
  void apply(const QString& code, bool save = false);
  /// The language in effect ("en" when no translation matched).
  QString effectiveLanguage() const { return m_effective; }
  /// The code passed to apply() last (empty: system).
  QString choice() const { return m_choice; }

 private:
  QTranslator* m_app = nullptr;
  QTranslator* m_qt = nullptr;
  QString m_choice;
  QString m_effective = QStringLiteral("en");
};

}  // namespace netlens::app::core
