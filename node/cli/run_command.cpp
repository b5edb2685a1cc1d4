// SPDX-License-Identifier: MIT
// `run` and `analyze`: both build the same pipeline, so offline figures equal served ones.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <optional>
#include <string_view>
#include <thread>

#include "node/cli/arguments.h"
#include "node/cli/commands.h"
#include "node/cli/json_writer.h"
#include "node/cli/report_json.h"
#include "node/cli/state_dir.h"
#include "node/cli/store_options.h"
#include "node/cli/voip_json.h"
#include "node/demo/demo_traffic.h"
#include "node/pipeline/pipeline.h"
#include "node/service/history_selection.h"
#include "node/service/node_service.h"
#include "node/store/store_writer.h"
#include "shared/net/ip_groups.h"
#include "shared/transport/authorized_keys.h"
#include "shared/transport/connection_string.h"
#include "shared/transport/keys.h"

namespace netlens::node::cli {
namespace {

std::atomic<bool> g_stopRequested{false};

void onSignal(int) {
  g_stopRequested = true;
}

std::string hostName() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0 || !buf[0]) return "netlens-node";
  return buf;
}

/// `--geoip FILE` (countries; none without it) and `--oui DIR` (NIC vendors; Debian's
/// ieee-data folder by default, where a missing list only warns). False (message printed)
/// when a file the user named cannot be used.
bool loadLookups(const Arguments& args, pipeline::PipelineConfig* config) {
  std::string error;
  if (args.has("--geoip")) {
    auto countries = std::make_shared<analysis::CountryDb>();
    if (!countries->open(args.value("--geoip"), &error)) {
      fail(error);
      return false;
    }
    config->countries = std::move(countries);
  }
  const bool ouiGiven = args.has("--oui");
  const std::string ouiFolder =
      args.value("--oui", std::string(analysis::OuiVendors::kDefaultFolder));
  auto vendors = std::make_shared<analysis::OuiVendors>();
  if (!vendors->loadFolder(ouiFolder, &error)) {
    if (ouiGiven) {
      fail(error + " (--oui takes the folder of the IEEE lists oui.txt or oui.csv, e.g. " +
           std::string(analysis::OuiVendors::kDefaultFolder) + ")");
      return false;
    }
    std::fprintf(stderr,
                 "netlens-node: warning: %s; NIC vendors are not shown (install the ieee-data "
                 "package or give --oui DIR)\n",
                 error.c_str());
  }
  if (vendors->size() != 0) config->vendors = std::move(vendors);
  return true;
}

constexpr protocol::TimeNs kRunConnectionIdleNs = 3600'000'000'000;

/// `own` options of a command followed by those configurePipeline() reads.
std::vector<std::string_view> withPipelineOptions(std::initializer_list<std::string_view> own) {
  std::vector<std::string_view> all(own);
  for (std::string_view option :
       {"--workers", "--inactivity-gap", "--host-idle", "--connection-idle", "--max-hosts",
        "--max-connections", "--groups", "--max-groups", "--history-hosts", "--history-connections",
        "--history-peers", "--history-qos", "--history-handshakes", "--geoip", "--oui",
        "--jitter-buffer", "--network-delay", "--disable-analysis"}) {
    all.push_back(option);
  }
  return all;
}

/// Options shared by run and analyze; false (message printed) on a bad value.
bool configurePipeline(const Arguments& args, pipeline::PipelineConfig* config) {
  long long n = 0;
  if (args.has("--workers")) {
    if (!parseInteger(args.value("--workers"), 1, 64, &n)) {
      fail("--workers takes a number from 1 to 64");
      return false;
    }
    config->workers = static_cast<int>(n);
  }
  if (args.has("--snaplen")) {
    if (!parseInteger(args.value("--snaplen"), 64, 262144, &n)) {
      fail("--snaplen takes a number from 64 to 262144");
      return false;
    }
    config->live.snapLength = static_cast<int>(n);
  }
  if (args.has("--inactivity-gap")) {
    if (!parseInteger(args.value("--inactivity-gap"), 1, 86400 * 365, &n)) {
      fail("--inactivity-gap takes seconds, from 1");
      return false;
    }
    config->analyzer.inactivityGapNs = n * 1'000'000'000;
  }
  const auto idleOption = [&](const char* option, protocol::TimeNs* out) {
    if (!args.has(option)) return true;
    if (!parseInteger(args.value(option), 0, 86400 * 365, &n)) {
      fail(std::string(option) + " takes seconds of packet time from 0 to 31536000 (0: never)");
      return false;
    }
    *out = n * 1'000'000'000;
    return true;
  };
  if (!idleOption("--host-idle", &config->analyzer.idleNs) ||
      !idleOption("--connection-idle", &config->connections.idleNs)) {
    return false;
  }
  const auto budgetOption = [&](const char* option, std::size_t* out) {
    if (!args.has(option)) return true;
    if (!parseInteger(args.value(option), 1024, 1LL << 28, &n)) {
      fail(std::string(option) + " takes a number from 1024 to 268435456 (per worker)");
      return false;
    }
    *out = static_cast<std::size_t>(n);
    return true;
  };
  if (!budgetOption("--max-hosts", &config->analyzer.maxHosts) ||
      !budgetOption("--max-connections", &config->connections.maxConnections)) {
    return false;
  }
  if (args.has("--history-hosts")) {
    if (!parseInteger(args.value("--history-hosts"), 0, 1'000'000, &n)) {
      fail("--history-hosts takes a number of hosts from 0 to 1000000 (per worker)");
      return false;
    }
    config->analyzer.historyHosts = static_cast<std::size_t>(n);
  }
  if (args.has("--history-connections")) {
    if (!parseInteger(args.value("--history-connections"), 0, 1'000'000, &n)) {
      fail("--history-connections takes a number of connections from 0 to 1000000 (per worker)");
      return false;
    }
    config->connections.historyConnections = static_cast<std::size_t>(n);
  }
  if (args.has("--history-handshakes")) {
    if (!parseInteger(args.value("--history-handshakes"), 0, 1'000'000, &n)) {
      fail("--history-handshakes takes a number of addresses from 0 to 1000000 (per worker)");
      return false;
    }
    config->connections.historyHandshakes = static_cast<std::size_t>(n);
  }
  if (args.has("--history-peers")) {
    if (!parseInteger(args.value("--history-peers"), 0, 1'000'000, &n)) {
      fail("--history-peers takes a number of peer pairs from 0 to 1000000 (per worker)");
      return false;
    }
    config->peerQos.peerHistories = static_cast<std::size_t>(n);
  }
  if (args.has("--history-qos")) {
    if (!parseInteger(args.value("--history-qos"), 0, 1'000'000, &n)) {
      fail(
          "--history-qos takes a number of QoS classes of addresses from 0 to 1000000 (per "
          "worker)");
      return false;
    }
    config->peerQos.qosHistories = static_cast<std::size_t>(n);
  }
  if (args.has("--jitter-buffer")) {
    std::string error;
    if (!analysis::parseJitterBufferSpec(args.value("--jitter-buffer"), &config->voip.jitterBuffer,
                                         &error)) {
      fail(error);
      return false;
    }
  }
  if (args.has("--network-delay")) {
    if (!parseInteger(args.value("--network-delay"), 0, 5000, &n)) {
      fail("--network-delay takes the one-way network delay in ms, from 0 to 5000");
      return false;
    }
    config->voip.networkDelayMs = static_cast<double>(n);
  }
  for (const std::string& list : args.values("--disable-analysis")) {
    std::string problem;
    if (!config->switches.disable(list, &problem)) {
      fail(problem);
      return false;
    }
  }
  config->live.promiscuous = !args.has("--no-promisc");
  config->filter = args.joinedPositional();
  return loadLookups(args, config);
}

bool addSources(const Arguments& args, pipeline::Pipeline& p) {
  std::string error;
  for (const auto& iface : args.values("-i")) {
    if (!p.addInterface(iface, &error)) {
      fail(error);
      return false;
    }
  }
  for (const auto& file : args.values("-r")) {
    if (!p.addFile(file, &error)) {
      fail(error);
      return false;
    }
  }
  return true;
}

void reportSourceErrors(const std::vector<protocol::SourceInfo>& sources) {
  for (const auto& s : sources) {
    if (!s.error.empty()) {
      std::fprintf(stderr, "netlens-node: warning: %s (figures cover the %llu packets before it)\n",
                   s.error.c_str(), static_cast<unsigned long long>(s.packets));
    }
  }
}

/// Says when the tables could not hold everything, so that nobody mistakes a partial
/// report for a complete one.
void reportEvictions(const protocol::GlobalStats& g) {
  if (g.hostsEvicted == 0 && g.connectionsEvicted == 0) return;
  const protocol::TimeNs upTo = std::max(g.hostsEvictedUpTo, g.connectionsEvictedUpTo);
  std::fprintf(stderr,
               "netlens-node: warning: %llu hosts and %llu connections were evicted (budget or "
               "idle timeout); the figures are complete only for activity after %s (raise "
               "--max-hosts / --max-connections, or set --host-idle / --connection-idle to 0)\n",
               static_cast<unsigned long long>(g.hostsEvicted),
               static_cast<unsigned long long>(g.connectionsEvicted), isoTime(upTo).c_str());
}

/// `--groups FILE` with `--max-groups N`: an empty set without --groups; null (message
/// printed) on an error.
std::shared_ptr<const net::IpGroupSet> groupsFromOptions(const Arguments& args,
                                                         std::uint32_t* maxGroups) {
  std::string error;
  if (!parseMaxGroups(args, maxGroups, &error)) {
    fail(error);
    return nullptr;
  }
  if (!args.has("--groups")) return std::make_shared<const net::IpGroupSet>();
  auto set = net::IpGroupSet::load(args.value("--groups"), *maxGroups);
  if (!set) {
    fail(set.error());
    return nullptr;
  }
  return std::make_shared<const net::IpGroupSet>(std::move(*set));
}

}  // namespace

int analyzeCommand(int argc, char** argv) {
  Arguments args(
      withPipelineOptions({"-r", "--json", "--series", "--ip", "--name", "--resolution", "--from",
                           "--to", "--proto", "--client", "--client-port", "--server",
                           "--server-port", "--vlan", "--peer", "--layer", "--class"}),
      {});
  std::string error;
  if (!args.parse(argc, argv, 0, &error)) return fail(error + " (see netlens-node --help)");
  if (args.values("-r").empty()) return fail("analyze needs at least one -r FILE");
  const std::string what = args.value("--json", "hosts");
  if (what != "hosts" && what != "global" && what != "connections" && what != "history" &&
      what != "groups" && what != "ip" && what != "group" && what != "rtp" && what != "sip" &&
      what != "calls") {
    return fail(
        "--json takes hosts, global, connections, history, groups, ip, group, rtp, sip or "
        "calls, not \"" +
        what + "\"");
  }
  // `--json ip IP` (or `--json ip --ip IP`): one address's host record, peers, connections.
  std::optional<net::IpAddress> detailIp;
  std::string filter = args.joinedPositional();
  if (what == "ip") {
    std::string text = args.value("--ip");
    if (text.empty() && !args.positional().empty()) {
      text = args.positional().front();
      filter.erase(0, std::min(filter.size(), text.size() + 1));  // the rest is the filter
    }
    detailIp = net::IpAddress::parse(text);
    if (!detailIp) {
      return fail(text.empty() ? std::string("--json ip needs an address: --json ip 10.0.0.1")
                               : "\"" + text + "\" is not an IPv4 or IPv6 address");
    }
  }
  // `--json group NAME` (or `--json group --name NAME`): one IP group's figures and detail.
  std::string detailGroup;
  if (what == "group") {
    detailGroup = args.value("--name");
    if (detailGroup.empty() && !args.positional().empty()) {
      detailGroup = args.positional().front();
      filter.erase(0, std::min(filter.size(), detailGroup.size() + 1));
    }
    if (detailGroup.empty()) return fail("--json group needs a group name: --json group NAME");
    if (!args.has("--groups")) return fail("--json group needs the groups: --groups FILE");
  }
  protocol::Params historyParams;
  for (const char* option :
       {"--series", "--ip", "--name", "--resolution", "--from", "--to", "--proto", "--client",
        "--client-port", "--server", "--server-port", "--vlan", "--peer", "--layer", "--class"}) {
    if (what == "ip" && std::string_view(option) == "--ip") continue;
    if (what == "group" && std::string_view(option) == "--name") continue;
    std::string name = option + 2;
    std::replace(name.begin(), name.end(), '-', '_');
    if (args.has(option)) historyParams[name] = args.value(option);
  }
  if (!historyParams.empty() && what != "history") {
    return fail(
        "--series, --ip, --name, --resolution, --from, --to and the connection (--proto, "
        "--client, --client-port, --server, --server-port, --vlan), --peer, --layer and --class "
        "go with --json history");
  }
  std::optional<pipeline::HistoryQuery> historyQuery;
  if (what == "history") {
    historyQuery = service::parseHistoryQuery(historyParams, &error);
    if (!historyQuery) return fail(error);
  }
  std::uint32_t maxGroups = 0;
  const auto groups = groupsFromOptions(args, &maxGroups);
  if (!groups) return 1;
  pipeline::PipelineConfig config;
  if (!configurePipeline(args, &config)) return 1;
  config.filter = filter;
  pipeline::Pipeline p(config);
  if (!addSources(args, p)) return 1;
  p.start();
  p.waitForFiles();
  reportSourceErrors(p.sources());
  reportEvictions(p.global());
  std::string out;
  if (what == "ip") {
    auto hosts = p.hosts();
    groups->annotate(hosts);
    const protocol::HostRecord* host = nullptr;
    for (const auto& h : hosts) {
      if (h.ip == *detailIp) host = &h;
    }
    auto connections = p.connections();
    groups->annotate(connections);
    out = ipJson(*detailIp, host, connections);
  } else if (what == "group") {
    const auto index = groups->indexOf(detailGroup);
    if (!index) return fail("no group named \"" + detailGroup + "\" in " + args.value("--groups"));
    const auto records = groups->statistics(p.hosts(), true, index);
    const auto isMember = [&](const net::IpAddress& ip) { return groups->contains(*index, ip); };
    auto connections = p.connections();
    groups->annotate(connections);
    out = groupJson(records.front(), isMember, connections);
  } else if (what == "history") {
    protocol::HistoryReply history;
    if (historyQuery->group) {
      const auto index = groups->indexOf(*historyQuery->group);
      if (!index) {
        return fail("no group named \"" + *historyQuery->group + "\"" +
                    (args.has("--groups") ? " in " + args.value("--groups")
                                          : std::string(" (no --groups FILE given)")));
      }
      historyQuery->members = std::move(groups->statistics(p.hosts(), true, index).front().members);
    }
    if (!p.history(*historyQuery, &history, &error)) return fail(error);
    out = historyJson(history);
  } else if (what == "hosts") {
    auto hosts = p.hosts();
    groups->annotate(hosts);
    out = hostsJson(hosts);
  } else if (what == "groups") {
    protocol::GroupList list;
    list.packetTime = p.packetTime();
    list.maxGroups = maxGroups;
    list.groups = groups->statistics(p.hosts(), true);
    out = groupsJson(list, true);
  } else if (what == "rtp") {
    out = rtpJson(p.rtpStreams());
  } else if (what == "sip") {
    out = sipJson(p.sipCounters());
  } else if (what == "calls") {
    out = callsJson(p.calls());
  } else if (what == "connections") {
    // Streamed: a million connections are a gigabyte of text.
    auto connections = p.connections();
    if (!groups->isEmpty()) groups->annotate(connections);
    writeConnectionsJson(stdout, connections);
  } else {
    out = globalJson(p.global());
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

int runCommand(int argc, char** argv) {
  Arguments args(withPipelineOptions({"-i", "-r", "--pace", "--state", "--listen", "--name",
                                      "--snaplen", "--store", "--store-size", "--segment-size",
                                      "--store-filter", "--live-idle-timeout"}),
                 {"--demo", "--loop", "--no-promisc"});
  std::string error;
  if (!args.parse(argc, argv, 0, &error)) return fail(error + " (see netlens-node --help)");

  const std::filesystem::path state = args.value("--state", defaultStateDir().string());
  if (auto st = transport::ensurePrivateFolder(state); !st) return fail(st.error());
  auto keys = transport::loadOrCreateKeyPair(nodeKeyFile(state));
  if (!keys) return fail(keys.error());
  const auto keysFile = authorizedKeysFile(state);
  if (!std::filesystem::exists(keysFile)) {
    transport::AuthorizedKeys empty;
    if (auto st = empty.save(keysFile); !st) return fail(st.error());
  }

  std::string listenHost = "0.0.0.0";
  int listenPort = 7400;
  if (args.has("--listen") &&
      !parseHostPort(args.value("--listen"), &listenHost, &listenPort, &error)) {
    return fail(error);
  }

  // Groups an admin set at run time (kept in the state folder) win over --groups, which is
  // only the initial set: otherwise a restart would silently undo the admin's change.
  std::uint32_t maxGroups = 0;
  auto groups = groupsFromOptions(args, &maxGroups);
  if (!groups) return 1;
  if (std::filesystem::exists(groupsFile(state))) {
    auto kept = net::IpGroupSet::load(groupsFile(state).string(), maxGroups);
    if (!kept) return fail(kept.error());
    if (args.has("--groups")) {
      std::fprintf(stderr,
                   "netlens-node: using the IP groups set at run time from %s; --groups %s is "
                   "ignored (delete that file to use it)\n",
                   groupsFile(state).c_str(), args.value("--groups").c_str());
    }
    groups = std::make_shared<const net::IpGroupSet>(std::move(*kept));
  }

  pipeline::PipelineConfig config;
  // A node on live interfaces runs for weeks: connections quiet for an hour make room. Files
  // (and analyze) keep every connection the budget allows, as a report of the whole file.
  if (args.has("-i")) config.connections.idleNs = kRunConnectionIdleNs;
  if (!configurePipeline(args, &config)) return 1;
  const std::string pace = args.value("--pace", args.has("--demo") ? "realtime" : "fast");
  if (pace != "realtime" && pace != "fast") return fail("--pace takes realtime or fast");
  config.paceRealtime = pace == "realtime";
  config.loopFiles = args.has("--loop") || args.has("--demo");
  if (args.has("--store") || args.has("--store-size") || args.has("--segment-size") ||
      args.has("--store-filter")) {
    store::StoreOptions storeOptions;
    if (!storeOptionsFrom(args, &storeOptions)) return 1;
    storeOptions.keepIndexesOpen = true;  // a node answers search after search
    auto opened = store::PacketStore::open(storeOptions);
    if (!opened) return fail(opened.error());
    const store::Retention r = (*opened)->retention();
    std::fprintf(stderr, "netlens-node: packet store %s: %llu packets in %llu segments kept\n",
                 storeOptions.folder.c_str(), static_cast<unsigned long long>(r.packets),
                 static_cast<unsigned long long>(r.segments));
    config.store = std::make_shared<store::StoreWriter>(std::move(*opened));
    config.store->start();
  }

  long long liveIdleSeconds = protocol::kLiveIdleTimeoutSeconds;
  if (args.has("--live-idle-timeout") &&
      !parseInteger(args.value("--live-idle-timeout"), 1, 86400, &liveIdleSeconds))
    return fail("--live-idle-timeout takes seconds (1 to 86400)");
  config.liveTap = std::make_shared<live::LiveTap>();

  pipeline::Pipeline p(config);
  if (args.has("--demo")) {
    const auto demoFile = state / "demo.pcap";
    if (!std::filesystem::exists(demoFile)) {
      demo::DemoOptions options;
      if (!demo::writeDemoCapture(demoFile.string(), options, &error)) return fail(error);
    }
    if (!p.addFile(demoFile.string(), &error)) return fail(error);
  }
  if (!addSources(args, p)) return 1;
  if (args.values("-i").empty() && args.values("-r").empty() && !args.has("--demo")) {
    return fail("nothing to capture: give -i IFACE, -r FILE or --demo");
  }

  service::ServiceConfig serviceConfig;
  serviceConfig.nodeName = args.value("--name", hostName());
  serviceConfig.listenHost = listenHost;
  serviceConfig.controlPort = static_cast<std::uint16_t>(listenPort);
  serviceConfig.authorizedKeysFile = keysFile;
  serviceConfig.serverKeys = *keys;
  serviceConfig.inactivityGapNs = config.analyzer.inactivityGapNs;
  serviceConfig.groups = groups;
  serviceConfig.maxGroups = maxGroups;
  serviceConfig.groupsFile = groupsFile(state);
  serviceConfig.store = config.store;
  serviceConfig.liveTap = config.liveTap;
  serviceConfig.liveIdleTimeout = std::chrono::seconds(liveIdleSeconds);
  service::NodeService service(serviceConfig, p);
  if (auto st = service.start(); !st) return fail(st.error());

  // Remember where we listen, so `connection-string` prints the right port.
  if (auto st = transport::writePrivateFile(
          listenFile(state), listenHost + " " + std::to_string(service.controlPort()) + "\n");
      !st) {
    return fail(st.error());
  }
  transport::ConnectionString cs;
  cs.host = (listenHost == "0.0.0.0" || listenHost == "::") ? hostName() : listenHost;
  cs.port = service.controlPort();
  cs.serverKey = keys->publicKey;
  std::fprintf(stderr, "netlens-node: serving on %s:%u (updates on port %u)\n", listenHost.c_str(),
               service.controlPort(), service.publisherPort());
  std::fprintf(stderr, "netlens-node: connection string: %s\n", cs.toString().c_str());
  auto authorized = transport::AuthorizedKeys::load(keysFile);
  if (authorized && authorized->isEmpty()) {
    std::fprintf(stderr,
                 "netlens-node: no console is authorised yet; run\n"
                 "  netlens-node authorize CONSOLE_PUBLIC_KEY --role viewer --state %s\n",
                 state.c_str());
  }

  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  p.start();
  while (!g_stopRequested) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::fprintf(stderr, "netlens-node: stopping\n");
  service.stop();
  p.stop();
  // After the capture: every packet it handed over is stored and the last index written.
  if (config.store) config.store->stop();
  return 0;
}

int demoCommand(int argc, char** argv) {
  Arguments args({"--out", "--seconds", "--seed"}, {});
  std::string error;
  if (!args.parse(argc, argv, 0, &error)) return fail(error);
  if (!args.has("--out")) return fail("demo needs --out FILE");
  demo::DemoOptions options;
  long long n = 0;
  if (args.has("--seconds")) {
    if (!parseInteger(args.value("--seconds"), 1, 86400, &n)) return fail("--seconds: 1 to 86400");
    options.seconds = static_cast<double>(n);
  }
  if (args.has("--seed")) {
    if (!parseInteger(args.value("--seed"), 0, (1LL << 62), &n)) return fail("--seed: a number");
    options.seed = static_cast<std::uint64_t>(n);
  }
  if (!demo::writeDemoCapture(args.value("--out"), options, &error)) return fail(error);
  return 0;
}

}  // namespace netlens::node::cli
