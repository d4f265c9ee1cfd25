#!/bin/bash
# Changing a recipe reruns what the change reaches, and nothing else:
# what the source is made from (an exclude, an artifact, a patch line): the
# recipe's source and every step, and the steps of other recipes after them;
# one step's script: that step and what runs after it; a comment: nothing is
# built, but the toolchain is installed again (the recipe's text reaches the
# manifest and the SBOM).
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

setup_seeded
write_config
bs_ok build

sed -i 's/^version /exclude no-such-file\nversion /' "$T/recipes/libgreet.recipe"
bs_ok build
started_steps > "$T/started"
expected="hello:build
hello:configure
hello:install
libgreet:build
libgreet:configure
libgreet:install
libgreet:source"
assert_eq "$expected" "$(cat "$T/started")" "steps started after changing libgreet's source"
assert_hello

# One step's script: that step and the next of its recipe; nothing else.
sed -i 's/^\trun make install$/\trun make install V=1/' "$T/recipes/parab.recipe"
bs_ok build
assert_eq "parab:install" "$(started_steps)" "steps started after changing parab's install step"

# A comment: nothing runs, the prefix is installed again.
append_comment parab "another comment"
bs_ok build
assert_eq "" "$(started_steps)" "steps started after a comment in parab.recipe"
assert_out_has '^installed '
bs_ok build
assert_out_lacks '^installed '
