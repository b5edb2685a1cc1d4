// SPDX-License-Identifier: MIT
// netlens: the desktop console.

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QMessageBox>

#include <cstdio>

#include "app/core/console_identity.h"
#include "app/core/language_switcher.h"
#include "app/core/local_node.h"
#include "app/core/node_manager.h"
#include "app/views/group_detail_view.h"
#include "app/views/ip_detail_view.h"
#include "app/views/main_window.h"
#include "shared/net/ip_address.h"

namespace {

using namespace netlens::app;
namespace net = netlens::net;

struct Options {
  bool standalone = false;
  QString language;  ///< empty: the saved choice (or the system language)
  QString ip;        ///< --ip: an IP detail page to open at start
  QString ipTab;     ///< --ip-tab: its tab
  QString group;     ///< --group: an IP group detail page to open at start
  QString groupTab;  ///< --group-tab: its tab
};

/// Parses the command line without a QApplication: --help and --version must work without a
/// display. Returns an exit code when the program should stop here, -1 to go on.
int parseArguments(int argc, char** argv, Options& options) {
  QStringList arguments;
  for (int i = 0; i < argc; ++i) arguments << QString::fromLocal8Bit(argv[i]);

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral(
      "Netlens console: connects to Netlens capture nodes and shows their traffic figures."));
  QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                          QStringLiteral("Show this help and exit."));
  QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")},
                             QStringLiteral("Show the version and exit."));
  QCommandLineOption standalone(
      QStringLiteral("standalone"),
      QStringLiteral("Start a local demo node even when nodes are configured."));
  QCommandLineOption language(QStringLiteral("language"),
                              QStringLiteral("User interface language (en, de)."),
                              QStringLiteral("code"));
  QCommandLineOption openIp(QStringLiteral("ip"),
                            QStringLiteral("Open the detail page of this IP address at start."),
                            QStringLiteral("address"));
  QCommandLineOption ipTab(QStringLiteral("ip-tab"),
                           QStringLiteral("With --ip: the tab to show (%1).")
                               .arg(views::IpDetailView::tabNames().join(QStringLiteral(", "))),
                           QStringLiteral("tab"));
  QCommandLineOption openGroup(QStringLiteral("group"),
                               QStringLiteral("Open the detail page of this IP group at start."),
                               QStringLiteral("name"));
  QCommandLineOption groupTab(
      QStringLiteral("group-tab"),
      QStringLiteral("With --group: the tab to show (%1).")
          .arg(views::GroupDetailView::tabNames().join(QStringLiteral(", "))),
      QStringLiteral("tab"));
  parser.addOptions({help, version, standalone, language, openIp, ipTab, openGroup, groupTab});
  // Qt's own options (-platform, -style, ...) are left for QApplication.
  parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
  parser.parse(arguments);

  if (parser.isSet(help)) {
    QString text = parser.helpText();
    text.replace(QLatin1String("<executable_name>"),
                 QFileInfo(arguments.value(0, QStringLiteral("netlens"))).fileName());
    std::fputs(qPrintable(text), stdout);
    return 0;
  }
  if (parser.isSet(version)) {
    std::printf("netlens %s\n", NETLENS_VERSION);
    return 0;
  }
  options.standalone = parser.isSet(standalone);
  options.language = parser.value(language);
  options.ip = parser.value(openIp);
  options.ipTab = parser.value(ipTab);
  if (!options.ip.isEmpty() && !net::IpAddress::parse(options.ip.trimmed().toStdString())) {
    std::fprintf(stderr, "netlens: --ip %s is not an IPv4 or IPv6 address (e.g. --ip 10.0.0.1)\n",
                 qPrintable(options.ip));
    return 2;
  }
  if (!options.ipTab.isEmpty() && !views::IpDetailView::tabNames().contains(options.ipTab)) {
    std::fprintf(stderr, "netlens: --ip-tab %s is not a tab; use one of %s\n",
                 qPrintable(options.ipTab),
                 qPrintable(views::IpDetailView::tabNames().join(QStringLiteral(", "))));
    return 2;
  }
  if (!options.ipTab.isEmpty() && options.ip.isEmpty()) {
    std::fputs("netlens: --ip-tab goes with --ip ADDRESS\n", stderr);
    return 2;
  }
  options.group = parser.value(openGroup);
  options.groupTab = parser.value(groupTab);
  if (!options.groupTab.isEmpty() &&
      !views::GroupDetailView::tabNames().contains(options.groupTab)) {
    std::fprintf(stderr, "netlens: --group-tab %s is not a tab; use one of %s\n",
                 qPrintable(options.groupTab),
                 qPrintable(views::GroupDetailView::tabNames().join(QStringLiteral(", "))));
    return 2;
  }
  if (!options.groupTab.isEmpty() && options.group.isEmpty()) {
    std::fputs("netlens: --group-tab goes with --group NAME\n", stderr);
    return 2;
  }
  if (!options.group.isEmpty() && !options.ip.isEmpty()) {
    std::fputs("netlens: give --ip or --group, not both\n", stderr);
    return 2;
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication::setOrganizationName(QStringLiteral("Netlens"));
  QCoreApplication::setApplicationName(QStringLiteral("netlens"));
  QCoreApplication::setApplicationVersion(QStringLiteral(NETLENS_VERSION));

  Options options;
  if (int code = parseArguments(argc, argv, options); code >= 0) return code;

  QApplication app(argc, argv);
  QApplication::setApplicationDisplayName(QStringLiteral("Netlens"));
  QGuiApplication::setDesktopFileName(QStringLiteral("netlens"));  // installer/netlens.desktop

  core::LanguageSwitcher language;
  language.apply(options.language.isEmpty() ? core::LanguageSwitcher::savedLanguage()
                                            : options.language);

  core::ConsoleIdentity identity;
  QString error;
  if (!identity.load(&error)) {
    QMessageBox::critical(nullptr, QObject::tr("Netlens"),
                          QObject::tr("The console key cannot be used: %1").arg(error));
    return 1;
  }

  core::NodeManager nodes(identity.keyPair());
  nodes.loadSettings();
  views::MainWindow window(&nodes, &identity, &language);
  window.show();
  if (!options.ip.isEmpty()) {
    if (views::IpDetailView* detail = window.openIpDetail(options.ip);
        detail && !options.ipTab.isEmpty())
      detail->showTab(options.ipTab);
  }
  if (!options.group.isEmpty()) {
    if (views::GroupDetailView* detail = window.openGroupDetail(options.group);
        detail && !options.groupTab.isEmpty())
      detail->showTab(options.groupTab);
  }

  // Standalone mode: with nothing to connect to, a local node replays demo traffic.
  std::unique_ptr<core::LocalNode> localNode;
  if (options.standalone || nodes.isEmpty()) {
    localNode = std::make_unique<core::LocalNode>(identity.publicKey());
    QObject::connect(localNode.get(), &core::LocalNode::ready, &nodes,
                     [&nodes, &window](const QString& connectionString) {
                       QString problem;
                       if (nodes.addNode(connectionString, false, &problem).isEmpty())
                         window.showStandaloneProblem(problem);
                     });
    QObject::connect(localNode.get(), &core::LocalNode::failed, &window,
                     &views::MainWindow::showStandaloneProblem);
    localNode->start();
  }

  int code = app.exec();
  if (localNode) localNode->stop();
  return code;
}
