// SPDX-License-Identifier: MIT
#include "node/cli/voip_json.h"

#include <cstdio>

#include "node/cli/json_writer.h"
#include "shared/audio/audio_decoder.h"

namespace netlens::node::cli {

namespace {

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

void writeCounters(JsonWriter& w, const analysis::SipCounters& c) {
  w.key("methods").beginObject();
  for (const auto& [method, n] : c.methods) w.key(method).value(n);
  w.endObject();
  w.key("responses").beginObject();
  for (const auto& [code, n] : c.responses) w.key(std::to_string(code)).value(n);
  w.endObject();
}

double ms(std::int64_t ns) {
  return static_cast<double>(ns) / 1e6;
}

void optionalValue(JsonWriter& w, const char* key, const std::optional<double>& v) {
  if (v) {
    w.key(key).value(*v);
  } else {
    w.key(key).null();
  }
}

}  // namespace

std::string rtpJson(const std::vector<analysis::RtpStreamRecord>& streams) {
  JsonWriter w;
  w.beginObject().key("rtp").beginArray();
  for (const auto& s : streams) {
    w.beginObject();
    w.key("ssrc").value(hex32(s.ssrc));
    w.key("src_ip").value(s.srcIp.toString());
    w.key("src_port").value(static_cast<unsigned>(s.srcPort));
    w.key("dst_ip").value(s.dstIp.toString());
    w.key("dst_port").value(static_cast<unsigned>(s.dstPort));
    w.key("payload_type").value(static_cast<unsigned>(s.payloadType));
    w.key("payload_types").beginArray();
    for (auto pt : s.payloadTypes) w.value(static_cast<unsigned>(pt));
    w.endArray();
    if (s.codec.empty()) {
      w.key("codec").null();
    } else {
      w.key("codec").value(s.codec);
    }
    w.key("clock_rate").value(s.clockRate);
    w.key("packets").value(s.packets);
    w.key("expected").value(s.expected);
    w.key("lost").value(s.lost);
    w.key("lost_percent").value(s.lostPercent());
    w.key("sequence_errors").value(s.sequenceErrors);
    w.key("duplicates").value(s.duplicates);
    w.key("max_delta_ms").value(s.maxDeltaMs);
    w.key("max_jitter_ms").value(s.maxJitterMs);
    w.key("mean_jitter_ms").value(s.meanJitterMs);
    optionalValue(w, "mos", s.mos);
    w.key("start").timeValue(s.firstSeen);
    w.key("end").timeValue(s.lastSeen);
    if (s.callId.empty()) {
      w.key("call_id").null();
    } else {
      w.key("call_id").value(s.callId);
    }
    // The E-model's inputs, next to its figure.
    optionalValue(w, "r_factor", s.rFactor);
    optionalValue(w, "ie_eff", s.ieEff);
    w.key("burst_ratio").value(s.burstRatio);
    w.key("effective_loss_percent").value(s.effectiveLossPercent);
    w.key("jitter_buffer_discards").value(s.jitterBufferDiscards);
    w.key("jitter_buffer_delay_ms").value(s.jitterBufferDelayMs);
    w.key("delay_ms").value(s.delayMs);
    optionalValue(w, "rtcp_rtt_ms", s.rtcpRttMs);
    w.key("rtcp_rtt_max_ms").value(s.rtcpRttMaxMs);
    w.key("rtcp_rtt_samples").value(s.rtcpRttSamples);
    optionalValue(w, "min_level_dbfs", s.minLevelDbfs);
    optionalValue(w, "max_level_dbfs", s.maxLevelDbfs);
    w.key("capture_lost").value(s.captureLost);
    w.key("packet_ms").value(s.packetMs);
    w.key("series").beginObject();
    w.key("start").timeValue(s.seriesStart);
    const auto column = [&](const char* key, auto get) {
      w.key(key).beginArray();
      for (const auto& sec : s.series) get(sec);
      w.endArray();
    };
    column("packets", [&](const auto& sec) { w.value(sec.packets); });
    column("lost", [&](const auto& sec) { w.value(sec.lost); });
    column("jitter_buffer_discards", [&](const auto& sec) { w.value(sec.discards); });
    column("max_jitter_ms", [&](const auto& sec) { w.value(sec.maxJitterMs); });
    column("mos", [&](const auto& sec) {
      if (sec.mos) {
        w.value(*sec.mos);
      } else {
        w.null();
      }
    });
    // The loudest G.711 sample of each second in dBFS, null without G.711 audio in it.
    column("max_level_dbfs", [&](const auto& sec) {
      if (sec.peak >= 0) {
        w.value(audio::levelDbfs(static_cast<std::uint32_t>(sec.peak)));
      } else {
        w.null();
      }
    });
    w.endObject();
    w.endObject();
  }
  w.endArray().endObject();
  w.raw("\n");
  return w.take();
}

std::string sipJson(const analysis::SipCounters& counters) {
  JsonWriter w;
  w.beginObject().key("sip").beginObject();
  w.key("messages").value(counters.messages);
  w.key("malformed").value(counters.malformed);
  writeCounters(w, counters);
  // Per address: methods and status codes of what it sent and received.
  w.key("per_ip").beginArray();
  for (const auto& [ip, c] : counters.perIp) {
    w.beginObject().key("ip").value(ip.toString());
    const auto methods = [&](const char* key, const std::map<std::string, std::uint64_t>& m) {
      w.key(key).beginObject();
      for (const auto& [method, n] : m) w.key(method).value(n);
      w.endObject();
    };
    const auto codes = [&](const char* key, const std::map<int, std::uint64_t>& m) {
      w.key(key).beginObject();
      for (const auto& [code, n] : m) w.key(std::to_string(code)).value(n);
      w.endObject();
    };
    methods("sent_methods", c.sentMethods);
    methods("received_methods", c.receivedMethods);
    codes("sent_responses", c.sentResponses);
    codes("received_responses", c.receivedResponses);
    w.endObject();
  }
  w.endArray();
  w.key("per_ip_dropped").value(counters.perIpDropped);
  w.endObject().endObject();
  w.raw("\n");
  return w.take();
}

namespace {

void writeMessage(JsonWriter& w, const protocol::SipMessageRecord& m) {
  w.beginObject();
  w.key("time").timeValue(m.time);
  w.key("src_ip").value(m.srcIp.toString());
  w.key("src_port").value(static_cast<unsigned>(m.srcPort));
  w.key("dst_ip").value(m.dstIp.toString());
  w.key("dst_port").value(static_cast<unsigned>(m.dstPort));
  w.key("transport").value(m.transport == 6 ? "TCP" : "UDP");
  if (m.isRequest) {
    w.key("method").value(m.method);
    w.key("request_uri").value(m.requestUri);
  } else {
    w.key("status_code").value(m.statusCode);
    w.key("reason").value(m.reason);
  }
  w.key("cseq").value(m.cseq);
  w.key("cseq_method").value(m.cseqMethod);
  if (m.sdp.empty()) {
    w.key("sdp").null();
  } else {
    w.key("sdp").value(m.sdp);
  }
  w.key("sdp_omitted_bytes").value(m.sdpOmittedBytes);
  w.endObject();
}

}  // namespace

std::string callsJson(const std::vector<analysis::CallRecord>& calls) {
  JsonWriter w;
  w.beginObject().key("calls").beginArray();
  for (const auto& c : calls) {
    w.beginObject();
    w.key("call_id").value(c.callId);
    w.key("from").value(c.from);
    w.key("to").value(c.to);
    w.key("state").value(c.state);
    w.key("start").timeValue(c.start);
    w.key("answered").timeValue(c.answered);
    w.key("ended").timeValue(c.ended);
    if (c.setupNs) {
      w.key("setup_ms").value(ms(*c.setupNs));
    } else {
      w.key("setup_ms").null();
    }
    if (c.durationNs) {
      w.key("duration_ms").value(ms(*c.durationNs));
    } else {
      w.key("duration_ms").null();
    }
    w.key("messages").value(c.counters.messages);
    writeCounters(w, c.counters);
    w.key("transactions").beginArray();
    for (const auto& t : c.transactions) {
      w.beginObject();
      w.key("method").value(t.method);
      w.key("cseq").value(t.cseq);
      w.key("request_time").timeValue(t.requestTime);
      w.key("final_code").value(t.finalCode);
      if (t.finalCode != 0) {
        w.key("response_ms").value(ms(t.finalTime - t.requestTime));
      } else {
        w.key("response_ms").null();
      }
      w.key("retransmissions").value(t.retransmissions);
      w.endObject();
    }
    w.endArray();
    w.key("media").beginArray();
    for (const auto& m : c.media) {
      w.beginObject();
      w.key("type").value(m.type);
      w.key("address").value(m.address);
      w.key("port").value(static_cast<unsigned>(m.port));
      w.key("codecs").beginArray();
      for (const auto& codec : m.codecs) {
        w.beginObject();
        w.key("payload_type").value(static_cast<unsigned>(codec.payloadType));
        w.key("name").value(codec.encoding);
        w.key("clock_rate").value(codec.clockRate);
        w.endObject();
      }
      w.endArray();
      w.endObject();
    }
    w.endArray();
    w.key("ssrcs").beginArray();
    for (auto ssrc : c.ssrcs) w.value(hex32(ssrc));
    w.endArray();
    // MOS per direction: the lowest of the streams that sender sent.
    w.key("directions").beginArray();
    for (const auto& d : c.directions) {
      w.beginObject();
      w.key("src_ip").value(d.srcIp);
      w.key("ssrcs").beginArray();
      for (auto ssrc : d.ssrcs) w.value(hex32(ssrc));
      w.endArray();
      optionalValue(w, "mos", d.mos);
      w.endObject();
    }
    w.endArray();
    // The ladder: "messages" above is the count, kept for existing scripts.
    w.key("sip_messages").beginArray();
    for (const auto& m : c.messages) writeMessage(w, m);
    w.endArray();
    w.key("sip_messages_omitted").value(c.messagesOmitted);
    w.endObject();
  }
  w.endArray().endObject();
  w.raw("\n");
  return w.take();
}

}  // namespace netlens::node::cli
