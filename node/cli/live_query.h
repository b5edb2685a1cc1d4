// SPDX-License-Identifier: MIT
#pragma once

namespace netlens::node::cli {

/// `query URL live [criteria] --write OUT.pcap [--duration S] [--count N]` and
/// `query URL captures [--json]`: argv starts at the URL. Returns the exit code.
int liveQueryCommand(int argc, char** argv);

}  // namespace netlens::node::cli
