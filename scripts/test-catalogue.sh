#!/usr/bin/env bash
# The catalogue in a real browser: builds it (npm run catalogue) from a synth output, then opens it
# in headless Chromium (test/catalogue/browser.test.ts); the typed clients of its snippets
# (test/catalogue/client.test.ts); the AsyncAPI documents under @asyncapi/parser (test/catalogue/asyncapi.test.ts). Usage: scripts/test-catalogue.sh [synth dir]
# (default: synthesizes the shipped environments into dist/catalogue-synth).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-}
if [ -z "$dir" ]; then
  dir=dist/catalogue-synth
  rm -rf "$dir" && CDKTF_OUTDIR="$dir" npm run --silent synth
fi
npm run --silent catalogue -- "$dir"
CATALOGUE_DIR="$dir/catalogue" npx --no-install jest --testPathIgnorePatterns /node_modules/ -- test/catalogue/browser.test.ts test/catalogue/client.test.ts test/catalogue/asyncapi.test.ts
