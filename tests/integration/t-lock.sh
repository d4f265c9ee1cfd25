#!/bin/bash
# A second run on the same BUILD_DIR while one is running is refused at
# once: exit 7, `bootstrap: BUILD_DIR/lock: locked by pid N` with the
# holder's pid. The first run is not disturbed.
. "$TESTS_DIR/lib.sh"

setup_standard libgreet hello
seed_cache libgreet-1.0.tar.gz hello-1.0.tar.gz
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
got=$("$T/prefix/bin/hello") || fail "installed hello failed"
assert_eq "Greetings, world! (libgreet 1.0)" "$got" "output of the installed hello"

# Free again: the lock does not outlive its holder.
bs_ok build
assert_out_has '^nothing to do$'
