// SPDX-License-Identifier: MIT
#include "node/store/session_scanner.h"

#include <algorithm>
#include <cctype>

#include "node/analysis/http_parser.h"
#include "shared/decoder/packet_decoder.h"

namespace netlens::node::store {

namespace {

bool equalIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool containsIgnoringCase(std::string_view text, std::string_view part) {
  return std::search(text.begin(), text.end(), part.begin(), part.end(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         }) != text.end();
}

/// The Host header without its port ("example.com:8080", "[2001:db8::1]:443").
std::string_view hostName(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    const std::size_t end = host.find(']');
    return end == std::string_view::npos ? host : host.substr(1, end - 1);
  }
  const std::size_t colon = host.find(':');
  return colon != std::string_view::npos && host.find(':', colon + 1) == std::string_view::npos
             ? host.substr(0, colon)
             : host;
}

bool meetsHttp(const SearchCriteria::Http& c, const analysis::HttpRequest& r) {
  if (!c.host.empty() && !equalIgnoringCase(hostName(r.host), c.host)) return false;
  if (!c.url.empty() && r.uri.find(c.url) == std::string_view::npos) return false;
  if (!c.userAgent.empty() && !containsIgnoringCase(r.userAgent, c.userAgent)) return false;
  if (!c.file.empty() && !equalIgnoringCase(r.fileName, c.file)) return false;
  if (!c.user.empty() && r.user != c.user) return false;
  return true;
}

}  // namespace

struct SessionScanner::Connection : analysis::HttpListener {
  Direction sides[2];
  analysis::HttpParser http;
  const SearchCriteria::Http* criteria = nullptr;
  bool httpFound = false;

  void onRequest(analysis::StreamDirection, const analysis::HttpRequest& r) override {
    if (meetsHttp(*criteria, r)) httpFound = true;
  }
};

SessionScanner::SessionScanner(const PayloadMatcher* matcher, SearchCriteria::Http http)
    : m_matcher(matcher), m_http(std::move(http)) {}

SessionScanner::~SessionScanner() = default;

std::size_t SessionScanner::SessionHash::operator()(const SessionKey& k) const {
  const net::IpAddressHash hash;
  return hash(std::get<1>(k)) ^ (hash(std::get<3>(k)) * 0x9e3779b97f4a7c15ULL) ^
         (std::size_t{std::get<2>(k)} << 16) ^ std::get<4>(k) ^
         (static_cast<std::size_t>(std::get<0>(k)) << 40);
}

std::size_t SessionScanner::sessionsFound() const {
  return static_cast<std::size_t>(std::count_if(m_found.begin(), m_found.end(),
                                                [&](const auto& f) { return meets(f.second); }));
}

bool SessionScanner::decode(const StoredPacket& p, SessionKey* key) {
  decoder::PacketDecoder::decode(static_cast<int>(p.linkType), p.data, p.capturedLength,
                                 p.wireLength, p.timestampNs, m_decoded);
  if (!m_decoded.hasIp()) return false;
  const auto& ip = m_decoded.innermostIp();
  const auto& t = m_decoded.transport;
  auto a = std::make_pair(ip.src, t.hasPorts() ? t.srcPort : std::uint16_t{0});
  auto b = std::make_pair(ip.dst, t.hasPorts() ? t.dstPort : std::uint16_t{0});
  if (b < a) std::swap(a, b);
  *key = SessionKey{int{ip.protocol}, a.first, a.second, b.first, b.second};
  return true;
}

void SessionScanner::feed(const StoredPacket& packet) {
  SessionKey key;
  if (!decode(packet, &key)) return;
  const auto& t = m_decoded.transport;
  const bool tcp = t.protocol == decoder::ipproto::kTcp && t.tcpHeaderValid;
  if (!tcp) {
    if (m_matcher != nullptr && t.payloadLength != 0 &&
        m_matcher->matches(t.payload, t.payloadLength))
      markPayload(key);
    return;
  }
  auto it = m_connections.find(key);
  if (it == m_connections.end()) {
    if (m_connections.size() >= kMaxConnections) {
      ++m_unfollowed;
      if (m_matcher != nullptr && t.payloadLength != 0 &&
          m_matcher->matches(t.payload, t.payloadLength))
        markPayload(key);
      return;
    }
    auto connection = std::make_unique<Connection>();
    connection->criteria = &m_http;
    it = m_connections.emplace(key, std::move(connection)).first;
  }
  followTcp(key, *it->second, packet.timestampNs);
}

void SessionScanner::followTcp(const SessionKey& key, Connection& c, std::int64_t timestampNs) {
  const auto& ip = m_decoded.innermostIp();
  const auto& t = m_decoded.transport;
  // Forward: from the session's first address (and port) to its second.
  const bool forward =
      std::make_pair(ip.src, t.srcPort) == std::make_pair(std::get<1>(key), std::get<2>(key));
  const auto direction =
      forward ? analysis::StreamDirection::Forward : analysis::StreamDirection::Reverse;
  Direction& d = c.sides[forward ? 0 : 1];
  if ((t.tcpFlags & decoder::tcpflag::kSyn) != 0) {
    // A (new) handshake: the stream starts after the SYN's sequence number.
    d.nextSeq = t.tcpSeq + 1;
    d.started = true;
    d.tail.clear();
    d.fromStart = true;
    return;
  }
  if (t.payloadLength == 0) return;
  if (!d.started) {  // the capture began inside the connection
    d.nextSeq = t.tcpSeq;
    d.started = true;
    d.fromStart = true;  // `^` matches at the first byte followed
  }
  const std::uint8_t* data = t.payload;
  std::uint32_t length = t.payloadLength;
  const auto ahead = static_cast<std::int32_t>(t.tcpSeq - d.nextSeq);
  if (ahead < 0) {
    // Retransmitted or overlapping: only the bytes past what was followed are new.
    const auto seen = static_cast<std::uint32_t>(-static_cast<std::int64_t>(ahead));
    if (seen >= length) return;
    data += seen;
    length -= seen;
  } else if (ahead > 0) {
    d.tail.clear();  // a gap: bytes are missing, nothing spans it
    d.fromStart = false;
    if (m_http.any()) c.http.gap(direction, static_cast<std::uint32_t>(ahead));
  }
  if (m_http.any() && !c.httpFound) {
    c.http.feed(direction, data, length, timestampNs, c);
    if (c.httpFound) {
      m_found[key].http = true;
      c.http = analysis::HttpParser{};  // not fed again: let a gathered header go
    }
  }
  if (m_matcher != nullptr) {
    m_buffer.assign(d.tail);
    m_buffer.append(reinterpret_cast<const char*>(data), length);
    if (m_matcher->matches(reinterpret_cast<const std::uint8_t*>(m_buffer.data()),
                           static_cast<std::uint32_t>(m_buffer.size()), d.fromStart))
      markPayload(key);
    // The window ahead of the next segment: the stream's last history() bytes (a literal's
    // length less one; a regular expression's fixed window), so memory stays bounded.
    const std::size_t keep = m_matcher->history();
    if (m_buffer.size() > keep) {
      d.tail.assign(m_buffer, m_buffer.size() - keep, keep);
      d.fromStart = false;
    } else {
      d.tail.swap(m_buffer);
    }
  }
  if (t.payloadLength < t.segmentLength) {  // cut by the snapshot length
    d.tail.clear();
    d.fromStart = false;
    if (m_http.any()) c.http.gap(direction, t.segmentLength - t.payloadLength);
  }
  d.nextSeq = t.tcpSeq + t.segmentLength;
}

bool SessionScanner::matches(const StoredPacket& packet) {
  SessionKey key;
  if (!decode(packet, &key)) return false;
  const auto it = m_found.find(key);
  return it != m_found.end() && meets(it->second);
}

}  // namespace netlens::node::store
