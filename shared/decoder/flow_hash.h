// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

#include "shared/decoder/decoded_packet.h"

namespace netlens::decoder {

/// Symmetric flow hash for sharding packets to worker threads: both directions of a flow give
/// the same value. Keys, by what the packet has:
/// - IP: normally the innermost IP header's address pair, protocol and (TCP/UDP/SCTP) ports.
///   If any IP header is a fragment, the first fragmented header's address pair and protocol,
///   without ports: every fragment of a datagram (and so its reassembly state) lands on the
///   same worker even though only the first fragment carries ports.
/// - no IP: the outermost MAC pair; nothing at all: 0.
/// Thread: any; pure function.
std::uint64_t symmetricFlowHash(const DecodedPacket& packet) noexcept;

}  // namespace netlens::decoder
