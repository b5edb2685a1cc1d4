// SPDX-License-Identifier: MIT
#include "node/pipeline/pipeline.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "node/analysis/tcp_analysis.h"
#include "node/pipeline/pipeline_internal.h"
#include "node/store/store_writer.h"
#include "shared/decoder/flow_hash.h"
#include "shared/decoder/packet_decoder.h"
#include "shared/stats/connection_merge.h"
#include "shared/stats/host_merge.h"

namespace netlens::node::pipeline {

using Clock = std::chrono::steady_clock;

Pipeline::Pipeline(PipelineConfig config)
    : m_config(std::move(config)), m_media(std::make_shared<analysis::SdpMediaRegistry>()) {
  if (m_config.workers < 1) m_config.workers = 1;
  // Connection histories share the ring lengths of the IP and global ones.
  m_config.connections.history = m_config.analyzer.history;
  m_config.peerQos.history = m_config.analyzer.history;
  const analysis::AnalysisSwitches& on = m_config.switches;
  m_config.connections.layer7 = on.layer7;
  m_config.connections.qos = on.qos;
  m_config.connections.tlsDetails = on.tlsDetails;
  if (!on.connections) m_config.connections.historyConnections = 0;
  if (!on.peerHistory) m_config.peerQos.peerHistories = 0;
  if (!on.qos) m_config.peerQos.qosHistories = 0;
  for (int i = 0; i < m_config.workers; ++i) {
    m_workers.push_back(std::make_unique<Worker>(m_config, m_media));
  }
}

Pipeline::~Pipeline() {
  stop();
}

bool Pipeline::addInterface(const std::string& name, std::string* error) {
  auto pcap = capture::PcapSource::openInterface(name, m_config.live, error);
  if (!pcap) return false;
  if (!pcap->setFilter(m_config.filter, error)) return false;
  auto s = std::make_unique<Source>();
  s->name = name;
  s->linkType = pcap->linkType();
  s->linkTypeName = pcap->linkTypeName();
  s->pcap = std::move(pcap);
  s->tapIndex = m_tapLinkTypes.size();
  m_tapLinkTypes.push_back(s->linkType);
  m_interfaces.push_back(std::move(s));
  return true;
}

bool Pipeline::addFile(const std::string& path, std::string* error) {
  auto pcap = capture::PcapSource::openFile(path, error);
  if (!pcap) return false;
  if (!pcap->setFilter(m_config.filter, error)) return false;
  auto s = std::make_unique<Source>();
  s->name = path;
  s->isFile = true;
  s->linkType = pcap->linkType();
  s->linkTypeName = pcap->linkTypeName();
  s->pcap = std::move(pcap);
  s->tapIndex = m_tapLinkTypes.size();
  m_tapLinkTypes.push_back(s->linkType);
  m_files.push_back(std::move(s));
  return true;
}

void Pipeline::start() {
  if (m_started) return;
  m_started = true;
  for (auto& w : m_workers) {
    Worker* worker = w.get();
    worker->thread = std::thread([this, worker] { runWorker(*worker); });
  }
  if (!m_files.empty()) {
    ++m_runningCaptures;
    m_captureThreads.emplace_back([this] { runFiles(); });
  }
  for (auto& s : m_interfaces) {
    Source* source = s.get();
    ++m_runningCaptures;
    m_captureThreads.emplace_back([this, source] { runInterface(*source); });
  }
}

void Pipeline::stop() {
  if (!m_started || m_stopped) return;
  m_stopped = true;
  m_stop = true;
  for (auto& s : m_interfaces) s->pcap->breakLoop();
  for (auto& t : m_captureThreads) {
    if (t.joinable()) t.join();  // waitForFiles() may have joined the file thread already
  }
  for (auto& w : m_workers) w->queue.close();
  for (auto& w : m_workers) w->thread.join();
}

void Pipeline::waitForFiles() {
  if (!m_started) return;
  // The file thread is the first capture thread when files exist.
  if (!m_files.empty() && m_captureThreads.front().joinable()) m_captureThreads.front().join();
  // Drain: close queues only when no live source still feeds them.
  if (m_interfaces.empty()) {
    for (auto& w : m_workers) w->queue.close();
    for (auto& w : m_workers) {
      if (w->thread.joinable()) w->thread.join();
    }
    m_stopped = true;
  }
}

bool Pipeline::isFinished() const {
  return m_runningCaptures.load() == 0;
}

int Pipeline::shardOf(int linkType, const std::uint8_t* data, std::uint32_t caplen,
                      std::uint32_t wirelen) const {
  if (m_workers.size() == 1) return 0;
  if (auto quick = decoder::quickFlowHash(linkType, data, caplen)) {
    return static_cast<int>(*quick % m_workers.size());
  }
  thread_local decoder::DecodedPacket packet;
  decoder::PacketDecoder::decode(linkType, data, caplen, wirelen, 0, packet);
  // Symmetric: both directions of a flow hash to the same worker, so one worker owns it;
  // all fragments of a datagram meet in one worker's reassembly.
  return static_cast<int>(decoder::symmetricFlowHash(packet) % m_workers.size());
}

void Pipeline::dispatch(Source& source, std::vector<BatchPtr>& pending, int worker, bool blocking) {
  BatchPtr& batch = pending[worker];
  if (!batch || batch->isEmpty()) return;
  const std::size_t n = batch->entries.size();
  if (blocking) {
    // A file is read several times faster than a worker analyses it, so a deep queue only
    // holds more packet data in memory (each batch keeps its arena's high-water pages); a
    // few batches keep the worker fed. Live sources use the whole queue to ride out bursts.
    constexpr std::size_t kFileQueueBatches = 4;
    m_workers[worker]->queue.push(std::move(batch), kFileQueueBatches);
  } else if (BatchPtr rejected = m_workers[worker]->queue.tryPush(std::move(batch))) {
    source.queueDrops += n;
    rejected->clear();
    batch = std::move(rejected);
    return;
  }
  batch = m_pool.acquire();
}

bool Pipeline::pump(Source& source, std::int64_t timeShiftNs, std::int64_t* firstTs,
                    std::int64_t* lastTs) {
  std::vector<BatchPtr> pending(m_workers.size());
  for (auto& b : pending) b = m_pool.acquire();
  const bool blocking = source.isFile;
  // The packet ring gets its own copy of every packet, in capture order.
  store::StoreWriter* const ring = m_config.store.get();
  // The ring records each packet's source: an interface's name, a file's without its folder.
  const std::string storeSource =
      source.isFile ? std::filesystem::path(source.name).filename().string() : source.name;
  BatchPtr toStore = ring ? ring->acquire() : nullptr;
  if (toStore) toStore->source = storeSource;
  live::LiveTap* const tap = m_config.liveTap.get();
  live::LiveTap::Cursor tapCursor;
  const auto handToStore = [&] {
    if (!toStore || toStore->isEmpty()) return;
    toStore = ring->offer(std::move(toStore), blocking);
    if (!toStore) toStore = ring->acquire();
    toStore->source = storeSource;
  };
  const auto flushAll = [&] {
    for (std::size_t w = 0; w < pending.size(); ++w) {
      dispatch(source, pending, static_cast<int>(w), blocking);
    }
    handToStore();
  };
  auto lastFlush = Clock::now();
  auto lastStats = lastFlush;
  std::int64_t paceFirstTs = 0;
  Clock::time_point paceStart;
  std::uint32_t sinceCheck = 0;
  capture::RawPacket raw;
  bool running = true;
  while (true) {
    if (m_stop.load(std::memory_order_relaxed)) {
      running = false;
      break;
    }
    const capture::ReadStatus status = source.pcap->next(raw);
    if (status == capture::ReadStatus::Packet) {
      const std::int64_t ts = raw.timestampNs + timeShiftNs;
      if (m_config.paceRealtime && source.isFile) {
        if (paceFirstTs == 0) {
          paceFirstTs = ts;
          paceStart = Clock::now();
        }
        const auto due = paceStart + std::chrono::nanoseconds(ts - paceFirstTs);
        if (due > Clock::now()) {
          flushAll();
          lastFlush = Clock::now();
          while (!m_stop && due > Clock::now()) {
            std::this_thread::sleep_until(
                std::min(due, Clock::now() + std::chrono::milliseconds(100)));
          }
        }
      }
      if (*firstTs == 0) *firstTs = ts;
      *lastTs = ts;
      ++source.packets;
      const int w = shardOf(raw.linkType, raw.data, raw.capturedLength, raw.wireLength);
      pending[w]->add(ts, raw.capturedLength, raw.wireLength, raw.data, raw.linkType);
      if (pending[w]->isFull()) dispatch(source, pending, w, blocking);
      if (tap && tap->isActive())
        tap->offer(tapCursor, source.tapIndex, raw.linkType, ts, raw.data, raw.capturedLength,
                   raw.wireLength);
      if (toStore) {
        toStore->add(ts, raw.capturedLength, raw.wireLength, raw.data, raw.linkType);
        if (toStore->isFull()) handToStore();
      }
      // Live traffic must not sit in a half-full batch: flush at least every 50 ms.
      if (!source.isFile && ++sinceCheck >= 64) {
        sinceCheck = 0;
        if (Clock::now() - lastFlush > std::chrono::milliseconds(50)) {
          flushAll();
          lastFlush = Clock::now();
        }
      }
      continue;
    }
    if (status == capture::ReadStatus::Timeout) {
      // The capture buffer is drained. Hand over what we hold unless we did so very
      // recently: under load the buffer drains thousands of times a second, and a batch of a
      // few packets per drain would fill the workers' queues with nearly empty batches.
      const auto now = Clock::now();
      if (now - lastFlush >= std::chrono::milliseconds(5)) {
        flushAll();
        lastFlush = now;
      }
      // pcap_stats() costs system calls and file reads on Linux: once a second is enough.
      if (now - lastStats >= std::chrono::seconds(1)) {
        source.captureDrops = source.pcap->captureDrops();
        lastStats = now;
      }
      continue;
    }
    if (status == capture::ReadStatus::Error) {
      {
        std::lock_guard lock(source.errorMutex);
        source.error = source.pcap->error();
      }
      // Like tshark, reading stops at a damaged record; it is counted as malformed.
      std::lock_guard lock(m_workers[0]->mutex);
      m_workers[0]->analyzer.countMalformed(decoder::MalformedReason::CaptureError);
    }
    break;
  }
  flushAll();
  if (!source.isFile) source.captureDrops = source.pcap->captureDrops();
  for (auto& b : pending) {
    if (b) m_pool.release(std::move(b));
  }
  return running;
}

void Pipeline::runFiles() {
  std::int64_t shift = 0;
  bool running = true;
  while (running) {
    std::int64_t roundFirst = 0, roundLast = 0;
    for (auto& s : m_files) {
      if (!s->pcap) {
        std::string error;
        s->pcap = capture::PcapSource::openFile(s->name, &error);
        if (!s->pcap || !s->pcap->setFilter(m_config.filter, &error)) {
          std::lock_guard lock(s->errorMutex);
          s->error = error;
          s->pcap.reset();
          continue;
        }
      }
      std::int64_t first = 0, last = 0;
      running = pump(*s, shift, &first, &last);
      if (roundFirst == 0) roundFirst = first;
      roundLast = std::max(roundLast, last);
      s->pcap.reset();
      if (!running) break;
    }
    if (!running || !m_config.loopFiles || roundLast == 0) break;
    // Next round: packet time keeps increasing, one second after this round's last packet.
    shift += roundLast - roundFirst + 1'000'000'000;
  }
  for (auto& s : m_files) s->finished = true;
  --m_runningCaptures;
}

void Pipeline::runInterface(Source& source) {
  std::int64_t first = 0, last = 0;
  pump(source, 0, &first, &last);
  source.finished = true;
  --m_runningCaptures;
}

void Pipeline::runWorker(Worker& worker) {
  decoder::DecodedPacket packet;
  analysis::FlowSegment segment;
  while (BatchPtr batch = worker.queue.pop()) {
    {
      std::lock_guard lock(worker.mutex);
      for (const auto& e : batch->entries) {
        decoder::PacketDecoder::decode(e.linkType, batch->dataOf(e), e.capturedLength, e.wireLength,
                                       e.timestampNs, packet);
        if (packet.hasIp()) worker.sipFragments.add(packet);
        if (worker.analyzer.process(packet, &segment)) {
          if (m_config.switches.connections &&
              (worker.connections.process(segment) & analysis::tcpevent::kAnyRetransmission) != 0)
            worker.analyzer.countRetransmission(segment);
          worker.peerQos.process(segment);
          // A fragmented SIP datagram completed by this frame: SIP reads its whole payload.
          if (worker.sipFragments.complete(packet, segment)) {
            worker.sip.process(segment);
          } else if (!worker.sip.process(segment) && !worker.rtcp.process(segment)) {
            // SIP first: a datagram that is SIP is not offered to the RTP heuristics.
            worker.rtp.process(segment);
          }
        }
        learnNames(packet, worker);
      }
    }
    m_pool.release(std::move(batch));
  }
}

void Pipeline::learnNames(const decoder::DecodedPacket& packet, Worker& worker) {
  const decoder::TransportLayer& t = packet.transport;
  if (!t.hasPorts() || t.payloadLength == 0) return;
  const auto named = [&](std::uint16_t port) {
    return port == 53 || port == 5353 || port == 5355 || port == 67 || port == 68;
  };
  if (!named(t.srcPort) && !named(t.dstPort)) return;
  const analysis::DnsStatus dns = analysis::DnsNameParser::parsePacket(packet, worker.dns);
  if (dns != analysis::DnsStatus::NotDns) {
    std::lock_guard lock(m_namesMutex);
    m_names.learnDns(dns, worker.dns, packet.timestampNs);
    return;
  }
  const analysis::DhcpStatus dhcp = analysis::DhcpNameParser::parsePacket(packet, worker.dhcp);
  if (dhcp != analysis::DhcpStatus::NotDhcp) {
    std::lock_guard lock(m_namesMutex);
    m_names.learnDhcp(dhcp, worker.dhcp, packet.timestampNs);
  }
}

void Pipeline::annotate(std::vector<protocol::HostRecord>& records) const {
  if (m_config.countries || m_config.vendors) {
    for (auto& r : records) {
      if (m_config.countries) r.country = analysis::countryText(m_config.countries->lookup(r.ip));
      if (!m_config.vendors) continue;
      r.macVendors.clear();
      for (const auto& mac : r.macs) {
        r.macVendors.emplace_back(analysis::OuiVendors::label(m_config.vendors->lookup(mac)));
      }
    }
  }
  std::vector<analysis::LearnedName> names;
  std::lock_guard lock(m_namesMutex);
  for (auto& r : records) {
    names.clear();
    if (m_names.namesOf(r.ip, names) == 0) continue;
    // Most recent first by packet time, so that the order does not depend on which worker
    // learned a name first.
    std::sort(names.begin(), names.end(), [](const auto& a, const auto& b) {
      return a.lastSeen != b.lastSeen ? a.lastSeen > b.lastSeen : a.name < b.name;
    });
    r.names.clear();
    for (auto& n : names) {
      if (r.names.size() >= protocol::kMaxHostNames) break;
      r.names.push_back(std::move(n.name));
    }
  }
}

void Pipeline::synchroniseClocks() const {
  if (m_workers.size() == 1) return;
  const std::int64_t now = packetTime();
  for (const auto& w : m_workers) {
    std::lock_guard lock(w->mutex);
    w->analyzer.advanceClock(now);
  }
}

std::vector<protocol::HostRecord> Pipeline::hosts() const {
  synchroniseClocks();
  if (m_workers.size() == 1) {
    std::vector<protocol::HostRecord> out;
    {
      std::lock_guard lock(m_workers[0]->mutex);
      m_workers[0]->analyzer.collectAll(out);
    }
    annotate(out);
    return out;
  }
  std::unordered_map<net::IpAddress, protocol::HostRecord, net::IpAddressHash> merged;
  std::vector<protocol::HostRecord> part;
  for (const auto& w : m_workers) {
    part.clear();
    {
      std::lock_guard lock(w->mutex);
      w->analyzer.collectAll(part);
    }
    for (auto& r : part) {
      auto [it, inserted] = merged.try_emplace(r.ip, std::move(r));
      if (!inserted) stats::mergeHostRecord(it->second, r, m_config.analyzer.inactivityGapNs);
    }
  }
  std::vector<protocol::HostRecord> out;
  out.reserve(merged.size());
  for (auto& [ip, r] : merged) out.push_back(std::move(r));
  annotate(out);
  return out;
}

void Pipeline::changedHosts(std::vector<protocol::HostRecord>* changed,
                            std::vector<net::IpAddress>* removed) {
  changed->clear();
  removed->clear();
  synchroniseClocks();
  // Hosts whose names changed are published again, even when their counters did not.
  std::vector<net::IpAddress> renamed;
  {
    std::vector<net::MacAddress> renamedMacs;
    std::lock_guard lock(m_namesMutex);
    m_names.collectChanges(renamed, renamedMacs);
  }
  if (m_workers.size() == 1) {
    {
      std::lock_guard lock(m_workers[0]->mutex);
      m_workers[0]->analyzer.collectChanges(*changed, *removed);
      std::unordered_set<net::IpAddress, net::IpAddressHash> listed;
      for (const auto& r : *changed) listed.insert(r.ip);
      for (const auto& ip : renamed) {
        protocol::HostRecord r;
        if (!listed.count(ip) && m_workers[0]->analyzer.findHost(ip, r)) {
          changed->push_back(std::move(r));
        }
      }
    }
    annotate(*changed);
    return;
  }
  // A host's figures are spread over workers: collect which IPs changed anywhere, then
  // publish their full merged records.
  std::vector<protocol::HostRecord> part;
  std::vector<net::IpAddress> gone;
  std::unordered_map<net::IpAddress, protocol::HostRecord, net::IpAddressHash> merged;
  for (const auto& w : m_workers) {
    part.clear();
    gone.clear();
    std::lock_guard lock(w->mutex);
    w->analyzer.collectChanges(part, gone);
    for (auto& r : part) merged.try_emplace(r.ip);
    for (auto& ip : gone) merged.try_emplace(ip);
  }
  std::unordered_set<net::IpAddress, net::IpAddressHash> renamedOnly;
  for (const auto& ip : renamed) {
    if (merged.try_emplace(ip).second) renamedOnly.insert(ip);
  }
  for (auto& [ip, record] : merged) {
    bool found = false;
    for (const auto& w : m_workers) {
      protocol::HostRecord r;
      bool has = false;
      {
        std::lock_guard lock(w->mutex);
        has = w->analyzer.findHost(ip, r);
      }
      if (!has) continue;
      if (!found) {
        record = std::move(r);
        found = true;
      } else {
        stats::mergeHostRecord(record, r, m_config.analyzer.inactivityGapNs);
      }
    }
    if (found) {
      changed->push_back(std::move(record));
    } else if (!renamedOnly.count(ip)) {  // a name for an address no worker counts: nothing
      removed->push_back(ip);
    }
  }
  annotate(*changed);
}

std::vector<protocol::ConnectionRecord> Pipeline::connections() const {
  std::vector<protocol::ConnectionRecord> out;
  {
    std::lock_guard lock(m_workers[0]->mutex);
    m_workers[0]->connections.collectAll(out);
  }
  if (m_workers.size() == 1) {
    addCountries(out);
    return out;
  }
  // Records of one worker stay apart (a reused 5-tuple gives several); another worker's
  // record of the same flow joins the latest one.
  std::unordered_map<std::string, std::size_t> latest;
  for (std::size_t i = 0; i < out.size(); ++i) latest[stats::connectionIdentity(out[i])] = i;
  std::vector<protocol::ConnectionRecord> part;
  for (std::size_t w = 1; w < m_workers.size(); ++w) {
    part.clear();
    {
      std::lock_guard lock(m_workers[w]->mutex);
      m_workers[w]->connections.collectAll(part);
    }
    for (auto& r : part) {
      auto [it, inserted] = latest.try_emplace(stats::connectionIdentity(r), out.size());
      if (inserted) {
        out.push_back(std::move(r));
      } else {
        stats::mergeConnectionRecord(out[it->second], r);
      }
    }
  }
  addCountries(out);
  return out;
}

void Pipeline::addCountries(std::vector<protocol::ConnectionRecord>& records) const {
  if (!m_config.countries) return;
  // Many connections share an address: look each address up once.
  std::unordered_map<net::IpAddress, std::string, net::IpAddressHash> known;
  const auto countryOf = [&](const net::IpAddress& ip) -> const std::string& {
    auto [it, inserted] = known.try_emplace(ip);
    if (inserted) it->second = analysis::countryText(m_config.countries->lookup(ip));
    return it->second;
  };
  for (auto& r : records) {
    r.clientCountry = countryOf(r.clientIp);
    r.serverCountry = countryOf(r.serverIp);
  }
}

protocol::GlobalStats Pipeline::global() const {
  synchroniseClocks();
  protocol::GlobalStats g;
  for (const auto& w : m_workers) {
    protocol::GlobalStats part;
    {
      std::lock_guard lock(w->mutex);
      part = w->analyzer.globalStats();
      part.connectionsEvicted = w->connections.evictions();
      part.connectionsEvictedUpTo = w->connections.evictedUpTo();
    }
    stats::mergeGlobalStats(g, part);
  }
  // Worker host counts overlap when a host's flows are spread over workers.
  if (m_workers.size() > 1) {
    std::unordered_set<net::IpAddress, net::IpAddressHash> distinct;
    std::vector<net::IpAddress> part;
    for (const auto& w : m_workers) {
      part.clear();
      {
        std::lock_guard lock(w->mutex);
        w->analyzer.collectAddresses(part);
      }
      distinct.insert(part.begin(), part.end());
    }
    g.hostCount = distinct.size();
  }
  g.sources = sources();
  if (m_config.store) {
    const store::Retention r = m_config.store->retention();
    g.storeBytes = r.bytes;
    g.storeMaxBytes = r.maxBytes;
    g.storePackets = r.packets;
    g.storeDrops = m_config.store->drops();
    g.storeOldest = r.oldestPacket;
    g.storeNewest = r.newestPacket;
  }
  return g;
}

std::vector<protocol::SourceInfo> Pipeline::sources() const {
  std::vector<protocol::SourceInfo> out;
  auto add = [&](const Source& s) {
    protocol::SourceInfo info;
    info.name = s.name;
    info.kind = s.isFile ? "file" : "interface";
    info.linkType = s.linkType;
    info.linkTypeName = s.linkTypeName;
    info.packets = s.packets.load();
    info.captureDrops = s.captureDrops.load();
    info.queueDrops = s.queueDrops.load();
    info.finished = s.finished.load();
    std::lock_guard lock(s.errorMutex);
    info.error = s.error;
    out.push_back(std::move(info));
  };
  for (const auto& s : m_interfaces) add(*s);
  for (const auto& s : m_files) add(*s);
  return out;
}

std::int64_t Pipeline::packetTime() const {
  std::int64_t t = 0;
  for (const auto& w : m_workers) {
    std::lock_guard lock(w->mutex);
    t = std::max(t, w->analyzer.lastPacketTime());
  }
  return t;
}

}  // namespace netlens::node::pipeline
