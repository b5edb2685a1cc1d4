// SPDX-License-Identifier: MIT
#include "shared/decoder/malformed_reason.h"

#include <array>

namespace netlens::decoder {

namespace {
// Indexed by the enum value; the static_assert below keeps the two in step.
constexpr std::array<std::string_view, kMalformedReasonCount> kNames = {
    "none",
    "unsupported-link-type",
    "truncated-link-layer",
    "truncated-vlan",
    "truncated-mpls",
    "truncated-pppoe",
    "bad-ip-version",
    "truncated-ipv4",
    "bad-ipv4-header-length",
    "bad-ipv4-total-length",
    "truncated-ipv6",
    "truncated-ipv6-extension-header",
    "truncated-tcp",
    "bad-tcp-header-length",
    "truncated-udp",
    "truncated-icmp",
    "truncated-sctp",
    "truncated-gre",
    "truncated-erspan",
    "truncated-vxlan",
    "truncated-geneve",
    "too-many-layers",
    "capture-error",
    "truncated-ppp",
    "bad-ipv6-payload-length",
};
static_assert(kNames.back() == "bad-ipv6-payload-length", "update kNames with MalformedReason");
}  // namespace

std::string_view malformedReasonName(MalformedReason reason) noexcept {
  const auto i = static_cast<std::size_t>(reason);
  return i < kNames.size() ? kNames[i] : std::string_view("unknown");
}

}  // namespace netlens::decoder
