// SPDX-License-Identifier: MIT
#include "app/views/captures_view.h"

#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QStyleOptionButton>
#include <QStyleOptionProgressBar>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

#include <set>

#include "app/export/download_manager.h"
#include "app/export/pcap_download.h"
#include "app/models/download_table_model.h"

namespace netlens::app::views {
namespace {

using models::DownloadTableModel;

/// Draws the Progress column as a progress bar and the Action column as a push button.
class CapturesDelegate : public QStyledItemDelegate {
 public:
  using QStyledItemDelegate::QStyledItemDelegate;

  void paint(QPainter* painter, const QStyleOptionViewItem& option,
             const QModelIndex& index) const override {
    QStyle* style = option.widget ? option.widget->style() : QApplication::style();
    if (index.column() == DownloadTableModel::Progress) {
      const int percent = index.data(DownloadTableModel::RawRole).toInt();
      if (percent < 0) return QStyledItemDelegate::paint(painter, option, index);
      QStyleOptionProgressBar bar;
      bar.rect = option.rect.adjusted(2, 2, -2, -2);
      bar.minimum = 0;
      bar.maximum = 100;
      bar.progress = percent;
      bar.text = index.data().toString();
      bar.textVisible = true;
      bar.state = option.state | QStyle::State_Horizontal;
      style->drawControl(QStyle::CE_ProgressBar, &bar, painter, option.widget);
      return;
    }
    if (index.column() == DownloadTableModel::Action && !index.data().toString().isEmpty()) {
      QStyleOptionButton button;
      button.rect = option.rect.adjusted(2, 1, -2, -1);
      button.text = index.data().toString();
      button.state = QStyle::State_Enabled | QStyle::State_Raised;
      style->drawControl(QStyle::CE_PushButton, &button, painter, option.widget);
      return;
    }
    QStyledItemDelegate::paint(painter, option, index);
  }
};

}  // namespace

CapturesView::CapturesView(exporting::DownloadManager* downloads, QWidget* parent)
    : QWidget(parent), m_downloads(downloads), m_model(new DownloadTableModel(downloads, this)) {
  setObjectName(QStringLiteral("captures"));
  m_table = new QTableView(this);
  m_table->setObjectName(QStringLiteral("capturesTable"));
  m_table->setModel(m_model);
  m_table->setItemDelegate(new CapturesDelegate(m_table));
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setAlternatingRowColors(true);
  m_table->setWordWrap(false);
  m_table->verticalHeader()->hide();
  // The state grows (failure reasons); the rest keeps widths that fit their usual contents.
  m_table->horizontalHeader()->setStretchLastSection(false);
  m_table->horizontalHeader()->setSectionResizeMode(DownloadTableModel::State,
                                                    QHeaderView::Stretch);
  m_table->setColumnWidth(DownloadTableModel::Name, 200);
  m_table->setColumnWidth(DownloadTableModel::Source, 90);
  m_table->setColumnWidth(DownloadTableModel::Nodes, 130);
  m_table->setColumnWidth(DownloadTableModel::File, 180);
  for (int column :
       {DownloadTableModel::Packets, DownloadTableModel::Size, DownloadTableModel::Rate})
    m_table->setColumnWidth(column, 85);
  m_table->setColumnWidth(DownloadTableModel::Progress, 110);
  m_table->setColumnWidth(DownloadTableModel::Action, 70);
  connect(m_table, &QTableView::clicked, this, [this](const QModelIndex& index) {
    if (index.column() == DownloadTableModel::Action && m_downloads) m_downloads->stop(index.row());
  });

  m_summary = new QLabel(this);
  m_summary->setObjectName(QStringLiteral("capturesSummary"));
  m_stop = new QPushButton(this);
  m_stop->setObjectName(QStringLiteral("capturesStop"));
  connect(m_stop, &QPushButton::clicked, this, &CapturesView::stopSelected);
  m_stopAll = new QPushButton(this);
  m_stopAll->setObjectName(QStringLiteral("capturesStopAll"));
  m_clear = new QPushButton(this);
  m_clear->setObjectName(QStringLiteral("capturesClear"));
  if (m_downloads) {
    connect(m_stopAll, &QPushButton::clicked, m_downloads, &exporting::DownloadManager::stopAll);
    connect(m_clear, &QPushButton::clicked, m_downloads,
            &exporting::DownloadManager::removeFinished);
  }
  auto* bar = new QHBoxLayout;
  bar->addWidget(m_summary, 1);
  bar->addWidget(m_stop);
  bar->addWidget(m_stopAll);
  bar->addWidget(m_clear);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(bar);
  layout->addWidget(m_table, 1);

  for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
    connect(m_model, signal, this, &CapturesView::updateButtons);
  connect(m_model, &QAbstractItemModel::dataChanged, this, &CapturesView::updateButtons);
  connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &CapturesView::updateButtons);
  retranslateUi();
}

void CapturesView::stopSelected() {
  if (!m_downloads) return;
  std::set<int> rows;
  for (const QModelIndex& index : m_table->selectionModel()->selectedRows())
    rows.insert(index.row());
  for (int row : rows) m_downloads->stop(row);
}

void CapturesView::updateButtons() {
  const int running = m_downloads ? m_downloads->runningCount() : 0;
  const int total = m_downloads ? m_downloads->count() : 0;
  bool selectedRunning = false;
  for (const QModelIndex& index : m_table->selectionModel()->selectedRows()) {
    if (auto* d = m_model->download(index.row()); d && d->isRunning()) selectedRunning = true;
  }
  m_stop->setEnabled(selectedRunning);
  m_stopAll->setEnabled(running > 0);
  m_clear->setEnabled(total > running);
  m_summary->setText(total == 0 ? tr("No download yet: use a Download PCAP… button of an "
                                     "address, group, connection, protocol or search, or Live "
                                     "capture… of an address or connection.")
                                : tr("%n download(s), %1 running", nullptr, total).arg(running));
}

void CapturesView::retranslateUi() {
  m_stop->setText(tr("&Stop"));
  m_stop->setToolTip(tr("Stop the selected downloads; what arrived is kept"));
  m_stopAll->setText(tr("Stop &all"));
  m_clear->setText(tr("&Clear finished"));
  m_clear->setToolTip(tr("Remove ended downloads from the list; their files stay"));
  updateButtons();
}

void CapturesView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslateUi();
  QWidget::changeEvent(event);
}

}  // namespace netlens::app::views
