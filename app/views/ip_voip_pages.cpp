// SPDX-License-Identifier: MIT
#include "app/views/ip_voip_pages.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMap>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include "app/core/background_decode.h"
#include "app/core/node_manager.h"
#include "app/models/rtp_stream_rows.h"
#include "app/models/summary_table_model.h"
#include "app/views/summary_table_view.h"

namespace netlens::app::views {

using models::SummaryTableModel;

namespace {

QWidget* makePage(const QString& name, QLabel*& summary, SummaryTableModel* model,
                  QTableView*& table) {
  auto* page = new QWidget;
  page->setObjectName(QStringLiteral("ipPage_%1").arg(name));
  auto* layout = new QVBoxLayout(page);
  layout->setContentsMargins(2, 2, 2, 2);
  summary = new QLabel(page);
  summary->setWordWrap(true);
  layout->addWidget(summary);
  auto* panel = new SummaryTablePanel(model, QStringLiteral("ipPage_%1_").arg(name),
                                      QStringLiteral("netlens-%1").arg(name), page);
  table = panel->table();
  table->setObjectName(QStringLiteral("table_%1").arg(name));
  layout->addWidget(panel, 1);
  return page;
}

std::uint64_t total(const std::map<std::string, std::uint64_t>& m) {
  std::uint64_t n = 0;
  for (const auto& [k, v] : m) n += v;
  return n;
}

std::uint64_t total(const std::map<int, std::uint64_t>& m) {
  std::uint64_t n = 0;
  for (const auto& [k, v] : m) n += v;
  return n;
}

}  // namespace

IpVoipPages::IpVoipPages(core::NodeManager* nodes, const net::IpAddress& ip, QTabWidget* tabs)
    : QObject(tabs), m_nodes(nodes), m_ip(ip), m_tabs(tabs) {
  using K = SummaryTableModel::Kind;
  m_sipModel = new SummaryTableModel({K::Text, K::Count, K::Count}, this);
  m_rtpModel = new SummaryTableModel(models::rtp_stream_rows::kinds(), this);
  QTableView* sipTable = nullptr;
  QTableView* rtpTable = nullptr;
  m_sipPage = makePage(QStringLiteral("sip"), m_sipSummary, m_sipModel, sipTable);
  m_rtpPage = makePage(QStringLiteral("rtp"), m_rtpSummary, m_rtpModel, rtpTable);
  sipTable->sortByColumn(0, Qt::AscendingOrder);
  sipTable->horizontalHeader()->resizeSection(0, 240);
  sipTable->horizontalHeader()->setStretchLastSection(false);
  rtpTable->horizontalHeader()->resizeSection(models::rtp_stream_rows::Source, 170);
  rtpTable->horizontalHeader()->resizeSection(models::rtp_stream_rows::Destination, 170);
  rtpTable->sortByColumn(models::rtp_stream_rows::Start, Qt::AscendingOrder);
  m_tabs->addTab(m_sipPage, QString());
  m_tabs->addTab(m_rtpPage, QString());

  m_timer = new QTimer(this);
  m_timer->setInterval(kPollIntervalMs);
  connect(m_timer, &QTimer::timeout, this, &IpVoipPages::poll);
  connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
    if (isShowing()) poll();
  });
  if (m_nodes) {
    connect(m_nodes, &core::NodeManager::requestReplied, this, &IpVoipPages::onReplied);
    connect(m_nodes, &core::NodeManager::requestFailed, this, &IpVoipPages::onFailed);
    connect(m_nodes, &core::NodeManager::nodeRemoved, this, &IpVoipPages::removeNode);
    m_timer->start();
  }
  retranslate();
}

QStringList IpVoipPages::tabNames() {
  return {QStringLiteral("sip"), QStringLiteral("rtp")};
}

QWidget* IpVoipPages::pageForTab(const QString& name) const {
  if (name == QLatin1String("sip")) return m_sipPage;
  if (name == QLatin1String("rtp")) return m_rtpPage;
  return nullptr;
}

bool IpVoipPages::isShowing() const {
  return m_tabs->currentWidget() == m_sipPage || m_tabs->currentWidget() == m_rtpPage;
}

void IpVoipPages::poll() {
  if (!m_nodes || !isShowing() || !m_tabs->isVisible()) return;
  for (const QString& id : m_nodes->nodeIds()) {
    const core::NodeInfo* info = m_nodes->node(id);
    if (!info || info->state != core::NodeState::Connected) continue;
    if (m_busy.contains(id)) continue;
    for (const bool sip : {true, false}) {
      const quint64 token = core::NodeManager::nextRequestToken();
      if (!m_nodes->request(id, token, sip ? "sip" : "rtp", {})) continue;
      m_inFlight.insert(token, sip);
      m_busy[id] += 1;
    }
  }
}

void IpVoipPages::settle(const QString& nodeId, quint64 token) {
  m_inFlight.remove(token);
  if (--m_busy[nodeId] <= 0) m_busy.remove(nodeId);
}

void IpVoipPages::onReplied(const QString& nodeId, quint64 token, const QByteArray& body) {
  const auto it = m_inFlight.constFind(token);
  if (it == m_inFlight.constEnd()) return;
  const bool sip = *it;
  settle(nodeId, token);
  const quint64 generation = answerArrived(nodeId, sip ? SipAnswer : StreamsAnswer);
  if (sip) {
    core::decodeInBackground<protocol::SipStatistics>(
        this, body, [this, nodeId, generation](const protocol::SipStatistics& stats) {
          applySipAnswer(nodeId, generation, stats);
        });
  } else {
    core::decodeInBackground<protocol::RtpStreamList>(
        this, body, [this, nodeId, generation](const protocol::RtpStreamList& list) {
          applyStreamsAnswer(nodeId, generation, list);
        });
  }
}

quint64 IpVoipPages::answerArrived(const QString& nodeId, AnswerKind kind) {
  return m_answers.next(nodeId, kind);
}

void IpVoipPages::applySipAnswer(const QString& nodeId, quint64 generation,
                                 const protocol::SipStatistics& stats) {
  if (m_answers.isLatest(nodeId, SipAnswer, generation)) applySip(nodeId, stats);
}

void IpVoipPages::applyStreamsAnswer(const QString& nodeId, quint64 generation,
                                     const protocol::RtpStreamList& list) {
  if (m_answers.isLatest(nodeId, StreamsAnswer, generation)) applyStreams(nodeId, list);
}

void IpVoipPages::onFailed(const QString& nodeId, quint64 token, const QString&) {
  if (m_inFlight.contains(token)) settle(nodeId, token);
}

void IpVoipPages::applySip(const QString& nodeId, const protocol::SipStatistics& stats) {
  const auto it = stats.counters.perIp.find(m_ip);
  m_sip.insert(nodeId, it == stats.counters.perIp.end() ? protocol::SipIpCounters{} : it->second);
  rebuildSip();
}

void IpVoipPages::applyStreams(const QString& nodeId, const protocol::RtpStreamList& list) {
  std::vector<protocol::RtpStreamRecord> own;
  for (const auto& s : list.streams)
    if (s.srcIp == m_ip || s.dstIp == m_ip) own.push_back(s);
  m_streams.insert(nodeId, std::move(own));
  rebuildRtp();
}

void IpVoipPages::removeNode(const QString& nodeId) {
  m_sip.remove(nodeId);
  m_streams.remove(nodeId);
  m_busy.remove(nodeId);
  m_answers.remove(nodeId);  // a decode still running for it is stale
  rebuildSip();
  rebuildRtp();
}

void IpVoipPages::rebuildSip() {
  protocol::SipIpCounters sum;
  for (const auto& c : std::as_const(m_sip)) sum.add(c);
  QMap<QString, std::pair<quint64, quint64>> counts;  // message → sent, received
  for (const auto& [m, n] : sum.sentMethods) counts[QString::fromStdString(m)].first += n;
  for (const auto& [m, n] : sum.receivedMethods) counts[QString::fromStdString(m)].second += n;
  for (const auto& [code, n] : sum.sentResponses) counts[QString::number(code)].first += n;
  for (const auto& [code, n] : sum.receivedResponses) counts[QString::number(code)].second += n;
  QVector<SummaryTableModel::Row> rows;
  for (auto it = counts.cbegin(); it != counts.cend(); ++it)
    rows << SummaryTableModel::Row{
        it.key(),
        {it.key(), static_cast<qulonglong>(it->first), static_cast<qulonglong>(it->second)}};
  m_sipModel->setRows(rows);
  const QLocale locale;
  m_sipSummary->setText(
      tr("Requests sent: %1, responses sent: %2; requests received: %3, responses received: %4.")
          .arg(locale.toString(static_cast<qulonglong>(total(sum.sentMethods))),
               locale.toString(static_cast<qulonglong>(total(sum.sentResponses))),
               locale.toString(static_cast<qulonglong>(total(sum.receivedMethods))),
               locale.toString(static_cast<qulonglong>(total(sum.receivedResponses)))));
}

void IpVoipPages::rebuildRtp() {
  QVector<SummaryTableModel::Row> rows;
  for (auto it = m_streams.cbegin(); it != m_streams.cend(); ++it) {
    const core::NodeInfo* info = m_nodes ? m_nodes->node(it.key()) : nullptr;
    for (const auto& s : *it)
      rows << models::rtp_stream_rows::row(it.key(), info ? info->name : it.key(), s);
  }
  m_rtpModel->setRows(rows);
  m_rtpSummary->setText(
      tr("%n RTP stream(s) from or to this address", nullptr, static_cast<int>(rows.size())));
}

void IpVoipPages::retranslate() {
  m_tabs->setTabText(m_tabs->indexOf(m_sipPage), tr("SIP statistics"));
  m_tabs->setTabText(m_tabs->indexOf(m_rtpPage), tr("RTP statistics"));
  m_sipModel->setHeaders({tr("Method or response"), tr("Sent"), tr("Received")});
  m_rtpModel->setHeaders(models::rtp_stream_rows::headers());
  rebuildSip();
  rebuildRtp();
}

}  // namespace netlens::app::views
