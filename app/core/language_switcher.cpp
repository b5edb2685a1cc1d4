// SPDX-License-Identifier: MIT
#include "app/core/language_switcher.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

namespace netlens::app::core {
namespace {
const QString kSettingKey = QStringLiteral("ui/language");
}

LanguageSwitcher::LanguageSwitcher(QObject* parent)
    : QObject(parent), m_app(new QTranslator(this)), m_qt(new QTranslator(this)) {}

LanguageSwitcher::~LanguageSwitcher() {
  QCoreApplication::removeTranslator(m_app);
  QCoreApplication::removeTranslator(m_qt);
}

QStringList LanguageSwitcher::availableLanguages() {
  return {QStringLiteral("en"), QStringLiteral("de")};
}

QString LanguageSwitcher::savedLanguage() {
  return QSettings().value(kSettingKey).toString();
}

void LanguageSwitcher::apply(const QString& code, bool save) {
  m_choice = code;
  if (save) QSettings().setValue(kSettingKey, code);
  QCoreApplication::removeTranslator(m_app);
  QCoreApplication::removeTranslator(m_qt);

  QLocale locale = code.isEmpty() ? QLocale::system() : QLocale(code);
  QLocale::setDefault(locale);
  m_effective = QStringLiteral("en");
  // English is the source language: no file, the strings in the code are it.
  if (locale.language() == QLocale::English || locale.language() == QLocale::C) {
    QEvent event(QEvent::LanguageChange);
    QCoreApplication::sendEvent(QCoreApplication::instance(), &event);
    return;
  }
  if (m_app->load(locale, QStringLiteral("netlens"), QStringLiteral("_"),
                  QStringLiteral(":/i18n"))) {
    QCoreApplication::installTranslator(m_app);
    m_effective = m_app->language();
    if (m_qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                   QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
      QCoreApplication::installTranslator(m_qt);
  }
}

}  // namespace netlens::app::core
