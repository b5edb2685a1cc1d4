// SPDX-License-Identifier: MIT
// IP group lookups per second: `bench_ip_groups [GROUPS] [PREFIXES_PER_GROUP]` builds a random
// set of overlapping IPv4 and IPv6 groups and times mostSpecific() and allContaining() on
// random addresses, most of them inside some prefix. Prints one line per measurement.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "shared/net/ip_groups.h"

using namespace netlens;

int main(int argc, char** argv) {
  const int groupCount = argc > 1 ? std::atoi(argv[1]) : 32;
  const int perGroup = argc > 2 ? std::atoi(argv[2]) : 8;
  std::mt19937_64 random(7);
  std::vector<protocol::GroupDefinition> defs;
  std::vector<net::IpAddress> networks;
  for (int g = 0; g < groupCount; ++g) {
    protocol::GroupDefinition d{"g" + std::to_string(g), {}};
    for (int k = 0; k < perGroup; ++k) {
      net::IpAddress a;
      const bool v4 = k % 4 != 3;
      a.family = v4 ? 4 : 6;
      for (int b = 0; b < (v4 ? 4 : 16); ++b) a.bytes[b] = static_cast<std::uint8_t>(random());
      const int length =
          v4 ? 8 + static_cast<int>(random() % 25) : 16 + static_cast<int>(random() % 113);
      for (int bit = length; bit < (v4 ? 32 : 128); ++bit)
        a.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80 >> (bit % 8)));
      std::string text = a.toString() + "/" + std::to_string(length);
      if (std::find(d.prefixes.begin(), d.prefixes.end(), text) != d.prefixes.end()) continue;
      d.prefixes.push_back(std::move(text));
      networks.push_back(a);
    }
    defs.push_back(d);
  }
  auto set = net::IpGroupSet::create(defs, protocol::kMaxGroupsLimit);
  if (!set) {
    std::fprintf(stderr, "%s\n", set.error().c_str());
    return 1;
  }
  std::vector<net::IpAddress> probes(1 << 20);
  for (auto& p : probes) {
    p = networks[random() % networks.size()];
    const int bits = p.isV4() ? 4 : 16;
    p.bytes[bits - 1] ^= static_cast<std::uint8_t>(random());
    if (random() % 4 == 0) p.bytes[0] ^= 0x40;  // some miss every prefix
  }
  const auto time = [&](const char* what, auto&& fn) {
    const auto start = std::chrono::steady_clock::now();
    std::uint64_t sink = 0;
    for (int round = 0; round < 4; ++round)
      for (const auto& p : probes) sink += fn(p);
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%-14s %d groups x %d prefixes: %.1f M lookups/s (checksum %llu)\n", what,
                groupCount, perGroup, 4.0 * probes.size() / s / 1e6,
                static_cast<unsigned long long>(sink));
  };
  time("mostSpecific", [&](const net::IpAddress& a) { return set->mostSpecific(a) + 1; });
  std::vector<std::uint32_t> all;
  time("allContaining", [&](const net::IpAddress& a) {
    all.clear();
    set->allContaining(a, all);
    return all.size();
  });
  return 0;
}
