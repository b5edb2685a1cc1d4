// SPDX-License-Identifier: MIT
#include "app/views/ip_selection_history.h"

#include <QAbstractProxyModel>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLayout>
#include <QRegularExpression>
#include <QTableView>

#include "app/models/summary_table_model.h"
#include "app/views/history_chart.h"
#include "app/views/ip_detail_pages.h"
#include "shared/net/service_names.h"

namespace netlens::app::views {

IpSelectionHistory::IpSelectionHistory(core::NodeManager* nodes, const net::IpAddress& ip,
                                       IpDetailPages* pages)
    : QObject(pages), m_nodes(nodes), m_ip(ip), m_pages(pages) {
  for (const char* table : {"peers", "qosL3", "qosL2"}) attach(QString::fromLatin1(table));
  retranslate();
}

void IpSelectionHistory::attach(const QString& table) {
  QWidget* page = m_pages->page(table);
  auto* view = page ? page->findChild<QTableView*>(QStringLiteral("table_%1").arg(table)) : nullptr;
  auto* model = m_pages->model(table);
  if (!view || !model || !page->layout()) return;
  auto* title = new QLabel(page);
  title->setObjectName(QStringLiteral("selectionHistoryTitle_%1").arg(table));
  title->setVisible(false);
  auto* chart = new HistoryChart(m_nodes, QString::fromStdString(m_ip.toString()),
                                 HistoryChart::hostPanels(), page);
  chart->setObjectName(QStringLiteral("selectionHistory_%1").arg(table));
  chart->setVisible(false);
  page->layout()->addWidget(title);
  page->layout()->addWidget(chart);
  if (auto* box = qobject_cast<QBoxLayout*>(page->layout())) box->setStretchFactor(chart, 1);
  m_charts.insert(table, chart);
  m_titles.insert(table, title);
  auto* proxy = qobject_cast<QAbstractProxyModel*>(view->model());
  connect(view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this, table, proxy, model](const QModelIndex& current) {
            if (!current.isValid() || !proxy) return;
            const int row = proxy->mapToSource(current).row();
            if (row < 0 || row >= model->rows().size()) return;
            showRow(table, model->rows()[row].key);
          });
}

bool IpSelectionHistory::showRow(const QString& table, const QString& key) {
  HistoryChart* chart = m_charts.value(table);
  if (!chart) return false;
  protocol::Params params{{"ip", m_ip.toString()}};
  if (table == QLatin1String("peers")) {
    const auto peer = net::IpAddress::parse(key.toStdString());
    if (!peer) return false;
    params["series"] = "peer";
    params["peer"] = peer->toString();
  } else {
    // The QoS tables' row keys: "dscp46", "pcp5", "tc3".
    static const QRegularExpression form(QStringLiteral("^(dscp|pcp|tc)(\\d{1,2})$"));
    const auto m = form.match(key);
    if (!m.hasMatch()) return false;
    const QString kind = m.captured(1);
    params["series"] = "qos";
    params["layer"] = kind == QLatin1String("dscp")  ? "dscp"
                      : kind == QLatin1String("pcp") ? "vlan_pcp"
                                                     : "mpls_tc";
    params["class"] = m.captured(2).toStdString();
  }
  const bool wasVisible = chart->isVisible();
  if (m_keys.value(table) != key) {
    m_keys.insert(table, key);
    chart->setSeriesParams(std::move(params));
    // A chart that is showing already asks at once; one that appears asks when shown.
    if (wasVisible && m_nodes) chart->poll();
  }
  updateTitle(table);
  m_titles.value(table)->setVisible(true);
  chart->setVisible(true);
  return true;
}

void IpSelectionHistory::retranslate() {
  for (auto it = m_charts.cbegin(); it != m_charts.cend(); ++it) {
    it.value()->retitle(HistoryChart::hostPanels());
    updateTitle(it.key());
  }
}

void IpSelectionHistory::updateTitle(const QString& table) {
  const QString key = m_keys.value(table);
  QLabel* title = m_titles.value(table);
  if (key.isEmpty() || !title) return;
  const QString ip = QString::fromStdString(m_ip.toString());
  if (table == QLatin1String("peers")) {
    title->setText(
        tr("History of the traffic between %1 and %2 (sent and received by %1)").arg(ip, key));
    return;
  }
  static const QRegularExpression digits(QStringLiteral("\\d+$"));
  const int value = digits.match(key).captured(0).toInt();
  QString marking;
  if (key.startsWith(QLatin1String("dscp"))) {
    marking = tr("DSCP %1 (%2)")
                  .arg(value)
                  .arg(QString::fromUtf8(net::dscpName(value).data(),
                                         static_cast<int>(net::dscpName(value).size())));
  } else if (key.startsWith(QLatin1String("pcp"))) {
    marking = tr("VLAN PCP %1").arg(value);
  } else {
    marking = tr("MPLS TC %1").arg(value);
  }
  title->setText(tr("History of %1's traffic marked %2").arg(ip, marking));
}

}  // namespace netlens::app::views
