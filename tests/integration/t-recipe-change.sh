#!/bin/bash
# Changing one recipe's text (even a comment) reruns that recipe's steps and
# the steps that depend on it, and nothing else.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

setup_seeded
write_config
bs_ok build

append_comment libgreet "a comment changes the recipe text"
bs_ok build
started_steps > "$T/started"
expected="hello:build
hello:configure
hello:install
libgreet:build
libgreet:configure
libgreet:install
libgreet:source"
assert_eq "$expected" "$(cat "$T/started")" "steps started after changing libgreet.recipe"
assert_hello

# Changing a recipe nothing depends on reruns only that recipe.
append_comment parab "another comment"
bs_ok build
assert_eq "parab:build
parab:configure
parab:install
parab:source" "$(started_steps)" "steps started after changing parab.recipe"
