#!/bin/bash
# The prefix cannot be installed (TOOLCHAIN_DIR's parent is a regular
# file): exit 6 after the steps ran, with a message naming the path.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

setup_seeded libgreet
echo "a file, not a directory" > "$T/notadir"
write_config "TOOLCHAIN_DIR ?= $T/notadir/prefix"

bs build
expect_rc 6 "build with an uninstallable TOOLCHAIN_DIR"
assert_err_has '^bootstrap: '
assert_err_has_fixed "$T/notadir"
assert_file_eq "$T/notadir" "a file, not a directory"

# The steps are recorded: with a usable TOOLCHAIN_DIR only the install happens.
bs_ok build "TOOLCHAIN_DIR=$T/prefix"
assert_out_lacks '^start '
assert_exists "$T/prefix/lib/libgreet.a"
