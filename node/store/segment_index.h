// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "shared/decoder/decoded_packet.h"
#include "shared/protocol/result.h"

namespace netlens::node::store {

/// What a posting list is keyed by. Addresses, MACs and ports have a source and a
/// destination kind, so a search can ask for either or both.
enum class KeyKind : std::uint8_t {
  SrcIp = 1,
  DstIp = 2,
  SrcMac = 3,
  DstMac = 4,
  SrcPort = 5,
  DstPort = 6,
  IpProtocol = 7,
  Vlan = 8,
};

/// A posting-list key: its kind and value (an address in IpAddress::bytes layout with its
/// family, a MAC, a port, a protocol number or a VLAN id, big-endian in `value`).
struct IndexKey {
  KeyKind kind = KeyKind::SrcIp;
  std::uint8_t length = 0;  ///< bytes of `value` used
  std::array<std::uint8_t, 17> value{};

  static IndexKey ip(KeyKind kind, const net::IpAddress& address);
  static IndexKey mac(KeyKind kind, const net::MacAddress& address);
  static IndexKey number(KeyKind kind, std::uint32_t value, std::uint8_t bytes);
  friend bool operator==(const IndexKey&, const IndexKey&) = default;
  friend bool operator<(const IndexKey& a, const IndexKey& b) {
    if (a.kind != b.kind) return a.kind < b.kind;
    if (a.length != b.length) return a.length < b.length;
    return a.value < b.value;
  }
};

/// The index of one segment file: where each packet record starts and its time, and for each
/// key the numbers of the packets that carry it (ascending). Every IP header of a packet
/// counts (outer and inner, as the host figures), every Ethernet segment's MACs and every
/// VLAN tag; ports are those of the innermost transport header.
///
/// On disk (`NNNNNNNNNN.idx` beside `NNNNNNNNNN.pcap`): magic, format version, the segment's
/// link type, packet count and size of the pcap data it covers, then packets (offset and
/// timestamp, both as deltas in LEB128 varints), then keys with their postings (deltas as
/// varints), then a 64-bit FNV-1a checksum of everything before it. A file that is cut short,
/// has another magic or version, or a wrong checksum is not an index (the segment is indexed
/// again from its packets).
struct SegmentIndex {
  std::uint32_t linkType = 0;
  std::uint64_t dataEnd = 0;           ///< bytes of the pcap file covered (header included)
  std::vector<std::uint64_t> offsets;  ///< file offset of each packet's record header
  std::vector<std::int64_t> times;     ///< timestamp of each packet, ns since the epoch
  std::map<IndexKey, std::vector<std::uint32_t>> postings;

  std::int64_t minTime = 0;  ///< earliest and latest packet time (0 without packets); files
  std::int64_t maxTime = 0;  ///< need not be in time order

  std::size_t packetCount() const { return offsets.size(); }

  /// Adds packet number packetCount() at `offset`, with the keys of `packet`.
  void add(std::uint64_t offset, const decoder::DecodedPacket& packet);

  std::string encode() const;
  static protocol::Result<SegmentIndex> decode(const std::string& bytes);
  /// Writes the index to `path` through a temporary file renamed into place (mode 0600).
  protocol::Status save(const std::string& path) const;
  static protocol::Result<SegmentIndex> load(const std::string& path);

  /// The postings of `key`, or null.
  const std::vector<std::uint32_t>* find(const IndexKey& key) const;
};

}  // namespace netlens::node::store
