// SPDX-License-Identifier: MIT
#include "node/service/history_selection.h"

#include <charconv>
#include <set>

namespace netlens::node::service {

namespace {

bool parseTime(const std::string& text, protocol::TimeNs* out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc{} && end == text.data() + text.size() && !text.empty();
}

bool parseNumber(const std::string& text, int max, int* out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc{} && end == text.data() + text.size() && !text.empty() && *out >= 0 &&
         *out <= max;
}

/// IP protocol by name (tcp, udp, sctp, icmp, icmpv6) or number.
bool parseProtocol(const std::string& text, std::uint8_t* out) {
  static const std::pair<const char*, std::uint8_t> kNames[] = {
      {"tcp", 6}, {"udp", 17}, {"sctp", 132}, {"icmp", 1}, {"icmpv6", 58}, {"gre", 47}};
  for (const auto& [name, number] : kNames) {
    if (text == name) {
      *out = number;
      return true;
    }
  }
  int n = 0;
  if (!parseNumber(text, 255, &n)) return false;
  *out = static_cast<std::uint8_t>(n);
  return true;
}

/// The connection parameters of a "connection" series; false with `problem` set.
bool parseConnectionParam(const std::string& name, const std::string& value,
                          analysis::ConnectionEnds& ends, std::string* problem) {
  if (name == "proto") {
    if (parseProtocol(value, &ends.protocol)) return true;
    *problem = "parameter proto: \"" + value +
               "\" is not tcp, udp, sctp, icmp, icmpv6, gre or "
               "a protocol number";
    return false;
  }
  if (name == "client" || name == "server") {
    const auto ip = net::IpAddress::parse(value);
    if (!ip) {
      *problem = "parameter " + name + ": \"" + value + "\" is not an IPv4 or IPv6 address";
      return false;
    }
    (name == "client" ? ends.x : ends.y) = *ip;
    return true;
  }
  int n = 0;
  const int max = name == "vlan" ? 4095 : 65535;
  if (!parseNumber(value, max, &n)) {
    *problem = "parameter " + name + ": \"" + value + "\" is not a number from 0 to " +
               std::to_string(max);
    return false;
  }
  if (name == "client_port") ends.xPort = static_cast<std::uint16_t>(n);
  if (name == "server_port") ends.yPort = static_cast<std::uint16_t>(n);
  if (name == "vlan") ends.vlan = n;
  return true;
}

bool isConnectionParam(const std::string& name) {
  return name == "proto" || name == "client" || name == "client_port" || name == "server" ||
         name == "server_port" || name == "vlan";
}

}  // namespace

std::optional<pipeline::HistoryQuery> parseHistoryQuery(const protocol::Params& params,
                                                        std::string* problem) {
  pipeline::HistoryQuery q;
  std::string series = "global";
  bool hasIp = false;
  analysis::ConnectionEnds ends;
  int connectionParams = 0;
  std::optional<analysis::QosLayer> layer;
  int qosClass = -1;
  std::set<std::string> given;
  for (const auto& [name, value] : params) {
    if (name == "series") {
      if (value != "global" && value != "ip" && value != "group" && value != "connection" &&
          value != "peer" && value != "qos" && value != "handshake") {
        *problem = "parameter series: \"" + value +
                   "\" is not global, ip, group, connection, peer, qos or handshake";
        return std::nullopt;
      }
      series = value;
    } else if (isConnectionParam(name)) {
      if (!parseConnectionParam(name, value, ends, problem)) return std::nullopt;
      ++connectionParams;
      given.insert(name);
    } else if (name == "ip") {
      const auto ip = net::IpAddress::parse(value);
      if (!ip) {
        *problem = "parameter ip: \"" + value + "\" is not an IPv4 or IPv6 address";
        return std::nullopt;
      }
      q.ip = *ip;
      hasIp = true;
    } else if (name == "peer") {
      const auto ip = net::IpAddress::parse(value);
      if (!ip) {
        *problem = "parameter peer: \"" + value + "\" is not an IPv4 or IPv6 address";
        return std::nullopt;
      }
      q.peer = *ip;
    } else if (name == "layer") {
      if (value == "dscp") {
        layer = analysis::QosLayer::Dscp;
      } else if (value == "vlan_pcp") {
        layer = analysis::QosLayer::VlanPcp;
      } else if (value == "mpls_tc") {
        layer = analysis::QosLayer::MplsTc;
      } else {
        *problem = "parameter layer: \"" + value + "\" is not dscp, vlan_pcp or mpls_tc";
        return std::nullopt;
      }
    } else if (name == "class") {
      if (!parseNumber(value, 63, &qosClass)) {
        *problem = "parameter class: \"" + value +
                   "\" is not a marking value (DSCP 0 to 63, VLAN PCP or MPLS TC 0 to 7)";
        return std::nullopt;
      }
    } else if (name == "name") {
      if (value.empty()) {
        *problem = "parameter name: the group name is empty";
        return std::nullopt;
      }
      q.group = value;
    } else if (name == "resolution") {
      if (value == "1s") {
        q.resolution = analysis::Resolution::Second;
      } else if (value == "1m") {
        q.resolution = analysis::Resolution::Minute;
      } else if (value == "1h") {
        q.resolution = analysis::Resolution::Hour;
      } else {
        *problem = "parameter resolution: \"" + value + "\" is not 1s, 1m or 1h";
        return std::nullopt;
      }
    } else if (name == "from" || name == "to") {
      protocol::TimeNs t = 0;
      if (!parseTime(value, &t)) {
        *problem = "parameter " + name + ": \"" + value +
                   "\" is not a time in nanoseconds since the epoch (a whole number)";
        return std::nullopt;
      }
      (name == "from" ? q.from : q.to) = t;
    } else {
      *problem = "unknown parameter \"" + name +
                 "\" (history takes series, ip, name, proto, client, client_port, server, "
                 "server_port, vlan, peer, layer, class, resolution, from and to)";
      return std::nullopt;
    }
  }
  q.isGlobal = series == "global";
  if (series == "connection") {
    if (hasIp || q.group) {
      *problem = "parameters ip and name do not go with series connection";
      return std::nullopt;
    }
    if (!given.count("proto") || !given.count("client") || !given.count("server")) {
      *problem =
          "series connection needs proto, client and server (and the ports for TCP, UDP "
          "and SCTP), as the connection lists them";
      return std::nullopt;
    }
    const bool hasPorts = ends.protocol == 6 || ends.protocol == 17 || ends.protocol == 132;
    if (hasPorts && (!given.count("client_port") || !given.count("server_port"))) {
      *problem =
          "parameters client_port and server_port are missing: a TCP, UDP or SCTP "
          "connection is named by its ports too";
      return std::nullopt;
    }
    q.isGlobal = false;
    q.connection = ends;
  } else if (connectionParams > 0) {
    *problem =
        "parameters proto, client, server, their ports and vlan go with series "
        "connection, not with series " +
        series;
    return std::nullopt;
  }
  if (series == "peer") {
    if (!hasIp || !q.peer) {
      *problem = "series peer needs ip and peer: the address and the peer it talked to";
      return std::nullopt;
    }
    q.isGlobal = false;
  } else if (q.peer) {
    *problem = "parameter peer goes with series peer, not with series " + series;
    return std::nullopt;
  }
  if (series == "qos") {
    if (!hasIp || !layer || qosClass < 0) {
      *problem =
          "series qos needs ip, layer (dscp, vlan_pcp or mpls_tc) and class (the marking "
          "value)";
      return std::nullopt;
    }
    if (*layer != analysis::QosLayer::Dscp && qosClass > 7) {
      *problem = "parameter class: " + std::to_string(qosClass) + " is not a " +
                 analysis::PeerQosHistory::layerName(*layer) + " value (0 to 7)";
      return std::nullopt;
    }
    q.isGlobal = false;
    q.qos = pipeline::HistoryQuery::QosClass{*layer, static_cast<std::uint8_t>(qosClass)};
  } else if (layer || qosClass >= 0) {
    *problem = "parameters layer and class go with series qos, not with series " + series;
    return std::nullopt;
  }
  if (series == "handshake") {
    if (hasIp == q.group.has_value()) {
      *problem = hasIp ? "series handshake takes ip (an address) or name (a group), not both"
                       : "series handshake needs ip (an address) or name (a group)";
      return std::nullopt;
    }
    q.isGlobal = false;
    q.handshakes = true;
  } else if (series == "group") {
    if (!q.group || hasIp) {
      *problem = q.group ? "parameter ip goes with series ip, not with series group"
                         : "parameter name is missing: series group needs the group's name";
      return std::nullopt;
    }
  } else if (q.group) {
    *problem = "parameter name goes with series group, not with series " + series;
    return std::nullopt;
  }
  if (series == "ip" && !hasIp) {
    *problem = "parameter ip is missing: series ip needs the address";
    return std::nullopt;
  }
  if (q.isGlobal && hasIp) {
    *problem = "parameter ip goes with series ip, not with series global";
    return std::nullopt;
  }
  if (q.from > q.to) {
    *problem = "parameters from and to: from (" + std::to_string(q.from) + ") is after to (" +
               std::to_string(q.to) + ")";
    return std::nullopt;
  }
  return q;
}

}  // namespace netlens::node::service
