// SPDX-License-Identifier: MIT
#include "node/analysis/rtp_analyzer.h"

#include <algorithm>

#include "node/analysis/rtp_stream_statistics.h"
#include "shared/audio/audio_decoder.h"
#include "shared/decoder/decoded_packet.h"
#include "shared/voip/rtp_payload_types.h"
#include "shared/voip/sip_message.h"

namespace netlens::node::analysis {

struct RtpAnalyzer::Stream {
  explicit Stream(const JitterBufferConfig& jitterBuffer) : quality(jitterBuffer) {}
  RtpStreamStatistics stats;
  RtpQualityTracker quality;
  std::vector<std::uint8_t> payloadTypes;
  std::uint8_t lastPayloadType = 255;
  std::uint32_t clockRate = 0;  ///< of lastPayloadType
  /// G.711 packets' peaks (|pcm|): the quietest and the loudest; minPeak > maxPeak: none.
  std::uint32_t minPeak = UINT32_MAX;
  std::uint32_t maxPeak = 0;
};

struct RtpAnalyzer::Flow {
  enum class State : std::uint8_t { Candidate, Rtp, NotRtp };
  State state = State::Candidate;
  bool announced = false;  ///< an SDP named one of its endpoints
  std::uint8_t run = 0;    ///< consecutive datagrams that look like one advancing stream
  std::uint8_t misses = 0;
  std::uint32_t lastSsrc = 0;
  std::uint16_t lastSeq = 0;
  bool hasLast = false;
  std::int64_t lastSeen = 0;
  MediaEndpoint endpoint;                             ///< what the SDP said, when announced
  std::unordered_map<std::uint32_t, Stream> streams;  ///< by SSRC
};

std::size_t RtpAnalyzer::FlowKeyHash::operator()(const FlowKey& k) const noexcept {
  const net::IpAddressHash h;
  std::size_t x = h(k.src) * 31 + h(k.dst);
  return x * 1000003u ^ (static_cast<std::size_t>(k.srcPort) << 16 | k.dstPort);
}

RtpAnalyzer::RtpAnalyzer(std::shared_ptr<const SdpMediaRegistry> registry,
                         JitterBufferConfig jitterBuffer)
    : m_registry(std::move(registry)), m_jitterBuffer(jitterBuffer) {}

void RtpAnalyzer::dropStreams(Flow& flow) {
  for (const auto& [ssrc, st] : flow.streams) m_budget.bytesLeft += st.quality.budgetBytes();
  m_streamCount -= flow.streams.size();
  flow.streams.clear();
}

RtpAnalyzer::~RtpAnalyzer() = default;

RtpAnalyzer::Flow* RtpAnalyzer::flowFor(const FlowSegment& s) {
  const FlowKey key{s.src, s.dst, s.srcPort, s.dstPort};
  auto it = m_flows.find(key);
  if (it != m_flows.end()) return it->second.get();
  if (m_flows.size() >= kMaxFlows) {
    ++m_overflow;
    return nullptr;
  }
  auto flow = std::make_unique<Flow>();
  if (m_registry && (m_registry->find(s.dst, s.dstPort, &flow->endpoint) ||
                     m_registry->find(s.src, s.srcPort, &flow->endpoint))) {
    flow->announced = true;
    flow->state = Flow::State::Rtp;
  }
  return m_flows.emplace(key, std::move(flow)).first->second.get();
}

std::uint32_t RtpAnalyzer::clockRateOf(Flow& flow, std::uint8_t pt) const {
  if (pt < 96) return voip::staticPayloadType(pt).clockRate;
  for (const auto& c : flow.endpoint.codecs) {
    if (c.payloadType != pt) continue;
    // RFC 4733 events carry the timestamp of the event's start in every packet: Wireshark
    // leaves them out of jitter, and so do we.
    if (voip::equalsIgnoreCase(c.encoding, "telephone-event")) return 0;
    return c.clockRate;
  }
  return 0;
}

bool RtpAnalyzer::process(const FlowSegment& s) {
  if (s.protocol != decoder::ipproto::kUdp || s.payload == nullptr) return false;
  // Ports below 1024 belong to their well-known services (DNS, NTP, syslog…): a quarter of
  // DNS messages parse as RTP version 2, and looking each up cost 8 % of the analysis.
  if (s.srcPort < kMinRtpPort || s.dstPort < kMinRtpPort) return false;
  if (s.ts - m_lastSweep > 10'000'000'000) sweep(s.ts);
  const bool parsed =
      voip::parseRtpHeader(s.payload, s.payloadLength, m_header) == voip::RtpParseStatus::Ok;
  const FlowKey key{s.src, s.dst, s.srcPort, s.dstPort};
  if (!parsed) {
    // Not RTP: only a flow we already track cares.
    auto it = m_flows.find(key);
    if (it == m_flows.end()) return false;
    Flow& f = *it->second;
    f.lastSeen = s.ts;
    if (f.state == Flow::State::Rtp) {
      ++m_nonRtp;
    } else if (f.state == Flow::State::Candidate && ++f.misses >= kMaxCandidateMisses) {
      f.state = Flow::State::NotRtp;
      dropStreams(f);
    }
    return false;
  }
  Flow* flow = flowFor(s);
  if (flow == nullptr || flow->state == Flow::State::NotRtp) return false;
  flow->lastSeen = s.ts;
  const voip::RtpHeader& h = m_header;
  if (flow->state == Flow::State::Candidate) {
    const auto step = static_cast<std::uint16_t>(h.sequence - flow->lastSeq);
    if (flow->hasLast && h.ssrc == flow->lastSsrc && step >= 1 && step <= kMaxSeqStep) {
      if (++flow->run + 1 >= kConfirmPackets) flow->state = Flow::State::Rtp;
    } else if (flow->hasLast && h.ssrc == flow->lastSsrc && step == 0) {
      // A duplicate (e.g. a packet mirrored twice) neither confirms nor refutes the flow.
    } else {
      flow->run = 0;
      if (flow->hasLast && h.ssrc != flow->lastSsrc && ++flow->misses >= kMaxCandidateMisses) {
        flow->state = Flow::State::NotRtp;
      }
    }
    flow->hasLast = true;
    flow->lastSsrc = h.ssrc;
    flow->lastSeq = h.sequence;
    if (flow->state == Flow::State::NotRtp ||
        (flow->state == Flow::State::Candidate && !flow->streams.count(h.ssrc) &&
         flow->streams.size() >= static_cast<std::size_t>(kMaxCandidateSsrcs))) {
      flow->state = Flow::State::NotRtp;
      dropStreams(*flow);
      return false;
    }
  }
  auto it = flow->streams.find(h.ssrc);
  if (it == flow->streams.end()) {
    if (m_streamCount >= kMaxStreams) {
      ++m_overflow;
      return false;
    }
    it = flow->streams.emplace(h.ssrc, Stream(m_jitterBuffer)).first;
    ++m_streamCount;
  }
  Stream& st = it->second;
  if (h.payloadType != st.lastPayloadType) {
    st.lastPayloadType = h.payloadType;
    if (std::find(st.payloadTypes.begin(), st.payloadTypes.end(), h.payloadType) ==
        st.payloadTypes.end()) {
      st.payloadTypes.push_back(h.payloadType);
    }
    if (h.payloadType >= 96 && !flow->announced && m_registry &&
        (m_registry->find(s.dst, s.dstPort, &flow->endpoint) ||
         m_registry->find(s.src, s.srcPort, &flow->endpoint))) {
      flow->announced = true;  // the SDP arrived after the stream began
    }
    st.clockRate = clockRateOf(*flow, h.payloadType);
  }
  st.stats.add(s.ts, h.sequence, h.timestamp, h.payloadType, h.marker, st.clockRate);
  // PCMU (0) and PCMA (8), the static payload types: the packet's peak level.
  std::int32_t packetPeak = -1;
  if ((h.payloadType == 0 || h.payloadType == 8) && h.payloadLength > 0 && h.payload) {
    const std::uint32_t peak = audio::g711Peak(h.payload, h.payloadLength, h.payloadType == 8);
    st.minPeak = std::min(st.minPeak, peak);
    st.maxPeak = std::max(st.maxPeak, peak);
    packetPeak = static_cast<std::int32_t>(peak);
  }
  st.quality.add(s.ts, h.sequence, h.timestamp, h.marker, st.clockRate, st.stats.jitterMs(),
                 m_budget, packetPeak);
  return true;
}

void RtpAnalyzer::sweep(std::int64_t now) {
  m_lastSweep = now;
  for (auto it = m_flows.begin(); it != m_flows.end();) {
    Flow& f = *it->second;
    if (f.state != Flow::State::Rtp && now - f.lastSeen > kIdleNs) {
      dropStreams(f);
      it = m_flows.erase(it);
    } else {
      ++it;
    }
  }
}

void RtpAnalyzer::collect(std::vector<RtpStreamRecord>& out) const {
  for (const auto& [key, flow] : m_flows) {
    if (flow->state != Flow::State::Rtp) continue;
    MediaEndpoint endpoint;
    bool announced = flow->announced;
    if (announced) {
      endpoint = flow->endpoint;
    } else if (m_registry && (m_registry->find(key.dst, key.dstPort, &endpoint) ||
                              m_registry->find(key.src, key.srcPort, &endpoint))) {
      announced = true;
    }
    for (const auto& [ssrc, st] : flow->streams) {
      RtpStreamRecord r;
      r.ssrc = ssrc;
      r.srcIp = key.src;
      r.dstIp = key.dst;
      r.srcPort = key.srcPort;
      r.dstPort = key.dstPort;
      r.payloadTypes = st.payloadTypes;
      r.payloadType = st.payloadTypes.empty() ? 0 : st.payloadTypes.front();
      const voip::StaticPayloadType fixed = voip::staticPayloadType(r.payloadType);
      r.codec = std::string(fixed.name);
      r.clockRate = fixed.clockRate;
      for (const auto& c : endpoint.codecs) {
        if (c.payloadType == r.payloadType && (r.payloadType >= 96 || r.codec.empty())) {
          r.codec = c.encoding;
          r.clockRate = c.clockRate;
        }
      }
      r.packets = st.stats.packets();
      r.expected = st.stats.expected();
      r.lost = st.stats.lost();
      r.sequenceErrors = st.stats.sequenceErrors();
      r.duplicates = st.stats.duplicates();
      r.maxDeltaMs = st.stats.maxDeltaMs();
      r.maxJitterMs = st.stats.maxJitterMs();
      r.meanJitterMs = st.stats.meanJitterMs();
      r.firstSeen = st.stats.firstNs();
      r.lastSeen = st.stats.lastNs();
      r.announced = announced;
      if (announced) r.callId = endpoint.callId;
      if (st.minPeak <= st.maxPeak) {
        r.minLevelDbfs = audio::levelDbfs(st.minPeak);
        r.maxLevelDbfs = audio::levelDbfs(st.maxPeak);
      }
      st.quality.fill(r);
      out.push_back(std::move(r));
    }
  }
}

}  // namespace netlens::node::analysis
