// SPDX-License-Identifier: MIT
// `query URL live ... --write OUT.pcap`: a live capture on a node, polled into a file until a
// duration, a packet count or Ctrl-C ends it; `query URL captures`: the node's live captures.
#include "node/cli/live_query.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <thread>

#include "node/cli/arguments.h"
#include "node/cli/json_writer.h"
#include "node/cli/state_dir.h"
#include "shared/pcap/pcap_bytes.h"
#include "shared/pcap/pcap_writer.h"
#include "shared/protocol/codec.h"
#include "shared/transport/connection_string.h"
#include "shared/transport/control_client.h"
#include "shared/transport/keys.h"

namespace netlens::node::cli {

namespace {

using SteadyClock = std::chrono::steady_clock;

/// How often the capture is fetched: one fetch is the client's credit, so this also bounds
/// how much the node buffers for us (its buffer must hold this long of matching traffic).
constexpr auto kPollInterval = std::chrono::milliseconds(200);

std::atomic<bool> g_interrupted{false};

extern "C" void onInterrupt(int) {
  g_interrupted = true;
}

/// Criteria options and the live-start parameter each one becomes.
constexpr const char* kCriteria[][2] = {{"--host", "host"},
                                        {"--src-host", "src-host"},
                                        {"--dst-host", "dst-host"},
                                        {"--port", "port"},
                                        {"--src-port", "src-port"},
                                        {"--dst-port", "dst-port"},
                                        {"--mac", "mac"},
                                        {"--src-mac", "src-mac"},
                                        {"--dst-mac", "dst-mac"},
                                        {"--proto", "proto"},
                                        {"--vlan", "vlan"},
                                        {"--group", "group"},
                                        {"--connection", "connection"},
                                        {"--dscp", "dscp"},
                                        {"--snaplen", "snaplen"},
                                        {"--buffer", "max-bytes"},
                                        {"--bpf", "bpf"},
                                        {"--bpf-code", "bpf-code"}};

struct Session {
  transport::ControlClient& client;
  std::chrono::seconds timeout;
  std::string error;

  /// One request; the decoded body, or nullopt with `error` set.
  template <class T>
  std::optional<T> ask(std::string_view operation, const protocol::Params& params) {
    auto result = client.request(operation, params, timeout);
    if (!result) {
      error = result.failure().message;
      return std::nullopt;
    }
    if (result.reply().isError()) {
      error = "the node answered with an error: " + result.reply().error->message;
      return std::nullopt;
    }
    auto body = protocol::decodeBody<T>(result.reply().body);
    if (!body) {
      error = "bad reply from the node: " + body.error();
      return std::nullopt;
    }
    return std::move(*body);
  }
};

/// The output file: OUT.part (0600, links not followed) while the capture runs.
class PartFile {
 public:
  bool open(const std::string& out, std::string* error) {
    m_part = out + ".part";
    const int fd =
        ::open(m_part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0 && ::fchmod(fd, 0600) != 0) {  // an old .part may have had another mode
      *error = "cannot make " + m_part + " private: " + std::strerror(errno);
      ::close(fd);
      return false;
    }
    if (fd < 0 || (m_file = ::fdopen(fd, "wb")) == nullptr) {
      *error = "cannot create " + m_part + ": " + std::strerror(errno) +
               " (choose a folder you can write to)";
      if (fd >= 0) ::close(fd);
      return false;
    }
    return true;
  }
  bool write(const void* data, std::size_t size) {
    return size == 0 || std::fwrite(data, 1, size, m_file) == size;
  }
  /// Closes and renames to `out`.
  bool finish(const std::string& out, std::string* error) {
    const bool flushed = std::fflush(m_file) == 0 && ::fsync(::fileno(m_file)) == 0;
    const bool closed = std::fclose(m_file) == 0;
    m_file = nullptr;
    if (!flushed || !closed) {
      *error = "cannot write " + m_part + ": " + std::strerror(errno);
      return false;
    }
    std::error_code ec;
    std::filesystem::rename(m_part, out, ec);
    if (ec) *error = "cannot rename " + m_part + " to " + out + ": " + ec.message();
    return !ec;
  }
  /// Closes and deletes the file (nothing was captured).
  void discard() {
    if (m_file) std::fclose(m_file);
    m_file = nullptr;
    ::unlink(m_part.c_str());
  }
  ~PartFile() {
    if (m_file) std::fclose(m_file);
  }

 private:
  std::string m_part;
  std::FILE* m_file = nullptr;
};

/// Appends a chunk's records to `file`, at most `*left` packets; false with `error` on a bad
/// chunk or a write error.
bool writeChunk(const protocol::LiveChunk& chunk, std::uint32_t linkType, std::uint32_t snapLength,
                PartFile& file, std::uint64_t* left, std::uint64_t* written, std::string* error) {
  if (chunk.pcap.empty()) return true;
  pcap::PcapBytesReader reader(chunk.pcap);
  if (!reader.ok() || reader.linkType() != linkType) {
    *error = reader.ok() ? "the node sent packets of another link type" : reader.error();
    return false;
  }
  pcap::PcapRecord record;
  while (*left > 0 && reader.next(&record)) {
    const auto size =
        static_cast<std::uint32_t>(std::min<std::size_t>(record.data.size(), snapLength));
    const auto header =
        pcap::PcapWriter::recordHeader(record.timestampNs, size, record.originalLength);
    if (!file.write(header.data(), header.size()) || !file.write(record.data.data(), size)) {
      *error =
          std::string("cannot write the file: ") + std::strerror(errno) + " (is the disk full?)";
      return false;
    }
    --*left;
    ++*written;
  }
  if (!reader.ok()) {
    *error = "bad pcap from the node: " + reader.error();
    return false;
  }
  return true;
}

int runLive(Session& session, const Arguments& args) {
  if (!args.has("--write")) return fail("query ... live needs --write OUT.pcap");
  const std::string out = args.value("--write");
  long long seconds = 0;
  long long count = 0;
  if (args.has("--duration") && !parseInteger(args.value("--duration"), 1, 31'536'000, &seconds))
    return fail("--duration takes seconds (1 or more)");
  if (args.has("--count") && !parseInteger(args.value("--count"), 1, INT64_MAX, &count))
    return fail("--count takes a number of packets (1 or more)");
  protocol::Params params;
  for (const auto& [option, name] : kCriteria) {
    if (!args.has(option)) continue;
    // Expressions and connections are taken whole; other repeated values are alternatives.
    const std::string key = name;
    std::string joined;
    for (const auto& v : args.values(option)) joined += (joined.empty() ? "" : ",") + v;
    params[key] = key == "bpf" || key == "bpf-code" ? args.value(option) : joined;
  }
  PartFile file;
  std::string error;
  if (!file.open(out, &error)) return fail(error);
  auto started = session.ask<protocol::LiveCapture>("live-start", params);
  if (!started) {
    file.discard();
    return fail(session.error);
  }
  std::fprintf(stderr, "netlens-node: live capture %llu started, filter \"%s\"%s%s\n",
               static_cast<unsigned long long>(started->id), started->filter.c_str(),
               started->note.empty() ? "" : "; ", started->note.c_str());
  const auto header = pcap::PcapWriter::fileHeader(started->linkType, started->snapLength);
  bool ok = file.write(header.data(), header.size());
  if (!ok) error = std::string("cannot write the file: ") + std::strerror(errno);

  g_interrupted = false;
  auto previousInt = std::signal(SIGINT, onInterrupt);
  auto previousTerm = std::signal(SIGTERM, onInterrupt);
  const auto end = SteadyClock::now() + std::chrono::seconds(seconds);
  std::uint64_t left = count > 0 ? static_cast<std::uint64_t>(count) : UINT64_MAX;
  std::uint64_t written = 0;
  const protocol::Params idParams{{"id", std::to_string(started->id)}};
  while (ok && !g_interrupted && left > 0 && (seconds == 0 || SteadyClock::now() < end)) {
    const auto due = SteadyClock::now() + kPollInterval;
    while (!g_interrupted && SteadyClock::now() < due)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto chunk = session.ask<protocol::LiveChunk>("live-fetch", idParams);
    if (!chunk && g_interrupted) break;  // Ctrl-C cut the wait for the reply: stop cleanly
    if (!chunk) {
      error = session.error;
      ok = false;
      break;
    }
    ok = writeChunk(*chunk, started->linkType, started->snapLength, file, &left, &written, &error);
  }
  // Ctrl-C (or SIGTERM), the end, or an error: stop the capture and keep what arrived.
  auto last = session.ask<protocol::LiveChunk>("live-stop", idParams);
  // A signal may also cut this wait short (a second Ctrl-C, or one that arrived just now): ask
  // once more, so that the capture does not stay on the node until its idle timeout.
  if (!last && g_interrupted) last = session.ask<protocol::LiveChunk>("live-stop", idParams);
  std::signal(SIGINT, previousInt);
  std::signal(SIGTERM, previousTerm);
  if (last && ok)
    ok = writeChunk(*last, started->linkType, started->snapLength, file, &left, &written, &error);
  std::string finishError;
  if (!file.finish(out, &finishError)) return fail(finishError);
  if (!ok) return fail(error + " (the packets until then are in " + out + ")");
  if (!last) return fail(session.error + " (the packets until then are in " + out + ")");
  std::fprintf(stderr,
               "netlens-node: %llu packets written to %s; the capture saw %llu packets (%llu "
               "bytes), %llu dropped by the node's buffer\n",
               static_cast<unsigned long long>(written), out.c_str(),
               static_cast<unsigned long long>(last->packets),
               static_cast<unsigned long long>(last->bytes),
               static_cast<unsigned long long>(last->dropped));
  return 0;
}

int listCaptures(Session& session, bool json) {
  auto list = session.ask<protocol::LiveCaptureList>("live-list", {});
  if (!list) return fail(session.error);
  if (json) {
    JsonWriter w;
    w.beginObject().key("captures").beginArray();
    for (const auto& c : list->captures) {
      w.beginObject();
      w.key("id").value(c.id).key("owner").value(c.owner).key("role").value(c.role);
      w.key("filter").value(c.filter).key("start").timeValue(c.startTime);
      w.key("packets").value(c.packets).key("bytes").value(c.bytes);
      w.key("dropped").value(c.dropped).key("buffered_bytes").value(c.bufferedBytes);
      w.key("last_fetch").timeValue(c.lastFetch);
      w.endObject();
    }
    w.endArray().endObject().raw("\n");
    std::fwrite(w.str().data(), 1, w.str().size(), stdout);
    return 0;
  }
  std::printf("%-4s %-20s %-7s %-24s %10s %12s %8s  %s\n", "ID", "OWNER", "ROLE", "START",
              "PACKETS", "BYTES", "DROPPED", "FILTER");
  for (const auto& c : list->captures) {
    std::printf("%-4llu %-20s %-7s %-24s %10llu %12llu %8llu  %s\n",
                static_cast<unsigned long long>(c.id), c.owner.c_str(), c.role.c_str(),
                isoTime(c.startTime).c_str(), static_cast<unsigned long long>(c.packets),
                static_cast<unsigned long long>(c.bytes),
                static_cast<unsigned long long>(c.dropped), c.filter.c_str());
  }
  return 0;
}

}  // namespace

int liveQueryCommand(int argc, char** argv) {
  std::vector<std::string_view> options{"--key", "--timeout", "--write", "--duration", "--count"};
  for (const auto& [option, name] : kCriteria) options.push_back(option);
  for (const char* signature : {"--payload", "--payload-hex", "--payload-regex"})
    options.push_back(signature);
  Arguments args(options, std::vector<std::string_view>{"--json", "--per-session"});
  std::string error;
  if (!args.parse(argc, argv, 0, &error)) return fail(error);
  for (const char* signature : {"--payload", "--payload-hex", "--payload-regex", "--per-session"}) {
    if (args.has(signature))
      return fail(std::string(signature) +
                  ": live capture does not take payload signatures (it filters with BPF on the "
                  "node's capture threads); search the packet store instead (query URL search " +
                  signature + " ...), or match fixed bytes at a fixed place with --bpf");
  }
  if (args.positional().size() != 2)
    return fail(
        "usage: netlens-node query URL live [criteria] --write OUT.pcap [--duration S] "
        "[--count N] | netlens-node query URL captures [--json]");
  const bool live = args.positional()[1] == "live";
  if (!live && args.has("--write")) return fail("--write goes with live");
  if (live && args.has("--json")) return fail("--json goes with captures");
  auto server = transport::ConnectionString::parse(args.positional()[0]);
  if (!server) return fail(server.error());
  long long seconds = 8;
  if (args.has("--timeout") && !parseInteger(args.value("--timeout"), 1, 3600, &seconds))
    return fail("--timeout takes seconds");
  const std::filesystem::path keyFile = args.value("--key", defaultClientKeyFile().string());
  if (!std::filesystem::exists(keyFile))
    return fail("no client key at " + keyFile.string() +
                ": make one with `netlens-node keygen --out FILE`, authorise its public key on "
                "the node, and pass --key FILE");
  auto keys = transport::loadKeyPair(keyFile);
  if (!keys) return fail(keys.error());
  zmq::context_t context(1);
  transport::ControlClient client(context, *server, *keys);
  Session session{client, std::chrono::seconds(seconds), {}};
  return live ? runLive(session, args) : listCaptures(session, args.has("--json"));
}

}  // namespace netlens::node::cli
