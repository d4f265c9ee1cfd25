#!/bin/bash
# config.mk errors: an unknown variable gives `config.mk:LINE: ...` and
# exit 2; a variable a recipe mentions is not unknown; NAME=VALUE on the
# command line overrides config.mk.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

setup_standard libgreet hello
write_config
bs_ok check

# An unknown variable.
cp "$T/config.mk" "$T/good.mk"
printf '\n# a typo below\nFROBNICATE_LEVEL ?= 3\n' >> "$T/config.mk"
line=$(grep -n '^FROBNICATE_LEVEL' "$T/config.mk" | cut -d: -f1)
bs check
expect_rc 2 "check with an unknown config variable"
assert_err_has "(^|[ /])config\.mk:$line: "
assert_err_has 'unknown variable'
bs build
expect_rc 2 "build with an unknown config variable"
assert_err_has "config\.mk:$line: "
assert_missing "$T/build/state"
assert_missing "$T/prefix"

# Known once a recipe mentions it.
sed -i 's/^step build$/&\n\trun : "${FROBNICATE_LEVEL}"/' "$T/recipes/libgreet.recipe"
bs_ok check

# A syntax error in config.mk.
cp "$T/good.mk" "$T/config.mk"
printf 'JOBS ?= 2\nthis is not an assignment\n' >> "$T/config.mk"
line=$(grep -n '^this is not' "$T/config.mk" | cut -d: -f1)
bs check
expect_rc 2 "check with a syntax error in config.mk"
assert_err_has "config\.mk:$line: "

# -f picks another config file; its errors name it.
cp "$T/good.mk" "$T/other.mk"
printf 'BOGUS_THING = 1\n' >> "$T/other.mk"
line=$(grep -n '^BOGUS_THING' "$T/other.mk" | cut -d: -f1)
bs -f "$T/other.mk" check
expect_rc 2 "check -f other.mk with an unknown variable"
assert_err_has "other\.mk:$line: "

# A NAME=VALUE override is used instead of config.mk's value.
cp "$T/good.mk" "$T/config.mk"
seed_cache libgreet-1.0.tar.gz hello-1.0.tar.gz
bs_ok build "HELLO_MSG=override" "TOOLCHAIN_DIR=$T/prefix2"
assert_hello "Greetings, override! (libgreet 1.0)" "$T/prefix2"
assert_missing "$T/prefix"

# A misspelt name on the command line is an error too, before anything runs.
rm -rf "$T/build"
bs build "TOOLCHIAN_DIR=$T/prefix3"
expect_rc 2 "build with a misspelt command-line variable"
assert_err_has '^command line: unknown variable TOOLCHIAN_DIR '
assert_missing "$T/build/state"
assert_missing "$T/prefix3"
bs check "TARGTE=x"
expect_rc 2 "check with a misspelt command-line variable"
assert_err_has '^command line: unknown variable TARGTE '

# TARGET must be one the recipes' target table lists.
printf '# TARGET LINUX_ARCH MUSL_ARCH LDSO QEMU_ARCH MESON_CPU_FAMILY ENDIAN GO_ARCH GO_ARM RUST_TARGET GCC_TARGET_OPTIONS\nx86_64-linux-musl x86_64 x86_64 ld-musl-x86_64.so.1 x86_64 x86_64 little amd64 - x86_64-unknown-linux-musl -\n' > "$T/recipes/targets"
bs_ok check
bs check TARGET=sparc-linux-musl
expect_rc 2 "check with a TARGET the table does not list"
assert_err_has "recipes/targets: no entry for TARGET 'sparc-linux-musl' \(the table lists: x86_64-linux-musl\)"
printf 'x86_64-linux-musl x86_64\n' >> "$T/recipes/targets"
bs check
expect_rc 2 "check with a short row in the target table"
assert_err_has "recipes/targets:3: target x86_64-linux-musl: expected 10 columns"
rm "$T/recipes/targets"
