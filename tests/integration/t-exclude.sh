#!/bin/bash
# `exclude GLOB` skips members whose path after `strip` matches the glob or
# lies below a directory that matches.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

make_tarball libgreet libgreet-1.0 libgreet-1.0.tar.gz
install_patches
install_libgreet_with <<'R'
artifact libgreet-1.0.tar.gz
	sha256 @SHA256_libgreet-1.0.tar.gz@
	strip libgreet-1.0
	exclude doc
	exclude NOTES*
R
seed_cache libgreet-1.0.tar.gz
write_config

bs_ok build
src=$T/build/work/libgreet/src
assert_exists "$src/greet.c"
assert_exists "$src/greet-version.h"
assert_missing "$src/doc"
assert_missing "$src/doc/greet.txt"
assert_missing "$src/NOTES.md"
assert_exists "$T/prefix/lib/libgreet.a"
