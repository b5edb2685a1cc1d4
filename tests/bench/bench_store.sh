#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The packet store on a benchmark data set: `netlens-node ingest` (time, peak RSS, index size
# against the packet data), then a search for one host through the index against the same
# search as a BPF filter over every stored packet (a full scan), same answer required.
#
#   tests/bench/bench_store.sh [--build-dir DIR] [--pcap FILE] [--store RING] [--host IP] [--runs N]
#
# FILE defaults to the medium set that run_bench.sh generates (DIR/bench/data/medium.pcap);
# run that first. The ring goes to RING (default DIR/bench/store; deleted first). Prints
# Markdown rows for README; nothing here asserts a time. Two more rows put the search in
# proportion: the same search for an address that is in no packet (what the size of the ring
# alone costs) and `netlens-node --version` (starting the process). After the ingest, a row
# sets its wall time against `dd bs=1M oflag=direct` of the same file into the ring's folder
# (the disk's sequential write speed; the copy is deleted again).
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(git -C "$script_dir" rev-parse --show-toplevel 2>/dev/null || (cd "$script_dir/../.." && pwd))
build_dir=$root/build/dev
pcap=""
store=""
host=10.0.73.185
runs=3
while [[ $# -gt 0 ]]; do
  case $1 in
    --build-dir) build_dir=$2; shift 2 ;;
    --pcap) pcap=$2; shift 2 ;;
    --store) store=$2; shift 2 ;;
    --host) host=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    -h|--help) sed -n '3,15p' "$0"; exit 0 ;;
    *) echo "bench_store.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
node=$build_dir/node/netlens-node
[[ -n $pcap ]] || pcap=$build_dir/bench/data/medium.pcap
[[ -x $node ]] || { echo "bench_store.sh: build netlens-node first" >&2; exit 1; }
[[ -f $pcap ]] || { echo "bench_store.sh: no $pcap (run tests/bench/run_bench.sh first)" >&2; exit 1; }
if [[ -z $store ]]; then
  store=$build_dir/bench/store
  rm -rf "$store"
elif [[ -e $store && -n $(ls -A "$store") ]]; then
  # A ring of the user's: never deleted here.
  echo "bench_store.sh: $store is not empty; give a new or empty folder to --store" >&2
  exit 1
fi
mkdir -p "$build_dir/bench"

# wall seconds, user seconds, peak RSS in MiB of one command (its output discarded)
measure() { /usr/bin/time -f "%e %U %M" "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%s %s %.0f\n", $1, $2, $3/1024}'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

cat "$pcap" >/dev/null  # both the ingest and dd below read it from the page cache
read -r ingest_wall user rss < <(measure "$node" ingest -r "$pcap" --store "$store" --store-size 1T)
# Ingest writes through the page cache: the time to get its data on the disk counts too, as
# dd's oflag=direct below writes to the device.
sync_wall=$( { /usr/bin/time -f "%e" sync -f "$store"; } 2>&1 | tail -1)
wall=$(awk -v a="$ingest_wall" -v b="$sync_wall" 'BEGIN {printf "%.2f", a + b}')
data=$(stat -c %s "$pcap")
index=$(cat "$store"/*.idx | wc -c)
echo "| ingest $(basename "$pcap") ($((data / 1048576)) MiB) | ${ingest_wall} s | ${user} s | ${rss} MiB | index $((index / 1048576)) MiB = $(awk -v i="$index" -v d="$data" 'BEGIN {printf "%.1f", 100*i/d}') % of the data |"
# The disk's sequential speed for the same bytes on the store's file system, bypassing the
# page cache: issue #4 asks ingest for at least 90 % of it.
/usr/bin/time -f "%e" -o "$build_dir/bench/store-dd.txt" dd if="$pcap" of="$store/dd.out" bs=1M oflag=direct status=none
rm -f "$store/dd.out"
dd_wall=$(tail -1 "$build_dir/bench/store-dd.txt")
echo
echo "| ingest wall (then sync) | dd oflag=direct wall | ingest speed / disk speed |"
echo "|---|---|---|"
echo "| ${ingest_wall} s (+ ${sync_wall} s) | ${dd_wall} s | $(awk -v d="$dd_wall" -v w="$wall" 'BEGIN {printf "%.0f", 100*d/w}') % |"
echo

family=ip
[[ $host == *:* ]] && family=ip6
indexed=$("$node" search --store "$store" --host "$host" --list | grep -o '"packets":[0-9]*' | sed -n 1p)
scanned=$("$node" search --store "$store" --bpf "$family host $host" --list | grep -o '"packets":[0-9]*' | sed -n 1p)
[[ $indexed == "$scanned" ]] || { echo "bench_store.sh: answers differ: $indexed vs $scanned" >&2; exit 1; }
for kind in index scan; do
  for ((i = 0; i < runs; i++)); do
    if [[ $kind == index ]]; then
      measure "$node" search --store "$store" --host "$host" --list
    else
      measure "$node" search --store "$store" --bpf "$family host $host" --list
    fi
  done >"$build_dir/bench/store-$kind.txt"
  echo "| search --host $host, $kind (${indexed#*:} packets) | $(cut -d' ' -f1 "$build_dir/bench/store-$kind.txt" | median) s | $(cut -d' ' -f2 "$build_dir/bench/store-$kind.txt" | median) s | $(cut -d' ' -f3 "$build_dir/bench/store-$kind.txt" | median) MiB | |"
done
row() {  # row LABEL COMMAND...: the median of $runs runs as a table row
  local label=$1
  shift
  for ((i = 0; i < runs; i++)); do measure "$@"; done >"$build_dir/bench/store-row.txt"
  echo "| $label | $(cut -d' ' -f1 "$build_dir/bench/store-row.txt" | median) s | $(cut -d' ' -f2 "$build_dir/bench/store-row.txt" | median) s | $(cut -d' ' -f3 "$build_dir/bench/store-row.txt" | median) MiB | |"
}
absent=192.0.2.1
[[ $family == ip6 ]] && absent=2001:db8:ffff::1
row "search --host $absent, index (no packets)" "$node" search --store "$store" --host "$absent" --list
row "netlens-node --version (process start)" "$node" --version
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
