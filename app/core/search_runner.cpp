// SPDX-License-Identifier: MIT
#include "app/core/search_runner.h"

#include <QThreadPool>

#include <algorithm>
#include <map>
#include <tuple>

#include "app/core/node_manager.h"
#include "shared/protocol/operation.h"

namespace netlens::app::core {

struct SearchRunner::Pages {
  using Key =
      std::tuple<std::uint8_t, net::IpAddress, std::uint16_t, net::IpAddress, std::uint16_t>;
  std::map<Key, protocol::SearchSession> sessions;
  protocol::SearchReply total;  ///< counters so far; its sessions filled from the map at the end
  std::uint64_t limit = protocol::kMaxSearchPackets;
  /// The limit is reached and the last page ran out of time: further pages only tell
  /// whether more packets match (SearchReply::truncated).
  bool probing = false;

  /// Adds one page; a session seen before gets its counters and times widened.
  void add(const protocol::SearchReply& page) {
    for (const protocol::SearchSession& s : page.sessions) {
      auto [it, isNew] = sessions.try_emplace(Key{s.protocol, s.a, s.aPort, s.b, s.bPort}, s);
      if (isNew) continue;
      protocol::SearchSession& m = it->second;
      m.packets += s.packets;
      m.bytes += s.bytes;
      m.firstSeen = std::min(m.firstSeen, s.firstSeen);
      m.lastSeen = std::max(m.lastSeen, s.lastSeen);
      for (const std::string& source : s.sources) {
        if (std::find(m.sources.begin(), m.sources.end(), source) == m.sources.end())
          m.sources.push_back(source);
      }
    }
    total.packets += page.packets;
    total.packetsRead += page.packetsRead;
    total.truncated = total.truncated || page.truncated;
    ++pagesAdded;
  }

  /// The answer of the pages added so far (they are moved out: nothing is left to take).
  protocol::SearchReply take() {
    protocol::SearchReply reply = std::move(total);
    reply.sessions.reserve(sessions.size());
    for (auto& [key, session] : sessions) reply.sessions.push_back(std::move(session));
    sessions.clear();
    total = {};
    pagesAdded = 0;
    return reply;
  }

  std::uint64_t pagesAdded = 0;
  /// The whole answer, once its last page is in (until it is handed on).
  std::shared_ptr<const protocol::SearchReply> complete;
};

SearchRunner::SearchRunner(NodeManager* nodes, QObject* parent)
    : QObject(parent), m_nodes(nodes), m_decoders(new QThreadPool(this)) {
  registerProtocolMetaTypes();
  m_decoders->setMaxThreadCount(1);
  if (m_nodes) {
    connect(m_nodes, &NodeManager::requestReplied, this, &SearchRunner::onReplied);
    connect(m_nodes, &NodeManager::requestFailed, this, &SearchRunner::onFailed);
    connect(m_nodes, &NodeManager::nodeRemoved, this, [this](const QString& id) {
      if (m_pending.contains(id)) onFailed(id, m_pending.value(id), tr("The node was removed."));
    });
  }
}

SearchRunner::~SearchRunner() {
  ++m_generation;
  m_decoders->waitForDone();
}

void SearchRunner::start(const QStringList& nodeIds, const protocol::Params& params) {
  stop();
  m_params = params;
  std::uint64_t limit = protocol::kMaxSearchPackets;
  if (auto it = params.find("limit"); it != params.end()) {
    bool ok = false;
    const qulonglong n = QString::fromStdString(it->second).toULongLong(&ok);
    if (ok && n > 0) limit = std::min<std::uint64_t>(n, limit);
  }
  QStringList refused;
  for (const QString& id : nodeIds) {
    if (m_pageBudgetMs > 0) {
      auto pages = std::make_shared<Pages>();
      pages->limit = limit;
      m_pages.insert(id, std::move(pages));
    }
    if (!send(id, params)) refused << id;
  }
  for (const QString& id : refused) onFailed(id, m_pending.value(id), tr("Unknown node."));
}

bool SearchRunner::send(const QString& nodeId, const protocol::Params& params) {
  const quint64 token = NodeManager::nextRequestToken();
  m_pending.insert(nodeId, token);
  protocol::Params p = params;
  if (m_pages.contains(nodeId)) p["budget-ms"] = std::to_string(m_pageBudgetMs);
  const std::string operation(protocol::operationName(protocol::OperationId::Search));
  return m_nodes && m_nodes->request(nodeId, token, operation, p);
}

void SearchRunner::stop() {
  m_pending.clear();
  m_pages.clear();
  ++m_generation;
}

void SearchRunner::stopKeepingPages() {
  const QHash<QString, std::shared_ptr<Pages>> paged = m_pages;
  stop();
  const quint64 generation = m_generation;
  for (auto it = paged.constBegin(); it != paged.constEnd(); ++it) {
    // Queued behind any page being decoded (one decoding thread), which is then added too:
    // it arrived before the stop.
    m_decoders->start([this, nodeId = it.key(), pages = it.value(), generation] {
      // The last page came in before the stop: the answer is whole, not stopped.
      std::shared_ptr<const protocol::SearchReply> whole = pages->complete;
      if (!whole && pages->pagesAdded == 0) return;
      auto partial = whole ? nullptr : std::make_shared<protocol::SearchReply>(pages->take());
      QMetaObject::invokeMethod(
          this,
          [this, nodeId, whole, partial, generation] {
            if (m_generation != generation) return;
            if (whole)
              emit nodeAnswered(nodeId, *whole);
            else
              emit nodeStopped(nodeId, *partial);
          },
          Qt::QueuedConnection);
    });
  }
}

void SearchRunner::onReplied(const QString& nodeId, quint64 token, const QByteArray& body) {
  auto it = m_pending.constFind(nodeId);
  if (it == m_pending.constEnd() || *it != token) return;  // someone else's, or dropped
  // Stays pending until decoded, so that stop() meanwhile drops it too.
  const quint64 generation = m_generation;
  std::shared_ptr<Pages> pages = m_pages.value(nodeId);  // null unless paged
  m_decoders->start([this, nodeId, body, generation, pages] {
    auto decoded = protocol::decodeBody<protocol::SearchReply>(
        std::string_view(body.constData(), static_cast<std::size_t>(body.size())));
    auto reply = std::make_shared<protocol::SearchReply>();
    QString error;
    // A paged answer: where the next page starts ("" when this was the last), how many
    // packets it may still hold, and the progress figures.
    std::string after;
    std::uint64_t remaining = 0;
    std::uint64_t estimate = 0;
    std::uint64_t scanRead = 0;
    std::uint64_t scanEstimate = 0;
    bool probe = false;
    if (!decoded) {
      error =
          tr("The node sent a bad search answer: %1").arg(QString::fromStdString(decoded.error()));
    } else if (!pages) {
      *reply = std::move(*decoded);
    } else {
      if (pages->probing) {
        // Asked only whether anything matches beyond the limit: its packets are not kept.
        if (decoded->packets > 0 || decoded->truncated)
          pages->total.truncated = true;
        else
          after = decoded->resume;  // nothing yet; "" when nothing more matches at all
      } else {
        estimate = pages->total.packets + decoded->estimatedPackets;
        scanRead = decoded->sessionScanRead;
        scanEstimate = decoded->sessionScanEstimate;
        pages->add(*decoded);
        remaining = pages->limit - std::min(pages->limit, pages->total.packets);
        after = decoded->resume;
        // A page that ran out of time right after the limit's last packet: whether more
        // match is not known yet (a node that saw one more says `truncated` and ends the
        // answer), so pages of one packet go on until one finds a match or the range ends.
        pages->probing = !after.empty() && remaining == 0;
      }
      probe = pages->probing;
      if (after.empty()) {
        *reply = pages->take();
        pages->complete = reply;  // a Stop before it is handed on hands it on whole
      }
    }
    const quint64 packets = pages ? pages->total.packets : 0;
    const quint64 sessions = pages ? pages->sessions.size() : 0;
    // The destructor waits for this task, so `this` is alive here; a queued call still
    // pending when the runner is deleted is discarded with it.
    QMetaObject::invokeMethod(
        this,
        [this, nodeId, reply, error, generation, after, remaining, estimate, packets, sessions,
         scanRead, scanEstimate, probe] {
          if (m_generation != generation || !m_pending.contains(nodeId)) return;
          if (error.isEmpty() && !after.empty()) {
            if (scanEstimate > 0)
              emit nodeScanProgress(nodeId, scanRead, scanEstimate);
            else
              emit nodeProgress(nodeId, packets, sessions, probe ? 0 : estimate);
            protocol::Params next = m_params;
            next["after"] = after;
            next["limit"] = std::to_string(probe ? 1 : remaining);
            if (probe) next["mode"] = "list";
            if (send(nodeId, next)) return;
            onFailed(nodeId, m_pending.value(nodeId), tr("Unknown node."));
            return;
          }
          m_pending.remove(nodeId);
          m_pages.remove(nodeId);
          if (error.isEmpty())
            emit nodeAnswered(nodeId, *reply);
          else
            emit nodeFailed(nodeId, error);
          if (m_pending.isEmpty()) emit finished();
        },
        Qt::QueuedConnection);
  });
}

void SearchRunner::onFailed(const QString& nodeId, quint64 token, const QString& reason) {
  auto it = m_pending.constFind(nodeId);
  if (it == m_pending.constEnd() || *it != token) return;
  if (m_pages.contains(nodeId) && reason.contains(QLatin1String("\"budget-ms\""))) {
    // A node older than paging by time refused the parameter: ask it once, whole. Its first
    // page is the one refused (a node that pages never refuses it later).
    m_pages.remove(nodeId);
    if (send(nodeId, m_params)) return;
  }
  m_pending.remove(nodeId);
  m_pages.remove(nodeId);
  emit nodeFailed(nodeId, reason);
  if (m_pending.isEmpty()) emit finished();
}

}  // namespace netlens::app::core
