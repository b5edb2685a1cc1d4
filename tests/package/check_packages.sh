#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the Debian packages from a built tree and checks that they are right and run here:
# two packages, no Qt in the node's dependencies, and both programs start from the unpacked
# packages (nothing is installed on the machine).
#   check_packages.sh BUILD_DIR CAPTURE
set -euo pipefail
build=$1
capture=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { echo "check_packages: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$out" >"$out/cpack.log" 2>&1) || { cat "$out/cpack.log" >&2; fail "cpack failed"; }
node_deb=$(ls "$out"/netlens-node_*.deb 2>/dev/null) || fail "no netlens-node package"
console_deb=$(ls "$out"/netlens-console_*.deb 2>/dev/null) || fail "no netlens-console package"

node_depends=$(dpkg-deb -f "$node_deb" Depends)
echo "netlens-node Depends: $node_depends"
grep -qi 'qt' <<<"$node_depends" && fail "the node package depends on Qt: $node_depends"
grep -q 'libpcap' <<<"$node_depends" || fail "the node package does not depend on libpcap"
console_depends=$(dpkg-deb -f "$console_deb" Depends)
echo "netlens-console Depends: $console_depends"
grep -q 'netlens-node' <<<"$console_depends" || fail "the console package does not depend on netlens-node"
grep -qi 'libqt6widgets' <<<"$console_depends" || fail "the console package does not depend on Qt Widgets"

root=$out/root
dpkg-deb -x "$node_deb" "$root"
dpkg-deb -x "$console_deb" "$root"
for f in usr/bin/netlens-node usr/bin/netlens usr/lib/systemd/system/netlens-node.service \
         usr/share/applications/netlens.desktop usr/share/doc/netlens/README.md \
         usr/share/doc/netlens/resources/screenshots/ip_overview.png; do
  [[ -e $root/$f ]] || fail "missing $f"
done
grep -q '^ExecStart=/usr/bin/netlens-node run' "$root/usr/lib/systemd/system/netlens-node.service" \
  || fail "the systemd unit does not start /usr/bin/netlens-node run"

"$root/usr/bin/netlens-node" --version | grep -q '^netlens-node ' || fail "netlens-node --version"
"$root/usr/bin/netlens-node" analyze -r "$capture" --json global | grep -q '"packets":' \
  || fail "the packaged netlens-node cannot analyse a capture"
QT_QPA_PLATFORM=offscreen "$root/usr/bin/netlens" --version | grep -q 'Netlens\|netlens' \
  || fail "netlens --version"
echo "check_packages: both packages build, unpack and run"
