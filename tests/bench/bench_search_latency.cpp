// SPDX-License-Identifier: MIT
// bench_search_latency: how long a running node takes to answer a search of its packet store,
// as the console asks it (one persistent CURVE connection, operation "search", sessions only).
//
//   bench_search_latency --node NETLENS_NODE --store DIR [--host IP] [--requests N]
//                        [--store-size SIZE]
//   bench_search_latency --url netlens://... --key CLIENT_KEY_FILE [--node NETLENS_NODE
//                        --store DIR] [--host IP] [--requests N]
//
// The first form starts `netlens-node run` on the ring in DIR (a state folder of its own with
// a client key generated for the run, an empty pcap as its source so that nothing is
// appended, 127.0.0.1 on an ephemeral port) and stops it at the end; the second asks a node
// that is already running. With --node and --store, the offline `netlens-node search --list`
// of the same ring gives the expected packet count, and every answer must have it. One
// request is sent first and timed apart (first_ms: it maps the index files, as the console's
// first search does). Prints one line:
//   host=... packets=... sessions=... first_ms=... requests=... median_ms=... p90_ms=...
//   min_ms=... max_ms=... node_cpu_ms=... (the started node's CPU time per request, from /proc;
//   -1 for a node it did not start)
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "shared/pcap/pcap_writer.h"
#include "shared/protocol/codec.h"
#include "shared/protocol/messages.h"
#include "shared/transport/connection_string.h"
#include "shared/transport/control_client.h"
#include "shared/transport/keys.h"

namespace {

namespace fs = std::filesystem;
using netlens::transport::ConnectionString;

int fail(const std::string& message) {
  std::fprintf(stderr, "bench_search_latency: %s\n", message.c_str());
  return 1;
}

/// The standard output of a command line (arguments quoted by the caller), or nullopt when it
/// fails.
std::optional<std::string> output(const std::string& command) {
  std::FILE* p = ::popen(command.c_str(), "r");
  if (!p) return std::nullopt;
  std::string out;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, p)) > 0) out.append(buffer, n);
  return ::pclose(p) == 0 ? std::optional(out) : std::nullopt;
}

std::string shellQuoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// The first `"packets":N` of the offline search's JSON.
std::optional<std::uint64_t> packetsOf(const std::string& json) {
  const auto at = json.find("\"packets\":");
  if (at == std::string::npos) return std::nullopt;
  return std::strtoull(json.c_str() + at + 10, nullptr, 10);
}

/// A node started on the ring, stopped (SIGTERM) and its temporary folder removed when this
/// goes out of scope.
struct StartedNode {
  pid_t pid = -1;
  std::string folder;
  ~StartedNode() {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      int status = 0;
      ::waitpid(pid, &status, 0);
    }
    std::error_code ec;
    if (!folder.empty()) fs::remove_all(folder, ec);
  }
};

/// User + system CPU seconds of process `pid` so far (/proc), or -1.
double cpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return -1;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i)
    if (i >= 14) ticks += std::stod(field);  // utime, stime
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(i, values.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args{
      {"--host", "10.0.73.185"}, {"--requests", "50"}, {"--store-size", "1T"}};
  for (int i = 1; i + 1 < argc; i += 2) args[argv[i]] = argv[i + 1];
  if (argc % 2 == 0 || (!args.count("--url") && (!args.count("--node") || !args.count("--store"))))
    return fail(
        "usage: bench_search_latency --node NETLENS_NODE --store DIR | --url URL --key "
        "FILE [--host IP] [--requests N] [--store-size SIZE]");
  const std::string host = args["--host"];
  const int requests = std::max(1, std::atoi(args["--requests"].c_str()));
  const std::string node = args.count("--node") ? args["--node"] : "";
  const std::string store = args.count("--store") ? args["--store"] : "";

  std::optional<std::uint64_t> expected;
  if (!node.empty() && !store.empty()) {
    const auto json = output(shellQuoted(node) + " search --store " + shellQuoted(store) +
                             " --host " + shellQuoted(host) + " --list");
    if (!json || !(expected = packetsOf(*json))) return fail("the offline search failed");
  }

  StartedNode started;
  std::string url = args.count("--url") ? args["--url"] : "";
  netlens::transport::KeyPair keys;
  char folder[] = "/tmp/bench_search_latency.XXXXXX";
  if (url.empty()) {
    if (!::mkdtemp(folder)) return fail("cannot make a temporary folder");
    started.folder = folder;
    const fs::path state = fs::path(folder) / "state";
    auto generated = netlens::transport::generateKeyPair();
    if (!generated) return fail(generated.error());
    keys = *generated;
    if (!output(shellQuoted(node) + " authorize " + shellQuoted(keys.publicKey) +
                " --role viewer --state " + shellQuoted(state.string()) + " >/dev/null"))
      return fail("netlens-node authorize failed");
    // An empty capture: the node serves the ring without adding to it.
    const fs::path empty = fs::path(folder) / "empty.pcap";
    const auto header = netlens::pcap::PcapWriter::fileHeader(1, 65535);
    std::ofstream(empty, std::ios::binary)
        .write(reinterpret_cast<const char*>(header.data()), header.size());
    started.pid = ::fork();
    if (started.pid == 0) {
      const std::string s = state.string();
      const std::string e = empty.string();
      const std::string size = args["--store-size"];
      ::execl(node.c_str(), node.c_str(), "run", "-r", e.c_str(), "--state", s.c_str(), "--listen",
              "127.0.0.1:0", "--store", store.c_str(), "--store-size", size.c_str(), nullptr);
      std::_Exit(127);
    }
    for (int i = 0; i < 200 && url.empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (!fs::exists(state / "listen")) continue;
      const auto text = output(shellQuoted(node) + " connection-string --state " +
                               shellQuoted(state.string()) + " --host 127.0.0.1");
      if (text && text->starts_with("netlens://")) url = text->substr(0, text->find('\n'));
    }
    if (url.empty()) return fail("the node did not start");
  } else {
    auto loaded = netlens::transport::loadKeyPair(args["--key"]);
    if (!loaded) return fail(loaded.error());
    keys = *loaded;
  }
  auto server = ConnectionString::parse(url);
  if (!server) return fail(server.error());

  zmq::context_t context(1);
  netlens::transport::ControlClient client(context, *server, keys);
  if (auto notReady = client.waitUntilReady(std::chrono::seconds(10)))
    return fail(notReady->message);
  const netlens::protocol::Params params{{"host", host}};
  std::vector<double> times;
  double first = 0;
  netlens::protocol::SearchReply reply;
  double cpuBefore = -1;
  for (int i = 0; i <= requests; ++i) {
    if (i == 1 && started.pid > 0) cpuBefore = cpuSeconds(started.pid);
    const auto start = std::chrono::steady_clock::now();
    auto result = client.request("search", params, std::chrono::seconds(60));
    const auto end = std::chrono::steady_clock::now();
    if (!result) return fail(result.failure().message);
    if (result.reply().isError()) return fail(result.reply().error->message);
    auto found = netlens::protocol::decodeBody<netlens::protocol::SearchReply>(result.reply().body);
    if (!found) return fail("bad reply: " + found.error());
    if (expected && found->packets != *expected)
      return fail("the node found " + std::to_string(found->packets) + " packets, the offline " +
                  "search " + std::to_string(*expected));
    reply = std::move(*found);
    const double ms = std::chrono::duration<double, std::milli>(end - start).count();
    if (i == 0) {
      first = ms;
    } else {
      times.push_back(ms);
    }
  }
  // The node's own CPU per answer (started nodes only; /proc counts in clock ticks).
  const double cpuMs =
      cpuBefore >= 0 ? (cpuSeconds(started.pid) - cpuBefore) * 1000 / requests : -1;
  std::printf(
      "host=%s packets=%llu sessions=%zu first_ms=%.2f requests=%d median_ms=%.2f p90_ms=%.2f "
      "min_ms=%.2f max_ms=%.2f node_cpu_ms=%.2f\n",
      host.c_str(), static_cast<unsigned long long>(reply.packets), reply.sessions.size(), first,
      requests, percentile(times, 0.5), percentile(times, 0.9),
      *std::min_element(times.begin(), times.end()), *std::max_element(times.begin(), times.end()),
      cpuMs);
  return 0;
}
