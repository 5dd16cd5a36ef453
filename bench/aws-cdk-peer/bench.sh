#!/usr/bin/env bash
# Paired, interleaved synth timings: the CDKTF app (a), this peer (b) and, for reference, this peer
# without CDK's built-in template validation (b', CDK_VALIDATION=false). One warm-up of each, then
# RUNS rounds of a, b, b'. Each run writes to a new temporary directory. Needs `npm run build` first.
# Usage: bash bench.sh [RUNS] [CDKTF_PROJECT_DIR]   (defaults: 7, this repository's root)
set -euo pipefail
RUNS=${1:-7}
HERE=$(cd "$(dirname "$0")" && pwd)
PROJECT=${2:-$(cd "$HERE/../.." && pwd)}
RESULTS=${RESULTS:-$HERE/results.tsv}
TIME=/usr/bin/time

run() { # label outdir-var command...
  local label=$1; shift
  local out; out=$(mktemp -d)
  local tf; tf=$(mktemp)
  ( "$@" "$out" ) >/dev/null 2>"$tf.log" || { echo "$label failed:"; cat "$tf.log"; exit 1; }
  local t; t=$(tail -1 "$tf.log")
  echo -e "$label\t$t" | tr ' ' '\t' >> "$RESULTS"
  rm -rf "$out" "$tf" "$tf.log"
}
a()  { cd "$PROJECT" && CDKTF_OUTDIR=$1 $TIME -f "%e %U %S %M" node --max-semi-space-size=4 scripts/run.js main.ts; }
b()  { cd "$HERE" && CDK_OUTDIR=$1 $TIME -f "%e %U %S %M" node dist/app.js; }
b0() { cd "$HERE" && CDK_VALIDATION=false CDK_OUTDIR=$1 $TIME -f "%e %U %S %M" node dist/app.js; }

: > "$RESULTS"
run warmup-a a; run warmup-b b; run warmup-b0 b0
for i in $(seq "$RUNS"); do run a a; run b b; run b0 b0; done
node -e '
const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => l.split("\t"));
const med = (xs) => { const s = [...xs].sort((x, y) => x - y); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
for (const label of ["a", "b", "b0"]) {
  const r = rows.filter((x) => x[0] === label);
  const wall = r.map((x) => +x[1]), cpu = r.map((x) => +x[2] + +x[3]), rss = r.map((x) => +x[4]);
  console.log(`${label}\tn=${r.length}\twall ${med(wall).toFixed(2)} s (min ${Math.min(...wall).toFixed(2)}, max ${Math.max(...wall).toFixed(2)})\tcpu ${med(cpu).toFixed(2)} s\tpeak RSS ${(med(rss) / 1024).toFixed(0)} MiB (max ${(Math.max(...rss) / 1024).toFixed(0)})`);
}' "$RESULTS"
