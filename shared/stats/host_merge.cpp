// SPDX-License-Identifier: MIT
#include "shared/stats/host_merge.h"

#include <algorithm>

namespace netlens::stats {
namespace {

template <typename T>
void unite(std::vector<T>& into, const std::vector<T>& from) {
  if (from.empty()) return;
  std::vector<T> out;
  out.reserve(into.size() + from.size());
  std::set_union(into.begin(), into.end(), from.begin(), from.end(), std::back_inserter(out));
  into.swap(out);
}

/// The union of both MAC lists, each MAC keeping its vendor (macVendors runs parallel to macs;
/// a record without vendors has an empty list).
void uniteMacs(protocol::HostRecord& into, const protocol::HostRecord& from) {
  if (from.macs.empty()) return;
  const auto vendorOf = [](const protocol::HostRecord& r, std::size_t i) {
    return i < r.macVendors.size() ? r.macVendors[i] : std::string();
  };
  const bool withVendors = !into.macVendors.empty() || !from.macVendors.empty();
  std::vector<net::MacAddress> macs;
  std::vector<std::string> vendors;
  macs.reserve(into.macs.size() + from.macs.size());
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < into.macs.size() || j < from.macs.size()) {
    const bool takeInto =
        j == from.macs.size() || (i < into.macs.size() && into.macs[i] <= from.macs[j]);
    const bool same = takeInto && j < from.macs.size() && into.macs[i] == from.macs[j];
    std::string vendor = takeInto ? vendorOf(into, i) : vendorOf(from, j);
    if (same && vendor.empty()) vendor = vendorOf(from, j);
    macs.push_back(takeInto ? into.macs[i] : from.macs[j]);
    vendors.push_back(std::move(vendor));
    if (takeInto) ++i;
    if (!takeInto || same) ++j;
  }
  into.macs.swap(macs);
  if (withVendors) {
    into.macVendors.swap(vendors);
  } else {
    into.macVendors.clear();
  }
}

protocol::TimeNs minNonZero(protocol::TimeNs a, protocol::TimeNs b) {
  if (a == 0) return b;
  if (b == 0) return a;
  return std::min(a, b);
}

}  // namespace

void mergeHostRecord(protocol::HostRecord& into, const protocol::HostRecord& from,
                     protocol::TimeNs inactivityGapNs) {
  if (from.firstSeen == 0 && from.lastSeen == 0 && from.txPackets == 0 && from.rxPackets == 0) {
    return;
  }
  if (into.firstSeen == 0 && into.lastSeen == 0 && into.txPackets == 0 && into.rxPackets == 0) {
    auto ip = into.ip;
    into = from;
    if (ip.isValid()) into.ip = ip;
    return;
  }
  // Activity periods: the later-ending one is "current"; the other joins it when it reaches
  // within the gap of the current period's start.
  const protocol::HostRecord& later = from.lastSeen > into.lastSeen ? from : into;
  const protocol::HostRecord& earlier = from.lastSeen > into.lastSeen ? into : from;
  protocol::TimeNs recent = later.firstRecent;
  if (earlier.lastSeen + inactivityGapNs >= later.firstRecent) {
    recent = std::min(recent, earlier.firstRecent);
  }

  into.txPackets += from.txPackets;
  into.txBytes += from.txBytes;
  into.rxPackets += from.rxPackets;
  into.rxBytes += from.rxBytes;
  into.tcpPackets += from.tcpPackets;
  into.udpPackets += from.udpPackets;
  into.tcpPayloadBytes += from.tcpPayloadBytes;
  into.tcpRetransPackets += from.tcpRetransPackets;
  into.tcpRetransBytes += from.tcpRetransBytes;
  into.packetsPerSecond += from.packetsPerSecond;
  into.bitsPerSecond += from.bitsPerSecond;
  into.firstSeen = minNonZero(into.firstSeen, from.firstSeen);
  into.lastSeen = std::max(into.lastSeen, from.lastSeen);
  into.firstRecent = recent;
  uniteMacs(into, from);
  unite(into.vlans, from.vlans);
  // Names: `into`'s first (the order is most recent first per node), then new ones.
  for (const auto& n : from.names) {
    if (into.names.size() >= protocol::kMaxHostNames) break;
    if (std::find(into.names.begin(), into.names.end(), n) == into.names.end()) {
      into.names.push_back(n);
    }
  }
  if (into.group.empty()) into.group = from.group;
  if (into.country.empty()) into.country = from.country;
}

void mergeGlobalStats(protocol::GlobalStats& into, const protocol::GlobalStats& from) {
  into.packets += from.packets;
  into.bytes += from.bytes;
  into.ipv4Packets += from.ipv4Packets;
  into.ipv4Bytes += from.ipv4Bytes;
  into.ipv6Packets += from.ipv6Packets;
  into.ipv6Bytes += from.ipv6Bytes;
  into.nonIpPackets += from.nonIpPackets;
  into.nonIpBytes += from.nonIpBytes;
  into.tcpPackets += from.tcpPackets;
  into.udpPackets += from.udpPackets;
  into.icmpPackets += from.icmpPackets;
  into.otherPackets += from.otherPackets;
  into.sctpPackets += from.sctpPackets;
  into.grePackets += from.grePackets;
  into.ipv4Fragments += from.ipv4Fragments;
  for (const auto& [reason, n] : from.malformed) into.malformed[reason] += n;
  into.sources.insert(into.sources.end(), from.sources.begin(), from.sources.end());
  into.firstPacket = minNonZero(into.firstPacket, from.firstPacket);
  into.lastPacket = std::max(into.lastPacket, from.lastPacket);
  into.packetsPerSecond += from.packetsPerSecond;
  into.bitsPerSecond += from.bitsPerSecond;
  into.hostCount += from.hostCount;  // an upper bound when the same IP is on several inputs
  into.storeBytes += from.storeBytes;
  into.storeMaxBytes += from.storeMaxBytes;
  into.storePackets += from.storePackets;
  into.storeDrops += from.storeDrops;
  into.storeOldest = minNonZero(into.storeOldest, from.storeOldest);
  into.storeNewest = std::max(into.storeNewest, from.storeNewest);
  into.hostsEvicted += from.hostsEvicted;
  into.hostsEvictedUpTo = std::max(into.hostsEvictedUpTo, from.hostsEvictedUpTo);
  into.connectionsEvicted += from.connectionsEvicted;
  into.connectionsEvictedUpTo = std::max(into.connectionsEvictedUpTo, from.connectionsEvictedUpTo);
}

}  // namespace netlens::stats
