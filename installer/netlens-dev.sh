#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The two README commands:
#   installer/netlens-dev.sh run   set up, build, start a local node on demo traffic and the console
#   installer/netlens-dev.sh test  set up, build and run every test, then the unit tests under
#                                  ASan+UBSan (NETLENS_SKIP_ASAN=1 skips that part)
# Both are idempotent; when everything is built they only check and go.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
mode=${1:-}
preset=${NETLENS_PRESET:-dev}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.ccache}
# Paths relative to the checkout, so that every clone (and every CI run) shares the cache.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-true}

case "$mode" in
  run)  bash installer/setup-deps.sh ;;
  test) bash installer/setup-deps.sh --with-test-tools ;;
  *) echo "usage: installer/netlens-dev.sh run|test" >&2; exit 2 ;;
esac

[[ -f build/$preset/build.ninja ]] || cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"

if [[ $mode == test ]]; then
  export QT_QPA_PLATFORM=offscreen
  export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
  ctest --preset "$preset"
  # The unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer (no console).
  if [[ ${NETLENS_SKIP_ASAN:-} != 1 ]]; then
    [[ -f build/asan/build.ninja ]] || cmake --preset asan >/dev/null
    cmake --build --preset asan
    ctest --preset asan
  fi
  exit 0
fi

# run: the console starts a local node on demo traffic itself when no node is configured.
app="build/$preset/app/netlens"
if [[ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  echo "No display: starting the console under Xvfb (xvfb-run)." >&2
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$app" --standalone "${@:2}"
fi
exec "$app" --standalone "${@:2}"
