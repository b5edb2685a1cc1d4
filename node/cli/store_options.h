// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>

#include "node/cli/arguments.h"
#include "node/store/packet_store.h"

namespace netlens::node::cli {

/// "512M", "2G", "1T", "4096": bytes, K/M/G/T being powers of 1024; false on anything else.
bool parseSize(const std::string& text, std::uint64_t* out);

/// The store options of `--store DIR`, `--store-size SIZE` and `--segment-size SIZE`; prints
/// what is wrong (fail()) and returns false on a bad value or a missing folder.
bool storeOptionsFrom(const Arguments& args, store::StoreOptions* options);

}  // namespace netlens::node::cli
