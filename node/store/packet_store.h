// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "node/capture/bpf_filter.h"
#include "node/store/segment_index.h"
#include "node/store/segment_index_reader.h"
#include "shared/net/ip_address.h"
#include "shared/pcap/pcap_writer.h"
#include "shared/protocol/param_text.h"
#include "shared/protocol/result.h"

namespace netlens::node::store {

class BatchReader;
class SessionScanCache;

/// Where a packet store lives and how big it may grow.
struct StoreOptions {
  std::string folder;
  std::uint64_t maxBytes = 1ull << 30;       ///< the ring: oldest segments deleted beyond it
  std::uint64_t segmentBytes = 64ull << 20;  ///< a segment is closed at this size...
  std::int64_t segmentNs = 300'000'000'000;  ///< ...or when its packets span this long
  /// Keep each closed segment's index file mapped after a search read it, for the next
  /// search (a running node). Its pages then count in the process's resident size (file
  /// pages the kernel may drop; about all of an index that was just written), so a one-off
  /// search leaves this off and maps each index only while it reads it.
  bool keepIndexesOpen = false;
  /// Only packets matching this BPF expression are stored ("" = every packet); compiled by
  /// libpcap for each link type. Packets it leaves out are not drops.
  std::string filter;
  /// Read a search's candidate records in batches through io_uring (BatchReader), not with
  /// a system call each; off (or where io_uring is not available) each is read with `pread`.
  bool batchReads = true;
};

/// Which side of a packet an address, MAC or port must be on.
enum class Side : std::uint8_t { Either, Source, Destination };

/// What a search asks for; every criterion given must hold (and), a criterion with several
/// values holds when one of them does (or).
struct SearchCriteria {
  std::optional<std::int64_t> from;  ///< packet time, ns since the epoch, inclusive
  std::optional<std::int64_t> to;    ///< inclusive
  struct Host {
    net::IpAddress ip;
    Side side = Side::Either;
  };
  struct Mac {
    net::MacAddress mac;
    Side side = Side::Either;
  };
  struct Port {
    std::uint16_t port = 0;
    Side side = Side::Either;
  };
  std::vector<Host> hosts;
  std::vector<Mac> macs;
  std::vector<Port> ports;
  std::vector<std::uint8_t> protocols;  ///< IP protocol numbers, any IP header
  std::vector<std::uint16_t> vlans;
  /// Connections, both directions (alternatives): a packet matches when its innermost IP
  /// header's protocol and ends (address and port) are one connection's, or, for a later
  /// fragment (no ports), its protocol and addresses are. The index narrows the candidates to
  /// the packets of the connections' addresses; the match is made on the packet read.
  std::vector<protocol::ConnectionText> connections;
  std::string bpf;  ///< a BPF expression, compiled for each segment's link type
  /// BPF bytecode (capture::BpfFilter::fromBytecode text), run as given on every segment.
  std::string bpfCode;
  /// A payload signature (PayloadMatcher::make's text, hex or POSIX extended regular
  /// expression; at most one non-empty): the bytes must occur in (the expression must match
  /// somewhere in) the packet's innermost transport payload.
  std::string payload;
  std::string payloadHex;
  std::string payloadRegex;
  /// The signature selects sessions: every packet of a session (IP pair, protocol, ports) in
  /// whose payload it occurs — across TCP segments, in sequence order — matches.
  bool payloadPerSession = false;
  /// HTTP request criteria (empty = any; all given must hold in one request): they select
  /// the TCP sessions carrying such a request. Host: the Host header without its port,
  /// ignoring case; URL: part of the request target; user agent: part of it, ignoring case;
  /// file: the last path segment, ignoring case; user: of Basic authorisation, exactly.
  struct Http {
    std::string host;
    std::string url;
    std::string userAgent;
    std::string file;
    std::string user;
    bool any() const {
      return !host.empty() || !url.empty() || !userAgent.empty() || !file.empty() || !user.empty();
    }
  } http;

  bool hasPayload() const {
    return !payload.empty() || !payloadHex.empty() || !payloadRegex.empty();
  }
  /// The criteria that select whole sessions (two passes).
  bool selectsSessions() const { return (payloadPerSession && hasPayload()) || http.any(); }

  /// Where a paged search goes on: after the packet at byte `offset` of segment `segment`
  /// (StoredPacket's position). Earlier segments and packets are skipped.
  struct Position {
    std::uint64_t segment = 0;
    std::uint64_t offset = 0;
  };
  std::optional<Position> after;
  /// A search that is still reading candidates at this time stops after the candidate it is
  /// at (SearchStats::outOfTime, ::reached), so a caller can answer a page and go on later.
  /// A search selecting sessions that runs out of time in its first pass keeps that pass
  /// (SessionScanCache) and reports `after` itself as reached ({0, 0}: the start): the same
  /// search resumed there goes on with the pass (or, when the cache lost it meanwhile, reads
  /// the first pass again whole, without the deadline, so that it always gets past it).
  std::optional<std::chrono::steady_clock::time_point> deadline;

  bool usesIndex() const {
    return !hosts.empty() || !macs.empty() || !ports.empty() || !protocols.empty() ||
           !vlans.empty() || !connections.empty();
  }
};

/// A packet read back from the store; `data` is valid during the callback only.
struct StoredPacket {
  std::int64_t timestampNs = 0;
  std::uint32_t capturedLength = 0;
  std::uint32_t wireLength = 0;
  std::uint32_t linkType = 0;
  const std::uint8_t* data = nullptr;
  std::uint64_t segment = 0;  ///< the segment's number (its file name)
  std::uint64_t offset = 0;   ///< of the record in the segment file
  /// The capture source it came from (an interface, a file's name), valid during the
  /// callback; empty when the segment recorded none (stored by an older version).
  std::string_view source;
};

/// The matched packets of one session of one segment, as its index gives them (see
/// PacketStore::search's `onIndexed`).
struct IndexedSession {
  std::uint8_t protocol = 0;
  net::IpAddress a;  ///< the lower end (address, then port), as SessionCollector orders them
  std::uint16_t aPort = 0;
  net::IpAddress b;
  std::uint16_t bPort = 0;
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;  ///< wire lengths
  std::int64_t firstTime = 0;
  std::int64_t lastTime = 0;
  /// The capture sources of its packets, each once, in the order met (valid during the
  /// callback; empty when the segment recorded none).
  std::vector<std::string_view> sources;
};

/// A segment's part of a search's answer taken from its index alone, no packet read.
struct IndexedAnswer {
  std::uint64_t packets = 0;      ///< matched packets
  SearchCriteria::Position last;  ///< the last of them
  std::vector<IndexedSession> sessions;
};

/// What a search did: segments looked at and skipped by time, packets read and matched.
struct SearchStats {
  std::uint64_t segments = 0;
  std::uint64_t segmentsSkipped = 0;
  std::uint64_t candidates = 0;  ///< packets read from disk
  std::uint64_t matched = 0;
  /// The deadline stopped the search; `reached` is the last candidate it read (resume
  /// after it).
  bool outOfTime = false;
  SearchCriteria::Position reached;
  /// Out of time in the first pass of a session search (nothing delivered; `reached` is
  /// the search's own `after`).
  bool inFirstPass = false;
  /// With inFirstPass: the candidates that pass has read so far (over every page of the
  /// kept scan) and an estimate of all it reads (what it had read when it first ran out of
  /// time, plus the index's candidates after that; 0 when not known).
  std::uint64_t scanRead = 0;
  std::uint64_t scanEstimate = 0;
};

/// How far back the ring reaches and how full it is.
struct Retention {
  std::int64_t oldestPacket = 0;  ///< 0 while empty
  std::int64_t newestPacket = 0;
  std::uint64_t bytes = 0;
  std::uint64_t maxBytes = 0;
  std::uint64_t packets = 0;
  std::uint64_t segments = 0;
};

/// The packet ring: segment files `NNNNNNNNNN.pcap` (classic pcap, nanosecond timestamps,
/// one link type each) with an index `NNNNNNNNNN.idx` written when the segment closes (see
/// SegmentIndex), in a folder of mode 0700, files 0600. Segments are closed at
/// `segmentBytes` or `segmentNs` of packet time, or when the link type changes; the oldest
/// segments are deleted while the ring is over `maxBytes`.
///
/// Opening a store reads only the header of each segment's index: a segment without a valid
/// one (the node stopped while writing it, or an older format) is indexed again from its
/// packets, and a record cut short at its end is cut off, so every packet written before is
/// found again. A search reads the index files in place (SegmentIndexReader), only for
/// segments whose time range it overlaps, and keeps them mapped for the next search; damage
/// found there also has the segment indexed again. The open segment's index is kept in memory and
/// searched too.
///
/// Thread: not thread-safe; one owner (the store writer thread) appends and searches.
class PacketStore {
 public:
  /// The key clauses of a search's indexed criteria, worked out once per search (a
  /// connection criterion's take a pass over its connections): a packet is a candidate when
  /// it has a key of every clause.
  using KeyClauses = std::vector<std::vector<IndexKey>>;
  /// The key clauses of `criteria`'s indexed criteria (node/store/search_clauses.cpp).
  static KeyClauses keyClauses(const SearchCriteria& criteria);
  /// Opens (creating if needed) the store folder; errors say what is wrong with it.
  static protocol::Result<std::unique_ptr<PacketStore>> open(const StoreOptions& options);
  ~PacketStore();
  PacketStore(const PacketStore&) = delete;
  PacketStore& operator=(const PacketStore&) = delete;

  /// The capture source of the packets appended from now on (an interface name, a file's
  /// name without its folder; SegmentSources::cleanName applies). "" until set.
  void setSource(std::string_view name);
  /// Stores one packet (decoded here for its index keys).
  protocol::Status append(std::int64_t timestampNs, const std::uint8_t* data,
                          std::uint32_t capturedLength, std::uint32_t wireLength,
                          std::uint32_t linkType);
  /// Pushes written packets to the operating system (call at least once a second).
  protocol::Status flush();
  /// Closes the open segment and writes its index.
  protocol::Status closeSegment();

  /// Calls `onPacket` for each stored packet matching `criteria`, oldest segment first,
  /// packets in file order within a segment; stops early when it returns false.
  ///
  /// With `onIndexed`, a closed segment whose matches the index describes completely is
  /// offered to it whole instead, by session, without reading a packet (only where that is
  /// exact: an index of format 5 on, criteria of addresses, MACs, ports, protocols and VLANs
  /// with at least one of the first four, the segment inside the time range and after the
  /// resume position, every match in a session whose packets of the segment all match).
  /// When it returns false the segment's packets go to `onPacket` as usual.
  using IndexedSink = std::function<bool(const IndexedAnswer&)>;
  protocol::Status search(const SearchCriteria& criteria,
                          const std::function<bool(const StoredPacket&)>& onPacket,
                          SearchStats* stats = nullptr, const IndexedSink* onIndexed = nullptr);

  /// Packets the index names as candidates for `criteria` (after `criteria.after`): an
  /// upper bound of what search() would deliver (BPF, payload and exact times not applied),
  /// from the indexes only, no packet read.
  protocol::Result<std::uint64_t> countCandidates(const SearchCriteria& criteria);

  Retention retention() const;
  const StoreOptions& options() const { return m_options; }
  /// Packets the store filter left out since the store was opened.
  std::uint64_t filteredOut() const { return m_filteredOut; }
  /// Packets read by the first pass of session searches (payload per session, HTTP) since
  /// the store was opened: a page that goes on from a kept scan reads only what is new.
  std::uint64_t sessionScanPackets() const { return m_sessionScanPackets; }

 private:
  struct Segment {
    std::uint64_t number = 0;
    std::string pcapPath;
    std::string indexPath;
    std::uint64_t bytes = 0;
    IndexHeader header;  ///< of its index file (closed ones; the open one has m_openIndex)
    std::vector<std::string> sources;  ///< SegmentSources (the open one: kept current)
    bool sourcesLoaded = false;
    /// Its index file mapped by the first search that needs it and kept open (closed ones,
    /// StoreOptions::keepIndexesOpen, up to kMaxMappedIndexes): later searches only check
    /// that the file is still the one mapped.
    std::unique_ptr<SegmentIndexReader> index;
    /// The inode and size of the file `index` maps: one that changed is mapped again
    /// (touching a mapped page past the end of a file cut short would be a SIGBUS).
    std::uint64_t indexInode = 0;
    std::uint64_t indexSize = 0;
  };

  explicit PacketStore(StoreOptions options);
  protocol::Status scan();
  /// Indexes `segment` again from its packets and writes the index (a missing, old or
  /// damaged index).
  protocol::Status rebuildIndex(Segment& segment);
  /// A search whose payload signature or HTTP criteria select sessions (two passes).
  protocol::Status searchSessions(const SearchCriteria& criteria,
                                  const std::function<bool(const StoredPacket&)>& onPacket,
                                  SearchStats* stats);
  /// The candidate packets (record offsets, file order) of one segment from its index —
  /// the open segment's in memory, a closed one's read in place (indexed again when damaged);
  /// `*skipped` when its time range or the resume position rules it out; `clauses` are
  /// those of `criteria`. With `numbers`, also the candidates' packet numbers (to find their
  /// sources); with `ends`, where their records end (0 when not known), so each is read in one go.
  /// With `sessions` (closed segments), the candidates' numbers, only the last one's offset, and
  /// the sessions the index lookups read, with their numbers (for answerFromIndex).
  using IndexSessions = std::vector<std::pair<std::uint32_t, IndexSession>>;
  protocol::Status planSegment(Segment& segment, bool isOpen, const SearchCriteria& criteria,
                               const KeyClauses& clauses, std::vector<std::uint64_t>* offsets,
                               std::uint32_t* linkType, bool* skipped,
                               std::vector<std::uint32_t>* numbers = nullptr,
                               std::vector<std::uint64_t>* ends = nullptr,
                               IndexSessions* sessions = nullptr);
  /// The answer of closed segment `segment` from its index alone (see search()), whose
  /// candidates are `numbers` (the last at `lastOffset`), from `sources` (source numbers, or
  /// empty: all from the first), given the sessions planSegment read for them (sorted here);
  /// false when the index cannot give it exactly.
  bool answerFromIndex(const Segment& segment, const std::vector<std::uint32_t>& numbers,
                       std::uint64_t lastOffset, IndexSessions& sessions,
                       const std::vector<std::uint16_t>& sources, IndexedAnswer* out) const;
  /// The index reader of closed segment `segment`, opened the first time; null with
  /// `*error` when the file cannot be opened.
  SegmentIndexReader* indexOf(Segment& segment, std::string* error);
  /// Unmaps the index of `segment` unless StoreOptions::keepIndexesOpen.
  void releaseIndex(Segment& segment);
  /// The source names of `segment` (read from its file the first time) and the source
  /// number of each of `numbers` (left empty with a single source).
  protocol::Status sourcesOf(Segment& segment, bool isOpen,
                             const std::vector<std::uint32_t>& numbers,
                             std::vector<std::uint16_t>* sources);
  /// The open segment's number of the current source, adding it (and saving the list).
  protocol::Status openSourceNumber(std::uint16_t* number);
  protocol::Status startSegment(std::uint32_t linkType, std::int64_t firstTime);
  void enforceSize();
  std::string pathOf(std::uint64_t number, const char* extension) const;

  StoreOptions m_options;
  std::vector<Segment> m_segments;  ///< closed ones, oldest first
  /// With keepIndexesOpen, at most this many index files stay mapped (each mapping is one of
  /// the process's memory areas, which the kernel limits to about 65 000): beyond it, the
  /// index mapped longest ago is unmapped, and mapped again by the next search that needs it.
  static constexpr std::size_t kMaxMappedIndexes = 1024;
  std::deque<std::uint64_t> m_mappedOrder;  ///< segment numbers, in the order mapped
  std::uint64_t m_nextNumber = 1;
  // The open segment.
  bool m_open = false;
  Segment m_current;
  pcap::PcapWriter m_writer;
  SegmentIndex m_openIndex;
  std::size_t m_lastSegmentKeys = 0;  ///< keys of the segment closed last (to size the next)
  std::int64_t m_openFirstTime = 0;
  std::string m_sourceName;  ///< setSource()
  int m_openSource = -1;     ///< its number in the open segment; -1: not looked up yet
  /// Reused for every appended packet (a DecodedPacket is large; decode() overwrites it).
  decoder::DecodedPacket m_decoded;
  /// StoreOptions::filter compiled per link type (null: it does not compile for that one).
  std::map<std::uint32_t, std::unique_ptr<capture::BpfFilter>> m_filters;
  std::uint64_t m_filteredOut = 0;
  std::unique_ptr<SessionScanCache> m_sessionScanCache;
  std::uint64_t m_sessionScanPackets = 0;
  std::unique_ptr<BatchReader> m_reader;  ///< reads the candidates of every search
};

}  // namespace netlens::node::store
