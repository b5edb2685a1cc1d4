// SPDX-License-Identifier: MIT
#include "node/service/audio_request.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>

#include "node/store/search_request.h"
#include "node/store/store_writer.h"
#include "shared/audio/audio_export.h"
#include "shared/decoder/packet_decoder.h"
#include "shared/pcap/pcap_bytes.h"
#include "shared/protocol/param_text.h"
#include "shared/voip/rtp_header.h"

namespace netlens::node::service {

namespace {

/// Listed in error messages at most.
constexpr std::size_t kMaxListed = 20;

struct Endpoint {
  net::IpAddress ip;
  std::uint16_t port = 0;
};

bool parseUint(std::string_view text, std::uint64_t max, std::uint64_t* out) {
  if (text.empty()) return false;
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v > max) return false;
  *out = v;
  return true;
}

bool parseTime(std::string_view text, std::int64_t* out) {
  std::uint64_t v = 0;
  if (!parseUint(text, static_cast<std::uint64_t>(INT64_MAX), &v)) return false;
  *out = static_cast<std::int64_t>(v);
  return true;
}

struct Resume {
  std::size_t stream = 0;
  std::optional<store::SearchCriteria::Position> position;
};

bool parseResume(const std::string& text, Resume* out) {
  const std::size_t colon = text.find(':');
  std::uint64_t stream = 0;
  if (!parseUint(text.substr(0, colon), 1u << 20, &stream)) return false;
  out->stream = static_cast<std::size_t>(stream);
  if (colon == std::string::npos) return true;
  store::SearchCriteria::Position position;
  if (!store::parseResumeToken(text.substr(colon + 1), &position)) return false;
  out->position = position;
  return true;
}

protocol::AudioStream audioStream(const protocol::RtpStreamRecord& s) {
  protocol::AudioStream a;
  a.ssrc = s.ssrc;
  a.srcIp = s.srcIp;
  a.srcPort = s.srcPort;
  a.dstIp = s.dstIp;
  a.dstPort = s.dstPort;
  a.payloadType = s.payloadType;
  a.payloadTypes = s.payloadTypes;
  a.codec = s.codec;
  a.clockRate = s.clockRate;
  a.packets = s.packets;
  a.firstSeen = s.firstSeen;
  a.lastSeen = s.lastSeen;
  return a;
}

/// Appends the RTP packets of stream `index` found in one search page's pcap; returns the
/// payload bytes added.
std::uint64_t extract(const std::string& pcapBytes, std::uint32_t index,
                      const protocol::AudioStream& s, std::vector<protocol::AudioPacket>* out) {
  pcap::PcapBytesReader reader(pcapBytes);
  pcap::PcapRecord record;
  decoder::DecodedPacket packet;
  voip::RtpHeader rtp;
  std::uint64_t bytes = 0;
  while (reader.next(&record)) {
    decoder::PacketDecoder::decode(reader.linkType(), record.data.data(),
                                   static_cast<std::uint32_t>(record.data.size()),
                                   record.originalLength, record.timestampNs, packet);
    const decoder::TransportLayer& t = packet.transport;
    if (t.protocol != decoder::ipproto::kUdp || !t.hasPorts() || t.payload == nullptr) continue;
    const decoder::IpLayer& ip = packet.ip[static_cast<std::size_t>(t.ipIndex)];
    if (ip.isFragment() || t.srcPort != s.srcPort || t.dstPort != s.dstPort || ip.src != s.srcIp ||
        ip.dst != s.dstIp) {
      continue;
    }
    if (voip::parseRtpHeader(t.payload, t.payloadLength, rtp) != voip::RtpParseStatus::Ok ||
        rtp.ssrc != s.ssrc) {
      continue;
    }
    protocol::AudioPacket a;
    a.stream = index;
    a.arrival = record.timestampNs;
    a.sequence = rtp.sequence;
    a.timestamp = rtp.timestamp;
    a.payloadType = rtp.payloadType;
    a.marker = rtp.marker;
    a.payload.assign(reinterpret_cast<const char*>(rtp.payload), rtp.payloadLength);
    bytes += rtp.payloadLength + 32;  // the record's fields count towards the page too
    out->push_back(std::move(a));
  }
  return bytes;
}

}  // namespace

protocol::Reply audioReply(const protocol::Request& request,
                           const std::vector<protocol::RtpStreamRecord>& streams,
                           const std::vector<protocol::CallRecord>& calls,
                           store::StoreWriter* store) {
  const auto invalid = [&](std::string message) {
    return protocol::makeErrorReply(request.requestId, request.operation,
                                    protocol::ErrorCode::InvalidArgument, std::move(message));
  };
  if (store == nullptr)
    return invalid("this node keeps no packet store; start it with --store DIR to save audio");

  std::string callId;
  std::optional<std::uint32_t> ssrc;
  std::optional<Endpoint> src;
  std::optional<Endpoint> dst;
  std::optional<std::int64_t> from;
  std::optional<std::int64_t> to;
  std::uint64_t maxBytes = protocol::kDefaultAudioPageBytes;
  Resume resume;
  for (const auto& [name, value] : request.params) {
    if (name == "call") {
      if (value.empty()) return invalid("parameter \"call\" takes a Call-ID, not an empty text");
      callId = value;
    } else if (name == "ssrc") {
      std::uint32_t v = 0;
      if (!audio::parseSsrc(value, &v))
        return invalid("parameter \"ssrc\" takes a 32-bit SSRC (0x1a2b3c4d or decimal), not \"" +
                       value + "\"");
      ssrc = v;
    } else if (name == "src" || name == "dst") {
      Endpoint e;
      if (!protocol::parseEndpointText(value, &e.ip, &e.port))
        return invalid("parameter \"" + name + "\" takes ADDR:PORT ([ADDR]:PORT for IPv6), not \"" +
                       value + "\"");
      (name == "src" ? src : dst) = e;
    } else if (name == "from" || name == "to") {
      std::int64_t t = 0;
      if (!parseTime(value, &t))
        return invalid("parameter \"" + name +
                       "\" takes packet time in ns since the epoch, not \"" + value + "\"");
      (name == "from" ? from : to) = t;
    } else if (name == "max-bytes") {
      if (!parseUint(value, protocol::kMaxAudioPageBytes, &maxBytes) ||
          maxBytes < protocol::kMinAudioPageBytes)
        return invalid("parameter \"max-bytes\" takes " +
                       std::to_string(protocol::kMinAudioPageBytes) + " to " +
                       std::to_string(protocol::kMaxAudioPageBytes) + " bytes, not \"" + value +
                       "\"");
    } else if (name == "after") {
      if (!parseResume(value, &resume))
        return invalid("parameter \"after\" takes the resume token of the previous page, not \"" +
                       value + "\"");
    } else {
      return invalid("unknown parameter \"" + name +
                     "\" (\"audio\" takes call or ssrc, src, dst, from, to, max-bytes and after)");
    }
  }
  if (callId.empty() == !ssrc.has_value())
    return invalid("\"audio\" needs either parameter \"call\" (a Call-ID) or \"ssrc\"");
  if ((src || dst) && !ssrc) return invalid("parameters \"src\" and \"dst\" go with \"ssrc\"");
  if (from && to && *from > *to) return invalid("parameters from and to: from is after to");

  protocol::AudioChunk chunk;
  std::vector<const protocol::RtpStreamRecord*> chosen;
  if (!callId.empty()) {
    const protocol::CallRecord* call = nullptr;
    for (const auto& c : calls) {
      if (c.callId == callId) call = &c;
    }
    if (call == nullptr) return invalid("the node knows no call with Call-ID \"" + callId + "\"");
    for (const auto& s : streams) {
      if (s.callId == callId) chosen.push_back(&s);
    }
    if (chosen.empty())
      return invalid("call \"" + callId +
                     "\" has no RTP stream (its SDP named none that was seen)");
    chunk.callId = callId;
    if (!call->media.empty()) {
      chunk.callerMediaAddress = call->media.front().address;
      chunk.callerMediaPort = call->media.front().port;
    }
  } else {
    for (const auto& s : streams) {
      if (s.ssrc != *ssrc) continue;
      if (src && (s.srcIp != src->ip || s.srcPort != src->port)) continue;
      if (dst && (s.dstIp != dst->ip || s.dstPort != dst->port)) continue;
      chosen.push_back(&s);
    }
    if (chosen.empty()) {
      std::string known;
      for (std::size_t i = 0; i < streams.size() && i < kMaxListed; ++i)
        known += (i != 0 ? ", " : "") + audio::hexSsrc(streams[i].ssrc);
      return invalid(
          "the node knows no RTP stream with SSRC " + audio::hexSsrc(*ssrc) +
          (src || dst ? " on that flow" : "") +
          (streams.empty() ? std::string("; it has seen no RTP") : "; its streams: " + known));
    }
    // The same SSRC on several legs (a media relay): the one with most packets.
    std::stable_sort(chosen.begin(), chosen.end(),
                     [](const auto* a, const auto* b) { return a->packets > b->packets; });
    chosen.resize(1);
  }
  std::sort(chosen.begin(), chosen.end(), [](const auto* a, const auto* b) {
    return std::tie(a->firstSeen, a->ssrc) < std::tie(b->firstSeen, b->ssrc);
  });
  for (const auto* s : chosen) {
    chunk.streams.push_back(audioStream(*s));
    chunk.estimatedPackets += s->packets;
  }
  if (resume.stream > chunk.streams.size())
    return invalid("parameter \"after\": the answer has only " +
                   std::to_string(chunk.streams.size()) + " streams");

  std::uint64_t pageBytes = 0;
  for (std::size_t i = resume.stream; i < chunk.streams.size(); ++i) {
    const protocol::AudioStream& s = chunk.streams[i];
    if (pageBytes >= maxBytes) {
      chunk.resume = std::to_string(i);
      break;
    }
    store::SearchRequest search;
    store::SearchCriteria& c = search.criteria;
    // The index narrows to the sender's address and port; the exact 5-tuple and the SSRC
    // are checked on each packet.
    c.hosts.push_back({s.srcIp, store::Side::Source});
    c.ports.push_back({s.srcPort, store::Side::Source});
    c.protocols.push_back(17);
    c.from = from ? std::max(*from, s.firstSeen) : s.firstSeen;
    c.to = to ? *to : std::numeric_limits<std::int64_t>::max();
    if (*c.from > *c.to) continue;
    if (i == resume.stream) c.after = resume.position;
    search.withPackets = true;
    search.chunkBytes = std::clamp<std::uint64_t>(
        maxBytes - pageBytes, protocol::kMinSearchChunkBytes, protocol::kMaxSearchChunkBytes);
    protocol::SearchReply found;
    std::string problem;
    if (!store->search(search, &found, &problem))
      return protocol::makeErrorReply(request.requestId, request.operation,
                                      protocol::ErrorCode::Internal,
                                      "reading the packet store failed: " + problem);
    if (!found.pcap.empty())
      pageBytes += extract(found.pcap, static_cast<std::uint32_t>(i), s, &chunk.packets);
    if (!found.resume.empty()) {
      chunk.resume = std::to_string(i) + ":" + found.resume;
      break;
    }
  }
  return protocol::makeReply(request, protocol::encodeBody(chunk));
}

}  // namespace netlens::node::service
