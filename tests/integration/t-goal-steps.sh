#!/bin/bash
# Steps named on the command line (`make toolchain STEPS=...`, docs/usage.md):
# bootstrap runs only them and what they run after, installs nothing, and
# leaves the rest to a later run; a name that is no step is an error that
# runs nothing; a dist-only step is a step of dist's only.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

setup_seeded libgreet hello
add_release_step 'mkdir -p "$RELEASE_PREFIX/bin"' 'echo released > "$RELEASE_PREFIX/bin/released"'

# unknown names: an error naming each, nothing run
bs build hello:nosuch nosuchrecipe
expect_rc 2 "build with unknown step names"
assert_err_has "unknown step 'hello:nosuch'"
assert_err_has "unknown step 'nosuchrecipe'"
assert_missing "$T/build/state"
bs build hello:release
expect_rc 2 "build naming a dist-only step"
assert_err_has "unknown step 'hello:release'.*only dist"

# a recipe's name is its last step: libgreet alone is built, nothing is installed
bs_ok build libgreet
assert_eq "libgreet:build libgreet:configure libgreet:install libgreet:source" \
	"$(started_steps | tr '\n' ' ' | sed 's/ $//')" "steps started for 'libgreet'"
assert_out_has '^built what was named; nothing installed'
assert_missing "$T/prefix"

# a step of the middle: what it runs after, not what runs after it
bs_ok build hello:configure
assert_eq "hello:configure hello:source" "$(started_steps | tr '\n' ' ' | sed 's/ $//')" \
	"steps started for 'hello:configure'"
assert_missing "$T/prefix"
bs_ok -n build hello:configure
assert_out_has '^nothing to do$'

# dist's step by name: the steps before it run, the release is not packed
bs_ok dist hello:release
assert_eq "hello:build hello:install hello:release" "$(started_steps | tr '\n' ' ' | sed 's/ $//')" \
	"steps started for 'dist hello:release'"
assert_exists "$T/build/release/bin/released"
assert_missing "$T/prefix"
assert_missing "$T/dist"

# the whole build goes on from there: nothing runs again, the toolchain is installed
bs_ok build
assert_eq "" "$(started_steps)" "steps started by a whole build after the named ones"
assert_out_has '^installed '
assert_hello
