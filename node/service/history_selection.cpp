// SPDX-License-Identifier: MIT
#include "node/service/history_selection.h"

#include <charconv>

namespace netlens::node::service {

namespace {

bool parseTime(const std::string& text, protocol::TimeNs* out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc{} && end == text.data() + text.size() && !text.empty();
}

}  // namespace

std::optional<pipeline::HistoryQuery> parseHistoryQuery(const protocol::Params& params,
                                                        std::string* problem) {
  pipeline::HistoryQuery q;
  std::string series = "global";
  bool hasIp = false;
  for (const auto& [name, value] : params) {
    if (name == "series") {
      if (value != "global" && value != "ip" && value != "group") {
        *problem = "parameter series: \"" + value + "\" is not global, ip or group";
        return std::nullopt;
      }
      series = value;
    } else if (name == "ip") {
      const auto ip = net::IpAddress::parse(value);
      if (!ip) {
        *problem = "parameter ip: \"" + value + "\" is not an IPv4 or IPv6 address";
        return std::nullopt;
      }
      q.ip = *ip;
      hasIp = true;
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
                 "\" (history takes series, ip, name, resolution, from and to)";
      return std::nullopt;
    }
  }
  q.isGlobal = series == "global";
  if (series == "group") {
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
