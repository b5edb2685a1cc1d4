// SPDX-License-Identifier: MIT
#include "node/service/connection_selection.h"

#include <algorithm>
#include <charconv>

namespace netlens::node::service {

std::optional<ConnectionSelection> parseConnectionSelection(const protocol::Params& params,
                                                            std::string* problem) {
  ConnectionSelection s;
  for (const auto& [name, value] : params) {
    if (name == "ip") {
      s.ip = net::IpAddress::parse(value);
      if (!s.ip) {
        *problem = "parameter ip: \"" + value + "\" is not an IPv4 or IPv6 address";
        return std::nullopt;
      }
    } else if (name == "group") {
      if (value.empty()) {
        *problem = "parameter group: the group name is empty";
        return std::nullopt;
      }
      s.group = value;
    } else if (name == "limit") {
      std::uint64_t n = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc{} || end != value.data() + value.size() || n == 0 ||
          n > protocol::kMaxConnectionLimit) {
        *problem = "parameter limit: \"" + value + "\" is not a number from 1 to " +
                   std::to_string(protocol::kMaxConnectionLimit);
        return std::nullopt;
      }
      s.limit = n;
    } else {
      *problem = "unknown parameter \"" + name + "\" (connections takes ip, group and limit)";
      return std::nullopt;
    }
  }
  return s;
}

std::optional<protocol::ConnectionList> selectConnections(
    std::vector<protocol::ConnectionRecord> all, const ConnectionSelection& selection,
    protocol::TimeNs packetTime, const net::IpGroupSet& groups, std::string* problem) {
  if (selection.group) {
    const auto index = groups.indexOf(*selection.group);
    if (!index) {
      *problem = "parameter group: the node has no group named \"" + *selection.group + "\"";
      return std::nullopt;
    }
    std::erase_if(all, [&](const protocol::ConnectionRecord& c) {
      return !groups.contains(*index, c.clientIp) && !groups.contains(*index, c.serverIp);
    });
  }
  if (selection.ip) {
    const net::IpAddress& ip = *selection.ip;
    std::erase_if(all, [&](const protocol::ConnectionRecord& c) {
      return !(c.clientIp == ip) && !(c.serverIp == ip);
    });
  }
  protocol::ConnectionList out;
  out.packetTime = packetTime;
  out.total = all.size();
  const auto newer = [](const protocol::ConnectionRecord& a, const protocol::ConnectionRecord& b) {
    return a.lastSeen > b.lastSeen;
  };
  if (all.size() > selection.limit) {
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(selection.limit),
                      all.end(), newer);
    all.resize(selection.limit);
  } else {
    std::sort(all.begin(), all.end(), newer);
  }
  out.connections = std::move(all);
  // Each end's group, as the host records carry theirs (only for the records sent).
  if (!groups.isEmpty()) groups.annotate(out.connections);
  return out;
}

}  // namespace netlens::node::service
