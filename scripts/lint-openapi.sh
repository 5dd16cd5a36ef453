#!/usr/bin/env bash
# Lints every exported client document (npm run synth writes them) with Redocly (redocly.yaml)
# and Spectral (.spectral.yaml): any error or warning fails. Usage: scripts/lint-openapi.sh [dir]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-cdktf.out}
mapfile -t docs < <(find "$dir/openapi" -name '*.json' | sort)
if [ "${#docs[@]}" -eq 0 ]; then echo "no documents under $dir/openapi: run npm run synth first" >&2; exit 2; fi
status=0
out=$(npx --no-install redocly lint --config redocly.yaml --max-problems 1000 "${docs[@]}" 2>&1) || status=$?
grep -vE '^\s*[║╔╚]' <<<"$out"
# Redocly fails only on errors; a warning fails here too.
if [ "$status" -ne 0 ] || grep -qE 'You have [0-9]+ warnings?' <<<"$out"; then echo "redocly: findings above" >&2; exit 1; fi
npx --no-install spectral lint --ruleset .spectral.yaml --fail-severity warn "${docs[@]}"
