// SPDX-License-Identifier: MIT
#include "node/cli/audio_query.h"

#include <unistd.h>

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "node/cli/arguments.h"
#include "node/cli/state_dir.h"
#include "node/cli/store_options.h"
#include "shared/audio/remote_audio.h"
#include "shared/protocol/codec.h"
#include "shared/transport/connection_string.h"
#include "shared/transport/control_client.h"
#include "shared/transport/keys.h"

namespace netlens::node::cli {

int audioQueryCommand(int argc, char** argv) {
  Arguments args({"--key", "--timeout", "--call", "--ssrc", "--src", "--dst", "--from", "--to",
                  "--mp3", "--wav", "--page-size", "--max-seconds"},
                 {"--separate"});
  std::string error;
  if (!args.parse(argc, argv, 0, &error)) return fail(error);
  if (args.positional().size() != 2)
    return fail(
        "usage: netlens-node query URL audio --call CALL-ID|--ssrc SSRC --mp3 OUT.mp3|--wav "
        "OUT.wav [--separate] [--src ADDR:PORT] [--dst ADDR:PORT] [--from NS] [--to NS]");
  if (args.has("--ssrc") == args.has("--call"))
    return fail("query ... audio needs either --ssrc SSRC (e.g. 0x1a2b3c4d) or --call CALL-ID");
  if (args.has("--mp3") == args.has("--wav"))
    return fail("query ... audio needs either --mp3 OUT.mp3 or --wav OUT.wav");
  if (args.has("--separate") && !args.has("--call"))
    return fail("--separate goes with --call (a call's streams, one file each)");
  if ((args.has("--src") || args.has("--dst")) && !args.has("--ssrc"))
    return fail("--src and --dst go with --ssrc (they pick one flow of that SSRC)");
  auto server = transport::ConnectionString::parse(args.positional()[0]);
  if (!server) return fail(server.error());
  long long seconds = 8;
  if (args.has("--timeout") && !parseInteger(args.value("--timeout"), 1, 3600, &seconds))
    return fail("--timeout takes seconds");
  audio::AssemblerLimits limits;
  long long n = 0;
  if (args.has("--max-seconds")) {
    if (!parseInteger(args.value("--max-seconds"), 1, 4 * 3600, &n))
      return fail("--max-seconds takes seconds from 1 to 14400 (4 hours, the default)");
    limits.maxSeconds = static_cast<std::uint32_t>(n);
  }
  protocol::Params params;
  if (args.has("--call")) params["call"] = args.value("--call");
  for (const char* option : {"--ssrc", "--src", "--dst", "--from", "--to"}) {
    if (args.has(option)) params[option + 2] = args.value(option);
  }
  if (args.has("--page-size")) {
    std::uint64_t bytes = 0;
    if (!parseSize(args.value("--page-size"), &bytes) || bytes < protocol::kMinAudioPageBytes ||
        bytes > protocol::kMaxAudioPageBytes)
      return fail("--page-size takes a size from 4K to 16M (e.g. 1M)");
    params["max-bytes"] = std::to_string(bytes);
  }
  const std::filesystem::path keyFile = args.value("--key", defaultClientKeyFile().string());
  if (!std::filesystem::exists(keyFile))
    return fail("no client key at " + keyFile.string() +
                ": make one with `netlens-node keygen --out FILE`, authorise its public key on "
                "the node, and pass --key FILE");
  auto keys = transport::loadKeyPair(keyFile);
  if (!keys) return fail(keys.error());

  zmq::context_t context(1);
  transport::ControlClient client(context, *server, *keys);
  audio::RemoteAudio remote(limits);
  const bool tty = ::isatty(2) != 0;
  int pages = 0;
  for (;;) {
    // One page per request: the node sends only what was asked for.
    auto result = client.request("audio", params, std::chrono::seconds(seconds));
    if (!result) return fail(result.failure().message);
    if (result.reply().isError())
      return fail("the node answered with an error: " + result.reply().error->message);
    auto page = protocol::decodeBody<protocol::AudioChunk>(result.reply().body);
    if (!page) return fail("bad reply from the node: " + page.error());
    if (!remote.addPage(*page, &error)) return fail(error);
    ++pages;
    if (tty) {
      std::fprintf(stderr, "\r%" PRIu64 " of about %" PRIu64 " packets, %" PRIu64 " bytes",
                   remote.packets(), remote.estimatedPackets(), remote.payloadBytes());
    }
    if (page->resume.empty()) break;
    // A node that answers with the same resume point again would keep us asking forever.
    if (params.count("after") && params["after"] == page->resume)
      return fail("the node sent the same page again (resume point " + page->resume + ")");
    params["after"] = page->resume;
  }
  if (tty) std::fprintf(stderr, "\n");
  std::fprintf(stderr,
               "netlens-node: %" PRIu64 " RTP packets (%" PRIu64 " payload bytes) in %d pages\n",
               remote.packets(), remote.payloadBytes(), pages);
  const bool mp3 = args.has("--mp3");
  std::vector<std::string> written;
  std::vector<std::string> messages;
  const bool ok = remote.write(mp3 ? args.value("--mp3") : args.value("--wav"), mp3,
                               args.has("--separate"), &written, &messages, &error);
  for (const auto& m : messages) std::fprintf(stderr, "netlens-node: %s\n", m.c_str());
  return ok ? 0 : fail(error);
}

}  // namespace netlens::node::cli
