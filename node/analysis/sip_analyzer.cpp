// SPDX-License-Identifier: MIT
#include "node/analysis/sip_analyzer.h"

#include <algorithm>

#include "shared/decoder/decoded_packet.h"
#include "shared/voip/rtp_payload_types.h"
#include "shared/voip/sdp.h"

namespace netlens::node::analysis {

namespace {

/// Cheap test before the start-line parse: SIP begins with a method token or "SIP/2.0".
bool mayBeSip(const std::uint8_t* p, std::uint32_t n) {
  return p != nullptr && n >= 12 && p[0] >= 'A' && p[0] <= 'Z';
}

bool isSdp(const voip::SipMessage& m) {
  if (m.body.empty()) return false;
  if (m.contentType.empty()) return m.body.substr(0, 2) == "v=";
  return voip::equalsIgnoreCase(m.contentType.substr(0, 15), "application/sdp");
}

constexpr std::int64_t kTcpIdleNs = 300'000'000'000;

}  // namespace

SipAnalyzer::SipAnalyzer(std::shared_ptr<SdpMediaRegistry> registry)
    : m_registry(std::move(registry)) {}

bool SipAnalyzer::process(const FlowSegment& s) {
  if (s.payload == nullptr || s.payloadLength == 0) return false;
  if (s.protocol == decoder::ipproto::kTcp) return processTcp(s);
  if (s.protocol != decoder::ipproto::kUdp || !mayBeSip(s.payload, s.payloadLength)) return false;
  const voip::SipParseStatus status =
      voip::parseSipMessage(s.payload, s.payloadLength, voip::SipFraming::Datagram, m_message);
  if (status == voip::SipParseStatus::NotSip) return false;
  if (status != voip::SipParseStatus::Ok) {
    ++m_counters.malformed;  // a SIP start line with a broken rest: counted, skipped
    return true;
  }
  handle(m_message, s);
  return true;
}

bool SipAnalyzer::processTcp(const FlowSegment& s) {
  if (!s.tcpHeaderValid) return false;
  const RtpAnalyzer::FlowKey key{s.src, s.dst, s.srcPort, s.dstPort};
  auto it = m_tcp.find(key);
  if (it == m_tcp.end()) {
    if (!mayBeSip(s.payload, s.payloadLength) || !voip::startsLikeSip(s.payload, s.payloadLength))
      return false;
    if (m_tcp.size() >= kMaxTcpFlows) sweepTcp(s.ts);
    if (m_tcp.size() >= kMaxTcpFlows) return false;
    it = m_tcp.emplace(key, TcpFlow{}).first;
  }
  TcpFlow& flow = it->second;
  flow.lastSeen = s.ts;
  const StreamChunk chunk =
      flow.cursor.accept(s.tcpSeq, s.tcpFlags, s.payload, s.payloadLength, s.segmentLength);
  if (chunk.gapBefore != 0) flow.buffer.clear();
  if (chunk.length == 0) return true;
  if (flow.buffer.empty() && !voip::startsLikeSip(chunk.data, chunk.length)) {
    return true;  // resynchronising after a gap: wait for a start line
  }
  flow.buffer.append(reinterpret_cast<const char*>(chunk.data), chunk.length);
  if (chunk.gapAfter != 0) {
    flow.buffer.clear();
    return true;
  }
  std::size_t used = 0;
  while (used < flow.buffer.size()) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(flow.buffer.data()) + used;
    const auto n = static_cast<std::uint32_t>(flow.buffer.size() - used);
    // Keep-alives (RFC 5626: CRLF CRLF) between messages.
    if (*p == '\r' || *p == '\n') {
      ++used;
      continue;
    }
    const voip::SipParseStatus status =
        voip::parseSipMessage(p, n, voip::SipFraming::Stream, m_message);
    if (status == voip::SipParseStatus::Incomplete) break;
    if (status != voip::SipParseStatus::Ok) {
      if (status == voip::SipParseStatus::Malformed) ++m_counters.malformed;
      used = flow.buffer.size();
      break;
    }
    handle(m_message, s);
    used += m_message.length;
  }
  flow.buffer.erase(0, used);
  if (flow.buffer.size() > kMaxBufferBytes) {
    ++m_counters.malformed;
    flow.buffer.clear();
  }
  return true;
}

void SipAnalyzer::sweepTcp(std::int64_t now) {
  for (auto it = m_tcp.begin(); it != m_tcp.end();) {
    if (now - it->second.lastSeen > kTcpIdleNs || it->second.cursor.isFinished()) {
      it = m_tcp.erase(it);
    } else {
      ++it;
    }
  }
}

void SipAnalyzer::handle(const voip::SipMessage& m, const FlowSegment& s) {
  ++m_counters.messages;
  if (m.isRequest) {
    ++m_counters.methods[std::string(m.method)];
  } else {
    ++m_counters.responses[m.statusCode];
  }
  // Per address: what the sender sent and the receiver received (a message to itself counts
  // in both roles of one address).
  const auto roomFor = [this](const net::IpAddress& ip) -> SipIpCounters* {
    auto it = m_counters.perIp.find(ip);
    if (it != m_counters.perIp.end()) return &it->second;
    if (m_counters.perIp.size() >= SipCounters::kMaxAddresses) return nullptr;
    return &m_counters.perIp[ip];
  };
  SipIpCounters* sender = roomFor(s.src);
  SipIpCounters* receiver = roomFor(s.dst);
  if (sender == nullptr || receiver == nullptr) ++m_counters.perIpDropped;
  if (m.isRequest) {
    const std::string method(m.method);
    if (sender != nullptr) ++sender->sentMethods[method];
    if (receiver != nullptr) ++receiver->receivedMethods[method];
  } else {
    if (sender != nullptr) ++sender->sentResponses[m.statusCode];
    if (receiver != nullptr) ++receiver->receivedResponses[m.statusCode];
  }
  if (m.callId.empty()) return;
  SipEvent e;
  e.ts = s.ts;
  e.isRequest = m.isRequest;
  e.method = std::string(m.method);
  e.statusCode = m.statusCode;
  e.cseqNumber = m.cseqNumber;
  e.cseqMethod = std::string(m.cseqMethod);
  e.from = std::string(voip::headerUri(m.from));
  e.to = std::string(voip::headerUri(m.to));
  e.srcIp = s.src;
  e.dstIp = s.dst;
  e.srcPort = s.srcPort;
  e.dstPort = s.dstPort;
  e.transport = s.protocol;
  if (m.isRequest) {
    e.requestUri = std::string(m.requestUri);
  } else {
    e.reason = std::string(m.reason);
  }
  const std::string callId(m.callId);
  if (isSdp(m)) {
    const std::size_t kept = std::min(m.body.size(), protocol::SipMessageRecord::kMaxSdpBytes);
    e.sdp = std::string(m.body.substr(0, kept));
    e.sdpOmittedBytes = static_cast<std::uint32_t>(m.body.size() - kept);
    voip::SdpSession sdp;
    if (voip::parseSdp(m.body, sdp)) {
      for (const auto& media : sdp.media) {
        // A malformed m= line stays in the session as a placeholder (so that its a= lines do
        // not attach to the one before); it names no media.
        if (media.type.empty()) continue;
        SipEvent::Media out;
        out.type = std::string(media.type);
        out.address = std::string(media.address);
        out.port = media.port;
        for (std::uint8_t pt : media.payloadTypes) {
          MediaCodec c;
          c.payloadType = pt;
          const auto fixed = voip::staticPayloadType(pt);
          c.encoding = std::string(fixed.name);
          c.clockRate = fixed.clockRate;
          for (const auto& r : media.rtpmaps) {
            if (r.payloadType != pt) continue;
            c.encoding = std::string(r.encoding);
            c.clockRate = r.clockRate;
          }
          out.codecs.push_back(std::move(c));
        }
        const auto address = net::IpAddress::parse(media.address);
        if (m_registry && address && media.port != 0) {
          MediaEndpoint endpoint;
          endpoint.callId = callId;
          endpoint.mediaType = out.type;
          endpoint.codecs = out.codecs;
          endpoint.announced = s.ts;
          m_registry->announce(*address, media.port, std::move(endpoint));
        }
        e.media.push_back(std::move(out));
      }
    }
  }
  remember(callId, std::move(e));
}

void SipAnalyzer::remember(const std::string& callId, SipEvent event) {
  auto it = m_calls.find(callId);
  if (it == m_calls.end()) {
    if (m_calls.size() >= kMaxCalls) {
      // Past the bound only: the least recently active call makes room.
      auto oldest = std::min_element(m_calls.begin(), m_calls.end(), [](auto& a, auto& b) {
        return a.second.lastSeen < b.second.lastSeen;
      });
      m_calls.erase(oldest);
    }
    it = m_calls.emplace(callId, Call{}).first;
  }
  Call& call = it->second;
  call.lastSeen = event.ts;
  if (call.events.size() >= kMaxEventsPerCall) {
    ++call.omitted;
    return;
  }
  if (call.sdpBytes + event.sdp.size() > kMaxSdpBytesPerCall) {
    event.sdpOmittedBytes += static_cast<std::uint32_t>(event.sdp.size());
    event.sdp.clear();
  }
  call.sdpBytes += event.sdp.size();
  call.events.push_back(std::move(event));
}

void SipAnalyzer::collectEvents(std::map<std::string, SipCallEvents>& calls) const {
  for (const auto& [id, call] : m_calls) {
    auto& into = calls[id];
    into.events.insert(into.events.end(), call.events.begin(), call.events.end());
    into.omitted += call.omitted;
  }
}

}  // namespace netlens::node::analysis
