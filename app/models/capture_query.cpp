// SPDX-License-Identifier: MIT
#include "app/models/capture_query.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>
#include <tuple>

#include "shared/net/ip_address.h"
#include "shared/net/ip_groups.h"
#include "shared/protocol/operation.h"
#include "shared/protocol/param_text.h"

namespace netlens::app::models {
namespace {

void setTimes(protocol::Params& params, protocol::TimeNs from, protocol::TimeNs to) {
  if (from > 0) params["from"] = std::to_string(from);
  if (to > 0) params["to"] = std::to_string(to);
}

/// `expression`, also matched behind one 802.1Q tag ("vlan" shifts the offsets of what follows).
std::string throughVlan(const std::string& expression) {
  return "(" + expression + ") or (vlan and (" + expression + "))";
}

std::string hex(unsigned value, int digits) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%0*x", digits, value);
  return text;
}

/// "(a or b …)", or `a` alone.
std::string anyOf(const std::vector<std::string>& terms) {
  if (terms.size() == 1) return terms.front();
  std::string out;
  for (const std::string& t : terms) out += (out.empty() ? "(" : " or ") + t;
  return out + ")";
}

/// An 802.1Q / 802.1ad / old QinQ tag's type at frame offset `at`, as libpcap's `vlan` tests.
std::string tagTypeAt(int at) {
  std::vector<std::string> types;
  for (unsigned tpid : {0x8100u, 0x88a8u, 0x9100u})
    types.push_back("ether[" + std::to_string(at) + ":2] = " + hex(tpid, 4));
  return anyOf(types);
}

/// The networks an L2 QoS filter selects, by IP version.
struct Networks {
  std::vector<net::IpPrefix> v4;
  std::vector<net::IpPrefix> v6;
  /// A /0 of that version: every address of it is in.
  bool allV4 = false;
  bool allV6 = false;

  explicit Networks(const std::vector<net::IpPrefix>& prefixes) {
    for (const net::IpPrefix& p : prefixes) {
      const bool v4 = p.address.isV4();
      if (p.length == 0) (v4 ? allV4 : allV6) = true;
      (v4 ? this->v4 : v6).push_back(p);
    }
  }
};

/// The address at frame offset `at` in `prefix`: its whole 32-bit words compared, the word the
/// prefix ends in masked ("" for a /0).
std::string inPrefixAt(int at, const net::IpPrefix& prefix) {
  std::vector<std::string> terms;
  for (int i = 0; 32 * i < prefix.length; ++i) {
    const auto* b = prefix.address.bytes.data() + 4 * i;
    const unsigned word =
        (unsigned{b[0]} << 24) | (unsigned{b[1]} << 16) | (unsigned{b[2]} << 8) | b[3];
    const int bits = std::min(32, prefix.length - 32 * i);
    const unsigned mask = bits == 32 ? 0xffffffffu : ~(0xffffffffu >> bits);
    const std::string field = "ether[" + std::to_string(at + 4 * i) + ":4]";
    terms.push_back(bits == 32 ? field + " = " + hex(word, 8)
                               : field + " & " + hex(mask, 8) + " = " + hex(word & mask, 8));
  }
  if (terms.size() <= 1) return terms.empty() ? std::string() : terms.front();
  std::string out;
  for (const std::string& t : terms) out += (out.empty() ? "(" : " and ") + t;
  return out + ")";
}

/// The IP header (of version 4 or 6, as `v4`) at frame offset `at` has its source or its
/// destination in one of `networks`; "" when every address of that version is in.
std::string networksAt(int at, const Networks& networks, bool v4) {
  if (v4 ? networks.allV4 : networks.allV6) return {};
  std::vector<std::string> terms;
  // Source and destination: IPv4 at 12 and 16, IPv6 at 8 and 24.
  for (int offset : v4 ? std::array{12, 16} : std::array{8, 24}) {
    for (const net::IpPrefix& p : v4 ? networks.v4 : networks.v6)
      terms.push_back(inPrefixAt(at + offset, p));
  }
  return anyOf(terms);
}

/// "A and B", or A alone when B is empty (always true).
std::string both(const std::string& a, const std::string& b) {
  return b.empty() ? a : a + " and " + b;
}

/// The IP headers that may follow a type or version test, one way per version with networks.
template <typename Test>
std::string ipWays(const Networks& networks, int ipAt, Test test) {
  std::vector<std::string> ways;
  if (!networks.v4.empty())
    ways.push_back("(" + both(test(true), networksAt(ipAt, networks, true)) + ")");
  if (!networks.v6.empty())
    ways.push_back("(" + both(test(false), networksAt(ipAt, networks, false)) + ")");
  return anyOf(ways);
}

/// The MPLS label stack from frame offset `at` (its first label), at most `left` labels, the
/// bottom one (S bit set) followed by an IP header with an address in `networks`.
std::string labelsFrom(int at, int left, const Networks& networks) {
  const std::string sBit = "ether[" + std::to_string(at + 2) + "] & 1";
  const std::string version = "ether[" + std::to_string(at + 4) + "] & 0xf0 = ";
  const std::string bottom =
      "(" + sBit + " = 1 and " +
      ipWays(networks, at + 4, [&](bool v4) { return version + (v4 ? "0x40" : "0x60"); }) + ")";
  if (left <= 1) return bottom;
  return "(" + bottom + " or (" + sBit + " = 0 and " + labelsFrom(at + 4, left - 1, networks) +
         "))";
}

/// After `tags` VLAN tags: IP in `networks` (PCP only: its tag was the outermost), MPLS labels
/// then IP (for a TC, the top label's class checked), or one more tag.
std::string afterTags(int tags, L2QosField field, int value, const Networks& networks) {
  const int type = 12 + 4 * tags;  // the type field after the tags
  const std::string at = std::to_string(type);
  std::vector<std::string> ways;
  if (field == L2QosField::VlanPcp) {
    ways.push_back(ipWays(networks, type + 2, [&](bool v4) {
      return "ether[" + at + ":2] = " + (v4 ? "0x0800" : "0x86dd");
    }));
  }
  std::string mpls = "((ether[" + at + ":2] = 0x8847 or ether[" + at + ":2] = 0x8848) and ";
  if (field == L2QosField::MplsTc)
    mpls += "ether[" + std::to_string(type + 4) + "] & 0x0e = " + hex(value << 1, 2) + " and ";
  ways.push_back(mpls + labelsFrom(type + 2, CaptureQueries::kL2Labels, networks) + ")");
  if (tags < CaptureQueries::kL2Tags)
    ways.push_back("(" + tagTypeAt(type) + " and " + afterTags(tags + 1, field, value, networks) +
                   ")");
  return anyOf(ways);
}

/// A group's prefixes as parsed; those that do not parse (never sent by a node) are left out.
std::vector<net::IpPrefix> parsePrefixes(const std::vector<std::string>& texts) {
  std::vector<net::IpPrefix> out;
  for (const std::string& text : texts) {
    if (auto p = net::IpPrefix::parse(text)) out.push_back(*p);
  }
  return out;
}

/// The IP packets to or from a group's prefixes, and `also` where given, untagged or behind one
/// tag ("net" alone also takes ARP; a group is about IP traffic, as its counters are).
std::string groupBpf(const std::vector<std::string>& prefixes, const std::string& also = {}) {
  std::string nets;
  for (const std::string& prefix : prefixes) {
    if (!nets.empty()) nets += " or ";
    nets += "net " + prefix;
  }
  std::string expression = "(ip or ip6) and (" + nets + ")";
  if (!also.empty()) expression += " and " + also;
  return throughVlan(expression);
}

/// A query of a group's row whose BPF selects it all (the other criteria narrow the index).
CaptureQuery groupRowQuery(const QString& title, const QString& stem, std::string bpf,
                           protocol::TimeNs from, protocol::TimeNs to) {
  CaptureQuery q{title, CaptureQueries::safeStem(stem), {}};
  q.params["bpf"] = std::move(bpf);
  q.bpfSelectsAll = true;
  setTimes(q.params, from, to);
  return q;
}

QString protocolName(std::uint8_t protocol) {
  switch (protocol) {
    case 1:
      return QStringLiteral("icmp");
    case 6:
      return QStringLiteral("tcp");
    case 17:
      return QStringLiteral("udp");
    case 58:
      return QStringLiteral("icmp6");
    case 132:
      return QStringLiteral("sctp");
    default:
      return QString::number(protocol);
  }
}

}  // namespace

QString CaptureQueries::safeStem(const QString& text) {
  QString out;
  out.reserve(text.size());
  for (QChar c : text) {
    const bool keep = c.unicode() < 0x80 && (c.isLetterOrNumber() || c == QLatin1Char('.') ||
                                             c == QLatin1Char('-') || c == QLatin1Char('_'));
    out += keep ? c : QLatin1Char('-');
  }
  return out;
}

CaptureQuery CaptureQueries::forHost(const net::IpAddress& ip, protocol::TimeNs from,
                                     protocol::TimeNs to) {
  const QString text = QString::fromStdString(ip.toString());
  CaptureQuery q{tr("host %1").arg(text), safeStem(QStringLiteral("host-") + text), {}};
  q.params["host"] = ip.toString();
  setTimes(q.params, from, to);
  return q;
}

CaptureQuery CaptureQueries::forHostMac(const net::IpAddress& ip, const net::MacAddress& mac,
                                        protocol::TimeNs from, protocol::TimeNs to) {
  const QString ipText = QString::fromStdString(ip.toString());
  const QString macText = QString::fromStdString(mac.toString());
  CaptureQuery q{tr("host %1, MAC %2").arg(ipText, macText),
                 safeStem(QStringLiteral("host-%1-mac-%2").arg(ipText, macText)),
                 {}};
  q.params["host"] = ip.toString();
  q.params["mac"] = mac.toString();
  setTimes(q.params, from, to);
  return q;
}

CaptureQuery CaptureQueries::forGroup(const QString& name, const std::vector<std::string>& prefixes,
                                      protocol::TimeNs from, protocol::TimeNs to) {
  if (prefixes.empty()) return {};
  CaptureQuery q{tr("group %1").arg(name), safeStem(QStringLiteral("group-") + name), {}};
  q.params["bpf"] = groupBpf(prefixes);
  setTimes(q.params, from, to);
  return q;
}

CaptureQuery CaptureQueries::forGroupDscp(const QString& name,
                                          const std::vector<std::string>& prefixes, int dscp,
                                          protocol::TimeNs from, protocol::TimeNs to) {
  if (prefixes.empty()) return {};
  const int value = std::clamp(dscp, 0, 63);
  const std::string dscpTerm = "((ip and ip[1] & 0xfc = " + std::to_string(value << 2) +
                               ") or (ip6 and ip6[0:2] & 0x0fc0 = " + std::to_string(value << 6) +
                               "))";
  return groupRowQuery(tr("group %1, DSCP %2").arg(name).arg(value),
                       QStringLiteral("group-%1-dscp-%2").arg(name).arg(value),
                       groupBpf(prefixes, dscpTerm), from, to);
}

CaptureQuery CaptureQueries::forGroupL2Qos(const QString& name,
                                           const std::vector<std::string>& prefixes,
                                           L2QosField field, int value, protocol::TimeNs from,
                                           protocol::TimeNs to) {
  const std::vector<net::IpPrefix> networks = parsePrefixes(prefixes);
  if (networks.empty()) return {};
  const bool pcp = field == L2QosField::VlanPcp;
  return groupRowQuery(pcp ? tr("group %1, VLAN PCP %2").arg(name).arg(value)
                           : tr("group %1, MPLS TC %2").arg(name).arg(value),
                       QStringLiteral("group-%1-%2-%3")
                           .arg(name, pcp ? QStringLiteral("pcp") : QStringLiteral("tc"))
                           .arg(value),
                       l2QosFilter(field, value, networks), from, to);
}

CaptureQuery CaptureQueries::forGroupPort(const QString& name,
                                          const std::vector<std::string>& prefixes, int port,
                                          protocol::TimeNs from, protocol::TimeNs to) {
  if (prefixes.empty()) return {};
  CaptureQuery q = groupRowQuery(tr("group %1, tcp port %2").arg(name).arg(port),
                                 QStringLiteral("group-%1-tcp-port-%2").arg(name).arg(port),
                                 groupBpf(prefixes, "tcp port " + std::to_string(port)), from, to);
  q.params["port"] = std::to_string(port);
  return q;
}

CaptureQuery CaptureQueries::forProtocol(const QString& protocol, protocol::TimeNs from,
                                         protocol::TimeNs to) {
  const QString name = protocol.trimmed().toLower();
  CaptureQuery q{tr("protocol %1").arg(name), safeStem(QStringLiteral("proto-") + name), {}};
  q.params["proto"] = name.toStdString();
  setTimes(q.params, from, to);
  return q;
}

CaptureQuery CaptureQueries::forConnection(const protocol::ConnectionRecord& c) {
  const QString client = QString::fromStdString(c.clientIp.toString());
  const QString server = QString::fromStdString(c.serverIp.toString());
  const QString proto = protocolName(c.protocol);
  const bool ports = c.protocol == 6 || c.protocol == 17 || c.protocol == 132;
  const QString clientEnd = ports ? QStringLiteral("%1:%2").arg(client).arg(c.clientPort) : client;
  const QString serverEnd = ports ? QStringLiteral("%1:%2").arg(server).arg(c.serverPort) : server;
  CaptureQuery q{tr("%1 %2 ↔ %3").arg(proto, clientEnd, serverEnd),
                 safeStem(QStringLiteral("conn-%1-%2-%3").arg(proto, clientEnd, serverEnd)),
                 {}};
  q.params["connection"] = protocol::formatConnectionText(
      {c.protocol, c.clientIp, c.clientPort, c.serverIp, c.serverPort});
  if (c.vlan >= 0) q.params["vlan"] = std::to_string(c.vlan);
  setTimes(q.params, c.firstSeen, c.lastSeen);
  return q;
}

std::vector<std::string> CaptureQueries::flowTerms(const std::vector<Flow>& flows) {
  // Both directions of a flow are one term: the lower end first.
  std::set<std::tuple<int, std::string, int, std::string, int>> unique;
  for (const Flow& f : flows) {
    auto x = std::make_pair(f.a.toString(), int{f.aPort});
    auto y = std::make_pair(f.b.toString(), int{f.bPort});
    if (y < x) std::swap(x, y);
    unique.emplace(f.protocol, x.first, x.second, y.first, y.second);
  }
  std::vector<std::string> terms;
  for (const auto& [protocol, a, aPort, b, bPort] : unique) {
    // "port P and port Q" with the hosts names the flow in both directions (and the
    // reversed-port flow between the same two hosts).
    const std::string hosts = "host " + a + " and host " + b;
    if (protocol == 6 || protocol == 17 || protocol == 132) {
      const char* name = protocol == 6 ? "tcp" : protocol == 17 ? "udp" : "sctp";
      terms.push_back(std::string("(") + name + " and " + hosts + " and port " +
                      std::to_string(aPort) + " and port " + std::to_string(bPort) + ")");
    } else {
      terms.push_back("((ip proto " + std::to_string(protocol) + " or ip6 proto " +
                      std::to_string(protocol) + ") and " + hosts + ")");
    }
  }
  return terms;
}

namespace {
std::vector<CaptureQueries::Flow> flowsOf(
    const std::vector<protocol::ConnectionRecord>& connections) {
  std::vector<CaptureQueries::Flow> flows;
  flows.reserve(connections.size());
  for (const auto& c : connections)
    flows.push_back({c.protocol, c.clientIp, c.clientPort, c.serverIp, c.serverPort});
  return flows;
}
}  // namespace

std::string CaptureQueries::connectionList(const std::vector<Flow>& flows, std::size_t* count) {
  std::set<std::string> named;
  for (const Flow& f : flows) {
    named.insert(protocol::formatConnectionText(protocol::lowerEndFirst(
        {static_cast<std::uint8_t>(f.protocol), f.a, f.aPort, f.b, f.bPort})));
  }
  *count = named.size();
  std::string list;
  for (const auto& text : named) list += (list.empty() ? "" : ",") + text;
  return list;
}

std::string CaptureQueries::connectionsFilter(
    const std::vector<protocol::ConnectionRecord>& connections) {
  const std::vector<std::string> terms = flowTerms(flowsOf(connections));
  return terms.empty() ? std::string() : anyOf(terms);
}

CaptureQuery CaptureQueries::forConnections(
    const QString& title, const QString& stem,
    const std::vector<protocol::ConnectionRecord>& connections) {
  CaptureQuery q{title, safeStem(stem), {}};
  std::size_t flows = 0;
  std::string list = connectionList(flowsOf(connections), &flows);
  if (flows == 0 || flows > protocol::kMaxSearchConnections) return q;
  q.params["connection"] = std::move(list);
  protocol::TimeNs from = 0;
  protocol::TimeNs to = 0;
  for (const auto& c : connections) {
    if (c.firstSeen > 0 && (from == 0 || c.firstSeen < from)) from = c.firstSeen;
    to = std::max(to, c.lastSeen);
  }
  setTimes(q.params, from, to);
  q.liveParams.emplace();
  if (flows <= kMaxLiveConnectionFlows) {
    // Up to two tags (QinQ): each `vlan` moves the offsets of everything after it, so the
    // deeper form is nested inside the shallower one.
    const std::string named = connectionsFilter(connections);
    (*q.liveParams)["bpf"] = "(" + named + ") or (vlan and (" + throughVlan(named) + "))";
  }
  return q;
}

std::string CaptureQueries::dscpFilter(int dscp) {
  const int value = std::clamp(dscp, 0, 63);
  const std::string v4 = "ip and ip[1] & 0xfc = " + std::to_string(value << 2);
  const std::string v6 = "ip6 and ip6[0:2] & 0x0fc0 = " + std::to_string(value << 6);
  return throughVlan("(" + v4 + ") or (" + v6 + ")");
}

CaptureQuery CaptureQueries::forDscp(int dscp, protocol::TimeNs from, protocol::TimeNs to) {
  CaptureQuery q{tr("DSCP %1").arg(dscp), QStringLiteral("dscp-%1").arg(dscp), {}};
  q.params["bpf"] = dscpFilter(dscp);
  setTimes(q.params, from, to);
  return q;
}

std::string CaptureQueries::l2QosFilter(L2QosField field, int value,
                                        const std::vector<net::IpPrefix>& prefixes) {
  value = std::clamp(value, 0, 7);
  const Networks networks(prefixes);
  if (field == L2QosField::MplsTc) return afterTags(0, field, value, networks);
  return tagTypeAt(12) + " and ether[14] & 0xe0 = " + hex(value << 5, 2) + " and " +
         afterTags(1, field, value, networks);
}

std::string CaptureQueries::l2QosFilter(L2QosField field, int value, const net::IpAddress& ip) {
  return l2QosFilter(field, value,
                     {net::IpPrefix{ip, static_cast<std::uint8_t>(ip.isV4() ? 32 : 128)}});
}

CaptureQuery CaptureQueries::forHostDscp(const net::IpAddress& ip, int dscp, protocol::TimeNs from,
                                         protocol::TimeNs to) {
  const int value = std::clamp(dscp, 0, 63);
  const QString text = QString::fromStdString(ip.toString());
  CaptureQuery q{tr("host %1, DSCP %2").arg(text).arg(value),
                 safeStem(QStringLiteral("%1-dscp-%2").arg(text).arg(value)),
                 {}};
  // The host inside the expression, before `vlan` and after it, so that a live capture (BPF
  // alone) looks through the tag for the address too.
  const std::string host = (ip.isV4() ? "ip host " : "ip6 host ") + ip.toString();
  const std::string dscpTerm = ip.isV4() ? "ip[1] & 0xfc = " + std::to_string(value << 2)
                                         : "ip6[0:2] & 0x0fc0 = " + std::to_string(value << 6);
  q.params["host"] = ip.toString();
  q.params["bpf"] = throughVlan(host + " and " + dscpTerm);
  q.bpfSelectsAll = true;
  setTimes(q.params, from, to);
  return q;
}

CaptureQuery CaptureQueries::forHostL2Qos(const net::IpAddress& ip, L2QosField field, int value,
                                          protocol::TimeNs from, protocol::TimeNs to) {
  const QString text = QString::fromStdString(ip.toString());
  const bool pcp = field == L2QosField::VlanPcp;
  CaptureQuery q{pcp ? tr("host %1, VLAN PCP %2").arg(text).arg(value)
                     : tr("host %1, MPLS TC %2").arg(text).arg(value),
                 safeStem(QStringLiteral("%1-%2-%3")
                              .arg(text, pcp ? QStringLiteral("pcp") : QStringLiteral("tc"))
                              .arg(value)),
                 {}};
  q.params["host"] = ip.toString();
  q.params["bpf"] = l2QosFilter(field, value, ip);
  q.bpfSelectsAll = true;
  setTimes(q.params, from, to);
  return q;
}

CaptureQuery CaptureQueries::forPort(int port, const QString& protocol, protocol::TimeNs from,
                                     protocol::TimeNs to) {
  const QString proto = protocol.trimmed().toLower();
  CaptureQuery q{proto.isEmpty() ? tr("port %1").arg(port) : tr("%1 port %2").arg(proto).arg(port),
                 safeStem(proto.isEmpty() ? QStringLiteral("port-%1").arg(port)
                                          : QStringLiteral("%1-port-%2").arg(proto).arg(port)),
                 {}};
  q.params["port"] = std::to_string(port);
  if (!proto.isEmpty()) q.params["proto"] = proto.toStdString();
  setTimes(q.params, from, to);
  return q;
}

}  // namespace netlens::app::models
