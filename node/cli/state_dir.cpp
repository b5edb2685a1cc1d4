// SPDX-License-Identifier: MIT
#include "node/cli/state_dir.h"

#include <unistd.h>

#include <cstdlib>

namespace netlens::node::cli {
namespace {

std::filesystem::path home() {
  const char* h = std::getenv("HOME");
  return h && *h ? std::filesystem::path(h) : std::filesystem::current_path();
}

std::filesystem::path xdg(const char* variable, const char* fallback) {
  const char* v = std::getenv(variable);
  if (v && *v) return v;
  return home() / fallback;
}

}  // namespace

std::filesystem::path defaultStateDir() {
  if (const char* s = std::getenv("NETLENS_NODE_STATE"); s && *s) return s;
  if (geteuid() == 0) return "/var/lib/netlens-node";
  return xdg("XDG_STATE_HOME", ".local/state") / "netlens-node";
}

std::filesystem::path defaultClientKeyFile() {
  return xdg("XDG_CONFIG_HOME", ".config") / "netlens-node" / "client.key";
}

}  // namespace netlens::node::cli
