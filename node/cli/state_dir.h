// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <string>

namespace netlens::node::cli {

/// The node's state folder: `--state DIR`, else $NETLENS_NODE_STATE, else
/// /var/lib/netlens-node for root, else $XDG_STATE_HOME/netlens-node (default
/// ~/.local/state/netlens-node). Holds node.key (the node's CURVE key pair),
/// authorized_keys, listen (the last --listen, for connection-string), groups (IP groups
/// set at run time) and demo.pcap.
/// Folder mode 0700, files 0600.
std::filesystem::path defaultStateDir();

/// The default client key of `query` and `keygen`: $XDG_CONFIG_HOME/netlens-node/client.key.
std::filesystem::path defaultClientKeyFile();

inline std::filesystem::path nodeKeyFile(const std::filesystem::path& state) {
  return state / "node.key";
}
inline std::filesystem::path authorizedKeysFile(const std::filesystem::path& state) {
  return state / "authorized_keys";
}
/// The IP groups last set by an admin ("set-groups"), in groups file format.
inline std::filesystem::path groupsFile(const std::filesystem::path& state) {
  return state / "groups";
}
inline std::filesystem::path listenFile(const std::filesystem::path& state) {
  return state / "listen";
}

}  // namespace netlens::node::cli
