// SPDX-License-Identifier: MIT
#pragma once

// The wire encoding of the control protocol and of publications. Everything here speaks
// byte buffers (std::string / std::string_view) and the plain structs of messages.h; the
// msgpack headers stay inside shared/protocol/codec_*.cpp so Qt code never sees them.
//
// ENVELOPE (one ZeroMQ frame, a msgpack map with short string keys):
//   request: {"v": uint version, "id": uint64 request id, "op": str, "p": {str: str|bin}}
//   reply:   {"v": ..., "id": <request id echoed>, "op": <echoed>, "body": bin}
//        or  {"v": ..., "id": ..., "op": ..., "err": [uint code, str message]}
// "body" is a msgpack `bin` holding the separately encoded body (see encodeBody), so the
// envelope can be read without touching a 50 MB host table and the body can be handed to
// another thread as bytes. Unknown envelope keys are ignored (forward compatibility).
//
// BODIES are msgpack arrays with positional fields, fastest to encode and decode for big
// tables (no per-field keys). Layouts, in order (decoders ignore extra trailing elements,
// so fields may only ever be APPENDED):
//   IpAddress   bin(4) or bin(16); bin(0) = none
//   MacAddress  6 raw bytes (a list of MACs is one bin of 6·n bytes)
//   HostRecord  [ip, txPackets, txBytes, rxPackets, rxBytes, tcpPackets, udpPackets,
//                firstSeen, firstRecent, lastSeen, packetsPerSecond(float64),
//                bitsPerSecond(float64), macs(bin 6·n), vlans([uint16...]),
//                group(str, "" = none; absent from older nodes),
//                names([str...], ≤ kMaxHostNames; absent from older nodes), country,
//                macVendors[str...], tcpPayloadBytes, tcpRetransPackets, tcpRetransBytes]
//                (everything after vlans appended; absent from older nodes)
//   SourceInfo  [name, kind, linkType, linkTypeName, packets, captureDrops, queueDrops,
//                finished(bool), error]
//   GlobalStats [packets, bytes, ipv4Packets, ipv4Bytes, ipv6Packets, ipv6Bytes,
//                nonIpPackets, nonIpBytes, tcpPackets, udpPackets, icmpPackets,
//                otherPackets, ipv4Fragments, malformed{str: uint}, sources[SourceInfo...],
//                firstPacket, lastPacket, packetsPerSecond, bitsPerSecond, hostCount,
//                storeBytes, storeMaxBytes, storePackets, storeDrops, storeOldest,
//                storeNewest, hostsEvicted, hostsEvictedUpTo, connectionsEvicted,
//                connectionsEvictedUpTo, sctpPackets, grePackets] (the store, eviction and
//                SCTP/GRE fields appended)
//   Hello       [nodeName, version, protocolVersion, role, publisherPort, sources[...],
//                inactivityGapNs(int64, 1 ns to 366 days; absent from older nodes: 300 s),
//                analysesOff[str...] (absent from older nodes: none)]
//   HostsSnapshot [sequence, hosts[HostRecord...], epoch]
//   HostsDelta  [sequence, packetTime, changed[HostRecord...], removed[IpAddress...],
//                global GlobalStats, epoch]
//   ErrorReply  [code, message]
//   TcpDirectionStats [retransmissions, fastRetransmissions, spuriousRetransmissions,
//                outOfOrder, retransmittedBytes, maxWindow, windowScale(int, -1 to 14),
//                windowFull, zeroWindow, scaleNegotiated(bool: -1 above means "no scaling")]
//                (the last three appended; absent from older nodes)
//   ConnectionRecord [protocol, clientIp, clientPort, serverIp, serverPort, vlan(int),
//                firstSeen, lastSeen, c2sPackets, c2sBytes, s2cPackets, s2cBytes,
//                c2sBitsPerSecond, s2cBitsPerSecond, c2sTcp, s2cTcp, handshakeServerNs,
//                handshakeClientNs, state, app, responseTime, tls|nil, http|nil]
//   ResponseTimeStats [count, minNs, maxNs, meanNs(float64), stddevNs(float64)]
//   TlsInfo     [serverName, alpn, offeredVersions[uint16...], offeredCiphers[uint16...],
//                version, cipher, helloNs, firstDataNs]
//   HttpInfo    [method, host, url, userAgent, status, contentType, requests,
//                statusFamilies[5 uint], responseTime]
//   ConnectionList [packetTime, total, connections[ConnectionRecord...]]
//   GroupDefinition [name(str 1-64 bytes), prefixes[str...] (≤ kMaxPrefixesPerGroup)]
//   GroupDefinitions [groups[GroupDefinition...] (≤ kMaxGroupsLimit)]
//   GroupRecord [name, prefixes[str...], memberCount, txPackets, txBytes, rxPackets, rxBytes,
//                tcpPackets, udpPackets, firstSeen, lastSeen, packetsPerSecond,
//                bitsPerSecond, members[IpAddress...] (≤ memberCount), tcpPayloadBytes,
//                tcpRetransPackets, tcpRetransBytes (the last three appended)]
//   GroupList   [packetTime, maxGroups(1-65535), groups[GroupRecord...]]
//   HistoryReply [series, resolutionNs, names[str...], buckets[[start, [uint...]]...],
//                packetTime, complete(bool)]; every bucket has one value per name (1 to
//                256 names), starts strictly increase
//   SearchSession [protocol, a(IpAddress), aPort, b(IpAddress), bPort, packets, bytes,
//                firstSeen, lastSeen, sources[str...]] (sources appended: absent from
//                older nodes)
//   SearchReply [packets, packetsRead, truncated(bool), sessions[SearchSession...],
//                linkType, pcap(bin), resume, estimatedPackets,
//                sources[[name, linkType]...], packetSources[uint < len(sources)...],
//                sessionScanRead, sessionScanEstimate]
//                (the last six appended, in two steps: absent from older nodes)
//   MediaCodec  [payloadType(0-127), encoding, clockRate]
//   CallMedia   [type, address, port, codecs[MediaCodec...]]
//   RtpSecond   [packets, lost, discards(≤ packets), maxJitterMs, mos(float64 1-4.5|nil)]
//   RtpStreamRecord [ssrc, srcIp, srcPort, dstIp, dstPort, payloadType, payloadTypes(bin),
//                codec, clockRate, packets, expected(int), lost(int), sequenceErrors,
//                duplicates, maxDeltaMs, maxJitterMs, meanJitterMs, firstSeen, lastSeen,
//                announced(bool), callId, mos|nil, rFactor|nil, ieEff|nil, burstRatio(≥ 1),
//                effectiveLossPercent(0-100), jitterBufferDiscards(≤ packets),
//                jitterBufferDelayMs, delayMs, captureLost, packetMs, lossRuns, runLost,
//                seriesStart, series[RtpSecond...] (≤ 86 400)] (gaps are never sent)
//   RtpStreamList [packetTime, streams[RtpStreamRecord...]]
//   SipCounters [messages, malformed, methods[[str, uint]...], responses[[code, uint]...],
//                perIp[[ip, sentMethods, receivedMethods, sentResponses,
//                receivedResponses]...], perIpDropped]; codes 100-699, keys unique
//   SipStatistics [packetTime, SipCounters]
//   SipTransaction [method, cseq, requestTime, finalCode(0 or 100-699), finalTime,
//                firstResponseNs, retransmissions]
//   CallDirectionQuality [srcIp(str), ssrcs[uint32...], mos|nil]
//   CallRecord  [callId, from, to, state, start, answered, ended, lastSeen, setupNs|nil,
//                durationNs|nil, counters SipCounters, transactions[...], media[CallMedia...],
//                ssrcs[uint32...], directions[CallDirectionQuality...],
//                messages[SipMessageRecord...] (≤ 256), messagesOmitted] (the last two
//                appended; absent from older nodes)
//   SipMessageRecord [time, srcIp, srcPort, dstIp, dstPort, transport(IP protocol),
//                isRequest(bool), method, requestUri, statusCode(0 for a request, else
//                100-699), reason, cseq, cseqMethod, sdp(≤ 4096 bytes), sdpOmittedBytes]
//   CallList    [packetTime, calls[CallRecord...]]
//   LiveCapture [id, filter, startTime, startPacketTime, linkType, snapLength, maxBytes, note]
//   LiveChunk   [id, packets, bytes, dropped, running(bool), linkType, pcap(bin: empty or a
//                whole classic pcap file, at least its 24-byte header), more(bool)]
//   LiveCaptureInfo [id, owner, role("viewer"|"admin"), filter, startTime, packets, bytes,
//                dropped, lastFetch, bufferedBytes]
//   LiveCaptureList [captures[LiveCaptureInfo...] (ids unique)]
//   AudioStream [ssrc, srcIp, srcPort, dstIp, dstPort, payloadType(0-127), payloadTypes(bin),
//                codec, clockRate, packets, firstSeen, lastSeen]
//   AudioPacket [stream(index into streams), arrival, sequence(uint16), timestamp(uint32),
//                payloadType(0-127), marker(bool), payload(bin)]
//   AudioChunk  [callId, streams[AudioStream...], callerMediaAddress, callerMediaPort,
//                packets[AudioPacket...], resume, estimatedPackets]
//
// SECURITY: every byte decoded here may come from an authenticated but hostile or buggy
// peer. Decoders never throw, never trust lengths (msgpack limits are derived from the
// buffer size, so a 10-byte message cannot claim a 4-billion-element array), check every
// type and range, and return a message naming the field that was wrong.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "shared/protocol/messages.h"
#include "shared/protocol/operation.h"
#include "shared/protocol/result.h"

namespace netlens::protocol {

/// Request parameters: name → value. Values are byte strings (text, decimal numbers,
/// filter expressions, or raw bytes such as BPF bytecode); each operation documents its
/// parameters and validates them itself. The three initial operations take none.
using Params = std::map<std::string, std::string>;

/// A decoded or to-be-encoded control request.
struct Request {
  std::uint32_t version = kProtocolVersion;
  std::uint64_t requestId = 0;  ///< chosen by the client, echoed in the reply
  std::string operation;        ///< a name from kOperations
  Params params;
};

/// A decoded or to-be-encoded control reply: a body or an error, never both.
struct Reply {
  std::uint32_t version = kProtocolVersion;
  std::uint64_t requestId = 0;
  std::string operation;
  std::string body;                 ///< encodeBody() bytes; empty when `error` is set
  std::optional<ErrorReply> error;  ///< set for error replies
  bool isError() const { return error.has_value(); }
};

/// Encodes a request envelope. Thread: any (pure).
std::string encodeRequest(const Request& request);

/// Decodes and validates a request envelope: well-formed msgpack, a map with "v", "id",
/// "op" of the right types, version == kProtocolVersion, operation present in the registry,
/// params (if present) a map of string → string/bin. On failure the message says what was
/// wrong; `errorCodeOut` (if given) receives the ErrorCode to reply with (BadRequest,
/// UnsupportedVersion or UnknownOperation) and `requestIdOut` the request id if it could
/// be read (so the error reply can still be matched by the client). Never throws.
Result<Request> decodeRequest(std::string_view bytes, ErrorCode* errorCodeOut = nullptr,
                              std::uint64_t* requestIdOut = nullptr);

/// Encodes a reply envelope. Thread: any (pure).
std::string encodeReply(const Reply& reply);

/// Decodes and validates a reply envelope (version must equal kProtocolVersion; the body is
/// not decoded — use decodeBody on Reply::body). Never throws.
Result<Reply> decodeReply(std::string_view bytes);

/// Convenience for the node: a success reply to `request` carrying `body` (from encodeBody).
Reply makeReply(const Request& request, std::string body);
/// Convenience for the node: an error reply to the request with id `requestId`.
Reply makeErrorReply(std::uint64_t requestId, std::string_view operation, ErrorCode code,
                     std::string message);

/// Human name of an error code ("bad request", "unknown operation", ...).
std::string_view errorCodeName(ErrorCode code);

// ---- bodies ------------------------------------------------------------------------------
/// Encode a body (layouts above). Thread: any (pure). Encoding 500 000 HostRecords takes
/// well under a second (see tst_protocol_bodies' largeSnapshot).
std::string encodeBody(const HostRecord& value);
std::string encodeBody(const SourceInfo& value);
std::string encodeBody(const GlobalStats& value);
std::string encodeBody(const Hello& value);
std::string encodeBody(const HostsSnapshot& value);
std::string encodeBody(const HostsDelta& value);
std::string encodeBody(const ErrorReply& value);
std::string encodeBody(const ConnectionList& value);
std::string encodeBody(const GroupDefinitions& value);
std::string encodeBody(const GroupList& value);
std::string encodeBody(const HistoryReply& value);
std::string encodeBody(const SearchReply& value);
std::string encodeBody(const RtpStreamList& value);
std::string encodeBody(const SipStatistics& value);
std::string encodeBody(const CallList& value);
std::string encodeBody(const LiveCapture& value);
std::string encodeBody(const LiveChunk& value);
std::string encodeBody(const LiveCaptureList& value);
std::string encodeBody(const AudioChunk& value);

/// Decode and validate a body; T is one of the structs above (other types fail to link).
/// Never throws; errors name the offending field, e.g.
/// "HostsSnapshot.hosts[3].ip: expected 4 or 16 bytes, got 5".
template <class T>
Result<T> decodeBody(std::string_view bytes);

extern template Result<HostRecord> decodeBody<HostRecord>(std::string_view);
extern template Result<SourceInfo> decodeBody<SourceInfo>(std::string_view);
extern template Result<GlobalStats> decodeBody<GlobalStats>(std::string_view);
extern template Result<Hello> decodeBody<Hello>(std::string_view);
extern template Result<HostsSnapshot> decodeBody<HostsSnapshot>(std::string_view);
extern template Result<HostsDelta> decodeBody<HostsDelta>(std::string_view);
extern template Result<ErrorReply> decodeBody<ErrorReply>(std::string_view);
extern template Result<ConnectionList> decodeBody<ConnectionList>(std::string_view);
extern template Result<GroupDefinitions> decodeBody<GroupDefinitions>(std::string_view);
extern template Result<GroupList> decodeBody<GroupList>(std::string_view);
extern template Result<HistoryReply> decodeBody<HistoryReply>(std::string_view);
extern template Result<SearchReply> decodeBody<SearchReply>(std::string_view);
extern template Result<RtpStreamList> decodeBody<RtpStreamList>(std::string_view);
extern template Result<SipStatistics> decodeBody<SipStatistics>(std::string_view);
extern template Result<CallList> decodeBody<CallList>(std::string_view);
extern template Result<LiveCapture> decodeBody<LiveCapture>(std::string_view);
extern template Result<LiveChunk> decodeBody<LiveChunk>(std::string_view);
extern template Result<LiveCaptureList> decodeBody<LiveCaptureList>(std::string_view);
extern template Result<AudioChunk> decodeBody<AudioChunk>(std::string_view);

}  // namespace netlens::protocol
