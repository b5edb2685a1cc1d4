// SPDX-License-Identifier: MIT
// Pipeline: the history series, summed over the workers.
#include <algorithm>
#include <map>
#include <vector>

#include "node/pipeline/pipeline_internal.h"
#include "shared/stats/history_merge.h"

namespace netlens::node::pipeline {

bool Pipeline::history(const HistoryQuery& query, protocol::HistoryReply* out,
                       std::string* problem) const {
  const std::int64_t now = packetTime();
  if (query.connection) return connectionHistory(query, now, out, problem);
  if (query.peer || query.qos) return peerQosHistory(query, now, out, problem);
  protocol::HistoryReply reply;
  reply.resolutionNs = analysis::resolutionNs(query.resolution);
  reply.packetTime = now;
  reply.series = query.isGlobal ? "global" : query.group ? *query.group : query.ip.toString();
  if (query.handshakes) reply.series += " handshakes";
  reply.names = query.isGlobal     ? analysis::HostAnalyzer::globalHistoryNames()
                : query.handshakes ? analysis::HandshakeHistory::names()
                                   : analysis::HostAnalyzer::hostHistoryNames();
  const std::vector<stats::HistoryCombine> combine = stats::historyCombinesOf(reply.names);
  // A group is the sum of its members' series, as its counters are the sum of theirs; a
  // group without members (or none with a history yet) is an empty series, not an error.
  // An address's handshakes are spread over the workers like its traffic (flows are
  // sharded by their ports); their minima and maxima combine as such.
  std::vector<net::IpAddress> single;
  if (!query.isGlobal && !query.group) single.push_back(query.ip);
  const std::vector<net::IpAddress>& addresses = query.group ? query.members : single;
  std::vector<protocol::HistoryBucket> sum;
  bool found = query.isGlobal || query.group.has_value();
  for (const auto& w : m_workers) {
    std::lock_guard lock(w->mutex);
    if (query.isGlobal) {
      stats::addHistoryBuckets(
          combine, sum,
          w->analyzer.globalHistory().buckets(query.resolution, query.from, query.to, now),
          reply.resolutionNs);
      continue;
    }
    const analysis::HandshakeHistory& handshakes = w->connections.handshakeHistory();
    for (const auto& ip : addresses) {
      bool complete = true;
      const analysis::History* h = query.handshakes ? handshakes.find(ip, &complete)
                                                    : w->analyzer.hostHistory(ip, &complete);
      if (h == nullptr) {
        // Without a history slot, what the address did may be missing from the sum: its
        // traffic when the host is in the table, its handshakes once the budget has turned
        // an address away.
        protocol::HostRecord record;
        if (query.handshakes ? handshakes.mayMiss() : w->analyzer.findHost(ip, record))
          reply.complete = false;
        continue;
      }
      found = true;
      if (!complete) reply.complete = false;
      stats::addHistoryBuckets(combine, sum,
                               h->buckets(query.resolution, query.from, query.to, now),
                               reply.resolutionNs);
    }
  }
  if (!found && query.handshakes) {
    *problem = "no handshake history of " + query.ip.toString() +
               (m_config.switches.connections
                    ? ": the node has not seen this address in a TCP handshake, or keeps no "
                      "history for it (only the most recently active addresses keep one, see "
                      "--history-handshakes)"
                    : ": this node runs without connections (started with --disable-analysis); "
                      "restart it without that to keep them");
    return false;
  }
  if (!found) {
    *problem = "no history of " + reply.series +
               ": the node has not seen this address, has forgotten it, or keeps no history "
               "slot for it (see the history host budget)";
    return false;
  }
  reply.buckets = std::move(sum);
  *out = std::move(reply);
  return true;
}

bool Pipeline::peerQosHistory(const HistoryQuery& query, std::int64_t now,
                              protocol::HistoryReply* out, std::string* problem) const {
  protocol::HistoryReply reply;
  reply.resolutionNs = analysis::resolutionNs(query.resolution);
  reply.packetTime = now;
  if (query.peer) {
    reply.series = query.ip.toString() + " <-> " + query.peer->toString();
    reply.names = analysis::PeerQosHistory::peerNames();
  } else {
    reply.series = query.ip.toString() + ' ' +
                   analysis::PeerQosHistory::layerName(query.qos->layer) + ' ' +
                   std::to_string(query.qos->value);
    reply.names = analysis::PeerQosHistory::qosNames();
  }
  const std::vector<stats::HistoryCombine> combine = stats::historyCombinesOf(reply.names);
  // A pair or an address's class normally lives on several workers (flows are sharded by
  // their ports too): the parts are summed like the IP series.
  bool found = false;
  std::vector<protocol::HistoryBucket> sum;
  for (const auto& w : m_workers) {
    std::vector<protocol::HistoryBucket> part;
    {
      std::lock_guard lock(w->mutex);
      bool complete = true;
      bool swapped = false;
      const analysis::History* h =
          query.peer
              ? w->peerQos.peerHistory(query.ip, *query.peer, &swapped, &complete)
              : w->peerQos.qosHistory(query.ip, query.qos->layer, query.qos->value, &complete);
      if (h == nullptr) {
        if (query.peer ? w->peerQos.peersMayMiss() : w->peerQos.qosMayMiss())
          reply.complete = false;
        continue;
      }
      found = true;
      if (!complete) reply.complete = false;
      part = h->buckets(query.resolution, query.from, query.to, now);
      if (swapped) {
        for (auto& b : part) {
          std::swap(b.values[0], b.values[2]);
          std::swap(b.values[1], b.values[3]);
        }
      }
    }
    stats::addHistoryBuckets(combine, sum, std::move(part), reply.resolutionNs);
  }
  if (!found && (query.peer ? !m_config.switches.peerHistory : !m_config.switches.qos)) {
    *problem = "no history of " + reply.series + ": this node runs without " +
               (query.peer ? "peer-history" : "qos") +
               " (started with --disable-analysis); restart it without that to keep them";
    return false;
  }
  if (!found) {
    *problem = "no history of " + reply.series +
               (query.peer ? ": the node has not seen these two addresses talk, or keeps no "
                             "history slot for the pair (only the most recently active pairs "
                             "keep one, see --history-peers)"
                           : ": the node has not seen this address with this marking, or "
                             "keeps no history slot for it (only the most recently active "
                             "classes keep one, see --history-qos)");
    return false;
  }
  reply.buckets = std::move(sum);
  *out = std::move(reply);
  return true;
}

bool Pipeline::connectionHistory(const HistoryQuery& query, std::int64_t now,
                                 protocol::HistoryReply* out, std::string* problem) const {
  protocol::HistoryReply reply;
  reply.resolutionNs = analysis::resolutionNs(query.resolution);
  reply.packetTime = now;
  reply.series = "connection";
  reply.names = analysis::ConnectionAnalyzer::historyNames();
  const std::vector<stats::HistoryCombine> combine = stats::historyCombinesOf(reply.names);
  bool found = false;
  bool withHistory = false;
  std::vector<protocol::HistoryBucket> sum;
  std::vector<protocol::HistoryBucket> part;
  // A flow lives on one worker, but for the fragments of a fragmented datagram (see
  // connections()): the parts are summed like the records.
  for (const auto& w : m_workers) {
    bool hasHistory = false;
    bool complete = true;
    part.clear();
    {
      std::lock_guard lock(w->mutex);
      if (!w->connections.connectionHistory(*query.connection, query.resolution, query.from,
                                            query.to, now, &part, &hasHistory, &complete)) {
        continue;
      }
    }
    found = true;
    if (!hasHistory || !complete) reply.complete = false;
    if (!hasHistory) continue;
    withHistory = true;
    stats::addHistoryBuckets(combine, sum, std::move(part), reply.resolutionNs);
  }
  if (!found || !withHistory) {
    *problem = found ? "the connection has no history: only the most recently active ones keep "
                       "one (see --history-connections)"
                     : "no such connection: the node has not seen it, or it has finished (a "
                       "new SYN on its ports) or been evicted, and only live connections have a "
                       "history";
    return false;
  }
  reply.buckets = std::move(sum);
  *out = std::move(reply);
  return true;
}

}  // namespace netlens::node::pipeline
