// SPDX-License-Identifier: MIT
#include "node/service/live_captures.h"

#include <charconv>
#include <cstdio>
#include <vector>

#include "node/capture/bpf_filter.h"
#include "node/live/live_filter.h"
#include "node/pipeline/pipeline.h"
#include "shared/pcap/pcap_writer.h"

namespace netlens::node::service {

namespace {

protocol::TimeNs wallNow() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

protocol::Reply invalid(const protocol::Request& request, std::string message) {
  return protocol::makeErrorReply(request.requestId, request.operation,
                                  protocol::ErrorCode::InvalidArgument, std::move(message));
}

bool parseUint(const std::string& text, std::uint64_t* out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return !text.empty() && ec == std::errc{} && end == text.data() + text.size();
}

}  // namespace

LiveCaptures::LiveCaptures(std::shared_ptr<live::LiveTap> tap, const pipeline::Pipeline& pipeline,
                           std::chrono::steady_clock::duration idleTimeout)
    : m_tap(std::move(tap)), m_pipeline(pipeline), m_idleTimeout(idleTimeout) {}

LiveCaptures::~LiveCaptures() {
  if (m_tap)
    for (const auto& [id, entry] : m_captures) m_tap->remove(id);
}

protocol::Reply LiveCaptures::handle(const protocol::Request& request, const ClientIdentity& client,
                                     const net::IpGroupSet& groups) {
  // Ownership rests on the key: a connection without one (never admitted by our ZAP handler)
  // must not share captures with every other such connection.
  if (client.key.empty())
    return protocol::makeErrorReply(
        request.requestId, request.operation, protocol::ErrorCode::NotAuthorised,
        "this connection carries no client key; live captures need one");
  const auto* op = protocol::findOperation(request.operation);
  switch (op ? op->id : protocol::OperationId::Hello) {
    case protocol::OperationId::LiveStart:
      return start(request, client, groups);
    case protocol::OperationId::LiveFetch:
      return fetchOrStop(request, client, false);
    case protocol::OperationId::LiveStop:
      return fetchOrStop(request, client, true);
    case protocol::OperationId::LiveList:
      return list(request);
    default:
      return protocol::makeErrorReply(request.requestId, request.operation,
                                      protocol::ErrorCode::Internal, "not a live operation");
  }
}

protocol::Reply LiveCaptures::start(const protocol::Request& request, const ClientIdentity& client,
                                    const net::IpGroupSet& groups) {
  if (!m_tap) return invalid(request, "this node cannot run live captures");
  if (m_captures.size() >= protocol::kMaxLiveCaptures)
    return invalid(request, "this node already runs " + std::to_string(m_captures.size()) +
                                " live captures, its limit: stop one first (query URL captures "
                                "lists them)");
  live::LiveFilterSpec spec;
  std::string problem;
  if (!live::buildLiveFilter(request.params, groups, &spec, &problem))
    return invalid(request, problem);
  const std::vector<int>& linkTypes = m_pipeline.tapLinkTypes();
  if (linkTypes.empty()) return invalid(request, "this node has no capture source");
  // One link type per capture, so every chunk is one classic pcap: the first source's.
  const int linkType = linkTypes.front();
  std::vector<live::SourceFilters> filters;
  std::size_t skipped = 0;
  for (int type : linkTypes) {
    live::SourceFilters source;
    if (type != linkType) {
      filters.push_back(std::move(source));
      ++skipped;
      continue;
    }
    // One compiled program per source: each source runs on one capture thread.
    source.tapped = true;
    if (!spec.filter.empty() || spec.bytecode.empty()) {
      source.expression = capture::BpfFilter::compile(spec.filter, linkType, &problem);
      if (!source.expression)
        return invalid(request, problem +
                                    " — check the criteria and the bpf expression (tcpdump's "
                                    "syntax, as `tcpdump -d EXPRESSION` accepts it)");
    }
    if (!spec.bytecode.empty()) {
      source.bytecode = capture::BpfFilter::fromBytecode(spec.bytecode, &problem);
      if (!source.bytecode) return invalid(request, "parameter bpf-code: " + problem);
    }
    filters.push_back(std::move(source));
  }
  Entry entry;
  entry.owner = client;
  entry.info.id = m_nextId++;
  entry.info.filter = spec.filter;
  if (!spec.bytecode.empty())
    entry.info.filter += (spec.filter.empty() ? "" : " and ") + std::string("bpf-code");
  entry.info.startTime = wallNow();
  entry.info.startPacketTime = m_pipeline.packetTime();
  entry.info.linkType = static_cast<std::uint32_t>(linkType);
  entry.info.snapLength = spec.snapLength;
  entry.info.maxBytes = spec.maxBytes;
  if (skipped)
    entry.info.note = std::to_string(skipped) +
                      " source(s) of another link type are not tapped (a capture holds one "
                      "link type, the first source's)";
  entry.lastFetch = entry.info.startTime;
  entry.lastFetchSteady = std::chrono::steady_clock::now();
  entry.buffer = std::make_shared<live::LiveCaptureBuffer>(
      entry.info.id, linkType, std::move(filters), spec.snapLength, spec.maxBytes);
  m_tap->add(entry.buffer);
  std::fprintf(stderr, "netlens-node: live capture %llu started by %s (%s): filter \"%s\"\n",
               static_cast<unsigned long long>(entry.info.id), client.name().c_str(),
               std::string(transport::roleName(client.role)).c_str(), spec.filter.c_str());
  const std::string body = protocol::encodeBody(entry.info);
  m_captures.emplace(entry.info.id, std::move(entry));
  return protocol::makeReply(request, body);
}

protocol::LiveChunk LiveCaptures::chunkOf(Entry& entry, std::uint64_t maxBytes, bool* more) {
  protocol::LiveChunk chunk;
  chunk.id = entry.info.id;
  chunk.linkType = entry.info.linkType;
  const std::string records = entry.buffer->take(maxBytes, more);
  const live::LiveCounters c = entry.buffer->counters();
  chunk.packets = c.packets;
  chunk.bytes = c.bytes;
  chunk.dropped = c.dropped;
  chunk.more = *more;
  if (!records.empty()) {
    const auto header = pcap::PcapWriter::fileHeader(entry.info.linkType, entry.info.snapLength);
    chunk.pcap.reserve(header.size() + records.size());
    chunk.pcap.assign(reinterpret_cast<const char*>(header.data()), header.size());
    chunk.pcap += records;
  }
  return chunk;
}

protocol::Reply LiveCaptures::fetchOrStop(const protocol::Request& request,
                                          const ClientIdentity& client, bool stop) {
  std::uint64_t id = 0;
  // A fetch is bounded (the rest waits for the next one); a stop hands over everything.
  std::uint64_t maxBytes = stop ? UINT64_MAX : protocol::kDefaultLiveFetchBytes;
  for (const auto& [name, value] : request.params) {
    if (name == "id") {
      if (!parseUint(value, &id))
        return invalid(request, "parameter id: \"" + value + "\" is not a capture id");
    } else if (name == "max-bytes" && !stop) {
      if (!parseUint(value, &maxBytes) || maxBytes == 0)
        return invalid(request, "parameter max-bytes: \"" + value + "\" is not a size in bytes");
    } else {
      return invalid(request, "unknown parameter \"" + name + "\" (" + request.operation +
                                  " takes id" + (stop ? "" : " and max-bytes") + ")");
    }
  }
  if (!request.params.count("id")) return invalid(request, "parameter id is missing");
  auto it = m_captures.find(id);
  if (it == m_captures.end())
    return invalid(
        request, "no live capture " + std::to_string(id) +
                     " on this node (stopped, or removed after " +
                     std::to_string(
                         std::chrono::duration_cast<std::chrono::seconds>(m_idleTimeout).count()) +
                     " s without a fetch)");
  Entry& entry = it->second;
  if (entry.owner.key != client.key && client.role != transport::Role::Admin)
    return protocol::makeErrorReply(
        request.requestId, request.operation, protocol::ErrorCode::NotAuthorised,
        "live capture " + std::to_string(id) + " belongs to " + entry.owner.name() +
            ": only its owner or an admin may fetch or stop it");
  entry.lastFetch = wallNow();
  entry.lastFetchSteady = std::chrono::steady_clock::now();
  bool more = false;
  protocol::LiveChunk chunk = chunkOf(entry, maxBytes, &more);
  if (stop) {
    chunk.running = false;
    std::fprintf(stderr,
                 "netlens-node: live capture %llu of %s stopped by %s: %llu packets, %llu bytes, "
                 "%llu dropped\n",
                 static_cast<unsigned long long>(id), entry.owner.name().c_str(),
                 client.name().c_str(), static_cast<unsigned long long>(chunk.packets),
                 static_cast<unsigned long long>(chunk.bytes),
                 static_cast<unsigned long long>(chunk.dropped));
    remove(id);
  }
  return protocol::makeReply(request, protocol::encodeBody(chunk));
}

protocol::Reply LiveCaptures::list(const protocol::Request& request) const {
  if (!request.params.empty())
    return invalid(request, "unknown parameter \"" + request.params.begin()->first +
                                "\" (live-list takes none)");
  protocol::LiveCaptureList out;
  for (const auto& [id, entry] : m_captures) {
    const live::LiveCounters c = entry.buffer->counters();
    protocol::LiveCaptureInfo info;
    info.id = id;
    info.owner = entry.owner.name();
    info.role = std::string(transport::roleName(entry.owner.role));
    info.filter = entry.info.filter;
    info.startTime = entry.info.startTime;
    info.packets = c.packets;
    info.bytes = c.bytes;
    info.dropped = c.dropped;
    info.lastFetch = entry.lastFetch;
    info.bufferedBytes = c.bufferedBytes;
    out.captures.push_back(std::move(info));
  }
  return protocol::makeReply(request, protocol::encodeBody(out));
}

void LiveCaptures::remove(std::uint64_t id) {
  m_tap->remove(id);
  m_captures.erase(id);
}

void LiveCaptures::expireIdle() {
  const auto now = std::chrono::steady_clock::now();
  std::vector<std::uint64_t> idle;
  for (const auto& [id, entry] : m_captures)
    if (now - entry.lastFetchSteady > m_idleTimeout) idle.push_back(id);
  for (std::uint64_t id : idle) {
    const live::LiveCounters c = m_captures.at(id).buffer->counters();
    std::fprintf(stderr,
                 "netlens-node: live capture %llu of %s removed: not fetched for %lld s (%llu "
                 "packets, %llu dropped)\n",
                 static_cast<unsigned long long>(id), m_captures.at(id).owner.name().c_str(),
                 static_cast<long long>(
                     std::chrono::duration_cast<std::chrono::seconds>(m_idleTimeout).count()),
                 static_cast<unsigned long long>(c.packets),
                 static_cast<unsigned long long>(c.dropped));
    remove(id);
  }
}

}  // namespace netlens::node::service
