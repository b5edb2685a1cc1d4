// SPDX-License-Identifier: MIT
// PacketStore's answers from a segment's index alone: the sessions of a search's matches,
// with their packets, bytes and times from the session table, no packet read (a
// sessions-only search of a host costs its sessions, not its packets).
#include <algorithm>
#include <map>
#include <tuple>

#include "node/store/packet_store.h"

namespace netlens::node::store {

namespace {

/// A packet of one of the sessions read: its number and the session's place among them.
struct SessionPacket {
  std::uint32_t number = 0;
  std::uint32_t session = 0;
};

}  // namespace

bool PacketStore::answerFromIndex(const Segment& seg, const std::vector<std::uint32_t>& numbers,
                                  std::uint64_t lastOffset, IndexSessions& sessions,
                                  const std::vector<std::uint16_t>& sources,
                                  IndexedAnswer* out) const {
  if (numbers.empty()) return false;
  // Each session once (every lookup of a session kind read its sessions).
  std::sort(sessions.begin(), sessions.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  sessions.erase(std::unique(sessions.begin(), sessions.end(),
                             [](const auto& x, const auto& y) { return x.first == y.first; }),
                 sessions.end());
  std::vector<SessionPacket> packets;
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    for (const std::uint32_t p : sessions[i].second.packets)
      packets.push_back({p >> 1, static_cast<std::uint32_t>(i)});
  }
  std::sort(packets.begin(), packets.end(),
            [](const SessionPacket& x, const SessionPacket& y) { return x.number < y.number; });
  // Each match's session of the answer, in the order of their first matches: the sessions of
  // the same ends (split by their MACs) are one, so that its sources are in the order met.
  using Ends =
      std::tuple<std::uint8_t, net::IpAddress, std::uint16_t, net::IpAddress, std::uint16_t>;
  std::map<Ends, std::uint32_t, SessionKeyLess> slotOfEnds;
  std::vector<std::uint32_t> slotOf(sessions.size(), UINT32_MAX);
  std::vector<std::uint32_t> matched(sessions.size(), 0);
  out->sessions.clear();
  auto at = packets.begin();
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    at = std::lower_bound(at, packets.end(), numbers[i],
                          [](const SessionPacket& p, std::uint32_t n) { return p.number < n; });
    // Not in a session read (a tunnelled packet, posted per packet, or criteria without a
    // session kind): read.
    if (at == packets.end() || at->number != numbers[i]) return false;
    std::uint32_t& slot = slotOf[at->session];
    if (slot == UINT32_MAX) {
      const IndexSession& s = sessions[at->session].second;
      const auto [it, isNew] =
          slotOfEnds.try_emplace(Ends{s.protocol, s.a, s.aPort, s.b, s.bPort},
                                 static_cast<std::uint32_t>(out->sessions.size()));
      slot = it->second;
      if (isNew) {
        IndexedSession& n = out->sessions.emplace_back();
        n.protocol = s.protocol;
        n.a = s.a;
        n.aPort = s.aPort;
        n.b = s.b;
        n.bPort = s.bPort;
        n.firstTime = s.firstTime;
        n.lastTime = s.lastTime;
      }
      IndexedSession& n = out->sessions[slot];
      n.bytes += s.bytes;
      n.firstTime = std::min(n.firstTime, s.firstTime);
      n.lastTime = std::max(n.lastTime, s.lastTime);
    }
    ++matched[at->session];
    IndexedSession& n = out->sessions[slot];
    ++n.packets;
    if (!seg.sources.empty()) {
      const std::string_view source = seg.sources[sources.empty() ? 0 : sources[i]];
      if (std::find(n.sources.begin(), n.sources.end(), source) == n.sources.end())
        n.sources.push_back(source);
    }
  }
  // The session table's counters are those of all of a session's packets: exact only for
  // sessions that match whole.
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    if (matched[i] != 0 && matched[i] != sessions[i].second.packets.size()) return false;
  }
  out->packets = numbers.size();
  out->last = {seg.number, lastOffset};  // where a page that ends here resumes
  return true;
}

}  // namespace netlens::node::store
