// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "shared/protocol/codec.h"
#include "shared/transport/keys.h"

namespace netlens::node::cli {

struct DownloadOptions {
  std::string out;                   ///< the file to write (format: pcap::formatForFileName)
  std::uint64_t limit = UINT64_MAX;  ///< packets over all pages and nodes
  std::uint64_t pageBytes = 4u << 20;
  std::int64_t dedupWindowNs = 10'000'000;
  std::chrono::seconds timeout{8};
};

/// `query URL... search --write OUT`: asks each node for its matching packets page by page
/// (a paged "search": one page per request, so the node sends only what was asked for) and
/// writes them to OUT.part, renamed to OUT when complete. One node and a ".pcap" name: the
/// packets as the node stores them. Otherwise merged in time order without the copies several
/// nodes saw (pcap::CaptureMerger): pcapng with one interface per node, or classic pcap for a
/// ".pcap" name.
/// Progress goes to stderr on a terminal. A failure keeps what arrived under OUT and prints
/// the resume token of each node that did not finish. Returns the exit code.
int downloadSearch(zmq::context_t& context, const std::vector<std::string>& urls,
                   const transport::KeyPair& keys, const protocol::Params& criteria,
                   const DownloadOptions& options);

}  // namespace netlens::node::cli
