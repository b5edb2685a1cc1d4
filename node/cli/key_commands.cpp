// SPDX-License-Identifier: MIT
// keygen, authorize, connection-string, query: the commands around keys and connections.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <zmq.hpp>

#include "node/cli/arguments.h"
#include "node/cli/audio_query.h"
#include "node/cli/commands.h"
#include "node/cli/live_query.h"
#include "node/cli/report_json.h"
#include "node/cli/search_download.h"
#include "node/cli/state_dir.h"
#include "node/cli/store_options.h"
#include "node/cli/voip_json.h"
#include "shared/net/ip_groups.h"
#include "shared/pcap/capture_merge.h"
#include "shared/pcap/pcap_writer.h"
#include "shared/protocol/codec.h"
#include "shared/transport/authorized_keys.h"
#include "shared/transport/connection_string.h"
#include "shared/transport/control_client.h"
#include "shared/transport/keys.h"

namespace netlens::node::cli {
int keygenCommand(int argc, char** argv) {
  Arguments args({"--out"}, {"--force"});
  std::string error;
  if (!args.parse(argc, argv, 0, &error)) return fail(error);
  const std::filesystem::path out = args.value("--out", defaultClientKeyFile().string());
  if (std::filesystem::exists(out) && !args.has("--force")) {
    return fail(out.string() + " exists; keep it, or replace it with --force");
  }
  auto keys = transport::generateKeyPair();
  if (!keys) return fail(keys.error());
  if (auto st = transport::saveKeyPair(out, *keys); !st) return fail(st.error());
  std::printf("%s\n", keys->publicKey.c_str());
  std::fprintf(stderr, "netlens-node: key pair written to %s (mode 0600)\n", out.c_str());
  return 0;
}

int authorizeCommand(int argc, char** argv) {
  Arguments args({"--role", "--comment", "--state"}, {});
  std::string error;
  // A Z85 key may begin with '-' (about one key in 85): a first argument that is a
  // well-formed key is the key, whatever its first character. `--` works as well.
  int first = 0;
  std::string leadingKey;
  if (argc > 0 && transport::isValidZ85Key(argv[0])) {
    leadingKey = argv[0];
    first = 1;
  }
  if (!args.parse(argc, argv, first, &error)) return fail(error);
  if (args.positional().size() + (leadingKey.empty() ? 0 : 1) != 1) {
    return fail("usage: netlens-node authorize PUBKEY --role viewer|admin [--state DIR]");
  }
  const std::string key = leadingKey.empty() ? args.positional()[0] : leadingKey;
  if (auto why = transport::checkZ85Key(key); !why.empty()) {
    return fail("bad key \"" + key + "\": " + why +
                "; paste the 40-character public key the console shows");
  }
  auto role = transport::parseRole(args.value("--role"));
  if (!role) return fail("--role takes viewer or admin");
  const std::filesystem::path state = args.value("--state", defaultStateDir().string());
  if (auto st = transport::ensurePrivateFolder(state); !st) return fail(st.error());
  const auto file = authorizedKeysFile(state);
  transport::AuthorizedKeys keys;
  if (std::filesystem::exists(file)) {
    auto loaded = transport::AuthorizedKeys::load(file);
    if (!loaded) return fail(loaded.error());
    keys = std::move(*loaded);
  }
  keys.add({key, *role, args.value("--comment", "added by netlens-node authorize")});
  if (auto st = keys.save(file); !st) return fail(st.error());
  std::fprintf(stderr, "netlens-node: %s authorised as %s in %s\n",
               transport::keyFingerprint(key).c_str(),
               std::string(transport::roleName(*role)).c_str(), file.c_str());
  return 0;
}

int connectionStringCommand(int argc, char** argv) {
  Arguments args({"--state", "--host", "--port"}, {});
  std::string error;
  if (!args.parse(argc, argv, 0, &error)) return fail(error);
  const std::filesystem::path state = args.value("--state", defaultStateDir().string());
  // Never create a key here: a mistyped --state would print a string for a node that does
  // not exist.
  if (!std::filesystem::exists(nodeKeyFile(state))) {
    return fail("no node key in " + state.string() + ": start `netlens-node run --state " +
                state.string() + "` once, or give the --state folder of the node");
  }
  auto keys = transport::loadKeyPair(nodeKeyFile(state));
  if (!keys) return fail(keys.error());
  std::string host, port = "7400";
  if (std::ifstream in(listenFile(state)); in) in >> host >> port;
  if (host.empty() || host == "0.0.0.0" || host == "::") {
    char buf[256] = {};
    host = gethostname(buf, sizeof buf - 1) == 0 && buf[0] ? buf : "localhost";
  }
  host = args.value("--host", host);
  port = args.value("--port", port);
  long long n = 0;
  if (!parseInteger(port, 1, 65534, &n)) return fail("--port takes 1 to 65534");
  transport::ConnectionString cs;
  cs.host = host;
  cs.port = static_cast<std::uint16_t>(n);
  cs.serverKey = keys->publicKey;
  std::printf("%s\n", cs.toString().c_str());
  return 0;
}

namespace {

/// `query URL ip --ip X`: the address's host record ("hosts") and its connections
/// ("connections" with ip=X, up to --limit or the node's maximum), reported as `analyze
/// --json ip` reports them.
int queryIp(transport::ControlClient& client, protocol::Params params,
            std::chrono::milliseconds timeout) {
  const auto ip = net::IpAddress::parse(params["ip"]);
  if (!ip) return fail("\"" + params["ip"] + "\" is not an IPv4 or IPv6 address");
  if (!params.count("limit")) params["limit"] = std::to_string(protocol::kMaxConnectionLimit);
  auto hosts = client.request("hosts", {}, timeout);
  if (!hosts) return fail(hosts.failure().message);
  if (hosts.reply().isError())
    return fail("the node answered with an error: " + hosts.reply().error->message);
  auto snapshot = protocol::decodeBody<protocol::HostsSnapshot>(hosts.reply().body);
  if (!snapshot) return fail("bad reply from the node: " + snapshot.error());
  auto connections = client.request("connections", params, timeout);
  if (!connections) return fail(connections.failure().message);
  if (connections.reply().isError())
    return fail("the node answered with an error: " + connections.reply().error->message);
  auto list = protocol::decodeBody<protocol::ConnectionList>(connections.reply().body);
  if (!list) return fail("bad reply from the node: " + list.error());
  const protocol::HostRecord* host = nullptr;
  for (const auto& h : snapshot->hosts) {
    if (h.ip == *ip) host = &h;
  }
  const std::string out = ipJson(*ip, host, list->connections);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace

int queryCommand(int argc, char** argv) {
  // `query URL live|captures`: the live captures, with options of their own.
  if (argc >= 2 && (std::string_view(argv[1]) == "live" || std::string_view(argv[1]) == "captures"))
    return liveQueryCommand(argc, argv);
  if (argc >= 2 && std::string_view(argv[1]) == "audio") return audioQueryCommand(argc, argv);
  Arguments args(withSearchCriteria(
                     {"--key",       "--timeout",     "--ip",     "--group",       "--limit",
                      "--name",      "--groups",      "--series", "--resolution",  "--write",
                      "--client",    "--client-port", "--server", "--server-port", "--dedup-window",
                      "--page-size", "--after",       "--peer",   "--layer",       "--class"}),
                 {"--json", "--members", "--list", "--per-session"});
  std::string error;
  if (!args.parse(argc, argv, 0, &error)) return fail(error);
  // `query URL [URL...] search`: several nodes' packets merged into one file.
  std::vector<std::string> urls;
  if (args.positional().size() > 2 && args.positional().back() == "search") {
    urls.assign(args.positional().begin(), args.positional().end() - 1);
  } else if (args.positional().size() != 2) {
    return fail(
        "usage: netlens-node query URL "
        "hosts|global|connections|ip|history|groups|set-groups|search|rtp|sip|calls|live|captures "
        "--json [--key FILE] [--ip IP] [--group GROUP] [--limit N] "
        "[--series global|ip|group|connection] [--resolution 1s|1m|1h] [--from NS] [--to NS] "
        "[--name GROUP] [--proto P --client IP --client-port N --server IP --server-port N] "
        "[--members] [--groups FILE]");
  }
  auto server = transport::ConnectionString::parse(args.positional()[0]);
  if (!server) return fail(server.error());
  const std::string what = args.positional().back();
  if (urls.empty()) urls.push_back(args.positional()[0]);
  if (what != "hosts" && what != "global" && what != "connections" && what != "history" &&
      what != "groups" && what != "set-groups" && what != "ip" && what != "search" &&
      what != "rtp" && what != "sip" && what != "calls") {
    return fail(
        "query takes hosts, global, connections, ip, history, groups, set-groups, search, rtp, "
        "sip or calls, not \"" +
        what + "\"");
  }
  protocol::Params searchParams;
  if (what == "search") {
    if (args.has("--write") == args.has("--list"))
      return fail("query ... search needs --write OUT.pcap (the packets) or --list (the sessions)");
    if (urls.size() > 1 && args.has("--list"))
      return fail("--list takes one node: ask each node for its sessions");
    searchParams = searchParamsFrom(args);
    searchParams["mode"] = args.has("--write") ? "packets" : "list";
  }
  if (what == "ip" && !args.has("--ip")) return fail("query ... ip needs --ip ADDRESS");
  // Parameters go to the node as given; the node checks them and explains what is wrong.
  protocol::Params params;
  if (args.has("--ip")) params["ip"] = args.value("--ip");
  if (args.has("--limit")) params["limit"] = args.value("--limit");
  if (what == "search") params.clear();  // --limit and the criteria are in searchParams
  if (!params.empty() && what != "connections" && what != "history" && what != "ip") {
    return fail("--ip goes with connections, ip or history, --limit with connections or ip");
  }
  for (const char* option :
       {"--series", "--resolution", "--from", "--to", "--client", "--client-port", "--server",
        "--server-port", "--peer", "--layer", "--class"}) {
    if (!args.has(option) || what == "search") continue;
    if (what != "history") return fail(std::string(option) + " goes with history");
    std::string name = option + 2;
    std::replace(name.begin(), name.end(), '-', '_');
    params[name] = args.value(option);
  }
  // --proto and --vlan are search criteria, and name a connection series' protocol and VLAN.
  for (const char* option : {"--proto", "--vlan"}) {
    if (args.has(option) && what == "history") params[option + 2] = args.value(option);
  }
  if (args.has("--members") && what != "groups") return fail("--members goes with groups");
  if (args.has("--name") && what != "groups" && what != "history")
    return fail("--name goes with groups or history (--series group)");
  if (args.has("--name")) params["name"] = args.value("--name");
  if (args.has("--group")) {
    if (what != "connections") return fail("--group goes with connections");
    params["group"] = args.value("--group");
  }
  if (args.has("--members")) params["members"] = "1";
  if (args.has("--groups") != (what == "set-groups"))
    return fail("set-groups needs --groups FILE, and --groups goes only with set-groups");
  if (what == "set-groups") {
    // Checked here first for messages with line numbers; the node checks again (and its
    // own --max-groups limit).
    std::ifstream in(args.value("--groups"), std::ios::binary);
    if (!in) return fail("cannot read groups file " + args.value("--groups"));
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto definitions = net::IpGroupSet::parseText(text, args.value("--groups"));
    if (!definitions) return fail(definitions.error());
    params["groups"] = protocol::encodeBody(protocol::GroupDefinitions{std::move(*definitions)});
  }
  // 8 s leaves room for start-up and key loading inside the promised 10 s.
  long long seconds = 8;
  if (args.has("--timeout") && !parseInteger(args.value("--timeout"), 1, 3600, &seconds)) {
    return fail("--timeout takes seconds");
  }
  const std::filesystem::path keyFile = args.value("--key", defaultClientKeyFile().string());
  if (!std::filesystem::exists(keyFile)) {
    return fail("no client key at " + keyFile.string() +
                ": make one with `netlens-node keygen --out FILE`, authorise its public key on "
                "the node, and pass --key FILE");
  }
  auto keys = transport::loadKeyPair(keyFile);
  if (!keys) return fail(keys.error());

  zmq::context_t context(1);
  if (what == "search" && args.has("--write")) {
    DownloadOptions download;
    download.out = args.value("--write");
    download.timeout = std::chrono::seconds(seconds);
    long long n = 0;
    if (args.has("--dedup-window")) {
      if (!parseInteger(args.value("--dedup-window"), 0, 60000, &n))
        return fail("--dedup-window takes milliseconds (0 keeps every copy)");
      download.dedupWindowNs = n * 1'000'000;
    }
    if (args.has("--limit")) {
      if (!parseInteger(args.value("--limit"), 1, INT64_MAX, &n))
        return fail("--limit takes a number of packets (1 or more)");
      download.limit = static_cast<std::uint64_t>(n);
    }
    if (args.has("--page-size")) {
      std::uint64_t bytes = 0;
      if (!parseSize(args.value("--page-size"), &bytes) || bytes < protocol::kMinSearchChunkBytes ||
          bytes > protocol::kMaxSearchChunkBytes)
        return fail("--page-size takes a size from 4K to 64M (e.g. 4M)");
      download.pageBytes = bytes;
    }
    return downloadSearch(context, urls, *keys, searchParams, download);
  }
  if (args.has("--dedup-window") || args.has("--page-size") || args.has("--after"))
    return fail("--dedup-window, --page-size and --after go with search --write");
  transport::ControlClient client(context, *server, *keys);
  if (what == "ip") return queryIp(client, params, std::chrono::seconds(seconds));
  if (what == "search") {
    auto result = client.request(what, searchParams, std::chrono::seconds(seconds));
    if (!result) return fail(result.failure().message);
    if (result.reply().isError())
      return fail("the node answered with an error: " + result.reply().error->message);
    auto found = protocol::decodeBody<protocol::SearchReply>(result.reply().body);
    if (!found) return fail("bad reply from the node: " + found.error());
    if (found->truncated) {
      std::fprintf(stderr,
                   "netlens-node: warning: only the first %llu matching packets (narrow the "
                   "search or raise --limit)\n",
                   static_cast<unsigned long long>(found->packets));
    }
    const std::string text = searchJson(*found);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  auto result = client.request(what, params, std::chrono::seconds(seconds));
  if (!result) return fail(result.failure().message);
  const protocol::Reply& reply = result.reply();
  if (reply.isError()) {
    return fail("the node answered with an error: " + reply.error->message);
  }
  std::string out;
  if (what == "hosts") {
    auto snapshot = protocol::decodeBody<protocol::HostsSnapshot>(reply.body);
    if (!snapshot) return fail("bad reply from the node: " + snapshot.error());
    out = hostsJson(snapshot->hosts);
  } else if (what == "history") {
    auto history = protocol::decodeBody<protocol::HistoryReply>(reply.body);
    if (!history) return fail("bad reply from the node: " + history.error());
    out = historyJson(*history);
  } else if (what == "connections") {
    auto list = protocol::decodeBody<protocol::ConnectionList>(reply.body);
    if (!list) return fail("bad reply from the node: " + list.error());
    out = connectionsJson(list->connections);
  } else if (what == "rtp") {
    auto list = protocol::decodeBody<protocol::RtpStreamList>(reply.body);
    if (!list) return fail("bad reply from the node: " + list.error());
    out = rtpJson(list->streams);
  } else if (what == "sip") {
    auto stats = protocol::decodeBody<protocol::SipStatistics>(reply.body);
    if (!stats) return fail("bad reply from the node: " + stats.error());
    out = sipJson(stats->counters);
  } else if (what == "calls") {
    auto list = protocol::decodeBody<protocol::CallList>(reply.body);
    if (!list) return fail("bad reply from the node: " + list.error());
    out = callsJson(list->calls);
  } else if (what == "groups" || what == "set-groups") {
    auto list = protocol::decodeBody<protocol::GroupList>(reply.body);
    if (!list) return fail("bad reply from the node: " + list.error());
    out = groupsJson(*list, args.has("--name") || args.has("--members"));
  } else {
    auto global = protocol::decodeBody<protocol::GlobalStats>(reply.body);
    if (!global) return fail("bad reply from the node: " + global.error());
    out = globalJson(*global);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace netlens::node::cli
