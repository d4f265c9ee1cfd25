#!/bin/bash
# Archives that would write outside the source tree are refused with exit 4
# and nothing is written outside the build tree: `../` members, absolute
# members, a symlink pointing outside followed by a member written through
# it (absolute and relative link), a hard link to a file outside followed
# by a member of the same name, and `../` after a strip prefix.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

out=$T/outside-$$-$RANDOM
mkdir -p "$out"
echo original > "$out/victim"
up=$(printf '../%.0s' $(seq 1 24)) # more ../ than the build tree is deep
rel=${out#/}

try() { # NAME STRIP SPEC...
	local name=$1 strip=$2
	shift 2
	rm -rf "$T/build" "$T/recipes"/* "$T/sources"/* "$T/tarballs"/*
	evil_tarball evil-1.0.tar.gz "$@"
	{
		printf 'name evil\nversion 1.0\n\nartifact evil-1.0.tar.gz\n'
		printf '\tsha256 @SHA256_evil-1.0.tar.gz@\n'
		[ -n "$strip" ] && printf '\tstrip %s\n' "$strip"
		printf '\nstep build\n\trun true\n'
	} | install_recipe_text evil
	seed_cache evil-1.0.tar.gz
	write_config
	bs build
	[ "$RC" = 4 ] || fail "archive '$name': expected exit status 4, got $RC"
	assert_err_has '^bootstrap: '
	local leaked
	leaked=$(find "$T" -name 'pwned*' 2>/dev/null)
	[ -z "$leaked" ] || fail "archive '$name': member written at $leaked"
	[ "$(ls -A "$out")" = victim ] || fail "archive '$name': wrote into $out: $(ls -A "$out")"
	assert_file_eq "$out/victim" original
	assert_missing "$T/prefix"
	assert_out_lacks '^start evil:build'
	note "archive '$name' refused: $(grep -m1 '^bootstrap: ' "$T/err")"
}

try dotdot "" "f:ok.txt:fine" "f:../pwned-dotdot:x"
try deep-dotdot "" "f:ok.txt:fine" "f:sub/${up}${rel}/pwned-deep:x"
try absolute "" "f:ok.txt:fine" "f:$out/pwned-abs:x"
try symlink-abs "" "f:ok.txt:fine" "s:link:$out" "f:link/pwned-symabs:x"
try symlink-rel "" "f:ok.txt:fine" "s:rlink:${up}${rel}" "f:rlink/pwned-symrel:x"
try symlink-dir-rel "" "d:a" "s:a/l:../../../../../../../../../../../../../../../../../../..${out}" "f:a/l/pwned-symdir:x"
try hardlink "" "f:ok.txt:fine" "h:hl:$out/victim" "f:hl:pwned-hardlink"
try strip-dotdot evil-1.0 "d:evil-1.0" "f:evil-1.0/ok.txt:fine" "f:evil-1.0/../pwned-strip:x"

# A sane archive with the same recipe shape builds (the refusals above were
# about the members, not the recipe): symlinks and a hard link inside the
# tree are fine.
try_ok() {
	rm -rf "$T/build" "$T/recipes"/* "$T/sources"/* "$T/tarballs"/*
	evil_tarball evil-1.0.tar.gz "d:evil-1.0" "f:evil-1.0/ok.txt:fine" \
		"s:evil-1.0/inlink:ok.txt" "d:evil-1.0/sub" "s:evil-1.0/sub/up:../ok.txt" \
		"h:evil-1.0/sub/hard:evil-1.0/ok.txt"
	printf 'name evil\nversion 1.0\n\nartifact evil-1.0.tar.gz\n\tsha256 @SHA256_evil-1.0.tar.gz@\n\tstrip evil-1.0\n\nstep build\n\trun cat "$SRC/inlink" "$SRC/sub/up" "$SRC/sub/hard" > "$BUILD/both"\n' |
		install_recipe_text evil
	seed_cache evil-1.0.tar.gz
	write_config
	bs_ok build
	assert_file_eq "$T/build/work/evil/build/both" "fine
fine
fine"
}
try_ok
