#!/bin/bash
# Artifacts whose version equals the recipe's are alternatives: the first
# one found in the cache is used without any download; otherwise they are
# downloaded in the order written (the first, missing everywhere, falls
# through to the second, and leaves no empty .part of the first behind). Also
# covers .tar.xz extraction.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

start_nginx
make_tarball libgreet libgreet-1.0 libgreet-1.0.tar.xz
make_tarball libgreet libgreet-1.0 libgreet-1.0.tar.gz
make_tarball hello hello-1.0 hello-1.0.tar.gz
install_patches
install_recipe hello
install_libgreet_with <<'R'
artifact libgreet-1.0.tar.xz
	version 1.0
	sha256 @SHA256_libgreet-1.0.tar.xz@
	strip libgreet-1.0

artifact libgreet-1.0.tar.gz
	version 1.0
	sha256 @SHA256_libgreet-1.0.tar.gz@
	strip libgreet-1.0
R
seed_cache hello-1.0.tar.gz
write_config

# 1. The second alternative is in the cache: used, nothing downloaded.
seed_cache libgreet-1.0.tar.gz
bs_ok build
assert_eq 0 "$(log_count)" "requests with the second alternative in the cache"
assert_hello

# 2. Empty cache, the mirror has only the second: the first is tried first.
rm -rf "$T/build" "$T/prefix" "$T/sources/libgreet-1.0.tar.gz"
publish m1 libgreet-1.0.tar.gz
bs_ok build
l_xz=$(grep -n 'GET /m1/libgreet-1\.0\.tar\.xz ' "$ACCESS_LOG" | head -n1 | cut -d: -f1)
l_gz=$(grep -n '^200 "GET /m1/libgreet-1\.0\.tar\.gz ' "$ACCESS_LOG" | head -n1 | cut -d: -f1)
[ -n "$l_xz" ] || fail "the first alternative (libgreet-1.0.tar.xz) was not tried"
[ -n "$l_gz" ] || fail "the second alternative was not downloaded"
[ "$l_xz" -lt "$l_gz" ] || fail "the alternatives were not tried in the order written"
assert_sha "$T/sources/libgreet-1.0.tar.gz" "$(tarball_sha libgreet-1.0.tar.gz)"
# nothing arrived for the first: no empty .part of it is left in the cache
assert_missing "$T/sources/libgreet-1.0.tar.xz.part"
assert_missing "$T/sources/libgreet-1.0.tar.xz"
assert_hello

# 3. Empty cache, the mirror has both: the first (.tar.xz) is used.
rm -rf "$T/build" "$T/prefix" "$T/sources/libgreet-1.0.tar.gz"
publish m1 libgreet-1.0.tar.xz
bs_ok build
assert_sha "$T/sources/libgreet-1.0.tar.xz" "$(tarball_sha libgreet-1.0.tar.xz)"
assert_missing "$T/sources/libgreet-1.0.tar.gz"
assert_hello
