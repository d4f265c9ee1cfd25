#!/bin/bash
# kill -9 of bootstrap alone (an OOM kill, a CI runner's timeout) while a
# step's grandchildren run: no process of the build outlives it by more than
# a few seconds, without waiting for a next run to reap them.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

# The step's shell starts a subshell with a child of its own in the
# background (both reparented to init once the step's shell dies), and a
# child of its own.
install_recipe_text orphans <<'R'
name orphans
version 1

step run
	run sh -c 'echo $$ > "${FIXTURE_CTL}/sub.pid"; sleep 300 & echo $! > "${FIXTURE_CTL}/bg.pid"; wait' &
	run sleep 300 & echo $! > "${FIXTURE_CTL}/fg.pid"
	run while [ ! -s "${FIXTURE_CTL}/bg.pid" ] || [ ! -s "${FIXTURE_CTL}/sub.pid" ]; do sleep 0.05; done
	run : > "${FIXTURE_CTL}/started"
	run wait
R
write_config

bs_bg build
wait_for_file "$T/ctl/started"
pids="$(cat "$T/ctl/sub.pid" "$T/ctl/bg.pid" "$T/ctl/fg.pid" | tr '\n' ' ')"
for p in $pids; do
	kill -0 "$p" 2>/dev/null || fail "process $p of the step is not running before the kill"
done
kill -KILL "$BG_PID"
bs_wait 10
expect_rc 137 "bootstrap killed by SIGKILL"
t0=$(now)
for p in $pids; do
	if ! _lib_wait_gone "$p" 50; then
		left=$(ps -o pid=,args= -p "$(echo $pids | tr " " ,)" 2>/dev/null | tr '\n' ';')
		kill -KILL $pids 2>/dev/null
		fail "5 s after bootstrap was killed, processes of its step still run: $left"
	fi
done
metric "all gone after" "$(elapsed "$t0")s"
assert_missing "$T/prefix"
