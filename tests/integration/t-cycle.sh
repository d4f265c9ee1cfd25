#!/bin/bash
# A dependency cycle across two recipes: exit 2 before anything runs, and
# the message names the steps in the cycle.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

install_recipe_text cyca <<'R'
name cyca
version 1.0

step one
	run true
step two
	after cycb:three
	run true
R
install_recipe_text cycb <<'R'
name cycb
version 1.0

step three
	after cyca:two
	run true
R
write_config

for cmd in check build; do
	bs "$cmd"
	expect_rc 2 "$cmd with a dependency cycle"
	assert_err_has '^bootstrap: |\.recipe:[0-9]+: '
	assert_err_has 'cyca:two'
	assert_err_has 'cycb:three'
	assert_err_lacks 'cyca:one'
	assert_out_lacks '^start '
done
assert_missing "$T/prefix"

# A cycle through a recipe reference (`after cyca` = cyca's last step).
sed -i 's/^\tafter cyca:two$/\tafter cyca/' "$T/recipes/cycb.recipe"
bs check
expect_rc 2 "check with a cycle through 'after cyca'"
assert_err_has 'cyca:two'
assert_err_has 'cycb:three'
