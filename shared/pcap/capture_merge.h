// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace netlens::pcap {

enum class CaptureFormat : std::uint8_t {
  Pcapng,  ///< one interface per input, so Wireshark shows where each packet came from
  Pcap,    ///< classic pcap for old tools: every input must have the same link type
};

/// The format a file name asks for: classic pcap for a ".pcap" name (any case), pcapng for
/// any other — the one rule of the command line and the console.
CaptureFormat formatForFileName(std::string_view fileName);

struct MergeOptions {
  CaptureFormat format = CaptureFormat::Pcapng;
  /// Two packets from different inputs within this time of each other whose bytes are equal
  /// from the outermost IP header on (TTL / hop limit and the IPv4 checksum ignored) are one
  /// packet seen twice: the later one is dropped. 0 keeps every packet.
  std::int64_t dedupWindowNs = 10'000'000;
  /// Packets held per input before the merge writes the oldest: an input may be this far out
  /// of time order and still come out sorted.
  std::size_t reorderPackets = 256;
  /// Bytes held over all inputs before the oldest packet is written even though an input has
  /// not caught up (that input's later packets may then come out of order, counted).
  std::size_t maxBufferedBytes = 256u << 20;
};

struct MergeInput {
  std::string name;         ///< pcapng if_name, e.g. "node-a"
  std::string description;  ///< pcapng if_description (may be empty)
  std::uint32_t linkType = 0;
  std::uint32_t snapLength = 262144;
  /// The packets come with their capture source (push or pushPcapBytes with sources): pcapng
  /// gets one interface per source of this input, if_name "NAME/SOURCE", written when its
  /// first packet arrives, instead of one interface for the input written up front (a packet
  /// without a source, or with an unnamed one, gets an interface named NAME).
  bool perSource = false;
};

/// Where a packet of an input was captured: a node's capture source.
struct MergeSource {
  std::string name;  ///< an interface, a file's name; "" for none
  std::uint32_t linkType = 0;
};

struct MergeCounters {
  std::uint64_t packetsIn = 0;
  std::uint64_t packetsWritten = 0;
  std::uint64_t duplicatesDropped = 0;
  /// Written earlier than a packet already written (an input beyond the re-order window).
  std::uint64_t writtenOutOfOrder = 0;
  std::vector<std::uint64_t> writtenPerInput;
  std::vector<std::uint64_t> droppedPerInput;
};

/// Merges the packets of several inputs (one per node and capture source) into one capture
/// file in time order — a k-way merge over per-input re-order buffers — dropping the copies
/// of a packet that several inputs saw. Inputs are fed incrementally (push), as chunks arrive
/// from nodes; the merge writes a packet once every unfinished input has buffered enough to
/// know nothing older is coming.
///
/// The file is written to `PATH.part` (mode 0600: packets are sensitive) and renamed to PATH by
/// finish(); abandon() keeps what was written under PATH and says so via its return value.
/// Thread: one thread at a time.
class CaptureMerger {
 public:
  CaptureMerger(std::string path, MergeOptions options);
  ~CaptureMerger();
  CaptureMerger(const CaptureMerger&) = delete;
  CaptureMerger& operator=(const CaptureMerger&) = delete;

  /// Declares the inputs and opens the file. Fails (with a message saying what to do) when
  /// the file cannot be created or, for classic pcap, the link types differ.
  bool open(std::vector<MergeInput> inputs, std::string* error);

  /// Adds one packet of input `input` (bytes are copied), from `source` of a perSource input.
  /// False on a write error.
  bool push(std::size_t input, std::int64_t timestampNs, std::span<const std::uint8_t> data,
            std::uint32_t originalLength, std::string* error, const MergeSource* source = nullptr);
  /// Adds every record of a classic pcap file held in memory (a page of a node's search
  /// answer); its link type must be the input's. Record i came from
  /// sources[packetSources[i]] (none given: from no source in particular). False on malformed
  /// data, a source index out of range or a write error.
  bool pushPcapBytes(std::size_t input, std::string_view pcap, std::string* error,
                     std::span<const MergeSource> sources = {},
                     std::span<const std::uint32_t> packetSources = {});
  /// Adds whole answers, one classic pcap file per input in input order (empty: none),
  /// feeding the oldest record first so that little is buffered and nothing comes out of
  /// order, and finishes those inputs.
  bool pushPcapFiles(std::span<const std::string_view> files, std::string* error);
  /// True while the merge waits for more packets of `input` before it can write: the flow
  /// control of a download — ask that node for its next page only then.
  bool wants(std::size_t input) const;
  /// No more packets will come from `input`.
  bool finishInput(std::size_t input, std::string* error);

  /// Writes what is buffered, closes and renames the file to its final name.
  bool finish(std::string* error);
  /// Stops early: writes what is buffered, closes, and renames the partial file to its final
  /// name so that nothing that arrived is lost. False if even that failed.
  bool abandon(std::string* error);
  /// Gives up: closes and deletes the partial file; a file of the final name is untouched.
  void discard();

  const MergeCounters& counters() const { return m_counters; }
  std::uint64_t bytesWritten() const { return m_bytesWritten; }

 private:
  struct Held {
    std::int64_t timestampNs;
    std::uint64_t arrival;  // ties keep arrival order
    std::uint32_t originalLength;
    std::vector<std::uint8_t> data;
    std::uint32_t interface;  // into m_interfaces
  };
  /// A pcapng interface: an input, or one of its sources (perSource).
  struct Interface {
    std::size_t input = 0;
    std::string source;
    std::uint32_t linkType = 0;
    std::int64_t id = -1;  // the interface id once its block is written
  };
  struct Later {  // heap order: the oldest packet on top
    bool operator()(const std::unique_ptr<Held>& a, const std::unique_ptr<Held>& b) const {
      return a->timestampNs != b->timestampNs ? a->timestampNs > b->timestampNs
                                              : a->arrival > b->arrival;
    }
  };
  struct Input {
    MergeInput info;
    std::vector<std::unique_ptr<Held>> held;  // a heap (Later)
    bool finished = false;
    std::int64_t ownInterface = -1;   // its interface for packets without a source
    std::int64_t lastInterface = -1;  // the interface of its latest source (most are alike)
  };
  struct Seen {
    std::int64_t timestampNs;
    std::uint64_t hash;
    std::size_t input;
  };

  /// The interface of `source` of `input` (the input's own without a source), added if new.
  std::uint32_t interfaceOf(std::size_t input, const MergeSource* source);
  /// Writes the Interface Description Block of `interface`, giving it the next id.
  bool declare(Interface& interface, std::string* error);
  bool drain(bool all, std::string* error);
  bool writeOne(std::size_t input, Held& packet, std::string* error);
  bool isDuplicate(std::size_t input, const Held& packet);
  bool writeBytes(const void* data, std::size_t size, std::string* error);
  bool closeFile(std::string* error);

  std::string m_path;
  MergeOptions m_options;
  std::vector<Input> m_inputs;
  std::FILE* m_file = nullptr;
  std::uint64_t m_arrivals = 0;
  std::size_t m_bufferedBytes = 0;
  std::int64_t m_lastWritten = INT64_MIN;
  std::uint64_t m_bytesWritten = 0;
  MergeCounters m_counters;
  // Duplicate detection: packet hash → recent sightings; a FIFO to expire them.
  std::unordered_map<std::uint64_t, std::vector<Seen>> m_seen;
  std::deque<Seen> m_seenOrder;
  std::vector<Interface> m_interfaces;
  std::map<std::tuple<std::size_t, std::string, std::uint32_t>, std::uint32_t> m_interfaceIndex;
  std::uint32_t m_nextInterfaceId = 0;
  bool m_closed = false;
};

/// Hash of a packet for duplicate detection: the bytes from the outermost IP header on, with
/// the IPv4 TTL and header checksum or the IPv6 hop limit zeroed, so the same packet captured
/// before and after a router (or behind different link headers) hashes the same. Frames
/// without IP hash whole.
std::uint64_t packetIdentity(std::uint32_t linkType, std::span<const std::uint8_t> data,
                             std::uint32_t originalLength);

}  // namespace netlens::pcap
