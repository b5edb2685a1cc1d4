// SPDX-License-Identifier: MIT
#include "app/views/user_guide.h"

#include <QCoreApplication>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QWidget>

namespace netlens::app::views {

QUrl userGuideUrl(const QString& anchor) {
  const QDir dir(QCoreApplication::applicationDirPath());
  for (const QString& candidate :
       {QStringLiteral("README.md"), QStringLiteral("../README.md"),
        QStringLiteral("../../README.md"), QStringLiteral("../share/doc/netlens/README.md"),
        QStringLiteral("../share/doc/netlens-console/README.md")}) {
    QFileInfo file(dir.filePath(candidate));
    if (!file.isFile()) continue;
    QUrl url = QUrl::fromLocalFile(file.canonicalFilePath());
    url.setFragment(anchor);
    return url;
  }
  return {};
}

void openUserGuide(QWidget* parent, const QString& anchor, const QString& sectionTitle) {
  const QUrl url = userGuideUrl(anchor);
  if (url.isEmpty() || !QDesktopServices::openUrl(url)) {
    QMessageBox::information(
        parent, QCoreApplication::translate("UserGuide", "Help"),
        QCoreApplication::translate("UserGuide",
                                    "The user guide (README.md) is not installed beside the "
                                    "program. See the section \"%1\" of the project's README.")
            .arg(sectionTitle));
  }
}

}  // namespace netlens::app::views
