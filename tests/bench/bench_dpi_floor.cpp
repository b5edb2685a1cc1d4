// SPDX-License-Identifier: MIT
// bench_dpi_floor: what reading, decoding, the host table and nDPI cost by themselves, on
// one thread, with the node's own classes. It answers whether a worker with every analysis
// on could reach a given speed at all on this machine: whatever the connection table,
// TCP analysis and histories cost, a worker pays at least the host table and nDPI.
//
//   bench_dpi_floor FILE [--mode read|decode|hosts|flows|dpi] [--rounds N]
//
// Modes add one step each: `read` (PcapSource), `decode` (PacketDecoder), `hosts`
// (HostAnalyzer with its default configuration, which gives each packet's innermost
// segment), `flows` (one std::unordered_map lookup per segment, keyed by the canonical
// 5-tuple and VLAN), `dpi` (DpiEngine fed as the connection analysis feeds it: from a
// flow's first payload packet until detection ends). Without --mode every mode runs, in
// that order, --rounds times (default 3), and the median of each is printed. nDPI's own
// cost is `dpi` minus `flows`. CPU time comes from getrusage (user + system). Nothing is
// asserted: this prints figures for README.
#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "node/analysis/dpi_engine.h"
#include "node/analysis/flow_segment.h"
#include "node/analysis/host_analyzer.h"
#include "node/capture/pcap_source.h"
#include "shared/decoder/packet_decoder.h"
#include "shared/net/address_order.h"

namespace {

using netlens::node::analysis::DpiEngine;
using netlens::node::analysis::FlowSegment;

enum class Mode { Read, Decode, Hosts, Flows, Dpi };
constexpr const char* kModeNames[] = {"read", "decode", "hosts", "flows", "dpi"};

/// The canonical key of a segment's connection: lower end first.
struct FlowKey {
  netlens::net::IpAddress a;
  netlens::net::IpAddress b;
  std::uint16_t aPort = 0;
  std::uint16_t bPort = 0;
  std::int32_t vlan = -1;
  std::uint8_t protocol = 0;
  bool operator==(const FlowKey& o) const {
    return netlens::net::sameAddress(a, o.a) && netlens::net::sameAddress(b, o.b) &&
           aPort == o.aPort && bPort == o.bPort && vlan == o.vlan && protocol == o.protocol;
  }
};

struct FlowKeyHash {
  std::size_t operator()(const FlowKey& k) const noexcept {
    const netlens::net::IpAddressHash h;
    std::size_t x = h(k.a) * 0x9E3779B97F4A7C15ULL ^ h(k.b);
    x ^= (static_cast<std::size_t>(k.aPort) << 32) ^ (static_cast<std::size_t>(k.bPort) << 16) ^
         static_cast<std::size_t>(k.protocol) ^ (static_cast<std::size_t>(k.vlan) << 40);
    return x * 0xBF58476D1CE4E5B9ULL;
  }
};

FlowKey keyOf(const FlowSegment& s) {
  FlowKey k;
  const bool forward = netlens::net::compareEnds(s.src, s.srcPort, s.dst, s.dstPort) <= 0;
  k.a = forward ? s.src : s.dst;
  k.b = forward ? s.dst : s.src;
  k.aPort = forward ? s.srcPort : s.dstPort;
  k.bPort = forward ? s.dstPort : s.srcPort;
  k.vlan = s.vlan;
  k.protocol = s.protocol;
  return k;
}

double cpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct Result {
  std::uint64_t packets = 0;
  std::uint64_t flows = 0;
  std::uint64_t detected = 0;
  double cpu = 0;
};

/// One pass over `path` in `mode`; false (and a message) if the file cannot be read.
bool runOnce(const std::string& path, Mode mode, Result& out) {
  std::string error;
  auto source = netlens::node::capture::PcapSource::openFile(path, &error);
  if (!source) {
    std::fprintf(stderr, "bench_dpi_floor: %s\n", error.c_str());
    return false;
  }
  netlens::decoder::DecodedPacket packet;
  FlowSegment segment;
  netlens::node::analysis::HostAnalyzer hosts;
  DpiEngine dpi;
  std::unordered_map<FlowKey, DpiEngine::Flow, FlowKeyHash> flows;
  if (mode >= Mode::Flows) flows.reserve(1 << 20);
  Result r;
  const double start = cpuSeconds();
  netlens::node::capture::RawPacket raw;
  netlens::node::capture::ReadStatus status;
  while ((status = source->next(raw)) == netlens::node::capture::ReadStatus::Packet) {
    ++r.packets;
    if (mode == Mode::Read) continue;
    netlens::decoder::PacketDecoder::decode(raw.linkType, raw.data, raw.capturedLength,
                                            raw.wireLength, raw.timestampNs, packet);
    if (mode == Mode::Decode) continue;
    if (!hosts.process(packet, &segment) || mode == Mode::Hosts) continue;
    DpiEngine::Flow& flow = flows[keyOf(segment)];
    if (mode == Mode::Flows) continue;
    const bool dpiProtocol = segment.protocol == netlens::decoder::ipproto::kTcp ||
                             segment.protocol == netlens::decoder::ipproto::kUdp ||
                             segment.protocol == netlens::decoder::ipproto::kSctp;
    if (flow.done || !dpiProtocol) continue;
    constexpr std::uint8_t kFinOrRst =
        netlens::decoder::tcpflag::kFin | netlens::decoder::tcpflag::kRst;
    const bool closing =
        segment.protocol == netlens::decoder::ipproto::kTcp && (segment.tcpFlags & kFinOrRst) != 0;
    dpi.process(flow, segment.ipHeader, segment.ipCapturedLength, segment.ts,
                segment.segmentLength != 0, closing);
  }
  if (status == netlens::node::capture::ReadStatus::Error) {
    std::fprintf(stderr, "bench_dpi_floor: %s\n", source->error().c_str());
    return false;
  }
  r.cpu = cpuSeconds() - start;
  r.flows = flows.size();
  for (auto& [key, flow] : flows) {
    dpi.finish(flow);
    if (flow.result.isKnown()) ++r.detected;
  }
  out = r;
  return true;
}

int usage() {
  std::fprintf(stderr,
               "usage: bench_dpi_floor FILE [--mode read|decode|hosts|flows|dpi] [--rounds N]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string path = argv[1];
  std::vector<Mode> modes = {Mode::Read, Mode::Decode, Mode::Hosts, Mode::Flows, Mode::Dpi};
  int rounds = 3;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--mode" && i + 1 < argc) {
      const std::string name = argv[++i];
      const auto* end = std::end(kModeNames);
      const auto* it = std::find(std::begin(kModeNames), end, name);
      if (it == end) return usage();
      modes = {static_cast<Mode>(it - std::begin(kModeNames))};
    } else if (arg == "--rounds" && i + 1 < argc) {
      rounds = std::max(1, std::atoi(argv[++i]));
    } else {
      return usage();
    }
  }
  std::printf("| step | packets | flows | detected | CPU | µs per packet | packets per CPU-s |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  for (const Mode mode : modes) {
    std::vector<Result> results;
    for (int round = 0; round < rounds; ++round) {
      Result r;
      if (!runOnce(path, mode, r)) return 1;
      results.push_back(r);
    }
    std::sort(results.begin(), results.end(),
              [](const Result& x, const Result& y) { return x.cpu < y.cpu; });
    const Result& m = results[results.size() / 2];
    const double perPacket = m.packets != 0 ? m.cpu / static_cast<double>(m.packets) : 0;
    std::printf("| %s | %llu | %llu | %llu | %.2f s | %.3f | %.2f M |\n",
                kModeNames[static_cast<int>(mode)], static_cast<unsigned long long>(m.packets),
                static_cast<unsigned long long>(m.flows),
                static_cast<unsigned long long>(m.detected), m.cpu, perPacket * 1e6,
                perPacket != 0 ? 1e-6 / perPacket : 0.0);
    std::fflush(stdout);
  }
  return 0;
}
