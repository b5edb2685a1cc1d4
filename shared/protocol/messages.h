// SPDX-License-Identifier: MIT
#pragma once

// Plain message structs exchanged between node and console. No msgpack here: only
// shared/protocol/codec_*.cpp know the wire encoding, everybody else sees these structs.

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "shared/net/ip_address.h"

namespace netlens::protocol {

/// Bumped only for incompatible changes; a node refuses requests with another version.
inline constexpr std::uint32_t kProtocolVersion = 1;

/// Times are packet time, nanoseconds since the Unix epoch (UTC). 0 means "never".
using TimeNs = std::int64_t;

/// Silence after which a host's activity period restarts (`netlens-node run
/// --inactivity-gap`): what a node uses unless told otherwise, and what a console assumes
/// for a node whose Hello predates Hello::inactivityGapNs.
inline constexpr TimeNs kDefaultInactivityGapNs = 300'000'000'000;
/// The largest inactivity gap a Hello may carry (the node accepts at most 365 days); keeps
/// `lastSeen + gap` far from overflowing when periods are merged.
inline constexpr TimeNs kMaxInactivityGapNs = 366LL * 86'400 * 1'000'000'000;

/// Per-IP figures. Every IP header of a packet counts (outer and inner of a tunnel), as
/// tshark's endpoint statistics do; bytes are original frame lengths.
struct HostRecord {
  net::IpAddress ip;
  std::uint64_t txPackets = 0;
  std::uint64_t txBytes = 0;
  std::uint64_t rxPackets = 0;
  std::uint64_t rxBytes = 0;
  std::uint64_t tcpPackets = 0;  ///< packets whose transport (for this IP header) is TCP
  std::uint64_t udpPackets = 0;
  TimeNs firstSeen = 0;
  TimeNs firstRecent = 0;  ///< first activity after the last inactivity gap
  TimeNs lastSeen = 0;
  double packetsPerSecond = 0;  ///< over the last complete second of packet time
  double bitsPerSecond = 0;
  std::vector<net::MacAddress> macs;  ///< sorted, unique; MACs seen as src/dst beside this IP
  std::vector<std::uint16_t> vlans;   ///< sorted, unique; outermost VLAN id of its packets
  /// The most specific IP group containing this address ("" when none). Appended after
  /// `vlans`: a HostRecord without it (older nodes) decodes with "".
  std::string group;
  /// Names learned from the traffic (DNS, mDNS, LLMNR answers, DHCP host names), most
  /// recent first, at most kMaxHostNames. Appended after `group`.
  std::vector<std::string> names;
  /// ISO 3166-1 alpha-2 country of the address from the node's GeoIP database ("" without
  /// one, or when the address is not in it). Appended after `names`.
  std::string country;
  /// The NIC vendor of each MAC in `macs` (same order; "" when unregistered), from the node's
  /// IEEE OUI lists. Appended after `country`.
  std::vector<std::string> macVendors;
  /// TCP segment data (tshark's tcp.len) of the segments this address sent or received,
  /// credited to the innermost IP header's two ends when the host analysis delivers the
  /// segment (a fragmented one when reassembled), whether or not connection analysis is on.
  /// Appended after `macVendors`.
  std::uint64_t tcpPayloadBytes = 0;
  /// TCP segments to or from this address that connection analysis classed as a
  /// retransmission (tshark's tcp.analysis.retransmission, fast_retransmission or
  /// spurious_retransmission), and their segment data. 0 when connection analysis is off.
  std::uint64_t tcpRetransPackets = 0;
  std::uint64_t tcpRetransBytes = 0;
  friend bool operator==(const HostRecord&, const HostRecord&) = default;
};

inline constexpr std::size_t kMaxHostNames = 8;
inline constexpr std::size_t kMaxHostNameLength = 255;

/// A capture source of a node (interface or file).
struct SourceInfo {
  std::string name;          ///< interface name or file path
  std::string kind;          ///< "interface" or "file"
  int linkType = 0;          ///< DLT_* value
  std::string linkTypeName;  ///< e.g. "EN10MB"
  std::uint64_t packets = 0;
  std::uint64_t captureDrops = 0;  ///< kernel/interface drops (pcap_stats)
  std::uint64_t queueDrops = 0;    ///< dropped because a worker queue was full
  bool finished = false;           ///< a file source reached its end
  std::string error;               ///< empty unless the source failed
  friend bool operator==(const SourceInfo&, const SourceInfo&) = default;
};

/// TCP figures of one direction of a connection (what that side sent or announced).
struct TcpDirectionStats {
  std::uint64_t retransmissions = 0;  ///< Wireshark's tcp.analysis.retransmission
  std::uint64_t fastRetransmissions = 0;
  std::uint64_t spuriousRetransmissions = 0;
  std::uint64_t outOfOrder = 0;          ///< not a retransmission; counted apart
  std::uint64_t retransmittedBytes = 0;  ///< payload bytes of the three retransmission classes
  std::uint32_t maxWindow = 0;           ///< largest receive window announced, scaled
  /// Shift from the handshake (0 to 14); -2: the handshake negotiated no scaling; -1: unknown
  /// (the handshake was not seen).
  std::int32_t windowScale = -1;
  /// Appended after windowScale: segments whose data reached the right edge of the other
  /// side's receive window (Wireshark's tcp.analysis.window_full) and segments announcing a
  /// zero window (tcp.analysis.zero_window).
  std::uint64_t windowFull = 0;
  std::uint64_t zeroWindow = 0;

  /// The largest receive window the negotiated scale allows (65 535 << shift, 65 535 without
  /// scaling); 0 when the handshake was not seen.
  std::uint64_t windowLimit() const {
    if (windowScale == -2) return 65535;
    return windowScale >= 0 ? std::uint64_t{65535} << windowScale : 0;
  }
  /// How much of windowLimit() the largest announced window used, in percent; -1 unknown.
  double windowUsagePercent() const {
    const std::uint64_t limit = windowLimit();
    return limit == 0 ? -1.0 : 100.0 * static_cast<double>(maxWindow) / static_cast<double>(limit);
  }
  friend bool operator==(const TcpDirectionStats&, const TcpDirectionStats&) = default;
};

/// Summary of a series of response times, in ns. count 0: none measured.
struct ResponseTimeStats {
  std::uint64_t count = 0;
  TimeNs minNs = 0;
  TimeNs maxNs = 0;
  double meanNs = 0;
  double stddevNs = 0;  ///< population standard deviation
  friend bool operator==(const ResponseTimeStats&, const ResponseTimeStats&) = default;
};

/// TLS handshake of a connection, from its ClientHello and ServerHello.
struct TlsInfo {
  std::string serverName;                      ///< SNI, as sent
  std::string alpn;                            ///< selected by the server, else first offered
  std::vector<std::uint16_t> offeredVersions;  ///< supported_versions, else the legacy one
  std::vector<std::uint16_t> offeredCiphers;   ///< client's order, GREASE included
  std::uint16_t version = 0;                   ///< negotiated; 0 without a ServerHello
  std::uint16_t cipher = 0;                    ///< negotiated
  TimeNs helloNs = -1;      ///< ClientHello → ServerHello, -1 when not both seen
  TimeNs firstDataNs = -1;  ///< ClientHello → first application data from the server
  friend bool operator==(const TlsInfo&, const TlsInfo&) = default;
};

/// HTTP/1.x on a connection: the last transaction and counts.
struct HttpInfo {
  std::string method;  ///< of the last request
  std::string host;
  std::string url;
  std::string userAgent;
  std::int32_t status = 0;  ///< of the last response, 0 when none
  std::string contentType;  ///< of the last response
  std::uint64_t requests = 0;
  std::array<std::uint64_t, 5> statusFamilies{};  ///< responses 1xx .. 5xx
  ResponseTimeStats responseTime;                 ///< request end → response start
  friend bool operator==(const HttpInfo&, const HttpInfo&) = default;
};

/// QoS markings of one direction of a connection: the values of its most recent packet, and
/// whether any earlier packet of that direction carried another value.
inline constexpr std::size_t kMaxMplsStack = 8;  ///< labels a QosInfo carries at most

struct QosInfo {
  std::int16_t dscp = -1;    ///< DSCP of the connection's IP header; -1 before any packet
  std::int8_t vlanPcp = -1;  ///< PCP of the frame's outermost VLAN tag; -1 untagged
  std::int8_t mplsTc = -1;   ///< traffic class of the top MPLS label; -1 without MPLS
  bool dscpChanged = false;
  bool vlanPcpChanged = false;  ///< also when tagged and untagged packets alternate
  bool mplsTcChanged = false;
  bool mplsLabelsChanged = false;
  std::vector<std::uint32_t> mplsLabels;  ///< the label stack, top first
  friend bool operator==(const QosInfo&, const QosInfo&) = default;
};

/// One connection: the innermost transport flow of its packets.
struct ConnectionRecord {
  std::uint8_t protocol = 0;  ///< IP protocol number (6 TCP, 17 UDP, ...)
  net::IpAddress clientIp;
  std::uint16_t clientPort = 0;
  net::IpAddress serverIp;
  std::uint16_t serverPort = 0;
  std::int32_t vlan = -1;  ///< -1 untagged
  TimeNs firstSeen = 0;
  TimeNs lastSeen = 0;
  std::uint64_t c2sPackets = 0;
  std::uint64_t c2sBytes = 0;
  std::uint64_t s2cPackets = 0;
  std::uint64_t s2cBytes = 0;
  double c2sBitsPerSecond = 0;  ///< over the last complete second of packet time
  double s2cBitsPerSecond = 0;
  TcpDirectionStats c2sTcp;
  TcpDirectionStats s2cTcp;
  /// Handshake legs in ns (SYN → SYN/ACK, SYN/ACK → ACK); -1 without a complete handshake.
  TimeNs handshakeServerNs = -1;
  TimeNs handshakeClientNs = -1;
  /// TCP: "syn-sent", "rejected", "established", "closed", "reset", "midstream"; "" otherwise.
  std::string state;
  std::string app;  ///< application protocol (DPI), "" when unknown
  /// TCP: client data → first server byte after it (new data only, retransmissions skipped).
  ResponseTimeStats responseTime;
  std::optional<TlsInfo> tls;
  std::optional<HttpInfo> http;
  /// ISO 3166-1 alpha-2 countries ("" unknown), as HostRecord::country. Appended after `http`.
  std::string clientCountry;
  std::string serverCountry;
  /// QoS per direction. Appended after the countries.
  QosInfo c2sQos;
  QosInfo s2cQos;
  /// The most specific IP group of each end ("" when none), as HostRecord::group. Appended
  /// after the QoS: a record without them (older nodes) decodes with "".
  std::string clientGroup;
  std::string serverGroup;
  friend bool operator==(const ConnectionRecord&, const ConnectionRecord&) = default;
};

/// Node-wide counters.
struct GlobalStats {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
  std::uint64_t ipv4Packets = 0;
  std::uint64_t ipv4Bytes = 0;
  std::uint64_t ipv6Packets = 0;
  std::uint64_t ipv6Bytes = 0;
  std::uint64_t nonIpPackets = 0;
  std::uint64_t nonIpBytes = 0;
  std::uint64_t tcpPackets = 0;  ///< by innermost transport
  std::uint64_t udpPackets = 0;
  std::uint64_t icmpPackets = 0;  ///< ICMP and ICMPv6
  /// IP packets with another (or no decodable) transport than the five counted apart; from
  /// nodes older than sctpPackets/grePackets, it includes SCTP and GRE.
  std::uint64_t otherPackets = 0;
  std::uint64_t ipv4Fragments = 0;
  std::map<std::string, std::uint64_t> malformed;  ///< reason → packets
  std::vector<SourceInfo> sources;
  TimeNs firstPacket = 0;
  TimeNs lastPacket = 0;
  double packetsPerSecond = 0;
  double bitsPerSecond = 0;
  std::uint64_t hostCount = 0;
  /// The packet ring (appended after hostCount; zeros from nodes without a store or older
  /// than these fields): bytes held and allowed, packets held, packets it could not take
  /// (the disk did not keep up, or a write failed), oldest and newest packet held.
  std::uint64_t storeBytes = 0;
  std::uint64_t storeMaxBytes = 0;  ///< 0: the node keeps no packets
  std::uint64_t storePackets = 0;
  std::uint64_t storeDrops = 0;
  TimeNs storeOldest = 0;
  TimeNs storeNewest = 0;
  /// What the tables no longer hold (appended after the store fields; zeros from older
  /// nodes): hosts and connections evicted by the budget or the idle timeout, and the latest
  /// last activity of an evicted one. The tables are complete for everything active after
  /// that time; 0: nothing was evicted, they cover the whole run.
  std::uint64_t hostsEvicted = 0;
  TimeNs hostsEvictedUpTo = 0;
  std::uint64_t connectionsEvicted = 0;
  TimeNs connectionsEvictedUpTo = 0;
  /// Packets whose innermost IP header carries SCTP or GRE (appended after the eviction
  /// fields; zeros from older nodes, whose otherPackets holds them).
  std::uint64_t sctpPackets = 0;
  std::uint64_t grePackets = 0;
  friend bool operator==(const GlobalStats&, const GlobalStats&) = default;
};

/// Reply to "hello".
struct Hello {
  std::string nodeName;
  std::string version;
  std::uint32_t protocolVersion = kProtocolVersion;
  std::string role;  ///< the role the node granted this client: "viewer" or "admin"
  std::uint16_t publisherPort = 0;
  std::vector<SourceInfo> sources;
  /// The node's inactivity gap (HostRecord::firstRecent), for merging hosts across nodes.
  /// Appended after `sources`: a Hello without it decodes as kDefaultInactivityGapNs.
  TimeNs inactivityGapNs = kDefaultInactivityGapNs;
  /// The analyses the node was started without ("connections", "layer7", "peer-history",
  /// "qos", "tls-details"; see the node's
  /// `--disable-analysis`): the console says why their figures are missing. Appended after
  /// `inactivityGapNs`: empty from older nodes.
  std::vector<std::string> analysesOff;
  friend bool operator==(const Hello&, const Hello&) = default;
};

/// Reply to "connections": the most recently active connections matching the request.
struct ConnectionList {
  TimeNs packetTime = 0;    ///< the node's packet time when the list was taken
  std::uint64_t total = 0;  ///< connections that matched before the limit was applied
  std::vector<ConnectionRecord> connections;
  friend bool operator==(const ConnectionList&, const ConnectionList&) = default;
};

/// One bucket of a history series: its start (packet time, aligned to the resolution) and
/// one counter per name of the series.
struct HistoryBucket {
  TimeNs start = 0;
  std::vector<std::uint64_t> values;
  friend bool operator==(const HistoryBucket&, const HistoryBucket&) = default;
};

/// Reply to "history": the buckets of one series at one resolution, oldest first, without
/// gaps (a bucket without traffic is there, with zeros).
struct HistoryReply {
  std::string series;              ///< "global", or the address for an IP series
  TimeNs resolutionNs = 0;         ///< 1 s, 1 min or 1 h
  std::vector<std::string> names;  ///< what each value of a bucket counts
  std::vector<HistoryBucket> buckets;
  TimeNs packetTime = 0;  ///< the node's packet time when the reply was made
  /// False when part of the series' traffic was counted before its history began (an IP
  /// series begins when the host gets one of the limited history slots, not necessarily
  /// with its first packet): the buckets are then lower than the host's counters.
  bool complete = true;
  friend bool operator==(const HistoryReply&, const HistoryReply&) = default;
};

/// Reply to "hosts": the full table at a sequence number (Clone pattern snapshot).
struct HostsSnapshot {
  std::uint64_t sequence = 0;  ///< the last delta sequence already contained in this snapshot
  std::vector<HostRecord> hosts;
  /// Random per node process: sequences of different epochs are unrelated (a restarted node
  /// counts from 0 again). 0 from nodes older than this field.
  std::uint64_t epoch = 0;
  friend bool operator==(const HostsSnapshot&, const HostsSnapshot&) = default;
};

/// Published once per second of packet time on topic "hosts": what changed since the
/// previous delta. A subscriber that sees a gap in `sequence` asks for a new snapshot.
struct HostsDelta {
  std::uint64_t sequence = 0;
  TimeNs packetTime = 0;
  std::vector<HostRecord> changed;      ///< full records of hosts that changed
  std::vector<net::IpAddress> removed;  ///< evicted hosts
  GlobalStats global;
  std::uint64_t epoch = 0;  ///< as HostsSnapshot::epoch; another epoch means "take a snapshot"
  friend bool operator==(const HostsDelta&, const HostsDelta&) = default;
};

// ---- IP groups ---------------------------------------------------------------------------

/// Groups a node accepts unless started with another `--max-groups`.
inline constexpr std::uint32_t kDefaultMaxGroups = 32;
/// The largest `--max-groups` a node accepts (and the most groups a message may carry).
inline constexpr std::uint32_t kMaxGroupsLimit = 65535;
/// Group names: 1 to this many bytes.
inline constexpr std::size_t kMaxGroupNameLength = 64;
/// Prefixes of one group, and of all groups together: bounds a node's memory whatever an
/// admin sends.
inline constexpr std::size_t kMaxPrefixesPerGroup = 4096;
inline constexpr std::size_t kMaxGroupPrefixesTotal = 262'144;

/// A named set of IPv4/IPv6 prefixes, as text in canonical form ("10.0.0.0/8",
/// "2001:db8::/32"). The node validates definitions (see node/analysis/ip_groups.h).
struct GroupDefinition {
  std::string name;
  std::vector<std::string> prefixes;
  friend bool operator==(const GroupDefinition&, const GroupDefinition&) = default;
};

/// The body of the "set-groups" request parameter "groups": the complete new group set, in
/// order (on equally specific matches the earlier group is an address's group).
struct GroupDefinitions {
  std::vector<GroupDefinition> groups;
  friend bool operator==(const GroupDefinitions&, const GroupDefinitions&) = default;
};

/// One group with the sums of the figures of the hosts currently in the node's table that
/// lie in it. Overlapping groups: a host counts in every group that contains it.
struct GroupRecord {
  std::string name;
  std::vector<std::string> prefixes;
  std::uint64_t memberCount = 0;  ///< hosts in the table that lie in the group
  std::uint64_t txPackets = 0;
  std::uint64_t txBytes = 0;
  std::uint64_t rxPackets = 0;
  std::uint64_t rxBytes = 0;
  std::uint64_t tcpPackets = 0;
  std::uint64_t udpPackets = 0;
  TimeNs firstSeen = 0;  ///< earliest firstSeen of its members (0: no members)
  TimeNs lastSeen = 0;   ///< latest lastSeen of its members
  double packetsPerSecond = 0;
  double bitsPerSecond = 0;
  /// The members' addresses, sorted; only when asked for (else empty, memberCount still set).
  std::vector<net::IpAddress> members;
  /// Sums of the members' HostRecord fields of the same names. Appended after `members`:
  /// zeros from older nodes.
  std::uint64_t tcpPayloadBytes = 0;
  std::uint64_t tcpRetransPackets = 0;
  std::uint64_t tcpRetransBytes = 0;
  friend bool operator==(const GroupRecord&, const GroupRecord&) = default;
};

/// Reply to "groups" and "set-groups".
struct GroupList {
  TimeNs packetTime = 0;  ///< the node's packet time when the figures were taken
  std::uint32_t maxGroups = kDefaultMaxGroups;  ///< the node's --max-groups
  std::vector<GroupRecord> groups;              ///< in definition order
  friend bool operator==(const GroupList&, const GroupList&) = default;
};

// ---- packet store search --------------------------------------------------------------------

/// The packets of one flow that a search matched, both directions together: the innermost IP
/// pair with the protocol and ports, `a` the lower endpoint. A packet without IP is in the
/// session whose addresses are unset (protocol 0).
struct SearchSession {
  std::uint8_t protocol = 0;
  net::IpAddress a;
  std::uint16_t aPort = 0;
  net::IpAddress b;
  std::uint16_t bPort = 0;
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;  ///< wire lengths
  TimeNs firstSeen = 0;
  TimeNs lastSeen = 0;
  /// The capture sources its matched packets came from (SearchSource names, each once, in
  /// the order met). Appended in v2: empty from older nodes.
  std::vector<std::string> sources;
  friend bool operator==(const SearchSession&, const SearchSession&) = default;
};

/// A capture source of a node as its packet store recorded it: an interface, or a file's name
/// without its folder ("" for packets stored before sources were recorded).
struct SearchSource {
  std::string name;
  std::uint32_t linkType = 0;
  friend bool operator==(const SearchSource&, const SearchSource&) = default;
};

/// Reply to "search": what matched in the node's packet ring.
struct SearchReply {
  std::uint64_t packets = 0;      ///< matched (up to the limit)
  std::uint64_t packetsRead = 0;  ///< read from disk to find them (the index's candidates)
  bool truncated = false;         ///< the limit stopped the search
  std::vector<SearchSession> sessions;
  /// With mode "packets": the matched packets as a classic pcap file (nanosecond
  /// timestamps) of link type `linkType`; empty otherwise.
  std::uint32_t linkType = 0;
  std::string pcap;
  /// Paged answers (request parameter "chunk-bytes"): where the next page starts — pass it
  /// back as parameter "after" — or empty when this page ends the answer. Appended in v1.
  std::string resume;
  /// With a resume token: packets of this page plus the index's candidates after it, an
  /// upper bound of the whole answer (for progress); else the packets of this page.
  std::uint64_t estimatedPackets = 0;
  /// With mode "packets": the capture sources of this answer's packets, and for each packet
  /// of `pcap`, in order, its index in `sources` (so a merge can give every node and source
  /// an interface of its own). Appended in v1: empty from older nodes.
  std::vector<SearchSource> sources;
  std::vector<std::uint32_t> packetSources;
  /// A page that ended in the first pass of a search selecting whole sessions (payload per
  /// session, HTTP criteria; no packets yet): the packets that pass has read so far, over
  /// every page, and its estimate of all it will read (the index's candidates when it
  /// began). 0 and 0 on every other page. Appended in v2: absent from older nodes.
  std::uint64_t sessionScanRead = 0;
  std::uint64_t sessionScanEstimate = 0;
  friend bool operator==(const SearchReply&, const SearchReply&) = default;
};

// ---- VoIP ("rtp", "sip", "calls") ----

/// A payload type an SDP rtpmap named.
struct MediaCodec {
  std::uint8_t payloadType = 0;
  std::string encoding;
  std::uint32_t clockRate = 0;
  friend bool operator==(const MediaCodec&, const MediaCodec&) = default;
};

/// One `m=` line of a call's SDP.
struct CallMedia {
  std::string type;  ///< "audio", "video", "image"
  std::string address;
  std::uint16_t port = 0;
  std::vector<MediaCodec> codecs;
  friend bool operator==(const CallMedia&, const CallMedia&) = default;
};

/// A run of missing sequence numbers in an RTP stream: the arrival of the packets before and
/// after it. Node-internal input of the capture-loss rule: never on the wire.
struct RtpGap {
  TimeNs before = 0;
  TimeNs after = 0;
  std::uint32_t packets = 0;
  bool ownRun = false;  ///< received packets on both sides: a loss run of its own
  friend bool operator==(const RtpGap&, const RtpGap&) = default;
};

/// One second of packet time of an RTP stream.
struct RtpSecond {
  std::uint32_t packets = 0;
  std::uint32_t lost = 0;      ///< network loss detected in this second (capture loss apart)
  std::uint32_t discards = 0;  ///< late for the simulated jitter buffer
  /// The loudest G.711 sample of the second, as |pcm| (0..32768; appended to the wire record
  /// after `mos`); -1 without G.711 audio in it. In dBFS: audio::levelDbfs(peak).
  std::int32_t peak = -1;
  double maxJitterMs = 0;
  std::optional<double> mos;  ///< of this second's loss; null without packets or codec values
  friend bool operator==(const RtpSecond&, const RtpSecond&) = default;
};

/// One RTP stream (one SSRC in one direction of one UDP 5-tuple). The figures up to
/// `callId` are Wireshark's RTP stream analysis; the rest is the E-model assessment.
struct RtpStreamRecord {
  std::uint32_t ssrc = 0;
  net::IpAddress srcIp;
  net::IpAddress dstIp;
  std::uint16_t srcPort = 0;
  std::uint16_t dstPort = 0;
  std::uint8_t payloadType = 0;            ///< of the first packet
  std::vector<std::uint8_t> payloadTypes;  ///< every one seen, in order of appearance
  std::string codec;                       ///< encoding name of payloadType ("" unknown)
  std::uint32_t clockRate = 0;             ///< of payloadType; 0 unknown
  std::uint64_t packets = 0;
  /// From sequence numbers, with wrap-arounds: last - first + 1 (+ 65536 per cycle).
  std::int64_t expected = 0;
  std::int64_t lost = 0;             ///< expected - packets; negative with duplicates
  std::uint64_t sequenceErrors = 0;  ///< packets whose number did not follow the previous
  std::uint64_t duplicates = 0;      ///< same number as the packet before
  double maxDeltaMs = 0;
  double maxJitterMs = 0;
  double meanJitterMs = 0;
  TimeNs firstSeen = 0;
  TimeNs lastSeen = 0;
  bool announced = false;  ///< an SDP named one of its endpoints
  std::string callId;      ///< of that SDP; "" when none

  /// ITU-T G.107 MOS; null when the codec has no G.113 values or nothing could be played.
  std::optional<double> mos;
  std::optional<double> rFactor;
  std::optional<double> ieEff;
  double burstRatio = 1;
  double effectiveLossPercent = 0;  ///< (network loss + jitter-buffer discards) / expected
  std::uint64_t jitterBufferDiscards = 0;
  double jitterBufferDelayMs = 0;  ///< mean delay of the simulated buffer
  double delayMs = 0;              ///< one-way delay Ta of the E-model
  std::uint64_t captureLost = 0;   ///< sequence gaps attributed to the capture, not the network
  double packetMs = 0;             ///< media time per packet (from RTP timestamps)
  std::uint64_t lossRuns = 0;      ///< loss runs (gaps and discards), before the capture rule
  std::uint64_t runLost = 0;       ///< packets in those runs
  std::vector<RtpGap> gaps;        ///< node-internal (see RtpGap); empty in replies
  TimeNs seriesStart = 0;          ///< start of series[0], a whole second
  std::vector<RtpSecond> series;   ///< per second, oldest first, without holes
  /// RTCP round trip (appended after `series`): mean and maximum of the round trips the
  /// receiver's reports about this stream gave, in ms on the capture clock; null without
  /// such reports. When set, half the mean is the E-model's network delay.
  std::optional<double> rtcpRttMs;
  double rtcpRttMaxMs = 0;
  std::uint64_t rtcpRttSamples = 0;
  /// G.711 audio level (appended after the RTCP round trip): of each packet its peak
  /// |pcm| in dBFS (20·log10(|pcm|/32768), −96 for silence); the quietest and the loudest
  /// packet. Null for other codecs.
  std::optional<double> minLevelDbfs;
  std::optional<double> maxLevelDbfs;

  double lostPercent() const {
    return expected > 0 ? 100.0 * static_cast<double>(lost) / static_cast<double>(expected) : 0;
  }
  friend bool operator==(const RtpStreamRecord&, const RtpStreamRecord&) = default;
};

/// SIP messages one address sent and received.
struct SipIpCounters {
  std::map<std::string, std::uint64_t> sentMethods;  ///< requests it sent, by method
  std::map<std::string, std::uint64_t> receivedMethods;
  std::map<int, std::uint64_t> sentResponses;  ///< responses it sent, by status code
  std::map<int, std::uint64_t> receivedResponses;
  void add(const SipIpCounters& other) {
    for (const auto& [k, v] : other.sentMethods) sentMethods[k] += v;
    for (const auto& [k, v] : other.receivedMethods) receivedMethods[k] += v;
    for (const auto& [k, v] : other.sentResponses) sentResponses[k] += v;
    for (const auto& [k, v] : other.receivedResponses) receivedResponses[k] += v;
  }
  friend bool operator==(const SipIpCounters&, const SipIpCounters&) = default;
};

/// SIP message counters as tshark's `-z sip,stat` shows them.
struct SipCounters {
  /// Addresses with per-IP counts per worker; messages of further addresses count in the
  /// totals only (`perIpDropped`), so a spray of spoofed senders cannot grow the node.
  static constexpr std::size_t kMaxAddresses = 65536;

  std::uint64_t messages = 0;
  std::uint64_t malformed = 0;                   ///< SIP start line, unusable rest (skipped)
  std::map<std::string, std::uint64_t> methods;  ///< request method → messages
  std::map<int, std::uint64_t> responses;        ///< status code → messages
  std::map<net::IpAddress, SipIpCounters> perIp;
  std::uint64_t perIpDropped = 0;  ///< messages whose sender or receiver found no room

  void add(const SipCounters& other) {
    messages += other.messages;
    malformed += other.malformed;
    for (const auto& [k, v] : other.methods) methods[k] += v;
    for (const auto& [k, v] : other.responses) responses[k] += v;
    for (const auto& [ip, c] : other.perIp) perIp[ip].add(c);
    perIpDropped += other.perIpDropped;
  }
  friend bool operator==(const SipCounters&, const SipCounters&) = default;
};

/// A request and its responses within a call (matched by CSeq number and method).
struct SipTransaction {
  std::string method;
  std::uint32_t cseq = 0;
  TimeNs requestTime = 0;
  int finalCode = 0;  ///< 0 when no final response was seen
  TimeNs finalTime = 0;
  /// First response of any kind after the request, ns; -1 when none.
  std::int64_t firstResponseNs = -1;
  std::uint32_t retransmissions = 0;  ///< the request seen again
  friend bool operator==(const SipTransaction&, const SipTransaction&) = default;
};

/// One SIP message of a call, for its ladder diagram.
struct SipMessageRecord {
  /// Bounds of a call's list and of one message's SDP (the node keeps no more; what is left
  /// out is counted in CallRecord::messagesOmitted and sdpOmittedBytes).
  static constexpr std::size_t kMaxPerCall = 256;
  static constexpr std::size_t kMaxSdpBytes = 4096;

  TimeNs time = 0;
  net::IpAddress srcIp;
  net::IpAddress dstIp;
  std::uint16_t srcPort = 0;
  std::uint16_t dstPort = 0;
  std::uint8_t transport = 17;  ///< IP protocol number: 17 UDP, 6 TCP
  bool isRequest = false;
  std::string method;      ///< requests
  std::string requestUri;  ///< requests
  int statusCode = 0;      ///< responses: 100..699
  std::string reason;      ///< responses
  std::uint32_t cseq = 0;
  std::string cseqMethod;
  std::string sdp;                    ///< the SDP body, cut to kMaxSdpBytes; "" without one
  std::uint32_t sdpOmittedBytes = 0;  ///< SDP bytes cut off
  friend bool operator==(const SipMessageRecord&, const SipMessageRecord&) = default;
};

/// MOS of one direction of a call: the worst of its streams from that sender.
struct CallDirectionQuality {
  std::string srcIp;  ///< the sender's address
  std::vector<std::uint32_t> ssrcs;
  std::optional<double> mos;
  friend bool operator==(const CallDirectionQuality&, const CallDirectionQuality&) = default;
};

/// One SIP dialog (all messages of one Call-ID).
struct CallRecord {
  std::string callId;
  std::string from;
  std::string to;
  std::string state;  ///< trying, ringing, answered, ended, failed, cancelled
  TimeNs start = 0;
  TimeNs answered = 0;  ///< 0 when never answered
  TimeNs ended = 0;     ///< BYE / final failure / CANCEL; 0 while running
  TimeNs lastSeen = 0;
  std::optional<std::int64_t> setupNs;     ///< INVITE → 2xx
  std::optional<std::int64_t> durationNs;  ///< 2xx → BYE (or last message)
  SipCounters counters;
  std::vector<SipTransaction> transactions;
  std::vector<CallMedia> media;
  std::vector<std::uint32_t> ssrcs;              ///< RTP streams attached to the call
  std::vector<CallDirectionQuality> directions;  ///< by sender, in order of first stream
  /// The call's messages in time order, at most SipMessageRecord::kMaxPerCall (empty from
  /// nodes that predate the field).
  std::vector<SipMessageRecord> messages;
  std::uint64_t messagesOmitted = 0;  ///< messages of the call past that bound
  friend bool operator==(const CallRecord&, const CallRecord&) = default;
};

/// Reply to "rtp": every RTP stream, ordered by start.
struct RtpStreamList {
  TimeNs packetTime = 0;
  std::vector<RtpStreamRecord> streams;
  friend bool operator==(const RtpStreamList&, const RtpStreamList&) = default;
};

/// Reply to "sip": the node's SIP message counters.
struct SipStatistics {
  TimeNs packetTime = 0;
  SipCounters counters;
  friend bool operator==(const SipStatistics&, const SipStatistics&) = default;
};

/// Reply to "calls": the SIP dialogs with an INVITE, ordered by start.
struct CallList {
  TimeNs packetTime = 0;
  std::vector<CallRecord> calls;
  friend bool operator==(const CallList&, const CallList&) = default;
};

// ---- live capture ("live-start", "live-fetch", "live-stop", "live-list") ----------------

/// Reply to "live-start": the capture the node now runs.
struct LiveCapture {
  std::uint64_t id = 0;  ///< names the capture in live-fetch and live-stop; never reused
  std::string filter;    ///< the BPF expression the node built and compiled
  TimeNs startTime = 0;  ///< wall clock of the node when the capture started
  /// The node's packet time when the capture started: every packet the capture delivers
  /// was read after that and carries this time or a later one (one source; several live
  /// interfaces may be a little apart).
  TimeNs startPacketTime = 0;
  std::uint32_t linkType = 0;    ///< of every chunk's pcap
  std::uint32_t snapLength = 0;  ///< bytes kept per packet
  std::uint64_t maxBytes = 0;    ///< the buffer between two fetches
  std::string note;              ///< e.g. sources not tapped because of their link type
  friend bool operator==(const LiveCapture&, const LiveCapture&) = default;
};

/// Reply to "live-fetch" and "live-stop": the packets buffered since the previous fetch and
/// the capture's counters so far.
struct LiveChunk {
  std::uint64_t id = 0;
  std::uint64_t packets = 0;  ///< matched and buffered since the start
  std::uint64_t bytes = 0;    ///< their wire lengths
  std::uint64_t dropped = 0;  ///< matched but refused by a full buffer
  bool running = true;        ///< false in the reply to live-stop
  std::uint32_t linkType = 0;
  /// A complete classic pcap file (file header, nanosecond timestamps, then the records in
  /// arrival order) holding this chunk's packets, or empty when none arrived. Every chunk
  /// stands alone; a client writing one file keeps the first header and appends the records
  /// of the next chunks (everything after their 24-byte header).
  std::string pcap;
  bool more = false;  ///< "max-bytes" cut the chunk short: more is buffered already
  friend bool operator==(const LiveChunk&, const LiveChunk&) = default;
};

/// One live capture in "live-list".
struct LiveCaptureInfo {
  std::uint64_t id = 0;
  /// The comment of the owner's key in the node's authorized_keys, else the first 8
  /// characters of its public key.
  std::string owner;
  std::string role;  ///< the owner's role: "viewer" or "admin"
  std::string filter;
  TimeNs startTime = 0;  ///< wall clock
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
  std::uint64_t dropped = 0;
  TimeNs lastFetch = 0;  ///< wall clock of the latest fetch (the start before the first)
  std::uint64_t bufferedBytes = 0;
  friend bool operator==(const LiveCaptureInfo&, const LiveCaptureInfo&) = default;
};

/// Reply to "live-list": every live capture, oldest first.
struct LiveCaptureList {
  std::vector<LiveCaptureInfo> captures;
  friend bool operator==(const LiveCaptureList&, const LiveCaptureList&) = default;
};

/// Error codes of error replies. Append only; never renumber.
enum class ErrorCode : std::uint16_t {
  BadRequest = 1,          ///< not a valid envelope or body
  UnknownOperation = 2,    ///< operation not in the registry
  UnsupportedVersion = 3,  ///< protocol version mismatch
  NotAuthorised = 4,       ///< the client's role may not do this
  Internal = 5,
  InvalidArgument = 6,
};

struct ErrorReply {
  ErrorCode code = ErrorCode::BadRequest;
  std::string message;
  friend bool operator==(const ErrorReply&, const ErrorReply&) = default;
};

}  // namespace netlens::protocol

// The audio bodies, in a file of their own for size; every user of this header gets them.
#include "shared/protocol/messages_audio.h"  // IWYU pragma: export
