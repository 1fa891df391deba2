#!/usr/bin/env bash
# make conformance: start the mock for each version in turn and run the
# conformance suite against it with fixtures/profile.yaml; then the newest
# version again on a --state file, and on two replicas sharing the
# PostgreSQL that ENSWITCH_TEST_POSTGRES names, when it is set (make
# conformance sets it; docs/state.md). Needs `make build`
# (bin/enswitch-mock, bin/enswitch-conformance). Fails if any run fails.
# Each run writes reports/conformance-V.json; the last step merges them
# into one page, reports/conformance.html (REPORTS sets the folder).
set -uo pipefail
cd "$(dirname "$0")/.."

VERSIONS=${VERSIONS:-"3.13 3.14 4.0 4.4"}
suite_args=("$@")
MOCK=bin/enswitch-mock
SUITE=bin/enswitch-conformance
PROFILE=fixtures/profile.yaml
REPORTS=${REPORTS:-reports}
mkdir -p "$REPORTS"
for bin in "$MOCK" "$SUITE"; do
	[ -x "$bin" ] || { echo "conformance: $bin missing; run make build" >&2; exit 2; }
done

work=$(mktemp -d)
mock_pid=""
stop_mock() {
	if [ -n "$mock_pid" ]; then
		kill "$mock_pid" 2>/dev/null
		wait "$mock_pid" 2>/dev/null
		mock_pid=""
	fi
}
trap 'stop_mock; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# start_mock V [ARGS]: start the mock for version V on a free port and set
# url from its first line, "enswitch-mock listening on http://HOST:PORT".
start_mock() {
	local out="$work/mock-$1.out"
	"$MOCK" --addr 127.0.0.1:0 --enswitch-version "$@" >"$out" 2>"$work/mock-$1.err" &
	mock_pid=$!
	url=""
	for _ in $(seq 1 200); do # up to 10 s
		read -r first <"$out" 2>/dev/null || first=""
		case "$first" in
		"enswitch-mock listening on "*) url=${first#enswitch-mock listening on }; return 0 ;;
		esac
		kill -0 "$mock_pid" 2>/dev/null || break
		sleep 0.05
	done
	echo "conformance: enswitch-mock --enswitch-version $1 did not start:" >&2
	cat "$work/mock-$1.err" >&2
	return 1
}

failed=()
jsons=()
for v in $VERSIONS; do
	echo "== Enswitch $v"
	if ! start_mock "$v"; then
		failed+=("$v (mock)")
		stop_mock
		continue
	fi
	if ! "$SUITE" --profile "$PROFILE" --base-url "$url" --enswitch-version "$v" \
		--json-report "$REPORTS/conformance-$v.json" "$@"; then
		failed+=("$v")
	fi
	stop_mock
	jsons+=("$REPORTS/conformance-$v.json")
done

# run_state NAME STATE: the newest version on STATE (two replicas in turn
# for PostgreSQL: the second sees what the first left, and must pass too).
run_state() {
	local v=${VERSIONS##* } name=$1 state=$2 replica
	for replica in 1 2; do
		echo "== Enswitch $v on $name$([ "$name" = postgres ] && echo ", replica $replica")"
		if ! start_mock "$v" --state "$state"; then
			failed+=("$v $name (mock)")
			stop_mock
			return
		fi
		"$SUITE" --profile "$PROFILE" --base-url "$url" --enswitch-version "$v" ${suite_args[@]+"${suite_args[@]}"} || failed+=("$v $name replica $replica")
		stop_mock
		[ "$name" = postgres ] || return 0
	done
}
run_state file "$work/state.db"
if [ -n "${ENSWITCH_TEST_POSTGRES:-}" ]; then
	schema=conformance_$$
	psql -q "$ENSWITCH_TEST_POSTGRES" -c "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema" &&
		case $ENSWITCH_TEST_POSTGRES in
		*\?*) run_state postgres "$ENSWITCH_TEST_POSTGRES&search_path=$schema" ;;
		*) run_state postgres "$ENSWITCH_TEST_POSTGRES?search_path=$schema" ;;
		esac
	psql -q "$ENSWITCH_TEST_POSTGRES" -c "DROP SCHEMA IF EXISTS $schema CASCADE" || true
else
	echo "== ENSWITCH_TEST_POSTGRES unset: no run on PostgreSQL (make conformance sets it)"
fi

# Each version ran against its own mock, on its own port: different
# targets to the merge, which then names each.
"$SUITE" report -o "$REPORTS/conformance.html" --allow-different-targets "${jsons[@]}" || failed+=("report")

if [ ${#failed[@]} -gt 0 ]; then
	echo "conformance: FAILED on ${failed[*]}" >&2
	exit 1
fi
echo "conformance: passed on $VERSIONS"
