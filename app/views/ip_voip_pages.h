// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

#include <vector>

#include "app/core/answer_generations.h"
#include "app/core/protocol_metatypes.h"
#include "shared/net/ip_address.h"

class QLabel;
class QTabWidget;
class QTableView;
class QTimer;
class QWidget;

namespace netlens::app::core {
class NodeManager;
}

namespace netlens::app::models {
class SummaryTableModel;
}

namespace netlens::app::views {

/// The IP detail tabs of an address's VoIP: "SIP statistics" (per request method and per
/// response code, the messages the address sent and received, from each node's "sip" answer
/// per address, summed over the nodes) and "RTP statistics" (the RTP streams the address
/// sends or receives, from the nodes' "rtp" answers, with their figures). While one of the two
/// tabs is showing, every connected node is asked every kPollIntervalMs. Answers are decoded
/// on the pool and may finish out of order: a result is applied only when its answer is the
/// newest of its kind from a node still known (see core::AnswerGenerations).
///
/// Thread: GUI thread; never waits. The pages belong to the tab widget; `nodes` is not owned
/// (null in tests, which call applySip/applyStreams).
class IpVoipPages : public QObject {
  Q_OBJECT

 public:
  static constexpr int kPollIntervalMs = 2000;

  IpVoipPages(core::NodeManager* nodes, const net::IpAddress& ip, QTabWidget* tabs);

  /// "sip" and "rtp", as IpDetailView::showTab() takes them.
  static QStringList tabNames();
  QWidget* pageForTab(const QString& name) const;
  models::SummaryTableModel* sipModel() const { return m_sipModel; }
  models::SummaryTableModel* rtpModel() const { return m_rtpModel; }
  QLabel* sipSummary() const { return m_sipSummary; }

  void applySip(const QString& nodeId, const protocol::SipStatistics& stats);
  void applyStreams(const QString& nodeId, const protocol::RtpStreamList& list);
  void removeNode(const QString& nodeId);
  /// The kinds of answer asked of each node.
  enum AnswerKind { SipAnswer, StreamsAnswer };
  /// An answer of that kind arrived from the node: the generation its decoded result carries.
  quint64 answerArrived(const QString& nodeId, AnswerKind kind);
  /// A decoded answer: applied (as applySip/applyStreams) only when `generation` is still the
  /// node's newest of that kind and the node was not removed since.
  void applySipAnswer(const QString& nodeId, quint64 generation,
                      const protocol::SipStatistics& stats);
  void applyStreamsAnswer(const QString& nodeId, quint64 generation,
                          const protocol::RtpStreamList& list);
  void poll();
  void retranslate();

 private:
  void rebuildSip();
  void rebuildRtp();
  bool isShowing() const;
  void settle(const QString& nodeId, quint64 token);
  void onReplied(const QString& nodeId, quint64 token, const QByteArray& body);
  void onFailed(const QString& nodeId, quint64 token, const QString& reason);

  core::NodeManager* m_nodes;
  net::IpAddress m_ip;
  QTabWidget* m_tabs;
  QWidget* m_sipPage = nullptr;
  QWidget* m_rtpPage = nullptr;
  QLabel* m_sipSummary = nullptr;
  QLabel* m_rtpSummary = nullptr;
  models::SummaryTableModel* m_sipModel = nullptr;
  models::SummaryTableModel* m_rtpModel = nullptr;
  QTimer* m_timer = nullptr;
  QHash<QString, protocol::SipIpCounters> m_sip;  ///< node id → the address's counters
  QHash<QString, std::vector<protocol::RtpStreamRecord>> m_streams;  ///< node id → its streams
  QHash<quint64, bool> m_inFlight;    ///< token → whether it asked "sip" (else "rtp")
  QHash<QString, int> m_busy;         ///< node id → its answers still outstanding
  core::AnswerGenerations m_answers;  ///< the newest answer of each node
};

}  // namespace netlens::app::views
