// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>

#include "shared/protocol/codec.h"

namespace netlens::net {
class IpGroupSet;
}

namespace netlens::node::live {

/// What a "live-start" request asks for, read from its parameters.
struct LiveFilterSpec {
  std::string filter;  ///< one BPF expression ("" = every packet)
  /// BPF bytecode in `tcpdump -ddd` text ("bpf-code"), run as given besides `filter`: a
  /// packet must pass both. Empty: none.
  std::string bytecode;
  std::uint32_t snapLength = 262144;
  std::uint64_t maxBytes = protocol::kDefaultLiveBufferBytes;
};

/// Builds the BPF expression of a "live-start" request (criteria in protocol::OperationId::
/// LiveStart): alternatives of one criterion joined with "or", criteria with "and". Every
/// value is checked (addresses parsed, numbers in range) before it becomes filter text, so
/// only "bpf" carries the client's own syntax. Without a "vlan" or "bpf" criterion the
/// expression also matches the same packets inside one 802.1Q tag (BPF offsets do not follow
/// tags by themselves). `groups` resolves "group". False with `*problem` naming the parameter
/// and what it takes. Thread: any (pure).
bool buildLiveFilter(const protocol::Params& params, const net::IpGroupSet& groups,
                     LiveFilterSpec* out, std::string* problem);

/// DSCP value of a QoS class: 0-63, or "ef", "le", "va", "be"/"df", "cs0".."cs7",
/// "af11".."af43" (case-insensitive); -1 for anything else.
int parseDscp(const std::string& text);

}  // namespace netlens::node::live
