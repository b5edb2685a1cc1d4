// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "node/store/packet_store.h"
#include "shared/protocol/codec.h"
#include "shared/protocol/messages.h"

namespace netlens::node::store {

/// The longest "budget-ms" a search request takes.
inline constexpr std::uint64_t kMaxSearchBudgetMs = 60'000;

/// A search as the "search" operation and the `search` commands ask for it.
struct SearchRequest {
  SearchCriteria criteria;
  bool withPackets = false;  ///< mode "packets": the pcap as well as the sessions
  std::uint64_t limit = protocol::kMaxSearchPackets;
  /// Paged answer: the page ends after the packet that takes its pcap to this size, with a
  /// resume token (0 = one answer, up to `limit`).
  std::uint64_t chunkBytes = 0;
  /// Paged by time ("budget-ms"): the page also ends once the search has run this long (at
  /// a candidate, not only after a match), with a resume token, so that no request holds
  /// the node's store and service for long (0 = no limit). A search selecting whole sessions
  /// may end pages without packets while its first pass reads the range.
  std::uint32_t budgetMs = 0;
};

/// A resume token ("SEGMENT:OFFSET") for SearchCriteria::after; false when malformed.
bool parseResumeToken(const std::string& text, SearchCriteria::Position* out);
std::string formatResumeToken(const SearchCriteria::Position& position);

/// Reads the parameters of a "search" request (see protocol::OperationId::Search); false with
/// `*problem` saying which parameter is wrong and what it takes.
bool parseSearchRequest(const protocol::Params& params, SearchRequest* out, std::string* problem);

/// Nanoseconds since the epoch, or a UTC time "2024-05-01T12:00:00[.123456789]Z".
bool parseSearchTime(const std::string& text, std::int64_t* out);

/// Runs `request` on `store`: the matched packets' sessions and, with withPackets, their
/// pcap (one link type: packets of another end the search with `*problem` set).
bool runSearch(PacketStore& store, const SearchRequest& request, protocol::SearchReply* reply,
               std::string* problem);

/// Collects the sessions of matched packets (both directions of a flow together).
class SessionCollector {
 public:
  void add(const StoredPacket& packet);
  /// The packets of a session as a segment's index counted them.
  void add(const IndexedSession& session);
  std::vector<protocol::SearchSession> sessions() const;

 private:
  using Key = std::tuple<int, net::IpAddress, std::uint16_t, net::IpAddress, std::uint16_t>;
  /// Adds packets of session `key` to it: their count, bytes, time range and sources.
  void merge(const Key& key, std::uint64_t packets, std::uint64_t bytes, std::int64_t firstTime,
             std::int64_t lastTime, std::span<const std::string_view> sources);
  std::map<Key, protocol::SearchSession, SessionKeyLess> m_sessions;
  decoder::DecodedPacket m_decoded;
};

}  // namespace netlens::node::store
