// SPDX-License-Identifier: MIT
// `ingest` and `search`: the packet store from the command line, offline.
#include <cstdio>
#include <filesystem>
#include <string>

#include "node/capture/pcap_source.h"
#include "node/cli/arguments.h"
#include "node/cli/commands.h"
#include "node/cli/report_json.h"
#include "node/cli/store_options.h"
#include "node/store/packet_store.h"
#include "node/store/search_request.h"
#include "shared/pcap/capture_merge.h"
#include "shared/pcap/pcap_writer.h"

namespace netlens::node::cli {

int ingestCommand(int argc, char** argv) {
  Arguments args({"-r", "--store", "--store-size", "--segment-size", "--store-filter"}, {});
  std::string error;
  if (!args.parse(argc, argv, 0, &error)) return fail(error + " (see netlens-node --help)");
  if (args.values("-r").empty()) return fail("ingest needs at least one -r FILE");
  store::StoreOptions options;
  if (!storeOptionsFrom(args, &options)) return 1;
  auto opened = store::PacketStore::open(options);
  if (!opened) return fail(opened.error());
  store::PacketStore& s = **opened;
  std::uint64_t packets = 0;
  for (const auto& file : args.values("-r")) {
    auto source = capture::PcapSource::openFile(file, &error);
    if (!source) return fail(error);
    s.setSource(std::filesystem::path(file).filename().string());  // the packets' source
    capture::RawPacket p;
    capture::ReadStatus status;
    while ((status = source->next(p)) == capture::ReadStatus::Packet) {
      if (auto st = s.append(p.timestampNs, p.data, p.capturedLength, p.wireLength,
                             static_cast<std::uint32_t>(p.linkType));
          !st)
        return fail(st.error());
      ++packets;
    }
    if (status == capture::ReadStatus::Error) {
      std::fprintf(stderr, "netlens-node: warning: %s (stored the packets before it)\n",
                   source->error().c_str());
    }
  }
  if (auto st = s.closeSegment(); !st) return fail(st.error());
  const store::Retention r = s.retention();
  packets -= s.filteredOut();
  if (s.filteredOut() != 0) {
    std::printf("left out %llu packets that do not match the store filter\n",
                static_cast<unsigned long long>(s.filteredOut()));
  }
  std::printf("stored %llu packets; the store holds %llu packets in %llu segments (%llu bytes)\n",
              static_cast<unsigned long long>(packets), static_cast<unsigned long long>(r.packets),
              static_cast<unsigned long long>(r.segments),
              static_cast<unsigned long long>(r.bytes));
  return 0;
}

namespace {

/// The packets of an offline search as pcapng with one interface per capture source, named
/// "STORE/SOURCE" after the store folder (as a running node's answer is "NODE/SOURCE"), so
/// that a store of several interfaces or files keeps where each packet came from. Written
/// through the merge of the console and `query` (a single input: only its re-order buffer
/// and file handling are used) to a temporary name, renamed when complete.
int writePcapng(store::PacketStore& store, const store::SearchRequest& request,
                const std::string& directory, const std::string& out) {
  std::string name = std::filesystem::path(directory).lexically_normal().filename().string();
  if (name.empty() || name == "." || name == "..")
    name = std::filesystem::absolute(directory).lexically_normal().filename().string();
  if (name.empty()) name = "store";
  pcap::MergeOptions mergeOptions;
  mergeOptions.format = pcap::CaptureFormat::Pcapng;
  mergeOptions.dedupWindowNs = 0;
  pcap::CaptureMerger merger(out, mergeOptions);
  std::string error;
  bool isOpen = false;
  const auto open = [&](std::uint32_t linkType) {
    std::vector<pcap::MergeInput> inputs;
    inputs.push_back(
        {name, "packet store search of " + directory, linkType, pcap::kDefaultSnapLength, true});
    isOpen = merger.open(std::move(inputs), &error);
    return isOpen;
  };
  std::uint64_t packets = 0;
  pcap::MergeSource source;
  auto st = store.search(request.criteria, [&](const store::StoredPacket& p) {
    if (!isOpen && !open(p.linkType)) return false;
    source.name.assign(p.source);
    source.linkType = p.linkType;
    ++packets;
    return merger.push(0, p.timestampNs, {p.data, p.capturedLength}, p.wireLength, &error, &source);
  });
  if (!st || !error.empty()) {
    if (isOpen) merger.discard();
    return fail(!st ? st.error() : error);
  }
  if (!isOpen && !open(pcap::kLinkTypeEthernet)) return fail(error);  // an empty result
  if (!merger.finishInput(0, &error) || !merger.finish(&error)) return fail(error);
  std::fprintf(stderr, "netlens-node: %llu packets written to %s\n",
               static_cast<unsigned long long>(packets), out.c_str());
  return 0;
}

}  // namespace

int searchCommand(int argc, char** argv) {
  Arguments args(withSearchCriteria({"--store", "--store-size", "--segment-size", "--write"}),
                 {"--list", "--per-session"});
  std::string error;
  if (!args.parse(argc, argv, 0, &error)) return fail(error + " (see netlens-node --help)");
  if (args.has("--write") == args.has("--list"))
    return fail("search needs --write OUT.pcap (the packets) or --list (the sessions)");
  store::StoreOptions options;
  if (!storeOptionsFrom(args, &options)) return 1;
  // A copied store may be bigger than the default ring: never delete anything here.
  options.maxBytes = UINT64_MAX;
  store::SearchRequest request;
  if (!store::parseSearchRequest(searchParamsFrom(args), &request, &error)) return fail(error);
  auto opened = store::PacketStore::open(options);
  if (!opened) return fail(opened.error());

  if (args.has("--list")) {
    // Offline there is no reply size to respect: every match is listed.
    request.limit = UINT64_MAX;
    protocol::SearchReply reply;
    if (!store::runSearch(**opened, request, &reply, &error)) return fail(error);
    const std::string text = searchJson(reply);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  const std::string out = args.value("--write");
  if (pcap::formatForFileName(out) == pcap::CaptureFormat::Pcapng)
    return writePcapng(**opened, request, options.folder, out);
  // Written as found, so a big answer never has to fit in memory; to OUT.part first, renamed
  // when complete, so that OUT is never a file cut short (as the console's downloads do).
  const std::string part = out + ".part";
  pcap::PcapWriter writer;
  std::uint64_t packets = 0;
  const auto failed = [&](const std::string& why) {
    if (writer.isOpen()) {
      std::string ignored;
      writer.close(&ignored);
    }
    std::error_code ec;
    std::filesystem::remove(part, ec);
    return fail(why);
  };
  auto st = (*opened)->search(request.criteria, [&](const store::StoredPacket& p) {
    if (!writer.isOpen() && !writer.open(part, p.linkType, pcap::kDefaultSnapLength, &error))
      return false;
    if (writer.linkType() != p.linkType) {
      error =
          "the matching packets have several link types; a pcap file holds one: narrow the "
          "search (e.g. --from/--to)";
      return false;
    }
    ++packets;
    return writer.writePacket(p.timestampNs, {p.data, p.capturedLength}, p.wireLength, &error);
  });
  if (!st) return failed(st.error());
  if (!error.empty()) return failed(error);
  if (!writer.isOpen() && !writer.open(part, &error)) return failed(error);  // an empty result
  if (!writer.close(&error)) return failed(error);
  std::error_code ec;
  std::filesystem::rename(part, out, ec);
  if (ec) return failed("cannot rename " + part + " to " + out + ": " + ec.message());
  std::fprintf(stderr, "netlens-node: %llu packets written to %s\n",
               static_cast<unsigned long long>(packets), out.c_str());
  return 0;
}

}  // namespace netlens::node::cli
