#!/bin/bash
# A recipe's version comes from a config variable; only the artifacts of
# that version are used, and changing the variable rebuilds from the other
# version's artifact.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

start_nginx
make_tarball libgreet libgreet-1.0 libgreet-1.0.tar.gz
# libgreet 2.0: the same package reporting another version.
mkdir -p "$T/v2"
cp -R "$FIX/pkgs/libgreet" "$T/v2/libgreet-2.0"
echo '#define GREET_VERSION "2.0"' > "$T/v2/libgreet-2.0/greet-version.h"
pack_dir "$T/v2" libgreet-2.0 "$T/tarballs/libgreet-2.0.tar.gz"
make_tarball hello hello-1.0 hello-1.0.tar.gz
install_patches
install_recipe hello
install_libgreet_with <<'R'
artifact libgreet-1.0.tar.gz
	version 1.0
	sha256 @SHA256_libgreet-1.0.tar.gz@
	strip libgreet-1.0

artifact libgreet-2.0.tar.gz
	version 2.0
	sha256 @SHA256_libgreet-2.0.tar.gz@
	strip libgreet-2.0
R
publish m1 libgreet-1.0.tar.gz libgreet-2.0.tar.gz hello-1.0.tar.gz
write_config "LIBGREET_VERSION ?= 2.0"

bs_ok build
assert_hello "Greetings, world! (libgreet 2.0)"
assert_log_lacks 'libgreet-1\.0'

bs_ok explain LIBGREET_VERSION=1.0
assert_out_has '^libgreet:source: config changed: LIBGREET_VERSION'
bs_ok build LIBGREET_VERSION=1.0
assert_out_has '^start hello:build$'
assert_hello

# A version with no artifact: a clear error, nothing built.
bs build LIBGREET_VERSION=3.0
[ "$RC" = 2 ] || [ "$RC" = 3 ] || fail "LIBGREET_VERSION=3.0 (no artifact): expected exit 2 or 3, got $RC"
assert_err_has '3\.0'
