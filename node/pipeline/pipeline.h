// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "node/analysis/analysis_switches.h"
#include "node/analysis/connection_analyzer.h"
#include "node/analysis/country_db.h"
#include "node/analysis/host_analyzer.h"
#include "node/analysis/name_table.h"
#include "node/analysis/oui_vendors.h"
#include "node/analysis/peer_qos_history.h"
#include "node/analysis/rtp_quality.h"
#include "node/analysis/sdp_media_registry.h"
#include "node/analysis/voip_records.h"
#include "node/capture/pcap_source.h"
#include "node/live/live_tap.h"
#include "node/pipeline/packet_batch.h"
#include "shared/protocol/messages.h"

namespace netlens::node::store {
class StoreWriter;
}

namespace netlens::node::pipeline {

/// How the node runs its sources.
struct PipelineConfig {
  int workers = 1;
  std::string filter;             ///< BPF applied to every source ("" = all)
  capture::LiveOptions live;      ///< for interfaces
  bool paceRealtime = false;      ///< files replayed at their recorded pace
  bool loopFiles = false;         ///< replay files forever, shifting time (demo)
  std::size_t queueBatches = 64;  ///< per worker; 64 × 512 packets
  analysis::HostAnalyzerConfig analyzer;
  analysis::ConnectionAnalyzerConfig connections;
  /// Analyses turned off (`--disable-analysis`); applied to the configs above at start.
  analysis::AnalysisSwitches switches;
  /// Histories per peer pair and per QoS class of an address (their budgets; the ring
  /// lengths are those of `analyzer.history`).
  analysis::PeerQosHistoryConfig peerQos;
  /// Jitter buffer and network delay of the RTP streams' MOS.
  analysis::VoipQualityConfig voip;
  /// Countries of addresses (HostRecord::country, ConnectionRecord countries); none when null.
  std::shared_ptr<const analysis::CountryDb> countries;
  /// NIC vendors of MACs (HostRecord::macVendors); none when null.
  std::shared_ptr<const analysis::OuiVendors> vendors;
  /// Where every packet is also stored (the packet ring); none when null. Started and
  /// stopped by its owner.
  std::shared_ptr<store::StoreWriter> store;
  /// Live captures ("live-start"): offered every packet as it is read; none when null.
  std::shared_ptr<live::LiveTap> liveTap;
};

/// What a "history" request asks for: one series at one resolution, the buckets that contain
/// an instant of [from, to].
struct HistoryQuery {
  bool isGlobal = true;
  net::IpAddress ip;  ///< when !isGlobal and no group
  /// A group series ("group" with its name): the sum of the histories of `members` (the
  /// group's addresses in the host table, filled in by the caller).
  std::optional<std::string> group;
  std::vector<net::IpAddress> members;
  /// A connection series: the live connection between these ends.
  std::optional<analysis::ConnectionEnds> connection;
  /// A peer series: the traffic between `ip` and this peer, from `ip`'s point of view.
  std::optional<net::IpAddress> peer;
  /// A QoS class series: `ip`'s traffic with marking `value` of `layer`.
  struct QosClass {
    analysis::QosLayer layer = analysis::QosLayer::Dscp;
    std::uint8_t value = 0;
  };
  std::optional<QosClass> qos;
  /// A handshake series: the TCP handshakes of `ip`, or of the group's `members`.
  bool handshakes = false;
  analysis::Resolution resolution = analysis::Resolution::Second;
  protocol::TimeNs from = INT64_MIN;
  protocol::TimeNs to = INT64_MAX;
};

/// capture → shard by symmetric flow hash → `workers` analyser threads.
///
/// Each live interface gets its own capture thread; all files are read in order by one
/// thread. Workers own their analyser; the figures are read by locking a worker's analyser
/// briefly (the worker holds that lock per batch, never per packet). Every clock inside
/// the analysers runs on packet time.
///
/// Threads: construct, add sources, start(), stop() from one owner thread; hosts(),
/// changedHosts(), global() and sources() from any thread.
class Pipeline {
 public:
  explicit Pipeline(PipelineConfig config);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  /// Opens a live interface now, so errors (no such interface, permission, bad filter)
  /// are reported before anything starts.
  bool addInterface(const std::string& name, std::string* error);
  /// Opens a file now (unreadable or not a capture: error); it is read after the previous one.
  bool addFile(const std::string& path, std::string* error);

  void start();
  /// Stops capture, drains the queues, joins every thread. Idempotent.
  void stop();
  /// Blocks until every file source has been read and analysed (not for live sources).
  void waitForFiles();
  /// True once all sources are finished (files read, or failed).
  bool isFinished() const;

  /// The merged host table (all workers).
  std::vector<protocol::HostRecord> hosts() const;
  /// Full merged records of hosts changed since the previous call, and evicted hosts.
  void changedHosts(std::vector<protocol::HostRecord>* changed,
                    std::vector<net::IpAddress>* removed);
  protocol::GlobalStats global() const;
  /// Every connection of every worker. A flow normally lives on one worker; the fragments of
  /// a fragmented datagram are sharded by address pair, so a flow with fragmented datagrams
  /// can have records on two workers: those are merged (counters summed).
  std::vector<protocol::ConnectionRecord> connections() const;
  /// The analyses this node runs (PipelineConfig::switches).
  const analysis::AnalysisSwitches& switches() const { return m_config.switches; }
  std::vector<protocol::SourceInfo> sources() const;
  /// One history series summed over the workers, bucket by bucket, every worker's window
  /// ending at the node's packet time. False with `problem` set when an IP series is asked
  /// for an address that no worker has a history of.
  bool history(const HistoryQuery& query, protocol::HistoryReply* out, std::string* problem) const;
  /// Every RTP stream of every worker (a stream lives on the worker of its 5-tuple), with
  /// codec and call from the SDP the node has seen.
  std::vector<analysis::RtpStreamRecord> rtpStreams() const;
  /// SIP message counters summed over the workers.
  analysis::SipCounters sipCounters() const;
  /// SIP dialogs with an INVITE, joined over the workers (a call's SIP and RTP travel on
  /// different 5-tuples, so on different workers), each with its RTP streams.
  std::vector<analysis::CallRecord> calls() const;
  /// Link types of the sources by tap index (the order they were added). Set before start().
  const std::vector<int>& tapLinkTypes() const { return m_tapLinkTypes; }
  /// Latest packet time analysed (ns since the epoch), 0 before the first packet.
  std::int64_t packetTime() const;

 private:
  struct Source;
  struct Worker;

  void runFiles();
  void runInterface(Source& source);
  /// Reads one source until it ends, fails or stop(); returns false on stop.
  bool pump(Source& source, std::int64_t timeShiftNs, std::int64_t* firstTs, std::int64_t* lastTs);
  void dispatch(Source& source, std::vector<BatchPtr>& pending, int worker, bool blocking);
  void runWorker(Worker& worker);
  /// history() of a connection series.
  /// history() of a peer or QoS class series.
  bool peerQosHistory(const HistoryQuery& query, std::int64_t now, protocol::HistoryReply* out,
                      std::string* problem) const;
  bool connectionHistory(const HistoryQuery& query, std::int64_t now, protocol::HistoryReply* out,
                         std::string* problem) const;
  /// Brings every worker's clock to the newest packet time of all, so per-worker rates
  /// cover the same second before they are summed.
  void synchroniseClocks() const;
  /// Learns names from DNS/mDNS/LLMNR answers and DHCP in `packet` (worker thread).
  void learnNames(const decoder::DecodedPacket& packet, Worker& worker);
  /// Fills each record's names from the node-wide name table, its country and MAC vendors.
  void annotate(std::vector<protocol::HostRecord>& records) const;
  void addCountries(std::vector<protocol::ConnectionRecord>& records) const;
  int shardOf(int linkType, const std::uint8_t* data, std::uint32_t caplen,
              std::uint32_t wirelen) const;

  PipelineConfig m_config;
  std::vector<std::unique_ptr<Source>> m_files;
  std::vector<std::unique_ptr<Source>> m_interfaces;
  std::vector<int> m_tapLinkTypes;
  std::vector<std::unique_ptr<Worker>> m_workers;
  BatchPool m_pool;
  /// Names are learned by whichever worker sees the answer, for addresses other workers
  /// count: one table for the node. Learning is rare (DNS and DHCP packets only).
  mutable std::mutex m_namesMutex;
  analysis::NameTable m_names;
  /// SDP media endpoints, node-wide: published by the worker that reads the SIP, read by
  /// the workers that see the RTP.
  std::shared_ptr<analysis::SdpMediaRegistry> m_media;
  std::vector<std::thread> m_captureThreads;
  std::atomic<bool> m_stop{false};
  std::atomic<int> m_runningCaptures{0};
  bool m_started = false;
  bool m_stopped = false;
};

}  // namespace netlens::node::pipeline
