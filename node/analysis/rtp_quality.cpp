// SPDX-License-Identifier: MIT
#include "node/analysis/rtp_quality.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "shared/voip/e_model.h"

namespace netlens::node::analysis {

namespace {

constexpr std::int64_t kSecondNs = 1'000'000'000;

std::int64_t secondOf(std::int64_t ns) {
  return ns >= 0 ? ns / kSecondNs : -((-ns + kSecondNs - 1) / kSecondNs);
}

}  // namespace

RtpSecond& RtpQualityTracker::second(std::int64_t timeNs, RtpQualityBudget& budget) {
  static thread_local RtpSecond scratch;
  const std::int64_t s = secondOf(timeNs);
  if (m_seriesLast >= 0 && s - m_seriesLast > static_cast<std::int64_t>(kSeriesSeconds)) {
    // A pause longer than the ring: start the series over.
    budget.bytesLeft += m_series.size() * sizeof(RtpSecond);
    m_series.clear();
    m_seriesHead = 0;
    m_seriesLast = -1;
  }
  if (m_seriesLast < 0) {
    if (budget.bytesLeft < sizeof(RtpSecond)) {
      scratch = {};
      return scratch;
    }
    budget.bytesLeft -= sizeof(RtpSecond);
    m_series.emplace_back();
    m_seriesFirst = m_seriesLast = s;
    return m_series.back();
  }
  while (m_seriesLast < s) {
    ++m_seriesLast;
    if (m_series.size() < kSeriesSeconds && m_seriesHead == 0 &&
        budget.bytesLeft >= sizeof(RtpSecond)) {
      budget.bytesLeft -= sizeof(RtpSecond);
      m_series.emplace_back();
    } else {
      // Full (or out of budget): the oldest second makes room.
      m_series[m_seriesHead] = {};
      m_seriesHead = (m_seriesHead + 1) % m_series.size();
      ++m_seriesFirst;
    }
  }
  // A packet of an earlier second (reordered) counts into the newest, as the history does.
  const std::size_t newest = (m_seriesHead + m_series.size() - 1) % m_series.size();
  return m_series[newest];
}

void RtpQualityTracker::add(std::int64_t timeNs, std::uint16_t sequence, std::uint32_t timestamp,
                            bool marker, std::uint32_t clockRate, double jitterMs,
                            RtpQualityBudget& budget, std::int32_t peak) {
  RtpSecond& sec = second(timeNs, budget);
  ++sec.packets;
  sec.peak = std::max(sec.peak, peak);
  sec.maxJitterMs = std::max(sec.maxJitterMs, jitterMs);

  const bool first = m_highest < 0;
  std::int64_t extended = sequence;
  if (!first) {
    const auto step = static_cast<std::int16_t>(sequence - static_cast<std::uint16_t>(m_highest));
    extended = m_highest + step;
    const auto advance = static_cast<std::int32_t>(timestamp - m_lastTimestamp);
    m_extendedTimestamp += advance;
    if (step == 1 && advance > 0 && clockRate != 0) {
      // The packet duration is the step most packets advance by (a majority vote: silence
      // suppression and odd packets do not move it).
      const double ms = 1000.0 * advance / clockRate;
      if (ms < 1 || ms > 1000) {
        // Not a packet duration (a timestamp jump, or a clock rate that makes no sense).
      } else if (m_packetMsVotes == 0) {
        m_packetMs = ms;
        m_packetMsVotes = 1;
      } else if (ms == m_packetMs) {
        ++m_packetMsVotes;
      } else {
        --m_packetMsVotes;
      }
    }
  }
  m_lastTimestamp = timestamp;
  if (first) m_arrivalBase = timeNs;
  const double arrival = static_cast<double>(timeNs - m_arrivalBase) / 1e6;
  const double media =
      clockRate != 0 ? 1000.0 * static_cast<double>(m_extendedTimestamp) / clockRate : 0;
  const auto playout = [&] { return clockRate != 0 && m_buffer.add(arrival, media, marker); };

  if (first) {
    if (playout()) {
      ++sec.discards;
      ++m_lossRuns;
      ++m_runLost;
      m_lastLost = true;
    }
    m_highest = extended;
  } else if (extended > m_highest) {
    const std::int64_t gap = extended - m_highest - 1;
    const bool previousPlayed = !m_lastLost;
    RtpGap* kept = nullptr;
    if (gap > 0) {
      if (!m_lastLost) ++m_lossRuns;
      m_runLost += gap;
      sec.lost += static_cast<std::uint32_t>(std::min<std::int64_t>(gap, UINT32_MAX - sec.lost));
      m_lastLost = true;
      if (m_gaps.size() < kMaxGaps && budget.bytesLeft >= sizeof(RtpGap)) {
        budget.bytesLeft -= sizeof(RtpGap);
        m_gaps.push_back({m_lastNs, timeNs, static_cast<std::uint32_t>(gap), false});
        kept = &m_gaps.back();
      } else {
        ++m_gapsDropped;
      }
    }
    const bool late = playout();
    if (late) {
      ++sec.discards;
      if (!m_lastLost) ++m_lossRuns;
      ++m_runLost;
      m_lastLost = true;
    } else {
      m_lastLost = false;
    }
    if (kept != nullptr) kept->ownRun = previousPlayed && !late;
    m_highest = extended;
  } else if (extended < m_highest) {
    // Reordered: its number was counted in a gap; played after all, it leaves the loss.
    if (playout()) {
      ++sec.discards;
    } else if (m_runLost > 0) {
      --m_runLost;
    }
  }  // else a duplicate: nothing to play
  m_lastNs = timeNs;
}

void RtpQualityTracker::fill(RtpStreamRecord& r) const {
  r.gaps = m_gaps;
  r.lossRuns = m_lossRuns;
  r.runLost = static_cast<std::uint64_t>(std::max<std::int64_t>(0, m_runLost));
  r.jitterBufferDiscards = m_buffer.discards();
  r.jitterBufferDelayMs = m_buffer.meanDelayMs();
  r.packetMs = m_packetMs;
  r.series.clear();
  if (m_series.empty()) return;
  r.seriesStart = m_seriesFirst * kSecondNs;
  r.series.reserve(m_series.size());
  for (std::size_t i = 0; i < m_series.size(); ++i) {
    r.series.push_back(m_series[(m_seriesHead + i) % m_series.size()]);
  }
}

void assessRtpQuality(std::vector<RtpStreamRecord>& streams, const VoipQualityConfig& config) {
  // --- Capture loss: gaps that every concurrent stream shows at one instant.
  struct GapRef {
    std::size_t stream;
    std::size_t gap;
  };
  std::vector<GapRef> gaps;
  for (std::size_t s = 0; s < streams.size(); ++s) {
    streams[s].captureLost = 0;
    for (std::size_t g = 0; g < streams[s].gaps.size(); ++g) gaps.push_back({s, g});
  }
  const auto gapOf = [&](const GapRef& x) -> RtpGap& { return streams[x.stream].gaps[x.gap]; };
  std::sort(gaps.begin(), gaps.end(),
            [&](const GapRef& a, const GapRef& b) { return gapOf(a).before < gapOf(b).before; });
  std::vector<double> firsts, lasts;
  for (const auto& s : streams) {
    firsts.push_back(static_cast<double>(s.firstSeen));
    lasts.push_back(static_cast<double>(s.lastSeen));
  }
  std::sort(firsts.begin(), firsts.end());
  std::sort(lasts.begin(), lasts.end());
  std::vector<bool> capture(gaps.size(), false);
  for (std::size_t i = 0; i < gaps.size();) {
    // A cluster: gaps whose intervals overlap one after the other.
    std::size_t j = i + 1;
    std::int64_t maxBefore = gapOf(gaps[i]).before;
    std::int64_t minAfter = gapOf(gaps[i]).after;
    std::int64_t reach = minAfter;
    while (j < gaps.size() && gapOf(gaps[j]).before < reach) {
      maxBefore = std::max(maxBefore, gapOf(gaps[j]).before);
      minAfter = std::min(minAfter, gapOf(gaps[j]).after);
      reach = std::max(reach, gapOf(gaps[j]).after);
      ++j;
    }
    if (j - i >= 2 && maxBefore < minAfter) {
      std::set<std::size_t> members;
      for (std::size_t k = i; k < j; ++k) members.insert(gaps[k].stream);
      // Concurrent at the common instant: a packet before and one after it (t is never a
      // whole nanosecond, so no stream starts or ends exactly on it).
      const double t = static_cast<double>(maxBefore) + (minAfter - maxBefore) / 2.0 + 0.25;
      const auto started = std::lower_bound(firsts.begin(), firsts.end(), t) - firsts.begin();
      const auto ended = std::lower_bound(lasts.begin(), lasts.end(), t) - lasts.begin();
      const auto concurrent = static_cast<std::size_t>(started - ended);
      if (members.size() >= 2 && members.size() >= concurrent) {
        for (std::size_t k = i; k < j; ++k) capture[k] = true;
      }
    }
    i = j;
  }
  for (std::size_t k = 0; k < gaps.size(); ++k) {
    if (!capture[k]) continue;
    RtpStreamRecord& r = streams[gaps[k].stream];
    const RtpGap& g = gapOf(gaps[k]);
    r.captureLost += g.packets;
    r.runLost -= std::min<std::uint64_t>(r.runLost, g.packets);
    if (g.ownRun && r.lossRuns > 0) --r.lossRuns;
    const std::int64_t index = (secondOf(g.after) * kSecondNs - r.seriesStart) / kSecondNs;
    if (index >= 0 && index < static_cast<std::int64_t>(r.series.size())) {
      auto& lost = r.series[static_cast<std::size_t>(index)].lost;
      lost -= std::min(lost, g.packets);
    }
  }

  // --- E-model per stream and per second.
  for (auto& r : streams) {
    r.gaps.clear();
    r.gaps.shrink_to_fit();
    const auto networkLost =
        std::max<std::int64_t>(0, r.lost - static_cast<std::int64_t>(r.captureLost));
    const double effective =
        static_cast<double>(networkLost) + static_cast<double>(r.jitterBufferDiscards);
    r.effectiveLossPercent =
        r.expected > 0 ? std::min(100.0, 100.0 * effective / static_cast<double>(r.expected)) : 0;
    const double played =
        static_cast<double>(r.packets) - static_cast<double>(r.jitterBufferDiscards);
    r.burstRatio = std::max(1.0, voip::burstRatioFromRuns(played, static_cast<double>(r.runLost),
                                                          static_cast<double>(r.lossRuns)));
    // The network's one-way delay: half the RTCP round trip when the stream's receiver
    // reported one, else the configured estimate.
    const double network = r.rtcpRttMs ? *r.rtcpRttMs / 2 : config.networkDelayMs;
    r.delayMs = network + r.jitterBufferDelayMs + r.packetMs;
    r.mos.reset();
    r.rFactor.reset();
    r.ieEff.reset();
    for (auto& s : r.series) s.mos.reset();
    const auto codec = voip::codecImpairment(r.codec);
    if (!codec || r.packets < 2 || r.expected <= 0) continue;
    voip::EModelParameters p;
    p.absoluteDelay = p.meanOneWayDelay = r.delayMs;
    p.roundTripDelay = 2 * r.delayMs;
    p.equipmentImpairment = codec->ie;
    p.packetLossRobustness = codec->bpl;
    p.packetLossPercent = r.effectiveLossPercent;
    p.burstRatio = r.burstRatio;
    const voip::EModelResult e = voip::computeEModel(p);
    r.rFactor = e.r;
    r.ieEff = e.ieEff;
    r.mos = voip::mosFromR(e.r);
    const double withoutLoss = e.r + e.ieEff;
    for (auto& s : r.series) {
      const double sent = static_cast<double>(s.packets) + s.lost;
      if (s.packets == 0 || sent <= 0) continue;
      const double ppl = std::min(100.0, 100.0 * (s.lost + s.discards) / sent);
      s.mos = voip::mosFromR(withoutLoss - voip::effectiveEquipmentImpairment(codec->ie, codec->bpl,
                                                                              ppl, r.burstRatio));
    }
  }
}

void assessCallQuality(std::vector<CallRecord>& calls,
                       const std::vector<RtpStreamRecord>& streams) {
  for (auto& c : calls) {
    c.directions.clear();
    for (const auto& s : streams) {
      if (s.callId != c.callId) continue;
      const std::string src = s.srcIp.toString();
      auto d = std::find_if(c.directions.begin(), c.directions.end(),
                            [&](const CallDirectionQuality& x) { return x.srcIp == src; });
      if (d == c.directions.end()) {
        c.directions.push_back({src, {}, std::nullopt});
        d = c.directions.end() - 1;
      }
      d->ssrcs.push_back(s.ssrc);
      if (s.mos && (!d->mos || *s.mos < *d->mos)) d->mos = s.mos;
    }
  }
}

}  // namespace netlens::node::analysis
