#!/usr/bin/env bash
# npm test: the type check and the policy check over the shipped environments (npm run
# policy:shipped) run beside jest, which keeps both cores busy only while it has two suites
# left; fails if any of the three fails, and prints the output of the other two after jest's.
# tsc is incremental (tsconfig.json: node_modules/.cache/tsbuildinfo) and skipped while nothing it
# reads changed since it last passed.
#
# Everything runs with its temporary files in one directory made for this run (TMPDIR), removed
# after it whatever happened; a run that leaves anything there fails. jest makes a directory of
# its own below it and checks the one it was given (test/temp-root.js).
# Arguments go to jest: `npm test -- test/main.test.ts`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(mktemp -d "${TMPDIR:-/tmp}/apigw-npm-test-XXXXXX")
trap 'rm -rf "$root"' EXIT
export TMPDIR=$root
# tsc parses all 260,000 lines of declarations even when its build info says nothing changed (about
# 4 s of CPU): a stamp of the last passing check skips it while no file or directory tsc reads is
# newer (a change, an addition or a removal touches one).
stamp=node_modules/.cache/tsc-passed
typecheck() {
  if [ -f "$stamp" ] && [ -z "$(find main.ts tsconfig.json package-lock.json node_modules/.package-lock.json config stacks modules functions policy diagram catalogue scripts test test-terraform -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    echo "tsc: no source changed since the last passing type check" >"$root/tsc.log"
    return 0
  fi
  local start
  start=$(mktemp "$root/tsc-start-XXXXXX")
  node_modules/.bin/tsc --noEmit >"$root/tsc.log" 2>&1 || { rm -f "$start"; return 1; }
  # The stamp takes the time the check started: a file saved during it is checked next time.
  mkdir -p "$(dirname "$stamp")" && touch -r "$start" "$stamp" && rm -f "$start"
}
typecheck &
tsc=$!
npm run --silent policy:shipped >"$root/policy.log" 2>&1 &
policy=$!
status=0
node_modules/.bin/jest "$@" || status=$?
if ! wait "$tsc"; then
  cat "$root/tsc.log" >&2
  echo "npm test: the type check failed" >&2
  status=1
fi
wait "$policy" || status=$?
cat "$root/policy.log" >&2
rm "$root/tsc.log" "$root/policy.log"
left=$(ls -A "$root")
if [ -n "$left" ]; then
  echo "npm test left in its temporary directory: $(tr '\n' ' ' <<<"$left")" >&2
  status=1
fi
exit "$status"
