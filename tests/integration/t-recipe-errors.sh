#!/bin/bash
# How `check` and `build` report a recipe error: `file:line: message` on
# stderr with the right line (and no other), exit 2, nothing run or
# installed. One case for each stage that finds errors: reading the recipe,
# the files it names, the dependency graph. Every kind of error, with its
# line and message, is a unit test (tests/unit.c: `recipe error: ...`,
# `graph: unknown dependency ...`); that nothing is fetched first is in
# t-fetch, which has a server to see it.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

make_tarball libgreet libgreet-1.0 libgreet-1.0.tar.gz
sha=$(tarball_sha libgreet-1.0.tar.gz)
echo "# an empty patch file" > "$T/patches/exists.patch"

# case NAME LINE: the recipe bad.recipe (read from stdin) must give an error
# at bad.recipe:LINE (and at no other line), from `check` and from `build`.
# Every case runs; the test fails at the end if any failed.
failed_cases=()
case_() {
	( case_body "$@" ) || failed_cases+=("$1")
}
case_body() {
	local name=$1 line=$2
	rm -rf "$T/recipes"/* "$T/build" "$T/sources"/*
	cat > "$T/recipes/bad.recipe"
	write_config
	bs check
	[ "$RC" = 2 ] || fail "case '$name': check: expected exit status 2, got $RC"
	grep -Eq "(^|[ /])bad\.recipe:$line: " "$T/err" ||
		fail "case '$name': expected 'bad.recipe:$line: ' on stderr"
	if grep -Eq "bad\.recipe:[0-9]+:" "$T/err" && grep -E "bad\.recipe:[0-9]+:" "$T/err" | grep -Evq "bad\.recipe:$line:"; then
		fail "case '$name': an error at another line than $line"
	fi
	note "case '$name': $(grep -m1 'bad\.recipe:' "$T/err")"
	bs build
	[ "$RC" = 2 ] || fail "case '$name': build: expected exit status 2, got $RC"
	grep -Eq "bad\.recipe:$line: " "$T/err" || fail "case '$name': build: expected 'bad.recipe:$line: ' on stderr"
	assert_out_lacks '^start '
	assert_missing "$T/prefix"
}

case_ "unknown key in an artifact" 7 <<R
name bad
version 1.0

artifact libgreet-1.0.tar.gz
	sha256 $sha
	strip libgreet-1.0
	colour blue
step build
	run true
R

case_ "missing patch file" 4 <<R
name bad
version 1.0
patch exists.patch
patch nosuch.patch

step build
	run true
R

case_ "unknown dependency" 6 <<R
name bad
version 1.0

step build
	run true
	after nosuch:step
R

[ ${#failed_cases[@]} = 0 ] || fail "failed cases: $(printf "'%s' " "${failed_cases[@]}")"
