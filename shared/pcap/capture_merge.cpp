// SPDX-License-Identifier: MIT
#include "shared/pcap/capture_merge.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "shared/decoder/packet_decoder.h"
#include "shared/pcap/pcap_bytes.h"
#include "shared/pcap/pcap_writer.h"

namespace netlens::pcap {

namespace {

// Hashed from the outermost IP header on; a node with a smaller snapshot length than this
// (from the IP header) is not recognised as carrying the same packets.
constexpr std::size_t kIdentityBytes = 256;

// pcapng block types and option codes (draft-ietf-opsawg-pcapng).
constexpr std::uint32_t kSectionHeaderBlock = 0x0A0D0D0A;
constexpr std::uint32_t kInterfaceDescriptionBlock = 1;
constexpr std::uint32_t kEnhancedPacketBlock = 6;
constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr std::uint16_t kOptEnd = 0;
constexpr std::uint16_t kOptShbUserAppl = 4;
constexpr std::uint16_t kOptIfName = 2;
constexpr std::uint16_t kOptIfDescription = 3;
constexpr std::uint16_t kOptIfTsresol = 9;

// Blocks are built in little-endian order (the byte-order magic tells readers).
class Block {
 public:
  explicit Block(std::uint32_t type) {
    put32(type);
    put32(0);  // total length, patched by finish()
  }
  void put16(std::uint16_t v) {
    m_bytes.push_back(static_cast<std::uint8_t>(v));
    m_bytes.push_back(static_cast<std::uint8_t>(v >> 8));
  }
  void put32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) m_bytes.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void putBytes(const void* data, std::size_t size) {
    const auto* p = static_cast<const std::uint8_t*>(data);
    m_bytes.insert(m_bytes.end(), p, p + size);
    pad();
  }
  void option(std::uint16_t code, std::string_view value) {
    if (value.empty()) return;
    const std::size_t size = std::min<std::size_t>(value.size(), 0xffff);
    put16(code);
    put16(static_cast<std::uint16_t>(size));
    putBytes(value.data(), size);
  }
  const std::vector<std::uint8_t>& finish() {
    put32(0);  // trailing total length
    const auto total = static_cast<std::uint32_t>(m_bytes.size());
    for (int i = 0; i < 4; ++i) {
      m_bytes[4 + i] = static_cast<std::uint8_t>(total >> (8 * i));
      m_bytes[m_bytes.size() - 4 + i] = static_cast<std::uint8_t>(total >> (8 * i));
    }
    return m_bytes;
  }

 private:
  void pad() {
    while (m_bytes.size() % 4 != 0) m_bytes.push_back(0);
  }
  std::vector<std::uint8_t> m_bytes;
};

std::uint64_t fnv1a(std::uint64_t hash, const std::uint8_t* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    hash ^= data[i];
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace

CaptureFormat formatForFileName(std::string_view fileName) {
  constexpr std::string_view kPcap = ".pcap";
  if (fileName.size() < kPcap.size()) return CaptureFormat::Pcapng;
  const std::string_view end = fileName.substr(fileName.size() - kPcap.size());
  const bool classic = std::equal(end.begin(), end.end(), kPcap.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == b;
  });
  return classic ? CaptureFormat::Pcap : CaptureFormat::Pcapng;
}

std::uint64_t packetIdentity(std::uint32_t linkType, std::span<const std::uint8_t> data,
                             std::uint32_t originalLength) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  decoder::DecodedPacket decoded;
  decoder::PacketDecoder::decode(static_cast<int>(linkType), data.data(),
                                 static_cast<std::uint32_t>(data.size()), originalLength, 0,
                                 decoded);
  std::size_t from = 0;
  if (decoded.hasIp() && decoded.ip[0].offset < data.size()) from = decoded.ip[0].offset;
  // The IP packet's length stands in for the bytes beyond the hashed prefix.
  const std::uint64_t ipLength = originalLength > from ? originalLength - from : 0;
  hash = fnv1a(hash, reinterpret_cast<const std::uint8_t*>(&ipLength), sizeof ipLength);
  std::array<std::uint8_t, kIdentityBytes> prefix{};
  const std::size_t size = std::min(kIdentityBytes, data.size() - from);
  std::memcpy(prefix.data(), data.data() + from, size);
  if (from != 0 || decoded.hasIp()) {
    if (decoded.ip[0].version == 4 && size >= 12) {
      prefix[8] = 0;                // TTL
      prefix[10] = prefix[11] = 0;  // header checksum
    } else if (decoded.ip[0].version == 6 && size >= 8) {
      prefix[7] = 0;  // hop limit
    }
  }
  return fnv1a(hash, prefix.data(), size);
}

CaptureMerger::CaptureMerger(std::string path, MergeOptions options)
    : m_path(std::move(path)), m_options(options) {}

CaptureMerger::~CaptureMerger() {
  if (m_file != nullptr) std::fclose(m_file);
}

bool CaptureMerger::open(std::vector<MergeInput> inputs, std::string* error) {
  if (inputs.empty()) {
    *error = "nothing to merge: no inputs";
    return false;
  }
  if (m_options.format == CaptureFormat::Pcap) {
    for (const auto& input : inputs) {
      if (input.linkType != inputs.front().linkType) {
        *error = "the inputs have different link types (" +
                 std::to_string(inputs.front().linkType) + " and " +
                 std::to_string(input.linkType) +
                 "), which one classic pcap file cannot hold: write pcapng instead";
        return false;
      }
    }
  }
  const std::string part = m_path + ".part";
  const int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd >= 0 && ::fchmod(fd, 0600) != 0) {  // an old .part may have had another mode
    *error = "cannot make " + part + " private: " + std::strerror(errno);
    ::close(fd);
    return false;
  }
  if (fd < 0) {
    *error = "cannot create " + part + ": " + std::strerror(errno) +
             " (choose a folder you can write to)";
    return false;
  }
  m_file = ::fdopen(fd, "wb");
  if (m_file == nullptr) {
    ::close(fd);
    *error = "cannot open " + part + ": " + std::strerror(errno);
    return false;
  }
  m_inputs.resize(inputs.size());
  m_counters.writtenPerInput.assign(inputs.size(), 0);
  m_counters.droppedPerInput.assign(inputs.size(), 0);
  for (std::size_t i = 0; i < inputs.size(); ++i) m_inputs[i].info = std::move(inputs[i]);

  if (m_options.format == CaptureFormat::Pcap) {
    std::uint32_t snap = 0;
    for (const auto& input : m_inputs) snap = std::max(snap, input.info.snapLength);
    const auto header = PcapWriter::fileHeader(m_inputs.front().info.linkType, snap);
    return writeBytes(header.data(), header.size(), error);
  }
  Block shb(kSectionHeaderBlock);
  shb.put32(kByteOrderMagic);
  shb.put16(1);  // version 1.0
  shb.put16(0);
  shb.put32(0xffffffff);  // section length unknown
  shb.put32(0xffffffff);
  shb.option(kOptShbUserAppl, "Netlens " NETLENS_VERSION);
  shb.put32(kOptEnd);
  const auto& shbBytes = shb.finish();
  if (!writeBytes(shbBytes.data(), shbBytes.size(), error)) return false;
  // Inputs without sources: their interfaces up front, ids in input order.
  for (std::size_t i = 0; i < m_inputs.size(); ++i) {
    if (m_inputs[i].info.perSource) continue;
    const std::uint32_t own = interfaceOf(i, nullptr);
    if (!declare(m_interfaces[own], error)) return false;
  }
  return true;
}

std::uint32_t CaptureMerger::interfaceOf(std::size_t input, const MergeSource* source) {
  Input& in = m_inputs[input];
  const bool own = source == nullptr || source->name.empty() || !in.info.perSource;
  if (own && in.ownInterface >= 0) return static_cast<std::uint32_t>(in.ownInterface);
  if (!own && in.lastInterface >= 0) {
    const Interface& last = m_interfaces[static_cast<std::size_t>(in.lastInterface)];
    if (last.source == source->name && last.linkType == source->linkType)
      return static_cast<std::uint32_t>(in.lastInterface);
  }
  std::string name = own ? std::string() : source->name;
  const std::uint32_t linkType = own ? in.info.linkType : source->linkType;
  const auto [it, isNew] = m_interfaceIndex.try_emplace(
      {input, name, linkType}, static_cast<std::uint32_t>(m_interfaces.size()));
  if (isNew) m_interfaces.push_back({input, std::move(name), linkType, -1});
  (own ? in.ownInterface : in.lastInterface) = it->second;
  return it->second;
}

bool CaptureMerger::declare(Interface& interface, std::string* error) {
  const MergeInput& input = m_inputs[interface.input].info;
  Block idb(kInterfaceDescriptionBlock);
  idb.put16(static_cast<std::uint16_t>(interface.linkType));
  idb.put16(0);
  idb.put32(input.snapLength);
  if (interface.source.empty()) {
    idb.option(kOptIfName, input.name);
    idb.option(kOptIfDescription, input.description);
  } else {
    idb.option(kOptIfName, input.name + "/" + interface.source);
    idb.option(kOptIfDescription, input.description.empty()
                                      ? "capture source " + interface.source
                                      : input.description + ", capture source " + interface.source);
  }
  const std::uint8_t nanoseconds = 9;
  idb.put16(kOptIfTsresol);
  idb.put16(1);
  idb.putBytes(&nanoseconds, 1);
  idb.put32(kOptEnd);
  const auto& bytes = idb.finish();
  if (!writeBytes(bytes.data(), bytes.size(), error)) return false;
  interface.id = m_nextInterfaceId++;
  return true;
}

bool CaptureMerger::push(std::size_t input, std::int64_t timestampNs,
                         std::span<const std::uint8_t> data, std::uint32_t originalLength,
                         std::string* error, const MergeSource* source) {
  if (input >= m_inputs.size() || m_inputs[input].finished || m_file == nullptr) {
    *error = "packet for an input that is unknown or finished";
    return false;
  }
  const std::uint32_t interface = interfaceOf(input, source);
  // Declared as its first packet arrives, so an input whose packets are all copies of
  // another's still shows in the file.
  if (m_options.format == CaptureFormat::Pcapng && m_interfaces[interface].id < 0 &&
      !declare(m_interfaces[interface], error))
    return false;
  auto& heap = m_inputs[input].held;
  heap.push_back(
      std::make_unique<Held>(Held{timestampNs, m_arrivals++, originalLength,
                                  std::vector<std::uint8_t>(data.begin(), data.end()), interface}));
  std::push_heap(heap.begin(), heap.end(), Later{});
  m_bufferedBytes += data.size() + sizeof(Held);
  ++m_counters.packetsIn;
  return drain(false, error);
}

bool CaptureMerger::pushPcapBytes(std::size_t input, std::string_view pcap, std::string* error,
                                  std::span<const MergeSource> sources,
                                  std::span<const std::uint32_t> packetSources) {
  if (input >= m_inputs.size()) {
    *error = "unknown input";
    return false;
  }
  const std::string& name = m_inputs[input].info.name;
  PcapBytesReader reader(pcap);
  if (!reader.ok()) {
    *error = name + ": " + reader.error();
    return false;
  }
  if (reader.linkType() != m_inputs[input].info.linkType) {
    *error = name + ": packets of link type " + std::to_string(reader.linkType()) +
             " for an input declared with link type " +
             std::to_string(m_inputs[input].info.linkType);
    return false;
  }
  for (std::size_t i = 0; i < packetSources.size(); ++i) {
    if (packetSources[i] >= sources.size()) {
      *error = name + ": packet " + std::to_string(i) + " names capture source " +
               std::to_string(packetSources[i]) + " of " + std::to_string(sources.size());
      return false;
    }
  }
  // Every packet of the page has the page's link type, so a source a packet names must have
  // it too (an interface block must describe the packets that name it).
  for (const std::uint32_t k : packetSources) {
    if (sources[k].linkType != reader.linkType()) {
      *error = name + ": capture source \"" + sources[k].name + "\" has link type " +
               std::to_string(sources[k].linkType) + " in a page of link type " +
               std::to_string(reader.linkType());
      return false;
    }
  }
  PcapRecord record;
  for (std::size_t i = 0; reader.next(&record); ++i) {
    const MergeSource* source = i < packetSources.size() ? &sources[packetSources[i]] : nullptr;
    if (!push(input, record.timestampNs, record.data, record.originalLength, error, source))
      return false;
  }
  if (!reader.ok()) {
    *error = name + ": " + reader.error();
    return false;
  }
  return true;
}

bool CaptureMerger::pushPcapFiles(std::span<const std::string_view> files, std::string* error) {
  if (files.size() > m_inputs.size()) {
    *error = "more files than inputs";
    return false;
  }
  struct Feed {
    PcapBytesReader reader;
    PcapRecord next;
    bool has = false;
  };
  std::vector<Feed> feeds;
  feeds.reserve(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    feeds.push_back({PcapBytesReader(files[i]), {}, false});
    if (files[i].empty()) continue;
    Feed& f = feeds.back();
    const std::string& name = m_inputs[i].info.name;
    if (!f.reader.ok()) {
      *error = name + ": " + f.reader.error();
      return false;
    }
    if (f.reader.linkType() != m_inputs[i].info.linkType) {
      *error = name + ": packets of link type " + std::to_string(f.reader.linkType()) +
               " for an input declared with link type " + std::to_string(m_inputs[i].info.linkType);
      return false;
    }
    f.has = f.reader.next(&f.next);
  }
  for (;;) {
    std::size_t oldest = feeds.size();
    for (std::size_t i = 0; i < feeds.size(); ++i) {
      if (feeds[i].has &&
          (oldest == feeds.size() || feeds[i].next.timestampNs < feeds[oldest].next.timestampNs))
        oldest = i;
    }
    if (oldest == feeds.size()) break;
    Feed& f = feeds[oldest];
    if (!push(oldest, f.next.timestampNs, f.next.data, f.next.originalLength, error)) return false;
    f.has = f.reader.next(&f.next);
  }
  for (std::size_t i = 0; i < feeds.size(); ++i) {
    if (!files[i].empty() && !feeds[i].reader.ok()) {
      *error = m_inputs[i].info.name + ": " + feeds[i].reader.error();
      return false;
    }
    if (!finishInput(i, error)) return false;
  }
  return true;
}

bool CaptureMerger::wants(std::size_t input) const {
  return input < m_inputs.size() && !m_inputs[input].finished &&
         m_inputs[input].held.size() <= m_options.reorderPackets;
}

bool CaptureMerger::finishInput(std::size_t input, std::string* error) {
  if (input >= m_inputs.size()) {
    *error = "unknown input";
    return false;
  }
  m_inputs[input].finished = true;
  return drain(false, error);
}

bool CaptureMerger::drain(bool all, std::string* error) {
  for (;;) {
    std::size_t oldest = m_inputs.size();
    bool waiting = false;  // an unfinished input has not buffered enough yet
    for (std::size_t i = 0; i < m_inputs.size(); ++i) {
      const Input& in = m_inputs[i];
      if (!in.finished && in.held.size() <= m_options.reorderPackets) waiting = true;
      if (in.held.empty()) continue;
      if (oldest == m_inputs.size() || Later{}(m_inputs[oldest].held.front(), in.held.front()))
        oldest = i;
    }
    if (oldest == m_inputs.size()) return true;
    if (waiting && !all && m_bufferedBytes <= m_options.maxBufferedBytes) return true;
    auto& heap = m_inputs[oldest].held;
    std::pop_heap(heap.begin(), heap.end(), Later{});
    const std::unique_ptr<Held> packet = std::move(heap.back());
    heap.pop_back();
    m_bufferedBytes -= packet->data.size() + sizeof(Held);
    if (!writeOne(oldest, *packet, error)) return false;
  }
}

bool CaptureMerger::isDuplicate(std::size_t input, const Held& packet) {
  if (m_options.dedupWindowNs <= 0) return false;
  // Forget sightings older than the window.
  while (!m_seenOrder.empty() &&
         m_seenOrder.front().timestampNs < packet.timestampNs - m_options.dedupWindowNs) {
    const Seen old = m_seenOrder.front();
    m_seenOrder.pop_front();
    auto it = m_seen.find(old.hash);
    if (it == m_seen.end()) continue;
    auto& list = it->second;
    auto gone = std::find_if(list.begin(), list.end(), [&](const Seen& s) {
      return s.timestampNs == old.timestampNs && s.input == old.input;
    });
    if (gone != list.end()) list.erase(gone);
    if (list.empty()) m_seen.erase(it);
  }
  const std::uint64_t hash =
      packetIdentity(m_inputs[input].info.linkType, packet.data, packet.originalLength);
  auto& list = m_seen[hash];
  // A copy is a sighting from another input; equal packets from one input are all real.
  auto copy = std::find_if(list.begin(), list.end(), [&](const Seen& s) {
    return s.input != input &&
           std::abs(packet.timestampNs - s.timestampNs) <= m_options.dedupWindowNs;
  });
  if (copy != list.end()) {
    list.erase(copy);  // each sighting explains one copy
    return true;
  }
  list.push_back({packet.timestampNs, hash, input});
  m_seenOrder.push_back({packet.timestampNs, hash, input});
  return false;
}

bool CaptureMerger::writeOne(std::size_t input, Held& packet, std::string* error) {
  if (isDuplicate(input, packet)) {
    ++m_counters.duplicatesDropped;
    ++m_counters.droppedPerInput[input];
    return true;
  }
  if (packet.timestampNs < m_lastWritten) ++m_counters.writtenOutOfOrder;
  m_lastWritten = std::max(m_lastWritten, packet.timestampNs);
  const auto captured = static_cast<std::uint32_t>(packet.data.size());
  const std::uint32_t original = std::max(packet.originalLength, captured);
  if (m_options.format == CaptureFormat::Pcap) {
    const auto header = PcapWriter::recordHeader(packet.timestampNs, captured, original);
    if (!writeBytes(header.data(), header.size(), error) ||
        !writeBytes(packet.data.data(), packet.data.size(), error))
      return false;
  } else {
    Interface& interface = m_interfaces[packet.interface];
    if (interface.id < 0 && !declare(interface, error)) return false;
    Block epb(kEnhancedPacketBlock);
    epb.put32(static_cast<std::uint32_t>(interface.id));
    const auto units = static_cast<std::uint64_t>(std::max<std::int64_t>(packet.timestampNs, 0));
    epb.put32(static_cast<std::uint32_t>(units >> 32));
    epb.put32(static_cast<std::uint32_t>(units));
    epb.put32(captured);
    epb.put32(original);
    epb.putBytes(packet.data.data(), packet.data.size());
    const auto& bytes = epb.finish();
    if (!writeBytes(bytes.data(), bytes.size(), error)) return false;
  }
  ++m_counters.packetsWritten;
  ++m_counters.writtenPerInput[input];
  return true;
}

bool CaptureMerger::writeBytes(const void* data, std::size_t size, std::string* error) {
  if (std::fwrite(data, 1, size, m_file) != size) {
    *error = "cannot write " + m_path + ".part: " + std::strerror(errno) + " (is the disk full?)";
    return false;
  }
  m_bytesWritten += size;
  return true;
}

bool CaptureMerger::closeFile(std::string* error) {
  if (m_closed) return true;
  m_closed = true;
  if (m_file == nullptr) {
    *error = "the merge was never opened";
    return false;
  }
  const bool flushed = std::fflush(m_file) == 0 && ::fsync(::fileno(m_file)) == 0;
  const int savedErrno = errno;
  const bool closed = std::fclose(m_file) == 0;
  m_file = nullptr;
  if (!flushed || !closed) {
    *error = "cannot write " + m_path + ".part: " + std::strerror(flushed ? errno : savedErrno);
    return false;
  }
  std::error_code ec;
  std::filesystem::rename(m_path + ".part", m_path, ec);
  if (ec) {
    *error = "cannot rename " + m_path + ".part to " + m_path + ": " + ec.message();
    return false;
  }
  return true;
}

bool CaptureMerger::finish(std::string* error) {
  for (auto& input : m_inputs) input.finished = true;
  if (m_file != nullptr && !drain(true, error)) return false;
  return closeFile(error);
}

void CaptureMerger::discard() {
  if (m_closed) return;
  m_closed = true;
  if (m_file != nullptr) std::fclose(m_file);
  m_file = nullptr;
  std::error_code ec;
  std::filesystem::remove(m_path + ".part", ec);
}

bool CaptureMerger::abandon(std::string* error) {
  std::string ignored;
  const bool drained = m_file == nullptr || drain(true, &ignored);
  const bool closed = closeFile(error);
  if (!drained && closed) *error = ignored;
  return drained && closed;
}

}  // namespace netlens::pcap
