// SPDX-License-Identifier: MIT
#include "app/views/table_panel.h"

#include <QAction>
#include <QColor>
#include <QDateTime>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPalette>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <vector>

#include "app/models/table_filter_proxy.h"

namespace netlens::app::views {
namespace {

constexpr int kFilterDelayMs = 200;
constexpr int kCountDelayMs = 250;
/// The width a column gets when it is shown again after having been squeezed to nothing.
constexpr int kShownColumnWidth = 95;

}  // namespace

TablePanel::TablePanel(models::TableFilterProxy* proxy, const QString& objectPrefix,
                       const QList<QWidget*>& barWidgets, QWidget* parent)
    : QWidget(parent), m_proxy(proxy) {
  m_table = new QTableView(this);
  m_table->setObjectName(objectPrefix + QStringLiteral("Table"));
  m_table->setModel(m_proxy);
  m_table->setSortingEnabled(true);
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setAlternatingRowColors(true);
  m_table->setWordWrap(false);
  m_table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
  // Uniform row heights: the view never measures rows, which keeps 10^5+ rows smooth.
  QHeaderView* rows = m_table->verticalHeader();
  rows->setSectionResizeMode(QHeaderView::Fixed);
  rows->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
  rows->hide();
  QHeaderView* header = m_table->horizontalHeader();
  header->setSectionsMovable(true);
  header->setHighlightSections(false);
  header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);

  m_filterLabel = new QLabel(this);
  m_filter = new QLineEdit(this);
  m_filter->setObjectName(objectPrefix + QStringLiteral("Filter"));
  m_filter->setClearButtonEnabled(true);
  m_filter->setMinimumWidth(220);
  m_filterLabel->setBuddy(m_filter);
  m_filterDelay = new QTimer(this);
  m_filterDelay->setSingleShot(true);
  m_filterDelay->setInterval(kFilterDelayMs);
  connect(m_filter, &QLineEdit::textChanged, m_filterDelay, qOverload<>(&QTimer::start));
  connect(m_filterDelay, &QTimer::timeout, this,
          [this] { m_proxy->setFilterText(m_filter->text()); });
  m_filterError = new QLabel(this);
  m_filterError->setObjectName(objectPrefix + QStringLiteral("FilterError"));
  m_filterError->setTextFormat(Qt::PlainText);
  m_filterError->setWordWrap(true);
  m_filterError->setTextInteractionFlags(Qt::TextSelectableByMouse);
  QPalette errorPalette = m_filterError->palette();
  // A red that stays readable on light and dark window backgrounds.
  errorPalette.setColor(QPalette::WindowText, QColor(0xd3, 0x2f, 0x2f));
  m_filterError->setPalette(errorPalette);
  m_filterError->hide();
  connect(m_proxy, &models::TableFilterProxy::filterErrorChanged, this,
          [this](const QString& message) {
            m_filterError->setText(message);
            m_filterError->setVisible(!message.isEmpty());
          });
  m_rowsLabel = new QLabel(this);

  // A grid, so that the parse error sits right under the filter box.
  auto* bar = new QGridLayout;
  bar->setVerticalSpacing(1);
  bar->addWidget(m_filterLabel, 0, 0);
  bar->addWidget(m_filter, 0, 1);
  int column = 2;
  for (QWidget* widget : barWidgets) bar->addWidget(widget, 0, column++);
  bar->addWidget(m_rowsLabel, 0, column);
  bar->addWidget(m_filterError, 1, 1, 1, column);
  bar->setColumnStretch(1, 1);
  m_layout = new QVBoxLayout(this);
  m_layout->setContentsMargins(4, 4, 4, 0);
  m_layout->addLayout(bar);
  m_layout->addWidget(m_table, 1);

  m_countDelay = new QTimer(this);
  m_countDelay->setSingleShot(true);
  m_countDelay->setInterval(kCountDelayMs);
  connect(m_countDelay, &QTimer::timeout, this, &TablePanel::countsChanged);
  connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &TablePanel::scheduleCountUpdate);
  connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &TablePanel::scheduleCountUpdate);
  connect(m_proxy, &QAbstractItemModel::modelReset, this, &TablePanel::scheduleCountUpdate);
  connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &TablePanel::scheduleCountUpdate);
  retranslateUi();
}

TablePanel::~TablePanel() {
  saveHeader();
}

void TablePanel::addBelowTable(QWidget* widget) {
  m_layout->addWidget(widget);
}

void TablePanel::scheduleCountUpdate() {
  if (!m_countDelay->isActive()) m_countDelay->start();
}

void TablePanel::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslateUi();
  QWidget::changeEvent(event);
}

void TablePanel::retranslateUi() {
  m_filterLabel->setText(tr("&Filter:"));
  if (!m_settingsKey.isEmpty())
    m_table->horizontalHeader()->setToolTip(tr("Right-click to choose the columns"));
}

void TablePanel::enableColumnChooser(const QString& settingsKey) {
  m_settingsKey = settingsKey;
  QHeaderView* header = m_table->horizontalHeader();
  const QSettings settings;
  const QByteArray state = settings.value(m_settingsKey).toByteArray();
  // restoreState() shows the columns a state saved before they existed does not know: those
  // the owner hides at first stay hidden (the state's column count is saved beside it).
  std::vector<int> hiddenAtFirst;
  for (int column = 0; column < header->count(); ++column)
    if (header->isSectionHidden(column)) hiddenAtFirst.push_back(column);
  const int savedColumns = settings.value(m_settingsKey + QStringLiteral("Columns"), -1).toInt();
  if (header->restoreState(state) && savedColumns >= 0) {
    for (const int column : hiddenAtFirst)
      if (column >= savedColumns) header->setSectionHidden(column, true);
  }
  header->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(header, &QHeaderView::customContextMenuRequested, this, &TablePanel::showColumnMenu);
  connect(header, &QHeaderView::sectionMoved, this, &TablePanel::saveHeader);
  retranslateUi();
}

void TablePanel::saveHeader() const {
  if (m_settingsKey.isEmpty()) return;
  QSettings settings;
  settings.setValue(m_settingsKey, m_table->horizontalHeader()->saveState());
  settings.setValue(m_settingsKey + QStringLiteral("Columns"),
                    m_table->horizontalHeader()->count());
}

void TablePanel::showColumnMenu(const QPoint& position) {
  QMenu menu(this);
  QHeaderView* header = m_table->horizontalHeader();
  for (int visual = 0; visual < header->count(); ++visual) {
    const int column = header->logicalIndex(visual);
    QAction* action =
        menu.addAction(m_proxy->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString());
    action->setCheckable(true);
    action->setChecked(!header->isSectionHidden(column));
    connect(action, &QAction::toggled, this,
            [this, column](bool shown) { setColumnVisible(column, shown); });
  }
  menu.exec(header->viewport()->mapToGlobal(position));
}

void TablePanel::setColumnVisible(int column, bool visible) {
  // At least one column stays, or the header (and with it this menu) would be gone.
  if (!visible && visibleColumns().size() <= 1) return;
  m_table->setColumnHidden(column, !visible);
  if (visible && m_table->columnWidth(column) == 0)
    m_table->setColumnWidth(column, kShownColumnWidth);
  saveHeader();
}

std::vector<int> TablePanel::visibleColumns() const {
  std::vector<int> columns;
  const QHeaderView* header = m_table->horizontalHeader();
  for (int visual = 0; visual < header->count(); ++visual) {
    int logical = header->logicalIndex(visual);
    if (!header->isSectionHidden(logical)) columns.push_back(logical);
  }
  return columns;
}

void TablePanel::exportCsvInteractively(const QString& dialogTitle, const QString& baseName,
                                        const std::function<bool(const QString&)>& start) {
  QString folder = QSettings().value(QStringLiteral("ui/exportFolder")).toString();
  if (folder.isEmpty())
    folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
  QString suggested = QDir(folder).filePath(
      QStringLiteral("%1-%2.csv")
          .arg(baseName, QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
  QString fileName = QFileDialog::getSaveFileName(this, dialogTitle, suggested,
                                                  tr("CSV files (*.csv);;All files (*)"));
  if (fileName.isEmpty()) return;
  QSettings().setValue(QStringLiteral("ui/exportFolder"), QFileInfo(fileName).absolutePath());
  if (!start(fileName))
    QMessageBox::information(this, tr("Export"), tr("An export is still running."));
}

}  // namespace netlens::app::views
