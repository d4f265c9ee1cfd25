#!/bin/bash
# What a recipe says once: a top-level `exclude` holds for every artifact, a
# top-level `run` line comes before every step's own; MAKEVARS reaches every
# make a step runs; the target table's row for TARGET is in every step's
# environment, and a step's key follows TARGET.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

setup_seeded libgreet
install_recipe_text shared <<'R'
name shared
version 1.0
exclude doc
run greeting() { echo "prelude of $STEP"; }

artifact libgreet-1.0.tar.gz
	version 1.0
	sha256 @SHA256_libgreet-1.0.tar.gz@
	strip libgreet-1.0

step one
	run greeting > one.out
	run printf 'V = from-makefile\nall:\n\t@echo "$(V) $(MAKEINFO)"\n' > Makefile
	run make > make.out
	run echo "$LINUX_ARCH $MUSL_ARCH $LDSO $QEMU_ARCH $GO_ARCH [$GO_ARM] $RUST_TARGET [$GCC_TARGET_OPTIONS]" > target.out

step two
	run greeting > two.out
R
printf '# TARGET LINUX_ARCH MUSL_ARCH LDSO QEMU_ARCH MESON_CPU_FAMILY ENDIAN GO_ARCH GO_ARM RUST_TARGET GCC_TARGET_OPTIONS\n' > "$T/recipes/targets"
printf 'x86_64-linux-musl x86_64 x86_64 ld-musl-x86_64.so.1 x86_64 x86_64 little amd64 - x86_64-unknown-linux-musl -\n' >> "$T/recipes/targets"
printf 'aarch64-linux-musl arm64 aarch64 ld-musl-aarch64.so.1 aarch64 aarch64 little arm64 - aarch64-unknown-linux-musl --with-arch=armv8-a --enable-fix-cortex-a53-835769\n' >> "$T/recipes/targets"
write_config 'MAKEVARS = MAKEINFO=true V=from-makevars'
bs_ok build

b=$T/build/work/shared
assert_exists "$b/src/greet.c"
assert_missing "$b/src/doc"
assert_exists "$T/build/work/libgreet/src/doc"
assert_file_eq "$b/build/one.out" "prelude of one"
assert_file_eq "$b/build/two.out" "prelude of two"
assert_file_eq "$b/build/make.out" "from-makevars true"
assert_file_eq "$b/build/target.out" "x86_64 x86_64 ld-musl-x86_64.so.1 x86_64 amd64 [] x86_64-unknown-linux-musl []"

# Another TARGET: every step runs again (SYSROOT and the tools' names follow
# it); a source is prepared again only if its recipe names a target fact.
bs_ok explain TARGET=aarch64-linux-musl
assert_out_has '^shared:one: config changed: TARGET$'
assert_out_has '^libgreet:configure: config changed: TARGET$'
assert_out_lacks '^libgreet:source:'
bs_ok build TARGET=aarch64-linux-musl
assert_file_eq "$b/build/target.out" "arm64 aarch64 ld-musl-aarch64.so.1 aarch64 arm64 [] aarch64-unknown-linux-musl [--with-arch=armv8-a --enable-fix-cortex-a53-835769]"
# MAKEVARS is in every step's key too.
bs_ok explain TARGET=aarch64-linux-musl 'MAKEVARS=MAKEINFO=true'
assert_out_has '^shared:one: config changed: MAKEVARS$'
