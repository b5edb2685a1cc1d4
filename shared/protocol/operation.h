// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace netlens::protocol {

/// Numeric identity of a control operation. The wire carries the operation *name*; the id
/// exists for dispatch tables, logs and metrics.
///
/// WIRE STABILITY — APPEND ONLY. Never renumber, never reuse a number or a name, never
/// remove an entry (mark it obsolete in its comment instead). Add new operations at the end
/// of both this enum and kOperations, with the protocol version they first appear in.
enum class OperationId : std::uint16_t {
  Hello = 1,   ///< "hello": node identity, granted role, publisher port → Hello
  Hosts = 2,   ///< "hosts": full host table (Clone snapshot) → HostsSnapshot
  Global = 3,  ///< "global": node-wide counters → GlobalStats
  /// "connections": connection records, params "ip" (only that address's connections),
  /// "group" (only connections with an address in that IP group; a node older than this
  /// parameter answers "unknown parameter") and "limit" (most recently active
  /// first; default kDefaultConnectionLimit) → ConnectionList
  Connections = 4,
  /// "history": one time series, params "series" ("global", "ip" or "group"), "ip" (with
  /// series "ip"), "name" (with series "group": the sum of its members' series), "resolution"
  /// ("1s", "1m", "1h"; default "1s"), optional "from" and "to" (packet time, ns since the epoch:
  /// the buckets that contain an instant of [from, to]) → HistoryReply
  History = 5,
  /// "groups": IP groups with their definitions and figures → GroupList. Params: "name"
  /// (only that group, with its member addresses), "members" = "1" (members of every group).
  Groups = 6,
  /// "set-groups" (admin only): replaces the whole group set. Param "groups": an encoded
  /// GroupDefinitions body. Takes effect at once and is kept across restarts → GroupList.
  SetGroups = 7,
  /// "search": packets of the node's ring. Params (all optional; several values of one
  /// criterion separated by commas are alternatives, different criteria must all hold):
  /// "from", "to" (ns since the epoch or UTC "2024-05-01T12:00:00Z"), "host", "src-host",
  /// "dst-host", "mac", "src-mac", "dst-mac", "port", "src-port", "dst-port", "proto"
  /// (names or numbers), "vlan", "connection" (both directions of a flow, as for
  /// "live-start"; matched at the innermost IP header, so tunnelled flows too; at most
  /// kMaxSearchConnections), "bpf" (an expression), "mode" ("list", the default, or
  /// "packets": the pcap too), "limit" (packets, default and at most kMaxSearchPackets),
  /// "chunk-bytes" (a paged answer: the page ends once its pcap reaches this size, and its
  /// `resume` token, passed back as "after", asks for the next page — the client's credit
  /// of one page per request is the flow control; stopping asking cancels), "budget-ms" (a
  /// page also ends once the search has run this long, 1 to 60000, with a resume token: a
  /// long search in short requests; a search selecting whole sessions may end pages without
  /// packets while it finds them) → SearchReply
  Search = 8,
  /// "rtp": every RTP stream with its figures, MOS and per-second series → RtpStreamList
  Rtp = 9,
  /// "sip": the node's SIP message counters, in total and per address → SipStatistics
  Sip = 10,
  /// "calls": SIP dialogs with an INVITE, their streams and MOS per direction → CallList
  Calls = 11,
  /// "live-start": a live capture — packets that match a filter, copied as they arrive into
  /// a bounded buffer on the node until "live-stop". Params (all optional; several values of
  /// one criterion separated by commas are alternatives, different criteria must all hold):
  /// "host", "src-host", "dst-host", "port", "src-port", "dst-port", "proto", "vlan", "mac",
  /// "bpf", "bpf-code" (run besides the expression) as for "search"; "group" (an IP group of the
  /// node: its prefixes, either end), "connection" ("PROTO ADDR:PORT ADDR:PORT", both directions;
  /// IPv6 as [ADDR]:PORT; "PROTO ADDR ADDR" without ports), "dscp" (QoS class: 0-63 or a name such
  /// as "ef", "af41", "cs6"; IPv4 and IPv6), "snaplen" (bytes kept per packet, default and at most
  /// 262144), "max-bytes" (the buffer, kMinLiveBufferBytes to kMaxLiveBufferBytes, default
  /// kDefaultLiveBufferBytes). The node builds one BPF expression from them, compiles it for the
  /// link type of its first source (sources of another link type are not tapped: LiveCapture::note
  /// says so) and answers LiveCapture. A filter that does not compile gets InvalidArgument with
  /// libpcap's message; more than kMaxLiveCaptures at once get InvalidArgument too. Packets are
  /// copied on the capture threads; a full buffer counts further packets as dropped and never slows
  /// capture. A capture not fetched for kLiveIdleTimeoutSeconds (wall clock) is stopped and
  /// removed: its console has gone.
  LiveStart = 12,
  /// "live-fetch": params "id", optional "max-bytes" (at most this much pcap in the reply;
  /// default kDefaultLiveFetchBytes; LiveChunk::more says that more is waiting). Returns at once
  /// with what was buffered since the previous fetch → LiveChunk. One fetch is one credit: the
  /// client asks again when it has written the chunk. Only the capture's owner (the same client
  /// key) or an admin may fetch it.
  LiveFetch = 13,
  /// "live-stop": param "id" → LiveChunk with the final counters and the rest of the
  /// buffer; the capture is gone afterwards. Owner or admin only, like live-fetch.
  LiveStop = 14,
  /// "live-list": every live capture of the node with its owner → LiveCaptureList.
  LiveList = 15,
  /// "audio": the RTP payloads of a call or a stream from the node's packet store, paged.
  /// Params: "call" (a Call-ID: every RTP stream attached to it) or "ssrc" (decimal or 0x hex;
  /// with optional "src" and "dst" = "ADDR:PORT", IPv6 as [ADDR]:PORT, to pick one flow);
  /// optional "from", "to" (ns since the epoch: only packets in that range), "max-bytes" (the
  /// page ends once its payloads reach this size; kMinAudioPageBytes to kMaxAudioPageBytes,
  /// default kDefaultAudioPageBytes) and "after" (the previous page's `resume`). A node
  /// without a store answers InvalidArgument ("keeps no packet store") → AudioChunk
  Audio = 16,
};

/// Live captures one node runs at once ("live-start" beyond it is refused).
inline constexpr std::size_t kMaxLiveCaptures = 16;
/// Buffer of one live capture (parameter "max-bytes" of "live-start").
inline constexpr std::uint64_t kDefaultLiveBufferBytes = 8ull << 20;
inline constexpr std::uint64_t kMinLiveBufferBytes = 64ull << 10;
inline constexpr std::uint64_t kMaxLiveBufferBytes = 256ull << 20;
/// Most pcap bytes one "live-fetch" reply carries unless its "max-bytes" says otherwise.
inline constexpr std::uint64_t kDefaultLiveFetchBytes = 16ull << 20;
/// Wall-clock seconds without a fetch after which a node stops and removes a live capture.
inline constexpr int kLiveIdleTimeoutSeconds = 30;

/// The most packets one "search" reply carries (a bigger answer says `truncated`).
inline constexpr std::uint64_t kMaxSearchPackets = 100'000;
/// The most connections one "search" names (its "connection" parameter).
inline constexpr std::size_t kMaxSearchConnections = 100'000;
/// Page sizes a paged "search" takes (parameter "chunk-bytes").
inline constexpr std::uint64_t kMinSearchChunkBytes = 4096;
inline constexpr std::uint64_t kMaxSearchChunkBytes = 64ull << 20;

/// Page sizes of "audio" (parameter "max-bytes": payload bytes per reply).
inline constexpr std::uint64_t kMinAudioPageBytes = 4096;
inline constexpr std::uint64_t kDefaultAudioPageBytes = 1ull << 20;
inline constexpr std::uint64_t kMaxAudioPageBytes = 16ull << 20;

inline constexpr std::uint64_t kDefaultConnectionLimit = 100'000;
inline constexpr std::uint64_t kMaxConnectionLimit = 2'000'000;

/// One registry row.
struct OperationInfo {
  OperationId id;
  std::string_view name;       ///< as sent in the envelope's "op" field
  std::uint32_t sinceVersion;  ///< protocol version that introduced it
  bool adminOnly;              ///< only clients with role "admin" may call it
};

/// The operation registry. APPEND ONLY (see OperationId). Order = id order.
inline constexpr std::array<OperationInfo, 16> kOperations{{
    {OperationId::Hello, "hello", 1, false},
    {OperationId::Hosts, "hosts", 1, false},
    {OperationId::Global, "global", 1, false},
    {OperationId::Connections, "connections", 1, false},
    {OperationId::History, "history", 1, false},
    {OperationId::Groups, "groups", 1, false},
    {OperationId::SetGroups, "set-groups", 1, true},
    {OperationId::Search, "search", 1, false},
    {OperationId::Rtp, "rtp", 1, false},
    {OperationId::Sip, "sip", 1, false},
    {OperationId::Calls, "calls", 1, false},
    {OperationId::LiveStart, "live-start", 1, false},
    {OperationId::LiveFetch, "live-fetch", 1, false},
    {OperationId::LiveStop, "live-stop", 1, false},
    {OperationId::LiveList, "live-list", 1, false},
    {OperationId::Audio, "audio", 1, false},
}};

/// The registry row for a name, or nullptr when the name is unknown. Thread: any.
constexpr const OperationInfo* findOperation(std::string_view name) {
  for (const auto& op : kOperations)
    if (op.name == name) return &op;
  return nullptr;
}

/// The registry row for an id, or nullptr. Thread: any.
constexpr const OperationInfo* findOperation(OperationId id) {
  for (const auto& op : kOperations)
    if (op.id == id) return &op;
  return nullptr;
}

/// Name of a registered operation ("" for an unknown id).
constexpr std::string_view operationName(OperationId id) {
  const OperationInfo* op = findOperation(id);
  return op ? op->name : std::string_view{};
}

/// PUB/SUB topics. Each publication is two frames: topic, body. Append only, like the
/// operations.
inline constexpr std::string_view kHostsTopic = "hosts";  ///< body: HostsDelta

}  // namespace netlens::protocol
