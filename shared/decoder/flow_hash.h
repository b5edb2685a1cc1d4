// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>

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

/// symmetricFlowHash() of the frame without decoding it, for the common case only: Ethernet
/// with up to two VLAN tags, then an unfragmented IPv4 (or IPv6 without extension headers)
/// packet carrying plain TCP or UDP, wholly captured. Returns nullopt for anything else;
/// the caller then decodes and calls symmetricFlowHash(). When it returns a value, that value
/// equals symmetricFlowHash() of the decoded frame (tests check this on every corpus frame).
/// Used by the capture thread to pick a worker cheaply. Thread: any; pure function.
std::optional<std::uint64_t> quickFlowHash(int linkType, const std::uint8_t* data,
                                           std::uint32_t capturedLength) noexcept;

}  // namespace netlens::decoder
