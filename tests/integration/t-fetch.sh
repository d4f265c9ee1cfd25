#!/bin/bash
# `bootstrap fetch` downloads and verifies every artifact the config selects
# into SOURCES and builds nothing; artifacts of other versions are not
# fetched; a second fetch downloads nothing; a recipe error stops `fetch`
# and `build` (exit 2) before anything is downloaded.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

start_nginx
setup_standard
publish m1 "${FIXTURE_TARBALLS[@]}"
# An artifact for another hello version, available nowhere: not selected.
cat >> "$T/recipes/hello.recipe" <<'R'

artifact hello-0.9.tar.gz
	version 0.9
	sha256 0000000000000000000000000000000000000000000000000000000000000000
R
write_config

# A recipe error, found reading the recipe, in a file it names or in the
# graph, comes before any download (the errors themselves: t-recipe-errors).
stops_before_fetch() { # WHAT, with bad.recipe on stdin
	local cmd
	install_recipe_text bad
	for cmd in fetch build; do
		bs "$cmd"
		expect_rc 2 "$cmd with a recipe error ($1)"
		assert_err_has '(^|[ /])bad\.recipe:[0-9]+: '
		assert_eq 0 "$(log_count)" "requests made by $cmd with a recipe error ($1)"
	done
	rm "$T/recipes/bad.recipe"
}
stops_before_fetch "an unknown key" <<< $'name bad\nversion 1.0\ncolour blue'
stops_before_fetch "a missing patch" <<< $'name bad\nversion 1.0\npatch nosuch.patch'
stops_before_fetch "an unknown dependency" <<< $'name bad\nversion 1.0\nstep build\n\tafter nosuch:step\n\trun true'

bs_ok fetch
for f in "${FIXTURE_TARBALLS[@]}"; do
	assert_sha "$T/sources/$f" "$(tarball_sha "$f")"
done
assert_log_lacks 'hello-0\.9'
assert_missing "$T/sources/hello-0.9.tar.gz"
assert_out_lacks '^start [a-z]+:[a-z]'
assert_missing "$T/prefix"
[ -z "$(ls -A "$T/build/state" 2>/dev/null)" ] || fail "fetch recorded steps: $(ls "$T/build/state")"
[ -z "$(ls -A "$T/build/work" 2>/dev/null)" ] || fail "fetch prepared sources: $(ls "$T/build/work")"

n=$(log_count)
bs_ok fetch
assert_eq "$n" "$(log_count)" "requests logged after a second fetch"

# The cache is enough for an offline build.
bs_ok build OFFLINE=1
assert_hello
