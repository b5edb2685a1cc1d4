// SPDX-License-Identifier: MIT
#include "shared/transport/connection_string.h"

#include <algorithm>
#include <cctype>

#include "shared/net/ip_address.h"
#include "shared/transport/keys.h"

namespace netlens::transport {

namespace {

using protocol::Result;

constexpr std::string_view kFormHint = "netlens://HOST:PORT?key=KEY";
constexpr std::string_view kPortRange = "use a number from 1 to 65535";

Result<ConnectionString> failure(std::string text) {
  return Result<ConnectionString>::failure(std::move(text));
}

std::string_view trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

bool startsWithCaseInsensitive(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  return true;
}

/// RFC 1123 host name: labels of letters, digits and '-', not starting or ending with '-',
/// 1–63 characters each, 253 in all.
bool isHostName(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  std::size_t labelStart = 0;
  for (std::size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '.') {
      const std::string_view label = name.substr(labelStart, i - labelStart);
      // A single trailing dot (fully qualified "host.example.") is allowed.
      if (label.empty()) return i == name.size() && i > 0 && labelStart > 0;
      if (label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
      labelStart = i + 1;
      continue;
    }
    const auto c = static_cast<unsigned char>(name[i]);
    if (!std::isalnum(c) && c != '-') return false;
  }
  return true;
}

std::string quote(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

}  // namespace

Result<ConnectionString> ConnectionString::parse(std::string_view text) {
  text = trim(text);
  if (text.empty())
    return failure("empty connection string: paste the line the node printed (" +
                   std::string(kFormHint) + ")");
  if (!startsWithCaseInsensitive(text, kConnectionScheme))
    return failure("a connection string starts with netlens:// (for example " +
                   std::string(kFormHint) + ")");
  std::string_view rest = text.substr(kConnectionScheme.size());

  const auto authorityEnd = std::min(rest.find('?'), rest.find('/'));
  std::string_view authority = rest.substr(0, authorityEnd);
  rest = authorityEnd == std::string_view::npos ? std::string_view{} : rest.substr(authorityEnd);

  ConnectionString result;
  std::string_view portText;
  bool hasPort = false;
  if (authority.empty()) return failure("missing host: write " + std::string(kFormHint));
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos)
      return failure("missing ']' after the IPv6 address: write netlens://[ADDRESS]:PORT?key=KEY");
    const std::string_view address = authority.substr(1, close - 1);
    const auto parsed = net::IpAddress::parse(address);
    if (!parsed || !parsed->isV6())
      return failure("invalid IPv6 address " + quote(address) +
                     " (inside brackets write an IPv6 address such as [::1])");
    result.host = std::string(address);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':')
        return failure("unexpected " + quote(after) + " after the IPv6 address: write " +
                       "netlens://[ADDRESS]:PORT?key=KEY");
      portText = after.substr(1);
      hasPort = true;
    }
  } else {
    const auto colons = std::count(authority.begin(), authority.end(), ':');
    if (colons > 1)
      return failure("IPv6 addresses must be in brackets: write netlens://[ADDRESS]:PORT?key=KEY");
    const auto colon = authority.find(':');
    const std::string_view host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      portText = authority.substr(colon + 1);
      hasPort = true;
    }
    if (host.empty()) return failure("missing host: write " + std::string(kFormHint));
    const bool looksNumeric = std::all_of(host.begin(), host.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
    });
    if (looksNumeric) {
      const auto parsed = net::IpAddress::parse(host);
      if (!parsed || !parsed->isV4())
        return failure("invalid IPv4 address " + quote(host) +
                       " (four numbers from 0 to 255 separated by dots)");
    } else if (!isHostName(host)) {
      return failure("invalid host name " + quote(host) +
                     " (use letters, digits, '-' and '.', or an IP address)");
    }
    result.host = std::string(host);
  }

  if (!hasPort) return failure("missing port: write " + std::string(kFormHint));
  if (portText.empty()) return failure("missing port after ':': write " + std::string(kFormHint));
  if (!std::all_of(portText.begin(), portText.end(),
                   [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    return failure("invalid port " + quote(portText) + ": " + std::string(kPortRange));
  const unsigned long port = portText.size() > 5 ? 100000 : std::stoul(std::string(portText));
  if (port < 1 || port > 65535)
    return failure("port " + std::string(portText) +
                   " is out of range: " + std::string(kPortRange));
  result.port = static_cast<std::uint16_t>(port);

  if (!rest.empty() && rest.front() == '/') {
    // Tolerate the "netlens://host:port/?key=" form some URL tools produce, nothing else.
    if (rest.size() > 1 && rest[1] != '?')
      return failure("unexpected " + quote(rest.substr(0, rest.find('?'))) +
                     " after the port: write " + std::string(kFormHint));
    rest.remove_prefix(1);
  }
  const std::string missingKey =
      "missing server key: add ?key=<the node's 40-character public key>; the node prints "
      "the complete connection string when it starts";
  if (rest.empty() || rest == "?") return failure(missingKey);
  rest.remove_prefix(1);  // '?'

  // Parameters. Z85 uses '&', '=' and '?', so the key is exactly the 40 characters after
  // "key=" and a following parameter must start with '&'.
  bool haveKey = false;
  while (!rest.empty()) {
    const auto equals = rest.find('=');
    const std::string_view name = rest.substr(0, std::min(equals, rest.find('&')));
    if (name == "key" && equals == 3) {
      if (haveKey) return failure("the key parameter appears twice: keep one key=KEY");
      std::string_view value = rest.substr(4);
      std::string_view key;
      if (value.size() >= kZ85KeyLength &&
          (value.size() == kZ85KeyLength || value[kZ85KeyLength] == '&'))
        key = value.substr(0, kZ85KeyLength);
      else
        key = value.substr(0, value.find('&'));
      if (key.empty()) return failure(missingKey);
      if (std::string why = checkZ85Key(key); !why.empty())
        return failure("invalid server key: it " + why +
                       "; copy the complete connection string the node printed");
      result.serverKey = std::string(key);
      haveKey = true;
      rest = value.substr(key.size());
    } else {
      // Unknown parameter (from a newer node): skip its value.
      rest = rest.substr(std::min(rest.find('&'), rest.size()));
    }
    if (!rest.empty()) rest.remove_prefix(1);  // '&'
  }
  if (!haveKey) return failure(missingKey);
  return result;
}

bool ConnectionString::isIpv6() const {
  return host.find(':') != std::string::npos;
}

std::string ConnectionString::endpoint(std::uint16_t otherPort) const {
  const std::string h = isIpv6() ? "[" + host + "]" : host;
  return "tcp://" + h + ":" + std::to_string(otherPort);
}

std::string ConnectionString::toString() const {
  const std::string h = isIpv6() ? "[" + host + "]" : host;
  return std::string(kConnectionScheme) + h + ":" + std::to_string(port) + "?key=" + serverKey;
}

}  // namespace netlens::transport
