// SPDX-License-Identifier: MIT
// netlens-node: capture, analyse and serve; offline analysis and remote queries for scripts.
#include <cstdio>
#include <cstring>
#include <string_view>

#include "node/cli/commands.h"

namespace {

constexpr const char* kUsage = R"(netlens-node — Netlens capture node

Usage:
  netlens-node run [-i IFACE]... [-r FILE]... [options] [BPF filter]
      Capture and analyse, serve statistics over CURVE-encrypted ZeroMQ.
        -i IFACE             live interface (several allowed; promiscuous, immediate mode)
        -r FILE              pcap or pcapng file (several allowed, read in order)
        --demo               replay the built-in demo traffic (in real time, looping)
        --pace realtime|fast replay files at their recorded pace (default: fast)
        --loop               replay files forever, shifting packet time
        --state DIR          key pair and authorized_keys (default: per-user state folder)
        --listen HOST:PORT   control socket (default 0.0.0.0:7400); publisher on PORT+1
        --name NAME          node name shown in consoles (default: host name)
        --workers N          analyser threads (default 1)
        --snaplen N          capture snap length (default 262144)
        --no-promisc         do not put interfaces into promiscuous mode
        --inactivity-gap S   seconds of silence after which a host's "first recent" restarts (300)
        --groups FILE        IP groups at start (lines "name prefix [prefix...]"); groups an
                             admin sets at run time are kept in the state folder and win
        --max-groups N       most IP groups accepted (default 32, at most 65535)
        --history-hosts N    hosts with a per-IP history, per worker (1024; ~30 KB each)
        --history-connections N  connections with a history, per worker (1024; ~30 KB each)
        --history-peers N    peer pairs with a history, per worker (1024; ~30 KB each)
        --history-qos N      QoS classes of addresses with a history, per worker (1024; ~30 KB each)
        --history-handshakes N  addresses with a TCP handshake history, per worker (256;
                             ~91 KB each)
        --disable-analysis NAME[,NAME...]  analyses not to run: connections, layer7,
                             peer-history, qos, tls-details (all on)
        --max-hosts N, --max-connections N  table budgets per worker (1048576 each)
        --host-idle S, --connection-idle S  evict entries quiet for S seconds of packet time
                             (0: never; default 0, connections 3600 on live interfaces)
        --geoip FILE         MaxMind DB (e.g. GeoLite2-Country.mmdb) for countries (none)
        --oui DIR            IEEE OUI lists for NIC vendors (default /usr/share/ieee-data)
        --jitter-buffer fixed:MS|adaptive:MAXMS  receiver buffer simulated for the RTP MOS
                             (default fixed:50); also on analyze
        --network-delay MS   one-way network delay added to the MOS' delay (default 20)
        --store DIR          keep every packet in a packet ring in DIR (searchable)
        --store-size SIZE    the ring's size, e.g. 20G (default 1G); oldest segments go first
        --segment-size SIZE  segment file size (default 64M)
        --store-filter EXPR  store only the packets matching this BPF expression
        --live-idle-timeout S  stop a live capture not fetched for S seconds (default 30)
  netlens-node analyze -r FILE... --json hosts|global|connections|history|groups|ip [IP]|
                       group [NAME]|rtp|sip|calls [--workers N] [--groups FILE]
                       [--max-groups N] [--geoip FILE] [--oui DIR]
                       [--series global|ip|group|connection|peer|qos] [--ip IP] [--name GROUP]
                       [--proto P --client IP --client-port N --server IP --server-port N]
                       [--peer IP] [--layer dscp|vlan_pcp|mpls_tc --class N]
                       [--resolution 1s|1m|1h] [--from NS] [--to NS]
                       [budget, history and --disable-analysis options as for run] [BPF filter]
      Analyse files offline and print the figures a node would serve, as JSON.
  netlens-node query URL hosts|global|connections|ip|history|groups|rtp|sip|calls --json [--key FILE]
                     [--timeout S] [--ip IP] [--group GROUP] [--limit N]
                     [--series global|ip|group|connection|peer|qos] [--proto P --client IP
                     --client-port N --server IP --server-port N] [--peer IP]
                     [--layer dscp|vlan_pcp|mpls_tc --class N]
                     [--resolution 1s|1m|1h] [--from NS] [--to NS] [--name GROUP] [--members]
  netlens-node query URL search [criteria as for search] --write OUT.pcap|--list
                     [--limit N] [--key FILE] [--page-size SIZE] [--after TOKEN]
      Search a running node's packet ring. --write downloads in pages (default 4M) with
      progress; --after resumes where a stopped download ended. --list: at most 100000.
  netlens-node query URL URL... search [criteria] --write OUT.pcapng [--dedup-window MS]
      Search several nodes and merge their packets into one file in time order, one
      interface per node and capture source ("node/eth0"), copies seen by two nodes within
      MS (default 10) written once.
  netlens-node query URL live [criteria as for search] [--group NAME]
                    [--connection "tcp A:P B:Q"|"gre A B"] [--dscp N|ef|af41...]
                    [--snaplen N] [--bpf-code CODE] [--buffer BYTES] --write OUT.pcap
                    [--duration S]
                    [--count N]
      Live capture: packets matching the criteria as they arrive, until S seconds, N
      packets or Ctrl-C; the node keeps them in a buffer (default 8 MiB) fetched every 200 ms.
  netlens-node query URL audio --call CALL-ID|--ssrc SSRC --mp3 OUT.mp3|--wav OUT.wav
                     [--separate] [--src A:P] [--dst A:P] [--from NS] [--to NS]
                     [--page-size SIZE] [--max-seconds S] [--key FILE]
      A call's or a stream's audio from a running node's packet store (run --store), as
      the audio command writes it (pages of 1M by default).
  netlens-node query URL captures [--json]
      The node's live captures with their owners.
  netlens-node query URL set-groups --groups FILE [--key FILE]
      Ask a running node; set-groups (admin key) replaces the node's IP groups.
      (URL = netlens://HOST:PORT?key=...). Answers or fails within 10 s
      (--timeout S, default 8, bounds the network wait).
  netlens-node ingest -r FILE... --store DIR [--store-size SIZE] [--segment-size SIZE]
                      [--store-filter EXPR]
      Store and index capture files in a packet store folder, then exit (SIZE: 500M, 20G;
      defaults 1G and 64M; the oldest segments are deleted beyond the store size).
  netlens-node search --store DIR [--from T] [--to T] [--host IP] [--src-host IP]
                      [--dst-host IP] [--mac MAC] [--src-mac MAC] [--dst-mac MAC] [--port N]
                      [--src-port N] [--dst-port N] [--proto P] [--vlan ID]
                      [--connection "tcp A:P B:Q"|"icmp A B"] [--bpf EXPR]
                      [--bpf-code "N,code jt jf k,..." (tcpdump -ddd)]
                      [--payload TEXT | --payload-hex HEX | --payload-regex RE]
                      [--per-session]
                      [--http-host H] [--http-url PART] [--http-user-agent PART]
                      [--http-file NAME] [--http-user USER]
                      --write OUT.pcap|OUT.pcapng | --list
      Search a store folder offline (T: ns since the epoch or 2024-05-01T12:00:00Z); every
      criterion given must hold, repeated ones are alternatives. --list prints the sessions;
      a name not ending in .pcap is written as pcapng, one interface per capture source.
  netlens-node audio -r FILE... --ssrc SSRC|--call CALL-ID --mp3 OUT.mp3|--wav OUT.wav
                     [--separate] [--max-seconds S]
      Save a stream's audio (mono), or a call's: stereo, left caller -> callee, right callee
      -> caller; --separate writes one file per stream, OUT-0x<ssrc>.mp3. Decodes PCMU, PCMA,
      G722 and G729; losses and gaps are silence; at most S seconds per stream (14400).
  netlens-node keygen [--out FILE]
      Make a client key pair (mode 0600) and print its public key.
  netlens-node authorize PUBKEY --role viewer|admin [--comment TEXT] [--state DIR]
      Allow a console's (or client's) public key. A key that begins with '-' may also be
      written after `--`: authorize --role viewer -- PUBKEY
  netlens-node connection-string [--state DIR] [--host H] [--port P]
      Print the string a console pastes to connect to this node.
  netlens-node demo --out FILE [--seconds N] [--seed S]
      Write the demo capture.
  netlens-node --help | --version
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace netlens::node::cli;
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string_view command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (command == "--version") {
    std::printf("netlens-node %s\n", NETLENS_VERSION);
    return 0;
  }
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::fputs(kUsage, stdout);
      return 0;
    }
  }
  if (command == "run") return runCommand(argc - 2, argv + 2);
  if (command == "analyze") return analyzeCommand(argc - 2, argv + 2);
  if (command == "query") return queryCommand(argc - 2, argv + 2);
  if (command == "keygen") return keygenCommand(argc - 2, argv + 2);
  if (command == "authorize") return authorizeCommand(argc - 2, argv + 2);
  if (command == "connection-string") return connectionStringCommand(argc - 2, argv + 2);
  if (command == "demo") return demoCommand(argc - 2, argv + 2);
  if (command == "ingest") return ingestCommand(argc - 2, argv + 2);
  if (command == "search") return searchCommand(argc - 2, argv + 2);
  if (command == "audio") return audioCommand(argc - 2, argv + 2);
  std::fprintf(stderr, "netlens-node: unknown command \"%s\"; see netlens-node --help\n", argv[1]);
  return 2;
}
