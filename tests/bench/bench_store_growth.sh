#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Does the packet store's index pay off as the ring grows? Builds one ring in steps: first the
# medium set of ../shared/bench (1x), then nine more sets of the same shape (seeds 2..10, each
# an hour later in packet time) appended to the same ring (10x). After the first step and
# after the last, it searches for one host through the index and, for comparison, with the
# same filter as BPF over every stored packet (a full scan, the same answer required), and
# searches the first set's hour only in the 10x ring (a time-bounded search: its answer is the
# 1x answer again).
#
#   tests/bench/bench_store_growth.sh [--build-dir DIR] [--host IP] [--sets N] [--runs N]
#
# Needs about 2 GB of disk per set (each set is generated, ingested and deleted in turn; the
# ring itself keeps ~1 GB per set). Prints Markdown rows for README; nothing asserts a time.
# CPU time is measured with `perf stat` when it exists (wall times on a shared machine drift).
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(git -C "$script_dir" rev-parse --show-toplevel 2>/dev/null || (cd "$script_dir/../.." && pwd))
build_dir=$root/build/dev
shared=${NETLENS_SHARED:-$root/../shared}
host=10.0.73.185
sets=10
runs=5
while [[ $# -gt 0 ]]; do
  case $1 in
    --build-dir) build_dir=$2; shift 2 ;;
    --host) host=$2; shift 2 ;;
    --sets) sets=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    -h|--help) sed -n '3,16p' "$0"; exit 0 ;;
    *) echo "bench_store_growth.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
node=$build_dir/node/netlens-node
[[ -x $node ]] || { echo "bench_store_growth.sh: build netlens-node first" >&2; exit 1; }
[[ -f $shared/bench/gen_traffic.cpp ]] || { echo "bench_store_growth.sh: no $shared/bench (set NETLENS_SHARED)" >&2; exit 1; }
work=$build_dir/bench
mkdir -p "$work"
if [[ ! -x $work/gen_traffic || $shared/bench/gen_traffic.cpp -nt $work/gen_traffic ]]; then
  "${CXX:-c++}" -O2 -std=c++17 -o "$work/gen_traffic" "$shared/bench/gen_traffic.cpp"
fi
store=$work/store-growth
rm -rf "$store"
start=1709294400  # the generator's default start (2024-03-01 12:00:00 UTC)

# wall seconds, user+sys CPU seconds and peak RSS in MiB of one command (output discarded)
measure() {
  /usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -1 |
    awk '{printf "%s %.2f %.0f\n", $1, $2 + $3, $4/1024}'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# CPU milliseconds of one command, mean of $runs runs (perf's task-clock), or "-" without perf
cpu_ms() {
  command -v perf >/dev/null || { echo "-"; return; }
  perf stat -x, -e task-clock -r "$runs" "$@" 2>&1 >/dev/null | awk -F, '/task-clock/ {printf "%.1f", $1}'
}
packets() { "$@" | grep -o '"packets":[0-9]*' | sed -n 1p | cut -d: -f2; }
family=ip
[[ $host == *:* ]] && family=ip6

report() {  # report LABEL: the rows for the ring as it is now
  local label=$1 ring data indexed scanned
  data=$(cat "$store"/*.pcap | wc -c)
  ring="$label ring ($((data / 1048576)) MiB in $(ls "$store"/*.pcap | wc -l) segments)"
  indexed=$(packets "$node" search --store "$store" --host "$host" --list)
  scanned=$(packets "$node" search --store "$store" --bpf "$family host $host" --list)
  [[ $indexed == "$scanned" ]] || { echo "bench_store_growth.sh: answers differ: $indexed vs $scanned" >&2; exit 1; }
  for ((i = 0; i < runs; i++)); do measure "$node" search --store "$store" --host "$host" --list; done >"$work/growth-index.txt"
  echo "| $ring: --host $host, index | $indexed | $(cut -d' ' -f1 "$work/growth-index.txt" | median) s | $(cpu_ms "$node" search --store "$store" --host "$host" --list) ms | $(cut -d' ' -f3 "$work/growth-index.txt" | median) MiB |"
  measure "$node" search --store "$store" --bpf "$family host $host" --list >"$work/growth-scan.txt"
  echo "| $ring: --bpf \"$family host $host\", full scan | $scanned | $(cut -d' ' -f1 "$work/growth-scan.txt") s | $(awk '{printf "%.0f", $2 * 1000}' "$work/growth-scan.txt") ms | $(cut -d' ' -f3 "$work/growth-scan.txt") MiB |"
  local from to bounded
  from=$(date -u -d "@$start" +%Y-%m-%dT%H:%M:%SZ)
  to=$(date -u -d "@$((start + 3599))" +%Y-%m-%dT%H:%M:%SZ)
  bounded=$(packets "$node" search --store "$store" --host "$host" --from "$from" --to "$to" --list)
  for ((i = 0; i < runs; i++)); do measure "$node" search --store "$store" --host "$host" --from "$from" --to "$to" --list; done >"$work/growth-bounded.txt"
  echo "| $ring: --host $host in the first hour, index | $bounded | $(cut -d' ' -f1 "$work/growth-bounded.txt" | median) s | $(cpu_ms "$node" search --store "$store" --host "$host" --from "$from" --to "$to" --list) ms | $(cut -d' ' -f3 "$work/growth-bounded.txt" | median) MiB |"
}

echo "| ring and search | packets | wall | CPU | max RSS |"
echo "|---|---|---|---|---|"
for ((k = 1; k <= sets; k++)); do
  data=$work/growth-set.pcap
  "$work/gen_traffic" -o "$data" --hosts 50000 --flows 1000000 --bytes 1G --seed "$k" \
    --start $((start + (k - 1) * 3600)) 2>/dev/null
  "$node" ingest -r "$data" --store "$store" --store-size 1T >/dev/null
  rm -f "$data"
  if ((k == 1)); then report "1x"; fi
done
((sets > 1)) && report "${sets}x"
echo "| $(("$node" --version >/dev/null) 2>&1; echo "netlens-node --version (process start)") | | $(measure "$node" --version | cut -d' ' -f1) s | $(cpu_ms "$node" --version) ms | |"
index=$(cat "$store"/*.idx | wc -c)
data=$(cat "$store"/*.pcap | wc -c)
echo "index $((index / 1048576)) MiB = $(awk -v i="$index" -v d="$data" 'BEGIN {printf "%.1f", 100*i/d}') % of the packet data"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
