#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what Netlens needs to build, test and run. Idempotent: when every package is
# already there it only checks and returns in well under a second.
#   Debian/Ubuntu: installs the packages with apt-get (through sudo when not root).
#   macOS / Windows: prints the exact Homebrew / vcpkg steps (nothing is installed).
set -euo pipefail

debian_packages=(
  build-essential cmake ninja-build pkg-config ccache
  qt6-base-dev qt6-charts-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libgl-dev
  libpcap-dev libzmq3-dev cppzmq-dev libmsgpack-cxx-dev libssl-dev
  libndpi-dev libmaxminddb-dev ieee-data libspandsp-dev libbcg729-dev libmp3lame-dev
  tshark xvfb xauth
)
# Helpful for the tests that look at what we write (MP3 decoding, screenshots).
test_packages=(mpg123 sox)

case "$(uname -s)" in
  Darwin)
    cat <<'MSG'
On macOS, install the dependencies with Homebrew, then configure with CMake:
  brew install cmake ninja pkg-config ccache qt libpcap zeromq cppzmq msgpack-cxx openssl@3 \
               ndpi libmaxminddb spandsp bcg729 lame wireshark
  cmake -S . -B build/dev -G Ninja -DCMAKE_PREFIX_PATH="$(brew --prefix qt);$(brew --prefix openssl@3)"
MSG
    exit 0 ;;
  MINGW*|MSYS*|CYGWIN*|Windows_NT)
    cat <<'MSG'
On Windows, use vcpkg in manifest mode (vcpkg.json at the repository root lists everything):
  git clone https://github.com/microsoft/vcpkg && .\vcpkg\bootstrap-vcpkg.bat
  cmake -S . -B build\dev -G Ninja -DCMAKE_TOOLCHAIN_FILE=.\vcpkg\scripts\buildsystems\vcpkg.cmake
Install Npcap (with the WinPcap-compatible API) for live capture.
MSG
    exit 0 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "setup-deps: this is neither Debian/Ubuntu, macOS nor Windows; install the equivalents of:" >&2
  echo "  ${debian_packages[*]}" >&2
  exit 1
fi

wanted=("${debian_packages[@]}")
[[ "${1:-}" == "--with-test-tools" ]] && wanted+=("${test_packages[@]}")

missing=()
for p in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "setup-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "setup-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
