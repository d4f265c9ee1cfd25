#!/bin/bash
# SIGINT or SIGTERM during a step, with a prefix from an earlier build:
# exit 130 / 143, the running step's process is stopped, the existing
# TOOLCHAIN_DIR is unchanged (every file's sha256, mode and mtime), and the
# interrupted step is not recorded: the next run runs it.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

setup_seeded libgreet hello
write_config
bs_ok build
tree_listing "$T/prefix" mtime > "$T/before"

# Now hello:build waits (changing the recipe makes hello rerun).
add_wait hello:build hb

for sig in INT TERM; do
	rm -f "$T/ctl/hb.started" "$T/ctl/hb.pid"
	bs_bg build
	wait_for_file "$T/ctl/hb.started"
	step_pid=$(cat "$T/ctl/hb.pid")
	kill -"$sig" "$BG_PID"
	bs_wait 20
	if [ "$sig" = INT ]; then expect_rc 130 "build interrupted by SIGINT"; else expect_rc 143 "build interrupted by SIGTERM"; fi
	_lib_wait_gone "$step_pid" 30 || fail "SIG$sig: the step's process $step_pid still runs 3 s after bootstrap exited"
	assert_out_lacks '^done hello:build'
	tree_listing "$T/prefix" mtime > "$T/after"
	assert_same_listing "$T/before" "$T/after" "TOOLCHAIN_DIR after SIG$sig during a step"
	bs_ok explain
	assert_out_has '^hello:build: '
done

: > "$T/ctl/go"
bs_ok build
assert_out_has '^start hello:build$'
assert_out_has '^done hello:build '
assert_hello
