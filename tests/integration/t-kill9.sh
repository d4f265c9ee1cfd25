#!/bin/bash
# kill -9 of bootstrap in the middle of a step, then a rerun: it completes,
# and the installed prefix has the same content as a clean build. The killed
# step's recipe starts again from a fresh source tree (a compiler killed
# mid-write can leave a half-written file with a fresh time stamp); what it
# does not depend on is not built again.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

setup_seeded libgreet hello
add_wait hello:build hello-build
write_config

# The clean build (the step does not wait: `go` exists).
: > "$T/ctl/go"
bs_ok build
tree_listing "$T/prefix" > "$T/clean.listing"
rm -rf "$T/build" "$T/prefix"
rm -f "$T/ctl/go" "$T/ctl/hello-build.started" "$T/ctl/hello-build.pid"

# Killed while hello:build waits.
bs_bg build
wait_for_file "$T/ctl/hello-build.started"
kill -KILL "$BG_PID"
bs_wait 10
expect_rc 137 "bootstrap killed by SIGKILL"
# Make the orphaned step give up, and wait until it is gone.
step_pid=$(cat "$T/ctl/hello-build.pid")
: > "$T/ctl/abort"
_lib_wait_gone "$step_pid" 50 || fail "the orphaned step (pid $step_pid) did not end"
rm -f "$T/ctl/abort" "$T/ctl/hello-build.started"
assert_missing "$T/prefix"
# a half-written object, newer than its source: a rerun must not build on it
echo half > "$T/build/work/hello/build/half-written.o"

bs_ok explain
assert_out_has '^hello:source: hello:build was stopped before it finished: its work tree is prepared again$'

: > "$T/ctl/go"
bs_ok build
assert_out_has '^start hello:source$'
assert_out_has '^start hello:build$'
assert_missing "$T/build/work/hello/build/half-written.o"
assert_missing "$T/build/state/hello.unfinished"
assert_out_lacks '^start libgreet:'
tree_listing "$T/prefix" > "$T/resumed.listing"
assert_same_listing "$T/clean.listing" "$T/resumed.listing" "the prefix after kill -9 and rerun (vs. a clean build)"
assert_hello
