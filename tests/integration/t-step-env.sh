#!/bin/bash
# The environment of a step: SRC, BUILD (the working directory, kept across
# the recipe's steps), PREFIX, SYSROOT, HOST_PREFIX, PATCHES, RECIPE,
# VERSION, STEP, MAKEFLAGS (jobserver), PATH (BUILD_DIR/host-tools:$PREFIX/bin:
# $HOST_PREFIX/bin: first; `make` stays the build machine's after a step put
# one into $PREFIX/bin), every config variable; `run` lines form one `sh -e` script; a
# step's output goes only to its log; a recipe with no artifact has an
# empty source directory as SRC; a program installed by one recipe is found on PATH by a later one.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

setup_seeded libgreet hello
install_recipe_text envr <<'R'
name envr
version 4.2

step one
	after hello
	run echo STEP-OUTPUT-MARKER
	run echo kept > kept-file
	run env > "$BUILD/env.one"
	run pwd -P > "$BUILD/pwd.one"
	run mkdir -p "$PREFIX/bin" && printf '#!/bin/sh\necho the-stage-make\n' > "$PREFIX/bin/make" && chmod +x "$PREFIX/bin/make"

step two
	run cat kept-file > "$BUILD/kept.two"
	run env > "$BUILD/env.two"
	run hello > "$BUILD/hello.out"
	run make --version > "$BUILD/make.two"
	run echo "${HELLO_MSG}" > "$BUILD/msg"
R
install_recipe_text shfail <<'R'
name shfail
version 1.0

step one
	run false
	run touch "$BUILD/after-false"
R
write_config
bs build
expect_rc 5 "build with a step whose first run line fails"
assert_err_has 'step shfail:one failed'
assert_missing "$T/build/work/shfail/build/after-false"
rm -f "$T/recipes/shfail.recipe"
bs_ok build

b=$T/build/work/envr/build
[ -f "$b/env.one" ] || fail "no $b/env.one (the step did not run in BUILD_DIR/work/envr/build?)"
val() { sed -n "s/^$2=//p" "$b/$1" | head -n1; }
assert_eq "$(cd "$b" && pwd -P)" "$(cat "$b/pwd.one")" "working directory of a step"
assert_eq "$T/build/work/envr/build" "$(val env.one BUILD)" "BUILD"
assert_eq "$T/build/stage" "$(val env.one PREFIX)" "PREFIX"
assert_eq "$T/build/stage/x86_64-linux-musl" "$(val env.one SYSROOT)" "SYSROOT"
assert_eq "$T/build/host" "$(val env.one HOST_PREFIX)" "HOST_PREFIX"
assert_eq "$T/patches" "$(val env.one PATCHES)" "PATCHES"
assert_eq envr "$(val env.one RECIPE)" "RECIPE"
assert_eq 4.2 "$(val env.one VERSION)" "VERSION"
assert_eq one "$(val env.one STEP)" "STEP"
assert_eq two "$(val env.two STEP)" "STEP of the second step"
assert_eq x86_64-linux-musl "$(val env.one TARGET)" "TARGET (a config variable)"
assert_eq world "$(val env.one HELLO_MSG)" "HELLO_MSG (a config variable)"
assert_eq 2 "$(val env.one JOBS)" "JOBS (a config variable)"
mf=$(val env.one MAKEFLAGS)
[[ $mf == *-j2* ]] || fail "MAKEFLAGS ($mf) has no -j2"
[[ $mf == *--jobserver-auth=* ]] || fail "MAKEFLAGS ($mf) has no --jobserver-auth="
path=$(val env.one PATH)
[[ $path == "$T/build/host-tools:$T/build/stage/bin:$T/build/host/bin:"* ]] ||
	fail "PATH ($path) does not start with BUILD_DIR/host-tools:\$PREFIX/bin:\$HOST_PREFIX/bin:"
assert_eq "$(command -v make)" "$(readlink "$T/build/host-tools/make")" "host-tools/make: a link to the make on bootstrap's PATH"
assert_file_has "$b/make.two" 'GNU Make'
assert_eq kept "$(cat "$b/kept.two")" "a file written in BUILD by the previous step"
assert_eq "Greetings, world! (libgreet 1.0)" "$(cat "$b/hello.out")" "hello run by name from a later recipe"
assert_eq world "$(cat "$b/msg")" "\${HELLO_MSG} in a run line"
# Step output goes to the log only.
assert_out_lacks STEP-OUTPUT-MARKER
assert_err_lacks STEP-OUTPUT-MARKER
assert_file_has "$T/build/logs/envr.one.log" STEP-OUTPUT-MARKER
# docs/recipes.md: "A recipe with no artifact gets an empty source tree ($SRC is an empty directory)."
assert_eq "$T/build/work/envr/src" "$(val env.one SRC)" "SRC of a recipe with no artifact"
[ -d "$T/build/work/envr/src" ] && [ -z "$(ls -A "$T/build/work/envr/src")" ] || fail "SRC of a recipe with no artifact is not an empty directory"
