#!/bin/bash
# Recipe errors are reported as `file:line: message` with the right line,
# exit 2, before anything is fetched or built.
. "$TESTS_DIR/lib.sh"

start_nginx
make_tarball libgreet libgreet-1.0 libgreet-1.0.tar.gz
publish m1 libgreet-1.0.tar.gz
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
	local n0
	n0=$(log_count)
	bs build
	[ "$RC" = 2 ] || fail "case '$name': build: expected exit status 2, got $RC"
	grep -Eq "bad\.recipe:$line: " "$T/err" || fail "case '$name': build: expected 'bad.recipe:$line: ' on stderr"
	[ "$(log_count)" = "$n0" ] || fail "case '$name': build fetched something before reporting the error"
	assert_out_lacks '^start '
	assert_missing "$T/prefix"
}

case_ "unknown top-level key" 4 <<R
name bad
version 1.0

frobnicate yes
step build
	run true
R

case_ "unknown key in a step" 6 <<R
name bad
version 1.0
# a comment

step build
	frobnicate yes
	run true
R

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

case_ "missing sha256" 5 <<R
name bad
version 1.0
# the artifact below has no sha256

artifact libgreet-1.0.tar.gz
	version 1.0
	strip libgreet-1.0

step build
	run true
R

case_ "malformed sha256 (63 digits)" 5 <<R
name bad
version 1.0

artifact libgreet-1.0.tar.gz
	sha256 ${sha:0:63}
	strip libgreet-1.0
step build
	run true
R

case_ "malformed sha256 (not hex)" 5 <<R
name bad
version 1.0

artifact libgreet-1.0.tar.gz
	sha256 ${sha:0:63}g
step build
	run true
R

case_ "duplicate step" 8 <<R
name bad
version 1.0

step build
	run true
step install
	run true
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

case_ "missing patch file" 4 <<R
name bad
version 1.0
patch exists.patch
patch nosuch.patch

step build
	run true
R

case_ "name does not match the file name" 2 <<R
# bad.recipe
name other
version 1.0

step build
	run true
R

case_ "line numbers count continued lines" 7 <<R
name bad
version 1.0

step build
	run echo one \\
	  two
	frobnicate yes
R

case_ "reserved step name source" 4 <<R
name bad
version 1.0

step source
	run true
R

[ ${#failed_cases[@]} = 0 ] || fail "failed cases: $(printf "'%s' " "${failed_cases[@]}")"
