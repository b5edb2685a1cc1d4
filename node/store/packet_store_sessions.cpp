// SPDX-License-Identifier: MIT
// PacketStore's searches that select whole sessions (payload per session, HTTP criteria):
// a first pass finds the sessions, kept between pages (SessionScanCache), a second delivers
// their packets.
#include <algorithm>

#include "node/store/packet_store.h"
#include "node/store/payload_match.h"
#include "node/store/session_scan_cache.h"
#include "node/store/session_scanner.h"

namespace netlens::node::store {

using protocol::Status;

Status PacketStore::searchSessions(const SearchCriteria& criteria,
                                   const std::function<bool(const StoredPacket&)>& onPacket,
                                   SearchStats* stats) {
  SearchCriteria others = criteria;
  if (criteria.payloadPerSession) {
    others.payload.clear();
    others.payloadHex.clear();
    others.payloadRegex.clear();
    others.payloadPerSession = false;
  }
  others.http = {};
  // First pass: the sessions whose streams hold the signature, from their first packet (a
  // resumed page still needs the earlier packets of its sessions). A scan kept from the
  // previous page (or the same search just before) goes on after the last packet it read.
  const std::string key = SessionScanCache::keyOf(criteria);
  const auto now = SessionScanCache::Clock::now();
  SessionScanCache::Scan* kept = m_sessionScanCache->find(key, now);
  // A later page whose scan is gone (more session searches at once than the cache keeps, or
  // one idle too long) starts its first pass again, paged, as a scan the cache keeps ahead
  // of others; one that loses even that reads its first pass whole, so that it always gets
  // past it.
  const bool scanLost = kept == nullptr && criteria.after.has_value();
  // A search from its start is a new one: an earlier one's lost scans do not count.
  if (!criteria.after) m_sessionScanCache->forgetRestart(key);
  const bool lostAgain = scanLost && m_sessionScanCache->restartedBefore(key);
  if (kept == nullptr) {
    SessionScanCache::Scan fresh;
    if (criteria.payloadPerSession) {
      std::string error;
      fresh.matcher = PayloadMatcher::make(criteria.payload, criteria.payloadHex,
                                           criteria.payloadRegex, &error);
      if (!fresh.matcher) return Status::failure(error);
    }
    fresh.scanner = std::make_unique<SessionScanner>(fresh.matcher.get(), criteria.http);
    kept = &m_sessionScanCache->insert(key, std::move(fresh), now, scanLost);
  }
  SearchCriteria scan = others;
  scan.after = kept->scannedTo;
  scan.payload.clear();  // a per-packet signature applies to the answer, not to the scan
  scan.payloadHex.clear();
  scan.payloadRegex.clear();
  SessionScanner& scanner = *kept->scanner;
  // Out of time in the first pass, a page ends with nothing yet and resumes where it began:
  // the kept scan goes on from the candidate it reached.
  scan.deadline = lostAgain ? std::nullopt : criteria.deadline;
  SearchStats scanned;
  if (auto st = search(
          scan,
          [&](const StoredPacket& p) {
            scanner.feed(p);
            kept->scannedTo = SearchCriteria::Position{p.segment, p.offset};
            ++m_sessionScanPackets;
            return true;
          },
          &scanned);
      !st) {
    m_sessionScanCache->erase(key);
    m_sessionScanCache->forgetRestart(key);
    return st;
  }
  kept->read += scanned.candidates;
  if (scanned.outOfTime) {
    kept->scannedTo = scanned.reached;
    if (kept->estimate == 0) {
      // Counted once, when the pass first needs a second page: a pass that fits in one page
      // never pays for it. The candidates after where it stands, from the indexes only (a
      // failure leaves the estimate unknown: it is for progress only).
      scan.after = kept->scannedTo;
      if (auto rest = countCandidates(scan)) kept->estimate = kept->read + *rest;
    }
    if (stats) {
      stats->outOfTime = true;
      stats->inFirstPass = true;
      stats->reached = criteria.after.value_or(SearchCriteria::Position{});
      stats->scanRead = kept->read;
      stats->scanEstimate = kept->estimate == 0 ? 0 : std::max(kept->estimate, kept->read);
    }
    return {};
  }
  m_sessionScanCache->forgetRestart(key);
  if (scanner.sessionsFound() == 0) return {};
  // Second pass: their packets.
  others.deadline = criteria.deadline;
  return search(
      others, [&](const StoredPacket& p) { return !scanner.matches(p) || onPacket(p); }, stats);
}

}  // namespace netlens::node::store
