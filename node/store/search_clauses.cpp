// SPDX-License-Identifier: MIT
// PacketStore::keyClauses(): a search's indexed criteria as clauses of index keys.
#include <functional>
#include <vector>

#include "node/store/connection_match.h"
#include "node/store/packet_store.h"

namespace netlens::node::store {

namespace {

std::vector<IndexKey> sideKeys(KeyKind src, KeyKind dst, Side side,
                               const std::function<IndexKey(KeyKind)>& make) {
  std::vector<IndexKey> keys;
  if (side != Side::Destination) keys.push_back(make(src));
  if (side != Side::Source) keys.push_back(make(dst));
  return keys;
}

/// The clauses of one kind of criterion given with sides: one clause per side used (the
/// criteria "host", "src-host" and "dst-host" each), holding the keys of all its values — the
/// values of one criterion are alternatives, different criteria must all hold.
template <typename Value, typename MakeKey>
void addSideClauses(const std::vector<Value>& values, KeyKind src, KeyKind dst, MakeKey make,
                    std::vector<std::vector<IndexKey>>* clauses) {
  for (Side side : {Side::Either, Side::Source, Side::Destination}) {
    std::vector<IndexKey> clause;
    for (const auto& v : values) {
      if (v.side != side) continue;
      for (auto& key : sideKeys(src, dst, side, [&](KeyKind k) { return make(k, v); }))
        clause.push_back(std::move(key));
    }
    if (!clause.empty()) clauses->push_back(std::move(clause));
  }
}

}  // namespace

PacketStore::KeyClauses PacketStore::keyClauses(const SearchCriteria& c) {
  PacketStore::KeyClauses clauses;
  addSideClauses(
      c.hosts, KeyKind::SrcIp, KeyKind::DstIp,
      [](KeyKind k, const SearchCriteria::Host& h) { return IndexKey::ip(k, h.ip); }, &clauses);
  addSideClauses(
      c.macs, KeyKind::SrcMac, KeyKind::DstMac,
      [](KeyKind k, const SearchCriteria::Mac& m) { return IndexKey::mac(k, m.mac); }, &clauses);
  addSideClauses(
      c.ports, KeyKind::SrcPort, KeyKind::DstPort,
      [](KeyKind k, const SearchCriteria::Port& p) { return IndexKey::number(k, p.port, 2); },
      &clauses);
  if (!c.protocols.empty()) {
    clauses.emplace_back();
    for (auto p : c.protocols)
      clauses.back().push_back(IndexKey::number(KeyKind::IpProtocol, p, 1));
  }
  if (!c.vlans.empty()) {
    clauses.emplace_back();
    for (auto v : c.vlans) clauses.back().push_back(IndexKey::number(KeyKind::Vlan, v, 2));
  }
  if (!c.connections.empty()) {
    // Every packet of a connection carries both its addresses: one of each suffices.
    clauses.emplace_back();
    for (const auto& ip : ConnectionMatcher::anchors(c.connections)) {
      clauses.back().push_back(IndexKey::ip(KeyKind::SrcIp, ip));
      clauses.back().push_back(IndexKey::ip(KeyKind::DstIp, ip));
    }
  }
  return clauses;
}

}  // namespace netlens::node::store
