#!/usr/bin/env bash
# Median wall time, CPU time (user + system) and peak memory of the user-facing commands and of the
# scale scenarios, the times also as multiples of the node start-up floor (`node -e ""`) measured
# in the same run, so that figures from different machines and loads can be compared. On a shared
# machine, CPU time varies less than wall time. Speed goals live here, not in tests.
#
# Usage: scripts/bench.sh [--runs N] [--json] [--profile]
#   --runs N   measured runs per row, after one warm-up run (default 10)
#   --json     print the figures as JSON on stdout (the table goes to stderr)
#   --profile  only profile the app instead: N runs under `node --cpu-prof`, and where their CPU
#              time went by phase (module load, construct tree, resolution, JSON writing, the
#              policy check, the OpenAPI export, ...: scripts/profile-synth.js)
# Needs GNU time (/usr/bin/time, Debian package "time") for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=10 json=false profile=false
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --json) json=true; shift ;;
    --profile) profile=true; shift ;;
    *) echo "usage: scripts/bench.sh [--runs N] [--json] [--profile]" >&2; exit 2 ;;
  esac
done
export CHECKPOINT_DISABLE=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The scale scenarios: copies of dev as N environments, and one stack with N routes per API.
environments() {
  mkdir -p "$work/env$1"
  for i in $(seq -w "$1"); do sed "s/\bdev\b/env$i/g" config/environments/dev.yaml >"$work/env$1/env$i.yaml"; done
  echo "$work/env$1"
}
CDKTF_OUTDIR="$work/shipped" node scripts/run.js main.ts 2>/dev/null

if $profile; then
  for run in $(seq "$runs"); do
    rm -rf "$work/out"
    CDKTF_OUTDIR="$work/out" node --cpu-prof --cpu-prof-dir="$work/profiles" scripts/run.js main.ts 2>/dev/null
  done
  node scripts/profile-synth.js dist/main.js "$work"/profiles/*.cpuprofile
  printf '(node --cpu-prof scripts/run.js main.ts; node %s; %s)\n' "$(node --version)" "$(git rev-parse --short HEAD 2>/dev/null || echo "no git")"
  exit 0
fi

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
ratio() { awk -v t="$1" -v f="$2" 'BEGIN { printf "%.1f", t / f }'; }

rows=() floor="" cpu_floor=""
measure() {
  local name=$1; shift
  local walls=() cpus=() peak=0 start end cpu m
  for run in $(seq 0 "$runs"); do
    rm -rf "$work/out"
    start=$EPOCHREALTIME
    /usr/bin/time -f "%U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || { echo "bench: $name failed:" >&2; cat "$work/stderr" >&2; exit 1; }
    end=$EPOCHREALTIME
    [ "$run" -eq 0 ] && continue # warm-up: page cache, a bundle built on first use
    read -r cpu m < <(tail -1 "$work/time" | awk '{ printf "%.2f %d\n", $1 + $2, $3 }')
    walls+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", b - a }')") cpus+=("$cpu")
    [ "$m" -gt "$peak" ] && peak=$m
  done
  local wall cpu_median command="$*"
  wall=$(printf '%s\n' "${walls[@]}" | median) cpu_median=$(printf '%s\n' "${cpus[@]}" | median)
  [ -z "$floor" ] && floor=$wall cpu_floor=$cpu_median
  rows+=("$name|$wall|$(ratio "$wall" "$floor")|$cpu_median|$(ratio "$cpu_median" "$cpu_floor")|$((peak / 1024))|${command//$work/<tmp>}")
}

measure "node start-up floor" node -e ""
measure "npm run synth" env CDKTF_OUTDIR="$work/out" npm run --silent synth
measure "app alone" env CDKTF_OUTDIR="$work/out" node --max-semi-space-size=4 scripts/run.js main.ts
measure "npm run policy" npm run --silent policy -- --dir "$work/shipped"
measure "10 environments" env CDKTF_OUTDIR="$work/out" APIGW_CONFIG_DIR="$(environments 10)" node scripts/run.js main.ts
measure "40 environments" env CDKTF_OUTDIR="$work/out" APIGW_CONFIG_DIR="$(environments 40)" node scripts/run.js main.ts
measure "100 routes per API" node scripts/run.js scripts/scale-routes.ts 100 "$work/out"
measure "1000 routes per API" node scripts/run.js scripts/scale-routes.ts 1000 "$work/out"

table() {
  printf '%-22s %8s %8s %8s %8s %9s\n' "" "wall s" "x floor" "cpu s" "x floor" "peak MiB"
  for row in "${rows[@]}"; do
    IFS='|' read -r name wall x cpu cx m _ <<<"$row"
    printf '%-22s %8.3f %8s %8.2f %8s %9s\n' "$name" "$wall" "$x" "$cpu" "$cx" "$m"
  done
  printf '(%s runs each after a warm-up; node %s; %s)\n' "$runs" "$(node --version)" "$(git rev-parse --short HEAD 2>/dev/null || echo "no git")"
}
if $json; then
  table >&2
  printf '{"commit":"%s","node":"%s","runs":%s,"rows":[' "$(git rev-parse --short HEAD 2>/dev/null)" "$(node --version)" "$runs"
  sep=""
  for row in "${rows[@]}"; do
    IFS='|' read -r name wall x cpu cx m command <<<"$row"
    printf '%s{"name":"%s","wall_s":%s,"wall_x_floor":%s,"cpu_s":%s,"cpu_x_floor":%s,"peak_mib":%s,"command":"%s"}' \
      "$sep" "$name" "$wall" "$x" "$cpu" "$cx" "$m" "${command//\"/\\\"}"
    sep=","
  done
  printf ']}\n'
else
  table
fi
