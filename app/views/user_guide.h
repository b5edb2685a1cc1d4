// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QUrl>

class QWidget;

namespace netlens::app::views {

/// The local user guide (README.md) at the section whose heading's anchor is `anchor`, or an
/// empty URL when it is not installed: beside the program, in a package's doc folder
/// (../share/doc/netlens), or in a build tree.
QUrl userGuideUrl(const QString& anchor);

/// Opens the user guide at `anchor` in the desktop's viewer; when there is none, says where
/// to read section `sectionTitle` instead. Thread: GUI thread.
void openUserGuide(QWidget* parent, const QString& anchor, const QString& sectionTitle);

}  // namespace netlens::app::views
