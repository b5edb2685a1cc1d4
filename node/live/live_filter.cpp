// SPDX-License-Identifier: MIT
#include "node/live/live_filter.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <vector>

#include "node/capture/bpf_filter.h"
#include "shared/net/ip_address.h"
#include "shared/net/ip_groups.h"
#include "shared/protocol/param_text.h"

namespace netlens::node::live {

namespace {

using protocol::parseNumber;
using protocol::splitCommas;

/// "src " / "dst " / "" for the parameter prefixes "src-" / "dst-" / none of `base`.
bool directionOf(const std::string& name, const std::string& base, std::string* direction) {
  if (name == base) {
    direction->clear();
  } else if (name == "src-" + base) {
    *direction = "src ";
  } else if (name == "dst-" + base) {
    *direction = "dst ";
  } else {
    return false;
  }
  return true;
}

std::string anyOf(const std::vector<std::string>& terms) {
  if (terms.size() == 1) return terms.front();
  std::string out = "(";
  for (std::size_t i = 0; i < terms.size(); ++i) out += (i ? " or " : "") + terms[i];
  return out + ")";
}

/// A connection (protocol::parseConnectionText) → both directions of that flow.
bool connectionTerm(const std::string& text, std::string* term) {
  const auto c = protocol::parseConnectionText(text);
  if (!c) return false;
  if (!c->hasPorts()) {
    const std::string n = std::to_string(c->protocol);
    *term = "((ip proto " + n + " or ip6 proto " + n + ") and host " + c->a.toString() +
            " and host " + c->b.toString() + ")";
    return true;
  }
  const auto side = [](const std::string& dir, const net::IpAddress& ip, std::uint16_t port) {
    return dir + " host " + ip.toString() + " and " + dir + " port " + std::to_string(port);
  };
  const char* proto = c->protocol == 6 ? "tcp" : c->protocol == 17 ? "udp" : "sctp";
  *term = std::string("(") + proto + " and ((" + side("src", c->a, c->aPort) + " and " +
          side("dst", c->b, c->bPort) + ") or (" + side("src", c->b, c->bPort) + " and " +
          side("dst", c->a, c->aPort) + ")))";
  return true;
}

bool bad(const std::string& name, const std::string& value, const std::string& takes,
         std::string* problem) {
  *problem = "parameter " + name + ": \"" + value + "\" is not " + takes;
  return false;
}

}  // namespace

int parseDscp(const std::string& text) {
  std::string t = text;
  std::transform(t.begin(), t.end(), t.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::uint64_t n = 0;
  if (parseNumber(t, 63, &n)) return static_cast<int>(n);
  if (t == "ef") return 46;
  if (t == "va") return 44;
  if (t == "le") return 1;
  if (t == "be" || t == "df") return 0;
  if (t.size() == 3 && t.compare(0, 2, "cs") == 0 && t[2] >= '0' && t[2] <= '7')
    return 8 * (t[2] - '0');
  if (t.size() == 4 && t.compare(0, 2, "af") == 0 && t[2] >= '1' && t[2] <= '4' && t[3] >= '1' &&
      t[3] <= '3')
    return 8 * (t[2] - '0') + 2 * (t[3] - '0');
  return -1;
}

bool buildLiveFilter(const protocol::Params& params, const net::IpGroupSet& groups,
                     LiveFilterSpec* out, std::string* problem) {
  LiveFilterSpec spec;
  std::vector<std::string> criteria;  // joined with "and"
  std::string vlanTerm;
  std::string userBpf;
  std::string direction;
  for (const auto& [name, value] : params) {
    const auto values = splitCommas(value);
    if (values.empty() && name != "bpf" && name != "bpf-code") {
      *problem = "parameter " + name + " is empty";
      return false;
    }
    std::vector<std::string> terms;  // joined with "or"
    if (directionOf(name, "host", &direction)) {
      for (const auto& v : values) {
        const auto ip = net::IpAddress::parse(v);
        if (!ip) return bad(name, v, "an IP address", problem);
        terms.push_back(direction + "host " + ip->toString());
      }
    } else if (directionOf(name, "port", &direction)) {
      for (const auto& v : values) {
        std::uint64_t port = 0;
        if (!parseNumber(v, 65535, &port)) return bad(name, v, "a port (0 to 65535)", problem);
        terms.push_back(direction + "port " + std::to_string(port));
      }
    } else if (directionOf(name, "mac", &direction)) {
      for (const auto& v : values) {
        const auto mac = net::MacAddress::parse(v);
        if (!mac) return bad(name, v, "a MAC address (aa:bb:cc:dd:ee:ff)", problem);
        terms.push_back("ether " + direction + "host " + mac->toString());
      }
    } else if (name == "proto") {
      for (const auto& v : values) {
        const auto p = protocol::parseIpProtocol(v);
        if (!p) return bad(name, v, protocol::kIpProtocolsTaken, problem);
        const std::string n = std::to_string(*p);
        terms.push_back("ip proto " + n + " or ip6 proto " + n);
      }
    } else if (name == "group") {
      for (const auto& v : values) {
        const auto index = groups.indexOf(v);
        if (!index) return bad(name, v, "an IP group of this node", problem);
        for (const auto& prefix : groups.definitions()[*index].prefixes)
          terms.push_back("net " + prefix);
      }
    } else if (name == "connection") {
      // A connection names its own alternatives with commas only between whole 5-tuples.
      std::string term;
      for (const auto& v : splitCommas(value)) {
        if (!connectionTerm(v, &term)) return bad(name, v, protocol::kConnectionTextTaken, problem);
        terms.push_back(term);
      }
    } else if (name == "dscp") {
      for (const auto& v : values) {
        const int dscp = parseDscp(v);
        if (dscp < 0)
          return bad(name, v, "a DSCP value (0 to 63, ef, af11 to af43, cs0 to cs7)", problem);
        terms.push_back("(ip and ip[1] & 0xfc = " + std::to_string(dscp << 2) +
                        ") or (ip6 and ip6[0:2] & 0xfc0 = " + std::to_string(dscp << 6) + ")");
      }
    } else if (name == "vlan") {
      std::uint64_t id = 0;
      if (values.size() != 1 || !parseNumber(values.front(), 4095, &id))
        return bad(name, value, "one VLAN id (0 to 4095; BPF cannot follow several tag choices)",
                   problem);
      vlanTerm = "vlan " + std::to_string(id);
      continue;
    } else if (name == "bpf") {
      userBpf = value;
      if (!userBpf.empty()) criteria.push_back("(" + userBpf + ")");
      continue;
    } else if (name == "bpf-code") {
      std::string error;
      if (!capture::BpfFilter::fromBytecode(value, &error)) {
        *problem = "parameter bpf-code: " + error;
        return false;
      }
      spec.bytecode = value;
      continue;
    } else if (name == "snaplen") {
      std::uint64_t n = 0;
      if (!parseNumber(value, 262144, &n) || n < 64)
        return bad(name, value, "a snapshot length from 64 to 262144 bytes", problem);
      spec.snapLength = static_cast<std::uint32_t>(n);
      continue;
    } else if (name == "max-bytes") {
      std::uint64_t n = 0;
      if (!parseNumber(value, protocol::kMaxLiveBufferBytes, &n) ||
          n < protocol::kMinLiveBufferBytes)
        return bad(name, value,
                   "a buffer size in bytes from " + std::to_string(protocol::kMinLiveBufferBytes) +
                       " to " + std::to_string(protocol::kMaxLiveBufferBytes),
                   problem);
      spec.maxBytes = n;
      continue;
    } else if (name == "payload" || name == "payload-hex" || name == "payload-regex" ||
               name == "payload-scope") {
      // Live captures filter with BPF on the capture threads, which never decode or wait;
      // a signature (and a regular expression above all) is the packet store's work.
      *problem = "unknown parameter \"" + name +
                 "\" for live-start: live capture does not take payload signatures (it "
                 "filters with BPF on the "
                 "capture threads); search the node's packet store for them (search with " +
                 name +
                 "), or match fixed bytes at a fixed place with bpf, e.g. "
                 "\"tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x47455420\" for GET at the start of a "
                 "TCP payload";
      return false;
    } else {
      *problem = "unknown parameter \"" + name +
                 "\" (live-start takes host, src-host, dst-host, port, src-port, dst-port, mac, "
                 "src-mac, dst-mac, proto, vlan, group, connection, dscp, bpf, bpf-code, snaplen, "
                 "max-bytes)";
      return false;
    }
    for (auto& t : terms)
      if (t.find(" or ") != std::string::npos) t = "(" + t + ")";
    criteria.push_back(anyOf(terms));
  }
  std::string core;
  for (std::size_t i = 0; i < criteria.size(); ++i) core += (i ? " and " : "") + criteria[i];
  if (!vlanTerm.empty()) {
    // "vlan" moves the offsets of everything after it to the tagged packet: it comes first.
    spec.filter = core.empty() ? vlanTerm : vlanTerm + " and " + core;
  } else if (!core.empty() && userBpf.empty()) {
    spec.filter = "(" + core + ") or (vlan and (" + core + "))";
  } else {
    spec.filter = core;
  }
  *out = std::move(spec);
  return true;
}

}  // namespace netlens::node::live
