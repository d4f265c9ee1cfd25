#!/bin/bash
# An artifact's own `patch` and `fixup` apply only when that artifact is the
# one used: its patches before the recipe's, its fixup run with sh inside
# the source tree after its patches. Patch paths may have directories
# below PATCHES. A failing fixup: exit 4, stderr names it.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

make_tarball libgreet libgreet-1.0 libgreet-1.0.tar.xz
make_tarball libgreet libgreet-1.0 libgreet_1.0.orig.tar.gz
make_tarball hello hello-1.0 hello-1.0.tar.gz
install_patches
install_recipe hello
install_libgreet_with <<'R'
patch libgreet/deb-fixed.patch

# Upstream: not available anywhere in this test.
artifact libgreet-1.0.tar.xz
	version 1.0
	sha256 @SHA256_libgreet-1.0.tar.xz@
	strip libgreet-1.0
	fixup libgreet/upstream-fixup.sh

# The Debian repack, with its own patch and fixup.
artifact libgreet_1.0.orig.tar.gz
	version 1.0
	sha256 @SHA256_libgreet_1.0.orig.tar.gz@
	strip libgreet-1.0
	patch libgreet/deb-version.patch
	fixup libgreet/deb-fixup.sh
R
seed_cache libgreet_1.0.orig.tar.gz hello-1.0.tar.gz
write_config

bs_ok build
src=$T/build/work/libgreet/src
assert_hello "Greetings, world! (libgreet 1.0-deb-fixed)"
# (It may run in a temporary tree that becomes src: it left its file in src.)
assert_exists "$src/FIXUP-RAN"
assert_missing "$src/UPSTREAM-FIXUP-RAN"
assert_missing "$T/sources/libgreet-1.0.tar.xz"

# A failing fixup.
echo 'exit 3' >> "$T/patches/libgreet/deb-fixup.sh"
bs_ok explain
assert_out_has '^libgreet:source: '
bs build
expect_rc 4 "build with a failing fixup"
assert_err_has 'deb-fixup\.sh'
assert_out_lacks '^start libgreet:configure'
