// SPDX-License-Identifier: MIT
// `ingest` and `search`: the packet store from the command line, offline.
#include <cctype>
#include <cstdio>
#include <ctime>
#include <map>
#include <string>
#include <tuple>

#include "node/capture/pcap_source.h"
#include "node/cli/arguments.h"
#include "node/cli/commands.h"
#include "node/cli/json_writer.h"
#include "node/cli/store_options.h"
#include "node/store/packet_store.h"
#include "shared/decoder/packet_decoder.h"
#include "shared/pcap/pcap_writer.h"

namespace netlens::node::cli {

namespace {

/// Nanoseconds since the epoch, or an ISO 8601 UTC time "2024-05-01T12:00:00[.123456789]Z".
bool parseTime(const std::string& text, std::int64_t* out) {
  long long ns = 0;
  if (parseInteger(text, 0, INT64_MAX, &ns)) {
    *out = ns;
    return true;
  }
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6)
    return false;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::int64_t fraction = 0;
  std::size_t i = static_cast<std::size_t>(consumed);
  if (i < text.size() && text[i] == '.') {
    int digits = 0;
    for (++i; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i, ++digits)
      if (digits < 9) fraction = fraction * 10 + (text[i] - '0');
    for (; digits < 9; ++digits) fraction *= 10;
  }
  if (i + 1 != text.size() || text[i] != 'Z') return false;
  *out = static_cast<std::int64_t>(timegm(&tm)) * 1'000'000'000 + fraction;
  return true;
}

bool addSided(const Arguments& args, const char* either, const char* src, const char* dst,
              const std::function<bool(const std::string&, store::Side)>& add) {
  for (auto [option, side] :
       {std::pair{either, store::Side::Either}, std::pair{src, store::Side::Source},
        std::pair{dst, store::Side::Destination}}) {
    for (const auto& v : args.values(option)) {
      if (!add(v, side)) return false;
    }
  }
  return true;
}

bool parseCriteria(const Arguments& args, store::SearchCriteria* c) {
  for (const char* option : {"--from", "--to"}) {
    if (!args.has(option)) continue;
    std::int64_t t = 0;
    if (!parseTime(args.value(option), &t)) {
      fail(std::string(option) + " takes nanoseconds since the epoch or a UTC time such as " +
           "2024-05-01T12:00:00Z, not \"" + args.value(option) + "\"");
      return false;
    }
    (std::string_view(option) == "--from" ? c->from : c->to) = t;
  }
  if (c->from && c->to && *c->from > *c->to) {
    fail("--from is after --to");
    return false;
  }
  bool ok = addSided(args, "--host", "--src-host", "--dst-host",
                     [&](const std::string& v, store::Side side) {
                       auto ip = net::IpAddress::parse(v);
                       if (!ip) return fail("\"" + v + "\" is not an IPv4 or IPv6 address"), false;
                       c->hosts.push_back({*ip, side});
                       return true;
                     }) &&
            addSided(args, "--mac", "--src-mac", "--dst-mac",
                     [&](const std::string& v, store::Side side) {
                       auto mac = net::MacAddress::parse(v);
                       if (!mac) return fail("\"" + v + "\" is not a MAC address"), false;
                       c->macs.push_back({*mac, side});
                       return true;
                     }) &&
            addSided(args, "--port", "--src-port", "--dst-port",
                     [&](const std::string& v, store::Side side) {
                       long long port = 0;
                       if (!parseInteger(v, 0, 65535, &port))
                         return fail("\"" + v + "\" is not a port (0 to 65535)"), false;
                       c->ports.push_back({static_cast<std::uint16_t>(port), side});
                       return true;
                     });
  if (!ok) return false;
  static const std::map<std::string, std::uint8_t> kProtocols{
      {"icmp", 1}, {"tcp", 6}, {"udp", 17}, {"gre", 47}, {"esp", 50}, {"icmp6", 58}, {"sctp", 132}};
  for (const auto& v : args.values("--proto")) {
    long long n = 0;
    if (auto it = kProtocols.find(v); it != kProtocols.end()) {
      c->protocols.push_back(it->second);
    } else if (parseInteger(v, 0, 255, &n)) {
      c->protocols.push_back(static_cast<std::uint8_t>(n));
    } else {
      fail("--proto takes tcp, udp, icmp, icmp6, sctp, gre, esp or a number, not \"" + v + "\"");
      return false;
    }
  }
  for (const auto& v : args.values("--vlan")) {
    long long n = 0;
    if (!parseInteger(v, 0, 4095, &n)) {
      fail("--vlan takes a VLAN id from 0 to 4095, not \"" + v + "\"");
      return false;
    }
    c->vlans.push_back(static_cast<std::uint16_t>(n));
  }
  c->bpf = args.value("--bpf");
  return true;
}

/// A session of the --list output: packets of one flow (both directions together).
struct Session {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
  std::int64_t first = 0;
  std::int64_t last = 0;
};

}  // namespace

int ingestCommand(int argc, char** argv) {
  Arguments args({"-r", "--store", "--store-size", "--segment-size"}, {});
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
  std::printf("stored %llu packets; the store holds %llu packets in %llu segments (%llu bytes)\n",
              static_cast<unsigned long long>(packets), static_cast<unsigned long long>(r.packets),
              static_cast<unsigned long long>(r.segments),
              static_cast<unsigned long long>(r.bytes));
  return 0;
}

int searchCommand(int argc, char** argv) {
  Arguments args({"--store", "--store-size", "--segment-size", "--from", "--to", "--host",
                  "--src-host", "--dst-host", "--mac", "--src-mac", "--dst-mac", "--port",
                  "--src-port", "--dst-port", "--proto", "--vlan", "--bpf", "--write"},
                 {"--list"});
  std::string error;
  if (!args.parse(argc, argv, 0, &error)) return fail(error + " (see netlens-node --help)");
  if (args.has("--write") == args.has("--list"))
    return fail("search needs --write OUT.pcap (the packets) or --list (the sessions)");
  store::StoreOptions options;
  if (!storeOptionsFrom(args, &options)) return 1;
  // A copied store may be bigger than the default ring: never delete anything here.
  options.maxBytes = UINT64_MAX;
  store::SearchCriteria criteria;
  if (!parseCriteria(args, &criteria)) return 1;
  auto opened = store::PacketStore::open(options);
  if (!opened) return fail(opened.error());

  pcap::PcapWriter writer;
  const std::string out = args.value("--write");
  std::map<std::tuple<int, net::IpAddress, std::uint16_t, net::IpAddress, std::uint16_t>, Session>
      sessions;
  std::uint64_t packets = 0;
  store::SearchStats stats;
  decoder::DecodedPacket decoded;
  auto st = (*opened)->search(
      criteria,
      [&](const store::StoredPacket& p) {
        ++packets;
        if (!out.empty()) {
          if (!writer.isOpen() && !writer.open(out, p.linkType, pcap::kDefaultSnapLength, &error))
            return false;
          if (writer.linkType() != p.linkType) {
            error =
                "the matching packets have several link types; a pcap file holds one: "
                "narrow the search (e.g. --from/--to)";
            return false;
          }
          return writer.writePacket(p.timestampNs, {p.data, p.capturedLength}, p.wireLength,
                                    &error);
        }
        decoder::PacketDecoder::decode(static_cast<int>(p.linkType), p.data, p.capturedLength,
                                       p.wireLength, p.timestampNs, decoded);
        auto key = std::make_tuple(-1, net::IpAddress{}, std::uint16_t{0}, net::IpAddress{},
                                   std::uint16_t{0});
        if (decoded.hasIp()) {
          const auto& ip = decoded.innermostIp();
          const auto& t = decoded.transport;
          auto a = std::make_pair(ip.src, t.hasPorts() ? t.srcPort : std::uint16_t{0});
          auto b = std::make_pair(ip.dst, t.hasPorts() ? t.dstPort : std::uint16_t{0});
          if (b < a) std::swap(a, b);  // both directions are one session
          key = std::make_tuple(int{ip.protocol}, a.first, a.second, b.first, b.second);
        }
        Session& s = sessions[key];
        if (s.packets == 0 || p.timestampNs < s.first) s.first = p.timestampNs;
        if (p.timestampNs > s.last) s.last = p.timestampNs;
        ++s.packets;
        s.bytes += p.wireLength;
        return true;
      },
      &stats);
  if (!st) return fail(st.error());
  if (!error.empty()) return fail(error);
  if (!out.empty()) {
    if (!writer.isOpen() && !writer.open(out, &error)) return fail(error);  // an empty result
    if (!writer.close(&error)) return fail(error);
    std::fprintf(stderr, "netlens-node: %llu packets written to %s\n",
                 static_cast<unsigned long long>(packets), out.c_str());
    return 0;
  }
  JsonWriter w;
  w.beginObject().key("search").beginObject();
  w.key("packets").value(packets);
  w.key("segments").value(stats.segments);
  w.key("segments_skipped").value(stats.segmentsSkipped);
  w.key("packets_read").value(stats.candidates);
  w.key("sessions").beginArray();
  for (const auto& [key, s] : sessions) {
    const auto& [proto, a, aPort, b, bPort] = key;
    w.beginObject();
    if (proto >= 0) {
      w.key("protocol").value(static_cast<std::uint64_t>(proto));
      w.key("a_ip").value(a.toString());
      w.key("a_port").value(static_cast<std::uint64_t>(aPort));
      w.key("b_ip").value(b.toString());
      w.key("b_port").value(static_cast<std::uint64_t>(bPort));
    }
    w.key("packets").value(s.packets);
    w.key("bytes").value(s.bytes);
    w.key("first_seen").timeValue(s.first);
    w.key("last_seen").timeValue(s.last);
    w.endObject();
  }
  w.endArray().endObject().endObject();
  w.raw("\n");
  const std::string text = w.take();
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

}  // namespace netlens::node::cli
