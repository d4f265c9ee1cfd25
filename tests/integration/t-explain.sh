#!/bin/bash
# `bootstrap explain` (and `-n`) prints `R:S: REASON` for each step that
# would run, and runs nothing:
#   fresh build directory      -> never built (every step, source included)
#   a comment, licence, summary -> nothing
#   a step's script changed    -> recipe changed (that step; later ones: dependency changed)
#   what the source is made of -> recipe changed (the source, then every step)
#   patch content changed      -> patch changed
#   config value changed       -> config changed: NAME
#   a step it runs after reran -> dependency changed: R:S
# and prints nothing when everything is up to date.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

setup_seeded
write_config

# explain_ok: run explain, check it ran nothing (no start lines, state and
# prefix unchanged) and that -n prints the same.
explain_ok() {
	tree_listing "$T/build/state" mtime > "$T/state.before"
	tree_listing "$T/prefix" mtime > "$T/prefix.before"
	bs -n
	[ "$RC" = 0 ] || fail "bootstrap -n: exit $RC"
	cp "$T/out" "$T/out.n"
	bs_ok explain
	assert_out_lacks '^start '
	diff -u "$T/out.n" "$T/out" > /dev/null || fail "'bootstrap -n' and 'bootstrap explain' print different things:
$(diff -u "$T/out.n" "$T/out")"
	tree_listing "$T/build/state" mtime > "$T/state.after"
	tree_listing "$T/prefix" mtime > "$T/prefix.after"
	assert_same_listing "$T/state.before" "$T/state.after" "BUILD_DIR/state after explain"
	assert_same_listing "$T/prefix.before" "$T/prefix.after" "TOOLCHAIN_DIR after explain"
	# Every line is `R:S: REASON` (or a lone `nothing to do`), then the estimate.
	local re='^[a-z0-9][a-z0-9+._-]*:[A-Za-z0-9_.+-]+: [a-z]|^nothing to do$|^estimated time: '
	if grep -Evq "$re" "$T/out"; then
		fail "explain printed a line not of the form 'R:S: REASON': $(grep -Ev "$re" "$T/out" | head -n3)"
	fi
}
# steps_listed: the R:S of every line, sorted.
steps_listed() { sed -n 's/^\([^:]*:[^:]*\): .*/\1/p' "$T/out" | sort; }
all_steps() {
	local r
	for r in libgreet hello paraa parab; do
		printf '%s\n' "$r:source" "$r:configure" "$r:build" "$r:install"
	done | sort
}

# Fresh build directory: everything, never built.
explain_ok
assert_eq "$(all_steps)" "$(steps_listed)" "steps listed for a fresh build directory"
if grep -v ': never built$' "$T/out" | grep -v '^estimated time: ' | grep -q .; then
	fail "fresh build directory: a reason other than 'never built': $(grep -v ': never built$' "$T/out" | head -n3)"
fi
assert_out_has '^estimated time: unknown \(a step never ran here and its recipe gives no cost\)$'
assert_missing "$T/prefix"
assert_missing "$T/build/work/libgreet/src/greet.c"

bs_ok build
explain_ok
assert_out_empty

# A comment, the licence and the summary build nothing (they reach the SBOM).
append_comment libgreet "changed"
printf 'license MIT\nsummary a greeting library\n' >> "$T/recipes/libgreet.recipe"
explain_ok
assert_out_empty

# A step's script: that step and what runs after it; not the source.
sed -i 's/^\trun make$/\trun make all/' "$T/recipes/libgreet.recipe"
explain_ok
assert_out_has '^libgreet:build: recipe changed$'
assert_out_has '^libgreet:install: dependency changed: libgreet:build$'
# every step that would run has run before: the estimate is from those runs
assert_out_has '^estimated time: [0-9]+ s with JOBS=[0-9]+ \(from the times of the last run of each step\)$'
assert_out_lacks '^libgreet:source:'
assert_out_lacks '^libgreet:configure:'
bs_ok build
explain_ok
assert_out_empty

# What the source is made from: every step of the recipe.
sed -i 's/^version /exclude no-such-file\nversion /' "$T/recipes/libgreet.recipe"
explain_ok
assert_out_has '^libgreet:source: recipe changed'
assert_out_has '^hello:configure: dependency changed: libgreet:install$'
assert_out_lacks '^hello:source:'
assert_out_lacks '^para'
bs_ok build
explain_ok
assert_out_empty

# Patch content.
sed -i 's/^+#define GREET_WORD "Greetings"$/+#define GREET_WORD "Salutations"/' "$T/patches/libgreet-greeting.patch"
grep -q Salutations "$T/patches/libgreet-greeting.patch" || fail "could not edit the patch"
explain_ok
assert_out_has '^libgreet:source: patch changed'
assert_out_has '^hello:configure: dependency changed: libgreet:install$'
assert_out_lacks '^hello:source:'
assert_out_lacks '^para'
bs_ok build
assert_hello "Salutations, world! (libgreet 1.0)"
explain_ok
assert_out_empty

# Config value of a variable hello's recipe mentions.
set_config HELLO_MSG planet
explain_ok
assert_out_has '^hello:source: config changed: HELLO_MSG([^A-Z_]|$)'
assert_out_has '^hello:'
assert_out_lacks '^libgreet:'
assert_out_lacks '^para'
# The same change as a command line override.
set_config HELLO_MSG world
bs_ok explain HELLO_MSG=planet
assert_out_has '^hello:source: config changed: HELLO_MSG([^A-Z_]|$)'
# A config variable no recipe mentions changes nothing.
bs_ok explain JOBS=1
assert_out_empty
set_config HELLO_MSG planet
bs_ok build
assert_hello "Salutations, planet! (libgreet 1.0)"
explain_ok
assert_out_empty

# A step that never ran, with a typical cost in its recipe: a rough estimate from it.
printf '\nstep extra\n\tcost 100\n\trun true\n' >> "$T/recipes/parab.recipe"
explain_ok
assert_out_has '^parab:extra: never built$'
assert_out_has '^estimated time: about 100 s with JOBS=[0-9]+ \(rough: some steps never ran here; from the recipes. typical costs\)$'
printf '\tcost many\n' >> "$T/recipes/parab.recipe"
bs explain
expect_rc 2 "a cost that is not a number"
assert_err_has "parab.recipe:[0-9]+: 'cost' takes a number of seconds, found 'many'"
