// SPDX-License-Identifier: MIT
#include "node/store/search_request.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>

#include "node/capture/bpf_filter.h"
#include "node/store/payload_match.h"
#include "shared/decoder/packet_decoder.h"
#include "shared/net/address_order.h"
#include "shared/pcap/pcap_writer.h"
#include "shared/protocol/param_text.h"

namespace netlens::node::store {

namespace {

using protocol::parseNumber;
using protocol::splitCommas;

/// Which side a parameter name selects: "host" either, "src-host" source, "dst-host" destination.
bool sideOf(const std::string& name, const std::string& what, Side* side) {
  if (name == what) {
    *side = Side::Either;
  } else if (name == "src-" + what) {
    *side = Side::Source;
  } else if (name == "dst-" + what) {
    *side = Side::Destination;
  } else {
    return false;
  }
  return true;
}

}  // namespace

bool parseSearchTime(const std::string& text, std::int64_t* out) {
  std::uint64_t ns = 0;
  if (parseNumber(text, INT64_MAX, &ns)) {
    *out = static_cast<std::int64_t>(ns);
    return true;
  }
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6)
    return false;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::int64_t fraction = 0;
  std::size_t i = static_cast<std::size_t>(consumed);
  if (i < text.size() && text[i] == '.') {
    int digits = 0;
    for (++i; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i, ++digits)
      if (digits < 9) fraction = fraction * 10 + (text[i] - '0');
    for (; digits < 9; ++digits) fraction *= 10;
  }
  if (i + 1 != text.size() || text[i] != 'Z') return false;
  *out = static_cast<std::int64_t>(timegm(&tm)) * 1'000'000'000 + fraction;
  return true;
}

bool parseSearchRequest(const protocol::Params& params, SearchRequest* out, std::string* problem) {
  SearchCriteria& c = out->criteria;
  const auto bad = [&](const std::string& name, const std::string& value, const std::string& what) {
    *problem = "parameter " + name + ": \"" + value + "\" is not " + what;
    return false;
  };
  for (const auto& [name, value] : params) {
    Side side = Side::Either;
    if (name == "from" || name == "to") {
      std::int64_t t = 0;
      if (!parseSearchTime(value, &t))
        return bad(name, value, "a time (ns since the epoch or 2024-05-01T12:00:00Z)");
      (name == "from" ? c.from : c.to) = t;
    } else if (name == "bpf") {
      c.bpf = value;
    } else if (name == "payload" || name == "payload-hex" || name == "payload-regex") {
      (name == "payload"       ? c.payload
       : name == "payload-hex" ? c.payloadHex
                               : c.payloadRegex) = value;
      if (value.empty()) return bad(name, value, "a payload signature");
      if (int{!c.payload.empty()} + int{!c.payloadHex.empty()} + int{!c.payloadRegex.empty()} > 1) {
        *problem = "parameters payload, payload-hex and payload-regex: give one of them";
        return false;
      }
      // Checked here (a regular expression compiled) so that a bad one is refused at once.
      if (!PayloadMatcher::make(c.payload, c.payloadHex, c.payloadRegex, problem)) return false;
    } else if (name == "http-host" || name == "http-url" || name == "http-user-agent" ||
               name == "http-file" || name == "http-user") {
      if (value.empty()) return bad(name, value, "a value");
      auto& h = c.http;
      (name == "http-host"         ? h.host
       : name == "http-url"        ? h.url
       : name == "http-user-agent" ? h.userAgent
       : name == "http-file"       ? h.file
                                   : h.user) = value;
    } else if (name == "payload-scope") {
      if (value != "packet" && value != "session") return bad(name, value, "packet or session");
      c.payloadPerSession = value == "session";
    } else if (name == "bpf-code") {
      // Checked here so that a bad program is refused before any search starts.
      std::string error;
      if (!capture::BpfFilter::fromBytecode(value, &error)) {
        *problem = "parameter bpf-code: " + error;
        return false;
      }
      c.bpfCode = value;
    } else if (name == "mode") {
      if (value != "list" && value != "packets") return bad(name, value, "list or packets");
      out->withPackets = value == "packets";
    } else if (name == "limit") {
      std::uint64_t n = 0;
      if (!parseNumber(value, protocol::kMaxSearchPackets, &n) || n == 0)
        return bad(name, value,
                   "a number of packets from 1 to " + std::to_string(protocol::kMaxSearchPackets));
      out->limit = n;
    } else if (name == "chunk-bytes") {
      std::uint64_t n = 0;
      if (!parseNumber(value, protocol::kMaxSearchChunkBytes, &n) ||
          n < protocol::kMinSearchChunkBytes)
        return bad(name, value,
                   "a page size in bytes from " + std::to_string(protocol::kMinSearchChunkBytes) +
                       " to " + std::to_string(protocol::kMaxSearchChunkBytes));
      out->chunkBytes = n;
    } else if (name == "budget-ms") {
      std::uint64_t n = 0;
      if (!parseNumber(value, kMaxSearchBudgetMs, &n) || n == 0)
        return bad(name, value,
                   "a time in milliseconds from 1 to " + std::to_string(kMaxSearchBudgetMs));
      out->budgetMs = static_cast<std::uint32_t>(n);
    } else if (name == "after") {
      SearchCriteria::Position position;
      if (!parseResumeToken(value, &position))
        return bad(name, value, "the resume token of the previous page (SEGMENT:OFFSET)");
      c.after = position;
    } else if (sideOf(name, "host", &side)) {
      for (const auto& v : splitCommas(value)) {
        auto ip = net::IpAddress::parse(v);
        if (!ip) return bad(name, v, "an IPv4 or IPv6 address");
        c.hosts.push_back({*ip, side});
      }
    } else if (sideOf(name, "mac", &side)) {
      for (const auto& v : splitCommas(value)) {
        auto mac = net::MacAddress::parse(v);
        if (!mac) return bad(name, v, "a MAC address (aa:bb:cc:dd:ee:ff)");
        c.macs.push_back({*mac, side});
      }
    } else if (sideOf(name, "port", &side)) {
      for (const auto& v : splitCommas(value)) {
        std::uint64_t port = 0;
        if (!parseNumber(v, 65535, &port)) return bad(name, v, "a port (0 to 65535)");
        c.ports.push_back({static_cast<std::uint16_t>(port), side});
      }
    } else if (name == "proto") {
      for (const auto& v : splitCommas(value)) {
        const auto p = protocol::parseIpProtocol(v);
        if (!p) return bad(name, v, protocol::kIpProtocolsTaken);
        c.protocols.push_back(*p);
      }
    } else if (name == "connection") {
      const auto items = splitCommas(value);
      if (items.empty()) return bad(name, value, protocol::kConnectionTextTaken);
      for (const auto& v : items) {
        const auto connection = protocol::parseConnectionText(v);
        if (!connection) return bad(name, v, protocol::kConnectionTextTaken);
        c.connections.push_back(*connection);
      }
      if (c.connections.size() > protocol::kMaxSearchConnections) {
        *problem = "parameter connection: " + std::to_string(c.connections.size()) +
                   " connections; a search names at most " +
                   std::to_string(protocol::kMaxSearchConnections) +
                   " (split the search, or select them by host or port)";
        return false;
      }
    } else if (name == "vlan") {
      for (const auto& v : splitCommas(value)) {
        std::uint64_t n = 0;
        if (!parseNumber(v, 4095, &n)) return bad(name, v, "a VLAN id (0 to 4095)");
        c.vlans.push_back(static_cast<std::uint16_t>(n));
      }
    } else {
      *problem =
          "unknown parameter \"" + name +
          "\" (search takes from, to, host, src-host, dst-host, mac, src-mac, dst-mac, "
          "port, src-port, dst-port, proto, vlan, connection, bpf, bpf-code, payload, payload-hex, "
          "payload-regex, payload-scope, http-host, http-url, http-user-agent, http-file, "
          "http-user, mode, "
          "limit, chunk-bytes, budget-ms and after)";
      return false;
    }
  }
  if (c.payloadPerSession && !c.hasPayload()) {
    *problem = "parameter payload-scope: it goes with payload, payload-hex or payload-regex";
    return false;
  }
  if (c.from && c.to && *c.from > *c.to) {
    *problem = "parameters from and to: from is after to";
    return false;
  }
  return true;
}

bool parseResumeToken(const std::string& text, SearchCriteria::Position* out) {
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos) return false;
  return parseNumber(text.substr(0, colon), UINT64_MAX, &out->segment) &&
         parseNumber(text.substr(colon + 1), UINT64_MAX, &out->offset);
}

std::string formatResumeToken(const SearchCriteria::Position& position) {
  return std::to_string(position.segment) + ":" + std::to_string(position.offset);
}

void SessionCollector::add(const StoredPacket& p) {
  decoder::PacketDecoder::decode(static_cast<int>(p.linkType), p.data, p.capturedLength,
                                 p.wireLength, p.timestampNs, m_decoded);
  Key key{0, net::IpAddress{}, 0, net::IpAddress{}, 0};
  if (m_decoded.hasIp()) {
    const auto& ip = m_decoded.innermostIp();
    const auto& t = m_decoded.transport;
    auto a = std::make_pair(ip.src, t.hasPorts() ? t.srcPort : std::uint16_t{0});
    auto b = std::make_pair(ip.dst, t.hasPorts() ? t.dstPort : std::uint16_t{0});
    // Both directions are one session.
    if (net::compareEnds(b.first, b.second, a.first, a.second) < 0) std::swap(a, b);
    key = Key{int{ip.protocol}, a.first, a.second, b.first, b.second};
  }
  const std::string_view source[] = {p.source};
  merge(key, 1, p.wireLength, p.timestampNs, p.timestampNs, source);
}

void SessionCollector::add(const IndexedSession& s) {
  merge(Key{int{s.protocol}, s.a, s.aPort, s.b, s.bPort}, s.packets, s.bytes, s.firstTime,
        s.lastTime, s.sources);
}

void SessionCollector::merge(const Key& key, std::uint64_t packets, std::uint64_t bytes,
                             std::int64_t firstTime, std::int64_t lastTime,
                             std::span<const std::string_view> sources) {
  protocol::SearchSession& s = m_sessions[key];
  if (s.packets == 0) {
    s.protocol = static_cast<std::uint8_t>(std::get<0>(key));
    s.a = std::get<1>(key);
    s.aPort = std::get<2>(key);
    s.b = std::get<3>(key);
    s.bPort = std::get<4>(key);
    s.firstSeen = firstTime;
  }
  s.firstSeen = std::min(s.firstSeen, firstTime);
  s.lastSeen = std::max(s.lastSeen, lastTime);
  s.packets += packets;
  s.bytes += bytes;
  // Usually one source, so a scan of the list; "" (a segment stored before sources were
  // recorded) names none.
  for (const std::string_view source : sources) {
    if (!source.empty() && std::find(s.sources.begin(), s.sources.end(), source) == s.sources.end())
      s.sources.emplace_back(source);
  }
}

std::vector<protocol::SearchSession> SessionCollector::sessions() const {
  std::vector<protocol::SearchSession> out;
  out.reserve(m_sessions.size());
  for (const auto& [key, s] : m_sessions) out.push_back(s);
  return out;
}

bool runSearch(PacketStore& store, const SearchRequest& request, protocol::SearchReply* reply,
               std::string* problem) {
  SessionCollector sessions;
  protocol::SearchReply r;
  std::string pcapBytes;
  bool linkTypeSet = false;
  SearchStats stats;
  SearchCriteria::Position last;
  bool pageFull = false;
  // The packets' sources: the same one as the packet before is the common case.
  std::map<std::pair<std::string, std::uint32_t>, std::uint32_t> sourceIds;
  std::string lastSource;
  std::uint32_t lastSourceLink = 0;
  std::uint32_t lastSourceId = UINT32_MAX;
  SearchCriteria criteria = request.criteria;
  if (request.budgetMs != 0)
    criteria.deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(request.budgetMs);
  // Without packets, what a segment's index can tell is all the answer needs from it.
  const PacketStore::IndexedSink onIndexed = [&](const IndexedAnswer& answer) {
    if (r.packets + answer.packets > request.limit) return false;  // read up to the limit
    r.packets += answer.packets;
    last = answer.last;
    for (const IndexedSession& s : answer.sessions) sessions.add(s);
    return true;
  };
  auto st = store.search(
      criteria,
      [&](const StoredPacket& p) {
        if (r.packets == request.limit) {
          // A paged answer goes on in the next page; a single answer says it was cut.
          (request.chunkBytes != 0 ? pageFull : r.truncated) = true;
          return false;
        }
        if (request.chunkBytes != 0 && pcapBytes.size() >= request.chunkBytes) {
          pageFull = true;  // this packet starts the next page
          return false;
        }
        ++r.packets;
        last = {p.segment, p.offset};
        sessions.add(p);
        if (!request.withPackets) return true;
        if (!linkTypeSet) {
          const auto header = pcap::PcapWriter::fileHeader(p.linkType, pcap::kDefaultSnapLength);
          pcapBytes.append(reinterpret_cast<const char*>(header.data()), header.size());
          r.linkType = p.linkType;
          linkTypeSet = true;
        } else if (p.linkType != r.linkType) {
          *problem =
              "the matching packets have several link types; a pcap file holds one: narrow the "
              "search (e.g. by time)";
          return false;
        }
        const auto record =
            pcap::PcapWriter::recordHeader(p.timestampNs, p.capturedLength, p.wireLength);
        pcapBytes.append(reinterpret_cast<const char*>(record.data()), record.size());
        pcapBytes.append(reinterpret_cast<const char*>(p.data), p.capturedLength);
        if (lastSourceId == UINT32_MAX || p.source != lastSource || p.linkType != lastSourceLink) {
          lastSource.assign(p.source);
          lastSourceLink = p.linkType;
          const auto [it, isNew] = sourceIds.try_emplace(
              {lastSource, p.linkType}, static_cast<std::uint32_t>(r.sources.size()));
          if (isNew) r.sources.push_back({lastSource, p.linkType});
          lastSourceId = it->second;
        }
        r.packetSources.push_back(lastSourceId);
        return true;
      },
      &stats, request.withPackets ? nullptr : &onIndexed);
  if (!st) {
    *problem = st.error();
    return false;
  }
  if (!problem->empty()) return false;
  r.estimatedPackets = r.packets;
  if (!pageFull && stats.outOfTime) {
    pageFull = true;  // out of time: the next page starts after the last packet read
    last = stats.reached;
  }
  if (pageFull && stats.inFirstPass) {
    // Finding the sessions: what they hold is not known yet, and counting the candidates of
    // the whole range on every such page would cost more than the page's time. Progress is
    // the first pass's own.
    r.resume = formatResumeToken(last);
    r.estimatedPackets = 0;
    r.sessionScanRead = stats.scanRead;
    r.sessionScanEstimate = stats.scanEstimate;
  } else if (pageFull) {
    r.resume = formatResumeToken(last);
    SearchCriteria rest = request.criteria;
    rest.after = last;
    auto remaining = store.countCandidates(rest);
    if (!remaining) {
      *problem = remaining.error();
      return false;
    }
    r.estimatedPackets += *remaining;
  }
  r.packetsRead = stats.candidates;
  r.sessions = sessions.sessions();
  r.pcap = std::move(pcapBytes);
  *reply = std::move(r);
  return true;
}

}  // namespace netlens::node::store
