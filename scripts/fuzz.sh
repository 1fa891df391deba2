#!/usr/bin/env bash
# Runs every Go fuzz target in the module for FUZZTIME each (default 30s),
# then prints one summary line per target: its last execution count and
# whether it failed. Crashers land in the package's testdata/fuzz/ and
# become regression tests (plain `go test` replays them).
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${1:-30s}
status=0
summary=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for pkg in $(go list ./...); do
  for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
    echo "== $pkg $target ($fuzztime)"
    result=ok
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" 2>&1 | tee "$log" || { result=FAIL; status=1; }
    execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 || true)
    summary+=("$result $pkg $target $fuzztime ${execs:-execs: ?}")
  done
done
echo "== summary"
printf '%s\n' "${summary[@]}"
exit $status
