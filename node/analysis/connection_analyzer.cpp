// SPDX-License-Identifier: MIT
#include "node/analysis/connection_analyzer.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "node/analysis/host_table.h"
#include "shared/decoder/decoded_packet.h"

namespace netlens::node::analysis {

namespace {

namespace flag = decoder::tcpflag;
constexpr std::int64_t kNsPerSecond = 1'000'000'000;
constexpr std::uint16_t kFirstEphemeralPort = 1024;

std::uint32_t secondOf(protocol::TimeNs ts) {
  return ts > 0 ? static_cast<std::uint32_t>(ts / kNsPerSecond) : 0;
}

bool isSynOnly(std::uint8_t flags) {
  return (flags & (flag::kSyn | flag::kAck)) == flag::kSyn;
}
bool isSynAck(std::uint8_t flags) {
  return (flags & (flag::kSyn | flag::kAck)) == (flag::kSyn | flag::kAck);
}

protocol::TcpDirectionStats tcpStatsOf(const ConnectionExtras* extras, int side,
                                       const TcpSideState& tcp) {
  protocol::TcpDirectionStats t;
  if (extras != nullptr) {
    const TcpTroubleSide& x = extras->trouble[side];
    t.retransmissions = x.retransmissions;
    t.fastRetransmissions = x.fastRetransmissions;
    t.spuriousRetransmissions = x.spuriousRetransmissions;
    t.outOfOrder = x.outOfOrder;
    t.retransmittedBytes = x.retransmittedBytes;
    t.windowFull = x.windowFull;
    t.zeroWindow = x.zeroWindow;
  }
  t.maxWindow = tcp.maxWindow;
  // -2 (negotiated without scaling) stays apart from -1 (handshake not seen): only the
  // former gives the window a known limit.
  t.windowScale = tcp.windowScale;
  return t;
}

const char* tcpStateOf(const WideTcp& tcp) {
  const std::uint8_t any = tcp.sides[0].state | tcp.sides[1].state;
  const bool sawSyn = (any & TcpSideState::kSawSyn) != 0;
  const bool sawSynAck = (any & TcpSideState::kSawSynAck) != 0;
  // Rejected: the connection's first reset came from the side a SYN went to, before any
  // SYN/ACK, with or without ACK (tshark's initial RTT ends at a RST/ACK too, so the
  // handshake may look complete). A SYN that nobody answered stays "syn-sent" when its
  // sender gives up with a reset: the attempt failed unanswered.
  if ((any & TcpSideState::kRejected) != 0) return "rejected";
  if (sawSyn && !sawSynAck && !tcp.handshake.isComplete()) return "syn-sent";
  if ((any & TcpSideState::kSawRst) != 0) return "reset";
  if ((tcp.sides[0].state & tcp.sides[1].state & TcpSideState::kSawFin) != 0) {
    return "closed";
  }
  if (!sawSyn && !sawSynAck) return "midstream";
  if (sawSyn && !sawSynAck) return "syn-sent";
  return "established";
}

/// Collects what the TLS and HTTP parsers report into a connection's extras.
class StreamListener : public TlsListener, public HttpListener {
 public:
  explicit StreamListener(ConnectionExtras& x) : m_x(x) {}

  void onClientHello(StreamDirection, const TlsClientHello& h) override {
    m_x.tls = std::make_unique<protocol::TlsInfo>();
    protocol::TlsInfo& t = *m_x.tls;
    t.serverName.assign(h.serverName);
    if (!h.alpn.empty()) t.alpn.assign(h.alpn[0]);
    if (!h.supportedVersions.empty()) {
      for (std::size_t i = 0; i < h.supportedVersions.size(); ++i) {
        t.offeredVersions.push_back(h.supportedVersions[i]);
      }
    } else {
      t.offeredVersions.push_back(h.legacyVersion);
    }
    for (std::size_t i = 0; i < h.cipherSuites.size(); ++i) {
      t.offeredCiphers.push_back(h.cipherSuites[i]);
    }
    m_x.streams->clientHello = h.timestampNs;
  }
  void onServerHello(StreamDirection, const TlsServerHello& h) override {
    if (h.helloRetryRequest) return;  // the real ServerHello follows the second ClientHello
    if (!m_x.tls) m_x.tls = std::make_unique<protocol::TlsInfo>();
    protocol::TlsInfo& t = *m_x.tls;
    t.version = h.version();
    t.cipher = h.cipherSuite;
    if (!h.alpn.empty()) t.alpn.assign(h.alpn);
    if (m_x.streams->clientHello >= 0) t.helloNs = h.timestampNs - m_x.streams->clientHello;
  }
  void onFirstApplicationData(StreamDirection d, std::int64_t ts) override {
    if (d != StreamDirection::Reverse || !m_x.tls || m_x.streams->clientHello < 0) return;
    if (m_x.tls->firstDataNs < 0) m_x.tls->firstDataNs = ts - m_x.streams->clientHello;
  }
  void onRequest(StreamDirection, const HttpRequest& r) override {
    if (!m_x.http) m_x.http = std::make_unique<protocol::HttpInfo>();
    protocol::HttpInfo& h = *m_x.http;
    h.method.assign(r.method);
    h.host.assign(r.host);
    h.url.assign(r.uri.substr(0, kMaxUrl));
    h.userAgent.assign(r.userAgent.substr(0, kMaxUrl));
    ++h.requests;
  }
  void onResponse(StreamDirection, const HttpResponse& r) override {
    if (!m_x.http) m_x.http = std::make_unique<protocol::HttpInfo>();
    protocol::HttpInfo& h = *m_x.http;
    h.status = r.statusCode;
    h.contentType.assign(r.contentType);
    const int family = r.statusFamily();
    if (family >= 1 && family <= 5) ++h.statusFamilies[static_cast<std::size_t>(family - 1)];
    if (r.responseTimeNs() >= 0) {
      if (!m_x.httpTimes) m_x.httpTimes = std::make_unique<RunningTimes>();
      m_x.httpTimes->add(r.responseTimeNs());
    }
  }

 private:
  static constexpr std::size_t kMaxUrl = 1024;
  ConnectionExtras& m_x;
};

}  // namespace

void RunningTimes::add(protocol::TimeNs t) {
  if (count == 0 || t < min) min = t;
  if (count == 0 || t > max) max = t;
  ++count;
  sum += static_cast<double>(t);
  sumSquares += static_cast<double>(t) * static_cast<double>(t);
}

protocol::ResponseTimeStats RunningTimes::stats() const {
  protocol::ResponseTimeStats r;
  r.count = count;
  if (count == 0) return r;
  r.minNs = min;
  r.maxNs = max;
  r.meanNs = sum / static_cast<double>(count);
  r.stddevNs =
      std::sqrt(std::max(0.0, sumSquares / static_cast<double>(count) - r.meanNs * r.meanNs));
  return r;
}

/// Bytes a first payload segment needs before it decides whether the stream is TLS or HTTP.
constexpr std::uint32_t kMinDecidingBytes = 5;

void ConnectionAnalyzer::followStream(ConnectionEntry& e, const FlowSegment& s, int sender,
                                      bool newData) {
  if (e.extrasSlot == ConnectionEntry::kNoExtras && !newData) return;
  ConnectionExtras& x = extrasOf(e);
  const bool fromClient = sender == e.clientSide;
  if (newData && s.segmentLength > 1) {
    // New client bytes open a request; the first new server bytes after them answer it.
    // (One byte alone is a keep-alive probe, even where the analysis could not tell.)
    if (fromClient) {
      if (x.pendingRequest < 0) x.pendingRequest = s.ts;
    } else if (x.pendingRequest >= 0) {
      x.responseTimes.add(s.ts - x.pendingRequest);
      x.pendingRequest = -1;
    }
  }
  if (x.streamsDone) return;
  if (x.streams == nullptr) {
    // A keep-alive's garbage byte (the first segment seen may be one) decides nothing.
    if (!newData || s.payload == nullptr || s.payloadLength < kMinDecidingBytes) return;
    if (x.undecidedSides & (1U << sender)) return;  // this direction's first payload decided
    const bool tls = m_config.tlsDetails && TlsParser::looksLikeTls(s.payload, s.payloadLength);
    const bool http = !tls && HttpParser::looksLikeHttp(s.payload, s.payloadLength);
    if (!tls && !http) {
      x.undecidedSides |= static_cast<std::uint8_t>(1U << sender);
      if (x.undecidedSides == 3) x.streamsDone = true;  // neither: nothing to follow
      return;
    }
    x.streams = std::make_unique<StreamState>();
    if (tls) x.streams->tls = std::make_unique<TlsParser>();
    if (http) x.streams->http = std::make_unique<HttpParser>();
  }
  StreamState& st = *x.streams;
  const StreamDirection d = fromClient ? StreamDirection::Forward : StreamDirection::Reverse;
  const StreamChunk c = st.cursor[directionIndex(d)].accept(
      s.tcpSeq, s.tcpFlags, s.payload, s.payloadLength, std::max(s.segmentLength, s.payloadLength));
  StreamListener listener(x);
  const auto feed = [&](auto& parser) {
    if (!parser) return;
    if (c.gapBefore != 0) parser->gap(d, c.gapBefore);
    if (c.length != 0) parser->feed(d, c.data, c.length, s.ts, listener);
    if (c.gapAfter != 0) parser->gap(d, c.gapAfter);
  };
  feed(st.tls);
  feed(st.http);
  if (st.http && c.fin) st.http->endOfStream(d, s.ts);
  const bool tlsDone = !st.tls || st.tls->isDone();
  const bool httpDone = !st.http || (st.cursor[0].isFinished() && st.cursor[1].isFinished());
  if (tlsDone && httpDone) {
    x.streams.reset();
    x.streamsDone = true;
  }
}

ConnectionAnalyzer::ConnectionAnalyzer(ConnectionAnalyzerConfig config)
    : m_config(config),
      m_table(std::min<std::size_t>(config.maxConnections, 4096)),
      m_history(config.historyConnections, config.history, config.historyReclaimIdleNs),
      m_handshakes(config.historyHandshakes, config.history, config.historyReclaimIdleNs) {
  if (m_config.maxConnections == 0) m_config.maxConnections = 1;
}

ConnectionAnalyzer::~ConnectionAnalyzer() {
  for (std::uint32_t i = 0; i < m_table.capacity(); ++i) {
    if (m_table[i].isAlive) delete extrasIf(m_table[i]);
  }
  for (ndpi_flow_struct* state : m_dpiStates) {
    DpiEngine::Flow flow;
    flow.state = state;
    m_dpi.release(flow);
  }
}

template <typename Use>
void ConnectionAnalyzer::withDpiFlow(std::uint32_t index, Use use) {
  DpiProgress& p = m_table[index].dpi;
  DpiEngine::Flow flow;
  flow.result = p.result;
  flow.packets = static_cast<std::uint8_t>(p.packets);
  flow.done = p.done != 0;
  if (p.stateSlot != 0) flow.state = m_dpiStates[p.stateSlot - 1];
  use(flow);
  p.result = flow.result;
  p.packets = flow.packets;
  p.done = flow.done ? 1 : 0;
  if (flow.state != nullptr && p.stateSlot == 0) {
    if (!m_freeDpiSlots.empty()) {
      p.stateSlot = m_freeDpiSlots.back() + 1;
      m_freeDpiSlots.pop_back();
    } else if (m_dpiStates.size() < DpiProgress::kMaxSlots) {
      m_dpiStates.push_back(nullptr);
      p.stateSlot = static_cast<std::uint32_t>(m_dpiStates.size());
    } else {
      m_dpi.finish(flow);
      p.result = flow.result;
      p.done = 1;
      return;
    }
  }
  if (p.stateSlot == 0) return;
  m_dpiStates[p.stateSlot - 1] = flow.state;
  if (flow.state == nullptr) {
    m_freeDpiSlots.push_back(p.stateSlot - 1);
    p.stateSlot = 0;
  }
}

void ConnectionAnalyzer::attachHistory(std::uint32_t index, protocol::TimeNs ts, bool isNew) {
  std::uint32_t previous = HostHistoryPool::kNone;
  const std::uint32_t slot = m_history.acquire(index, ts, isNew, &previous);
  if (slot == HostHistoryPool::kNone) return;
  if (previous != HostHistoryPool::kNone) {
    ConnectionEntry& old = m_table[previous];
    old.flags &= static_cast<std::uint8_t>(~ConnectionEntry::kHasHistory);
    extrasIf(old)->historySlot = HostHistoryPool::kNone;
  }
  ConnectionEntry& e = m_table[index];
  extrasOf(e).historySlot = slot;
  e.flags |= ConnectionEntry::kHasHistory;
}

const std::vector<std::string>& ConnectionAnalyzer::historyNames() {
  static const std::vector<std::string> names{"c2s_packets", "c2s_bytes", "s2c_packets",
                                              "s2c_bytes"};
  return names;
}

bool ConnectionAnalyzer::connectionHistory(const ConnectionEnds& ends, Resolution resolution,
                                           protocol::TimeNs from, protocol::TimeNs to,
                                           protocol::TimeNs now,
                                           std::vector<protocol::HistoryBucket>* out,
                                           bool* hasHistory, bool* complete) const {
  const std::uint16_t vlan =
      ends.vlan >= 0 ? static_cast<std::uint16_t>(ends.vlan) : ConnectionKey::kNoVlan;
  bool xIsA = false;
  ConnectionKey key;
  if (!findKey(ends.x, ends.y, ends.xPort, ends.yPort, ends.protocol, vlan, xIsA, &key))
    return false;
  const std::uint32_t index = m_table.find(key);
  if (index == Table::kNil) return false;
  const ConnectionEntry& e = m_table[index];
  *hasHistory = (e.flags & ConnectionEntry::kHasHistory) != 0;
  if (!*hasHistory) return true;
  const std::uint32_t slot = extrasIf(e)->historySlot;
  *complete = m_history.startedWithHost(slot);
  *out = m_history.history(slot).buckets(resolution, from, to, now);
  // Kept by key side: client first.
  if (e.clientSide == 1) {
    for (auto& b : *out) {
      std::swap(b.values[0], b.values[2]);
      std::swap(b.values[1], b.values[3]);
    }
  }
  return true;
}

void ConnectionAnalyzer::erase(std::uint32_t index) {
  ConnectionEntry& e = m_table[index];
  if ((e.flags & ConnectionEntry::kHasHistory) != 0) {
    m_history.release(extrasIf(e)->historySlot);
    e.flags &= static_cast<std::uint8_t>(~ConnectionEntry::kHasHistory);
  }
  if (e.dpi.stateSlot != 0) withDpiFlow(index, [&](DpiEngine::Flow& f) { m_dpi.release(f); });
  releaseTcp(e);
  if (e.extrasSlot != ConnectionEntry::kNoExtras) {
    delete m_extras[e.extrasSlot];
    m_extras.release(e.extrasSlot);
    e.extrasSlot = ConnectionEntry::kNoExtras;
  }
  releaseAddresses(e.key);
  m_table.erase(index);
}

void ConnectionAnalyzer::evict(std::uint32_t index) {
  ++m_evictions;
  m_evictedUpTo = std::max(m_evictedUpTo, m_table[index].lastSeen);
  erase(index);
}

std::size_t ConnectionAnalyzer::evictIdle(protocol::TimeNs now, protocol::TimeNs idleNs) {
  std::size_t evicted = 0;
  // The LRU list is in packet-time order (to the second, but for out-of-order timestamps):
  // stopping at the first connection still active is exact enough.
  for (std::uint32_t i = m_table.oldest(); i != Table::kNil; i = m_table.oldest()) {
    if (now - m_table[i].lastSeen <= idleNs) break;
    evict(i);
    ++evicted;
  }
  const auto old = std::remove_if(m_finished.begin(), m_finished.end(), [&](const auto& r) {
    if (now - r.lastSeen <= idleNs) return false;
    m_evictedUpTo = std::max(m_evictedUpTo, r.lastSeen);
    return true;
  });
  const auto finished = static_cast<std::size_t>(m_finished.end() - old);
  m_finished.erase(old, m_finished.end());
  m_evictions += finished;
  return evicted + finished;
}

std::uint16_t ConnectionAnalyzer::process(const FlowSegment& s) {
  if (s.ts > m_lastPacket) m_lastPacket = s.ts;
  if (m_config.idleNs > 0 && s.ts >= m_nextIdleSweep) {
    evictIdle(s.ts, m_config.idleNs);
    m_nextIdleSweep = s.ts + 1'000'000'000;
  }
  const std::uint16_t vlan =
      s.vlan >= 0 ? static_cast<std::uint16_t>(s.vlan) : ConnectionKey::kNoVlan;
  bool senderIsA = false;
  const ConnectionKey key = keyOf(s.src, s.dst, s.srcPort, s.dstPort, s.protocol, vlan, senderIsA);
  // Held while this packet's key is in use (a connection finished or evicted below may have
  // held an address's number last); a new entry keeps the hold.
  holdAddresses(key);
  const std::uint8_t sender = senderIsA ? 0 : 1;
  const bool isTcp = s.protocol == decoder::ipproto::kTcp && s.tcpHeaderValid;

  bool inserted = false;
  std::uint32_t index = m_table.findOrInsert(key, inserted);
  if (!inserted && isTcp && isSynOnly(s.tcpFlags)) {
    WideTcp tcp;
    loadTcp(m_table[index], tcp);
    const TcpSideState& fwd = tcp.sides[sender];
    if ((fwd.state & TcpSideState::kBaseSet) != 0 && s.tcpSeq != fwd.base) {
      finish(index);  // a new connection on a reused 5-tuple
      index = m_table.findOrInsert(key, inserted);
    }
  }
  if (inserted && m_table.size() > m_config.maxConnections) {
    const std::uint32_t victim = m_table.oldest();
    if (victim != index) evict(victim);
  }
  if (!inserted) releaseAddresses(key);
  ConnectionEntry& e = m_table[index];
  if (inserted) {
    e.firstSeen = s.ts;
    e.lastSeen = s.ts;
    const bool aLow = key.aPort < kFirstEphemeralPort;
    const bool bLow = key.bPort < kFirstEphemeralPort;
    if (aLow != bLow) {
      e.clientSide = aLow ? 1 : 0;  // the well-known port is the server's
    } else {
      e.clientSide = sender;
    }
  }
  if (isTcp && (e.flags & ConnectionEntry::kClientFromHandshake) == 0) {
    if (isSynOnly(s.tcpFlags)) {
      e.clientSide = sender;
      e.flags |= ConnectionEntry::kClientFromHandshake;
    } else if (isSynAck(s.tcpFlags)) {
      e.clientSide = static_cast<std::uint8_t>(1 - sender);
      e.flags |= ConnectionEntry::kClientFromHandshake;
    }
  }
  // Eviction order needs only second resolution; re-linking the LRU list on every packet
  // costs two more cache misses. A connection without a history asks for one as seldom.
  if (inserted) {
    attachHistory(index, s.ts, true);
  } else if (secondOf(s.ts) != secondOf(e.lastSeen)) {
    m_table.touch(index);
    if ((e.flags & ConnectionEntry::kHasHistory) != 0) {
      m_history.touch(extrasIf(e)->historySlot, s.ts);
    } else {
      attachHistory(index, s.ts, false);
    }
  }
  if (s.ts < e.firstSeen && e.key.protocol == decoder::ipproto::kTcp) {
    // The compact TCP times are relative to firstSeen: re-coded for the new origin.
    WideTcp tcp;
    loadTcp(e, tcp);
    e.firstSeen = s.ts;
    storeTcp(e, tcp);
  } else if (s.ts < e.firstSeen) {
    e.firstSeen = s.ts;
  }
  // The second the rate bytes are of: lastSeen's before this packet (none for a new one).
  const std::uint32_t rateSecond = inserted ? 0 : secondOf(e.lastSeen);
  if (s.ts > e.lastSeen) e.lastSeen = s.ts;

  if (e.vlans[sender] == ConnectionKey::kNoVlan) e.vlans[sender] = vlan;
  if (m_config.qos) noteQos(e, s, sender);
  if ((e.flags & ConnectionEntry::kHasHistory) != 0) {
    std::uint64_t* row = m_history.history(extrasIf(e)->historySlot).rowFor(s.ts);
    ++row[2 * sender];
    row[2 * sender + 1] += s.wireLength;
  }
  ConnectionSide& side = e.sides[sender];
  const std::uint32_t bytesBefore = side.bytes;
  side.bytes += s.wireLength;
  const bool bytesWrapped = side.bytes < bytesBefore;
  const bool packetsWrapped = ++side.packets == 0;
  if (bytesWrapped || packetsWrapped) {
    ConnectionExtras& x = extrasOf(e);
    if (!x.highWords) x.highWords = std::make_unique<std::array<ConnectionSide, 2>>();
    ConnectionSide& high = (*x.highWords)[sender];
    high.bytes += bytesWrapped ? 1 : 0;
    high.packets += packetsWrapped ? 1 : 0;
  }
  const std::uint32_t second = secondOf(s.ts);
  if (second > rateSecond) {
    if (rateSecond == second - 1) {
      e.flags |= ConnectionEntry::kPrevRateAdjacent;
    } else {
      e.flags &= static_cast<std::uint8_t>(~ConnectionEntry::kPrevRateAdjacent);
    }
    e.prevRateBytes = e.rateBytes;
    e.rateBytes = {};
  }
  std::uint32_t& rate = e.rateBytes[sender];
  rate = rate > UINT32_MAX - s.wireLength ? UINT32_MAX : rate + s.wireLength;

  std::uint16_t events = 0;
  if (isTcp) {
    TcpSegment seg;
    seg.ts = s.ts;
    seg.seq = s.tcpSeq;
    seg.ack = s.tcpAck;
    seg.length = s.segmentLength;
    seg.window = s.tcpWindow;
    seg.flags = s.tcpFlags;
    seg.windowScale = s.tcpWindowScale;
    protocol::TimeNs initialRtt = 0;
    const std::uint16_t ev = analyzeSegment(e, seg, sender, &initialRtt);
    events = ev;
    constexpr std::uint16_t kHandshakeEvents =
        tcpevent::kNewSyn | tcpevent::kHandshakeComplete | tcpevent::kSynRejected;
    if ((ev & kHandshakeEvents) != 0) noteHandshake(e, s, sender, ev, initialRtt);
    constexpr std::uint16_t kTrouble = tcpevent::kAnyRetransmission | tcpevent::kOutOfOrder |
                                       tcpevent::kWindowFull | tcpevent::kZeroWindow;
    if ((ev & kTrouble) != 0) {
      TcpTroubleSide& t = extrasOf(e).trouble[sender];
      if ((ev & tcpevent::kWindowFull) != 0) ++t.windowFull;
      if ((ev & tcpevent::kZeroWindow) != 0) ++t.zeroWindow;
      if ((ev & tcpevent::kRetransmission) != 0) ++t.retransmissions;
      if ((ev & tcpevent::kFastRetransmission) != 0) ++t.fastRetransmissions;
      if ((ev & tcpevent::kSpuriousRetransmission) != 0) ++t.spuriousRetransmissions;
      if ((ev & tcpevent::kOutOfOrder) != 0) ++t.outOfOrder;
      if ((ev & tcpevent::kAnyRetransmission) != 0) t.retransmittedBytes += s.segmentLength;
    }
    const bool newData =
        s.segmentLength != 0 && (ev & (tcpevent::kAnyRetransmission | tcpevent::kKeepAlive |
                                       tcpevent::kZeroWindowProbe)) == 0;
    followStream(e, s, sender, newData);
  }
  // HTTP over UDP (SSDP) is HTTP too, one message per datagram.
  constexpr std::uint16_t kSsdpPort = 1900;
  if (s.protocol == decoder::ipproto::kUdp && s.payload != nullptr && s.payloadLength != 0 &&
      (s.srcPort == kSsdpPort || s.dstPort == kSsdpPort)) {
    StreamListener listener(extrasOf(e));
    HttpParser::parseDatagram(
        sender == e.clientSide ? StreamDirection::Forward : StreamDirection::Reverse, s.payload,
        s.payloadLength, s.ts, listener);
  }
  if (m_config.layer7 && !e.dpi.done &&
      (s.protocol == decoder::ipproto::kTcp || s.protocol == decoder::ipproto::kUdp ||
       s.protocol == decoder::ipproto::kSctp)) {
    const bool closing = isTcp && (s.tcpFlags & (flag::kFin | flag::kRst)) != 0;
    withDpiFlow(index, [&](DpiEngine::Flow& f) {
      m_dpi.process(f, s.ipHeader, s.ipCapturedLength, s.ts, s.segmentLength != 0, closing);
    });
  }
  return events;
}

void ConnectionAnalyzer::noteHandshake(const ConnectionEntry& e, const FlowSegment& s, int sender,
                                       std::uint16_t events, protocol::TimeNs initialRtt) {
  const bool senderIsClient = sender == e.clientSide;
  const net::IpAddress& client = senderIsClient ? s.src : s.dst;
  const net::IpAddress& server = senderIsClient ? s.dst : s.src;
  if ((events & tcpevent::kNewSyn) != 0)
    m_handshakes.count(HandshakeHistory::Syns, client, server, s.ts);
  if ((events & tcpevent::kHandshakeComplete) != 0)
    m_handshakes.completed(client, server, s.ts, initialRtt);
  if ((events & tcpevent::kSynRejected) != 0)
    m_handshakes.count(HandshakeHistory::Rejected, client, server, s.ts);
}

void ConnectionAnalyzer::noteQos(ConnectionEntry& e, const FlowSegment& s, int sender) {
  QosSide& q = e.qos[sender];
  const bool first = (q.flags & QosSide::kSeen) == 0;
  if (!first) {
    if (q.dscp != s.dscp) q.flags |= QosSide::kDscpChanged;
    if (q.vlanPcp != s.vlanPcp) q.flags |= QosSide::kPcpChanged;
    if (q.mplsTc != s.mplsTc) q.flags |= QosSide::kTcChanged;
  }
  q.flags |= QosSide::kSeen;
  q.dscp = s.dscp;
  q.vlanPcp = s.vlanPcp;
  q.mplsTc = s.mplsTc;
  // Label stacks are rare: kept in the extras, compared only when there is one.
  // The entry's flag, not the extras, says whether there are any: most packets of a
  // connection with extras (TLS, HTTP) would otherwise miss the cache on the extras.
  const bool hadLabels = (e.flags & ConnectionEntry::kHasMplsLabels) != 0 &&
                         !(*extrasIf(e)->mplsLabels)[sender].empty();
  if (s.mplsCount == 0 && !hadLabels) return;
  const auto* labels = s.mplsLabels.data();
  ConnectionExtras& x = extrasOf(e);
  if (!x.mplsLabels) {
    x.mplsLabels = std::make_unique<std::array<std::vector<std::uint32_t>, 2>>();
    e.flags |= ConnectionEntry::kHasMplsLabels;
  }
  std::vector<std::uint32_t>& stack = (*x.mplsLabels)[sender];
  if (std::equal(stack.begin(), stack.end(), labels, labels + s.mplsCount)) return;
  if (!first) q.flags |= QosSide::kLabelsChanged;
  stack.assign(labels, labels + s.mplsCount);
}

void ConnectionAnalyzer::finish(std::uint32_t index) {
  withDpiFlow(index, [&](DpiEngine::Flow& f) { m_dpi.finish(f); });
  if (m_finished.size() < m_config.maxFinished) {
    m_finished.push_back(toRecord(m_table[index]));
    erase(index);
  } else {
    evict(index);  // no room to keep its record
  }
}

protocol::ConnectionRecord ConnectionAnalyzer::toRecord(const ConnectionEntry& e) const {
  protocol::ConnectionRecord r;
  const int c = e.clientSide;
  const int sv = 1 - c;
  r.protocol = e.key.protocol;
  r.clientIp = addressOf(e.key, c);
  r.clientPort = c == 0 ? e.key.aPort : e.key.bPort;
  r.serverIp = addressOf(e.key, sv);
  r.serverPort = c == 0 ? e.key.bPort : e.key.aPort;
  const std::uint16_t vlan = e.vlans[c] != ConnectionKey::kNoVlan ? e.vlans[c] : e.vlans[sv];
  r.vlan = vlan == ConnectionKey::kNoVlan ? -1 : vlan;
  r.firstSeen = e.firstSeen;
  r.lastSeen = e.lastSeen;
  const auto count = [&](int side, std::uint32_t ConnectionSide::*field) -> std::uint64_t {
    const ConnectionExtras* x = extrasIf(e);
    const std::uint64_t high = x != nullptr && x->highWords ? (*x->highWords)[side].*field : 0;
    return high << 32 | e.sides[side].*field;
  };
  r.c2sPackets = count(c, &ConnectionSide::packets);
  r.c2sBytes = count(c, &ConnectionSide::bytes);
  r.s2cPackets = count(sv, &ConnectionSide::packets);
  r.s2cBytes = count(sv, &ConnectionSide::bytes);
  const std::uint32_t last = secondOf(m_lastPacket);
  const auto bitsIn = [&](int side) -> double {
    if (last == 0) return 0;
    const std::uint32_t rateSecond = secondOf(e.lastSeen);
    if (rateSecond == last - 1) return e.rateBytes[side] * 8.0;
    if ((e.flags & ConnectionEntry::kPrevRateAdjacent) != 0 && rateSecond == last) {
      return e.prevRateBytes[side] * 8.0;
    }
    return 0;
  };
  r.c2sBitsPerSecond = bitsIn(c);
  r.s2cBitsPerSecond = bitsIn(sv);
  if (e.key.protocol == decoder::ipproto::kTcp) {
    WideTcp tcp;
    loadTcp(e, tcp);
    r.c2sTcp = tcpStatsOf(extrasIf(e), c, tcp.sides[c]);
    r.s2cTcp = tcpStatsOf(extrasIf(e), sv, tcp.sides[sv]);
    if (tcp.handshake.isComplete()) {
      const protocol::TimeNs serverLeg = tcp.handshake.serverLeg();
      r.handshakeServerNs = serverLeg;
      r.handshakeClientNs = tcp.handshake.initialRtt - serverLeg;
    }
    r.state = tcpStateOf(tcp);
  }
  r.app = m_dpi.name(e.dpi.result);
  const auto qosOf = [&](int side) {
    const QosSide& q = e.qos[side];
    protocol::QosInfo out;
    if ((q.flags & QosSide::kSeen) == 0) return out;
    out.dscp = q.dscp;
    out.vlanPcp = q.vlanPcp;
    out.mplsTc = q.mplsTc;
    out.dscpChanged = (q.flags & QosSide::kDscpChanged) != 0;
    out.vlanPcpChanged = (q.flags & QosSide::kPcpChanged) != 0;
    out.mplsTcChanged = (q.flags & QosSide::kTcChanged) != 0;
    out.mplsLabelsChanged = (q.flags & QosSide::kLabelsChanged) != 0;
    const ConnectionExtras* x = extrasIf(e);
    if (x != nullptr && x->mplsLabels) out.mplsLabels = (*x->mplsLabels)[side];
    return out;
  };
  r.c2sQos = qosOf(c);
  r.s2cQos = qosOf(sv);
  if (const ConnectionExtras* extras = extrasIf(e); extras != nullptr) {
    const ConnectionExtras& x = *extras;
    r.responseTime = x.responseTimes.stats();
    if (x.tls) r.tls = *x.tls;
    if (x.http) {
      r.http = *x.http;
      r.http->responseTime = x.httpTimes ? x.httpTimes->stats() : RunningTimes{}.stats();
    }
  }
  return r;
}

void ConnectionAnalyzer::collectAll(std::vector<protocol::ConnectionRecord>& out) const {
  out.reserve(out.size() + m_finished.size() + m_table.size());
  out.insert(out.end(), m_finished.begin(), m_finished.end());
  for (std::uint32_t i = 0; i < m_table.capacity(); ++i) {
    if (m_table[i].isAlive) out.push_back(toRecord(m_table[i]));
  }
}

}  // namespace netlens::node::analysis
