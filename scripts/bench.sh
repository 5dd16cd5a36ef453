#!/usr/bin/env bash
# Wall time and peak memory of the user-facing commands (speed goals live here, not in tests).
# Usage: scripts/bench.sh [runs]   Needs GNU time (/usr/bin/time, Debian package "time").
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
export CHECKPOINT_DISABLE=1
out=$(mktemp -d)
measure() {
  local label=$1; shift
  local times=() mems=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$out/time" "$@" >/dev/null 2>&1
    read -r t m <"$out/time"
    times+=("$t"); mems+=("$m")
  done
  local median max
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  max=$(printf '%s\n' "${mems[@]}" | sort -n | tail -1)
  printf '%-28s median %6ss over %d runs, peak RSS %6.0f MB\n' "$label" "$median" "$runs" "$((max / 1024))"
}
npm run --silent build
measure "synth (node dist/main.js)" env CDKTF_OUTDIR="$out/cdktf.out" node dist/main.js
measure "npm run synth" env CDKTF_OUTDIR="$out/cdktf.out" npm run --silent synth
measure "npm run policy" npm run --silent policy -- --dir "$out/cdktf.out"
rm -rf "$out"
