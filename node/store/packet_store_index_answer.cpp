// SPDX-License-Identifier: MIT
// PacketStore's answers from a segment's index alone: the sessions of a search's matches,
// their packets and bytes counted and their times taken from the session table, no packet
// read (a sessions-only search of a host costs its sessions, not its packets).
#include <algorithm>

#include "node/store/index_codec.h"
#include "node/store/packet_store.h"

namespace netlens::node::store {

namespace {

/// The keys of the first criterion whose keys are posted through sessions (hosts, then
/// ports, MACs and protocols: the one likely to name the fewest sessions first); empty when
/// there is none.
std::vector<IndexKey> sessionCriterion(const SearchCriteria& c) {
  std::vector<IndexKey> keys;
  // Any side: the lookup is of the session kind, which both sides share.
  if (!c.hosts.empty()) {
    for (const auto& h : c.hosts) keys.push_back(IndexKey::ip(KeyKind::SrcIp, h.ip));
  } else if (!c.ports.empty()) {
    for (const auto& p : c.ports) keys.push_back(IndexKey::number(KeyKind::SrcPort, p.port, 2));
  } else if (!c.macs.empty()) {
    for (const auto& m : c.macs) keys.push_back(IndexKey::mac(KeyKind::SrcMac, m.mac));
  } else {
    for (const std::uint8_t p : c.protocols)
      keys.push_back(IndexKey::number(KeyKind::IpProtocol, p, 1));
  }
  return keys;
}

/// A packet of one of the sessions read: its number, the session's place in them and
/// whether b sent it.
struct SessionPacket {
  std::uint32_t number = 0;
  std::uint32_t session = 0;
};

}  // namespace

bool PacketStore::answerFromIndex(Segment& seg, const SearchCriteria& criteria,
                                  const std::vector<std::uint32_t>& numbers,
                                  const std::vector<std::uint64_t>& offsets,
                                  const std::vector<std::uint64_t>& ends,
                                  const std::vector<std::uint16_t>& sources, IndexedAnswer* out) {
  const std::vector<IndexKey> keys = sessionCriterion(criteria);
  if (keys.empty() || numbers.empty() || seg.header.version < detail::kIndexVersion) return false;
  std::string error;
  SegmentIndexReader* reader = indexOf(seg, &error);
  if (reader == nullptr) return false;
  bool exact = true;
  // Matches whose record is not the whole frame need their record's wire length.
  std::vector<std::uint32_t> list;
  if (!reader->find(IndexKey::number(KeyKind::Truncated, 0, 1), &list)) exact = false;
  std::vector<std::uint32_t> cut;
  if (exact) {
    std::set_intersection(numbers.begin(), numbers.end(), list.begin(), list.end(),
                          std::back_inserter(cut));
    exact = cut.empty();
  }
  // The sessions of the criterion's keys: every match that is in a session is in one of them.
  std::vector<std::uint32_t> sessionNumbers;
  for (std::size_t k = 0; exact && k < keys.size(); ++k) {
    if (!reader->sessionsWith(keys[k], &list)) {
      exact = false;
      break;
    }
    const std::size_t before = sessionNumbers.size();
    sessionNumbers.insert(sessionNumbers.end(), list.begin(), list.end());
    std::inplace_merge(sessionNumbers.begin(),
                       sessionNumbers.begin() + static_cast<std::ptrdiff_t>(before),
                       sessionNumbers.end());
  }
  sessionNumbers.erase(std::unique(sessionNumbers.begin(), sessionNumbers.end()),
                       sessionNumbers.end());
  std::vector<IndexSession> sessions;
  if (exact && !reader->readSessions(sessionNumbers, &sessions)) exact = false;
  releaseIndex(seg);
  if (!exact) return false;
  std::vector<SessionPacket> packets;
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    for (const std::uint32_t p : sessions[i].packets)
      packets.push_back({p >> 1, static_cast<std::uint32_t>(i)});
  }
  std::sort(packets.begin(), packets.end(),
            [](const SessionPacket& x, const SessionPacket& y) { return x.number < y.number; });
  // Each match's session, in the order of the sessions' first matches.
  std::vector<std::uint32_t> slotOf(sessions.size(), UINT32_MAX);
  out->sessions.clear();
  auto at = packets.begin();
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    at = std::lower_bound(at, packets.end(), numbers[i],
                          [](const SessionPacket& p, std::uint32_t n) { return p.number < n; });
    // Not in one of them (a tunnelled packet, posted per packet), or a record whose end is
    // not known: read.
    if (at == packets.end() || at->number != numbers[i] || ends[i] <= offsets[i]) return false;
    std::uint32_t& slot = slotOf[at->session];
    if (slot == UINT32_MAX) {
      const IndexSession& s = sessions[at->session];
      slot = static_cast<std::uint32_t>(out->sessions.size());
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
    ++n.packets;
    n.bytes += ends[i] - offsets[i] - pcap::kRecordHeaderSize;
    if (!seg.sources.empty()) {
      const std::string_view source = seg.sources[sources.empty() ? 0 : sources[i]];
      if (std::find(n.sources.begin(), n.sources.end(), source) == n.sources.end())
        n.sources.push_back(source);
    }
  }
  // The session table's times are those of all of a session's packets: exact only for
  // sessions that match whole.
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    if (slotOf[i] != UINT32_MAX && out->sessions[slotOf[i]].packets != sessions[i].packets.size())
      return false;
  }
  out->packets = numbers.size();
  out->last = {seg.number, offsets.back()};
  return true;
}

}  // namespace netlens::node::store
