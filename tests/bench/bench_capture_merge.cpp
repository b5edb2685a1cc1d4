// SPDX-License-Identifier: MIT
// bench_capture_merge: how fast the multi-node merge (pcap::CaptureMerger) writes a pcapng.
//
//   bench_capture_merge [PACKETS_PER_NODE] [NODES] [OVERLAP_PERCENT]
//
// Each node answers PACKETS_PER_NODE frames of 200 bytes (IPv4/UDP) as classic pcap bytes, as
// a search reply carries them; OVERLAP_PERCENT of node 0's packets are also seen by every
// other node, one hop later and 50 µs later (copies the merge drops). The answers are built
// first; only the merge into a pcapng on the temporary folder is timed. Prints one line:
//   packets_in=... written=... copies=... wall_s=... packets_per_s=... mb_per_s=... maxrss_kib=...
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "shared/pcap/capture_merge.h"
#include "shared/pcap/pcap_writer.h"

namespace {

std::vector<std::uint8_t> frame(std::uint32_t id, std::uint8_t ttl) {
  std::vector<std::uint8_t> f(200, 0);
  f[12] = 0x08;
  std::uint8_t* ip = f.data() + 14;
  ip[0] = 0x45;
  ip[2] = 0;
  ip[3] = 186;
  ip[8] = ttl;
  ip[9] = 17;
  ip[12] = 10;
  ip[13] = static_cast<std::uint8_t>(id >> 16);
  ip[14] = static_cast<std::uint8_t>(id >> 8);
  ip[15] = static_cast<std::uint8_t>(id);
  ip[16] = 10;
  ip[19] = 1;
  ip[20] = static_cast<std::uint8_t>(id >> 8);  // UDP ports and payload from the id
  ip[21] = static_cast<std::uint8_t>(id);
  ip[23] = 53;
  ip[25] = 166;
  for (int i = 0; i < 4; ++i) ip[28 + i] = static_cast<std::uint8_t>(id >> (8 * i));
  return f;
}

void append(std::string& out, std::int64_t time, const std::vector<std::uint8_t>& f) {
  const auto r = netlens::pcap::PcapWriter::recordHeader(time, static_cast<std::uint32_t>(f.size()),
                                                         static_cast<std::uint32_t>(f.size()));
  out.append(reinterpret_cast<const char*>(r.data()), r.size());
  out.append(reinterpret_cast<const char*>(f.data()), f.size());
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint32_t perNode = argc > 1 ? static_cast<std::uint32_t>(std::atol(argv[1])) : 500000;
  const std::uint32_t nodes = argc > 2 ? static_cast<std::uint32_t>(std::atol(argv[2])) : 2;
  const std::uint32_t overlap = argc > 3 ? static_cast<std::uint32_t>(std::atol(argv[3])) : 50;
  if (nodes == 0 || overlap > 100) {
    std::fprintf(stderr,
                 "usage: bench_capture_merge [PACKETS_PER_NODE] [NODES] [OVERLAP_PERCENT]\n");
    return 2;
  }
  constexpr std::int64_t kStart = 1'700'000'000'000'000'000;
  constexpr std::int64_t kStep = 10'000;  // 100 000 packets/s per node
  const auto header = netlens::pcap::PcapWriter::fileHeader(1, 65535);
  std::vector<std::string> answers(nodes);
  for (std::uint32_t n = 0; n < nodes; ++n) {
    std::string& a = answers[n];
    a.reserve(std::size_t{perNode} * 216 + 24);
    a.append(reinterpret_cast<const char*>(header.data()), header.size());
    for (std::uint32_t i = 0; i < perNode; ++i) {
      const bool shared = n != 0 && i % 100 < overlap;
      const std::uint32_t id = shared ? i : n * perNode + i;
      append(a, kStart + i * kStep + (shared ? 50'000 : static_cast<std::int64_t>(n) * 1000),
             frame(id, static_cast<std::uint8_t>(64 - (shared ? 1 : 0))));
    }
  }
  const std::filesystem::path out =
      std::filesystem::temp_directory_path() / "netlens-bench-merge.pcapng";
  std::vector<netlens::pcap::MergeInput> inputs;
  for (std::uint32_t n = 0; n < nodes; ++n)
    inputs.push_back({"node-" + std::to_string(n), "", 1, 65535});
  std::vector<std::string_view> files(answers.begin(), answers.end());

  const auto begin = std::chrono::steady_clock::now();
  netlens::pcap::CaptureMerger merger(out.string(), {});
  std::string error;
  if (!merger.open(std::move(inputs), &error) || !merger.pushPcapFiles(files, &error) ||
      !merger.finish(&error)) {
    std::fprintf(stderr, "bench_capture_merge: %s\n", error.c_str());
    return 1;
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto& c = merger.counters();
  std::printf(
      "packets_in=%llu written=%llu copies=%llu wall_s=%.3f packets_per_s=%.0f mb_per_s=%.1f "
      "maxrss_kib=%ld\n",
      static_cast<unsigned long long>(c.packetsIn),
      static_cast<unsigned long long>(c.packetsWritten),
      static_cast<unsigned long long>(c.duplicatesDropped), wall,
      static_cast<double>(c.packetsIn) / wall,
      static_cast<double>(merger.bytesWritten()) / wall / 1e6, usage.ru_maxrss);
  std::filesystem::remove(out);
  return 0;
}
