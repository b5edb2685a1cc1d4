#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Throughput and memory of `netlens-node analyze` against the libpcap floor (pcap_noop),
# on the shared benchmark data set. Prints a Markdown table for the README.
#
#   tests/bench/run_bench.sh [--build-dir DIR] [--node PATH] [--set medium|small]
#                            [--runs N] [--workers "1 2"] [--shared DIR]
#
# Each round runs pcap_noop, then the node once per worker count; every figure is the median
# of --runs rounds (default 3). Wall time, user/sys CPU and peak RSS come from bench_measure
# (wait4 on the child). The generator and pcap_noop are built from the shared bench folder
# into DIR/bench; data sets are generated there once (about 1 GB for medium). Nothing here
# asserts a time: the script fails only if a command fails or prints invalid JSON.
# Timings on a shared machine drift: compare the "× no-op" columns, measured in the same run.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(git -C "$script_dir" rev-parse --show-toplevel 2>/dev/null || (cd "$script_dir/../.." && pwd))
shared=${NETLENS_SHARED:-$root/../shared}
build_dir=$root/build/dev
node=""
set_name=medium
runs=3
workers="1 2"

while [[ $# -gt 0 ]]; do
  case $1 in
    --build-dir) build_dir=$2; shift 2 ;;
    --node) node=$2; shift 2 ;;
    --set) set_name=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --shared) shared=$2; shift 2 ;;
    -h|--help) sed -n '3,16p' "$0"; exit 0 ;;
    *) echo "run_bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

[[ -n $node ]] || node=$build_dir/node/netlens-node
bench_src=$shared/bench
work=$build_dir/bench
mkdir -p "$work/data" "$work/results"
log() { echo "run_bench: $*" >&2; }

[[ -x $node ]] || { log "no node binary at $node (build netlens-node first)"; exit 1; }
for f in gen_traffic.cpp pcap_noop.c; do
  [[ -f $bench_src/$f ]] || { log "missing $bench_src/$f (set --shared or NETLENS_SHARED)"; exit 1; }
done

# --- Tools: built from their sources, rebuilt when a source is newer ----------------------
stale() { [[ ! -x $1 || $2 -nt $1 ]]; }
if stale "$work/gen_traffic" "$bench_src/gen_traffic.cpp"; then
  log "building gen_traffic"
  "${CXX:-c++}" -O2 -std=c++17 -o "$work/gen_traffic" "$bench_src/gen_traffic.cpp"
fi
if stale "$work/pcap_noop" "$bench_src/pcap_noop.c"; then
  log "building pcap_noop"
  "${CC:-cc}" -O2 -o "$work/pcap_noop" "$bench_src/pcap_noop.c" -lpcap
fi
if stale "$work/bench_measure" "$script_dir/bench_measure.cpp"; then
  log "building bench_measure"
  "${CXX:-c++}" -O2 -std=c++17 -o "$work/bench_measure" "$script_dir/bench_measure.cpp"
fi

# --- Data set (the shared README's arguments); regenerated only if they change ------------
case $set_name in
  medium) gen_args=(--hosts 50000 --flows 1000000 --bytes 1G --seed 1) ;;
  small) gen_args=(--hosts 5000 --flows 100000 --bytes 100M --seed 1) ;;
  *) log "unknown set $set_name (medium or small)"; exit 2 ;;
esac
data=$work/data/$set_name.pcap
stamp="${gen_args[*]} $(cksum <"$bench_src/gen_traffic.cpp" | cut -d' ' -f1)"
if [[ ! -f $data || ! -f $data.args || $(cat "$data.args") != "$stamp" ]]; then
  log "generating $data (${gen_args[*]})"
  "$work/gen_traffic" -o "$data.tmp" "${gen_args[@]}"
  mv "$data.tmp" "$data"
  echo "$stamp" >"$data.args"
fi
cat "$data" >/dev/null  # into the page cache, as for the baselines
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

# --- Runs ---------------------------------------------------------------------------------
runs_tsv=$work/results/runs-$set_name.tsv
printf 'round\tlabel\twall_s\tuser_s\tsys_s\tmaxrss_kib\tstatus\n' >"$runs_tsv"
out=$work/results/last-stdout.txt
failed=0

measure() {  # measure ROUND LABEL COMMAND...
  local round=$1 label=$2 line status=0
  shift 2
  line=$("$work/bench_measure" --stdout "$out" -- "$@" 2>&1 >/dev/null | tail -n 1) || status=$?
  if [[ $status -ne 0 || $line != wall_s=* ]]; then
    log "$label failed (status $status): $line"
    failed=1
    return 0
  fi
  # wall_s=.. user_s=.. sys_s=.. maxrss_kib=.. status=..
  printf '%s\t%s\t%s\n' "$round" "$label" \
    "$(sed -E 's/[a-z_]+=//g; s/ /\t/g' <<<"$line")" >>"$runs_tsv"
}

json_packets() {  # the first integer "packets" member anywhere in the JSON, or "?"
  python3 - "$1" <<'PY' 2>/dev/null || echo "?"
import json, sys
def find(v):
    if isinstance(v, dict):
        for k, x in v.items():
            if k == "packets" and isinstance(x, int):
                return x
        for x in v.values():
            r = find(x)
            if r is not None:
                return r
    if isinstance(v, list):
        for x in v:
            r = find(x)
            if r is not None:
                return r
    return None
r = find(json.load(open(sys.argv[1])))
print("?" if r is None else r)
PY
}

noop_packets=""
node_packets=""
for ((round = 1; round <= runs; round++)); do
  log "round $round/$runs"
  measure "$round" "pcap_noop" "$work/pcap_noop" "$data"
  noop_packets=$(sed -nE 's/^([0-9]+) packets.*/\1/p' "$out")
  for n in $workers; do
    measure "$round" "node-w$n" "$node" analyze -r "$data" --json global --workers "$n"
    if command -v python3 >/dev/null; then
      if ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$out" 2>/dev/null; then
        log "netlens-node analyze --workers $n printed invalid JSON"
        failed=1
      else
        node_packets=$(json_packets "$out")
      fi
    fi
  done
done

# --- Report -------------------------------------------------------------------------------
[[ -n $noop_packets ]] || { log "pcap_noop printed no packet count"; exit 1; }
median() {  # median LABEL COLUMN
  awk -F'\t' -v l="$1" -v c="$2" 'NR > 1 && $2 == l { print $c }' "$runs_tsv" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

noop_wall=$(median pcap_noop 3)
noop_cpu=$(awk -v u="$(median pcap_noop 4)" -v s="$(median pcap_noop 5)" 'BEGIN { print u + s }')
size=$(wc -c <"$data")
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)

echo
echo "### netlens-node analyze on the $set_name set"
echo
echo "$(basename "$data"): $((size / 1000000)) MB, $noop_packets packets; median of $runs rounds;" \
  "$(nproc 2>/dev/null || echo ?) CPUs (${cpu_model:-unknown CPU}), load average before:" \
  "$load_before; node version $("$node" --version 2>/dev/null | head -n 1 || echo ?)."
echo
echo "| command | wall | user | sys | max RSS | packets/s | packets/CPU-s | × no-op wall | × no-op CPU |"
echo "|---|---|---|---|---|---|---|---|---|"
row() {  # row LABEL TEXT
  local wall user sys rss
  wall=$(median "$1" 3) user=$(median "$1" 4) sys=$(median "$1" 5) rss=$(median "$1" 6)
  awk -v t="$2" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v p="$noop_packets" \
    -v nw="$noop_wall" -v nc="$noop_cpu" 'function rate(x) {
        return x >= 1e6 ? sprintf("%.2f M", x / 1e6) : sprintf("%.0f k", x / 1e3) }
      BEGIN {
        if (w == "nan") { printf("| %s | failed | | | | | | | |\n", t); exit }
        cpu = u + s
        perCpu = cpu > 0 ? p / cpu : 0
        cpuRatio = nc > 0 ? cpu / nc : 0
        printf("| %s | %.2f s | %.2f s | %.2f s | %.0f MiB | %s | %s | %.2f | %.2f |\n",
          t, w, u, s, r / 1024, rate(p / w), rate(perCpu), w / nw, cpuRatio) }'
}
row pcap_noop "libpcap no-op loop \`pcap_noop\`"
for n in $workers; do
  row "node-w$n" "\`netlens-node analyze -r FILE --json global --workers $n\`"
done
echo
[[ -z $node_packets || $node_packets == "?" ]] ||
  echo "The node's JSON counts $node_packets packets (pcap_noop: $noop_packets)."
echo "Raw runs: ${runs_tsv#"$root"/}"
exit "$failed"
