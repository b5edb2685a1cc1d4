// SPDX-License-Identifier: MIT
#include "shared/protocol/param_text.h"

#include "shared/net/address_order.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string_view>
#include <utility>

namespace netlens::protocol {

std::vector<std::string> splitCommas(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::size_t end = comma == std::string::npos ? text.size() : comma;
    std::string item = text.substr(start, end - start);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) item.pop_back();
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front())))
      item.erase(item.begin());
    if (!item.empty()) out.push_back(std::move(item));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

bool parseNumber(const std::string& text, std::uint64_t max, std::uint64_t* out) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || v > max)
    return false;
  *out = v;
  return true;
}

std::optional<std::uint8_t> parseIpProtocol(const std::string& text) {
  struct Name {
    std::string_view name;
    std::uint8_t number;
  };
  // "icmpv6" as reports name it.
  static constexpr Name kNames[] = {{"icmp", 1},   {"igmp", 2},    {"tcp", 6},
                                    {"udp", 17},   {"gre", 47},    {"esp", 50},
                                    {"icmp6", 58}, {"icmpv6", 58}, {"sctp", 132}};
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& [name, number] : kNames)
    if (lower == name) return number;
  std::uint64_t n = 0;
  if (!parseNumber(text, 255, &n)) return std::nullopt;
  return static_cast<std::uint8_t>(n);
}

bool parseEndpointText(const std::string& text, net::IpAddress* ip, std::uint16_t* port) {
  std::string address;
  std::string portText;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find("]:");
    if (close == std::string::npos) return false;
    address = text.substr(1, close - 1);
    portText = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || text.find(':') != colon) return false;
    address = text.substr(0, colon);
    portText = text.substr(colon + 1);
  }
  auto parsed = net::IpAddress::parse(address);
  std::uint64_t n = 0;
  if (!parsed || !parseNumber(portText, 65535, &n)) return false;
  *ip = *parsed;
  *port = static_cast<std::uint16_t>(n);
  return true;
}

std::string formatEndpointText(const net::IpAddress& ip, std::uint16_t port) {
  const std::string address = ip.toString();
  return (ip.isV6() ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

std::optional<ConnectionText> parseConnectionText(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text + " ") {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word.push_back(c);
    }
  }
  if (words.size() != 3) return std::nullopt;
  const auto protocol = parseIpProtocol(words[0]);
  if (!protocol) return std::nullopt;
  ConnectionText c;
  c.protocol = *protocol;
  if (c.hasPorts()) {
    if (!parseEndpointText(words[1], &c.a, &c.aPort) ||
        !parseEndpointText(words[2], &c.b, &c.bPort))
      return std::nullopt;
    return c;
  }
  auto a = net::IpAddress::parse(words[1]);
  auto b = net::IpAddress::parse(words[2]);
  if (!a || !b) return std::nullopt;
  c.a = *a;
  c.b = *b;
  return c;
}

ConnectionText lowerEndFirst(ConnectionText c) {
  if (net::compareEnds(c.b, c.bPort, c.a, c.aPort) < 0) {
    std::swap(c.a, c.b);
    std::swap(c.aPort, c.bPort);
  }
  return c;
}

std::string formatConnectionText(const ConnectionText& c) {
  if (!c.hasPorts())
    return std::to_string(c.protocol) + " " + c.a.toString() + " " + c.b.toString();
  const char* name = c.protocol == 6 ? "tcp" : c.protocol == 17 ? "udp" : "sctp";
  return std::string(name) + " " + formatEndpointText(c.a, c.aPort) + " " +
         formatEndpointText(c.b, c.bPort);
}

}  // namespace netlens::protocol
