// SPDX-License-Identifier: MIT
#include "node/store/session_scan_cache.h"

#include <algorithm>

#include "node/store/payload_match.h"
#include "node/store/session_scanner.h"

namespace netlens::node::store {

SessionScanCache::Scan::Scan() = default;
SessionScanCache::Scan::~Scan() = default;
SessionScanCache::Scan::Scan(Scan&&) noexcept = default;
SessionScanCache::Scan& SessionScanCache::Scan::operator=(Scan&&) noexcept = default;

SessionScanCache::Scan* SessionScanCache::find(const std::string& key, Clock::time_point now) {
  for (Entry& e : m_entries) {
    if (e.key != key) continue;
    if (now - e.used > kIdle) {
      erase(key);
      return nullptr;
    }
    e.used = now;
    return &e.scan;
  }
  return nullptr;
}

SessionScanCache::Scan& SessionScanCache::insert(const std::string& key, Scan scan,
                                                 Clock::time_point now, bool restarted) {
  erase(key);
  std::erase_if(m_entries, [&](const Entry& e) { return now - e.used > kIdle; });
  const auto restartedCount = static_cast<std::size_t>(std::count_if(
      m_entries.begin(), m_entries.end(), [](const Entry& e) { return e.restarted; }));
  const std::size_t others = m_entries.size() - restartedCount;
  // Room: the least recently used of the ordinary scans while they fill kMaxScans (or the
  // restarted ones fill theirs), else of all.
  if (m_entries.size() >= kMaxScans + std::min(restartedCount, kMaxRestarted)) {
    const bool spareRestarted = others > 0 && restartedCount <= kMaxRestarted;
    auto candidates = m_entries.end();
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
      if (spareRestarted && it->restarted) continue;
      if (candidates == m_entries.end() || it->used < candidates->used) candidates = it;
    }
    m_entries.erase(candidates);
  }
  if (restarted && !restartedBefore(key)) {
    if (m_restartedKeys.size() == kRememberedRestarts)
      m_restartedKeys.erase(m_restartedKeys.begin());
    m_restartedKeys.push_back(key);
  }
  m_entries.push_back({key, std::move(scan), now, restarted});
  return m_entries.back().scan;
}

void SessionScanCache::forgetRestart(const std::string& key) {
  std::erase(m_restartedKeys, key);
}

bool SessionScanCache::restartedBefore(const std::string& key) const {
  return std::find(m_restartedKeys.begin(), m_restartedKeys.end(), key) != m_restartedKeys.end();
}

void SessionScanCache::erase(const std::string& key) {
  std::erase_if(m_entries, [&](const Entry& e) { return e.key == key; });
}

std::string SessionScanCache::keyOf(const SearchCriteria& c) {
  // Fields separated by a byte no value contains; lengths keep free text unambiguous.
  std::string k;
  const auto text = [&](const std::string& s) {
    k += std::to_string(s.size());
    k += ':';
    k += s;
    k += '\x1f';
  };
  const auto number = [&](auto v) {
    k += std::to_string(v);
    k += '\x1f';
  };
  number(c.from.value_or(INT64_MIN));
  number(c.to.value_or(INT64_MAX));
  for (const auto& h : c.hosts) {
    text(h.ip.toString());
    number(static_cast<int>(h.side));
  }
  k += '|';
  for (const auto& m : c.macs) {
    text(m.mac.toString());
    number(static_cast<int>(m.side));
  }
  k += '|';
  for (const auto& p : c.ports) {
    number(p.port);
    number(static_cast<int>(p.side));
  }
  k += '|';
  for (auto p : c.protocols) number(p);
  k += '|';
  for (auto v : c.vlans) number(v);
  k += '|';
  for (const auto& connection : c.connections) text(protocol::formatConnectionText(connection));
  k += '|';
  for (const std::string* s :
       {&c.bpf, &c.bpfCode, &c.payload, &c.payloadHex, &c.payloadRegex, &c.http.host, &c.http.url,
        &c.http.userAgent, &c.http.file, &c.http.user})
    text(*s);
  number(c.payloadPerSession ? 1 : 0);
  return k;
}

}  // namespace netlens::node::store
