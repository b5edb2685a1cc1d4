// SPDX-License-Identifier: MIT
// Offscreen smoke test of the console window: it builds with its docks, exports the
// filtered and sorted IP table as the expected CSV, shows the console key and the
// authorize command, validates pasted connection strings, and lists added nodes with a
// state (an unreachable one ends up "Unreachable"); the filter box takes typed expressions
// and shows why one does not parse, in the current language, right under the box.

#include <QAction>
#include <QChart>
#include <QChartView>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QScopeGuard>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include "app/core/console_identity.h"
#include "app/core/language_switcher.h"
#include "app/core/node_manager.h"
#include "app/models/host_filter_proxy.h"
#include "app/models/host_table_model.h"
#include "app/views/add_node_dialog.h"
#include "app/views/console_key_dialog.h"
#include "app/views/history_chart.h"
#include "app/views/main_window.h"
#include "app/views/nodes_panel.h"
#include "app/views/trend_delegate.h"

using namespace netlens::app;
using netlens::protocol::HostRecord;
using netlens::protocol::HostsSnapshot;

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kT0 = 1'700'000'000 * kSecond;

HostRecord host(const char* address, std::uint64_t txPackets, std::uint64_t txBytes,
                std::uint64_t rxPackets, std::uint64_t rxBytes) {
  HostRecord r;
  r.ip = *netlens::net::IpAddress::parse(address);
  r.txPackets = txPackets;
  r.txBytes = txBytes;
  r.rxPackets = rxPackets;
  r.rxBytes = rxBytes;
  r.tcpPackets = txPackets;
  r.udpPackets = rxPackets;
  r.firstSeen = kT0;
  r.firstRecent = kT0 + 500'000'000;
  r.lastSeen = kT0 + 2 * kSecond;
  r.packetsPerSecond = 1.5;
  r.bitsPerSecond = 8000;
  return r;
}

QString connectionStringFor(std::uint16_t port) {
  auto keys = netlens::transport::generateKeyPair();
  return QStringLiteral("netlens://127.0.0.1:%1?key=%2")
      .arg(port)
      .arg(QString::fromStdString(keys->publicKey));
}

}  // namespace

class TestMainWindow : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("NetlensTest");
    QCoreApplication::setApplicationName("netlens-gui-test");
    QSettings().clear();
    QVERIFY(m_dir.isValid());
    m_identity = std::make_unique<core::ConsoleIdentity>(m_dir.filePath("console.key"));
    QString error;
    QVERIFY2(m_identity->load(&error), qPrintable(error));
    m_nodes = std::make_unique<core::NodeManager>(m_identity->keyPair());
  }

  void cleanupTestCase() {
    m_nodes.reset();
    QSettings().clear();
  }

  void windowBuildsWithDocks() {
    views::MainWindow window(m_nodes.get(), m_identity.get());
    window.resize(1200, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* nodesDock = window.findChild<QDockWidget*>("nodesDock");
    auto* globalDock = window.findChild<QDockWidget*>("globalStatsDock");
    QVERIFY(nodesDock);
    QVERIFY(globalDock);
    QVERIFY(nodesDock->isVisible());
    QVERIFY(globalDock->isVisible());
    QCOMPARE(nodesDock->windowTitle(), QString("Nodes"));
    QCOMPARE(window.centralWidget()->findChild<QTableView*>("hostTable"), window.hostView());
    QVERIFY(window.findChild<views::NodesPanel*>());
    QVERIFY(QFile::exists(":/icons/netlens-256.png"));
    // Combined counters: totals shown, sent/received hidden.
    QVERIFY(!window.hostView()->isColumnHidden(models::HostTableModel::Bytes));
    QVERIFY(window.hostView()->isColumnHidden(models::HostTableModel::TxBytes));

    // Separate counters through the View menu's action: sent/received replace the totals,
    // and the sort moves from Bytes to Sent bytes.
    window.hostView()->sortByColumn(models::HostTableModel::Bytes, Qt::DescendingOrder);
    QAction* separate = nullptr;
    for (QAction* action : window.findChildren<QAction*>()) {
      if (action->text().remove('&') == "Sent/received separately") separate = action;
    }
    QVERIFY(separate);
    separate->trigger();
    QVERIFY(window.hostView()->isColumnHidden(models::HostTableModel::Bytes));
    QVERIFY(!window.hostView()->isColumnHidden(models::HostTableModel::RxBytes));
    QCOMPARE(window.hostView()->horizontalHeader()->sortIndicatorSection(),
             int(models::HostTableModel::TxBytes));
    separate->trigger();
    QVERIFY(!window.hostView()->isColumnHidden(models::HostTableModel::Bytes));
  }

  /// The IP table's column chooser: choices survive the window, counter-mode columns keep
  /// following the mode, the address cannot go.
  void columnChooserRemembersColumns() {
    using Model = models::HostTableModel;
    const auto forget = qScopeGuard([] { QSettings().remove("ui/hostColumns"); });
    {
      views::MainWindow window(m_nodes.get(), m_identity.get());
      QTableView* table = window.hostView();
      QVERIFY(table->isColumnHidden(Model::TcpPayloadBytes));
      QVERIFY(!table->isColumnHidden(Model::TcpRetransPackets));
      QVERIFY(!table->isColumnHidden(Model::Trend));
      QVERIFY(dynamic_cast<views::TrendDelegate*>(table->itemDelegateForColumn(Model::Trend)));
      window.setHostColumnWanted(Model::Names, false);
      window.setHostColumnWanted(Model::TcpPayloadBytes, true);
      window.setHostColumnWanted(Model::TxBytes, true);  // the other counter mode's
      window.setHostColumnWanted(Model::Address, false);
      QVERIFY(table->isColumnHidden(Model::Names));
      QVERIFY(!table->isColumnHidden(Model::TcpPayloadBytes));
      QVERIFY(table->isColumnHidden(Model::TxBytes));
      QVERIFY(!table->isColumnHidden(Model::Address));
    }
    views::MainWindow again(m_nodes.get(), m_identity.get());
    QVERIFY(again.hostView()->isColumnHidden(Model::Names));
    QVERIFY(!again.hostView()->isColumnHidden(Model::TcpPayloadBytes));
    // NETLENS_SCREENSHOT=FILE.png keeps a picture of the table with trends (for a look by eye).
    if (const QString shot = qEnvironmentVariable("NETLENS_SCREENSHOT"); !shot.isEmpty()) {
      again.resize(1400, 500);
      again.show();
      for (int second = 0; second < Model::kTrendSamples; ++second) {
        std::vector<HostRecord> hosts;
        for (int i = 0; i < 6; ++i) {
          HostRecord r =
              host(qPrintable(QString("10.0.0.%1").arg(i + 1)), 100 + i, 100'000, 50, 5'000);
          r.tcpRetransPackets = static_cast<std::uint64_t>(i);
          r.tcpPayloadBytes = 90'000u * static_cast<std::uint64_t>(i + 1);
          r.bitsPerSecond = 1e6 * (1 + ((second * (i + 1)) % 17)) * (i % 3 == 0 ? 1 : 2);
          hosts.push_back(r);
        }
        again.hostModel()->applySnapshot("n1", HostsSnapshot{1, hosts});
        again.hostModel()->sampleTrends();
      }
      QScrollBar* across = again.hostView()->horizontalScrollBar();
      across->setValue(across->maximum());
      QVERIFY(again.grab().save(shot));
    }
    again.setHostColumnWanted(Model::Names, true);
    again.setHostColumnWanted(Model::TcpPayloadBytes, false);
    QVERIFY(!again.hostView()->isColumnHidden(Model::Names));
  }

  void exportsFilteredSortedCsv() {
    views::MainWindow window(m_nodes.get(), m_identity.get());
    models::HostTableModel* model = window.hostModel();
    model->setTrendInterval(0);  // the Trend column stays empty: no sample is taken
    model->setNodeName("n1", "alpha");
    model->setNodeName("n2", "beta");
    HostRecord withMac = host("10.0.0.2", 10, 9'000, 5, 1'000);
    withMac.macs = {*netlens::net::MacAddress::parse("00:11:22:33:44:55"),
                    *netlens::net::MacAddress::parse("66:77:88:99:aa:bb")};
    withMac.vlans = {100};
    withMac.group = "lab";
    withMac.country = "SE";
    withMac.macVendors = {"Vendor A", "Vendor B"};
    model->applySnapshot("n1", HostsSnapshot{1,
                                             {withMac, host("10.0.0.10", 1, 10, 0, 0),
                                              host("192.168.7.7", 3, 300, 3, 300)}});
    model->applySnapshot("n2", HostsSnapshot{1, {host("10.0.0.10", 2, 20, 0, 0)}});
    window.hostProxy()->setFilterText("10.0.0");
    window.hostView()->sortByColumn(models::HostTableModel::Bytes, Qt::AscendingOrder);

    QSignalSpy finished(&window, &views::MainWindow::csvExportFinished);
    const QString file = m_dir.filePath("hosts.csv");
    QVERIFY(window.exportCsv(file));
    QVERIFY(finished.wait(10'000));
    QCOMPARE(finished.at(0).at(0).toBool(), true);

    QFile csv(file);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QByteArray expected =
        "IP address,Nodes,Packets,Bytes,TCP packets,UDP packets,Packets/s,Bits/s,First seen,"
        "First recent,Last seen,MAC addresses,VLANs,Names,Group,Country,NIC vendors,"
        "TCP retransmissions,Trend\r\n"
        "10.0.0.10,\"alpha, beta\",3,30,3,0,3.0,16000,2023-11-14T22:13:20.000Z,"
        "2023-11-14T22:13:20.500Z,2023-11-14T22:13:22.000Z,,,,,,,0,\r\n"
        "10.0.0.2,alpha,15,10000,10,5,1.5,8000,2023-11-14T22:13:20.000Z,"
        "2023-11-14T22:13:20.500Z,2023-11-14T22:13:22.000Z,00:11:22:33:44:55 66:77:88:99:aa:bb,"
        "100,,lab,SE,Vendor A; Vendor B,0,\r\n";
    QCOMPARE(csv.readAll(), expected);

    // Columns the user moved are written in their visual order.
    window.hostView()->horizontalHeader()->moveSection(models::HostTableModel::Bytes, 0);
    QCOMPARE(window.visibleColumns().at(0), int(models::HostTableModel::Bytes));
    QCOMPARE(window.visibleColumns().at(1), int(models::HostTableModel::Address));
  }

  void filterBoxTakesExpressions() {
    views::MainWindow window(m_nodes.get(), m_identity.get());
    window.resize(1200, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    models::HostTableModel* model = window.hostModel();
    models::HostFilterProxy* proxy = window.hostProxy();
    model->setNodeName("n1", "alpha");
    model->applySnapshot(
        "n1", HostsSnapshot{1,
                            {host("10.0.0.2", 10, 9'000, 5, 1'000), host("10.0.0.10", 1, 10, 0, 0),
                             host("192.168.7.7", 3, 300, 3, 300)}});
    auto* box = window.findChild<QLineEdit*>("hostFilter");
    auto* error = window.findChild<QLabel*>("hostFilterError");
    QVERIFY(box);
    QVERIFY(error);
    QVERIFY(error->isHidden());
    QCOMPARE(proxy->rowCount(), 3);

    // Typed key by key, as a user would: the filter follows once typing pauses.
    QTest::keyClicks(box, "(bytes > 500 and ip in 10.0.0.0/8)");
    QTRY_COMPARE(proxy->rowCount(), 1);
    QCOMPARE(proxy->index(0, models::HostTableModel::Address).data().toString(),
             QString("10.0.0.2"));
    QVERIFY(error->isHidden());
    // Rows that arrive later are filtered by the expression too.
    model->applySnapshot("n2", HostsSnapshot{1, {host("10.9.9.9", 1, 1'000, 0, 0)}});
    QCOMPARE(proxy->rowCount(), 2);

    // One character less does not parse: the error shows under the box, in red, and the
    // table keeps the last filter that did parse.
    QTest::keyClick(box, Qt::Key_Backspace);
    QTRY_VERIFY(error->isVisible());
    QCOMPARE(error->text(), QString("unbalanced '(' at 1"));
    QCOMPARE(proxy->rowCount(), 2);
    QCOMPARE(error->palette().color(QPalette::WindowText), QColor(0xd3, 0x2f, 0x2f));
    const QRect boxRect(box->mapTo(&window, QPoint(0, 0)), box->size());
    const QRect errorRect(error->mapTo(&window, QPoint(0, 0)), error->size());
    QVERIFY(errorRect.top() >= boxRect.bottom());
    QCOMPARE(errorRect.left(), boxRect.left());
    // For documentation: NETLENS_SCREENSHOT_DIR=... keeps a picture of the error.
    if (const QString dir = qEnvironmentVariable("NETLENS_SCREENSHOT_DIR"); !dir.isEmpty())
      QVERIFY(window.grab().save(QDir(dir).filePath("filter_error.png")));

    // Another mistake, another message; a fix hides it and applies the new filter.
    box->setText("(bytes > 5x)");
    QTRY_COMPARE(error->text(),
                 QString("unknown unit 'x' at 11 (use k, M, G, T or Ki, Mi, Gi, Ti)"));
    box->setText("(bytes > 0.5k)");
    QTRY_VERIFY(error->isHidden());
    QCOMPARE(proxy->rowCount(), 3);

    // Plain text is still a substring of address, MAC or node name.
    box->setText("192.168");
    QTRY_COMPARE(proxy->rowCount(), 1);
    QVERIFY(error->isHidden());

    // The message follows the language, also for an error already shown.
    box->setText("(byts > 1)");
    QTRY_VERIFY(error->isVisible());
    QVERIFY(error->text().startsWith("unknown column 'byts' at 2; did you mean 'bytes'?"));
    core::LanguageSwitcher language;
    language.apply("de");
    QTRY_VERIFY(
        error->text().startsWith("unbekannte Spalte 'byts' an Position 2; meinten Sie 'bytes'?"));
    box->setText("(bytes >");
    QTRY_COMPARE(error->text(), QString("nach '>' fehlt ein Wert an Position 9"));
    language.apply("en");
    QTRY_COMPARE(error->text(), QString("expected a value after '>' at 9"));
    box->clear();
    QTRY_VERIFY(error->isHidden());
    QCOMPARE(proxy->rowCount(), 4);
  }

  void switchesLanguageAtRunTime() {
    QVERIFY(QFile::exists(":/i18n/netlens_de.qm"));
    core::LanguageSwitcher language;
    views::MainWindow window(m_nodes.get(), m_identity.get(), &language);
    auto* nodesDock = window.findChild<QDockWidget*>("nodesDock");
    auto* model = window.hostModel();
    QCOMPARE(model->headerData(models::HostTableModel::Address, Qt::Horizontal).toString(),
             QString("IP address"));
    language.apply("de");
    QCOMPARE(language.effectiveLanguage(), QString("de_DE"));
    QTRY_COMPARE(nodesDock->windowTitle(), QString("Knoten"));
    QCOMPARE(model->headerData(models::HostTableModel::Address, Qt::Horizontal).toString(),
             QString("IP-Adresse"));
    QCOMPARE(window.findChild<QDockWidget*>("globalStatsDock")->windowTitle(),
             QString("Globale Statistik"));
    // Chart titles and line names follow too.
    QCOMPARE(window.globalHistory()->chartView(2)->chart()->title(), QString("Durchsatz"));
    QCOMPARE(window.globalHistory()->lineSeries(2, 0)->name(), QString("Alle"));
    language.apply("en");
    QTRY_COMPARE(nodesDock->windowTitle(), QString("Nodes"));
    QCOMPARE(window.globalHistory()->chartView(2)->chart()->title(), QString("Throughput"));
    QCOMPARE(model->headerData(models::HostTableModel::Address, Qt::Horizontal).toString(),
             QString("IP address"));
  }

  void consoleKeyDialogShowsCommand() {
    views::ConsoleKeyDialog dialog(m_identity.get());
    const QString command = dialog.command();
    const QString key = "'" + m_identity->publicKey() + "'";
    const bool dash = m_identity->publicKey().startsWith('-');
    QCOMPARE(command,
             dash ? "netlens-node authorize --role viewer --state <node state dir> -- " + key
                  : "netlens-node authorize " + key + " --role viewer --state <node state dir>");
    QCOMPARE(
        m_identity->authorizeCommand("admin", "/srv/netlens state"),
        dash ? "netlens-node authorize --role admin --state \"/srv/netlens state\" -- " + key
             : "netlens-node authorize " + key + " --role admin --state \"/srv/netlens state\"");
    // For documentation: NETLENS_SCREENSHOT_DIR=... keeps a picture of the dialog.
    if (const QString dir = qEnvironmentVariable("NETLENS_SCREENSHOT_DIR"); !dir.isEmpty()) {
      dialog.show();
      QVERIFY(QTest::qWaitForWindowExposed(&dialog));
      QVERIFY(dialog.grab().save(QDir(dir).filePath("console_key_dialog.png")));
    }
    auto edits = dialog.findChildren<QLineEdit*>();
    QVERIFY(std::any_of(edits.begin(), edits.end(),
                        [&](QLineEdit* e) { return e->text() == m_identity->publicKey(); }));
  }

  void authorizeCommandEndsOptionsBeforeDashKey() {
    // One Z85 key in 85 starts with '-': the node must not take it for an option.
    netlens::transport::KeyPair keys;
    for (int i = 0; i < 5000 && keys.publicKey.rfind('-', 0) != 0; ++i)
      keys = *netlens::transport::generateKeyPair();
    QVERIFY(keys.publicKey.rfind('-', 0) == 0);
    const QString file = m_dir.filePath("dash.key");
    QVERIFY(netlens::transport::saveKeyPair(core::ConsoleIdentity::toFsPath(file), keys).ok());
    core::ConsoleIdentity identity(file);
    QVERIFY(identity.load());
    QCOMPARE(identity.authorizeCommand("viewer", "/var/lib/netlens"),
             "netlens-node authorize --role viewer --state /var/lib/netlens -- '" +
                 QString::fromStdString(keys.publicKey) + "'");
  }

  void addNodeDialogValidates() {
    views::AddNodeDialog dialog;
    auto* edit = dialog.findChild<QLineEdit*>();
    QPushButton* ok = nullptr;
    for (auto* button : dialog.findChildren<QPushButton*>()) {
      if (button->text().remove('&') == "OK") ok = button;
    }
    QVERIFY(edit);
    QVERIFY(ok);
    QVERIFY(!ok->isEnabled());
    edit->setText("netlens://host-without-port?key=abc");
    QVERIFY(!ok->isEnabled());
    edit->setText("  " + connectionStringFor(1) + " ");
    QVERIFY(ok->isEnabled());
  }

  void nodesPanelListsNodesWithState() {
    views::MainWindow window(m_nodes.get(), m_identity.get());
    auto* tree = window.findChild<views::NodesPanel*>()->tree();
    const int before = tree->topLevelItemCount();
    // Port 9 (discard) on loopback: nothing listens, so the node is unreachable.
    QString error;
    const QString id = m_nodes->addNode(connectionStringFor(9), true, &error);
    QVERIFY2(!id.isEmpty(), qPrintable(error));
    QCOMPARE(tree->topLevelItemCount(), before + 1);
    QVERIFY(m_nodes->addNode(connectionStringFor(9), true, &error).isEmpty());
    QVERIFY(error.contains("already"));
    QTRY_COMPARE_WITH_TIMEOUT(m_nodes->node(id)->state, core::NodeState::Unreachable, 15'000);
    QVERIFY(!m_nodes->node(id)->reason.isEmpty());
    // Saved for the next start.
    QCOMPARE(QSettings().beginReadArray("nodes"), 1);
    m_nodes->removeNode(id);
    QCOMPARE(tree->topLevelItemCount(), before);
  }

 private:
  QTemporaryDir m_dir;
  std::unique_ptr<core::ConsoleIdentity> m_identity;
  std::unique_ptr<core::NodeManager> m_nodes;
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
