#!/bin/bash
# A second run on the same BUILD_DIR while one is running is refused at
# once: exit 7, `bootstrap: BUILD_DIR/lock: locked by pid N` with the
# holder's pid. The first run is not disturbed.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

setup_seeded libgreet hello
add_wait libgreet:build lg
write_config

bs_bg build
holder=$BG_PID
wait_for_file "$T/ctl/lg.started"

t0=$(now)
bs build
took=$(elapsed "$t0")
expect_rc 7 "a second build while the first runs"
assert_err_has_fixed "bootstrap: $T/build/lock: locked by pid $holder"
lt "$took" 5 || fail "the second run took ${took}s to give up"
assert_out_lacks '^start '

BG_PID=$holder
: > "$T/ctl/go"
bs_wait 60
expect_rc 0 "the first build"
assert_hello

# Free again: the lock does not outlive its holder.
bs_ok build
assert_out_has '^nothing to do$'
