// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/net/ip_address.h"

namespace netlens::node::demo {

inline constexpr std::uint16_t kDnsTypeA = 1;
inline constexpr std::uint16_t kDnsTypeCname = 5;
inline constexpr std::uint16_t kDnsTypeAaaa = 28;

/// What a resolver answers for one name: the addresses (those of the query's family are
/// used), an optional canonical name the query name is an alias of, and NXDOMAIN.
struct DnsAnswer {
  std::vector<net::IpAddress> addresses;
  std::string canonicalName;  // empty: no CNAME
  std::uint32_t ttl = 300;
  bool isNxDomain = false;
};

/// A recursive query (RD set) for `name` with one question of `type` (A or AAAA).
std::vector<std::uint8_t> dnsQuery(std::uint16_t id, std::string_view name, std::uint16_t type);

/// The resolver's answer to dnsQuery(id, name, type): the question again, then a CNAME
/// record if any, then one record per address of the question's family. Names in answers
/// point back at the question (compression), as resolvers write them.
std::vector<std::uint8_t> dnsResponse(std::uint16_t id, std::string_view name, std::uint16_t type,
                                      const DnsAnswer& answer);

}  // namespace netlens::node::demo
