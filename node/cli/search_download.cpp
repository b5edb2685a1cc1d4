// SPDX-License-Identifier: MIT
// `query URL... search --write OUT`: a paged download of matching packets from one or more
// nodes, written as it arrives.
#include "node/cli/search_download.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "node/cli/arguments.h"
#include "shared/pcap/capture_merge.h"
#include "shared/pcap/pcap_writer.h"
#include "shared/transport/connection_string.h"
#include "shared/transport/control_client.h"

namespace netlens::node::cli {

namespace {

/// One node's side of a download: its connection and where its next page starts.
struct NodeFeed {
  std::string url;
  std::string name;
  std::unique_ptr<transport::ControlClient> client;
  std::string after;  // resume token of the next page ("" before the first)
  bool started = false;
  bool done = false;
  std::uint64_t packets = 0;
  std::uint64_t estimated = 0;  // packets of the whole answer, an upper bound
  std::uint32_t linkType = pcap::kLinkTypeEthernet;
};

/// Connects and learns the node's name (for messages and pcapng interface names).
bool connect(zmq::context_t& context, const transport::KeyPair& keys,
             const DownloadOptions& options, NodeFeed* feed, std::string* error) {
  auto server = transport::ConnectionString::parse(feed->url);
  if (!server) {
    *error = server.error();
    return false;
  }
  feed->client = std::make_unique<transport::ControlClient>(context, *server, keys);
  auto hello = feed->client->request("hello", {}, options.timeout);
  if (!hello) {
    *error = feed->url + ": " + hello.failure().message;
    return false;
  }
  if (hello.reply().isError()) {
    *error = feed->url + " answered with an error: " + hello.reply().error->message;
    return false;
  }
  auto info = protocol::decodeBody<protocol::Hello>(hello.reply().body);
  if (!info) {
    *error = "bad reply from " + feed->url + ": " + info.error();
    return false;
  }
  feed->name = info->nodeName;
  return true;
}

/// Asks `feed`'s node for its next page of at most `pageLimit` packets.
bool fetchPage(NodeFeed& feed, const protocol::Params& criteria, const DownloadOptions& options,
               std::uint64_t pageLimit, protocol::SearchReply* page, std::string* error) {
  protocol::Params params = criteria;
  params["mode"] = "packets";
  params["chunk-bytes"] = std::to_string(options.pageBytes);
  params["limit"] = std::to_string(pageLimit);
  if (!feed.after.empty()) params["after"] = feed.after;
  auto result = feed.client->request("search", params, options.timeout);
  if (!result) {
    *error = feed.name + ": " + result.failure().message;
    return false;
  }
  if (result.reply().isError()) {
    *error = feed.name + " answered with an error: " + result.reply().error->message;
    return false;
  }
  auto found = protocol::decodeBody<protocol::SearchReply>(result.reply().body);
  if (!found) {
    *error = "bad reply from " + feed.name + ": " + found.error();
    return false;
  }
  *page = std::move(*found);
  if (!page->resume.empty() && (page->resume == feed.after || page->packets == 0)) {
    *error = feed.name + " sent a page that does not advance (resume token " + page->resume +
             "): stopped rather than ask forever";
    return false;
  }
  if (!page->pcap.empty()) {
    if (feed.started && page->linkType != feed.linkType) {
      *error = feed.name +
               ": the matching packets have several link types, which one download cannot "
               "hold yet: narrow the search (e.g. by time) and download each part";
      return false;
    }
    feed.linkType = page->linkType;
  }
  feed.started = true;
  feed.estimated = feed.packets + page->estimatedPackets;
  feed.packets += page->packets;
  feed.after = page->resume;
  feed.done = page->resume.empty();
  return true;
}

class Progress {
 public:
  Progress() : m_terminal(::isatty(STDERR_FILENO) == 1) {}
  void show(const std::vector<NodeFeed>& feeds, std::uint64_t bytes) {
    if (!m_terminal) return;
    std::uint64_t packets = 0;
    std::uint64_t estimated = 0;
    for (const auto& f : feeds) {
      packets += f.packets;
      estimated += f.done ? f.packets : f.estimated;
    }
    std::fprintf(stderr, "\rnetlens-node: %llu of about %llu packets, %.1f MB ",
                 static_cast<unsigned long long>(packets),
                 static_cast<unsigned long long>(std::max(estimated, packets)),
                 static_cast<double>(bytes) / 1e6);
    m_shown = true;
  }
  void end() {
    if (m_shown) std::fputc('\n', stderr);
    m_shown = false;
  }

 private:
  bool m_terminal;
  bool m_shown = false;
};

/// What to tell the user when a download stops early: what was kept, how to go on.
int stopped(const std::string& error, const std::vector<NodeFeed>& feeds, const std::string& out) {
  std::string resume;
  for (const auto& f : feeds) {
    if (f.done || !f.started) continue;
    resume += "\n  " + f.name + ": --after " + f.after;
  }
  std::fprintf(stderr, "netlens-node: %s\n", error.c_str());
  if (!resume.empty()) {
    std::fprintf(stderr,
                 "netlens-node: what arrived is kept in %s; the rest starts at%s\n"
                 "(repeat the query, one node at a time, with that --after and another --write)\n",
                 out.c_str(), resume.c_str());
  }
  return 1;
}

/// The page limit that keeps the whole download within options.limit.
std::uint64_t pageLimit(const std::vector<NodeFeed>& feeds, const DownloadOptions& options) {
  std::uint64_t total = 0;
  for (const auto& f : feeds) total += f.packets;
  const std::uint64_t left = options.limit > total ? options.limit - total : 0;
  return std::min(left, protocol::kMaxSearchPackets);
}

bool limitReached(std::vector<NodeFeed>& feeds, const DownloadOptions& options) {
  if (pageLimit(feeds, options) != 0) return false;
  std::string rest;
  for (auto& f : feeds) {
    if (!f.done) rest += "\n  " + f.name + ": --after " + f.after;
    f.done = true;
  }
  if (!rest.empty()) {
    std::fprintf(stderr,
                 "netlens-node: warning: stopped at --limit %llu packets; more matched (narrow "
                 "the search or raise --limit); the rest starts at%s\n",
                 static_cast<unsigned long long>(options.limit), rest.c_str());
  }
  return true;
}

/// One node, classic pcap: the pages' packets written as they come, in the node's order.
int downloadOne(NodeFeed& feed, std::vector<NodeFeed>& feeds, const protocol::Params& criteria,
                const DownloadOptions& options) {
  const std::string part = options.out + ".part";
  const int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd >= 0 && ::fchmod(fd, 0600) != 0) {  // an old .part may have had another mode
    ::close(fd);
    return fail("cannot make " + part + " private: " + std::strerror(errno));
  }
  if (fd < 0) {
    return fail("cannot create " + part + ": " + std::strerror(errno) +
                " (choose a folder you can write to)");
  }
  std::FILE* file = ::fdopen(fd, "wb");
  if (file == nullptr) {
    ::close(fd);
    return fail("cannot open " + part + ": " + std::strerror(errno));
  }
  std::uint64_t bytes = 0;
  Progress progress;
  std::string error;
  bool ok = true;
  while (!feed.done && !limitReached(feeds, options)) {
    protocol::SearchReply page;
    const std::string afterBefore = feed.after;
    const std::uint64_t packetsBefore = feed.packets;
    if (!fetchPage(feed, criteria, options, pageLimit(feeds, options), &page, &error)) {
      ok = false;
      break;
    }
    // Every page is a pcap file of its own: the file header is written once.
    const std::size_t skip = bytes == 0 ? 0 : std::min(page.pcap.size(), pcap::kFileHeaderSize);
    const std::size_t size = page.pcap.size() - skip;
    if (size != 0 && std::fwrite(page.pcap.data() + skip, 1, size, file) != size) {
      error = "cannot write " + part + ": " + std::strerror(errno) + " (is the disk full?)";
      // The page is not in the file: the resume token points before it.
      feed.after = afterBefore;
      feed.packets = packetsBefore;
      feed.done = false;
      ok = false;
      break;
    }
    bytes += size;
    progress.show(feeds, bytes);
  }
  progress.end();
  if (ok && bytes == 0) {  // nothing matched: still a valid, empty pcap file
    const auto header =
        pcap::PcapWriter::fileHeader(pcap::kLinkTypeEthernet, pcap::kDefaultSnapLength);
    if (std::fwrite(header.data(), 1, header.size(), file) != header.size()) {
      error = "cannot write " + part + ": " + std::strerror(errno);
      ok = false;
    }
  }
  const bool closed = std::fflush(file) == 0 && ::fsync(::fileno(file)) == 0;
  std::fclose(file);
  if (!closed && ok) {
    error = "cannot write " + part + ": " + std::strerror(errno);
    ok = false;
  }
  std::error_code ec;
  std::filesystem::rename(part, options.out, ec);
  if (ec) return fail("cannot rename " + part + " to " + options.out + ": " + ec.message());
  if (!ok) return stopped(error, feeds, options.out);
  std::fprintf(stderr, "netlens-node: %llu packets written to %s\n",
               static_cast<unsigned long long>(feed.packets), options.out.c_str());
  return 0;
}

/// Several nodes (or pcapng): every node's pages merged; a node is asked for its next page
/// only while the merge waits for it, so memory stays at about a page per node.
int downloadMerged(std::vector<NodeFeed>& feeds, const protocol::Params& criteria,
                   const DownloadOptions& options) {
  std::string error;
  // First pages first: the interfaces need each node's link type.
  std::vector<protocol::SearchReply> first(feeds.size());
  for (std::size_t i = 0; i < feeds.size(); ++i) {
    if (limitReached(feeds, options)) break;
    if (!fetchPage(feeds[i], criteria, options, pageLimit(feeds, options), &first[i], &error))
      return fail(error);
  }
  pcap::MergeOptions mergeOptions;
  mergeOptions.format = pcap::formatForFileName(options.out);
  mergeOptions.dedupWindowNs = options.dedupWindowNs;
  // A node without packets (none matched, or the limit came first) takes the link type of
  // one that has some: it adds no packet, and classic pcap needs one link type.
  std::uint32_t anyLinkType = pcap::kLinkTypeEthernet;
  for (std::size_t i = 0; i < feeds.size(); ++i) {
    if (!first[i].pcap.empty()) {
      anyLinkType = feeds[i].linkType;
      break;
    }
  }
  for (std::size_t i = 0; i < feeds.size(); ++i) {
    if (first[i].pcap.empty()) feeds[i].linkType = anyLinkType;
  }
  std::vector<pcap::MergeInput> inputs;
  for (const auto& f : feeds) {
    // One pcapng interface per node and capture source ("node/eth0").
    inputs.push_back({f.name, "packet store search of " + f.name + " (" + f.url.substr(0, 40) + ")",
                      f.linkType, pcap::kDefaultSnapLength, true});
  }
  pcap::CaptureMerger merger(options.out, mergeOptions);
  if (!merger.open(std::move(inputs), &error)) return fail(error);
  Progress progress;
  const auto give = [&](std::size_t i, protocol::SearchReply& page) {
    std::vector<pcap::MergeSource> sources;
    for (const auto& s : page.sources) sources.push_back({s.name, s.linkType});
    if (!page.pcap.empty() &&
        !merger.pushPcapBytes(i, page.pcap, &error, sources, page.packetSources))
      return false;
    page.pcap.clear();
    return !feeds[i].done || merger.finishInput(i, &error);
  };
  bool ok = true;
  for (std::size_t i = 0; i < feeds.size() && ok; ++i) ok = give(i, first[i]);
  first.clear();
  while (ok) {
    if (limitReached(feeds, options)) {
      for (std::size_t i = 0; i < feeds.size() && ok; ++i) ok = merger.finishInput(i, &error);
      break;
    }
    bool asked = false;
    for (std::size_t i = 0; i < feeds.size() && ok; ++i) {
      if (feeds[i].done || !merger.wants(i)) continue;
      protocol::SearchReply page;
      ok = fetchPage(feeds[i], criteria, options, pageLimit(feeds, options), &page, &error) &&
           give(i, page);
      asked = true;
      progress.show(feeds, merger.bytesWritten());
    }
    if (!asked) break;  // every node done
  }
  progress.end();
  if (!ok) {
    std::string ignored;
    merger.abandon(&ignored);
    return stopped(error, feeds, options.out);
  }
  if (!merger.finish(&error)) return fail(error);
  const auto& c = merger.counters();
  std::fprintf(stderr,
               "netlens-node: %llu packets from %zu nodes written to %s (%llu copies seen by "
               "more than one node left out)\n",
               static_cast<unsigned long long>(c.packetsWritten), feeds.size(), options.out.c_str(),
               static_cast<unsigned long long>(c.duplicatesDropped));
  if (c.writtenOutOfOrder != 0) {
    std::fprintf(stderr,
                 "netlens-node: warning: %llu packets came too late for time order and were "
                 "written where they arrived\n",
                 static_cast<unsigned long long>(c.writtenOutOfOrder));
  }
  return 0;
}

}  // namespace

int downloadSearch(zmq::context_t& context, const std::vector<std::string>& urls,
                   const transport::KeyPair& keys, const protocol::Params& criteria,
                   const DownloadOptions& options) {
  std::vector<NodeFeed> feeds(urls.size());
  std::string error;
  for (std::size_t i = 0; i < urls.size(); ++i) {
    feeds[i].url = urls[i];
    if (!connect(context, keys, options, &feeds[i], &error)) return fail(error);
  }
  // A resume token names a position in one node's ring.
  if (criteria.count("after") != 0 && feeds.size() > 1)
    return fail("--after continues one node's download: give one URL");
  if (auto it = criteria.find("after"); it != criteria.end()) feeds[0].after = it->second;
  if (feeds.size() == 1 && pcap::formatForFileName(options.out) == pcap::CaptureFormat::Pcap)
    return downloadOne(feeds[0], feeds, criteria, options);
  return downloadMerged(feeds, criteria, options);
}

}  // namespace netlens::node::cli
