// SPDX-License-Identifier: MIT
#include "node/demo/dns_messages.h"

namespace netlens::node::demo {

namespace {

constexpr std::uint16_t kClassIn = 1;
constexpr std::uint16_t kPointerToQuestion = 0xC00C;  // the question name starts at offset 12

void put16(std::vector<std::uint8_t>& v, std::uint16_t x) {
  v.push_back(static_cast<std::uint8_t>(x >> 8));
  v.push_back(static_cast<std::uint8_t>(x));
}

void put32(std::vector<std::uint8_t>& v, std::uint32_t x) {
  put16(v, static_cast<std::uint16_t>(x >> 16));
  put16(v, static_cast<std::uint16_t>(x));
}

/// Writes `name` as DNS labels (no compression); labels are at most 63 bytes in demo names.
void putName(std::vector<std::uint8_t>& v, std::string_view name) {
  while (!name.empty()) {
    const auto dot = name.find('.');
    const auto label = name.substr(0, dot);
    v.push_back(static_cast<std::uint8_t>(label.size()));
    v.insert(v.end(), label.begin(), label.end());
    name = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
  }
  v.push_back(0);
}

void putHeader(std::vector<std::uint8_t>& v, std::uint16_t id, std::uint16_t flags,
               std::uint16_t answers) {
  put16(v, id);
  put16(v, flags);
  put16(v, 1);  // questions
  put16(v, answers);
  put16(v, 0);  // authority
  put16(v, 0);  // additional
}

}  // namespace

std::vector<std::uint8_t> dnsQuery(std::uint16_t id, std::string_view name, std::uint16_t type) {
  std::vector<std::uint8_t> v;
  putHeader(v, id, 0x0100, 0);  // standard query, recursion desired
  putName(v, name);
  put16(v, type);
  put16(v, kClassIn);
  return v;
}

std::vector<std::uint8_t> dnsResponse(std::uint16_t id, std::string_view name, std::uint16_t type,
                                      const DnsAnswer& answer) {
  const bool wantV4 = type == kDnsTypeA;
  std::vector<const net::IpAddress*> matching;
  if (!answer.isNxDomain) {
    for (const auto& a : answer.addresses) {
      if (a.isV4() == wantV4) matching.push_back(&a);
    }
  }
  const bool hasCname = !answer.isNxDomain && !answer.canonicalName.empty();
  const auto answers = static_cast<std::uint16_t>(matching.size() + (hasCname ? 1 : 0));
  // Response, recursion desired and available; RCODE 3 = NXDOMAIN.
  const std::uint16_t flags = answer.isNxDomain ? 0x8183 : 0x8180;
  std::vector<std::uint8_t> v;
  putHeader(v, id, flags, answers);
  putName(v, name);
  put16(v, type);
  put16(v, kClassIn);

  std::uint16_t ownerPointer = kPointerToQuestion;
  if (hasCname) {
    put16(v, kPointerToQuestion);
    put16(v, kDnsTypeCname);
    put16(v, kClassIn);
    put32(v, answer.ttl);
    const std::size_t rdlengthAt = v.size();
    put16(v, 0);
    ownerPointer = static_cast<std::uint16_t>(0xC000 | v.size());
    putName(v, answer.canonicalName);
    const auto rdlength = static_cast<std::uint16_t>(v.size() - rdlengthAt - 2);
    v[rdlengthAt] = static_cast<std::uint8_t>(rdlength >> 8);
    v[rdlengthAt + 1] = static_cast<std::uint8_t>(rdlength);
  }
  for (const auto* a : matching) {
    put16(v, ownerPointer);
    put16(v, type);
    put16(v, kClassIn);
    put32(v, answer.ttl);
    const std::size_t size = a->isV4() ? 4 : 16;
    put16(v, static_cast<std::uint16_t>(size));
    v.insert(v.end(), a->bytes.begin(), a->bytes.begin() + static_cast<std::ptrdiff_t>(size));
  }
  return v;
}

}  // namespace netlens::node::demo
