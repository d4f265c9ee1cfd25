#!/bin/bash
# `member` + `strip`: the artifact is an outer tarball holding the real
# (xz) tarball as a member, as Debian's gcc orig tarball does; the member is
# extracted with its top folder stripped, and builds.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

# Outer: libgreet-outer-1.0/{libgreet-1.0.tar.xz, debian-readme.txt}
make_tarball libgreet libgreet-1.0 libgreet-1.0.tar.xz
mkdir -p "$T/outer/libgreet-outer-1.0"
cp "$T/tarballs/libgreet-1.0.tar.xz" "$T/outer/libgreet-outer-1.0/"
echo "not part of the source" > "$T/outer/libgreet-outer-1.0/debian-readme.txt"
pack_dir "$T/outer" libgreet-outer-1.0 "$T/tarballs/libgreet_1.0.orig.tar.gz"
make_tarball hello hello-1.0 hello-1.0.tar.gz
install_patches
install_recipe hello
install_libgreet_with <<'R'
artifact libgreet_1.0.orig.tar.gz
	version 1.0
	sha256 @SHA256_libgreet_1.0.orig.tar.gz@
	member libgreet-outer-1.0/libgreet-1.0.tar.xz
	strip libgreet-1.0
R
seed_cache libgreet_1.0.orig.tar.gz hello-1.0.tar.gz
write_config

bs_ok build
src=$T/build/work/libgreet/src
assert_exists "$src/greet.c"
assert_exists "$src/configure"
assert_exists "$src/doc/greet.txt"
assert_missing "$src/libgreet-1.0"
assert_missing "$src/libgreet-1.0.tar.xz"
assert_missing "$src/libgreet-outer-1.0"
assert_missing "$src/debian-readme.txt"
[ -x "$src/configure" ] || fail "$src/configure lost its execute permission"
assert_hello

# A member that is not there: extraction fails with exit 4.
sed -i 's|member libgreet-outer-1.0/libgreet-1.0.tar.xz|member libgreet-outer-1.0/nosuch.tar.xz|' "$T/recipes/libgreet.recipe"
bs build
expect_rc 4 "build with a member that is not in the outer tarball"
assert_err_has 'nosuch\.tar\.xz'
