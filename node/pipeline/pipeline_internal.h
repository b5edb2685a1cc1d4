// SPDX-License-Identifier: MIT
#pragma once
// The pipeline's sources and workers, shared by its translation units (pipeline.cpp: capture,
// dispatch and tables; pipeline_history.cpp: history; pipeline_voip.cpp: RTP, SIP, calls).
// Not part of the pipeline's interface.

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "node/analysis/rtcp_tracker.h"
#include "node/analysis/rtp_analyzer.h"
#include "node/analysis/sip_analyzer.h"
#include "node/analysis/sip_datagram_reassembly.h"
#include "node/pipeline/pipeline.h"

namespace netlens::node::pipeline {

struct Pipeline::Source {
  std::string name;
  bool isFile = false;
  std::unique_ptr<capture::PcapSource> pcap;
  int linkType = 0;
  std::string linkTypeName;
  std::size_t tapIndex = 0;  ///< position in the order sources were added (live::LiveTap)
  std::atomic<std::uint64_t> packets{0};
  std::atomic<std::uint64_t> queueDrops{0};
  std::atomic<std::uint64_t> captureDrops{0};
  std::atomic<bool> finished{false};
  mutable std::mutex errorMutex;
  std::string error;
};

struct Pipeline::Worker {
  Worker(const PipelineConfig& config, std::shared_ptr<analysis::SdpMediaRegistry> media)
      : queue(config.queueBatches),
        analyzer(config.analyzer),
        connections(config.connections),
        peerQos(config.peerQos),
        rtp(media, config.voip.jitterBuffer),
        sip(media) {}
  BatchQueue queue;
  mutable std::mutex mutex;  // guards the analysers; held per batch by the worker thread
  analysis::HostAnalyzer analyzer;
  analysis::ConnectionAnalyzer connections;
  analysis::PeerQosHistory peerQos;
  analysis::RtpAnalyzer rtp;
  analysis::RtcpTracker rtcp;
  analysis::SipDatagramReassembly sipFragments;
  analysis::SipAnalyzer sip;
  analysis::DnsAnswers dns;    // scratch of learnNames
  analysis::DhcpMessage dhcp;  // scratch of learnNames
  std::thread thread;
  std::atomic<std::uint64_t> batchesInFlight{0};
};

}  // namespace netlens::node::pipeline
