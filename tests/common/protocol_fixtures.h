// SPDX-License-Identifier: MIT
#pragma once
// Shared by the tst_protocol_* tests: sample messages, a hand-written msgpack builder for
// malformed input (so the tests do not include msgpack and cannot share a bug with the
// codec), round-trip checking and the list of every decoder.

#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/protocol/codec.h"

namespace netlens::tests {

using namespace netlens::protocol;

/// Just enough msgpack writing to craft invalid messages.
class MsgpackBuilder {
 public:
  MsgpackBuilder& map(std::uint8_t n) { return byte(0x80 | n); }
  MsgpackBuilder& array(std::uint8_t n) { return byte(0x90 | n); }
  MsgpackBuilder& str(std::string_view s) {
    byte(0xd9).byte(static_cast<std::uint8_t>(s.size()));
    m_out.append(s);
    return *this;
  }
  MsgpackBuilder& bin(std::string_view s) {
    byte(0xc4).byte(static_cast<std::uint8_t>(s.size()));
    m_out.append(s);
    return *this;
  }
  MsgpackBuilder& uint(std::uint64_t v) {
    byte(0xcf);
    for (int i = 7; i >= 0; --i) byte(static_cast<std::uint8_t>(v >> (8 * i)));
    return *this;
  }
  MsgpackBuilder& int64(std::int64_t v) {
    byte(0xd3);
    for (int i = 7; i >= 0; --i)
      byte(static_cast<std::uint8_t>(static_cast<std::uint64_t>(v) >> (8 * i)));
    return *this;
  }
  MsgpackBuilder& nil() { return byte(0xc0); }
  MsgpackBuilder& raw(std::string_view bytes) {
    m_out.append(bytes);
    return *this;
  }
  MsgpackBuilder& byte(std::uint8_t b) {
    m_out.push_back(static_cast<char>(b));
    return *this;
  }
  std::string bytes() const { return m_out; }

 private:
  std::string m_out;
};

inline ConnectionList sampleConnections() {
  ConnectionList l;
  l.packetTime = 1'700'000'000'123'456'789;
  l.total = 7;
  ConnectionRecord tcp;
  tcp.protocol = 6;
  tcp.clientIp = *net::IpAddress::parse("10.1.2.3");
  tcp.clientPort = 51000;
  tcp.serverIp = *net::IpAddress::parse("2001:db8::1");
  tcp.serverPort = 443;
  tcp.vlan = 100;
  tcp.firstSeen = 1'700'000'000'000'000'001;
  tcp.lastSeen = 1'700'000'001'000'000'002;
  tcp.c2sPackets = 10;
  tcp.c2sBytes = 1500;
  tcp.s2cPackets = 20;
  tcp.s2cBytes = 30000;
  tcp.c2sBitsPerSecond = 1234.5;
  tcp.c2sTcp = {1, 2, 3, 4, 5000, 65535u << 7, 7, 11, 12};
  tcp.s2cTcp = {0, 0, 0, 9, 0, 64240, -2, 0, 3};  // -2: the handshake negotiated no scaling
  tcp.handshakeServerNs = 12'345;
  tcp.handshakeClientNs = 678;
  tcp.state = "established";
  tcp.app = "TLS";
  tcp.clientCountry = "GB";
  tcp.serverCountry = "SE";
  tcp.clientGroup = "office";
  tcp.serverGroup = "dc-1";
  tcp.c2sQos = {46, 5, 3, true, false, true, true, {16106, 99}};
  tcp.s2cQos = {0, -1, -1, false, true, false, false, {}};
  ConnectionRecord udp;
  udp.protocol = 17;
  udp.clientIp = *net::IpAddress::parse("10.0.0.1");
  udp.serverIp = *net::IpAddress::parse("10.0.0.53");
  udp.serverPort = 53;
  l.connections = {tcp, udp};
  return l;
}

inline HostRecord sampleHost(int i) {
  HostRecord h;
  if (i % 3 == 0) {
    const std::uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
                                 0,    0,    0,    0,    0, 0, 0, static_cast<std::uint8_t>(i)};
    h.ip = net::IpAddress::fromV6(v6);
  } else {
    const std::uint8_t v4[4] = {10, static_cast<std::uint8_t>(i >> 16),
                                static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)};
    h.ip = net::IpAddress::fromV4(v4);
  }
  h.txPackets = static_cast<std::uint64_t>(i) * 3 + 1;
  h.txBytes = static_cast<std::uint64_t>(i) * 1500 + 60;
  h.rxPackets = static_cast<std::uint64_t>(i) * 2;
  h.rxBytes = static_cast<std::uint64_t>(i) * 1000;
  h.tcpPackets = static_cast<std::uint64_t>(i);
  h.udpPackets = 7;
  h.firstSeen = 1'700'000'000'000'000'000LL + i;
  h.firstRecent = h.firstSeen + 5;
  h.lastSeen = h.firstSeen + 1'000'000'000LL;
  h.packetsPerSecond = i * 0.5;
  h.bitsPerSecond = i * 8000.25;
  h.macs = {net::MacAddress{{0x00, 0x11, 0x22, 0x33, 0x44, static_cast<std::uint8_t>(i)}}};
  if (i % 2) h.vlans = {10, static_cast<std::uint16_t>(100 + i % 100)};
  if (i % 5 == 3) h.group = "office-" + std::to_string(i % 7);
  if (i % 3 == 1) h.names = {"www.example.com", "e1234.cdn.example.net"};
  if (i % 4 == 1) h.country = "JP";
  if (i % 2 == 0) h.macVendors = {"Cisco Systems, Inc"};
  h.tcpPayloadBytes = static_cast<std::uint64_t>(i) * 700 + 1;
  h.tcpRetransPackets = static_cast<std::uint64_t>(i % 9);
  h.tcpRetransBytes = static_cast<std::uint64_t>(i % 9) * 1448;
  return h;
}

inline GroupList sampleGroups() {
  GroupList l;
  l.packetTime = 1'700'000'002'000'000'000LL;
  l.maxGroups = 65535;
  GroupRecord office;
  office.name = "office";
  office.prefixes = {"192.168.10.0/24", "2001:db8:10::/48"};
  office.memberCount = 3;
  office.txPackets = 1;
  office.txBytes = 2;
  office.rxPackets = 3;
  office.rxBytes = 4;
  office.tcpPackets = 5;
  office.udpPackets = 6;
  office.firstSeen = -7;
  office.lastSeen = 8;
  office.packetsPerSecond = 9.5;
  office.bitsPerSecond = 10.25;
  office.members = {*net::IpAddress::parse("192.168.10.1"),
                    *net::IpAddress::parse("2001:db8:10::1")};
  office.tcpPayloadBytes = 11;
  office.tcpRetransPackets = 12;
  office.tcpRetransBytes = 13;
  GroupRecord empty;
  empty.name = std::string(64, 'x');
  empty.prefixes = {"0.0.0.0/0"};
  l.groups = {office, empty};
  return l;
}

inline GroupDefinitions sampleDefinitions() {
  return GroupDefinitions{{{"office", {"192.168.10.0/24", "2001:db8:10::/48"}},
                           {"b\xc3\xbcro", {"10.0.0.0/8"}},
                           {"empty-list-is-the-node's-business", {}}}};
}

inline SourceInfo sampleSource(std::string name) {
  SourceInfo s;
  s.name = std::move(name);
  s.kind = "file";
  s.linkType = 1;
  s.linkTypeName = "EN10MB";
  s.packets = 12345;
  s.captureDrops = 3;
  s.queueDrops = 1;
  s.finished = true;
  s.error = "";
  return s;
}

inline GlobalStats sampleGlobal() {
  GlobalStats g;
  g.packets = 1000;
  g.bytes = 123456789;
  g.ipv4Packets = 800;
  g.ipv4Bytes = 100000;
  g.ipv6Packets = 150;
  g.ipv6Bytes = 20000;
  g.nonIpPackets = 50;
  g.nonIpBytes = 3000;
  g.tcpPackets = 600;
  g.udpPackets = 300;
  g.icmpPackets = 40;
  g.otherPackets = 10;
  g.sctpPackets = 3;
  g.grePackets = 2;
  g.ipv4Fragments = 4;
  g.malformed = {{"truncated-ipv4", 2}, {"bad-tcp-offset", 1}};
  g.sources = {sampleSource("a.pcap"), sampleSource("eth0")};
  g.sources[1].kind = "interface";
  g.sources[1].finished = false;
  g.sources[1].error = "device went down";
  g.firstPacket = 1;
  g.lastPacket = -5;  // signed times survive
  g.packetsPerSecond = 12.5;
  g.bitsPerSecond = std::numeric_limits<double>::infinity();
  g.hostCount = 42;
  g.storeBytes = 5'000'000'000;
  g.storeMaxBytes = 20'000'000'000;
  g.storePackets = 7'000'000;
  g.storeDrops = 3;
  g.storeOldest = 1'700'000'000'000'000'000;
  g.storeNewest = 1'700'000'100'000'000'000;
  g.hostsEvicted = 17;
  g.hostsEvictedUpTo = 1'700'000'050'000'000'000;
  g.connectionsEvicted = 1'000'000'007;
  g.connectionsEvictedUpTo = 1'700'000'060'000'000'000;
  return g;
}

inline HostsDelta sampleDelta() {
  HostsDelta d;
  d.sequence = 77;
  d.packetTime = 1'700'000'001'000'000'000LL;
  d.changed = {sampleHost(1), sampleHost(3)};
  d.removed = {sampleHost(2).ip, sampleHost(6).ip, net::IpAddress{}};
  d.global = sampleGlobal();
  return d;
}

inline Hello sampleHello() {
  Hello h;
  h.nodeName = "probe-1 (rack 4) — ünïcode";
  h.version = "0.1.0";
  h.role = "admin";
  h.publisherPort = 47001;
  h.sources = {sampleSource("eth1")};
  h.inactivityGapNs = 42'000'000'000;
  h.analysesOff = {"layer7", "tls-details"};
  return h;
}

inline HistoryReply sampleHistory() {
  HistoryReply h;
  h.series = "2001:db8::7";
  h.resolutionNs = 60'000'000'000;
  h.names = {"tx_packets", "tx_bytes", "rx_packets", "rx_bytes"};
  h.buckets = {{-60'000'000'000, {0, 0, 0, 0}},
               {1'700'000'040'000'000'000, {1, 60, 2, 3000}},
               {1'700'000'100'000'000'000, {std::numeric_limits<std::uint64_t>::max(), 0, 0, 7}}};
  h.packetTime = 1'700'000'123'000'000'001;
  h.complete = false;
  return h;
}

/// A HistoryReply array with two names and the given buckets element (already built).
inline MsgpackBuilder historyWith(MsgpackBuilder buckets, bool complete = true) {
  MsgpackBuilder b;
  b.array(6).str("global").uint(1'000'000'000).array(2).str("packets").str("bytes");
  b.raw(buckets.bytes()).int64(5);
  b.byte(complete ? 0xc3 : 0xc2);
  return b;
}

inline SipCounters sampleSipCounters() {
  SipCounters c;
  c.messages = 12;
  c.malformed = 1;
  c.methods = {{"INVITE", 2}, {"ACK", 1}, {"BYE", 1}};
  c.responses = {{100, 1}, {180, 1}, {200, 2}, {487, 1}};
  SipIpCounters a;
  a.sentMethods = {{"INVITE", 2}};
  a.receivedResponses = {{200, 1}};
  SipIpCounters b;
  b.receivedMethods = {{"INVITE", 2}};
  b.sentResponses = {{200, 1}, {487, 1}};
  c.perIp = {{net::IpAddress::parse("192.0.2.1").value(), a},
             {net::IpAddress::parse("2001:db8::7").value(), b}};
  c.perIpDropped = 3;
  return c;
}

inline RtpStreamList sampleRtpStreams() {
  RtpStreamList l;
  l.packetTime = 1'700'000'010'000'000'000;
  RtpStreamRecord s;
  s.ssrc = 0x1a2b3c4d;
  s.srcIp = net::IpAddress::parse("192.0.2.1").value();
  s.dstIp = net::IpAddress::parse("192.0.2.2").value();
  s.srcPort = 40000;
  s.dstPort = 30000;
  s.payloadType = 8;
  s.payloadTypes = {8, 101};
  s.codec = "PCMA";
  s.clockRate = 8000;
  s.packets = 500;
  s.expected = 503;
  s.lost = 3;
  s.sequenceErrors = 2;
  s.duplicates = 0;
  s.maxDeltaMs = 41.5;
  s.maxJitterMs = 3.25;
  s.meanJitterMs = 1.125;
  s.firstSeen = 1'700'000'000'000'000'000;
  s.lastSeen = 1'700'000'010'000'000'000;
  s.announced = true;
  s.callId = "a84b4c76e66710@pc33";
  s.mos = 4.2;
  s.rFactor = 85.5;
  s.ieEff = 4.1;
  s.burstRatio = 1.5;
  s.effectiveLossPercent = 0.8;
  s.jitterBufferDiscards = 1;
  s.jitterBufferDelayMs = 50;
  s.delayMs = 90;
  s.captureLost = 1;
  s.packetMs = 20;
  s.lossRuns = 2;
  s.runLost = 3;
  s.seriesStart = 1'700'000'000'000'000'000;
  s.series = {
      {50, 0, 0, 20'000, 1.5, 4.36}, {49, 1, 1, 32'768, 3.25, 3.9}, {0, 0, 0, -1, 0, std::nullopt}};
  s.rtcpRttMs = 12.5;
  s.rtcpRttMaxMs = 20.25;
  s.rtcpRttSamples = 3;
  s.minLevelDbfs = -60.5;
  s.maxLevelDbfs = -3.25;
  l.streams.push_back(s);
  RtpStreamRecord unknown;  // a codec without a MOS, IPv6
  unknown.srcIp = net::IpAddress::parse("2001:db8::1").value();
  unknown.dstIp = net::IpAddress::parse("2001:db8::2").value();
  unknown.payloadType = 96;
  unknown.payloadTypes = {96};
  unknown.lost = -2;
  unknown.expected = 10;
  unknown.packets = 12;
  l.streams.push_back(unknown);
  return l;
}

inline CallList sampleCalls() {
  CallList l;
  l.packetTime = 1'700'000'010'000'000'000;
  CallRecord c;
  c.callId = "a84b4c76e66710@pc33";
  c.from = "sip:alice@example.com";
  c.to = "sip:bob@example.com";
  c.state = "ended";
  c.start = 1'700'000'000'000'000'000;
  c.answered = c.start + 2'000'000'000;
  c.ended = c.start + 9'000'000'000;
  c.lastSeen = c.ended;
  c.setupNs = 2'000'000'000;
  c.durationNs = 7'000'000'000;
  c.counters = sampleSipCounters();
  c.transactions = {{"INVITE", 1, c.start, 200, c.answered, 5'000'000, 1},
                    {"BYE", 2, c.ended, 0, 0, -1, 0}};
  c.media = {{"audio", "192.0.2.1", 40000, {{8, "PCMA", 8000}, {101, "telephone-event", 8000}}}};
  c.ssrcs = {0x1a2b3c4d, 7};
  c.directions = {{"192.0.2.1", {0x1a2b3c4d}, 4.2}, {"192.0.2.2", {7}, std::nullopt}};
  SipMessageRecord invite;
  invite.time = c.start;
  invite.srcIp = *net::IpAddress::parse("192.0.2.1");
  invite.dstIp = *net::IpAddress::parse("192.0.2.2");
  invite.srcPort = 5060;
  invite.dstPort = 5060;
  invite.isRequest = true;
  invite.method = "INVITE";
  invite.requestUri = "sip:bob@example.com";
  invite.cseq = 1;
  invite.cseqMethod = "INVITE";
  invite.sdp = "v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 40000 RTP/AVP 8 101\r\n";
  SipMessageRecord ok = invite;
  std::swap(ok.srcIp, ok.dstIp);
  ok.transport = 6;
  ok.time = c.answered;
  ok.isRequest = false;
  ok.method.clear();
  ok.requestUri.clear();
  ok.statusCode = 200;
  ok.reason = "OK";
  ok.sdpOmittedBytes = 17;
  c.messages = {invite, ok};
  c.messagesOmitted = 3;
  l.calls.push_back(c);
  CallRecord trying;
  trying.callId = "x";
  trying.state = "trying";
  l.calls.push_back(trying);
  return l;
}

/// A Hello array header for `fields` elements and the first six fields, as every node
/// version sends them; append the rest.
inline MsgpackBuilder helloPrefix(std::uint8_t fields) {
  MsgpackBuilder b;
  b.array(fields).str("old-node").str("0.0.9").uint(kProtocolVersion).str("viewer").uint(7401);
  b.array(0);
  return b;
}

template <class T>
std::string roundTrip(const T& value) {
  const std::string bytes = encodeBody(value);
  Result<T> decoded = decodeBody<T>(bytes);
  if (!decoded) return "decode failed: " + decoded.error();
  if (!(*decoded == value)) return "decoded value differs";
  if (encodeBody(*decoded) != bytes) return "re-encoding differs";
  return {};
}

/// Returns "" when `bytes` decodes (or fails cleanly); used to feed hostile inputs to every
/// decoder. Any crash or exception escapes the test.
using Decoder = std::function<std::string(std::string_view)>;

inline std::vector<std::pair<const char*, Decoder>> allDecoders() {
  return {
      {"request", [](std::string_view b) { return decodeRequest(b).error(); }},
      {"reply", [](std::string_view b) { return decodeReply(b).error(); }},
      {"HostRecord", [](std::string_view b) { return decodeBody<HostRecord>(b).error(); }},
      {"SourceInfo", [](std::string_view b) { return decodeBody<SourceInfo>(b).error(); }},
      {"GlobalStats", [](std::string_view b) { return decodeBody<GlobalStats>(b).error(); }},
      {"Hello", [](std::string_view b) { return decodeBody<Hello>(b).error(); }},
      {"HostsSnapshot", [](std::string_view b) { return decodeBody<HostsSnapshot>(b).error(); }},
      {"HostsDelta", [](std::string_view b) { return decodeBody<HostsDelta>(b).error(); }},
      {"ErrorReply", [](std::string_view b) { return decodeBody<ErrorReply>(b).error(); }},
      {"ConnectionList", [](std::string_view b) { return decodeBody<ConnectionList>(b).error(); }},
      {"GroupDefinitions",
       [](std::string_view b) { return decodeBody<GroupDefinitions>(b).error(); }},
      {"GroupList", [](std::string_view b) { return decodeBody<GroupList>(b).error(); }},
      {"HistoryReply", [](std::string_view b) { return decodeBody<HistoryReply>(b).error(); }},
      {"RtpStreamList", [](std::string_view b) { return decodeBody<RtpStreamList>(b).error(); }},
      {"SipStatistics", [](std::string_view b) { return decodeBody<SipStatistics>(b).error(); }},
      {"CallList", [](std::string_view b) { return decodeBody<CallList>(b).error(); }},
      {"LiveCapture", [](std::string_view b) { return decodeBody<LiveCapture>(b).error(); }},
      {"LiveChunk", [](std::string_view b) { return decodeBody<LiveChunk>(b).error(); }},
      {"LiveCaptureList",
       [](std::string_view b) { return decodeBody<LiveCaptureList>(b).error(); }},
      {"AudioChunk", [](std::string_view b) { return decodeBody<AudioChunk>(b).error(); }},
  };
}

}  // namespace netlens::tests
