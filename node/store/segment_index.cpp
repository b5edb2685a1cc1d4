// SPDX-License-Identifier: MIT
#include "node/store/segment_index.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>

#include "shared/transport/keys.h"

namespace netlens::node::store {

namespace {

constexpr char kMagic[8] = {'N', 'L', 'S', 'I', 'D', 'X', '\r', '\n'};
constexpr std::uint32_t kVersion = 1;

void putVarint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

std::uint64_t zigzag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}

std::int64_t unzigzag(std::uint64_t v) {
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

std::uint64_t fnv1a(const char* data, std::size_t size) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (std::size_t i = 0; i < size; ++i) {
    h ^= static_cast<std::uint8_t>(data[i]);
    h *= 0x100000001b3ull;
  }
  return h;
}

/// Reads what encode() wrote; every read is bounds-checked (an index file is input too).
class Reader {
 public:
  Reader(const char* data, std::size_t size) : m_p(data), m_end(data + size) {}
  bool varint(std::uint64_t* out) {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (m_p == m_end) return false;
      const auto byte = static_cast<std::uint8_t>(*m_p++);
      v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) {
        *out = v;
        return true;
      }
    }
    return false;
  }
  bool bytes(void* out, std::size_t n) {
    if (static_cast<std::size_t>(m_end - m_p) < n) return false;
    std::memcpy(out, m_p, n);
    m_p += n;
    return true;
  }
  bool atEnd() const { return m_p == m_end; }

 private:
  const char* m_p;
  const char* m_end;
};

}  // namespace

IndexKey IndexKey::ip(KeyKind kind, const net::IpAddress& address) {
  IndexKey k;
  k.kind = kind;
  const bool v4 = address.isV4();
  k.length = v4 ? 5 : 17;
  k.value[0] = v4 ? 4 : 6;
  std::copy_n(address.bytes.begin(), k.length - 1, k.value.begin() + 1);
  return k;
}

IndexKey IndexKey::mac(KeyKind kind, const net::MacAddress& address) {
  IndexKey k;
  k.kind = kind;
  k.length = 6;
  std::copy_n(address.bytes.begin(), 6, k.value.begin());
  return k;
}

IndexKey IndexKey::number(KeyKind kind, std::uint32_t value, std::uint8_t bytes) {
  IndexKey k;
  k.kind = kind;
  k.length = bytes;
  for (std::uint8_t i = 0; i < bytes; ++i)
    k.value[i] = static_cast<std::uint8_t>(value >> (8 * (bytes - 1 - i)));
  return k;
}

void SegmentIndex::add(std::uint64_t offset, const decoder::DecodedPacket& packet) {
  const auto number = static_cast<std::uint32_t>(offsets.size());
  if (offsets.empty() || packet.timestampNs < minTime) minTime = packet.timestampNs;
  if (offsets.empty() || packet.timestampNs > maxTime) maxTime = packet.timestampNs;
  offsets.push_back(offset);
  times.push_back(packet.timestampNs);
  // A key met twice in one packet (e.g. the same address in two IP headers) is posted once.
  const auto post = [&](const IndexKey& key) {
    auto& list = postings[key];
    if (list.empty() || list.back() != number) list.push_back(number);
  };
  for (std::uint8_t i = 0; i < packet.l2Count; ++i) {
    const decoder::L2Segment& l2 = packet.l2[i];
    if (l2.hasSrc) post(IndexKey::mac(KeyKind::SrcMac, l2.src));
    if (l2.hasDst) post(IndexKey::mac(KeyKind::DstMac, l2.dst));
  }
  for (std::uint8_t i = 0; i < packet.vlanCount; ++i)
    post(IndexKey::number(KeyKind::Vlan, packet.vlans[i], 2));
  for (std::uint8_t i = 0; i < packet.ipCount; ++i) {
    const decoder::IpLayer& ip = packet.ip[i];
    post(IndexKey::ip(KeyKind::SrcIp, ip.src));
    post(IndexKey::ip(KeyKind::DstIp, ip.dst));
    post(IndexKey::number(KeyKind::IpProtocol, ip.protocol, 1));
  }
  if (packet.transport.hasPorts()) {
    post(IndexKey::number(KeyKind::SrcPort, packet.transport.srcPort, 2));
    post(IndexKey::number(KeyKind::DstPort, packet.transport.dstPort, 2));
  }
}

std::string SegmentIndex::encode() const {
  std::string out(kMagic, sizeof kMagic);
  putVarint(out, kVersion);
  putVarint(out, linkType);
  putVarint(out, dataEnd);
  putVarint(out, offsets.size());
  std::uint64_t previousOffset = 0;
  std::int64_t previousTime = 0;
  for (std::size_t i = 0; i < offsets.size(); ++i) {
    putVarint(out, offsets[i] - previousOffset);
    putVarint(out, zigzag(times[i] - previousTime));
    previousOffset = offsets[i];
    previousTime = times[i];
  }
  putVarint(out, postings.size());
  for (const auto& [key, list] : postings) {
    out.push_back(static_cast<char>(key.kind));
    out.push_back(static_cast<char>(key.length));
    out.append(reinterpret_cast<const char*>(key.value.data()), key.length);
    putVarint(out, list.size());
    std::uint32_t previous = 0;
    for (std::uint32_t n : list) {
      putVarint(out, n - previous);
      previous = n;
    }
  }
  const std::uint64_t sum = fnv1a(out.data(), out.size());
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(sum >> (8 * i)));
  return out;
}

protocol::Result<SegmentIndex> SegmentIndex::decode(const std::string& bytes) {
  using R = protocol::Result<SegmentIndex>;
  if (bytes.size() < sizeof kMagic + 8 || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
    return R::failure("not a Netlens segment index");
  const std::size_t body = bytes.size() - 8;
  std::uint64_t stored = 0;
  for (int i = 0; i < 8; ++i)
    stored |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(bytes[body + i])) << (8 * i);
  if (stored != fnv1a(bytes.data(), body)) return R::failure("index checksum mismatch");
  Reader r(bytes.data() + sizeof kMagic, body - sizeof kMagic);
  SegmentIndex index;
  std::uint64_t version = 0, linkType = 0, count = 0;
  if (!r.varint(&version) || version != kVersion)
    return R::failure("index format version " + std::to_string(version) + " is not supported");
  if (!r.varint(&linkType) || !r.varint(&index.dataEnd) || !r.varint(&count) ||
      count > body)  // each packet takes at least two bytes
    return R::failure("index header is damaged");
  index.linkType = static_cast<std::uint32_t>(linkType);
  index.offsets.reserve(count);
  index.times.reserve(count);
  std::uint64_t offset = 0;
  std::int64_t time = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t dOffset = 0, dTime = 0;
    if (!r.varint(&dOffset) || !r.varint(&dTime)) return R::failure("index packets are damaged");
    offset += dOffset;
    time += unzigzag(dTime);
    if (i == 0 || time < index.minTime) index.minTime = time;
    if (i == 0 || time > index.maxTime) index.maxTime = time;
    index.offsets.push_back(offset);
    index.times.push_back(time);
  }
  std::uint64_t keys = 0;
  if (!r.varint(&keys)) return R::failure("index keys are damaged");
  for (std::uint64_t k = 0; k < keys; ++k) {
    IndexKey key;
    std::uint8_t kind = 0;
    std::uint64_t n = 0;
    if (!r.bytes(&kind, 1) || !r.bytes(&key.length, 1) || key.length > key.value.size() ||
        !r.bytes(key.value.data(), key.length) || !r.varint(&n) || n > count)
      return R::failure("index keys are damaged");
    key.kind = static_cast<KeyKind>(kind);
    std::vector<std::uint32_t> list;
    list.reserve(n);
    std::uint64_t number = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
      std::uint64_t d = 0;
      if (!r.varint(&d)) return R::failure("index postings are damaged");
      number += d;
      if (number >= count) return R::failure("index postings point past the last packet");
      list.push_back(static_cast<std::uint32_t>(number));
    }
    index.postings.emplace(key, std::move(list));
  }
  if (!r.atEnd()) return R::failure("index has trailing bytes");
  return index;
}

protocol::Status SegmentIndex::save(const std::string& path) const {
  return transport::writePrivateFile(path, encode());
}

protocol::Result<SegmentIndex> SegmentIndex::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return protocol::Result<SegmentIndex>::failure("cannot read " + path);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return decode(bytes);
}

const std::vector<std::uint32_t>* SegmentIndex::find(const IndexKey& key) const {
  auto it = postings.find(key);
  return it == postings.end() ? nullptr : &it->second;
}

}  // namespace netlens::node::store
