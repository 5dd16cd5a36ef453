#!/usr/bin/env bash
# npm test: the type check, jest, and the policy check over the shipped environments; fails if any
# fails. Everything runs with its temporary files in one directory made for this run (TMPDIR) and
# removed after it, whatever happened; a run that leaves anything there fails. jest also makes a
# directory of its own below it and checks the one it was given (test/temp-root.js).
# Arguments go to jest: `npm test -- test/main.test.ts`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(mktemp -d "${TMPDIR:-/tmp}/apigw-npm-test-XXXXXX")
trap 'rm -rf "$root"' EXIT
export TMPDIR=$root
npx tsc --noEmit
npx jest "$@"
npm run --silent policy:shipped
left=$(ls -A "$root")
if [ -n "$left" ]; then
  echo "npm test left in its temporary directory: $(tr '\n' ' ' <<<"$left")" >&2
  exit 1
fi
