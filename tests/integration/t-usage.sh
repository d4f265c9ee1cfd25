#!/bin/bash
# Usage errors exit 1; `check` with good recipes exits 0 and builds nothing.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

setup_standard libgreet hello
write_config

bs frobnicate
expect_rc 1 "an unknown command"
assert_err_has '^(bootstrap: |usage: )'

bs -f
expect_rc 1 "-f without a file"

bs -f "$T/no-such-config.mk" check
[ "$RC" = 1 ] || [ "$RC" = 2 ] || fail "-f with a missing file: expected exit 1 or 2, got $RC"
assert_err_has 'no-such-config\.mk'

bs_ok check
assert_out_lacks '^start '
assert_missing "$T/prefix"
[ -z "$(ls -A "$T/sources")" ] || fail "check fetched: $(ls "$T/sources")"
