#!/bin/bash
# make toolchain TARGETS="T1 T2" (the Makefile, for real): each target is
# built in turn in its own BUILD_DIR and TOOLCHAIN_DIR (their defaults, here
# templates naming $(TARGET) given in the environment), a host step runs
# once for both, and a second run builds nothing; make check-toolchain
# TARGETS=... checks each target's own toolchain; TARGETS with TARGET,
# BUILD_DIR or TOOLCHAIN_DIR on the command line is refused.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

REPO=$(cd "$TESTS_DIR/.." && pwd)
install_recipe_text hostlib <<'R'
name hostlib
version 1.0

step build
	host
	run echo ran >> @T@/hostruns
	run mkdir -p "$SHARED_PREFIX/lib" && echo shared > "$SHARED_PREFIX/lib/hostlib.txt"
R
install_recipe_text user <<'R'
name user
version 1.0

# the repository's config.mk sets these: a recipe must use them
run : "$HOST_CC $HOST_CXX $HOST_CFLAGS $TARGET_CFLAGS $STATIC_HOST"

step install
	after hostlib:build
	run mkdir -p "$PREFIX" && echo "$TARGET $(cat "$SHARED_PREFIX/lib/hostlib.txt")" > "$PREFIX/made-for"
R
sed -i "s|@T@|$T|g" "$T/recipes/hostlib.recipe"

# mk MAKEARGS...: make in the repository; the directories come from the environment,
# as templates that name $(TARGET); no Debian packages are asked for (TOOLCHAIN_DEPS=)
mk() {
	env -i PATH="$PATH" HOME="$T" LC_ALL=C BUILD_DIR="$T/build/\$(TARGET)" \
		TOOLCHAIN_DIR="$T/x-tools/\$(TARGET)" HOST_BUILD_DIR="$T/host" RECIPES="$T/recipes" \
		PATCHES="$T/patches" SOURCES="$T/sources" OFFLINE=1 \
		make --no-print-directory -C "$REPO" TOOLCHAIN_DEPS= CHECK_DEPS= "$@" > "$T/out" 2> "$T/err"
}

mk toolchain TARGETS="aaa-linux-musl bbb-linux-musl" || fail "make toolchain TARGETS=...: exit $?: $(tail -n 20 "$T/err")"
assert_file_eq "$T/x-tools/aaa-linux-musl/made-for" "aaa-linux-musl shared"
assert_file_eq "$T/x-tools/bbb-linux-musl/made-for" "bbb-linux-musl shared"
assert_exists "$T/build/aaa-linux-musl/state/user.install"
assert_exists "$T/build/bbb-linux-musl/state/user.install"
assert_eq 1 "$(wc -l < "$T/hostruns")" "runs of the host step for two targets"
mk toolchain TARGETS="aaa-linux-musl bbb-linux-musl" || fail "second make toolchain TARGETS=...: exit $?"
assert_eq 2 "$(grep -c '^nothing to do' "$T/out")" "targets with nothing to do on the second run"

# check-toolchain: each target's checks on its own toolchain (make -n prints the commands)
mk -n check-toolchain TARGETS="aaa-linux-musl bbb-linux-musl" || fail "make -n check-toolchain TARGETS=...: exit $?"
for t in aaa-linux-musl bbb-linux-musl; do
	assert_out_has "^TARGET='$t' SOURCES="
	assert_out_has "RELOC_HIDE='$T/build/$t $T/host'"
	assert_out_has "^  bash tests/toolchain/run.sh '$T/x-tools/$t'\$"
done

for v in TARGET=ccc-linux-musl BUILD_DIR=$T/one TOOLCHAIN_DIR=$T/one; do
	if mk toolchain TARGETS="aaa-linux-musl bbb-linux-musl" "$v"; then
		fail "make toolchain TARGETS=... $v: exit 0, expected a refusal"
	fi
	assert_err_has 'TARGETS builds each target in its own BUILD_DIR and TOOLCHAIN_DIR'
done
assert_missing "$T/one"
assert_missing "$T/x-tools/ccc-linux-musl"
