// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>

#include "node/cli/arguments.h"
#include "node/store/packet_store.h"
#include "shared/protocol/codec.h"

namespace netlens::node::cli {

/// "512M", "2G", "1T", "4096": bytes, K/M/G/T being powers of 1024; false on anything else.
bool parseSize(const std::string& text, std::uint64_t* out);

/// The store options of `--store DIR`, `--store-size SIZE` and `--segment-size SIZE`; prints
/// what is wrong (fail()) and returns false on a bad value or a missing folder.
bool storeOptionsFrom(const Arguments& args, store::StoreOptions* options);

/// The search flags (--from, --to, --host, --src-host, ..., --bpf, --limit) as "search"
/// request parameters, several values of one flag joined by commas, so the command line and
/// the node read criteria with the same code (store::parseSearchRequest).
protocol::Params searchParamsFrom(const Arguments& args);

}  // namespace netlens::node::cli
