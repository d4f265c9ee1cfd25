#!/bin/bash
# Run the test suite against a bootstrap binary.
#
#     tests/run.sh [BOOTSTRAP_BINARY]
#
# BOOTSTRAP_BINARY defaults to $PWD/bootstrap. Runs tests/unit (if built),
# counting its `ok N - name` / `not ok N - name` lines, then every
# tests/integration/t-*.sh, each in a fresh temp directory with a time limit.
# Environment: UNIT=PATH the unit test binary (default tests/unit; relative
# to the repository); TESTS=REGEX runs only the integration tests whose name
# matches (and skips the unit tests); TEST_TIMEOUT=SECONDS (default 120);
# KEEP=1 keeps the temp directories of failed tests.
# Ends with `N passed, N failed`; exits 1 if any test failed.

set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$PWD/bootstrap}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
if [ ! -x "$bin" ] || [ -d "$bin" ]; then
	echo "run.sh: no executable bootstrap at $bin" >&2
	exit 2
fi
timeout_s=${TEST_TIMEOUT:-120}
filter=${TESTS:-}
pass=0
fail=0
failed_names=()
logdir=$(mktemp -d "${TMPDIR:-/tmp}/bst-logs.XXXXXX")
trap 'rm -rf "$logdir"' EXIT
suite_start=$(date +%s)

export BOOTSTRAP=$bin TESTS_DIR=$here
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS

# duration START: seconds since START (date +%s.%N), one decimal.
duration() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# ---- unit tests
unit=${UNIT:-$here/unit}
case $unit in /*) ;; *) unit=$(cd "$here/.." && pwd)/$unit ;; esac
if [ -x "$unit" ] && [ -z "$filter" ]; then
	start=$(date +%s.%N)
	rc=0
	(cd "$here/.." && timeout -k 5 "$timeout_s" "$unit") > "$logdir/unit.out" 2>&1 || rc=$?
	ok=$(grep -Ec '^ok [0-9]+' "$logdir/unit.out")
	nok=$(grep -Ec '^not ok [0-9]+' "$logdir/unit.out")
	pass=$((pass + ok))
	fail=$((fail + nok))
	grep -E '^not ok [0-9]+' "$logdir/unit.out" | sed 's/^/FAIL unit: /'
	if [ "$rc" != 0 ] && [ "$nok" = 0 ]; then
		# Crashed or timed out without reporting a failure: count it.
		fail=$((fail + 1))
		echo "FAIL unit (exit $rc)"
		tail -n 30 "$logdir/unit.out" | sed 's/^/    /'
	fi
	if [ "$nok" != 0 ] || [ "$rc" != 0 ]; then failed_names+=("unit"); fi
	echo "unit ($unit): $ok ok, $nok not ok ($(duration "$start")s)"
fi

# ---- integration tests
for t in "$here"/integration/t-*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	if [ -n "$filter" ] && ! [[ $name =~ $filter ]]; then
		continue
	fi
	dir=$(mktemp -d "${TMPDIR:-/tmp}/bst-$name.XXXXXX")
	out=$logdir/$name.out
	start=$(date +%s.%N)
	rc=0
	(cd "$dir" && T=$dir timeout -k 10 "$timeout_s" bash "$t") > "$out" 2>&1 < /dev/null || rc=$?
	took=$(duration "$start")
	# A test killed by the time limit had no chance to stop its nginx.
	if [ -s "$dir/nginx/nginx.pid" ]; then
		pid=$(cat "$dir/nginx/nginx.pid")
		case $pid in '' | *[!0-9]*) ;; *) kill -TERM "$pid" 2>/dev/null ;; esac
	fi
	# Any step a killed test left blocked in wait.sh ends when it sees `go`.
	[ -d "$dir/ctl" ] && : > "$dir/ctl/go"
	metrics=$(sed -n 's/^METRIC //p' "$out" | paste -sd, - | sed 's/,/, /g')
	if [ "$rc" = 0 ]; then
		pass=$((pass + 1))
		echo "PASS $name (${took}s)${metrics:+  [$metrics]}"
		rm -rf "$dir"
	else
		fail=$((fail + 1))
		failed_names+=("$name")
		why="exit $rc"
		[ "$rc" = 124 ] || [ "$rc" = 137 ] && why="timed out after ${timeout_s}s"
		echo "FAIL $name (${took}s, $why)"
		tail -n 40 "$out" | sed 's/^/    /'
		if [ "${KEEP:-0}" = 1 ]; then
			cp "$out" "$dir/test.out"
			echo "    (kept in $dir)"
		else
			sleep 0.2
			rm -rf "$dir"
		fi
	fi
done

echo "suite time: $(( $(date +%s) - suite_start ))s${failed_names[*]:+; failed: ${failed_names[*]}}"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
