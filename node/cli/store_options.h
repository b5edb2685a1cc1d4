// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "node/cli/arguments.h"
#include "node/store/packet_store.h"
#include "shared/protocol/codec.h"

namespace netlens::node::cli {

/// "512M", "2G", "1T", "4096": bytes, K/M/G/T being powers of 1024; false on anything else.
bool parseSize(const std::string& text, std::uint64_t* out);

/// The store options of `--store DIR`, `--store-size SIZE` and `--segment-size SIZE`; prints
/// what is wrong (fail()) and returns false on a bad value or a missing folder.
bool storeOptionsFrom(const Arguments& args, store::StoreOptions* options);

/// The search criteria flags, each taking a value, that `search` (offline) and `query URL
/// search` both accept (with the flag --per-session).
inline constexpr std::array<std::string_view, 24> kSearchCriteriaOptions = {
    "--from",          "--to",
    "--host",          "--src-host",
    "--dst-host",      "--mac",
    "--src-mac",       "--dst-mac",
    "--port",          "--src-port",
    "--dst-port",      "--proto",
    "--vlan",          "--connection",
    "--bpf",           "--bpf-code",
    "--payload",       "--payload-hex",
    "--payload-regex", "--http-host",
    "--http-url",      "--http-user-agent",
    "--http-file",     "--http-user"};

/// `others` and kSearchCriteriaOptions: the value options of a command that searches.
std::vector<std::string_view> withSearchCriteria(std::initializer_list<std::string_view> others);

/// The criteria flags (kSearchCriteriaOptions), --limit and --after as "search" request
/// parameters, several values of one flag joined by commas, so the command line and the node
/// read criteria with the same code (store::parseSearchRequest).
protocol::Params searchParamsFrom(const Arguments& args);

}  // namespace netlens::node::cli
