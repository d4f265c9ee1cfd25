#!/bin/bash
# A rerun with nothing changed runs no step, fetches nothing, prints
# `nothing to do`, leaves the prefix alone, and is fast (its wall time is
# reported as the metric noop-rerun).
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

setup_seeded
write_config
bs_ok build
tree_listing "$T/prefix" mtime > "$T/before"

t0=$(now)
bs_ok build
took=$(elapsed "$t0")
metric noop-rerun "${took}s"

assert_out_lacks '^start '
assert_out_has '^nothing to do$'
tree_listing "$T/prefix" mtime > "$T/after"
assert_same_listing "$T/before" "$T/after" "the prefix after a no-op rerun"
lt "$took" 5 || fail "a no-op rerun took ${took}s"

# Same with the same values given as command line overrides.
bs_ok build JOBS=2 "HELLO_MSG=world"
assert_out_lacks '^start '
