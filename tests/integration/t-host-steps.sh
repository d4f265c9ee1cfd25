#!/bin/bash
# A `host` step (gmp, mpfr, mpc) is built once in HOST_BUILD_DIR and shared by
# every target: a second target runs it not again, it sees nothing of the
# target, its key holds no TARGET, a later step of its recipe runs per target
# with ../src the shared tree, a host step that names the target is refused,
# and HOST_BUILD_DIR's lock keeps two runs from building it at once.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

# hostlib: a host step that counts its runs, then a step for each target
install_recipe_text hostlib <<'R'
name hostlib
version 1.0

step build
	host
	run if env | grep -E '^(TARGET|PREFIX|SYSROOT|HOST_PREFIX|TOOLCHAIN_DIR)='; then exit 1; fi
	run echo "$HOSTLIB_FLAVOUR" >> @T@/hostruns
	run mkdir -p "$SHARED_PREFIX/lib" && echo "hostlib $HOSTLIB_FLAVOUR" > "$SHARED_PREFIX/lib/hostlib.txt"
	run echo made-here > made

step pertarget
	run [ -L ../src ] && [ "$(readlink ../src)" = "$(cd "$SHARED_PREFIX/../work/hostlib/src" && pwd -P)" ]
	run [ ! -e made ]
	run mkdir -p "$PREFIX" && echo "$TARGET" > "$PREFIX/pertarget"
R
install_recipe_text user <<'R'
name user
version 1.0

step install
	after hostlib:build
	run mkdir -p "$PREFIX" && cp "$SHARED_PREFIX/lib/hostlib.txt" "$PREFIX/hostlib-$TARGET.txt"
R
write_config 'BUILD_DIR ?= @T@/build/$(TARGET)' 'TOOLCHAIN_DIR ?= @T@/prefix/$(TARGET)' \
	"HOST_BUILD_DIR ?= $T/hostbuild" 'HOSTLIB_FLAVOUR ?= plain'
sed -i "s|@T@|$T|g" "$T/config.mk"

TARGET=from-the-environment PREFIX=/usr/local bs_ok build TARGET=aaa-linux-musl
assert_eq 1 "$(wc -l < "$T/hostruns")" "runs of the host step after the first target"
assert_file_eq "$T/prefix/aaa-linux-musl/hostlib-aaa-linux-musl.txt" "hostlib plain"
assert_file_eq "$T/prefix/aaa-linux-musl/pertarget" "aaa-linux-musl"
assert_exists "$T/hostbuild/state/hostlib.build"
assert_exists "$T/hostbuild/work/hostlib/build/made"
assert_missing "$T/build/aaa-linux-musl/state/hostlib.build"

# the second target uses what the first built: the host step does not run again
bs_ok build TARGET=bbb-linux-musl
assert_eq 1 "$(wc -l < "$T/hostruns")" "runs of the host step after the second target"
assert_eq "hostlib:pertarget user:install user:source " "$(started_steps | tr '\n' ' ')" "steps the second target ran"
assert_file_eq "$T/prefix/bbb-linux-musl/hostlib-bbb-linux-musl.txt" "hostlib plain"
assert_file_eq "$T/prefix/bbb-linux-musl/pertarget" "bbb-linux-musl"
bs_ok explain TARGET=aaa-linux-musl
assert_out_has '^nothing to do$'

# what the host step mentions is its key: a change runs it once, for every target
bs_ok explain TARGET=aaa-linux-musl HOSTLIB_FLAVOUR=spicy
assert_out_has '^hostlib:build: config changed: HOSTLIB_FLAVOUR$'
bs_ok build TARGET=aaa-linux-musl HOSTLIB_FLAVOUR=spicy
bs_ok build TARGET=bbb-linux-musl HOSTLIB_FLAVOUR=spicy
assert_eq "plain spicy " "$(tr '\n' ' ' < "$T/hostruns")" "runs of the host step after a change of its config"
assert_file_eq "$T/prefix/bbb-linux-musl/hostlib-bbb-linux-musl.txt" "hostlib spicy"

# HOST_BUILD_DIR's lock: a run that would build there stops while another run
# holds it; one that only uses what is there may run beside another user
exec 8> "$T/hostbuild/lock"
flock -s 8
bs build TARGET=aaa-linux-musl
expect_rc 7 "build needing the host step while another run uses HOST_BUILD_DIR"
assert_err_has "hostbuild/lock: another bootstrap run is using the host steps. results this run must build again"
bs_ok build TARGET=ccc-linux-musl HOSTLIB_FLAVOUR=spicy
flock -u 8
flock -x 8
echo "$$" >&8 # as a run that builds there writes its pid
bs build TARGET=ddd-linux-musl HOSTLIB_FLAVOUR=spicy
expect_rc 7 "build using HOST_BUILD_DIR while another run builds there"
assert_err_has "hostbuild/lock: locked by pid $$, another bootstrap run building the host steps"
exec 8>&-
assert_eq "plain spicy " "$(tr '\n' ' ' < "$T/hostruns")" "runs of the host step after the locked runs"

# a host step must not see the target, and must not follow a step that does
cp "$T/recipes/hostlib.recipe" "$T/hostlib.good"
sed -i 's|echo "hostlib $HOSTLIB_FLAVOUR"|echo "hostlib $TARGET"|' "$T/recipes/hostlib.recipe"
bs build TARGET=aaa-linux-musl
expect_rc 2 "build with a host step that names TARGET"
assert_err_has "hostlib.recipe:[0-9]*: host step 'build' uses \\\$TARGET, which differs between targets"
cp "$T/hostlib.good" "$T/recipes/hostlib.recipe"
printf '\nstep late\n\thost\n\trun true\n' >> "$T/recipes/hostlib.recipe"
bs build TARGET=aaa-linux-musl
expect_rc 2 "build with a host step after a target's step"
assert_err_has "host step 'late' comes after step 'pertarget', which is not a host step"
cp "$T/hostlib.good" "$T/recipes/hostlib.recipe"
printf '\nstep build\n\thost\n\tafter hostlib:pertarget\n\trun true\n' > "$T/recipes/user.recipe.new"
{ printf 'name user\nversion 1.0\n'; cat "$T/recipes/user.recipe.new"; } > "$T/recipes/user.recipe"
rm "$T/recipes/user.recipe.new"
bs build TARGET=aaa-linux-musl
expect_rc 2 "build with a host step after a target's step of another recipe"
assert_err_has "host step 'build' cannot run after 'hostlib:pertarget', which is built for each target"
